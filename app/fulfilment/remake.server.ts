// Remaking or reprinting lines of an order for the merchant: the replacement as a draft order
// completed at no charge, linked both ways — every change through applyAndRecord.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  completeRemakeStep,
  REMAKE_ATTRIBUTE,
  REMAKE_TAG,
  linkRemakeSteps,
  planRemake,
  remakeReasonsOf,
  type DraftAddress,
  type RemakeRefusal,
  type RemakeRequest,
  type RemakeSource,
  type Step,
  type StepKind,
  type StepWhy,
} from "../routing";
import {
  EXTRA_CHARGE_DRAFT_QUERY,
  ORIGINAL_LINK_QUERY,
  REMAKE_SOURCE_QUERY,
  TAGGED_DRAFT_ORDERS_QUERY,
} from "../shopify/operations";
import type {
  ExtraChargeDraftQuery,
  OriginalLinkQuery,
  RemakeSourceQuery,
  TaggedDraftOrdersQuery,
} from "../types/admin.generated";
import { merchantDid, words, type StoredWords, type Words } from "../routing/words";
import { merchantDecision } from "./apply-step.server";
import { refreshReadModel, type CommandContext } from "./commands.server";
import type { RouteOrderDeps } from "./route-order.server";
import { readLineQuantities } from "./line-quantities";

/**
 * The remake form as the order screen posts it: `line:<line item id>` = how many to make again.
 * A remake is made at no charge (`charge` "none", or absent): completing a draft unpaid needs the
 * deprecated `paymentPending` or payment terms (ADR 079); the customer pays through an extra charge.
 */
const remakeFormSchema = z.object({
  reason: z.string().trim().min(1, { message: "reason" }),
  charge: z.literal("none", { message: "charge" }),
});

export type RemakeFieldErrors = Partial<Record<"reason" | "charge" | "lines", true>>;

/** Field errors are the names of the fields; the route words them from the catalogue. */
export function parseRemakeForm(
  form: FormData,
): { ok: true; value: RemakeRequest } | { ok: false; errors: RemakeFieldErrors } {
  const raw = {
    reason: String(form.get("reason") ?? ""),
    charge: String(form.get("charge") ?? "none"),
  };
  const parsed = remakeFormSchema.safeParse(raw);
  const errors: RemakeFieldErrors = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      errors[issue.path[0] as keyof RemakeFieldErrors] = true;
  const { lines, invalid } = readLineQuantities(form);
  if (invalid) errors.lines = true;
  if (lines.length === 0) errors.lines = true;
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { lines, reason: parsed.data.reason, unitPrice: "0.00" } };
}

export type RemakeResult =
  | {
      ok: true;
      replacement: { orderId: string; name: string };
      original: { orderId: string; name: string };
      /** false: the original was canceled meanwhile, so it was neither tagged nor noted. */
      linked: boolean;
    }
  /** Refused before anything was sent to Shopify. */
  | { ok: false; refusal: RemakeRefusal | { code: "noSuchOrder" } }
  /**
   * Shopify refused a Step or did not answer (`message`: Shopify's words, or the catalogue's);
   * `draftOrder` names a draft left behind.
   */
  | { ok: false; failed: { step: StepKind; message: StoredWords; draftOrder: string | null } };

function toAddress(
  a: NonNullable<RemakeSourceQuery["order"]>["shippingAddress"],
): DraftAddress | null {
  if (!a) return null;
  return {
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    provinceCode: a.provinceCode ?? null,
    zip: a.zip ?? null,
    countryCode: a.countryCodeV2 ?? null,
    phone: a.phone ?? null,
  };
}

