// refundCreate as Shopify documents it: lines taken off the order (cancelled with a restock at a
// location, or not restocked), money back to the original payment or as store credit, the customer told.
import { idOf } from "./ids.ts";
import { inventoryKey } from "./model.ts";
import { announceLevels, release, trackedItemOf, type LevelChange } from "./inventory.ts";
import type { Cents, FulfillmentOrder, Order, Refund, Result, Shop, Transaction } from "./model.ts";
import { fail, money as written, ok, orderCurrency, toCents } from "./model.ts";
import {
  capturedAmount,
  fulfilledQuantity,
  orderFulfillmentOrders,
  presentmentCurrencyRefusal,
  refundedAmount,
} from "./orders.ts";
import type { SimState } from "./state.ts";
import { refundedLineTax } from "./taxes.ts";

/** RefundInput as the schema gives it (2026-10), the fields the simulator plays. */
export interface RefundCreateInput {
  orderId: string;
  note?: string | null;
  notify?: boolean | null;
  allowOverRefunding?: boolean | null;
  refundLineItems?:
    | {
        lineItemId: string;
        quantity: number;
        restockType?: "CANCEL" | "RETURN" | "NO_RESTOCK" | "LEGACY_RESTOCK" | null;
        locationId?: string | null;
      }[]
    | null;
  transactions?:
    | { amount: string; gateway: string; kind: string; orderId: string; parentId?: string | null }[]
    | null;
  refundMethods?:
    | {
        storeCreditRefund?: {
          amount: { amount: string; currencyCode: string };
          expiresAt?: string | null;
        } | null;
      }[]
    | null;
  shipping?: {
    fullRefund?: boolean | null;
    shippingRefundAmount?: { amount: string; currencyCode: string } | null;
  } | null;
  /** The customer's currency; required when it is not the shop's (then amounts are in it). */
  currency?: string | null;
}

/** What is left to refund of a successful sale or capture: its amount less the refunds made from it. */
export function refundableOn(order: Order, payment: Transaction): Cents {
  const refunded = order.transactions
    .filter((t) => t.kind === "REFUND" && t.status === "SUCCESS" && t.parentId === payment.id)
    .reduce((s, t) => s + t.amount, 0);
  return Math.max(0, payment.amount - refunded);
}

/** Shipping charged and not yet given back. */
export function shippingRefundable(order: Order): Cents {
  const charged = order.shippingLines.reduce((s, l) => s + l.price, 0);
  const refunded = (order.refunds ?? []).reduce((s, r) => s + (r.shipping ?? 0), 0);
  return Math.max(0, charged - refunded);
}

/** A fulfilment service accepted it and has not let go (the states orderCancel refuses on too). */
function heldByService(fo: FulfillmentOrder): boolean {
  return (
    fo.status === "IN_PROGRESS" &&
    (fo.requestStatus === "ACCEPTED" ||
      fo.requestStatus === "CANCELLATION_REQUESTED" ||
      fo.requestStatus === "CANCELLATION_REJECTED")
  );
}

const open = (fo: FulfillmentOrder) => fo.status !== "CLOSED" && fo.status !== "CANCELLED";

/**
 * Where a restocked line goes back on the shelf. RefundLineItemInput.locationId is optional in the
 * GraphQL schema ("The intended location for restocking. If the restockType is set to NO_RESTOCK,
 * then this value is empty."), while the REST Refund resource calls location_id required for a
 * cancel or return restock. The reading `refundRestockLocation` picks: "assigned" (default)
 * restocks at the fulfillment order's location, "required" refuses a restock without it.
 */
function refundLocationOf(
  state: SimState,
  given: string | null | undefined,
  assigned: number,
): Result<number> {
  if (given) {
    const id = idOf(given, "Location");
    return id === undefined ? fail("Location does not exist", ["locationId"]) : ok(id);
  }
  if (state.readings.refundRestockLocation === "required")
    return fail("Location is required to restock a refunded line item", ["locationId"]);
  return ok(assigned);
}

