// Read-once views of a snapshot with values normalised for comparison, so evaluating many rules stays cheap.
import type { PaymentState } from "./rules";
import {
  compareGids,
  type FulfillmentOrder,
  type FulfillmentOrderLineItem,
  type LineItem,
  type Location,
  type OrderSnapshot,
  type RiskLevel,
} from "./snapshot";

/** Merchants type "print" for "Print": text compares trimmed and case-insensitively. */
export function norm(text: string): string {
  return text.trim().toLowerCase();
}

/** Codes (countries, provinces, risk levels) compare upper-case. */
export function normCode(text: string): string {
  return text.trim().toUpperCase();
}

export interface LineView {
  foLine: FulfillmentOrderLineItem;
  item: LineItem;
  /** Units this fulfillment order still has to ship (or shipped, once it is finished). */
  quantity: number;
  productType: string;
  vendor: string | null;
  sku: string | null;
  tags: ReadonlySet<string>;
  /** Option name → value, both normalised, without Shopify's "Title: Default Title". */
  options: ReadonlyMap<string, string>;
  /** The same options as [name, value] pairs in the line's order, as capability profiles read them. */
  optionList: readonly (readonly [name: string, value: string])[];
}

export interface FulfillmentOrderView {
  fo: FulfillmentOrder;
  /** Sorted by fulfillment order line id, so "the first matching line" never depends on input order. */
  lines: LineView[];
  /** CLOSED or CANCELLED: nothing left to route, but still counted for order-level actions. */
  finished: boolean;
  location: Location | null;
  /** The location's display name: from the shop's locations, else from the fulfillment order. */
  locationName: string;
}

export interface OrderView {
  snapshot: OrderSnapshot;
  orderTags: ReadonlySet<string>;
  customerTags: ReadonlySet<string>;
  total: number;
  /** The total's currency, normalised. */
  currency: string;
  country: string | null;
  province: string | null;
  shippingMethods: string[];
  risk: RiskLevel;
  payment: PaymentState | null;
  /** The sales channel's name and Shopify's sourceName, normalised; either may be matched. */
  channels: string[];
  locationsById: ReadonlyMap<string, Location>;
  lineItemsById: ReadonlyMap<string, LineItem>;
  /** Fulfillment orders sorted by id. */
  fulfillmentOrders: FulfillmentOrderView[];
  /** Fulfillment order lines that name a line item the snapshot does not have. */
  unknownLines: { fulfillmentOrderId: string; lineItemId: string }[];
}

export function isDefaultTitleOption(option: { name: string; value: string }): boolean {
  return norm(option.name) === "title" && norm(option.value) === "default title";
}

/**
 * A line as the conditions read it. Its product tags and its options by name become a set and a
 * map only when something asks for them (a product tag or option condition, or the rule index):
 * most rule sets never do, and the planner makes a view of every line of every order.
 */
class LineViewOf implements LineView {
  readonly quantity: number;
  readonly productType: string;
  readonly vendor: string | null;
  readonly sku: string | null;
  readonly optionList: readonly (readonly [string, string])[];
  private productTags: ReadonlySet<string> | null = null;
  private optionsByName: ReadonlyMap<string, string> | null = null;

  constructor(
    readonly foLine: FulfillmentOrderLineItem,
    readonly item: LineItem,
    finished: boolean,
  ) {
    const optionList: (readonly [string, string])[] = [];
    for (const option of item.variantOptions) {
      const name = norm(option.name);
      const value = norm(option.value);
      // isDefaultTitleOption, on the values normalised once.
      if (name === "title" && value === "default title") continue;
      optionList.push([name, value]);
    }
    this.quantity = finished ? foLine.totalQuantity : foLine.remainingQuantity;
    this.productType = norm(item.productType);
    this.vendor = item.vendor === null ? null : norm(item.vendor);
    this.sku = item.sku === null ? null : norm(item.sku);
    this.optionList = optionList;
  }

  get tags(): ReadonlySet<string> {
    return (this.productTags ??= new Set(this.item.productTags.map(norm)));
  }

  /** A later option of the same name wins, as it did when the map was filled in order. */
  get options(): ReadonlyMap<string, string> {
    return (this.optionsByName ??= new Map(this.optionList));
  }
}

function lineView(foLine: FulfillmentOrderLineItem, item: LineItem, finished: boolean): LineView {
  return new LineViewOf(foLine, item, finished);
}

export function isFinished(fo: FulfillmentOrder): boolean {
  return fo.status === "CLOSED" || fo.status === "CANCELLED";
}

function compareIds(a: { id: string }, b: { id: string }): number {
  return compareGids(a.id, b.id);
}

/**
 * The items sorted by id: the array itself when it already is (Shopify lists fulfillment orders
 * and their lines in id order), else a sorted copy. Checking costs one comparison an item; the
 * copy and the sort were a sixth of making the order's view.
 */
function byId<T extends { id: string }>(items: readonly T[]): readonly T[] {
  for (let i = 1; i < items.length; i++) {
    if (compareIds(items[i - 1]!, items[i]!) > 0) return [...items].sort(compareIds);
  }
  return items;
}

export function buildOrderView(snapshot: OrderSnapshot): OrderView {
  const { order } = snapshot;
  const lineItemsById = new Map(snapshot.lineItems.map((item) => [item.id, item]));
  const locationsById = new Map(snapshot.locations.map((location) => [location.id, location]));
  const unknownLines: OrderView["unknownLines"] = [];
  const fulfillmentOrders = byId(snapshot.fulfillmentOrders).map((fo): FulfillmentOrderView => {
    const finished = isFinished(fo);
    const lines: LineView[] = [];
    for (const foLine of byId(fo.lineItems)) {
      const item = lineItemsById.get(foLine.lineItemId);
      if (!item) {
        unknownLines.push({ fulfillmentOrderId: fo.id, lineItemId: foLine.lineItemId });
        continue;
      }
      const view = lineView(foLine, item, finished);
      if (view.quantity > 0) lines.push(view);
    }
    const location = locationsById.get(fo.assignedLocation.locationId) ?? null;
    return {
      fo,
      lines,
      finished,
      location,
      locationName: location?.name ?? fo.assignedLocation.name,
    };
  });
  const channels: string[] = [];
  if (order.salesChannel) channels.push(norm(order.salesChannel));
  if (order.sourceName) channels.push(norm(order.sourceName));
  return {
    snapshot,
    orderTags: new Set(order.tags.map(norm)),
    customerTags: new Set((order.customer?.tags ?? []).map(norm)),
    total: order.totalPrice ? Number.parseFloat(order.totalPrice.amount) : Number.NaN,
    currency: order.totalPrice ? normCode(order.totalPrice.currencyCode) : "",
    country: order.shippingAddress ? normCode(order.shippingAddress.countryCode) : null,
    province: order.shippingAddress?.provinceCode
      ? normCode(order.shippingAddress.provinceCode)
      : null,
    shippingMethods: order.shippingLines.map((line) => norm(line.title)),
    risk: order.riskLevel,
    payment: order.displayFinancialStatus
      ? (order.displayFinancialStatus.toLowerCase() as PaymentState)
      : null,
    channels,
    locationsById,
    lineItemsById,
    fulfillmentOrders,
    unknownLines,
  };
}
