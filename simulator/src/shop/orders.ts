// Orders as Shopify keeps them: creation with routing into fulfillment orders, payment and capture, close/open, cancel with refund and restock, tags, notes and draft orders.
import { customerByEmail, addCustomer, stockingLocations, variantBySku } from "./catalog.ts";
import { parseGid } from "./ids.ts";
import { announceLevels, availableAt, commit, release, type LevelChange } from "./inventory.ts";
import type {
  Address,
  CancelReason,
  Cents,
  DraftLine,
  DraftOrder,
  FulfillmentOrder,
  LineItem,
  Order,
  Result,
  RiskLevel,
  Shop,
  Transaction,
  UserError,
} from "./model.ts";
import { convertUnits, fail, ok, orderCurrency, toCents } from "./model.ts";
import type { SimState } from "./state.ts";
import { addedTax, chargeTaxes, currentTotalTax, totalTax, type TaxRate } from "./taxes.ts";

export type FinancialStatus =
  | "PENDING"
  | "AUTHORIZED"
  | "PAID"
  | "PARTIALLY_PAID"
  | "PARTIALLY_REFUNDED"
  | "REFUNDED"
  | "VOIDED"
  | "EXPIRED";

/** How long a card authorization holds before it expires; Shopify shows 7 days for most gateways. */
export const AUTHORIZATION_VALIDITY_MS = 7 * 24 * 3600 * 1000;

export interface NewOrderInput {
  lineItems: {
    sku: string;
    quantity: number;
    properties?: Record<string, string> | { name: string; value: string }[];
  }[];
  payment: "paid" | "authorized" | "pending";
  shippingAddress?: Address | null;
  billingAddress?: Address | null;
  email?: string;
  customer?: { email?: string; firstName?: string; lastName?: string; tags?: string[] };
  tags?: string[];
  note?: string | null;
  riskLevel?: RiskLevel;
  shippingLine?: { title: string; price: string | number; code?: string };
  customAttributes?: { key: string; value: string }[];
  /** A future time makes the fulfillment orders SCHEDULED (pre-orders, subscriptions). */
  fulfillAt?: string;
  /**
   * The customer paid in another currency: prices are the shop's times `rate`; a shipping price
   * given is the customer's.
   */
  presentment?: { currency: string; rate: number };
  /** Taxes charged on every taxable line (none when absent), added to the prices or included. */
  taxLines?: TaxRate[];
  taxesIncluded?: boolean;
}

const DEFAULT_ADDRESS: Address = {
  firstName: "Ada",
  lastName: "Lovelace",
  address1: "Torstraße 1",
  city: "Berlin",
  zip: "10119",
  country: "Germany",
  countryCode: "DE",
  phone: null,
};

function normaliseProperties(
  p: NewOrderInput["lineItems"][number]["properties"],
): { name: string; value: string }[] {
  if (!p) return [];
  if (Array.isArray(p)) return p.map((x) => ({ name: String(x.name), value: String(x.value) }));
  return Object.entries(p).map(([name, value]) => ({ name, value: String(value) }));
}

/** What the order costs the customer now (Order.currentTotalPriceSet): "This includes taxes". */
export function orderTotal(order: Order): Cents {
  const lines = order.lineItems.reduce((s, l) => s + l.price * l.currentQuantity, 0);
  const shipping = order.shippingLines.reduce((s, l) => s + l.price, 0);
  return lines + shipping + addedTax(order, currentTotalTax(order));
}

/** What it cost before returns (Order.totalPriceSet), taxes included. */
export function originalTotal(order: Order): Cents {
  return (
    order.lineItems.reduce((s, l) => s + l.price * l.quantity, 0) +
    order.shippingLines.reduce((s, l) => s + l.price, 0) +
    addedTax(order, totalTax(order))
  );
}

function succeeded(order: Order, kinds: Transaction["kind"][]): Transaction[] {
  return order.transactions.filter((t) => t.status === "SUCCESS" && kinds.includes(t.kind));
}

export function capturedAmount(order: Order): Cents {
  return succeeded(order, ["SALE", "CAPTURE"]).reduce((s, t) => s + t.amount, 0);
}

export function refundedAmount(order: Order): Cents {
  return succeeded(order, ["REFUND"]).reduce((s, t) => s + t.amount, 0);
}

function isVoided(order: Order, auth: Transaction): boolean {
  return order.transactions.some(
    (t) => t.kind === "VOID" && t.status === "SUCCESS" && t.parentId === auth.id,
  );
}

function isExpired(auth: Transaction, now: number): boolean {
  return auth.authorizationExpiresAt !== null && Date.parse(auth.authorizationExpiresAt) <= now;
}

/** What is still capturable on an authorization; non-Plus shops capture once (multi-capture is a Plus feature). */
export function capturableOn(shop: Shop, order: Order, auth: Transaction, now: number): Cents {
  if (auth.kind !== "AUTHORIZATION" || auth.status !== "SUCCESS") return 0;
  if (isVoided(order, auth) || isExpired(auth, now)) return 0;
  const captures = order.transactions.filter(
    (t) => t.kind === "CAPTURE" && t.status === "SUCCESS" && t.parentId === auth.id,
  );
  if (captures.length > 0 && shop.plan !== "plus" && shop.plan !== "enterprise") return 0;
  return Math.max(0, auth.amount - captures.reduce((s, t) => s + t.amount, 0));
}

export function totalCapturable(shop: Shop, order: Order, now: number): Cents {
  if (order.cancelledAt) return 0;
  return order.transactions.reduce((s, t) => s + capturableOn(shop, order, t, now), 0);
}

export function financialStatus(shop: Shop, order: Order, now: number): FinancialStatus {
  const captured = capturedAmount(order);
  const refunded = refundedAmount(order);
  if (refunded > 0) return refunded >= captured ? "REFUNDED" : "PARTIALLY_REFUNDED";
  const total = orderTotal(order);
  if (captured > 0 && captured >= total) return "PAID";
  if (captured > 0) return "PARTIALLY_PAID";
  const auths = order.transactions.filter(
    (t) => t.kind === "AUTHORIZATION" && t.status === "SUCCESS",
  );
  if (auths.some((a) => capturableOn(shop, order, a, now) > 0)) return "AUTHORIZED";
  if (auths.some((a) => isVoided(order, a))) return "VOIDED";
  if (auths.some((a) => isExpired(a, now))) return "EXPIRED";
  return total === 0 ? "PAID" : "PENDING";
}