/** The original order as the remake needs it, or null when Shopify has no such order. */
export async function readRemakeSource(
  gateway: RouteOrderDeps["gateway"],
  orderId: string,
): Promise<RemakeSource | null> {
  const data = await gateway.request<RemakeSourceQuery>(REMAKE_SOURCE_QUERY, {
    id: orderId,
    lines: 100,
  });
  const o = data.order;
  if (!o) return null;
  return {
    id: o.id,
    name: o.name,
    email: o.email ?? null,
    currencyCode: o.currencyCode,
    presentmentCurrencyCode: o.presentmentCurrencyCode,
    note: o.note ?? null,
    cancelled: Boolean(o.cancelledAt),
    shippingAddress: toAddress(o.shippingAddress),
    lineItems: o.lineItems.nodes.map((l) => ({
      id: l.id,
      title: l.title,
      variantTitle: l.variantTitle ?? null,
      sku: l.sku ?? null,
      quantity: l.quantity,
      variantId: l.variant?.id ?? null,
      customAttributes: l.customAttributes.map((a) => ({ key: a.key, value: a.value ?? null })),
    })),
  };
}

/**
 * The original just before the app tags and notes it. Canceled meanwhile (or gone), it is left
 * alone: a tag or note would say it was remade or charged when it no longer stands.
 */
export async function readLinkTarget(
  gateway: RouteOrderDeps["gateway"],
  orderId: string,
): Promise<{ id: string; note: string | null } | null> {
  const data = await gateway.request<OriginalLinkQuery>(ORIGINAL_LINK_QUERY, { id: orderId });
  const o = data.order;
  return o && !o.cancelledAt ? { id: o.id, note: o.note ?? null } : null;
}

/**
 * Tags and notes the original once the remake or charge stands (its `steps`, as one decision's).
 * Canceled meanwhile, the original is left alone: the decision needs attention and `keepError`
 * stores why on the remake's or charge's row.
 */
export async function linkOriginal(
  deps: RouteOrderDeps,
  decision: Awaited<ReturnType<typeof merchantDecision>>,
  original: { id: string; name: string },
  steps: (target: { id: string; note: string | null }) => Step[],
  keepError: (error: string) => Promise<unknown>,
): Promise<{ linked: boolean } | { failed: { step: Step; message: StoredWords } }> {
  const target = await readLinkTarget(deps.gateway, original.id);
  if (!target) {
    const line = notLinkedLine(original.name);
    await decision.explain(line);
    await decision.finish("needs_attention");
    await keepError(storedError(line));
    return { linked: false };
  }
  for (const step of steps(target)) {
    const linked = await decision.apply(step);
    if (!linked.ok) return { failed: { step, message: linked.message } };
  }
  await decision.finish("applied");
  return { linked: true };
}

/**
 * The line the decision and the link's row keep when the original was not tagged or noted: Words,
 * so the order screen says it in the reader's language.
 */
export const notLinkedLine = (orderName: string): Words =>
  words("afterSalesAnswers.row.notLinked", { order: orderName });

/** What went wrong at a Step of a remake or a charge: the Step in the catalogue's words, Shopify's own. */
export const stepFailedWords = (kind: StepKind, message: StoredWords): Words =>
  words("afterSalesAnswers.row.failed", {
    step: words(`afterSalesAnswers.step.${kind}`),
    shopify: message,
  });

/** A remake's or charge's row keeps its error as Words in JSON (older rows: English text). */
export const storedError = (error: Words): string => JSON.stringify(error);

/**
 * The draft the app made when Shopify's answer to draftOrderCreate was lost: among the newest
 * drafts with `tag`, the one whose custom attribute `key` is `marker`.
 */
export async function findMarkedDraft(
  gateway: RouteOrderDeps["gateway"],
  tag: string,
  key: string,
  marker: string,
): Promise<{ id: string; name: string } | null> {
  const data = await gateway.request<TaggedDraftOrdersQuery>(TAGGED_DRAFT_ORDERS_QUERY, {
    query: `tag:'${tag}'`,
  });
  const draft = data.draftOrders.nodes.find((d) =>
    d.customAttributes.some((a) => a.key === key && a.value === marker),
  );
  return draft ? { id: draft.id, name: draft.name } : null;
}

/**
 * Makes the chosen lines again: creates the draft order, completes it (Shopify places the order
 * and sends its webhooks, so the rules route it like any other), then tags and notes the original.
 * One decision on the original holds every Step; the Remake row links the two orders.
 */
