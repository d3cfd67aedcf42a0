// The in-memory shape of a simulated Shopify shop: plain records that the operations, the GraphQL views and the webhook payloads read.

export type Plan = "standard" | "advanced" | "plus" | "enterprise";
export const PLANS: readonly Plan[] = ["standard", "advanced", "plus", "enterprise"];

/**
 * Amounts are kept in their currency's minor units so sums never drift; formatted only at the
 * edges. "Cents" for short: fils for a dinar (3 decimals), whole yen for the yen (0 decimals).
 */
export type Cents = number;

export interface Address {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  country?: string | null;
  countryCode?: string | null;
  zip?: string | null;
  phone?: string | null;
}

export interface FulfillmentServiceInfo {
  id: number;
  handle: string;
  serviceName: string;
  /** The app that registered the service: only it may answer requests or fulfil (API 2024-10 rule). */
  ownerAppId: string;
  callbackUrl: string | null;
  /**
   * False for a service that takes no fulfillment requests (one that never opted in to fulfillment
   * orders, which Shopify's FulfillmentService.fulfillmentOrdersOptIn still reports, or whose app
   * is gone): its fulfillment orders offer no REQUEST_FULFILLMENT. Absent: it takes them.
   */
  takesRequests?: boolean;
  inventoryManagement: boolean;
  trackingSupport: boolean;
}

export interface Location {
  id: number;
  name: string;
  address: Address;
  isActive: boolean;
  createdAt: string;
  fulfillmentService: FulfillmentServiceInfo | null;
}

export interface ProductOption {
  id: number;
  name: string;
  values: string[];
}

export interface Product {
  id: number;
  title: string;
  handle: string;
  productType: string;
  vendor: string;
  tags: string[];
  options: ProductOption[];
  isGiftCard: boolean;
  createdAt: string;
  updatedAt: string;
  variantIds: number[];
}

