// The production set-up for the PostgreSQL benchmarks: a throwaway PostgreSQL server, the simulator
// with any number of shops, one web process (the built app) taking Shopify's webhooks and any number
// of worker processes (`npm run worker`: the built worker) sharing the pg-boss queue. Everything it
// starts it stops.
import { readdirSync, readFileSync } from "node:fs";
import { createDb, type Db } from "../../../app/db/client.server";
import { routeOrderKey } from "../../../app/fulfilment/queues";
import { jobIdForKey } from "../../../app/jobs/pgboss-queue.server";
import { percentile, runningAtOnce } from "./stats";
import { postgresActivity, postgresCpuByKind, type PostgresActivity } from "./postgres-activity";
import { migrate } from "../../../app/db/migrate.server";
import { seedDemoConfig } from "../../../scripts/demo-config";
import { HttpPoster } from "../../../simulator/src/http-post";
import { createSimulator } from "../../../simulator/src/server";
import type { AdminCallTrace } from "../../../simulator/src/stats";
import { startPostgres, type PostgresCluster } from "../../support/postgres";
import { ensureBuild, WORKER_BUILD } from "./build";
import {
  APP_NOT_STARTED,
  startWebProcessOnFreePort,
  startWorkerProcess,
  type AppChild,
} from "../../support/processes";

/** One statement's totals in pg_stat_statements (Fleet.statements). */
export interface StatementStat {
  query: string;
  calls: number;
  ms: number;
  planMs: number;
  rows: number;
  blocks: number;
}

export interface Fleet {
  db: Db;
  /** The PostgreSQL database the processes share. */
  databaseUrl: string;
  simUrl: string;
  shops: string[];
  /** Starts worker processes until `count` run. */
  workers(count: number): void;
  /**
   * A paid order of one print on `shop` (or of `sku`); resolves with its id and when Shopify took
   * it.
   */
  placeOrder(shop: string, sku?: string): Promise<{ orderId: string; paidAt: number }>;
  /** Waits until every order has its automatic decision finished; returns each one's finish time. */
  waitDecided(orderIds: string[], timeoutMs: number): Promise<Map<string, number>>;
  /** How many of these orders have their automatic decision finished now. */
  decidedCount(orderIds: string[]): Promise<number>;
  faults(faults: Record<string, unknown>): Promise<void>;
  /** The shop's Admin API calls as its bucket saw them (kept when started with traceCalls). */
  adminCalls(shop: string): AdminCallTrace[];
  /** Each worker process's output so far (its last 50,000 characters). */
  workerOutput(): string[];
  /**
   * Where the time of these orders went, as log lines: from paid to the first webhook stored, to
   * its route job stored, started, the decision made and applied (p50/p95 of each step), and how
   * many were decided by reconciliation rather than their webhook.
   */
  stages(orders: { orderId: string; paidAt: number }[]): Promise<string[]>;
  /**
   * CPU seconds used so far by each process this fleet started (web, workers) and by this one
   * (the simulator and the load it generates), and PostgreSQL's.
   */
  cpuSeconds(): Record<string, number>;
  /**
   * Seconds the same processes' threads have waited so far for a core while ready to run (Linux's
   * schedstat): how much of their time the machine's other work took.
   */
  waitSeconds(): Record<string, number>;
  /**
   * The statements PostgreSQL ran since the last call (pg_stat_statements; the fleet started with
   * statementStats), most run first: every process's, this one's few reads of progress included;
   * with the milliseconds PostgreSQL spent executing each, and planning each (0 unless the fleet
   * started with statementPlanning), the rows they answered and the shared buffers they touched
   * (hit or read): counts that do not move with the machine's load, as the times do.
   */
  statements(): Promise<StatementStat[]>;
  /** PostgreSQL's CPU seconds so far by kind of process (backends, background, ended children). */
  postgresCpuByKind(): Record<string, number>;
  /** PostgreSQL's table, WAL and checkpoint counters now (postgres-activity.ts). */
  postgresActivity(): Promise<PostgresActivity>;
  stop(): Promise<void>;
}

const FINISHED = ["applied", "needs_attention"];

/**
 * A process's stat fields after its command (Linux's /proc; times in clock ticks, 100 a second):
 * [1] is its parent, [11] and [12] its user and system time, [13] and [14] those of its children
 * that ended.
 */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** A process's user and system CPU seconds. */
export function processCpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / 100 : Number.NaN;
}