export async function remakeOrder(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  request: RemakeRequest,
): Promise<RemakeResult> {
  const { db } = deps;
  const source = await readRemakeSource(deps.gateway, orderId);
  if (!source) return { ok: false, refusal: { code: "noSuchOrder" } };
  const shop = await db.shop.findUnique({
    where: { shop: context.shop },
    select: { remakeReasons: true },
  });
  const why: StepWhy = {
    source: "approval",
    ruleId: null,
    ruleName: null,
    text: merchantDid("remakeAsked", context.actor, { reason: request.reason }),
  };
  // The remake's id is on the draft too, so a draft whose answer was lost can be found.
  const remakeId = randomUUID();
  const plan = planRemake(source, request, remakeReasonsOf(shop?.remakeReasons), why, remakeId);
  if (plan.kind === "refused") return { ok: false, refusal: plan.refusal };

  const decision = await merchantDecision(deps, {
    shop: context.shop,
    orderId,
    orderName: source.name,
    why: why.text,
    steps: [plan.step],
  });
  const remake = await db.remake.create({
    data: {
      id: remakeId,
      shop: context.shop,
      orderId,
      orderName: source.name,
      reason: request.reason,
      lines: JSON.stringify(plan.lines),
      unitPrice: request.unitPrice,
      currency: source.currencyCode,
      createdBy: context.actor,
    },
  });
  let draftOrder: string | null = null;
  // Once the replacement exists the remake stands, even if linking the original fails.
  let placedAlready = false;
  const apply = decision.apply;
  const fail = async (step: Step, message: StoredWords): Promise<RemakeResult> => {
    await decision.finish("needs_attention");
    await db.remake.update({
      where: { id: remake.id },
      data: {
        status: placedAlready ? "completed" : "failed",
        error: storedError(stepFailedWords(step.kind, message)),
        draftOrderId: draftOrder,
      },
    });
    return { ok: false, failed: { step: step.kind, message, draftOrder } };
  };

  let created = await apply(plan.step);
  if (!created.ok && !created.answered) {
    // The answer was lost, not the draft perhaps: look for it before making a second one.
    const found = await findMarkedDraft(deps.gateway, REMAKE_TAG, REMAKE_ATTRIBUTE, remake.id);
    if (found) {
      await decision.readBack(plan.step, { draftOrder: found });
      created = { ok: true, outcome: { draftOrder: found } };
    } else created = await apply(plan.step);
  }
  if (!created.ok) return fail(plan.step, created.message);
  draftOrder = (created.outcome.draftOrder as { id: string; name: string } | null)?.id ?? null;
  if (!draftOrder) return fail(plan.step, words("afterSalesAnswers.row.noDraft"));

  const complete = completeRemakeStep(orderId, draftOrder, why);
  let completed = await apply(complete);
  if (!completed.ok && !completed.answered) {
    // Completing twice would place a second replacement: read the draft back first.
    const back = await deps.gateway.request<ExtraChargeDraftQuery>(EXTRA_CHARGE_DRAFT_QUERY, {
      id: draftOrder,
    });
    if (back.draftOrder?.status === "COMPLETED" && back.draftOrder.order) {
      await decision.readBack(complete, { draftOrder: back.draftOrder });
      completed = { ok: true, outcome: { draftOrder: back.draftOrder } };
    } else completed = await apply(complete);
  }
  if (!completed.ok) return fail(complete, completed.message);
  const placed = (
    completed.outcome.draftOrder as { order: { id: string; name: string } | null } | null
  )?.order;
  if (!placed) return fail(complete, words("afterSalesAnswers.row.noOrder"));
  placedAlready = true;
  await db.remake.update({
    where: { id: remake.id },
    data: {
      status: "completed",
      draftOrderId: draftOrder,
      replacementOrderId: placed.id,
      replacementName: placed.name,
    },
  });

  const link = await linkOriginal(
    deps,
    decision,
    { id: orderId, name: source.name },
    (target) => linkRemakeSteps(target, placed, request.reason, why),
    (error) => db.remake.update({ where: { id: remake.id }, data: { error } }),
  );
  if ("failed" in link) return fail(link.failed.step, link.failed.message);
  await refreshReadModel(deps, context.shop, orderId);
  return {
    ok: true,
    replacement: { orderId: placed.id, name: placed.name },
    original: { orderId, name: source.name },
    linked: link.linked,
  };
}
