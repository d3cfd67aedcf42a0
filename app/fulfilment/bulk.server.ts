// Bulk actions: one job per order or fulfillment order, each run as the merchant's own command,
// progress the screen can poll, and a per-item report of what succeeded, what failed and why,
// with a retry of the failed ones.
import { said, type Words } from "../routing/words";
import { randomUUID } from "node:crypto";
import { insertRows } from "../db/batch.server";
import type { Db } from "../db/client.server";
import { LeaseLost, type Job, type JobQueue } from "../jobs/queue";
import { runCommand, type CommandAction, type MerchantCommand } from "./commands.server";
import { QUEUES, type WorkerDeps } from "./queues";
import { runRepair } from "./repair.server";

export interface BulkTarget {
  id: string;
  /** What the merchant recognises: "#1001 · Studio". */
  label: string;
}

export async function startBulkJob(
  db: Db,
  queue: JobQueue,
  input: {
    shop: string;
    /** A merchant command, or "repair" (targets are stuck or drift findings). */
    action: CommandAction | "repair";
    targets: BulkTarget[];
    options?: Record<string, unknown>;
    createdBy?: string | null;
  },
): Promise<string> {
  if (input.targets.length === 0) throw new Error("Select at least one order");
  const bulkJobId = randomUUID();
  const items = input.targets.map((t) => ({
    id: randomUUID(),
    bulkJobId,
    targetId: t.id,
    label: t.label,
    status: "pending",
  }));
  // One transaction: the bulk job, its items, the first items' queue jobs and the job that queues
  // the rest are all there or none is (a crash half-way leaves no item that no job will ever run).
  // The rest are queued by that job in batches: a queue job costs pg-boss a row in a table with
  // many indexes, and the merchant should not wait for 5,000 of them; the first batch is more than
  // every worker's bulk slots take at once, so the action starts working at once either way.
  const first = items.slice(0, BULK_FIRST_BATCH);
  await db.$transaction(
    async (tx) => {
      await tx.bulkJob.create({
        data: {
          id: bulkJobId,
          shop: input.shop,
          action: input.action,
          options: JSON.stringify(input.options ?? {}),
          total: items.length,
          createdBy: input.createdBy ?? null,
        },
      });
      await insertRows(tx, "BulkJobItem", ["id", "targetId", "label"], items, {
        bulkJobId,
        status: "pending",
      });
      await queue.enqueueMany(
        QUEUES.bulkItem,
        first.map((item) => bulkItemJob(item.id, `bulk:${item.id}`, input.shop)),
        { within: tx },
      );
      if (items.length > first.length) {
        await queue.enqueueMany(
          QUEUES.bulkFeed,
          [
            {
              payload: { bulkJobId } satisfies BulkFeedJob,
              options: { key: `bulk-feed:${bulkJobId}`, shop: input.shop, maxAttempts: 10 },
            },
          ],
          { within: tx },
        );
      }
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  return bulkJobId;
}

/** Items whose queue jobs the start writes itself; the feed job queues the rest. */
export const BULK_FIRST_BATCH = 100;
/** Items the feed job queues per statement. */
const BULK_FEED_BATCH = 1000;

export interface BulkFeedJob {
  bulkJobId: string;
}

const bulkItemJob = (itemId: string, key: string, shop: string) => ({
  payload: { itemId },
  options: { key, shop, maxAttempts: 6 },
});

/**
 * Queues the job of every pending item of a bulk action, in batches. Run again after a crash, it
 * adds only what is missing: an item's job is keyed by the item, so one queued (or run) already is
 * skipped.
 */
export async function handleBulkFeed(deps: WorkerDeps, job: Job): Promise<void> {
  const { bulkJobId } = job.payload as BulkFeedJob;
  const bulk = await deps.db.bulkJob.findUnique({
    where: { id: bulkJobId },
    select: { shop: true },
  });
  // Deleted with its shop (uninstall): nothing left to run.
  if (!bulk) return;
  for (let after: string | undefined; ;) {
    const items = await deps.db.bulkJobItem.findMany({
      where: { bulkJobId, status: "pending", ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: BULK_FEED_BATCH,
      select: { id: true },
    });
    if (items.length === 0) return;
    await deps.queue.enqueueMany(
      QUEUES.bulkItem,
      items.map((item) => bulkItemJob(item.id, `bulk:${item.id}`, bulk.shop)),
    );
    after = items.at(-1)!.id;
  }
}

/**
 * Puts the failed items of a finished bulk job back in the queue; how many, or null when the shop
 * has no such bulk job.
 */
export async function retryFailed(
  db: Db,
  queue: JobQueue,
  shop: string,
  bulkJobId: string,
): Promise<number | null> {
  const job = await db.bulkJob.findFirst({
    where: { id: bulkJobId, shop },
    include: { items: { where: { status: "failed" } } },
  });
  if (!job) return null;
  if (job.items.length === 0) return 0;
  const attempt = Date.now();
  await db.$transaction(
    async (tx) => {
      await tx.bulkJobItem.updateMany({
        where: { bulkJobId, status: "failed" },
        data: { status: "pending", error: null, finishedAt: null },
      });
      await tx.bulkJob.update({
        where: { id: bulkJobId },
        data: { status: "running", failed: 0, finishedAt: null },
      });
      await queue.enqueueMany(
        QUEUES.bulkItem,
        job.items.map((item) => bulkItemJob(item.id, `bulk:${item.id}:${attempt}`, shop)),
        { within: tx },
      );
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  return job.items.length;
}

/** Items per page of a bulk job's report. */
export const BULK_REPORT_PAGE = 100;

/**
 * A bulk job with one page of its items (failures first, then by label): a report of 5,000
 * orders is read a page at a time, never whole.
 */
export async function bulkJobReport(
  db: Db,
  shop: string,
  bulkJobId: string,
  page: { skip: number; take: number } = { skip: 0, take: BULK_REPORT_PAGE },
) {
  const job = await db.bulkJob.findFirst({ where: { id: bulkJobId, shop } });
  if (!job) return null;
  const items = await db.bulkJobItem.findMany({
    where: { bulkJobId },
    orderBy: [{ status: "asc" }, { label: "asc" }, { id: "asc" }],
    skip: page.skip,
    take: page.take,
  });
  return { ...job, items };
}

/**
 * The order a bulk item works on, for the per-order lock (worker.server.ts oneOrderAtATime): a
 * fulfillment order's item takes its order's turn, as the route job of that order does. A repair's
 * target is a finding, and an item already done or gone needs no turn.
 */
export async function bulkItemSubject(
  deps: Pick<WorkerDeps, "db">,
  job: Job,
): Promise<{ shop: string; id: string } | null> {
  const { itemId } = job.payload as { itemId: string };
  const item = await deps.db.bulkJobItem.findUnique({
    where: { id: itemId },
    select: { targetId: true, status: true, bulkJob: { select: { shop: true, action: true } } },
  });
  if (!item || item.status !== "pending" || item.bulkJob.action === "repair") return null;
  const shop = item.bulkJob.shop;
  if (item.targetId.includes("/Order/")) return { shop, id: item.targetId };
  const record = await deps.db.fulfillmentOrderRecord.findUnique({
    where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId: item.targetId } },
    select: { orderId: true },
  });
  return { shop, id: record?.orderId ?? item.targetId };
}

/** Runs one item of a bulk action through the same command as a click on the order. */
export async function handleBulkItem(deps: WorkerDeps, job: Job): Promise<void> {
  const { itemId } = job.payload as { itemId: string };
  const item = await deps.db.bulkJobItem.findUnique({
    where: { id: itemId },
    include: { bulkJob: true },
  });
  if (!item || item.status !== "pending") return;
  const gateway = await deps.gatewayFor(item.bulkJob.shop);
  const options = JSON.parse(item.bulkJob.options) as Record<string, unknown>;
  const command = {
    ...options,
    action: item.bulkJob.action,
    [item.targetId.includes("/Order/") ? "orderId" : "fulfillmentOrderId"]: item.targetId,
  } as MerchantCommand;
  let ok = false;
  // Kept as Words (JSON) so the report reads in the language of whoever opens it.
  let message: Words;
  try {
    // A bulk repair's targets are findings (stuck requests, drift), not fulfillment orders.
    const result =
      item.bulkJob.action === "repair"
        ? await runRepair(
            { db: deps.db, gateway, now: deps.now, signal: job.signal },
            item.bulkJob.shop,
            item.targetId,
            {
              actor: item.bulkJob.createdBy,
            },
          )
        : await runCommand(
            { db: deps.db, gateway, now: deps.now, signal: job.signal },
            { shop: item.bulkJob.shop, actor: item.bulkJob.createdBy },
            command,
          );
    ok = result.ok;
    message = result.message;
  } catch (error) {
    // This worker no longer holds the job (it stalled past its lease): the worker that took the
    // job over runs the item and reports it. Reporting here would show the merchant a failure of
    // an item that then succeeds, or make the other worker skip it as no longer pending.
    if (error instanceof LeaseLost || job.signal?.aborted) throw error;
    // Only a failure that retrying might fix goes back to the queue; the rest is reported.
    if (
      job.attempts < 5 &&
      error instanceof Error &&
      /throttled|answered 5\d\d|no answer|network/i.test(error.message)
    )
      throw error;
    message = said("shopifyFailed", {
      error: error instanceof Error ? error.message : String(error),
    });
  }
  // Counted once: of two workers that both ran the item (one past its lease), the first to
  // report it counts it; the other's report changes nothing.
  const counted = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.bulkJobItem.updateMany({
      where: { id: itemId, status: "pending" },
      data: {
        status: ok ? "succeeded" : "failed",
        error: ok ? null : JSON.stringify(message),
        finishedAt: deps.now(),
      },
    });
    if (count === 0) return false;
    await tx.bulkJob.update({
      where: { id: item.bulkJobId },
      data: ok ? { succeeded: { increment: 1 } } : { failed: { increment: 1 } },
    });
    return true;
  });
  if (!counted) return;
  const bulk = await deps.db.bulkJob.findUniqueOrThrow({ where: { id: item.bulkJobId } });
  if (bulk.succeeded + bulk.failed >= bulk.total && bulk.status === "running") {
    await deps.db.bulkJob.update({
      where: { id: bulk.id },
      data: { status: "finished", finishedAt: deps.now() },
    });
  }
}
