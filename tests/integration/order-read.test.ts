// The order read against the shop simulator: sized for the orders most shops take, and read again
// in full when an answer fills a connection, so a large order is never decided on a part of it.
import { describe, expect, it } from "vitest";
import { FIRST_READ, readOrder, toOrderSnapshot } from "~/shopify/snapshot.server";
import { withShopSimulator } from "../support/integration";

const sim = withShopSimulator();

const adminCalls = async () =>
  (await sim.control<{ shops: Record<string, { calls: number }> }>("GET", "/_sim/stats")).shops[
    sim.shop
  ]?.calls ?? 0;

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
});
