// The periodic authorization check: orders whose payment authorization has entered the shop's
// warning window, or has lapsed, are planned again, so "capture before it lapses" captures, a
// lapse shows as needing attention, and the read model (Home, the queue) reflects Shopify's
// payment state without anyone opening the order.
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
 * Settings plans it once more. An order whose deadline has passed is planned once more for the
 * lapse itself: Shopify sends no webhook when an authorization lapses, and the read shows the
 * payment Expired, so the order needs attention (collect the money another way) at once rather
 * than when a lab answers. Returns the orders that were due.
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
      authorizationLapsesAt: { lte: new Date(now.getTime() + warnHours * 3600_000) },
    },
    select: { orderId: true, authorizationLapsesAt: true },
    distinct: ["orderId"],
    orderBy: { authorizationLapsesAt: "asc" },
  });
  for (const { orderId, authorizationLapsesAt } of due) {
    const at = authorizationLapsesAt!;
    // The read after a lapse writes no deadline (nothing is left to capture), so a lapsed order
    // comes up once; one whose estimate was early (a gateway with a longer period) once per deadline.
    const moment = at <= now ? "lapsed" : `${warnHours}h`;
    await deps.queue.enqueue(
      QUEUES.routeOrder,
      { shop, orderId, trigger: "timer" } satisfies RouteOrderJob,
      { key: `authorization:${shop}:${orderId}:${at.toISOString()}:${moment}`, shop },
    );
  }
  return due.map((d) => d.orderId);
}
