// scale_2_workers_vs_1: orders decided per second with two worker processes ÷ with one, on
// PostgreSQL + pg-boss, 20 shops, every Admin API call answered after 100 ms (the simulator's
// latency fault). A fresh set-up per worker count, the same orders for both. The rate is taken
// between the first and the last decision of the measured orders, so it is the workers' rate once
// work is flowing, not the few seconds every order needs from payment to decision (which do not
// shrink with more workers and, with only a hundred orders, made up most of the time measured).
// Each run logs the CPU each process used per order, how many cores the whole fleet kept busy, how
// long each process waited for a core while ready to run, and how many route jobs ran at once while
// others waited: on a machine whose cores are all taken, a second worker has nothing to run on;
// and the statements PostgreSQL ran per order (every process's, pg_stat_statements), the most sent
// first, since each costs the worker and PostgreSQL CPU. --profileWorkers=<folder> has each worker
// write a CPU profile (node --cpu-prof) there when it stops, --profileWeb=<folder> the web process
// (tests/bench/support/cpu-profile.ts summarises them). For working on what an order costs:
// --workers=1 measures one fleet only (no figure kept), and --statementsFile=<file.json> writes every
// statement PostgreSQL ran for the measured orders in full, with its calls, execution and planning
// time, shared buffers touched and rows answered per order (ADR 065). PostgreSQL's CPU is split by process and its tables' work counted (postgres-activity.ts);
// --planning counts the statements' planning time too.
// What is measured (ADR 055): each fleet works 40 orders a shop (800) placed as fast as the load
// sends them, so a backlog builds and the rate is the workers' sustained one, not a second's burst
// (with 10 a shop each fleet measured 1–1.5 s of decisions and single runs swung 1.27–1.78 at one
// commit). The shops are on Plus, whose bucket (20,000 points, 1,000 a second) holds the warm-up and
// the measured orders, so no shop's pacing bounds the rate (on Standard, 20 shops restore about 25
// orders a second between them whatever the workers); ANALYZE runs after the warm-up, as autovacuum
// would have on a production database (ADR 050). --plan=standard --perShop=10 --analyze=false
// measures as before.
// --belowSaturation measures, instead of the issue's figure, scale_2_workers_vs_1_below_saturation
// (ADR 062): the same measurement with each worker's routing slots lowered (--routingSlots, 6
// unless given) so one worker's fleet keeps well below the machine's cores; it shows whether a
// second worker doubles the rate when the cores are not the bound. Evidence, with no target: the
// issue's figure is the one above, at the default slots. Not run by default: it is another six
// fleets of minutes each, and it answers a question (does the app scale?) asked once, not at every
// commit. --routingSlots=N alone measures the issue's figure at N slots, which is not kept.
// Under production settings (ADR 066): before the first fleet of the process, the shop simulator
// (which runs in this process) is warmed up on its own on 1,000 orders (--simulatorWarmup=N; 0
// measures without), since a real Shopify does not compile its code on the app's first orders;
// and `npm run bench` runs with NODE_ENV=production, so the simulator's graphql-js runs as a
// production server's does (the app's processes always had it; their environment is their own).
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { defineBench, repeat, routingSlotsOption, sized, type Figures } from "./support/bench";
import { startFleet } from "./support/fleet";
import { warmSimulator } from "./support/simulator-warmup";
import { activityLines, cpuByKindLine, statementTimeLine } from "./support/postgres-activity";

/**
 * One fleet's decided orders per second with `workers` worker processes and the cores it kept
 * busy meanwhile, and its log lines.
 */
