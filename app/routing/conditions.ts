// Turns rule conditions into fast tests over snapshot views, and says in the merchant's words what matched.
import {
  compareRules,
  isLineCondition,
  PAYMENT_STATES,
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
import { conditionWords } from "./rule-words";
import { engineSaid, words, type Words } from "./words";

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
// Merchant-readable words: why a rule matched, as Words of the catalogue's "engine.match" section.

export function quote(text: string): string {
  return `"${text}"`;
}

export function quoteList(values: readonly string[]): string {
  return values.map(quote).join(", ");
}

/** Names for location ids in conditions, so a merchant reads "Lab", not a gid. */
export type LocationNames = (locationId: string) => string | undefined;

const matchSaid = (key: string, params?: Words["params"]) => engineSaid(`match.${key}`, params);
const quoted = (value: string | number) => words("rules.summary.quoted", { value });
const quotedList = (values: readonly string[]) => values.map(quoted);
const orNone = (text: string | null | undefined): Words =>
  text === null || text === undefined || text === "" ? matchSaid("none") : quoted(text);

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

function lineActual(condition: LineCondition, line: LineView): Words {
  const item = line.item;
  switch (condition.field) {
    case "product_type":
      return matchSaid("actual.productType", { value: orNone(item.productType) });
    case "vendor":
      return matchSaid("actual.vendor", { value: orNone(item.vendor) });
    case "sku":
      return matchSaid("actual.sku", { value: orNone(item.sku) });
    case "product_tag":
      return item.productTags.length
        ? matchSaid("actual.productTags", { tags: quotedList(item.productTags) })
        : matchSaid("actual.noProductTags");
    case "variant_option": {
      const option = item.variantOptions.find((o) => norm(o.name) === norm(condition.optionName));
      return matchSaid("actual.option", {
        option: condition.optionName,
        value: orNone(option?.value),
      });
    }
    case "requires_shipping":
      return matchSaid(item.requiresShipping ? "actual.requiresShipping" : "actual.noShipping");
    case "gift_card":
      return matchSaid(item.isGiftCard ? "actual.giftCard" : "actual.notGiftCard");
  }
}

function orderActual(condition: OrderCondition, fo: FulfillmentOrderView, order: OrderView): Words {
  const o = order.snapshot.order;
  switch (condition.field) {
    case "order_tag":
      return o.tags.length
        ? matchSaid("actual.orderTags", { tags: quotedList(o.tags) })
        : matchSaid("actual.noOrderTags");
    case "customer_tag":
      if (!o.customer) return matchSaid("actual.noCustomer");
      return o.customer.tags.length
        ? matchSaid("actual.customerTags", { tags: quotedList(o.customer.tags) })
        : matchSaid("actual.noCustomerTags");
    case "order_total":
      return o.totalPrice
        ? matchSaid("actual.total", {
            amount: o.totalPrice.amount,
            currency: o.totalPrice.currencyCode,
          })
        : matchSaid("actual.noTotal");
    case "destination_country":
      return o.shippingAddress
        ? matchSaid("actual.shipsTo", { place: o.shippingAddress.countryCode })
        : matchSaid("actual.noShippingAddress");
    case "destination_province":
      return o.shippingAddress?.provinceCode
        ? matchSaid("actual.shipsTo", {
            place: `${o.shippingAddress.countryCode}-${o.shippingAddress.provinceCode}`,
          })
        : matchSaid("actual.noProvince");
    case "shipping_method":
      return o.shippingLines.length
        ? matchSaid("actual.shipping", { methods: quotedList(o.shippingLines.map((l) => l.title)) })
        : matchSaid("actual.noShippingMethod");
    case "risk_level":
      return matchSaid("actual.risk", { level: words(`risk.${o.riskLevel}`) });
    case "payment_state": {
      const status = o.displayFinancialStatus;
      if (!status) return matchSaid("actual.paymentUnknown");
      const known = (PAYMENT_STATES as readonly string[]).includes(status.toLowerCase());
      return matchSaid("actual.payment", {
        status: known ? words(`shopifyStatus.${status.toUpperCase()}`) : status,
      });
    }
    case "sales_channel":
      return matchSaid("actual.channel", { name: orNone(o.salesChannel ?? o.sourceName) });
    case "assigned_location":
      return matchSaid("actual.at", { location: quoted(fo.locationName) });
    case "fulfilment_service":
      return fo.fo.fulfillmentService
        ? matchSaid("actual.service", { service: quoted(fo.fo.fulfillmentService.name) })
        : matchSaid("actual.fulfilledByYou");
    case "extra_charge":
      return matchSaid("actual.extraCharge", {
        state: words(`charge.state.${extraChargeState(order.orderTags)}`),
      });
  }
}

/** A line as the match names it: its title, and its SKU when it has one. */
export function lineWords(line: LineView): Words {
  return line.item.sku
    ? matchSaid("lineWithSku", { title: line.item.title, sku: line.item.sku })
    : matchSaid("line", { title: line.item.title });
}

/** Words joined the rule's way ("… and …", "… or …"), left to right. */
function joined(parts: readonly Words[], match: Rule["match"]): Words {
  return parts.reduce((left, right) => matchSaid(match === "all" ? "and" : "or", { left, right }));
}

const MAX_LINES_NAMED = 3;

/**
 * Made by a function, not bound to a const in explainMatch: tsx (which runs the worker's sources:
 * `npm run worker:dev`, the tests) names every closure bound to a const, a defineProperty for each
 * rule that matched. The worker's build (Vite) does not name them.
 */
function locationNamesOf(order: OrderView): LocationNames {
  return (id) => order.locationsById.get(id)?.name;
}

/**
 * Why a rule matched a fulfillment order, with the values that made it match, as Words:
 * `Rule “Lab prints” matched: Product type is “Print” (line “10x15 Lustre”, SKU PRINT-10x15-L)`.
 * Only called for rules that did match, so its cost stays off the hot path.
 */
export function explainMatch(
  rule: CompiledRule,
  fo: FulfillmentOrderView,
  order: OrderView,
): Words {
  const names = locationNamesOf(order);
  const parts: Words[] = [];
  const any = rule.rule.match === "any";

  rule.orderConditions.forEach((condition, i) => {
    const test = rule.orderTests[i];
    if (any && test && !test(fo, order)) return;
    const what = conditionWords(condition, names);
    parts.push(
      saysActualValue(condition)
        ? what
        : matchSaid("detail", { what, detail: orderActual(condition, fo, order) }),
    );
  });

  if (rule.lineConditions.length > 0) {
    const lines = matchingLines(rule, fo);
    const linesHold =
      rule.rule.lines === "every"
        ? lines.length === fo.lines.length && lines.length > 0
        : lines.length > 0;
    const witness = linesHold ? lines[0] : undefined;
    if (witness) {
      const used = rule.lineConditions.filter(
        (_c, i) => !any || (rule.lineTests[i]?.(witness) ?? false),
      );
      const what = joined(
        used.map((condition) => conditionWords(condition, names)),
        rule.rule.match,
      );
      if (rule.rule.lines === "every") {
        const titles = lines.slice(0, MAX_LINES_NAMED).map((line) => quoted(line.item.title));
        parts.push(
          lines.length > MAX_LINES_NAMED
            ? matchSaid("everyLineMore", { what, titles, more: lines.length - MAX_LINES_NAMED })
            : matchSaid("everyLine", { what, titles }),
        );
      } else {
        // The line reference already shows the SKU.
        const detail = [
          lineWords(witness),
          ...used
            .filter((c) => !saysActualValue(c) && c.field !== "sku")
            .map((c) => lineActual(c, witness)),
        ];
        parts.push(
          lines.length > 1
            ? matchSaid("detailMoreLines", { what, detail, count: lines.length - 1 })
            : matchSaid("detail", { what, detail }),
        );
      }
    }
  }

  const because = parts.length > 0 ? joined(parts, rule.rule.match) : matchSaid("noConditions");
  return matchSaid("matched", { rule: rule.rule.name, because });
}
