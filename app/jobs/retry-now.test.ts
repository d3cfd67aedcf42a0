// Both queue adapters bring a shop's jobs forward that wait out a backoff after failing for a given
// reason (the shop's offline session missing, until sign-in stores it: ADR 049): a worker idle in
// another process runs them at once, in line and once each, and every other waiting job keeps
// its time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/setup/db";
import {
  postgresUnavailableReason,
  startPostgres,
  type PostgresCluster,
} from "../../tests/support/postgres";
import type { Db } from "../db/client.server";
import { createEmbeddedQueue } from "./embedded-queue.server";
import { createPgBossQueue, type PgBossQueue } from "./pgboss-queue.server";
import type { JobQueue } from "./queue";

const A = "a.myshopify.com";
const B = "b.myshopify.com";
const NO_SESSION = (shop: string) => `Could not find a session for shop ${shop} `;
const HOUR = 3600_000;

/**
 * The queue as the web process that signs the shop in has it, and as a worker has it: one queue on
 * SQLite (the worker inside the web process), two processes' on PostgreSQL.
 */
interface Store {
  web: JobQueue;
  worker: JobQueue;
  /**
   * A process that ran the jobs' failed attempts (a worker since restarted): the worker above has
   * no timer or retry poll of its own for them.
   */
  earlier: JobQueue;
  /** Once the worker idles, woken only when told (on PostgreSQL: it listens for other processes). */
  listening(): Promise<void>;
  /** Every failed job's next attempt an hour away, as a job's later backoffs put it (5 minutes at most). */
  backoffAnHour(): Promise<void>;
  /** Each job's name and whether it is still waiting for a time an hour or so away. */
  waiting(): Promise<Record<string, boolean>>;
}

interface Named {
  name: string;
}

/**
 * Shop a's three orders (enqueued out of line: a3, a1, a2), its timer for later, its job that
 * failed for another reason, and shop b's order, without a session: each that is due runs once
 * and fails, and every retry is put an hour away.
 */
async function jobsWaitingForASession(store: Store): Promise<void> {
  const t = Date.UTC(2026, 11, 6, 10, 0, 0);
  const job = (name: string, shop: string, at: number, runAt?: Date) =>
    store.web.enqueue(
      "route-order",
      { name },
      { shop, orderAt: new Date(at), ...(runAt ? { runAt } : {}) },
    );
  await job("a3", A, t + 3000);
  await job("a1", A, t + 1000);
  await job("a2", A, t + 2000);
  await job("a-timer", A, t, new Date(Date.now() + HOUR));
  await job("a-throttled", A, t + 500);
  await job("b1", B, t);
  await store.earlier.drain("route-order", async (job) => {
    const { name } = job.payload as Named;
    throw new Error(
      name === "a-throttled"
        ? "Shopify answered THROTTLED"
        : `${NO_SESSION(job.shop!)}when creating unauthenticated admin context`,
    );
  });
  await store.backoffAnHour();
  expect(await store.worker.drain("route-order", async () => {})).toBe(0);
}

function bringsForward(open: () => Promise<Store>) {
  it("runs a shop's jobs that failed for want of its session at once, in line and once each, and leaves every other job waiting", async () => {
    const store = await open();
    await jobsWaitingForASession(store);
    // The worker idles: only a wake-up (the other process's) can have it run the jobs soon.
    const ran: string[] = [];
    store.worker.work("route-order", async (job) => void ran.push((job.payload as Named).name), {
      concurrency: 1,
      pollMs: 10 * 60_000,
    });
    await store.listening();

    expect(await store.web.retryNow(A, [NO_SESSION(A)])).toBe(3);

    await expect.poll(() => ran.length, { timeout: 15_000 }).toBe(3);
    // In Shopify's order (ADR 038), though enqueued a3 first and due at the same moment.
    expect(ran).toEqual(["a1", "a2", "a3"]);
    expect(await store.waiting()).toEqual({
      "a-timer": true,
      "a-throttled": true,
      b1: true,
    });
    // Nothing more to bring forward; nothing ran twice.
    expect(await store.web.retryNow(A, [NO_SESSION(A)])).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toEqual(["a1", "a2", "a3"]);
  });

  it("leaves a job alone that gave up for good, and brings nothing forward for an error that only resembles the shop's", async () => {
    const store = await open();
    await store.web.enqueue("route-order", { name: "once" }, { shop: A, maxAttempts: 1 });
    await store.web.enqueue("route-order", { name: "other" }, { shop: A });
    await store.earlier.drain("route-order", async (job) => {
      throw new Error(
        (job.payload as Named).name === "once"
          ? `${NO_SESSION(A)}when creating unauthenticated admin context`
          : `${NO_SESSION(`x${A}`)}when creating unauthenticated admin context`,
      );
    });
    await store.backoffAnHour();
    expect(await store.web.retryNow(A, [NO_SESSION(A)])).toBe(0);
    expect(await store.worker.drain("route-order", async () => {})).toBe(0);
  });
}

