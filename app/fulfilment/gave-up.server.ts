// Work on an order that gave up (every attempt of its route or refresh job failed), made visible and
// bounded: the order's rows in the review queue need attention with why, and reconciliation starts
// such a job over at most RECONCILE_RETRIES times; after that it stays given up, and says so, until
// the merchant routes the order again. A job of a shop that uninstalled the app never gets that far:
// it ends at its first failure (ADR 045).
import { words, type Words } from "../routing/words";
import type { Db } from "../db/client.server";
import type { GaveUpJob, Job } from "../jobs/queue";
import { errorText, logEvent } from "../utils/log.server";
import { installedAmong } from "./installed.server";
import type { WorkerDeps } from "./queues";

/** How often reconciliation starts a given-up job over before leaving it to the merchant. */
export const RECONCILE_RETRIES = 3;

/** The payload field counting reconciliation's fresh starts of a job (absent: none yet). */
export interface StartedOver {
  reconciled?: number;
}

/** How many times reconciliation has started this job's payload over. */
export function timesStartedOver(payload: unknown): number {
  const n = (payload as StartedOver | null)?.reconciled;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : 0;
}

/** The order (or fulfillment order) a route or refresh job is about, from its payload. */
export function subjectOfPayload(payload: unknown): {
  shop: string | null;
  orderId: string | null;
  fulfillmentOrderId: string | null;
} {
  const p = (payload ?? {}) as { shop?: unknown; orderId?: unknown; fulfillmentOrderId?: unknown };
  return {
    shop: typeof p.shop === "string" ? p.shop : null,
    orderId: typeof p.orderId === "string" ? p.orderId : null,
    fulfillmentOrderId: typeof p.fulfillmentOrderId === "string" ? p.fulfillmentOrderId : null,
  };
}

/** Why the order needs attention: Words each reader says in their language. */
export function gaveUpWords(job: Pick<GaveUpJob, "attempts" | "lastError" | "payload">): Words {
  const round = timesStartedOver(job.payload);
  const error = job.lastError ?? "-";
  return round < RECONCILE_RETRIES
    ? words("giveUp.retrying", {
        count: job.attempts,
        error,
        round: round + 1,
        rounds: RECONCILE_RETRIES,
      })
    : words("giveUp.final", { count: job.attempts, rounds: RECONCILE_RETRIES + 1, error });
}

/**
 * Marks the order's rows in the review queue as needing attention with why the work gave up.
 * Answers how many rows it marked: none when the app never read the order (it has no rows yet).
 */
export async function showGaveUp(
  db: Db,
  job: Pick<GaveUpJob, "attempts" | "lastError" | "payload">,
  shop: string,
): Promise<number> {
  const subject = subjectOfPayload(job.payload);
  const where = subject.orderId
    ? { shop, orderId: subject.orderId }
    : subject.fulfillmentOrderId
      ? { shop, fulfillmentOrderId: subject.fulfillmentOrderId }
      : null;
  if (!where) return 0;
  const marked = await db.fulfillmentOrderRecord.updateMany({
    where,
    // Stored as Words, said in the language of whoever opens the queue (readWords).
    data: { outcome: "needs_attention", reason: JSON.stringify(gaveUpWords(job)) },
  });
  return marked.count;
}

/**
 * Wraps a route or refresh job's handler: when its last attempt fails, the order shows in the
 * review queue as needing attention before the queue marks the job failed (the queue logs the
 * give-up). Marking is best effort: the job's own error is what the queue records.
 */
export function visibleWhenGivingUp(handler: (deps: WorkerDeps, job: Job) => Promise<void>) {
  return async (deps: WorkerDeps, job: Job): Promise<void> => {
    try {
      await handler(deps, job);
    } catch (error) {
      if (job.lastAttempt && job.shop)
        await showGaveUp(
          deps.db,
          { attempts: job.attempts, lastError: errorText(error), payload: job.payload },
          job.shop,
        ).catch(() => 0);
      throw error;
    }
  };
}

/**
 * Wraps a shop's job: when it fails and the shop no longer has the app installed (no offline
 * session and no Shop row: uninstall erased both), it ends at once instead of being retried and
 * giving up, logged as `job.not_installed`. Nothing it could do would reach Shopify, and a reinstall
 * starts with reconciliation. The shop's jobs are forgotten with it, as the uninstall forgot those
 * it found: none waits to fail the same way, and none keeps a key that would stop the reinstalled
 * shop's reconciliation enqueuing the same order. Asked only after a failure: a job that works
 * costs no statement more. A shop with a Shop row but no offline session yet (the demo before its
 * first open) keeps its retries.
 */
export function endsWhenUninstalled(handler: (deps: WorkerDeps, job: Job) => Promise<void>) {
  return async (deps: WorkerDeps, job: Job): Promise<void> => {
    try {
      await handler(deps, job);
    } catch (error) {
      const shop = job.shop;
      // The database away as well: the job's own error stands, and it is retried as usual.
      const installed = shop ? await installedAmong(deps.db, [shop]).catch(() => null) : null;
      if (!shop || !installed || installed.has(shop)) throw error;
      const forgotten = await deps.queue.forgetShop(shop).catch(() => 0);
      const payload = subjectOfPayload(job.payload);
      logEvent("warn", "job.not_installed", {
        queue: job.queue,
        jobId: job.id,
        shop,
        orderId: payload.orderId,
        fulfillmentOrderId: payload.fulfillmentOrderId,
        attempt: job.attempts,
        forgotten,
        error: errorText(error),
      });
    }
  };
}
