// The pg-boss queue adapter: jobs in PostgreSQL (schema `pgboss`, same database as the app), taken
// by any number of worker processes, each shop's jobs capped across all of them (fairness).
import { hash, randomUUID } from "node:crypto";
import pg from "pg";
import { PgBoss, type ConstructorOptions, type Job as BossJob } from "pg-boss";
import { errorText, logEvent } from "../utils/log.server";
import { deliveriesStored, INBOX_CHANNEL, PROCESS_TAG } from "./inbox-signal";
import { PreparingClient } from "./prepared-statements";
import { passPushableOn, PUSH_CHANNEL, pushableElsewhere } from "./push-signal";
import {
  checkSlots,
  LeaseLost,
  SAFETY_POLL_MS,
  type EnqueueOptions,
  type HeldElsewhere,
  type Job,
  type JobHandler,
  type JobQueue,
  type WorkOptions,
} from "./queue";
import { statementLines } from "./statement-line";

export interface PgBossQueueOptions {
  /** Connections this process's pg-boss may hold (its own pool, beside Prisma's). */
  maxConnections?: number;
  onError?: (error: unknown, job: Job | null) => void;
  /**
   * Seconds without a heartbeat before an active job counts as abandoned (its worker died) and is
   * retried elsewhere. pg-boss's minimum is 10.
   */
  heartbeatSeconds?: number;
  /**
   * Seconds a handler may run before pg-boss fails its job and retries it elsewhere (a handler
   * that hangs); its signal is aborted then. 300 unless set.
   */
  expireInSeconds?: number;
  /** How often abandoned jobs are looked for, in seconds (10 unless set). */
  superviseIntervalSeconds?: number;
  /**
   * Whether this process takes part in pg-boss's supervision (finding abandoned jobs, its
   * maintenance): a process that runs no worker (a web process, WORKER=off) leaves it to the
   * workers and sends nothing while idle. True unless set.
   */
  supervise?: boolean;
  /** How often a queue with free slots looks for jobs nobody announced (SAFETY_POLL_MS unless set). */
  idlePollMs?: number;
}

/**
 * pg-boss job ids are UUIDs the caller may choose. A keyed job's id is derived from its key, so
 * "enqueue once" is the primary key's doing: a second insert with the same key inserts nothing,
 * whatever state the first is in and whichever process sends it.
 */
