// Puts stored words (a catalogue key and its values, as findings keep them) into a language; an
// older row that kept English text shows that text as it is.
import type { TFunction } from "i18next";
import type { StoredWords, Words } from "../routing/words";
import { refusalAdvice, repairRefusalAdvice } from "../routing/refusal-advice";
import { BULK_ACTIONS } from "../routing/vocabulary";

export type { StoredWords };

function isWords(value: unknown): value is Words {
  return !!value && typeof value === "object" && typeof (value as Words).key === "string";
}

/** Reads a stored column: Words as JSON, else the text itself. */
export function readWords(stored: string): StoredWords {
  if (!stored.startsWith("{")) return stored;
  try {
    const value = JSON.parse(stored) as unknown;
    if (isWords(value)) return value;
  } catch {
    // Text that merely starts with a brace.
  }
  return stored;
}

/** A value read out of stored JSON (a Step's summary and why): Words, text, or nothing. */
export function asStoredWords(value: unknown): StoredWords | null {
  return typeof value === "string" || isWords(value) ? value : null;
}

/**
 * Reads a stored JSON list (the decision trace): each entry Words, or the English text rows
 * written before kept; anything else is left out.
 */
export function readWordsList(stored: string): StoredWords[] {
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return [];
  }
  return Array.isArray(value)
    ? value.filter((e): e is StoredWords => typeof e === "string" || isWords(e))
    : [];
}

/**
 * Keys rows were stored with before the merchant's after-sales actions took the one layout of
 * `engine.why.merchant.*` (with `engine.why.byActor` naming who): the old keys and their "…By"
 * twins, read as today's words so a step's why from before still reads in the reader's language.
 */
const MOVED_KEYS: Record<string, string> = {
  "afterSalesAnswers.why.remakeAsked": "engine.why.merchant.remakeAsked",
  "afterSalesAnswers.why.chargeAsked": "engine.why.merchant.chargeAsked",
  "afterSalesAnswers.why.linesCanceled": "engine.why.merchant.linesCanceled",
  "afterSalesAnswers.why.orderCanceled": "engine.why.merchant.orderCanceled",
  "afterSalesAnswers.why.chargeSent": "engine.why.chargeSent",
  "afterSalesAnswers.why.chargePaid": "engine.why.chargePaid",
  "afterSalesAnswers.why.chargePaidAs": "engine.why.chargePaidAs",
};

const REFUSED = "engine.route.stepRefused";
const REPAIR_REFUSED = "serviceMessages.repair.refused";

function current(words: Words): Words {
  // A refused Step keeps its code; the advice is chosen when it is read, so rows kept before a
  // code had advice of its own (or before codes were kept) read today's advice.
  if (words.key === REFUSED && !words.params?.advice)
    return { ...words, params: { ...words.params, advice: refusalAdvice(words.params?.code) } };
  if (words.key === REPAIR_REFUSED && !words.params?.advice)
    return {
      ...words,
      params: { ...words.params, advice: repairRefusalAdvice(words.params?.code) },
    };
  const moved = MOVED_KEYS[words.key];
  if (moved) return { ...words, key: moved };
  const withActor = words.key.endsWith("By") ? MOVED_KEYS[words.key.slice(0, -2)] : undefined;
  if (!withActor) return words;
  const { actor = "", ...params } = words.params ?? {};
  return { key: "engine.why.byActor", params: { what: { key: withActor, params }, actor } };
}

export function renderWords(t: TFunction, stored: StoredWords): string {
  if (typeof stored === "string") return stored;
  const words = current(stored);
  const params = Object.fromEntries(
    Object.entries(words.params ?? {}).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? value.map((item) => renderWords(t, item)).join(", ")
        : typeof value === "object"
          ? renderWords(t, value)
          : value,
    ]),
  );
  return String(t(words.key as never, params as never));
}

/** A form's errors by field (Words from the parser and the services), each in the reader's language. */
export function renderFieldErrors(
  t: TFunction,
  errors: Readonly<Record<string, StoredWords>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => [field, renderWords(t, message)]),
  );
}

/** Bulk jobs the queue does not start: Stuck's Repair. */
const OTHER_BULK_JOBS = ["repair"] as const;
type BulkJobAction = (typeof BULK_ACTIONS)[number] | (typeof OTHER_BULK_JOBS)[number];

/**
 * A bulk job's action as its report and Home name it, whichever screen or extension started it;
 * a job whose action this version does not know (an older or newer process's) shows its code.
 */
export function bulkJobWord(t: TFunction, action: string): string {
  const known: readonly string[] = [...BULK_ACTIONS, ...OTHER_BULK_JOBS];
  return known.includes(action) ? t(`bulkAction.${action as BulkJobAction}`) : action;
}
