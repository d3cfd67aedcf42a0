// A second lab on the shop, as Shopify adds one: the lab's own app creates its fulfillment service
// (and with it a location), then stocks what it makes there.
import { describe, expect, it } from "vitest";
import { gql, testSimulator } from "../../test/helpers.ts";
import { DEMO_SHOP } from "../seed/demo.ts";

const CREATE = /* GraphQL */ `
  mutation Create($name: String!) {
    fulfillmentServiceCreate(name: $name, inventoryManagement: true, trackingSupport: true) {
      fulfillmentService {
        handle
        serviceName
        inventoryManagement
        location {
          id
          name
          isFulfillmentService
          address {
            address1
            city
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

const ACTIVATE = /* GraphQL */ `
  mutation Activate($item: ID!, $location: ID!, $available: Int) {
    inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available)
      @idempotent(key: "activate-1") {
      inventoryLevel {
        quantities(names: ["available"]) {
          quantity
        }
        location {
          name
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

describe("fulfillmentServiceCreate (Admin API 2026-10, mutation fulfillmentServiceCreate)", () => {
  it('creates a location "named after the fulfillment service" that "inherit[s] the shop\'s address", owned by the calling app', async () => {
    const { sim, token } = testSimulator();
    const labApp = sim.mintServiceToken(DEMO_SHOP, "second-lab");
    const { body } = await gql(sim, labApp, CREATE, { name: "Second Lab" });
    const created = body.data!.fulfillmentServiceCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.fulfillmentService).toMatchObject({
      handle: "second-lab",
      serviceName: "Second Lab",
      inventoryManagement: true,
      location: {
        name: "Second Lab",
        isFulfillmentService: true,
        // The demo shop's address is its own location's, the Studio's.
        address: { address1: "Oranienstraße 25", city: "Berlin" },
      },
    });
    // The merchant's app sees it among the shop's locations (fulfillment services are "legacy"
    // ones, listed with includeLegacy); it comes last in the shop's location priority.
    const { body: listed } = await gql(
      sim,
      token,
      `{ locations(first: 10, includeLegacy: true) { nodes { name fulfillmentService { handle } } } }`,
    );
    expect(listed.data!.locations.nodes).toContainEqual({
      name: "Second Lab",
      fulfillmentService: { handle: "second-lab" },
    });
    const shop = sim.state.shop(DEMO_SHOP)!;
    expect([...shop.locations.values()].map((l) => l.name)).toEqual([
      "Studio",
      "Partner Lab",
      "Second Lab",
    ]);
    // The lab's app is the service's owner: it answers the requests sent there.
    const location = [...shop.locations.values()].find((l) => l.name === "Second Lab")!;
    expect(location.fulfillmentService!.ownerAppId).toBe(sim.state.serviceApp("second-lab").key);
  });

  it("refuses a blank name and a name the shop already has, with userErrors", async () => {
    const { sim } = testSimulator();
    const labApp = sim.mintServiceToken(DEMO_SHOP, "second-lab");
    for (const name of ["  ", "Partner Lab"]) {
      const { body } = await gql(sim, labApp, CREATE, { name });
      expect(body.data!.fulfillmentServiceCreate.fulfillmentService).toBeNull();
      expect(body.data!.fulfillmentServiceCreate.userErrors[0].field).toEqual(["name"]);
    }
  });
});

describe("inventoryActivate (Admin API 2026-10, mutation inventoryActivate)", () => {
  it('creates an InventoryLevel at the location with the "initial available quantity"; without one it is zero', async () => {
    const { sim, shop } = testSimulator();
    const labApp = sim.mintServiceToken(DEMO_SHOP, "second-lab");
    const { body } = await gql(sim, labApp, CREATE, { name: "Second Lab" });
    const locationId = body.data!.fulfillmentServiceCreate.fulfillmentService.location.id;
    const [a, b] = [...shop.variants.values()];
    const item = (v: typeof a) => `gid://shopify/InventoryItem/${v!.inventoryItemId}`;

    const stocked = await gql(sim, labApp, ACTIVATE, {
      item: item(a),
      location: locationId,
      available: 12,
    });
    expect(stocked.body.data!.inventoryActivate).toEqual({
      inventoryLevel: { quantities: [{ quantity: 12 }], location: { name: "Second Lab" } },
      userErrors: [],
    });
    const empty = await gql(sim, labApp, ACTIVATE, { item: item(b), location: locationId });
    expect(empty.body.data!.inventoryActivate.inventoryLevel.quantities).toEqual([{ quantity: 0 }]);
    const unknown = await gql(sim, labApp, ACTIVATE, {
      item: "gid://shopify/InventoryItem/999999",
      location: locationId,
    });
    expect(unknown.body.data!.inventoryActivate).toMatchObject({
      inventoryLevel: null,
      userErrors: [{ field: ["inventoryItemId"] }],
    });
  });
});

describe("/_sim/service-tokens", () => {
  it("with install: true gives a token for a lab's app that has no fulfillment service yet", async () => {
    const { sim } = testSimulator();
    const ask = (body: object) =>
      sim.app.request("/_sim/service-tokens", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ shop: DEMO_SHOP, ...body }),
      });
    expect((await ask({ handle: "second-lab" })).status).toBe(404);
    const answer = await ask({ handle: "second-lab", install: true });
    expect(answer.status).toBe(201);
    const { accessToken } = (await answer.json()) as { accessToken: string };
    const { body } = await gql(sim, accessToken, CREATE, { name: "Second Lab" });
    expect(body.data!.fulfillmentServiceCreate.fulfillmentService.handle).toBe("second-lab");
  });
});