export function fulfilledQuantity(shop: Shop, lineItemId: number): number {
  let n = 0;
  for (const f of shop.fulfillments.values()) {
    if (f.status !== "SUCCESS") continue;
    for (const l of f.lines) if (l.lineItemId === lineItemId) n += l.quantity;
  }
  return n;
}

export function orderFulfillmentOrders(shop: Shop, order: Order): FulfillmentOrder[] {
  return order.fulfillmentOrderIds
    .map((id) => shop.fulfillmentOrders.get(id))
    .filter((x): x is FulfillmentOrder => !!x);
}

/** Order.displayFulfillmentStatus, from the fulfillment orders as the admin shows it. */
export function displayFulfillmentStatus(shop: Shop, order: Order): string {
  const total = order.lineItems.reduce((s, l) => s + l.currentQuantity, 0);
  const fulfilled = order.lineItems.reduce(
    (s, l) => s + Math.min(l.currentQuantity, fulfilledQuantity(shop, l.id)),
    0,
  );
  if (total > 0 && fulfilled >= total) return "FULFILLED";
  if (fulfilled > 0) return "PARTIALLY_FULFILLED";
  const fos = orderFulfillmentOrders(shop, order).filter(
    (f) => f.status !== "CLOSED" && f.status !== "CANCELLED",
  );
  if (fos.length > 0 && fos.every((f) => f.status === "ON_HOLD")) return "ON_HOLD";
  if (fos.length > 0 && fos.every((f) => f.status === "SCHEDULED")) return "SCHEDULED";
  if (fos.some((f) => f.status === "IN_PROGRESS")) return "IN_PROGRESS";
  if (fos.some((f) => f.requestStatus === "REJECTED")) return "REQUEST_DECLINED";
  if (fos.some((f) => f.requestStatus === "SUBMITTED")) return "PENDING_FULFILLMENT";
  return "UNFULFILLED";
}

/** REST-style fulfillment_status of orders/* payloads: null, "partial" or "fulfilled". */
export function restFulfillmentStatus(shop: Shop, order: Order): string | null {
  const s = displayFulfillmentStatus(shop, order);
  if (s === "FULFILLED") return "fulfilled";
  if (s === "PARTIALLY_FULFILLED") return "partial";
  return null;
}

function touch(state: SimState, order: Order): void {
  order.updatedAt = state.iso();
}

function transaction(
  state: SimState,
  t: Omit<Transaction, "id" | "createdAt" | "processedAt" | "test">,
): Transaction {
  const now = state.iso();
  return { ...t, id: state.nextId(), createdAt: now, processedAt: now, test: true };
}

export function newFulfillmentOrder(
  state: SimState,
  shop: Shop,
  order: Order,
  locationId: number,
  lines: { lineItemId: number; quantity: number }[],
  init: Partial<Pick<FulfillmentOrder, "status" | "requestStatus" | "fulfillAt">> = {},
): FulfillmentOrder {
  const now = state.iso();
  const requiresShipping = lines.some(
    (l) => order.lineItems.find((li) => li.id === l.lineItemId)?.requiresShipping,
  );
  const fo: FulfillmentOrder = {
    id: state.nextId(),
    orderId: order.id,
    shop: shop.domain,
    assignedLocationId: locationId,
    status: init.status ?? "OPEN",
    requestStatus: init.requestStatus ?? "UNSUBMITTED",
    lineItems: lines.map((l) => ({
      id: state.nextId(),
      lineItemId: l.lineItemId,
      totalQuantity: l.quantity,
      remainingQuantity: l.quantity,
    })),
    holds: [],
    merchantRequests: [],
    createdAt: now,
    updatedAt: now,
    fulfillAt: init.fulfillAt ?? order.createdAt,
    fulfillBy: null,
    deliveryMethodType: requiresShipping ? "SHIPPING" : "NONE",
    deliveryMethodId: state.nextId(),
    destinationId: state.nextId(),
    fulfillmentIds: [],
    progressReported: false,
  };
  shop.fulfillmentOrders.set(fo.id, fo);
  order.fulfillmentOrderIds.push(fo.id);
  if (fo.status === "SCHEDULED") openWhenDue(state, shop, fo);
  return fo;
}

/**
 * Creates an order the way a checkout does: line items from SKUs, payment transactions, then
 * Shopify's order routing (each line to the first location, in priority order, that stocks it and
 * has it available; else the first that stocks it) and one fulfillment order per assigned location.
 */
export function createOrder(state: SimState, shop: Shop, input: NewOrderInput): Result<Order> {
  if (!input.lineItems?.length) return fail("An order needs at least one line item", ["lineItems"]);
  const errors: UserError[] = [];
  const resolved = input.lineItems.map((li, i) => {
    const variant = variantBySku(shop, li.sku);
    if (!variant)
      errors.push({
        field: ["lineItems", String(i), "sku"],
        message: `No variant with SKU ${li.sku}`,
      });
    if (!Number.isInteger(li.quantity) || li.quantity < 1)
      errors.push({
        field: ["lineItems", String(i), "quantity"],
        message: "Quantity must be greater than 0",
      });
    return { li, variant };
  });
  if (errors.length) return { ok: false, errors };

  const lineItems: LineItem[] = resolved.map(({ li, variant }) => {
    const v = variant!;
    const product = shop.products.get(v.productId)!;
    return {
      id: state.nextId(),
      variantId: v.id,
      productId: product.id,
      sku: v.sku,
      title: product.title,
      variantTitle: v.title === "Default Title" ? null : v.title,
      vendor: product.vendor,
      productType: product.productType,
      quantity: li.quantity,
      currentQuantity: li.quantity,
      price: input.presentment
        ? convertUnits(v.price, shop.currency, input.presentment.currency, input.presentment.rate)
        : v.price,
      requiresShipping: v.requiresShipping,
      isGiftCard: product.isGiftCard,
      taxable: v.taxable,
      grams: v.grams,
      properties: normaliseProperties(li.properties),
    };
  });
  for (const line of lineItems) {
    const taxes = chargeTaxes(line, input.taxLines ?? [], input.taxesIncluded === true);
    if (taxes.length > 0) line.taxLines = taxes;
  }

  return placeOrder(state, shop, lineItems, input);
}

