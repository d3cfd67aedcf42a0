// Which parts of an order only some conditions and actions look at, so the router's order read asks Shopify for them only when a rule in force does (each costs Admin API points on every order).
import type { Rule } from "./rules";

/** Parts of an order the router reads only for the conditions that look at them. */
export interface OrderReadNeeds {
  /** The order's total (order_total). */
  total: boolean;
  /** The shipping address (destination_country, destination_province). */
  shippingAddress: boolean;
  /** The shipping lines (shipping_method). */
  shippingLines: boolean;
  /**
   * Each line's product (type, tags) and variant options: product_type, product_tag and
   * variant_option conditions (a rule's or a line-condition split's) and splits by capability.
   */
  catalogue: boolean;
  /**
   * Each open fulfillment order line's stock at its location (split by stock): a second call
   * after the order read (readStock), never a part of it, so no other read costs more for it.
   */
  stock: boolean;
}

/**
 * Every part of the order itself, as merchant commands and screens read it. Not the stock: a call
 * of its own after the read, asked only for the rules that split by it.
 */
export const READ_EVERYTHING: OrderReadNeeds = Object.freeze({
  total: true,
  shippingAddress: true,
  shippingLines: true,
  catalogue: true,
  stock: false,
});

/** Line conditions that look at a line's product or variant options, not at the line itself. */
const CATALOGUE_FIELDS: ReadonlySet<string> = new Set([
  "product_type",
  "product_tag",
  "variant_option",
]);

const known = new WeakMap<readonly Rule[], OrderReadNeeds>();

/**
 * What the rules' conditions look at, of the parts only conditions use (the planner, the review
 * queue and the release gate need none of them). Disabled rules count too: cheaper to read a
 * little more than to miss a rule switched on between the read and the plan. A frozen rule set
 * (ADR 016) is looked at once.
 */
export function orderReadNeeds(rules: readonly Rule[]): OrderReadNeeds {
  const cached = known.get(rules);
  if (cached) return cached;
  const needs = {
    total: false,
    shippingAddress: false,
    shippingLines: false,
    catalogue: false,
    stock: false,
  };
  for (const rule of rules) {
    for (const action of rule.actions) {
      if (action.type !== "split") continue;
      if (action.by === "capability") needs.catalogue = true;
      else if (action.by === "stock") needs.stock = true;
      else if (action.by === "line_condition")
        for (const condition of action.conditions ?? [])
          if (CATALOGUE_FIELDS.has(condition.field)) needs.catalogue = true;
    }
    for (const condition of rule.conditions) {
      if (CATALOGUE_FIELDS.has(condition.field)) needs.catalogue = true;
      else if (condition.field === "order_total") needs.total = true;
      else if (
        condition.field === "destination_country" ||
        condition.field === "destination_province"
      )
        needs.shippingAddress = true;
      else if (condition.field === "shipping_method") needs.shippingLines = true;
    }
  }
  const result = Object.freeze(needs);
  if (Object.isFrozen(rules)) known.set(rules, result);
  return result;
}
