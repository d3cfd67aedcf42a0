// While one shop's flash sale keeps a worker's routing slots busy, another shop's order paid after
// the whole sale is routed at the next free slot, not after the sale's backlog, on the database and
// queue under test (SQLite with the embedded queue, or PostgreSQL + pg-boss): orders/paid as
// Shopify signs and sends it, through the intake, and the worker as production starts it
// (docs/decisions/063). Shopify's answers about each order are held until the test lets them go.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { startWorker, type WorkerHandle } from "~/fulfilment/worker.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import type { AdminGateway } from "~/shopify/gateway.server";
import { forgetInstalled } from "~/webhooks/installed.server";
import { deliverPaid } from "../support/orders-paid";
import { emptyTables } from "../support/integration";
import { installShop } from "../support/install";

const MINUTE = 60_000;
const SALE = "flash-sale.myshopify.com";
const REGULAR = "regular.myshopify.com";
const QUIET = "quiet.myshopify.com";

let worker: WorkerHandle | undefined;
let queue: JobQueue | undefined;
let release: () => void = () => {};
beforeEach(async () => {
  await emptyTables(db);
  forgetInstalled();
  for (const shop of [SALE, REGULAR, QUIET]) await installShop(db, shop);
});
afterEach(async () => {
  release();
  await worker?.stop();
  await queue?.stop();
  worker = undefined;
  queue = undefined;
});

/**
 * Shopify's side for every shop: a call about an order waits until the test lets that order go,
 * then fails (nothing is routed; the job waits out its retry). The orders in the order the worker
 * first asked about them: the order their route jobs took a slot in. Calls about no order (the
 * worker's reconciliation at its start) fail at once.
 */
function heldShopify() {
  const held = new Map<string, () => void>();
  const waits = new Map<string, Promise<void>>();
  const started: string[] = [];
  const gatewayFor = async (shop: string): Promise<AdminGateway> => ({
    shop,
    async request(_document: string, variables?: Record<string, unknown>): Promise<never> {
      const orderId = JSON.stringify(variables ?? {}).match(/gid:\/\/shopify\/Order\/\d+/)?.[0];
      if (!orderId) throw new Error("no such call in this test");
      if (!waits.has(orderId)) {
        started.push(orderId);
        waits.set(orderId, new Promise<void>((resolve) => held.set(orderId, resolve)));
      }
      await waits.get(orderId);
      throw new Error("let go by the test: nothing is routed");
    },
  });
  return {
    gatewayFor,
    started,
    letGo: (orderId: string) => held.get(orderId)?.(),
    letAllGo: () => {
      for (const go of held.values()) go();
      // Later calls are not held.
      for (const orderId of started) waits.set(orderId, Promise.resolve());
    },
  };
}

describe("a worker's routing slots in turn", () => {
  it("routes another shop's order at the next free slot while a flash sale's backlog waits", async () => {
    const shopify = heldShopify();
    release = () => shopify.letAllGo();
    const t0 = Date.now() - 10 * MINUTE;
    const at = (seconds: number) => new Date(t0 + seconds * 1000);
    // The flash sale: 12 orders paid in its first seconds, and one order of a regular shop.
    const sale = Array.from({ length: 12 }, (_, i) => `gid://shopify/Order/${7100 + i}`);
    for (const [i, orderId] of sale.entries()) await deliverPaid(SALE, orderId, at(i));
    const regular = "gid://shopify/Order/7200";
    await deliverPaid(REGULAR, regular, at(20));
    // A worker of 3 routing slots: the sale takes 2 of them (its cap), the regular shop's order
    // the third.
    queue = createJobQueue(db, process.env.DATABASE_URL!);
    worker = startWorker(
      { db, queue, gatewayFor: shopify.gatewayFor, now: () => new Date(), routingSlots: 3 },
      { reconcileEveryMs: 60 * MINUTE, pushSweepEveryMs: 60 * MINUTE },
    );
    await vi.waitFor(() => expect(shopify.started).toHaveLength(3), { timeout: 30_000 });
    expect([...shopify.started].sort()).toEqual([sale[0], sale[1], regular].sort());
    // A quiet shop's customer pays after the whole sale.
    const quiet = "gid://shopify/Order/7300";
    await deliverPaid(QUIET, quiet, at(60));
    await vi.waitFor(
      async () =>
        expect(await db.webhookDelivery.count({ where: { status: "processed" } })).toBe(14),
      { timeout: 30_000 },
    );
    // One of the sale's orders is done with Shopify: the freed slot routes the quiet shop's order,
    // not the sale's next one (paid earlier, and the sale under its cap again).
    shopify.letGo(sale[0]!);
    await vi.waitFor(() => expect(shopify.started).toHaveLength(4), { timeout: 30_000 });
    expect(shopify.started[3]).toBe(quiet);
    // The sale goes on: the next slot freed while no other shop waits is its.
    shopify.letGo(quiet);
    await vi.waitFor(() => expect(shopify.started).toHaveLength(5), { timeout: 30_000 });
    expect(shopify.started[4]).toBe(sale[2]);
  });
});
