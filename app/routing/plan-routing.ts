// Where a fulfillment order goes: merge, move, or split by capability, vendor, stock or line condition — at most one structural change per fulfillment order per round.
import {
  chooseLocationAmong,
  noLocationWords,
  profilesInPreferenceOrder,
  type CapabilityProfile,
} from "./capability";
import { compileLineCondition, quote, type CompiledRule, type LineTest } from "./conditions";
import { decide, type RoutingAction, type RuleDecision, type WantedHold } from "./decide";
import { isGateHold, plannedHoldPurpose, ruleHoldHandle } from "./holds";
import { waitingLinesWords } from "./hold-words";
import type { LineCondition } from "./rules";
import {
  FULFILLMENT_ORDER_ACTIONS as ACTIONS,
  compareGids,
  type FulfillmentOrder,
} from "./snapshot";
import { makeStep, type FulfillmentOrderLineItemInput } from "./steps";
import { buildOrderView, type FulfillmentOrderView, type LineView } from "./views";
import { PlanBuilder, lineInputs, lineWords, phaseOf, quoted, supports } from "./plan-builder";
import type { AttentionCode } from "./plan-types";
import { engineSaid, type Words } from "./words";
import { actionWords } from "./rule-words";

// ---------------------------------------------------------------------------------------------
// Merging: only fulfillment orders whose own rules say "merge", at the same location.

