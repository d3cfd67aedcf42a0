// Shopify's fulfillment order machine: statuses, request statuses, supportedActions, holds, split/merge/move, fulfilment requests and their answers, cancel, open, and fulfillments.
import { parseGid } from "./ids.ts";
import { announceLevels, commit, release, stocks, type LevelChange } from "./inventory.ts";
import type {
  Fulfillment,
  FulfillmentHold,
  FulfillmentOrder,
  FulfillmentOrderLine,
  FulfillmentServiceInfo,
  HoldReason,
  Location,
  Order,
  RequestStatus,
  Result,
  Shop,
  UserError,
} from "./model.ts";
import { fail, ok } from "./model.ts";
import { fulfilledQuantity, newFulfillmentOrder, orderFulfillmentOrders } from "./orders.ts";
import { STAFF_KEY, type Readings, type SimState } from "./state.ts";

export const HOLD_LIMIT_PER_APP = 10;

/** Request statuses during which a fulfilment service is working on it: no move (fulfillmentOrderMove docs). */
export const MOVE_BLOCKING_REQUEST_STATUSES: readonly RequestStatus[] = [
  "SUBMITTED",
  "ACCEPTED",
  "CANCELLATION_REQUESTED",
  "CANCELLATION_REJECTED",
];

type LineQty = { id: number; quantity: number };

export function locationOf(shop: Shop, fo: FulfillmentOrder): Location {
  const l = shop.locations.get(fo.assignedLocationId);
  if (!l) throw new Error(`fulfillment order ${fo.id} has no location`);
  return l;
}

export function serviceOf(shop: Shop, fo: FulfillmentOrder): FulfillmentServiceInfo | null {
  return locationOf(shop, fo).fulfillmentService;
}

function orderOf(shop: Shop, fo: FulfillmentOrder): Order {
  const o = shop.orders.get(fo.orderId);
  if (!o) throw new Error(`fulfillment order ${fo.id} has no order`);
  return o;
}

function touch(state: SimState, fo: FulfillmentOrder): void {
  fo.updatedAt = state.iso();
}

function remaining(fo: FulfillmentOrder): number {
  return fo.lineItems.reduce((s, l) => s + l.remainingQuantity, 0);
}

function isActive(fo: FulfillmentOrder): boolean {
  return fo.status !== "CLOSED" && fo.status !== "CANCELLED";
}

/**
 * Other fulfillment orders this one could merge with (fulfillmentOrdersForMerge, "Fulfillment orders
 * eligible for merging with the given fulfillment order"): same order and location, open,
 * unsubmitted, not held, and, by the `mergeDeliveryMethod` reading, the same kind of delivery
 * ("same": shipping is not merged with what needs none, as the admin keeps them apart) or any.
 */
export function mergeCandidates(
  shop: Shop,
  fo: FulfillmentOrder,
  reading: Readings["mergeDeliveryMethod"] = "same",
): FulfillmentOrder[] {
  if (!mergeable(fo)) return [];
  const order = orderOf(shop, fo);
  return orderFulfillmentOrders(shop, order).filter((o) => mergesWith(fo, o, reading));
}

function mergesWith(
  fo: FulfillmentOrder,
  o: FulfillmentOrder,
  reading: Readings["mergeDeliveryMethod"],
): boolean {
  return (
    o.id !== fo.id &&
    o.orderId === fo.orderId &&
    o.assignedLocationId === fo.assignedLocationId &&
    mergeable(o) &&
    (reading === "any" || o.deliveryMethodType === fo.deliveryMethodType)
  );
}

function mergeable(fo: FulfillmentOrder): boolean {
  return (
    fo.status === "OPEN" &&
    fo.requestStatus === "UNSUBMITTED" &&
    fo.holds.length === 0 &&
    remaining(fo) > 0
  );
}

/**
 * FulfillmentOrder.supportedActions. Shopify documents what each action means (FulfillmentOrderAction)
 * and each mutation's preconditions, not a table; this table is derived from those preconditions and
 * depends on the calling app (only the owning fulfilment service app may create fulfillments on its
 * fulfillment orders since API 2024-10).
 */
export function supportedActions(
  shop: Shop,
  fo: FulfillmentOrder,
  appKey: string,
  mergeReading: Readings["mergeDeliveryMethod"] = "same",
): string[] {
  const service = serviceOf(shop, fo);
  const owns = !!service && service.ownerAppId === appKey;
  const rs = fo.requestStatus;
  const a = new Set<string>();
  const movable = !MOVE_BLOCKING_REQUEST_STATUSES.includes(rs) && !fo.progressReported;
  switch (fo.status) {
    case "OPEN":
      if (!service) {
        a.add("CREATE_FULFILLMENT");
        a.add("REPORT_PROGRESS");
      } else if (rs === "SUBMITTED") {
        a.add("CANCEL_FULFILLMENT_ORDER");
      } else if (service.takesRequests !== false) {
        a.add("REQUEST_FULFILLMENT");
      }
      if (movable) {
        a.add("HOLD");
        a.add("MOVE");
        if (remaining(fo) > 1) a.add("SPLIT");
        if (mergeCandidates(shop, fo, mergeReading).length > 0) a.add("MERGE");
      }
      break;
    case "ON_HOLD":
      a.add("RELEASE_HOLD");
      // Since 2025-01 a fulfillment order already on hold can take more holds (told apart by handle).
      a.add("HOLD");
      break;
    case "SCHEDULED":
      a.add("MARK_AS_OPEN");
      if (movable) a.add("MOVE");
      break;
    case "IN_PROGRESS":
      if (service) {
        if (rs === "ACCEPTED" || rs === "CANCELLATION_REJECTED") a.add("REQUEST_CANCELLATION");
        if (rs === "CANCELLATION_REQUESTED") a.add("CANCEL_FULFILLMENT_ORDER");
        if (owns && rs !== "SUBMITTED") a.add("CREATE_FULFILLMENT");
      } else {
        a.add("CREATE_FULFILLMENT");
        if (fo.progressReported) a.add("MARK_AS_OPEN");
        else a.add("MOVE");
      }
      break;
    case "INCOMPLETE":
      if (service && service.takesRequests !== false) a.add("REQUEST_FULFILLMENT");
      a.add("MOVE");
      break;
    default:
      break;
  }
  if (owns && fo.status === "OPEN" && rs !== "SUBMITTED") a.add("CREATE_FULFILLMENT");
  const order = [
    "CREATE_FULFILLMENT",
    "REQUEST_FULFILLMENT",
    "CANCEL_FULFILLMENT_ORDER",
    "REQUEST_CANCELLATION",
    "HOLD",
    "RELEASE_HOLD",
    "MARK_AS_OPEN",
    "MOVE",
    "SPLIT",
    "MERGE",
    "REPORT_PROGRESS",
  ];
  return order.filter((x) => a.has(x));
}

