// Extra charges after payment (extra shipping, a size change): the draft order that carries the
// amount, its invoice, the tags and notes that link it to the original, and what a rule sees of it.
import { makeStep, type Step, type StepOf, type StepWhy } from "./steps";
import { lineTitle, linkOriginalSteps, type RemakeSource } from "./remake";
import { engineSaid } from "./words";
import { currencyDecimals, fitsCurrency, fromMinorUnits, toMinorUnits } from "./minor-units";

/** The draft (and the order it becomes) says what it is; the original says where its charge stands. */
export const EXTRA_CHARGE_TAG = "extra-charge";
export const EXTRA_CHARGE_OPEN_TAG = "extra-charge-open";
export const EXTRA_CHARGE_PAID_TAG = "extra-charge-paid";
/**
 * The draft's custom attribute naming the app's charge: Shopify carries a draft's custom attributes
 * to the order it becomes (its note_attributes), so orders/paid of that order names the charge too.
 */
export const EXTRA_CHARGE_ATTRIBUTE = "_extra_charge";
/** The most a charge may be, in the order's currency (the app's limit, not Shopify's). */
export const EXTRA_CHARGE_MAX = 100_000;
export const EXTRA_CHARGE_REASON_MAX_LENGTH = 200;
/** The merchant's message in the invoice e-mail (the app's limit: an e-mail, not a letter). */
export const EXTRA_CHARGE_MESSAGE_MAX_LENGTH = 1000;

/** What the rule condition "extra charge" sees: none asked, one waiting for payment, or paid. */
export const EXTRA_CHARGE_STATES = ["none", "awaiting_payment", "paid"] as const;
export type ExtraChargeState = (typeof EXTRA_CHARGE_STATES)[number];

/**
 * An order's extra-charge state from its tags (normalised, lower case): a charge still waiting
 * counts before a paid one, so a second charge holds again what the first one released.
 */
export function extraChargeState(tags: ReadonlySet<string>): ExtraChargeState {
  if (tags.has(EXTRA_CHARGE_OPEN_TAG)) return "awaiting_payment";
  if (tags.has(EXTRA_CHARGE_PAID_TAG)) return "paid";
  return "none";
}

export interface ExtraChargeRequest {
  /** Decimal in the customer's (presentment) currency, e.g. "12.50". */
  amount: string;
  reason: string;
  /** The merchant's words to the customer in the invoice e-mail; null: Shopify's invoice alone. */
  message?: string | null;
  /** Lines the charge is about (a size change), with how many; may be empty (extra shipping). */
  lines: { lineItemId: string; quantity: number }[];
}

/** The original order as the charge reads it: what a remake reads (one query, one reading). */
export type ExtraChargeSource = Pick<
  RemakeSource,
  "id" | "name" | "email" | "currencyCode" | "presentmentCurrencyCode" | "note" | "cancelled"
> & {
  lineItems: Pick<
    RemakeSource["lineItems"][number],
    "id" | "title" | "variantTitle" | "quantity"
  >[];
};

export interface ChargedLine {
  lineItemId: string;
  title: string;
  quantity: number;
}

export type ExtraChargeRefusal =
  | { code: "cancelled" }
  | { code: "noEmail" }
  | { code: "unknownLine"; lineItemId: string }
  | { code: "tooMany"; title: string; ordered: number }
  /** More decimals than the order's currency has (12.5055 KWD, 1500.5 JPY): the amount field's error. */
  | { code: "amountDecimals"; currency: string; decimals: number };

export type ExtraChargePlan =
  | { kind: "charge"; step: StepOf<"draftOrderCreate">; lines: ChargedLine[] }
  | { kind: "refused"; refusal: ExtraChargeRefusal };

/**
 * The charge's amount as the draft order takes it, with its currency's own decimals ("12.505" KWD,
 * "1500" JPY, "12.50" EUR; ADR 087), or the refusal when it has more decimals than the currency:
 * rounding to cents sent 12.505 dinars as 12.51 or 12.50 (floating point), never as asked.
 */
export function extraChargeAmountIn(
  amount: string,
  currencyCode: string,
): { ok: true; amount: string } | { ok: false; refusal: ExtraChargeRefusal } {
  if (!fitsCurrency(amount, currencyCode))
    return {
      ok: false,
      refusal: {
        code: "amountDecimals",
        currency: currencyCode,
        decimals: currencyDecimals(currencyCode),
      },
    };
  return { ok: true, amount: fromMinorUnits(toMinorUnits(amount, currencyCode), currencyCode) };
}

/** The line item's title on the invoice and the order it becomes. */
export const extraChargeTitle = (originalName: string, reason: string) =>
  `Extra charge for ${originalName}: ${reason}`;

/**
 * The note line on the original once the draft exists, in English like the app's other notes on
 * Shopify; `amount` as the note writes money (the caller formats it, ADR 097: "€12.50").
 */
