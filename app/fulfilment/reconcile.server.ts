// Reconciliation: settled orders (paid, partially paid, authorized) whose webhooks never came (dropped, or sent while the app was not
// installed) are found through the Admin API and routed like any other.
import { PAID_ORDERS_QUERY } from "../shopify/operations";
import type { PaidOrdersSinceQuery, PaidOrdersSinceQueryVariables } from "../types/admin.generated";
import type { Job } from "../jobs/queue";
import { alreadyDecided } from "./route-order.server";
import { QUEUES, routeOrderKey, type RouteOrderJob, type WorkerDeps } from "./queues";

/** Finds paid orders since the last run that never got a decision, and routes them. */
export async function reconcileShop(deps: WorkerDeps, shop: string): Promise<number> {
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
  const n = await reconcileShop(deps, shop);
  if (n) deps.log?.(`reconciliation found ${n} paid order(s) without a decision on ${shop}`);
}