/** Reads FulfillmentOrderLineItemInput[] against a fulfillment order: known ids, positive, within remaining, no repeats. */
function resolveLines(
  fo: FulfillmentOrder,
  inputs: { id: string; quantity: number }[],
  field: string[],
  codes: { notFound?: string; quantity?: string; zero?: string; duplicate?: string } = {},
): Result<{ line: FulfillmentOrderLine; quantity: number }[]> {
  const seen = new Set<number>();
  const out: { line: FulfillmentOrderLine; quantity: number }[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const f = [...field, String(i)];
    const p = parseGid(input.id);
    const line =
      p?.type === "FulfillmentOrderLineItem" ? fo.lineItems.find((l) => l.id === p.id) : undefined;
    if (!line)
      return fail(
        "Fulfillment order line item does not exist on the fulfillment order",
        [...f, "id"],
        codes.notFound ?? null,
      );
    if (seen.has(line.id))
      return fail(
        "Fulfillment order line items must not be repeated",
        [...f, "id"],
        codes.duplicate ?? null,
      );
    seen.add(line.id);
    if (input.quantity <= 0)
      return fail("Quantity must be greater than 0", [...f, "quantity"], codes.zero ?? null);
    if (input.quantity > line.remainingQuantity)
      return fail(
        `Quantity ${input.quantity} is more than the ${line.remainingQuantity} remaining on this line`,
        [...f, "quantity"],
        codes.quantity ?? null,
      );
    out.push({ line, quantity: input.quantity });
  }
  return ok(out);
}

/**
 * Moves `take` quantities out of `fo` into a brand-new fulfillment order (new id, new line ids), as
 * Shopify does for split, partial holds, partial requests and partial moves.
 */
function carve(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  take: { line: FulfillmentOrderLine; quantity: number }[],
  locationId = fo.assignedLocationId,
  init: Partial<Pick<FulfillmentOrder, "status" | "requestStatus">> = {},
): FulfillmentOrder {
  const order = orderOf(shop, fo);
  const created = newFulfillmentOrder(
    state,
    shop,
    order,
    locationId,
    take.map((t) => ({ lineItemId: t.line.lineItemId, quantity: t.quantity })),
    {
      status: init.status ?? fo.status,
      requestStatus: init.requestStatus ?? fo.requestStatus,
      fulfillAt: fo.fulfillAt ?? undefined,
    },
  );
  for (const t of take) {
    t.line.totalQuantity -= t.quantity;
    t.line.remainingQuantity -= t.quantity;
  }
  fo.lineItems = fo.lineItems.filter((l) => l.totalQuantity > 0);
  touch(state, fo);
  return created;
}

function lineItemOf(shop: Shop, fo: FulfillmentOrder, line: FulfillmentOrderLine) {
  const li = orderOf(shop, fo).lineItems.find((x) => x.id === line.lineItemId);
  if (!li) throw new Error(`line ${line.id} has no order line`);
  return li;
}

export interface HoldInput {
  reason: HoldReason;
  reasonNotes?: string | null;
  handle?: string | null;
  externalId?: string | null;
  notifyMerchant?: boolean | null;
  fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null;
}

/**
 * fulfillmentOrderHold. Several holds may sit on one fulfillment order since 2025-01, told apart by
 * handle; at most 10 per app (FULFILLMENT_ORDER_HOLD_LIMIT_REACHED). Holding some lines splits them
 * off: the held lines stay on this fulfillment order, the rest go to a new remainingFulfillmentOrder.
 */
export function holdFulfillmentOrder(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  appKey: string,
  input: HoldInput,
): Result<{
  fulfillmentOrder: FulfillmentOrder;
  hold: FulfillmentHold;
  remaining: FulfillmentOrder | null;
}> {
  if (fo.status !== "OPEN" && fo.status !== "ON_HOLD" && fo.status !== "SCHEDULED")
    return fail(`Fulfillment order with status ${fo.status} can't be placed on hold`, ["id"]);
  if (MOVE_BLOCKING_REQUEST_STATUSES.includes(fo.requestStatus))
    return fail(
      "Fulfillment order has been requested from a fulfillment service and can't be placed on hold",
      ["id"],
    );
  const handle = input.handle ?? "";
  const mine = fo.holds.filter((h) => h.appId === appKey);
  if (mine.some((h) => h.handle === handle))
    return fail(
      "The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.",
      ["fulfillmentHold", "handle"],
      "DUPLICATE_FULFILLMENT_HOLD_HANDLE",
    );
  if (mine.length >= HOLD_LIMIT_PER_APP)
    return fail(
      `The maximum number of fulfillment holds for this fulfillment order has been reached for this app. An app can only have up to ${HOLD_LIMIT_PER_APP} holds on a single fulfillment order at any one time.`,
      ["id"],
      "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED",
    );
  if (handle.length > 64)
    return fail("Handle is too long (maximum is 64 characters)", ["fulfillmentHold", "handle"]);
  let remainingFo: FulfillmentOrder | null = null;
  const partial = input.fulfillmentOrderLineItems ?? [];
  // "Not supported when placing a hold on a fulfillment order that is already held" (input docs).
  if (partial.length > 0 && fo.status === "ON_HOLD")
    return fail(
      "The fulfillment order is already on hold, so its line items can't be split off for another hold.",
      ["fulfillmentHold", "fulfillmentOrderLineItems"],
      "FULFILLMENT_ORDER_NOT_SPLITTABLE",
    );
  let heldLines: LineQty[] = fo.lineItems
    .filter((l) => l.remainingQuantity > 0)
    .map((l) => ({ id: l.id, quantity: l.remainingQuantity }));
  if (partial.length > 0) {
    const resolved = resolveLines(fo, partial, ["fulfillmentHold", "fulfillmentOrderLineItems"], {
      quantity: "INVALID_LINE_ITEM_QUANTITY",
      zero: "GREATER_THAN_ZERO",
      duplicate: "DUPLICATED_FULFILLMENT_ORDER_LINE_ITEMS",
    });
    if (!resolved.ok) return resolved;
    const heldQty = new Map(resolved.value.map((r) => [r.line.id, r.quantity]));
    const rest = fo.lineItems
      .map((l) => ({ line: l, quantity: l.remainingQuantity - (heldQty.get(l.id) ?? 0) }))
      .filter((r) => r.quantity > 0);
    if (rest.length > 0) {
      if (fo.status !== "OPEN")
        return fail(
          "Only an open fulfillment order can have some of its line items placed on hold",
          ["id"],
          "FULFILLMENT_ORDER_NOT_SPLITTABLE",
        );
      remainingFo = carve(state, shop, fo, rest);
    }
    heldLines = resolved.value.map((r) => ({ id: r.line.id, quantity: r.quantity }));
  }
  const hold: FulfillmentHold = {
    id: state.nextId(),
    reason: input.reason,
    reasonNotes: input.reasonNotes ?? null,
    handle,
    appId: appKey,
    externalId: input.externalId ?? null,
    createdAt: state.iso(),
  };
  const firstHold = fo.status !== "ON_HOLD";
  fo.holds.push(hold);
  fo.status = "ON_HOLD";
  touch(state, fo);
  // placed_on_hold "will only trigger once when the first hold is applied" (its topic
  // description); fulfillment_holds/added "will trigger after each hold is applied".
  if (firstHold)
    state.emit(shop, {
      topic: "fulfillment_orders/placed_on_hold",
      fulfillmentOrder: fo,
      remaining: remainingFo,
      heldLines,
      hold,
    });
  state.emit(shop, { topic: "fulfillment_holds/added", fulfillmentOrder: fo, hold });
  return ok({ fulfillmentOrder: fo, hold, remaining: remainingFo });
}

