// A worker process's database pool is sized for its slots (docs/decisions/031): on PostgreSQL,
// starting the worker lets Prisma's pool hold a connection for every job slot, inbox lane and push
// slot at once, so as many statements as that run side by side instead of waiting for one of
// node-postgres' default 10 connections. And each connection prepares a statement once: what the
// server itself lists as prepared on the connection.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import {
  createDb,
  DEFAULT_POOL_SIZE,
  poolSize,
  PREPARED_MAX_ARGS,
  setPoolSize,
  type Db,
} from "~/db/client.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import {
  startWorker,
  workerConnections,
  WORKER_SLOTS,
  type WorkerHandle,
} from "~/fulfilment/worker.server";
import { PUSH_SLOTS } from "~/fulfilment/push.server";

const url = process.env.DATABASE_URL ?? "";
const onPostgres = url.startsWith("postgres");

let db: Db | undefined;
let worker: WorkerHandle | undefined;
afterEach(async () => {
  await worker?.stop();
  await db?.$disconnect();
  worker = undefined;
  db = undefined;
});

describe.skipIf(!onPostgres)("a worker process's database connections", () => {
  it("follow its slots: every job slot, inbox lane and push slot can be in a statement at once", async () => {
    db = createDb(url);
    // A web process's pool until the worker starts.
    await db.shop.count();
    expect(await poolSize(db)).toBe(DEFAULT_POOL_SIZE);
    worker = startWorker({
      db,
      queue: createJobQueue(db, url, { maxConnections: workerConnections().queue }),
      gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
      now: () => new Date(),
    });
    const slots = [...Object.values(WORKER_SLOTS), PUSH_SLOTS].reduce(
      (sum, q) => sum + q.concurrency,
      0,
    );
    // The job slots, the inbox's 8 lanes, the push sweep and the timers.
    expect(workerConnections().prisma).toBe(slots + 8 + 2);
    expect(await poolSize(db)).toBe(workerConnections().prisma);

    // As many statements at once as the slots: each waits on a lock the test holds, so the
    // server sees them all at once only if each has a connection of its own.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(31, 31)");
      const client = db;
      // Prisma sends a query once it is awaited.
      const statements = Array.from(
        { length: slots },
        async () =>
          client.$queryRaw`SELECT pg_advisory_lock_shared(31, 31)::text AS locked, pg_advisory_unlock_shared(31, 31) AS unlocked`,
      );
      let waiting = 0;
      for (let i = 0; i < 100 && waiting < slots; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_lock_shared(31, 31)%'`,
        );
        waiting = rows[0]!.n;
      }
      expect(waiting).toBe(slots);
      await holder.query("SELECT pg_advisory_unlock(31, 31)");
      await Promise.all(statements);
    } finally {
      await holder.end();
    }
  });
});

describe.skipIf(!onPostgres)("Prisma's statements on PostgreSQL", () => {
  it("are prepared once per connection and then only bound, but for long IN lists", async () => {
    db = createDb(url);
    // One connection, so every statement below meets the same session's prepared statements.
    setPoolSize(db, 1);
    const shop = "prepared.myshopify.com";
    for (let i = 0; i < 3; i++) await db.shop.findUnique({ where: { shop } });
    const ids = Array.from({ length: PREPARED_MAX_ARGS + 1 }, (_, i) => `id-${i}`);
    await db.webhookDelivery.findMany({ where: { id: { in: ids } } });
    const prepared = await db.$queryRaw<{ name: string; statement: string }[]>`
      SELECT name, statement FROM pg_prepared_statements`;
    const shopReads = prepared.filter((p) => /FROM "public"\."Shop"/.test(p.statement));
    // The three reads of a shop: one statement, prepared once, its name from its text.
    expect(shopReads).toHaveLength(1);
    expect(shopReads[0]!.name).toMatch(/^fr_/);
    expect(prepared.some((p) => p.statement.includes('"public"."WebhookDelivery"'))).toBe(false);
  });
});
