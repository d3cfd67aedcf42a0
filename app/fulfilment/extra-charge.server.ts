// Extra charges after payment: the draft order with the amount, its invoice e-mailed to the
// customer, both orders linked; when Shopify says it is paid, the original is tagged and routed again.
import { z } from "zod";
import {
  EXTRA_CHARGE_ATTRIBUTE,
  EXTRA_CHARGE_MAX,
  EXTRA_CHARGE_MESSAGE_MAX_LENGTH,
  EXTRA_CHARGE_REASON_MAX_LENGTH,
  EXTRA_CHARGE_TAG,
  gidTail,
  linkExtraChargeSteps,
  paidExtraChargeSteps,
  planExtraCharge,
  sendInvoiceStep,
  type ExtraChargeRefusal,
  type ExtraChargeRequest,
  type Step,
  type StepWhy,
} from "../routing";
import { EXTRA_CHARGE_DRAFT_QUERY } from "../shopify/operations";
import type { ExtraChargeDraftQuery } from "../types/admin.generated";
import type { Db } from "../db/client.server";
import { applyAndRecord, merchantDecision } from "./apply-step.server";
import { notLinkedLine, readLinkTarget, readRemakeSource } from "./remake.server";
import { refreshReadModel, type CommandContext } from "./commands.server";
import { routeOrder, type RouteOrderDeps } from "./route-order.server";

const formSchema = z.object({
  amount: z
    .string()
    .trim()
    .regex(/^\d{1,6}([.,]\d{1,2})?$/, { message: "amount" })
    .refine((v) => {
      const n = Number(v.replace(",", "."));
      return n > 0 && n <= EXTRA_CHARGE_MAX;
    }, "amount"),
  reason: z.string().trim().min(1, "reason").max(EXTRA_CHARGE_REASON_MAX_LENGTH, "reason"),
  message: z.string().trim().max(EXTRA_CHARGE_MESSAGE_MAX_LENGTH, "message"),
});

export type ExtraChargeFieldErrors = Partial<
  Record<"amount" | "reason" | "message" | "lines", true>
>;

/**
 * The order screen's form: amount, reason (the charge's title), message to the customer
 * (optional), and `line:<line item id>` = how many (optional).
 */
export function parseExtraChargeForm(
  form: FormData,
): { ok: true; value: ExtraChargeRequest } | { ok: false; errors: ExtraChargeFieldErrors } {
  const parsed = formSchema.safeParse({
    amount: String(form.get("amount") ?? ""),
    reason: String(form.get("reason") ?? ""),
    message: String(form.get("message") ?? ""),
  });
  const errors: ExtraChargeFieldErrors = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      errors[issue.path[0] as keyof ExtraChargeFieldErrors] = true;
  const lines: ExtraChargeRequest["lines"] = [];
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("line:") || typeof value !== "string" || value.trim() === "") continue;
    const quantity = Number(value);
    if (!Number.isInteger(quantity) || quantity < 0) errors.lines = true;
    else if (quantity > 0) lines.push({ lineItemId: key.slice("line:".length), quantity });
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const amount = Number(parsed.data.amount.replace(",", ".")).toFixed(2);
  const message = parsed.data.message || null;
  return { ok: true, value: { amount, reason: parsed.data.reason, message, lines } };
}

export type ExtraChargeResult =
  /** linked false: the original was canceled meanwhile, so it was neither tagged nor noted. */
  | { ok: true; draftOrderName: string; orderName: string; email: string; linked: boolean }
  | { ok: false; refusal: ExtraChargeRefusal | { code: "noSuchOrder" } }
  /** Shopify refused a Step or did not answer; `draftOrder` names a draft left behind. */
  | { ok: false; failed: { step: string; message: string; draftOrder: string | null } };

/**
 * Charges the customer extra for an order: creates the draft order with the amount, e-mails its
 * invoice, then tags and notes the original. One decision on the original holds every Step; the
 * ExtraCharge row links both orders and later learns that the draft was paid.
 */