/**
 * fulfillmentOrderReleaseHold: the given holds (or all); the order opens again when none is left.
 * `appKey` is the app asking: another app's hold named in holdIds is refused with INVALID_ACCESS
 * ("The app doesn't have access to release the fulfillment hold", FulfillmentOrderReleaseHold-
 * UserErrorCode), while a hold staff placed in admin (held by no app) is released as before; with
 * no holdIds every hold goes, as the argument's description warns ("released prematurely").
 */
export function releaseHold(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  holdIds?: string[] | null,
  appKey?: string,
): Result<FulfillmentOrder> {
  if (fo.status !== "ON_HOLD") return fail("The fulfillment order is not on hold.", ["id"]);
  let released: FulfillmentHold[];
  if (holdIds && holdIds.length > 0) {
    const wanted = holdIds.map((h) => parseGid(h));
    released = fo.holds.filter((h) =>
      wanted.some((w) => w?.type === "FulfillmentHold" && w.id === h.id),
    );
    // Holds only release if they belong to this fulfillment order (argument docs); others are an error.
    if (released.length !== holdIds.length)
      return fail("One or more fulfillment holds do not belong to this fulfillment order", [
        "holdIds",
      ]);
  } else {
    released = [...fo.holds];
  }
  const named = !!holdIds && holdIds.length > 0;
  if (named && appKey && released.some((h) => h.appId !== appKey && h.appId !== STAFF_KEY))
    return fail(
      "The app doesn't have access to release the fulfillment hold.",
      ["holdIds"],
      "INVALID_ACCESS",
    );
  fo.holds = fo.holds.filter((h) => !released.includes(h));
  if (fo.holds.length === 0) {
    const future = fo.fulfillAt && Date.parse(fo.fulfillAt) > state.clock.now();
    fo.status = future ? "SCHEDULED" : "OPEN";
  }
  touch(state, fo);
  for (const hold of released)
    state.emit(shop, { topic: "fulfillment_holds/released", fulfillmentOrder: fo, hold });
  if (fo.holds.length === 0)
    state.emit(shop, { topic: "fulfillment_orders/hold_released", fulfillmentOrder: fo });
  return ok(fo);
}

/** fulfillmentOrderSplit: the given quantities go to a new fulfillment order (remainingFulfillmentOrder). */
export function splitFulfillmentOrders(
  state: SimState,
  shop: Shop,
  inputs: {
    fulfillmentOrderId: string;
    fulfillmentOrderLineItems: { id: string; quantity: number }[];
  }[],
): Result<
  {
    fulfillmentOrder: FulfillmentOrder;
    remaining: FulfillmentOrder;
    replacement: FulfillmentOrder | null;
  }[]
> {
  const plans: {
    fo: FulfillmentOrder;
    take: { line: FulfillmentOrderLine; quantity: number }[];
  }[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const field = ["fulfillmentOrderSplits", String(i)];
    const p = parseGid(input.fulfillmentOrderId);
    const fo = p?.type === "FulfillmentOrder" ? shop.fulfillmentOrders.get(p.id) : undefined;
    if (!fo)
      return fail(
        "Fulfillment order does not exist.",
        [...field, "fulfillmentOrderId"],
        "FULFILLMENT_ORDER_NOT_FOUND",
      );
    if (input.fulfillmentOrderLineItems.length === 0)
      return fail(
        "No line items provided to split.",
        [...field, "fulfillmentOrderLineItems"],
        "NO_LINE_ITEMS_PROVIDED_TO_SPLIT",
      );
    if (
      !["OPEN", "ON_HOLD", "SCHEDULED"].includes(fo.status) ||
      MOVE_BLOCKING_REQUEST_STATUSES.includes(fo.requestStatus)
    )
      // Shopify answers some of these states with a replacement fulfillment order; that path is not modelled.
      return fail(
        `Fulfillment order with status ${fo.status} and request status ${fo.requestStatus} can't be split`,
        [...field, "fulfillmentOrderId"],
      );
    const resolved = resolveLines(
      fo,
      input.fulfillmentOrderLineItems,
      [...field, "fulfillmentOrderLineItems"],
      {
        quantity: "INVALID_LINE_ITEM_QUANTITY",
        zero: "GREATER_THAN",
      },
    );
    if (!resolved.ok) return resolved;
    const taken = resolved.value.reduce((s, r) => s + r.quantity, 0);
    if (taken >= remaining(fo))
      return fail(
        "The quantities to split must leave at least one item on the original fulfillment order",
        [...field, "fulfillmentOrderLineItems"],
        "INVALID_LINE_ITEM_QUANTITY",
      );
    plans.push({ fo, take: resolved.value });
  }
  const results = plans.map(({ fo, take }) => {
    const splitLines = take.map((t) => ({ id: t.line.id, quantity: t.quantity }));
    const created = carve(state, shop, fo, take);
    // A line moved whole keeps its FulfillmentOrderLineItem id on the new fulfillment order
    // (fulfillmentOrderSplit's documented example: the split-off line keeps the id it was
    // given as); only a line divided between the two gets a new id for the part that moved.
    created.lineItems = created.lineItems.map((l, i) => {
      const t = take[i]!;
      const whole = t.line.totalQuantity === 0 && t.line.remainingQuantity === 0;
      return whole ? { ...l, id: t.line.id } : l;
    });
    created.holds = [];
    if (created.status === "ON_HOLD") {
      // Holds stay with the original; the new order carries a copy so it is not silently released.
      created.holds = fo.holds.map((h) => ({ ...h, id: state.nextId() }));
    }
    state.emit(shop, {
      topic: "fulfillment_orders/split",
      fulfillmentOrder: fo,
      remaining: created,
      replacement: null,
      splitLines,
    });
    return { fulfillmentOrder: fo, remaining: created, replacement: null };
  });
  return ok(results);
}

