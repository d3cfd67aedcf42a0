// A shop's paid orders are decided in the order Shopify sent their webhooks (X-Shopify-Triggered-At),
// not the order the webhooks arrived in, on the database and queue under test (SQLite with the
// embedded queue, or PostgreSQL + pg-boss): signed orders/paid deliveries through the intake, the
// worker as production starts it, the shop simulator as Shopify (docs/decisions/038).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { startWorker, WORKER_SLOTS, type WorkerHandle } from "~/fulfilment/worker.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import type { AdminGateway } from "~/shopify/gateway.server";
import { forgetLocations } from "~/shopify/snapshot.server";
import { forgetInstalled } from "~/webhooks/installed.server";
import { deliverPaid } from "../support/orders-paid";
import { withWorkerSuite } from "../support/worker-suite";

// No settings row: the shop is installed by its offline session alone.
const { sim } = withWorkerSuite({ simulator: { webhooks: false }, shop: null });
const MINUTE = 60_000;

let worker: WorkerHandle | undefined;
let queue: JobQueue | undefined;
/** Shopify's answers held back by the test, all let go before the worker stops. */
let release: (() => void) | undefined;
beforeEach(() => {
  forgetInstalled();
  forgetLocations(sim.shop);
});
afterEach(async () => {
  release?.();
  await worker?.stop();
  await queue?.stop();
  worker = undefined;
  queue = undefined;
});

/**
 * Shopify's side of the wire, with the answers about some orders held back until the test lets
 * them go (a shop whose calls wait for room in its bucket), and the order in which the worker
 * first asked about each order: the order its route jobs started in.
 */
function heldShopify(gateway: AdminGateway) {
  const orders = new Set<string>();
  const held = new Map<string, { wait: Promise<void>; go: () => void }>();
  const started: string[] = [];
  const wrapped: AdminGateway = {
    shop: gateway.shop,
    async request<TData, TVariables extends Record<string, unknown>>(
      document: string,
      variables?: TVariables,
    ) {
      const text = JSON.stringify(variables ?? {});
      const orderId = [...orders].find((id) => text.includes(`"${id}"`));
      if (orderId && !started.includes(orderId)) started.push(orderId);
      const hold = orderId ? held.get(orderId) : undefined;
      if (hold) await hold.wait;
      return gateway.request<TData, TVariables>(document, variables);
    },
  };
  return {
    gateway: wrapped,
    started,
    know: (orderId: string) => void orders.add(orderId),
    hold(orderId: string) {
      let go = () => {};
      const wait = new Promise<void>((resolve) => (go = resolve));
      held.set(orderId, { wait, go });
    },
    letGo(orderId: string) {
      held.get(orderId)?.go();
      held.delete(orderId);
    },
    letAllGo() {
      for (const orderId of [...held.keys()]) this.letGo(orderId);
    },
  };
}

describe("a shop's orders in line", () => {
  it("starts orders whose webhooks came late, while the shop's slots were full, in the order Shopify sent them", async () => {
    const shopify = heldShopify(sim.gateway);
    release = () => shopify.letAllGo();
    queue = createJobQueue(db, process.env.DATABASE_URL!);
    worker = startWorker(
      { db, queue, gatewayFor: async () => shopify.gateway, now: () => new Date() },
      { reconcileEveryMs: 60 * MINUTE, pushSweepEveryMs: 60 * MINUTE },
    );
    const slots = WORKER_SLOTS.routeOrder.perShop;
    const orders: string[] = [];
    for (let i = 0; i < slots + 6; i++) {
      const { orderId } = await sim.createOrder({
        lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }],
        payment: "paid",
      });
      shopify.know(orderId);
      orders.push(orderId);
    }
    const t0 = Date.now() - MINUTE;
    const at = (seconds: number) => new Date(t0 + seconds * 1000);
    // The first `slots` orders, paid at 10 s and after, take every slot of the shop and wait there.
    const running = orders.slice(0, slots);
    for (const [i, orderId] of running.entries()) {
      shopify.hold(orderId);
      await deliverPaid(sim.shop, orderId, at(10 + i));
    }
    await vi.waitFor(() => expect(shopify.started).toHaveLength(slots), { timeout: 20_000 });
    // Then four orders paid later come, and only after them the two paid first of all (Shopify's
    // deliveries over its kept-open connections came late).
    const later = orders.slice(slots, slots + 4);
    const first = orders.slice(slots + 4);
    for (const [i, orderId] of later.entries()) await deliverPaid(sim.shop, orderId, at(30 + i));
    await deliverPaid(sim.shop, first[1]!, at(2));
    await deliverPaid(sim.shop, first[0]!, at(1));
    await vi.waitFor(
      async () =>
        expect(await db.webhookDelivery.count({ where: { status: "processed" } })).toBe(
          orders.length,
        ),
      { timeout: 20_000 },
    );
    // One slot frees; the others stay taken, so the waiting orders start one after another.
    shopify.letGo(shopify.started[0]!);
    await vi.waitFor(() => expect(shopify.started).toHaveLength(orders.length), {
      timeout: 30_000,
    });
    expect(shopify.started.slice(slots)).toEqual([...first, ...later]);
    shopify.letAllGo();
    await vi.waitFor(
      async () =>
        expect(await db.decision.count({ where: { status: "applied" } })).toBe(orders.length),
      { timeout: 30_000 },
    );
  });
});
