// The time a long pass of one shop (reconciliation, the stuck-and-drift scan) may take before it
// stops cleanly and leaves a cursor for the next pass, so a very large shop never outlives its job.

/**
 * A pass's budget: well below pg-boss's expiry of a running job (300 s, pgboss-queue.server.ts),
 * after which pg-boss fails the job and may run it again on another worker while this one still
 * runs, spending the shop's Admin API calls twice. The minute left covers the Admin call in flight
 * when the budget runs out (a throttled one waits for its bucket) and the cursor's write.
 */
export const PASS_BUDGET_MS = 4 * 60_000;

export interface PassBudget {
  /**
   * Whether the pass should stop now and leave the rest to the next: its budget is spent. Throws
   * the signal's reason when the job is no longer this worker's (its lease lost, pg-boss gave it
   * to another): then the pass writes nothing more, not even its cursor.
   */
  spent(): boolean;
}

/** A budget from now on the pass's clock (the worker's `now`, which tests move on). */
export function passBudget(
  now: () => Date,
  signal?: AbortSignal,
  budgetMs: number = PASS_BUDGET_MS,
): PassBudget {
  const until = now().getTime() + budgetMs;
  return {
    spent() {
      signal?.throwIfAborted();
      return now().getTime() >= until;
    },
  };
}

/** A budget that is never spent: a pass run outside a job (a test, the merchant's own click). */
export const UNLIMITED: PassBudget = { spent: () => false };