/**
 * refundCreate. Checks everything before changing anything, so a refused refund changes nothing.
 * Lines: CANCEL ("Use this when restocking unfulfilled line items") and NO_RESTOCK take unfulfilled
 * quantity off the fulfillment orders that carry it (a fulfillment order left with nothing closes)
 * and release its committed stock; RETURN (fulfilled items) is not modelled. Where the docs are
 * silent we chose: lines on a fulfillment order a fulfilment service accepted are refused (request
 * cancellation first, as for orderCancel). Money: `transactions` of kind REFUND against a
 * successful sale or capture, on its gateway; `refundMethods.storeCreditRefund` to the order's
 * customer (gateway "shopify_store_credit"); together at most what was received and not refunded
 * unless `allowOverRefunding`.
 */
export function refundCreate(
  state: SimState,
  shop: Shop,
  order: Order,
  input: RefundCreateInput,
): Result<Refund> {
  const now = state.iso();
  const fos = orderFulfillmentOrders(shop, order);
  type Take = { fo: FulfillmentOrder; foLine: FulfillmentOrder["lineItems"][number]; qty: number };
  const plans: { lineItemId: number; quantity: number; restock: number | null; takes: Take[] }[] =
    [];
  const remainingOf = new Map<number, number>();
  for (const [i, line] of (input.refundLineItems ?? []).entries()) {
    const field = ["refundLineItems", String(i)];
    const id = idOf(line.lineItemId, "LineItem");
    const li = id === undefined ? undefined : order.lineItems.find((l) => l.id === id);
    if (!li) return fail("Line item does not exist", [...field, "lineItemId"]);
    if (!Number.isInteger(line.quantity) || line.quantity < 1)
      return fail("Quantity must be greater than 0", [...field, "quantity"]);
    const restockType = line.restockType ?? "NO_RESTOCK";
    if (restockType === "LEGACY_RESTOCK")
      // "This value is not accepted when creating new refunds." (RefundLineItemRestockType)
      return fail("Restock type LEGACY_RESTOCK is not accepted", [...field, "restockType"]);
    if (restockType === "RETURN")
      return fail("SIMULATOR_NOT_IMPLEMENTED: refunds of fulfilled items (RETURN)", [
        ...field,
        "restockType",
      ]);
    const unfulfilled =
      remainingOf.get(li.id) ?? Math.max(0, li.currentQuantity - fulfilledQuantity(shop, li.id));
    if (line.quantity > unfulfilled)
      return fail(
        `Quantity cannot refund more items than are unfulfilled (${unfulfilled} of ${li.title})`,
        [...field, "quantity"],
      );
    remainingOf.set(li.id, unfulfilled - line.quantity);
    // Take from the fulfillment orders that carry the line; the restock location's first.
    const wanted = line.locationId ? idOf(line.locationId, "Location") : undefined;
    const carriers = fos
      .filter(open)
      .flatMap((fo) =>
        fo.lineItems
          .filter((l) => l.lineItemId === li.id && l.remainingQuantity > 0)
          .map((foLine) => ({ fo, foLine })),
      )
      .sort(
        (a, b) =>
          Number(b.fo.assignedLocationId === wanted) - Number(a.fo.assignedLocationId === wanted),
      );
    let left = line.quantity;
    const takes: Take[] = [];
    for (const c of carriers) {
      if (left === 0) break;
      const already = plans
        .flatMap((p) => p.takes)
        .filter((t) => t.foLine === c.foLine)
        .reduce((s, t) => s + t.qty, 0);
      const qty = Math.min(left, c.foLine.remainingQuantity - already);
      if (qty <= 0) continue;
      if (heldByService(c.fo))
        return fail(
          "Line items on a fulfillment order accepted by a fulfillment service can't be refunded; request cancellation first",
          [...field, "lineItemId"],
        );
      takes.push({ ...c, qty });
      left -= qty;
    }
    let restock: number | null = null;
    if (restockType === "CANCEL") {
      const at = refundLocationOf(state, line.locationId, takes[0]?.fo.assignedLocationId ?? 0);
      if (!at.ok) return fail(at.errors[0]!.message, [...field, "locationId"]);
      if (!shop.locations.has(at.value))
        return fail("Location does not exist", [...field, "locationId"]);
      // Stock cannot go back to a deactivated location (orderCancel's description says so of a
      // cancel; a refund's restock is the same putting back). Our wording.
      if (!shop.locations.get(at.value)!.isActive)
        return fail("Location is not active", [...field, "locationId"]);
      restock = at.value;
    }
    plans.push({ lineItemId: li.id, quantity: line.quantity, restock, takes });
  }

  // Money back: each refund transaction against what its parent took, then the order as a whole.
  const wrongCurrency = presentmentCurrencyRefusal(order, input.currency, ["currency"]);
  if (wrongCurrency) return wrongCurrency;
  const refundable = capturedAmount(order) - refundedAmount(order);
  // Amounts are the customer's currency's, to its own decimals: fils for a dinar, whole yen.
  const currency = orderCurrency(order);
  const money: Omit<Transaction, "id" | "createdAt" | "processedAt" | "test">[] = [];
  for (const [i, t] of (input.transactions ?? []).entries()) {
    const field = ["transactions", String(i)];
    if (t.kind !== "REFUND") return fail("Transaction kind must be REFUND", [...field, "kind"]);
    const amount = toCents(t.amount, currency);
    if (!(amount > 0)) return fail("Amount must be greater than 0", [...field, "amount"]);
    const parentId = t.parentId ? idOf(t.parentId, "OrderTransaction") : undefined;
    const parent = order.transactions.find(
      (x) =>
        x.id === parentId && x.status === "SUCCESS" && (x.kind === "SALE" || x.kind === "CAPTURE"),
    );
    if (!parent)
      return fail("Parent transaction must be a successful sale or capture of the order", [
        ...field,
        "parentId",
      ]);
    if (t.gateway !== parent.gateway)
      return fail(`Gateway must be the parent transaction's (${parent.gateway})`, [
        ...field,
        "gateway",
      ]);
    money.push({
      kind: "REFUND",
      status: "SUCCESS",
      amount,
      gateway: parent.gateway,
      authorizationExpiresAt: null,
      parentId: parent.id,
    });
  }
  for (const [i, m] of (input.refundMethods ?? []).entries()) {
    const credit = m.storeCreditRefund;
    if (!credit) continue;
    const field = ["refundMethods", String(i), "storeCreditRefund"];
    if (order.customerId === null)
      return fail("Store credit can only be issued to an order with a customer", field);
    // No store credit on a B2B order (OrderCancelUserErrorCode STORE_CREDIT_REFUND_B2B_NOT_SUPPORTED
    // for orderCancel; refundCreate's UserError has no code). Our wording.
    if (order.company) return fail("Store credit can't be issued for a B2B order", field);
    const presentment = order.presentment?.currency ?? order.currency;
    if (credit.amount.currencyCode !== presentment)
      return fail(`Currency must be the order's presentment currency (${presentment})`, [
        ...field,
        "amount",
        "currencyCode",
      ]);
    const amount = toCents(credit.amount.amount, currency);
    if (!(amount > 0)) return fail("Amount must be greater than 0", [...field, "amount"]);
    if (credit.expiresAt && Date.parse(credit.expiresAt) <= state.clock.now())
      return fail("Store credit expiry date must be in the future", [...field, "expiresAt"]);
    money.push({
      kind: "REFUND",
      status: "SUCCESS",
      amount,
      gateway: "shopify_store_credit",
      authorizationExpiresAt: null,
      parentId: null,
    });
  }
  // Shipping given back: all that is left of it, or an amount of it (RefundShippingInput).
  const shippingLeft = shippingRefundable(order);
  let shipping: Cents = 0;
  if (input.shipping?.fullRefund) shipping = shippingLeft;
  else if (input.shipping?.shippingRefundAmount) {
    shipping = toCents(input.shipping.shippingRefundAmount.amount, currency);
    if (!(shipping >= 0) || shipping > shippingLeft)
      return fail(
        `Shipping amount must be between 0 and the ${written(shippingLeft, currency)} left to refund`,
        ["shipping", "shippingRefundAmount"],
      );
  }
  const total: Cents = money.reduce((s, t) => s + t.amount, 0);
  if (total > refundable && !input.allowOverRefunding)
    return fail(
      `Refund amount ${written(total, currency)} is greater than the ${written(refundable, currency)} available to refund`,
      [input.transactions?.length ? "transactions" : "refundMethods"],
    );

  // A refund goes back through the payment it came from, so it can't give back more than that
  // payment took less what was refunded from it (OrderTransaction.maximumRefundableV2). Our wording.
  for (const [i, m] of money.entries()) {
    if (m.parentId === null || input.allowOverRefunding) continue;
    const parent = order.transactions.find((x) => x.id === m.parentId)!;
    const before = money.slice(0, i).filter((x) => x.parentId === m.parentId);
    const left = refundableOn(order, parent) - before.reduce((s, x) => s + x.amount, 0);
    if (m.amount > left)
      return fail(
        `Amount ${written(m.amount, currency)} is greater than the ${written(Math.max(0, left), currency)} left to refund on the parent transaction`,
        ["transactions", String(i), "amount"],
      );
  }

  // Everything checked: apply.
  const transactionIds: number[] = [];
  for (const t of money) {
    const id = state.nextId();
    order.transactions.push({ ...t, id, createdAt: now, processedAt: now, test: true });
    transactionIds.push(id);
  }
  const given = new Map<(typeof plans)[number], { subtotal: Cents; tax: Cents }>();
  // Levels the refund frees or restocks, announced once the refund stands.
  const levels: (LevelChange | undefined)[] = [];
  for (const plan of plans) {
    const li = order.lineItems.find((l) => l.id === plan.lineItemId)!;
    given.set(plan, {
      subtotal: li.price * plan.quantity,
      tax: refundedLineTax(li, plan.quantity),
    });
    li.currentQuantity -= plan.quantity;
    for (const take of plan.takes) {
      take.foLine.remainingQuantity -= take.qty;
      take.foLine.totalQuantity -= take.qty;
      const restockHere = plan.restock === take.fo.assignedLocationId;
      levels.push(
        release(
          shop,
          li,
          take.fo.assignedLocationId,
          take.qty,
          restockHere ? "restock" : "drop",
          now,
        ),
      );
      if (plan.restock !== null && !restockHere) {
        const item = trackedItemOf(shop, li);
        const level =
          item === undefined ? undefined : shop.inventory.get(inventoryKey(item, plan.restock));
        if (level) {
          level.available += take.qty;
          level.updatedAt = now;
          levels.push({ level, availableChanged: take.qty !== 0 });
        }
      }
      take.fo.updatedAt = now;
      // A fulfillment order with nothing left to fulfil is done with.
      if (take.fo.lineItems.every((l) => l.remainingQuantity === 0)) take.fo.status = "CLOSED";
    }
  }
  const refund: Refund = {
    id: state.nextId(),
    createdAt: now,
    note: input.note ?? null,
    notify: input.notify === true,
    lines: plans.map((p) => ({
      lineItemId: p.lineItemId,
      quantity: p.quantity,
      restockType: p.restock === null ? "NO_RESTOCK" : "CANCEL",
      locationId: p.restock,
      ...given.get(p),
    })),
    ...(shipping > 0 ? { shipping } : {}),
    transactionIds,
  };
  (order.refunds ??= []).push(refund);
  order.updatedAt = now;
  state.emit(shop, { topic: "orders/updated", order });
  announceLevels(state, shop, levels);
  return ok(refund);
}

