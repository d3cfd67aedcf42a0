// Reconciliation: settled orders (paid, partially paid, authorized) whose webhooks never came (dropped, or sent while the app was not
// installed) are found through the Admin API and routed like any other; route and refresh jobs
// that gave up (every attempt failed) are found again in the queue and started over, a bounded
// number of times (gave-up.server.ts); orders the rules decided that still carry the release
// gate's hold are planned again, so the gate opens; and labs' answers whose webhooks never came
// are followed (reconcile-answers.server.ts).
import { isGateHold } from "../routing";
import { HELD_FULFILLMENT_ORDERS_QUERY, PAID_ORDERS_QUERY } from "../shopify/operations";
import type {
  HeldFulfillmentOrdersSinceQuery,
  HeldFulfillmentOrdersSinceQueryVariables,
  PaidOrdersSinceQuery,
  PaidOrdersSinceQueryVariables,
} from "../types/admin.generated";
import type { Job } from "../jobs/queue";
import { errorText, logEvent } from "../utils/log.server";
import { alreadyDecided } from "./route-order.server";
import { findMissedAnswers } from "./reconcile-answers.server";
import {
  RECONCILE_RETRIES,
  showGaveUp,
  subjectOfPayload,
  timesStartedOver,
  type StartedOver,
} from "./gave-up.server";
import { QUEUES, routeOrderKey, type RouteOrderJob, type WorkerDeps } from "./queues";
import { passBudget, UNLIMITED, type PassBudget } from "./pass-budget";
import { runJobsThatWaitedForSession } from "./session-wait";
import { checkStockNews } from "./stock-subscription.server";

/**
 * How long after its last change a paid order without a decision is still left to its webhook
 * (ADR 027): Shopify sends orders/paid within seconds, and a flash sale's backlog in the inbox
 * holds it for seconds more (up to about 10 s in the benchmarks under load). An order quiet for
 * longer is one whose webhook went missing. The next run looks at it again (the run's mark stays
 * this far back), so a missed webhook is made up for at most this much later than without it.
 */
export const RECONCILE_GRACE_MS = 2 * 60_000;

/** Given-up jobs of each queue looked at per run at most: the rest waits for the next run. */
const RETRY_GAVE_UP_PER_RUN = 200;

export interface ReconcileResult {
  /** Paid orders without a decision found on Shopify and queued. */
  found: number;
  /** Route jobs (of orders still without a decision) and refresh jobs that gave up, started over. */
  retried: number;
  /** Given-up jobs started over RECONCILE_RETRIES times already: left given up, for the merchant. */
  left: number;
  /** Decided orders still behind the release gate, queued to be planned again. */
  gated: number;
  /** Labs' answers whose webhooks never came, queued to be followed. */
  answered: number;
  /**
   * False when the run's budget ran out before Shopify's list of paid orders was read to its end:
   * the shop's cursor says where the next run carries on (the gate and answer passes wait for it).
   */
  finished: boolean;
}

/** Where a run that ran out of budget stopped: its window and Shopify's cursor in it. */
interface ReconcileCursor {
  since: string;
  until: string;
  after: string;
}

/**
 * The shop's marks, read once a run and handed to each pass: the paid orders' window and cursor,
 * and the gate pass's own mark (ADR 054). Only a run writes them and a shop's runs take turns
 * (handleReconcile), so the gate pass's mark read before the paid orders' list is still its mark
 * after it (the list writes only its own two).
 */
interface ReconcileMarks {
  reconciledUntil: Date | null;
  reconcileCursor: string | null;
  gateCheckedFrom: Date | null;
}

async function readMarks(deps: WorkerDeps, shop: string): Promise<ReconcileMarks | null> {
  return deps.db.shop.findUnique({
    where: { shop },
    select: { reconciledUntil: true, reconcileCursor: true, gateCheckedFrom: true },
  });
}

function readCursor(stored: string | null | undefined): ReconcileCursor | null {
  if (!stored) return null;
  try {
    const c = JSON.parse(stored) as Partial<ReconcileCursor>;
    return typeof c.since === "string" && typeof c.until === "string" && typeof c.after === "string"
      ? { since: c.since, until: c.until, after: c.after }
      : null;
  } catch {
    return null;
  }
}

/**
 * How far back the gate pass looks at most: a gate its mark waits for (ADR 054) is read again for
 * a day after it last changed, then left to the merchant's review queue (its refresh job's given-up
 * row, or the order's hold on Shopify's admin).
 */
const GATE_LOOKBACK_MS = 24 * 3600_000;

