// Dry-runs a rule change against the shop's most recently decided orders: each order read live from
// Shopify, planned with the saved rules and with the edited rule in their place, and compared.
// Nothing is executed and nothing is written. Where a rule splits by stock, each order is read
// as the router reads it, its lines' stock at their locations with it (ADR 085); where a plan moves
// or merges, Shopify is asked what it allows, as the router asks, the orders' questions together
// (ADR 099).
import {
  orderReadNeeds,
  READ_EVERYTHING,
  compareRules,
  diffPlans,
  dryRun,
  shopifyWouldRefuse,
  type FulfillmentOrderOutcome,
  type OrderSnapshot,
  type Plan,
  type Rule,
  type ShopifyAllows,
} from "../routing";
import type { Db } from "../db/client.server";
import { loadShopConfig } from "../fulfilment/shop-config.server";
import {
  locationsTheRulesName,
  ShopifyAllowsAsker,
  type PlanToAsk,
} from "../fulfilment/shopify-allows.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { readOrder, toOrderSnapshot } from "../shopify/snapshot.server";
import { MAX_DRY_RUN_ORDERS } from "../routing/rule-draft";
import type { ReadOrderOptions } from "../shopify/snapshot.server";
import { engineSaid, type StoredWords, type Words } from "../routing/words";

/** Orders read at once: enough to hide latency, few enough to leave the shop's API budget to the worker. */
const READS_AT_ONCE = 4;
/**
 * The most one question to Shopify about moves and merges may ask for, in requested points: half
 * of what Shopify lets one query ask, a quarter of the smallest plan's bucket, so the worker's
 * reads go on beside a dry run over many orders that move (ADR 099).
 */
const ASK_COST = 500;

export interface PlanPicture {
  /** Words the screen says in the admin's language (text where the engine has no catalogue sentence yet). */
  steps: { summary: StoredWords; why: StoredWords }[];
  fulfillmentOrders: { locationName: string; outcome: FulfillmentOrderOutcome; rules: string[] }[];
  /** Words the screen says in the admin's language. */
  needsAttention: Words[];
  /** What Shopify would refuse of what the rules want (the work goes elsewhere), in the trace's words. */
  shopifyRefuses: Words[];
}

export interface DryRunOrder {
  orderId: string;
  orderName: string;
  changed: boolean;
  /** What would change, one line each, as Words the screen says in the admin's language. */
  changes: Words[];
  current: PlanPicture;
  proposed: PlanPicture;
}

export interface DryRunReport {
  /** Orders asked for; fewer when the shop has decided fewer. */
  requested: number;
  orders: DryRunOrder[];
  changedOrders: number;
  /** Orders that could not be read (deleted, or Shopify refused): named so none silently drops out. */
  unread: { orderId: string; orderName: string | null; reason: StoredWords }[];
  /**
   * Whether the orders' stock was read (the saved or the edited rules split by stock): as it is
   * now at each location, the only stock Shopify tells, while the rest of each order is judged as
   * it stood when it was placed.
   */
  stockReadNow: boolean;
  /**
   * Whether Shopify was asked where work may move and what may merge (some plan moved or merged):
   * as it answers now, like the stock.
   */
  shopifyAskedNow: boolean;
}

/** The most recently decided orders, newest first, each once. */
export async function recentDecidedOrders(
  db: Db,
  shop: string,
  limit: number,
): Promise<{ orderId: string; orderName: string | null }[]> {
  const groups = await db.decision.groupBy({
    by: ["orderId"],
    where: { shop, status: { not: "dry_run" } },
    _max: { createdAt: true },
    orderBy: { _max: { createdAt: "desc" } },
    take: limit,
  });
  const named = await db.decision.findMany({
    where: { shop, orderId: { in: groups.map((g) => g.orderId) }, orderName: { not: null } },
    select: { orderId: true, orderName: true },
    distinct: ["orderId"],
  });
  const names = new Map(named.map((n) => [n.orderId, n.orderName]));
  return groups.map((g) => ({ orderId: g.orderId, orderName: names.get(g.orderId) ?? null }));
}

/**
 * The proposed rule set: the saved rules with `edited` in place of the rule with its id, or
 * added when it is new.
 */
export function withEditedRule(saved: readonly Rule[], edited: Rule): Rule[] {
  const others = saved.filter((rule) => rule.id !== edited.id);
  return [...others, edited].sort(compareRules);
}

