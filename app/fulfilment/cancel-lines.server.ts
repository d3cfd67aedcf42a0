// Cancelling some lines of an order for the merchant: read the order and what may be refunded (for a
// refund in full, Shopify's suggestion for the lines, tax included), plan
// (holds and unanswered requests first, refused while a lab keeps accepted work), refundCreate —
// every change through the one executor; what a withdrawn request leaves goes through the rules again.
import { z } from "zod";
import {
  cancelLinesBlock,
  LINE_REFUND_CHOICES,
  ORDER_CANCEL_REASONS,
  planCancelLines,
  type CancelBlock,
  type CancelLinesRefusal,
  type CancelLinesRequest,
  type RefundFacts,
  type StepWhy,
  type SuggestedRefund,
  fromMinorUnits,
  readTypedAmount,
  toMinorUnits,
} from "../routing";
import { englishTranslator } from "../i18n/i18next.server";
import { ORDER_REFUND_FACTS_QUERY, ORDER_SUGGESTED_REFUND_QUERY } from "../shopify/operations";
import { readOrder, toOrderSnapshot } from "../shopify/snapshot.server";
import type { UserError } from "../shopify/errors";
import { engineSaid, merchantDid, type StoredWords, type Words } from "../routing/words";
import type { OrderRefundFactsQuery, OrderSuggestedRefundQuery } from "../types/admin.generated";
import { applyMerchantSteps, decisionToResume, type CommandContext } from "./commands.server";
import { routeOrder, type RouteOrderDeps } from "./route-order.server";
import { readLineQuantities, type LineQuantity } from "./line-quantities";
import { cancelCheckFacts, readCancelCheck } from "./cancel-check.server";

const formSchema = z.object({
  reason: z.enum(ORDER_CANCEL_REASONS),
  refund: z.enum(LINE_REFUND_CHOICES),
  amountMode: z.enum(["full", "amount"]).default("full"),
  // Read in the admin's locale ("12,50" in German) to a decimal with a point. Any decimals here:
  // whether the customer's currency has that many is known once Shopify says which it is (cents,
  // fils, whole yen), and the plan refuses it in the merchant's words then.
  amount: z
    .string()
    .regex(/^\d{1,9}(\.\d{1,6})?$/)
    .optional(),
  restock: z.enum(["on", "off"]).default("off"),
  notifyCustomer: z.enum(["on", "off"]).default("off"),
  staffNote: z.string().trim().max(255).default(""),
});

export type CancelLinesField = "reason" | "refund" | "amount" | "staffNote" | "lines";
/** Field errors name the fields; the route words them from the catalogue. */
export type CancelLinesFieldErrors = Partial<Record<CancelLinesField, true>>;

/**
 * The form as the order screen posts it: `line:<line item id>` = how many to cancel; the set amount
 * in the decimals of the admin's `locale`, refused when it may hold a thousands separator.
 */
export function parseCancelLinesForm(
  form: FormData,
  locale = "en",
): { ok: true; value: CancelLinesRequest } | { ok: false; errors: CancelLinesFieldErrors } {
  const raw = Object.fromEntries(
    ["reason", "refund", "amountMode", "amount", "restock", "notifyCustomer", "staffNote"]
      .map((k) => [k, form.get(k)] as const)
      .filter(([, v]) => typeof v === "string" && v !== ""),
  );
  if (typeof raw.amount === "string") raw.amount = readTypedAmount(raw.amount, locale) ?? "-";
  const errors: CancelLinesFieldErrors = {};
  const parsed = formSchema.safeParse(raw);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === "amountMode" ? "amount" : issue.path[0];
      errors[field as CancelLinesField] = true;
    }
  const { lines, invalid } = readLineQuantities(form);
  if (invalid) errors.lines = true;
  if (lines.length === 0) errors.lines = true;
  const v = parsed.success ? parsed.data : null;
  const amount =
    v && v.refund !== "none" && v.amountMode === "amount" ? (v.amount ?? null) : undefined;
  if (v && v.refund !== "none" && v.amountMode === "amount" && (!amount || Number(amount) <= 0))
    errors.amount = true;
  if (!v || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      lines,
      reason: v.reason,
      refund: v.refund,
      // As typed: rounding to cents here sent 7.005 KWD as 7.01 (ADR 087).
      amount: amount ?? null,
      restock: v.restock === "on",
      notifyCustomer: v.notifyCustomer === "on",
      staffNote: v.staffNote || null,
    },
  };
}