/**
 * Places an order from its line items (checkout, or a completed draft order): routing into
 * fulfillment orders, stock committed, payment, webhooks. Lines without a variant (custom items)
 * go to the first active location the merchant manages; they commit no stock.
 */
function placeOrder(
  state: SimState,
  shop: Shop,
  lineItems: LineItem[],
  input: Omit<NewOrderInput, "lineItems" | "shippingLine"> & {
    /** null: no shipping line (a draft order without one). */
    shippingLine?: NewOrderInput["shippingLine"] | null;
    sourceName?: string;
  },
): Result<Order> {
  const now = state.iso();
  // Routing first, so an order that cannot be stocked is refused before anything is written.
  const assignment = new Map<number, number>();
  for (const line of lineItems) {
    if (line.variantId == null) {
      const own = [...shop.locations.values()].find((l) => l.isActive && !l.fulfillmentService);
      if (!own) return fail("The shop has no active location for custom items", ["lineItems"]);
      assignment.set(line.id, own.id);
      continue;
    }
    const v = shop.variants.get(line.variantId)!;
    const candidates = stockingLocations(shop, v.inventoryItemId);
    if (candidates.length === 0) {
      return fail(`${line.title} (${line.sku}) is not stocked at any active location`, [
        "lineItems",
      ]);
    }
    const withStock = candidates.find((l) => availableAt(shop, line, l.id) >= line.quantity);
    if (!withStock && v.tracked && v.inventoryPolicy === "DENY") {
      return fail(`${line.title} (${line.sku}) is out of stock`, ["lineItems"], "NOT_ENOUGH_STOCK");
    }
    assignment.set(line.id, (withStock ?? candidates[0]!).id);
  }

  const email = input.email ?? input.customer?.email ?? "ada@example.com";
  let customer = customerByEmail(shop, email);
  if (!customer) {
    customer = addCustomer(state, shop, {
      email,
      firstName: input.customer?.firstName ?? input.shippingAddress?.firstName ?? "Ada",
      lastName: input.customer?.lastName ?? input.shippingAddress?.lastName ?? "Lovelace",
      tags: input.customer?.tags ?? [],
      address: input.shippingAddress ?? DEFAULT_ADDRESS,
    });
  } else if (input.customer?.tags) {
    customer.tags = [...new Set([...customer.tags, ...input.customer.tags])];
  }

  const needsShipping = lineItems.some((l) => l.requiresShipping);
  const shippingAddress = needsShipping
    ? { ...DEFAULT_ADDRESS, ...(input.shippingAddress ?? {}) }
    : (input.shippingAddress ?? null);
  const order: Order = {
    id: state.nextId(),
    shop: shop.domain,
    number: shop.nextOrderNumber - 1000,
    name: `#${shop.nextOrderNumber}`,
    createdAt: now,
    updatedAt: now,
    processedAt: now,
    email,
    phone: null,
    customerId: customer.id,
    shippingAddress,
    billingAddress: input.billingAddress ?? shippingAddress ?? DEFAULT_ADDRESS,
    lineItems,
    shippingLines:
      needsShipping && input.shippingLine !== null
        ? [
            {
              id: state.nextId(),
              title: input.shippingLine?.title ?? "Standard",
              code: input.shippingLine?.code ?? "STANDARD",
              price: toCents(
                input.shippingLine?.price ?? "4.90",
                input.presentment?.currency ?? shop.currency,
              ),
              source: "shopify",
            },
          ]
        : [],
    riskLevel: input.riskLevel ?? "LOW",
    transactions: [],
    tags: [...(input.tags ?? [])],
    note: input.note ?? null,
    customAttributes: input.customAttributes ?? [],
    closedAt: null,
    cancelledAt: null,
    cancelReason: null,
    staffNote: null,
    currency: shop.currency,
    ...(input.presentment && input.presentment.currency !== shop.currency
      ? { presentment: input.presentment }
      : {}),
    ...(input.taxesIncluded ? { taxesIncluded: true } : {}),
    sourceName: input.sourceName ?? "web",
    test: true,
    poNumber: null,
    fulfillmentOrderIds: [],
    fulfillmentIds: [],
  };
  shop.nextOrderNumber += 1;
  const total = orderTotal(order);
  // Nothing to charge (a remake at no charge): no transaction, and the order counts as paid.
  if (input.payment === "paid" && total > 0) {
    order.transactions.push(
      transaction(state, {
        kind: "SALE",
        status: "SUCCESS",
        amount: total,
        gateway: "bogus",
        authorizationExpiresAt: null,
        parentId: null,
      }),
    );
  } else if (input.payment === "authorized") {
    order.transactions.push(
      transaction(state, {
        kind: "AUTHORIZATION",
        status: "SUCCESS",
        amount: total,
        gateway: "bogus",
        authorizationExpiresAt: state.iso(AUTHORIZATION_VALIDITY_MS),
        parentId: null,
      }),
    );
  }
  shop.orders.set(order.id, order);

  const scheduled = input.fulfillAt && Date.parse(input.fulfillAt) > state.clock.now();
  const byLocation = new Map<number, LineItem[]>();
  for (const line of lineItems) {
    const loc = assignment.get(line.id)!;
    byLocation.set(loc, [...(byLocation.get(loc) ?? []), line]);
  }
  const fos: FulfillmentOrder[] = [];
  const committed: (LevelChange | undefined)[] = [];
  for (const [locationId, lines] of byLocation) {
    fos.push(
      newFulfillmentOrder(
        state,
        shop,
        order,
        locationId,
        lines.map((l) => ({ lineItemId: l.id, quantity: l.quantity })),
        scheduled ? { status: "SCHEDULED", fulfillAt: input.fulfillAt! } : {},
      ),
    );
    for (const l of lines) committed.push(commit(shop, l, locationId, l.quantity, now));
  }

  state.emit(shop, { topic: "orders/create", order });
  if (financialStatus(shop, order, state.clock.now()) === "PAID")
    state.emit(shop, { topic: "orders/paid", order });
  for (const fo of fos)
    state.emit(shop, { topic: "fulfillment_orders/order_routing_complete", fulfillmentOrder: fo });
  // Placing the order committed its units where it was assigned: available went down there.
  announceLevels(state, shop, committed);
  return ok(order);
}

