// The merchant's Check now (ADR 076): asked from the Stuck and drift screen, run by the worker as a
// stuck-and-drift pass, and kept on the shop as the last check (queued, running, done, failed)
// that the screen reads until it ends.
import type { Db } from "../db/client.server";
import type { JobQueue } from "../jobs/queue";
import { ShopifyApiError } from "../shopify/errors";
import { findingCounts } from "./drift.server";
import { QUEUES } from "./queues";
import { IN_HAND, type CheckStatus, type CheckView, type DriftScanJob } from "./drift-check";

/**
 * A check queued or running for longer than this is taken as lost (its job gone with a crash
 * between the shop's row and the queue, or given up without a word): a click starts a new one.
 * Well above a pass's budget and the queue's wait for its one slot.
 */
export const CHECK_LOST_AFTER_MS = 30 * 60_000;

/**
 * Asks for a check of the shop, unless one is queued or running: then nothing starts (a double
 * click, a second tab, a colleague) and the answer is the check already in hand. The shop's row
 * is taken by one conditional write, which only one request wins on either database.
 */
export async function requestCheck(
  deps: { db: Db; queue: Pick<JobQueue, "enqueue">; now: () => Date },
  shop: string,
  requestedBy: string | null,
): Promise<{ started: boolean; check: CheckView | null }> {
  const { db, queue, now } = deps;
  const at = now();
  await db.shop.upsert({ where: { shop }, create: { shop }, update: {} });
  const taken = await db.shop.updateMany({
    where: {
      shop,
      OR: [
        { checkStatus: null },
        { checkStatus: { notIn: IN_HAND } },
        { checkRequestedAt: { lt: new Date(at.getTime() - CHECK_LOST_AFTER_MS) } },
      ],
    },
    data: {
      checkStatus: "queued",
      checkRequestedAt: at,
      checkRequestedBy: requestedBy,
      checkFinishedAt: null,
      checkStuck: null,
      checkDrift: null,
      checkRepaired: null,
      checkError: null,
    },
  });
  if (taken.count === 0) return { started: false, check: await readCheck(db, shop, at) };
  try {
    // The same queue and handler as the pass every five minutes: one slot a shop, and the
    // per-shop lock keeps a check and a timed pass from scanning beside each other. The merchant
    // waits on the screen: the check goes ahead of other shops' waiting passes, and reaches a
    // worker in another process at once (ADR 100).
    await queue.enqueue(QUEUES.driftScan, { shop, check: true } satisfies DriftScanJob, {
      key: `drift-check:${shop}:${at.getTime()}`,
      shop,
      maxAttempts: 3,
      firstInLine: true,
    });
  } catch (error) {
    await checkFailed(db, shop, error, now());
    throw error;
  }
  return { started: true, check: await readCheck(db, shop, at) };
}

/**
 * How long the screen shows how a check ended; after that its counts are old news, and the
 * screen's "Last checked" line and tabs say what it needs.
 */
export const CHECK_SHOWN_FOR_MS = 60 * 60_000;

/** The shop's last check, for the screen: in hand, or ended within CHECK_SHOWN_FOR_MS of `now`. */
export async function readCheck(db: Db, shop: string, now: Date): Promise<CheckView | null> {
  const row = await db.shop.findUnique({
    where: { shop },
    select: {
      checkStatus: true,
      checkRequestedAt: true,
      checkRequestedBy: true,
      checkFinishedAt: true,
      checkStuck: true,
      checkDrift: true,
      checkRepaired: true,
      checkError: true,
    },
  });
  if (!row?.checkStatus || !row.checkRequestedAt) return null;
  if (row.checkFinishedAt && now.getTime() - row.checkFinishedAt.getTime() > CHECK_SHOWN_FOR_MS)
    return null;
  // A check in hand long past any pass's time is lost: shown as not finished, and not polled for.
  const lost =
    IN_HAND.includes(row.checkStatus as CheckStatus) &&
    now.getTime() - row.checkRequestedAt.getTime() > CHECK_LOST_AFTER_MS;
  return {
    status: lost ? "failed" : (row.checkStatus as CheckStatus),
    requestedAt: row.checkRequestedAt.toISOString(),
    requestedBy: row.checkRequestedBy,
    finishedAt: row.checkFinishedAt?.toISOString() ?? null,
    stuck: row.checkStuck,
    drift: row.checkDrift,
    repaired: row.checkRepaired,
    error: row.checkError ? (JSON.parse(row.checkError) as CheckView["error"]) : null,
  };
}

/** The worker took the check's job. */
export async function checkStarted(db: Db, shop: string): Promise<void> {
  await db.shop.updateMany({
    where: { shop, checkStatus: { in: IN_HAND } },
    data: { checkStatus: "running" },
  });
}

/**
 * The check's pass read the whole shop and made its repairs: what it left is the orders still
 * stuck or drifted (the tabs' counts) and the repairs it made.
 */
export async function checkDone(
  db: Db,
  shop: string,
  repaired: number,
  finishedAt: Date,
): Promise<void> {
  const counts = await findingCounts(db, shop);
  await db.shop.updateMany({
    where: { shop, checkStatus: { in: IN_HAND } },
    data: {
      checkStatus: "done",
      checkFinishedAt: finishedAt,
      checkStuck: counts.stuck,
      checkDrift: counts.drift,
      checkRepaired: repaired,
    },
  });
}

/**
 * The check's last attempt failed: the screen says why and that Check now tries again, and
 * whether it was Shopify that did not answer (then shopifystatus.com may say why) or the app.
 */
export async function checkFailed(
  db: Db,
  shop: string,
  error: unknown,
  finishedAt: Date,
): Promise<void> {
  await db.shop.updateMany({
    where: { shop, checkStatus: { in: IN_HAND } },
    data: {
      checkStatus: "failed",
      checkFinishedAt: finishedAt,
      checkError: JSON.stringify({
        shopify: error instanceof ShopifyApiError,
        message: error instanceof Error ? error.message : String(error),
      } satisfies CheckView["error"]),
    },
  });
}