/** Order.suggestedRefund's arguments (2026-10), the ones the simulator plays. */
export interface SuggestRefundArgs {
  refundLineItems?: RefundCreateInput["refundLineItems"];
  refundShipping?: boolean | null;
  /** Money (a decimal): "The amount to refund for shipping. Overrides the `refundShipping` argument." */
  shippingAmount?: string | null;
  suggestFullRefund?: boolean | null;
  refundMethodAllocation?: "ORIGINAL_PAYMENT_METHODS" | "STORE_CREDIT" | null;
}

/** What Shopify suggests giving back, in the order's (customer's) currency cents. */
export interface SuggestedRefund {
  lines: {
    lineItemId: number;
    quantity: number;
    restockType: "CANCEL" | "RETURN" | "NO_RESTOCK";
    locationId: number | null;
    price: Cents;
    subtotal: Cents;
    tax: Cents;
  }[];
  subtotal: Cents;
  tax: Cents;
  shipping: { amount: Cents; maximumRefundable: Cents };
  /** Lines, their tax unless the prices include it, and shipping; at most what may be refunded. */
  amount: Cents;
  maximumRefundable: Cents;
  transactions: { parent: Transaction; amount: Cents; maximumRefundable: Cents }[];
  storeCredit: Cents | null;
}

/**
 * Order.suggestedRefund: "A calculated refund suggestion for the order based on specified line
 * items, shipping, and duties … preview refund amounts, taxes". Each line's price times the
 * quantity, with the share of the line's tax that goes with it (RefundLineItem.totalTaxSet); the
 * quantity is capped at what is left to refund of the line (our reading: the schema says nothing
 * of more); shipping when asked; the amount at most what was received and not refunded
 * (maximumRefundableSet), suggested back through the sales and captures it came from, oldest first,
 * each at most what is left of it (SuggestedOrderTransaction.maximumRefundableSet), or as store
 * credit when `refundMethodAllocation` is STORE_CREDIT. `suggestFullRefund` takes every line's
 * refundable quantity and the shipping ("the `refundLineItems` argument will be ignored").
 * Nothing changes. An unknown line is a top-level error (`null` here).
 */
