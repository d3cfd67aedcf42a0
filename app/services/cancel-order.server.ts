// The order screen's answer to "Cancel order" and its Try again, in the merchant's words.
import type { TFunction } from "i18next";
import {
  cancelOrder,
  parseCancelForm,
  retryCancelOrder,
  type CancelResult,
} from "../fulfilment/cancel-order.server";
import type { CommandContext } from "../fulfilment/commands.server";
import type { RouteOrderDeps } from "../fulfilment/route-order.server";
import { renderWords } from "../i18n/words";
import { CANCEL_BLOCK_FIELD } from "../routing/cancel-check";

export interface CancelAnswer {
  intent: "cancel";
  ok: boolean;
  cancelled?: boolean;
  message: string;
  /** The banner's own title when Shopify's answer was lost (the order may be canceled). */
  title?: string;
  errors?: Partial<Record<string, string>>;
  /** Shopify did not answer the orderCancel: the decision "Try again" resumes (ADR 097). */
  retry?: { retryOf: string };
  /** The retry button's words when they are not "Try again" ("Check again", ADR 104). */
  retryLabel?: string;
}

/**
 * The answer and its HTTP status: 422 for a form to mend or what Shopify would refuse, 502 when
 * Shopify did not answer before anything was recorded. A form with `retryOf` resumes that
 * decision instead of cancelling anew.
 */
export async function answerCancelOrder(
  deps: RouteOrderDeps,
  t: TFunction,
  context: CommandContext,
  orderId: string,
  form: FormData,
): Promise<{ answer: CancelAnswer; status: number }> {
  const intent = "cancel";
  const retryOf = form.get("retryOf");
  const retrying = typeof retryOf === "string" && retryOf !== "";
  const request = retrying ? null : parseCancelForm(form);
  if (request && !request.ok) {
    const errors = Object.fromEntries(
      (Object.keys(request.errors) as (keyof typeof request.errors)[]).map((field) => [
        field,
        t(`afterSales.cancel.errors.${field}`),
      ]),
    );
    const message = Object.values(errors).join(" ");
    return { answer: { intent, ok: false, message, errors }, status: 422 };
  }
  let result: CancelResult;
  try {
    result = request
      ? await cancelOrder(deps, context, orderId, request.value)
      : await retryCancelOrder(deps, context, orderId, String(retryOf));
  } catch (error) {
    const message = t("order.shopifyTimedOut", {
      error: error instanceof Error ? error.message : String(error),
    });
    return { answer: { intent, ok: false, message }, status: 502 };
  }
  const message = renderWords(t, result.message);
  if (result.blocked) {
    // Shopify would refuse it: a field error, with nothing taken back (the dialog stays open).
    const errors = { [CANCEL_BLOCK_FIELD[result.blocked.code]]: message };
    return { answer: { intent, ok: false, message, errors }, status: 422 };
  }
  const answer: CancelAnswer = { intent, ok: result.ok, cancelled: result.cancelled, message };
  // The cancel may have been made: not "The order was not canceled", and Try again resumes it.
  if (result.retry) {
    answer.title = t(
      result.stillRunning ? "afterSales.cancel.runningTitle" : "afterSales.cancel.lostTitle",
    );
    answer.retry = { retryOf: result.retry };
    if (result.stillRunning) answer.retryLabel = t("afterSales.cancel.checkAgain");
  }
  return { answer, status: 200 };
}
