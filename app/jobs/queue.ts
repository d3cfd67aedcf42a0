// The queue port: what the intake, reconciliation and bulk actions need from a job queue. The
// embedded adapter keeps jobs in the app's database (one process, SQLite); the pg-boss adapter keeps
// them in PostgreSQL for any number of worker processes (docs/decisions/008).

export interface EnqueueOptions {
  /**
   * A job with a key is enqueued once: a second enqueue with the same key adds nothing, but
   * brings a queued job waiting out a backoff forward to now (unless runAt is given), and gives a
   * job that failed for good a fresh start.
   */
  key?: string;
  shop?: string;
  runAt?: Date;
  maxAttempts?: number;
}

export interface Job<P = unknown> {
  id: string;
  queue: string;
  shop: string | null;
  payload: P;
  attempts: number;
  /**
   * Aborted when this worker no longer holds the job (its lease was taken after a stall): the
   * handler must make no further change. Adapters that cannot tell leave it undefined.
   */
  signal?: AbortSignal;
}

export type JobHandler<P = unknown> = (job: Job<P>) => Promise<void>;

export interface WorkOptions {
  /** Jobs run at once by this worker, across shops. */
  concurrency?: number;
  /**
   * Jobs of one shop run at once in this worker (the pg-boss adapter; the embedded one takes
   * shops in turn instead). One shop's burst never takes every slot.
   */
  perShop?: number;
  pollMs?: number;
}

export interface JobQueue {
  enqueue(queue: string, payload: unknown, options?: EnqueueOptions): Promise<boolean>;
  work(queue: string, handler: JobHandler, options?: WorkOptions): void;
  /** Runs due jobs until none is left; for tests and the demo's first start. */
  drain(queue: string, handler: JobHandler): Promise<number>;
  stop(): Promise<void>;
}

/** Backoff between attempts of a failed job: 1 s, 2 s, 4 s… capped at 5 minutes. */
export function retryDelayMs(attempts: number, baseMs = 1000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}
