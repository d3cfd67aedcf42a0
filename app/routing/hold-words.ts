// A hold as the app's screens say it, as Words: the planner's own holds by the rule that wants
// them, the release gate's by what it waits for, anyone else's by Shopify's reason code and the
// notes they wrote. The notes the planner sends to Shopify stay as they were sent (ADR 020).
import {
  DEFAULT_REVIEW_HOLD_HANDLE,
  isGateHold,
  plannedHoldPurpose,
  ruleHoldHandle,
  type HoldPurpose,
} from "./holds";
import type { Rule } from "./rules";
import type { FulfillmentHold, FulfillmentOrder, LineItem } from "./snapshot";
import { quoted } from "./plan-builder";
import { engineSaid, words, type StoredWords, type Words } from "./words";

type Hold = Pick<FulfillmentHold, "handle" | "heldByRequestingApp" | "reason" | "reasonNotes">;
type RuleSaid = Pick<Rule, "id" | "name" | "actions">;

const note = (key: string, params?: Words["params"]) => words(`holdNote.${key}`, params);

/** What waits for stock on a fulfillment order held for it: where, and each line's count as Words. */
export interface StockWaiting {
  location: string;
  lines: Words[];
}

/** A line held for stock: the units of it on the held fulfillment order, of the order line's quantity. */
export interface WaitingLine {
  title: string;
  waiting: number;
  quantity: number;
}

/**
 * "1 of 3 “Photo Book”", one per line with units held: the counts the hold's note on Shopify says
 * (ADR 088), so the app's screens and Shopify's admin name the same numbers.
 */
export function waitingLinesWords(lines: readonly WaitingLine[]): Words[] {
  return lines
    .filter((line) => line.waiting > 0)
    .map((line) =>
      engineSaid("stock.waitingLine", {
        title: quoted(line.title),
        waiting: line.waiting,
        quantity: line.quantity,
      }),
    );
}

/**
 * What waits on a fulfillment order held for stock, read from the order as Shopify has it now: the
 * units its location cannot ship where the read has the stock, else every unit on it. Beside
 * someone else's hold, which stops the split (ADR 085), units in stock are held too and wait for
 * that hold, not for stock: without the stock read there are no counts to say (the words fall
 * back to "Waiting for stock"), rather than counting units in stock as waiting.
 */
export function stockWaitingOn(
  fo: Pick<FulfillmentOrder, "assignedLocation" | "lineItems"> &
    Partial<Pick<FulfillmentOrder, "holds">>,
  lineItems: readonly Pick<LineItem, "id" | "title" | "quantity">[],
): StockWaiting {
  const items = new Map(lineItems.map((item) => [item.id, item]));
  const besideOthers = (fo.holds ?? []).some(
    (h) => !isGateHold(h) && plannedHoldPurpose(h) === null,
  );
  const counted: WaitingLine[] = [];
  for (const line of fo.lineItems) {
    const item = items.get(line.lineItemId);
    if (!item) continue;
    // Not tracked, or not known there: the plan counts it in stock.
    const inStock = line.stockUnknown ? null : line.inStockQuantity;
    if (typeof inStock !== "number" && inStock !== null && besideOthers)
      return { location: fo.assignedLocation.name, lines: [] };
    const waiting =
      typeof inStock === "number"
        ? Math.max(0, line.remainingQuantity - inStock)
        : inStock === null
          ? 0
          : line.remainingQuantity;
    counted.push({ title: item.title, waiting, quantity: item.quantity });
  }
  return { location: fo.assignedLocation.name, lines: waitingLinesWords(counted) };
}

/** The merchant's own note on the rule's action, if it has one. */
function actionNote(rule: RuleSaid, purpose: HoldPurpose, hold: Hold): string | undefined {
  const action =
    purpose === "review"
      ? rule.actions.find((a) => a.type === "hold_for_review")
      : rule.actions.find((a) => a.type === "hold" && a.reason === hold.reason);
  return action && "note" in action && action.note ? action.note : undefined;
}

/**
 * Why the app's own hold is there, or null for a hold the app did not place (or whose rule is gone):
 * "Waiting for your review (rule “Prints”): check the photo", "Waiting for the rules to decide".
 * A stock hold says what waits when the caller knows (`waiting`): "1 of 3 “Photo Book” waiting for
 * stock at “Studio” (rule “Ship what we have”)".
 */
export function ownHoldWords(
  hold: Hold,
  rules: readonly RuleSaid[],
  waiting?: StockWaiting,
): Words | null {
  if (isGateHold(hold)) return note("gate");
  const purpose = plannedHoldPurpose(hold);
  if (!purpose) return null;
  if (hold.handle === DEFAULT_REVIEW_HOLD_HANDLE) return note("reviewBySettings");
  const rule = rules.find((r) => ruleHoldHandle(r.id, purpose) === hold.handle);
  if (!rule) return null;
  const said =
    purpose === "review"
      ? note("review", { rule: rule.name })
      : purpose === "stock"
        ? waiting && waiting.lines.length > 0
          ? note("stockCounted", { ...waiting, rule: rule.name })
          : note("stock", { rule: rule.name })
        : note("rule", { reason: words(`holdReason.${hold.reason}`), rule: rule.name });
  const merchantNote = purpose === "stock" ? undefined : actionNote(rule, purpose, hold);
  return merchantNote ? note("withNote", { said, note: merchantNote }) : said;
}

/** The notes beside a hold's reason: the app's own said again, anyone else's as they wrote them. */
export function holdNotesWords(
  hold: Hold,
  rules: readonly RuleSaid[],
  waiting?: StockWaiting,
): StoredWords | null {
  return ownHoldWords(hold, rules, waiting) ?? (hold.reasonNotes || null);
}

/** The hold as the review queue's reason column says it. */
export function holdWords(hold: Hold, rules: readonly RuleSaid[], waiting?: StockWaiting): Words {
  const own = ownHoldWords(hold, rules, waiting);
  if (own) return own;
  const reason = words(`holdReason.${hold.reason}`);
  return hold.reasonNotes ? note("withNotes", { reason, notes: hold.reasonNotes }) : reason;
}
