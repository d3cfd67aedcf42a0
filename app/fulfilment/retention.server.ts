// Retention: stored webhook payloads (customer data), finished jobs, outbound pushes (their bodies
// carry the same data), finished bulk actions and settled findings are deleted once older than the
// shop's retention period, a few hundred rows per statement so no write lock is held for long;
// staff members' expired online sessions (a name and an email each) as soon as they expire.
import type { Db } from "../db/client.server";
import { logEvent } from "../utils/log.server";

/** The retention period a shop starts with, and the bounds the Settings screen accepts. */
export const RETENTION_DEFAULT_DAYS = 30;
export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 365;

export interface PruneOptions {
  /** Rows deleted per statement. */
  batchSize?: number;
  /** Statements per kind of row in one run; the next run goes on where this one stopped. */
  maxBatches?: number;
}

export interface PruneResult {
  deliveries: number;
  jobs: number;
  /** Outbound pushes delivered or failed for good. */
  pushDeliveries: number;
  /** Finished bulk actions (their items go with them). */
  bulkJobs: number;
  /** Stuck and drift findings repaired or resolved. */
  findings: number;
  /** Staff members' online sessions past their expiry. */
  staffSessions: number;
  /** Delete statements run. */
  batches: number;
}

const DAY_MS = 24 * 3600_000;

/**
 * Deletes, in small batches, once older than their shop's retention period: the webhook deliveries
 * already turned into work (processed, ignored or failed for good; one still waiting in the inbox
 * is kept whatever its age), the jobs that are done or failed for good, the outbound pushes
 * delivered or failed for good (a pending one is kept: the push sweep's marks, not these rows,
 * keep an event from being pushed twice), the finished bulk actions with their items, and the
 * findings repaired or resolved (an open one is still the merchant's to act on). Shops without a Shop row
 * (never configured, or uninstalled and not yet erased) and jobs without a shop keep the default.
 */
export async function pruneExpired(
  db: Db,
  now: Date,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 200;
  const chosen = await db.shop.findMany({
    where: { retentionDays: { not: RETENTION_DEFAULT_DAYS } },
    select: { shop: true, retentionDays: true },
  });
  // One pass per retention period in use: the shops that chose it, then everyone else on the default.
  const periods = new Map<number, string[]>();
  for (const { shop, retentionDays } of chosen)
    periods.set(retentionDays, [...(periods.get(retentionDays) ?? []), shop]);
  const passes: Array<{ cutoff: Date; shop: { in: string[] } | { notIn: string[] } | undefined }> =
    [...periods].map(([days, shops]) => ({
      cutoff: new Date(now.getTime() - days * DAY_MS),
      shop: { in: shops },
    }));
  const others = chosen.map((row) => row.shop);
  passes.push({
    cutoff: new Date(now.getTime() - RETENTION_DEFAULT_DAYS * DAY_MS),
    shop: others.length ? { notIn: others } : undefined,
  });

  const result: PruneResult = {
    deliveries: 0,
    jobs: 0,
    pushDeliveries: 0,
    bulkJobs: 0,
    findings: 0,
    staffSessions: 0,
    batches: 0,
  };
  const inBatches = async (
    find: () => Promise<Array<{ id: string }>>,
    remove: (ids: string[]) => Promise<{ count: number }>,
  ): Promise<number> => {
    let deleted = 0;
    for (let i = 0; i < maxBatches; i++) {
      const ids = (await find()).map((row) => row.id);
      if (ids.length === 0) break;
      deleted += (await remove(ids)).count;
      result.batches++;
      if (ids.length < batchSize) break;
      // Lets the intake's writes and the jobs' reads in between two statements.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return deleted;
  };

  for (const pass of passes) {
    result.deliveries += await inBatches(
      () =>
        db.webhookDelivery.findMany({
          where: {
            status: { in: ["processed", "ignored", "failed"] },
            receivedAt: { lt: pass.cutoff },
            ...(pass.shop ? { shop: pass.shop } : {}),
          },
          select: { id: true },
          take: batchSize,
        }),
      (ids) => db.webhookDelivery.deleteMany({ where: { id: { in: ids } } }),
    );
    // A job without a shop (none today) is pruned with the default period.
    const jobShop = pass.shop
      ? "in" in pass.shop
        ? { shop: pass.shop }
        : { OR: [{ shop: null }, { shop: pass.shop }] }
      : {};
    result.jobs += await inBatches(
      () =>
        db.job.findMany({
          where: {
            status: { in: ["done", "failed"] },
            finishedAt: { lt: pass.cutoff },
            ...jobShop,
          },
          select: { id: true },
          take: batchSize,
        }),
      (ids) => db.job.deleteMany({ where: { id: { in: ids } } }),
    );
    const shopWhere = pass.shop ? { shop: pass.shop } : {};
    result.pushDeliveries += await inBatches(
      () =>
        db.pushDelivery.findMany({
          where: {
            status: { in: ["delivered", "failed"] },
            createdAt: { lt: pass.cutoff },
            ...shopWhere,
          },
          select: { id: true },
          take: batchSize,
        }),
      (ids) => db.pushDelivery.deleteMany({ where: { id: { in: ids } } }),
    );
    // A bulk action of thousands of items: its items go a batch at a time, then the action.
    const oldBulk = { status: "finished", finishedAt: { lt: pass.cutoff }, ...shopWhere };
    await inBatches(
      () =>
        db.bulkJobItem.findMany({
          where: { bulkJob: oldBulk },
          select: { id: true },
          take: batchSize,
        }),
      (ids) => db.bulkJobItem.deleteMany({ where: { id: { in: ids } } }),
    );
    result.bulkJobs += await inBatches(
      () => db.bulkJob.findMany({ where: oldBulk, select: { id: true }, take: batchSize }),
      (ids) => db.bulkJob.deleteMany({ where: { id: { in: ids } } }),
    );
    result.findings += await inBatches(
      () =>
        db.finding.findMany({
          where: {
            status: { in: ["repaired", "resolved"] },
            resolvedAt: { lt: pass.cutoff },
            ...shopWhere,
          },
          select: { id: true },
          take: batchSize,
        }),
      (ids) => db.finding.deleteMany({ where: { id: { in: ids } } }),
    );
  }
  // A staff member's online session names them (first and last name, email) and is no use once its
  // token has expired: the next request exchanges a new one (ADR 077). No shop's period applies;
  // the shop's offline session, which the worker acts with, is never touched here.
  result.staffSessions += await inBatches(
    () =>
      db.session.findMany({
        where: { isOnline: true, expires: { lt: now } },
        select: { id: true },
        take: batchSize,
      }),
    (ids) => db.session.deleteMany({ where: { id: { in: ids }, isOnline: true } }),
  );
  if (
    result.deliveries ||
    result.jobs ||
    result.pushDeliveries ||
    result.bulkJobs ||
    result.findings ||
    result.staffSessions
  )
    logEvent("info", "retention.pruned", { ...result });
  return result;
}
