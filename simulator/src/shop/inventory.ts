// Inventory movements caused by orders: committing stock at the assigned location, moving the commitment, fulfilling and restocking.
import type { InventoryLevel, LineItem, Shop } from "./model.ts";
import { inventoryKey } from "./model.ts";
import type { SimState } from "./state.ts";

/** A level an order's movement changed, and whether its available quantity moved with it. */
export interface LevelChange {
  level: InventoryLevel;
  availableChanged: boolean;
}

/** The inventory item a line draws from, when the variant tracks inventory. */
export function trackedItemOf(shop: Shop, line: LineItem): number | undefined {
  if (line.variantId == null) return undefined;
  const v = shop.variants.get(line.variantId);
  return v && v.tracked ? v.inventoryItemId : undefined;
}

/** Inventory item of a line whether tracked or not (used for "does the location stock it"). */
export function itemOf(shop: Shop, line: LineItem): number | undefined {
  if (line.variantId == null) return undefined;
  return shop.variants.get(line.variantId)?.inventoryItemId;
}

export function commit(
  shop: Shop,
  line: LineItem,
  locationId: number,
  qty: number,
  at: string,
): LevelChange | undefined {
  const item = trackedItemOf(shop, line);
  if (item === undefined) return undefined;
  const level = shop.inventory.get(inventoryKey(item, locationId));
  if (!level || qty === 0) return undefined;
  level.available -= qty;
  level.committed += qty;
  level.updatedAt = at;
  return { level, availableChanged: true };
}

/** Undo a commitment: restock puts it back on the shelf, fulfil takes it out of the building. */
export function release(
  shop: Shop,
  line: LineItem,
  locationId: number,
  qty: number,
  mode: "restock" | "fulfil" | "drop",
  at: string,
): LevelChange | undefined {
  const item = trackedItemOf(shop, line);
  if (item === undefined) return undefined;
  const level = shop.inventory.get(inventoryKey(item, locationId));
  if (!level || qty === 0) return undefined;
  level.committed -= qty;
  if (mode === "restock") level.available += qty;
  level.updatedAt = at;
  return { level, availableChanged: mode === "restock" };
}

/**
 * Tells subscribed apps of the levels one movement changed: one inventory_levels/update per level
 * (an order with two lines of one item at one location changes that level once), built now, so it
 * carries the quantities as they stand. Shopify's topic "occurs whenever an inventory level is
 * updated" (WebhookSubscriptionTopic INVENTORY_LEVELS_UPDATE); whether a change of committed or on
 * hand alone (a fulfilment, a cancel without restock) updates the level in that sense, with
 * `available` unchanged, no source says: `Readings.inventoryLevelUpdate` plays either.
 */
export function announceLevels(
  state: SimState,
  shop: Shop,
  changes: readonly (LevelChange | undefined)[],
): void {
  const levels = new Map<InventoryLevel, boolean>();
  for (const c of changes)
    if (c) levels.set(c.level, (levels.get(c.level) ?? false) || c.availableChanged);
  for (const [level, availableChanged] of levels)
    if (availableChanged || state.readings.inventoryLevelUpdate === "any_quantity")
      state.emit(shop, { topic: "inventory_levels/update", level });
}

export function availableAt(shop: Shop, line: LineItem, locationId: number): number {
  const item = trackedItemOf(shop, line);
  if (item === undefined) return Number.POSITIVE_INFINITY;
  return shop.inventory.get(inventoryKey(item, locationId))?.available ?? 0;
}

export function stocks(shop: Shop, line: LineItem, locationId: number): boolean {
  const item = itemOf(shop, line);
  // Custom items (no variant) can be fulfilled anywhere.
  if (item === undefined) return true;
  return shop.inventory.has(inventoryKey(item, locationId));
}
