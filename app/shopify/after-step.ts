// What Shopify's state of an order is after a Step, from the mutation's own answer: the hold,
// release and request mutations return the fulfillment order as it now stands, split and move the
// fulfillment orders they left (new ids included), so the executor plans the next round without
// reading the order again. A Step whose answer does not say enough answers null: read it again.
import type {
  FulfillmentHoldReason,
  FulfillmentOrder,
  FulfillmentOrderRequestStatus,
  FulfillmentOrderStatus,
  OrderSnapshot,
  Step,
  StepInputs,
} from "../routing";

/** A fulfillment order as the hold, release and request mutations return it. */
interface ReturnedFulfillmentOrder {
  id: string;
  status: string;
  requestStatus: string;
  fulfillmentHolds: {
    id: string;
    handle: string | null;
    reason: string;
    reasonNotes: string | null;
    heldByRequestingApp: boolean;
  }[];
  supportedActions: { action: string }[];
}

function isReturned(value: unknown): value is ReturnedFulfillmentOrder {
  const fo = value as Partial<ReturnedFulfillmentOrder> | null | undefined;
  return (
    !!fo &&
    typeof fo.id === "string" &&
    typeof fo.status === "string" &&
    typeof fo.requestStatus === "string" &&
    Array.isArray(fo.fulfillmentHolds) &&
    Array.isArray(fo.supportedActions)
  );
}

/** The snapshot with one fulfillment order replaced by what Shopify returned for it. */
function withReturned(snapshot: OrderSnapshot, returned: unknown): OrderSnapshot | null {
  if (!isReturned(returned)) return null;
  const index = snapshot.fulfillmentOrders.findIndex((fo) => fo.id === returned.id);
  if (index < 0) return null;
  const before = snapshot.fulfillmentOrders[index]!;
  const after: FulfillmentOrder = {
    ...before,
    status: returned.status as FulfillmentOrderStatus,
    requestStatus: returned.requestStatus as FulfillmentOrderRequestStatus,
    supportedActions: returned.supportedActions.map((a) => a.action),
    holds: returned.fulfillmentHolds.map((h) => ({
      id: h.id,
      reason: h.reason as FulfillmentHoldReason,
      reasonNotes: h.reasonNotes ?? null,
      handle: h.handle ?? null,
      heldByRequestingApp: h.heldByRequestingApp,
    })),
  };
  const fulfillmentOrders = [...snapshot.fulfillmentOrders];
  fulfillmentOrders[index] = after;
  return { ...snapshot, fulfillmentOrders };
}

/** A fulfillment order as split and move return it in full (ChangedFulfillmentOrder). */
interface ChangedFulfillmentOrder extends ReturnedFulfillmentOrder {
  assignedLocation: {
    name: string;
    location: {
      id: string;
      fulfillmentService: { handle: string; serviceName: string } | null;
    } | null;
  };
  lineItems: {
    nodes: {
      id: string;
      remainingQuantity: number;
      totalQuantity: number;
      lineItem: { id: string };
    }[];
  };
}

/** How many lines of a fulfillment order split and move return (their `$fulfillmentOrderLines`). */
export const CHANGED_FULFILLMENT_ORDER_LINES = 10;

/**
 * The line page split and move ask for on an order of `orderLines` lines: one more than the order
 * has, at most CHANGED_FULFILLMENT_ORDER_LINES. A fulfillment order lists each order line once,
 * so a page one longer than the order is never filled by an answer planned on; Shopify charges
 * (and the bucket must hold) 2 a line asked for before the mutation runs, so a one-line order's
 * move asked 54 or 61 points where 22 of them were ever spent (ADR 105). Unknown (undefined):
 * the full page.
 */
export function changedLinesFor(orderLines: number | undefined): number {
  if (orderLines === undefined) return CHANGED_FULFILLMENT_ORDER_LINES;
  return Math.max(1, Math.min(CHANGED_FULFILLMENT_ORDER_LINES, orderLines + 1));
}

/**
 * A fulfillment order split or move returned, as the engine sees it; null when the answer is not
 * whole (no location, or as many lines as were asked for, so maybe more): read the order again.
 */
