// pg-boss's statements as named prepared statements (docs/decisions/056), on a throwaway PostgreSQL
// server with pg_stat_statements counting plans: the queue's fetch and insert are planned a few
// times a connection rather than on every call, its completion still for its values, and jobs
// still run, fail, retry, give up and complete; a statement's error is what it was unnamed, and
// texts that cannot or need not be prepared are sent as before.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  postgresUnavailableReason,
  startPostgres,
  type PostgresCluster,
} from "../../tests/support/postgres";
import { createPgBossQueue } from "./pgboss-queue.server";
import { PreparingClient, statementNames } from "./prepared-statements";

const missing = postgresUnavailableReason();
const skip = missing !== null && !process.env.CI;

describe("which statements are prepared", () => {
  it("names a statement by its text from its second call, the same name on every call after", () => {
    const nameOf = statementNames();
    const text = "SELECT $1::int AS a";
    expect(nameOf(text, [1])).toBeNull();
    const name = nameOf(text, [2]);
    expect(name).toMatch(/^fr_[0-9a-f]{32}$/);
    expect(nameOf(text, [3])).toBe(name);
    expect(statementNames()(text, [1])).toBeNull();
    nameOf(`${text} `, [1]);
    expect(nameOf(`${text} `, [1])).not.toBe(name);
  });

  it("leaves text that may hold several commands, no planned one or a list parameter unnamed", () => {
    const nameOf = statementNames();
    const twice = (text: string, values?: unknown[]) => (
      nameOf(text, values),
      nameOf(text, values)
    );
    // pg-boss's fetch when it leaves no shop out: its queue and batch size are in its text.
    expect(twice("WITH next AS (SELECT 1) SELECT * FROM next LIMIT 3")).not.toBeNull();
    expect(twice("SELECT 1", [])).not.toBeNull();
    // A list parameter: a generic plan would not know its length (pg-boss's completion).
    expect(twice("UPDATE job SET state = 'completed' WHERE id = ANY($1::uuid[])", [[]])).toBeNull();
    expect(twice("SELECT 1 WHERE $1 <> ALL($2::text[])", ["a", []])).not.toBeNull();
    for (const text of [
      "BEGIN; SELECT pg_advisory_xact_lock(1); COMMIT",
      "SELECT 1 AS a; SELECT 2 AS b",
      "SELECT 1;",
      "BEGIN",
      "CREATE TABLE t (id int)",
      "LISTEN jobs",
    ])
      expect(twice(text)).toBeNull();
  });

  it("sends texts past the bound unnamed, as before", () => {
    const nameOf = statementNames(3);
    const texts = [0, 1, 2, 3, 4].map((i) => `SELECT $1::int + ${i}`);
    for (const t of texts) nameOf(t, [1]);
    expect(texts.map((t) => nameOf(t, [1]) !== null)).toEqual([true, true, true, false, false]);
  });
});

