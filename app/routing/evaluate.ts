// Which rules match each fulfillment order and why, without planning anything: for screens that show a rule set at work.
import { compileRules } from "./conditions";
import { decide, type Explanation } from "./decide";
import type { Rule, RoutingSettings } from "./rules";
import { DEFAULT_SETTINGS } from "./rules";
import type { OrderSnapshot } from "./snapshot";
import { buildOrderView } from "./views";

export interface FulfillmentOrderMatches {
  fulfillmentOrderId: string;
  locationName: string;
  /** Matching rules that decide for it, in priority order (more than one only with "keep checking"). */
  ruleIds: string[];
  explanation: Explanation[];
}

/** Cancelled fulfillment orders and ones with nothing in them are left out, as the planner leaves them out. */
export function evaluate(
  snapshot: OrderSnapshot,
  rules: readonly Rule[],
  settings: RoutingSettings = DEFAULT_SETTINGS,
): FulfillmentOrderMatches[] {
  const order = buildOrderView(snapshot);
  const compiled = compileRules(rules);
  return order.fulfillmentOrders
    .filter((view) => view.fo.status !== "CANCELLED" && view.lines.length > 0)
    .map((view) => {
      const decision = decide(view, order, compiled, settings);
      return {
        fulfillmentOrderId: view.fo.id,
        locationName: view.locationName,
        ruleIds: decision.matched.map((rule) => rule.rule.id),
        explanation: decision.explanation,
      };
    });
}
