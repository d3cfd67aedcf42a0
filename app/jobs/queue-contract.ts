// What the queue port (queue.ts) promises, written once and run against each queue: the embedded
// queue's test file and pg-boss's each call queueContract with a store of their own (docs/decisions/069).
// A queue that drifts from the port fails here; what only one queue has (the SQLite lease, pg-boss's
// notifications, batched statements and killed processes) stays in that queue's own file. Not a
// test file itself: Vitest runs it only through those two.
import { describe, expect, it } from "vitest";
import type { Db } from "../db/client.server";
import { setLogSink } from "../utils/log.server";
import type { Job, JobQueue } from "./queue";

/** One store of jobs (an empty SQLite database, an empty PostgreSQL database) for one test. */
export interface QueueUnderTest {
  /**
   * A queue on the store: each call another one, as another process (or the same process again,
   * on SQLite) has it. Stopped after the test by the caller.
   */
  queue(): JobQueue;
  /** The app's database the store is in: a batch enqueued within its transaction commits with it. */
  db: Db;
  /** How many jobs of a queue the store holds, whatever their state. */
  stored(queue: string): Promise<number>;
  /** A worker's poll interval in these tests: how soon it finds a job nothing told it of. */
  pollMs: number;
}

const A = "a.myshopify.com";
const B = "b.myshopify.com";

const failWith = (message: string) => async () => {
  throw new Error(message);
};

/** Runs `handler` on a queue's due jobs, again and again, until one ran (a retry after its backoff). */
async function drainOnceDue(queue: JobQueue, name: string, handler: (job: Job) => Promise<void>) {
  await expect.poll(() => queue.drain(name, handler), { timeout: 15_000, interval: 200 }).toBe(1);
}

