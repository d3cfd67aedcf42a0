// An index over a compiled rule set: which rules could match a fulfillment order at all, so the walk skips the rest.
import type { CompiledRule } from "./conditions";
import type { Condition } from "./rules";
import { norm, normCode, type FulfillmentOrderView, type OrderView } from "./views";

/*
 * Most rules in a large set name a vendor, SKU, product type, tag, option, country or location
 * with "is" / "is one of" / "includes". Such a condition can only hold when the fulfillment order
 * (one of its lines, or the order) has that exact value, so a rule can be skipped unless one of
 * its keys is present. The index only ever skips rules that cannot match: every rule it lets
 * through is still checked by `ruleMatches`, so what matches, and in which order, is unchanged.
 *
 * A rule's keys:
 * - match "all": the values of one positive condition (every condition must hold, so that one
 *   must; for line conditions some line must satisfy all of them, so some line has the value);
 * - match "any": the values of every condition, if every condition has them (one must hold);
 * - otherwise (no conditions, or a condition without keys such as "contains" or a total): none,
 *   and the rule is checked for every fulfillment order.
 * The values are normalised exactly as `conditions.ts` compares them.
 */

type Field =
  | "sku"
  | "vendor"
  | "product_type"
  | "variant_option"
  | "product_tag"
  | "order_tag"
  | "customer_tag"
  | "assigned_location"
  | "destination_country"
  | "payment_state"
  | "requires_shipping"
  | "gift_card";

/** For match "all", the condition whose values are the keys: the first of these fields found. */
const PREFERENCE: readonly Field[] = [
  "sku",
  "vendor",
  "product_type",
  "variant_option",
  "product_tag",
  "order_tag",
  "customer_tag",
  "assigned_location",
  "destination_country",
  "payment_state",
  "requires_shipping",
  "gift_card",
];

interface Keys {
  field: Field;
  /** For variant_option: the normalised option name. */
  optionName?: string;
  values: string[];
}

/** The values that make this condition hold, or null when other values can make it hold too. */
export function conditionKeys(condition: Condition): Keys | null {
  switch (condition.field) {
    case "sku":
    case "vendor":
    case "product_type":
      if (condition.operator === "equals")
        return { field: condition.field, values: [norm(condition.value)] };
      if (condition.operator === "in")
        return { field: condition.field, values: condition.value.map(norm) };
      return null;
    case "variant_option":
      if (condition.operator === "equals")
        return {
          field: "variant_option",
          optionName: norm(condition.optionName),
          values: [norm(condition.value)],
        };
      if (condition.operator === "in")
        return {
          field: "variant_option",
          optionName: norm(condition.optionName),
          values: condition.value.map(norm),
        };
      return null;
    case "product_tag":
    case "order_tag":
    case "customer_tag":
      if (condition.operator === "contains")
        return { field: condition.field, values: [norm(condition.value)] };
      if (condition.operator === "in")
        return { field: condition.field, values: condition.value.map(norm) };
      return null;
    case "destination_country":
      if (condition.operator === "equals")
        return { field: condition.field, values: [normCode(condition.value)] };
      if (condition.operator === "in")
        return { field: condition.field, values: condition.value.map(normCode) };
      return null;
    case "payment_state":
      if (condition.operator === "equals")
        return { field: condition.field, values: [norm(condition.value)] };
      if (condition.operator === "in")
        return { field: condition.field, values: condition.value.map(norm) };
      return null;
    case "assigned_location":
      if (condition.operator === "equals")
        return { field: condition.field, values: [condition.value] };
      if (condition.operator === "in")
        return { field: condition.field, values: [...condition.value] };
      return null;
    case "requires_shipping":
    case "gift_card":
      return { field: condition.field, values: [String(condition.value)] };
    default:
      return null;
  }
}

/** Rule positions (in the compiled set) by value, for one field. */
type Postings = Map<string, number[]>;

/** 1 at the position of each rule that could match, 0 elsewhere. */
export type Marks = (0 | 1)[];

export interface RuleIndex {
  size: number;
  /** Positions of the rules checked for every fulfillment order, ascending. */
  alwaysAt: readonly number[];
  /**
   * Scratch for `candidatePositions`: the call in which each rule was last let through, so a rule
   * several values point to is listed once without a set. Only ever written by that function,
   * which finishes before anything else reads the index.
   */
  seenIn: Int32Array;
  calls: number;
  byField: Map<Exclude<Field, "variant_option">, Postings>;
  /** Normalised option name → value → rule positions. */
  byOption: Map<string, Postings>;
}

function post(postings: Postings, value: string, position: number): void {
  const list = postings.get(value);
  if (!list) postings.set(value, [position]);
  else if (list[list.length - 1] !== position) list.push(position);
}

