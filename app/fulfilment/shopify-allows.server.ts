// Asks Shopify, before the router applies a plan that moves or merges, where it allows the moves and what it would merge, and plans again on its answer (ADR 094).
import type { MoveAllowed, Plan, ShopifyAllows } from "../routing";
import type { OrderSnapshot } from "../routing/snapshot";
import type { Rule } from "../routing/rules";
import type { CapabilityProfile } from "../routing/capability";
import type { AdminGateway } from "../shopify/gateway.server";
import { FULFILLMENT_ORDERS_SHOPIFY_ALLOWS_QUERY } from "../shopify/operations";
import type {
  FulfillmentOrdersShopifyAllowsQuery,
  FulfillmentOrdersShopifyAllowsQueryVariables,
} from "../types/admin.generated";

/**
 * A plan asks again only when its answer plans a move or merge not asked about yet (a fallback to a
 * location the first read did not cover): twice is enough, since every location the rules name
 * or a profile gives is asked about the first time.
 */
const MAX_ASKS = 2;
/** locationsForMove is asked about these locations at most (Shopify's page size cap is 250). */
const MAX_LOCATIONS = 50;
/** A fulfillment order's lines Shopify lists per location, at most. */
const MAX_LINES = 100;

/** Every location a rule's move or a capability profile may send work to. */
export function locationsTheRulesName(
  rules: readonly Rule[],
  profiles: readonly CapabilityProfile[],
): string[] {
  const ids = new Set(profiles.map((p) => p.locationId));
  for (const rule of rules)
    for (const action of rule.actions) {
      if (action.type === "move") ids.add(action.locationId);
      const fallback = action.type === "submit_fulfilment_request" ? action.onRejected : null;
      if (fallback && fallback.then !== "needs_attention") ids.add(fallback.locationId);
    }
  return [...ids].sort();
}

/**
 * Shopify's answers for one read of the order: kept while the snapshot is the same, so the plan
 * a round makes twice (the gate's check, then the plan applied) asks once.
 */
export class ShopifyAllowsAsker {
  private snapshot: OrderSnapshot | null = null;
  private moves: Record<string, MoveAllowed[]> = {};
  private merges: Record<string, string[]> = {};
  /** Queries asked, for the decision trace and the tests' counts. */
  asked = 0;

  constructor(
    private readonly gateway: AdminGateway,
    private readonly candidates: readonly string[],
  ) {}

  get answers(): ShopifyAllows {
    return { moves: this.moves, merges: this.merges };
  }

  /**
   * The plan on `snapshot`, made against what Shopify allows: planned once as the rules want; when
   * that moves or merges, Shopify is asked about those fulfillment orders and the plan is made
   * again on its answer. A plan that neither moves nor merges asks nothing.
   */
  async plan(snapshot: OrderSnapshot, planWith: (shopify: ShopifyAllows) => Plan): Promise<Plan> {
    if (this.snapshot !== snapshot) {
      this.snapshot = snapshot;
      this.moves = {};
      this.merges = {};
    }
    let plan = planWith(this.answers);
    for (let ask = 0; ask < MAX_ASKS; ask++) {
      const need = this.unanswered(plan);
      if (!need) break;
      await this.read(snapshot, need);
      plan = planWith(this.answers);
    }
    return plan;
  }

  /** The fulfillment orders the plan moves or merges that Shopify was not asked about yet. */
  private unanswered(
    plan: Plan,
  ): { move: Set<string>; merge: Set<string>; to: Set<string> } | null {
    const move = new Set<string>();
    const merge = new Set<string>();
    const to = new Set<string>();
    for (const step of plan.steps) {
      if (step.kind === "fulfillmentOrderMove") {
        const known = this.moves[step.input.id];
        if (!known?.some((l) => l.locationId === step.input.newLocationId)) {
          move.add(step.input.id);
          to.add(step.input.newLocationId);
        }
      } else if (step.kind === "fulfillmentOrderMerge") {
        for (const set of step.input.fulfillmentOrderMergeInputs)
          for (const intent of set.mergeIntents)
            if (!this.merges[intent.fulfillmentOrderId]) merge.add(intent.fulfillmentOrderId);
      }
    }
    return move.size + merge.size > 0 ? { move, merge, to } : null;
  }

  /** One query for every fulfillment order asked about (nodes), each with what it is asked. */
  private async read(
    snapshot: OrderSnapshot,
    need: { move: Set<string>; merge: Set<string>; to: Set<string> },
  ): Promise<void> {
    const locationIds = [...new Set([...this.candidates, ...need.to])]
      .sort()
      .slice(0, MAX_LOCATIONS);
    const ids = [...new Set([...need.move, ...need.merge])].sort();
    const lines = Math.min(
      MAX_LINES,
      Math.max(
        1,
        ...snapshot.fulfillmentOrders
          .filter((fo) => need.move.has(fo.id))
          .map((fo) => fo.lineItems.length),
      ),
    );
    this.asked++;
    const data = await this.gateway.request<
      FulfillmentOrdersShopifyAllowsQuery,
      FulfillmentOrdersShopifyAllowsQueryVariables
    >(FULFILLMENT_ORDERS_SHOPIFY_ALLOWS_QUERY, {
      ids,
      locationIds,
      locations: locationIds.length,
      lines,
      move: need.move.size > 0,
      merge: need.merge.size > 0,
    });
    for (const node of data.nodes) {
      if (!node || !("id" in node)) continue;
      if (need.move.has(node.id)) {
        const listed: MoveAllowed[] = (node.locationsForMove?.nodes ?? []).map((l) => ({
          locationId: l.location.id,
          movable: l.movable,
          message: l.message ?? null,
          movableLines: l.availableLineItems.nodes.map((x) => x.id),
        }));
        // A location asked about that Shopify does not list is one the work cannot move to.
        for (const locationId of locationIds)
          if (!listed.some((l) => l.locationId === locationId))
            listed.push({ locationId, movable: false, message: null, movableLines: [] });
        this.moves[node.id] = listed;
      }
      if (need.merge.has(node.id))
        this.merges[node.id] = (node.fulfillmentOrdersForMerge?.nodes ?? []).map((x) => x.id);
    }
    // A fulfillment order Shopify no longer has: nothing moves or merges with it.
    const nowhere = locationIds.map((locationId) => ({
      locationId,
      movable: false,
      message: null,
      movableLines: [],
    }));
    for (const id of need.move) this.moves[id] ??= nowhere;
    for (const id of need.merge) this.merges[id] ??= [];
  }
}
