// Remakes and reprints: which lines of an order are made again and why, the replacement as a draft
// order at no charge or a set price, and the note and tags that link the two orders on Shopify.
import { makeStep, type DraftAddress, type Step, type StepOf, type StepWhy } from "./steps";
import { engineSaid, type Words } from "./words";

/** What a shop offers until the merchant edits the list (Settings). */
export const DEFAULT_REMAKE_REASONS = [
  "Print fault",
  "Damaged in transit",
  "Wrong crop",
  "Lab error",
] as const;

/** At most this many reasons, each at most REMAKE_REASON_MAX_LENGTH characters. */
export const REMAKE_REASONS_MAX = 20;
export const REMAKE_REASON_MAX_LENGTH = 60;

/** Tags on Shopify: the replacement says what it is, the original that it was remade. */
export const REMAKE_TAG = "remake";
export const REMADE_TAG = "remade";
/**
 * The draft's custom attribute naming the app's remake: when Shopify's answer to draftOrderCreate
 * is lost, the app finds the draft it made by it (among drafts tagged "remake") instead of making
 * a second one.
 */
export const REMAKE_ATTRIBUTE = "_remake";

/** The merchant's list as stored (JSON), or the defaults when none was saved or it is unreadable. */
export function remakeReasonsOf(stored: string | null | undefined): string[] {
  if (!stored) return [...DEFAULT_REMAKE_REASONS];
  try {
    const parsed: unknown = JSON.parse(stored);
    if (Array.isArray(parsed) && parsed.every((r) => typeof r === "string") && parsed.length > 0)
      return parsed as string[];
  } catch {
    // Fall through to the defaults: a broken value must not take remakes away.
  }
  return [...DEFAULT_REMAKE_REASONS];
}

/** One reason a line, trimmed, without blanks or repeats (compared case-insensitively). */
export function parseRemakeReasons(text: string): string[] {
  const seen = new Set<string>();
  const reasons: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const reason = line.trim();
    if (!reason || seen.has(reason.toLowerCase())) continue;
    seen.add(reason.toLowerCase());
    reasons.push(reason);
  }
  return reasons;
}

/** The original order as a remake or an extra charge reads it (REMAKE_SOURCE_QUERY). */
export interface RemakeSource {
  id: string;
  name: string;
  email: string | null;
  currencyCode: string;
  /** The customer's currency (Order.presentmentCurrencyCode): what an extra charge is made in. */
  presentmentCurrencyCode: string;
  note: string | null;
  /** Shopify says the order is canceled (cancelledAt). */
  cancelled: boolean;
  shippingAddress: DraftAddress | null;
  lineItems: {
    id: string;
    title: string;
    variantTitle: string | null;
    sku: string | null;
    quantity: number;
    /** null: a custom item or a deleted product, which cannot be made again from the catalogue. */
    variantId: string | null;
    customAttributes: { key: string; value: string | null }[];
  }[];
}

/** A line's title as the merchant and the customer read it: product, then variant. */
export const lineTitle = (line: { title: string; variantTitle: string | null }) =>
  line.variantTitle ? `${line.title} – ${line.variantTitle}` : line.title;

export interface RemakeRequest {
  lines: { lineItemId: string; quantity: number }[];
  reason: string;
  /** Decimal per item in the order's currency; "0.00" is no charge. */
  unitPrice: string;
}

export interface RemadeLine {
  lineItemId: string;
  title: string;
  sku: string | null;
  quantity: number;
}

export type RemakeRefusal =
  | { code: "cancelled" }
  | { code: "noLines" }
  | { code: "unknownLine"; lineItemId: string }
  | { code: "tooMany"; title: string; ordered: number }
  | { code: "notFromCatalogue"; title: string }
  | { code: "unknownReason"; reason: string }
  /** A price asked for: the draft is completed as paid, so a remake is made at no charge only. */
  | { code: "charged" };

export type RemakePlan =
  | { kind: "remake"; step: StepOf<"draftOrderCreate">; lines: RemadeLine[] }
  | { kind: "refused"; refusal: RemakeRefusal };

/** The replacement's note on Shopify: it names the original and the reason. */
export const remakeNote = (originalName: string, reason: string) =>
  `Remake of ${originalName}: ${reason}`;

/** The line appended to the original's note once the replacement exists. */
export const remadeNoteLine = (replacementName: string, reason: string) =>
  `Remade as ${replacementName}: ${reason}`;

