// The periodic authorization check: orders whose payment authorization has entered the shop's
// warning window are planned again, so "capture before it lapses" captures and the read model
// (Home, the queue) reflects Shopify's payment state without anyone opening the order.
import type { Db } from "../db/client.server";
import type { JobQueue } from "../jobs/queue";
import { AUTHORIZATION_WARNING_HOURS } from "../routing";
import { QUEUES, type RouteOrderJob } from "./queues";

/** How often each shop is checked; the window is hours wide, so minutes late is on time. */
export const AUTHORIZATION_CHECK_EVERY_MS = 15 * 60_000;

/**
 * Plans again each order whose earliest open authorization lapses within the warning window,
 * once per deadline and window: the job's key names both, so a later check (or another worker
 * process) adds nothing, while a new deadline (a new authorization) or a wider window set in
 * Settings plans it once more. Returns the orders that were due.
 */
export async function checkAuthorizations(
  deps: { db: Db; queue: Pick<JobQueue, "enqueue">; now: () => Date },
  shop: string,
): Promise<string[]> {
  const now = deps.now();
  const row = await deps.db.shop.findUnique({
    where: { shop },
    select: { authorizationWarnHours: true },
  });
  const warnHours = row?.authorizationWarnHours ?? AUTHORIZATION_WARNING_HOURS;
  const due = await deps.db.fulfillmentOrderRecord.findMany({
    where: {
      shop,
      authorizationLapsesAt: { gt: now, lte: new Date(now.getTime() + warnHours * 3600_000) },
    },
    select: { orderId: true, authorizationLapsesAt: true },
    distinct: ["orderId"],
    orderBy: { authorizationLapsesAt: "asc" },
  });
  for (const { orderId, authorizationLapsesAt } of due) {
    await deps.queue.enqueue(
      QUEUES.routeOrder,
      { shop, orderId, trigger: "timer" } satisfies RouteOrderJob,
      {
        key: `authorization:${shop}:${orderId}:${authorizationLapsesAt!.toISOString()}:${warnHours}h`,
        shop,
      },
    );
  }
  return due.map((d) => d.orderId);
}
