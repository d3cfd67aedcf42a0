// Where a bulk action's time above its bucket's minimum went, from the simulator's trace of every
// Admin API call: the wall time is the minimum plus the time the bucket sat at its cap (restoring
// nothing) plus what was left in it at the end (restored, never spent), so those two are read
// per phase of the run, beside the time no call was on its way and the points asked and charged.
import type { AdminCallTrace } from "../../../simulator/src/stats";

export interface Phase {
  name: string;
  /** Where the phase ends (ms, the simulator's clock); the first begins at the timeline's start. */
  until: number;
}

export interface PhaseReading {
  name: string;
  ms: number;
  /** The bucket at its cap: restore lost. */
  atCapMs: number;
  /** No call on its way to or from Shopify. */
  idleMs: number;
  /** Calls' time on their way, summed (the mean in flight is this ÷ ms). */
  inFlightMs: number;
  pointsSpent: number;
  calls: number;
}

export interface BucketTimeline {
  phases: PhaseReading[];
  atCapMs: number;
  /** What the bucket held at the end, in ms of restore: time the minimum does not count. */
  leftMs: number;
  throttled: number;
  /** Per operation: calls, mean points asked (reserved by Shopify until the answer) and charged. */
  operations: Record<string, { calls: number; requested: number; actual: number }>;
}

/**
 * Reads the trace between `from` and `to` (the bucket at `startLevel` at `from`), cut into
 * `phases`. The bucket's level is known right after every take and refund; between them it
 * restores at `restoreRate` a second up to `maximum`, and any time beyond that is time at its cap.
 */
export function bucketTimeline(
  calls: readonly AdminCallTrace[],
  window: {
    from: number;
    to: number;
    startLevel: number;
    maximum: number;
    restoreRate: number;
    phases: Phase[];
  },
): BucketTimeline {
  const within = calls.filter((c) => c.arrivedAt >= window.from && c.answeredAt <= window.to);
  const levels: [number, number][] = [[window.from, window.startLevel]];
  for (const c of within) {
    levels.push([c.takenAt, c.levelAfterTake]);
    if (c.actual !== null) levels.push([c.answeredAt, c.levelAfterRefund]);
  }
  levels.sort((a, b) => a[0] - b[0]);
  const phases: PhaseReading[] = [];
  let begin = window.from;
  for (const phase of window.phases) {
    const end = Math.min(window.to, Math.max(begin, phase.until));
    phases.push({ name: phase.name, ms: end - begin, ...zero() });
    begin = end;
  }
  const phaseAt = (t: number) => phases.find((_, i) => t < phaseEnd(i)) ?? phases.at(-1)!;
  const phaseEnd = (i: number) =>
    window.phases[i] ? Math.min(window.to, window.phases[i]!.until) : window.to;
  /** Adds `f(a, b)` over [a, b) cut at the phases' ends. */
  const spread = (a: number, b: number, add: (p: PhaseReading, ms: number) => void) => {
    let t = a;
    for (let i = 0; i < phases.length && t < b; i++) {
      const end = Math.min(b, phaseEnd(i));
      if (end > t) add(phases[i]!, end - t);
      t = Math.max(t, end);
    }
  };
  levels.push([window.to, Number.NaN]);
  for (let i = 0; i + 1 < levels.length; i++) {
    const [at, level] = levels[i]!;
    const next = levels[i + 1]![0];
    const full = at + ((window.maximum - level) / window.restoreRate) * 1000;
    if (next > full) spread(Math.max(at, full), next, (p, ms) => (p.atCapMs += ms));
  }
  // In flight: from arrival to answer; idle wherever no call is.
  const edges = within.flatMap((c): [number, number][] => [
    [c.arrivedAt, 1],
    [c.answeredAt, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let last = window.from;
  for (const [at, change] of [...edges, [window.to, 0] as [number, number]]) {
    if (at > last) {
      const n = inFlight;
      spread(last, at, (p, ms) => {
        p.inFlightMs += n * ms;
        if (n === 0) p.idleMs += ms;
      });
    }
    last = Math.max(last, at);
    inFlight += change;
  }
  const operations: BucketTimeline["operations"] = {};
  let throttled = 0;
  for (const c of within) {
    if (c.actual === null) {
      throttled++;
      continue;
    }
    const p = phaseAt(c.takenAt);
    p.pointsSpent += c.actual;
    p.calls++;
    const o = (operations[c.operation] ??= { calls: 0, requested: 0, actual: 0 });
    o.calls++;
    o.requested += c.requested;
    o.actual += c.actual;
  }
  for (const o of Object.values(operations)) {
    o.requested = Math.round(o.requested / o.calls);
    o.actual = Math.round(o.actual / o.calls);
  }
  const lastLevel = [...levels].reverse().find(([, l]) => !Number.isNaN(l))!;
  const endLevel = Math.min(
    window.maximum,
    lastLevel[1] + ((window.to - lastLevel[0]) / 1000) * window.restoreRate,
  );
  return {
    phases,
    atCapMs: phases.reduce((n, p) => n + p.atCapMs, 0),
    leftMs: (endLevel / window.restoreRate) * 1000,
    throttled,
    operations,
  };
}

function zero() {
  return { atCapMs: 0, idleMs: 0, inFlightMs: 0, pointsSpent: 0, calls: 0 };
}
