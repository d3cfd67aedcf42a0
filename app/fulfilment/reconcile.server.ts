// Reconciliation: settled orders (paid, partially paid, authorized) whose webhooks never came (dropped, or sent while the app was not
// installed) are found through the Admin API and routed like any other; orders whose route job
// gave up (every attempt failed) are found again in the queue and routed once more.
import { PAID_ORDERS_QUERY } from "../shopify/operations";
import type { PaidOrdersSinceQuery, PaidOrdersSinceQueryVariables } from "../types/admin.generated";
import type { Job } from "../jobs/queue";
import { logEvent } from "../utils/log.server";
import { alreadyDecided } from "./route-order.server";
import { QUEUES, routeOrderKey, type RouteOrderJob, type WorkerDeps } from "./queues";

/** Route jobs that gave up, asked again per run at most: the rest waits for the next run. */
const RETRY_GAVE_UP_PER_RUN = 200;

export interface ReconcileResult {
  /** Paid orders without a decision found on Shopify and queued. */
  found: number;
  /** Orders whose route job gave up, still without a decision, queued again. */
  retried: number;
}

/**
 * Finds paid orders since the last run that never got a decision, and routes them; then the
 * orders whose automatic route job used every attempt (Shopify away for longer than the job's
 * backoff, a worker killed at each try): their webhook was acknowledged, so the order must still
 * be decided once. Shopify's list since the last run no longer names them (the window moved on
 * while the job retried), so the queue does. Each is logged, a warning with its last error.
 */
export async function reconcileShop(deps: WorkerDeps, shop: string): Promise<ReconcileResult> {
  const retried = await retryGaveUp(deps, shop);
  const found = await findUndecided(deps, shop);
  return { found, retried };
}

async function retryGaveUp(deps: WorkerDeps, shop: string): Promise<number> {
  const { db, queue } = deps;
  let retried = 0;
  for (const job of await queue.gaveUp(QUEUES.routeOrder, shop, RETRY_GAVE_UP_PER_RUN)) {
    const payload = job.payload as Partial<RouteOrderJob> | null;
    const orderId = payload?.orderId;
    // Only the order's one automatic decision: a timer's or a merchant's job is not the webhook's.
    if (typeof orderId !== "string") continue;
    if (payload?.trigger !== "webhook" && payload?.trigger !== "reconciliation") continue;
    if (await alreadyDecided(db, shop, orderId)) continue;
    const again = await queue.enqueue(
      QUEUES.routeOrder,
      { shop, orderId, trigger: payload.trigger } satisfies RouteOrderJob,
      // The same key: the job that gave up starts over (never a second one beside it).
      { key: routeOrderKey(shop, orderId), shop, maxAttempts: 12, runAt: deps.now() },
    );
    if (!again) continue;
    retried++;
    logEvent("warn", "reconcile.retried_gave_up", {
      shop,
      orderId,
      attempts: job.attempts,
      error: job.lastError,
    });
  }
  return retried;
}

async function findUndecided(deps: WorkerDeps, shop: string): Promise<number> {
  const { db, queue } = deps;
  const row = await db.shop.findUnique({ where: { shop } });
  // The first run looks back one day: orders paid just before the app was installed.
  const since = row?.reconciledUntil ?? new Date(deps.now().getTime() - 24 * 3600_000);
  const startedAt = deps.now();
  const gateway = await deps.gatewayFor(shop);
  let after: string | null = null;
  let enqueued = 0;
  do {
    const page: PaidOrdersSinceQuery = await gateway.request<
      PaidOrdersSinceQuery,
      PaidOrdersSinceQueryVariables
    >(PAID_ORDERS_QUERY, {
      // Authorized and partially paid orders are routed too (capture later, on approval or when
      // the lab accepts); pending ones are not settled and wait for orders/paid.
      query: `(financial_status:paid OR financial_status:partially_paid OR financial_status:authorized) updated_at:>'${since.toISOString()}'`,
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
  } while (after);
  await db.shop.upsert({
    where: { shop },
    create: { shop, reconciledUntil: startedAt },
    update: { reconciledUntil: startedAt },
  });
  return enqueued;
}

export async function handleReconcile(deps: WorkerDeps, job: Job): Promise<void> {
  const { shop } = job.payload as { shop: string };
  const { found, retried } = await reconcileShop(deps, shop);
  if (found)
    deps.log?.(`reconciliation found ${found} paid order(s) without a decision on ${shop}`);
  if (retried)
    deps.log?.(
      `reconciliation routes again ${retried} order(s) whose route job gave up on ${shop}`,
    );
}
