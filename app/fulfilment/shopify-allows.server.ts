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

/** locationsForMove is asked about these locations at most (Shopify's page size cap is 250). */
const MAX_LOCATIONS = 50;
/** A fulfillment order's lines Shopify lists per location, at most. */
const MAX_LINES = 100;
/** fulfillmentOrdersForMerge's page: the query asks for this many candidates. */
const MERGE_CANDIDATES = 50;
/** What Shopify lets one query ask for ("A single query may not request more than 1,000 points"). */
export const MAX_QUERY_COST = 1000;

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
 * The requested cost of FulfillmentOrdersShopifyAllows for `nodes` fulfillment orders, by
 * Shopify's rules (an object 1, a connection 2 + first × its node): each node 1, its
 * locationsForMove 2 + locations × (the location-for-move, its location, and availableLineItems'
 * 2 + lines), its fulfillmentOrdersForMerge 2 + 50. Shopify does not say how `nodes(ids:)` is
 * sized; each id is counted, the reading that never asks for more than Shopify allows.
 */
export function askCost(
  nodes: number,
  ask: { locations: number; lines: number; move: boolean; merge: boolean },
): number {
  const perNode =
    1 +
    (ask.move ? 2 + ask.locations * (1 + 1 + 2 + ask.lines) : 0) +
    (ask.merge ? 2 + MERGE_CANDIDATES : 0);
  return nodes * perNode;
}

/** One plan to make against Shopify's answers: the order as read, and its plan on an answer. */
export interface PlanToAsk {
  snapshot: OrderSnapshot;
  planWith: (shopify: ShopifyAllows) => Plan;
}

/** What plans ask of Shopify: the fulfillment orders moved (with their line counts) and merged, and where to. */
interface Need {
  move: Map<string, number>;
  merge: Set<string>;
  to: Set<string>;
}

