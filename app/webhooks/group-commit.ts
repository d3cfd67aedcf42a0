// Group commit: items submitted while a write is running are written together by the next one, and
// each caller's promise settles only when the write holding its item has finished.
//
// Why: a durable commit costs an fsync and a statement, whatever it holds (ADR 006). With at most
// one write in flight, an idle system writes each item at once (no added wait), and a busy one
// writes everything that arrived during the previous write in a single statement.

export interface GroupCommitOptions {
  /** Most items in one write; the rest wait for the next. */
  maxBatch: number;
}

/** Writes a batch; answers one result per item, in order. A throw fails the whole batch. */
export type BatchWriter<I, O> = (items: I[]) => Promise<O[]>;

export interface GroupCommit<I, O> {
  /** Resolves once the item's batch is written; rejects if that write failed. */
  submit(item: I): Promise<O>;
  /** Resolves when nothing is waiting or being written (for shutdown and tests). */
  idle(): Promise<void>;
}

interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

export function createGroupCommit<I, O>(
  write: BatchWriter<I, O>,
  options: GroupCommitOptions,
): GroupCommit<I, O> {
  let queue: Waiting<I, O>[] = [];
  let writing = false;
  let scheduled = false;
  let idleWaiters: Array<() => void> = [];

  const schedule = () => {
    if (writing || scheduled) return;
    scheduled = true;
    // setImmediate, not a microtask: requests whose bytes arrived in the same turn of the event
    // loop are parsed first and join this batch.
    setImmediate(flush);
  };

  const flush = async () => {
    scheduled = false;
    writing = true;
    const batch = queue.slice(0, options.maxBatch);
    queue = queue.slice(batch.length);
    try {
      const results = await write(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) {
        throw new Error(
          `The batch writer answered ${results.length} results for ${batch.length} items`,
        );
      }
      batch.forEach((waiting, i) => waiting.resolve(results[i] as O));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      writing = false;
      if (queue.length > 0) schedule();
      else {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    idle() {
      if (!writing && !scheduled && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