/** Declares the port's tests for the queue `open` makes a fresh store of (called once per test). */
export function queueContract(open: () => Promise<QueueUnderTest>): void {
  describe("the queue port's promises", () => {
    it("enqueues a keyed job once, from any process, however often it is enqueued, done or not", async () => {
      const store = await open();
      const web1 = store.queue();
      const web2 = store.queue();
      expect(await web1.enqueue("route-order", { orderId: "1" }, { key: "route:1" })).toBe(true);
      expect(await web2.enqueue("route-order", { orderId: "1" }, { key: "route:1" })).toBe(false);
      const seen: unknown[] = [];
      expect(await web1.drain("route-order", async (job) => void seen.push(job.payload))).toBe(1);
      // Done: still enqueued once.
      expect(await web2.enqueue("route-order", { orderId: "1" }, { key: "route:1" })).toBe(false);
      expect(await web2.drain("route-order", async (job) => void seen.push(job.payload))).toBe(0);
      expect(seen).toEqual([{ orderId: "1" }]);
      expect(await store.stored("route-order")).toBe(1);
    });

    it("enqueues a keyed job asked for by many at once once, the others answered false", async () => {
      const store = await open();
      const q = store.queue();
      const stored = await Promise.all(
        Array.from({ length: 6 }, () =>
          q.enqueue("route-order", { orderId: "2" }, { key: "route:2", shop: A }),
        ),
      );
      expect(stored.filter(Boolean)).toHaveLength(1);
      expect(await q.drain("route-order", async () => {})).toBe(1);
    });

    it("retries a failing job after its backoff with its attempts counted, then gives it up after its last", async () => {
      const store = await open();
      const q = store.queue();
      await q.enqueue("route-order", {}, { maxAttempts: 2, shop: A });
      const attempts: Job[] = [];
      const fail = async (job: Job) => {
        attempts.push(job);
        throw new Error("Shopify answered 503");
      };
      expect(await q.drain("route-order", fail)).toBe(1);
      // The retry waits out its backoff (about a second): not due yet.
      expect(await q.drain("route-order", fail)).toBe(0);
      expect(await q.health(A, new Date())).toMatchObject({ queued: 1, failed: 0 });
      await drainOnceDue(q, "route-order", fail);
      expect(attempts.map((j) => [j.attempts, j.shop])).toEqual([
        [1, A],
        [2, A],
      ]);
      // Given up: failed for good, nothing left to retry.
      expect(await q.health(A, new Date())).toMatchObject({ queued: 0, running: 0, failed: 1 });
      expect(await q.drain("route-order", fail)).toBe(0);
    });

    it("gives a keyed job that failed for good a fresh start when it is enqueued again, with the new payload, still one job", async () => {
      const store = await open();
      const q = store.queue();
      await q.enqueue("route-order", { orderId: "9", v: 1 }, { key: "route:9", maxAttempts: 1 });
      await q.drain("route-order", failWith("no session yet"));
      expect(await q.drain("route-order", async () => {})).toBe(0);
      expect(await q.enqueue("route-order", { orderId: "9", v: 2 }, { key: "route:9" })).toBe(true);
      const ran: unknown[] = [];
      expect(await q.drain("route-order", async (job) => void ran.push(job.payload))).toBe(1);
      expect(ran).toEqual([{ orderId: "9", v: 2 }]);
      expect(await store.stored("route-order")).toBe(1);
    });

    it("brings a keyed job waiting for later forward when it is enqueued again without a time, and one waiting out its backoff", async () => {
      const store = await open();
      const q = store.queue();
      const later = new Date(Date.now() + 3600_000);
      await q.enqueue("route-order", { orderId: "5" }, { key: "route:5", runAt: later });
      expect(await q.drain("route-order", async () => {})).toBe(0);
      // Asked again for a time of its own: left waiting for it.
      const laterStill = new Date(later.getTime() + 3600_000);
      expect(
        await q.enqueue("route-order", { orderId: "5" }, { key: "route:5", runAt: laterStill }),
      ).toBe(false);
      expect(await q.drain("route-order", async () => {})).toBe(0);
      expect(await q.enqueue("route-order", { orderId: "5" }, { key: "route:5" })).toBe(false);
      expect(await q.drain("route-order", async () => {})).toBe(1);
      // A retry waiting out its backoff: asked for again (the shop's session exists now), it runs
      // now, its attempts counted on.
      await q.enqueue("route-order", { orderId: "6" }, { key: "route:6", maxAttempts: 3 });
      await q.drain("route-order", failWith("no session yet"));
      expect(await q.enqueue("route-order", { orderId: "6" }, { key: "route:6" })).toBe(false);
      const ran: number[] = [];
      expect(await q.drain("route-order", async (job) => void ran.push(job.attempts))).toBe(1);
      expect(ran).toEqual([2]);
    });

    it("tells the handler its last attempt, and logs the give-up with its shop and order", async () => {
      const store = await open();
      const q = store.queue();
      await q.enqueue(
        "route-order",
        { orderId: "gid://shopify/Order/5" },
        { maxAttempts: 2, shop: A },
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
        await drainOnceDue(q, "route-order", fail);
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
          shop: A,
          orderId: "gid://shopify/Order/5",
          attempts: 2,
          error: "Shopify answered 503",
        }),
      ]);
    });

    it("hands each give-up to gaveUp once, and again after a fresh start with every attempt that gives up again", async () => {
      const store = await open();
      const q = store.queue();
      const fail = failWith("no session yet");
      // Unkeyed (a refresh) and keyed (a route job), and another shop's.
      await q.enqueue("refresh-order", { orderId: "1" }, { shop: A, maxAttempts: 1 });
      await q.enqueue("refresh-order", { orderId: "2" }, { shop: A, maxAttempts: 2, key: "r:2" });
      await q.enqueue("refresh-order", { orderId: "3" }, { shop: B, maxAttempts: 1 });
      await q.drain("refresh-order", fail);
      // Job 2 gives up after its backoff.
      await drainOnceDue(q, "refresh-order", fail);
      const first = (await q.gaveUp("refresh-order", A, 10)).sort((x, y) =>
        JSON.stringify(x.payload).localeCompare(JSON.stringify(y.payload)),
      );
      expect(first.map((j) => [j.payload, j.attempts, j.lastError])).toEqual([
        [{ orderId: "1" }, 1, "no session yet"],
        [{ orderId: "2" }, 2, "no session yet"],
      ]);
      // Handed out once: a second look finds nothing new (no page filled by old give-ups).
      expect(await q.gaveUp("refresh-order", A, 10)).toEqual([]);
      // A fresh start by id, unkeyed, with a new payload, due now, every attempt again.
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
      // Gave up again: handed out again, and it is still one job.
      expect((await q.gaveUp("refresh-order", A, 10)).map((j) => j.payload)).toEqual([
        { orderId: "1", reconciled: 1 },
      ]);
      expect(await store.stored("refresh-order")).toBe(3);
      // A keyed job enqueued again gets every attempt again: its first new attempt fails and it
      // waits for its second instead of giving up; once that fails, it is handed out again.
      expect(await q.enqueue("refresh-order", { orderId: "2", v: 2 }, { key: "r:2" })).toBe(true);
      const again: unknown[] = [];
      const failAgain = async (job: Job) => {
        again.push([job.payload, job.attempts, job.lastAttempt]);
        throw new Error("still away");
      };
      expect(await q.drain("refresh-order", failAgain)).toBe(1);
      expect(again).toEqual([[{ orderId: "2", v: 2 }, 1, false]]);
      expect(await q.gaveUp("refresh-order", A, 10)).toEqual([]);
      await drainOnceDue(q, "refresh-order", failAgain);
      expect((await q.gaveUp("refresh-order", A, 10)).map((j) => [j.payload, j.attempts])).toEqual([
        [{ orderId: "2", v: 2 }, 2],
      ]);
      expect(await store.stored("refresh-order")).toBe(3);
    });

    it("hands give-ups out oldest first, at most as many as asked for, the next call moving on", async () => {
      const store = await open();
      const q = store.queue();
      for (const orderId of ["1", "2", "3"]) {
        await q.enqueue("refresh-order", { orderId }, { shop: A, maxAttempts: 1 });
        await q.drain("refresh-order", failWith("no session yet"));
        // Apart in time, so which gave up first is plain.
        await new Promise((r) => setTimeout(r, 20));
      }
      const payloads = async (limit: number) =>
        (await q.gaveUp("refresh-order", A, limit)).map((j) => j.payload);
      expect(await payloads(2)).toEqual([{ orderId: "1" }, { orderId: "2" }]);
      expect(await payloads(2)).toEqual([{ orderId: "3" }]);
      expect(await payloads(2)).toEqual([]);
    });

    it("hands a give-up to only one of two processes looking at once", async () => {
      const store = await open();
      const first = store.queue();
      const second = store.queue();
      for (let n = 0; n < 6; n++)
        await first.enqueue("refresh-order", { orderId: String(n) }, { shop: A, maxAttempts: 1 });
      await first.drain("refresh-order", failWith("no session yet"));
      // Two reconciliations of the shop (two worker processes) ask at the same moment.
      const [a, b] = await Promise.all([
        first.gaveUp("refresh-order", A, 10),
        second.gaveUp("refresh-order", A, 10),
      ]);
      const ids = [...a, ...b].map((j) => j.id);
      expect(ids).toHaveLength(6);
      expect(new Set(ids).size).toBe(6);
    });

    it("takes a shop's waiting jobs by their place in line, not by when they were stored, a retry back in its place, in a worker and in drain", async () => {
      const store = await open();
      const q = store.queue();
      const t = Date.now() - 60_000;
      // a0, first in line, fails once and waits out its backoff (2 s at the most); shop b's jobs,
      // stored out of line, run in line.
      await q.enqueue("route-order", { name: "a0" }, { shop: A, orderAt: new Date(t) });
      for (const [name, at] of [
        ["b3", 3],
        ["b1", 1],
        ["b2", 2],
      ] as const)
        await q.enqueue("route-order", { name }, { shop: B, orderAt: new Date(t + at * 1000) });
      const drained: string[] = [];
      await q.drain("route-order", async (job) => {
        const { name } = job.payload as { name: string };
        if (name === "a0") throw new Error("Shopify answered 503");
        drained.push(name);
      });
      expect(drained).toEqual(["b1", "b2", "b3"]);
      // Stored out of line (a webhook that came late), all due once a0's retry is.
      const due = new Date(Date.now() + 2500);
      for (const [name, at] of [
        ["a3", 3],
        ["a1", 1],
        ["a2", 2],
      ] as const)
        await q.enqueue(
          "route-order",
          { name },
          { shop: A, orderAt: new Date(t + at * 1000), runAt: due },
        );
      await new Promise((r) => setTimeout(r, due.getTime() - Date.now() + 100));
      const ran: string[] = [];
      q.work("route-order", async (job) => void ran.push((job.payload as { name: string }).name), {
        concurrency: 1,
        pollMs: store.pollMs,
      });
      await expect.poll(() => ran.length, { timeout: 15_000 }).toBe(4);
      expect(ran).toEqual(["a0", "a1", "a2", "a3"]);
    });

    it("takes a job asked first in line before every job waiting in line, of any shop, and such jobs in the order asked", async () => {
      const store = await open();
      const q = store.queue();
      const t = Date.now() - 60_000;
      // Other shops' passes waiting, first in line by their own places (ADR 100: a merchant's
      // Check now used to wait behind them for the queue's one slot).
      for (const [name, shop, at] of [
        ["a1", A, 1],
        ["b1", B, 2],
        ["a2", A, 3],
      ] as const)
        await q.enqueue("drift-scan", { name }, { shop, orderAt: new Date(t + at * 1000) });
      await q.enqueue(
        "drift-scan",
        { name: "check-c" },
        { shop: "c.myshopify.com", firstInLine: true },
      );
      // Asked a moment later: the embedded queue counts when a job was asked in milliseconds.
      await new Promise((r) => setTimeout(r, 5));
      await q.enqueue("drift-scan", { name: "check-a" }, { shop: A, firstInLine: true });
      const ran: string[] = [];
      q.work("drift-scan", async (job) => void ran.push((job.payload as { name: string }).name), {
        concurrency: 1,
        perShop: 1,
        pollMs: store.pollMs,
      });
      await expect.poll(() => ran.length, { timeout: 15_000 }).toBe(5);
      expect(ran).toEqual(["check-c", "check-a", "a1", "b1", "a2"]);
    });

    it("tells an idle worker of another process of a job asked first in line at once, not at its next poll", async () => {
      const store = await open();
      const worker = store.queue();
      const ran: string[] = [];
      worker.work(
        "drift-scan",
        async (job) => void ran.push((job.payload as { name: string }).name),
        {
          concurrency: 1,
          // Ten minutes: within the test only being told finds the job.
          pollMs: 10 * 60_000,
        },
      );
      // Its own job, taken at once, then the look after it, which finds nothing: from there on the
      // worker is idle until told or polled. (A moment for that look, not a measure of anything.)
      const settled = new Promise<void>((resolve) => worker.onSettled(() => resolve()));
      await worker.enqueue("drift-scan", { name: "own" }, { shop: A });
      await settled;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(ran).toEqual(["own"]);
      // The web process (another queue on the store) asks for a check.
      await store.queue().enqueue("drift-scan", { name: "check" }, { shop: B, firstInLine: true });
      await expect.poll(() => ran, { timeout: 15_000 }).toEqual(["own", "check"]);
    });

    it("works jobs in the background, each once, until stopped", async () => {
      const store = await open();
      const q = store.queue();
      const done: number[] = [];
      q.work("route-order", async (job) => void done.push((job.payload as { n: number }).n), {
        pollMs: store.pollMs,
      });
      for (let n = 0; n < 5; n++) await q.enqueue("route-order", { n });
      await expect.poll(() => done.length, { timeout: 15_000 }).toBe(5);
      await q.stop();
      expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
      // Stopped: a job another process stores meanwhile waits for a worker.
      await store.queue().enqueue("route-order", { n: 5 });
      await new Promise((r) => setTimeout(r, 3 * store.pollMs + 100));
      expect(done).toHaveLength(5);
    });

    it("calls the settled listeners after each job it ran, done, retried or given up, until unsubscribed", async () => {
      const store = await open();
      const q = store.queue();
      const settled: [string, string | null][] = [];
      const unsubscribe = q.onSettled((queue, shop) => settled.push([queue, shop]));
      await q.enqueue("route-order", { ok: true }, { shop: A });
      await q.enqueue("route-order", { ok: false }, { shop: B, maxAttempts: 2 });
      await q.enqueue("refresh-order", { ok: false }, { maxAttempts: 1 });
      const handler = async (job: Job) => {
        if (!(job.payload as { ok: boolean }).ok) throw new Error("Shopify answered 503");
      };
      await q.drain("route-order", handler);
      await q.drain("refresh-order", handler);
      expect(settled.sort()).toEqual([
        ["refresh-order", null],
        ["route-order", A],
        ["route-order", B],
      ]);
      unsubscribe();
      await q.enqueue("route-order", { ok: true }, { shop: A });
      expect(await q.drain("route-order", handler)).toBe(1);
      expect(settled).toHaveLength(3);
    });

    it("works several of one shop's jobs at once up to its cap, and another shop's job starts while a burst waits", async () => {
      const store = await open();
      const q = store.queue();
      for (let i = 0; i < 40; i++) await q.enqueue("route-order", { shop: "busy" }, { shop: B });
      await q.enqueue("route-order", { shop: "quiet" }, { shop: A });
      const started: string[] = [];
      let busyNow = 0;
      let busyMost = 0;
      q.work(
        "route-order",
        async (job) => {
          const shop = (job.payload as { shop: string }).shop;
          started.push(shop);
          if (shop === "busy") busyMost = Math.max(busyMost, ++busyNow);
          await new Promise((r) => setTimeout(r, 50));
          if (shop === "busy") busyNow--;
        },
        { concurrency: 6, perShop: 4, pollMs: store.pollMs },
      );
      await expect.poll(() => started.length, { timeout: 20_000 }).toBe(41);
      // The busy shop's orders ran side by side, never more than its cap; the quiet shop's one
      // order, behind 40 of them, was among the first taken.
      expect(busyMost).toBe(4);
      expect(started.indexOf("quiet")).toBeLessThan(6);
    });

    it("gives a freed slot to a quiet shop's job before the next of a burst already holding slots, and keeps routing the burst", async () => {
      const store = await open();
      const q = store.queue();
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
        { concurrency: 3, perShop: 2, pollMs: store.pollMs },
      );
      // Held jobs let go however the test ends, so the worker stops.
      const letGo = () => {
        goAll = true;
        for (const go of held.values()) go();
      };
      try {
        // Every slot taken: the busy shop at its cap, the other shop's order in the third.
        await expect.poll(() => started.length, { timeout: 20_000 }).toBe(3);
        expect([...started].sort()).toEqual(["busy0", "busy1", "other"]);
        await q.enqueue("route-order", { name: "quiet" }, { shop: "quiet.myshopify.com" });
        await new Promise((r) => setTimeout(r, 300));
        // One of the burst's orders is done: its slot goes to the quiet shop, not to busy2 (in line
        // first, and the busy shop under its cap again).
        held.get("busy0")!();
        await expect.poll(() => started.length, { timeout: 20_000 }).toBe(4);
        expect(started[3]).toBe("quiet");
        // The burst is not starved: a slot freed while no other shop waits is its, up to its cap.
        held.get("quiet")!();
        await expect.poll(() => started.length, { timeout: 20_000 }).toBe(5);
        expect(started[4]).toBe("busy2");
        letGo();
        await expect.poll(() => started.length, { timeout: 20_000 }).toBe(22);
      } finally {
        letGo();
      }
    });

    it("refuses a per-shop cap or slot count below one when the worker starts, and runs with a cap of one", async () => {
      const store = await open();
      const q = store.queue();
      await q.enqueue("route-order", { n: 1 }, { shop: A });
      const ran: unknown[] = [];
      const handler = async (job: Job) => void ran.push(job.payload);
      // A cap of 0 would have every look for work ask for no job of the shop, again and again.
      expect(() => q.work("route-order", handler, { perShop: 0 })).toThrow(
        "route-order: perShop must be a whole number of at least 1, not 0",
      );
      expect(() => q.work("route-order", handler, { concurrency: 0 })).toThrow(RangeError);
      expect(() => q.work("route-order", handler, { perShop: 1.5 })).toThrow(RangeError);
      q.work("route-order", handler, { concurrency: 2, perShop: 1, pollMs: store.pollMs });
      await expect.poll(() => ran, { timeout: 15_000 }).toEqual([{ n: 1 }]);
    });

    it("keeps a queue's slots for its own jobs while another queue's jobs run long", async () => {
      const store = await open();
      const q = store.queue();
      // Both queues' jobs held until let go (however the test ends, so the worker stops).
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let go = () => {};
      const gate = new Promise<void>((resolve) => (go = resolve));
      try {
        q.work("reconcile", () => held, { concurrency: 2, pollMs: store.pollMs });
        await q.enqueue("reconcile", {}, { shop: A });
        await q.enqueue("reconcile", {}, { shop: A });
        await expect
          .poll(async () => (await q.health(A, new Date())).running, { timeout: 15_000 })
          .toBe(2);
        let now = 0;
        let most = 0;
        let done = 0;
        q.work(
          "route-order",
          async () => {
            most = Math.max(most, ++now);
            await gate;
            now--;
            done++;
          },
          { concurrency: 3, pollMs: store.pollMs },
        );
        await q.enqueueMany(
          "route-order",
          Array.from({ length: 6 }, (_, i) => ({ payload: { i } })),
        );
        // Three at once although two reconciliation jobs still hold slots of their own.
        await expect.poll(() => most, { timeout: 15_000 }).toBe(3);
        go();
        await expect.poll(() => done, { timeout: 15_000 }).toBe(6);
        expect(most).toBe(3);
      } finally {
        go();
        release();
      }
    });

    it("runs an exclusive call made inside another with the same key at once, and two of one process side by side", async () => {
      const store = await open();
      const q = store.queue();
      const key = "order:a.myshopify.com|gid://shopify/Order/1";
      expect(await q.exclusive(key, () => q.exclusive(key, async () => "nested"))).toBe("nested");
      // Only other processes wait: two calls of this one are inside at the same time.
      let inside = 0;
      let most = 0;
      const call = () =>
        q.exclusive(key, async () => {
          most = Math.max(most, ++inside);
          await new Promise((r) => setTimeout(r, 100));
          inside--;
        });
      await Promise.all([call(), call()]);
      expect(most).toBe(2);
    });

    it("enqueues a batch in one go, skipping keys already taken and leaving their jobs as they are, and runs it like any job", async () => {
      const store = await open();
      const q = store.queue();
      // Taken already: one failed for good (not started over by a batch) and one for later (not
      // brought forward).
      await q.enqueue("bulk-item", { n: 0 }, { key: "bulk:0", maxAttempts: 1 });
      await q.drain("bulk-item", failWith("Shopify answered 503"));
      await q.enqueue(
        "bulk-item",
        { n: 1 },
        { key: "bulk:1", runAt: new Date(Date.now() + 3600_000) },
      );
      const batch = Array.from({ length: 200 }, (_, n) => ({
        payload: { n },
        options: { key: `bulk:${n}`, shop: n % 2 ? A : B },
      }));
      expect(await q.enqueueMany("bulk-item", batch)).toBe(198);
      expect(await q.enqueueMany("bulk-item", batch)).toBe(0);
      const seen = new Map<number, string | null>();
      expect(
        await q.drain("bulk-item", async (job) => {
          expect(seen.has((job.payload as { n: number }).n)).toBe(false);
          seen.set((job.payload as { n: number }).n, job.shop);
        }),
      ).toBe(198);
      expect(seen.get(7)).toBe(A);
      expect(seen.get(8)).toBe(B);
      expect(await store.stored("bulk-item")).toBe(200);
    });

    it("commits a batch with the app's transaction, or rolls it back with it", async () => {
      const store = await open();
      const q = store.queue();
      await expect(
        store.db.$transaction(async (tx) => {
          await q.enqueueMany("bulk-item", [{ payload: { n: 1 } }, { payload: { n: 2 } }], {
            within: tx,
          });
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await store.stored("bulk-item")).toBe(0);
      await store.db.$transaction(async (tx) => {
        await q.enqueueMany("bulk-item", [{ payload: { n: 3 } }], { within: tx });
      });
      const seen: unknown[] = [];
      await q.drain("bulk-item", async (job) => void seen.push(job.payload));
      expect(seen).toEqual([{ n: 3 }]);
    });

    it("counts a shop's queued, due, running and failed jobs for Home, and forgets only that shop's", async () => {
      const store = await open();
      const q = store.queue();
      const enqueuedAt = new Date();
      await q.enqueue("route-order", { n: 1 }, { shop: A, maxAttempts: 1 });
      await q.enqueue("route-order", { n: 2 }, { shop: A });
      await q.enqueue("bulk-item", { n: 3 }, { shop: A });
      // A timer set for tomorrow (a hold's release): queued, but not due.
      await q.enqueue(
        "flow-action",
        { n: 6 },
        { shop: A, runAt: new Date(enqueuedAt.getTime() + 24 * 3600_000) },
      );
      await q.enqueue("route-order", { n: 4 }, { shop: B });
      // The shop's first route-order job fails for good (maxAttempts 1); the others' succeed.
      await q.drain("route-order", async (job) => {
        if ((job.payload as { n: number }).n === 1) throw new Error("Shopify said no");
      });
      // One job of the shop runs (an order of many rounds) while Home asks.
      await q.enqueue("refresh-order", { n: 7 }, { shop: A });
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      let started = false;
      const running = q.drain("refresh-order", async () => {
        started = true;
        await finished;
      });
      await expect.poll(() => started, { timeout: 15_000 }).toBe(true);
      const later = new Date(enqueuedAt.getTime() + 90_000);
      const health = await q.health(A, later);
      // The bulk-item job never ran: it waits, for about 90 s by the later clock; tomorrow's timer
      // waits too, but is not due.
      expect(health).toMatchObject({ queued: 2, due: 1, running: 1, failed: 1 });
      expect(health.oldestWaitSeconds).toBeGreaterThanOrEqual(80);
      expect(await q.health(B, later)).toMatchObject({ queued: 0, running: 0, failed: 0 });
      finish();
      await running;
      await q.enqueue("route-order", { n: 5 }, { shop: B });

      expect(await q.forgetShop(A)).toBe(5);
      expect(await q.health(A, later)).toEqual({
        queued: 0,
        due: 0,
        running: 0,
        failed: 0,
        oldestWaitSeconds: 0,
      });
      expect((await q.health(B, later)).queued).toBe(1);
    });
  });
}