export function planMerges(
  b: PlanBuilder,
  decisions: readonly RuleDecision[],
  rules: readonly CompiledRule[],
): void {
  const groups = new Map<string, RuleDecision[]>();
  for (const d of decisions) {
    if (d.routing?.action.type !== "merge" || phaseOf(d.view.fo) !== "actionable") continue;
    if (b.waitingForMove.has(d.view.fo.id) || b.placedByRepair.has(d.view.fo.id)) continue;
    if (!supports(d.view.fo, ACTIONS.merge)) {
      b.explain(d.view.fo.id, engineSaid("explain.mergeNotAllowed"), d.routing.rule.rule.id);
      continue;
    }
    const key = d.view.fo.assignedLocation.locationId;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  for (const found of groups.values()) {
    for (const group of listedByShopify(b, found)) planMerge(b, group, rules);
  }
}

/**
 * The group split into the sets Shopify would merge: each fulfillment order joins the first set
 * whose every member lists it in fulfillmentOrdersForMerge and is listed in its own (an answer
 * not asked for counts as listed: the router asks before it applies a merge). What Shopify lists
 * with none of the others stays alone and says so.
 */
function listedByShopify(b: PlanBuilder, group: RuleDecision[]): RuleDecision[][] {
  const answers = b.shopify.merges;
  if (!answers || group.length < 2) return [group];
  const lists = (x: string, y: string) => !answers[x] || answers[x].includes(y);
  const sets: RuleDecision[][] = [];
  for (const d of group) {
    const id = d.view.fo.id;
    const set = sets.find((s) =>
      s.every((other) => lists(id, other.view.fo.id) && lists(other.view.fo.id, id)),
    );
    if (set) set.push(d);
    else sets.push([d]);
  }
  if (sets.length === 1) {
    if (group.some((d) => answers[d.view.fo.id]))
      for (const d of group)
        b.explain(
          d.view.fo.id,
          engineSaid("explain.mergeListedByShopify", { location: d.view.locationName }),
          d.routing?.rule.rule.id ?? null,
        );
    return sets;
  }
  const merged: RuleDecision[][] = [];
  for (const set of sets) {
    if (set.length > 1) {
      merged.push(set);
      continue;
    }
    const d = set[0]!;
    b.explain(
      d.view.fo.id,
      engineSaid("explain.mergeNotListedByShopify", { location: d.view.locationName }),
      d.routing?.rule.rule.id ?? null,
    );
  }
  return merged;
}

function planMerge(b: PlanBuilder, group: readonly RuleDecision[], rules: readonly CompiledRule[]) {
  const first = group[0];
  if (!first || !first.routing) return;
  if (group.length < 2) {
    b.explain(
      first.view.fo.id,
      engineSaid("explain.nothingToMerge", { location: first.view.locationName }),
      first.routing.rule.rule.id,
    );
    return;
  }
  const splitBy = splitAfterMerge(b, group, rules);
  if (splitBy) {
    for (const d of group)
      b.explain(
        d.view.fo.id,
        engineSaid("explain.mergeWouldBeSplit", {
          location: first.view.locationName,
          rule: splitBy.rule.name,
        }),
        first.routing.rule.rule.id,
      );
    return;
  }
  const ids = group.map((d) => d.view.fo.id);
  b.add(
    makeStep(
      "fulfillmentOrderMerge",
      b.orderId,
      first.view.fo.id,
      {
        fulfillmentOrderMergeInputs: [
          { mergeIntents: ids.map((fulfillmentOrderId) => ({ fulfillmentOrderId })) },
        ],
      },
      engineSaid("step.merge", { count: group.length, location: first.view.locationName }),
      b.ruleWhy(first.routing.rule, actionWords(first.routing.action), first.view.fo.id),
    ),
  );
  for (const id of ids) b.inFlux.add(id);
}

/**
 * The rule that would split the merged fulfillment order again, if one would: merging then would
 * only be undone the next round, and again after every merge, each time on Shopify (rules that
 * merge what another rule splits, found by the planner's property test). The merge is planned on
 * the order as it would be, with the group's lines on its first fulfillment order.
 */
function splitAfterMerge(
  b: PlanBuilder,
  group: readonly RuleDecision[],
  rules: readonly CompiledRule[],
): CompiledRule | null {
  const first = group[0]!.view.fo;
  const merging = new Set(group.map((d) => d.view.fo.id));
  const merged: FulfillmentOrder = {
    ...first,
    lineItems: group.flatMap((d) => d.view.fo.lineItems),
  };
  const snapshot = {
    ...b.snapshot,
    fulfillmentOrders: [
      merged,
      ...b.snapshot.fulfillmentOrders.filter((fo) => !merging.has(fo.id)),
    ],
  };
  const order = buildOrderView(snapshot);
  const view = order.fulfillmentOrders.find((v) => v.fo.id === first.id);
  if (!view) return null;
  const d = decide(view, order, rules, b.settings);
  if (d.routing?.action.type !== "split") return null;
  const scratch = new PlanBuilder(snapshot, order, b.settings, b.profiles, b.now, b.approvals);
  route(scratch, d);
  const undone = scratch.planned.some(
    ({ step }) =>
      step.kind === "fulfillmentOrderSplit" ||
      (step.kind === "fulfillmentOrderMove" && step.input.fulfillmentOrderLineItems !== undefined),
  );
  return undone ? d.routing.rule : null;
}

// ---------------------------------------------------------------------------------------------
// Routing: at most one split or move per fulfillment order per round, because Shopify may give the
// resulting fulfillment orders new ids that only its answer or the next read can tell.

export interface Routed {
  structural: boolean;
  /** Set when nothing is in stock: hold until it is. */
  stockHold: WantedHold | null;
  /** The rules' routing cannot be carried out; the fulfillment order must not be sent as it is. */
  blocked: boolean;
}

const NOT_ROUTED: Routed = { structural: false, stockHold: null, blocked: false };
const STRUCTURAL: Routed = { structural: true, stockHold: null, blocked: false };

/** One fulfillment order being routed by one rule. */
interface Routing {
  b: PlanBuilder;
  view: FulfillmentOrderView;
  fo: FulfillmentOrder;
  rule: CompiledRule;
}

export function route(b: PlanBuilder, d: RuleDecision): Routed {
  const routing = d.routing;
  if (!routing) return NOT_ROUTED;
  const { action, rule } = routing;
  const r: Routing = { b, view: d.view, fo: d.view.fo, rule };
  switch (action.type) {
    case "merge":
      return NOT_ROUTED; // planned for all fulfillment orders together, in planMerges
    case "move":
      return routeToLocation(r, action);
    case "split":
      switch (action.by) {
        case "capability":
          return routeByCapability(r);
        case "vendor":
          return routeByVendor(r);
        case "stock":
          return routeByStock(r);
        case "line_condition":
          return routeByLineCondition(r, action);
      }
  }
  return NOT_ROUTED;
}

function blockedBecause(
  r: Routing,
  code: AttentionCode,
  message: Words,
  lineItemId: string | null = null,
): Routed {
  r.b.needsAttention({
    code,
    fulfillmentOrderId: r.fo.id,
    lineItemId,
    ruleId: r.rule.rule.id,
    message,
  });
  return { structural: false, stockHold: null, blocked: true };
}

/**
 * Held by nothing but the release gate (ADR 011), which this decision opens anyway: Shopify splits
 * and moves only a fulfillment order nothing holds, so the gate comes off first and the next round
 * splits or moves it (ADR 028). A lab's work held this way is the usual case: Shopify sent a line
 * there because the app's own location had run out of it.
 */
function onlyGated(fo: FulfillmentOrder): boolean {
  return (
    fo.status === "ON_HOLD" &&
    fo.holds.length > 0 &&
    fo.holds.every(isGateHold) &&
    supports(fo, ACTIONS.releaseHold)
  );
}

/** Held by nothing but the planner's stock holds (and the gate), which it may take off itself. */
function onlyHeldForStock(fo: FulfillmentOrder): boolean {
  return (
    fo.status === "ON_HOLD" &&
    fo.holds.length > 0 &&
    fo.holds.every((h) => isGateHold(h) || plannedHoldPurpose(h) === "stock") &&
    supports(fo, ACTIONS.releaseHold)
  );
}

/** Releases the gate's (or the stock) hold so the next round can split or move the fulfillment order. */
function releaseGateFirst(
  r: Routing,
  because: Words,
  why: Words = engineSaid("explain.gateOffToRoute"),
): Routed {
  const { b, fo } = r;
  b.add(
    makeStep(
      "fulfillmentOrderReleaseHold",
      b.orderId,
      fo.id,
      { id: fo.id, holdIds: fo.holds.map((h) => h.id).sort(compareGids) },
      engineSaid("step.release", { count: fo.holds.length, location: r.view.locationName }),
      b.ruleWhy(r.rule, because, fo.id),
    ),
  );
  b.explain(fo.id, why, r.rule.rule.id);
  b.inFlux.add(fo.id);
  return STRUCTURAL;
}

/** Splits whole lines off the fulfillment order (their remaining quantities). */
function split(r: Routing, lines: LineView[], what: Words): Routed {
  return splitQuantities(
    r,
    lineInputs(lines),
    engineSaid("step.split", {
      count: lines.length,
      location: r.view.locationName,
      lines: lines.map((l) => quoted(l.item.title)),
    }),
    what,
  );
}

/** Splits these quantities of the fulfillment order's lines off into a new fulfillment order. */
function splitQuantities(
  r: Routing,
  lines: FulfillmentOrderLineItemInput[],
  summary: Words,
  what: Words,
): Routed {
  const { b, fo } = r;
  if (!supports(fo, ACTIONS.split) && onlyGated(fo)) return releaseGateFirst(r, what);
  if (!supports(fo, ACTIONS.split)) {
    return blockedBecause(
      r,
      "not_allowed_by_shopify",
      engineSaid("attention.splitNotAllowed", {
        rule: r.rule.rule.name,
        location: r.view.locationName,
      }),
    );
  }
  b.add(
    makeStep(
      "fulfillmentOrderSplit",
      b.orderId,
      fo.id,
      { fulfillmentOrderSplits: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: lines }] },
      summary,
      b.ruleWhy(r.rule, what, fo.id),
    ),
  );
  b.inFlux.add(fo.id);
  return STRUCTURAL;
}

