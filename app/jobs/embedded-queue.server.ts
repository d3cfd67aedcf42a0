// The embedded queue adapter: jobs in the app's own database, leased by one worker at a time.
// A running job's lease is renewed while it runs; a worker that dies mid-job stops renewing, its
// lease runs out, and another worker takes the job. A worker that finds its lease taken (it was
// stalled past the lease) is told through the job's signal and records nothing.
import { randomUUID } from "node:crypto";
import { closeSync, openSync, watch, type FSWatcher } from "node:fs";
import { writeFile } from "node:fs/promises";
import { insertRows } from "../db/batch.server";
import type { Db } from "../db/client.server";
import { isUniqueViolation } from "../db/errors.server";
import { errorText, logEvent } from "../utils/log.server";
import {
  checkSlots,
  LeaseLost,
  retryDelayMs,
  SAFETY_POLL_MS,
  type EnqueueOptions,
  type Job,
  type JobHandler,
  type JobQueue,
  type WorkOptions,
} from "./queue";

export interface EmbeddedQueueOptions {
  leaseMs?: number;
  now?: () => Date;
  workerId?: string;
  onError?: (error: unknown, job: Job) => void;
  /**
   * No other process stores webhook deliveries or jobs in this database: the worker runs inside
   * the one web process (WORKER=embedded on SQLite). Every store then wakes the worker in this
   * process, and its idle polls are only a safety net (SAFETY_POLL_MS); without it, a worker
   * process of its own polls every 250 ms for what the web process stored.
   */
  onlyProcess?: boolean;
  /**
   * A file beside the database through which the processes on it tell each other of a job asked
   * first in line (a merchant waiting on a screen, ADR 100): the process storing one writes it, and
   * a worker process watching it looks at its queues at once rather than at its next poll (30 s
   * for the timers' queues). The watch is the operating system's file notification: no statement
   * and no timer while nothing is written. Unused by the only process on its database.
   */
  wakeFile?: string;
}

/** A job due later than this wakes its queue by the poll rather than a timer of its own. */
const TIMER_WITHIN_MS = 60 * 60_000;

/**
 * How far back a job asked first in line stands (EnqueueOptions.firstInLine): its place is the
 * time it was asked, this long before. That is before any job's own place (a webhook's time,
 * Shopify retrying for two days at most), and such jobs keep among themselves the order they were
 * asked in; the lease's index on orderAt serves them as any place, with no column more.
 */
const FIRST_IN_LINE_BY_MS = 50 * 365 * 24 * 60 * 60_000;

/** A job's place in line (orderAt) for its options, asked at `at`. */
function placeInLine(options: EnqueueOptions, at: Date): Date {
  if (options.firstInLine) return new Date(at.getTime() - FIRST_IN_LINE_BY_MS);
  return options.orderAt ?? options.runAt ?? at;
}

const JOB_COLUMNS = [
  "id",
  "queue",
  "payload",
  "key",
  "shop",
  "runAt",
  "orderAt",
  "maxAttempts",
  "attempts",
  "status",
  "createdAt",
] as const;

/** A failed job's row as a fresh start: every attempt again, due at `runAt`, not yet seen given up. */
function freshStart(payload: unknown, runAt: Date) {
  return {
    status: "queued",
    attempts: 0,
    runAt,
    lastError: null,
    finishedAt: null,
    gaveUpSeenAt: null,
    payload: JSON.stringify(payload),
  };
}