/** Seconds a process's threads waited for a core while ready to run, summed over its threads. */
function runQueueSeconds(pid: number | string): number {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[1]);
    }
    return ns / 1e9;
  } catch {
    return 0;
  }
}

/** The PostgreSQL server's processes listening on `port`: its postmaster and its children. */
function postgresPids(port: string): string[] {
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  const postmaster = pids.find((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      return args.some((a) => a.endsWith("postgres")) && args.includes(port) && args.includes("-p");
    } catch {
      return false;
    }
  });
  if (!postmaster) return [];
  return [postmaster, ...pids.filter((pid) => statFields(Number(pid))?.[1] === postmaster)];
}

/**
 * The CPU seconds of the PostgreSQL server listening on `port`: its postmaster, the backends that
 * ended (counted in the postmaster's children's time) and those still running.
 */
export function postgresCpuSeconds(port: string): number {
  const [postmaster, ...backends] = postgresPids(port);
  const main = postmaster ? statFields(Number(postmaster)) : null;
  if (!main) return Number.NaN;
  let ticks = Number(main[11]) + Number(main[12]) + Number(main[13]) + Number(main[14]);
  for (const pid of backends) {
    const f = statFields(Number(pid));
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / 100;
}

/** The prints a shop's orders take turns among (225 of each in stock), so a burst does not run out. */
export const BURST_SKUS = ["PRINT-MATTE-A4", "PRINT-LUSTRE-A4", "PRINT-MATTE-A3"];

/**
 * A paid order of one `sku` on `shop`, placed at the simulator as checkout does; its id. Over
 * node:http, not fetch: the load's CPU is taken from the workers measured (ADR 047).
 */
export async function postPaidOrder(
  poster: HttpPoster,
  simUrl: string,
  shop: string,
  sku: string,
): Promise<string> {
  const response = await poster.post(
    `${simUrl}/_sim/orders`,
    { "Content-Type": "application/json" },
    JSON.stringify({ shop, order: { lineItems: [{ sku, quantity: 1 }], payment: "paid" } }),
    // As long as fetch would wait for the answer's headers (undici's 300 s).
    300_000,
  );
  if (response.status < 200 || response.status >= 300)
    throw new Error(`The simulator refused an order: ${response.status} ${response.body}`);
  return (JSON.parse(response.body) as { orderId: string }).orderId;
}

export async function startFleet(options: {
  shops: number;
  plan?: string;
  log: (line: string) => void;
  /** Keep every Admin API call the simulator answers (fleet.adminCalls). */
  traceCalls?: boolean;
  /** Count the statements PostgreSQL runs (fleet.statements). */
  statementStats?: boolean;
  /** With statementStats, their planning time too (fleet.statements' planMs). */
  statementPlanning?: boolean;
  /** Added to each worker process's environment (NODE_OPTIONS=--cpu-prof to profile them). */
  workerEnv?: Record<string, string>;
  /** Added to the web process's environment, as workerEnv. */
  webEnv?: Record<string, string>;
}): Promise<Fleet> {
  // The web process runs the built app and the workers the built worker, as production does.
  ensureBuild(options.log);
  const cluster: PostgresCluster | null = await startPostgres({
    durable: true,
    statementStats: options.statementStats ?? false,
    statementPlanning: options.statementPlanning ?? false,
  });
  if (!cluster) throw new Error("PostgreSQL (the Debian package) is needed for this benchmark");
  const children: AppChild[] = [];
  let stopSim: (() => Promise<void>) | undefined;
  let db: Db | undefined;
  try {
    await migrate(cluster.url);
    db = createDb(cluster.url);
    if (options.statementStats) await db.$executeRawUnsafe("CREATE EXTENSION pg_stat_statements");
    const apiKey = "bench-api-key";
    const apiSecret = "bench-api-secret";
    const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(
      readFileSync("shopify.app.toml", "utf8"),
    )![1]!;
    // The web process takes its port as it starts, once the shops are made (silently): the
    // simulator learns its address then (setAppUrl).
    const sim = createSimulator({
      apiKey,
      apiSecret,
      appUrl: APP_NOT_STARTED,
      scopes,
      seed: "empty",
      timeScale: 0.001,
    });
    if (options.traceCalls) sim.stats.traceCalls();
    const started = await sim.start(0);
    stopSim = started.stop;
    const shops = Array.from({ length: options.shops }, (_, i) => `bench-${i + 1}.myshopify.com`);
    for (const shop of shops) {
      const seeded = sim.addShop(shop, (options.plan ?? "standard") as never, "demo");
      // The merchant sells on when stock runs out (Shopify's "Continue selling when out of
      // stock"), so a burst of thousands of orders is not refused half-way by the demo's stock.
      for (const variant of seeded.variants.values()) variant.inventoryPolicy = "CONTINUE";
      await db.session.create({
        data: {
          id: `offline_${shop}`,
          shop,
          state: "",
          isOnline: false,
          accessToken: sim.mintToken(shop),
          scope: scopes,
        },
      });
      const catalogue = (await (
        await fetch(`${started.url}/_sim/products?shop=${shop}`)
      ).json()) as {
        locations: { id: string; name: string; fulfillmentService: { handle: string } | null }[];
      };
      await seedDemoConfig(db, shop, catalogue.locations);
    }
    const shared = {
      DATABASE_URL: cluster.url,
      SHOPIFY_API_KEY: apiKey,
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_ADMIN_ORIGIN: started.url,
    };
    const web = await startWebProcessOnFreePort("web", (url) => ({
      ...shared,
      SHOPIFY_APP_URL: url,
      ...options.webEnv,
    }));
    children.push(web);
    sim.setAppUrl(web.url);
    const env = { ...shared, SHOPIFY_APP_URL: web.url };
    const workers: AppChild[] = [];
    const placed = new Map<string, number>();
    const orders = new HttpPoster();
    const shopOf = new Map<string, string>();
    const the = db;
    return {
      db: the,
      databaseUrl: cluster.url,
      simUrl: started.url,
      shops,
      workers(count) {
        while (workers.length < count) {
          const w = startWorkerProcess(
            `worker ${workers.length + 1}`,
            { ...env, ...options.workerEnv },
            WORKER_BUILD,
          );
          workers.push(w);
          children.push(w);
        }
      },
      async placeOrder(shop, chosen) {
        // The simulator reserves stock as checkout does: a shop's orders take turns among A4 and
        // A3 prints (225 of each in stock), so a burst of 500 does not run out.
        const n = (placed.get(shop) ?? 0) + 1;
        placed.set(shop, n);
        const sku = chosen ?? BURST_SKUS[n % BURST_SKUS.length]!;
        const orderId = await postPaidOrder(orders, started.url, shop, sku);
        shopOf.set(orderId, shop);
        return { orderId, paidAt: Date.now() };
      },
      async waitDecided(orderIds, timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        const done = new Map<string, number>();
        while (done.size < orderIds.length) {
          const rows = await the.decision.findMany({
            where: {
              orderId: { in: orderIds.filter((id) => !done.has(id)) },
              trigger: { in: ["webhook", "reconciliation"] },
              status: { in: FINISHED },
            },
            select: { orderId: true, appliedAt: true, createdAt: true },
          });
          for (const r of rows) done.set(r.orderId, (r.appliedAt ?? r.createdAt).getTime());
          if (done.size >= orderIds.length) break;
          if (Date.now() > deadline) {
            const tails = children.map((c) => `--- ${c.name}\n${c.output().slice(-1500)}`);
            throw new Error(
              `${orderIds.length - done.size} of ${orderIds.length} orders not decided in ${timeoutMs} ms\n${tails.join("\n")}`,
            );
          }
          await new Promise((r) => setTimeout(r, 200));
        }
        return done;
      },
      decidedCount: (orderIds) =>
        the.decision.count({
          where: {
            orderId: { in: orderIds },
            trigger: { in: ["webhook", "reconciliation"] },
            status: { in: FINISHED },
          },
        }),
      adminCalls: (shop) => sim.stats.calls(shop),
      workerOutput: () => workers.map((w) => w.output()),
      async faults(faults) {
        const response = await fetch(`${started.url}/_sim/faults`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(faults),
        });
        if (!response.ok) throw new Error(`The simulator refused faults: ${await response.text()}`);
      },
      async stages(orders) {
        const ids = orders.map((o) => o.orderId);
        const deliveries = await the.webhookDelivery.groupBy({
          by: ["subjectId"],
          where: { subjectId: { in: ids } },
          _min: { receivedAt: true },
        });
        const received = new Map(deliveries.map((d) => [d.subjectId, d._min.receivedAt]));
        const decisions = await the.decision.findMany({
          where: { orderId: { in: ids }, trigger: { in: ["webhook", "reconciliation"] } },
          select: { orderId: true, trigger: true, createdAt: true, appliedAt: true },
        });
        const decided = new Map(decisions.map((d) => [d.orderId, d]));
        const jobs = await the.$queryRawUnsafe<
          { id: string; created_on: Date; started_on: Date | null; completed_on: Date | null }[]
        >(
          `SELECT id::text, created_on, started_on, completed_on FROM pgboss.job WHERE id = ANY($1::uuid[])`,
          orders.map((o) => {
            const shop = shopOf.get(o.orderId) ?? "";
            return jobIdForKey(routeOrderKey(shop, o.orderId));
          }),
        );
        const jobOf = new Map(jobs.map((j) => [j.id, j]));
        const steps: Record<string, number[]> = {
          "paid→webhook stored": [],
          "stored→job stored": [],
          "job stored→started": [],
          "started→decision made": [],
          "made→applied": [],
        };
        let byReconciliation = 0;
        for (const o of orders) {
          const job = jobOf.get(jobIdForKey(routeOrderKey(shopOf.get(o.orderId) ?? "", o.orderId)));
          const d = decided.get(o.orderId);
          if (d?.trigger === "reconciliation") byReconciliation++;
          const at = [
            o.paidAt,
            received.get(o.orderId)?.getTime(),
            job?.created_on.getTime(),
            job?.started_on?.getTime(),
            d?.createdAt.getTime(),
            (d?.appliedAt ?? d?.createdAt)?.getTime(),
          ];
          Object.values(steps).forEach((list, i) => {
            const [from, to] = [at[i], at[i + 1]];
            if (from !== undefined && to !== undefined) list.push(to - from);
          });
        }
        return [
          ...Object.entries(steps).map(([step, list]) => {
            const sorted = list.sort((a, b) => a - b);
            return `${step}: p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms (${sorted.length})`;
          }),
          `decided by reconciliation: ${byReconciliation} of ${orders.length}`,
          (() => {
            const r = runningAtOnce(
              jobs.flatMap((j) =>
                j.started_on && j.completed_on
                  ? [
                      {
                        stored: j.created_on.getTime(),
                        started: j.started_on.getTime(),
                        finished: j.completed_on.getTime(),
                      },
                    ]
                  : [],
              ),
            );
            return `route jobs running at once while others waited to start: mean ${r.meanRunning.toFixed(1)} over ${r.backlogMs} ms, most ${r.mostRunning}; a job ran p50 ${r.ranP50} ms, p95 ${r.ranP95} ms`;
          })(),
        ];
      },
      cpuSeconds() {
        const used: Record<string, number> = {};
        for (const c of children) used[c.name] = processCpuSeconds(c.pid);
        const own = process.cpuUsage();
        used["simulator and load"] = (own.user + own.system) / 1e6;
        used.postgresql = postgresCpuSeconds(new URL(cluster.url).port);
        return used;
      },
      waitSeconds() {
        const waited: Record<string, number> = {};
        for (const c of children) waited[c.name] = runQueueSeconds(c.pid);
        waited["simulator and load"] = runQueueSeconds(process.pid);
        waited.postgresql = postgresPids(new URL(cluster.url).port).reduce(
          (sum, pid) => sum + runQueueSeconds(pid),
          0,
        );
        return waited;
      },
      async statements() {
        const rows = await the.$queryRawUnsafe<StatementStat[]>(
          `SELECT query, sum(calls)::int AS calls, sum(total_exec_time)::float8 AS ms,
                  sum(total_plan_time)::float8 AS "planMs", sum(rows)::float8 AS rows,
                  sum(shared_blks_hit + shared_blks_read)::float8 AS blocks
             FROM pg_stat_statements GROUP BY query ORDER BY calls DESC`,
        );
        await the.$executeRawUnsafe("SELECT pg_stat_statements_reset()");
        return rows;
      },
      postgresCpuByKind() {
        const [postmaster] = postgresPids(new URL(cluster.url).port);
        return postmaster ? postgresCpuByKind(postmaster) : {};
      },
      postgresActivity: () => postgresActivity(the),
      async stop() {
        orders.close();
        await Promise.all(children.map((c) => c.stop()));
        await stopSim?.();
        await the.$disconnect();
        await cluster.stop();
      },
    };
  } catch (error) {
    await Promise.all(children.map((c) => c.stop()));
    await stopSim?.();
    await db?.$disconnect();
    await cluster.stop();
    throw error;
  }
}