/** What Shopify said of moving work to a location: null when it was not asked about that location. */
type ShopifySaid = { allowed: true } | { allowed: false; message: string | null };

/**
 * Whether Shopify's locationsForMove lets these lines of the fulfillment order (all of it, without
 * `lines`) go to the location: the whole fulfillment order when it is `movable` there and every
 * line is among its `availableLineItems`; some lines when each of them is.
 */
function shopifyOnMove(
  b: PlanBuilder,
  fo: FulfillmentOrder,
  locationId: string,
  lines: readonly LineView[],
  whole: boolean,
): ShopifySaid | null {
  const at = b.shopify.moves?.[fo.id]?.find((l) => l.locationId === locationId);
  if (!at) return null;
  const allowed =
    (!whole || at.movable) && lines.every((l) => at.movableLines.includes(l.foLine.id));
  return allowed ? { allowed: true } : { allowed: false, message: at.message };
}

/** Shopify's sentence when it gave one, else that it does not list the location for this work. */
function shopifyWords(message: string | null): Words | string {
  return message ?? engineSaid("explain.shopifyNotListed");
}

/**
 * Moves the fulfillment order to `locationId`: the whole of it, or with `lines` only those lines
 * (their remaining quantities), which Shopify moves to the new location while the rest stay where
 * they are (fulfillmentOrderMove's `fulfillmentOrderLineItems`, ADR 030).
 */