/**
 * A SCHEDULED fulfillment order "is automatically transitioned to open" when fulfillAt is reached
 * (FulfillmentOrder.fulfillAt docs); fulfillment_orders/scheduled_fulfillment_order_ready tells apps.
 */
export function openWhenDue(state: SimState, shop: Shop, fo: FulfillmentOrder): void {
  if (!fo.fulfillAt) return;
  const due = Date.parse(fo.fulfillAt) - state.clock.now();
  state.clock.setTimeout(
    () => {
      // The shop may have been reset, or the order opened, moved or held meanwhile.
      if (state.shop(shop.domain) !== shop || fo.status !== "SCHEDULED") return;
      if (!fo.fulfillAt || Date.parse(fo.fulfillAt) > state.clock.now()) return;
      fo.status = "OPEN";
      fo.updatedAt = state.iso();
      state.emit(shop, {
        topic: "fulfillment_orders/scheduled_fulfillment_order_ready",
        fulfillmentOrder: fo,
      });
    },
    Math.max(0, due),
  );
}

/** Marks a pending order as paid (a manual payment), or captures an open authorization in full. */
export function markAsPaid(state: SimState, shop: Shop, order: Order): Result<Order> {
  if (order.cancelledAt) return fail("Order has been cancelled", ["id"]);
  const now = state.clock.now();
  const status = financialStatus(shop, order, now);
  if (status === "PAID") return fail("Order is already paid", ["id"]);
  const due = orderTotal(order) - capturedAmount(order);
  const auth = order.transactions.find((t) => capturableOn(shop, order, t, now) > 0);
  order.transactions.push(
    auth
      ? transaction(state, {
          kind: "CAPTURE",
          status: "SUCCESS",
          amount: Math.min(due, capturableOn(shop, order, auth, now)),
          gateway: auth.gateway,
          authorizationExpiresAt: null,
          parentId: auth.id,
        })
      : transaction(state, {
          kind: "SALE",
          status: "SUCCESS",
          amount: due,
          gateway: "manual",
          authorizationExpiresAt: null,
          parentId: null,
        }),
  );
  touch(state, order);
  if (financialStatus(shop, order, now) === "PAID")
    state.emit(shop, { topic: "orders/paid", order });
  state.emit(shop, { topic: "orders/updated", order });
  return ok(order);
}

/**
 * A capture's or refund's currency against the order's. OrderCaptureInput.currency and
 * RefundInput.currency: "This must be the presentment currency (the currency used by the
 * customer) and is a required field for orders where the currency and presentment currency
 * differ." Amounts are then the customer's. The wording of the refusals is ours.
 */
export function presentmentCurrencyRefusal(
  order: Order,
  given: string | null | undefined,
  field: string[],
): Result<never> | undefined {
  const presentment = order.presentment?.currency ?? order.currency;
  if (!given && order.presentment)
    return fail(
      `Currency is required for an order in another currency than the shop's (${presentment})`,
      field,
    );
  if (given && given !== presentment)
    return fail(`Currency must match the order's presentment currency (${presentment})`, field);
  return undefined;
}

export function orderCapture(
  state: SimState,
  shop: Shop,
  order: Order,
  input: { parentTransactionId: string; amount: string; currency?: string | null },
): Result<Transaction> {
  const parentId = parseGid(input.parentTransactionId);
  const parent =
    parentId && parentId.type === "OrderTransaction"
      ? order.transactions.find((t) => t.id === parentId.id)
      : undefined;
  if (!parent) return fail("Parent transaction does not exist", ["input", "parentTransactionId"]);
  if (parent.kind !== "AUTHORIZATION")
    return fail("Parent transaction must be an authorization", ["input", "parentTransactionId"]);
  if (order.cancelledAt) return fail("Order has been cancelled", ["input", "id"]);
  const now = state.clock.now();
  // Shopify's own words for it: OrderTransactionErrorCode AUTHORIZATION_EXPIRED, "The
  // authorization has expired." (orderCapture's userErrors carry no code).
  if (isExpired(parent, now))
    return fail("The authorization has expired.", ["input", "parentTransactionId"]);
  const wrongCurrency = presentmentCurrencyRefusal(order, input.currency, ["input", "currency"]);
  if (wrongCurrency) return wrongCurrency;
  const amount = toCents(input.amount, orderCurrency(order));
  if (!Number.isFinite(amount) || amount <= 0)
    return fail("Amount must be greater than 0", ["input", "amount"]);
  const capturable = capturableOn(shop, order, parent, now);
  if (capturable <= 0)
    return fail("Transaction is not capturable", ["input", "parentTransactionId"]);
  if (amount > capturable)
    return fail("Amount exceeds the capturable amount of the authorization", ["input", "amount"]);
  const before = financialStatus(shop, order, now);
  const capture = transaction(state, {
    kind: "CAPTURE",
    status: "SUCCESS",
    amount,
    gateway: parent.gateway,
    authorizationExpiresAt: null,
    parentId: parent.id,
  });
  order.transactions.push(capture);
  touch(state, order);
  if (before !== "PAID" && financialStatus(shop, order, now) === "PAID")
    state.emit(shop, { topic: "orders/paid", order });
  state.emit(shop, { topic: "orders/updated", order });
  return ok(capture);
}