/** fulfillmentOrderMerge: each set of fulfillment orders (one order, one location) becomes one new fulfillment order. */
export function mergeFulfillmentOrders(
  state: SimState,
  shop: Shop,
  inputs: {
    mergeIntents: {
      fulfillmentOrderId: string;
      fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null;
    }[];
  }[],
): Result<FulfillmentOrder[]> {
  const sets: {
    all: { fo: FulfillmentOrder; take: { line: FulfillmentOrderLine; quantity: number }[] }[];
    intents: { fulfillmentOrderId: number; lines: LineQty[] }[];
  }[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const intents = inputs[i]!.mergeIntents;
    const field = ["fulfillmentOrderMergeInputs", String(i), "mergeIntents"];
    if (intents.length < 2)
      return fail("At least two fulfillment orders are needed to merge", field);
    const fos: FulfillmentOrder[] = [];
    const takes: { line: FulfillmentOrderLine; quantity: number }[][] = [];
    for (let j = 0; j < intents.length; j++) {
      const intent = intents[j]!;
      const p = parseGid(intent.fulfillmentOrderId);
      const fo = p?.type === "FulfillmentOrder" ? shop.fulfillmentOrders.get(p.id) : undefined;
      if (!fo)
        return fail(
          "Fulfillment order does not exist.",
          [...field, String(j), "fulfillmentOrderId"],
          "FULFILLMENT_ORDER_NOT_FOUND",
        );
      if (fos.some((f) => f.id === fo.id))
        return fail("A fulfillment order appears twice in the merge", [
          ...field,
          String(j),
          "fulfillmentOrderId",
        ]);
      if (!mergeable(fo))
        return fail(
          `Fulfillment order ${fo.id} can't be merged: it must be open, unsubmitted and not on hold`,
          [...field, String(j), "fulfillmentOrderId"],
        );
      if (
        fos[0] &&
        (fos[0].orderId !== fo.orderId || fos[0].assignedLocationId !== fo.assignedLocationId)
      )
        return fail(
          "Fulfillment orders to merge must belong to the same order and be assigned to the same location",
          [...field, String(j), "fulfillmentOrderId"],
        );
      // What fulfillmentOrdersForMerge does not list is not merged.
      if (fos[0] && !mergesWith(fos[0], fo, state.readings.mergeDeliveryMethod))
        return fail(
          `Fulfillment order ${fo.id} can't be merged with fulfillment order ${fos[0].id}`,
          [...field, String(j), "fulfillmentOrderId"],
        );
      let take = fo.lineItems
        .filter((l) => l.remainingQuantity > 0)
        .map((l) => ({ line: l, quantity: l.remainingQuantity }));
      if (intent.fulfillmentOrderLineItems && intent.fulfillmentOrderLineItems.length > 0) {
        const r = resolveLines(
          fo,
          intent.fulfillmentOrderLineItems,
          [...field, String(j), "fulfillmentOrderLineItems"],
          {
            quantity: "INVALID_LINE_ITEM_QUANTITY",
            zero: "GREATER_THAN",
          },
        );
        if (!r.ok) return r;
        take = r.value;
      }
      fos.push(fo);
      takes.push(take);
    }
    sets.push({
      all: fos.map((fo, k) => ({ fo, take: takes[k]! })),
      intents: fos.map((fo, k) => ({
        fulfillmentOrderId: fo.id,
        lines: takes[k]!.map((t) => ({ id: t.line.id, quantity: t.quantity })),
      })),
    });
  }
  const now = state.iso();
  // "The new fulfillment order as a result of the merge" (FulfillmentOrderMergeResult): a new id
  // and new line ids; the merged fulfillment orders close once nothing is left on them.
  const merged = sets.map(({ all, intents }) => {
    const first = all[0]!.fo;
    const quantities = new Map<number, number>();
    for (const { take } of all)
      for (const t of take)
        quantities.set(t.line.lineItemId, (quantities.get(t.line.lineItemId) ?? 0) + t.quantity);
    const created = newFulfillmentOrder(
      state,
      shop,
      orderOf(shop, first),
      first.assignedLocationId,
      [...quantities].map(([lineItemId, quantity]) => ({ lineItemId, quantity })),
      { status: "OPEN", requestStatus: "UNSUBMITTED", fulfillAt: first.fulfillAt ?? undefined },
    );
    for (const { fo, take } of all) {
      for (const t of take) {
        t.line.totalQuantity -= t.quantity;
        t.line.remainingQuantity -= t.quantity;
      }
      fo.lineItems = fo.lineItems.filter((l) => l.totalQuantity > 0);
      if (remaining(fo) === 0) fo.status = "CLOSED";
      fo.updatedAt = now;
    }
    state.emit(shop, { topic: "fulfillment_orders/merged", merged: created, intents });
    return created;
  });
  return ok(merged);
}

/**
 * fulfillmentOrderMove, as documented: refused while the request status is SUBMITTED, ACCEPTED,
 * CANCELLATION_REQUESTED or CANCELLATION_REJECTED, when closed, after progress was reported, or when
 * the destination doesn't stock the items. Moving everything of a fulfillment order that has nothing
 * fulfilled moves that same fulfillment order (the mutation's "first scenario"). Where a move of
 * some of the lines leaves them, Shopify's sources disagree, so the simulator plays each reading
 * (`state.readings.partialMove`, see movePart).
 */
export function moveFulfillmentOrder(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  newLocationId: string,
  lines?: { id: string; quantity: number }[] | null,
): Result<{
  original: FulfillmentOrder;
  moved: FulfillmentOrder;
  remaining: FulfillmentOrder | null;
}> {
  const p = parseGid(newLocationId);
  const dest = p?.type === "Location" ? shop.locations.get(p.id) : undefined;
  if (!dest || !dest.isActive) return fail("Location not found.", ["newLocationId"]);
  if (fo.status === "CLOSED" || fo.status === "CANCELLED")
    return fail("Cannot move a closed fulfillment order.", ["id"]);
  if (fo.status === "ON_HOLD")
    return fail("Cannot move a fulfillment order that is on hold. Release the hold first.", ["id"]);
  if (fo.progressReported)
    return fail(
      "Cannot move a fulfillment order that has had progress reported. Mark it as open first.",
      ["id"],
      progressCode(state, "CANNOT_MOVE_FULFILLMENT_ORDER_WITH_REPORTED_PROGRESS"),
    );
  if (MOVE_BLOCKING_REQUEST_STATUSES.includes(fo.requestStatus))
    return fail(
      `Cannot change the assigned location of a fulfillment order with request status ${fo.requestStatus}. The fulfillment service must first accept a cancellation request.`,
      ["id"],
    );
  if (dest.id === fo.assignedLocationId)
    return fail("The fulfillment order is already assigned to this location.", ["newLocationId"]);
  let take = fo.lineItems
    .filter((l) => l.remainingQuantity > 0)
    .map((l) => ({ line: l, quantity: l.remainingQuantity }));
  if (lines && lines.length > 0) {
    const r = resolveLines(fo, lines, ["fulfillmentOrderLineItems"]);
    if (!r.ok) return r;
    take = r.value;
  }
  if (take.length === 0)
    return fail("The fulfillment order has no unfulfilled line items to move.", ["id"]);
  for (const t of take) {
    const li = lineItemOf(shop, fo, t.line);
    if (!stocks(shop, li, dest.id))
      return fail(`${li.title} is not stocked at ${dest.name}.`, ["newLocationId"]);
  }
  const now = state.iso();
  const source = fo.assignedLocationId;
  // The commitment moves with the lines: available comes back at the source and goes at the
  // destination, and both levels are updated.
  const levels: (LevelChange | undefined)[] = [];
  for (const t of take) {
    const li = lineItemOf(shop, fo, t.line);
    levels.push(release(shop, li, source, t.quantity, "restock", now));
    levels.push(commit(shop, li, dest.id, t.quantity, now));
  }
  const requestedLines = take.map((t) => ({ id: t.line.id, quantity: t.quantity }));
  const untouched = fo.lineItems.every((l) => l.totalQuantity === l.remainingQuantity);
  const movesAll = take.reduce((s, t) => s + t.quantity, 0) === remaining(fo) && untouched;
  let moved: FulfillmentOrder;
  let remainingFo: FulfillmentOrder | null = null;
  if (movesAll) {
    fo.assignedLocationId = dest.id;
    if (fo.status === "INCOMPLETE") fo.status = "OPEN";
    fo.requestStatus = "UNSUBMITTED";
    touch(state, fo);
    moved = fo;
  } else {
    ({ moved, remaining: remainingFo } = movePart(state, shop, fo, take, dest.id, untouched));
  }
  state.emit(shop, {
    topic: "fulfillment_orders/moved",
    original: fo,
    moved,
    sourceLocationId: source,
    destinationLocationId: dest.id,
    requestedLines,
  });
  announceLevels(state, shop, levels);
  return ok({ original: fo, moved, remaining: remainingFo });
}

