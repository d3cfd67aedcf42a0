// The pg-boss queue on a throwaway PostgreSQL server: the port's semantics as the embedded queue has
// them (once-only keys, retries, a fresh start for a failed keyed job), batch enqueue, a dead
// worker's job taken over, and one shop's burst leaving room for the others.
import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  postgresUnavailableReason,
  startPostgres,
  type PostgresCluster,
} from "../../tests/support/postgres";
import {
  advisoryLockKeys,
  createPgBossQueue,
  jobIdForKey,
  type PgBossQueue,
} from "./pgboss-queue.server";
import { createDb } from "../db/client.server";
import { setLogSink } from "../utils/log.server";
import { LeaseLost, type Job } from "./queue";

const missing = postgresUnavailableReason();
const skip = missing !== null && !process.env.CI;

describe.skipIf(skip)("pg-boss queue", () => {
  let cluster: PostgresCluster | null = null;
  const open: PgBossQueue[] = [];
  let n = 0;

  beforeAll(async () => {
    cluster = await startPostgres();
    if (!cluster) throw new Error(`PostgreSQL is required in CI: ${missing}`);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.stop()));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** A queue on a database of its own, so tests never see each other's jobs. */
  async function freshQueue(): Promise<{ url: string; queue: () => PgBossQueue }> {
    const url = await cluster!.createDatabase(`boss_${++n}`);
    return {
      url,
      queue: () => {
        const q = createPgBossQueue(url, { superviseIntervalSeconds: 1 });
        open.push(q);
        return q;
      },
    };
  }

  it("derives one stable UUID per key", () => {
    expect(jobIdForKey("route:1")).toBe(jobIdForKey("route:1"));
    expect(jobIdForKey("route:1")).not.toBe(jobIdForKey("route:2"));
    expect(jobIdForKey("route:1")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("wakes an idle worker in another process when a job is enqueued, without waiting for its poll", async () => {
    const { url, queue } = await freshQueue();
    const worker = queue();
    const web = queue();
    const ran: unknown[] = [];
    // Its next poll is two minutes away: only being told can start the second job sooner.
    worker.work("wake", async (job) => void ran.push(job.payload), { pollMs: 120_000 });
    await web.enqueue("wake", { n: 1 });
    await vi.waitFor(() => expect(ran).toHaveLength(1), { timeout: 20_000, interval: 50 });
    // The worker is idle now, listening.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await vi.waitFor(
        async () => {
          const { rows } = await admin.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE application_name = 'fulfilment-router-wake' AND query LIKE 'LISTEN%'`,
          );
          expect(rows[0]!.n).toBeGreaterThan(0);
        },
        { timeout: 20_000, interval: 50 },
      );
    } finally {
      await admin.end();
    }
    await web.enqueue("wake", { n: 2 });
    await vi.waitFor(() => expect(ran).toEqual([{ n: 1 }, { n: 2 }]), {
      timeout: 20_000,
      interval: 50,
    });
  });

  it("tells the other processes of a job due now in its insert's statement, not in one of its own", async () => {
    const { url, queue } = await freshQueue();
    const web = queue();
    await web.ready();
    // Another process listening, as a worker's wake connection does.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    const told: string[] = [];
    other.on("notification", (message) => told.push(message.payload ?? ""));
    await other.query("LISTEN fulfilment_router_jobs");
    // The statements the process sends, caught at node-postgres' client.
    const query = pg.Client.prototype.query;
    const sent: string[] = [];
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      sent.push(typeof first === "string" ? first : (first?.text ?? ""));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      expect(await web.enqueue("told", { n: 1 })).toBe(true);
      await vi.waitFor(() => expect(told).toHaveLength(1), { timeout: 5_000, interval: 20 });
      // Well past NOTIFY_EVERY_MS, when a notification of its own went.
      await new Promise((r) => setTimeout(r, 200));
      // A job for later is not announced (its own process wakes for it), as before.
      expect(await web.enqueue("told", { n: 2 }, { runAt: new Date(Date.now() + 60_000) })).toBe(
        true,
      );
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      pg.Client.prototype.query = query;
      await other.end();
    }
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^told\|/);
    expect(sent.filter((text) => /^\s*SELECT pg_notify/.test(text))).toEqual([]);
    expect(sent.filter((text) => /INSERT INTO pgboss\.job/.test(text))).toHaveLength(2);
  });

  it("enqueues a keyed job once, from any process, however often it is enqueued", async () => {
    const { queue } = await freshQueue();
    const web1 = queue();
    const web2 = queue();
    expect(await web1.enqueue("route-order", { orderId: "1" }, { key: "route:1" })).toBe(true);
    expect(await web2.enqueue("route-order", { orderId: "1" }, { key: "route:1" })).toBe(false);
    const seen: unknown[] = [];
    expect(await web1.drain("route-order", async (job) => void seen.push(job.payload))).toBe(1);
    // Done: still enqueued once.
    expect(await web2.enqueue("route-order", { orderId: "1" }, { key: "route:1" })).toBe(false);
    expect(await web2.drain("route-order", async (job) => void seen.push(job.payload))).toBe(0);
    expect(seen).toEqual([{ orderId: "1" }]);
  });

  it("retries a failing job with attempts counted, then gives up after its last", async () => {
    const { queue } = await freshQueue();
    const q = queue();
    await q.enqueue("route-order", {}, { maxAttempts: 2, shop: "a.myshopify.com" });
    const attempts: Job[] = [];
    const fail = async (job: Job) => {
      attempts.push(job);
      throw new Error("Shopify answered 503");
    };
    expect(await q.drain("route-order", fail)).toBe(1);
    // The retry waits out its backoff (about a second).
    expect(await q.drain("route-order", fail)).toBe(0);
    await expect
      .poll(async () => q.drain("route-order", fail), { timeout: 10_000, interval: 200 })
      .toBe(1);
    expect(attempts.map((j) => [j.attempts, j.shop])).toEqual([
      [1, "a.myshopify.com"],
      [2, "a.myshopify.com"],
    ]);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await q.drain("route-order", fail)).toBe(0);
  });

  it("gives a keyed job that failed for good a fresh start, with the new payload", async () => {
    const { queue } = await freshQueue();
    const q = queue();
    await q.enqueue("route-order", { orderId: "9", v: 1 }, { key: "route:9", maxAttempts: 1 });
    await q.drain("route-order", async () => {
      throw new Error("no session yet");
    });
    expect(await q.drain("route-order", async () => {})).toBe(0);
    expect(await q.enqueue("route-order", { orderId: "9", v: 2 }, { key: "route:9" })).toBe(true);
    const ran: unknown[] = [];
    expect(await q.drain("route-order", async (job) => void ran.push(job.payload))).toBe(1);
    expect(ran).toEqual([{ orderId: "9", v: 2 }]);
  });

  it("tells the handler its last attempt, and logs the give-up with its shop and order", async () => {
    const { queue } = await freshQueue();
    const q = queue();
    await q.enqueue(
      "route-order",
      { orderId: "gid://shopify/Order/5" },
      { maxAttempts: 2, shop: "a.myshopify.com" },
    );
    const seen: [number, boolean | undefined][] = [];
    const fail = async (job: Job) => {
      seen.push([job.attempts, job.lastAttempt]);
      throw new Error("Shopify answered 503");
    };
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line));
    try {
      await q.drain("route-order", fail);
      await expect
        .poll(async () => q.drain("route-order", fail), { timeout: 10_000, interval: 200 })
        .toBe(1);
    } finally {
      restore();
    }
    expect(seen).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        level: "error",
        event: "job.gave_up",
        queue: "route-order",
        shop: "a.myshopify.com",
        orderId: "gid://shopify/Order/5",
        attempts: 2,
        error: "Shopify answered 503",
      }),
    ]);
  });

  it("hands each give-up to gaveUp once, and again after a fresh start with every attempt", async () => {
    const { queue } = await freshQueue();
    const q = queue();
    const shop = "a.myshopify.com";
    const fail = async () => {
      throw new Error("no session yet");
    };
    // Unkeyed (a refresh) and keyed (a route job), and another shop's.
    await q.enqueue("refresh-order", { orderId: "1" }, { shop, maxAttempts: 1 });
    await q.enqueue("refresh-order", { orderId: "2" }, { shop, maxAttempts: 2, key: "r:2" });
    await q.enqueue("refresh-order", { orderId: "3" }, { shop: "b.myshopify.com", maxAttempts: 1 });
    await q.drain("refresh-order", fail);
    // Job 2 gives up after its backoff.
    await expect
      .poll(async () => q.drain("refresh-order", fail), { timeout: 10_000, interval: 200 })
      .toBe(1);
    const first = (await q.gaveUp("refresh-order", shop, 10)).sort((x, y) =>
      JSON.stringify(x.payload).localeCompare(JSON.stringify(y.payload)),
    );
    expect(first.map((j) => [j.payload, j.attempts, j.lastError])).toEqual([
      [{ orderId: "1" }, 1, "no session yet"],
      [{ orderId: "2" }, 2, "no session yet"],
    ]);
    // Handed out once: a second look finds nothing new.
    expect(await q.gaveUp("refresh-order", shop, 10)).toEqual([]);
    // A fresh start by id, unkeyed, with a new payload, due now.
    expect(await q.again("refresh-order", first[0]!.id, { orderId: "1", reconciled: 1 })).toBe(
      true,
    );
    expect(await q.again("refresh-order", first[0]!.id, { orderId: "1" })).toBe(false);
    const ran: unknown[] = [];
    await q.drain("refresh-order", async (job) => {
      ran.push([job.payload, job.attempts]);
      throw new Error("still away");
    });
    expect(ran).toEqual([[{ orderId: "1", reconciled: 1 }, 1]]);
    expect((await q.gaveUp("refresh-order", shop, 10)).map((j) => j.payload)).toEqual([
      { orderId: "1", reconciled: 1 },
    ]);
    // A keyed job enqueued again gets every attempt again (pg-boss's retry() grants one more):
    // its first new attempt fails and it waits for its second instead of giving up.
    expect(await q.enqueue("refresh-order", { orderId: "2", v: 2 }, { key: "r:2" })).toBe(true);
    const again: unknown[] = [];
    expect(
      await q.drain("refresh-order", async (job) => {
        again.push([job.payload, job.attempts, job.lastAttempt]);
        throw new Error("still away");
      }),
    ).toBe(1);
    expect(again).toEqual([[{ orderId: "2", v: 2 }, 1, false]]);
    expect(await q.gaveUp("refresh-order", shop, 10)).toEqual([]);
  });

  it("hands a give-up to only one of two processes looking at once", async () => {
    const { queue } = await freshQueue();
    const first = queue();
    const second = queue();
    const shop = "a.myshopify.com";
    for (let n = 0; n < 6; n++)
      await first.enqueue("refresh-order", { orderId: String(n) }, { shop, maxAttempts: 1 });
    await first.drain("refresh-order", async () => {
      throw new Error("no session yet");
    });
    const [a, b] = await Promise.all([
      first.gaveUp("refresh-order", shop, 10),
      second.gaveUp("refresh-order", shop, 10),
    ]);
    const ids = [...a, ...b].map((j) => j.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it("brings a keyed job waiting for later forward when it is enqueued again", async () => {
    const { queue } = await freshQueue();
    const q = queue();
    const later = new Date(Date.now() + 3600_000);
    await q.enqueue("route-order", { orderId: "5" }, { key: "route:5", runAt: later });
    expect(await q.drain("route-order", async () => {})).toBe(0);
    expect(await q.enqueue("route-order", { orderId: "5" }, { key: "route:5" })).toBe(false);
    expect(await q.drain("route-order", async () => {})).toBe(1);
  });

  it("works jobs in the background in two worker processes, each job once", async () => {
    const { queue } = await freshQueue();
    const producer = queue();
    const done: number[] = [];
    for (const worker of [queue(), queue()]) {
      worker.work("route-order", async (job) => void done.push((job.payload as { n: number }).n), {
        concurrency: 2,
        pollMs: 500,
      });
    }
    for (let i = 0; i < 40; i++)
      await producer.enqueue("route-order", { n: i }, { shop: `s${i % 4}` });
    await expect.poll(() => done.length, { timeout: 15_000 }).toBe(40);
    await new Promise((r) => setTimeout(r, 300));
    expect(done.sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
  });

  it("marks jobs that finish together completed together, each once, in fewer statements than jobs", async () => {
    const { url, queue } = await freshQueue();
    const worker = queue();
    for (let i = 0; i < 20; i++) await worker.enqueue("route-order", { n: i }, { shop: `s${i}` });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let running = 0;
    worker.work(
      "route-order",
      async () => {
        running++;
        await gate;
      },
      { concurrency: 20, pollMs: 500 },
    );
    await expect.poll(() => running, { timeout: 15_000 }).toBe(20);
    // The completions the process sends, caught at node-postgres' client.
    const query = pg.Client.prototype.query;
    let completions = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === "string" ? args[0] : "";
      if (/SET completed_on = /.test(text)) completions++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    const db = createDb(url);
    try {
      open();
      const completed = async () =>
        (
          await db.$queryRawUnsafe<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'route-order' AND state = 'completed'`,
          )
        )[0]!.n;
      await expect.poll(completed, { timeout: 15_000 }).toBe(20);
      // One statement a job before: the 19 that finished while the first's was on its way went
      // together.
      expect(completions).toBeGreaterThan(0);
      expect(completions).toBeLessThan(20);
    } finally {
      pg.Client.prototype.query = query;
      await db.$disconnect();
    }
  });

  it("inserts jobs enqueued at once together, each once, a key taken answering false", async () => {
    const { url, queue } = await freshQueue();
    const web = queue();
    await web.enqueue("route-order", { n: -1 }, { key: "route:first" });
    // The inserts the process sends, caught at node-postgres' client.
    const query = pg.Client.prototype.query;
    let inserts = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === "string" ? args[0] : "";
      if (/INSERT INTO pgboss\.job/.test(text)) inserts++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    let stored: boolean[];
    try {
      // Twenty orders' jobs (one key asked for twice, one taken already), as the inbox's lanes
      // enqueue them.
      stored = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) =>
          web.enqueue("route-order", { n: i }, { key: `route:${i}`, shop: `s${i}` }),
        ),
        web.enqueue("route-order", { n: 0 }, { key: "route:0", shop: "s0" }),
        web.enqueue("route-order", { n: -1 }, { key: "route:first" }),
        web.enqueue("route-order", { n: 99 }, { shop: "s9" }),
      ]);
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(stored.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => true));
    expect(stored.slice(20)).toEqual([false, false, true]);
    // One statement a job before.
    expect(inserts).toBeLessThan(10);
    const db = createDb(url);
    try {
      const rows = await db.$queryRawUnsafe<{ n: number; shops: number }[]>(
        `SELECT count(*)::int AS n, count(DISTINCT group_id)::int AS shops
           FROM pgboss.job WHERE name = 'route-order'`,
      );
      expect(rows[0]).toEqual({ n: 22, shops: 20 });
    } finally {
      await db.$disconnect();
    }
  });

  it("fills free slots with few fetches, in line, no shop past its cap", async () => {
    const { queue } = await freshQueue();
    const worker = queue();
    // In line by when Shopify sent them (orderAt), the reverse of when they were stored: four of
    // shop a first, then one each of b to e.
    const line = ["a1", "a2", "a3", "a4", "b", "c", "d", "e"];
    const first = Date.now() - 60_000;
    for (let i = line.length - 1; i >= 0; i--)
      await worker.enqueue(
        "route-order",
        { name: line[i] },
        { shop: `${line[i]![0]}.myshopify.com`, orderAt: new Date(first + i * 1000) },
      );
    // The fetches the process sends, caught at node-postgres' client.
    const query = pg.Client.prototype.query;
    let fetches = 0;
    let tracing = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === "string" ? args[0] : "";
      if (/retry_count = CASE WHEN started_on IS NOT NULL/.test(text)) {
        fetches++;
        // No trace context read with the jobs (pg-boss's OpenTelemetry is off: no SDK here).
        if (text.includes("__traceContext")) tracing++;
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const started: string[] = [];
    try {
      worker.work(
        "route-order",
        async (job) => {
          started.push((job.payload as { name: string }).name);
          await gate;
        },
        { concurrency: 6, perShop: 2, pollMs: 500 },
      );
      await expect.poll(() => started.length, { timeout: 15_000 }).toBe(6);
    } finally {
      pg.Client.prototype.query = query;
    }
    try {
      // Shop a's first two (its cap), then the other shops' in line; a3 and a4 wait.
      expect(started).toEqual(["a1", "a2", "b", "c", "d", "e"]);
      // One fetch a job before (six, the last slot's included).
      expect(fetches).toBeLessThan(6);
      expect(tracing).toBe(0);
    } finally {
      open();
    }
    await expect.poll(() => started.length, { timeout: 15_000 }).toBe(8);
  });

  it("runs two worker processes' slots at once, each on several shops, each job under its order's lock", async () => {
    // Nothing across processes holds a second worker back: no group limit of pg-boss's, no
    // singleton, no lock of one order blocking another's, so two processes' slots add up.
    const { queue } = await freshQueue();
    const producer = queue();
    for (let i = 0; i < 40; i++)
      await producer.enqueue("route-order", { n: i }, { shop: `s${i % 20}.myshopify.com` });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const running = [new Set<string>(), new Set<string>()];
    let done = 0;
    [queue(), queue()].forEach((worker, w) =>
      worker.work(
        "route-order",
        (job) =>
          worker.exclusive(`route:${(job.payload as { n: number }).n}`, async () => {
            running[w]!.add(job.shop!);
            await gate;
            done++;
          }),
        { concurrency: 8, perShop: 6, pollMs: 500 },
      ),
    );
    await expect.poll(() => running[0]!.size + running[1]!.size, { timeout: 15_000 }).toBe(16);
    // Each process took 8 jobs, each of another shop's (20 shops' jobs alternate in the queue).
    expect(running.map((shops) => shops.size)).toEqual([8, 8]);
    expect(new Set([...running[0]!, ...running[1]!]).size).toBe(16);
    open();
    await expect.poll(() => done, { timeout: 15_000 }).toBe(40);
  });

  it("runs a key's work only where no other process holds it, and tells whether that process let go or died", async () => {
    const { url, queue } = await freshQueue();
    const [first, second] = [queue(), queue()];
    // Free: run at once (its unlock, sent a little later, rides with this process's next lock).
    expect(await first.ifFree("inbox-pass", async () => "ran")).toEqual({ value: "ran" });
    // Held by another process: not run, not waited for; still held, then let go.
    let release!: () => void;
    const holding = first.ifFree(
      "inbox-pass",
      () => new Promise<string>((r) => (release = () => r("first"))),
    );
    await vi.waitFor(() => expect(release).toBeTypeOf("function"), { timeout: 10_000 });
    const skipped = await second.ifFree("inbox-pass", async () => "ran");
    if (!("heldElsewhere" in skipped)) throw new Error("ran while another process held the key");
    expect(await skipped.heldElsewhere.since()).toBe("held");
    release();
    expect(await holding).toEqual({ value: "first" });
    await expect.poll(() => skipped.heldElsewhere.since(), { timeout: 5_000 }).toBe("let go");
    // A process that dies holding it (its session ends without an unlock): gone.
    const dying = new pg.Client({ connectionString: url });
    dying.on("error", () => undefined);
    await dying.connect();
    const [space, id] = advisoryLockKeys("inbox-pass");
    await dying.query("SELECT pg_advisory_lock($1, $2)", [space, id]);
    const pid = (await dying.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    const behind = await second.ifFree("inbox-pass", async () => "ran");
    if (!("heldElsewhere" in behind)) throw new Error("ran while another process held the key");
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await admin.end();
    await expect.poll(() => behind.heldElsewhere.since(), { timeout: 5_000 }).toBe("gone");
    expect(await second.ifFree("inbox-pass", async () => "ran")).toEqual({ value: "ran" });
    await dying.end().catch(() => undefined);
  });

  it("caps one shop's running jobs so another shop's job starts while a burst waits", async () => {
    const { queue } = await freshQueue();
    const q = queue();
    for (let i = 0; i < 200; i++)
      await q.enqueue("route-order", { shop: "busy" }, { shop: "busy.myshopify.com" });
    await q.enqueue("route-order", { shop: "quiet" }, { shop: "quiet.myshopify.com" });
    const started: string[] = [];
    let running = 0;
    let mostAtOnceForBusy = 0;
    q.work(
      "route-order",
      async (job) => {
        const shop = (job.payload as { shop: string }).shop;
        started.push(shop);
        if (shop === "busy") mostAtOnceForBusy = Math.max(mostAtOnceForBusy, ++running);
        await new Promise((r) => setTimeout(r, 100));
        if (shop === "busy") running--;
      },
      { concurrency: 4, perShop: 2, pollMs: 500 },
    );
    await expect.poll(() => started.includes("quiet"), { timeout: 10_000 }).toBe(true);
    // Behind 200 of the busy shop's jobs, the quiet shop's one started within the first few.
    expect(started.indexOf("quiet")).toBeLessThan(6);
    expect(mostAtOnceForBusy).toBeLessThanOrEqual(2);
  });

  it("gives a freed slot to a quiet shop's job before the next of a burst already holding slots, and keeps routing the burst", async () => {
    const { queue } = await freshQueue();
    const q = queue();
    // The busy shop's backlog was paid first: every one of its jobs is ahead in line.
    const paid = Date.now() - 60_000;
    for (let i = 0; i < 20; i++)
      await q.enqueue(
        "route-order",
        { name: `busy${i}` },
        { shop: "busy.myshopify.com", orderAt: new Date(paid + i) },
      );
    await q.enqueue("route-order", { name: "other" }, { shop: "other.myshopify.com" });
    const held = new Map<string, () => void>();
    const started: string[] = [];
    let goAll = false;
    q.work(
      "route-order",
      async (job) => {
        const name = (job.payload as { name: string }).name;
        started.push(name);
        if (!goAll) await new Promise<void>((resolve) => held.set(name, resolve));
      },
      { concurrency: 3, perShop: 2, pollMs: 500 },
    );
    // Every slot taken: the busy shop at its cap, the other shop's order in the third.
    await expect.poll(() => started.length, { timeout: 15_000 }).toBe(3);
    expect([...started].sort()).toEqual(["busy0", "busy1", "other"]);
    await q.enqueue("route-order", { name: "quiet" }, { shop: "quiet.myshopify.com" });
    await new Promise((r) => setTimeout(r, 300));
    // One of the burst's orders is done: its slot goes to the quiet shop, not to busy2 (in line
    // first, and the busy shop under its cap again).
    held.get("busy0")!();
    await expect.poll(() => started.length, { timeout: 15_000 }).toBe(4);
    expect(started[3]).toBe("quiet");
    // The burst is not starved: a slot freed while no other shop waits is its, up to its cap.
    held.get("quiet")!();
    await expect.poll(() => started.length, { timeout: 15_000 }).toBe(5);
    expect(started[4]).toBe("busy2");
    goAll = true;
    for (const go of held.values()) go();
    await expect.poll(() => started.length, { timeout: 15_000 }).toBe(22);
  });

  it("refuses a per-shop cap or slot count below one when the worker starts, and runs with a cap of one", async () => {
    const { queue } = await freshQueue();
    const q = queue();
    await q.enqueue("route-order", { n: 1 }, { shop: "a.myshopify.com" });
    const ran: unknown[] = [];
    const handler = async (job: Job) => void ran.push(job.payload);
    // A cap of 0 would have every fetch ask for no job, again and again.
    expect(() => q.work("route-order", handler, { perShop: 0 })).toThrow(
      "route-order: perShop must be a whole number of at least 1, not 0",
    );
    expect(() => q.work("route-order", handler, { concurrency: 0 })).toThrow(RangeError);
    expect(() => q.work("route-order", handler, { perShop: 1.5 })).toThrow(RangeError);
    q.work("route-order", handler, { concurrency: 2, perShop: 1, pollMs: 500 });
    await expect.poll(() => ran, { timeout: 15_000 }).toEqual([{ n: 1 }]);
  });

  /** Resolves once `signal` aborts, or after `ms` (then the signal never aborted). */
  const abortedWithin = (signal: AbortSignal | undefined, ms: number) =>
    new Promise<boolean>((resolve) => {
      if (!signal) return resolve(false);
      if (signal.aborted) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });

  /** The job's row in pg-boss's table: its state and how often it was retried. */
  async function jobRow(url: string, id: string) {
    const db = createDb(url);
    try {
      const [row] = await db.$queryRawUnsafe<{ state: string; retry_count: number }[]>(
        `SELECT state::text AS state, retry_count FROM pgboss.job WHERE id = $1::uuid`,
        id,
      );
      return row;
    } finally {
      await db.$disconnect();
    }
  }

  it("aborts the signal of a job that outlasts its expiry, records nothing for it, and the job runs again once", async () => {
    const { url } = await freshQueue();
    const make = () => {
      const q = createPgBossQueue(url, { superviseIntervalSeconds: 1, expireInSeconds: 2 });
      open.push(q);
      return q;
    };
    const stalled = make();
    const other = make();
    await stalled.enqueue("route-order", { orderId: "slow" }, { key: "route:slow" });
    let first: Job | undefined;
    let aborted = false;
    const later: Job[] = [];
    // The first run hangs past the queue's expiry (an Admin call that never answers) and stops at
    // its signal, as a route job does before its next change; any later run just finishes.
    const handler = async (job: Job) => {
      if (first) return void later.push(job);
      first = job;
      aborted = await abortedWithin(job.signal, 20_000);
    };
    await stalled.drain("route-order", handler);
    expect(aborted).toBe(true);
    expect(first!.signal!.reason).toBeInstanceOf(LeaseLost);
    // pg-boss failed the attempt for its expiry and retries it: it runs again, once.
    await expect
      .poll(async () => (await other.drain("route-order", handler), later.length), {
        timeout: 20_000,
        interval: 300,
      })
      .toBe(1);
    expect(later.map((j) => [j.payload, j.attempts])).toEqual([[{ orderId: "slow" }, 2]]);
    expect(await jobRow(url, first!.id)).toEqual({ state: "completed", retry_count: 1 });
  }, 60_000);

  it("aborts the signal of a job whose heartbeat stopped reaching the database, and the job runs again once", async () => {
    const { url, queue } = await freshQueue();
    const stalled = queue();
    const other = queue();
    await stalled.enqueue("route-order", { orderId: "cut-off" }, { key: "route:cut-off" });
    const db = createDb(url);
    let first: Job | undefined;
    let aborted = false;
    const later: Job[] = [];
    const handler = async (job: Job) => {
      if (first) return void later.push(job);
      first = job;
      // This process's beats stop reaching the database (a stall, a network cut): as far as
      // pg-boss's supervisor can see, the heartbeat is old, and it fails the attempt. The next
      // beat finds the claim gone.
      const cut = setInterval(
        () =>
          void db
            .$executeRawUnsafe(
              `UPDATE pgboss.job SET heartbeat_on = now() - interval '1 hour'
                WHERE id = $1::uuid AND state = 'active' AND retry_count = 0`,
              job.id,
            )
            .catch(() => {}),
        100,
      );
      try {
        aborted = await abortedWithin(job.signal, 40_000);
      } finally {
        clearInterval(cut);
      }
    };
    try {
      await stalled.drain("route-order", handler);
    } finally {
      await db.$disconnect();
    }
    expect(aborted).toBe(true);
    expect(first!.signal!.reason).toBeInstanceOf(LeaseLost);
    await expect
      .poll(async () => (await other.drain("route-order", handler), later.length), {
        timeout: 20_000,
        interval: 300,
      })
      .toBe(1);
    expect(later.map((j) => [j.payload, j.attempts])).toEqual([[{ orderId: "cut-off" }, 2]]);
    expect(await jobRow(url, first!.id)).toEqual({ state: "completed", retry_count: 1 });
  }, 90_000);

  it("retries the job of a worker process killed mid-job on another worker", async () => {
    const { url, queue } = await freshQueue();
    await queue().enqueue("route-order", { orderId: "7" }, { key: "route:7" });
    // A worker process takes the job and is killed (SIGKILL) before it finishes.
    const script = [
      `import { createPgBossQueue } from "./app/jobs/pgboss-queue.server.ts";`,
      `const q = createPgBossQueue(process.env.URL);`,
      `q.work("route-order", async () => { console.log("taken"); await new Promise(() => {}); });`,
    ].join("\n");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        env: { ...process.env, URL: url },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    await new Promise<void>((taken) =>
      child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("taken") && taken()),
    );
    child.kill("SIGKILL");
    const survivor = queue();
    const ran: Job[] = [];
    survivor.work("route-order", async (job) => void ran.push(job), { pollMs: 500 });
    await expect.poll(() => ran.length, { timeout: 40_000, interval: 500 }).toBe(1);
    expect(ran[0]).toMatchObject({ payload: { orderId: "7" }, attempts: 2 });
  }, 60_000);

  it("enqueues 5,000 jobs in batches, skipping keys taken, and a new process runs them", async () => {
    const { url, queue } = await freshQueue();
    const web = queue();
    await web.enqueue("bulk-item", { n: 0 }, { key: "bulk:0" });
    const batch = (count: number) =>
      Array.from({ length: count }, (_, n) => ({
        payload: { n },
        options: { key: `bulk:${n}`, shop: `shop-${n % 3}` },
      }));
    expect(await web.enqueueMany("bulk-item", batch(5000))).toBe(4999);
    expect(await web.enqueueMany("bulk-item", batch(5000))).toBe(0);
    const db = createDb(url);
    try {
      const [row] = await db.$queryRawUnsafe<{ jobs: bigint; shops: bigint }[]>(
        `SELECT count(*) AS jobs, count(DISTINCT group_id) AS shops FROM pgboss.job WHERE name = 'bulk-item'`,
      );
      expect(row).toEqual({ jobs: 5000n, shops: 3n });
    } finally {
      await db.$disconnect();
    }
    // Every process stopped; a new one finds the jobs in the database and runs each once.
    expect(await web.enqueueMany("bulk-restart", batch(400))).toBe(400);
    await web.stop();
    const worker = queue();
    const seen = new Set<number>();
    const shops = new Set<string | null>();
    expect(
      await worker.drain("bulk-restart", async (job) => {
        seen.add((job.payload as { n: number }).n);
        shops.add(job.shop);
      }),
    ).toBe(400);
    expect(seen.size).toBe(400);
    expect([...shops].sort()).toEqual(["shop-0", "shop-1", "shop-2"]);
  });

  it("commits a batch with the app's transaction, or rolls it back with it", async () => {
    const { url, queue } = await freshQueue();
    const q = queue();
    await q.ready();
    const db = createDb(url);
    try {
      await expect(
        db.$transaction(async (tx) => {
          await q.enqueueMany("bulk-item", [{ payload: { n: 1 } }], { within: tx });
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      await db.$transaction(async (tx) => {
        await q.enqueueMany("bulk-item", [{ payload: { n: 2 } }], { within: tx });
      });
      const seen: unknown[] = [];
      await q.drain("bulk-item", async (job) => void seen.push(job.payload));
      expect(seen).toEqual([{ n: 2 }]);
    } finally {
      await db.$disconnect();
    }
  });
  it("counts a shop's queued, running and failed jobs for Home, and forgets only that shop's", async () => {
    const { queue } = await freshQueue();
    const q = queue();
    const shop = "a.myshopify.com";
    const other = "b.myshopify.com";
    const enqueuedAt = new Date();
    await q.enqueue("route-order", { n: 1 }, { shop, maxAttempts: 1 });
    await q.enqueue("route-order", { n: 2 }, { shop });
    await q.enqueue("bulk-item", { n: 3 }, { shop });
    // A timer set for tomorrow (a hold's release): queued, but not due.
    await q.enqueue(
      "flow-action",
      { n: 6 },
      { shop, runAt: new Date(enqueuedAt.getTime() + 24 * 3600_000) },
    );
    await q.enqueue("route-order", { n: 4 }, { shop: other });
    // The shop's first route-order job fails for good (maxAttempts 1); the others' succeed.
    await q.drain("route-order", async (job) => {
      if ((job.payload as { n: number }).n === 1) throw new Error("Shopify said no");
    });
    const later = new Date(enqueuedAt.getTime() + 90_000);
    const health = await q.health(shop, later);
    // The bulk-item job never ran: it waits, for about 90 s by the later clock; tomorrow's timer
    // waits too, but is not due.
    expect(health).toMatchObject({ queued: 2, due: 1, running: 0, failed: 1 });
    expect(health.oldestWaitSeconds).toBeGreaterThanOrEqual(80);
    expect(await q.health(other, later)).toMatchObject({ queued: 0, failed: 0 });
    await q.enqueue("route-order", { n: 5 }, { shop: other });

    expect(await q.forgetShop(shop)).toBe(4);
    expect(await q.health(shop, later)).toEqual({
      queued: 0,
      due: 0,
      running: 0,
      failed: 0,
      oldestWaitSeconds: 0,
    });
    expect((await q.health(other, later)).queued).toBe(1);
  });
});
