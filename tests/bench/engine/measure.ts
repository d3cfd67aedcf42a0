// One run of engine_plans_per_s in a process of its own (forked by engine.bench.ts): warms the planner up, then times windows of plans by the CPU time they take.
import { GCProfiler } from "node:v8";
import { PerformanceObserver } from "node:perf_hooks";
import { engineCase, type EngineCase } from "./scenario";

export interface MeasureRequest {
  /** Plans before anything is timed: past the last optimisation of the planner's functions. */
  warmup: number;
  /** Plans per point of the warm-up's logged curve. */
  warmupChunk: number;
  windows: number;
  /** A window ends when its plans have taken this much CPU time. */
  windowMs: number;
}

export interface Span {
  plans: number;
  /** Plans per second of the process's CPU time while planning (harness taken off). */
  cpuRate: number;
  /** Plans per second of wall time while planning: the CPU rate on a quiet core, less when others had it. */
  wallRate: number;
  /** CPU µs per plan. */
  cpuUs: number;
  /** CPU µs the harness alone took per plan (taken off cpuRate). */
  harnessUs: number;
  /** The process's CPU time over the span's wall time, rows included: near 1 when the core was ours. */
  share: number;
  /** The kernel's part of that CPU time (page faults, reclaim under memory pressure, the harness's reads). */
  systemShare: number;
  /** Garbage collection in the span, rows included: pauses, and how many. */
  gcMs: number;
  gcs: number;
  /** The part of those pauses (wall time) that fell inside timed plans: the rest is the rows'. */
  gcInPlansMs: number;
  /** Times the kernel took the CPU from the process during the span. */
  preempted: number;
  /** Pages the process had to wait for the disk for: memory pressure from elsewhere. */
  majorFaults: number;
}

export interface MeasureResult {
  type: "result";
  warmup: Span[];
  windows: Span[];
}

// "No limit" as a small integer: an Infinity in the loop's bound deoptimised the harness when the
// timed windows began (V8's --trace-deopt: "not a Smi").
const UNBOUNDED = 1_000_000_000;

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

function systemMicros(): number {
  return process.cpuUsage().system;
}

/**
 * Plans until `plans` are done or they took `cpuMs` of CPU, whichever comes first (and never longer
 * than a minute). Each plan is timed alone, between two reads of the process's CPU time: the rows
 * read before it are the database's work, not the engine's, and are not counted. The CPU time of
 * the harness alone (the same reads around nothing), measured beside every plan, is taken off.
 * Process CPU counts every thread, so the garbage collector's helpers and the compiler count too.
 */
// Every collection's pause, as [start, end] pairs on performance.now()'s clock, to tell the pauses
// that fell inside timed plans from those while rows were read (most of what is allocated).
const pauses: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    pauses.push(entry.startTime, entry.startTime + entry.duration);
}).observe({ entryTypes: ["gc"] });

// Each timed plan's [start, end] on the same clock, for the last span (plans beyond it untracked).
const TRACKED_PLANS = 500_000;
const planTimes = new Float64Array(TRACKED_PLANS * 2);

/** Milliseconds of the pauses from `pauses` that overlap the first `plans` intervals of planTimes. */
function pausesInPlans(plans: number): number {
  let overlap = 0;
  let p = 0;
  const tracked = Math.min(plans, TRACKED_PLANS);
  for (let g = 0; g < pauses.length; g += 2) {
    const start = pauses[g]!;
    const end = pauses[g + 1]!;
    while (p < tracked && planTimes[p * 2 + 1]! <= start) p++;
    for (let q = p; q < tracked && planTimes[q * 2]! < end; q++)
      overlap += Math.min(end, planTimes[q * 2 + 1]!) - Math.max(start, planTimes[q * 2]!);
  }
  return overlap;
}

/** Lets the observer take the pauses of the span just ended (it is told after the loop yields). */
function collectPauses(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

async function span(c: EngineCase, plans: number, cpuMs: number): Promise<Span> {
  await collectPauses();
  pauses.length = 0;
  let done = 0;
  let planCpu = 0;
  let harnessCpu = 0;
  let planWall = 0;
  const usage = process.resourceUsage();
  const gc = new GCProfiler();
  gc.start();
  const systemStart = systemMicros();
  const cpuStart = cpuMicros();
  const started = performance.now();
  while (
    done < plans &&
    planCpu - harnessCpu < cpuMs * 1000 &&
    performance.now() - started < 60_000
  ) {
    c.readForOrder();
    const e0 = cpuMicros();
    const et = performance.now();
    const ew = performance.now() - et;
    const e1 = cpuMicros();
    const p0 = cpuMicros();
    const pt = performance.now();
    c.planOrder();
    const pe = performance.now();
    const pw = pe - pt;
    const p1 = cpuMicros();
    if (done < TRACKED_PLANS) {
      planTimes[done * 2] = pt;
      planTimes[done * 2 + 1] = pe;
    }
    harnessCpu += e1 - e0;
    planCpu += p1 - p0;
    planWall += pw - ew;
    done++;
  }
  const ended = performance.now();
  const cpu = cpuMicros() - cpuStart;
  const system = systemMicros() - systemStart;
  const collections = gc.stop()?.statistics ?? [];
  const usageEnd = process.resourceUsage();
  await collectPauses();
  const gcInPlans = pausesInPlans(done);
  const netCpu = Math.max(planCpu - harnessCpu, 1);
  return {
    plans: done,
    cpuRate: Math.round(done / (netCpu / 1e6)),
    wallRate: Math.round(done / (Math.max(planWall, 0.001) / 1000)),
    cpuUs: Math.round((netCpu / done) * 10) / 10,
    harnessUs: Math.round((harnessCpu / done) * 10) / 10,
    share: Math.round((cpu / 1000 / (ended - started)) * 100) / 100,
    systemShare: Math.round((system / Math.max(cpu, 1)) * 100) / 100,
    gcMs: Math.round(collections.reduce((sum, one) => sum + one.cost, 0) / 1000),
    gcs: collections.length,
    gcInPlansMs: Math.round(gcInPlans),
    preempted: usageEnd.involuntaryContextSwitches - usage.involuntaryContextSwitches,
    majorFaults: usageEnd.majorPageFault - usage.majorPageFault,
  };
}

async function measure(request: MeasureRequest): Promise<MeasureResult> {
  const c = engineCase();
  const warmup: Span[] = [];
  for (let planned = 0; planned < request.warmup; planned += request.warmupChunk)
    warmup.push(await span(c, Math.min(request.warmupChunk, request.warmup - planned), UNBOUNDED));
  const windows: Span[] = [];
  for (let i = 0; i < request.windows; i++)
    windows.push(await span(c, UNBOUNDED, request.windowMs));
  return { type: "result", warmup, windows };
}

const request = JSON.parse(process.argv[2] ?? "{}") as MeasureRequest;
const result = await measure(request);
if (process.send) process.send(result, () => process.exit(0));
else console.log(JSON.stringify(result));