/** Which part of the form Shopify's refusal is about, from its userErrors' fields. */
export type RefusalHint = "quantity" | "amount" | "storeCredit" | "location" | "other";

export function hintOf(userErrors: UserError[] | undefined): RefusalHint {
  const fields = (userErrors ?? []).flatMap((e) => e.field ?? []);
  if (fields.includes("storeCreditRefund")) return "storeCredit";
  if (fields.includes("locationId")) return "location";
  if (fields.includes("quantity") || fields.includes("lineItemId")) return "quantity";
  if (fields.includes("transactions") || fields.includes("refundMethods")) return "amount";
  return "other";
}

export type CancelLinesResult =
  | {
      ok: true;
      orderName: string;
      items: number;
      /** Decimal given back with its currency's decimals, and its currency ("0.00", "0" when nothing was refunded). */
      refunded: string;
      currency: string;
      routedAgain: boolean;
    }
  /** Refused before anything but a request to a lab was sent (or a retry with nothing to resume). */
  | {
      ok: false;
      refusal: CancelLinesRefusal | { code: "noSuchOrder" } | { code: "nothingToRetry" };
    }
  /** What Shopify would refuse, known from the order: nothing was taken back or sent (ADR 095). */
  | { ok: false; blocked: CancelBlock }
  /** Shopify refused (or did not answer); `before` lists what went through first. */
  | {
      ok: false;
      failed: {
        message: Words;
        hint: RefusalHint;
        before: StoredWords[];
        /** What went through first was taken back into the rules: they routed the order again. */
        routedAgain: boolean;
        /**
         * Shopify did not answer the last Step, which may have been made all the same: the decision
         * a retry resumes (retryCancelLines), sending the same Steps under the same keys. Null
         * when Shopify answered (a refusal: the same request would be refused again).
         */
        retry: string | null;
      };
    };

/**
 * What may be refunded: each payment taken less what was refunded from it; with `fullFor`, Shopify's
 * suggested refund for those quantities (their price and tax), read only for a refund in full.
 */
export async function readRefundFacts(
  gateway: RouteOrderDeps["gateway"],
  orderId: string,
  fullFor: LineQuantity[] | null = null,
): Promise<RefundFacts | null> {
  const [data, suggestion] = await Promise.all([
    gateway.request<OrderRefundFactsQuery>(ORDER_REFUND_FACTS_QUERY, { id: orderId }),
    fullFor ? readSuggestedRefund(gateway, orderId, fullFor) : null,
  ]);
  const o = data.order;
  if (!o) return null;
  // Every amount in the customer's currency's own minor units (fils, whole yen), not cents.
  const units = (amount: unknown) => toMinorUnits(String(amount), o.presentmentCurrencyCode);
  const ok = o.transactions.filter((t) => t.status === "SUCCESS");
  const refundedFrom = (id: string) =>
    ok
      .filter((t) => t.kind === "REFUND" && t.parentTransaction?.id === id)
      .reduce((s, t) => s + units(t.amountSet.presentmentMoney.amount), 0);
  // Refunds without a parent (store credit) come off the order's total, not one payment's.
  let left =
    units(o.totalReceivedSet.presentmentMoney.amount) -
    units(o.totalRefundedSet.presentmentMoney.amount);
  const payments = ok
    .filter((t) => t.kind === "SALE" || t.kind === "CAPTURE")
    .map((t) => {
      const refundable = Math.max(
        0,
        Math.min(left, units(t.amountSet.presentmentMoney.amount) - refundedFrom(t.id)),
      );
      left -= refundable;
      return { id: t.id, gateway: t.gateway ?? "manual", refundable };
    });
  return {
    currencyCode: o.presentmentCurrencyCode,
    payments,
    suggested: suggestion?.suggested ?? null,
  };
}