/**
 * A move of some of a fulfillment order's lines (or of one with something fulfilled). Shopify's
 * sources say three things, and `state.readings.partialMove` picks one:
 * - "carved" (default): the moved lines go to a new fulfillment order at the destination; the
 *   original keeps its id, its location and the rest. The mutation's "second scenario" ("re-assign a
 *   subset of the line items") and a merchant's report on Shopify's community forum
 *   ("Fulfillment Order Move API creates duplicate lines": moving 1 of 3 "creates a second
 *   fulfillment order ... original fulfillment order now has product B with quantity 2").
 * - "original_moves": FulfillmentOrderMovePayload.movedFulfillmentOrder: "If the original fulfillment
 *   order doesn't have any line items which are fully or partially fulfilled, the original
 *   fulfillment order will be moved to the new location": the original goes with the moved lines
 *   and the rest stay at the source on a new one (answered as remainingFulfillmentOrder).
 * - "original_closed": the mutation's "The existing fulfillment order is closed and line items are
 *   recreated in a new fulfillment order", and the fulfillment_orders/moved webhook's example (its
 *   original_fulfillment_order "closed", the moved one a new id): both parts are recreated, the
 *   original is closed and keeps only what was fulfilled of it.
 */
function movePart(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  take: { line: FulfillmentOrderLine; quantity: number }[],
  destinationId: number,
  untouched: boolean,
): { moved: FulfillmentOrder; remaining: FulfillmentOrder | null } {
  const init = {
    status: fo.status === "SCHEDULED" ? ("SCHEDULED" as const) : ("OPEN" as const),
    requestStatus: "UNSUBMITTED" as const,
  };
  const reading = state.readings.partialMove;
  // The order's other fulfillment orders already at the destination, before the move makes one.
  const occupants = occupantsOf(shop, fo, destinationId);
  if (reading === "original_moves" && untouched) {
    const taken = new Map(take.map((t) => [t.line.id, t.quantity]));
    const stays = fo.lineItems
      .map((line) => ({ line, quantity: line.remainingQuantity - (taken.get(line.id) ?? 0) }))
      .filter((t) => t.quantity > 0);
    const left = carve(state, shop, fo, stays, fo.assignedLocationId, {
      status: fo.status,
      requestStatus: fo.requestStatus,
    });
    fo.assignedLocationId = destinationId;
    fo.requestStatus = "UNSUBMITTED";
    touch(state, fo);
    intoOccupied(state, shop, fo, occupants);
    return { moved: fo, remaining: left };
  }
  const moved = carve(state, shop, fo, take, destinationId, init);
  intoOccupied(state, shop, moved, occupants);
  if (reading === "original_closed") {
    const rest = fo.lineItems
      .filter((l) => l.remainingQuantity > 0)
      .map((l) => ({ line: l, quantity: l.remainingQuantity }));
    if (rest.length > 0)
      carve(state, shop, fo, rest, fo.assignedLocationId, {
        status: fo.status,
        requestStatus: fo.requestStatus,
      });
    fo.status = "CLOSED";
    touch(state, fo);
    return { moved, remaining: null };
  }
  if (remaining(fo) === 0) fo.status = "CLOSED";
  return { moved, remaining: null };
}

/**
 * The order's fulfillment orders that a move of some lines to `destinationId` finds there: open,
 * nothing requested or fulfilled of them (what a merge of fulfillment orders asks too). A fulfilment
 * service's accepted work or a held one is not taken apart by a move in any of Shopify's sources.
 */
function occupantsOf(shop: Shop, fo: FulfillmentOrder, destinationId: number): FulfillmentOrder[] {
  return orderOf(shop, fo)
    .fulfillmentOrderIds.map((id) => shop.fulfillmentOrders.get(id)!)
    .filter(
      (other) =>
        other.id !== fo.id &&
        other.assignedLocationId === destinationId &&
        other.status === "OPEN" &&
        other.requestStatus === "UNSUBMITTED" &&
        other.lineItems.every((l) => l.totalQuantity === l.remainingQuantity),
    );
}

/**
 * fulfillmentOrderMove's second scenario: "If the new location is already assigned to another
 * active fulfillment order, on the same order, then a new fulfillment order is created. The
 * existing fulfillment order is closed and line items are recreated in a new fulfillment order."
 * Which fulfillment order that closes and where its lines go, the sentence leaves open, so
 * `state.readings.moveToOccupied` picks:
 * - "merged" (default): the one at the destination is closed and its lines are recreated on the
 *   new fulfillment order with the moved ones (the "new fulfillment order" of both sentences is one).
 * - "recreated": the one at the destination is closed and its lines are recreated on a new
 *   fulfillment order of their own, beside the one the moved lines are on.
 * - "beside": the one at the destination stays as it was (the forum report's second fulfillment
 *   order; the sentence read as about the original, which the partialMove readings play).
 */
function intoOccupied(
  state: SimState,
  shop: Shop,
  moved: FulfillmentOrder,
  occupants: FulfillmentOrder[],
) {
  const reading = state.readings.moveToOccupied;
  if (reading === "beside") return;
  for (const there of occupants) {
    const lines = there.lineItems
      .filter((l) => l.remainingQuantity > 0)
      .map((l) => ({ line: l, quantity: l.remainingQuantity }));
    if (reading === "recreated") {
      if (lines.length > 0) carve(state, shop, there, lines);
    } else {
      for (const { line, quantity } of lines) {
        const same = moved.lineItems.find((l) => l.lineItemId === line.lineItemId);
        if (same) {
          same.totalQuantity += quantity;
          same.remainingQuantity += quantity;
        } else
          moved.lineItems.push({
            id: state.nextId(),
            lineItemId: line.lineItemId,
            totalQuantity: quantity,
            remainingQuantity: quantity,
          });
        line.totalQuantity -= quantity;
        line.remainingQuantity -= quantity;
      }
      there.lineItems = there.lineItems.filter((l) => l.totalQuantity > 0);
      touch(state, moved);
    }
    there.status = "CLOSED";
    touch(state, there);
  }
}

