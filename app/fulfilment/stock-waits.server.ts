// What waits for stock, and stock arriving for it: the index from an inventory item at a location to the orders the rules hold for it, first placed first in line, and inventory_levels/update read as Shopify sends it (ADR 088, 096).
import type { Db } from "../db/client.server";
import { plannedHoldPurpose, type OrderSnapshot } from "../routing";
import type { JobQueue } from "../jobs/queue";
import { idDigitsAsSent } from "../shopify/ids";
import { levelKey, type StockLevel } from "../shopify/stock.server";
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

/** An order's place in the line for stock at one level: when it was placed, and its id. */
export interface PlaceInLine {
  orderId: string;
  placedAt: Date;
}

/**
 * Whether `a` comes before `b` in the line for scarce stock (ADR 096): first placed, first
 * shipped; two orders placed in the same millisecond by their ids as numbers (Shopify's ids grow).
 */
export function comesBefore(a: PlaceInLine, b: PlaceInLine): boolean {
  const at = a.placedAt.getTime() - b.placedAt.getTime();
  if (at !== 0) return at < 0;
  const digits = (id: string) => /(\d+)$/.exec(id)?.[1] ?? id;
  const [x, y] = [digits(a.orderId), digits(b.orderId)];
  return x.length !== y.length ? x.length < y.length : x < y;
}

/** A row's place in the line; rows from before ADR 096 have no placedAt and queue as written. */
const placeOf = (row: { orderId: string; placedAt: Date | null; createdAt: Date }) => ({
  orderId: row.orderId,
  placedAt: row.placedAt ?? row.createdAt,
});

/**
 * The shop's orders with a part the rules hold for stock of this item at this location that the
 * level's `available` now lets ship, in one grouped read, first in line first. Shopify's
 * `available` has every order's committed units taken out, the waiting ones too, so what is on the
 * shelf for the waiting orders is `available` plus all their units; it goes to them first placed,
 * first shipped (ADR 096), so the k-th in line can ship once that exceeds what the orders before it
 * wait for: available + Σ(all waits) > Σ(waits before k). One order alone: once `available` is above
 * minus its units (ADR 091). Two orders waiting for 1 each (available −2) and 1 received (−1): the
 * first ships, the second waits for the next. An order placed, or fulfilled, elsewhere in a busy
 * shop lowers or keeps `available` and plans nothing again; so does the update of the order's own
 * placement, which left `available` where the order's plan found it.
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
    _min: { placedAt: true, createdAt: true },
  });
  return ordersReached(
    rows.map((r) => ({
      ...placeOf({ orderId: r.orderId, placedAt: r._min.placedAt, createdAt: r._min.createdAt! }),
      units: r._sum.units ?? 0,
    })),
    arrival.available,
  );
}

/** A wait at one level as the line needs it: whose, when placed, how many units. */
export interface WaitInLine extends PlaceInLine {
  units: number;
}

/**
 * The waiting orders at one level that `available` reaches, first in line first (ordersWaitingFor):
 * the waits summed by order, in line, each reached while what is on the shelf for them exceeds what
 * the orders before it wait for.
 */
export function ordersReached(waits: readonly WaitInLine[], available: number): string[] {
  const byOrder = new Map<string, WaitInLine>();
  for (const w of waits) {
    const known = byOrder.get(w.orderId);
    if (!known) byOrder.set(w.orderId, { ...w });
    else {
      known.units += w.units;
      if (w.placedAt < known.placedAt) known.placedAt = w.placedAt;
    }
  }
  const line = [...byOrder.values()].sort((a, b) =>
    comesBefore(a, b) ? -1 : comesBefore(b, a) ? 1 : 0,
  );
  const onTheShelf = available + line.reduce((n, w) => n + w.units, 0);
  const reached: string[] = [];
  let before = 0;
  for (const wait of line) {
    if (onTheShelf <= before) break;
    if (wait.units > 0) reached.push(wait.orderId);
    before += wait.units;
  }
  return reached;
}

/**
 * The waits at each of these levels, of any shop, in one read (the inbox pass reads those of all its
 * inventory_levels/update deliveries together), by `shop|levelKey`; every level asked is in the map,
 * nothing waiting there an empty list.
 */
