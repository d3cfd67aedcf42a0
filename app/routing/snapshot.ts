// What one Admin API read tells the engine about an order: the only view of Shopify it plans from.

/** A Shopify global id, e.g. `gid://shopify/Order/1001`. */
export type Gid = string;

export interface Money {
  /** Decimal string as Shopify sends it, e.g. "49.00". */
  amount: string;
  currencyCode: string;
}

export const FINANCIAL_STATUSES = [
  "AUTHORIZED",
  "EXPIRED",
  "PAID",
  "PARTIALLY_PAID",
  "PARTIALLY_REFUNDED",
  "PENDING",
  "REFUNDED",
  "VOIDED",
] as const;
/** Shopify's OrderDisplayFinancialStatus. */
export type FinancialStatus = (typeof FINANCIAL_STATUSES)[number];

export const RISK_LEVELS = ["NONE", "LOW", "MEDIUM", "HIGH"] as const;
/** The order's risk assessment; NONE when no provider assessed it. Ordered from low to high. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const FULFILLMENT_ORDER_STATUSES = [
  "OPEN",
  "IN_PROGRESS",
  "ON_HOLD",
  "SCHEDULED",
  "INCOMPLETE",
  "CLOSED",
  "CANCELLED",
] as const;
export type FulfillmentOrderStatus = (typeof FULFILLMENT_ORDER_STATUSES)[number];

export const FULFILLMENT_ORDER_REQUEST_STATUSES = [
  "UNSUBMITTED",
  "SUBMITTED",
  "ACCEPTED",
  "REJECTED",
  "CANCELLATION_REQUESTED",
  "CANCELLATION_ACCEPTED",
  "CANCELLATION_REJECTED",
  "CLOSED",
] as const;
export type FulfillmentOrderRequestStatus = (typeof FULFILLMENT_ORDER_REQUEST_STATUSES)[number];

export const FULFILLMENT_HOLD_REASONS = [
  "AWAITING_PAYMENT",
  "AWAITING_RETURN_ITEMS",
  "HIGH_RISK_OF_FRAUD",
  "INCORRECT_ADDRESS",
  "INVENTORY_OUT_OF_STOCK",
  "ONLINE_STORE_POST_PURCHASE_CROSS_SELL",
  "OTHER",
  "UNKNOWN_DELIVERY_DATE",
] as const;
/** Shopify's FulfillmentHoldReason. */
export type FulfillmentHoldReason = (typeof FULFILLMENT_HOLD_REASONS)[number];

/**
 * Shopify's FulfillmentOrderAction values as they appear in `supportedActions`. Kept as plain
 * strings in the snapshot because Shopify adds actions over time; these are the ones we read.
 */
export const FULFILLMENT_ORDER_ACTIONS = {
  createFulfillment: "CREATE_FULFILLMENT",
  requestFulfillment: "REQUEST_FULFILLMENT",
  hold: "HOLD",
  releaseHold: "RELEASE_HOLD",
  move: "MOVE",
  split: "SPLIT",
  merge: "MERGE",
} as const;

export interface CapturableTransaction {
  /** The authorization transaction: orderCapture's parentTransactionId. */
  id: Gid;
  /**
   * What is still capturable on it (Shopify's capturable amount, not the original amount), in the
   * customer's (presentment) currency: orderCapture's amount and currency are in it (ADR 078).
   */
  amount: Money;
  authorizationExpiresAt: string | null;
  /** When it was authorized and by which gateway: the estimate where Shopify gives no expiry. */
  authorizedAt?: string | null;
  gateway?: string | null;
}

export interface Order {
  id: Gid;
  /** "#1001" */
  name: string;
  /** ISO 8601; the anchor for hold release delays. */
  createdAt: string;
  tags: string[];
  note: string | null;
  /** Null when the router's read did not ask for it: no rule in force looks at the total. */
  totalPrice: Money | null;
  /**
   * What the customer paid and was not given back (netPaymentSet: "the total amount received
   * minus the total amount refunded"), in their (presentment) currency; null when not read.
   */
  netPayment?: Money | null;
  displayFinancialStatus: FinancialStatus | null;
  capturable: boolean;
  /** Authorizations with something left to capture; empty when the order is paid. */
  capturableTransactions: CapturableTransaction[];
  riskLevel: RiskLevel;
  /** Shopify's sourceName: "web", "pos", "shopify_draft_order", an app's id... */
  sourceName: string | null;
  /** The sales channel's display name, e.g. "Online Store", when known. */
  salesChannel: string | null;
  /** Null also when the router's read did not ask for it (no rule in force looks at it). */
  shippingAddress: { countryCode: string; provinceCode: string | null } | null;
  /** Empty also when the router's read did not ask for them (no rule in force looks at them). */
  shippingLines: { title: string }[];
  customer: { id: Gid; tags: string[] } | null;
  closed: boolean;
  cancelledAt: string | null;
  /**
   * Fulfillments made so far with Shopify's displayStatus ("FULFILLED", "DELIVERED"...). Only
   * "archive once delivered" needs it; absent means none are known.
   */
  fulfillments?: { id: Gid; displayStatus: string | null }[];
}