/** The event first in the trace of the plan that opens a gate left behind. */
export const GATE_LEFT_EVENT =
  "Reconciliation found the release gate's hold still on after the rules decided.";

/**
 * Finds paid orders since the last run that never got a decision and whose webhook is overdue
 * (RECONCILE_GRACE_MS), and routes them; then the
 * orders whose automatic route job used every attempt (Shopify away for longer than the job's
 * backoff, a worker killed at each try): their webhook was acknowledged, so the order must still
 * be decided once. Shopify's list since the last run no longer names them (the window moved on
 * while the job retried), so the queue does. Each is logged, a warning with its last error.
 */
export async function reconcileShop(
  deps: WorkerDeps,
  shop: string,
  budget: PassBudget = UNLIMITED,
): Promise<ReconcileResult> {
  const { retried, left } = await retryGaveUp(deps, shop);
  // The shop's gateway is made with its offline session (this throws without one): jobs that
  // failed for want of it run now, not when their backoff ends. Sign-in does it too (afterAuth);
  // this run's catches a job whose attempt was under way then and failed just after.
  await deps.gatewayFor(shop);
  await runJobsThatWaitedForSession(deps.queue, shop);
  const marks = await readMarks(deps, shop);
  const { since, found, finished } = await findUndecided(deps, shop, marks, budget);
  if (!finished) return { found, retried, left, gated: 0, answered: 0, finished };
  // These two read their whole window again each run: cut short, they are not resumed but done
  // again by the next run, which the finished list above leaves with most of its budget.
  const gated = budget.spent()
    ? 0
    : await findGateLeft(deps, shop, since, marks?.gateCheckedFrom ?? null, budget);
  const answered = budget.spent() ? 0 : await findMissedAnswers(deps, shop, budget);
  return { found, retried, left, gated, answered, finished };
}

/**
 * The release gate's hold on a fulfillment order whose order the rules already decided: a worker
 * killed while its gate request was in flight, the request landing on Shopify after the next
 * worker read the order (so that plan never knew to release it). The order is read and planned
 * again through the executor (trigger "service", this event first in its trace), which releases
 * the gate and keeps the holds the rules want. Orders not yet decided are left to their route job.
 */
async function findGateLeft(
  deps: WorkerDeps,
  shop: string,
  since: Date,
  checkedFrom: Date | null,
  budget: PassBudget,
): Promise<number> {
  const { db, queue } = deps;
  const gateway = await deps.gatewayFor(shop);
  // Read on from the pass's own mark (ADR 054), never more than a day back: a held fulfillment
  // order is read once per change, not at every run for a day.
  const oldest = since.getTime() - GATE_LOOKBACK_MS;
  const from = new Date(Math.max(oldest, checkedFrom?.getTime() ?? oldest));
  // Whatever changes after this, less the grace (Shopify's clock and search may lag the app's), is
  // the next run's to read.
  let next = deps.now().getTime() - (deps.reconcileGraceMs ?? RECONCILE_GRACE_MS);
  /** Each order behind the gate, with when its gated fulfillment order last changed. */
  const orders = new Map<string, string>();
  let after: string | null = null;
  do {
    const page: HeldFulfillmentOrdersSinceQuery = await gateway.request<
      HeldFulfillmentOrdersSinceQuery,
      HeldFulfillmentOrdersSinceQueryVariables
    >(HELD_FULFILLMENT_ORDERS_QUERY, {
      query: `status:on_hold updated_at:>'${from.toISOString()}'`,
      after,
    });
    for (const fo of page.fulfillmentOrders.nodes)
      if (
        fo.fulfillmentHolds.some((h) =>
          isGateHold({ handle: h.handle ?? null, heldByRequestingApp: h.heldByRequestingApp }),
        )
      ) {
        const changed = String(fo.updatedAt);
        const known = orders.get(fo.orderId);
        orders.set(fo.orderId, known && known > changed ? known : changed);
        // Every gate still on holds the mark at its change, whether its order is undecided (its
        // route job may yet leave it on) or planned again below (its release may fail): the next
        // run reads it again until it is off. A gate that lands later changes its fulfillment
        // order, so it is after the mark whichever run reads it.
        const at = Date.parse(changed);
        next = Math.min(next, Number.isFinite(at) ? at - 1_000 : from.getTime());
      }
    after = page.fulfillmentOrders.pageInfo.hasNextPage
      ? (page.fulfillmentOrders.pageInfo.endCursor ?? null)
      : null;
  } while (after && !budget.spent());
  // A pass cut short leaves its mark where it was: the next one reads its whole window again.
  // updateMany: a shop uninstalled meanwhile has no row to update, and nothing to mark.
  if (!after)
    await db.shop.updateMany({
      where: { shop },
      data: { gateCheckedFrom: new Date(Math.max(from.getTime(), next)) },
    });
  let enqueued = 0;
  for (const [orderId, changed] of orders) {
    if (!(await alreadyDecided(db, shop, orderId))) continue;
    const added = await queue.enqueue(
      QUEUES.refreshOrder,
      { shop, orderId, answer: { event: GATE_LEFT_EVENT, replan: true } },
      // Once per gate found: two runs finding the same one plan it once; a gate placed late
      // again (the fulfillment order changed since) is a new job.
      { key: `gate-left:${shop}:${orderId}:${changed}`, shop, maxAttempts: 12 },
    );
    if (!added) continue;
    enqueued++;
    logEvent("warn", "reconcile.gate_left", { shop, orderId });
  }
  return enqueued;
}