function changedFulfillmentOrder(
  snapshot: OrderSnapshot,
  returned: unknown,
): FulfillmentOrder | null {
  if (!isReturned(returned)) return null;
  const fo = returned as ChangedFulfillmentOrder;
  const location = fo.assignedLocation?.location;
  const lines = fo.lineItems?.nodes;
  // A page as long as the one asked for may have left lines out; never longer than the full one.
  // The asker sized it by this order's lines (changedLinesFor), or asked the full page.
  if (
    !location ||
    !Array.isArray(lines) ||
    lines.length >= changedLinesFor(snapshot.lineItems.length)
  )
    return null;
  // Every line is one the order already had: a split or a move makes no new order lines.
  const known = new Set(snapshot.lineItems.map((line) => line.id));
  if (!lines.every((line) => known.has(line.lineItem.id))) return null;
  const service = location.fulfillmentService;
  return {
    id: fo.id,
    status: fo.status as FulfillmentOrderStatus,
    requestStatus: fo.requestStatus as FulfillmentOrderRequestStatus,
    assignedLocation: { locationId: location.id, name: fo.assignedLocation.name },
    fulfillmentService: service ? { handle: service.handle, name: service.serviceName } : null,
    supportedActions: fo.supportedActions.map((a) => a.action),
    holds: fo.fulfillmentHolds.map((h) => ({
      id: h.id,
      reason: h.reason as FulfillmentHoldReason,
      reasonNotes: h.reasonNotes ?? null,
      handle: h.handle ?? null,
      heldByRequestingApp: h.heldByRequestingApp,
    })),
    lineItems: lines.map((line) => ({
      id: line.id,
      lineItemId: line.lineItem.id,
      remainingQuantity: line.remainingQuantity,
      totalQuantity: line.totalQuantity,
    })),
  };
}

/**
 * The snapshot with these fulfillment orders as Shopify returned them: each in its place, a new
 * one after the others (Shopify numbers a new fulfillment order after the order's others, and a
 * read lists them in that order). Null when one of them is not whole.
 */
function withChanged(snapshot: OrderSnapshot, returned: readonly unknown[]): OrderSnapshot | null {
  const fulfillmentOrders = [...snapshot.fulfillmentOrders];
  for (const one of returned) {
    const fo = changedFulfillmentOrder(snapshot, one);
    if (!fo) return null;
    const index = fulfillmentOrders.findIndex((existing) => existing.id === fo.id);
    if (index >= 0) fulfillmentOrders[index] = fo;
    else fulfillmentOrders.push(fo);
  }
  return { ...snapshot, fulfillmentOrders };
}

/** The fulfillment orders a split left: each split one and the part split off it. */
function afterSplit(snapshot: OrderSnapshot, outcome: Record<string, unknown>) {
  const splits = outcome.fulfillmentOrderSplits as
    | {
        fulfillmentOrder?: unknown;
        remainingFulfillmentOrder?: unknown;
        replacementFulfillmentOrder?: unknown;
      }[]
    | null
    | undefined;
  if (!Array.isArray(splits) || splits.length === 0) return null;
  // A replacement means the split one could not be split as it stood: only a read says how.
  if (splits.some((split) => split.replacementFulfillmentOrder)) return null;
  return withChanged(
    snapshot,
    splits.flatMap((split) => [split.fulfillmentOrder, split.remainingFulfillmentOrder]),
  );
}

/**
 * The fulfillment orders a move left. Moving the whole of one nothing was fulfilled of keeps its id
 * (fulfillmentOrderMove's first scenario): the moved one is the original at its new location. A
 * move of some lines is afterPartialMove's. Any other answer is read again.
 */
function afterMove(
  snapshot: OrderSnapshot,
  input: StepInputs["fulfillmentOrderMove"],
  outcome: Record<string, unknown>,
) {
  if (outcome.remainingFulfillmentOrder) return null;
  if (input.fulfillmentOrderLineItems && input.fulfillmentOrderLineItems.length > 0)
    return afterPartialMove(snapshot, input, outcome);
  const moved = outcome.movedFulfillmentOrder as { id?: unknown } | null | undefined;
  const original = outcome.originalFulfillmentOrder as { id?: unknown } | null | undefined;
  if (moved?.id !== input.id || (original && original.id !== input.id)) return null;
  return withChanged(snapshot, [moved]);
}