function picture(plan: Plan, ruleNames: ReadonlyMap<string, string>): PlanPicture {
  return {
    steps: plan.steps.map((step) => ({ summary: step.summary, why: step.why.text })),
    fulfillmentOrders: plan.fulfillmentOrders.map((fo) => ({
      locationName: fo.locationName,
      outcome: fo.outcome,
      rules: fo.matchedRuleIds.map((id) => ruleNames.get(id) ?? id),
    })),
    needsAttention: plan.needsAttention.map((reason) => reason.message),
    shopifyRefuses: shopifyWouldRefuse(plan),
  };
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface DryRunInput {
  shop: string;
  /** The rule as edited (validated), with the id it has or "new". */
  edited: Rule;
  limit: number;
}

export async function runDryRun(
  deps: { db: Db; gateway: AdminGateway },
  input: DryRunInput,
): Promise<DryRunReport> {
  const { db, gateway } = deps;
  const limit = Math.min(Math.max(1, Math.floor(input.limit)), MAX_DRY_RUN_ORDERS);
  const [config, orders] = await Promise.all([
    loadShopConfig(db, input.shop),
    recentDecidedOrders(db, input.shop, limit),
  ]);
  const proposedRules = withEditedRule(config.rules, input.edited);
  const ruleNames = new Map([...config.rules, input.edited].map((rule) => [rule.id, rule.name]));
  const approvals = await db.approval.findMany({
    where: { shop: input.shop, orderId: { in: orders.map((o) => o.orderId) } },
    select: { orderId: true, fulfillmentOrderId: true },
  });

  // A rule that splits by stock, saved or edited, plans on each line's stock: read it as the
  // router does (one call per location of an order's open fulfillment orders), or the dry run
  // would show the rule doing nothing where it will split and hold. Other shops pay nothing more.
  const stockReadNow = orderReadNeeds(config.rules).stock || orderReadNeeds(proposedRules).stock;
  const readOptions: ReadOrderOptions = stockReadNow
    ? { linesOnFulfillmentOrders: true, needs: { ...READ_EVERYTHING, stock: true } }
    : {};
  const unread: DryRunReport["unread"] = [];
  const snapshots = await mapLimited(
    orders,
    READS_AT_ONCE,
    async (order): Promise<OrderSnapshot | null> => {
      try {
        const snapshot = toOrderSnapshot(await readOrder(gateway, order.orderId, readOptions));
        if (!snapshot) unread.push({ ...order, reason: engineSaid("dryRun.orderGone") });
        return snapshot;
      } catch (error) {
        unread.push({ ...order, reason: error instanceof Error ? error.message : String(error) });
        return null;
      }
    },
  );

  // Both rule sets' plans of every order made against what Shopify allows, as the router makes
  // them: the questions of all the orders whose plans move or merge go together (one query, more
  // only past ASK_COST), and an order that neither moves nor merges asks nothing.
  const asker = new ShopifyAllowsAsker(
    gateway,
    [
      ...new Set([
        ...locationsTheRulesName(config.rules, config.profiles),
        ...locationsTheRulesName(proposedRules, config.profiles),
      ]),
    ],
    ASK_COST,
  );
  const read = snapshots.filter((snapshot): snapshot is OrderSnapshot => snapshot !== null);
  const toPlan = read.flatMap((snapshot): PlanToAsk[] => {
    const approved = approvals
      .filter((a) => a.orderId === snapshot.order.id)
      .map((a) => a.fulfillmentOrderId);
    // Planned as each order stood when it was placed (dryRun's default clock), so timed holds
    // read the same whichever day the merchant runs this.
    const planWith = (rules: readonly Rule[]) => (shopify: ShopifyAllows) =>
      dryRun(snapshot, rules, config.settings, config.profiles, { approvals: approved, shopify });
    return [
      { snapshot, planWith: planWith(config.rules) },
      { snapshot, planWith: planWith(proposedRules) },
    ];
  });
  const plans = await asker.planEach(toPlan);

  const results: DryRunOrder[] = read.map((snapshot, i) => {
    const current = plans[2 * i]!;
    const proposed = plans[2 * i + 1]!;
    const diff = diffPlans(current, proposed);
    return {
      orderId: snapshot.order.id,
      orderName: snapshot.order.name,
      changed: diff.changed,
      changes: diff.summary,
      current: picture(current, ruleNames),
      proposed: picture(proposed, ruleNames),
    };
  });
  return {
    requested: limit,
    orders: results,
    changedOrders: results.filter((order) => order.changed).length,
    unread,
    stockReadNow,
    shopifyAskedNow: asker.asked > 0,
  };
}
