// What the fault run counts as left unfinished, what it waits for and when it kills a worker: pure
// rules over what it read from the app's database and queue, kept apart so a test pins them.
import type { Db } from "../../app/db/client.server";
import type { UnfinishedJob } from "./target";

/** What is still moving: the run waits while any of it is there. */
export interface Movement {
  /** Deliveries still in the inbox. */
  received: number;
  /** Order jobs queued, retrying or running that are due within a minute. */
  dueSoon: number;
  /** Order jobs that failed at least once and wait out their backoff, whenever due. */
  retrying: number;
}

/**
 * Whether the app still has work on its way. A retry due later than a minute is work still to be
 * done (Shopify away a moment, a worker killed): waited for, never taken for "quiet".
 */
export function stillBusy(m: Movement): boolean {
  return m.received + m.dueSoon + m.retrying > 0;
}

/** A job that never ran and is due later than a minute from now: planned, not left behind. */
export function plannedForLater(job: UnfinishedJob, now = Date.now()): boolean {
  return (
    job.attempts === 0 &&
    (job.status === "queued" || job.status === "created") &&
    new Date(job.due).getTime() > now + 60_000
  );
}

/** The inbox states the run counts as stuck: still waiting, or given up for good. */
export const STUCK_DELIVERY_STATES = ["received", "failed"] as const;

/** The acknowledged deliveries whose work never started, oldest first: what the run counts stuck. */
export function stuckDeliveries(db: Db) {
  return db.webhookDelivery.findMany({
    where: { status: { in: [...STUCK_DELIVERY_STATES] } },
    orderBy: { receivedAt: "asc" },
  });
}

/**
 * The counts that fail a fault run, each with its number: every one that is not 0. Lost, applied
 * twice, left unfinished, the gate left on, an order in another shape than its scenario's
 * reference, an order without webhooks that reconciliation missed, a fuzzed delivery answered
 * other than 4xx or stored, a tenant leak: each is a failure, none only a line in the log.
 */
export function failedCounts(counts: Record<string, number>): string[] {
  return Object.entries(counts)
    .filter(([, n]) => n !== 0)
    .map(([name, n]) => `${name} ${n}`);
}

/**
 * Where each planned kill is due, as a count of the run's orders decided: the orders split into
 * `kills + 1` equal parts and kill k at a random point of part k, so the last comes with a part's
 * worth of orders still to decide. Paced by the clock instead (a kill every 1-3 s), the kills
 * outlasted the work where the workers decided quickly: 33 of 50 landed.
 */
export function killThresholds(orders: number, kills: number, random: () => number): number[] {
  const part = orders / (kills + 1);
  return Array.from({ length: kills }, (_, k) => (k + random()) * part);
}

/** What the killer reads before each kill. */
export interface KillerView {
  /** Kills made so far, and the decided count each planned kill waits for (killThresholds). */
  kills: number;
  thresholds: number[];
  /** The run's orders decided so far (the reference orders not counted). */
  decided: number;
  /** Orders are still being placed. */
  placing: boolean;
  /** Orders wait for their decision, or deliveries and jobs for a worker. */
  workLeft: boolean;
  msSinceLastKill: number;
  msSinceLastOrder: number;
  /** The gap after which this kill comes whatever the decisions (killClockGapMs). */
  clockGapMs: number;
}

/** Kills at least this far apart (as the clock-paced kills were while orders came in). */
export const KILL_MIN_GAP_MS = 500;
/**
 * While work is left but the decisions move slowly or stand still (the orders left wait for a
 * dead worker's jobs to be taken again, for reconciliation, which runs as a worker starts, or for
 * a retry's backoff), a kill this long after the last anyway: 1-3 s, drawn for each kill, the
 * clock-paced killer's own gaps, so the run is never slower to make its kills than it was.
 */
export const killClockGapMs = (random: () => number) => 1000 + random() * 2000;
/**
 * The last kill comes this long after the last order was placed: the worker it starts reconciles
 * every order that lost its webhooks (overdue after the run's 2 s grace), which no later restart
 * would otherwise find before the ten-minute reconciliation.
 */
export const LAST_KILL_AFTER_LAST_ORDER_MS = 2500;

/**
 * Whether the killer kills now: never outside work (orders still being placed, or work left), never
 * sooner than KILL_MIN_GAP_MS after the last kill; then once the decided orders reached the next
 * kill's threshold, or the clock's gap after the last kill.
 */
export function killDue(v: KillerView): boolean {
  if (v.kills >= v.thresholds.length) return false;
  if (!v.placing && !v.workLeft) return false;
  if (v.msSinceLastKill < KILL_MIN_GAP_MS) return false;
  const last = v.kills === v.thresholds.length - 1;
  if (last && (v.placing || v.msSinceLastOrder < LAST_KILL_AFTER_LAST_ORDER_MS)) return false;
  return v.decided >= v.thresholds[v.kills]! || v.msSinceLastKill >= v.clockGapMs;
}
