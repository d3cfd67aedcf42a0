// The queue port: what the intake, reconciliation and bulk actions need from a job queue. The
// embedded adapter keeps jobs in the app's database (one process, SQLite); the pg-boss adapter keeps
// them in PostgreSQL for any number of worker processes (docs/decisions/008).
import type { Prisma } from "@prisma/client";

export interface EnqueueOptions {
  /**
   * A job with a key is enqueued once: a second enqueue with the same key adds nothing, but
   * brings a queued job waiting out a backoff forward to now (unless runAt is given), and gives a
   * job that failed for good a fresh start (every attempt again, with the new payload).
   */
  key?: string;
  shop?: string;
  runAt?: Date;
  /**
   * Where the job stands among the waiting jobs of its queue: Shopify's time for what asked for it
   * (a webhook's X-Shopify-Triggered-At), so a shop's orders are taken in the order Shopify sent
   * them, not in the order their webhooks happened to arrive. When it is due (runAt) unless given.
   * Not a time to run at: a job brought forward keeps its place, a retry goes back to it (ADR 038).
   */
  orderAt?: Date;
  maxAttempts?: number;
  /**
   * Someone waits for this job on a screen (the merchant's Check now, ADR 100): it goes ahead of
   * every job of its queue that waits in line by its orderAt, whatever their shop, and such jobs
   * go among themselves in the order they were asked. It still takes one of its queue's slots
   * within its shop's cap, and waits for a job already running. An idle worker of another process
   * on the same database is told of it at once on either queue, not at its next poll.
   */
  firstInLine?: boolean;
}

/** One job of a batch: its payload and the same options a single enqueue takes. */
export interface BatchJob {
  payload: unknown;
  options?: EnqueueOptions;
}

/**
 * A transaction on the app's database (Prisma's interactive transaction client). Jobs enqueued
 * within it are committed or rolled back with the rows the caller writes in it: the embedded queue
 * writes its job table there, and pg-boss (same PostgreSQL database) sends its insert through it.
 */
export type DbTransaction = Prisma.TransactionClient;

export interface Job<P = unknown> {
  id: string;
  queue: string;
  shop: string | null;
  payload: P;
  attempts: number;
  /**
   * Aborted when this worker no longer holds the job (its lease was taken after a stall, or pg-boss
   * failed it for a missed heartbeat or its expiry and another worker may run it): the handler must
   * make no further change. Adapters that cannot tell leave it undefined.
   */
  signal?: AbortSignal;
  /** This attempt is the job's last: if it fails, the job gives up (is marked failed for good). */
  lastAttempt?: boolean;
}

/**
 * This worker no longer holds the job (its lease ran out during a stall, or pg-boss gave the job to
 * another worker): the reason a job's signal is aborted with.
 */
export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`The lease on job ${jobId} was taken by another worker`);
    this.name = "LeaseLost";
  }
}

export type JobHandler<P = unknown> = (job: Job<P>) => Promise<void>;

export interface WorkOptions {
  /** Jobs run at once by this worker, across shops. */
  concurrency?: number;
  /**
   * Jobs of one shop run at once in this worker (both adapters; the embedded one also takes shops
   * in turn). One shop's burst never takes every slot. Default: all of them. The waiting jobs are
   * taken by their orderAt (EnqueueOptions), the shops at their cap passed over.
   */
  perShop?: number;
  pollMs?: number;
}

/** A shop's jobs now, for the Home screen's queue health. */
export interface QueueHealth {
  queued: number;
  /**
   * Of the queued jobs, those whose time has come: not a timer set for later (a hold's release
   * tomorrow) nor a retry still waiting out its backoff. Queued and running jobs are the shop's work
   * in hand; a timer alone is not.
   */
  due: number;
  running: number;
  /** Jobs that used every attempt. */
  failed: number;
  /** How long the oldest job that is due has waited to start, in seconds. */
  oldestWaitSeconds: number;
}

/** A job that failed for good: what it was asked to do and why its last attempt failed. */
export interface GaveUpJob {
  id: string;
  payload: unknown;
  attempts: number;
  lastError: string | null;
}

/** A key another process held when `ifFree` asked for it (JobQueue.ifFree). */
export interface HeldElsewhere {
  /**
   * What became of it, asked later: another process holds the key now (`held`: the same or
   * another); the process that held it let go and is still running (`let go`); or it is gone
   * without letting go (`gone`: it died, or lost its database session).
   */
  since(): Promise<"held" | "let go" | "gone">;
}

