// Where Shopify allows a stuck or drifted fulfillment order to move (locationsForMove): the Re-route
// picker's choices with the capability reasons routing gives, and the check of a chosen location.
import {
  rerouteOptions,
  type LocationForMove,
  type RerouteOption,
  type RepairIntent,
} from "../routing";
import { said, type Words } from "../routing/words";
import type { Db } from "../db/client.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { readPages } from "../shopify/pages";
import { FULFILLMENT_ORDER_LOCATIONS_FOR_MOVE_QUERY } from "../shopify/operations";
import type {
  FulfillmentOrderLocationsForMoveQuery,
  FulfillmentOrderLocationsForMoveQueryVariables,
} from "../types/admin.generated";
import { readProducingLines } from "./drift.server";
import { loadShopConfig } from "./shop-config.server";

/** 50 locations a page: 10 pages are more locations than Shopify lets a shop have. */
const MAX_PAGES = 10;

export interface LocationsForMove {
  /** Where the fulfillment order is now (the stuck lab, for a stuck request). */
  assignedLocationId: string | null;
  /** Every active location Shopify lists, in Shopify's order (by name). */
  locations: LocationForMove[];
}

/** Shopify's locationsForMove of one fulfillment order, every page; null when Shopify has it no more. */
export async function readLocationsForMove(
  gateway: AdminGateway,
  fulfillmentOrderId: string,
): Promise<LocationsForMove | null> {
  const read = (after: string | null) =>
    gateway.request<
      FulfillmentOrderLocationsForMoveQuery,
      FulfillmentOrderLocationsForMoveQueryVariables
    >(FULFILLMENT_ORDER_LOCATIONS_FOR_MOVE_QUERY, { id: fulfillmentOrderId, after });
  const first = (await read(null)).fulfillmentOrder;
  if (!first) return null;
  const all = await readPages(
    first.locationsForMove,
    { maxPages: MAX_PAGES, tooMany: `${fulfillmentOrderId}: more locations for a move than read` },
    async (after) => (await read(after)).fulfillmentOrder?.locationsForMove ?? null,
  );
  if (!all) return null;
  return {
    assignedLocationId: first.assignedLocation.location?.id ?? null,
    locations: all.nodes
      .filter((n) => n.location.isActive)
      .map((n) => ({
        target: {
          locationId: n.location.id,
          name: n.location.name,
          fulfillmentServiceHandle: n.location.fulfillmentService?.handle ?? null,
        },
        movable: n.movable,
        message: n.message ?? null,
      })),
  };
}

export interface RerouteChoices {
  options: RerouteOption[];
  /** The location the picker starts on: the default re-route, else the first that can make it. */
  selected: string | null;
}

/**
 * The Re-route picker's choices for a stuck fulfillment order: Shopify's locations for a move, never
 * the stuck one, ordered and judged by the shop's capability profiles against its lines now.
 */
export async function rerouteChoices(
  deps: { db: Db; gateway: AdminGateway },
  shop: string,
  finding: { fulfillmentOrderId: string; repair: RepairIntent | null },
  read?: LocationsForMove,
): Promise<RerouteChoices | null> {
  const forMove = read ?? (await readLocationsForMove(deps.gateway, finding.fulfillmentOrderId));
  if (!forMove) return null;
  const { profiles } = await loadShopConfig(deps.db, shop);
  const lines =
    profiles.length > 0 ? await readProducingLines(deps.gateway, finding.fulfillmentOrderId) : null;
  return rerouteOptions(
    forMove.locations,
    forMove.assignedLocationId ?? "",
    profiles.length > 0 ? { profiles, lines: lines ?? [] } : null,
    finding.repair?.to.locationId ?? null,
  );
}

/**
 * A chosen location checked against Shopify's locationsForMove and the capability profiles: the
 * option when the work may go there, else why not in the catalogue's words (the merchant's form
 * shows them at the picker). One that cannot make the work goes only with the merchant's confirmation.
 */
export async function checkChosenLocation(
  deps: { db: Db; gateway: AdminGateway },
  shop: string,
  finding: { fulfillmentOrderId: string; repair: RepairIntent | null; labName: string | null },
  locationId: string,
  confirmed: boolean,
): Promise<
  | { ok: true; option: RerouteOption; stuckAt: { locationId: string; name: string } | null }
  | { ok: false; message: Words }
> {
  const forMove = await readLocationsForMove(deps.gateway, finding.fulfillmentOrderId);
  if (!forMove) return { ok: false, message: said("repair.chosen.fulfillmentOrderGone") };
  const assignedName =
    forMove.locations.find((l) => l.target.locationId === forMove.assignedLocationId)?.target
      .name ??
    finding.labName ??
    "";
  if (locationId === forMove.assignedLocationId)
    return { ok: false, message: said("repair.chosen.stuckHere", { location: assignedName }) };
  const choices = await rerouteChoices(deps, shop, finding, forMove);
  const option = choices?.options.find((o) => o.target.locationId === locationId);
  if (!option) return { ok: false, message: said("repair.chosen.notOffered") };
  if (!option.movable)
    return {
      ok: false,
      message: said("repair.chosen.notMovable", {
        location: option.target.name,
        shopify: option.message ?? "",
      }),
    };
  if (option.cannotMake && !confirmed)
    return {
      ok: false,
      message: said("repair.chosen.confirmCannotMake", {
        location: option.target.name,
        reasons: option.cannotMake,
      }),
    };
  const stuckAt = forMove.assignedLocationId
    ? { locationId: forMove.assignedLocationId, name: assignedName }
    : null;
  return { ok: true, option, stuckAt };
}