describe("retryNow on the embedded queue", () => {
  let test: { db: Db; cleanup: () => Promise<void> } | undefined;
  const queues: JobQueue[] = [];
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
    await test?.cleanup();
    test = undefined;
  });

  bringsForward(async () => {
    test = await createTestDatabase();
    const { db } = test;
    const queue = createEmbeddedQueue(db, { onlyProcess: true });
    const earlier = createEmbeddedQueue(db);
    queues.push(queue, earlier);
    return {
      web: queue,
      worker: queue,
      earlier,
      // Its first look at the queue (at once) long done: only a wake-up brings it back soon.
      listening: () => new Promise((resolve) => setTimeout(resolve, 500)),
      async backoffAnHour() {
        await db.job.updateMany({
          where: { status: "queued", lastError: { not: null } },
          data: { runAt: new Date(Date.now() + HOUR) },
        });
      },
      async waiting() {
        const rows = await db.job.findMany({ where: { status: { not: "done" } } });
        return Object.fromEntries(
          rows.map((row) => [
            (JSON.parse(row.payload) as Named).name,
            row.status === "queued" && row.runAt.getTime() > Date.now() + HOUR / 2,
          ]),
        );
      },
    };
  });
});

const missing = postgresUnavailableReason();

describe.skipIf(missing !== null && !process.env.CI)("retryNow on the pg-boss queue", () => {
  let cluster: PostgresCluster | null = null;
  const queues: PgBossQueue[] = [];
  let n = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
    if (!cluster) throw new Error(`PostgreSQL is required in CI: ${missing}`);
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  bringsForward(async () => {
    const url = await cluster!.createDatabase(`retry_now_${++n}`);
    const web = createPgBossQueue(url, { superviseIntervalSeconds: 1 });
    const worker = createPgBossQueue(url, { superviseIntervalSeconds: 1, idlePollMs: 10 * 60_000 });
    const earlier = createPgBossQueue(url, { superviseIntervalSeconds: 1 });
    queues.push(web, worker, earlier);
    const sql = async (text: string) => (await (await web.boss()).getDb().executeSql(text)).rows;
    return {
      web,
      worker,
      earlier,
      async listening() {
        await expect
          .poll(
            async () =>
              (
                await sql(
                  `SELECT 1 FROM pg_stat_activity
                  WHERE application_name = 'fulfilment-router-wake' AND query LIKE 'LISTEN%'`,
                )
              ).length,
            { timeout: 20_000 },
          )
          .toBeGreaterThan(0);
      },
      async backoffAnHour() {
        await sql(
          `UPDATE pgboss.job SET start_after = now() + interval '1 hour' WHERE state = 'retry'`,
        );
      },
      async waiting() {
        const rows = (await sql(
          `SELECT data ->> 'name' AS name,
                  state IN ('created', 'retry') AND start_after > now() + interval '30 minutes'
                    AS later
             FROM pgboss.job WHERE name = 'route-order' AND state <> 'completed'`,
        )) as { name: string; later: boolean }[];
        return Object.fromEntries(rows.map((row) => [row.name, row.later]));
      },
    };
  });
});
