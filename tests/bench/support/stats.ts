// Percentiles by the nearest-rank method: every reported value is one that was measured.

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(values: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: percentile(sorted, 100) };
}

export const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * How many jobs ran at once while others waited to start (time-weighted mean over the time any
 * waited, and the most at any moment), and how long a job ran. Slots full with jobs waiting means
 * each job's own time bounds the rate; few running with jobs waiting means the workers did not
 * take them.
 */
export function runningAtOnce(
  jobs: readonly { stored: number; started: number; finished: number }[],
): {
  meanRunning: number;
  backlogMs: number;
  mostRunning: number;
  ranP50: number;
  ranP95: number;
} {
  // [time, which count (0 waiting, 1 running), change]; at one instant the changes apply in order.
  const events: [number, 0 | 1, number][] = [];
  for (const j of jobs) {
    events.push([j.stored, 0, 1], [j.started, 0, -1], [j.started, 1, 1], [j.finished, 1, -1]);
  }
  // A job ending at the instant another starts frees its slot first.
  events.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  let waiting = 0;
  let running = 0;
  let most = 0;
  let backlogMs = 0;
  let weighted = 0;
  let last = events[0]?.[0] ?? 0;
  for (const [at, which, change] of events) {
    if (waiting > 0) {
      backlogMs += at - last;
      weighted += running * (at - last);
    }
    last = at;
    if (which === 0) waiting += change;
    else running += change;
    most = Math.max(most, running);
  }
  const ran = jobs.map((j) => j.finished - j.started).sort((a, b) => a - b);
  return {
    meanRunning: backlogMs > 0 ? weighted / backlogMs : 0,
    backlogMs,
    mostRunning: most,
    ranP50: percentile(ran, 50),
    ranP95: percentile(ran, 95),
  };
}
