// A tiny model of what Shopify does with each Step, for tests that apply a plan and plan again.
// Not the simulator: just enough of Shopify's fulfillment-order state machine to check that the
// planner converges and never asks for the same change twice.
import { canonicalHash } from "./hash";
import type { Plan } from "./plan";
import {
  gidTail,
  type FulfillmentOrder,
  type FulfillmentOrderLineItem,
  type OrderSnapshot,
} from "./snapshot";
import type { Step } from "./steps";

export function supportedActionsFor(
  fo: Pick<FulfillmentOrder, "status" | "requestStatus" | "fulfillmentService">,
): string[] {
  const service = fo.fulfillmentService !== null;
  switch (fo.status) {
    case "CLOSED":
    case "CANCELLED":
    case "INCOMPLETE":
      return [];
    case "SCHEDULED":
      return ["MARK_AS_OPEN"];
    case "ON_HOLD":
      return ["RELEASE_HOLD", "HOLD"];
    case "IN_PROGRESS":
      return service ? ["REQUEST_CANCELLATION"] : ["CREATE_FULFILLMENT", "HOLD"];
    case "OPEN":
      if (
        fo.requestStatus === "SUBMITTED" ||
        fo.requestStatus === "ACCEPTED" ||
        fo.requestStatus === "CANCELLATION_REQUESTED"
      ) {
        return ["REQUEST_CANCELLATION"];
      }
      return [
        service ? "REQUEST_FULFILLMENT" : "CREATE_FULFILLMENT",
        "HOLD",
        "MOVE",
        "SPLIT",
        "MERGE",
      ];
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function nextTail(ids: readonly string[]): number {
  return ids.reduce((max, id) => Math.max(max, Number(gidTail(id)) || 0), 0) + 1;
}

function refresh(fo: FulfillmentOrder): void {
  fo.lineItems = fo.lineItems.filter((line) => line.totalQuantity > 0);
  fo.supportedActions = supportedActionsFor(fo);
}

/**
 * Where Shopify's sources disagree, which reading the model plays (the simulator's
 * `state.readings`, ADR 030):
 * - `partialMove` is where a fulfillmentOrderMove of some of the lines leaves them ("carved": on a
 *   new fulfillment order at the destination, the mutation's second scenario and the forum report
 *   "Fulfillment Order Move API creates duplicate lines"; "original_moves": the original goes, the
 *   rest stay on a new one, FulfillmentOrderMovePayload.movedFulfillmentOrder's description;
 *   "original_closed": the original is closed, both parts new, the mutation's "The existing
 *   fulfillment order is closed" and the fulfillment_orders/moved webhook's example).
 * - `moveToOccupied` is what such a move (or a move of one with something fulfilled) does to a
 *   fulfillment order of the order already at the destination (open, nothing requested or
 *   fulfilled of it), of which the mutation's second scenario says "If the new location is
 *   already assigned to another active fulfillment order, on the same order, then a new
 *   fulfillment order is created. The existing fulfillment order is closed and line items are
 *   recreated in a new fulfillment order." ("merged", the simulator's default: it is closed and
 *   its lines recreated on the one the moved lines are on; "recreated": closed, its lines on a new
 *   one of their own; "beside": left as it was, the forum report's second fulfillment order). A
 *   whole move (the first scenario) leaves it alone under every reading.
 */
export interface ModelReadings {
  partialMove: "carved" | "original_moves" | "original_closed";
  /**
   * Absent: "beside", as the model played before it knew this reading (a test that builds the
   * others on it); MODEL_READINGS names each, its first the simulator's defaults.
   */
  moveToOccupied?: "merged" | "recreated" | "beside";
}

const PARTIAL_MOVE_READINGS = ["carved", "original_moves", "original_closed"] as const;
const MOVE_TO_OCCUPIED_READINGS = ["merged", "recreated", "beside"] as const;

/** Every combination of the readings; the first is the simulator's defaults. */
export const MODEL_READINGS: readonly ModelReadings[] = PARTIAL_MOVE_READINGS.flatMap(
  (partialMove) =>
    MOVE_TO_OCCUPIED_READINGS.map((moveToOccupied) => ({ partialMove, moveToOccupied })),
);

/** Shopify's part for one step: the snapshot as a fresh read would show it afterwards. */
export function applyStep(
  snapshot: OrderSnapshot,
  step: Step,
  readings: ModelReadings = MODEL_READINGS[0]!,
): OrderSnapshot {
  const next = clone(snapshot);
  const fos = next.fulfillmentOrders;
  const find = (id: string): FulfillmentOrder => {
    const fo = fos.find((f) => f.id === id);
    if (!fo) throw new Error(`model: no fulfillment order ${id} for ${step.kind}`);
    return fo;
  };
  const allFoLineIds = () => fos.flatMap((fo) => fo.lineItems.map((line) => line.id));
  const carve = (
    fo: FulfillmentOrder,
    lines: { id: string; quantity: number }[],
    into: FulfillmentOrder,
  ) => {
    let lineTail = nextTail(allFoLineIds());
    for (const wanted of lines) {
      const line = fo.lineItems.find((l) => l.id === wanted.id);
      if (!line) throw new Error(`model: no line ${wanted.id} on ${fo.id}`);
      if (wanted.quantity > line.remainingQuantity)
        throw new Error(`model: ${wanted.id} has only ${line.remainingQuantity}`);
      line.remainingQuantity -= wanted.quantity;
      line.totalQuantity -= wanted.quantity;
      const moved: FulfillmentOrderLineItem = {
        id: `gid://shopify/FulfillmentOrderLineItem/${lineTail++}`,
        lineItemId: line.lineItemId,
        remainingQuantity: wanted.quantity,
        totalQuantity: wanted.quantity,
      };
      // The line's stock stays with it, the units left behind served first (as the stock read
      // hands it out, in fulfillment order id order): a read after a split by stock finds the
      // units in stock where they were and none on the part that waits (ADR 085).
      const stock = line.inStockQuantity;
      if (typeof stock === "number") {
        const kept = Math.min(stock, line.remainingQuantity);
        line.inStockQuantity = kept;
        moved.inStockQuantity = Math.max(0, stock - kept);
      } else if (stock !== undefined) moved.inStockQuantity = stock;
      if (line.stockUnknown) moved.stockUnknown = true;
      into.lineItems.push(moved);
    }
  };
  const newFo = (locationId: string): FulfillmentOrder => {
    const location = next.locations.find((l) => l.id === locationId);
    if (!location) throw new Error(`model: no location ${locationId}`);
    return {
      id: `gid://shopify/FulfillmentOrder/${nextTail(fos.map((f) => f.id))}`,
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      assignedLocation: { locationId: location.id, name: location.name },
      fulfillmentService: location.fulfillmentServiceHandle
        ? { handle: location.fulfillmentServiceHandle, name: location.name }
        : null,
      supportedActions: [],
      holds: [],
      lineItems: [],
    };
  };
  const requireAction = (fo: FulfillmentOrder, action: string) => {
    if (!fo.supportedActions.includes(action))
      throw new Error(`model: ${fo.id} does not support ${action} (${fo.status})`);
  };

  switch (step.kind) {
    case "fulfillmentOrderHold": {
      const fo = find(step.input.id);
      requireAction(fo, "HOLD");
      if (fo.holds.some((h) => h.handle === step.input.fulfillmentHold.handle))
        throw new Error("model: duplicate hold handle");
      fo.holds.push({
        // Shopify never gives two holds one id, not even after a release. The Step's key and the
        // order as it stood before the hold: a hold placed again under the same key (after a
        // release, the executor's ADR 036) is placed on an order that changed since, so its id
        // differs from the released one's; drawn from them, the id is the same on every replay.
        id: `gid://shopify/FulfillmentHold/${parseInt(canonicalHash([step.key, snapshot]).slice(-12), 16) || 1}`,
        reason: step.input.fulfillmentHold.reason,
        reasonNotes: step.input.fulfillmentHold.reasonNotes,
        handle: step.input.fulfillmentHold.handle,
        heldByRequestingApp: true,
      });
      fo.status = "ON_HOLD";
      refresh(fo);
      break;
    }
    case "fulfillmentOrderReleaseHold": {
      const fo = find(step.input.id);
      requireAction(fo, "RELEASE_HOLD");
      const ids = new Set(step.input.holdIds);
      fo.holds = fo.holds.filter((h) => !ids.has(h.id));
      if (fo.holds.length === 0) fo.status = "OPEN";
      refresh(fo);
      break;
    }
    case "fulfillmentOrderSplit": {
      for (const split of step.input.fulfillmentOrderSplits) {
        const fo = find(split.fulfillmentOrderId);
        requireAction(fo, "SPLIT");
        const created = newFo(fo.assignedLocation.locationId);
        carve(fo, split.fulfillmentOrderLineItems, created);
        fos.push(created);
        refresh(fo);
        refresh(created);
      }
      break;
    }
    case "fulfillmentOrderMove": {
      const fo = find(step.input.id);
      requireAction(fo, "MOVE");
      const location = next.locations.find((l) => l.id === step.input.newLocationId);
      if (!location) throw new Error("model: move to unknown location");
      if (location.id === fo.assignedLocation.locationId)
        throw new Error("model: move to the location it is at");
      const relocate = (target: FulfillmentOrder) => {
        target.assignedLocation = { locationId: location.id, name: location.name };
        target.fulfillmentService = location.fulfillmentServiceHandle
          ? { handle: location.fulfillmentServiceHandle, name: location.name }
          : null;
        target.requestStatus = "UNSUBMITTED";
      };
      // Without line items every unfulfilled line moves ("If left blank, all unfulfilled line
      // items belonging to the fulfillment order are moved").
      const given = step.input.fulfillmentOrderLineItems ?? [];
      const lines =
        given.length > 0
          ? given
          : fo.lineItems
              .filter((l) => l.remainingQuantity > 0)
              .map((l) => ({ id: l.id, quantity: l.remainingQuantity }));
      const moving = lines.reduce((n, l) => n + l.quantity, 0);
      const left = fo.lineItems.reduce((n, l) => n + l.remainingQuantity, 0);
      const untouched = fo.lineItems.every((l) => l.totalQuantity === l.remainingQuantity);
      if (moving === left && untouched) {
        // fulfillmentOrderMove's first scenario: the fulfillment order itself changes location.
        relocate(fo);
        refresh(fo);
        break;
      }
      // Some of the lines, or all of one with something fulfilled (the mutation's second scenario,
      // as the simulator plays it): Shopify's sources disagree where they go (ADR 030); `readings`
      // picks.
      const source = fo.assignedLocation.locationId;
      // The order's other fulfillment orders the move finds at the destination, before it makes one.
      const occupants = fos.filter(
        (other) =>
          other.id !== fo.id &&
          other.assignedLocation.locationId === location.id &&
          other.status === "OPEN" &&
          other.requestStatus === "UNSUBMITTED" &&
          other.lineItems.every((l) => l.totalQuantity === l.remainingQuantity),
      );
      /** What the move does to those: `readings.moveToOccupied` (see ModelReadings). */
      const intoOccupied = (target: FulfillmentOrder) => {
        const reading = readings.moveToOccupied ?? "beside";
        if (reading === "beside") return;
        for (const there of occupants) {
          const lines = there.lineItems
            .filter((l) => l.remainingQuantity > 0)
            .map((l) => ({ id: l.id, quantity: l.remainingQuantity }));
          if (reading === "recreated") {
            if (lines.length > 0) {
              const again = newFo(location.id);
              fos.push(again);
              carve(there, lines, again);
              refresh(again);
            }
          } else {
            for (const line of there.lineItems) {
              const quantity = line.remainingQuantity;
              if (quantity === 0) continue;
              const same = target.lineItems.find((l) => l.lineItemId === line.lineItemId);
              if (same) {
                same.totalQuantity += quantity;
                same.remainingQuantity += quantity;
              } else {
                const recreated: FulfillmentOrderLineItem = {
                  id: `gid://shopify/FulfillmentOrderLineItem/${nextTail(allFoLineIds())}`,
                  lineItemId: line.lineItemId,
                  remainingQuantity: quantity,
                  totalQuantity: quantity,
                };
                if (line.inStockQuantity !== undefined)
                  recreated.inStockQuantity = line.inStockQuantity;
                target.lineItems.push(recreated);
              }
              line.totalQuantity -= quantity;
              line.remainingQuantity -= quantity;
            }
            refresh(target);
          }
          there.status = "CLOSED";
          refresh(there);
        }
      };
      if (readings.partialMove === "original_moves" && untouched) {
        const taken = new Map(lines.map((l) => [l.id, l.quantity]));
        const stays = fo.lineItems
          .map((l) => ({ id: l.id, quantity: l.remainingQuantity - (taken.get(l.id) ?? 0) }))
          .filter((l) => l.quantity > 0);
        const rest = newFo(source);
        fos.push(rest);
        carve(fo, stays, rest);
        relocate(fo);
        refresh(fo);
        refresh(rest);
        intoOccupied(fo);
        break;
      }
      const moved = newFo(location.id);
      fos.push(moved);
      carve(fo, lines, moved);
      refresh(moved);
      intoOccupied(moved);
      if (readings.partialMove === "original_closed") {
        const rest = newFo(source);
        fos.push(rest);
        carve(
          fo,
          fo.lineItems
            .filter((l) => l.remainingQuantity > 0)
            .map((l) => ({ id: l.id, quantity: l.remainingQuantity })),
          rest,
        );
        fo.status = "CLOSED";
        refresh(rest);
      } else if (fo.lineItems.every((l) => l.remainingQuantity === 0)) fo.status = "CLOSED";
      refresh(fo);
      break;
    }
    case "fulfillmentOrderMerge": {
      for (const merge of step.input.fulfillmentOrderMergeInputs) {
        const [first, ...rest] = merge.mergeIntents.map((intent) =>
          find(intent.fulfillmentOrderId),
        );
        if (!first) throw new Error("model: empty merge");
        for (const fo of [first, ...rest]) requireAction(fo, "MERGE");
        for (const fo of rest) {
          if (fo.assignedLocation.locationId !== first.assignedLocation.locationId)
            throw new Error("model: merge across locations");
          carve(
            fo,
            fo.lineItems.map((l) => ({ id: l.id, quantity: l.remainingQuantity })),
            first,
          );
          fo.status = "CLOSED";
          refresh(fo);
        }
        refresh(first);
      }
      break;
    }
    case "fulfillmentOrderSubmitFulfillmentRequest": {
      const fo = find(step.input.id);
      requireAction(fo, "REQUEST_FULFILLMENT");
      fo.requestStatus = "SUBMITTED";
      refresh(fo);
      break;
    }
    case "fulfillmentCreate": {
      for (const group of step.input.fulfillment.lineItemsByFulfillmentOrder) {
        const fo = find(group.fulfillmentOrderId);
        requireAction(fo, "CREATE_FULFILLMENT");
        for (const wanted of group.fulfillmentOrderLineItems) {
          const line = fo.lineItems.find((l) => l.id === wanted.id);
          if (!line || line.remainingQuantity < wanted.quantity)
            throw new Error("model: fulfil more than remains");
          line.remainingQuantity -= wanted.quantity;
        }
        if (fo.lineItems.every((l) => l.remainingQuantity === 0)) fo.status = "CLOSED";
        refresh(fo);
      }
      (next.order.fulfillments ??= []).push({
        id: `gid://shopify/Fulfillment/${(next.order.fulfillments?.length ?? 0) + 1}`,
        displayStatus: "FULFILLED",
      });
      break;
    }
    case "orderCapture": {
      const before = next.order.capturableTransactions.length;
      next.order.capturableTransactions = next.order.capturableTransactions.filter(
        (t) => t.id !== step.input.input.parentTransactionId,
      );
      if (next.order.capturableTransactions.length === before)
        throw new Error("model: nothing to capture");
      if (next.order.capturableTransactions.length === 0) {
        next.order.capturable = false;
        next.order.displayFinancialStatus = "PAID";
      }
      break;
    }
    case "tagsAdd": {
      for (const tag of step.input.tags) {
        if (!next.order.tags.some((t) => t.toLowerCase() === tag.toLowerCase()))
          next.order.tags.push(tag);
      }
      break;
    }
    case "orderUpdate":
      next.order.note = step.input.input.note;
      break;
    case "orderClose":
      next.order.closed = true;
      break;
  }
  return next;
}

export function applyPlan(
  snapshot: OrderSnapshot,
  plan: Plan,
  readings: ModelReadings = MODEL_READINGS[0]!,
): OrderSnapshot {
  return plan.steps.reduce((state, step) => applyStep(state, step, readings), snapshot);
}

/** The fulfilment service accepts the request (what the lab does after a submit). */
export function acceptRequest(snapshot: OrderSnapshot, fulfillmentOrderId: string): OrderSnapshot {
  const next = clone(snapshot);
  const fo = next.fulfillmentOrders.find((f) => f.id === fulfillmentOrderId);
  if (!fo) throw new Error(`model: no fulfillment order ${fulfillmentOrderId}`);
  fo.requestStatus = "ACCEPTED";
  fo.status = "IN_PROGRESS";
  refresh(fo);
  return next;
}

/** Someone outside the app fulfils a fulfillment order (the lab ships it). */
export function closeFulfillmentOrder(
  snapshot: OrderSnapshot,
  fulfillmentOrderId: string,
  displayStatus = "FULFILLED",
): OrderSnapshot {
  const next = clone(snapshot);
  const fo = next.fulfillmentOrders.find((f) => f.id === fulfillmentOrderId);
  if (!fo) throw new Error(`model: no fulfillment order ${fulfillmentOrderId}`);
  for (const line of fo.lineItems) line.remainingQuantity = 0;
  fo.status = "CLOSED";
  fo.requestStatus = "CLOSED";
  refresh(fo);
  (next.order.fulfillments ??= []).push({
    id: `gid://shopify/Fulfillment/${(next.order.fulfillments?.length ?? 0) + 1}`,
    displayStatus,
  });
  return next;
}
