// Webhook intake figures: acknowledgement latency at a steady 300 deliveries/s, and the highest
// steady rate whose p99 stays within 50 ms with every delivery acknowledged, against the built app as one process on SQLite; then
// the app is killed mid-load and every acknowledged delivery must be in the database exactly once.
import { fork, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { loadavg } from "node:os";
import { createClient } from "@libsql/client";
import { startApp, type AppProcess, type ServerKind } from "./support/app-process";
import { defineBench, repeat, sized, type BenchContext } from "./support/bench";
import { ensureBuild } from "./support/build";
import { round1, summarize } from "./support/stats";
import { BENCH_SHOPS } from "./webhook-intake/deliveries";
import type { PhaseRequest, PhaseResult } from "./webhook-intake/load";

const STEADY_RATE = 300;
const STEADY_MS = 20_000;
const P99_LIMIT_MS = 50;
// Shopify gives up after 5 s; the generator waits a little longer so a late answer is still seen.
const TIMEOUT_MS = 6000;
const DEFAULT_RATES = [400, 600, 800, 1000, 1200, 1400, 1700, 2000, 2400];
const DEFAULT_STEP_MS = 6000;
const QUICK_RATES = [400, 800, 1200, 1600, 2000];
// The whole step-up stops once this much time has gone, whatever the rate reached (a missed
// step is run twice, so the nine default rates can take up to 18 steps).
const STEP_BUDGET_MS = 180_000;

interface Phase {
  label: string;
  rate: number;
  result: PhaseResult;
}

class LoadGenerator {
  private next = 0;
  private constructor(private readonly child: ChildProcess) {}

  static start(): LoadGenerator {
    // A second process, so the generator's work is not the app's, nor measured by it.
    const child = fork(new URL("./webhook-intake/load.ts", import.meta.url), {
      // --expose-gc: the generator collects its own garbage before each phase, not during it.
      execArgv: ["--import", "tsx", "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new LoadGenerator(child);
  }

  run(app: AppProcess, rate: number, durationMs: number): Promise<PhaseResult> {
    const request: PhaseRequest = {
      type: "phase",
      url: app.url,
      secret: app.secret,
      rate,
      durationMs,
      first: this.next,
      timeoutMs: TIMEOUT_MS,
    };
    this.next += Math.round((rate * durationMs) / 1000);
    return new Promise((resolveRun, reject) => {
      const onMessage = (message: PhaseResult | { type: "error"; message: string }) => {
        this.child.off("exit", onExit);
        if (message.type === "result") resolveRun(message);
        else reject(new Error(`Load generator: ${message.message}`));
      };
      const onExit = (code: number | null) => {
        this.child.off("message", onMessage);
        reject(new Error(`The load generator exited (${code})`));
      };
      this.child.once("message", onMessage);
      this.child.once("exit", onExit);
      this.child.send(request);
    });
  }

  stop(): void {
    if (this.child.connected) this.child.send({ type: "stop" });
  }
}

function describe(result: PhaseResult) {
  const latency = summarize(result.latenciesMs);
  const failed = result.statuses.filter((status) => status !== 200).length;
  return { ...latency, failed, count: result.statuses.length };
}

function phaseLine(label: string, rate: number, result: PhaseResult, appCpuMs: number): string {
  const d = describe(result);
  // The app's CPU per delivery is steadier than latency on a shared machine: it says what one
  // core could take, whatever else was running.
  const perDelivery = (ms: number) => Math.round((ms * 1000) / d.count);
  const cpu = Number.isNaN(appCpuMs) ? "" : `  app CPU ${perDelivery(appCpuMs)} µs/delivery`;
  // The generator shares the machine: its CPU says how much of it the sending took.
  const generatorCpu = `  generator CPU ${perDelivery(result.cpuMs)} µs/delivery`;
  // The generator's own lateness is counted in every latency (it is what a slow machine does to
  // any sender), so when it is large the figure says as much about the machine as about the app.
  const busy = result.maxSendLagMs > 50 ? "  (machine busy: the generator ran late)" : "";
  return (
    `${label.padEnd(9)} ${String(rate).padStart(5)}/s  n=${String(d.count).padStart(6)}  ` +
    `p50 ${round1(d.p50)} ms  p99 ${round1(d.p99)} ms  max ${round1(d.max)} ms  ` +
    `not 200: ${d.failed}  generator lag max ${round1(result.maxSendLagMs)} ms${cpu}${generatorCpu}${busy}`
  );
}

const passes = (result: PhaseResult) => {
  const d = describe(result);
  return d.failed === 0 && d.p99 < P99_LIMIT_MS;
};

/**
 * Highest passing rate: steps up until a rate fails twice running, then tries between the last
 * two. One miss is not the limit: on a shared machine a few ms of another process (or of the
 * generator, whose lateness counts in every latency) fails a 6 s step at any rate, and stopping
 * there made one run read 1,700/s and the next 500/s. A rate the app cannot sustain fails again;
 * one it sustains rarely fails twice. The figure is then the median of the runs' maxima.
 */
async function findMaxRate(
  context: BenchContext,
  step: (rate: number) => Promise<PhaseResult>,
  rates: number[],
): Promise<number> {
  const started = Date.now();
  const withinBudget = () => Date.now() - started <= STEP_BUDGET_MS;
  const sustained = async (rate: number) => {
    if (passes(await step(rate))) return true;
    if (!withinBudget()) return false;
    context.log(`${rate}/s missed once; running it again before calling it the limit`);
    return passes(await step(rate));
  };
  let best = 0;
  let failedAt: number | undefined;
  for (const rate of rates) {
    if (!withinBudget()) {
      context.log(`Step-up time budget spent; stopping at ${best}/s`);
      return best;
    }
    if (await sustained(rate)) best = rate;
    else {
      failedAt = rate;
      break;
    }
  }
  if (failedAt !== undefined && withinBudget()) {
    const between = Math.round((best + failedAt) / 2 / 50) * 50;
    if (between > best && between < failedAt && (await sustained(between))) best = between;
  }
  return best;
}

/** Every acknowledged delivery stored exactly once, with the bytes Shopify signed. */
async function verifyInbox(app: AppProcess, phases: Phase[], log: (line: string) => void) {
  const sent = new Set<string>();
  const acked = new Set<string>();
  const hashes = new Map<string, string>();
  let deliveriesSent = 0;
  for (const { result } of phases) {
    deliveriesSent += result.webhookIds.length;
    result.webhookIds.forEach((id, i) => {
      sent.add(id);
      if (result.statuses[i] === 200) acked.add(id);
    });
    for (const [id, hash] of result.bodyHashes) hashes.set(id, hash);
  }
  const client = createClient({ url: app.databaseUrl, intMode: "bigint" });
  try {
    const counts = await client.execute(
      `SELECT "webhookId", COUNT(*) AS n FROM "WebhookDelivery" GROUP BY "webhookId"`,
    );
    const stored = new Map(counts.rows.map((row) => [String(row.webhookId), Number(row.n)]));
    const missing = [...acked].filter((id) => !stored.has(id));
    const repeated = [...stored].filter(([, n]) => n !== 1);
    const unknown = [...stored.keys()].filter((id) => !sent.has(id));
    const storedNotAcked = [...stored.keys()].filter((id) => sent.has(id) && !acked.has(id));
    const sample = [...hashes].filter(([id]) => acked.has(id));
    const mismatched: string[] = [];
    for (let i = 0; i < sample.length; i += 200) {
      const slice = sample.slice(i, i + 200);
      const rows = await client.execute({
        sql: `SELECT "webhookId", "payload" FROM "WebhookDelivery" WHERE "webhookId" IN (${slice.map(() => "?").join(",")})`,
        args: slice.map(([id]) => id),
      });
      const payloads = new Map(
        rows.rows.map((row) => [String(row.webhookId), String(row.payload)]),
      );
      for (const [id, hash] of slice) {
        const payload = payloads.get(id);
        if (!payload || createHash("sha256").update(payload).digest("hex") !== hash)
          mismatched.push(id);
      }
    }
    log(
      `Inbox check: ${deliveriesSent} deliveries sent (${sent.size} webhook ids, the rest retries), ` +
        `${acked.size} ids acknowledged, ${stored.size} rows stored; acknowledged but missing: ` +
        `${missing.length}; stored more than once: ${repeated.length}; stored but never sent: ` +
        `${unknown.length}; stored but not acknowledged (in flight at the kill): ${storedNotAcked.length}; ` +
        `payload bytes differ: ${mismatched.length} of ${sample.length} compared`,
    );
    if (missing.length || repeated.length || unknown.length || mismatched.length) {
      throw new Error(
        `The inbox lost or duplicated acknowledged deliveries (missing ${missing.slice(0, 3).join(", ")}; ` +
          `repeated ${repeated
            .slice(0, 3)
            .map(([id]) => id)
            .join(", ")}; payload differs ${mismatched.slice(0, 3).join(", ")})`,
      );
    }
  } finally {
    client.close();
  }
}

export const bench = defineBench({
  name: "webhook-intake",
  figures: [
    {
      name: "webhook_ack_ms",
      description:
        "Acknowledgement latency of signed orders/paid deliveries at a steady 300/s (20 s)",
      unit: "ms",
      targets: [{ path: "p99", atMost: P99_LIMIT_MS }],
    },
    {
      name: "webhook_max_per_s",
      description: `Highest steady rate (6 s steps; a missed step is run again before it counts as the limit) with p99 ≤ ${P99_LIMIT_MS} ms and every delivery acknowledged`,
      unit: "deliveries/s",
      targets: [{ atLeast: 2000 }],
    },
  ],
  async run(context) {
    const { options, log } = context;
    const server = (options.server ?? "server") as ServerKind;
    if (server !== "server" && server !== "remix-serve") {
      throw new Error(`--server must be "server" or "remix-serve", not "${server}"`);
    }
    const quick = context.size === "quick";
    const rates = options.rates
      ? options.rates.split(",").map(Number)
      : quick
        ? QUICK_RATES
        : DEFAULT_RATES;
    const stepMs = sized(context, "step-ms", DEFAULT_STEP_MS, 2000);
    const steadyMs = sized(context, "steady-ms", STEADY_MS, 5000);

    // --cpu-prof=<dir>: profile the app; it must then exit normally, so the crash check is skipped.
    const profileDir = options["cpu-prof"];
    ensureBuild(log);
    const app = await startApp({
      server,
      label: "webhook-intake",
      nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
      echoErrors: options["app-errors"] === "true",
      installShops: BENCH_SHOPS,
    });
    const generator = LoadGenerator.start();
    const phases: Phase[] = [];
    const phase = async (label: string, rate: number, durationMs: number) => {
      const cpuBefore = app.cpuMs();
      const result = await generator.run(app, rate, durationMs);
      phases.push({ label, rate, result });
      log(phaseLine(label, rate, result, app.cpuMs() - cpuBefore));
      return result;
    };
    log(
      `App: ${server} (pid ${app.pid}) at ${app.url}; load average ${loadavg().map(round1).join(" ")}`,
    );
    try {
      // Not counted: the JIT of both processes and SQLite's caches warm up at the measured rate.
      await phase("warm-up", STEADY_RATE, quick ? 2000 : 5000);
      // Each run: the steady phase, then the step-up; the figures are the runs' medians.
      const figures = await repeat(context, async () => {
        const steady = describe(await phase("steady", STEADY_RATE, steadyMs));
        if (steady.failed > 0)
          log(`Warning: ${steady.failed} deliveries not acknowledged at ${STEADY_RATE}/s`);
        const max = await findMaxRate(context, (rate) => phase("step", rate, stepMs), rates);
        return {
          webhook_ack_ms: { p50: round1(steady.p50), p99: round1(steady.p99) },
          webhook_max_per_s: max,
        };
      });
      const max = figures.webhook_max_per_s as number;

      if (profileDir) {
        await app.stop();
        log(`Crash check skipped (profiling); profile in ${profileDir}`);
      } else {
        // A crash while deliveries are in flight: what was acknowledged must already be stored.
        const crashRate = Math.max(max, STEADY_RATE);
        const crash = phase("crash", crashRate, 3000);
        await new Promise((resolveWait) => setTimeout(resolveWait, 1500));
        await app.kill();
        await crash;
        log(`Killed the app (SIGKILL) 1.5 s into ${crashRate}/s`);
      }
      log(`Load average ${loadavg().map(round1).join(" ")}`);
      await verifyInbox(app, phases, log);

      return figures;
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\nApp output (tail):\n${app.output().slice(-3000)}`,
      );
    } finally {
      generator.stop();
      await app.stop();
      if (options["keep-db"] === "true") log(`Database kept: ${app.databasePath}`);
      else app.cleanup();
    }
  },
});