/** How many units of each order line a fulfillment order has left to fulfil. */
function remainingByLine(fos: readonly FulfillmentOrder[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const fo of fos)
    for (const line of fo.lineItems)
      if (line.remainingQuantity > 0)
        units.set(line.lineItemId, (units.get(line.lineItemId) ?? 0) + line.remainingQuantity);
  return units;
}

/** Units of each order line the open fulfillment orders hold, in a comparable form. */
function sameUnits(a: readonly FulfillmentOrder[], b: readonly FulfillmentOrder[]): boolean {
  const had = remainingByLine(a);
  const has = remainingByLine(b);
  return had.size === has.size && [...had].every(([line, units]) => has.get(line) === units);
}

const isOpen = (fo: FulfillmentOrder) => fo.status !== "CLOSED" && fo.status !== "CANCELLED";

/**
 * Every fulfillment order of the order after a move, by id and status, as the move's answer lists
 * them when asked (`$withOrderFulfillmentOrders`, asked when another fulfillment order of the order
 * is at the destination); null when not asked or when the list fills its size (maybe more).
 */
function listedFulfillmentOrders(
  outcome: Record<string, unknown>,
  size: number,
): Map<string, string> | null {
  const moved = outcome.movedFulfillmentOrder as
    | { order?: { fulfillmentOrders?: { nodes?: { id?: unknown; status?: unknown }[] } } }
    | null
    | undefined;
  const nodes = moved?.order?.fulfillmentOrders?.nodes;
  if (!Array.isArray(nodes) || nodes.length >= size) return null;
  const listed = new Map<string, string>();
  for (const node of nodes) {
    if (typeof node.id !== "string" || typeof node.status !== "string") return null;
    listed.set(node.id, node.status);
  }
  return listed;
}

/**
 * How many of the order's fulfillment orders a move's answer lists when the destination has
 * another one of the order (MOVE_ORDER_FULFILLMENT_ORDERS_ROOM more than the order had: the moved
 * part, the rest and a recreated one can each be new); 0 when none is there.
 */
export const MOVE_ORDER_FULFILLMENT_ORDERS_ROOM = 3;
export function moveListsOrderFulfillmentOrders(
  snapshot: OrderSnapshot | null,
  step: Step,
): number {
  if (!snapshot || step.kind !== "fulfillmentOrderMove") return 0;
  const lines = step.input.fulfillmentOrderLineItems;
  if (!lines || lines.length === 0) return 0;
  const occupied = snapshot.fulfillmentOrders.some(
    (fo) =>
      fo.id !== step.input.id &&
      fo.assignedLocation.locationId === step.input.newLocationId &&
      isOpen(fo),
  );
  return occupied ? snapshot.fulfillmentOrders.length + MOVE_ORDER_FULFILLMENT_ORDERS_ROOM : 0;
}

/**
 * A move of some lines (ADR 030), planned on Shopify's answer only where it says where every unit
 * went: the original kept its id and its location with the rest, the moved lines are on a
 * fulfillment order at the destination, and together they hold what the original held. Where
 * another open fulfillment order of the order was at the destination, fulfillmentOrderMove's
 * description says "a new fulfillment order is created. The existing fulfillment order is closed
 * and line items are recreated in a new fulfillment order" without saying which closes or where
 * its lines go; the answer then lists every fulfillment order of the order by id and status, and
 * the order is planned on it when each is the answer's own, one as it was (same id, same status),
 * or one at the destination now closed whose units the answer's hold (the new one took its lines),
 * and every unit of the order is still on exactly one open fulfillment order. Shopify's sources
 * also say the original itself may go, or be closed with both parts recreated, or the one at the
 * destination may be recreated apart: those answers (a fulfillment order the answer names
 * nowhere), and any other, are read again.
 */