/**
 * Each route and refresh job that gave up since the last run, handed over once by the queue: a
 * route job whose order got its decision meanwhile is done with; any other is started over (the
 * same job, so a lab's answer or a timer carries on its own decision) up to RECONCILE_RETRIES
 * times, each logged as a warning; after that it stays given up, its order needing attention in
 * the review queue, logged as an error, until the merchant routes the order again.
 */
async function retryGaveUp(
  deps: WorkerDeps,
  shop: string,
): Promise<{ retried: number; left: number }> {
  const { db, queue } = deps;
  let retried = 0;
  let left = 0;
  for (const name of [QUEUES.routeOrder, QUEUES.refreshOrder]) {
    for (const job of await queue.gaveUp(name, shop, RETRY_GAVE_UP_PER_RUN)) {
      const payload = job.payload as (Partial<RouteOrderJob> & StartedOver) | null;
      const { orderId, fulfillmentOrderId } = subjectOfPayload(payload);
      if (!payload || (!orderId && !fulfillmentOrderId)) continue;
      if (
        name === QUEUES.routeOrder &&
        orderId &&
        (payload.trigger === "webhook" || payload.trigger === "reconciliation") &&
        (await alreadyDecided(db, shop, orderId))
      )
        continue;
      const round = timesStartedOver(payload) + 1;
      const fields = {
        shop,
        queue: name,
        orderId,
        fulfillmentOrderId,
        attempts: job.attempts,
        error: job.lastError,
      };
      if (round > RECONCILE_RETRIES) {
        left++;
        await showGaveUp(db, job, shop);
        logEvent("error", "reconcile.left_gave_up", { ...fields, rounds: round });
        continue;
      }
      if (!(await queue.again(name, job.id, { ...payload, reconciled: round }))) continue;
      retried++;
      logEvent("warn", "reconcile.retried_gave_up", { ...fields, round });
    }
  }
  return { retried, left };
}

/**
 * Shopify's search for the settled orders last changed in the window (since, until]: authorized
 * and partially paid orders are routed too (capture later, on approval or when the lab accepts);
 * pending ones are not settled and wait for orders/paid. The window's end is in the query (ADR
 * 051), so Shopify leaves out the orders still within the grace (a flash sale's, whose webhooks
 * are arriving) instead of the run reading their pages and skipping them: each run's `until` is the
 * next run's `since`, the same string on both sides, so the windows meet without a gap whatever
 * precision Shopify compares at. The window's end is in the past, and a change only moves an
 * order's `updatedAt` later, so the list a cursor pages through never grows behind it.
 */
function paidOrdersWindow(since: Date, until: Date): string {
  return `(financial_status:paid OR financial_status:partially_paid OR financial_status:authorized) updated_at:>'${since.toISOString()}' updated_at:<='${until.toISOString()}'`;
}

/**
 * Pages through the shop's settled orders changed since the last run and routes those without a
 * decision. A run whose budget runs out keeps its window and Shopify's cursor on the shop and
 * stops; the next run carries on from that page (the same query, so the cursor holds) instead of
 * reading the window again. Answers the window's start (for the gate pass) and whether the list
 * was read to its end.
 */
