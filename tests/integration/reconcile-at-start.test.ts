// Reconciliation at every worker start: a worker restarted within the same 10-minute slot as an
// earlier run still looks for the paid orders whose webhooks never came, once per shop.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { QUEUES, startWorker, type WorkerHandle } from "~/fulfilment/worker.server";
import { installShop } from "../support/install";
import { emptyTables } from "../support/integration";

const shops = ["start-a.myshopify.com", "start-b.myshopify.com"];
const HOUR = 3600_000;

let worker: WorkerHandle | undefined;
beforeEach(async () => {
  await emptyTables(db);
  for (const shop of shops) await installShop(db, shop);
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

/** A worker whose only work is the reconciliation it starts with (each run fails: no Admin API). */
function start() {
  const queue = createEmbeddedQueue(db);
  return startWorker(
    {
      db,
      queue,
      gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
      // The same moment for both starts: the same 10-minute slot.
      now: () => new Date("2026-12-04T10:01:00Z"),
    },
    { inboxPollMs: HOUR, reconcileEveryMs: 10 * 60_000 },
  );
}

const reconcileJobs = () => db.job.findMany({ where: { queue: QUEUES.reconcile } });

describe("reconciliation at worker start", () => {
  it("runs again for every shop when a worker restarts within the same slot", async () => {
    worker = start();
    await vi.waitFor(async () => expect(await reconcileJobs()).toHaveLength(2), {
      timeout: 10_000,
    });
    await worker.stop();
    worker = start();
    await vi.waitFor(async () => expect(await reconcileJobs()).toHaveLength(4), {
      timeout: 10_000,
    });
    const perShop = (await reconcileJobs()).map((j) => j.shop).sort();
    expect(perShop).toEqual([shops[0], shops[0], shops[1], shops[1]]);
  });
});
