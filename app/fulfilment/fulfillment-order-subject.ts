// Which fulfillment order a fulfillment_orders/* or fulfillment_holds/* webhook is about, read in each topic's own shape.

/** A `{ id }` object's id, when it is a string. */
export function idOf(value: unknown): string | null {
  const id = value && typeof value === "object" ? (value as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id : null;
}

/**
 * Most topics name their fulfillment order as `fulfillment_order`. Two do not (Shopify's examples,
 * 2026-07): `fulfillment_orders/moved` names the one staff or an app moved as
 * `original_fulfillment_order` (the app recorded that id; the one at the destination may be new),
 * and `fulfillment_orders/merged` names the one left after the merge as
 * `fulfillment_order_merges.fulfillment_order` (an object in the example; a list read too, should
 * Shopify send one per merge). Null when the payload names none.
 */
export function fulfillmentOrderSubjectOf(payload: Record<string, unknown>): string | null {
  const named = idOf(payload.fulfillment_order) ?? idOf(payload.original_fulfillment_order);
  if (named) return named;
  const merges = payload.fulfillment_order_merges;
  const merge = Array.isArray(merges) ? (merges[0] as unknown) : merges;
  return merge && typeof merge === "object"
    ? idOf((merge as { fulfillment_order?: unknown }).fulfillment_order)
    : null;
}