async function findUndecided(
  deps: WorkerDeps,
  shop: string,
  marks: ReconcileMarks | null,
  budget: PassBudget,
): Promise<{ since: Date; found: number; finished: boolean }> {
  const { db, queue } = deps;
  const resumed = readCursor(marks?.reconcileCursor);
  // The first run looks back one day: orders paid just before the app was installed.
  const since = resumed
    ? new Date(resumed.since)
    : (marks?.reconciledUntil ?? new Date(deps.now().getTime() - 24 * 3600_000));
  // Orders changed after this are left to their webhook for now; the mark moves on only this far,
  // so the next run asks Shopify for them again.
  const overdueBefore = resumed
    ? new Date(resumed.until)
    : new Date(deps.now().getTime() - (deps.reconcileGraceMs ?? RECONCILE_GRACE_MS));
  const gateway = await deps.gatewayFor(shop);
  let after: string | null = resumed?.after ?? null;
  let enqueued = 0;
  do {
    const page: PaidOrdersSinceQuery = await gateway.request<
      PaidOrdersSinceQuery,
      PaidOrdersSinceQueryVariables
    >(PAID_ORDERS_QUERY, {
      query: paidOrdersWindow(since, overdueBefore),
      after,
    });
    for (const order of page.orders.nodes) {
      if (!(await alreadyDecided(db, shop, order.id))) {
        const added = await queue.enqueue(
          QUEUES.routeOrder,
          { shop, orderId: order.id, trigger: "reconciliation" } satisfies RouteOrderJob,
          { key: routeOrderKey(shop, order.id), shop, maxAttempts: 12 },
        );
        if (added) enqueued++;
      }
    }
    after = page.orders.pageInfo.hasNextPage ? (page.orders.pageInfo.endCursor ?? null) : null;
    // At least one page a run: each run moves the cursor on, however little budget it had left.
    if (after && budget.spent()) {
      const cursor: ReconcileCursor = {
        since: since.toISOString(),
        until: overdueBefore.toISOString(),
        after,
      };
      await db.shop.upsert({
        where: { shop },
        create: { shop, reconcileCursor: JSON.stringify(cursor) },
        update: { reconcileCursor: JSON.stringify(cursor) },
      });
      return { since, found: enqueued, finished: false };
    }
  } while (after);
  await db.shop.upsert({
    where: { shop },
    create: { shop, reconciledUntil: overdueBefore },
    update: { reconciledUntil: overdueBefore, reconcileCursor: null },
  });
  return { since, found: enqueued, finished: true };
}

export async function handleReconcile(deps: WorkerDeps, job: Job): Promise<void> {
  const { shop } = job.payload as { shop: string };
  // The run stops before the queue's expiry instead of being run again beside itself, and stops
  // at once when the job is no longer this worker's. Two runs of one shop (a slot's and a worker
  // start's, in two processes) take turns: the second carries on from where the first left.
  const budget = passBudget(deps.now, job.signal);
  const { found, retried, left, gated, answered, finished } = await deps.queue.exclusive(
    `reconcile:${shop}`,
    () => reconcileShop(deps, shop, budget),
  );
  // The shop's stock news as it needs them (ADR 101): after install or sign-in (whose
  // reconciliation this is too) and every run, so a subscription whose answer was lost, or a wait
  // cleared with no rule left to split by stock, is put right; asking Shopify whether the kept
  // subscription still exists heals one deleted outside the app (ADR 103). Its failure is not
  // reconciliation's.
  await checkStockNews(deps, shop, { verify: true }).catch((error: unknown) =>
    logEvent("warn", "stock_news.check_failed", { shop, error: errorText(error) }),
  );
  if (!finished) {
    // The next run carries on from the shop's cursor now rather than at the next slot; once per
    // run that stopped (a retry of this job adds no second one).
    await deps.queue.enqueue(
      QUEUES.reconcile,
      { shop },
      { key: `reconcile:${shop}:after:${job.id}`, shop, maxAttempts: 3 },
    );
    deps.log?.(`reconciliation of ${shop} stopped at its budget; the next run carries on`);
  }
  if (found)
    deps.log?.(`reconciliation found ${found} paid order(s) without a decision on ${shop}`);
  if (retried)
    deps.log?.(
      `reconciliation starts over ${retried} route or refresh job(s) that gave up on ${shop}`,
    );
  if (left)
    deps.log?.(
      `reconciliation leaves ${left} job(s) given up ${RECONCILE_RETRIES + 1} times on ${shop} to the merchant`,
    );
  if (gated)
    deps.log?.(
      `reconciliation plans again ${gated} decided order(s) still behind the release gate on ${shop}`,
    );
  if (answered)
    deps.log?.(
      `reconciliation follows ${answered} lab answer(s) whose webhook never came on ${shop}`,
    );
}