/**
 * Shopify's answers, by fulfillment order. For the router, those of one read of the order: kept
 * while the snapshot is the same, so the plan a round makes twice (the gate's check, then the plan
 * applied) asks once. For a dry run, those of every order it plans (`planEach`).
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
    /** The most one query may ask for: fulfillment orders past it go in the next query. */
    private readonly maxCost = MAX_QUERY_COST,
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
    const [plan] = await this.planEach([{ snapshot, planWith }]);
    return plan!;
  }

  /**
   * Many plans made against what Shopify allows, as `plan` makes one, their questions asked
   * together: every fulfillment order any of them moves or merges in one query (more only past
   * `maxCost`), and only those plans made again. Plans that neither move nor merge ask nothing.
   */
  async planEach(items: readonly PlanToAsk[]): Promise<Plan[]> {
    // Each ask is about the locations the plans move to, not every location the rules name (5
    // points a location and fulfillment order, ADR 105): a move Shopify refuses is planned again
    // to the next location, asked about in the next ask. Every ask answers a location not asked
    // before, so the rules' locations (`candidates`) and one more bound the asks.
    const plans = items.map((item) => item.planWith(this.answers));
    for (let ask = 0; ; ask++) {
      const need: Need = { move: new Map(), merge: new Set(), to: new Set() };
      const asking = plans.map((plan, i) => this.unanswered(plan, items[i]!.snapshot, need));
      if (need.move.size + need.merge.size === 0) break;
      if (ask < this.candidates.length + 2) await this.read(need);
      // Past every location the rules name refused once: a move not asked about is not sent.
      else this.refuseUnasked(need);
      for (const [i, item] of items.entries())
        if (asking[i]) plans[i] = item.planWith(this.answers);
    }
    return plans;
  }

  /** What `need` still asks, answered as refused without asking: nothing unasked is sent. */
  private refuseUnasked(need: Need): void {
    for (const id of need.move.keys())
      this.moves[id] = [
        ...(this.moves[id] ?? []),
        ...[...need.to]
          .filter((to) => !this.moves[id]?.some((l) => l.locationId === to))
          .map((locationId) => ({ locationId, movable: false, message: null, movableLines: [] })),
      ];
    for (const id of need.merge) this.merges[id] ??= [];
  }

  /**
   * Adds to `need` the fulfillment orders the plan moves or merges that Shopify was not asked
   * about yet; answers whether there were any.
   */
  private unanswered(plan: Plan, snapshot: OrderSnapshot, need: Need): boolean {
    let any = false;
    const linesOf = (id: string) =>
      snapshot.fulfillmentOrders.find((fo) => fo.id === id)?.lineItems.length ?? 1;
    for (const step of plan.steps) {
      if (step.kind === "fulfillmentOrderMove") {
        const known = this.moves[step.input.id];
        if (!known?.some((l) => l.locationId === step.input.newLocationId)) {
          need.move.set(step.input.id, linesOf(step.input.id));
          need.to.add(step.input.newLocationId);
          any = true;
        }
      } else if (step.kind === "fulfillmentOrderMerge") {
        for (const set of step.input.fulfillmentOrderMergeInputs)
          for (const intent of set.mergeIntents)
            if (!this.merges[intent.fulfillmentOrderId]) {
              need.merge.add(intent.fulfillmentOrderId);
              any = true;
            }
      }
    }
    return any;
  }

  /**
   * Asks about every fulfillment order in `need`: one query (nodes) for as many as fit in
   * `maxCost`, each with what it is asked.
   */
  private async read(need: Need): Promise<void> {
    // Only where the plans move to: the rules' other locations are asked about if a plan falls to
    // them (ADR 105; ADR 094 asked about all of them at once).
    const locationIds = [...need.to].sort().slice(0, MAX_LOCATIONS);
    const ids = [...new Set([...need.move.keys(), ...need.merge])].sort();
    let batch: string[] = [];
    for (const id of ids) {
      if (batch.length > 0 && this.cost([...batch, id], need, locationIds) > this.maxCost) {
        await this.readBatch(batch, need, locationIds);
        batch = [];
      }
      batch.push(id);
    }
    if (batch.length > 0) await this.readBatch(batch, need, locationIds);
  }

  /** What one query about `ids` asks of Shopify: its variables' sizes and its requested cost. */
  private shape(ids: readonly string[], need: Need, locationIds: readonly string[]) {
    const moved = ids.filter((id) => need.move.has(id));
    const lines = Math.min(MAX_LINES, Math.max(1, ...moved.map((id) => need.move.get(id)!)));
    return {
      locations: locationIds.length,
      lines,
      move: moved.length > 0,
      merge: ids.some((id) => need.merge.has(id)),
    };
  }

  private cost(ids: readonly string[], need: Need, locationIds: readonly string[]): number {
    return askCost(ids.length, this.shape(ids, need, locationIds));
  }

  private async readBatch(
    ids: readonly string[],
    need: Need,
    locationIds: readonly string[],
  ): Promise<void> {
    const shape = this.shape(ids, need, locationIds);
    this.asked++;
    const data = await this.gateway.request<
      FulfillmentOrdersShopifyAllowsQuery,
      FulfillmentOrdersShopifyAllowsQueryVariables
    >(FULFILLMENT_ORDERS_SHOPIFY_ALLOWS_QUERY, {
      ids: [...ids],
      locationIds: [...locationIds],
      ...shape,
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
        // Kept with what earlier asks said of other locations.
        this.moves[node.id] = [
          ...(this.moves[node.id] ?? []).filter((l) => !locationIds.includes(l.locationId)),
          ...listed,
        ];
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
    for (const id of ids) {
      if (need.move.has(id) && !data.nodes.some((n) => n && "id" in n && n.id === id))
        this.moves[id] = [
          ...(this.moves[id] ?? []).filter((l) => !locationIds.includes(l.locationId)),
          ...nowhere,
        ];
      if (need.merge.has(id)) this.merges[id] ??= [];
    }
  }
}