export interface JobQueue {
  /**
   * Whether work any process stores (a job, a webhook delivery through the intake) wakes this
   * process's workers at once: pg-boss's queue listens for other processes' notifications
   * (LISTEN/NOTIFY), and the embedded queue of the only process on its database (the worker inside
   * the web process) hears its own. Then a worker's idle polls are only a safety net
   * (SAFETY_POLL_MS); otherwise they are how it finds another process's work.
   */
  readonly wakesOnAnyStore: boolean;
  enqueue(queue: string, payload: unknown, options?: EnqueueOptions): Promise<boolean>;
  /**
   * Enqueues many jobs in a few statements (a bulk action's thousands of items), returns how many
   * were added. A keyed job that already exists is left as it is (no revival, no bringing
   * forward: that is enqueue's). With `within`, the jobs commit or roll back with that transaction.
   */
  enqueueMany(
    queue: string,
    jobs: BatchJob[],
    options?: { within?: DbTransaction },
  ): Promise<number>;
  work(queue: string, handler: JobHandler, options?: WorkOptions): void;
  /**
   * Calls `listener` after each job this process ran is settled (done, failed, or waiting for its
   * retry), with its queue and shop: what the job recorded is committed by then, so the push sweep
   * looks for it (docs/decisions/015). Returns an unsubscribe.
   */
  onSettled(listener: (queue: string, shop: string | null) => void): () => void;
  /** A shop's queued, running and failed jobs in this queue's store, across every queue name. */
  health(shop: string, now: Date): Promise<QueueHealth>;
  /**
   * A shop's jobs in one queue that used every attempt and that no earlier call returned, oldest
   * first, at most `limit`. Each is marked as returned, so every give-up is handed out once
   * (reconciliation decides on it: start it over with `again`, or leave it) and the next call
   * moves on to later ones; a job started over that gives up again is returned again.
   */
  gaveUp(queue: string, shop: string, limit: number): Promise<GaveUpJob[]>;
  /**
   * Gives a job that failed for good a fresh start, keyed or not: every attempt again, due now,
   * with `payload`. False when the job is not (or no longer) failed.
   */
  again(queue: string, id: string, payload: unknown): Promise<boolean>;
  /**
   * Brings forward to now the shop's jobs, of every queue, that wait out a retry's backoff after
   * an attempt that failed with an error starting with one of `failedWith` (the shop's offline
   * session missing, which signing in has just cured): they run now rather than when their
   * backoff ends, up to 5 minutes later. Each keeps its place in line (ADR 038) and its attempts;
   * a running job, a job that failed for good, a job that failed for another reason and a job
   * waiting for a time set on purpose (a timer, a release tomorrow) are left as they are.
   * Answers how many were brought forward.
   */
  retryNow(shop: string, failedWith: readonly string[]): Promise<number>;
  /** Deletes every job of a shop, whatever its state (uninstall, shop/redact); returns how many. */
  forgetShop(shop: string): Promise<number>;
  /**
   * Runs `fn` while no other process runs `exclusive` with the same key (waiting its turn): the
   * jobs about one order across every worker process. In one process the caller keeps its own
   * order; the embedded queue (one process) runs `fn` at once.
   *
   * Re-entrant: a call with the same key made inside `fn` runs at once, and the outer call keeps
   * the key until its own `fn` ends (on PostgreSQL every call of a process takes its advisory lock
   * on the process's one lock session, which counts the times it took a key and lets go of it
   * after as many unlocks). For the same reason two calls of one process never wait for each
   * other, nested or not: only other processes wait.
   */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` as `exclusive` does, unless another process holds the key now: then `fn` is not run
   * (never waits for the other process) and the answer says who holds it. `{ value }` is `fn`'s
   * answer. `fn` may let go of the key before it ends (`letGo`). The embedded queue (one process)
   * runs `fn` at once.
   */
  ifFree<T>(
    key: string,
    fn: (letGo: () => void) => Promise<T>,
  ): Promise<{ value: T } | { heldElsewhere: HeldElsewhere }>;
  /** Runs due jobs until none is left; for tests and the demo's first start. */
  drain(queue: string, handler: JobHandler): Promise<number>;
  stop(): Promise<void>;
}

/**
 * How often a worker looks for work nobody announced, when every store of work is announced to it
 * (JobQueue.wakesOnAnyStore): a notification lost with its connection, a dead worker's job retried.
 * An idle worker's cost is mostly its polls (docs/decisions/035).
 */
export const SAFETY_POLL_MS = 5_000;

/**
 * Refuses, when a worker starts, slots it could never run a job with: a worker asks for as many
 * jobs as it (or the fullest shop) still has room for, so a count below one would ask for none,
 * again and again, and never run a job. Slots are whole numbers; a per-shop cap of Infinity is none.
 */
export function checkSlots(queue: string, slots: { concurrency: number; perShop: number }): void {
  const whole = (n: number) => Number.isInteger(n) && n >= 1;
  if (!whole(slots.concurrency))
    throw new RangeError(
      `${queue}: concurrency must be a whole number of at least 1, not ${slots.concurrency}`,
    );
  if (!whole(slots.perShop) && slots.perShop !== Number.POSITIVE_INFINITY)
    throw new RangeError(
      `${queue}: perShop must be a whole number of at least 1, not ${slots.perShop}`,
    );
}

/** Backoff between attempts of a failed job: 1 s, 2 s, 4 s… capped at 5 minutes. */
export function retryDelayMs(attempts: number, baseMs = 1000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}