function requireService(shop: Shop, fo: FulfillmentOrder): Result<FulfillmentServiceInfo> {
  const s = serviceOf(shop, fo);
  return s
    ? ok(s)
    : fail("The fulfillment order is not assigned to a fulfillment service location.", ["id"]);
}

function requireOwner(
  shop: Shop,
  fo: FulfillmentOrder,
  appKey: string,
): Result<FulfillmentServiceInfo> {
  const s = requireService(shop, fo);
  if (!s.ok) return s;
  if (s.value.ownerAppId !== appKey)
    return fail(
      "Only the fulfillment service app that owns the assigned location can answer this request.",
      ["id"],
      "ACCESS_DENIED",
    );
  return s;
}

/** fulfillmentOrderSubmitFulfillmentRequest: partial requests leave the rest on a new unsubmitted fulfillment order. */
export function submitFulfillmentRequest(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  input: {
    message?: string | null;
    notifyCustomer?: boolean | null;
    fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null;
  },
): Result<{
  original: FulfillmentOrder;
  submitted: FulfillmentOrder;
  unsubmitted: FulfillmentOrder | null;
}> {
  const s = requireService(shop, fo);
  if (!s.ok) return s;
  // The payload's userErrors are UserError, without a code (FulfillmentOrderSubmitFulfillment-
  // RequestPayload); Shopify's wording for this case is not documented, so this one is ours.
  if (s.value.takesRequests === false)
    return fail(
      `The fulfillment service "${s.value.handle}" doesn't accept fulfillment requests.`,
      ["id"],
    );
  if (fo.status !== "OPEN" && fo.status !== "INCOMPLETE")
    return fail(`Fulfillment order with status ${fo.status} can't be requested for fulfillment.`, [
      "id",
    ]);
  if (!["UNSUBMITTED", "REJECTED", "CANCELLATION_ACCEPTED", "CLOSED"].includes(fo.requestStatus))
    return fail(`Fulfillment order already has request status ${fo.requestStatus}.`, ["id"]);
  let unsubmitted: FulfillmentOrder | null = null;
  let submitted = fo;
  const partial = input.fulfillmentOrderLineItems ?? [];
  if (fo.status === "INCOMPLETE") {
    // Re-requesting after the service closed it: Shopify answers with a new fulfillment order.
    const take = fo.lineItems
      .filter((l) => l.remainingQuantity > 0)
      .map((l) => ({ line: l, quantity: l.remainingQuantity }));
    submitted = carve(state, shop, fo, take, fo.assignedLocationId, {
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
    });
    fo.status = "CLOSED";
  } else if (partial.length > 0) {
    const r = resolveLines(fo, partial, ["fulfillmentOrderLineItems"]);
    if (!r.ok) return r;
    const wanted = new Map(r.value.map((x) => [x.line.id, x.quantity]));
    const rest = fo.lineItems
      .map((l) => ({ line: l, quantity: l.remainingQuantity - (wanted.get(l.id) ?? 0) }))
      .filter((x) => x.quantity > 0);
    // Shopify's docs describe the remainder as "the new fulfillment order"; the submitted lines keep the original id.
    if (rest.length > 0)
      unsubmitted = carve(state, shop, fo, rest, fo.assignedLocationId, {
        status: "OPEN",
        requestStatus: "UNSUBMITTED",
      });
  }
  const request = {
    id: state.nextId(),
    kind: "FULFILLMENT_REQUEST" as const,
    message: input.message ?? null,
    requestOptions: { notify_customer: input.notifyCustomer ?? false },
    responseData: null,
    sentAt: state.iso(),
  };
  submitted.merchantRequests.push(request);
  submitted.requestStatus = "SUBMITTED";
  submitted.status = "OPEN";
  touch(state, submitted);
  state.emit(shop, {
    topic: "fulfillment_orders/fulfillment_request_submitted",
    original: fo,
    submitted,
    request: { id: request.id, message: request.message },
  });
  return ok({ original: fo, submitted, unsubmitted });
}

export function acceptFulfillmentRequest(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  appKey: string,
  input: { message?: string | null; estimatedShippedAt?: string | null } = {},
): Result<FulfillmentOrder> {
  const s = requireOwner(shop, fo, appKey);
  if (!s.ok) return s;
  if (fo.requestStatus !== "SUBMITTED")
    return fail(
      `Cannot accept a fulfillment request when the request status is ${fo.requestStatus}.`,
      ["id"],
    );
  fo.requestStatus = "ACCEPTED";
  fo.status = "IN_PROGRESS";
  const req = [...fo.merchantRequests].reverse().find((r) => r.kind === "FULFILLMENT_REQUEST");
  if (req)
    req.responseData = {
      accepted: true,
      message: input.message ?? null,
      estimated_shipped_at: input.estimatedShippedAt ?? null,
    };
  touch(state, fo);
  state.emit(shop, {
    topic: "fulfillment_orders/fulfillment_request_accepted",
    fulfillmentOrder: fo,
    message: input.message ?? null,
  });
  return ok(fo);
}

export function rejectFulfillmentRequest(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  appKey: string,
  input: { message?: string | null; reason?: string | null } = {},
): Result<FulfillmentOrder> {
  const s = requireOwner(shop, fo, appKey);
  if (!s.ok) return s;
  if (fo.requestStatus !== "SUBMITTED")
    return fail(
      `Cannot reject a fulfillment request when the request status is ${fo.requestStatus}.`,
      ["id"],
    );
  fo.requestStatus = "REJECTED";
  fo.status = "OPEN";
  const req = [...fo.merchantRequests].reverse().find((r) => r.kind === "FULFILLMENT_REQUEST");
  if (req)
    req.responseData = {
      accepted: false,
      message: input.message ?? null,
      reason: input.reason ?? null,
    };
  touch(state, fo);
  state.emit(shop, {
    topic: "fulfillment_orders/fulfillment_request_rejected",
    fulfillmentOrder: fo,
    message: input.message ?? null,
  });
  return ok(fo);
}

export function submitCancellationRequest(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  message?: string | null,
): Result<FulfillmentOrder> {
  const s = requireService(shop, fo);
  if (!s.ok) return s;
  if (fo.requestStatus !== "ACCEPTED" && fo.requestStatus !== "CANCELLATION_REJECTED")
    return fail(
      fo.requestStatus === "SUBMITTED"
        ? "The fulfillment request hasn't been accepted yet: cancel the fulfillment order instead."
        : `Cannot request cancellation when the request status is ${fo.requestStatus}.`,
      ["id"],
    );
  const request = {
    id: state.nextId(),
    kind: "CANCELLATION_REQUEST" as const,
    message: message ?? null,
    requestOptions: {},
    responseData: null,
    sentAt: state.iso(),
  };
  fo.merchantRequests.push(request);
  fo.requestStatus = "CANCELLATION_REQUESTED";
  touch(state, fo);
  state.emit(shop, {
    topic: "fulfillment_orders/cancellation_request_submitted",
    fulfillmentOrder: fo,
    request: { id: request.id, message: request.message },
  });
  return ok(fo);
}

