// The inbox pass with several worker processes on PostgreSQL (docs/decisions/067): every worker is
// told of each delivery the web process stores, and one of them passes at a time, so a second
// worker process does not make the inbox read the waiting deliveries twice as often; and a worker
// that dies in the middle of its pass leaves nothing behind, though the others skipped meanwhile.
// This test process is the web process (signed webhooks through its intake); the workers are
// processes of their own whose polls are ten minutes away, so only what they were told, or their
// watch over the process passing, explains the work they take.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import db from "~/db.server";
import { INBOX_PASS_KEY } from "~/fulfilment/worker.server";
import { advisoryLockKeys } from "~/jobs/pgboss-queue.server";
import { intakeWebhook } from "~/webhooks/intake.server";
import { forgetInstalled } from "~/webhooks/installed.server";
import { installShop } from "../support/install";
import { emptyTables } from "../support/integration";
import { startWorkerProcess, type AppChild } from "../support/processes";
import { signedDelivery } from "../support/webhooks";

// This process is the web process of a multi-process set-up (its workers run elsewhere), from
// before any module reads the environment.
vi.hoisted(() => {
  process.env.WORKER = "off";
});

const url = process.env.DATABASE_URL ?? "";
const onPostgres = url.startsWith("postgres");
const shop = "one-pass.myshopify.com";
const TEN_MINUTES = 10 * 60_000;

const workers: AppChild[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
});

/** The worker processes' backends listening for wake-ups. */
async function listening(): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE application_name = 'fulfilment-router-wake' AND datname = current_database()`,
  );
  return rows[0]!.n;
}

/** Starts worker processes (polls ten minutes away) until `count` run and listen. */
async function workersRunning(count: number): Promise<void> {
  while (workers.length < count)
    workers.push(
      startWorkerProcess(
        `worker ${workers.length + 1}`,
        {
          DATABASE_URL: url,
          SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY!,
          SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET!,
          SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL!,
          POLL_MS: String(TEN_MINUTES),
        },
        "tests/support/slow-poll-worker.ts",
      ),
    );
  await vi.waitFor(async () => expect(await listening()).toBe(count), {
    timeout: 60_000,
    interval: 200,
  });
  // Their first passes are behind them.
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

/** The inbox pass's reads so far in this database, and the shared buffers they touched. */
async function inboxReads(): Promise<{ calls: number; buffers: number }> {
  const rows = await db.$queryRawUnsafe<{ calls: number; buffers: number }[]>(
    `SELECT coalesce(sum(calls), 0)::int AS calls,
            coalesce(sum(shared_blks_hit + shared_blks_read), 0)::int AS buffers
       FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query LIKE '%FROM "WebhookDelivery" w%GROUP BY w."shop"%'`,
  );
  return rows[0]!;
}

let order = 0;
/** A signed orders/paid of a new order, through the web process's intake. */
async function orderPaid(): Promise<void> {
  const n = 7_000 + ++order;
  const response = await intakeWebhook(
    signedDelivery({
      topic: "orders/paid",
      shop,
      body: { id: n, admin_graphql_api_id: `gid://shopify/Order/${n}` },
    }),
  );
  expect(response.status).toBe(200);
}

/** How many of the shop's deliveries are still waiting. */
async function waiting(): Promise<number> {
  return db.webhookDelivery.count({ where: { shop, status: "received" } });
}

/**
 * Orders paid as a shop's checkout sends them: bursts of a few, a little apart; resolves once
 * every delivery is handled and the workers are idle again. Answers the inbox reads it took.
 */
async function ordersPaid(): Promise<{ deliveries: number; reads: number; buffers: number }> {
  const before = await inboxReads();
  const bursts = 8;
  const each = 3;
  for (let burst = 0; burst < bursts; burst++) {
    await Promise.all(Array.from({ length: each }, orderPaid));
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await vi.waitFor(async () => expect(await waiting()).toBe(0), {
    timeout: 30_000,
    interval: 100,
  });
  // The passes after the last one that found work (each finds nothing), and any watch.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const after = await inboxReads();
  return {
    deliveries: bursts * each,
    reads: after.calls - before.calls,
    buffers: after.buffers - before.buffers,
  };
}

describe.skipIf(!onPostgres)("the inbox pass with several worker processes", () => {
  beforeAll(async () => {
    await emptyTables(db);
    forgetInstalled();
    await installShop(db, shop);
    // The test server loads pg_stat_statements (tests/setup/postgres-global.ts).
    await db.$executeRawUnsafe(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it("reads the waiting deliveries no more often with a second worker process", async () => {
    await workersRunning(1);
    const one = await ordersPaid();
    await workersRunning(2);
    const two = await ordersPaid();
    // Every delivery handled once: one processed row each, none left waiting, none retried.
    const rows = await db.webhookDelivery.findMany({ where: { shop } });
    expect(rows).toHaveLength(one.deliveries + two.deliveries);
    expect(rows.every((r) => r.status === "processed" && r.attempts === 0)).toBe(true);
    // What an operator's pg_stat_statements shows: the inbox's reads per delivery, one worker
    // process against two. Both workers passing on every wake-up read about twice as often.
    console.log(
      `inbox reads per delivery: one worker ${one.reads / one.deliveries} (${one.buffers} buffers), two ${two.reads / two.deliveries} (${two.buffers} buffers)`,
    );
    expect(one.reads).toBeGreaterThan(0);
    expect(two.reads / two.deliveries).toBeLessThanOrEqual((1.25 * one.reads) / one.deliveries);
  }, 180_000);

  it("takes what was stored while a worker passed, when that worker dies mid-pass", async () => {
    await workersRunning(2);
    // A worker in the middle of its pass, as the others see it: a session holding the pass's
    // lock. Deliveries stored meanwhile are that worker's to take; the others skip and watch it.
    const passing = new pg.Client({ connectionString: url });
    await passing.connect();
    const [space, id] = advisoryLockKeys(INBOX_PASS_KEY);
    await passing.query(`SELECT pg_advisory_lock($1, $2)`, [space, id]);
    const pid = (await passing.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!
      .pid;
    passing.on("error", () => undefined);
    const before = await waiting();
    for (let i = 0; i < 3; i++) await orderPaid();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Nobody else passed meanwhile: the workers left them to the one passing.
    expect(await waiting()).toBe(before + 3);
    // It dies without letting go (its backend ends, as a killed process's does).
    await db.$queryRawUnsafe(`SELECT pg_terminate_backend($1)`, pid);
    // The others take them well before their polls (ten minutes) or a lease (a minute).
    await vi.waitFor(async () => expect(await waiting()).toBe(0), {
      timeout: 5_000,
      interval: 100,
    });
    await passing.end().catch(() => undefined);
  }, 120_000);
});