export async function waitsAtLevels(
  db: Db,
  levels: readonly (StockLevel & { shop: string })[],
): Promise<Map<string, WaitInLine[]>> {
  const waits = new Map<string, WaitInLine[]>(levels.map((l) => [shopLevelKey(l), []]));
  if (levels.length === 0) return waits;
  const rows = await db.stockWait.findMany({
    where: {
      OR: levels.map((l) => ({
        shop: l.shop,
        inventoryItemId: l.inventoryItemId,
        locationId: l.locationId,
      })),
    },
    select: {
      shop: true,
      inventoryItemId: true,
      locationId: true,
      orderId: true,
      units: true,
      placedAt: true,
      createdAt: true,
    },
  });
  for (const row of rows) waits.get(shopLevelKey(row))?.push({ ...placeOf(row), units: row.units });
  return waits;
}

/** A shop's inventory level as the inbox pass keys what waits there. */
export const shopLevelKey = (level: StockLevel & { shop: string }) =>
  `${level.shop}|${levelKey(level)}`;

/**
 * The other orders waiting behind this one at each of these levels, and their units (ADR 096), in
 * one read of the waits there: their units are committed, so Shopify's `available` has them taken
 * out, and readStock gives them to this order, which comes first. Only levels with someone behind
 * are in the map.
 */
export async function ordersWaitingBehind(
  db: Db,
  shop: string,
  order: PlaceInLine,
  levels: readonly StockLevel[],
): Promise<Map<string, { units: number; orders: number }>> {
  const behind = new Map<string, { units: number; orders: Set<string> }>();
  if (levels.length === 0) return new Map();
  const rows = await db.stockWait.findMany({
    where: {
      shop,
      orderId: { not: order.orderId },
      OR: levels.map((l) => ({ inventoryItemId: l.inventoryItemId, locationId: l.locationId })),
    },
    select: {
      orderId: true,
      inventoryItemId: true,
      locationId: true,
      units: true,
      placedAt: true,
      createdAt: true,
    },
  });
  for (const row of rows) {
    if (!comesBefore(order, placeOf(row))) continue;
    const key = levelKey(row);
    const waiting = behind.get(key) ?? { units: 0, orders: new Set<string>() };
    waiting.units += row.units;
    waiting.orders.add(row.orderId);
    behind.set(key, waiting);
  }
  return new Map([...behind].map(([key, b]) => [key, { units: b.units, orders: b.orders.size }]));
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

/**
 * Writes what of the order waits for stock now, in place of what waited before. Answers whether
 * the order waited and waits no more: the shop's last wait may have gone with it (ADR 103).
 */
export async function recordStockWaits(
  db: Db,
  shop: string,
  snapshot: OrderSnapshot,
  itemsOfLines: ReadonlyMap<string, string>,
): Promise<{ waitEnded: boolean }> {
  const orderId = snapshot.order.id;
  const waits = stockWaitsOf(snapshot, itemsOfLines);
  const [cleared] = await db.$transaction([
    db.stockWait.deleteMany({ where: { shop, orderId } }),
    ...(waits.length > 0
      ? [
          db.stockWait.createMany({
            data: waits.map((w) => ({
              ...w,
              shop,
              orderId,
              placedAt: new Date(snapshot.order.createdAt),
            })),
          }),
        ]
      : []),
  ]);
  return { waitEnded: cleared.count > 0 && waits.length === 0 };
}

/**
 * A fulfillment_holds/released of the rules' stock hold: whoever released it (staff in admin, to
 * ship by hand or move the part; the app itself, shipping what arrived), that fulfillment order
 * waits for stock no more, and a row left for it would keep counting in the line (ADR 096): the
 * order before it handed a unit committed to this one, the trace counting it behind (ADR 103).
 * Only rows written before the release go: the app's own release is followed by its decision's
 * rows, which say what still waits. Answers how many rows went; any other hold costs nothing.
 */
export async function stockWaitReleased(
  db: Db,
  shop: string,
  payload: Record<string, unknown>,
  triggeredAt: Date | null,
): Promise<number> {
  const hold = payload.fulfillment_hold as { handle?: unknown } | undefined;
  const fo = payload.fulfillment_order as { id?: unknown } | undefined;
  if (typeof hold?.handle !== "string" || typeof fo?.id !== "string") return 0;
  if (plannedHoldPurpose({ handle: hold.handle, heldByRequestingApp: true }) !== "stock") return 0;
  const { count } = await db.stockWait.deleteMany({
    where: {
      shop,
      fulfillmentOrderId: fo.id,
      ...(triggeredAt ? { createdAt: { lt: triggeredAt } } : {}),
    },
  });
  return count;
}
