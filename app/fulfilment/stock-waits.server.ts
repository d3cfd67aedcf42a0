// What waits for stock, and stock arriving for it: the index from an inventory item at a location to the orders the rules hold for it, and inventory_levels/update read as Shopify sends it (ADR 088).
import type { Db } from "../db/client.server";
import { plannedHoldPurpose, type OrderSnapshot } from "../routing";
import type { JobQueue } from "../jobs/queue";
import { idDigitsAsSent } from "../shopify/ids";
import { QUEUES, type RouteOrderJob } from "./queues";

/**
 * How long a stock arrival waits for the rest of its burst: every update within one window (a
 * stocktake changes hundreds of items in minutes) plans each waiting order again once, as the
 * window ends, after all of them arrived.
 */
export const STOCK_ARRIVAL_WINDOW_MS = 30_000;

/** An inventory_levels/update as the app reads it: which item at which location, and how many are available now. */
export interface StockArrival {
  inventoryItemId: string;
  locationId: string;
  /** Null when Shopify sent none (the level was disconnected). */
  available: number | null;
}

/** A numeric id as REST sends it, or a GID, as the GID of `type`; null when neither. */
function gidOf(value: unknown, type: string): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0)
    return `gid://shopify/${type}/${value}`;
  if (typeof value !== "string") return null;
  if (/^\d+$/.test(value)) return `gid://shopify/${type}/${value}`;
  const gid = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(value);
  return gid ? `gid://shopify/${type}/${gid[1]}` : null;
}

/**
 * Reads an inventory_levels/update payload. Shopify documents it REST-shaped (numeric
 * `inventory_item_id` and `location_id`, `available`, `admin_graphql_api_id` naming the
 * InventoryLevel as `gid://shopify/InventoryLevel/<n>?inventory_item_id=<item>`); the ids are read
 * as GIDs too, should a version send them so (the fulfillment order topics do). The ids are taken
 * from the raw body where it has them as numbers: JSON.parse rounds a number past 2^53.
 */
export function stockArrivalOf(payload: Record<string, unknown>, raw = ""): StockArrival | null {
  const exact = (field: string) => idDigitsAsSent(raw, field, payload[field]);
  const fromLevel = /inventory_item_id=(\d+)/.exec(
    typeof payload.admin_graphql_api_id === "string" ? payload.admin_graphql_api_id : "",
  )?.[1];
  const inventoryItemId = gidOf(
    exact("inventory_item_id") ?? payload.inventory_item_id ?? fromLevel,
    "InventoryItem",
  );
  const locationId = gidOf(exact("location_id") ?? payload.location_id, "Location");
  if (!inventoryItemId || !locationId) return null;
  const available = typeof payload.available === "number" ? payload.available : null;
  return { inventoryItemId, locationId, available };
}

/**
 * The shop's orders with a part the rules hold for stock of this item at this location that the
 * level's `available` now lets ship, in one indexed read. Shopify's `available` already has every
 * order's committed units taken out, the waiting ones too, so an order can ship more of the item
 * there once `available` plus its own units there exceeds what it ships (readStock): once
 * `available` is above minus the units it waits for. An order placed, or fulfilled, elsewhere in a
 * busy shop lowers or keeps `available` and plans nothing again; so does the update of the order's
 * own placement, which left `available` where the order's plan found it (ADR 091).
 */
export async function ordersWaitingFor(
  db: Db,
  shop: string,
  arrival: Pick<StockArrival, "inventoryItemId" | "locationId"> & { available: number },
): Promise<string[]> {
  const rows = await db.stockWait.groupBy({
    by: ["orderId"],
    where: { shop, inventoryItemId: arrival.inventoryItemId, locationId: arrival.locationId },
    _sum: { units: true },
  });
  return rows
    .filter((r) => (r._sum.units ?? 0) > -arrival.available)
    .map((r) => r.orderId)
    .sort();
}

/**
 * Plans each order again once per window, at its end: the key names the order and the window, so
 * the updates of a burst (and Shopify's duplicates) add nothing, and an update after the window's
 * job ran starts the next window's. In the shop's line like its other route jobs.
 */
export async function replanWhenStockArrives(
  queue: Pick<JobQueue, "enqueue">,
  shop: string,
  orderIds: readonly string[],
  now: Date,
): Promise<void> {
  const window = Math.floor(now.getTime() / STOCK_ARRIVAL_WINDOW_MS);
  const runAt = new Date((window + 1) * STOCK_ARRIVAL_WINDOW_MS);
  for (const orderId of orderIds)
    await queue.enqueue(
      QUEUES.routeOrder,
      { shop, orderId, trigger: "stock" } satisfies RouteOrderJob,
      { key: `stock:${shop}:${orderId}:${window}`, shop, runAt, maxAttempts: 12 },
    );
}

/**
 * What of the order waits for stock as it now stands: each line of a fulfillment order the rules
 * hold with their stock hold, by its inventory item (`itemsOfLines`: order line → item, from the
 * router's read) at the fulfillment order's location, with the units its location could not ship
 * as the plan read them. Units in stock there (a hold beside another app's, which stops the split,
 * holds them too: ADR 085) wait for no stock, and a line whose stock was not read counts whole.
 */
export function stockWaitsOf(
  snapshot: OrderSnapshot,
  itemsOfLines: ReadonlyMap<string, string>,
): { inventoryItemId: string; locationId: string; fulfillmentOrderId: string; units: number }[] {
  const waits = new Map<
    string,
    { inventoryItemId: string; locationId: string; fulfillmentOrderId: string; units: number }
  >();
  for (const fo of snapshot.fulfillmentOrders) {
    if (!fo.holds.some((h) => plannedHoldPurpose(h) === "stock")) continue;
    for (const line of fo.lineItems) {
      const inventoryItemId = itemsOfLines.get(line.lineItemId);
      if (line.remainingQuantity <= 0 || !inventoryItemId) continue;
      const units = unitsWaiting(line);
      if (units <= 0) continue;
      const key = `${fo.id}|${inventoryItemId}`;
      const known = waits.get(key);
      if (known) known.units += units;
      else
        waits.set(key, {
          inventoryItemId,
          locationId: fo.assignedLocation.locationId,
          fulfillmentOrderId: fo.id,
          units,
        });
    }
  }
  return [...waits.values()];
}

/** A held line's units its location cannot ship, from the stock read with the order. */
function unitsWaiting(line: OrderSnapshot["fulfillmentOrders"][number]["lineItems"][number]) {
  // Not tracked, or not known there (not stocked, read_inventory refused): no level's update
  // could tell of it, and the plan counts it in stock.
  if (line.inStockQuantity === null || line.stockUnknown) return 0;
  if (line.inStockQuantity === undefined) return line.remainingQuantity;
  return Math.max(0, line.remainingQuantity - line.inStockQuantity);
}

/** Writes what of the order waits for stock now, in place of what waited before. */
export async function recordStockWaits(
  db: Db,
  shop: string,
  snapshot: OrderSnapshot,
  itemsOfLines: ReadonlyMap<string, string>,
): Promise<void> {
  const orderId = snapshot.order.id;
  const waits = stockWaitsOf(snapshot, itemsOfLines);
  await db.$transaction([
    db.stockWait.deleteMany({ where: { shop, orderId } }),
    ...(waits.length > 0
      ? [db.stockWait.createMany({ data: waits.map((w) => ({ ...w, shop, orderId })) })]
      : []),
  ]);
}