export function createEmbeddedQueue(db: Db, options: EmbeddedQueueOptions = {}): JobQueue {
  const leaseMs = options.leaseMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const running = new Set<Promise<void>>();
  const wakers = new Map<string, () => void>();
  const settledListeners = new Set<(queue: string, shop: string | null) => void>();
  let stopped = false;
  const wakeFile = options.onlyProcess ? undefined : options.wakeFile;
  let watcher: FSWatcher | undefined;

  /**
   * Tells the worker processes on this database of a job asked first in line that is due (ADR
   * 100). A write that fails leaves the job to their polls, as before.
   */
  const tellOthers = async (jobOptions: EnqueueOptions | undefined) => {
    if (!wakeFile || !jobOptions?.firstInLine) return;
    if (jobOptions.runAt && jobOptions.runAt.getTime() > now().getTime()) return;
    await writeFile(wakeFile, String(now().getTime())).catch(() => undefined);
  };

  /**
   * Watches the wake file once this process works a queue: a write wakes every queue it works (a
   * look each, as often as a merchant asks). Where the file system gives no notification the
   * watch fails and the polls find the job, as before.
   */
  const watchWakeFile = () => {
    if (!wakeFile || watcher || stopped) return;
    try {
      // Made if missing, never emptied: the watch needs the file, and writers write it in place.
      closeSync(openSync(wakeFile, "a"));
      watcher = watch(wakeFile, { persistent: false }, () => {
        for (const wake of wakers.values()) wake();
      });
      watcher.on("error", () => watcher?.close());
    } catch (error) {
      options.onError?.(error, { id: "", queue: "", shop: null, payload: null, attempts: 0 });
    }
  };

  /** Wakes `queue`'s worker when a job this process stored for `at` is due. */
  const wakeAt = (queue: string, at: Date) => {
    const ms = at.getTime() - now().getTime();
    if (ms <= 0) return wakers.get(queue)?.();
    if (ms > TIMER_WITHIN_MS) return;
    const t = setTimeout(() => {
      timers.delete(t);
      wakers.get(queue)?.();
    }, ms + 5);
    t.unref?.();
    timers.add(t);
  };

  /**
   * Takes up to `limit` due jobs, first in line (orderAt) first but one shop at a time
   * round-robin, none of the shops in `skipShops` (at their cap in this worker) and at most
   * `room(shop)` of any other.
   */
  async function lease(
    queue: string,
    limit: number,
    skipShops: string[] = [],
    room: (shop: string) => number = () => limit,
  ): Promise<Job[]> {
    const at = now();
    const candidates = await db.job.findMany({
      where: {
        queue,
        runAt: { lte: at },
        // The IN lets the index reach only the queue's live jobs: with the OR alone it read every
        // job of the queue, the week of finished ones kept for their keys included.
        status: { in: ["queued", "running"] },
        OR: [{ status: "queued" }, { status: "running", leaseUntil: { lt: at } }],
        // A shop at its cap is left out of the query itself: behind its burst of thousands, the
        // next shop's job is still among the candidates. (Jobs without a shop are never capped.)
        ...(skipShops.length > 0
          ? { AND: [{ OR: [{ shop: null }, { shop: { notIn: skipShops } }] }] }
          : {}),
      },
      // In line, not by arrival or due time: a shop's order paid first is decided first even when
      // its webhook came after later ones', and a job brought forward or retried keeps its place.
      orderBy: { orderAt: "asc" },
      take: limit * 8,
    });
    // Fairness: the first job of each shop before the second of any, so one shop's burst
    // never starves another.
    const byShop = new Map<string, typeof candidates>();
    for (const c of candidates) {
      const list = byShop.get(c.shop ?? "") ?? [];
      list.push(c);
      byShop.set(c.shop ?? "", list);
    }
    const ordered: typeof candidates = [];
    for (let round = 0; ordered.length < candidates.length; round++) {
      for (const list of byShop.values()) if (list[round]) ordered.push(list[round]!);
    }
    const leased: Job[] = [];
    const taken = new Map<string, number>();
    for (const c of ordered) {
      if (leased.length >= limit) break;
      const shop = c.shop ?? "";
      if ((taken.get(shop) ?? 0) >= room(shop)) continue;
      // Optimistic claim: only one worker's update matches the job's previous state.
      const claimed = await db.job.updateMany({
        where: {
          id: c.id,
          OR: [{ status: "queued" }, { status: "running", leaseUntil: { lt: at } }],
        },
        data: {
          status: "running",
          leasedBy: workerId,
          leaseUntil: new Date(at.getTime() + leaseMs),
          attempts: { increment: 1 },
        },
      });
      if (claimed.count === 1) {
        taken.set(shop, (taken.get(shop) ?? 0) + 1);
        leased.push({
          id: c.id,
          queue: c.queue,
          shop: c.shop,
          payload: JSON.parse(c.payload),
          attempts: c.attempts + 1,
          lastAttempt: c.attempts + 1 >= c.maxAttempts,
        });
      }
    }
    return leased;
  }

  /**
   * Extends the lease every third of its length while the job runs, so a long job (an order of
   * many rounds, an Admin call retried for a minute) is never taken by a second worker. If the
   * row is no longer ours, the job's signal aborts: the handler stops before its next change.
   */
  function keepLease(job: Job, lost: AbortController): () => void {
    const renew = async () => {
      const renewed = await db.job
        .updateMany({
          where: { id: job.id, leasedBy: workerId, status: "running" },
          data: { leaseUntil: new Date(now().getTime() + leaseMs) },
        })
        .catch(() => null);
      // A failed renewal (the database away for a moment) is tried again at the next tick; the
      // lease still has two thirds of its length.
      if (renewed && renewed.count === 0) lost.abort(new LeaseLost(job.id));
    };
    const timer = setInterval(() => void renew(), Math.max(10, Math.floor(leaseMs / 3)));
    timer.unref?.();
    return () => clearInterval(timer);
  }

  async function run(job: Job, handler: JobHandler): Promise<void> {
    try {
      await runAndSettle(job, handler);
    } finally {
      for (const listener of settledListeners) listener(job.queue, job.shop);
    }
  }

  async function runAndSettle(job: Job, handler: JobHandler): Promise<void> {
    const lost = new AbortController();
    job.signal = lost.signal;
    const release = keepLease(job, lost);
    try {
      await handler(job);
      release();
      await db.job.updateMany({
        where: { id: job.id, leasedBy: workerId },
        data: { status: "done", finishedAt: now(), leaseUntil: null, lastError: null },
      });
    } catch (error) {
      release();
      options.onError?.(error, job);
      const row = await db.job.findUnique({ where: { id: job.id } });
      const exhausted = !row || job.attempts >= row.maxAttempts;
      if (exhausted && row?.leasedBy === workerId) {
        const payload = job.payload as { orderId?: unknown } | null;
        logEvent("error", "job.gave_up", {
          queue: job.queue,
          jobId: job.id,
          shop: job.shop,
          orderId: typeof payload?.orderId === "string" ? payload.orderId : null,
          attempts: job.attempts,
          error: errorText(error),
        });
      }
      const retryAt = new Date(now().getTime() + retryDelayMs(job.attempts));
      const settled = await db.job.updateMany({
        where: { id: job.id, leasedBy: workerId },
        data: {
          status: exhausted ? "failed" : "queued",
          lastError: error instanceof Error ? error.message : String(error),
          leaseUntil: null,
          runAt: retryAt,
          finishedAt: exhausted ? now() : null,
        },
      });
      // Its next attempt is taken when due, not at the next (safety) poll.
      if (!exhausted && settled.count > 0) wakeAt(job.queue, retryAt);
    }
  }

  return {
    wakesOnAnyStore: options.onlyProcess ?? false,

    async enqueue(queue: string, payload: unknown, enqueueOptions: EnqueueOptions = {}) {
      try {
        await db.job.create({
          data: {
            queue,
            payload: JSON.stringify(payload),
            key: enqueueOptions.key ?? null,
            shop: enqueueOptions.shop ?? null,
            runAt: enqueueOptions.runAt ?? now(),
            orderAt: placeInLine(enqueueOptions, now()),
            maxAttempts: enqueueOptions.maxAttempts ?? 10,
          },
        });
        wakeAt(queue, enqueueOptions.runAt ?? now());
        await tellOthers(enqueueOptions);
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) {
          // Already queued: asking again for an earlier time brings it forward (a retry waiting
          // out its backoff runs now that, say, the shop's session exists).
          if (enqueueOptions.key) {
            // One that gave up for good is given a fresh start: asking again means it is wanted.
            const at = enqueueOptions.runAt ?? now();
            const revived = await db.job.updateMany({
              where: { key: enqueueOptions.key, status: "failed" },
              data: freshStart(payload, at),
            });
            if (revived.count > 0) {
              wakeAt(queue, at);
              await tellOthers(enqueueOptions);
              return true;
            }
          }
          if (enqueueOptions.key && enqueueOptions.runAt === undefined) {
            const forward = await db.job.updateMany({
              where: { key: enqueueOptions.key, status: "queued", runAt: { gt: now() } },
              data: { runAt: now() },
            });
            if (forward.count > 0) wakers.get(queue)?.();
          }
          return false;
        }
        throw error;
      }
    },

    // One process on SQLite: the caller's own in-process order is all there is to keep.
    exclusive: (_key, fn) => fn(),
    ifFree: async (_key, fn) => ({ value: await fn(() => undefined) }),

    onSettled(listener) {
      settledListeners.add(listener);
      return () => settledListeners.delete(listener);
    },

    async enqueueMany(queue, jobs, { within } = {}) {
      const at = now();
      // One statement per batch; a key already taken (by an earlier batch, a single enqueue or
      // this batch) skips the row.
      const added = await insertRows(
        within ?? db,
        "Job",
        JOB_COLUMNS,
        jobs.map((job) => ({
          id: randomUUID(),
          queue,
          payload: JSON.stringify(job.payload),
          key: job.options?.key ?? null,
          shop: job.options?.shop ?? null,
          runAt: job.options?.runAt ?? at,
          orderAt: placeInLine(job.options ?? {}, at),
          maxAttempts: job.options?.maxAttempts ?? 10,
          attempts: 0,
          status: "queued",
          createdAt: at,
        })),
      );
      if (added > 0) {
        wakers.get(queue)?.();
        await tellOthers(jobs.find((job) => job.options?.firstInLine)?.options);
      }
      return added;
    },

    work(queue: string, handler: JobHandler, workOptions: WorkOptions = {}) {
      // This queue's slots: jobs of other queues running in this process do not take them.
      const concurrency = workOptions.concurrency ?? 4;
      const perShop = workOptions.perShop ?? concurrency;
      // A tick leases as many jobs as the queue's slots, and each shop, still have room for.
      checkSlots(queue, { concurrency, perShop });
      const pollMs = workOptions.pollMs ?? (options.onlyProcess ? SAFETY_POLL_MS : 250);
      const mine = new Set<Promise<void>>();
      const perShopRunning = new Map<string, number>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let ticking = false;
      let wokenWhileTicking = false;
      // Turn-taking (ADR 063): a free slot goes first to a shop with no job running, then in line;
      // looked for only when a job may have come since the last look found none (a job stored, a
      // poll), as the pg-boss queue does.
      let stored = 0;
      let noneNewAt = -1;
      const tick = async () => {
        if (stopped) return;
        ticking = true;
        wokenWhileTicking = false;
        let next = pollMs;
        const free = concurrency - mine.size;
        if (free > 0) {
          // Several orders of one shop at once (its Admin bucket paces them), never all of the
          // slots: the rest stay free for the next shop's orders.
          const capped = [...perShopRunning]
            .filter(([shop, n]) => shop !== "" && n >= perShop)
            .map(([shop]) => shop);
          const failed = (error: unknown) => {
            options.onError?.(error, { id: "", queue, shop: null, payload: null, attempts: 0 });
            return [] as Job[];
          };
          const roomOf = (shop: string) =>
            shop === "" ? free : perShop - (perShopRunning.get(shop) ?? 0);
          // First the shops with none of their jobs running (the shops holding slots left out),
          // then the rest in line: behind one shop's burst, a quiet shop's order takes the next
          // free slot rather than the burst's next order (its backlog was paid first).
          const holding = [...perShopRunning.keys()].filter((shop) => shop !== "");
          let jobs: Job[] = [];
          if (holding.length > 0 && noneNewAt !== stored) {
            const seen = stored;
            jobs = await lease(queue, free, holding, roomOf).catch(failed);
            if (jobs.length < free) noneNewAt = seen;
          }
          if (jobs.length < free) {
            const taken = new Map<string, number>();
            for (const job of jobs) taken.set(job.shop ?? "", (taken.get(job.shop ?? "") ?? 0) + 1);
            jobs.push(
              ...(await lease(queue, free - jobs.length, capped, (shop) =>
                shop === "" ? free - jobs.length : roomOf(shop) - (taken.get(shop) ?? 0),
              ).catch(failed)),
            );
          }
          for (const job of jobs) {
            const shop = job.shop ?? "";
            perShopRunning.set(shop, (perShopRunning.get(shop) ?? 0) + 1);
            // A finished job frees a slot: look for the next one now, not at the next poll.
            const p = run(job, handler).finally(() => {
              running.delete(p);
              mine.delete(p);
              const left = perShopRunning.get(shop)! - 1;
              if (left > 0) perShopRunning.set(shop, left);
              else perShopRunning.delete(shop);
              wake();
            });
            running.add(p);
            mine.add(p);
          }
          if (jobs.length === free) next = 0;
        }
        ticking = false;
        schedule(wokenWhileTicking ? 0 : next);
      };
      const schedule = (ms: number) => {
        if (stopped) return;
        if (timer) {
          clearTimeout(timer);
          timers.delete(timer);
        }
        const t = setTimeout(() => {
          timers.delete(t);
          timer = undefined;
          // A poll may find jobs another process stored.
          if (ms > 0) stored++;
          void tick();
        }, ms);
        timer = t;
        timers.add(t);
      };
      // Enqueued in this process: taken at once; the poll finds jobs other processes enqueued.
      const wake = () => {
        if (stopped) return;
        if (ticking) wokenWhileTicking = true;
        else schedule(0);
      };
      wakers.set(queue, () => {
        stored++;
        wake();
      });
      watchWakeFile();
      schedule(0);
    },

    async health(shop, at) {
      const [groups, due, oldest] = await Promise.all([
        db.job.groupBy({
          by: ["status"],
          where: { shop, status: { in: ["queued", "running", "failed"] } },
          _count: { _all: true },
        }),
        db.job.count({ where: { shop, status: "queued", runAt: { lte: at } } }),
        db.job.findFirst({
          where: { shop, status: "queued", runAt: { lte: at } },
          orderBy: { runAt: "asc" },
          select: { runAt: true },
        }),
      ]);
      const count = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
      return {
        queued: count("queued"),
        due,
        running: count("running"),
        failed: count("failed"),
        oldestWaitSeconds: oldest
          ? Math.max(0, Math.round((at.getTime() - oldest.runAt.getTime()) / 1000))
          : 0,
      };
    },

    async gaveUp(queue, shop, limit) {
      const rows = await db.job.findMany({
        where: { queue, shop, status: "failed", gaveUpSeenAt: null },
        orderBy: { finishedAt: "asc" },
        take: limit,
        select: { id: true, payload: true, attempts: true, lastError: true },
      });
      // Each row claimed on its own, while still failed and unseen: a job started over meanwhile
      // is not marked, and of two callers looking at once only the one whose mark landed gets it.
      const claimed: typeof rows = [];
      for (const row of rows) {
        const marked = await db.job.updateMany({
          where: { id: row.id, status: "failed", gaveUpSeenAt: null },
          data: { gaveUpSeenAt: now() },
        });
        if (marked.count === 1) claimed.push(row);
      }
      return claimed.map((row) => ({
        id: row.id,
        payload: JSON.parse(row.payload) as unknown,
        attempts: row.attempts,
        lastError: row.lastError,
      }));
    },

    async again(queue, id, payload) {
      const revived = await db.job.updateMany({
        where: { id, queue, status: "failed" },
        data: freshStart(payload, now()),
      });
      if (revived.count === 0) return false;
      wakers.get(queue)?.();
      return true;
    },

    async retryNow(shop, failedWith) {
      if (failedWith.length === 0) return 0;
      const at = now();
      // Only a job back in line after a failed attempt (queued, its error kept) whose retry is
      // still ahead: a timer never ran, so it has no error; a running job is not queued.
      const where = {
        shop,
        status: "queued",
        runAt: { gt: at },
        OR: failedWith.map((start) => ({ lastError: { startsWith: start } })),
      };
      const queues = await db.job.findMany({ where, distinct: ["queue"], select: { queue: true } });
      if (queues.length === 0) return 0;
      const moved = await db.job.updateMany({ where, data: { runAt: at } });
      for (const { queue } of queues) wakers.get(queue)?.();
      return moved.count;
    },

    async forgetShop(shop) {
      return (await db.job.deleteMany({ where: { shop } })).count;
    },

    async drain(queue: string, handler: JobHandler) {
      let done = 0;
      for (;;) {
        const jobs = await lease(queue, 8);
        if (jobs.length === 0) return done;
        await Promise.all(jobs.map((job) => run(job, handler)));
        done += jobs.length;
      }
    },

    async stop() {
      stopped = true;
      watcher?.close();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
