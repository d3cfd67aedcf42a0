// The worker in the web process takes a stored delivery, and the queue a job enqueued in the same
// process, at once, and a retry or a job for later when it comes due: their polls (here a minute,
// so a test cannot pass by polling) only find work that another process stored.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { QUEUES, startWorker, type WorkerHandle } from "~/fulfilment/worker.server";
import { intakeWebhook } from "~/webhooks/intake.server";
import { forgetInstalled } from "~/webhooks/installed.server";
import { installShop } from "../support/install";
import { signedDelivery } from "../support/webhooks";
import { emptyTables } from "../support/integration";

const shop = "wake-test.myshopify.com";
const MINUTE = 60_000;

let worker: WorkerHandle | undefined;
beforeEach(async () => {
  await emptyTables(db);
  forgetInstalled();
  await installShop(db, shop);
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

describe("waking the worker", () => {
  it("turns an orders/paid delivery into a route-order job as soon as it is stored", async () => {
    const queue = createEmbeddedQueue(db);
    worker = startWorker(
      {
        db,
        queue,
        gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
        now: () => new Date(),
      },
      { inboxPollMs: MINUTE, reconcileEveryMs: 60 * MINUTE },
    );
    // Let the first (empty) poll pass: from here on only a wake-up can find the delivery.
    await vi.waitFor(async () => expect(await db.webhookDelivery.count()).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const orderId = "gid://shopify/Order/8801";
    const response = await intakeWebhook(
      signedDelivery({
        topic: "orders/paid",
        shop,
        body: { id: 8801, admin_graphql_api_id: orderId, line_items: [] },
      }),
    );
    expect(response.status).toBe(200);
    await vi.waitFor(
      async () => {
        const job = await db.job.findFirst({ where: { queue: QUEUES.routeOrder } });
        expect(job && JSON.parse(job.payload)).toMatchObject({ shop, orderId });
      },
      { timeout: 10_000 },
    );
    const delivery = await db.webhookDelivery.findFirstOrThrow();
    expect(delivery.status).toBe("processed");
  });

  it("runs a job enqueued in this process without waiting for the queue's poll", async () => {
    const queue = createEmbeddedQueue(db);
    const seen: unknown[] = [];
    queue.work("wake", async (job) => void seen.push(job.payload), { pollMs: MINUTE });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await queue.enqueue("wake", { n: 1 });
    await vi.waitFor(() => expect(seen).toEqual([{ n: 1 }]), { timeout: 10_000 });
    // A finished job frees its slot and the next one is taken at once too.
    await queue.enqueue("wake", { n: 2 });
    await vi.waitFor(() => expect(seen).toEqual([{ n: 1 }, { n: 2 }]), { timeout: 10_000 });
    await queue.stop();
  });

  it("takes a failed job's next attempt when its backoff ends, not at the queue's poll", async () => {
    const queue = createEmbeddedQueue(db);
    const attempts: number[] = [];
    queue.work(
      "wake-retry",
      async (job) => {
        attempts.push(job.attempts);
        if (job.attempts === 1) throw new Error("the first attempt fails");
      },
      { pollMs: MINUTE },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await queue.enqueue("wake-retry", { n: 1 }, { maxAttempts: 3 });
    // The first backoff is a second; the poll a minute.
    await vi.waitFor(() => expect(attempts).toEqual([1, 2]), { timeout: 10_000 });
    await queue.stop();
  });

  it("runs a job enqueued for later when it is due, not at the queue's poll", async () => {
    const queue = createEmbeddedQueue(db);
    const seen: unknown[] = [];
    queue.work("wake-later", async (job) => void seen.push(job.payload), { pollMs: MINUTE });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await queue.enqueue("wake-later", { n: 1 }, { runAt: new Date(Date.now() + 1000) });
    await vi.waitFor(() => expect(seen).toEqual([{ n: 1 }]), { timeout: 10_000 });
    await queue.stop();
  });
});