export function suggestRefund(order: Order, args: SuggestRefundArgs): SuggestedRefund | null {
  const wanted: {
    li: Order["lineItems"][number];
    quantity: number;
    restock: string | null;
    locationId: number | null;
  }[] = [];
  if (args.suggestFullRefund) {
    for (const li of order.lineItems)
      if (li.currentQuantity > 0)
        wanted.push({ li, quantity: li.currentQuantity, restock: null, locationId: null });
  } else {
    for (const line of args.refundLineItems ?? []) {
      const id = idOf(line.lineItemId, "LineItem");
      const li = id === undefined ? undefined : order.lineItems.find((l) => l.id === id);
      if (!li) return null;
      const locationId = line.locationId ? (idOf(line.locationId, "Location") ?? null) : null;
      wanted.push({ li, quantity: line.quantity, restock: line.restockType ?? null, locationId });
    }
  }
  const taken = new Map<number, number>();
  const lines: SuggestedRefund["lines"] = [];
  for (const w of wanted) {
    const before = taken.get(w.li.id) ?? 0;
    const quantity = Math.max(0, Math.min(w.quantity, w.li.currentQuantity - before));
    taken.set(w.li.id, before + quantity);
    if (quantity === 0) continue;
    // The tax of these items after those suggested before them on the same line.
    const tax = refundedLineTax(w.li, before + quantity) - refundedLineTax(w.li, before);
    const restockType =
      w.restock === "CANCEL" || w.restock === "RETURN" ? w.restock : ("NO_RESTOCK" as const);
    lines.push({
      lineItemId: w.li.id,
      quantity,
      restockType,
      locationId: restockType === "NO_RESTOCK" ? null : w.locationId,
      price: w.li.price,
      subtotal: w.li.price * quantity,
      tax,
    });
  }
  const shippingMax = shippingRefundable(order);
  const shipping =
    args.shippingAmount != null
      ? Math.max(0, Math.min(toCents(args.shippingAmount, orderCurrency(order)), shippingMax))
      : args.refundShipping || args.suggestFullRefund
        ? shippingMax
        : 0;
  const subtotal = lines.reduce((s, l) => s + l.subtotal, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  const maximumRefundable = Math.max(0, capturedAmount(order) - refundedAmount(order));
  const amount = Math.min(
    subtotal + (order.taxesIncluded ? 0 : tax) + (shipping || 0),
    maximumRefundable,
  );
  const transactions: SuggestedRefund["transactions"] = [];
  let storeCredit: Cents | null = null;
  if (args.refundMethodAllocation === "STORE_CREDIT") storeCredit = amount;
  else {
    let left = amount;
    for (const parent of order.transactions) {
      if (parent.status !== "SUCCESS" || (parent.kind !== "SALE" && parent.kind !== "CAPTURE"))
        continue;
      const max = refundableOn(order, parent);
      const part = Math.min(left, max);
      if (part <= 0) continue;
      transactions.push({ parent, amount: part, maximumRefundable: max });
      left -= part;
    }
  }
  return {
    lines,
    subtotal,
    tax,
    shipping: { amount: shipping, maximumRefundable: shippingMax },
    amount,
    maximumRefundable,
    transactions,
    storeCredit,
  };
}
