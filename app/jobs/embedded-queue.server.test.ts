// The embedded queue on a real SQLite file: once-only keys, leases, retries, crash recovery and
// fairness between shops.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/setup/db";
import type { Db } from "../db/client.server";
import { setLogSink } from "../utils/log.server";
import { createEmbeddedQueue } from "./embedded-queue.server";
import type { Job } from "./queue";

let db: Db;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await cleanup();
});

describe("embedded queue", () => {
  it("enqueues a keyed job once, however often it is enqueued", async () => {
    const queue = createEmbeddedQueue(db);
    expect(await queue.enqueue("route-order", { orderId: "1" }, { key: "route:1" })).toBe(true);
    expect(await queue.enqueue("route-order", { orderId: "1" }, { key: "route:1" })).toBe(false);
    const seen: unknown[] = [];
    expect(await queue.drain("route-order", async (job) => void seen.push(job.payload))).toBe(1);
    expect(seen).toEqual([{ orderId: "1" }]);
  });

  it("retries a failing job with backoff and marks it failed after its last attempt", async () => {
    let clock = new Date("2026-11-24T10:00:00Z");
    const queue = createEmbeddedQueue(db, { now: () => clock });
    await queue.enqueue("route-order", {}, { maxAttempts: 2 });
    const fail = async () => {
      throw new Error("Shopify answered 503");
    };
    expect(await queue.drain("route-order", fail)).toBe(1);
    let row = await db.job.findFirstOrThrow();
    expect(row).toMatchObject({ status: "queued", attempts: 1, lastError: "Shopify answered 503" });
    expect(row.runAt.getTime()).toBe(clock.getTime() + 1000);
    // Not due yet: nothing runs.
    expect(await queue.drain("route-order", fail)).toBe(0);
    clock = new Date(clock.getTime() + 1000);
    expect(await queue.drain("route-order", fail)).toBe(1);
    row = await db.job.findFirstOrThrow();
    expect(row).toMatchObject({ status: "failed", attempts: 2 });
  });

  it("renews the lease of a job that runs longer than it: no second worker runs it meanwhile", async () => {
    // Long enough that a busy machine renews in time (every third of it); the job runs 2.5 leases.
    const first = createEmbeddedQueue(db, { leaseMs: 1500, workerId: "a" });
    const second = createEmbeddedQueue(db, { leaseMs: 1500, workerId: "b" });
    await first.enqueue("route-order", { orderId: "long" });
    const runs: string[] = [];
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const slow = (worker: string) => async () => {
      runs.push(worker);
      // Longer than the lease: one Admin call retried for a while, or an order of many rounds.
      await new Promise((resolve) => setTimeout(resolve, 3750));
      finish();
    };
    first.work("route-order", slow("a"), { pollMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    second.work("route-order", slow("b"), { pollMs: 20 });
    await finished;
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all([first.stop(), second.stop()]);
    expect(runs).toEqual(["a"]);
    expect(await db.job.findFirstOrThrow()).toMatchObject({ status: "done", attempts: 1 });
  });

  it("tells a stalled worker whose lease was taken, and records nothing for it", async () => {
    const queue = createEmbeddedQueue(db, { leaseMs: 150, workerId: "a" });
    await queue.enqueue("route-order", { orderId: "stalled" });
    let signal: AbortSignal | undefined;
    const ran = queue.drain("route-order", async (job) => {
      signal = job.signal;
      // Meanwhile the lease ran out during a stall and worker b took the job.
      await db.job.updateMany({
        data: { leasedBy: "b", leaseUntil: new Date(Date.now() + 60_000) },
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    await ran;
    expect(signal?.aborted).toBe(true);
    expect(await db.job.findFirstOrThrow()).toMatchObject({ status: "running", leasedBy: "b" });
  });

  it("gives a job whose worker died to another worker once the lease runs out", async () => {
    let clock = new Date("2026-11-24T10:00:00Z");
    const crashed = createEmbeddedQueue(db, { now: () => clock, leaseMs: 30_000, workerId: "a" });
    const survivor = createEmbeddedQueue(db, { now: () => clock, leaseMs: 30_000, workerId: "b" });
    await crashed.enqueue("route-order", { orderId: "7" });
    // Worker a takes the job and never finishes (its process was killed).
    void crashed.drain("route-order", () => new Promise<void>(() => {}));
    await new Promise((r) => setTimeout(r, 50));
    const ran: Job[] = [];
    expect(await survivor.drain("route-order", async (job) => void ran.push(job))).toBe(0);
    clock = new Date(clock.getTime() + 30_001);
    expect(await survivor.drain("route-order", async (job) => void ran.push(job))).toBe(1);
    expect(ran[0]).toMatchObject({ payload: { orderId: "7" }, attempts: 2 });
    expect((await db.job.findFirstOrThrow()).status).toBe("done");
  });

  it("serves shops in turn so one shop's burst does not starve another", async () => {
    const queue = createEmbeddedQueue(db);
    for (let i = 0; i < 20; i++)
      await queue.enqueue("route-order", { shop: "busy", i }, { shop: "busy.myshopify.com" });
    await queue.enqueue("route-order", { shop: "quiet" }, { shop: "quiet.myshopify.com" });
    const order: string[] = [];
    await queue.drain(
      "route-order",
      async (job) => void order.push((job.payload as { shop: string }).shop),
    );
    expect(order.indexOf("quiet")).toBeLessThan(2);
  });

  it("works several of one shop's jobs at once up to its cap, and another shop's job starts while a burst waits", async () => {
    const queue = createEmbeddedQueue(db);
    for (let i = 0; i < 40; i++)
      await queue.enqueue("route-order", { shop: "busy" }, { shop: "busy.myshopify.com" });
    await queue.enqueue("route-order", { shop: "quiet" }, { shop: "quiet.myshopify.com" });
    const started: string[] = [];
    let busyNow = 0;
    let busyMost = 0;
    queue.work(
      "route-order",
      async (job) => {
        const shop = (job.payload as { shop: string }).shop;
        started.push(shop);
        if (shop === "busy") busyMost = Math.max(busyMost, ++busyNow);
        await new Promise((r) => setTimeout(r, 50));
        if (shop === "busy") busyNow--;
      },
      { concurrency: 6, perShop: 4, pollMs: 10 },
    );
    await expect.poll(() => started.length, { timeout: 20_000 }).toBe(41);
    await queue.stop();
    // The busy shop's orders ran side by side, never more than its cap; the quiet shop's one
    // order was among the first taken.
    expect(busyMost).toBe(4);
    expect(started.indexOf("quiet")).toBeLessThan(6);
  });

  it("gives a freed slot to a quiet shop's job before the next of a burst already holding slots, and keeps routing the burst", async () => {
    const queue = createEmbeddedQueue(db);
    // The busy shop's backlog was paid first: every one of its jobs is ahead in line.
    const paid = Date.now() - 60_000;
    for (let i = 0; i < 20; i++)
      await queue.enqueue(
        "route-order",
        { name: `busy${i}` },
        { shop: "busy.myshopify.com", orderAt: new Date(paid + i) },
      );
    await queue.enqueue("route-order", { name: "other" }, { shop: "other.myshopify.com" });
    const held = new Map<string, () => void>();
    const started: string[] = [];
    let goAll = false;
    queue.work(
      "route-order",
      async (job) => {
        const name = (job.payload as { name: string }).name;
        started.push(name);
        if (!goAll) await new Promise<void>((resolve) => held.set(name, resolve));
      },
      { concurrency: 3, perShop: 2, pollMs: 10 },
    );
    // Every slot taken: the busy shop at its cap, the other shop's order in the third.
    await expect.poll(() => started.length, { timeout: 20_000 }).toBe(3);
    expect([...started].sort()).toEqual(["busy0", "busy1", "other"]);
    await queue.enqueue("route-order", { name: "quiet" }, { shop: "quiet.myshopify.com" });
    await new Promise((r) => setTimeout(r, 100));
    // One of the burst's orders is done: its slot goes to the quiet shop, not to busy2 (in line
    // first, and the busy shop under its cap again).
    held.get("busy0")!();
    await expect.poll(() => started.length, { timeout: 20_000 }).toBe(4);
    expect(started[3]).toBe("quiet");
    // The burst is not starved: a slot freed while no other shop waits is its, up to its cap.
    held.get("quiet")!();
    await expect.poll(() => started.length, { timeout: 20_000 }).toBe(5);
    expect(started[4]).toBe("busy2");
    goAll = true;
    for (const go of held.values()) go();
    await expect.poll(() => started.length, { timeout: 20_000 }).toBe(22);
    await queue.stop();
  });

  it("refuses a per-shop cap or slot count below one when the worker starts, and runs with a cap of one", async () => {
    const queue = createEmbeddedQueue(db);
    await queue.enqueue("route-order", { n: 1 }, { shop: "a.myshopify.com" });
    const ran: unknown[] = [];
    const handler = async (job: Job) => void ran.push(job.payload);
    // A cap of 0 would have every tick lease no job of the shop, again and again.
    expect(() => queue.work("route-order", handler, { perShop: 0 })).toThrow(
      "route-order: perShop must be a whole number of at least 1, not 0",
    );
    expect(() => queue.work("route-order", handler, { concurrency: 0 })).toThrow(RangeError);
    expect(() => queue.work("route-order", handler, { perShop: 1.5 })).toThrow(RangeError);
    queue.work("route-order", handler, { concurrency: 2, perShop: 1, pollMs: 10 });
    await expect.poll(() => ran, { timeout: 5000 }).toEqual([{ n: 1 }]);
    await queue.stop();
  });

  it("keeps a queue's slots for its own jobs while another queue's jobs run long", async () => {
    const queue = createEmbeddedQueue(db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    queue.work("reconcile", () => held, { concurrency: 2, pollMs: 10 });
    await queue.enqueue("reconcile", {});
    await queue.enqueue("reconcile", {});
    await expect
      .poll(() => db.job.count({ where: { queue: "reconcile", status: "running" } }))
      .toBe(2);
    let now = 0;
    let most = 0;
    queue.work(
      "route-order",
      async () => {
        most = Math.max(most, ++now);
        await new Promise((r) => setTimeout(r, 50));
        now--;
      },
      { concurrency: 3, pollMs: 10 },
    );
    for (let i = 0; i < 6; i++) await queue.enqueue("route-order", { i });
    await expect
      .poll(() => db.job.count({ where: { queue: "route-order", status: "done" } }))
      .toBe(6);
    // Three at once although two reconciliation jobs still held slots of their own.
    expect(most).toBe(3);
    release();
    await queue.stop();
  });

  it("runs a nested exclusive call with the same key at once (one process: nothing to wait for)", async () => {
    const queue = createEmbeddedQueue(db);
    const key = "order:a.myshopify.com|gid://shopify/Order/1";
    expect(await queue.exclusive(key, () => queue.exclusive(key, async () => "nested"))).toBe(
      "nested",
    );
  });

  it("works jobs in the background until stopped", async () => {
    const queue = createEmbeddedQueue(db);
    const done: number[] = [];
    queue.work("route-order", async (job) => void done.push((job.payload as { n: number }).n), {
      pollMs: 10,
    });
    for (let n = 0; n < 5; n++) await queue.enqueue("route-order", { n });
    await expect.poll(() => done.length, { timeout: 5000 }).toBe(5);
    await queue.stop();
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("gives a keyed job that failed for good a fresh start when it is enqueued again", async () => {
    const queue = createEmbeddedQueue(db);
    await queue.enqueue("route-order", { orderId: "9" }, { key: "route:9", maxAttempts: 1 });
    await queue.drain("route-order", async () => {
      throw new Error("no session yet");
    });
    expect((await db.job.findFirstOrThrow()).status).toBe("failed");
    expect(await queue.enqueue("route-order", { orderId: "9" }, { key: "route:9" })).toBe(true);
    const ran: unknown[] = [];
    expect(await queue.drain("route-order", async (job) => void ran.push(job.payload))).toBe(1);
    expect(ran).toEqual([{ orderId: "9" }]);
    expect(await db.job.count()).toBe(1);
  });

  it("tells the handler its last attempt, and logs the give-up with its shop and order", async () => {
    const queue = createEmbeddedQueue(db);
    await queue.enqueue(
      "route-order",
      { orderId: "gid://shopify/Order/5" },
      {
        maxAttempts: 2,
        shop: "a.myshopify.com",
      },
    );
    const seen: [number, boolean | undefined][] = [];
    const fail = async (job: Job) => {
      seen.push([job.attempts, job.lastAttempt]);
      throw new Error("Shopify answered 503");
    };
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line));
    try {
      await queue.drain("route-order", fail);
      await db.job.updateMany({ data: { runAt: new Date() } });
      await queue.drain("route-order", fail);
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

  it("hands each give-up to gaveUp once, and again after a fresh start that gives up again", async () => {
    const queue = createEmbeddedQueue(db);
    const shop = "a.myshopify.com";
    const fail = async () => {
      throw new Error("no session yet");
    };
    // Unkeyed (a refresh) and keyed (a route job), and another shop's.
    await queue.enqueue("refresh-order", { orderId: "1" }, { shop, maxAttempts: 1 });
    await queue.enqueue("refresh-order", { orderId: "2" }, { shop, maxAttempts: 1, key: "r:2" });
    await queue.enqueue(
      "refresh-order",
      { orderId: "3" },
      { shop: "b.myshopify.com", maxAttempts: 1 },
    );
    await queue.drain("refresh-order", fail);
    // Both gave up in the same moment: in order of their orders, for the comparison.
    const first = (await queue.gaveUp("refresh-order", shop, 10)).sort((x, y) =>
      JSON.stringify(x.payload).localeCompare(JSON.stringify(y.payload)),
    );
    expect(first.map((j) => [j.payload, j.attempts, j.lastError])).toEqual([
      [{ orderId: "1" }, 1, "no session yet"],
      [{ orderId: "2" }, 1, "no session yet"],
    ]);
    // Handed out once: a second look finds nothing new (no page filled by old give-ups).
    expect(await queue.gaveUp("refresh-order", shop, 10)).toEqual([]);
    // A fresh start by id, unkeyed, with a new payload and every attempt again.
    expect(await queue.again("refresh-order", first[0]!.id, { orderId: "1", reconciled: 1 })).toBe(
      true,
    );
    expect(await queue.again("refresh-order", first[0]!.id, { orderId: "1" })).toBe(false);
    const ran: unknown[] = [];
    await queue.drain("refresh-order", async (job) => {
      ran.push([job.payload, job.attempts]);
      throw new Error("still away");
    });
    expect(ran).toEqual([[{ orderId: "1", reconciled: 1 }, 1]]);
    // Gave up again: handed out again, and it is still one job.
    expect((await queue.gaveUp("refresh-order", shop, 10)).map((j) => j.payload)).toEqual([
      { orderId: "1", reconciled: 1 },
    ]);
    expect(await db.job.count({ where: { queue: "refresh-order", shop } })).toBe(2);
    // A keyed job enqueued again starts over too, and its next give-up is handed out again.
    expect(await queue.enqueue("refresh-order", { orderId: "2" }, { key: "r:2" })).toBe(true);
    await queue.drain("refresh-order", fail);
    expect((await queue.gaveUp("refresh-order", shop, 10)).map((j) => j.payload)).toEqual([
      { orderId: "2" },
    ]);
  });

  it("hands a give-up to only one of two callers looking at once", async () => {
    const first = createEmbeddedQueue(db);
    const second = createEmbeddedQueue(db);
    const shop = "a.myshopify.com";
    for (let n = 0; n < 6; n++)
      await first.enqueue("refresh-order", { orderId: String(n) }, { shop, maxAttempts: 1 });
    await first.drain("refresh-order", async () => {
      throw new Error("no session yet");
    });
    // Two reconciliations of the shop (two worker processes) ask at the same moment.
    const [a, b] = await Promise.all([
      first.gaveUp("refresh-order", shop, 10),
      second.gaveUp("refresh-order", shop, 10),
    ]);
    const ids = [...a, ...b].map((j) => j.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it("enqueues a batch in one go, skipping keys already taken, and runs it like any job", async () => {
    const queue = createEmbeddedQueue(db);
    await queue.enqueue("bulk-item", { n: 0 }, { key: "bulk:0" });
    const batch = Array.from({ length: 200 }, (_, n) => ({
      payload: { n },
      options: { key: `bulk:${n}`, shop: n % 2 ? "a.myshopify.com" : "b.myshopify.com" },
    }));
    expect(await queue.enqueueMany("bulk-item", batch)).toBe(199);
    expect(await queue.enqueueMany("bulk-item", batch)).toBe(0);
    const row = await db.job.findUniqueOrThrow({ where: { key: "bulk:7" } });
    expect(row).toMatchObject({ shop: "a.myshopify.com", status: "queued", maxAttempts: 10 });
    const seen = new Set<number>();
    expect(
      await queue.drain(
        "bulk-item",
        async (job) => void seen.add((job.payload as { n: number }).n),
      ),
    ).toBe(200);
    expect(seen.size).toBe(200);
  });

  it("rolls a batch back with the transaction it was enqueued in", async () => {
    const queue = createEmbeddedQueue(db);
    await expect(
      db.$transaction(async (tx) => {
        await queue.enqueueMany("bulk-item", [{ payload: {} }, { payload: {} }], { within: tx });
        expect(await tx.job.count()).toBe(2);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await db.job.count()).toBe(0);
  });
});
