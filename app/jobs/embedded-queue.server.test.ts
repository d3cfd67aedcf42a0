// The embedded queue on a real SQLite file: the port's promises (queue-contract.ts, run on pg-boss
// too), and what is the embedded queue's own: a failed attempt's row and its backoff by the queue's
// clock, leases (renewed, taken after a stall or a dead worker) and shops served in turn by drain.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/setup/db";
import type { Db } from "../db/client.server";
import { createEmbeddedQueue } from "./embedded-queue.server";
import { wakeFileOf } from "./job-queue.server";
import type { Job, JobQueue } from "./queue";
import { queueContract } from "./queue-contract";

let db: Db;
let url: string;
let cleanup: () => Promise<void>;
const open: JobQueue[] = [];

beforeEach(async () => {
  ({ db, url, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.stop()));
  await cleanup();
});

describe("embedded queue", () => {
  queueContract(async () => ({
    queue: () => {
      // Each as another process on the database has it: told of a job asked first in line
      // through the file beside it (ADR 100), as createJobQueue makes it.
      const q = createEmbeddedQueue(db, { wakeFile: wakeFileOf(url) });
      open.push(q);
      return q;
    },
    db,
    stored: (queue) => db.job.count({ where: { queue } }),
    pollMs: 10,
  }));

  it("keeps a failed attempt's error on its job, due again 1 s later by the queue's clock, and marks it failed after its last", async () => {
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
});