function move(r: Routing, locationId: string, because: Words, lines?: LineView[]): Routed {
  const { b, fo } = r;
  if (!supports(fo, ACTIONS.move) && onlyGated(fo)) return releaseGateFirst(r, because);
  if (!supports(fo, ACTIONS.move)) {
    return blockedBecause(
      r,
      "not_allowed_by_shopify",
      engineSaid("attention.moveNotAllowed", {
        location: r.view.locationName,
        to: b.locationName(locationId),
      }),
    );
  }
  const to = b.locationName(locationId);
  const said = shopifyOnMove(b, fo, locationId, lines ?? r.view.lines, !lines);
  if (said && !said.allowed)
    return blockedBecause(
      r,
      "not_allowed_by_shopify",
      engineSaid("attention.moveRefusedByShopify", {
        location: r.view.locationName,
        to,
        shopify: shopifyWords(said.message),
      }),
    );
  if (said) b.explain(fo.id, engineSaid("explain.moveAllowedByShopify", { to }), r.rule.rule.id);
  b.add(
    lines
      ? makeStep(
          "fulfillmentOrderMove",
          b.orderId,
          fo.id,
          { id: fo.id, newLocationId: locationId, fulfillmentOrderLineItems: lineInputs(lines) },
          engineSaid("step.moveLines", {
            count: lines.length,
            from: r.view.locationName,
            to,
            lines: lines.map((l) => quoted(l.item.title)),
          }),
          b.ruleWhy(r.rule, because, fo.id),
        )
      : makeStep(
          "fulfillmentOrderMove",
          b.orderId,
          fo.id,
          { id: fo.id, newLocationId: locationId },
          engineSaid("step.move", { from: r.view.locationName, to }),
          b.ruleWhy(r.rule, because, fo.id),
        ),
  );
  b.inFlux.add(fo.id);
  return STRUCTURAL;
}

function routeToLocation(r: Routing, action: Extract<RoutingAction, { type: "move" }>): Routed {
  const { b, fo, rule } = r;
  if (!b.order.locationsById.has(action.locationId)) {
    return blockedBecause(
      r,
      "location_not_found",
      engineSaid("attention.locationGone", { rule: rule.rule.name, location: r.view.locationName }),
    );
  }
  if (fo.assignedLocation.locationId === action.locationId) {
    // After this decision's own move the work is there because of it: said so, beside the move
    // the trace lists, rather than "already there", which reads as if nothing had moved.
    const from = b.movedByThisDecision[fo.id];
    b.explain(
      fo.id,
      from && from.locationId !== action.locationId
        ? engineSaid("explain.movedThereByThisDecision", {
            location: r.view.locationName,
            from: from.name,
            rule: rule.rule.name,
          })
        : engineSaid("explain.alreadyThere", {
            location: r.view.locationName,
            rule: rule.rule.name,
          }),
      rule.rule.id,
    );
    return NOT_ROUTED;
  }
  return move(
    r,
    action.locationId,
    actionWords(action, (id) => b.locationName(id)),
  );
}

function routeByVendor(r: Routing): Routed {
  const groups = new Map<string, LineView[]>();
  for (const line of r.view.lines) {
    const vendor = line.vendor ?? "";
    const group = groups.get(vendor);
    if (group) group.push(line);
    else groups.set(vendor, [line]);
  }
  const second = [...groups.values()][1];
  if (!second) return NOT_ROUTED;
  const vendor = second[0]?.item.vendor;
  return split(
    r,
    second,
    vendor ? engineSaid("why.splitByVendor", { vendor }) : engineSaid("why.splitNoVendor"),
  );
}

/** A line of a split by stock: how many of its remaining units the location can ship now. */
interface StockLine {
  line: LineView;
  ready: number;
  waiting: number;
}

/**
 * Splits off, unit by unit, what the location cannot ship now (fulfillmentOrderSplit takes each
 * line's quantity): a line with 2 of 3 in stock keeps 2 here and sends 1 to a new fulfillment
 * order, which the next round holds until stock arrives. The original keeps the units in stock
 * because the stock read hands a location's stock out in fulfillment order id order and Shopify
 * numbers the split-off part after the order's others: the next read finds the same units in stock
 * on the same fulfillment order (ADR 085). A fulfillment order with nothing in stock is held whole.
 */
