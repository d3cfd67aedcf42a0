// A worker started with WORKER_ROUTING_SLOTS=N routes at most N orders at once, whatever the
// backlog, on the database and queue under test (SQLite with the embedded queue, or PostgreSQL +
// pg-boss): the operator who lowers it to fit a worker's cores gets exactly that (ADR 062). Each
// route job is held where it starts, at its gateway, until the test lets them all go.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { QUEUES, routeOrderKey, startWorker, type WorkerHandle } from "~/fulfilment/worker.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import type { AdminGateway } from "~/shopify/gateway.server";
import { emptyTables } from "../support/integration";

const MINUTE = 60_000;
const SHOPS = ["slots-a", "slots-b", "slots-c", "slots-d"].map((s) => `${s}.myshopify.com`);

let worker: WorkerHandle | undefined;
let queue: JobQueue | undefined;
let letGo: () => void = () => {};
beforeEach(async () => {
  await emptyTables(db);
});
afterEach(async () => {
  letGo();
  await worker?.stop();
  await queue?.stop();
  worker = undefined;
  queue = undefined;
});

/**
 * Starts a worker whose route jobs each wait at their gateway until the test lets them go (then
 * fail: nothing is routed), and counts them: how many wait now, and the most that ever did. No
 * shop has an offline session, so the worker's start reconciles none and only route jobs ask.
 */
function heldWorker(routingSlots?: number) {
  let waiting = 0;
  let most = 0;
  let started = 0;
  const go = new Promise<void>((resolve) => (letGo = resolve));
  queue = createJobQueue(db, process.env.DATABASE_URL!);
  worker = startWorker(
    {
      db,
      queue,
      gatewayFor: async (): Promise<AdminGateway> => {
        started++;
        most = Math.max(most, ++waiting);
        await go;
        waiting--;
        throw new Error("let go by the test: nothing is routed");
      },
      now: () => new Date(),
      routingSlots,
    },
    { inboxPollMs: MINUTE, reconcileEveryMs: 60 * MINUTE, pushSweepEveryMs: 60 * MINUTE },
  );
  return { waiting: () => waiting, most: () => most, started: () => started };
}

/** Three paid orders of each of four shops waiting to be routed: a backlog across shops. */
async function backlog(): Promise<number> {
  let n = 0;
  for (let round = 0; round < 3; round++)
    for (const shop of SHOPS) {
      const orderId = `gid://shopify/Order/${9100 + ++n}`;
      await queue!.enqueue(
        QUEUES.routeOrder,
        { shop, orderId, trigger: "webhook" },
        { key: routeOrderKey(shop, orderId), shop },
      );
    }
  return n;
}

describe("a worker's routing slots", () => {
  it("route at most WORKER_ROUTING_SLOTS orders at once, the rest waiting for a slot", async () => {
    const held = heldWorker(3);
    await backlog();
    await vi.waitFor(() => expect(held.waiting()).toBe(3), { timeout: 20_000 });
    // Long enough for the queue to look again several times (a finished fetch, a wake-up, a poll):
    // no fourth order starts while the three hold their slots.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(held.started()).toBe(3);
    expect(held.most()).toBe(3);
  });

  it("route the same backlog all at once with the default 16 slots", async () => {
    const held = heldWorker();
    const orders = await backlog();
    // 12 orders of 4 shops: within the 16 slots and each shop's 6.
    await vi.waitFor(() => expect(held.waiting()).toBe(orders), { timeout: 20_000 });
  });
});
