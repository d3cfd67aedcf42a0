// A shop with more locations than one page, read as Shopify serves them: `first` locations a page in
// the order of their names (LocationSortKeys' default, NAME), `pageInfo` saying whether more follow,
// and the next page from `after` the last one's cursor, a place in that order.
import { describe, expect, it } from "vitest";
import { gql, testSimulator } from "../../test/helpers.ts";
import { addLocation } from "../shop/catalog.ts";

const PAGE = /* GraphQL */ `
  query Page($first: Int!, $after: String) {
    locations(first: $first, after: $after, includeLegacy: true) {
      nodes {
        name
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** The demo shop (the Studio and the Partner Lab) with 28 partner labs more: 30 locations. */
function shopOfThirtyLocations() {
  const world = testSimulator();
  for (let n = 1; n <= 28; n++) {
    const name = `Lab ${String(n).padStart(2, "0")}`;
    addLocation(world.sim.state, world.shop, {
      name,
      fulfillmentService: { handle: name.toLowerCase().replace(" ", "-") },
    });
  }
  return world;
}

const labs = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `Lab ${String(from + i).padStart(2, "0")}`);

describe("locations, page after page (Admin API 2026-10, QueryRoot.locations)", () => {
  it("answers `first` of them by name, says more follow, and the rest after the page's cursor", async () => {
    const { sim, token } = shopOfThirtyLocations();
    const first = await gql(sim, token, PAGE, { first: 20 });
    const page = first.body.data!.locations;
    expect(page.nodes.map((l: { name: string }) => l.name)).toEqual(labs(1, 20));
    expect(page.pageInfo.hasNextPage).toBe(true);
    const second = await gql(sim, token, PAGE, { first: 250, after: page.pageInfo.endCursor });
    const rest = second.body.data!.locations;
    expect(rest.nodes.map((l: { name: string }) => l.name)).toEqual([
      ...labs(21, 28),
      "Partner Lab",
      "Studio",
    ]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    // Each page costs what it returned: two points for the connection and one for each location.
    expect(second.body.extensions!.cost!.requestedQueryCost).toBe(252);
    expect(second.body.extensions!.cost!.actualQueryCost).toBe(12);
  });

  it("goes on from the cursor's place among the names when its location is gone from the list meanwhile", async () => {
    const { sim, token, shop } = shopOfThirtyLocations();
    const first = await gql(sim, token, PAGE, { first: 20 });
    const { endCursor } = first.body.data!.locations.pageInfo;
    // The merchant deactivates the page's last location, Lab 20, before the next page is read:
    // inactive locations are not listed, and the pages after it are the same.
    [...shop.locations.values()].find((l) => l.name === "Lab 20")!.isActive = false;
    const second = await gql(sim, token, PAGE, { first: 250, after: endCursor });
    expect(second.body.data!.locations.nodes.map((l: { name: string }) => l.name)).toEqual([
      ...labs(21, 28),
      "Partner Lab",
      "Studio",
    ]);
  });
});
