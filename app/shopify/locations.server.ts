// Reads every location of a shop, page after page: Shopify answers at most 250 a call, and a
// print shop with many partner labs, or a chain with many stores, has more than a first page.
import type { LocationsQuery, LocationsQueryVariables } from "../types/admin.generated";
import type { AdminGateway } from "./gateway.server";
import { LOCATIONS_QUERY } from "./operations";
import { readPages } from "./pages";

/** A page of the shop's locations as Shopify answers one (LOCATIONS_QUERY, or an order read's). */
export type ShopLocations = LocationsQuery["locations"];

/**
 * The most pages one read takes (250 a page: 10,000 locations, far past what Shopify lets a shop
 * have): a cursor that never ends would otherwise spend the shop's bucket for ever.
 */
export const MAX_LOCATION_PAGES = 40;

/**
 * The shop's locations from a page already read on: the pages after it, each from the cursor of
 * the one before, appended to it. A page that says no more follow is answered as it is, without
 * a call: the first 20 an order read brings are all most shops have.
 */
export async function readRestOfLocations(
  gateway: AdminGateway,
  first: ShopLocations,
): Promise<ShopLocations> {
  return readPages(
    first,
    {
      maxPages: MAX_LOCATION_PAGES,
      tooMany: `${gateway.shop}: more locations than the router reads`,
    },
    async (after) =>
      (
        await gateway.request<LocationsQuery, LocationsQueryVariables>(LOCATIONS_QUERY, {
          after,
        })
      ).locations,
  );
}

/** Every location of the shop: routing targets for the screens, and which are a lab's. */
export async function readEveryLocation(gateway: AdminGateway): Promise<ShopLocations> {
  const first = await gateway.request<LocationsQuery, LocationsQueryVariables>(LOCATIONS_QUERY);
  return readRestOfLocations(gateway, first.locations);
}
