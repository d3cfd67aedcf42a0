// What the fault run counts as left unfinished and what it waits for: pure rules over what it read
// from the app's database and queue, kept apart so a test pins them.
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
