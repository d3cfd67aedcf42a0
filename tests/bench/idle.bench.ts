// idle_worker_postgresql and idle_worker_sqlite: what a worker costs while no shop sends anything,
// the hosting bill of every merchant whose orders come now and then. On PostgreSQL two worker
// processes (`npm run worker`) share one throwaway server with nothing to do (no shop installed:
// an installed shop's reconciliation at each worker start would call Shopify): the statements
// PostgreSQL ran in a window (pg_stat_statements, every process's, this one's reads of it left
// out), the workers' CPU and PostgreSQL's, each per worker and second. On SQLite the worker as
// WORKER=embedded runs it, inside the one process that also takes the webhooks (here this
// process, nothing else in it running): the statements it sent through its database driver and
// this process's CPU. Each run logs the statements sent most, so a new poll shows by name.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPostgres } from "../support/postgres";
import { startWorkerProcess, type AppChild } from "../support/processes";
import { defineBench, repeat, sized } from "./support/bench";
import { ensureBuild, WORKER_BUILD } from "./support/build";
import { postgresCpuSeconds, processCpuSeconds } from "./support/fleet";

const WORKERS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

/** The statements most sent, as a log line: calls per second and the statement's start. */
function mostSent(statements: { query: string; calls: number }[], seconds: number): string {
  const byStart = new Map<string, number>();
  for (const s of statements) {
    const start = s.query.replace(/\s+/g, " ").slice(0, 100);
    byStart.set(start, (byStart.get(start) ?? 0) + s.calls);
  }
  return [...byStart]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([start, calls]) => `${round(calls / seconds, 2)}/s ${start}`)
    .join(" | ");
}

/** Two idle worker processes on PostgreSQL + pg-boss, per worker and second. */
async function idleOnPostgres(seconds: number, log: (line: string) => void) {
  const { createDb } = await import("../../app/db/client.server");
  const { migrate } = await import("../../app/db/migrate.server");
  const cluster = await startPostgres({ statementStats: true, durable: true });
  if (!cluster) throw new Error("PostgreSQL (the Debian package) is needed for this benchmark");
  const workers: AppChild[] = [];
  const db = createDb(cluster.url);
  try {
    await migrate(cluster.url);
    await db.$executeRawUnsafe("CREATE EXTENSION pg_stat_statements");
    // The built worker on plain Node, as `npm run worker` runs it in production (ADR 053).
    ensureBuild(log);
    for (let i = 1; i <= WORKERS; i++)
      workers.push(
        startWorkerProcess(
          `worker ${i}`,
          {
            DATABASE_URL: cluster.url,
            SHOPIFY_API_KEY: "idle-api-key",
            SHOPIFY_API_SECRET: "idle-api-secret",
            SHOPIFY_APP_URL: "http://127.0.0.1:9",
            SHOPIFY_ADMIN_ORIGIN: "http://127.0.0.1:9",
          },
          WORKER_BUILD,
        ),
      );
    const deadline = Date.now() + 120_000;
    while (!workers.every((w) => w.output().includes("Worker started."))) {
      if (Date.now() > deadline)
        throw new Error(`the workers did not start:\n${workers.map((w) => w.output()).join("\n")}`);
      await sleep(200);
    }
    // Past start-up: pg-boss's schema and queues made, the first reconciliation's look at shops.
    await sleep(15_000);
    const statements = async () => {
      const rows = await db.$queryRawUnsafe<{ query: string; calls: number }[]>(
        `SELECT query, sum(calls)::int AS calls FROM pg_stat_statements
          WHERE query NOT ILIKE '%pg_stat_statements%' GROUP BY query`,
      );
      await db.$executeRawUnsafe("SELECT pg_stat_statements_reset()");
      return rows;
    };
    const port = new URL(cluster.url).port;
    const cpu = () => ({
      workers: workers.reduce((sum, w) => sum + processCpuSeconds(w.pid), 0),
      postgresql: postgresCpuSeconds(port),
    });
    await statements();
    const before = cpu();
    const started = Date.now();
    await sleep(seconds * 1000);
    const after = cpu();
    const sent = await statements();
    const s = (Date.now() - started) / 1000;
    const calls = sent.reduce((sum, row) => sum + row.calls, 0);
    log(`PostgreSQL, ${WORKERS} idle workers, ${round(s)} s: most sent ${mostSent(sent, s)}`);
    return {
      statements_per_s: round(calls / s / WORKERS),
      cpu_ms_per_s: round(((after.workers - before.workers) * 1000) / s / WORKERS),
      postgresql_cpu_ms_per_s: round(((after.postgresql - before.postgresql) * 1000) / s / WORKERS),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await db.$disconnect();
    await cluster.stop();
  }
}

/** The worker of a WORKER=embedded process on SQLite, idle, per second. */
async function idleOnSqlite(seconds: number, log: (line: string) => void) {
  const { createDb, driverAdapter } = await import("../../app/db/client.server");
  const { migrate } = await import("../../app/db/migrate.server");
  const { createJobQueue } = await import("../../app/jobs/job-queue.server");
  const { startWorker } = await import("../../app/fulfilment/worker.server");
  const dir = mkdtempSync(join(tmpdir(), "fulfilment-router-idle-"));
  const url = `file:${join(dir, "idle.db")}`;
  await migrate(url);
  const db = createDb(url);
  // Every statement Prisma sends goes through the driver adapter: counted there, by its start.
  const adapter = await driverAdapter(db);
  const sent = new Map<string, number>();
  const count = (sql: string) => {
    const start = sql.replace(/\s+/g, " ").slice(0, 100);
    sent.set(start, (sent.get(start) ?? 0) + 1);
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.queryRaw = (query) => (count(query.sql), queryRaw(query));
  adapter.executeRaw = (query) => (count(query.sql), executeRaw(query));
  const worker = startWorker({
    db,
    queue: createJobQueue(db, url, { onlyProcess: true }),
    gatewayFor: () => Promise.reject(new Error("no Admin API while idle")),
    now: () => new Date(),
  });
  try {
    await sleep(5_000);
    sent.clear();
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    await sleep(seconds * 1000);
    const cpu = process.cpuUsage(cpuBefore);
    const s = (Date.now() - started) / 1000;
    const calls = [...sent.values()].reduce((sum, n) => sum + n, 0);
    log(
      `SQLite, the embedded worker idle, ${round(s)} s: most sent ${mostSent(
        [...sent].map(([query, n]) => ({ query, calls: n })),
        s,
      )}`,
    );
    return {
      statements_per_s: round(calls / s),
      cpu_ms_per_s: round((cpu.user + cpu.system) / 1000 / s),
    };
  } finally {
    await worker.stop();
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench = defineBench({
  name: "idle",
  figures: [
    {
      name: "idle_worker_postgresql",
      description:
        "Two worker processes with nothing to do on PostgreSQL + pg-boss: statements PostgreSQL ran (pg_stat_statements), the workers' CPU and PostgreSQL's, each per worker and second",
      targets: [{ path: "statements_per_s", atMost: 5 }],
    },
    {
      name: "idle_worker_sqlite",
      description:
        "The worker inside the one SQLite process (WORKER=embedded) with nothing to do: statements sent and the process's CPU per second",
      targets: [{ path: "statements_per_s", atMost: 5 }],
    },
  ],
  run: (context) =>
    repeat(context, async () => {
      const seconds = sized(context, "seconds", 30, 10);
      return {
        idle_worker_postgresql: await idleOnPostgres(seconds, context.log),
        idle_worker_sqlite: await idleOnSqlite(seconds, context.log),
      };
    }),
});
