// The pg-boss queue on a throwaway PostgreSQL server: the port's promises (queue-contract.ts, run on
// the embedded queue too), and what is pg-boss's own: other processes told of new jobs, statements
// shared by jobs enqueued, fetched or finished together, two worker processes' slots adding up, and
// a job taken over after its expiry, a stopped heartbeat or its worker process killed.
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
import { createDb, type Db } from "../db/client.server";
import { LeaseLost, type Job } from "./queue";
import { queueContract } from "./queue-contract";

const missing = postgresUnavailableReason();
const skip = missing !== null && !process.env.CI;

describe.skipIf(skip)("pg-boss queue", () => {
  let cluster: PostgresCluster | null = null;
  const open: PgBossQueue[] = [];
  const dbs: Db[] = [];
  let n = 0;

  beforeAll(async () => {
    cluster = await startPostgres();
    if (!cluster) throw new Error(`PostgreSQL is required in CI: ${missing}`);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.stop()));
    await Promise.all(dbs.splice(0).map((db) => db.$disconnect()));
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

  queueContract(async () => {
    const { url, queue } = await freshQueue();
    const db = createDb(url);
    dbs.push(db);
    return {
      queue,
      db,
      async stored(name) {
        const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`,
          name,
        );
        return row!.n;
      },
      // Every job stored is told to a worker; its poll finds a retry come due.
      pollMs: 500,
    };
  });

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
});