export const extraChargeNoteLine = (draftName: string, amount: string, reason: string) =>
  `Extra charge ${draftName} (${amount}): ${reason}`;

/**
 * The draft order for a charge: one custom item at the amount (nothing to ship, no tax added by
 * the app), to the original's customer, tagged and noted with the original, and an attribute
 * naming the app's charge (`chargeId`). Refuses what cannot be charged rather than charging part.
 */
export function planExtraCharge(
  source: ExtraChargeSource,
  request: ExtraChargeRequest,
  chargeId: string,
  why: StepWhy,
): ExtraChargePlan {
  if (source.cancelled) return { kind: "refused", refusal: { code: "cancelled" } };
  if (!source.email) return { kind: "refused", refusal: { code: "noEmail" } };
  const lines: ChargedLine[] = [];
  for (const want of request.lines.filter((l) => l.quantity > 0)) {
    const line = source.lineItems.find((l) => l.id === want.lineItemId);
    if (!line)
      return { kind: "refused", refusal: { code: "unknownLine", lineItemId: want.lineItemId } };
    if (want.quantity > line.quantity)
      return {
        kind: "refused",
        refusal: { code: "tooMany", title: lineTitle(line), ordered: line.quantity },
      };
    lines.push({ lineItemId: line.id, title: lineTitle(line), quantity: want.quantity });
  }
  const about = lines.map((l) => `${l.quantity} × ${l.title}`).join(", ");
  const title = extraChargeTitle(source.name, request.reason);
  const step = makeStep(
    "draftOrderCreate",
    source.id,
    null,
    {
      input: {
        lineItems: [
          {
            title: about ? `${title} (${about})` : title,
            quantity: 1,
            // The customer's currency, the draft's too: the schema's note says every presentment
            // currency of a draft "should be the same and match the presentment currency of the
            // draft order", and the invoice is then in what the customer paid in (ADR 093).
            originalUnitPriceWithCurrency: {
              amount: request.amount,
              currencyCode: source.presentmentCurrencyCode,
            },
            requiresShipping: false,
            taxable: false,
          },
        ],
        email: source.email,
        note: title,
        tags: [EXTRA_CHARGE_TAG],
        presentmentCurrencyCode: source.presentmentCurrencyCode,
        customAttributes: [
          { key: EXTRA_CHARGE_ATTRIBUTE, value: chargeId },
          { key: "_extra_charge_for", value: source.name },
        ],
      },
    },
    engineSaid("step.createCharge", {
      order: source.name,
      amount: request.amount,
      currency: source.presentmentCurrencyCode,
      reason: request.reason,
    }),
    why,
  );
  return { kind: "charge", step, lines };
}

/**
 * E-mails the draft's invoice to the customer (Shopify's own invoice e-mail, to the draft's
 * e-mail), with the merchant's message in it when there is one (EmailInput.customMessage).
 */
export function sendInvoiceStep(
  originalId: string,
  draftOrderId: string,
  message: string | null | undefined,
  why: StepWhy,
): StepOf<"draftOrderInvoiceSend"> {
  return makeStep(
    "draftOrderInvoiceSend",
    originalId,
    null,
    message ? { id: draftOrderId, email: { customMessage: message } } : { id: draftOrderId },
    message
      ? engineSaid("step.sendInvoiceWithMessage", { message })
      : engineSaid("step.sendInvoice"),
    why,
  );
}

/** The original gets the "waiting" tag and a note line naming the draft. */
export const linkExtraChargeSteps = (
  original: { id: string; note: string | null },
  draft: { name: string },
  /** The amount as the note writes it ("€12.50"). */
  amount: string,
  reason: string,
  why: StepWhy,
): Step[] =>
  linkOriginalSteps(
    original,
    EXTRA_CHARGE_OPEN_TAG,
    extraChargeNoteLine(draft.name, amount, reason),
    why,
    engineSaid("step.noteCharge", { draft: draft.name }),
  );

/**
 * Once a charge is paid the original is tagged "paid"; the "waiting" tag goes only when no other
 * charge of the order still waits, so the rules keep holding for that one.
 */
export function paidExtraChargeSteps(
  originalId: string,
  othersWaiting: boolean,
  why: StepWhy,
): Step[] {
  const steps: Step[] = [
    makeStep(
      "tagsAdd",
      originalId,
      null,
      { id: originalId, tags: [EXTRA_CHARGE_PAID_TAG] },
      engineSaid("step.tagOrder", { tag: EXTRA_CHARGE_PAID_TAG }),
      why,
    ),
  ];
  if (!othersWaiting)
    steps.push(
      makeStep(
        "tagsRemove",
        originalId,
        null,
        { id: originalId, tags: [EXTRA_CHARGE_OPEN_TAG] },
        engineSaid("step.removeTag", { tag: EXTRA_CHARGE_OPEN_TAG }),
        why,
      ),
    );
  return steps;
}