/**
 * The draft order for a remake: the chosen lines with their properties (the customer's crop
 * goes to the lab again), at the set price, to the same customer and address. Refuses what
 * cannot be remade rather than remaking part of it, and a canceled order (Shopify would place
 * the replacement of an order nobody is owed any more). `marker` names the app's remake on the draft.
 */
export function planRemake(
  source: RemakeSource,
  request: RemakeRequest,
  reasons: readonly string[],
  why: StepWhy,
  marker?: string,
): RemakePlan {
  if (source.cancelled) return { kind: "refused", refusal: { code: "cancelled" } };
  if (!reasons.includes(request.reason))
    return { kind: "refused", refusal: { code: "unknownReason", reason: request.reason } };
  // draftOrderComplete marks the replacement paid; a price would be "paid" with nobody charged.
  if (Number(request.unitPrice) !== 0) return { kind: "refused", refusal: { code: "charged" } };
  const chosen = request.lines.filter((l) => l.quantity > 0);
  if (chosen.length === 0) return { kind: "refused", refusal: { code: "noLines" } };
  const lines: RemadeLine[] = [];
  const items: StepOf<"draftOrderCreate">["input"]["input"]["lineItems"] = [];
  for (const want of chosen) {
    const line = source.lineItems.find((l) => l.id === want.lineItemId);
    if (!line)
      return { kind: "refused", refusal: { code: "unknownLine", lineItemId: want.lineItemId } };
    const title = lineTitle(line);
    if (want.quantity > line.quantity)
      return { kind: "refused", refusal: { code: "tooMany", title, ordered: line.quantity } };
    if (!line.variantId) return { kind: "refused", refusal: { code: "notFromCatalogue", title } };
    lines.push({ lineItemId: line.id, title, sku: line.sku, quantity: want.quantity });
    items.push({
      variantId: line.variantId,
      quantity: want.quantity,
      priceOverride: { amount: request.unitPrice, currencyCode: source.currencyCode },
      customAttributes: line.customAttributes
        .filter((a): a is { key: string; value: string } => a.value !== null)
        .map((a) => ({ key: a.key, value: a.value })),
    });
  }
  const step = makeStep(
    "draftOrderCreate",
    source.id,
    null,
    {
      input: {
        lineItems: items,
        email: source.email,
        shippingAddress: source.shippingAddress,
        note: remakeNote(source.name, request.reason),
        tags: [REMAKE_TAG],
        ...(marker ? { customAttributes: [{ key: REMAKE_ATTRIBUTE, value: marker }] } : {}),
      },
    },
    engineSaid("step.createRemake", { order: source.name, reason: request.reason }),
    why,
  );
  return { kind: "remake", step, lines };
}

/** Completes the draft as paid, so Shopify places the replacement and the rules route it. */
export function completeRemakeStep(
  originalId: string,
  draftOrderId: string,
  why: StepWhy,
): StepOf<"draftOrderComplete"> {
  return makeStep(
    "draftOrderComplete",
    originalId,
    null,
    { id: draftOrderId },
    engineSaid("step.completeRemake"),
    why,
  );
}

/**
 * A tag and a note line on the original that name what was made of it (a replacement, an extra
 * charge's draft): the line is appended to the order's note, keeping what was there.
 */
export function linkOriginalSteps(
  original: { id: string; note: string | null },
  tag: string,
  line: string,
  why: StepWhy,
  /** What the note says, for the trace: the line itself is written on Shopify in English. */
  noted: Words,
): Step[] {
  const note = original.note ? `${original.note}\n${line}` : line;
  return [
    makeStep(
      "tagsAdd",
      original.id,
      null,
      { id: original.id, tags: [tag] },
      engineSaid("step.tagOrder", { tag }),
      why,
    ),
    makeStep("orderUpdate", original.id, null, { input: { id: original.id, note } }, noted, why),
  ];
}

/** Tags and a note line on the original that name the replacement. */
export const linkRemakeSteps = (
  original: { id: string; note: string | null },
  replacement: { name: string },
  reason: string,
  why: StepWhy,
): Step[] =>
  linkOriginalSteps(
    original,
    REMADE_TAG,
    remadeNoteLine(replacement.name, reason),
    why,
    engineSaid("step.noteRemade", { order: replacement.name }),
  );
