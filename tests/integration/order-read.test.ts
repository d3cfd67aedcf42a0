// The order read against the shop simulator: sized for the orders most shops take, and read on
// (the router's, from the answer's cursors) or again in full when an answer fills a connection, so
// a large order is never decided on a part of it.
import { describe, expect, it } from "vitest";
import {
  FIRST_READ,
  ROUTING_FIRST_READ,
  forgetLocations,
  LOCATIONS_REUSED_MS,
  readOrder,
  toOrderSnapshot,
} from "~/shopify/snapshot.server";
import { orderReadNeeds, type Rule } from "~/routing";
import type { OrderSnapshotQuery } from "~/types/admin.generated";
import { ShopBudgets } from "~/shopify/budget";
import { createAdminGateway, operationName } from "~/shopify/gateway.server";
import { STOCK_AT_LOCATION_QUERY } from "~/shopify/operations";
import { parse } from "graphql";
import { queryCost } from "../../simulator/src/graphql/cost";
import { adminSchema } from "../shopify/support/schema";
import { aRule } from "~/routing/testing.fixtures";
import { withShopSimulator } from "../support/integration";

const sim = withShopSimulator();

const adminCalls = async () =>
  (await sim.control<{ shops: Record<string, { calls: number }> }>("GET", "/_sim/stats")).shops[
    sim.shop
  ]?.calls ?? 0;

const operations = async () =>
  (
    await sim.control<{
      shops: Record<string, { operations: Record<string, { calls: number }> }>;
    }>("GET", "/_sim/stats")
  ).shops[sim.shop]?.operations ?? {};

const pointsSpent = async () =>
  (await sim.control<{ shops: Record<string, { pointsSpent: number }> }>("GET", "/_sim/stats"))
    .shops[sim.shop]?.pointsSpent ?? 0;

const pointsRequested = async () =>
  (await sim.control<{ shops: Record<string, { pointsRequested: number }> }>("GET", "/_sim/stats"))
    .shops[sim.shop]?.pointsRequested ?? 0;

const SKUS = ["PRINT-MATTE-A4", "PRINT-LUSTRE-A4", "CANVAS-60x90-WRAP"];

async function orderWith(lines: number) {
  return sim.createOrder({
    lineItems: Array.from({ length: lines }, (_, i) => ({
      sku: SKUS[i % SKUS.length]!,
      quantity: 1,
    })),
    payment: "paid",
  });
}

/** The Studio's lustre print and the lab's canvas: two fulfillment orders of one line each. */
const printAndCanvas = () =>
  sim.createOrder({
    lineItems: [
      { sku: "PRINT-LUSTRE-A4", quantity: 1 },
      { sku: "CANVAS-60x90-WRAP", quantity: 1 },
    ],
    payment: "paid",
  });

