// Turns rule conditions into fast tests over snapshot views, and says in the merchant's words what matched.
import {
  compareRules,
  isLineCondition,
  type ChoiceTest,
  type Condition,
  type LineCondition,
  type OrderCondition,
  type PresenceTest,
  type Rule,
  type TagTest,
  type TextTest,
} from "./rules";
import { RISK_LEVELS, type RiskLevel } from "./snapshot";
import { extraChargeState } from "./extra-charge";
import { norm, normCode, type FulfillmentOrderView, type LineView, type OrderView } from "./views";

export type LineTest = (line: LineView) => boolean;
export type OrderTest = (fo: FulfillmentOrderView, order: OrderView) => boolean;

// ---------------------------------------------------------------------------------------------
// Generic comparisons. Negative operators are exactly "not the positive one", so a missing value
// (no SKU, no vendor) never satisfies "is" and always satisfies "is not".

function textTest(test: TextTest): (value: string | null) => boolean {
  switch (test.operator) {
    case "equals": {
      const want = norm(test.value);
      return (value) => value === want;
    }
    case "not_equals": {
      const want = norm(test.value);
      return (value) => value !== want;
    }
    case "contains": {
      const want = norm(test.value);
      return (value) => value !== null && value.includes(want);
    }
    case "not_contains": {
      const want = norm(test.value);
      return (value) => value === null || !value.includes(want);
    }
    case "starts_with": {
      const want = norm(test.value);
      return (value) => value !== null && value.startsWith(want);
    }
    case "in": {
      const want = new Set(test.value.map(norm));
      return (value) => value !== null && want.has(value);
    }
    case "not_in": {
      const want = new Set(test.value.map(norm));
      return (value) => value === null || !want.has(value);
    }
    case "exists":
      return test.value
        ? (value) => value !== null && value !== ""
        : (value) => value === null || value === "";
  }
}

/** A text test over several values (shipping lines, channel names): positive if any value passes. */
function textListTest(test: TextTest): (values: readonly string[]) => boolean {
  if (test.operator === "exists") {
    return test.value ? (values) => values.length > 0 : (values) => values.length === 0;
  }
  const negative =
    test.operator === "not_equals" ||
    test.operator === "not_in" ||
    test.operator === "not_contains";
  const positive: TextTest = negative ? positiveOf(test) : test;
  const one = textTest(positive);
  return negative ? (values) => !values.some(one) : (values) => values.some(one);
}

function positiveOf(test: TextTest): TextTest {
  switch (test.operator) {
    case "not_equals":
      return { operator: "equals", value: test.value };
    case "not_contains":
      return { operator: "contains", value: test.value };
    case "not_in":
      return { operator: "in", value: test.value };
    default:
      return test;
  }
}

/** A plain loop: line tests run for every line of every rule, so they allocate nothing. */
function hasAny(tags: ReadonlySet<string>, wanted: readonly string[]): boolean {
  for (let i = 0; i < wanted.length; i++) if (tags.has(wanted[i]!)) return true;
  return false;
}

function tagTest(test: TagTest): (tags: ReadonlySet<string>) => boolean {
  switch (test.operator) {
    case "contains": {
      const want = norm(test.value);
      return (tags) => tags.has(want);
    }
    case "not_contains": {
      const want = norm(test.value);
      return (tags) => !tags.has(want);
    }
    case "in": {
      const want = test.value.map(norm);
      return (tags) => hasAny(tags, want);
    }
    case "not_in": {
      const want = test.value.map(norm);
      return (tags) => !hasAny(tags, want);
    }
    case "exists":
      return test.value ? (tags) => tags.size > 0 : (tags) => tags.size === 0;
  }
}

function choiceTest(
  test: ChoiceTest | PresenceTest,
  normalise: (text: string) => string,
): (value: string | null) => boolean {
  switch (test.operator) {
    case "equals": {
      const want = normalise(test.value);
      return (value) => value === want;
    }
    case "not_equals": {
      const want = normalise(test.value);
      return (value) => value !== want;
    }
    case "in": {
      const want = new Set(test.value.map(normalise));
      return (value) => value !== null && want.has(value);
    }
    case "not_in": {
      const want = new Set(test.value.map(normalise));
      return (value) => value === null || !want.has(value);
    }
    case "exists":
      return test.value ? (value) => value !== null : (value) => value === null;
  }
}

function riskRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

const identity = (text: string) => text;

// ---------------------------------------------------------------------------------------------
// Compilation.

