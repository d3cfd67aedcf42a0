// The worker: turns stored webhooks into jobs, routes paid orders, keeps the review queue's read
// model current, runs bulk actions item by item, and reconciles orders a dropped webhook missed.
import type { Db } from "../db/client.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { FULFILLMENT_ORDER_ORDER_QUERY, PAID_ORDERS_QUERY } from "../shopify/operations";
import type {
  FulfillmentOrderOrderQuery,
  FulfillmentOrderOrderQueryVariables,
  PaidOrdersSinceQuery,
  PaidOrdersSinceQueryVariables,
} from "../types/admin.generated";
import { routeOrder, type Trigger } from "../fulfilment/route-order.server";
import { refreshReadModel, runCommand, type MerchantCommand } from "../fulfilment/commands.server";
import {
  FLOW_ACTION_QUEUE,
  runFlowAction,
  type FlowActionJob,
} from "../fulfilment/flow-actions.server";
import { runRepair, scanAndRepair } from "../fulfilment/repair.server";
import type { Job, JobQueue } from "./queue";
import { onDeliveriesStored } from "../webhooks/inbox-signal";

export const QUEUES = {
  routeOrder: "route-order",
  refreshOrder: "refresh-order",
  bulkItem: "bulk-item",
  reconcile: "reconcile",
  flowAction: FLOW_ACTION_QUEUE,
  driftScan: "drift-scan",
} as const;

export interface WorkerDeps {
  db: Db;
  queue: JobQueue;
  gatewayFor: (shop: string) => Promise<AdminGateway>;
  now: () => Date;
  log?: (message: string) => void;
}

interface RouteOrderJob {
  shop: string;
  orderId: string;
  trigger: Trigger;
}

export const routeOrderKey = (shop: string, orderId: string) => `route-order:${shop}:${orderId}`;

function subjectOrderId(payload: Record<string, unknown>): string | null {
  return typeof payload.admin_graphql_api_id === "string" ? payload.admin_graphql_api_id : null;
}

function fulfillmentOrderIdOf(payload: Record<string, unknown>): string | null {
  const fo = payload.fulfillment_order as { id?: unknown } | undefined;
  return typeof fo?.id === "string" ? fo.id : null;
}

/**
 * Takes stored deliveries in arrival order and turns each into at most one job. Jobs are keyed,
 * and a delivery is marked processed only after its job is enqueued, so a crash in between
 * enqueues nothing twice.
 */
export async function processInbox(deps: WorkerDeps, limit = 200): Promise<number> {
  const { db, queue } = deps;
  const deliveries = await db.webhookDelivery.findMany({
    where: { status: "received" },
    orderBy: { receivedAt: "asc" },
    take: limit,
  });
  for (const d of deliveries) {
    let status: "processed" | "ignored" = "processed";
    let error: string | null = null;
    try {
      const payload = JSON.parse(d.payload) as Record<string, unknown>;
      // A retry carries the original payload: when a newer delivery about the same thing was
      // already handled, this one has nothing new to say.
      if (d.subjectId && d.triggeredAt) {
        const newer = await db.webhookDelivery.count({
          where: {
            shop: d.shop,
            topic: d.topic,
            subjectId: d.subjectId,
            status: "processed",
            triggeredAt: { gt: d.triggeredAt },
          },
        });
        if (newer > 0) status = "ignored";
      }
      if (status === "processed") {
        if (d.topic === "orders/paid") {
          const orderId = subjectOrderId(payload);
          if (orderId) {
            await queue.enqueue(
              QUEUES.routeOrder,
              { shop: d.shop, orderId, trigger: "webhook" } satisfies RouteOrderJob,
              {
                key: routeOrderKey(d.shop, orderId),
                shop: d.shop,
                maxAttempts: 12,
              },
            );
          } else status = "ignored";
        } else if (d.topic === "orders/cancelled") {
          const orderId = subjectOrderId(payload);
          if (orderId)
            await queue.enqueue(QUEUES.refreshOrder, { shop: d.shop, orderId }, { shop: d.shop });
        } else if (d.topic.startsWith("fulfillment_orders/")) {
          const fulfillmentOrderId = fulfillmentOrderIdOf(payload);
          if (fulfillmentOrderId) {
            await queue.enqueue(
              QUEUES.refreshOrder,
              {
                shop: d.shop,
                fulfillmentOrderId,
                reroute: d.topic === "fulfillment_orders/fulfillment_request_accepted",
              },
              { shop: d.shop },
            );
          } else status = "ignored";
        } else {
          status = "ignored";
        }
      }
    } catch (e) {
      status = "ignored";
      error = e instanceof Error ? e.message : String(e);
    }
    await db.webhookDelivery.update({
      where: { id: d.id },
      data: { status: error ? "failed" : status, processedAt: deps.now(), error },
    });
  }
  return deliveries.length;
}

