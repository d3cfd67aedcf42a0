// The order screen's answer to "Cancel items" and its Try again, in the merchant's words.
import type { TFunction } from "i18next";
import {
  cancelLines,
  parseCancelLinesForm,
  retryCancelLines,
  type CancelLinesResult,
} from "../fulfilment/cancel-lines.server";
import type { CommandContext } from "../fulfilment/commands.server";
import type { RouteOrderDeps } from "../fulfilment/route-order.server";
import { renderWords } from "../i18n/words";
import { CANCEL_BLOCK_FIELD } from "../routing/cancel-check";
import { typedAmountExample } from "../routing/typed-amount";

export interface CancelLinesAnswer {
  intent: "cancelLines";
  ok: boolean;
  message: string;
  /**
   * The banner's title when it is not the card's "No items were canceled": Shopify's answer was
   * lost, so nothing is known to be refused and the items may be canceled already.
   */
  title?: string;
  errors?: Partial<
    Record<"reason" | "refund" | "amount" | "staffNote" | "lines" | "restock", string>
  >;
  /** Shopify did not answer the refund: the decision "Try again" resumes (ADR 093). */
  retry?: { retryOf: string };
}

/**
 * The answer and its HTTP status: 422 for a form to mend, 502 when Shopify did not answer before
 * anything was recorded. A form with `retryOf` resumes that decision instead of cancelling anew.
 */
export async function answerCancelLines(
  deps: RouteOrderDeps,
  t: TFunction,
  context: CommandContext,
  orderId: string,
  form: FormData,
  locale = "en",
): Promise<{ answer: CancelLinesAnswer; status: number }> {
  const intent = "cancelLines";
  // "Try again" after no answer: the decision to resume, not a new form (ADR 093).
  const retryOf = form.get("retryOf");
  const retrying = typeof retryOf === "string" && retryOf !== "";
  const parsed = retrying ? null : parseCancelLinesForm(form, locale);
  if (parsed && !parsed.ok) {
    const errors = Object.fromEntries(
      (Object.keys(parsed.errors) as (keyof typeof parsed.errors)[]).map((field) => [
        field,
        t(`afterPayment.cancelLines.errors.${field}`),
      ]),
    ) as CancelLinesAnswer["errors"];
    const message = Object.values(errors ?? {}).join(" ");
    return { answer: { intent, ok: false, message, errors }, status: 422 };
  }
  let result: CancelLinesResult;
  try {
    result = parsed
      ? await cancelLines(deps, context, orderId, parsed.value)
      : await retryCancelLines(deps, context, orderId, String(retryOf));
  } catch (error) {
    const message = t("order.shopifyTimedOut", {
      error: error instanceof Error ? error.message : String(error),
    });
    return { answer: { intent, ok: false, message }, status: 502 };
  }
  const answer = wordsOf(t, result, locale);
  // Field errors (what Shopify would refuse, the amount) keep the dialog open to mend them.
  return { answer, status: answer.errors ? 422 : 200 };
}

function wordsOf(t: TFunction, result: CancelLinesResult, locale: string): CancelLinesAnswer {
  const intent = "cancelLines";
  if (result.ok) {
    const words = { count: result.items, order: result.orderName };
    const done =
      Number(result.refunded) > 0
        ? t("afterPayment.cancelLines.doneRefunded", {
            ...words,
            amount: result.refunded,
            currency: result.currency,
          })
        : t("afterPayment.cancelLines.done", words);
    const message = result.routedAgain
      ? t("afterPayment.cancelLines.doneRoutedAgain", { done })
      : done;
    return { intent, ok: true, message };
  }
  if ("blocked" in result) {
    // Shopify would refuse the refund: a field error, with nothing taken back.
    const { code, ...params } = result.blocked;
    const message = t(`serviceMessages.cancel.blocked.${code}`, params);
    return { intent, ok: false, message, errors: { [CANCEL_BLOCK_FIELD[code]]: message } };
  }
  if ("refusal" in result) {
    if (result.refusal.code === "amountAboveLeft") {
      const { left, currency } = result.refusal;
      const amount = t("afterPayment.cancelLines.errors.amountAboveLeft", {
        left: t("common.money", { amount: left, currency }),
      });
      return { intent, ok: false, message: amount, errors: { amount } };
    }
    if (result.refusal.code === "amountDecimals") {
      // More decimals than the customer's currency has: said beside the amount, as a field error.
      const { currency, decimals } = result.refusal;
      const amount = t("afterPayment.cancelLines.errors.amountDecimals", {
        count: decimals,
        currency,
        example: typedAmountExample(currency, locale),
      });
      return { intent, ok: false, message: amount, errors: { amount } };
    }
    const { code, ...params } = result.refusal;
    const key =
      result.refusal.code === "labAccepted" && !result.refusal.asked ? "labAcceptedAsked" : code;
    // A refusal is an answer, not a malformed form: shown in red beside the action.
    return { intent, ok: false, message: t(`afterPayment.cancelLines.refusals.${key}`, params) };
  }
  const { message, hint, before, routedAgain, retry } = result.failed;
  const done = before.map((step) => renderWords(t, step)).join("; ");
  if (retry) {
    // Shopify did not answer the refund, which may have been made all the same: say so, not "no
    // items were canceled", and point to Try again, which resumes it under the same keys (ADR 097).
    return {
      intent,
      ok: false,
      title: t("afterPayment.cancelLines.lost.title"),
      retry: { retryOf: retry },
      message: [
        t("afterPayment.cancelLines.lost.text"),
        before.length ? t("afterPayment.cancelLines.lost.wentThroughFirst", { steps: done }) : "",
        routedAgain ? t("afterPayment.cancelLines.lost.routedAgain") : "",
      ]
        .filter(Boolean)
        .join(" "),
    };
  }
  return {
    intent,
    ok: false,
    message: [
      renderWords(t, message),
      t(`afterPayment.cancelLines.hints.${hint}`),
      before.length ? t("afterPayment.cancelLines.wentThroughFirst", { steps: done }) : "",
      routedAgain ? t("afterPayment.cancelLines.refusedRoutedAgain") : "",
    ]
      .filter(Boolean)
      .join(" "),
  };
}
