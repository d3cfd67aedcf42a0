// A rule in the merchant's words, as Words (catalogue keys and values) that a screen puts into the
// admin's language: the rules list's "When product type is “Print” → Hold for review".
import type { LocationNames } from "./conditions";
import type { Action, Condition } from "./rules";
import { operatorWord } from "./vocabulary";
import { moneyWords, words, type Words } from "./words";

const summary = (key: string, params?: Words["params"]) => words(`rules.summary.${key}`, params);
const quoted = (value: string | number) => summary("quoted", { value });

function valueWords(condition: Condition, value: string, locationName: LocationNames): Words {
  switch (condition.field) {
    case "risk_level":
      return words(`risk.${value}`);
    case "payment_state":
      return words(`shopifyStatus.${value.toUpperCase()}`);
    case "assigned_location":
      return quoted(locationName(value) ?? value);
    default:
      return quoted(value);
  }
}

/** One condition: "Product type is “Print”", "Product tags include any of “a”, “b”". */
export function conditionWords(
  condition: Condition,
  locationName: LocationNames = () => undefined,
): Words {
  // Tags are said in the plural, to agree with their operator words ("product tags include").
  const field =
    condition.field === "product_tag" ||
    condition.field === "order_tag" ||
    condition.field === "customer_tag"
      ? summary(`tags.${condition.field}`)
      : words(`field.${condition.field}`);
  const { operator, value } = condition as { operator: string; value: unknown };
  if (typeof value === "boolean" && operator === "exists") {
    if (condition.field === "variant_option")
      return summary(value ? "hasOption" : "hasNoOption", { option: condition.optionName });
    return summary(value ? "isSet" : "isNotSet", { field });
  }
  if (typeof value === "boolean")
    return summary("flag", { field, value: words(value ? "common.yes" : "common.no") });
  const word = operatorWord(condition.field, operator);
  const op = word ? words(`operator.${word}`) : operator;
  let shown: Words | Words[];
  if (Array.isArray(value))
    shown = value.map((v) => valueWords(condition, String(v), locationName));
  else if (condition.field === "order_total")
    // In its currency as admin shows money to the reader ("€100.00", "100,00 €"), and so in
    // English in a hold's note on Shopify; without a currency, the order's own.
    shown = condition.currencyCode
      ? moneyWords(String(value), condition.currencyCode)
      : quoted(String(value));
  else shown = valueWords(condition, String(value), locationName);
  if (condition.field === "variant_option")
    return summary("option", { option: condition.optionName, operator: op, value: shown });
  return summary("condition", { field, operator: op, value: shown });
}

// A function, not a closure made per call: tsx (which runs the worker's sources: `npm run
// worker:dev`, the tests) names every closure bound to a const, a defineProperty each time, which
// was most of what actionWords cost a plan. The worker's build (Vite) does not name them.
function withDetail(action: Words, detail: Words | Words[]): Words {
  return summary("withDetail", { action, detail });
}

/** One action: "Hold with a reason (High risk of fraud)", "Move to another location (“Lab”)". */
export function actionWords(action: Action, locationName: LocationNames = () => undefined): Words {
  const name = words(`action.${action.type}`);
  switch (action.type) {
    case "hold":
      return withDetail(name, words(`holdReason.${action.reason}`));
    case "release_holds":
      return withDetail(name, words(`releasePlacedBy.${action.placedBy}`));
    case "split":
      return withDetail(name, words(`splitBy.${action.by}`));
    case "move":
      return withDetail(name, quoted(locationName(action.locationId) ?? action.locationId));
    case "capture_payment":
      return withDetail(name, words(`captureWhen.${action.when}`));
    case "add_order_tags":
      return withDetail(
        name,
        action.tags.map((tag) => quoted(tag)),
      );
    case "add_staff_note":
      return withDetail(name, quoted(action.note));
    case "archive_order":
      return withDetail(name, words(`archiveWhen.${action.when}`));
    default:
      return name;
  }
}