function afterPartialMove(
  snapshot: OrderSnapshot,
  input: StepInputs["fulfillmentOrderMove"],
  outcome: Record<string, unknown>,
): OrderSnapshot | null {
  const before = snapshot.fulfillmentOrders.find((fo) => fo.id === input.id);
  const moved = changedFulfillmentOrder(snapshot, outcome.movedFulfillmentOrder);
  const original = changedFulfillmentOrder(snapshot, outcome.originalFulfillmentOrder);
  if (!before || !moved || !original) return null;
  if (original.id !== before.id || moved.id === before.id) return null;
  if (original.assignedLocation.locationId !== before.assignedLocation.locationId) return null;
  if (moved.assignedLocation.locationId !== input.newLocationId) return null;
  const atDestination = snapshot.fulfillmentOrders.filter(
    (fo) =>
      fo.id !== before.id && fo.assignedLocation.locationId === input.newLocationId && isOpen(fo),
  );
  if (atDestination.length === 0) {
    if (snapshot.fulfillmentOrders.some((fo) => fo.id === moved.id)) return null;
    if (!sameUnits([before], [original, moved])) return null;
    return withChanged(snapshot, [outcome.originalFulfillmentOrder, outcome.movedFulfillmentOrder]);
  }
  const listed = listedFulfillmentOrders(
    outcome,
    snapshot.fulfillmentOrders.length + MOVE_ORDER_FULFILLMENT_ORDERS_ROOM,
  );
  if (!listed || listed.get(original.id) !== original.status) return null;
  if (listed.get(moved.id) !== moved.status) return null;
  // The moved lines may be on one that was there already (it took them) or on a new one.
  const movedWasThere = snapshot.fulfillmentOrders.find((fo) => fo.id === moved.id);
  if (movedWasThere && !atDestination.includes(movedWasThere)) return null;
  const answered = new Map([original, moved].map((fo) => [fo.id, fo]));
  const fulfillmentOrders: FulfillmentOrder[] = [];
  for (const fo of snapshot.fulfillmentOrders) {
    const status = listed.get(fo.id);
    const mine = answered.get(fo.id);
    if (mine) fulfillmentOrders.push(mine);
    else if (status === fo.status) fulfillmentOrders.push(fo);
    else if (status === "CLOSED" && atDestination.includes(fo))
      // Closed, its lines recreated on the new one: only what was fulfilled of it stays on it.
      fulfillmentOrders.push({
        ...fo,
        status: "CLOSED",
        supportedActions: [],
        holds: [],
        lineItems: fo.lineItems
          .filter((line) => line.totalQuantity > line.remainingQuantity)
          .map((line) => ({
            ...line,
            totalQuantity: line.totalQuantity - line.remainingQuantity,
            remainingQuantity: 0,
          })),
      });
    else return null;
  }
  // Shopify numbers a new fulfillment order after the order's others, as a read lists them.
  if (!movedWasThere) fulfillmentOrders.push(moved);
  // A fulfillment order the answer names nowhere (a part recreated apart): only a read says.
  if ([...listed.keys()].some((id) => !fulfillmentOrders.some((fo) => fo.id === id))) return null;
  if (listed.size !== fulfillmentOrders.length) return null;
  if (!sameUnits(snapshot.fulfillmentOrders.filter(isOpen), fulfillmentOrders.filter(isOpen)))
    return null;
  return { ...snapshot, fulfillmentOrders };
}

/** Was the lines' stock read for this snapshot (a rule splits by stock)? */
function readsStock(snapshot: OrderSnapshot): boolean {
  return snapshot.fulfillmentOrders.some((fo) =>
    fo.lineItems.some((line) => line.inStockQuantity !== undefined || line.stockUnknown),
  );
}

/**
 * The order after a split, its lines' stock carried over from the read before it, where that is
 * what a read would find now (ADR 085): a split leaves every unit at its location, and Shopify's
 * `available` there does not change, so each line's stock stays with its units, the part left
 * on the original fulfillment order served first, as readStock hands it out (by fulfillment order
 * id; Shopify numbers the part split off after the order's others). That holds when the part split
 * off has none of it: a split by stock takes off exactly the units not in stock. A split that
 * takes units in stock off (by vendor, say, in a shop that also splits by stock) would give them
 * to the part split off where a read may hand them to another fulfillment order's lines of the
 * same item first: that one is read again, as is any answer not whole.
 */