/** The fulfillment order that takes over the unfulfilled work of one that is being let go. */
function replacementFor(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
): FulfillmentOrder | null {
  const take = fo.lineItems
    .filter((l) => l.remainingQuantity > 0)
    .map((l) => ({ line: l, quantity: l.remainingQuantity }));
  if (take.length === 0) return null;
  const order = orderOf(shop, fo);
  const created = newFulfillmentOrder(
    state,
    shop,
    order,
    fo.assignedLocationId,
    take.map((t) => ({ lineItemId: t.line.lineItemId, quantity: t.quantity })),
    { status: "OPEN", requestStatus: "UNSUBMITTED" },
  );
  for (const t of take) t.line.remainingQuantity -= t.quantity;
  return created;
}

/**
 * The service accepts a cancellation request. Shopify's sources disagree on the result, so the
 * simulator plays either reading (`state.readings.cancellationAccepted`):
 * - "closed" (the fulfillment_orders/cancellation_request_accepted webhook example shows status
 *   "closed"): the fulfillment order closes and the unfulfilled work returns to the merchant on a
 *   new OPEN fulfillment order at the same location ("returns the control to the merchant"; the
 *   new id is our reading, Shopify's docs don't spell it out);
 * - "cancelled" (the fulfillmentOrderAcceptCancellationRequest examples): the fulfillment order is
 *   CANCELLED with request status CANCELLATION_ACCEPTED and its line items keep their remaining
 *   quantities: the work is still on it and no new fulfillment order is opened.
 */
export function acceptCancellationRequest(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  appKey: string,
  message?: string | null,
): Result<{ fulfillmentOrder: FulfillmentOrder; replacement: FulfillmentOrder | null }> {
  const s = requireOwner(shop, fo, appKey);
  if (!s.ok) return s;
  if (fo.requestStatus !== "CANCELLATION_REQUESTED")
    return fail(
      `Cannot accept a cancellation request when the request status is ${fo.requestStatus}.`,
      ["id"],
    );
  const closedReading = state.readings.cancellationAccepted === "closed";
  const replacement = closedReading ? replacementFor(state, shop, fo) : null;
  fo.requestStatus = "CANCELLATION_ACCEPTED";
  fo.status = closedReading ? "CLOSED" : "CANCELLED";
  touch(state, fo);
  state.emit(shop, {
    topic: "fulfillment_orders/cancellation_request_accepted",
    fulfillmentOrder: fo,
    message: message ?? null,
  });
  return ok({ fulfillmentOrder: fo, replacement });
}

export function rejectCancellationRequest(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  appKey: string,
  message?: string | null,
): Result<FulfillmentOrder> {
  const s = requireOwner(shop, fo, appKey);
  if (!s.ok) return s;
  if (fo.requestStatus !== "CANCELLATION_REQUESTED")
    return fail(
      `Cannot reject a cancellation request when the request status is ${fo.requestStatus}.`,
      ["id"],
    );
  fo.requestStatus = "CANCELLATION_REJECTED";
  fo.status = "IN_PROGRESS";
  touch(state, fo);
  state.emit(shop, {
    topic: "fulfillment_orders/cancellation_request_rejected",
    fulfillmentOrder: fo,
    message: message ?? null,
  });
  return ok(fo);
}

/**
 * fulfillmentOrderCancel: works when the request status is SUBMITTED or CANCELLATION_REQUESTED;
 * "creates a replacement fulfillment order to represent the work left to be done. The original
 * fulfillment order will be marked as closed" (the mutation's description). The
 * fulfillment_orders/cancelled webhook example shows "cancelled", but the mutation's own words
 * are the more specific source: the original is CLOSED and the topic still fires.
 */
export function cancelFulfillmentOrder(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
): Result<{ fulfillmentOrder: FulfillmentOrder; replacement: FulfillmentOrder | null }> {
  if (fo.progressReported)
    return fail(
      "Fulfillment order has manually reported progress.",
      ["id"],
      progressCode(state, "FULFILLMENT_ORDER_HAS_MANUALLY_REPORTED_PROGRESS"),
    );
  if (fo.requestStatus !== "SUBMITTED" && fo.requestStatus !== "CANCELLATION_REQUESTED")
    return fail("Fulfillment order is not in cancelable request state and can't be canceled.", [
      "id",
    ]);
  const replacement = replacementFor(state, shop, fo);
  fo.status = "CLOSED";
  touch(state, fo);
  state.emit(shop, { topic: "fulfillment_orders/cancelled", fulfillmentOrder: fo, replacement });
  return ok({ fulfillmentOrder: fo, replacement });
}

/** The code of a refusal for reported progress, under the reading played (Readings.progressRefusal). */
function progressCode(state: SimState, code: string): string | null {
  return state.readings.progressRefusal === "coded" ? code : null;
}

/**
 * Staff report progress on a fulfillment order they fulfil themselves (admin's "Mark as in
 * progress", fulfillmentOrderReportProgress: "an open or in-progress fulfillment order"): it is
 * IN_PROGRESS until marked as open, and neither moves nor is cancelled meanwhile.
 */
export function reportProgress(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
): Result<FulfillmentOrder> {
  if ((fo.status !== "OPEN" && fo.status !== "IN_PROGRESS") || serviceOf(shop, fo))
    return fail(`Fulfillment order with status ${fo.status} can't have progress reported.`, ["id"]);
  fo.status = "IN_PROGRESS";
  fo.progressReported = true;
  touch(state, fo);
  return ok(fo);
}

/** fulfillmentOrderOpen: a scheduled one opens now; since 2026-01 also a merchant-managed one with reported progress. */
export function openFulfillmentOrder(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
): Result<FulfillmentOrder> {
  if (fo.status === "SCHEDULED") {
    fo.status = "OPEN";
  } else if (fo.status === "IN_PROGRESS" && fo.progressReported && !serviceOf(shop, fo)) {
    fo.progressReported = false;
    fo.status = fo.lineItems.every((l) => l.remainingQuantity === l.totalQuantity)
      ? "OPEN"
      : "IN_PROGRESS";
  } else {
    return fail(`Fulfillment order with status ${fo.status} can't be marked as open.`, ["id"]);
  }
  touch(state, fo);
  return ok(fo);
}

/** The fulfilment service gives up (fulfillmentOrderClose): INCOMPLETE, and the merchant gets control back. */
export function closeFulfillmentOrder(
  state: SimState,
  shop: Shop,
  fo: FulfillmentOrder,
  appKey: string,
  message?: string | null,
): Result<FulfillmentOrder> {
  const s = requireOwner(shop, fo, appKey);
  if (!s.ok) return s;
  if (fo.status !== "IN_PROGRESS" || fo.requestStatus !== "ACCEPTED")
    return fail(
      "Only an accepted fulfillment order in progress can be closed by its fulfillment service.",
      ["id"],
    );
  fo.status = "INCOMPLETE";
  fo.requestStatus = "CLOSED";
  touch(state, fo);
  // "Occurs when a fulfillment service intends to close an in_progress fulfillment order" (topic description).
  state.emit(shop, {
    topic: "fulfillment_orders/fulfillment_service_failed_to_complete",
    fulfillmentOrder: fo,
    message: message ?? null,
  });
  return ok(fo);
}