async function orderOf(
  deps: WorkerDeps,
  shop: string,
  fulfillmentOrderId: string,
): Promise<string | null> {
  const record = await deps.db.fulfillmentOrderRecord.findUnique({
    where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId } },
  });
  if (record) return record.orderId;
  const gateway = await deps.gatewayFor(shop);
  const data = await gateway.request<
    FulfillmentOrderOrderQuery,
    FulfillmentOrderOrderQueryVariables
  >(FULFILLMENT_ORDER_ORDER_QUERY, { id: fulfillmentOrderId });
  return data.fulfillmentOrder?.orderId ?? null;
}

export async function handleRouteOrder(deps: WorkerDeps, job: Job): Promise<void> {
  const { shop, orderId, trigger } = job.payload as RouteOrderJob;
  const gateway = await deps.gatewayFor(shop);
  const result = await routeOrder(
    { db: deps.db, gateway, now: deps.now },
    { shop, orderId, trigger },
  );
  deps.log?.(
    `${orderId}: ${result.status}${result.message ? ` (${result.message})` : ""}, ${result.stepsApplied} step(s)`,
  );
  if (result.replanAt) {
    await deps.queue.enqueue(
      QUEUES.routeOrder,
      { shop, orderId, trigger: "timer" } satisfies RouteOrderJob,
      {
        key: `timer:${shop}:${orderId}:${result.replanAt}`,
        shop,
        runAt: new Date(result.replanAt),
      },
    );
  }
}

export async function handleRefreshOrder(deps: WorkerDeps, job: Job): Promise<void> {
  const payload = job.payload as {
    shop: string;
    orderId?: string;
    fulfillmentOrderId?: string;
    reroute?: boolean;
  };
  const orderId =
    payload.orderId ??
    (payload.fulfillmentOrderId
      ? await orderOf(deps, payload.shop, payload.fulfillmentOrderId)
      : null);
  if (!orderId) return;
  const gateway = await deps.gatewayFor(payload.shop);
  if (payload.reroute) {
    // The lab accepted: what the rules do on acceptance (capture) happens now.
    await routeOrder(
      { db: deps.db, gateway, now: deps.now },
      { shop: payload.shop, orderId, trigger: "timer" },
    );
  } else {
    await refreshReadModel({ db: deps.db, gateway, now: deps.now }, payload.shop, orderId);
  }
}

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
  let message: string;
  try {
    // A bulk repair's targets are findings (stuck requests, drift), not fulfillment orders.
    const result =
      item.bulkJob.action === "repair"
        ? await runRepair(
            { db: deps.db, gateway, now: deps.now },
            item.bulkJob.shop,
            item.targetId,
            {
              actor: item.bulkJob.createdBy,
            },
          )
        : await runCommand(
            { db: deps.db, gateway, now: deps.now },
            { shop: item.bulkJob.shop, actor: item.bulkJob.createdBy },
            command,
          );
    ok = result.ok;
    message = result.message;
  } catch (error) {
    // Only a failure that retrying might fix goes back to the queue; the rest is reported.
    if (
      job.attempts < 5 &&
      error instanceof Error &&
      /throttled|answered 5\d\d|no answer|network/i.test(error.message)
    )
      throw error;
    message = error instanceof Error ? error.message : String(error);
  }
  await deps.db.$transaction([
    deps.db.bulkJobItem.update({
      where: { id: itemId },
      data: {
        status: ok ? "succeeded" : "failed",
        error: ok ? null : message,
        finishedAt: deps.now(),
      },
    }),
    deps.db.bulkJob.update({
      where: { id: item.bulkJobId },
      data: ok ? { succeeded: { increment: 1 } } : { failed: { increment: 1 } },
    }),
  ]);
  const bulk = await deps.db.bulkJob.findUniqueOrThrow({ where: { id: item.bulkJobId } });
  if (bulk.succeeded + bulk.failed >= bulk.total && bulk.status === "running") {
    await deps.db.bulkJob.update({
      where: { id: bulk.id },
      data: { status: "finished", finishedAt: deps.now() },
    });
  }
}