function keysOf(rule: CompiledRule): Keys[] | null {
  const conditions = rule.rule.conditions;
  if (conditions.length === 0) return null;
  if (rule.rule.match === "all") {
    let best: Keys | null = null;
    let bestRank = PREFERENCE.length;
    for (const condition of conditions) {
      const keys = conditionKeys(condition);
      if (!keys) continue;
      const rank = PREFERENCE.indexOf(keys.field);
      if (rank < bestRank) {
        best = keys;
        bestRank = rank;
      }
    }
    return best ? [best] : null;
  }
  const all: Keys[] = [];
  for (const condition of conditions) {
    const keys = conditionKeys(condition);
    if (!keys) return null;
    all.push(keys);
  }
  return all;
}

export function buildRuleIndex(rules: readonly CompiledRule[]): RuleIndex {
  const alwaysAt: number[] = [];
  const index: RuleIndex = {
    size: rules.length,
    alwaysAt,
    seenIn: new Int32Array(rules.length),
    calls: 0,
    byField: new Map(),
    byOption: new Map(),
  };
  rules.forEach((rule, position) => {
    const keys = keysOf(rule);
    if (!keys) {
      alwaysAt.push(position);
      return;
    }
    for (const key of keys) {
      let postings: Postings | undefined;
      if (key.field === "variant_option") {
        postings = index.byOption.get(key.optionName!);
        if (!postings) index.byOption.set(key.optionName!, (postings = new Map()));
      } else {
        postings = index.byField.get(key.field);
        if (!postings) index.byField.set(key.field, (postings = new Map()));
      }
      for (const value of key.values) post(postings, value, position);
    }
  });
  return index;
}

const indexes = new WeakMap<readonly CompiledRule[], RuleIndex>();

/** The index of a compiled rule set, built once per set (a frozen set lives as long as its version). */
export function ruleIndex(rules: readonly CompiledRule[]): RuleIndex {
  let index = indexes.get(rules);
  if (!index) {
    index = buildRuleIndex(rules);
    indexes.set(rules, index);
  }
  return index;
}

function mark(
  index: RuleIndex,
  out: number[],
  postings: Postings | undefined,
  value: string | null,
): void {
  if (postings === undefined || value === null) return;
  const list = postings.get(value);
  if (list === undefined) return;
  const seenIn = index.seenIn;
  const call = index.calls;
  for (let i = 0; i < list.length; i++) {
    const position = list[i]!;
    if (seenIn[position] !== call) {
      seenIn[position] = call;
      out.push(position);
    }
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}

/**
 * The positions (in the compiled set) of the rules that could match this fulfillment order,
 * ascending: the rules checked for every fulfillment order and those one of its values points to.
 * Values are read as `conditions.ts` reads them (an empty product type or SKU is none). The walk
 * visits only these, instead of a mark for every rule of the set copied for every fulfillment
 * order and looked at one by one.
 */
export function candidatePositions(
  index: RuleIndex,
  fo: FulfillmentOrderView,
  order: OrderView,
): number[] {
  // A new call number; after 2^31 calls the marks start again from nothing.
  if (index.calls === 0x7fffffff) {
    index.seenIn.fill(0);
    index.calls = 0;
  }
  index.calls++;
  const out: number[] = [];
  const seenIn = index.seenIn;
  const call = index.calls;
  for (let i = 0; i < index.alwaysAt.length; i++) {
    const position = index.alwaysAt[i]!;
    seenIn[position] = call;
    out.push(position);
  }
  const f = index.byField;
  const sku = f.get("sku");
  const vendor = f.get("vendor");
  const productType = f.get("product_type");
  const productTag = f.get("product_tag");
  const shipping = f.get("requires_shipping");
  const giftCard = f.get("gift_card");
  const options = index.byOption.size > 0;
  for (let i = 0; i < fo.lines.length; i++) {
    const line = fo.lines[i]!;
    if (sku) mark(index, out, sku, line.sku === "" ? null : line.sku);
    if (vendor) mark(index, out, vendor, line.vendor);
    if (productType)
      mark(index, out, productType, line.productType === "" ? null : line.productType);
    if (productTag) for (const tag of line.tags) mark(index, out, productTag, tag);
    if (options)
      for (const [name, value] of line.options) mark(index, out, index.byOption.get(name), value);
    if (shipping) mark(index, out, shipping, line.item.requiresShipping ? "true" : "false");
    if (giftCard) mark(index, out, giftCard, line.item.isGiftCard ? "true" : "false");
  }
  const orderTag = f.get("order_tag");
  if (orderTag) for (const tag of order.orderTags) mark(index, out, orderTag, tag);
  const customerTag = f.get("customer_tag");
  if (customerTag) for (const tag of order.customerTags) mark(index, out, customerTag, tag);
  mark(index, out, f.get("assigned_location"), fo.fo.assignedLocation.locationId);
  mark(index, out, f.get("destination_country"), order.country);
  mark(index, out, f.get("payment_state"), order.payment);
  if (out.length > 1) out.sort(ascending);
  return out;
}

/** Which rules could match this fulfillment order: 1 at a rule's position in the compiled set. */
export function candidates(index: RuleIndex, fo: FulfillmentOrderView, order: OrderView): Marks {
  const marks: Marks = Array.from({ length: index.size }, () => 0);
  for (const position of candidatePositions(index, fo, order)) marks[position] = 1;
  return marks;
}
