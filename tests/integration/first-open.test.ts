// Orders paid before the merchant first opens the app wait for the shop's offline session: their
// route jobs fail without it and wait out a backoff. Once sign-in has stored the session (afterAuth's
// work, afterSignIn), they run at once instead of when their backoff ends (ADR 049), on the database
// and queue under test (SQLite with the embedded queue, PostgreSQL + pg-boss): signed orders/paid
// deliveries through the intake, the worker as the web process runs it with the process's queue,
// its gateway loading the shop's session as in production, the shop simulator as Shopify.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startShopSimulator } from "../support/shop-simulator";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator();
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "embedded";
const { default: db } = await import("~/db.server");
const { startWorker } = await import("~/fulfilment/worker.server");
const { forgetGateway, gatewayForJobs } = await import("~/gateways.server");
const { jobQueue } = await import("~/process-queue.server");
const { afterSignIn } = await import("~/shopify.server");
const { forgetInstalled } = await import("~/webhooks/installed.server");
const { noSessionErrors } = await import("~/fulfilment/session-wait");
const { installShop } = await import("../support/install");
const { emptyTables } = await import("../support/integration");
const { deliverPaid } = await import("../support/orders-paid");

const postgres = process.env.DATABASE_URL!.startsWith("postgres");
const MINUTE = 60_000;

let worker: { stop(): Promise<void> } | undefined;
beforeEach(async () => {
  await sim.reset();
  await emptyTables(db);
  forgetInstalled();
  forgetGateway(sim.shop);
  // The shop's settings row without an offline session: the demo's seed before the first open.
  await db.shop.create({ data: { shop: sim.shop } });
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});
afterAll(async () => {
  await jobQueue().stop();
  await sim.stop();
});

/** The shop's route jobs: waiting for a retry, and the error of their last attempt. */
async function routeJobs(): Promise<{ retrying: boolean; error: string | null }[]> {
  if (postgres)
    return db.$queryRawUnsafe(
      `SELECT state = 'retry' AS retrying, output ->> 'message' AS error
         FROM pgboss.job WHERE name = 'route-order' AND group_id = $1`,
      sim.shop,
    );
  const rows = await db.job.findMany({ where: { queue: "route-order", shop: sim.shop } });
  return rows.map((row) => ({
    retrying: row.status === "queued" && row.attempts > 0,
    error: row.lastError,
  }));
}

/** Every waiting retry an hour away, where later attempts' backoffs put it (5 minutes at most). */
async function backoffAnHour() {
  const later = new Date(Date.now() + 60 * MINUTE);
  if (postgres)
    await db.$executeRawUnsafe(
      `UPDATE pgboss.job SET start_after = $1 WHERE state = 'retry' AND group_id = $2`,
      later,
      sim.shop,
    );
  else
    await db.job.updateMany({
      where: { shop: sim.shop, status: "queued", attempts: { gt: 0 } },
      data: { runAt: later },
    });
}

describe("orders paid before the first open", () => {
  it("are routed once sign-in stored the shop's session, without waiting out their backoff", async () => {
    worker = startWorker(
      { db, queue: jobQueue(), gatewayFor: gatewayForJobs, now: () => new Date() },
      { reconcileEveryMs: 60 * MINUTE, pushSweepEveryMs: 60 * MINUTE },
    );
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { orderId } = await sim.createOrder({
        lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }],
        payment: "paid",
      });
      orders.push(orderId);
      await deliverPaid(sim.shop, orderId, new Date(Date.now() - MINUTE + i * 1000));
    }
    // GIVEN each order's route job failed for want of the session, as the queue recorded it, and
    // waits for a retry far off
    const [missing] = noSessionErrors(sim.shop);
    await vi.waitFor(
      async () => {
        const jobs = await routeJobs();
        expect(jobs).toHaveLength(orders.length);
        for (const job of jobs) {
          expect(job.retrying).toBe(true);
          expect(job.error).toContain(missing!);
        }
      },
      { timeout: 20_000, interval: 100 },
    );
    await backoffAnHour();

    // WHEN the merchant opens the app: token exchange stores the offline session, then afterAuth
    const { accessToken } = await sim.control<{ accessToken: string }>("POST", "/_sim/tokens", {
      shop: sim.shop,
    });
    await installShop(db, sim.shop, accessToken);
    await afterSignIn(sim.shop);

    // THEN every order is decided by its own route job (the webhook's, not reconciliation's: they
    // were paid too recently for it) long before its retry was due
    await vi.waitFor(
      async () =>
        expect(
          await db.decision.count({
            where: { shop: sim.shop, orderId: { in: orders }, trigger: "webhook" },
          }),
        ).toBe(orders.length),
      { timeout: 20_000, interval: 100 },
    );
    expect((await routeJobs()).filter((job) => job.retrying)).toEqual([]);
  });
});
