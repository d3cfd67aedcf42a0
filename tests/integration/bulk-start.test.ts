// Starting a bulk action on the database under test (SQLite + embedded queue, or PostgreSQL +
// pg-boss): 5,000 orders start as one transaction with the first items' jobs and a feed job that
// queues the rest in batches, a crash before the commit leaves nothing behind, the feed job run
// again queues nothing twice, the items outlive a restart of every process, and the per-order
// report is read a page at a time.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import {
  BULK_FIRST_BATCH,
  BULK_REPORT_PAGE,
  handleBulkFeed,
  startBulkJob,
  type BulkTarget,
} from "~/fulfilment/bulk.server";
import { QUEUES } from "~/fulfilment/queues";
import { loadBulkJobView } from "~/services/bulk-job-view.server";
import { emptyTables } from "../support/integration";

const SHOP = "bulk-start.myshopify.com";
const onPostgres = process.env.DATABASE_URL!.startsWith("postgres");

const open: JobQueue[] = [];
/** A fresh queue for the database under test, as a newly started process would make it. */
function processQueue(): JobQueue {
  const queue = createJobQueue(db, process.env.DATABASE_URL!);
  open.push(queue);
  return queue;
}

beforeEach(async () => {
  await emptyTables(db);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.stop()));
});

const targets = (n: number): BulkTarget[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `gid://shopify/Order/${1000 + i}`,
    label: `#${String(1000 + i).padStart(5, "0")}`,
  }));

/** Jobs waiting in the queue actually in use. */
async function queuedBulkJobs(queue: string = QUEUES.bulkItem): Promise<number> {
  if (!onPostgres) return db.job.count({ where: { queue, status: "queued" } });
  const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state = 'created'`,
    queue,
  );
  return Number(rows[0]!.n);
}

/** A worker process runs the feed jobs waiting in the queue. */
async function runFeed(queue: JobQueue): Promise<number> {
  const deps = {
    db,
    queue,
    now: () => new Date(),
    gatewayFor: () => Promise.reject(new Error("the feed job calls no Shopify")),
  };
  return queue.drain(QUEUES.bulkFeed, (job) => handleBulkFeed(deps, job));
}

/** The item ids the waiting bulk-item jobs name. */
async function queuedItemIds(): Promise<string[]> {
  if (!onPostgres) {
    const jobs = await db.job.findMany({
      where: { queue: QUEUES.bulkItem },
      select: { payload: true },
    });
    return jobs.map((j) => (JSON.parse(j.payload) as { itemId: string }).itemId);
  }
  const rows = await db.$queryRawUnsafe<{ item: string }[]>(
    `SELECT data->>'itemId' AS item FROM pgboss.job WHERE name = $1`,
    QUEUES.bulkItem,
  );
  return rows.map((r) => r.item);
}

describe("starting a bulk action", () => {
  it("starts 5,000 orders with every item's job queued, each exactly once", async () => {
    const id = await startBulkJob(db, processQueue(), {
      shop: SHOP,
      action: "approve",
      targets: targets(5000),
    });
    expect(await db.bulkJobItem.count({ where: { bulkJobId: id, status: "pending" } })).toBe(5000);
    // The first items can run at once; one feed job queues the rest.
    expect(await queuedBulkJobs()).toBe(BULK_FIRST_BATCH);
    expect(await queuedBulkJobs(QUEUES.bulkFeed)).toBe(1);
    // A worker runs it (another process than the one that started the action).
    expect(await runFeed(processQueue())).toBe(1);
    expect(await queuedBulkJobs()).toBe(5000);
    // Every item is named by exactly one job.
    const named = await queuedItemIds();
    const items = await db.bulkJobItem.findMany({ where: { bulkJobId: id }, select: { id: true } });
    expect(named.sort()).toEqual(items.map((i) => i.id).sort());
  });

  it("queues nothing twice when the feed job runs again after its worker died", async () => {
    const web = processQueue();
    const id = await startBulkJob(db, web, { shop: SHOP, action: "hold", targets: targets(2600) });
    await runFeed(processQueue());
    // The worker died after queueing but before the queue heard it finished: the job runs again.
    await handleBulkFeed(
      {
        db,
        queue: web,
        now: () => new Date(),
        gatewayFor: () => Promise.reject(new Error("none")),
      },
      { id: "again", queue: QUEUES.bulkFeed, shop: SHOP, payload: { bulkJobId: id }, attempts: 2 },
    );
    expect(await queuedBulkJobs()).toBe(2600);
    expect(new Set(await queuedItemIds()).size).toBe(2600);
  });

  it("leaves no bulk job, item or queued job behind when the start fails before it commits", async () => {
    const real = processQueue();
    // The process dies after the jobs were written but before the transaction commits.
    const dying: JobQueue = {
      ...real,
      enqueueMany: async (queue, jobs, options) => {
        await real.enqueueMany(queue, jobs, options);
        throw new Error("process killed");
      },
    };
    await expect(
      startBulkJob(db, dying, { shop: SHOP, action: "approve", targets: targets(1200) }),
    ).rejects.toThrow("process killed");
    expect(await db.bulkJob.count()).toBe(0);
    expect(await db.bulkJobItem.count()).toBe(0);
    expect(await queuedBulkJobs()).toBe(0);
    expect(await queuedBulkJobs(QUEUES.bulkFeed)).toBe(0);
  });

  it("runs every item after every process was stopped and new ones started", async () => {
    const web = processQueue();
    const id = await startBulkJob(db, web, { shop: SHOP, action: "hold", targets: targets(120) });
    await web.stop();
    // A new worker process: the items and the feed job are in the database, not in the old
    // processes' memory.
    const worker = processQueue();
    await runFeed(worker);
    const ran = new Set<string>();
    await worker.drain(QUEUES.bulkItem, async (job) => {
      ran.add((job.payload as { itemId: string }).itemId);
    });
    expect(ran.size).toBe(120);
    expect(await db.bulkJobItem.count({ where: { bulkJobId: id, id: { in: [...ran] } } })).toBe(
      120,
    );
  });

  it("reads the per-order report a page at a time, failures first", async () => {
    const id = await startBulkJob(db, processQueue(), {
      shop: SHOP,
      action: "approve",
      targets: targets(250),
    });
    const last = await db.bulkJobItem.findFirstOrThrow({
      where: { bulkJobId: id, label: "#01249" },
    });
    await db.bulkJobItem.update({
      where: { id: last.id },
      data: { status: "failed", error: "Shopify refused" },
    });
    const first = await loadBulkJobView(db, SHOP, id, 1);
    expect(first).toMatchObject({ page: 1, pageCount: 3, total: 250 });
    expect(first!.items).toHaveLength(BULK_REPORT_PAGE);
    expect(first!.items[0]).toMatchObject({ label: "#01249", status: "failed" });
    const third = await loadBulkJobView(db, SHOP, id, 3);
    expect(third!.items.map((i) => i.label)).toEqual(
      targets(250)
        .slice(199, 249)
        .map((t) => t.label),
    );
    // A page past the end shows the last one; another shop sees nothing.
    expect((await loadBulkJobView(db, SHOP, id, 99))!.page).toBe(3);
    expect(await loadBulkJobView(db, "other.myshopify.com", id, 1)).toBeNull();
  });
});