/** A Shopify Flow action the endpoint stored: its outcome goes to the decision log via runCommand. */
export async function handleFlowAction(deps: WorkerDeps, job: Job): Promise<void> {
  const payload = job.payload as FlowActionJob;
  const gateway = await deps.gatewayFor(payload.shop);
  const results = await runFlowAction({ db: deps.db, gateway, now: deps.now }, payload);
  for (const r of results)
    deps.log?.(
      `flow ${payload.handle} ${payload.orderId}: ${r.ok ? "ok" : "refused"} (${r.message})`,
    );
}

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
      query: `financial_status:paid updated_at:>'${since.toISOString()}'`,
      after,
    });
    for (const order of page.orders.nodes) {
      // An unfinished decision (its job gave up, say) does not count: the order is routed again.
      const decided = await db.decision.count({
        where: { shop, orderId: order.id, status: { in: ["applied", "needs_attention"] } },
      });
      if (decided === 0) {
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

/** The stuck-and-drift pass for one shop, with the repairs its Settings allow. */
export async function handleDriftScan(deps: WorkerDeps, job: Job): Promise<void> {
  const { shop } = job.payload as { shop: string };
  const gateway = await deps.gatewayFor(shop);
  const r = await scanAndRepair({ db: deps.db, gateway, now: deps.now }, shop);
  if (r.found || r.repaired)
    deps.log?.(`${shop}: ${r.found} new stuck or drifted order(s), ${r.repaired} repaired`);
}

export interface WorkerHandle {
  stop(): Promise<void>;
}

/** Starts every queue's handler and the inbox and reconciliation timers. */
export function startWorker(
  deps: WorkerDeps,
  options: { inboxPollMs?: number; reconcileEveryMs?: number; driftScanEveryMs?: number } = {},
): WorkerHandle {
  const { queue } = deps;
  // perShop: how many of one shop's jobs run at once across every worker process (pg-boss); the
  // shop's Admin API bucket paces them, and the rest of the slots stay free for other shops.
  queue.work(QUEUES.routeOrder, (job) => handleRouteOrder(deps, job), {
    concurrency: 4,
    perShop: 2,
  });
  queue.work(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job), {
    concurrency: 2,
    perShop: 1,
  });
  queue.work(QUEUES.bulkItem, (job) => handleBulkItem(deps, job), { concurrency: 4, perShop: 4 });
  queue.work(QUEUES.reconcile, (job) => handleReconcile(deps, job), { concurrency: 1, perShop: 1 });
  queue.work(QUEUES.flowAction, (job) => handleFlowAction(deps, job), {
    concurrency: 2,
    perShop: 1,
  });
  queue.work(QUEUES.driftScan, (job) => handleDriftScan(deps, job), { concurrency: 1, perShop: 1 });

  let stopped = false;
  let inboxTimer: ReturnType<typeof setTimeout> | undefined;
  let polling = false;
  let wokenWhilePolling = false;
  const pollInbox = async () => {
    if (stopped) return;
    polling = true;
    wokenWhilePolling = false;
    const n = await processInbox(deps).catch((e: unknown) => {
      deps.log?.(`inbox: ${e instanceof Error ? e.message : String(e)}`);
      return 0;
    });
    polling = false;
    if (!stopped)
      inboxTimer = setTimeout(
        () => void pollInbox(),
        n > 0 || wokenWhilePolling ? 0 : (options.inboxPollMs ?? 200),
      );
  };
  void pollInbox();
  // A delivery stored by this process is taken at once; the poll finds those of other processes.
  const stopListening = onDeliveriesStored(() => {
    if (stopped) return;
    if (polling) wokenWhilePolling = true;
    else {
      if (inboxTimer) clearTimeout(inboxTimer);
      void pollInbox();
    }
  });

  const reconcileEvery = options.reconcileEveryMs ?? 10 * 60_000;
  const reconcileAll = async () => {
    const shops = await deps.db.session.findMany({
      where: { isOnline: false },
      select: { shop: true },
      distinct: ["shop"],
    });
    const slot = Math.floor(deps.now().getTime() / reconcileEvery);
    for (const { shop } of shops) {
      await queue.enqueue(
        QUEUES.reconcile,
        { shop },
        { key: `reconcile:${shop}:${slot}`, shop, maxAttempts: 3 },
      );
    }
  };
  const reconcileTimer = setInterval(() => void reconcileAll().catch(() => {}), reconcileEvery);
  // And once at start: a process that was down missed webhooks that Shopify stopped retrying.
  const firstReconcile = setTimeout(() => void reconcileAll().catch(() => {}), 2000);

  // No webhook says a fulfillment order changed, so drift is found by looking every few minutes.
  const driftEvery = options.driftScanEveryMs ?? 5 * 60_000;
  const scanAll = async () => {
    const shops = await deps.db.session.findMany({
      where: { isOnline: false },
      select: { shop: true },
      distinct: ["shop"],
    });
    const slot = Math.floor(deps.now().getTime() / driftEvery);
    for (const { shop } of shops) {
      await queue.enqueue(
        QUEUES.driftScan,
        { shop },
        { key: `drift-scan:${shop}:${slot}`, shop, maxAttempts: 3 },
      );
    }
  };
  const driftTimer = setInterval(() => void scanAll().catch(() => {}), driftEvery);

  return {
    async stop() {
      stopped = true;
      stopListening();
      if (inboxTimer) clearTimeout(inboxTimer);
      clearInterval(driftTimer);
      clearInterval(reconcileTimer);
      clearTimeout(firstReconcile);
      await queue.stop();
    },
  };
}