/**
 * Shopify's suggested refund for these quantities (Order.suggestedRefund), in minor units of the
 * customer's currency; `suggested` null when Shopify answers the order without a suggestion
 * (Order.suggestedRefund is nullable); null when Shopify has no such order.
 */
export async function readSuggestedRefund(
  gateway: RouteOrderDeps["gateway"],
  orderId: string,
  lines: LineQuantity[],
): Promise<{ currencyCode: string; suggested: SuggestedRefund | null } | null> {
  const data = await gateway.request<OrderSuggestedRefundQuery>(ORDER_SUGGESTED_REFUND_QUERY, {
    id: orderId,
    refundLineItems: lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity })),
  });
  if (!data.order) return null;
  const currencyCode = data.order.presentmentCurrencyCode;
  const s = data.order.suggestedRefund;
  if (!s) return { currencyCode, suggested: null };
  const units = (amount: unknown) => toMinorUnits(String(amount), currencyCode);
  return {
    currencyCode,
    suggested: {
      amount: units(s.amountSet.presentmentMoney.amount),
      subtotal: units(s.subtotalSet.presentmentMoney.amount),
      tax: units(s.totalTaxSet.presentmentMoney.amount),
      transactions: s.suggestedTransactions.flatMap((t) =>
        t.parentTransaction
          ? [
              {
                parentId: t.parentTransaction.id,
                gateway: t.gateway ?? "manual",
                amount: units(t.amountSet.presentmentMoney.amount),
              },
            ]
          : [],
      ),
    },
  };
}

/** The "Cancel items" dialog's amount for a refund in full, before the merchant confirms: decimals of its currency. */
export interface FullRefundPreview {
  amount: string;
  tax: string;
  currency: string;
}

/**
 * What refunding these quantities in full gives back, tax included, as the dialog shows it before
 * the merchant confirms: the same suggestion the refund itself is made of. Null: no such order;
 * "noSuggestedRefund": Shopify found the order but worked out no refund, which a refund in full
 * would be refused for (the plan's refusal of that name), so the dialog says so before confirming.
 */
export async function previewFullRefund(
  gateway: RouteOrderDeps["gateway"],
  orderId: string,
  lines: LineQuantity[],
): Promise<FullRefundPreview | "noSuggestedRefund" | null> {
  const read = await readSuggestedRefund(gateway, orderId, lines);
  if (!read) return null;
  if (!read.suggested) return "noSuggestedRefund";
  return {
    amount: fromMinorUnits(read.suggested.amount, read.currencyCode),
    tax: fromMinorUnits(read.suggested.tax, read.currencyCode),
    currency: read.currencyCode,
  };
}

/**
 * Cancels the chosen quantities, or refuses with the reason. Asking a lab to give accepted work
 * back is recorded as a decision of its own; nothing else is done then.
 */