export async function throughput(
  workers: number,
  shops: number,
  perShop: number,
  log: (line: string) => void,
  workerEnv?: Record<string, string>,
  /** How many of the statements sent most to log. */
  top = 30,
  /** Where to write every statement in full (JSON), with its calls and milliseconds per order. */
  statementsFile?: string,
  /** Orders per shop decided before the clock starts. */
  warmup = 1,
  /** The shops' Shopify plan, which sets their Admin API bucket. */
  plan = "standard",
  /**
   * `planning`: pg_stat_statements counts planning time too. `analyze`: ANALYZE after the warm-up,
   * so the planner has the statistics autovacuum gives a production database's tables, which a
   * fresh database does not have within the run (autovacuum looks at it once a minute).
   */
  postgres: { planning?: boolean; analyze?: boolean } = {},
  /** Added to the web process's environment (NODE_OPTIONS=--cpu-prof to profile it). */
  webEnv?: Record<string, string>,
): Promise<{ rate: number; coresBusy: number }> {
  const fleet = await startFleet({
    shops,
    plan,
    log,
    statementStats: true,
    statementPlanning: postgres.planning,
    workerEnv,
    webEnv,
  });
  try {
    await fleet.faults({ latencyMs: 100 });
    fleet.workers(workers);
    // Orders per shop first, a round at a time: the workers are up, and their code compiled, before
    // the clock starts (docs/decisions/046).
    for (let i = 0; i < warmup; i++) {
      const warm = await Promise.all(fleet.shops.map((s) => fleet.placeOrder(s)));
      await fleet.waitDecided(
        warm.map((o) => o.orderId),
        180_000,
      );
    }
    if (postgres.analyze) await fleet.db.$executeRawUnsafe("ANALYZE");
    await fleet.statements();
    // PostgreSQL's CPU by kind of process and its tables' counters: what pg_stat_statements'
    // execution time leaves out (planning, commits, autovacuum, the background writers).
    const pgBefore = fleet.postgresCpuByKind();
    const activityBefore = await fleet.postgresActivity();
    const cpuBefore = fleet.cpuSeconds();
    const waitBefore = fleet.waitSeconds();
    const started = Date.now();
    const orders = [];
    for (let i = 0; i < perShop; i++)
      orders.push(...(await Promise.all(fleet.shops.map((s) => fleet.placeOrder(s)))));
    const placedIn = Date.now() - started;
    const done = await fleet.waitDecided(
      orders.map((o) => o.orderId),
      600_000,
    );
    const wallS = (Date.now() - started) / 1000;
    const cpuAfter = fleet.cpuSeconds();
    const waitAfter = fleet.waitSeconds();
    const pgAfter = fleet.postgresCpuByKind();
    const activityAfter = await fleet.postgresActivity();
    const statements = await fleet.statements();
    const times = [...done.values()];
    const first = Math.min(...times);
    const last = Math.max(...times);
    const rate = (orders.length - 1) / ((last - first) / 1000);
    for (const line of await fleet.stages(orders)) log(`${workers} worker(s), ${line}`);
    const cpu = Object.entries(cpuAfter).map(([name, s]) => [name, s - cpuBefore[name]!] as const);
    const total = cpu.reduce((sum, [, s]) => sum + s, 0);
    const waited = Object.entries(waitAfter).map(
      ([name, s]) => [name, s - (waitBefore[name] ?? 0)] as const,
    );
    const waitedTotal = waited.reduce((sum, [, s]) => sum + s, 0);
    log(
      `${workers} worker(s): ${orders.length} orders placed in ${placedIn} ms; ${rate.toFixed(1)} orders/s from the first decision to the last (${(orders.length / ((last - started) / 1000)).toFixed(1)} from the first order placed); CPU per order: ${cpu.map(([name, s]) => `${name} ${((s * 1000) / orders.length).toFixed(1)} ms`).join(", ")}; cores busy ${(total / wallS).toFixed(2)} of ${cpus().length}; waiting for a core per order (ready to run, the machine's cores taken): ${waited.map(([name, s]) => `${name} ${Math.round((s * 1000) / orders.length)} ms`).join(", ")}, ${(waitedTotal / wallS).toFixed(2)} threads waiting on average`,
    );
    // Where PostgreSQL's CPU went: its processes by kind, and its backends' time in statements.
    log(
      `${workers} worker(s): PostgreSQL's CPU per order by process: ${cpuByKindLine(pgBefore, pgAfter, orders.length)}; its statements per order: ${statementTimeLine(statements, orders.length)}`,
    );
    for (const line of activityLines(activityBefore, activityAfter, orders.length))
      log(`${workers} worker(s), ${line}`);
    // Statements told apart by their start (an IN list's length makes another text of one query).
    const byStart = new Map<string, number>();
    for (const s of statements) {
      const start = s.query.replace(/\s+/g, " ").slice(0, 90);
      byStart.set(start, (byStart.get(start) ?? 0) + s.calls);
    }
    const sent = statements.reduce((sum, s) => sum + s.calls, 0);
    const perOrder = (calls: number) => (calls / orders.length).toFixed(2);
    if (statementsFile)
      writeFileSync(
        statementsFile.replace(/(\.json)?$/, `-${workers}.json`),
        JSON.stringify(
          statements.map((s) => ({
            perOrder: Number(perOrder(s.calls)),
            msPerOrder: Number((s.ms / orders.length).toFixed(3)),
            planMsPerOrder: Number((s.planMs / orders.length).toFixed(3)),
            // Shared buffers touched and rows answered per order: what does not move with the load.
            blocksPerOrder: Number((s.blocks / orders.length).toFixed(2)),
            rowsPerOrder: Number((s.rows / orders.length).toFixed(2)),
            query: s.query,
          })),
          null,
          1,
        ),
      );
    log(
      `${workers} worker(s): ${perOrder(sent)} statements per order (every process's, pg_stat_statements), most sent: ${[
        ...byStart,
      ]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([start, calls]) => `${perOrder(calls)} ${start}`)
        .join(" | ")}`,
    );
    return { rate, coresBusy: total / wallS };
  } finally {
    await fleet.stop();
  }
}

/** Whether this process's simulator code has been warmed up (once, before its first fleet). */
let simulatorWarmed = false;