describe.skipIf(skip)("pg-boss's statements prepared, on PostgreSQL", () => {
  let cluster: PostgresCluster | null = null;
  let n = 0;

  beforeAll(async () => {
    cluster = await startPostgres({ statementStats: true, statementPlanning: true });
    if (!cluster) throw new Error(`PostgreSQL is required in CI: ${missing}`);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  async function freshDatabase() {
    const url = await cluster!.createDatabase(`prepared_${++n}`);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    return { url, admin };
  }

  it("errors as the unnamed statement did, on a connection that goes on working", async () => {
    const { url, admin } = await freshDatabase();
    const pool = new pg.Pool({
      connectionString: url,
      max: 1,
      Client: PreparingClient,
    } as pg.PoolConfig);
    try {
      const errorOf = (p: Promise<unknown>) =>
        p.then(
          () => null,
          (error: { code?: string; message?: string }) => ({
            code: error.code,
            message: error.message,
          }),
        );
      const bad = "SELECT 1 / $1::int AS x -- division";
      const unnamed = await errorOf(admin.query(bad, [0]));
      expect(unnamed).toEqual({ code: "22012", message: "division by zero" });
      expect(await errorOf(pool.query(bad, [0]))).toEqual(unnamed);
      expect((await pool.query<{ x: number }>(bad, [2])).rows).toEqual([{ x: 0 }]);
      // Once prepared, the same error again.
      expect(await errorOf(pool.query(bad, [0]))).toEqual(unnamed);
      const syntax = "SELEC $1::int";
      expect(await errorOf(pool.query(syntax, [1]))).toEqual(
        await errorOf(admin.query(syntax, [1])),
      );
      // Several commands without parameters go as one simple query, as before.
      const results = (await pool.query(
        "SELECT 1 AS a; SELECT 2 AS b",
      )) as unknown as pg.QueryResult[];
      expect(results.map((r) => r.rows)).toEqual([[{ a: 1 }], [{ b: 2 }]]);
      // The syntax error closed the connection (as before: the pool drops a connection whose
      // statement failed); a new one prepares the statement again.
      expect((await pool.query<{ x: number }>(bad, [1])).rows).toEqual([{ x: 1 }]);
      const mine = "SELECT statement FROM pg_prepared_statements WHERE $1";
      await pool.query(mine, [true]);
      const { rows: prepared } = await pool.query<{ statement: string }>(mine, [true]);
      expect(prepared.map((p) => p.statement).sort()).toEqual([bad, mine].sort());
    } finally {
      await pool.end();
      await admin.end();
    }
  });

  it("plans pg-boss's fetch and insert a few times a connection, and runs, retries, fails and completes jobs", async () => {
    const { url, admin } = await freshDatabase();
    const q = createPgBossQueue(url, { superviseIntervalSeconds: 1, maxConnections: 2 });
    try {
      await q.ready();
      await admin.query("SELECT pg_stat_statements_reset()");
      const shop = "a.myshopify.com";
      const ran: string[] = [];
      const failedOnce = new Set<string>();
      q.work(
        "prepared",
        async (job) => {
          const { name } = job.payload as { name: string };
          ran.push(`${name}#${job.attempts}`);
          // Fails its first attempt, then completes.
          if (name.startsWith("flaky") && !failedOnce.has(name)) {
            failedOnce.add(name);
            throw new Error(`flaky ${name}`);
          }
          if (name === "doomed") throw new Error("doomed for good");
        },
        { concurrency: 2, perShop: 2 },
      );
      const jobs = Array.from({ length: 30 }, (_, i) => `job${i}`);
      for (const name of [...jobs, "flaky1", "flaky2"])
        await q.enqueue("prepared", { name }, { shop });
      await q.enqueue("prepared", { name: "doomed" }, { shop, maxAttempts: 2 });
      await vi.waitFor(
        async () => {
          expect(ran).toEqual(expect.arrayContaining(["flaky1#2", "flaky2#2", "doomed#2"]));
          expect((await q.health(shop, new Date())).queued).toBe(0);
          expect((await q.health(shop, new Date())).running).toBe(0);
        },
        { timeout: 25_000, interval: 100 },
      );
      for (const name of jobs) expect(ran).toContain(`${name}#1`);
      expect(ran.filter((r) => r.startsWith("job"))).toHaveLength(jobs.length);
      expect(await q.health(shop, new Date())).toMatchObject({ failed: 1, queued: 0 });
      const gave = await q.gaveUp("prepared", shop, 10);
      expect(gave).toEqual([
        expect.objectContaining({ payload: { name: "doomed" }, lastError: "doomed for good" }),
      ]);

      const { rows } = await admin.query<{ query: string; calls: number; plans: number }>(
        `SELECT query, calls::int, plans::int FROM pg_stat_statements
          WHERE query LIKE '%pgboss%' AND calls > 0`,
      );
      const of = (pattern: RegExp) => {
        const found = rows.filter((r) => pattern.test(r.query.replace(/\s+/g, " ")));
        return {
          calls: found.reduce((s, r) => s + r.calls, 0),
          plans: found.reduce((s, r) => s + r.plans, 0),
        };
      };
      const fetch = of(/FOR UPDATE OF j SKIP LOCKED/);
      const complete = of(/SET completed_on = pgboss\.job_now\(\), state = \$\d+, output = \$3/);
      const insert = of(/INSERT INTO pgboss\.job_common \( id, name, data,/);
      expect(fetch.calls).toBeGreaterThanOrEqual(15);
      expect(complete.calls).toBeGreaterThanOrEqual(15);
      expect(insert.calls).toBeGreaterThanOrEqual(30);
      // Unnamed, each call was planned. Prepared: the first call unnamed, then per connection
      // (two here) custom plans for the first five calls with parameters and one generic plan kept.
      for (const s of [fetch, insert]) expect(s.plans).toBeLessThan(s.calls / 2);
      // The completion looks its jobs up in a list parameter: planned for its values every time.
      expect(complete.plans).toBe(complete.calls);
    } finally {
      await q.stop();
      await admin.end();
    }
  });
});