export function compileLineCondition(condition: LineCondition): LineTest {
  switch (condition.field) {
    case "product_type": {
      const test = textTest(condition);
      return (line) => test(line.productType === "" ? null : line.productType);
    }
    case "vendor": {
      const test = textTest(condition);
      return (line) => test(line.vendor);
    }
    case "sku": {
      const test = textTest(condition);
      return (line) => test(line.sku === "" ? null : line.sku);
    }
    case "product_tag": {
      const test = tagTest(condition);
      return (line) => test(line.tags);
    }
    case "variant_option": {
      const name = norm(condition.optionName);
      const test = choiceTest(condition, norm);
      return (line) => test(line.options.get(name) ?? null);
    }
    case "requires_shipping": {
      const want = condition.value;
      return (line) => line.item.requiresShipping === want;
    }
    case "gift_card": {
      const want = condition.value;
      return (line) => line.item.isGiftCard === want;
    }
  }
}

export function compileOrderCondition(condition: OrderCondition): OrderTest {
  switch (condition.field) {
    case "order_tag": {
      const test = tagTest(condition);
      return (_fo, order) => test(order.orderTags);
    }
    case "customer_tag": {
      const test = tagTest(condition);
      return (_fo, order) => test(order.customerTags);
    }
    case "order_total": {
      const want = condition.value;
      const currency = condition.currencyCode ? normCode(condition.currencyCode) : null;
      const compare = (total: number): boolean => {
        switch (condition.operator) {
          case "equals":
            return total === want;
          case "not_equals":
            return total !== want;
          case "greater_than":
            return total > want;
          case "less_than":
            return total < want;
        }
      };
      return (_fo, order) => {
        if (Number.isNaN(order.total)) return false;
        if (currency !== null && order.currency !== currency) return false;
        return compare(order.total);
      };
    }
    case "destination_country": {
      const test = choiceTest(condition, normCode);
      return (_fo, order) => test(order.country);
    }
    case "destination_province": {
      const test = choiceTest(condition, normCode);
      return (_fo, order) => test(order.province);
    }
    case "shipping_method": {
      const test = textListTest(condition);
      return (_fo, order) => test(order.shippingMethods);
    }
    case "risk_level": {
      if (condition.operator === "greater_than" || condition.operator === "less_than") {
        const rank = riskRank(condition.value);
        return condition.operator === "greater_than"
          ? (_fo, order) => riskRank(order.risk) > rank
          : (_fo, order) => riskRank(order.risk) < rank;
      }
      const test = choiceTest(condition as ChoiceTest, normCode);
      return (_fo, order) => test(order.risk);
    }
    case "payment_state": {
      const test = choiceTest(condition, norm);
      return (_fo, order) => test(order.payment);
    }
    case "sales_channel": {
      const test = textListTest(condition);
      return (_fo, order) => test(order.channels);
    }
    case "assigned_location": {
      const test = choiceTest(condition, identity);
      return (fo) => test(fo.fo.assignedLocation.locationId);
    }
    case "fulfilment_service": {
      const test = choiceTest(condition, norm);
      return (fo) => test(fo.fo.fulfillmentService ? norm(fo.fo.fulfillmentService.handle) : null);
    }
    case "extra_charge": {
      const test = choiceTest(condition, identity);
      return (_fo, order) => test(extraChargeState(order.orderTags));
    }
  }
}

export interface CompiledRule {
  rule: Rule;
  /** Place in priority order, 0 first. */
  rank: number;
  lineConditions: LineCondition[];
  lineTests: LineTest[];
  orderConditions: OrderCondition[];
  orderTests: OrderTest[];
}

export function compileRule(rule: Rule, rank: number): CompiledRule {
  const lineConditions: LineCondition[] = [];
  const orderConditions: OrderCondition[] = [];
  for (const condition of rule.conditions) {
    if (isLineCondition(condition)) lineConditions.push(condition);
    else orderConditions.push(condition as OrderCondition);
  }
  return {
    rule,
    rank,
    lineConditions,
    lineTests: lineConditions.map(compileLineCondition),
    orderConditions,
    orderTests: orderConditions.map(compileOrderCondition),
  };
}

const compiledCache = new WeakMap<Rule, Omit<CompiledRule, "rank">>();
const compiledSets = new WeakMap<readonly Rule[], readonly CompiledRule[]>();

/**
 * Enabled rules in priority order, compiled. Compilation is cached per rule object (rules are
 * treated as immutable values), and a frozen rule set (`ruleSetFromStored`: one per version of a
 * shop's rules) is compiled once as a whole: the worker plans many orders against it.
 */