export function jobIdForKey(key: string): string {
  const h = hash("sha256", `fulfilment-router:${key}`, "hex");
  // Shaped as a version 8 (custom) UUID with the RFC 9562 variant bits.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The moment a job's place in line counts from (ORDER_EPOCH_MS) and how finely (ORDER_UNIT_MS):
 * pg-boss fetches by priority (highest first), then by when a job was stored, and its priority is
 * a 32-bit integer, so a place in line is tenths of a second since 2026 counted down from the
 * highest priority: 13.6 years of it, to 2039, after which every job is last alike and jobs go by
 * arrival again. Orders paid within the same tenth go by arrival (ADR 038).
 */
const ORDER_EPOCH_MS = Date.UTC(2026, 0, 1);
const ORDER_UNIT_MS = 100;
const PRIORITY_MAX = 2 ** 31 - 1;
const PRIORITY_MIN = -(2 ** 31);

/**
 * The priority of a job asked first in line (EnqueueOptions.firstInLine, ADR 100): above every
 * place a time gives (those stop one below it), so pg-boss fetches it first; such jobs go among
 * themselves by when they were stored, which is the order they were asked in.
 */
const PRIORITY_FIRST_IN_LINE = PRIORITY_MAX;

/** pg-boss's priority for a job's place in line (EnqueueOptions.orderAt): earlier is higher. */
export function priorityInLine(orderAt: Date): number {
  const units = Math.floor((orderAt.getTime() - ORDER_EPOCH_MS) / ORDER_UNIT_MS);
  return Math.min(PRIORITY_MAX - 1, Math.max(PRIORITY_MIN, PRIORITY_MAX - Math.max(0, units)));
}

/**
 * Jobs stored before places in line were kept have pg-boss's default priority, 0, which puts them
 * behind every job stored since: given their place by when they were stored, once per process
 * start (a handful of rows, only after the upgrade; the partial index of waiting jobs finds them).
 */
const PLACE_OLD_JOBS_SQL = `
  UPDATE pgboss.job
     SET priority = LEAST(${PRIORITY_MAX - 1}, GREATEST(${PRIORITY_MIN}, ${PRIORITY_MAX} - GREATEST(0,
           floor((extract(epoch FROM created_on) * 1000 - ${ORDER_EPOCH_MS}) / ${ORDER_UNIT_MS}))::bigint))
   WHERE state < 'active' AND NOT blocked AND priority = 0`;

/** What pg-boss stores per job for our options: attempts, backoff (1 s doubling, capped at 5 min). */
function insertOptions(options: EnqueueOptions) {
  const maxAttempts = options.maxAttempts ?? 10;
  return {
    ...(options.key ? { id: jobIdForKey(options.key) } : {}),
    ...(options.shop ? { group: { id: options.shop } } : {}),
    ...(options.runAt ? { startAfter: options.runAt } : {}),
    // Its place in line: fetched by it before the time it was stored (ADR 038), or ahead of every
    // such place when someone waits for it (ADR 100).
    priority: options.firstInLine
      ? PRIORITY_FIRST_IN_LINE
      : priorityInLine(options.orderAt ?? options.runAt ?? new Date()),
    retryLimit: Math.max(0, maxAttempts - 1),
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 300,
  };
}

/**
 * The two 32-bit keys of a PostgreSQL advisory lock for a key: a namespace of this app's own (so
 * other users of advisory locks in the database never meet ours) and the key's hash. Two keys with
 * one hash only wait for each other a little. The keys must stay what they are: during a rolling
 * deploy an old and a new process lock the same order, and keys that differed would let both run
 * it. Node's one-shot hash() gives the same digest as a Hash object without making one per call.
 */
export function advisoryLockKeys(key: string): [number, number] {
  const h = hash("sha256", key, "buffer");
  return [0x46526f75, h.readInt32BE(0)];
}

/** How often a process waiting for another's advisory lock asks again. */
const LOCK_POLL_MS = 50;

/**
 * The longest a job's unlock waits for the next lock statement of its process to go with: no
 * longer than another process waiting for the lock takes to ask again.
 */
const UNLOCK_WITHIN_MS = LOCK_POLL_MS;

/** The most finished jobs of one queue marked completed in one statement. */
const COMPLETIONS_AT_ONCE = 100;

/** The most enqueued jobs of one queue inserted in one statement. */
const INSERTS_AT_ONCE = 100;

/** An enqueued job as it is inserted with others of its queue, its id chosen beforehand. */
type Insertion = { id: string; data: object } & ReturnType<typeof insertOptions>;

/** The most lock and unlock calls sent as one statement. */
const LOCK_CALLS_AT_ONCE = 32;

/** A job's call to take or let go of an advisory lock, waiting for the lock session. */
interface LockCall {
  session: Promise<pg.Client>;
  unlock: boolean;
  keys: [number, number];
  done: (result: boolean) => void;
  failed: (error: unknown) => void;
}

/** The channel a process tells the others on that a queue has new jobs (LISTEN/NOTIFY). */
const JOBS_CHANNEL = "fulfilment_router_jobs";

/** A queue's wake-ups to other processes are coalesced into one per this long. */
const NOTIFY_EVERY_MS = 20;

/** How soon a lost listening connection is opened again. */
const LISTEN_AGAIN_MS = 1000;

/**
 * How often a queue with a failed job of this process waiting out its backoff looks for it: the
 * backoff's end is pg-boss's to draw (between half and all of 2^(retries+1) seconds), so the queue
 * polls as it did before wake-ups until the longest it may take.
 */
const RETRY_POLL_MS = 500;

/** The latest a failed job's next attempt may be due, in ms: pg-boss's backoff at most (insertOptions). */
const latestRetryMs = (retryCount: number) =>
  Math.min(300, 2 ** Math.min(16, retryCount + 1)) * 1000 + 1000;

/** A job due later than this wakes this process by the safety poll rather than a timer of its own. */
const TIMER_WITHIN_MS = 60 * 60_000;

/** Jobs per insert statement of enqueueMany (one JSON parameter each). */
const BATCH_JOBS = 1000;

/** The attempt of a fetched job that complete(), fail() and touch() are fenced to. */
const attemptOf = (job: BossJob<unknown>) => ({ id: job.id, retryCount: job.retryCount });

/** Fetched jobs in line: pg-boss's fetch order (priority, highest first, then when stored). */
function inLine(a: BossJob<unknown>, b: BossJob<unknown>): number {
  const meta = (job: BossJob<unknown>) => job as { priority?: number; createdOn?: Date };
  return (
    (meta(b).priority ?? 0) - (meta(a).priority ?? 0) ||
    new Date(meta(a).createdOn ?? 0).getTime() - new Date(meta(b).createdOn ?? 0).getTime()
  );
}

/** Whether a fetched job's attempt is its last (its metadata fetched with it). */
function isLastAttempt(job: BossJob<unknown>): boolean {
  const limit = (job as { retryLimit?: number }).retryLimit;
  return typeof limit === "number" && job.retryCount >= limit;
}

function toJob(queue: string, job: BossJob<unknown>, signal?: AbortSignal): Job {
  const shop = (job as { groupId?: string | null }).groupId ?? null;
  return {
    id: job.id,
    queue,
    shop,
    payload: job.data,
    attempts: job.retryCount + 1,
    lastAttempt: isLastAttempt(job),
    ...(signal ? { signal } : {}),
  };
}

/** The message of a failed job's output: ours ({message}) or pg-boss's expiry ({value: {message}}). */
function outputMessage(output: unknown): string | null {
  if (!output || typeof output !== "object") return null;
  const o = output as { message?: unknown; value?: { message?: unknown } | null };
  if (o.message !== undefined) return String(o.message);
  if (o.value && typeof o.value === "object" && o.value.message !== undefined)
    return String(o.value.message);
  return null;
}

/**
 * A failed job as a fresh start, in pg-boss's own table: what pg-boss's retry() does (state retry,
 * completed_on cleared), with the attempts counted from zero again (retry() grants one more), the
 * new payload, due at $4, the give-up mark and the last error cleared, and kept at least as long as
 * a new job (the sweep deletes a waiting job past keep_until).
 */
const FRESH_START_SQL = `
  UPDATE pgboss.job
     SET state = 'retry', retry_count = 0, completed_on = NULL, started_on = NULL,
         output = NULL, data = $3::jsonb, start_after = $4,
         keep_until = GREATEST(keep_until, $4::timestamptz + interval '14 days')
   WHERE name = $1 AND id = $2::uuid AND state = 'failed'`;

export interface PgBossQueue extends JobQueue {
  /** Starts pg-boss (installs or migrates its schema once); every method awaits it anyway. */
  ready(): Promise<void>;
  /** The running pg-boss, for queue health figures. */
  boss(): Promise<PgBoss>;
}

export function createPgBossQueue(
  databaseUrl: string,
  options: PgBossQueueOptions = {},
): PgBossQueue {
  const heartbeatSeconds = options.heartbeatSeconds ?? 10;
  const expireInSeconds = options.expireInSeconds ?? 300;
  const config: ConstructorOptions & { Client: typeof PreparingClient } = {
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    application_name: "fulfilment-router-queue",
    // pg-boss's pool makes its connections from this class (node-postgres's Pool option, passed on
    // with pg-boss's config): its fetch, insert and other single statements go as named prepared
    // statements, parsed and planned once a connection instead of on every call (ADR 056).
    Client: PreparingClient,
    // No cron schedules: reconciliation runs on the worker's own timer, keyed per slot.
    schedule: false,
    // How soon a dead worker's job is found: the supervisor's sweep, and each queue's monitor pass
    // (where the heartbeat check runs; pg-boss's default is once a minute). Each is a few
    // statements per process every interval, most of what an idle worker sends (ADR 035): every
    // 10 s, a dead worker's job is retried 10 to 25 s after its last heartbeat.
    supervise: options.supervise ?? true,
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 10,
    monitorIntervalSeconds: options.superviseIntervalSeconds ?? 10,
    // No OpenTelemetry: the app registers no SDK, so pg-boss's spans were no-ops, yet each fetch,
    // completion and insert made one and each fetch read the jobs' trace context too. What that
    // saves is small beside the call's own cost (docs/decisions/048).
    openTelemetry: { enabled: false },
  };
  const boss = new PgBoss(config);
  boss.on("error", (error: unknown) => options.onError?.(error, null));

  const created = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  const wakers = new Map<string, (() => void)[]>();
  const settledListeners = new Set<(queue: string, shop: string | null) => void>();
  const timers = new Set<() => void>();
  // Per queue, until when a failed job of this process may become due again (RETRY_POLL_MS).
  const retryUntil = new Map<string, number>();
  // Timers waking a queue when a job this process enqueued for later becomes due.
  const dueTimers = new Set<ReturnType<typeof setTimeout>>();
  const wakeQueue = (queue: string) => {
    for (const wake of wakers.get(queue) ?? []) wake();
  };
  /** Wakes `queue` in this process when a job enqueued for `at` is due (soon enough to keep a timer). */
  const wakeAt = (queue: string, at: Date) => {
    const ms = at.getTime() - Date.now();
    if (ms <= 0) return wakeQueue(queue);
    if (ms > TIMER_WITHIN_MS) return;
    const timer = setTimeout(() => {
      dueTimers.delete(timer);
      if (!stopped) wakeQueue(queue);
    }, ms + 5);
    timer.unref?.();
    dueTimers.add(timer);
  };
  let started: Promise<void> | undefined;
  let stopped = false;

  const start = () => {
    started ??= boss
      .start()
      .then(() => boss.getDb().executeSql(PLACE_OLD_JOBS_SQL))
      .then(() => undefined);
    return started;
  };

  // A queue is created once per database (createQueue ignores one that exists); every queue
  // retries a job whose worker stopped beating.
  const ensureQueue = (name: string) => {
    let p = created.get(name);
    if (!p) {
      p = start().then(() =>
        boss.createQueue(name, {
          heartbeatSeconds,
          // A handler that hangs is given up on (its signal aborted) after 5 minutes and retried;
          // long passes stop at a budget below it and carry on in a new job (ADR 029).
          expireInSeconds,
          // Done jobs stay a week: a keyed job's id blocks a repeat that long.
          deleteAfterSeconds: 7 * 24 * 3600,
        }),
      );
      created.set(name, p);
    }
    return p;
  };

  /**
   * A keyed job that already exists: brought forward when it waits out a backoff (unless runAt is
   * given), given another go with the new payload when it failed for good — the embedded queue's
   * semantics (queue.ts).
   */
  async function onDuplicate(queue: string, payload: unknown, options: EnqueueOptions) {
    const id = jobIdForKey(options.key!);
    const at = options.runAt ?? new Date();
    if (await freshStart(queue, id, payload, at)) {
      if (at.getTime() <= Date.now()) tellOthers(queue);
      wakeAt(queue, at);
      return true;
    }
    if (options.runAt === undefined) {
      // Only a job still waiting: update() leaves active and finished jobs alone.
      const [job] = await boss.findJobs(queue, { id, queued: true });
      if (job && new Date(job.startAfter).getTime() > Date.now()) {
        await boss.update(queue, undefined, { id, startAfter: new Date() });
        // Brought forward: due now, for this process's workers and the others'.
        wakeQueue(queue);
        tellOthers(queue);
      }
    }
    return false;
  }

  /** Starts a failed job over (FRESH_START_SQL); false when it is not failed. */
  async function freshStart(queue: string, id: string, payload: unknown, at: Date) {
    await start();
    const { rows } = await boss
      .getDb()
      .executeSql(`WITH r AS (${FRESH_START_SQL} RETURNING 1) SELECT count(*)::int AS n FROM r`, [
        queue,
        id,
        JSON.stringify(payload ?? {}),
        at,
      ]);
    return ((rows[0] as { n: number } | undefined)?.n ?? 0) > 0;
  }

  /**
   * Keeps this worker's claim on a running job and tells the handler when it is gone. The heartbeat
   * (half of heartbeatSeconds) refreshes the claim; pg-boss's touch() answers which attempts it
   * refreshed, so a job missing from the answer is no longer ours (failed for a missed heartbeat or
   * its expiry, and maybe retried on another worker): its signal aborts, as it does once the job's
   * expiry passes (pg-boss fails it then). A heartbeat that could not run says nothing: no abort.
   */
  function holdClaim(queue: string, job: BossJob<unknown>) {
    const lost = new AbortController();
    const attempt = { id: job.id, retryCount: job.retryCount };
    const beat = setInterval(
      () =>
        void boss.touch(queue, attempt).then(
          (touched) => {
            const settled = (touched as { settled?: string[] }).settled;
            if (settled && !settled.includes(job.id)) lost.abort(new LeaseLost(job.id));
          },
          () => {},
        ),
      (heartbeatSeconds * 1000) / 2,
    );
    const expiry = (job as { expireInSeconds?: number }).expireInSeconds ?? expireInSeconds;
    const expired = setTimeout(() => lost.abort(new LeaseLost(job.id)), expiry * 1000);
    return {
      signal: lost.signal,
      release: () => {
        clearInterval(beat);
        clearTimeout(expired);
      },
    };
  }

  // Jobs that finish while their queue's last completions are on their way to the database wait
  // and are marked completed together, in one statement (pg-boss completes a list of attempts):
  // the first finished job goes at once, nothing waits longer than one statement.
  const completeAttempt = statementLines<ReturnType<typeof attemptOf>, void>(
    async (queue, attempts) => {
      await boss.complete(queue, attempts);
      return attempts.map(() => undefined);
    },
    { atOnce: COMPLETIONS_AT_ONCE },
  );
  const completeJob = (queue: string, job: BossJob<unknown>) =>
    completeAttempt(queue, attemptOf(job));

  // Jobs enqueued while their queue's last insert is on its way to the database wait and go
  // together, in one statement (pg-boss's insert, the statement send() sends for one job): the
  // inbox's lanes enqueue an order's route job each, often at once. The first goes at once,
  // nothing waits longer than one statement. Each job's id is chosen here (its key's, else a new
  // one), so the ids the insert answers tell each caller whether its job was stored: a key taken
  // answers nothing, as send() answered null. A key asked for twice waits for the next statement
  // (one insert may not name an id twice).
  //
  // Jobs due now are told to the other processes by the insert itself (docs/decisions/059): its
  // text wrapped so the statement sends the notification tellOthers sends, when it stored a job,
  // and PostgreSQL delivers it at the commit. It was a statement of its own up to NOTIFY_EVERY_MS
  // later. A batch holding a job for later, or an insert text that is not one INSERT (a pg-boss
  // of another shape), goes as pg-boss wrote it and is told as before.
  const insertInLine = statementLines<Insertion, { stored: boolean; told: boolean }>(
    async (queue, jobs) => {
      const now = Date.now();
      let told = false;
      const telling = {
        executeSql: (text: string, values: unknown[] = []) => {
          if (!/^\s*INSERT\b/i.test(text)) return boss.getDb().executeSql(text, values);
          told = true;
          const n = values.length;
          return boss.getDb().executeSql(
            `WITH ins AS (${text}),
                 told AS (SELECT pg_notify($${n + 1}, $${n + 2}) WHERE EXISTS (SELECT 1 FROM ins))
               SELECT ins.id FROM ins WHERE (SELECT count(*) FROM told) >= 0`,
            [...values, JOBS_CHANNEL, `${queue}|${self}`],
          );
        },
      };
      const due = jobs.every((job) => !job.startAfter || job.startAfter.getTime() <= now);
      const added = new Set(
        (await boss.insert(queue, jobs, { returnId: true, ...(due ? { db: telling } : {}) })) ?? [],
      );
      return jobs.map((job) => ({ stored: added.has(job.id), told }));
    },
    { atOnce: INSERTS_AT_ONCE, distinct: (job) => job.id },
  );
  const insertJob = (queue: string, payload: unknown, options: EnqueueOptions) =>
    insertInLine(queue, {
      id: randomUUID(),
      data: (payload ?? {}) as object,
      ...insertOptions(options),
    });

  /**
   * Runs a job under its claim and settles it: completed, or failed (retried or given up). A
   * handler whose claim was lost meanwhile records nothing: the job is pg-boss's to retry, and
   * completing or failing this attempt would only be fenced off anyway.
   */
  async function runOne(queue: string, job: BossJob<unknown>, handler: JobHandler) {
    try {
      await runAndSettle(queue, job, handler);
    } finally {
      const shop = (job as { groupId?: string | null }).groupId ?? null;
      for (const listener of settledListeners) listener(queue, shop);
    }
  }

  async function runAndSettle(queue: string, job: BossJob<unknown>, handler: JobHandler) {
    const claim = holdClaim(queue, job);
    try {
      await handler(toJob(queue, job, claim.signal));
      claim.release();
      if (claim.signal.aborted) return;
      await completeJob(queue, job);
    } catch (error) {
      claim.release();
      options.onError?.(error, toJob(queue, job));
      if (claim.signal.aborted) return;
      // Its last attempt: pg-boss marks it failed for good. One line, as the embedded queue writes.
      if (isLastAttempt(job)) {
        const payload = job.data as { orderId?: unknown } | null;
        logEvent("error", "job.gave_up", {
          queue,
          jobId: job.id,
          shop: (job as { groupId?: string | null }).groupId ?? null,
          orderId: typeof payload?.orderId === "string" ? payload.orderId : null,
          attempts: job.retryCount + 1,
          error: errorText(error),
        });
      }
      await boss.fail(queue, attemptOf(job), {
        message: error instanceof Error ? error.message : String(error),
      });
      // Its next attempt comes due after a backoff nothing announces: look for it as often as
      // before wake-ups until the longest the backoff may be.
      if (!isLastAttempt(job))
        retryUntil.set(
          queue,
          Math.max(retryUntil.get(queue) ?? 0, Date.now() + latestRetryMs(job.retryCount)),
        );
    }
  }

  // Advisory locks are held by a database session: one connection of this process's own, outside
  // both pools, holds every lock its jobs take. A process that dies closes it, and PostgreSQL lets
  // go of its locks: nothing to clean up, no lease to wait out.
  let lockSession: Promise<pg.Client> | undefined;
  const lockClient = () => {
    lockSession ??= (async () => {
      const client = new pg.Client({
        connectionString: databaseUrl,
        application_name: "fulfilment-router-locks",
      });
      // A lost connection lost its locks with it: the next lock opens a new one.
      client.on("error", (error: unknown) => {
        lockSession = undefined;
        options.onError?.(error, null);
      });
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      lockSession = undefined;
      throw error;
    });
    return lockSession;
  };
  const lockWaiters = new Set<() => void>();
  // One statement at a time on the lock session: jobs of this process take and let go of locks
  // concurrently, and node-postgres deprecates (and its next major refuses) a query sent while
  // the client is still busy with another. The calls that wait meanwhile go together as one
  // statement when it frees (a SELECT of one lock function per call, in the order asked), and a
  // call letting go waits up to UNLOCK_WITHIN_MS for one taking a lock to ride with: an order's
  // lock and unlock were two statements of their own, a twelfth of what an order cost.
  let lockCalls: LockCall[] = [];
  let lockBusy: Promise<void> | undefined;
  let unlockTimer: ReturnType<typeof setTimeout> | undefined;
  const sendLockCalls = () => {
    clearTimeout(unlockTimer);
    unlockTimer = undefined;
    if (lockBusy || lockCalls.length === 0) return;
    // Calls on one session (a session lost meanwhile leaves calls on the old one behind).
    const lockSession = lockCalls[0]!.session;
    const batch = lockCalls.filter((c) => c.session === lockSession).slice(0, LOCK_CALLS_AT_ONCE);
    lockCalls = lockCalls.filter((c) => !batch.includes(c));
    const text = `SELECT ${batch
      .map(
        (c, i) =>
          `${c.unlock ? "pg_advisory_unlock" : "pg_try_advisory_lock"}($${2 * i + 1}, $${2 * i + 2}) AS "${i}"`,
      )
      .join(", ")}`;
    lockBusy = lockSession
      .then((client) =>
        client.query<Record<string, boolean>>(
          text,
          batch.flatMap((c) => c.keys),
        ),
      )
      .then(
        ({ rows }) => batch.forEach((c, i) => c.done(rows[0]?.[String(i)] === true)),
        (error: unknown) => batch.forEach((c) => c.failed(error)),
      )
      .finally(() => {
        lockBusy = undefined;
        nextLockCalls();
      });
  };
  const nextLockCalls = () => {
    if (lockBusy) return;
    if (lockCalls.some((c) => !c.unlock)) sendLockCalls();
    else if (lockCalls.length > 0 && !unlockTimer)
      unlockTimer = setTimeout(sendLockCalls, UNLOCK_WITHIN_MS);
  };
  /**
   * Takes (true when taken) or lets go of (true when it was held) an advisory lock. `lockSession`,
   * not `session`: in app/ that name is a Shopify session, never handed on whole (ADR 090).
   */
  const onLockSession = (
    lockSession: Promise<pg.Client>,
    unlock: boolean,
    keys: [number, number],
  ) =>
    new Promise<boolean>((done, failed) => {
      lockCalls.push({ session: lockSession, unlock, keys, done, failed });
      nextLockCalls();
    });

  // Other processes' new jobs and webhook deliveries: a worker whose slots are free takes them when
  // told, not at its next poll (its idle poll, SAFETY_POLL_MS, is the floor when a notification is
  // lost). Each process tells the others about jobs on one channel, at most once per
  // NOTIFY_EVERY_MS a queue, and ignores its own; the intake tells about deliveries on
  // INBOX_CHANNEL in its insert (app/webhooks/inbox.server.ts), passed on to this process's inbox.
  // This queue's name on the jobs channel (two queues of one process tell each other too).
  const self = randomUUID();
  // Notifications waiting to go, one per channel and key: those asked for meanwhile ride along.
  const toNotify = new Map<string, ReturnType<typeof setTimeout>>();
  const notifySoon = (channel: string, key: string, payload: string) => {
    const slot = `${channel}|${key}`;
    if (stopped || toNotify.has(slot)) return;
    toNotify.set(
      slot,
      setTimeout(() => {
        toNotify.delete(slot);
        if (stopped) return;
        // A web process's queue may not have started pg-boss yet (it enqueued nothing so far).
        void start()
          .then(() => boss.getDb().executeSql("SELECT pg_notify($1, $2)", [channel, payload]))
          .catch(() => undefined);
      }, NOTIFY_EVERY_MS),
    );
  };
  const tellOthers = (queue: string) => notifySoon(JOBS_CHANNEL, queue, `${queue}|${self}`);
  // Something to push recorded in a process that sweeps nothing itself (push-signal): told to the
  // others, once per NOTIFY_EVERY_MS a shop (empty: the push addresses changed).
  const stopPassingPushOn = passPushableOn((shop) =>
    notifySoon(PUSH_CHANNEL, shop ?? "", `${PROCESS_TAG}|${shop ?? ""}`),
  );
  let listener: Promise<pg.Client> | undefined;
  let listenAgain: ReturnType<typeof setTimeout> | undefined;
  // Whether a listening connection was lost: what was told meanwhile is lost with it.
  let missed = false;
  const listenLater = () => {
    if (stopped || listenAgain) return;
    listenAgain = setTimeout(() => {
      listenAgain = undefined;
      void listen().catch(() => undefined);
    }, LISTEN_AGAIN_MS);
  };
  const listen = () => {
    listener ??= (async () => {
      const client = new pg.Client({
        connectionString: databaseUrl,
        application_name: "fulfilment-router-wake",
      });
      client.on("notification", (message) => {
        if (message.channel === INBOX_CHANNEL) {
          // This process's own stores told its inbox already (inbox-signal).
          if (message.payload !== PROCESS_TAG) deliveriesStored();
          return;
        }
        if (message.channel === PUSH_CHANNEL) {
          const [from, shop] = (message.payload ?? "").split("|");
          if (from !== PROCESS_TAG) pushableElsewhere(shop || null);
          return;
        }
        const [queue, from] = (message.payload ?? "").split("|");
        if (from === self || !queue) return;
        wakeQueue(queue);
      });
      // A lost connection (a restarted server, a killed backend, a network cut): the safety poll
      // carries on meanwhile, and a new connection listens a second later.
      const lost = () => {
        if (listener === listening) listener = undefined;
        missed = true;
        listenLater();
      };
      client.on("error", lost);
      client.on("end", lost);
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}; LISTEN ${INBOX_CHANNEL}; LISTEN ${PUSH_CHANNEL}`);
      if (missed) {
        // Listening again: every queue, the inbox and the push sweep look once for what was told
        // while no connection listened, instead of waiting for their safety poll.
        missed = false;
        for (const queue of wakers.keys()) wakeQueue(queue);
        deliveriesStored();
        pushableElsewhere(null);
      }
      return client;
    })().catch((error: unknown) => {
      listener = undefined;
      missed = true;
      options.onError?.(error, null);
      listenLater();
      throw error;
    });
    const listening = listener;
    return listener;
  };

  /**
   * Who holds an advisory lock (the backend of its process's lock session), and whether the
   * backend `pid` is still connected, in one statement on pg-boss's pool.
   */
  const lockHolder = async (
    [space, id]: [number, number],
    pid: number | null,
  ): Promise<{ holder: number | null; alive: boolean }> => {
    await start();
    const { rows } = await boss.getDb().executeSql(
      `SELECT (SELECT l.pid FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                  AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
                  AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
                LIMIT 1) AS holder,
              EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = $3::int) AS alive`,
      // The keys as the unsigned oids pg_locks shows them.
      [space >>> 0, id >>> 0, pid ?? 0],
    );
    const row = rows[0] as { holder: number | null; alive: boolean } | undefined;
    return { holder: row?.holder ?? null, alive: row?.alive === true };
  };
  /** What ifFree answers when another process held the key: who, watched from then on. */
  const heldElsewhere = async (keys: [number, number]): Promise<HeldElsewhere> => {
    let { holder } = await lockHolder(keys, null);
    return {
      async since() {
        const now = await lockHolder(keys, holder);
        if (now.holder !== null) {
          holder = now.holder;
          return "held";
        }
        // Let go between the lock's statement and this one's: who it was is unknown, so gone.
        return holder !== null && now.alive ? "let go" : "gone";
      },
    };
  };
  /**
   * Runs `fn` holding the advisory lock of `key` (exclusive, ifFree): waiting for another process
   * to let go of it, or (`wait` false) answering at once who holds it when another process does.
   */
  const underLock = async <T>(
    key: string,
    wait: boolean,
    fn: (letGo: () => void) => Promise<T>,
  ): Promise<{ value: T } | { heldElsewhere: HeldElsewhere }> => {
    // Session-level locks on the process's one session: a nested call with the same key takes
    // it again at once (PostgreSQL counts it) and its unlock leaves the outer call's hold.
    const [space, id] = advisoryLockKeys(key);
    // pg_try_advisory_lock, not pg_advisory_lock: a wait on the shared session would hold up
    // every other job's lock and unlock behind it.
    for (;;) {
      if (stopped) throw new Error(`stopping: ${key} was not taken`);
      if (await onLockSession(lockClient(), false, [space, id])) break;
      if (!wait) return { heldElsewhere: await heldElsewhere([space, id]) };
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          lockWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, LOCK_POLL_MS);
        lockWaiters.add(wake);
      });
    }
    const held = lockSession;
    let free = false;
    const letGo = () => {
      if (free) return;
      free = true;
      // Unlocked on the session that took it; a session lost meanwhile holds nothing any more.
      // Not waited for: it goes with this process's next lock statement, or on its own soon.
      if (held && held === lockSession)
        void onLockSession(held, true, [space, id]).catch(() => undefined);
    };
    try {
      return { value: await fn(letGo) };
    } finally {
      letGo();
    }
  };

  return {
    ready: start,
    wakesOnAnyStore: true,

    async exclusive(key, fn) {
      const outcome = await underLock(key, true, fn);
      if (!("value" in outcome)) throw new Error(`${key} was not taken`);
      return outcome.value;
    },
    ifFree: (key, fn) => underLock(key, false, fn),
    async boss() {
      await start();
      return boss;
    },

    onSettled(listener) {
      settledListeners.add(listener);
      return () => settledListeners.delete(listener);
    },

    async enqueue(queue, payload, enqueueOptions: EnqueueOptions = {}) {
      await ensureQueue(queue);
      const { stored, told } = await insertJob(queue, payload, enqueueOptions);
      if (stored) {
        // A worker of this process takes it at once (or when it is due); those of other processes
        // when told (by its insert, or just after). A job for later is not announced: its own
        // process wakes for it, and the others' safety poll finds it should that process be gone
        // by then.
        if (enqueueOptions.runAt && enqueueOptions.runAt.getTime() > Date.now()) {
          wakeAt(queue, enqueueOptions.runAt);
        } else {
          wakeQueue(queue);
          if (!told) tellOthers(queue);
        }
        return true;
      }
      if (!enqueueOptions.key) return false;
      return onDuplicate(queue, payload, enqueueOptions);
    },

    async enqueueMany(queue, jobs, { within } = {}) {
      if (jobs.length === 0) return 0;
      await ensureQueue(queue);
      // One insert statement per batch (pg-boss's json_to_recordset); a keyed job already there is
      // skipped by its primary key. Within the caller's transaction, pg-boss's SQL runs on
      // Prisma's connection, so the jobs commit with the caller's rows or not at all.
      const db = within
        ? {
            executeSql: async (text: string, values: unknown[] = []) => ({
              rows: await within.$queryRawUnsafe<unknown[]>(text, ...values),
            }),
          }
        : undefined;
      let added = 0;
      for (let i = 0; i < jobs.length; i += BATCH_JOBS) {
        const batch = jobs.slice(i, i + BATCH_JOBS).map((job) => ({
          data: (job.payload ?? {}) as object,
          ...insertOptions(job.options ?? {}),
        }));
        const ids = await boss.insert(queue, batch, { returnId: true, ...(db ? { db } : {}) });
        added += ids?.length ?? 0;
      }
      if (added > 0) {
        if (within) {
          // Not visible before the caller's commit: told in its transaction, which PostgreSQL
          // sends at the commit, to every process listening, this one included (no tag).
          await within.$executeRawUnsafe("SELECT pg_notify($1, $2)", JOBS_CHANNEL, `${queue}|`);
        } else {
          wakeQueue(queue);
          tellOthers(queue);
        }
      }
      return added;
    },

    work(queue: string, handler: JobHandler, workOptions: WorkOptions = {}) {
      // Our own fetch loop rather than boss.work(): it fetches again the moment a slot frees
      // (boss.work waits out its polling interval after every job), and caps each shop's running
      // jobs in this process by leaving capped shops out of the fetch (ignoreGroups). pg-boss's
      // database-wide groupConcurrency stopped fetching in our two-process run (ADR 008).
      const concurrency = workOptions.concurrency ?? 4;
      const perShop = workOptions.perShop ?? Number.POSITIVE_INFINITY;
      // A fetch asks for as many jobs as the fullest shop still has room for.
      checkSlots(queue, { concurrency, perShop });
      // Every job stored is announced (this process's wakers, the others' by NOTIFY): the idle
      // poll is a safety net for a lost notification and a dead worker's job pg-boss retries.
      const idleMs = workOptions.pollMs ?? options.idlePollMs ?? SAFETY_POLL_MS;
      const perShopRunning = new Map<string, number>();
      let active = 0;
      let fetching = false;
      let again = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Turn-taking (ADR 063): a free slot goes first to a shop with no job running here, then in
      // line. Looking for such a shop's job is a fetch of its own, made only when a job may have
      // come since one found none: `stored` counts the wake-ups that say a job was stored (and the
      // polls), `noneNewAt` is its value when the last such fetch came back short.
      let stored = 0;
      let noneNewAt = -1;

      const begin = (job: BossJob<unknown>) => {
        const shop = (job as { groupId?: string | null }).groupId ?? "";
        active++;
        perShopRunning.set(shop, (perShopRunning.get(shop) ?? 0) + 1);
        // A live handler beats (runOne); a worker that died stops beating and its job is retried.
        const p = runOne(queue, job, handler).finally(() => {
          active--;
          perShopRunning.set(shop, perShopRunning.get(shop)! - 1);
          running.delete(p);
          kick();
        });
        running.add(p);
      };

      const fill = async () => {
        if (fetching) {
          again = true;
          return;
        }
        fetching = true;
        try {
          do {
            again = false;
            while (!stopped && active < concurrency) {
              // First the shops with none of their jobs running in this process, while any shop
              // holds slots here: a freed slot would otherwise go to the first job in line, which
              // under one shop's burst is the burst's (its backlog was paid first), and a quiet
              // shop's order waited for a slot behind it whenever the burst was under its cap.
              // In line among themselves; a shop holding slots is left out until they are served,
              // so the burst is never starved: once its jobs all end, it is such a shop itself.
              const holding: string[] = [];
              for (const [shop, n] of perShopRunning) if (shop && n > 0) holding.push(shop);
              if (holding.length > 0 && noneNewAt !== stored) {
                const seen = stored;
                const asked = Math.min(concurrency - active, perShop);
                const jobs = await boss.fetch<unknown>(queue, {
                  batchSize: asked,
                  includeMetadata: true,
                  ignoreGroups: holding,
                });
                for (const job of jobs.sort(inLine)) begin(job);
                // Short: every such job waiting was taken; none is looked for again until told of
                // a new one (or the poll).
                if (jobs.length < asked) noneNewAt = seen;
                if (jobs.length > 0) continue;
              }
              // One fetch takes as many jobs as slots are free, but never more than any shop
              // still has room for: then no shop can pass its cap within the fetch, the shops
              // left out are those one job at a time would have left out, and the jobs are the
              // ones fetching one at a time would have taken, in line (ADR 038). A fetch
              // answering fewer than it asked for found every waiting job (a job stored since
              // wakes this loop again): no empty fetch after it.
              const capped: string[] = [];
              let room = Math.min(concurrency - active, perShop);
              for (const [shop, n] of perShopRunning) {
                if (n >= perShop) capped.push(shop);
                // Jobs of no shop are not capped by the fetch (ignoreGroups leaves them in).
                else if (shop) room = Math.min(room, perShop - n);
              }
              const jobs = await boss.fetch<unknown>(queue, {
                batchSize: room,
                includeMetadata: true,
                ...(capped.length > 0 ? { ignoreGroups: capped } : {}),
              });
              // pg-boss's UPDATE … RETURNING answers in no particular order: started in line.
              for (const job of jobs.sort(inLine)) begin(job);
              if (jobs.length < room) break;
            }
          } while (again && !stopped);
        } catch (error) {
          if (!stopped) options.onError?.(error, null);
        } finally {
          fetching = false;
        }
        if (!stopped) {
          clearTimeout(timer);
          // Woken when a job is stored; polled often only while a failed job's retry may come due.
          const retrying = (retryUntil.get(queue) ?? 0) > Date.now();
          timer = setTimeout(
            () => {
              stored++;
              void fill();
            },
            retrying ? Math.min(idleMs, RETRY_POLL_MS) : idleMs,
          );
        }
      };
      const kick = () => {
        if (!stopped) void fill();
      };
      /** A job may have been stored (told, enqueued here, due, or polled for). */
      const told = () => {
        stored++;
        kick();
      };
      wakers.set(queue, [...(wakers.get(queue) ?? []), told]);
      timers.add(() => clearTimeout(timer));
      void listen().catch(() => undefined);
      void ensureQueue(queue).then(kick, (error: unknown) => options.onError?.(error, null));
    },

    async health(shop, at) {
      await start();
      // Every queue's jobs of the shop (its group). created and retry wait; active runs; failed
      // used every attempt. The due test uses the caller's clock, as the embedded queue does.
      // Only those states are read: pg-boss indexes them apart (its live jobs), so the count
      // does not read the week of completed jobs every shop leaves behind.
      const { rows } = await boss.getDb().executeSql(
        `SELECT count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS queued,
                count(*) FILTER (WHERE state IN ('created', 'retry') AND start_after <= $2)::int
                  AS due,
                count(*) FILTER (WHERE state = 'active')::int AS running,
                count(*) FILTER (WHERE state = 'failed')::int AS failed,
                min(start_after) FILTER (WHERE state IN ('created', 'retry') AND start_after <= $2)
                  AS oldest
           FROM pgboss.job
          WHERE group_id = $1 AND state IN ('created', 'retry', 'active', 'failed')`,
        [shop, at],
      );
      const row = rows[0] as {
        queued: number;
        due: number;
        running: number;
        failed: number;
        oldest: Date | null;
      };
      return {
        queued: row.queued,
        due: row.due,
        running: row.running,
        failed: row.failed,
        oldestWaitSeconds: row.oldest
          ? Math.max(0, Math.round((at.getTime() - new Date(row.oldest).getTime()) / 1000))
          : 0,
      };
    },

    async gaveUp(queue, shop, limit) {
      await start();
      // The mark lives in the job's output beside pg-boss's error message (pg-boss has no column
      // of ours); a fresh start clears the output, so a later give-up is returned again.
      const { rows } = await boss.getDb().executeSql(
        `WITH seen AS (
           SELECT id FROM pgboss.job
            WHERE name = $1 AND group_id = $2 AND state = 'failed'
              AND NOT (jsonb_typeof(output) = 'object' AND output ? 'gaveUpSeenAt')
            ORDER BY completed_on NULLS FIRST, created_on LIMIT $3
            FOR UPDATE SKIP LOCKED)
         UPDATE pgboss.job j
            SET output = CASE WHEN jsonb_typeof(j.output) = 'object' THEN j.output
                              ELSE jsonb_build_object('value', j.output) END
                         || jsonb_build_object('gaveUpSeenAt', now())
           FROM seen WHERE j.name = $1 AND j.id = seen.id
         RETURNING j.id, j.data, j.retry_count, j.output, j.completed_on, j.created_on`,
        [queue, shop, limit],
      );
      const returned = rows as {
        id: string;
        data: unknown;
        retry_count: number;
        output: unknown;
        completed_on: Date | null;
        created_on: Date;
      }[];
      const time = (d: Date | null) => (d ? new Date(d).getTime() : 0);
      returned.sort(
        (a, b) =>
          time(a.completed_on) - time(b.completed_on) || time(a.created_on) - time(b.created_on),
      );
      return returned.map((row) => ({
        id: row.id,
        payload: row.data,
        // pg-boss counts retries; the first run is attempt 1.
        attempts: row.retry_count + 1,
        lastError: outputMessage(row.output),
      }));
    },

    async again(queue, id, payload) {
      if (!(await freshStart(queue, id, payload, new Date()))) return false;
      wakeQueue(queue);
      tellOthers(queue);
      return true;
    },

    async retryNow(shop, failedWith) {
      if (failedWith.length === 0) return 0;
      await start();
      // A job waiting out its backoff is in state retry with its attempt's output ({message},
      // runAndSettle); its priority, its place in line, is left as it is (ADR 038). A timer is in
      // state created, never failed; an active job is not touched, so none runs twice.
      const { rows } = await boss.getDb().executeSql(
        `WITH moved AS (
           UPDATE pgboss.job SET start_after = pgboss.job_now()
            WHERE group_id = $1 AND state = 'retry' AND start_after > pgboss.job_now()
              AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS f(start)
                           WHERE starts_with(output ->> 'message', f.start))
           RETURNING name)
         SELECT name, count(*)::int AS n FROM moved GROUP BY name`,
        [shop, [...failedWith]],
      );
      let moved = 0;
      for (const { name, n } of rows as { name: string; n: number }[]) {
        moved += n;
        wakeQueue(name);
        tellOthers(name);
      }
      return moved;
    },

    async forgetShop(shop) {
      await start();
      const { rows } = await boss.getDb().executeSql(
        `WITH gone AS (DELETE FROM pgboss.job WHERE group_id = $1 RETURNING 1)
                     SELECT count(*)::int AS n FROM gone`,
        [shop],
      );
      return (rows[0] as { n: number }).n;
    },

    async drain(queue: string, handler: JobHandler) {
      await ensureQueue(queue);
      let done = 0;
      for (;;) {
        const jobs = await boss.fetch<unknown>(queue, { batchSize: 8, includeMetadata: true });
        if (jobs.length === 0) return done;
        // Started in line, as a worker starts them (fetch answers in no particular order).
        await Promise.all(jobs.sort(inLine).map((job) => runOne(queue, job, handler)));
        done += jobs.length;
      }
    },

    async stop() {
      stopped = true;
      for (const clear of timers) clear();
      stopPassingPushOn();
      for (const timer of toNotify.values()) clearTimeout(timer);
      toNotify.clear();
      for (const timer of dueTimers) clearTimeout(timer);
      dueTimers.clear();
      clearTimeout(listenAgain);
      const listening = listener;
      listener = undefined;
      await listening?.then((client) => client.end()).catch(() => undefined);
      for (const wake of [...lockWaiters]) wake();
      await Promise.allSettled([...running]);
      // The unlocks still waiting to ride with a lock go now (closing the session would let go
      // of them too).
      while (lockBusy || lockCalls.length > 0) {
        sendLockCalls();
        await lockBusy;
      }
      const locks = lockSession;
      lockSession = undefined;
      await locks?.then((client) => client.end()).catch(() => undefined);
      if (!started) return;
      await started.catch(() => {});
      await boss.stop({ graceful: true, timeout: 30_000 });
    },
  };
}