export async function createExtraCharge(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  request: ExtraChargeRequest,
): Promise<ExtraChargeResult> {
  const { db } = deps;
  const source = await readRemakeSource(deps.gateway, orderId);
  if (!source) return { ok: false, refusal: { code: "noSuchOrder" } };
  const charge = await db.extraCharge.create({
    data: {
      shop: context.shop,
      orderId,
      orderName: source.name,
      reason: request.reason,
      amount: request.amount,
      currency: source.currencyCode,
      createdBy: context.actor,
    },
  });
  const why: StepWhy = {
    source: "approval",
    ruleId: null,
    ruleName: null,
    text: `Extra charge asked for by the merchant${context.actor ? ` (by ${context.actor})` : ""}: ${request.amount} ${source.currencyCode}, ${request.reason}`,
  };
  const plan = planExtraCharge(source, request, charge.id, why);
  if (plan.kind === "refused") {
    await db.extraCharge.update({
      where: { id: charge.id },
      data: { status: "failed", error: plan.refusal.code },
    });
    return { ok: false, refusal: plan.refusal };
  }
  await db.extraCharge.update({
    where: { id: charge.id },
    data: { lines: JSON.stringify(plan.lines) },
  });
  const decision = await merchantDecision(deps, {
    shop: context.shop,
    orderId,
    orderName: source.name,
    why: why.text,
    steps: [plan.step],
  });
  const apply = decision.apply;
  let draft: { id: string; name: string } | null = null;
  let draftSent = false;
  const fail = async (step: Step, message: string): Promise<ExtraChargeResult> => {
    await decision.finish("needs_attention");
    await db.extraCharge.update({
      where: { id: charge.id },
      data: {
        // A draft whose invoice went out stands even if linking the original failed.
        status: draftSent ? "invoice_sent" : "failed",
        error: `${step.summary}: ${message}`,
        draftOrderId: draft?.id ?? null,
        draftOrderName: draft?.name ?? null,
      },
    });
    return { ok: false, failed: { step: step.summary, message, draftOrder: draft?.name ?? null } };
  };

  const created = await apply(plan.step);
  if (!created.ok) return fail(plan.step, created.message);
  draft = (created.outcome.draftOrder as { id: string; name: string } | null) ?? null;
  if (!draft) return fail(plan.step, "Shopify returned no draft order");
  await db.extraCharge.update({
    where: { id: charge.id },
    data: { draftOrderId: draft.id, draftOrderName: draft.name },
  });

  const invoice = sendInvoiceStep(orderId, draft.id, request.message, why);
  const sent = await apply(invoice);
  if (!sent.ok) return fail(invoice, sent.message);
  draftSent = true;
  const sentDraft = sent.outcome.draftOrder as { invoiceUrl?: string | null } | null;
  await db.extraCharge.updateMany({
    // The draft may already be paid (its webhooks came first): keep that.
    where: { id: charge.id, status: "creating" },
    data: { status: "invoice_sent", invoiceSentAt: deps.now() },
  });
  await db.extraCharge.update({
    where: { id: charge.id },
    data: { invoiceUrl: sentDraft?.invoiceUrl ?? null },
  });

  const target = await readLinkTarget(deps.gateway, orderId);
  if (!target) {
    const line = notLinkedLine(source.name);
    await decision.explain(line);
    await decision.finish("needs_attention");
    await db.extraCharge.update({ where: { id: charge.id }, data: { error: line } });
    await refreshReadModel(deps, context.shop, orderId);
    return {
      ok: true,
      draftOrderName: draft.name,
      orderName: source.name,
      email: source.email!,
      linked: false,
    };
  }
  const amount = { amount: request.amount, currencyCode: source.currencyCode };
  for (const step of linkExtraChargeSteps(target, draft, amount, request.reason, why)) {
    const linked = await apply(step);
    if (!linked.ok) return fail(step, linked.message);
  }
  await decision.finish("applied");
  // The rules see the waiting charge (a hold until it is paid, if the merchant's rule says so).
  await routeOrder(deps, {
    shop: context.shop,
    orderId,
    trigger: "merchant",
    actor: context.actor ?? undefined,
    event: `Extra charge ${draft.name} sent to ${source.email}.`,
  }).catch(() => refreshReadModel(deps, context.shop, orderId));
  return {
    ok: true,
    draftOrderName: draft.name,
    orderName: source.name,
    email: source.email!,
    linked: true,
  };
}