export interface Variant {
  id: number;
  productId: number;
  title: string;
  sku: string;
  price: Cents;
  selectedOptions: { name: string; value: string }[];
  requiresShipping: boolean;
  inventoryItemId: number;
  /** Untracked items (digital downloads, gift cards) never run out. */
  tracked: boolean;
  inventoryPolicy: "DENY" | "CONTINUE";
  grams: number;
  position: number;
  taxable: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface InventoryLevel {
  inventoryItemId: number;
  locationId: number;
  available: number;
  committed: number;
  updatedAt: string;
}

export interface Customer {
  id: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  defaultAddress: Address | null;
}

export interface LineItem {
  id: number;
  variantId: number | null;
  productId: number | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  vendor: string | null;
  productType: string | null;
  quantity: number;
  /** Quantity after removals (order cancel): Shopify's currentQuantity. */
  currentQuantity: number;
  price: Cents;
  requiresShipping: boolean;
  isGiftCard: boolean;
  taxable: boolean;
  grams: number;
  /** Line item properties (Shopify's customAttributes on a line), e.g. the customer's crop. */
  properties: { name: string; value: string }[];
  /**
   * Taxes charged at checkout on the ordered quantity (LineItem.taxLines: "including taxes charged
   * for refunded and removed quantities"), in the order's (customer's) currency. Absent: none.
   */
  taxLines?: { title: string; rate: number; price: Cents }[];
}

export interface ShippingLine {
  id: number;
  title: string;
  code: string;
  price: Cents;
  source: string;
}

export type TransactionKind = "AUTHORIZATION" | "CAPTURE" | "SALE" | "VOID" | "REFUND";

export interface Transaction {
  id: number;
  kind: TransactionKind;
  status: "SUCCESS" | "FAILURE" | "PENDING";
  amount: Cents;
  gateway: string;
  createdAt: string;
  processedAt: string;
  authorizationExpiresAt: string | null;
  parentId: number | null;
  test: boolean;
}

export type RiskLevel = "LOW" | "MEDIUM" | "HIGH";

export type CancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF";

export interface Order {
  id: number;
  shop: string;
  number: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  email: string | null;
  phone: string | null;
  customerId: number | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  lineItems: LineItem[];
  shippingLines: ShippingLine[];
  riskLevel: RiskLevel;
  transactions: Transaction[];
  tags: string[];
  note: string | null;
  customAttributes: { key: string; value: string }[];
  closedAt: string | null;
  cancelledAt: string | null;
  cancelReason: CancelReason | null;
  staffNote: string | null;
  /** The shop's currency (Order.currencyCode). */
  currency: string;
  /**
   * The customer's currency when it is not the shop's (Order.presentmentCurrencyCode): every
   * amount of the order (prices, shipping, transactions) is kept in it, and shop money is it
   * divided by `rate` (customer's units per shop unit, fixed at checkout). Absent: one currency.
   */
  presentment?: { currency: string; rate: number };
  sourceName: string;
  test: boolean;
  poNumber: string | null;
  fulfillmentOrderIds: number[];
  fulfillmentIds: number[];
  /**
   * Order.taxesIncluded: line prices include their taxes (a shop that shows prices with tax).
   * Absent or false: taxes are added to the prices.
   */
  taxesIncluded?: boolean;
  /** refundCreate's refunds, oldest first (absent until the first). */
  refunds?: Refund[];
  /** Order.returnStatus: absent is NO_RETURN; a return opened in admin makes it active. */
  returnStatus?: ReturnStatus;
  /**
   * The company a B2B order was placed for (Order.purchasingEntity is a PurchasingCompany);
   * absent for a customer's own order. Shopify gives no store credit on a B2B order.
   */
  company?: { id: number; name: string };
}

/** Shopify's OrderReturnStatus; REQUESTED and IN_PROGRESS are the returns orderCancel refuses on. */
export type ReturnStatus =
  | "NO_RETURN"
  | "RETURN_REQUESTED"
  | "IN_PROGRESS"
  | "INSPECTION_COMPLETE"
  | "RETURNED"
  | "RETURN_FAILED";

/** Shopify's Refund: the lines it took off the order and the money it gave back. */
export interface Refund {
  id: number;
  createdAt: string;
  note: string | null;
  /** RefundInput.notify: whether Shopify e-mailed the customer about it. */
  notify: boolean;
  lines: {
    lineItemId: number;
    quantity: number;
    restockType: "CANCEL" | "RETURN" | "NO_RESTOCK";
    locationId: number | null;
    /** The line's price times the quantity (RefundLineItem.subtotalSet) and the tax given back with it. */
    subtotal?: Cents;
    tax?: Cents;
  }[];
  /** Shipping given back (RefundInput.shipping). Absent: none. */
  shipping?: Cents;
  transactionIds: number[];
}

export type FulfillmentOrderStatus =
  "OPEN" | "IN_PROGRESS" | "ON_HOLD" | "SCHEDULED" | "INCOMPLETE" | "CLOSED" | "CANCELLED";

export type RequestStatus =
  | "UNSUBMITTED"
  | "SUBMITTED"
  | "ACCEPTED"
  | "REJECTED"
  | "CANCELLATION_REQUESTED"
  | "CANCELLATION_ACCEPTED"
  | "CANCELLATION_REJECTED"
  | "CLOSED";

export type HoldReason =
  | "AWAITING_PAYMENT"
  | "AWAITING_RETURN_ITEMS"
  | "HIGH_RISK_OF_FRAUD"
  | "INCORRECT_ADDRESS"
  | "INVENTORY_OUT_OF_STOCK"
  | "ONLINE_STORE_POST_PURCHASE_CROSS_SELL"
  | "OTHER"
  | "UNKNOWN_DELIVERY_DATE";

export interface FulfillmentOrderLine {
  id: number;
  lineItemId: number;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface FulfillmentHold {
  id: number;
  reason: HoldReason;
  reasonNotes: string | null;
  handle: string;
  /** Which app placed it (holds are limited and told apart per app). */
  appId: string;
  externalId: string | null;
  createdAt: string;
}

export interface MerchantRequest {
  id: number;
  kind: "FULFILLMENT_REQUEST" | "CANCELLATION_REQUEST";
  message: string | null;
  requestOptions: Record<string, unknown>;
  responseData: Record<string, unknown> | null;
  sentAt: string;
}

export interface FulfillmentOrder {
  id: number;
  orderId: number;
  shop: string;
  assignedLocationId: number;
  status: FulfillmentOrderStatus;
  requestStatus: RequestStatus;
  lineItems: FulfillmentOrderLine[];
  holds: FulfillmentHold[];
  merchantRequests: MerchantRequest[];
  createdAt: string;
  updatedAt: string;
  fulfillAt: string | null;
  fulfillBy: string | null;
  deliveryMethodType: "SHIPPING" | "NONE";
  deliveryMethodId: number;
  destinationId: number;
  fulfillmentIds: number[];
  /** Progress manually reported by a merchant-managed location (blocks move, per the move docs). */
  progressReported: boolean;
}

export interface FulfillmentLine {
  id: number;
  lineItemId: number;
  fulfillmentOrderId: number;
  fulfillmentOrderLineItemId: number;
  quantity: number;
}

export interface TrackingInfo {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface Fulfillment {
  id: number;
  orderId: number;
  locationId: number;
  name: string;
  status: "SUCCESS" | "CANCELLED";
  createdAt: string;
  updatedAt: string;
  tracking: TrackingInfo[];
  notifyCustomer: boolean;
  lines: FulfillmentLine[];
  fulfillmentOrderIds: number[];
  createdByAppId: string;
}

export interface DraftLine {
  id: number;
  variantId: number | null;
  productId: number | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  vendor: string | null;
  quantity: number;
  price: Cents;
  requiresShipping: boolean;
  isGiftCard: boolean;
  taxable: boolean;
  custom: boolean;
  customAttributes: { key: string; value: string }[];
  uuid: string;
}

/** An invoice e-mail Shopify sent for a draft order (EmailInput's fields, defaults filled in). */
export interface InvoiceEmail {
  sentAt: string;
  to: string;
  from: string | null;
  bcc: string[];
  subject: string;
  customMessage: string | null;
}

export interface DraftOrder {
  id: number;
  shop: string;
  name: string;
  status: "OPEN" | "INVOICE_SENT" | "COMPLETED";
  lineItems: DraftLine[];
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  shippingAddress: Address | null;
  billingAddress: Address | null;
  customAttributes: { key: string; value: string }[];
  createdAt: string;
  updatedAt: string;
  invoiceSentAt: string | null;
  invoiceUrl: string;
  /**
   * Each invoice e-mail sent (draftOrderInvoiceSend), as the customer receives it: the merchant's
   * EmailInput (to, subject, customMessage…) over the draft's defaults. Shopify keeps no field for
   * it on the draft; the simulator keeps the e-mail so tests can read what the customer was sent.
   */
  invoiceEmails: InvoiceEmail[];
  completedAt: string | null;
  poNumber: string | null;
  /** The order draftOrderComplete made of it. */
  orderId?: number | null;
  /**
   * The customer's currency when it is not the shop's (DraftOrderInput.presentmentCurrencyCode,
   * "The payment currency of the customer for this draft order"): line prices are kept in it, shop
   * money is the estimate at `rate`, and the order it becomes is paid in it.
   */
  presentment?: { currency: string; rate: number };
}

export interface Shop {
  id: number;
  domain: string;
  name: string;
  plan: Plan;
  email: string;
  currency: string;
  ianaTimezone: string;
  createdAt: string;
  installed: boolean;
  products: Map<number, Product>;
  variants: Map<number, Variant>;
  /** Insertion order is the shop's location priority (routing tries them in this order). */
  locations: Map<number, Location>;
  inventory: Map<string, InventoryLevel>;
  customers: Map<number, Customer>;
  orders: Map<number, Order>;
  fulfillmentOrders: Map<number, FulfillmentOrder>;
  fulfillments: Map<number, Fulfillment>;
  draftOrders: Map<number, DraftOrder>;
  nextOrderNumber: number;
  nextDraftNumber: number;
  /**
   * `@idempotent` keys of mutations that went through (`<mutation>:<key>`): the variables sent and
   * what was made, so the same key answers the first result again. Absent until the first.
   */
  idempotencyKeys?: Map<string, { variables: string; orderId: number; resultId: number }>;
  /**
   * Shop-specific webhook subscriptions (webhookSubscriptionCreate), each the calling app's, by
   * id. Absent until the first; the app's toml subscriptions are app-wide and not kept here.
   */
  webhookSubscriptions?: Map<number, ShopWebhookSubscription>;
}

/** A webhook subscription an app made on one shop through the Admin API. */
export interface ShopWebhookSubscription {
  id: number;
  /** The app that made it: only that app sees, deletes or is sent its deliveries. */
  appKey: string;
  /** As the toml names topics ("inventory_levels/update"). */
  topic: string;
  uri: string;
  includeFields?: string[];
  createdAt: string;
  updatedAt: string;
}

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(
  message: string,
  field: string[] | null = null,
  code: string | null = null,
): Result<T> => ({ ok: false, errors: [{ field, message, code }] });

export function inventoryKey(inventoryItemId: number, locationId: number): string {
  return `${inventoryItemId}:${locationId}`;
}

/**
 * How many decimals a currency's amounts have: its ISO 4217 minor units, as Intl knows them (2 for
 * EUR, 3 for KWD, BHD, JOD, OMR and TND, 0 for JPY and KRW). Shopify keeps money in them (its money
 * library rounds every amount to them), so an amount is refused or accepted to the fils, not to the
 * cent. An unknown code has 2.
 */
export function currencyDecimals(currency: string | undefined): number {
  if (!currency) return 2;
  let known = decimalsOf.get(currency);
  if (known === undefined) {
    try {
      known = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits!;
    } catch {
      known = 2;
    }
    decimalsOf.set(currency, known);
  }
  return known;
}
const decimalsOf = new Map<string, number>();

/** An amount in minor units as Shopify writes it: with the currency's decimals (2 when none is named). */
export function money(cents: Cents, currency?: string): string {
  const places = currencyDecimals(currency);
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  if (places === 0) return `${sign}${abs}`;
  const unit = 10 ** places;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(places, "0")}`;
}

/**
 * Parses "12.5", "12.50" or 12.5 into the currency's minor units (cents when none is named),
 * rounded to them as Shopify rounds an amount with more decimals; NaN when it is not a decimal amount.
 */
export function toCents(value: string | number, currency?: string): Cents {
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isFinite(n)) return Number.NaN;
  // Through the decimal string, not n × 10^places: 7.005 × 1000 is 7004.999… in floating point.
  const [whole = "0", fraction = ""] = Math.abs(n).toFixed(8).split(".");
  const places = currencyDecimals(currency);
  const units =
    Number(whole + fraction.slice(0, places)) + (Number(fraction[places] ?? 0) >= 5 ? 1 : 0);
  return n < 0 ? -units : units;
}

/** The currency an order's amounts are kept in: the customer's (presentment), else the shop's. */
export function orderCurrency(order: Pick<Order, "currency" | "presentment">): string {
  return order.presentment?.currency ?? order.currency;
}

/** Minor units of one currency in another at `rate` (units of `to` per unit of `from`). */
export function convertUnits(cents: Cents, from: string, to: string, rate: number): Cents {
  const shift = 10 ** (currencyDecimals(to) - currencyDecimals(from));
  return Math.round(cents * rate * shift);
}