export function compileRules(rules: readonly Rule[]): readonly CompiledRule[] {
  if (!Object.isFrozen(rules)) return compileEach(rules);
  let compiled = compiledSets.get(rules);
  if (!compiled) {
    compiled = Object.freeze(compileEach(rules));
    compiledSets.set(rules, compiled);
  }
  return compiled;
}

function compileEach(rules: readonly Rule[]): CompiledRule[] {
  return rules
    .filter((rule) => rule.enabled)
    .sort(compareRules)
    .map((rule, rank) => {
      let compiled = compiledCache.get(rule);
      if (!compiled) {
        const { rank: _unused, ...rest } = compileRule(rule, 0);
        compiled = rest;
        compiledCache.set(rule, compiled);
      }
      return { ...compiled, rank };
    });
}

function lineSatisfies(rule: CompiledRule, line: LineView): boolean {
  const tests = rule.lineTests;
  if (rule.rule.match === "all") {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(line)) return false;
    return true;
  }
  for (let i = 0; i < tests.length; i++) if (tests[i]!(line)) return true;
  return false;
}

function linesHold(rule: CompiledRule, fo: FulfillmentOrderView): boolean {
  const lines = fo.lines;
  if (rule.rule.lines === "every") {
    if (lines.length === 0) return false;
    for (let i = 0; i < lines.length; i++) if (!lineSatisfies(rule, lines[i]!)) return false;
    return true;
  }
  for (let i = 0; i < lines.length; i++) if (lineSatisfies(rule, lines[i]!)) return true;
  return false;
}

/** Does the rule match this fulfillment order? The hot path: plain loops, no allocation, no text. */
export function ruleMatches(
  rule: CompiledRule,
  fo: FulfillmentOrderView,
  order: OrderView,
): boolean {
  const hasLine = rule.lineTests.length > 0;
  const orderTests = rule.orderTests;
  if (!hasLine && orderTests.length === 0) return true;
  if (rule.rule.match === "all") {
    for (let i = 0; i < orderTests.length; i++) if (!orderTests[i]!(fo, order)) return false;
    return !hasLine || linesHold(rule, fo);
  }
  for (let i = 0; i < orderTests.length; i++) if (orderTests[i]!(fo, order)) return true;
  return hasLine && linesHold(rule, fo);
}

/** The lines a rule's line conditions pick out (all of them when it has none). */
export function matchingLines(rule: CompiledRule, fo: FulfillmentOrderView): LineView[] {
  if (rule.lineTests.length === 0) return fo.lines;
  return fo.lines.filter((line) => lineSatisfies(rule, line));
}

// ---------------------------------------------------------------------------------------------
// Merchant-readable text.

const SUBJECTS: Record<Condition["field"], string> = {
  product_type: "product type",
  vendor: "vendor",
  sku: "SKU",
  product_tag: "product tags",
  variant_option: "option",
  requires_shipping: "requires shipping",
  gift_card: "gift card",
  order_tag: "order tags",
  customer_tag: "customer tags",
  order_total: "order total",
  destination_country: "destination country",
  destination_province: "destination province",
  shipping_method: "shipping method",
  risk_level: "risk level",
  payment_state: "payment",
  sales_channel: "sales channel",
  assigned_location: "assigned location",
  fulfilment_service: "fulfilment service",
  extra_charge: "extra charge",
};

export function quote(text: string): string {
  return `"${text}"`;
}

export function quoteList(values: readonly string[]): string {
  return values.map(quote).join(", ");
}

/** Names for location ids in conditions, so a merchant reads "Lab", not a gid. */
export type LocationNames = (locationId: string) => string | undefined;

function shown(condition: Condition, value: string, locationName: LocationNames): string {
  if (condition.field === "assigned_location") return locationName(value) ?? value;
  if (condition.field === "payment_state" || condition.field === "extra_charge")
    return value.replace(/_/g, " ");
  return value;
}

