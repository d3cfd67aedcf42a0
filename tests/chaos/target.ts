// Where the fault run's app runs: one web process on a SQLite file with one worker process (the
// default set-up), or PostgreSQL + pg-boss with two web processes behind a round-robin front and
// two worker processes (the scale-out set-up), each the build production runs (run.ts builds it).
// Both answer the run's questions about the app's database and its queue in the same words, and
// kill a worker (a random one of two) on demand.
import { createClient, type Client } from "@libsql/client";
import pg from "pg";
import { createDb, type Db } from "../../app/db/client.server";
import { migrate } from "../../app/db/migrate.server";
import { startApp, type AppProcess } from "../bench/support/app-process";
import { WORKER_BUILD } from "../bench/support/build";
import { startPostgres, type PostgresCluster } from "../support/postgres";
import {
  startRoundRobin,
  startWebProcessOnFreePort,
  startWorkerProcess,
  type AppChild,
  type RoundRobin,
} from "../support/processes";

export type Database = "sqlite" | "postgresql";

/** The route and refresh jobs (what an order's decision waits for) in the queue's own words. */
const ORDER_QUEUES = ["route-order", "refresh-order"];

export interface Target {
  database: Database;
  /** Where Shopify (the simulator) sends webhooks and the checks send requests. */
  appUrl: string;
  /** The app's database through Prisma. */
  db: Db;
  /** A count over the app's tables; `?` placeholders on either database. */
  count(sql: string, args?: (string | number)[]): Promise<number>;
  /** Order jobs queued, retrying or running that are due within `horizonMs`. */
  orderJobsDue(horizonMs: number): Promise<number>;
  /** Order jobs that failed at least once and wait for another attempt, whenever it is due. */
  orderJobsRetrying(): Promise<number>;
  /** Jobs of one queue still to run or running (not done, not given up). */
  jobsLeft(queue: string): Promise<number>;
  /** Order jobs not finished: queued, retrying, running or failed for good, each described. */
  orderJobsUnfinished(): Promise<UnfinishedJob[]>;
  /** SIGKILLs one worker process (a random one when there are several) and starts another. */
  killWorker(random: () => number): Promise<void>;
  /** The processes' last output, for a failure message. */
  output(): string;
  /**
   * The web processes that exited: the front (or the simulator) would otherwise go on sending to
   * their ports, and whatever listens there next answers for the app.
   */
  webProcessesGone(): string[];
  stop(): Promise<void>;
}

/** An order job the fault run found unfinished, with what a reader needs to find its cause. */
export interface UnfinishedJob {
  kind: string;
  shop: string | null;
  order: string | null;
  /** The queue's own word: queued, running, failed (embedded); created, retry, active, failed (pg-boss). */
  status: string;
  due: string;
  attempts: number;
  lastError: string | null;
}

/** The order a job is about, from its payload (route and refresh jobs name one or the fulfillment order). */
function orderOfPayload(payload: unknown): string | null {
  const p = (payload ?? {}) as { orderId?: unknown; fulfillmentOrderId?: unknown };
  if (typeof p.orderId === "string") return p.orderId;
  return typeof p.fulfillmentOrderId === "string" ? p.fulfillmentOrderId : null;
}

export interface TargetOptions {
  database: Database;
  env: Record<string, string>;
  /** Runs on the migrated database before the app starts (sessions, the merchant's set-up). */
  prepare: (databaseUrl: string) => Promise<void>;
}

/**
 * Brings up the app's processes, each on a port it takes as it starts (another process on this
 * machine can take a port found free before a server listens on it): the simulator, made first,
 * learns where to deliver from `appUrl` afterwards (`setAppUrl`).
 */
export function startTarget(options: TargetOptions): Promise<Target> {
  return options.database === "sqlite" ? startSqlite(options) : startPostgresTarget(options);
}

async function startSqlite(options: TargetOptions): Promise<Target> {
  const app: AppProcess = await startApp({
    server: "server",
    label: "chaos",
    env: options.env,
    prepare: options.prepare,
  });
  const workerEnv = {
    ...options.env,
    DATABASE_URL: app.databaseUrl,
    SHOPIFY_APP_URL: app.url,
  };
  let worker: AppChild = startWorkerProcess("worker", workerEnv, WORKER_BUILD);
  let earlierOutput = "";
  const client: Client = createClient({ url: app.databaseUrl });
  await client.execute("PRAGMA busy_timeout = 5000");
  const db = createDb(app.databaseUrl);
  const count = async (sql: string, args: (string | number)[] = []) => {
    const rows = await client.execute({ sql, args });
    return Number(rows.rows[0]?.[0] ?? 0);
  };
  return {
    database: "sqlite",
    appUrl: app.url,
    db,
    count,
    orderJobsDue: (horizonMs) =>
      db.job.count({
        where: {
          status: { in: ["queued", "running"] },
          queue: { in: ORDER_QUEUES },
          runAt: { lte: new Date(Date.now() + horizonMs) },
        },
      }),
    jobsLeft: (queue) => db.job.count({ where: { queue, status: { in: ["queued", "running"] } } }),
    orderJobsRetrying: () =>
      db.job.count({
        where: { status: "queued", queue: { in: ORDER_QUEUES }, attempts: { gt: 0 } },
      }),
    orderJobsUnfinished: async () =>
      (
        await db.job.findMany({
          where: { status: { in: ["queued", "running", "failed"] }, queue: { in: ORDER_QUEUES } },
          orderBy: { runAt: "asc" },
        })
      ).map((job) => ({
        kind: job.queue,
        shop: job.shop,
        order: orderOfPayload(JSON.parse(job.payload)),
        status: job.status,
        due: job.runAt.toISOString(),
        attempts: job.attempts,
        lastError: job.lastError,
      })),
    async killWorker() {
      await worker.kill();
      earlierOutput = (earlierOutput + worker.output()).slice(-40_000);
      worker = startWorkerProcess("worker", workerEnv, WORKER_BUILD);
    },
    webProcessesGone: () => (app.running() ? [] : ["app"]),
    output: () =>
      `--- worker\n${(earlierOutput + worker.output()).slice(-4000)}\n--- app\n${app.output().slice(-3000)}`,
    async stop() {
      client.close();
      await db.$disconnect();
      await worker.stop();
      await app.stop();
      app.cleanup();
    },
  };
}

