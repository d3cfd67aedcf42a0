// Reads how many units of each open fulfillment order line its location can ship now, for rules that split by stock: one call per location after the order read.
import type { StockAtLocationQuery, StockAtLocationQueryVariables } from "../types/admin.generated";
import { isAccessDenied } from "./errors";
import type { AdminGateway } from "./gateway.server";
import { STOCK_AT_LOCATION_QUERY } from "./operations";

/**
 * A fulfillment order line's stock at its location: the units it can ship now, null when nothing
 * limits it (inventory not tracked, or a custom item with no inventory item), "unknown" when
 * the stock there is not known (the item is not stocked at that location or is gone, or the shop
 * has not granted read_inventory).
 */
export type LineStock = number | null | "unknown";

/** What the stock read needs of a fulfillment order as the routing read returns it. */
export interface StockedFulfillmentOrder {
  status: string;
  assignedLocation: { location?: { id: string } | null };
  lineItems: {
    nodes: readonly { id: string; remainingQuantity: number; inventoryItemId?: string | null }[];
  };
}

/** An open line that draws on its location's stock. */
interface WantedLine {
  id: string;
  remainingQuantity: number;
}

/** Fulfillment orders nothing more is shipped from: their lines' stock matters to no plan. */
const FINISHED = new Set(["CLOSED", "CANCELLED", "INCOMPLETE"]);

/** Inventory items one call asks for (3 points each, costs.test.ts). */
export const STOCK_ITEMS_PAGE = 50;

interface ItemStock {
  tracked: boolean;
  /** The item's available units there; null when Shopify holds no level there. */
  available: number | null;
  /** The units orders have committed there, this one's too. */
  committed: number;
}

/** An inventory item at a location: one inventory level. */
export interface StockLevel {
  inventoryItemId: string;
  locationId: string;
}

/** The key of an inventory level in the maps the stock read and the waits exchange. */
export const levelKey = (level: StockLevel) => `${level.inventoryItemId}|${level.locationId}`;

/**
 * The units other orders wait for at each of these levels that this order comes before in the
 * line (ADR 096), by levelKey; a level no one waits at behind it is left out.
 */
export type WaitingBehind = (levels: StockLevel[]) => Promise<ReadonlyMap<string, number>>;

/**
 * Each open fulfillment order line's stock, by the fulfillment order line's id. Shopify's
 * `available` already has this order's own units taken out (committed when it was placed), so
 * what a line can ship is `available` plus the units this order still has to ship of the item
 * there, handed to its lines in the order they come: orders placed before it keep their claim.
 * Orders waiting for stock there that come after this one in the line (`behind`, ADR 096) have
 * their units committed too, so `available` is below what is on the shelf for this order by theirs:
 * what arrives goes to the order first in line, not to none. `behind` is asked only for levels
 * this order is short at (`available` below 0), once a read: an order in stock costs no statement.
 */
export async function readStock(
  gateway: AdminGateway,
  fulfillmentOrders: readonly StockedFulfillmentOrder[],
  behind?: WaitingBehind,
): Promise<Map<string, LineStock>> {
  const stock = new Map<string, LineStock>();
  // Location → inventory item → the lines that draw on it there, in the read's order.
  const wanted = new Map<string, Map<string, WantedLine[]>>();
  for (const fo of fulfillmentOrders) {
    const locationId = fo.assignedLocation.location?.id;
    if (FINISHED.has(fo.status) || !locationId) continue;
    for (const line of fo.lineItems.nodes) {
      if (line.remainingQuantity <= 0) continue;
      if (!line.inventoryItemId) {
        stock.set(line.id, null);
        continue;
      }
      const items = wanted.get(locationId) ?? new Map();
      wanted.set(locationId, items);
      const lines = items.get(line.inventoryItemId) ?? [];
      items.set(line.inventoryItemId, lines);
      lines.push(line);
    }
  }
  // Each level whose stock is known, to be handed to its lines once what waits behind is known.
  const levels: { level: StockLevel; available: number; committed: number; lines: WantedLine[] }[] =
    [];
  for (const [locationId, items] of wanted) {
    // Refused for want of read_inventory (a shop that has not approved the scope yet): the stock
    // there is not known, which the plan says, rather than the order not being routed at all. Any
    // other failure (a broken document, a refusal of another kind) fails the read as other reads
    // fail: the route job is tried again and its failure logged, never taken for missing stock.
    const known = await itemsAt(gateway, locationId, [...items.keys()]).catch((error: unknown) => {
      if (isAccessDenied(error)) return new Map<string, ItemStock>();
      throw error;
    });
    for (const [itemId, lines] of items) {
      const item = known.get(itemId);
      if (item && !item.tracked) {
        for (const line of lines) stock.set(line.id, null);
        continue;
      }
      if (!item || item.available === null) {
        for (const line of lines) stock.set(line.id, "unknown");
        continue;
      }
      levels.push({
        level: { inventoryItemId: itemId, locationId },
        available: item.available,
        committed: item.committed,
        lines,
      });
    }
  }
  const short = levels.filter((l) => l.available < 0).map((l) => l.level);
  const waitingBehind =
    behind && short.length > 0 ? await behind(short) : new Map<string, number>();
  for (const { level, available, committed, lines } of levels) {
    const own = lines.reduce((n, line) => n + line.remainingQuantity, 0);
    // A wait whose order no longer holds the units (cancelled, or released by hand, before its
    // rows are written again) is no unit on the shelf: what others wait for counts at most what
    // others have committed there.
    const behindIt = Math.min(
      waitingBehind.get(levelKey(level)) ?? 0,
      Math.max(0, committed - own),
    );
    let left = available + behindIt + own;
    for (const line of lines) {
      const take = Math.max(0, Math.min(line.remainingQuantity, left));
      stock.set(line.id, take);
      left -= take;
    }
  }
  return stock;
}

async function itemsAt(
  gateway: AdminGateway,
  locationId: string,
  ids: readonly string[],
): Promise<Map<string, ItemStock>> {
  const known = new Map<string, ItemStock>();
  for (let start = 0; start < ids.length; start += STOCK_ITEMS_PAGE) {
    const answer = await gateway.request<StockAtLocationQuery, StockAtLocationQueryVariables>(
      STOCK_AT_LOCATION_QUERY,
      { ids: ids.slice(start, start + STOCK_ITEMS_PAGE), locationId },
    );
    for (const node of answer.nodes) {
      if (!node || !("tracked" in node) || !node.id) continue;
      const quantity = (name: string) =>
        node.inventoryLevel?.quantities.find((q) => q.name === name)?.quantity ?? 0;
      known.set(node.id, {
        tracked: node.tracked!,
        available: node.inventoryLevel ? quantity("available") : null,
        committed: quantity("committed"),
      });
    }
  }
  return known;
}
