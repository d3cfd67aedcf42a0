// Bulk actions: one job per order or fulfillment order, progress the screen can poll, and a
// per-item report of what succeeded, what failed and why, with a retry of the failed ones.
import type { Db } from "../db/client.server";
import type { JobQueue } from "../jobs/queue";
import type { CommandAction } from "./commands.server";

export const BULK_ITEM_QUEUE = "bulk-item";

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
  const job = await db.bulkJob.create({
    data: {
      shop: input.shop,
      action: input.action,
      options: JSON.stringify(input.options ?? {}),
      total: input.targets.length,
      createdBy: input.createdBy ?? null,
      items: { create: input.targets.map((t) => ({ targetId: t.id, label: t.label })) },
    },
    include: { items: true },
  });
  for (const item of job.items) {
    await queue.enqueue(
      BULK_ITEM_QUEUE,
      { itemId: item.id },
      { key: `bulk:${item.id}`, shop: input.shop, maxAttempts: 6 },
    );
  }
  return job.id;
}

/** Puts the failed items of a finished bulk job back in the queue. */
export async function retryFailed(
  db: Db,
  queue: JobQueue,
  shop: string,
  bulkJobId: string,
): Promise<number> {
  const job = await db.bulkJob.findFirst({
    where: { id: bulkJobId, shop },
    include: { items: { where: { status: "failed" } } },
  });
  if (!job || job.items.length === 0) return 0;
  await db.$transaction([
    db.bulkJobItem.updateMany({
      where: { bulkJobId, status: "failed" },
      data: { status: "pending", error: null, finishedAt: null },
    }),
    db.bulkJob.update({
      where: { id: bulkJobId },
      data: { status: "running", failed: 0, finishedAt: null },
    }),
  ]);
  const attempt = Date.now();
  for (const item of job.items) {
    await queue.enqueue(
      BULK_ITEM_QUEUE,
      { itemId: item.id },
      { key: `bulk:${item.id}:${attempt}`, shop, maxAttempts: 6 },
    );
  }
  return job.items.length;
}

export async function bulkJobReport(db: Db, shop: string, bulkJobId: string) {
  return db.bulkJob.findFirst({
    where: { id: bulkJobId, shop },
    include: { items: { orderBy: [{ status: "asc" }, { label: "asc" }] } },
  });
}