export interface LineItem {
  id: Gid;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  unfulfilledQuantity: number;
  /** "" when the product has no type, as Shopify sends it. */
  productType: string;
  vendor: string | null;
  productTags: string[];
  /** The variant's selected options; Shopify's lone "Title: Default Title" means no options. */
  variantOptions: { name: string; value: string }[];
  requiresShipping: boolean;
  isGiftCard: boolean;
  /** Line item properties, e.g. the customer's crop. */
  customAttributes: { key: string; value: string | null }[];
}

export interface FulfillmentHold {
  id: Gid;
  reason: FulfillmentHoldReason;
  reasonNotes: string | null;
  /** The handle an app gave the hold; ours start with "fr-". */
  handle: string | null;
  /** Shopify's heldByRequestingApp; when absent the handle alone says whose hold it is. */
  heldByRequestingApp?: boolean;
}

export interface FulfillmentOrderLineItem {
  /** The fulfillment order line item's own id (what split, move and fulfil take). */
  id: Gid;
  lineItemId: Gid;
  remainingQuantity: number;
  totalQuantity: number;
  /**
   * How many of the remaining units the assigned location can ship now. Absent or null when
   * the loader does not know (inventory not tracked): such a line counts as in stock.
   */
  inStockQuantity?: number | null;
  /**
   * True when the stock was asked for and is not known: Shopify holds none for the item at the
   * assigned location (not stocked there, as at a fulfilment service that keeps its own), or the
   * shop refused the read. The line counts as in stock, and a split by stock says so in the trace
   * rather than pass it by in silence.
   */
  stockUnknown?: boolean;
}

export interface FulfillmentOrder {
  id: Gid;
  status: FulfillmentOrderStatus;
  requestStatus: FulfillmentOrderRequestStatus;
  assignedLocation: { locationId: Gid; name: string };
  /** The fulfilment service that owns the location; null when the merchant fulfils it. */
  fulfillmentService: { handle: string; name: string } | null;
  supportedActions: string[];
  holds: FulfillmentHold[];
  lineItems: FulfillmentOrderLineItem[];
}

/** A place a fulfillment order can be assigned to. */
export interface Location {
  id: Gid;
  name: string;
  /** Set when a fulfilment service (lab, print partner, 3PL) owns the location. */
  fulfillmentServiceHandle: string | null;
}

export interface OrderSnapshot {
  order: Order;
  lineItems: LineItem[];
  fulfillmentOrders: FulfillmentOrder[];
  /** The shop's locations, read with the order: targets for moves and capability routing. */
  locations: Location[];
}

/** The numeric tail of a gid ("gid://shopify/Order/1001" → "1001"), for short keys and labels. */
export function gidTail(gid: string): string {
  const slash = gid.lastIndexOf("/");
  const tail = slash >= 0 ? gid.slice(slash + 1) : gid;
  const query = tail.indexOf("?");
  return query >= 0 ? tail.slice(0, query) : tail;
}

/** Where a gid's tail starts and ends (after the last "/", before any "?"), as gidTail cuts it. */
function tailStart(gid: string): number {
  return gid.lastIndexOf("/") + 1;
}

function tailEnd(gid: string, start: number): number {
  const query = gid.indexOf("?", start);
  return query >= 0 ? query : gid.length;
}

function allDigits(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * Orders gids by their numeric tail when both have one, so "…/9" sorts before "…/10". Compared
 * in place, without cutting the tails out: every plan sorts fulfillment orders, lines and steps.
 */
export function compareGids(a: string, b: string): number {
  if (a === b) return 0;
  const startA = tailStart(a);
  const endA = tailEnd(a, startA);
  const startB = tailStart(b);
  const endB = tailEnd(b, startB);
  if (allDigits(a, startA, endA) && allDigits(b, startB, endB)) {
    const lengthA = endA - startA;
    const lengthB = endB - startB;
    if (lengthA !== lengthB) return lengthA - lengthB;
    for (let i = 0; i < lengthA; i++) {
      const ca = a.charCodeAt(startA + i);
      const cb = b.charCodeAt(startB + i);
      if (ca !== cb) return ca < cb ? -1 : 1;
    }
  }
  return a < b ? -1 : 1;
}
