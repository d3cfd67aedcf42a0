// FulfillmentOrder.locationsForMove as Shopify documents it (REST LocationsForMove's example, the
// GraphQL fulfillmentOrder example "Retrieves a list of locations that a fulfillment order can
// potentially move to"): every location by name, the current one "Current location.", movable only
// where every line is stocked, Shopify's sentence where not.
import { describe, expect, it } from "vitest";
import { gql, testSimulator, type Loose } from "../../test/helpers.ts";
import { addLocation, setInventory } from "../shop/catalog.ts";
import { gid } from "../shop/ids.ts";
import { createOrder } from "../shop/orders.ts";

const FOR_MOVE = /* GraphQL */ `
  query ($id: ID!, $lines: [ID!]) {
    fulfillmentOrder(id: $id) {
      locationsForMove(first: 10, lineItemIds: $lines) {
        nodes {
          location {
            name
          }
          movable
          message
          availableLineItemsCount {
            count
          }
          unavailableLineItemsCount {
            count
          }
        }
      }
    }
  }
`;

/** An order whose lines all go to the Partner Lab; answers that fulfillment order. */
function labOrder(world: ReturnType<typeof testSimulator>, skus: string[]) {
  const r = createOrder(world.sim.state, world.shop, {
    lineItems: skus.map((sku) => ({ sku, quantity: 1 })),
    payment: "paid",
  });
  if (!r.ok) throw new Error("order");
  const fo = r.value.fulfillmentOrderIds.map((id) => world.shop.fulfillmentOrders.get(id)!)[0]!;
  return fo;
}

async function forMove(world: ReturnType<typeof testSimulator>, foId: number, lines?: number[]) {
  const a = await gql(world.sim, world.token, FOR_MOVE, {
    id: gid("FulfillmentOrder", foId),
    lines: lines?.map((id) => gid("FulfillmentOrderLineItem", id)),
  });
  expect(a.body.errors).toBeUndefined();
  return (a.body.data!.fulfillmentOrder.locationsForMove.nodes as Loose[]).map((n) => ({
    name: n.location.name,
    movable: n.movable,
    message: n.message,
    available: n.availableLineItemsCount.count,
    unavailable: n.unavailableLineItemsCount.count,
  }));
}

describe("locationsForMove (Admin API 2026-10, FulfillmentOrder.locationsForMove)", () => {
  it("lists every location by name: the current one not movable, one stocking every line movable, one stocking none with Shopify's sentence", async () => {
    const world = testSimulator();
    const warehouse = addLocation(world.sim.state, world.shop, { name: "Annex" });
    const variant = [...world.shop.variants.values()].find((v) => v.sku === "LAB-METALLIC-30x45")!;
    setInventory(world.shop, variant.inventoryItemId, warehouse.id, 3, world.sim.state.iso());
    const fo = labOrder(world, ["LAB-METALLIC-30x45"]);
    expect(await forMove(world, fo.id)).toEqual([
      { name: "Annex", movable: true, message: null, available: 1, unavailable: 0 },
      {
        name: "Partner Lab",
        movable: false,
        message: "Current location.",
        available: 0,
        unavailable: 1,
      },
      {
        name: "Studio",
        movable: false,
        message: "No items are stocked at this location.",
        available: 0,
        unavailable: 1,
      },
    ]);
  });

  it("says which item is not stocked, or how many, and is not movable when only some lines are; lineItemIds asks about those lines alone", async () => {
    const world = testSimulator();
    const fo = labOrder(world, ["PRINT-LUSTRE-A3", "LAB-METALLIC-30x45", "LAB-LUSTRE-20x30"]);
    // Two of three lines are lab-only: the Studio stocks the lustre A3 print alone (none on the shelf, but stocked).
    const studio = (await forMove(world, fo.id)).find((l) => l.name === "Studio");
    expect(studio).toEqual({
      name: "Studio",
      movable: false,
      message: "2 items can't be changed because they aren't stocked at this location.",
      available: 1,
      unavailable: 2,
    });
    const [a4, metallic] = fo.lineItems;
    const one = await forMove(world, fo.id, [a4!.id, metallic!.id]);
    expect(one.find((l) => l.name === "Studio")).toMatchObject({
      movable: false,
      message:
        "Lab C-Type Print - Metallic / 30x45 / None can't be changed because it isn't stocked at this location.",
    });
    const a4Only = await forMove(world, fo.id, [a4!.id]);
    expect(a4Only.find((l) => l.name === "Studio")).toMatchObject({ movable: true, message: null });
  });

  it("judges the location, not the request: a fulfillment order the lab has been asked to fulfill is still listed movable where its lines are stocked (the move itself is refused until the request is withdrawn)", async () => {
    const world = testSimulator();
    const fo = labOrder(world, ["PRINT-LUSTRE-A3"]);
    fo.requestStatus = "SUBMITTED";
    expect((await forMove(world, fo.id)).find((l) => l.name === "Studio")).toMatchObject({
      movable: true,
    });
  });
});
