// A worker's routing slots as an operator sets them: the per-shop cap follows, so a small worker
// still leaves most of its slots to other shops' orders while one shop has a flash sale.
import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTING_SLOTS, routeOrderSlots } from "./routing-slots";
import { WORKER_SLOTS, workerConnections } from "./worker.server";

describe("routeOrderSlots", () => {
  it("keeps the default worker's 16 slots, 6 for one shop, when the operator sets none", () => {
    expect(DEFAULT_ROUTING_SLOTS).toBe(16);
    expect(routeOrderSlots()).toEqual({ concurrency: 16, perShop: 6 });
    expect(WORKER_SLOTS.routeOrder).toEqual({ concurrency: 16, perShop: 6 });
  });

  it("gives one shop 3 in 8 of a smaller worker's slots, at least one", () => {
    expect(routeOrderSlots(8)).toEqual({ concurrency: 8, perShop: 3 });
    expect(routeOrderSlots(6)).toEqual({ concurrency: 6, perShop: 3 });
    expect(routeOrderSlots(2)).toEqual({ concurrency: 2, perShop: 1 });
    expect(routeOrderSlots(1)).toEqual({ concurrency: 1, perShop: 1 });
  });

  it("never gives one shop more than 6 of a bigger worker's: its bucket paces it", () => {
    expect(routeOrderSlots(32)).toEqual({ concurrency: 32, perShop: 6 });
    expect(routeOrderSlots(64)).toEqual({ concurrency: 64, perShop: 6 });
  });

  it("sizes pg-boss's pool to the worker's routing slots, and leaves its statements' shared connections alone", () => {
    const standard = workerConnections();
    expect(workerConnections(16)).toEqual(standard);
    // Ten slots fewer: fewer of pg-boss's connections (one per four slots)…
    expect(workerConnections(6).queue).toBeLessThan(standard.queue);
    // …and the same six for Prisma's statements (ADR 070), unless the operator gives another.
    expect(workerConnections(6).prisma).toBe(6);
    expect(workerConnections(6, 10).prisma).toBe(10);
  });
});