/** The condition as a merchant would say it: `product type is "Print"`. */
export function describeCondition(
  condition: Condition,
  locationName: LocationNames = () => undefined,
): string {
  const one = (value: string) => quote(shown(condition, value, locationName));
  const many = (values: readonly string[]) => values.map(one).join(", ");
  switch (condition.field) {
    case "requires_shipping":
      return condition.value ? "requires shipping" : "does not require shipping";
    case "gift_card":
      return condition.value ? "is a gift card" : "is not a gift card";
    case "product_tag":
    case "order_tag":
    case "customer_tag": {
      return tagPhrase(SUBJECTS[condition.field], condition, one, many);
    }
    case "variant_option": {
      const subject = `option ${quote(condition.optionName)}`;
      if (condition.operator === "exists")
        return condition.value ? `has ${subject}` : `has no ${subject}`;
      return `${subject} ${choicePhrase(condition, one, many)}`;
    }
    case "order_total": {
      const money = (value: number) =>
        condition.currencyCode ? `${value} ${condition.currencyCode}` : String(value);
      const phrase = {
        equals: "is",
        not_equals: "is not",
        greater_than: "is more than",
        less_than: "is less than",
      }[condition.operator];
      return `order total ${phrase} ${money(condition.value)}`;
    }
    case "risk_level":
      if (condition.operator === "greater_than")
        return `risk level is higher than ${one(condition.value)}`;
      if (condition.operator === "less_than")
        return `risk level is lower than ${one(condition.value)}`;
      return `risk level ${choicePhrase(condition as ChoiceTest, one, many)}`;
    case "destination_country":
      if (condition.operator === "exists")
        return condition.value ? "has a shipping address" : "has no shipping address";
      return `destination country ${choicePhrase(condition, one, many)}`;
    case "destination_province":
      if (condition.operator === "exists")
        return condition.value ? "has a destination province" : "has no destination province";
      return `destination province ${choicePhrase(condition, one, many)}`;
    case "fulfilment_service":
      if (condition.operator === "exists")
        return condition.value
          ? "is at a fulfilment service"
          : "is at a location you fulfil yourself";
      return `fulfilment service ${choicePhrase(condition, one, many)}`;
    case "payment_state":
    case "assigned_location":
    case "extra_charge":
      return `${SUBJECTS[condition.field]} ${choicePhrase(condition, one, many)}`;
    case "product_type":
    case "vendor":
    case "sku":
    case "shipping_method":
    case "sales_channel":
      return `${SUBJECTS[condition.field]} ${textPhrase(condition, one, many)}`;
  }
}

function tagPhrase(
  subject: string,
  test: TagTest,
  one: (v: string) => string,
  many: (v: readonly string[]) => string,
): string {
  switch (test.operator) {
    case "contains":
      return `${subject} include ${one(test.value)}`;
    case "not_contains":
      return `${subject} do not include ${one(test.value)}`;
    case "in":
      return `${subject} include any of ${many(test.value)}`;
    case "not_in":
      return `${subject} include none of ${many(test.value)}`;
    case "exists":
      return test.value ? `has ${subject}` : `has no ${subject}`;
  }
}

function choicePhrase(
  test: ChoiceTest,
  one: (v: string) => string,
  many: (v: readonly string[]) => string,
): string {
  switch (test.operator) {
    case "equals":
      return `is ${one(test.value)}`;
    case "not_equals":
      return `is not ${one(test.value)}`;
    case "in":
      return `is one of ${many(test.value)}`;
    case "not_in":
      return `is none of ${many(test.value)}`;
  }
}

function textPhrase(
  test: TextTest,
  one: (v: string) => string,
  many: (v: readonly string[]) => string,
): string {
  switch (test.operator) {
    case "contains":
      return `contains ${one(test.value)}`;
    case "not_contains":
      return `does not contain ${one(test.value)}`;
    case "starts_with":
      return `starts with ${one(test.value)}`;
    case "exists":
      return test.value ? "is set" : "is not set";
    default:
      return choicePhrase(test as ChoiceTest, one, many);
  }
}

/** Whether the condition's own words already say the actual value (so repeating it is noise). */
function saysActualValue(condition: Condition): boolean {
  if (condition.field === "requires_shipping" || condition.field === "gift_card") return true;
  if (condition.operator === "exists") return true;
  if (condition.operator === "equals") return true;
  const tagField =
    condition.field === "product_tag" ||
    condition.field === "order_tag" ||
    condition.field === "customer_tag";
  return tagField && condition.operator === "contains";
}

function orNone(text: string | null | undefined): string {
  return text === null || text === undefined || text === "" ? "none" : quote(text);
}

function lineActual(condition: LineCondition, line: LineView): string {
  const item = line.item;
  switch (condition.field) {
    case "product_type":
      return `product type ${orNone(item.productType)}`;
    case "vendor":
      return `vendor ${orNone(item.vendor)}`;
    case "sku":
      return `SKU ${orNone(item.sku)}`;
    case "product_tag":
      return item.productTags.length
        ? `product tags ${quoteList(item.productTags)}`
        : "no product tags";
    case "variant_option": {
      const option = item.variantOptions.find((o) => norm(o.name) === norm(condition.optionName));
      return `${condition.optionName} ${orNone(option?.value)}`;
    }
    case "requires_shipping":
      return item.requiresShipping ? "requires shipping" : "does not require shipping";
    case "gift_card":
      return item.isGiftCard ? "gift card" : "not a gift card";
  }
}

