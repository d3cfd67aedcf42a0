// Reads what Shopify would refuse a cancel or a refund for (an active return, a B2B order, a deactivated location) when a cancel dialog opens and right before the action, never with the order the rules route.
import type { CancelCheckFacts, OrderSnapshot } from "../routing";
import { ORDER_CANCEL_CHECK_QUERY } from "../shopify/operations";
import { readOrder, toOrderSnapshot } from "../shopify/snapshot.server";
import type { OrderCancelCheckQuery } from "../types/admin.generated";
import type { RouteOrderDeps } from "./route-order.server";

/** The returns orderCancel refuses on ("The order has no active returns in progress"). */
const ACTIVE_RETURNS: readonly string[] = ["RETURN_REQUESTED", "IN_PROGRESS"];
/** Money taken and not all given back, as admin shows it. */
const PAID: readonly string[] = ["PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED"];

/** The check's own query: small, read beside the order the caller reads anyway. */
export function readCancelCheck(gateway: RouteOrderDeps["gateway"], orderId: string) {
  return gateway.request<OrderCancelCheckQuery>(ORDER_CANCEL_CHECK_QUERY, { id: orderId });
}

/**
 * The check's facts, with the lines each fulfillment order carries taken from `snapshot`, so the
 * check's query asks for no lines. Null: no such order.
 */
export function cancelCheckFacts(
  data: OrderCancelCheckQuery,
  snapshot: OrderSnapshot,
): CancelCheckFacts | null {
  const o = data.order;
  if (!o) return null;
  const entity = o.purchasingEntity;
  const inactiveLocations = o.fulfillmentOrders.nodes
    .filter(
      (fo) =>
        fo.status !== "CLOSED" &&
        fo.status !== "CANCELLED" &&
        fo.assignedLocation.location?.isActive === false,
    )
    .map((fo) => ({
      location: fo.assignedLocation.name,
      lineItemIds:
        snapshot.fulfillmentOrders
          .find((s) => s.id === fo.id)
          ?.lineItems.filter((l) => l.remainingQuantity > 0)
          .map((l) => l.lineItemId) ?? [],
    }));
  return {
    returnInProgress: ACTIVE_RETURNS.includes(o.returnStatus),
    company: entity?.__typename === "PurchasingCompany" ? entity.company.name : null,
    paid: PAID.includes(o.displayFinancialStatus ?? ""),
    inactiveLocations,
  };
}

/** For a dialog that opens: the order read and the check's facts; null when there is no such order. */
export async function cancelCheckOf(
  gateway: RouteOrderDeps["gateway"],
  orderId: string,
): Promise<CancelCheckFacts | null> {
  const [order, check] = await Promise.all([
    readOrder(gateway, orderId),
    readCancelCheck(gateway, orderId),
  ]);
  const snapshot = toOrderSnapshot(order);
  return snapshot ? cancelCheckFacts(check, snapshot) : null;
}