export const bench = defineBench({
  name: "scale-workers",
  figures: [
    {
      name: "scale_2_workers_vs_1",
      description:
        "Orders decided per second with 2 worker processes ÷ with 1 (PostgreSQL + pg-boss, 20 Plus shops, 40 orders each, Admin latency 100 ms)",
      unit: "ratio",
      targets: [{ atLeast: 1.8 }],
    },
    {
      name: "scale_2_workers_vs_1_below_saturation",
      description:
        "Evidence, no target (ADR 062): scale_2_workers_vs_1's measurement with each worker's routing slots lowered (routing_slots) so one worker's fleet keeps well below the machine's cores; ratio, and each fleet's orders/s and cores busy (--belowSaturation)",
      unit: "ratio",
    },
  ],
  run: (context) =>
    repeat(context, async (): Promise<Figures> => {
      const shops = sized(context, "shops", 20, 4);
      // 40 orders a shop: a backlog the workers work off for several seconds (ADR 055), within a
      // Plus bucket with the warm-up (45 × about 80 points of 20,000).
      const perShop = sized(context, "perShop", 40, 3);
      // --profileWorkers=<folder>: each worker process writes a CPU profile there when it stops.
      const profiles = context.options.profileWorkers;
      // --workerNodeOptions="--flag …": node flags added to each worker's own, for trying one
      // side by side with a run without it.
      const nodeOptions = [
        ...(profiles ? [`--cpu-prof --cpu-prof-dir=${profiles}`] : []),
        ...(context.options.workerNodeOptions ? [context.options.workerNodeOptions] : []),
      ].join(" ");
      // --belowSaturation: the second figure, at --routingSlots (6 unless given); --routingSlots
      // alone: the issue's measurement at other slots, not kept (it is not the issue's figure).
      const belowSaturation = context.options.belowSaturation === "true";
      const routingSlots = routingSlotsOption(context, belowSaturation ? 6 : undefined);
      if (routingSlots !== undefined && !belowSaturation)
        context.notKept?.(`--routingSlots=${routingSlots}: not the issue's measurement`);
      const workerEnv = {
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
        ...(routingSlots !== undefined ? { WORKER_ROUTING_SLOTS: String(routingSlots) } : {}),
      };
      // --profileWeb=<folder>: the web process writes a CPU profile there when it stops.
      const webProfiles = context.options.profileWeb;
      const webEnv = webProfiles
        ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${webProfiles}` }
        : undefined;
      const statementsFile = context.options.statementsFile;
      // Five orders a shop first (one in a quick run): a worker process compiles its hot code over
      // its first few hundred orders, which a production worker does once, at its start. After one
      // order a shop the measured orders paid for it (ADR 046): the workers' background threads
      // took a quarter again of their main thread's CPU, and each of two workers compiled on half the
      // orders.
      const warmup = sized(context, "warmup", 5, 1);
      const measure = (workers: number) =>
        throughput(
          workers,
          shops,
          perShop,
          context.log,
          workerEnv,
          30,
          statementsFile,
          warmup,
          context.options.plan ?? "plus",
          // --planning: planning time counted; ANALYZE after the warm-up unless --analyze=false.
          {
            planning: context.options.planning === "true",
            analyze: context.options.analyze !== "false",
          },
          webEnv,
        );
      // The simulator's own warm-up, once a process: 1,000 orders (50 a shop), past where its
      // code's CPU per order stops falling (ADR 061, 066).
      const simulatorWarmup = sized(context, "simulatorWarmup", 1000, 100);
      if (!simulatorWarmed && simulatorWarmup > 0) {
        await warmSimulator({
          shops,
          plan: context.options.plan ?? "plus",
          orders: simulatorWarmup,
          latencyMs: 100,
          log: context.log,
        });
        simulatorWarmed = true;
      }
      const only = context.options.workers;
      if (only) {
        context.notKept?.(`--workers=${only}: one fleet, no ratio`);
        const { rate } = await measure(Number(only));
        context.log(`${only} worker(s): ${rate.toFixed(2)} orders/s`);
        return {};
      }
      const one = await measure(1);
      const two = await measure(2);
      const slotsSaid = routingSlots === undefined ? "" : ` at ${routingSlots} routing slots each`;
      context.log(
        `1 worker: ${one.rate.toFixed(2)} orders/s, ${one.coresBusy.toFixed(2)} cores busy; 2 workers: ${two.rate.toFixed(2)} orders/s, ${two.coresBusy.toFixed(2)} cores busy${slotsSaid}`,
      );
      const ratio = Math.round((two.rate / one.rate) * 100) / 100;
      if (!belowSaturation) return { scale_2_workers_vs_1: ratio };
      const hundredths = (n: number) => Math.round(n * 100) / 100;
      return {
        scale_2_workers_vs_1_below_saturation: {
          ratio,
          routing_slots: routingSlots!,
          one_worker_orders_per_s: hundredths(one.rate),
          two_workers_orders_per_s: hundredths(two.rate),
          one_worker_cores_busy: hundredths(one.coresBusy),
          two_workers_cores_busy: hundredths(two.coresBusy),
        },
      };
    }),
});
