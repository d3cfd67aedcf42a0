// engine_plans_per_s: how many Plans the routing engine makes per second of CPU for a 10-line order
// against 201 rules, with the rules and capability profiles loaded from their stored rows for every
// order as the worker loads them (so a cache only counts when the worker would really hit it).
import { fork } from "node:child_process";
import { defineBench, median, repeat, sized, type BenchContext } from "./support/bench";
import type { MeasureRequest, MeasureResult, Span } from "./engine/measure";

/**
 * One run: a process of its own (NODE_ENV=production, a fresh heap and a fresh JIT, nothing left
 * by the modules measured before it in this process), warmed up, then timed in windows. Its
 * figure is the median of its windows; the module's is the median of its runs (`repeat`).
 */
function measureInChild(request: MeasureRequest): Promise<MeasureResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("./engine/measure.ts", import.meta.url), [JSON.stringify(request)], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: MeasureResult | undefined;
    child.on("message", (message: MeasureResult) => {
      if (message.type === "result") result = message;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (result) resolve(result);
      else
        reject(
          new Error(`the engine's measuring process ended (${signal ?? code}) without a result`),
        );
    });
  });
}

function describeSpan(span: Span): string {
  return (
    `${span.plans} plans: ${span.cpuRate}/s of CPU (${span.cpuUs} µs each, harness ${span.harnessUs} µs off), ` +
    `${span.wallRate}/s of wall, CPU share ${span.share} (kernel ${span.systemShare}), GC ${span.gcMs} ms in ${span.gcs} (${span.gcInPlansMs} ms of it inside timed plans), preempted ${span.preempted}×, ${span.majorFaults} major faults`
  );
}

export const bench = defineBench({
  name: "engine",
  figures: [
    {
      name: "engine_plans_per_s",
      description:
        "Plans per second of CPU, 10 lines × 201 rules, rules and profiles read from stored rows per order; each run a fresh NODE_ENV=production process warmed up with 30,000 plans, its figure the median of 5 windows of 1 s of planning CPU; median of the runs",
      unit: "plans/s",
      targets: [{ atLeast: 20_000 }],
    },
  ],
  run(context: BenchContext) {
    const request: MeasureRequest = {
      warmup: sized(context, "engineWarmup", 30_000, 20_000),
      warmupChunk: 2_000,
      windows: sized(context, "engineWindows", 5, 3),
      windowMs: sized(context, "engineMs", 1000, 300),
    };
    return repeat(context, async (run) => {
      const result = await measureInChild(request);
      const curve = result.warmup.map((span) => span.cpuUs).join(" ");
      const warmMs = result.warmup.reduce((sum, span) => sum + span.plans / span.cpuRate, 0) * 1000;
      context.log(
        `run ${run}: warm-up ${request.warmup} plans, ${Math.round(warmMs)} ms of planning CPU; CPU µs per plan by ${request.warmupChunk}: ${curve}`,
      );
      result.windows.forEach((span, i) =>
        context.log(`run ${run} window ${i + 1}: ${describeSpan(span)}`),
      );
      const busy = result.windows.filter((span) => span.share < 0.9).length;
      if (busy > 0)
        context.log(
          `run ${run}: ${busy} of ${result.windows.length} windows had the CPU less than 90% of the time: the machine is busy, the wall rate is not the engine's, and other work slows the CPU rate too (caches, memory)`,
        );
      return { engine_plans_per_s: median(result.windows.map((span) => span.cpuRate)) };
    });
  },
});