function withStockCarried(before: OrderSnapshot, after: OrderSnapshot): OrderSnapshot | null {
  const known = new Set(before.fulfillmentOrders.map((fo) => fo.id));
  const changed = after.fulfillmentOrders.filter((fo, i) => fo !== before.fulfillmentOrders[i]);
  // The planner splits one fulfillment order a Step: the one it split, and the part split off.
  const [kept, splitOff, ...more] = [
    ...changed.filter((fo) => known.has(fo.id)),
    ...changed.filter((fo) => !known.has(fo.id)),
  ];
  if (!kept || !splitOff || more.length > 0 || known.has(splitOff.id)) return null;
  const was = before.fulfillmentOrders.find((fo) => fo.id === kept.id)!;
  const at = was.assignedLocation.locationId;
  if (kept.assignedLocation.locationId !== at || splitOff.assignedLocation.locationId !== at)
    return null;
  if (!sameUnits([was], [kept, splitOff])) return null;
  const had = new Map(was.lineItems.map((line) => [line.lineItemId, line]));
  if (had.size !== was.lineItems.length) return null;
  const keptUnits = new Map(
    kept.lineItems.map((line) => [line.lineItemId, line.remainingQuantity]),
  );

  /** Each open line with its stock: the kept part first, the part split off what is left. */
  const withStock = (fo: FulfillmentOrder, splitOffPart: boolean): FulfillmentOrder | null => {
    const lineItems = [];
    for (const line of fo.lineItems) {
      const read = had.get(line.lineItemId);
      // Nothing left to ship on it: the read asks no stock for it either.
      if (line.remainingQuantity === 0) lineItems.push(line);
      else if (!read) return null;
      else if (read.stockUnknown) lineItems.push({ ...line, stockUnknown: true });
      else if (read.inStockQuantity === null) lineItems.push({ ...line, inStockQuantity: null });
      else if (read.inStockQuantity === undefined) return null;
      else {
        const stock = read.inStockQuantity;
        const left = splitOffPart
          ? stock - Math.min(stock, keptUnits.get(line.lineItemId) ?? 0)
          : stock;
        // The part split off must find none in stock (see above).
        if (splitOffPart && left > 0) return null;
        lineItems.push({
          ...line,
          inStockQuantity: Math.max(0, Math.min(line.remainingQuantity, left)),
        });
      }
    }
    return { ...fo, lineItems };
  };
  const keptWithStock = withStock(kept, false);
  const splitOffWithStock = withStock(splitOff, true);
  if (!keptWithStock || !splitOffWithStock) return null;
  return {
    ...after,
    fulfillmentOrders: after.fulfillmentOrders.map((fo) =>
      fo.id === kept.id ? keptWithStock : fo.id === splitOff.id ? splitOffWithStock : fo,
    ),
  };
}

/**
 * The order after `step` was applied and Shopify answered `outcome` (the mutation's payload), or
 * null when only a fresh read can say (merge, a hold or request on some of the lines, which leave
 * the rest on a new fulfillment order, a split or move whose answer is not whole, and every Step
 * not listed here).
 */
export function afterStep(
  snapshot: OrderSnapshot,
  step: Step,
  outcome: Record<string, unknown>,
): OrderSnapshot | null {
  switch (step.kind) {
    case "fulfillmentOrderHold":
      if (outcome.remainingFulfillmentOrder) return null;
      return withReturned(snapshot, outcome.fulfillmentOrder);
    case "fulfillmentOrderReleaseHold":
      return withReturned(snapshot, outcome.fulfillmentOrder);
    case "fulfillmentOrderSubmitFulfillmentRequest":
      if (outcome.unsubmittedFulfillmentOrder) return null;
      return withReturned(snapshot, outcome.submittedFulfillmentOrder);
    case "fulfillmentOrderSplit": {
      const after = afterSplit(snapshot, outcome);
      return after && readsStock(snapshot) ? withStockCarried(snapshot, after) : after;
    }
    case "fulfillmentOrderMove":
      // A move's answer says nothing of the stock at the new location: a plan that splits by
      // stock reads it again.
      return readsStock(snapshot) ? null : afterMove(snapshot, step.input, outcome);
    case "tagsAdd": {
      const tags = step.input.tags;
      const known = new Set(snapshot.order.tags.map((t) => t.toLowerCase()));
      const added = tags.filter((t) => !known.has(t.toLowerCase()));
      return {
        ...snapshot,
        order: { ...snapshot.order, tags: [...snapshot.order.tags, ...added] },
      };
    }
    case "fulfillmentCreate":
      return afterFulfillment(snapshot, step.input, outcome.fulfillment);
    case "orderUpdate":
      return { ...snapshot, order: { ...snapshot.order, note: step.input.input.note } };
    case "orderClose":
      return { ...snapshot, order: { ...snapshot.order, closed: true } };
    default:
      return null;
  }
}