/** What a webhook says about a charge's draft, or about the order it became. */
export type ExtraChargeEvent =
  /** draft_orders/update (or create): read the draft for whether its order is paid. */
  | { kind: "draft"; draftOrderId: string }
  /** orders/paid of an order made from a charge's draft. */
  | { kind: "paid"; orderId: string; orderName: string | null; chargeId: string | null };

/** The charge an orders/paid payload names through the draft's custom attribute, if any. */
export function extraChargeEventOfPaidOrder(
  payload: Record<string, unknown>,
): ExtraChargeEvent | null {
  const tags = typeof payload.tags === "string" ? payload.tags.split(",").map((t) => t.trim()) : [];
  const attributes = Array.isArray(payload.note_attributes)
    ? (payload.note_attributes as { name?: unknown; value?: unknown }[])
    : [];
  const chargeId = attributes.find((a) => a.name === EXTRA_CHARGE_ATTRIBUTE)?.value;
  if (!tags.includes(EXTRA_CHARGE_TAG) && typeof chargeId !== "string") return null;
  const orderId =
    typeof payload.admin_graphql_api_id === "string" ? payload.admin_graphql_api_id : null;
  if (!orderId) return null;
  return {
    kind: "paid",
    orderId,
    orderName: typeof payload.name === "string" ? payload.name : null,
    chargeId: typeof chargeId === "string" ? chargeId : null,
  };
}

/** The draft a draft_orders/* payload is about. */
export function extraChargeEventOfDraft(payload: Record<string, unknown>): ExtraChargeEvent | null {
  const id = payload.admin_graphql_api_id;
  return typeof id === "string" ? { kind: "draft", draftOrderId: id } : null;
}

const PAID_STATUSES = ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"];

/**
 * Records what Shopify says of a charge (both readings: the draft completed into a paid order, or
 * orders/paid of that order), and once it is paid, tags the original and routes it again so a rule
 * "extra charge is paid" releases it. Safe to run twice: a paid charge stays paid and is acted on once.
 */
export async function recordExtraChargeEvent(
  deps: RouteOrderDeps,
  shop: string,
  event: ExtraChargeEvent,
): Promise<"paid" | "completed" | "unchanged" | "unknown"> {
  const { db } = deps;
  let charge;
  let paidOrder: { id: string; name: string | null } | null = null;
  let paid = false;
  if (event.kind === "draft") {
    charge = await db.extraCharge.findFirst({ where: { shop, draftOrderId: event.draftOrderId } });
    if (!charge) return "unknown";
    const data = await deps.gateway.request<ExtraChargeDraftQuery>(EXTRA_CHARGE_DRAFT_QUERY, {
      id: event.draftOrderId,
    });
    const order = data.draftOrder?.status === "COMPLETED" ? data.draftOrder.order : null;
    if (!order) return "unchanged";
    paidOrder = { id: order.id, name: order.name };
    paid = PAID_STATUSES.includes(order.displayFinancialStatus ?? "");
  } else {
    charge =
      (event.chargeId
        ? await db.extraCharge.findFirst({ where: { shop, id: event.chargeId } })
        : null) ??
      (await db.extraCharge.findFirst({ where: { shop, paidOrderId: event.orderId } }));
    if (!charge) return "unknown";
    paidOrder = { id: event.orderId, name: event.orderName };
    paid = true;
  }
  if (charge.status === "paid") return "unchanged";
  if (!paid) {
    // Completed with payment pending: orders/paid of that order says when it is paid.
    await db.extraCharge.update({
      where: { id: charge.id },
      data: { status: "completed", paidOrderId: paidOrder.id, paidOrderName: paidOrder.name },
    });
    return "completed";
  }
  // Only one of the readings (and of duplicate deliveries) acts.
  const claimed = await db.extraCharge.updateMany({
    where: { id: charge.id, status: { not: "paid" } },
    data: {
      status: "paid",
      paidAt: deps.now(),
      paidOrderId: paidOrder.id,
      ...(paidOrder.name ? { paidOrderName: paidOrder.name } : {}),
    },
  });
  if (claimed.count === 0) return "unchanged";
  await actOnPaid(deps, shop, charge.id);
  return "paid";
}