async function startPostgresTarget(options: TargetOptions): Promise<Target> {
  const cluster: PostgresCluster | null = await startPostgres();
  if (!cluster) {
    throw new Error(
      "The fault run on PostgreSQL needs the PostgreSQL server binaries (Debian's postgresql package)",
    );
  }
  const webs: AppChild[] = [];
  const workers: AppChild[] = [];
  let earlierOutput = "";
  let client: pg.Client | undefined;
  let db: Db | undefined;
  let front: RoundRobin | undefined;
  const stopAll = async () => {
    await Promise.all([...workers, ...webs].map((c) => c.stop()));
    await client?.end().catch(() => {});
    await db?.$disconnect();
    await front?.close();
    await cluster.stop();
  };
  try {
    // The front holds its port from here on: the web processes' ports are taken as they start,
    // and the front takes them as they come.
    front = await startRoundRobin([]);
    await migrate(cluster.url);
    await options.prepare(cluster.url);
    db = createDb(cluster.url);
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    const env = { ...options.env, DATABASE_URL: cluster.url, SHOPIFY_APP_URL: front.url };
    for (let i = 0; i < 2; i++) {
      const web = await startWebProcessOnFreePort(`web ${i + 1}`, env);
      webs.push(web);
      front.add(web.url);
    }
    for (let i = 0; i < 2; i++)
      workers.push(startWorkerProcess(`worker ${i + 1}`, env, WORKER_BUILD));
    const sql = client;
    const count = async (text: string, args: (string | number)[] = []) => {
      let n = 0;
      const numbered = text.replace(/\?/g, () => `$${++n}`);
      const result = await sql.query(numbered, args);
      return Number(Object.values(result.rows[0] ?? {})[0] ?? 0);
    };
    // pg-boss's own table: created and retry are waiting, active is running. Queues are created
    // by the first worker, so the table may not be there yet.
    const pgboss = async (where: string, args: unknown[]) => {
      const exists = await sql.query(`SELECT to_regclass('pgboss.job') IS NOT NULL AS e`);
      if (!exists.rows[0]?.e) return 0;
      const result = await sql.query(
        `SELECT COUNT(*) AS n FROM pgboss.job WHERE name = ANY($1) AND ${where}`,
        [ORDER_QUEUES, ...args],
      );
      return Number(result.rows[0]?.n ?? 0);
    };
    let kills = 0;
    return {
      database: "postgresql",
      appUrl: front.url,
      db,
      count,
      orderJobsDue: (horizonMs) =>
        pgboss(`state IN ('created','retry','active') AND start_after <= $2`, [
          new Date(Date.now() + horizonMs),
        ]),
      orderJobsRetrying: () => pgboss(`state = 'retry'`, []),
      async jobsLeft(queue) {
        const exists = await sql.query(`SELECT to_regclass('pgboss.job') IS NOT NULL AS e`);
        if (!exists.rows[0]?.e) return 0;
        const result = await sql.query(
          `SELECT COUNT(*) AS n FROM pgboss.job WHERE name = $1 AND state IN ('created','retry','active')`,
          [queue],
        );
        return Number(result.rows[0]?.n ?? 0);
      },
      async orderJobsUnfinished() {
        const exists = await sql.query(`SELECT to_regclass('pgboss.job') IS NOT NULL AS e`);
        if (!exists.rows[0]?.e) return [];
        const result = await sql.query<{
          name: string;
          group_id: string | null;
          data: unknown;
          state: string;
          start_after: Date;
          retry_count: number;
          output: unknown;
        }>(
          `SELECT name, group_id, data, state, start_after, retry_count, output FROM pgboss.job
           WHERE name = ANY($1) AND state IN ('created','retry','active','failed')
           ORDER BY start_after`,
          [ORDER_QUEUES],
        );
        return result.rows.map((row) => ({
          kind: row.name,
          shop: row.group_id,
          order: orderOfPayload(row.data),
          status: row.state,
          due: new Date(row.start_after).toISOString(),
          // pg-boss counts retries; the first run is attempt 1.
          attempts: row.retry_count + (row.state === "created" ? 0 : 1),
          lastError:
            row.output && typeof row.output === "object" && "message" in row.output
              ? String((row.output as { message: unknown }).message)
              : row.output
                ? JSON.stringify(row.output)
                : null,
        }));
      },
      async killWorker(random) {
        const i = Math.floor(random() * workers.length);
        const victim = workers[i]!;
        await victim.kill();
        earlierOutput = (earlierOutput + `--- ${victim.name}\n${victim.output()}`).slice(-40_000);
        workers[i] = startWorkerProcess(`worker ${workers.length + ++kills}`, env, WORKER_BUILD);
      },
      webProcessesGone: () => webs.filter((web) => !web.running()).map((web) => web.name),
      output: () =>
        [
          earlierOutput.slice(-3000),
          ...[...workers, ...webs].map((c) => `--- ${c.name}\n${c.output().slice(-2000)}`),
        ].join("\n"),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