export function orderClose(state: SimState, shop: Shop, order: Order): Result<Order> {
  // Closing an already closed order is a no-op on Shopify, so it is not an error here either.
  if (!order.closedAt) {
    order.closedAt = state.iso();
    touch(state, order);
    state.emit(shop, { topic: "orders/updated", order });
  }
  return ok(order);
}

export function orderOpen(state: SimState, shop: Shop, order: Order): Result<Order> {
  if (order.cancelledAt) return fail("Cancelled orders can't be reopened", ["input", "id"]);
  if (order.closedAt) {
    order.closedAt = null;
    touch(state, order);
    state.emit(shop, { topic: "orders/updated", order });
  }
  return ok(order);
}

export interface CancelInput {
  reason: CancelReason;
  restock: boolean;
  refund?: boolean | null;
  refundMethod?: {
    originalPaymentMethodsRefund?: boolean | null;
    storeCreditRefund?: { expiresAt?: string | null } | null;
  } | null;
  notifyCustomer?: boolean | null;
  staffNote?: string | null;
}

/**
 * orderCancel (2025-07+ arguments): authorizations are voided regardless of `refund`; captured money
 * is refunded when refund or refundMethod.originalPaymentMethodsRefund says so; restock puts the
 * unfulfilled quantities back at the assigned locations; open fulfillment orders are closed.
 */
/**
 * What orderCancel refuses at once, before its job is queued ("An order can only be cancelled if it
 * meets the following criteria", orderCancel's description); the same checks run again when the job runs.
 */
export function orderCancelRefusal(
  shop: Shop,
  order: Order,
  input: CancelInput,
  now: number,
): Result<never> | null {
  if (order.cancelledAt) return fail("Order has already been cancelled", ["orderId"], "INVALID");
  if (input.staffNote && input.staffNote.length > 255)
    return fail("Staff note is too long (maximum is 255 characters)", ["staffNote"], "INVALID");
  if (input.refund != null && input.refundMethod != null)
    return fail("Only one of refund and refundMethod can be given", ["refundMethod"], "INVALID");
  // OrderCancelUserErrorCode STORE_CREDIT_REFUND_MISSING_CUSTOMER: store credit belongs to a customer.
  if (input.refundMethod?.storeCreditRefund && order.customerId === null)
    return fail(
      "Store credit can only be issued to an order with a customer",
      ["refundMethod", "storeCreditRefund"],
      "STORE_CREDIT_REFUND_MISSING_CUSTOMER",
    );
  // OrderCancelUserErrorCode STORE_CREDIT_REFUND_B2B_NOT_SUPPORTED: "A store credit order refund
  // was requested but the order is a B2B order." The message is ours.
  if (input.refundMethod?.storeCreditRefund && order.company)
    return fail(
      "Store credit can't be issued for a B2B order",
      ["refundMethod", "storeCreditRefund"],
      "STORE_CREDIT_REFUND_B2B_NOT_SUPPORTED",
    );
  const expiresAt = input.refundMethod?.storeCreditRefund?.expiresAt;
  if (expiresAt && Date.parse(expiresAt) <= now)
    return fail(
      "Store credit expiry date must be in the future",
      ["refundMethod", "storeCreditRefund", "expiresAt"],
      "STORE_CREDIT_REFUND_EXPIRATION_IN_PAST",
    );
  // "The order has no active returns in progress" (orderCancel's description; the message is ours).
  if (order.returnStatus === "RETURN_REQUESTED" || order.returnStatus === "IN_PROGRESS")
    return fail("The order has an active return in progress", ["orderId"], "INVALID");
  const fos = orderFulfillmentOrders(shop, order);
  // "Paid orders: Cancellation will fail with an error if restocking is enabled, since inventory
  // can't be returned to deactivated locations" (orderCancel's description); an unpaid order is
  // canceled without a restock there. Paid: money taken and not all given back. Code and message ours.
  const paid = ["PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED"].includes(
    financialStatus(shop, order, now),
  );
  const inactive = fos.find(
    (f) =>
      f.status !== "CLOSED" &&
      f.status !== "CANCELLED" &&
      shop.locations.get(f.assignedLocationId)?.isActive === false,
  );
  if (input.restock && paid && inactive)
    return fail(
      `Inventory can't be restocked at ${shop.locations.get(inactive.assignedLocationId)!.name}: the location is not active`,
      ["restock"],
      "INVALID",
    );
  // "The order has no outstanding fulfillments that can't be cancelled": work accepted by a
  // fulfilment service must be taken back with a cancellation request first.
  const busy = fos.find(
    (f) =>
      f.requestStatus === "ACCEPTED" ||
      f.requestStatus === "CANCELLATION_REQUESTED" ||
      f.requestStatus === "CANCELLATION_REJECTED",
  );
  if (busy && busy.status === "IN_PROGRESS")
    return fail(
      "The order has a fulfillment order accepted by a fulfillment service; request cancellation first",
      ["orderId"],
      "INVALID",
    );
  return null;
}

/**
 * orderCancel (2025-07+ arguments): authorizations are voided regardless of `refund`; captured money
 * is refunded to the original payment method, or as store credit to the customer (gateway
 * "shopify_store_credit"), when refundMethod says so; restock puts the unfulfilled quantities back
 * at the location each fulfillment order is assigned to; open fulfillment orders are closed.
 */