/** Tags the original "paid" (and takes "waiting" off when nothing else waits), then routes it again. */
async function actOnPaid(deps: RouteOrderDeps, shop: string, chargeId: string): Promise<void> {
  const { db } = deps;
  const charge = await db.extraCharge.findUniqueOrThrow({ where: { id: chargeId } });
  const othersWaiting =
    (await db.extraCharge.count({
      where: {
        shop,
        orderId: charge.orderId,
        id: { not: charge.id },
        status: { in: ["creating", "invoice_sent", "completed"] },
      },
    })) > 0;
  const text = `Extra charge ${charge.draftOrderName ?? ""} paid${charge.paidOrderName ? ` (order ${charge.paidOrderName})` : ""}: ${charge.amount} ${charge.currency}, ${charge.reason}`;
  const why: StepWhy = { source: "reconcile", ruleId: null, ruleName: null, text };
  // Canceled while the invoice waited: the charge is paid, the original is not released or tagged;
  // the decision and the charge say so, for the merchant to refund it.
  const target = await readLinkTarget(deps.gateway, charge.orderId);
  const steps = target ? paidExtraChargeSteps(charge.orderId, othersWaiting, why) : [];
  const decision = await db.decision.create({
    data: {
      shop,
      orderId: charge.orderId,
      orderName: charge.orderName,
      trigger: "service",
      status: "applying",
      explanation: JSON.stringify(target ? [text] : [text, notLinkedLine(charge.orderName)]),
      plan: JSON.stringify({ steps }),
      ...(target ? {} : { status: "needs_attention", appliedAt: deps.now() }),
    },
  });
  if (!target) {
    await db.extraCharge.update({
      where: { id: charge.id },
      data: { error: notLinkedLine(charge.orderName) },
    });
    return;
  }
  let position = 0;
  let refused: string | null = null;
  for (const step of steps) {
    // A lost answer throws: the job runs again and the recorded Steps are not repeated.
    const recorded = await applyAndRecord(deps, decision.id, step, position++);
    if (!recorded.ok) {
      refused = recorded.message;
      break;
    }
  }
  await db.decision.update({
    where: { id: decision.id },
    data: { status: refused ? "needs_attention" : "applied", appliedAt: deps.now() },
  });
  if (refused) {
    await db.extraCharge.update({ where: { id: charge.id }, data: { error: refused } });
    return;
  }
  // The merchant's rules decide with the charge paid: "extra charge is paid" releases the order.
  await routeOrder(deps, {
    shop,
    orderId: charge.orderId,
    trigger: "service",
    event: `${text}.`,
  });
}

export interface ExtraChargeView {
  id: string;
  /** The original order's name and number, and the order the draft became once completed. */
  orderName: string;
  orderNumber: string;
  draftOrderName: string | null;
  paidOrderName: string | null;
  paidOrderNumber: string | null;
  amount: string;
  currency: string;
  reason: string;
  status: string;
  error: string | null;
  createdAt: string;
  paidAt: string | null;
}

/**
 * The charges an order screen shows: those asked for on this order, and the charge this order
 * pays (it was made from the charge's draft), so both orders link to each other.
 */
export async function extraChargesOf(
  db: Db,
  shop: string,
  orderId: string,
): Promise<{ charges: ExtraChargeView[]; paysFor: ExtraChargeView | null }> {
  const view = (
    c: Awaited<ReturnType<Db["extraCharge"]["findFirstOrThrow"]>>,
  ): ExtraChargeView => ({
    id: c.id,
    orderName: c.orderName,
    orderNumber: gidTail(c.orderId),
    draftOrderName: c.draftOrderName,
    paidOrderName: c.paidOrderName,
    paidOrderNumber: c.paidOrderId ? gidTail(c.paidOrderId) : null,
    amount: c.amount,
    currency: c.currency,
    reason: c.reason,
    status: c.status,
    error: c.error,
    createdAt: c.createdAt.toISOString(),
    paidAt: c.paidAt?.toISOString() ?? null,
  });
  const [charges, paysFor] = await Promise.all([
    db.extraCharge.findMany({ where: { shop, orderId }, orderBy: { createdAt: "desc" }, take: 20 }),
    db.extraCharge.findFirst({ where: { shop, paidOrderId: orderId } }),
  ]);
  return { charges: charges.map(view), paysFor: paysFor ? view(paysFor) : null };
}