export interface FulfillmentCreateInput {
  lineItemsByFulfillmentOrder: {
    fulfillmentOrderId: string;
    fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null;
  }[];
  notifyCustomer?: boolean | null;
  trackingInfo?: {
    company?: string | null;
    number?: string | null;
    numbers?: string[] | null;
    url?: string | null;
    urls?: string[] | null;
  } | null;
}

/**
 * fulfillmentCreate. Since API 2024-10 an app can't fulfil a fulfillment order assigned to a
 * fulfillment service it doesn't own (changelog "Order Management apps can no longer fulfill orders
 * that are assigned to a different fulfillment service"): refused with a userError.
 */
export function createFulfillment(
  state: SimState,
  shop: Shop,
  appKey: string,
  input: FulfillmentCreateInput,
): Result<Fulfillment> {
  const groups = input.lineItemsByFulfillmentOrder ?? [];
  const base = ["fulfillment", "lineItemsByFulfillmentOrder"];
  if (groups.length === 0) return fail("Line items by fulfillment order can't be blank", base);
  const plan: { fo: FulfillmentOrder; take: { line: FulfillmentOrderLine; quantity: number }[] }[] =
    [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const field = [...base, String(i)];
    const p = parseGid(g.fulfillmentOrderId);
    const fo = p?.type === "FulfillmentOrder" ? shop.fulfillmentOrders.get(p.id) : undefined;
    if (!fo) return fail("Fulfillment order does not exist.", [...field, "fulfillmentOrderId"]);
    const first = plan[0]?.fo;
    if (
      first &&
      (first.orderId !== fo.orderId || first.assignedLocationId !== fo.assignedLocationId)
    )
      return fail(
        "All fulfillment orders must belong to the same order and be assigned to the same location.",
        [...field, "fulfillmentOrderId"],
      );
    const service = serviceOf(shop, fo);
    if (service && service.ownerAppId !== appKey)
      return fail(
        `The fulfillment order is assigned to the fulfillment service "${service.handle}", which this app doesn't own. Since API version 2024-10 only that fulfillment service can create fulfillments for it; send a cancellation request and move it first.`,
        [...field, "fulfillmentOrderId"],
      );
    if (fo.status === "ON_HOLD")
      return fail("The fulfillment order is on hold and can't be fulfilled.", [
        ...field,
        "fulfillmentOrderId",
      ]);
    if (fo.status === "SCHEDULED")
      return fail("The fulfillment order is scheduled and can't be fulfilled yet.", [
        ...field,
        "fulfillmentOrderId",
      ]);
    if (fo.status !== "OPEN" && fo.status !== "IN_PROGRESS")
      return fail(`Fulfillment order with status ${fo.status} can't be fulfilled.`, [
        ...field,
        "fulfillmentOrderId",
      ]);
    if (
      service &&
      !["ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"].includes(fo.requestStatus)
    )
      return fail(
        "The fulfillment request must be accepted before the fulfillment service creates fulfillments.",
        [...field, "fulfillmentOrderId"],
      );
    let take = fo.lineItems
      .filter((l) => l.remainingQuantity > 0)
      .map((l) => ({ line: l, quantity: l.remainingQuantity }));
    if (g.fulfillmentOrderLineItems && g.fulfillmentOrderLineItems.length > 0) {
      const r = resolveLines(fo, g.fulfillmentOrderLineItems, [
        ...field,
        "fulfillmentOrderLineItems",
      ]);
      if (!r.ok) return r;
      take = r.value;
    }
    if (take.length === 0)
      return fail("The fulfillment order has no remaining items to fulfill.", [
        ...field,
        "fulfillmentOrderId",
      ]);
    plan.push({ fo, take });
  }
  const firstFo = plan[0]!.fo;
  const order = orderOf(shop, firstFo);
  if (order.cancelledAt) return fail("The order has been cancelled.", base);
  const now = state.iso();
  const t = input.trackingInfo;
  const numbers = t ? [...(t.number ? [t.number] : []), ...(t.numbers ?? [])] : [];
  const urls = t ? [...(t.url ? [t.url] : []), ...(t.urls ?? [])] : [];
  const tracking =
    numbers.length > 0
      ? numbers.map((n, i) => ({ company: t?.company ?? null, number: n, url: urls[i] ?? null }))
      : t?.company || urls.length > 0
        ? [{ company: t?.company ?? null, number: null, url: urls[0] ?? null }]
        : [];
  const fulfillment: Fulfillment = {
    id: state.nextId(),
    orderId: order.id,
    locationId: firstFo.assignedLocationId,
    name: `${order.name}.${order.fulfillmentIds.length + 1}`,
    status: "SUCCESS",
    createdAt: now,
    updatedAt: now,
    tracking,
    notifyCustomer: input.notifyCustomer ?? false,
    lines: [],
    fulfillmentOrderIds: plan.map((x) => x.fo.id),
    createdByAppId: appKey,
  };
  // What ships leaves the building: committed and on hand go down, available stays.
  const taken: (LevelChange | undefined)[] = [];
  for (const { fo, take } of plan) {
    for (const tk of take) {
      tk.line.remainingQuantity -= tk.quantity;
      taken.push(
        release(
          shop,
          lineItemOf(shop, fo, tk.line),
          fo.assignedLocationId,
          tk.quantity,
          "fulfil",
          now,
        ),
      );
      fulfillment.lines.push({
        id: state.nextId(),
        lineItemId: tk.line.lineItemId,
        fulfillmentOrderId: fo.id,
        fulfillmentOrderLineItemId: tk.line.id,
        quantity: tk.quantity,
      });
    }
    fo.status = remaining(fo) === 0 ? "CLOSED" : "IN_PROGRESS";
    fo.fulfillmentIds.push(fulfillment.id);
    touch(state, fo);
  }
  shop.fulfillments.set(fulfillment.id, fulfillment);
  order.fulfillmentIds.push(fulfillment.id);
  order.updatedAt = now;
  const allDone = order.lineItems.every(
    (li) => fulfilledQuantity(shop, li.id) >= li.currentQuantity,
  );
  state.emit(shop, { topic: "fulfillments/create", order, fulfillment });
  state.emit(shop, { topic: allDone ? "orders/fulfilled" : "orders/partially_fulfilled", order });
  state.emit(shop, { topic: "orders/updated", order });
  announceLevels(state, shop, taken);
  return ok(fulfillment);
}

/** Active fulfillment orders of an order (not closed or cancelled). */
export function activeFulfillmentOrders(shop: Shop, order: Order): FulfillmentOrder[] {
  return orderFulfillmentOrders(shop, order).filter(isActive);
}

export type { UserError };