export async function cancelLines(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  request: CancelLinesRequest,
): Promise<CancelLinesResult> {
  // Shopify's suggestion is read only for a refund in full: a set amount or none needs no tax.
  const full = request.refund !== "none" && request.amount === null;
  const [data, facts, check] = await Promise.all([
    readOrder(deps.gateway, orderId),
    readRefundFacts(deps.gateway, orderId, full ? request.lines : null),
    readCancelCheck(deps.gateway, orderId),
  ]);
  const snapshot = toOrderSnapshot(data);
  const checked = snapshot && cancelCheckFacts(check, snapshot);
  if (!snapshot || !facts || !checked) return { ok: false, refusal: { code: "noSuchOrder" } };
  // What Shopify would refuse the refund for is said before any hold or request is taken back.
  const blocked = snapshot.order.cancelledAt
    ? null
    : cancelLinesBlock(checked, {
        refund: request.refund,
        restock: request.restock,
        lineItemIds: request.lines.filter((l) => l.quantity > 0).map((l) => l.lineItemId),
      });
  if (blocked) return { ok: false, blocked };
  const why: StepWhy = {
    source: "approval",
    ruleId: null,
    ruleName: null,
    text: merchantDid("linesCanceled", context.actor),
  };
  // Written on Shopify in English, as the app's other notes: the reason's words, not its code.
  const english = await englishTranslator();
  const plan = planCancelLines(
    snapshot,
    facts,
    request,
    why,
    english(`afterSales.cancel.reasons.${request.reason}`),
  );
  const name = snapshot.order.name;
  if (plan.kind === "refused") {
    if (plan.steps.length > 0) {
      const asked = await applyMerchantSteps(deps, context.shop, orderId, name, plan.steps);
      if (!asked.ok)
        return {
          ok: false,
          failed: {
            message: asked.message,
            hint: hintOf(asked.userErrors),
            before: [],
            routedAgain: false,
            retry: null,
          },
        };
    }
    return { ok: false, refusal: plan.refusal };
  }
  const result = await applyMerchantSteps(deps, context.shop, orderId, name, plan.steps);
  if (!result.ok) {
    const before = plan.steps.slice(0, result.outcomes.length).map((s) => s.summary);
    // Holds released or a request withdrawn before Shopify refused the refund: nothing was
    // canceled, so the rules decide the order again rather than leave it unheld and unsent.
    const again =
      before.length > 0
        ? await routeOrder(deps, {
            shop: context.shop,
            orderId,
            trigger: "merchant",
            actor: context.actor ?? undefined,
            event: engineSaid("why.linesRefused"),
          })
        : null;
    return {
      ok: false,
      failed: {
        message: result.message,
        hint: hintOf(result.userErrors),
        before,
        routedAgain: (again?.stepsApplied ?? 0) > 0,
        retry: result.answered ? null : result.decisionId,
      },
    };
  }
  // A withdrawn request took the rest of its work back: the rules send what remains again.
  if (plan.routeAgain)
    await routeOrder(deps, {
      shop: context.shop,
      orderId,
      trigger: "merchant",
      actor: context.actor ?? undefined,
      event: engineSaid("why.linesCanceled"),
    });
  return {
    ok: true,
    orderName: name,
    items: request.lines.reduce((s, l) => s + l.quantity, 0),
    refunded: fromMinorUnits(plan.refunded, facts.currencyCode),
    currency: facts.currencyCode,
    routedAgain: plan.routeAgain,
  };
}

/**
 * "Try again" after Shopify did not answer a "Cancel items": resumes that decision rather than
 * planning anew. Its refundCreate goes again with the same input under the same Step key (the
 * `@idempotent` key, ADR 078), so if the first one landed Shopify answers with that refund and
 * gives no money twice; a fresh plan would read the order after the lost refund and could send
 * other amounts under another key (ADR 093). Only this shop's and order's merchant decision that
 * still needs attention and holds a refund is resumed; anything else is `nothingToRetry`.
 */
export async function retryCancelLines(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  decisionId: string,
): Promise<CancelLinesResult> {
  const decision = await decisionToResume(deps.db, context, orderId, decisionId, "refundCreate");
  if (!decision) return { ok: false, refusal: { code: "nothingToRetry" } };
  const { steps, step: refund } = decision;
  const name = decision.orderName;
  const result = await applyMerchantSteps(deps, context.shop, orderId, name, steps, {
    resume: decision.id,
  });
  if (!result.ok)
    return {
      ok: false,
      failed: {
        message: result.message,
        hint: hintOf(result.userErrors),
        before: [],
        routedAgain: false,
        retry: result.answered ? null : result.decisionId,
      },
    };
  // What was taken back before the lost answer goes through the rules again, as after any cancel.
  const again = await routeOrder(deps, {
    shop: context.shop,
    orderId,
    trigger: "merchant",
    actor: context.actor ?? undefined,
    event: engineSaid("why.linesCanceled"),
  });
  const { input } = refund.input;
  const refunded =
    input.transactions.reduce((sum, t) => sum + toMinorUnits(t.amount, input.currency), 0) +
    input.refundMethods.reduce(
      (sum, m) => sum + toMinorUnits(m.storeCreditRefund.amount.amount, input.currency),
      0,
    );
  return {
    ok: true,
    orderName: name,
    items: input.refundLineItems.reduce((sum, l) => sum + l.quantity, 0),
    refunded: fromMinorUnits(refunded, input.currency),
    currency: input.currency,
    routedAgain: (again?.stepsApplied ?? 0) > 0,
  };
}