describe("reading an order", () => {
  it("reads a three-line order in one request", async () => {
    const { orderId } = await orderWith(3);
    const before = await adminCalls();
    const snapshot = toOrderSnapshot(await readOrder(sim.gateway, orderId))!;
    expect(await adminCalls()).toBe(before + 1);
    expect(snapshot.lineItems).toHaveLength(3);
    expect(snapshot.fulfillmentOrders.flatMap((fo) => fo.lineItems)).toHaveLength(3);
  });

  it("reads an order with more lines than the first read holds again in full", async () => {
    const lines = FIRST_READ.lines + 4;
    const { orderId } = await orderWith(lines);
    const before = await adminCalls();
    const snapshot = toOrderSnapshot(await readOrder(sim.gateway, orderId))!;
    expect(await adminCalls()).toBe(before + 2);
    expect(snapshot.lineItems).toHaveLength(lines);
    expect(snapshot.fulfillmentOrders.flatMap((fo) => fo.lineItems)).toHaveLength(lines);
  });

  it("reads the router's lines on the fulfillment orders that carry them: the same order for 2 points and one per line fewer", async () => {
    const { orderId } = await orderWith(3);
    const read = async (linesOnFulfillmentOrders: boolean) => {
      const before = { calls: await adminCalls(), points: await pointsSpent() };
      const snapshot = toOrderSnapshot(
        await readOrder(sim.gateway, orderId, { linesOnFulfillmentOrders }),
      )!;
      return {
        snapshot,
        calls: (await adminCalls()) - before.calls,
        points: (await pointsSpent()) - before.points,
      };
    };
    const whole = await read(false);
    const routing = await read(true);
    expect(routing.calls).toBe(1);
    // The same lines, fields and fulfillment orders, in the order Shopify numbered the lines.
    expect(routing.snapshot).toEqual(whole.snapshot);
    expect(routing.snapshot.lineItems).toHaveLength(3);
    // The order's line connection (2) and each line's object (1) are no longer asked for.
    expect(whole.points - routing.points).toBe(2 + 3);
  });

  it("reads a router's order with more lines on a fulfillment order than its first read holds on from the lines' cursor: the missing lines only, never the whole order again", async () => {
    const lines = ROUTING_FIRST_READ.fulfillmentOrderLines + 1;
    // Prints only: every line on the Studio's one fulfillment order.
    const { orderId } = await sim.createOrder({
      lineItems: Array.from({ length: lines }, () => ({ sku: "PRINT-MATTE-A4", quantity: 1 })),
      payment: "paid",
    });
    const before = await operations();
    const snapshot = toOrderSnapshot(
      await readOrder(sim.gateway, orderId, { linesOnFulfillmentOrders: true }),
    )!;
    const after = await operations();
    const calls = (name: string) => (after[name]?.calls ?? 0) - (before[name]?.calls ?? 0);
    expect(calls("OrderRoutingSnapshot")).toBe(1);
    expect(calls("FulfillmentOrderLinesPage")).toBe(1);
    expect(calls("OrderSnapshot")).toBe(0);
    expect(snapshot.lineItems).toHaveLength(lines);
    expect(snapshot.fulfillmentOrders.flatMap((fo) => fo.lineItems)).toHaveLength(lines);
    // The same snapshot as the whole order's read, every line where Shopify has it.
    expect(snapshot).toEqual(toOrderSnapshot(await readOrder(sim.gateway, orderId)));
  });

  it("reads a router's order with more fulfillment orders than its first read asks for on from the answer's cursor: only the missing ones, for at most the 3 points of the order and the connection more than one read of them all", async () => {
    const { orderId } = await printAndCanvas();
    const read = async (shape: { lines: number; units: number }) => {
      const before = {
        calls: await adminCalls(),
        points: await pointsSpent(),
        requested: await pointsRequested(),
      };
      const data = await readOrder(sim.gateway, orderId, { linesOnFulfillmentOrders: true, shape });
      return {
        snapshot: toOrderSnapshot(data)!,
        calls: (await adminCalls()) - before.calls,
        points: (await pointsSpent()) - before.points,
        requested: (await pointsRequested()) - before.requested,
      };
    };
    const whole = await read({ lines: 2, units: 2 });
    expect(whole.calls).toBe(1);
    expect(whole.snapshot.fulfillmentOrders).toHaveLength(2);
    // Told one unit (as if edited since), the read asks for one fulfillment order: Shopify's
    // pageInfo says another follows, and it alone is read from the cursor.
    const paged = await read({ lines: 1, units: 1 });
    expect(paged.calls).toBe(2);
    expect(paged.snapshot).toEqual(whole.snapshot);
    // At most the order's object and the connection's 2 points more (the simulator caps a call's
    // actual cost at what it asked for, as Shopify's never exceeds it).
    expect(paged.points).toBeLessThanOrEqual(whole.points + 1 + 2);
    expect(paged.points).toBeGreaterThan(whole.points);
    // The two calls together ask the bucket for less than twice what the one read of both did.
    expect(paged.requested).toBeLessThan(2 * whole.requested);
  });

  it("answers a router's order gone between its first read and the next page of its fulfillment orders as no order, reading nothing further", async () => {
    // The first read told of one fulfillment order of the two: the second is on the next page.
    const { orderId } = await printAndCanvas();
    // Shopify answers that page without the order, as for one deleted meanwhile.
    const asked: string[] = [];
    const gateway = {
      shop: sim.gateway.shop,
      request<T, V extends Record<string, unknown>>(document: string, variables?: V) {
        asked.push(operationName(document));
        return operationName(document) === "OrderFulfillmentOrdersPage"
          ? Promise.resolve({ order: null } as T)
          : sim.gateway.request<T, V>(document, variables);
      },
    };
    const data = await readOrder(gateway, orderId, {
      linesOnFulfillmentOrders: true,
      shape: { lines: 1, units: 1 },
    });
    expect(data.order).toBeNull();
    expect(toOrderSnapshot(data)).toBeNull();
    expect(asked).toEqual(["OrderRoutingSnapshot", "OrderFulfillmentOrdersPage"]);
  });

  it("asks the bucket for room by the shape the order's webhook told, for the same snapshot; an order larger than told is read on until Shopify says it is whole", async () => {
    const { orderId } = await orderWith(3);
    const read = async (shape?: { lines: number; units: number }) => {
      const before = { calls: await adminCalls(), requested: await pointsRequested() };
      const data = await readOrder(sim.gateway, orderId, { linesOnFulfillmentOrders: true, shape });
      return {
        snapshot: toOrderSnapshot(data)!,
        calls: (await adminCalls()) - before.calls,
        requested: (await pointsRequested()) - before.requested,
      };
    };
    const unsized = await read();
    const sized = await read({ lines: 3, units: 3 });
    expect(sized.calls).toBe(1);
    expect(sized.snapshot).toEqual(unsized.snapshot);
    expect(sized.requested).toBeLessThan(unsized.requested);
    // The webhook told one line (the order was edited since): the answer says more follow, so
    // the rest is read on from its cursors, never decided on a part of it.
    const stale = await read({ lines: 1, units: 1 });
    expect(stale.calls).toBeGreaterThan(1);
    expect(stale.snapshot).toEqual(unsized.snapshot);
  });

  it("leaves out what the order still owes when its webhook said it was paid in full (2 points), and asks for it on an authorized order, whose capture it caps", async () => {
    const { orderId } = await orderWith(1);
    const read = async (id: string, shape: { lines: number; units: number; paid?: boolean }) => {
      const before = await pointsRequested();
      const data = await readOrder(sim.gateway, id, { linesOnFulfillmentOrders: true, shape });
      return { snapshot: toOrderSnapshot(data)!, requested: (await pointsRequested()) - before };
    };
    const told = await read(orderId, { lines: 1, units: 1 });
    const paid = await read(orderId, { lines: 1, units: 1, paid: true });
    expect(paid.requested).toBe(told.requested - 2);
    expect(paid.snapshot).toEqual(told.snapshot);
    // An authorized order's webhook does not say paid: the read caps its capture at what is owed.
    const authorized = await sim.createOrder({
      lineItems: [{ sku: SKUS[0]!, quantity: 1 }],
      payment: "authorized",
    });
    const capture = (await read(authorized.orderId, { lines: 1, units: 1, paid: false })).snapshot
      .order.capturableTransactions;
    expect(capture).toHaveLength(1);
  });

  it("waits for the room its own shape asks for: a one-line order read after a three-line one's is not held back for the larger room", async () => {
    const { accessToken } = await sim.control<{ accessToken: string }>("POST", "/_sim/tokens", {
      shop: sim.shop,
    });
    // The app's picture of the bucket on a clock of the test's: every wait is recorded, none slept.
    const budgets = new ShopBudgets();
    let at = 0;
    const waited: number[] = [];
    const gateway = createAdminGateway({
      shop: sim.shop,
      accessToken,
      adminOrigin: sim.url,
      budgets,
      now: () => at,
      sleep: async (ms) => {
        waited.push(ms);
        at += ms;
      },
    });
    const small = await orderWith(1);
    const large = await orderWith(3);
    const read = async (orderId: string, lines: number) => {
      const before = await pointsRequested();
      await readOrder(gateway, orderId, {
        linesOnFulfillmentOrders: true,
        shape: { lines, units: lines },
      });
      return (await pointsRequested()) - before;
    };
    const smallAsked = await read(small.orderId, 1);
    const largeAsked = await read(large.orderId, 3);
    expect(largeAsked - smallAsked).toBeGreaterThan(0);
    expect(largeAsked - smallAsked).toBeLessThanOrEqual(100);
    const bucketHolds = (points: number) =>
      budgets.observe(
        sim.shop,
        { maximumAvailable: 2000, currentlyAvailable: points, restoreRate: 100 },
        at,
      );
    // Room for the one-line read, not for the three-line one the operation asked for last.
    bucketHolds(smallAsked);
    waited.length = 0;
    expect(await read(small.orderId, 1)).toBe(smallAsked);
    expect(waited).toEqual([]);
    // The three-line read waits for the room it asks for, at 100 points a second.
    bucketHolds(smallAsked);
    expect(await read(large.orderId, 3)).toBe(largeAsked);
    expect(waited).toEqual([Math.ceil(((largeAsked - smallAsked) / 100) * 1000)]);
  });

  it("takes the shop's locations from the first answer of the read asking for them, even when that read fails after it (its catalogue), instead of each read then asking for them", async () => {
    const orders = [await orderWith(2), await orderWith(2), await orderWith(2)];
    forgetLocations(sim.shop);
    const before = await operations();
    const read = (orderId: string, catalogue?: () => Promise<never>) =>
      readOrder(sim.gateway, orderId, {
        reuseLocations: true,
        linesOnFulfillmentOrders: true,
        catalogue,
      });
    const [failed, ...others] = await Promise.allSettled([
      read(orders[0]!.orderId, () => Promise.reject(new Error("the catalogue is away"))),
      read(orders[1]!.orderId),
      read(orders[2]!.orderId),
    ]);
    expect(failed!.status).toBe("rejected");
    for (const other of others) {
      expect(other.status).toBe("fulfilled");
      const snapshot = toOrderSnapshot(
        (other as PromiseFulfilledResult<OrderSnapshotQuery>).value,
      )!;
      expect(snapshot.locations.length).toBeGreaterThan(0);
    }
    // One read of each order: none asked again for the locations.
    const after = await operations();
    expect(
      (after.OrderRoutingSnapshot?.calls ?? 0) - (before.OrderRoutingSnapshot?.calls ?? 0),
    ).toBe(3);
  });

  it("sends the reads of a shop waiting for room in the order they began to wait: a three-line order's read waiting first is not overtaken by one-line reads that fit sooner", async () => {
    const { accessToken } = await sim.control<{ accessToken: string }>("POST", "/_sim/tokens", {
      shop: sim.shop,
    });
    // The app's picture of the bucket on a clock of the test's running a hundred times as fast as
    // the machine's, so a wait for 100 points (a second) takes 10 ms.
    const budgets = new ShopBudgets();
    const start = Date.now();
    const now = () => (Date.now() - start) * 100;
    const sent: string[] = [];
    let waits = 0;
    const gateway = createAdminGateway({
      shop: sim.shop,
      accessToken,
      adminOrigin: sim.url,
      budgets,
      now,
      sleep: (ms) => {
        waits++;
        return new Promise((resolve) => setTimeout(resolve, ms / 100));
      },
      fetch: (input, init) => {
        sent.push((JSON.parse(String(init?.body)) as { variables: { id: string } }).variables.id);
        return fetch(input, init);
      },
    });
    const large = await orderWith(3);
    const small = [await orderWith(1), await orderWith(1)];
    const read = (orderId: string, lines: number) =>
      readOrder(gateway, orderId, {
        linesOnFulfillmentOrders: true,
        shape: { lines, units: lines },
      });
    // Each shape read once, so the gateway knows what each asks for.
    await read(large.orderId, 3);
    await read(small[0]!.orderId, 1);
    sent.length = 0;
    budgets.observe(
      sim.shop,
      { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 },
      now(),
    );
    const reads = [read(large.orderId, 3)];
    // The three-line read waits for its room; the one-line reads come while it waits.
    while (waits === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    reads.push(read(small[0]!.orderId, 1), read(small[1]!.orderId, 1));
    await Promise.all(reads);
    expect(sent).toEqual([large.orderId, small[0]!.orderId, small[1]!.orderId]);
  });

  it("reads the shop's locations once for the router's orders, and costs fewer points without them", async () => {
    forgetLocations(sim.shop);
    const first = await orderWith(3);
    const second = await orderWith(3);

    let before = await pointsSpent();
    const firstRead = await readOrder(sim.gateway, first.orderId, { reuseLocations: true });
    const withLocations = (await pointsSpent()) - before;

    before = await pointsSpent();
    const calls = await adminCalls();
    const secondRead = await readOrder(sim.gateway, second.orderId, { reuseLocations: true });
    const reused = (await pointsSpent()) - before;

    expect(await adminCalls()).toBe(calls + 1);
    expect(reused).toBeLessThan(withLocations);
    const snapshot = toOrderSnapshot(secondRead)!;
    expect(snapshot.locations).toEqual(toOrderSnapshot(firstRead)!.locations);
    expect(snapshot.locations.length).toBeGreaterThan(0);
    for (const fo of snapshot.fulfillmentOrders) {
      expect(snapshot.locations.map((l) => l.id)).toContain(fo.assignedLocation.locationId);
    }
  });

  it("asks for the shop's locations once when the router reads several of its orders at once: the others read without them and take them from that read's answer, the same snapshots for the points of one read of the locations", async () => {
    // Three orders of one shape, so whichever read asks for the locations costs the same.
    const orders = [await orderWith(2), await orderWith(2), await orderWith(2)];
    const readAll = async (atOnce: boolean) => {
      forgetLocations(sim.shop);
      const before = await pointsSpent();
      const read = (orderId: string) =>
        readOrder(sim.gateway, orderId, { reuseLocations: true, linesOnFulfillmentOrders: true });
      const data = atOnce
        ? await Promise.all(orders.map((o) => read(o.orderId)))
        : [
            await read(orders[0]!.orderId),
            await read(orders[1]!.orderId),
            await read(orders[2]!.orderId),
          ];
      return {
        snapshots: data.map((d) => toOrderSnapshot(d)),
        points: (await pointsSpent()) - before,
      };
    };
    const oneAfterAnother = await readAll(false);
    const atOnce = await readAll(true);
    expect(atOnce.snapshots).toEqual(oneAfterAnother.snapshots);
    expect(atOnce.snapshots[0]!.locations.length).toBeGreaterThan(0);
    // One read of the locations either way.
    expect(atOnce.points).toBe(oneAfterAnother.points);
  });

  it("takes each fulfillment order's service from the reused locations: the same snapshot for a point less per fulfillment order at a lab", async () => {
    forgetLocations(sim.shop);
    // A lab print and a Studio print: one fulfillment order at the Partner Lab, one at the Studio.
    const lines = [
      { sku: "LAB-METALLIC-30x45", quantity: 1 },
      { sku: "PRINT-MATTE-A4", quantity: 1 },
    ];
    const first = await sim.createOrder({ lineItems: lines, payment: "paid" });
    const second = await sim.createOrder({ lineItems: lines, payment: "paid" });
    const pointsOf = async (orderId: string, reuseLocations: boolean) => {
      const before = await pointsSpent();
      const data = await readOrder(sim.gateway, orderId, {
        reuseLocations,
        linesOnFulfillmentOrders: true,
      });
      return { data, points: (await pointsSpent()) - before };
    };
    // The first read of the shop asks for its locations, and for the services with them.
    const { data: firstRead } = await pointsOf(first.orderId, true);
    const asked = await pointsOf(second.orderId, false);
    const reused = await pointsOf(second.orderId, true);

    const snapshot = toOrderSnapshot(reused.data)!;
    expect(snapshot).toEqual(toOrderSnapshot(asked.data));
    const services = snapshot.fulfillmentOrders.map((fo) => fo.fulfillmentService?.handle ?? null);
    expect(services.filter(Boolean)).toHaveLength(1);
    expect(services).toContain(null);
    expect(
      toOrderSnapshot(firstRead)!.fulfillmentOrders.map((fo) => fo.fulfillmentService),
    ).toEqual(snapshot.fulfillmentOrders.map((fo) => fo.fulfillmentService));
    // Shopify charges the locations' connection 2, each location and each service of one 1, and
    // the service of each fulfillment order at a lab 1: the reused read asks for none of them.
    const locations = asked.data.locations!.nodes;
    const locationsCost =
      2 + locations.length + locations.filter((l) => l.fulfillmentService).length;
    expect(asked.points - reused.points).toBe(locationsCost + 1);
  });

  it("asks for the total and the shipping only when the rules in force look at them, for fewer points", async () => {
    const { orderId } = await orderWith(3);
    let before = await pointsSpent();
    const everything = toOrderSnapshot(await readOrder(sim.gateway, orderId))!;
    const full = (await pointsSpent()) - before;

    const none = orderReadNeeds([]);
    before = await pointsSpent();
    const trimmed = toOrderSnapshot(await readOrder(sim.gateway, orderId, { needs: none }))!;
    expect((await pointsSpent()) - before).toBeLessThan(full);
    expect(trimmed.order.totalPrice).toBeNull();
    expect(trimmed.order.shippingLines).toEqual([]);
    expect(trimmed.lineItems).toEqual(
      everything.lineItems.map((line) => ({
        ...line,
        productType: "",
        productTags: [],
        variantOptions: [],
      })),
    );
    expect(trimmed.fulfillmentOrders).toEqual(everything.fulfillmentOrders);

    const onTotal = orderReadNeeds([
      {
        id: "total",
        name: "Big orders",
        enabled: true,
        position: 0,
        match: "all",
        lines: "any",
        keepChecking: false,
        conditions: [{ field: "order_total", operator: "greater_than", value: 100 }],
        actions: [{ type: "hold", reason: "OTHER" }],
      },
    ]);
    const withTotal = toOrderSnapshot(await readOrder(sim.gateway, orderId, { needs: onTotal }))!;
    expect(withTotal.order.totalPrice).toEqual(everything.order.totalPrice);
    expect(everything.order.totalPrice).not.toBeNull();
  });

  it("asks for the lines' products and options only when the rules look at them: a point fewer for each product, variant and list of options", async () => {
    const { orderId } = await orderWith(3);
    const read = async (rules: Rule[]) => {
      const before = await pointsSpent();
      const snapshot = toOrderSnapshot(
        await readOrder(sim.gateway, orderId, { needs: orderReadNeeds(rules) }),
      )!;
      return { snapshot, points: (await pointsSpent()) - before };
    };
    const labHold: Rule = {
      id: "lab",
      name: "Lab work waits",
      enabled: true,
      position: 0,
      match: "all",
      lines: "any",
      keepChecking: false,
      conditions: [{ field: "fulfilment_service", operator: "exists", value: true }],
      actions: [{ type: "hold_for_review" }],
    };
    const bySplit: Rule = {
      ...labHold,
      id: "capability",
      conditions: [],
      actions: [{ type: "split", by: "capability" }],
    };
    const withCatalogue = await read([labHold, bySplit]);
    const without = await read([labHold]);
    const lines = withCatalogue.snapshot.lineItems;
    expect(lines.map((l) => l.productType).filter(Boolean)).toHaveLength(3);
    // Shopify counts each object it returns: the product, the variant and the selected options (a
    // list without first: one object, as it was requested).
    expect(withCatalogue.points - without.points).toBe(
      lines.reduce((sum, line) => sum + 2 + Math.min(1, line.variantOptions.length), 0),
    );
    expect(without.snapshot.lineItems.every((l) => l.variantOptions.length === 0)).toBe(true);
    expect(without.snapshot.fulfillmentOrders).toEqual(withCatalogue.snapshot.fulfillmentOrders);
  });

  it("reads the lines' stock only for rules that split by stock, in a call of its own per location: every other request the same as without", async () => {
    forgetLocations(sim.shop);
    const { orderId } = await printAndCanvas();
    const read = async (rules: Rule[]) => {
      const before = { operations: await operations(), requested: await pointsRequested() };
      const data = await readOrder(sim.gateway, orderId, {
        linesOnFulfillmentOrders: true,
        needs: orderReadNeeds(rules),
      });
      const after = await operations();
      const calls = Object.fromEntries(
        Object.entries(after)
          .map(([name, { calls }]) => [name, calls - (before.operations[name]?.calls ?? 0)])
          .filter(([, n]) => n !== 0),
      );
      return {
        snapshot: toOrderSnapshot(data)!,
        calls,
        requested: (await pointsRequested()) - before.requested,
      };
    };
    const rule = (by: "vendor" | "stock") => aRule({ actions: [{ type: "split", by }] });
    const without = await read([rule("vendor")]);
    const withStock = await read([rule("stock")]);
    // Two fulfillment orders at two locations (the Studio and the lab): one stock call each.
    expect(withStock.calls).toEqual({ ...without.calls, StockAtLocation: 2 });
    const stockCost = queryCost(adminSchema(), parse(STOCK_AT_LOCATION_QUERY), "StockAtLocation", {
      ids: ["gid://shopify/InventoryItem/1"],
      locationId: "gid://shopify/Location/1",
    });
    expect(withStock.requested - without.requested).toBe(2 * stockCost);
    const lines = (snapshot: typeof without.snapshot) =>
      snapshot.fulfillmentOrders.flatMap((fo) => fo.lineItems);
    expect(lines(without.snapshot).every((l) => !("inStockQuantity" in l))).toBe(true);
    // One of each at its location, the order's own unit counted as its own.
    expect(lines(withStock.snapshot).map((l) => l.inStockQuantity)).toEqual([1, 1]);
  });

  it("reads the locations again when the rules name one it has not seen", async () => {
    forgetLocations(sim.shop);
    const { orderId } = await orderWith(1);
    await readOrder(sim.gateway, orderId, { reuseLocations: true });
    const calls = await adminCalls();
    const data = await readOrder(sim.gateway, orderId, {
      reuseLocations: true,
      locationIds: ["gid://shopify/Location/999999"],
    });
    // One read without the locations finds the rules' location unknown, one more reads them.
    expect(await adminCalls()).toBe(calls + 2);
    expect(data.locations?.nodes.length).toBeGreaterThan(0);
  });

  it("reads the locations again once they are older than the router reuses them", async () => {
    forgetLocations(sim.shop);
    const { orderId } = await orderWith(1);
    const start = Date.now();
    await readOrder(sim.gateway, orderId, { reuseLocations: true, now: () => start });
    let before = await pointsSpent();
    await readOrder(sim.gateway, orderId, { reuseLocations: true, now: () => start + 1_000 });
    const reused = (await pointsSpent()) - before;
    before = await pointsSpent();
    const later = () => start + LOCATIONS_REUSED_MS + 1;
    const data = await readOrder(sim.gateway, orderId, { reuseLocations: true, now: later });
    expect((await pointsSpent()) - before).toBeGreaterThan(reused);
    expect(data.locations?.nodes.length).toBeGreaterThan(0);
  });
});
