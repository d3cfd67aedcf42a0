// Reconciliation of the labs' answers: a fulfillment order the queue shows waiting on its lab (a
// request or a cancellation request sent) is read from Shopify, and an answer whose webhook never
// came (accepted, rejected, cancellation answered, fulfilled, closed) is followed as that webhook
// would have been: the rules plan again on an acceptance, a rejection or a fulfillment, and the
// queue and the decision trace show the rest.
import { AWAITED_FULFILLMENT_ORDERS_QUERY } from "../shopify/operations";
import type {
  AwaitedFulfillmentOrdersQuery,
  AwaitedFulfillmentOrdersQueryVariables,
} from "../types/admin.generated";
import { words } from "../routing/words";
import { logEvent } from "../utils/log.server";
import { QUEUES, type WorkerDeps } from "./queues";
import { UNLIMITED, type PassBudget } from "./pass-budget";

/**
 * Request statuses that wait for the lab: its answer to a request or a cancellation request, or,
 * once it took the work (accepted, or kept after a cancellation request), its fulfillment, its
 * giving up, or its answer to a cancellation request staff sent from Shopify admin.
 */
const AWAITING = ["SUBMITTED", "ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"];

/** Fulfillment orders a `nodes` read takes at once (4 points each, far under Shopify's limit). */
const NODES_BATCH = 50;

/**
 * Answers after which the rules plan again, as their webhooks make them (worker.server.ts); so do
 * a fulfilment and a service giving up (INCOMPLETE).
 */
const REPLANNED = ["ACCEPTED", "REJECTED"];

/**
 * Queues a refresh for each fulfillment order Shopify shows answered while the queue still shows
 * it waiting; once per answer (keyed by what Shopify shows), however often reconciliation runs.
 * Answers how many were queued.
 */
export async function findMissedAnswers(
  deps: WorkerDeps,
  shop: string,
  budget: PassBudget = UNLIMITED,
): Promise<number> {
  const { db, queue } = deps;
  const waiting = await db.fulfillmentOrderRecord.findMany({
    where: { shop, requestStatus: { in: AWAITING } },
    select: { fulfillmentOrderId: true, orderId: true, status: true, requestStatus: true },
  });
  if (waiting.length === 0) return 0;
  const gateway = await deps.gatewayFor(shop);
  let enqueued = 0;
  // A run whose budget ran out leaves the rest to the next run.
  for (let i = 0; i < waiting.length && !(i > 0 && budget.spent()); i += NODES_BATCH) {
    const batch = waiting.slice(i, i + NODES_BATCH);
    const data = await gateway.request<
      AwaitedFulfillmentOrdersQuery,
      AwaitedFulfillmentOrdersQueryVariables
    >(AWAITED_FULFILLMENT_ORDERS_QUERY, { ids: batch.map((r) => r.fulfillmentOrderId) });
    for (const node of data.nodes) {
      if (!node || !("requestStatus" in node)) continue;
      const row = batch.find((r) => r.fulfillmentOrderId === node.id);
      if (!row || (row.requestStatus === node.requestStatus && row.status === node.status))
        continue;
      const fulfilled = node.status === "CLOSED" && node.requestStatus !== "CLOSED";
      const added = await queue.enqueue(
        QUEUES.refreshOrder,
        {
          shop,
          orderId: row.orderId,
          answer: {
            event: words("settled.answerFoundByReconciliation", {
              request: words(`findings.requestStatus.${node.requestStatus}`),
            }),
            replan:
              fulfilled || node.status === "INCOMPLETE" || REPLANNED.includes(node.requestStatus),
          },
        },
        {
          key: `answer-missed:${shop}:${node.id}:${node.requestStatus}:${node.status}`,
          shop,
          maxAttempts: 12,
        },
      );
      if (!added) continue;
      enqueued++;
      logEvent("warn", "reconcile.answer_missed", {
        shop,
        orderId: row.orderId,
        fulfillmentOrderId: node.id,
        requestStatus: node.requestStatus,
      });
    }
  }
  return enqueued;
}