function orderActual(
  condition: OrderCondition,
  fo: FulfillmentOrderView,
  order: OrderView,
): string {
  const o = order.snapshot.order;
  switch (condition.field) {
    case "order_tag":
      return o.tags.length ? `order tags: ${o.tags.join(", ")}` : "no order tags";
    case "customer_tag":
      if (!o.customer) return "no customer";
      return o.customer.tags.length
        ? `customer tags: ${o.customer.tags.join(", ")}`
        : "no customer tags";
    case "order_total":
      return o.totalPrice ? `${o.totalPrice.amount} ${o.totalPrice.currencyCode}` : "no total";
    case "destination_country":
      return o.shippingAddress
        ? `ships to ${o.shippingAddress.countryCode}`
        : "no shipping address";
    case "destination_province":
      return o.shippingAddress?.provinceCode
        ? `ships to ${o.shippingAddress.countryCode}-${o.shippingAddress.provinceCode}`
        : "no province";
    case "shipping_method":
      return o.shippingLines.length
        ? `shipping ${quoteList(o.shippingLines.map((l) => l.title))}`
        : "no shipping method";
    case "risk_level":
      return `risk ${o.riskLevel}`;
    case "payment_state":
      return `payment ${o.displayFinancialStatus ? o.displayFinancialStatus.toLowerCase().replace(/_/g, " ") : "unknown"}`;
    case "sales_channel":
      return `channel ${orNone(o.salesChannel ?? o.sourceName)}`;
    case "assigned_location":
      return `at ${quote(fo.locationName)}`;
    case "fulfilment_service":
      return fo.fo.fulfillmentService
        ? `fulfilment service ${quote(fo.fo.fulfillmentService.name)}`
        : "fulfilled by you";
    case "extra_charge":
      return `extra charge ${extraChargeState(order.orderTags).replace(/_/g, " ")}`;
  }
}

export function describeLine(line: LineView): string {
  const sku = line.item.sku ? `, SKU ${line.item.sku}` : "";
  return `line ${quote(line.item.title)}${sku}`;
}

const MAX_LINES_NAMED = 3;

/**
 * Why a rule matched a fulfillment order, with the values that made it match:
 * `Rule "Lab prints" matched: product type is "Print" (line "10x15 Lustre", SKU PRINT-10x15-L)`.
 * Only called for rules that did match, so its cost stays off the hot path.
 */
export function explainMatch(
  rule: CompiledRule,
  fo: FulfillmentOrderView,
  order: OrderView,
): string {
  const names: LocationNames = (id) => order.locationsById.get(id)?.name;
  const joiner = rule.rule.match === "all" ? " and " : " or ";
  const parts: string[] = [];
  const any = rule.rule.match === "any";

  rule.orderConditions.forEach((condition, i) => {
    const test = rule.orderTests[i];
    if (any && test && !test(fo, order)) return;
    const text = describeCondition(condition, names);
    parts.push(
      saysActualValue(condition) ? text : `${text} (${orderActual(condition, fo, order)})`,
    );
  });

  if (rule.lineConditions.length > 0) {
    const lines = matchingLines(rule, fo);
    const linesHold =
      rule.rule.lines === "every"
        ? lines.length === fo.lines.length && lines.length > 0
        : lines.length > 0;
    if (linesHold) {
      const witness = lines[0];
      if (witness) {
        const used = rule.lineConditions.filter(
          (_c, i) => !any || (rule.lineTests[i]?.(witness) ?? false),
        );
        const text = used.map((condition) => describeCondition(condition, names)).join(joiner);
        if (rule.rule.lines === "every") {
          const titles = lines.slice(0, MAX_LINES_NAMED).map((line) => quote(line.item.title));
          const more =
            lines.length > MAX_LINES_NAMED ? ` and ${lines.length - MAX_LINES_NAMED} more` : "";
          parts.push(`${text} (every line: ${titles.join(", ")}${more})`);
        } else {
          // The line reference already shows the SKU.
          const actuals = used
            .filter((c) => !saysActualValue(c) && c.field !== "sku")
            .map((c) => lineActual(c, witness));
          const others =
            lines.length > 1 ? `; ${lines.length - 1} more line${lines.length > 2 ? "s" : ""}` : "";
          parts.push(`${text} (${[describeLine(witness), ...actuals].join(", ")}${others})`);
        }
      }
    }
  }

  const because =
    parts.length > 0
      ? parts.join(joiner)
      : "it has no conditions, so it applies to every fulfillment order";
  return `Rule ${quote(rule.rule.name)} matched: ${because}`;
}
