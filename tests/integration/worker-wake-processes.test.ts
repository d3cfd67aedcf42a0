// On PostgreSQL a worker process is woken by what other processes store instead of finding it by
// polling (docs/decisions/035): a signed orders/paid stored by a web process (here, this test
// process, which runs no worker) is taken by a separate worker process whose polls are set to ten
// minutes, so only the notification can explain it; a notification lost with the worker's
// listening connection is made up when it listens again; and a failed job's retry is taken when
// due, though nothing announces it; and a merchant's command in the web process is pushed by the
// worker process, whose push sweep's safety pass is ten minutes away too.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import db from "~/db.server";
import { runCommand } from "~/fulfilment/commands.server";
import { routeOrderKey } from "~/fulfilment/queues";
import { createPgBossQueue, jobIdForKey } from "~/jobs/pgboss-queue.server";
import { addPushEndpoint } from "~/services/push.server";
import { startEmbeddedWorker } from "~/worker.server";
import { intakeWebhook } from "~/webhooks/intake.server";
import { forgetInstalled } from "~/webhooks/installed.server";
import { installShop } from "../support/install";
import { emptyTables } from "../support/integration";
import { startWorkerProcess, type AppChild } from "../support/processes";
import { startShopSimulator } from "../support/shop-simulator";
import { signedDelivery } from "../support/webhooks";

// This process is the web process of a multi-process set-up (its worker runs elsewhere), from
// before any module reads the environment.
vi.hoisted(() => {
  process.env.WORKER = "off";
});

const url = process.env.DATABASE_URL ?? "";
const onPostgres = url.startsWith("postgres");
const shop = "wake-processes.myshopify.com";
const TEN_MINUTES = 10 * 60_000;
/** Far below the polls: a test gives up long before a poll could have found the work. */
const BOUND_MS = 30_000;

let worker: AppChild | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

/** The worker process with every poll at ten minutes; resolves once it listens for wake-ups. */
async function startSlowPollWorker(): Promise<AppChild> {
  const child = startWorkerProcess(
    "slow-poll worker",
    {
      DATABASE_URL: url,
      SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY!,
      SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET!,
      SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL!,
      POLL_MS: String(TEN_MINUTES),
      // The merchant's system below is on this machine: pushes may go inside the network.
      PUSH_ALLOW_PRIVATE_ADDRESSES: "true",
    },
    "tests/support/slow-poll-worker.ts",
  );
  await vi.waitFor(async () => expect(await wakeSessions()).toHaveLength(1), {
    timeout: 60_000,
    interval: 200,
  });
  // Its first inbox pass and queue fetches are behind it: from here on only a wake-up finds work.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return child;
}

/** The backends of worker processes listening for wake-ups. */
async function wakeSessions(): Promise<number[]> {
  const rows = await db.$queryRawUnsafe<{ pid: number }[]>(
    `SELECT pid FROM pg_stat_activity
      WHERE application_name = 'fulfilment-router-wake' AND datname = current_database()`,
  );
  return rows.map((r) => r.pid);
}

/** A signed orders/paid as Shopify sends it, through the web process's intake. */
async function orderPaid(n: number): Promise<string> {
  const orderId = `gid://shopify/Order/${n}`;
  const response = await intakeWebhook(
    signedDelivery({
      topic: "orders/paid",
      shop,
      body: { id: n, admin_graphql_api_id: orderId, line_items: [{ quantity: 1 }] },
    }),
  );
  expect(response.status).toBe(200);
  return orderId;
}

/** The order's route job has started in the worker (it fails there: no Shopify in this test). */
async function routeJobStarted(orderId: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const rows = await db.$queryRawUnsafe<{ started_on: Date | null }[]>(
        `SELECT started_on FROM pgboss.job WHERE id = $1::uuid`,
        jobIdForKey(routeOrderKey(shop, orderId)),
      );
      expect(rows[0]?.started_on).toBeTruthy();
    },
    { timeout: BOUND_MS, interval: 200 },
  );
  const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { subjectId: orderId } });
  expect(delivery.status).toBe("processed");
}

describe.skipIf(!onPostgres)("a worker process woken by other processes", () => {
  beforeAll(async () => {
    await emptyTables(db);
    forgetInstalled();
    await installShop(db, shop);
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it("takes an orders/paid a web process stored at once, though its inbox polls every ten minutes", async () => {
    worker = await startSlowPollWorker();
    const orderId = await orderPaid(9101);
    await routeJobStarted(orderId);
  });

  it("makes up for a notification lost with its listening connection when it listens again", async () => {
    worker = await startSlowPollWorker();
    const [listening] = await wakeSessions();
    await db.$queryRawUnsafe(`SELECT pg_terminate_backend($1)`, listening);
    // The delivery is stored while no connection of the worker listens: its notification is lost.
    await vi.waitFor(async () => expect(await wakeSessions()).not.toContain(listening), {
      timeout: 10_000,
      interval: 20,
    });
    const orderId = await orderPaid(9102);
    await routeJobStarted(orderId);
    // And it listens again, on a new connection.
    expect(await wakeSessions()).toHaveLength(1);
    expect(await wakeSessions()).not.toContain(listening);
  });

  it("takes a failed job's next attempt when it comes due, though nothing announces it", async () => {
    const queue = createPgBossQueue(url);
    const attempts: number[] = [];
    queue.work(
      "wake-retry",
      async (job) => {
        attempts.push(job.attempts);
        if (job.attempts === 1) throw new Error("the first attempt fails");
      },
      { concurrency: 1, pollMs: TEN_MINUTES },
    );
    try {
      await queue.enqueue("wake-retry", { n: 1 }, { maxAttempts: 3 });
      // pg-boss's first backoff is one to two seconds; the queue's poll is ten minutes.
      await vi.waitFor(() => expect(attempts).toEqual([1, 2]), {
        timeout: BOUND_MS,
        interval: 100,
      });
    } finally {
      await queue.stop();
    }
  });

  it("pushes a decision a merchant's command recorded in the web process, though the worker's push sweep looks every ten minutes", async () => {
    const sim = await startShopSimulator();
    // The merchant's system, taking every push.
    const received: { event: string; order: { id: string } }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    // This process starts as a web process beside worker processes does (WORKER=off): it sweeps
    // nothing itself, and the queue it makes at start tells the workers what it records.
    startEmbeddedWorker();
    try {
      const { orderId } = await sim.createOrder({
        lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }],
        payment: "paid",
      });
      worker = await startSlowPollWorker();
      const { port } = receiver.address() as AddressInfo;
      const added = await addPushEndpoint(
        db,
        sim.shop,
        { url: `http://127.0.0.1:${port}/hooks`, events: "decisions" },
        new Date(),
        true,
        // On this machine, as the worker process is told it may push.
        true,
      );
      expect(added.ok).toBe(true);
      const result = await runCommand(
        { db, gateway: sim.gateway, now: () => new Date() },
        { shop: sim.shop, actor: "Merchant" },
        { action: "reroute", orderId },
      );
      expect(result.ok).toBe(true);
      await vi.waitFor(
        () =>
          expect(received).toContainEqual(
            expect.objectContaining({
              event: "decision",
              order: expect.objectContaining({ id: orderId }),
            }),
          ),
        { timeout: BOUND_MS, interval: 100 },
      );
    } finally {
      await globalThis.__fulfilmentRouterQueue?.stop();
      globalThis.__fulfilmentRouterQueue = undefined;
      await new Promise((resolve) => receiver.close(resolve));
      await sim.stop();
    }
  }, 120_000);
});
