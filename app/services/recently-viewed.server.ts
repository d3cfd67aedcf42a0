// Recently viewed orders: the few orders a merchant opened last, for the queue's shortcut list.
import type { Db } from "../db/client.server";

export interface RecentOrder {
  orderId: string;
  orderNumber: string;
  orderName: string;
  viewedAt: string;
}

const RECENT_KEEP = 20;

export async function recordRecentlyViewed(
  db: Db,
  shop: string,
  order: { orderId: string; orderName: string },
  now: Date,
): Promise<void> {
  await db.recentlyViewedOrder.upsert({
    where: { shop_orderId: { shop, orderId: order.orderId } },
    create: { shop, orderId: order.orderId, orderName: order.orderName, viewedAt: now },
    update: { orderName: order.orderName, viewedAt: now },
  });
  // Keep the list short; the screen shows the newest few.
  const stale = await db.recentlyViewedOrder.findMany({
    where: { shop },
    orderBy: { viewedAt: "desc" },
    skip: RECENT_KEEP,
    select: { id: true },
  });
  if (stale.length > 0)
    await db.recentlyViewedOrder.deleteMany({ where: { id: { in: stale.map((s) => s.id) } } });
}

export async function listRecentlyViewed(db: Db, shop: string, take = 5): Promise<RecentOrder[]> {
  const rows = await db.recentlyViewedOrder.findMany({
    where: { shop },
    orderBy: { viewedAt: "desc" },
    take,
  });
  return rows.map((r) => ({
    orderId: r.orderId,
    orderNumber: r.orderId.slice(r.orderId.lastIndexOf("/") + 1),
    orderName: r.orderName,
    viewedAt: r.viewedAt.toISOString(),
  }));
}
