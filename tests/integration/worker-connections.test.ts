// A worker process's statements share a few database connections (docs/decisions/031, 070): on
// PostgreSQL, starting the worker gives Prisma's pool WORKER_DATABASE_CONNECTIONS (6 unless set),
// so however many of its 40 job slots send a statement at once, PostgreSQL runs at most that many
// and the rest wait their turn in the worker, where the machine's PostgreSQL spent more CPU on
// every statement the more connections sent at once. And each connection prepares a statement
// once: what the server itself lists as prepared on the connection.
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
  WORKER_DATABASE_CONNECTIONS,
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
  /**
   * Sends `count` statements at once through the client, each waiting on an advisory lock the
   * test holds, and answers how many PostgreSQL ran at once (all waiting on the lock) before the
   * test let go; then every one of them has finished.
   */
  async function statementsAtOnce(client: Db, count: number, expected: number): Promise<number> {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(31, 31)");
      // Prisma sends a query once it is awaited.
      const statements = Array.from(
        { length: count },
        async () =>
          client.$queryRaw`SELECT pg_advisory_lock_shared(31, 31)::text AS locked, pg_advisory_unlock_shared(31, 31) AS unlocked`,
      );
      const waitingNow = async () => {
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_lock_shared(31, 31)%'`,
        );
        return rows[0]!.n;
      };
      let waiting = 0;
      for (let i = 0; i < 100 && waiting < expected; i++) {
        await new Promise((r) => setTimeout(r, 100));
        waiting = await waitingNow();
      }
      // A moment more: a pool that let more through would show them now.
      await new Promise((r) => setTimeout(r, 300));
      waiting = await waitingNow();
      await holder.query("SELECT pg_advisory_unlock(31, 31)");
      const answers = await Promise.all(statements);
      expect(answers).toHaveLength(count);
      return waiting;
    } finally {
      await holder.end();
    }
  }

  it("are shared by its slots: PostgreSQL runs at most 6 of its statements at once, the rest wait their turn in the worker", async () => {
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
    expect(await poolSize(db)).toBe(WORKER_DATABASE_CONNECTIONS);
    // As many statements at once as the worker has job slots (40): PostgreSQL runs 6 of them at
    // once, and every one of them is answered once the lock is let go.
    expect(await statementsAtOnce(db, slots, WORKER_DATABASE_CONNECTIONS)).toBe(6);
  });

  it("are as many as the operator gives it (WORKER_DATABASE_CONNECTIONS)", async () => {
    db = createDb(url);
    worker = startWorker({
      db,
      queue: createJobQueue(db, url, { maxConnections: workerConnections().queue }),
      gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
      now: () => new Date(),
      databaseConnections: 9,
    });
    expect(await statementsAtOnce(db, 20, 9)).toBe(9);
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