function routeByStock(r: Routing): Routed {
  const { view, rule } = r;
  const stock: StockLine[] = view.lines.map((line) => {
    const known = line.foLine.inStockQuantity;
    const remaining = line.foLine.remainingQuantity;
    const ready =
      known === undefined || known === null ? remaining : Math.max(0, Math.min(known, remaining));
    return { line, ready, waiting: remaining - ready };
  });
  const unknown = view.lines.filter((line) => line.foLine.stockUnknown);
  if (unknown.length > 0)
    r.b.explain(
      r.fo.id,
      engineSaid("explain.stockUnknown", {
        rule: rule.rule.name,
        location: view.locationName,
        lines: unknown.map((line) => line.item.title).join(", "),
      }),
      rule.rule.id,
    );
  const short = stock.filter((s) => s.waiting > 0);
  if (short.length === 0) return NOT_ROUTED;
  const ready = stock.reduce((n, s) => n + s.ready, 0);
  if (ready > 0) {
    // Held for stock (or by the gate) and some has come: Shopify splits only what nothing holds,
    // so the hold comes off first and the next round splits off what still waits.
    const waiting = short.reduce((n, s) => n + s.waiting, 0);
    if (!supports(r.fo, ACTIONS.split) && onlyHeldForStock(r.fo))
      return releaseGateFirst(
        r,
        actionWords({ type: "split", by: "stock" }),
        engineSaid("explain.stockOffToSplit", { location: view.locationName, ready, waiting }),
      );
    // Held by someone else, nothing ships and nothing splits: it waits for stock as well, and
    // once the other holds are off, the stock hold comes off to split (above). Its counts are
    // what truly waits: the units in stock wait for the other hold, not for stock.
    if (!supports(r.fo, ACTIONS.split) && r.fo.status === "ON_HOLD")
      return stockHold(r, new Map(stock.map((s) => [s.line.foLine.id, s.waiting])));
    const lines = short.map((s) =>
      engineSaid("stock.line", {
        title: quoted(s.line.item.title),
        ready: s.ready,
        quantity: s.ready + s.waiting,
      }),
    );
    r.b.explain(
      r.fo.id,
      engineSaid("explain.stockSplit", {
        rule: rule.rule.name,
        location: view.locationName,
        ready,
        waiting,
        lines,
      }),
      rule.rule.id,
    );
    return splitQuantities(
      r,
      short.map((s) => ({ id: s.line.foLine.id, quantity: s.waiting })),
      engineSaid("step.splitForStock", { location: view.locationName, ready, waiting, lines }),
      actionWords({ type: "split", by: "stock" }),
    );
  }
  return stockHold(r);
}

/**
 * Held until stock arrives, with Shopify's INVENTORY_OUT_OF_STOCK. `waiting` (fulfillment order
 * line → units) when only some of the units wait; otherwise every unit on it does.
 */
function stockHold(r: Routing, waiting?: ReadonlyMap<string, number>): Routed {
  const { view, rule } = r;
  // How many of each line wait, of what the order has of it: "1 of 3 “Photo Book”". The note on
  // Shopify, the step and the trace say the same counts; the screens read them from the hold.
  const lines = waitingLinesWords(
    view.lines.map((line) => ({
      title: line.item.title,
      waiting: waiting?.get(line.foLine.id) ?? line.foLine.remainingQuantity,
      quantity: line.item.quantity,
    })),
  );
  r.b.explain(
    r.fo.id,
    engineSaid("explain.stockWaits", { rule: rule.rule.name, location: view.locationName, lines }),
    rule.rule.id,
  );
  return {
    structural: false,
    blocked: false,
    stockHold: {
      handle: ruleHoldHandle(rule.rule.id, "stock"),
      purpose: "stock",
      reason: "INVENTORY_OUT_OF_STOCK",
      reasonNotes:
        `Waiting for stock at ${view.locationName} (rule ${quote(rule.rule.name)})`.slice(0, 255),
      notes: engineSaid("stock.holdNote", {
        lines,
        location: view.locationName,
        rule: rule.rule.name,
      }),
      waiting: lines,
      releaseAfterMinutes: null,
      rule,
      label: engineSaid("why.stockHold"),
    },
  };
}

const splitTestCache = new WeakMap<object, LineTest[]>();

function splitTests(
  action: Extract<RoutingAction, { by: "line_condition" }>,
  conditions: LineCondition[],
): LineTest[] {
  let tests = splitTestCache.get(action);
  if (!tests) {
    tests = conditions.map(compileLineCondition);
    splitTestCache.set(action, tests);
  }
  return tests;
}