export function orderCancel(
  state: SimState,
  shop: Shop,
  order: Order,
  input: CancelInput,
): Result<Order> {
  const refused = orderCancelRefusal(shop, order, input, state.clock.now());
  if (refused) return refused;
  const fos = orderFulfillmentOrders(shop, order);
  const now = state.iso();
  const t = state.clock.now();
  for (const tx of [...order.transactions]) {
    if (capturableOn(shop, order, tx, t) > 0)
      order.transactions.push(
        transaction(state, {
          kind: "VOID",
          status: "SUCCESS",
          amount: tx.amount,
          gateway: tx.gateway,
          authorizationExpiresAt: null,
          parentId: tx.id,
        }),
      );
  }
  const storeCredit = Boolean(input.refundMethod?.storeCreditRefund);
  const refund =
    input.refund === true ||
    input.refundMethod?.originalPaymentMethodsRefund === true ||
    storeCredit;
  const refundable = capturedAmount(order) - refundedAmount(order);
  if (refund && refundable > 0) {
    const source = succeeded(order, ["SALE", "CAPTURE"])[0]!;
    order.transactions.push(
      transaction(state, {
        kind: "REFUND",
        status: "SUCCESS",
        amount: refundable,
        gateway: storeCredit ? "shopify_store_credit" : source.gateway,
        authorizationExpiresAt: null,
        parentId: source.id,
      }),
    );
  }
  const released: (LevelChange | undefined)[] = [];
  for (const fo of fos) {
    if (fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    for (const l of fo.lineItems) {
      if (l.remainingQuantity <= 0) continue;
      const li = order.lineItems.find((x) => x.id === l.lineItemId)!;
      released.push(
        release(
          shop,
          li,
          fo.assignedLocationId,
          l.remainingQuantity,
          input.restock ? "restock" : "drop",
          now,
        ),
      );
      l.remainingQuantity = 0;
    }
    fo.status = "CLOSED";
    fo.updatedAt = now;
  }
  for (const li of order.lineItems)
    li.currentQuantity = Math.min(li.currentQuantity, fulfilledQuantity(shop, li.id));
  order.cancelledAt = now;
  order.cancelReason = input.reason;
  order.staffNote = input.staffNote ?? null;
  touch(state, order);
  state.emit(shop, { topic: "orders/cancelled", order });
  state.emit(shop, { topic: "orders/updated", order });
  // What the order had committed is free again: back on the shelf when restocked.
  announceLevels(state, shop, released);
  return ok(order);
}

/** tagsAdd/tagsRemove accept ["a", "b"] or ["a, b"]: Shopify splits on commas. */
export function splitTags(tags: string[]): string[] {
  return tags
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

type Taggable = { tags: string[]; updatedAt: string };

export function findTaggable(
  shop: Shop,
  id: string,
): { kind: string; target: Taggable; order?: Order; draft?: DraftOrder } | undefined {
  const p = parseGid(id);
  if (!p) return undefined;
  switch (p.type) {
    case "Order": {
      const o = shop.orders.get(p.id);
      return o ? { kind: p.type, target: o, order: o } : undefined;
    }
    case "DraftOrder": {
      const d = shop.draftOrders.get(p.id);
      return d ? { kind: p.type, target: d, draft: d } : undefined;
    }
    case "Customer": {
      const c = shop.customers.get(p.id);
      return c ? { kind: p.type, target: c } : undefined;
    }
    case "Product": {
      const pr = shop.products.get(p.id);
      return pr ? { kind: p.type, target: pr } : undefined;
    }
    default:
      return undefined;
  }
}

export function changeTags(
  state: SimState,
  shop: Shop,
  id: string,
  tags: string[],
  mode: "add" | "remove",
): Result<{ kind: string; id: string }> {
  const found = findTaggable(shop, id);
  if (!found) return fail("Resource does not exist", ["id"]);
  const list = splitTags(tags);
  if (list.length === 0) return fail("Tags can't be blank", ["tags"]);
  if (list.length > 250) return fail("Tags can have at most 250 items", ["tags"]);
  const before = found.target.tags.join(",");
  if (mode === "add") {
    for (const t of list)
      if (!found.target.tags.some((x) => x.toLowerCase() === t.toLowerCase()))
        found.target.tags.push(t);
  } else {
    const drop = new Set(list.map((t) => t.toLowerCase()));
    found.target.tags = found.target.tags.filter((t) => !drop.has(t.toLowerCase()));
  }
  if (found.target.tags.join(",") !== before) {
    found.target.updatedAt = state.iso();
    if (found.order) state.emit(shop, { topic: "orders/updated", order: found.order });
    if (found.draft) state.emit(shop, { topic: "draft_orders/update", draftOrder: found.draft });
  }
  return ok({ kind: found.kind, id });
}

export interface OrderUpdateInput {
  note?: string | null;
  tags?: string[] | null;
  email?: string | null;
  phone?: string | null;
  poNumber?: string | null;
  customAttributes?: { key: string; value: string }[] | null;
  shippingAddress?: Address | null;
}

export function orderUpdate(
  state: SimState,
  shop: Shop,
  order: Order,
  input: OrderUpdateInput,
): Result<Order> {
  if (input.email !== undefined && input.email !== null && !/^[^@\s]+@[^@\s]+$/.test(input.email))
    return fail("Email is invalid", ["email"]);
  if (input.note !== undefined) order.note = input.note;
  if (input.tags !== undefined && input.tags !== null) order.tags = splitTags(input.tags);
  if (input.email !== undefined) order.email = input.email;
  if (input.phone !== undefined) order.phone = input.phone;
  if (input.poNumber !== undefined) order.poNumber = input.poNumber;
  if (input.customAttributes)
    order.customAttributes = input.customAttributes.map((a) => ({ key: a.key, value: a.value }));
  if (input.shippingAddress) {
    if (order.cancelledAt)
      return fail("The shipping address of a cancelled order can't be changed", [
        "shippingAddress",
      ]);
    order.shippingAddress = { ...(order.shippingAddress ?? {}), ...input.shippingAddress };
  }
  touch(state, order);
  state.emit(shop, { topic: "orders/updated", order });
  return ok(order);
}

export interface DraftOrderInput {
  lineItems?:
    | {
        variantId?: string | null;
        title?: string | null;
        quantity: number;
        sku?: string | null;
        requiresShipping?: boolean | null;
        taxable?: boolean | null;
        customAttributes?: { key: string; value: string }[] | null;
        originalUnitPriceWithCurrency?: { amount: string; currencyCode: string } | null;
        priceOverride?: { amount: string; currencyCode: string } | null;
      }[]
    | null;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[] | null;
  poNumber?: string | null;
  shippingAddress?: Address | null;
  billingAddress?: Address | null;
  customAttributes?: { key: string; value: string }[] | null;
  presentmentCurrencyCode?: string | null;
}

/**
 * The rate from the shop's currency to `currency`, as the shop sells in it: the shop's own (1), or
 * the rate of an order a customer paid in it. Null: the shop sells in no such currency, and a
 * draft in it is refused (our reading: Shopify sells only in currencies the shop's markets enable).
 */
function presentmentRate(shop: Shop, currency: string): number | null {
  if (currency === shop.currency) return 1;
  for (const order of shop.orders.values())
    if (order.presentment?.currency === currency) return order.presentment.rate;
  return null;
}

/** An amount given in `from` as minor units of the draft's currency, through the shop's currency. */
function inDraftCurrency(
  shop: Shop,
  money: { amount: string; currencyCode: string },
  draft: { currency: string; rate: number },
): number | null {
  const fromRate = presentmentRate(shop, money.currencyCode);
  if (fromRate === null) return null;
  const inShop = convertUnits(
    toCents(money.amount, money.currencyCode),
    money.currencyCode,
    shop.currency,
    1 / fromRate,
  );
  return convertUnits(inShop, shop.currency, draft.currency, draft.rate);
}

/**
 * Shopify checks a draft order's e-mail more strictly than a checkout took it: a malformed one is
 * "Email is invalid" (as orderUpdate says it), and one on a domain it does not accept is refused
 * with "Email contains an invalid domain name" even when the customer already has it
 * (Shopify/shopify-app-js#2850, draftOrderCreate's userErrors). Which domains Shopify refuses is
 * not documented; the simulator refuses the one kind that can never resolve, the reserved top-level
 * domain `.invalid` (RFC 2606, RFC 6761).
 */
function draftEmailRefusal(email: string | null | undefined): string | null {
  if (email === undefined || email === null) return null;
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) return "Email is invalid";
  if (/\.invalid$/i.test(email.split("@")[1]!)) return "Email contains an invalid domain name";
  return null;
}

export function draftOrderCreate(
  state: SimState,
  shop: Shop,
  input: DraftOrderInput,
): Result<DraftOrder> {
  const lines: DraftLine[] = [];
  const errors: UserError[] = [];
  const currency = input.presentmentCurrencyCode ?? shop.currency;
  const rate = presentmentRate(shop, currency);
  if (rate === null)
    return fail(`${currency} is not a currency this shop sells in`, ["presentmentCurrencyCode"]);
  const draftCurrency = { currency, rate };
  /** A price in the draft's currency (its minor units), converted or refused per the reading. */
  const priced = (
    money: { amount: string; currencyCode: string },
    field: string[],
    convert: boolean,
  ): number | null => {
    if (money.currencyCode === currency) return toCents(money.amount, currency);
    if (!convert) {
      errors.push({
        field,
        message: `All presentment currencies for a single draft should be the same and match the presentment currency of the draft order (${currency})`,
      });
      return null;
    }
    const units = inDraftCurrency(shop, money, draftCurrency);
    if (units === null)
      errors.push({ field, message: `${money.currencyCode} is not a currency this shop sells in` });
    return units;
  };
  (input.lineItems ?? []).forEach((li, i) => {
    const field = ["lineItems", String(i)];
    if (!Number.isInteger(li.quantity) || li.quantity < 1) {
      errors.push({
        field: [...field, "quantity"],
        message: "Quantity must be greater than or equal to 1",
      });
      return;
    }
    // priceOverride's description: a different currency "will be converted"; the custom item's
    // price per the reading (state.readings.draftPriceCurrency).
    const override = li.priceOverride
      ? priced(li.priceOverride, [...field, "priceOverride"], true)
      : li.originalUnitPriceWithCurrency && !li.variantId
        ? priced(
            li.originalUnitPriceWithCurrency,
            [...field, "originalUnitPriceWithCurrency"],
            state.readings.draftPriceCurrency === "converted",
          )
        : undefined;
    if (override === null) return;
    if (li.variantId) {
      const p = parseGid(li.variantId);
      const v = p?.type === "ProductVariant" ? shop.variants.get(p.id) : undefined;
      if (!v) {
        errors.push({ field: [...field, "variantId"], message: "Product variant does not exist" });
        return;
      }
      const product = shop.products.get(v.productId)!;
      lines.push({
        id: state.nextId(),
        variantId: v.id,
        productId: product.id,
        sku: v.sku,
        title: product.title,
        variantTitle: v.title === "Default Title" ? null : v.title,
        vendor: product.vendor,
        quantity: li.quantity,
        price:
          override ?? (rate === 1 ? v.price : convertUnits(v.price, shop.currency, currency, rate)),
        requiresShipping: v.requiresShipping,
        isGiftCard: product.isGiftCard,
        taxable: v.taxable,
        custom: false,
        customAttributes: li.customAttributes ?? [],
        uuid: `line-${state.nextId()}`,
      });
    } else {
      if (!li.title) {
        errors.push({ field: [...field, "title"], message: "Title can't be blank" });
        return;
      }
      lines.push({
        id: state.nextId(),
        variantId: null,
        productId: null,
        sku: li.sku ?? null,
        title: li.title,
        variantTitle: null,
        vendor: null,
        quantity: li.quantity,
        price: override ?? 0,
        requiresShipping: li.requiresShipping ?? true,
        isGiftCard: false,
        taxable: li.taxable ?? true,
        custom: true,
        customAttributes: li.customAttributes ?? [],
        uuid: `line-${state.nextId()}`,
      });
    }
  });
  const emailRefused = draftEmailRefusal(input.email);
  if (emailRefused) errors.push({ field: ["email"], message: emailRefused });
  if (errors.length) return { ok: false, errors };
  if (lines.length === 0) return fail("Add at least 1 product", ["lineItems"]);
  const now = state.iso();
  const id = state.nextId();
  const draft: DraftOrder = {
    id,
    shop: shop.domain,
    name: `#D${shop.nextDraftNumber++}`,
    status: "OPEN",
    lineItems: lines,
    email: input.email ?? null,
    phone: input.phone ?? null,
    note: input.note ?? null,
    tags: splitTags(input.tags ?? []),
    shippingAddress: input.shippingAddress ?? null,
    billingAddress: input.billingAddress ?? null,
    customAttributes: input.customAttributes ?? [],
    createdAt: now,
    updatedAt: now,
    invoiceSentAt: null,
    invoiceEmails: [],
    invoiceUrl: `https://${shop.domain}/${shop.id}/invoices/${id.toString(36)}`,
    completedAt: null,
    poNumber: input.poNumber ?? null,
    ...(currency !== shop.currency ? { presentment: draftCurrency } : {}),
  };
  shop.draftOrders.set(draft.id, draft);
  state.emit(shop, { topic: "draft_orders/create", draftOrder: draft });
  return ok(draft);
}

/** The subject of Shopify's default draft order invoice template. */
export const INVOICE_EMAIL_TEMPLATE_SUBJECT = "Complete your purchase";

/**
 * draftOrderInvoiceSend (Admin API 2026-10): "Sends an invoice email for a DraftOrder … Use the
 * email argument to customize the email, such as the subject and message"; EmailInput.customMessage
 * "Specifies a custom message to include in the email". The e-mail goes to `email.to`, else the
 * draft's e-mail; its subject defaults to the invoice template's (DraftOrder.invoiceEmailTemplateSubject).
 */
export function draftOrderInvoiceSend(
  state: SimState,
  shop: Shop,
  draft: DraftOrder,
  email:
    | {
        to?: string | null;
        from?: string | null;
        bcc?: string[] | null;
        subject?: string | null;
        customMessage?: string | null;
      }
    | null
    | undefined,
): Result<DraftOrder> {
  if (draft.status === "COMPLETED") return fail("Draft order has been completed", ["id"]);
  const to = email?.to ?? draft.email;
  if (!to) return fail("To can't be blank: the draft order has no customer email", ["email", "to"]);
  draft.status = "INVOICE_SENT";
  draft.invoiceSentAt = state.iso();
  draft.updatedAt = draft.invoiceSentAt;
  draft.invoiceEmails.push({
    sentAt: draft.invoiceSentAt,
    to,
    from: email?.from ?? null,
    bcc: email?.bcc ?? [],
    subject: email?.subject || INVOICE_EMAIL_TEMPLATE_SUBJECT,
    customMessage: email?.customMessage || null,
  });
  if (!draft.email) draft.email = to;
  state.emit(shop, { topic: "draft_orders/update", draftOrder: draft });
  return ok(draft);
}

/**
 * draftOrderDelete: the draft is gone (its invoice link no longer pays). A completed draft is an
 * order now and is refused; the wording of that userError is ours (Shopify documents none).
 */
export function draftOrderDelete(shop: Shop, draft: DraftOrder): Result<number> {
  if (draft.status === "COMPLETED" || draft.orderId != null)
    return fail("A completed draft order can't be deleted", ["id"]);
  // draft_orders/delete is not modelled: the app subscribes to no such topic.
  shop.draftOrders.delete(draft.id);
  return ok(draft.id);
}

/**
 * draftOrderComplete: "Completes a draft order and converts it into a regular order" — marked as
 * paid unless paymentPending, inventory reserved, routed like any order (orders/create, and
 * orders/paid when paid). The draft keeps a link to its order (DraftOrder.order). A completed
 * draft cannot be completed again; the wording of that userError is ours (Shopify documents none).
 */
export function draftOrderComplete(
  state: SimState,
  shop: Shop,
  draft: DraftOrder,
  options: { paymentPending?: boolean | null; sourceName?: string | null } = {},
): Result<DraftOrder> {
  if (draft.status === "COMPLETED" || draft.orderId != null)
    return fail("This draft order has already been completed", ["id"]);
  const lineItems: LineItem[] = draft.lineItems.map((l) => {
    const variant = l.variantId != null ? shop.variants.get(l.variantId) : undefined;
    const product = l.productId != null ? shop.products.get(l.productId) : undefined;
    return {
      id: state.nextId(),
      variantId: l.variantId,
      productId: l.productId,
      sku: l.sku,
      title: l.title,
      variantTitle: l.variantTitle,
      vendor: l.vendor,
      productType: product?.productType ?? null,
      quantity: l.quantity,
      currentQuantity: l.quantity,
      price: l.price,
      requiresShipping: l.requiresShipping,
      isGiftCard: l.isGiftCard,
      taxable: l.taxable,
      grams: variant?.grams ?? 0,
      properties: l.customAttributes.map((a) => ({ name: a.key, value: a.value })),
    };
  });
  const placed = placeOrder(state, shop, lineItems, {
    payment: options.paymentPending ? "pending" : "paid",
    email: draft.email ?? undefined,
    shippingAddress: draft.shippingAddress,
    billingAddress: draft.billingAddress,
    tags: draft.tags,
    note: draft.note,
    customAttributes: draft.customAttributes,
    shippingLine: null,
    sourceName: options.sourceName ?? "shopify_draft_order",
    // Paid in the draft's currency: its prices are already the customer's.
    ...(draft.presentment ? { presentment: draft.presentment } : {}),
  });
  if (!placed.ok) return placed;
  draft.status = "COMPLETED";
  draft.completedAt = state.iso();
  draft.updatedAt = draft.completedAt;
  draft.orderId = placed.value.id;
  state.emit(shop, { topic: "draft_orders/update", draftOrder: draft });
  return ok(draft);
}

/**
 * The customer pays a draft order's invoice at checkout (the invoice's link, `invoiceUrl`). Shopify
 * Help Center, "Draft orders > Sending invoices": "After your customer pays for the order, the
 * draft order is converted to an order" — completed as paid, routed like any checkout's order
 * (orders/create, orders/paid), and the draft, now COMPLETED with its order, says so in
 * draft_orders/update. A completed draft cannot be paid again.
 */
export function payDraftOrderInvoice(
  state: SimState,
  shop: Shop,
  draft: DraftOrder,
): Result<DraftOrder> {
  return draftOrderComplete(state, shop, draft, { sourceName: "shopify_draft_order" });
}
