// Inventory movements caused by orders: committing stock at the assigned location, moving the commitment, fulfilling and restocking.
import type { LineItem, Shop } from "./model.ts";
import { inventoryKey } from "./model.ts";

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
): void {
  const item = trackedItemOf(shop, line);
  if (item === undefined) return;
  const level = shop.inventory.get(inventoryKey(item, locationId));
  if (!level) return;
  level.available -= qty;
  level.committed += qty;
  level.updatedAt = at;
}

/** Undo a commitment: restock puts it back on the shelf, fulfil takes it out of the building. */
export function release(
  shop: Shop,
  line: LineItem,
  locationId: number,
  qty: number,
  mode: "restock" | "fulfil" | "drop",
  at: string,
): void {
  const item = trackedItemOf(shop, line);
  if (item === undefined) return;
  const level = shop.inventory.get(inventoryKey(item, locationId));
  if (!level) return;
  level.committed -= qty;
  if (mode === "restock") level.available += qty;
  level.updatedAt = at;
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