/**
 * A fulfillment of the listed lines: their remaining quantities go down; a fulfillment order with
 * nothing left is closed and takes no more actions (fulfillmentCreate: "If you don't specify line
 * items, then the mutation fulfills all items in the fulfillment order" — the planner lists them).
 */
function afterFulfillment(
  snapshot: OrderSnapshot,
  input: StepInputs["fulfillmentCreate"],
  returned: unknown,
): OrderSnapshot | null {
  const fulfillment = returned as { id?: unknown; displayStatus?: unknown } | null | undefined;
  if (typeof fulfillment?.id !== "string") return null;
  const fulfilled = new Map<string, number>();
  for (const group of input.fulfillment.lineItemsByFulfillmentOrder) {
    if (!snapshot.fulfillmentOrders.some((fo) => fo.id === group.fulfillmentOrderId)) return null;
    // No lines listed means every line: the read says what that was.
    if (group.fulfillmentOrderLineItems.length === 0) return null;
    for (const line of group.fulfillmentOrderLineItems) fulfilled.set(line.id, line.quantity);
  }
  const byOrderLine = new Map<string, number>();
  const fulfillmentOrders = snapshot.fulfillmentOrders.map((fo) => {
    if (!fo.lineItems.some((line) => fulfilled.has(line.id))) return fo;
    const lineItems = fo.lineItems.map((line) => {
      const quantity = fulfilled.get(line.id) ?? 0;
      if (quantity > 0)
        byOrderLine.set(line.lineItemId, (byOrderLine.get(line.lineItemId) ?? 0) + quantity);
      return { ...line, remainingQuantity: Math.max(0, line.remainingQuantity - quantity) };
    });
    const done = lineItems.every((line) => line.remainingQuantity === 0);
    return done
      ? { ...fo, lineItems, status: "CLOSED" as const, supportedActions: [], holds: [] }
      : { ...fo, lineItems };
  });
  // Some lines of a fulfillment order stay open: Shopify may move them to a new one.
  if (
    fulfillmentOrders.some(
      (fo, i) => fo !== snapshot.fulfillmentOrders[i] && fo.status !== "CLOSED",
    )
  )
    return null;
  return {
    ...snapshot,
    order: {
      ...snapshot.order,
      fulfillments: [
        ...(snapshot.order.fulfillments ?? []),
        {
          id: fulfillment.id,
          displayStatus:
            typeof fulfillment.displayStatus === "string" ? fulfillment.displayStatus : null,
        },
      ],
    },
    lineItems: snapshot.lineItems.map((line) =>
      byOrderLine.has(line.id)
        ? {
            ...line,
            unfulfilledQuantity: Math.max(0, line.unfulfilledQuantity - byOrderLine.get(line.id)!),
          }
        : line,
    ),
    fulfillmentOrders,
  };
}

/** The order after several Steps in order; null as soon as one of them needs a fresh read. */
export function afterSteps(
  snapshot: OrderSnapshot,
  applied: readonly { step: Step; outcome: Record<string, unknown> }[],
): OrderSnapshot | null {
  let current: OrderSnapshot | null = snapshot;
  for (const { step, outcome } of applied) {
    if (!current) return null;
    current = afterStep(current, step, outcome);
  }
  return current;
}