function routeByLineCondition(
  r: Routing,
  action: Extract<RoutingAction, { by: "line_condition" }>,
): Routed {
  const { view, rule } = r;
  const conditions = action.conditions ?? rule.lineConditions;
  const match = action.match ?? rule.rule.match;
  const tests = action.conditions ? splitTests(action, conditions) : rule.lineTests;
  if (tests.length === 0) return NOT_ROUTED;
  const picked = view.lines.filter((line) =>
    match === "all" ? tests.every((t) => t(line)) : tests.some((t) => t(line)),
  );
  if (picked.length === 0 || picked.length === view.lines.length) return NOT_ROUTED;
  return split(r, picked, actionWords({ type: "split", by: "line_condition" }));
}

/** Shopify's refusal of moving the line to the profile's location (never of where it is now). */
function refusedByShopify(
  b: PlanBuilder,
  view: FulfillmentOrderView,
  profile: CapabilityProfile,
  line: LineView,
): { allowed: false; message: string | null } | null {
  if (profile.locationId === view.fo.assignedLocation.locationId) return null;
  const said = shopifyOnMove(b, view.fo, profile.locationId, [line], false);
  return said && !said.allowed ? said : null;
}

function routeByCapability(r: Routing): Routed {
  const { b, view, rule } = r;
  const current = view.fo.assignedLocation.locationId;
  const groups = new Map<string, LineView[]>();
  let unproducible = 0;
  // Ordered once for all the lines (every line of every order comes through here).
  const ordered = profilesInPreferenceOrder(b.profiles);
  for (const line of view.lines) {
    if (!line.item.requiresShipping) continue; // downloads and gift cards are not produced anywhere
    const normalised = { productType: line.productType, options: line.optionList };
    let choice = chooseLocationAmong(ordered, line.item, b.order.locationsById, normalised);
    const refused = choice.profile ? refusedByShopify(b, view, choice.profile, line) : null;
    if (choice.profile && refused) {
      // Shopify will not take the line there (it does not stock it): the next capable location
      // Shopify allows, or the merchant's call with Shopify's words.
      const first = choice.profile;
      const allowed = ordered.filter((p) => !refusedByShopify(b, view, p, line));
      choice = chooseLocationAmong(allowed, line.item, b.order.locationsById, normalised);
      if (!choice.profile) {
        unproducible++;
        b.needsAttention({
          code: "not_allowed_by_shopify",
          fulfillmentOrderId: view.fo.id,
          lineItemId: line.item.id,
          ruleId: rule.rule.id,
          message: engineSaid("attention.noLocationShopifyAllows", {
            line: lineWords(line),
            to: first.name,
            shopify: shopifyWords(refused.message),
          }),
        });
        continue;
      }
      b.explain(
        view.fo.id,
        engineSaid("explain.moveRefusedByShopify", {
          line: quoted(line.item.title),
          to: first.name,
          shopify: shopifyWords(refused.message),
          instead: choice.profile.name,
        }),
        rule.rule.id,
      );
    }
    if (!choice.profile) {
      unproducible++;
      b.needsAttention({
        code: "no_capable_location",
        fulfillmentOrderId: view.fo.id,
        lineItemId: line.item.id,
        ruleId: rule.rule.id,
        message: engineSaid("attention.noCapableLocation", {
          line: lineWords(line),
          why: noLocationWords(choice.gaps),
        }),
      });
      continue;
    }
    const target = choice.profile.locationId;
    if (target === current) continue;
    const group = groups.get(target);
    if (group) group.push(line);
    else groups.set(target, [line]);
  }
  for (const profile of ordered) {
    const lines = groups.get(profile.locationId);
    if (!lines) continue;
    const because = engineSaid("why.splitByCapability", {
      location: profile.name,
      count: lines.length,
    });
    // One move per destination and round: the whole fulfillment order when every line goes there,
    // otherwise just those lines, which Shopify takes off it to the new location in the same call
    // (ADR 030; a split and then a move of the part cost a mutation and a round more).
    return lines.length === view.lines.length
      ? move(r, profile.locationId, because)
      : move(r, profile.locationId, because, lines);
  }
  if (unproducible > 0) return { structural: false, stockHold: null, blocked: true };
  b.explain(
    view.fo.id,
    engineSaid("explain.everyLineCapable", { location: view.locationName }),
    rule.rule.id,
  );
  return NOT_ROUTED;
}
