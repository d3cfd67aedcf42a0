// The order screen's answer to "Charge extra": the form checked, the charge made by the service,
// and what the merchant reads (the catalogue's words; Shopify's userErrors as Shopify said them).
import type { TFunction } from "i18next";
import {
  createExtraCharge,
  parseExtraChargeForm,
  retryExtraCharge,
  type ExtraChargeFieldErrors,
} from "../fulfilment/extra-charge.server";
import type { CommandContext } from "../fulfilment/commands.server";
import { stepFailedWords } from "../fulfilment/remake.server";
import { renderWords } from "../i18n/words";
import { typedAmountExample } from "../routing";
import type { RouteOrderDeps } from "../fulfilment/route-order.server";
import type { ActionNotice } from "./action-notice";

export interface ExtraChargeAnswer {
  intent: "extraCharge";
  ok: boolean;
  message: string;
  /** Field errors of the form, worded: shown beside each field, the dialog stays open. */
  errors?: Partial<Record<Exclude<keyof ExtraChargeFieldErrors, "requestId">, string>>;
  /** Done, with what the merchant must act on (the order was canceled meanwhile). */
  notice?: ActionNotice;
  /** The banner's own title when Shopify's answer was lost (the charge may have been made). */
  title?: string;
  /** Shopify did not answer before the invoice went out: the decision "Try again" resumes. */
  retry?: { retryOf: string };
}

/**
 * The answer and its HTTP status: 422 for a form to mend, 502 when Shopify did not answer. The
 * amount is read in the admin's `locale` ("12,50" in German).
 */
export async function answerExtraCharge(
  deps: RouteOrderDeps,
  t: TFunction,
  context: CommandContext,
  orderId: string,
  form: FormData,
  locale = "en",
): Promise<{ answer: ExtraChargeAnswer; status: number }> {
  const intent = "extraCharge";
  const parsed = parseExtraChargeForm(form, locale);
  if (!parsed.ok && parsed.errors.requestId) {
    // Not a field the merchant can mend: the form itself is not one this screen made.
    return {
      answer: { intent, ok: false, message: t("afterSalesAnswers.staleForm") },
      status: 422,
    };
  }
  if (!parsed.ok) {
    const errors = Object.fromEntries(
      (Object.keys(parsed.errors) as Exclude<keyof ExtraChargeFieldErrors, "requestId">[]).map(
        (field) => [field, t(`extraCharge.errors.${field}`)],
      ),
    );
    const message = Object.values(errors).join(" ");
    return { answer: { intent, ok: false, message, errors }, status: 422 };
  }
  // "Try again" posts the same form with the decision to resume: the charge its requestId names
  // is carried on, never made afresh (ADR 104).
  const retryOf = form.get("retryOf");
  const retrying = typeof retryOf === "string" && retryOf !== "";
  if (retrying && !parsed.requestId)
    return {
      answer: { intent, ok: false, message: t("afterSalesAnswers.staleForm") },
      status: 422,
    };
  try {
    const result = retrying
      ? await retryExtraCharge(
          deps,
          context,
          orderId,
          String(retryOf),
          parsed.requestId!,
          parsed.value.message ?? null,
        )
      : await createExtraCharge(deps, context, orderId, parsed.value, parsed.requestId);
    if (result.ok) {
      const said = { draft: result.draftOrderName, email: result.email, order: result.orderName };
      const message = t("extraCharge.done", said);
      if (result.linked) return { answer: { intent, ok: true, message }, status: 200 };
      // The original was canceled meanwhile and its draft's invoice can still be paid: deleting
      // it is the merchant's call, which a banner asks for and a toast cannot (ADR 104).
      const notice: ActionNotice = {
        tone: "warning",
        title: t("extraCharge.notLinked.title", said),
        text: t("extraCharge.notLinked.text", said),
      };
      return { answer: { intent, ok: true, message, notice }, status: 200 };
    }
    if ("refusal" in result) {
      if (result.refusal.code === "amountDecimals") {
        // More decimals than the order's currency has: beside the amount, in the words the "Cancel
        // items" set amount uses for the same mistake (ADR 087).
        const { currency, decimals } = result.refusal;
        const amount = t("afterPayment.cancelLines.errors.amountDecimals", {
          count: decimals,
          currency,
          example: typedAmountExample(currency, locale),
        });
        return { answer: { intent, ok: false, message: amount, errors: { amount } }, status: 422 };
      }
      const { code, ...params } = result.refusal;
      // A refusal is an answer, not a malformed form: shown in red beside the action.
      return {
        answer: { intent, ok: false, message: t(`extraCharge.refusals.${code}`, params) },
        status: 200,
      };
    }
    if ("repeated" in result) {
      // The same form again: nothing was made twice; say where the first one stands.
      const { status, draftOrderName, error } = result.repeated;
      const message =
        status === "creating"
          ? t("afterSalesAnswers.repeated.creating")
          : status === "failed"
            ? t("afterSalesAnswers.repeated.failed", { error: error ? renderWords(t, error) : "" })
            : t("afterSalesAnswers.repeated.sent", { draft: draftOrderName ?? "" });
      return { answer: { intent, ok: status !== "failed", message }, status: 200 };
    }
    const { step, message, draftOrder, retry } = result.failed;
    if (retry) {
      // The draft or its invoice may have been made: not "No extra charge was sent", and Try
      // again finishes this same charge.
      return {
        answer: {
          intent,
          ok: false,
          title: t("extraCharge.lost.title"),
          message: t("extraCharge.lost.text"),
          retry: { retryOf: retry },
        },
        status: 200,
      };
    }
    const words = [
      renderWords(t, stepFailedWords(step, message)),
      draftOrder ? t("extraCharge.draftLeft", { draft: draftOrder }) : "",
    ];
    return {
      answer: { intent, ok: false, message: words.filter(Boolean).join(" ") },
      status: 200,
    };
  } catch (error) {
    const message = t("order.shopifyTimedOut", {
      error: error instanceof Error ? error.message : String(error),
    });
    return { answer: { intent, ok: false, message }, status: 502 };
  }
}
