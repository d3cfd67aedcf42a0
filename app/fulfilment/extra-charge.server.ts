// Extra charges after payment: the draft order with the amount, its invoice e-mailed to the
// customer, both orders linked; when Shopify says it is paid, the original is tagged and routed again.
import { z } from "zod";
import {
  EXTRA_CHARGE_ATTRIBUTE,
  EXTRA_CHARGE_MAX,
  EXTRA_CHARGE_MESSAGE_MAX_LENGTH,
  EXTRA_CHARGE_REASON_MAX_LENGTH,
  EXTRA_CHARGE_TAG,
  extraChargeAmountIn,
  gidTail,
  linkExtraChargeSteps,
  paidExtraChargeSteps,
  planExtraCharge,
  readTypedAmount,
  sendInvoiceStep,
  type ExtraChargeRefusal,
  type ExtraChargeRequest,
  type RemakeSource,
  type Step,
  type StepKind,
  type StepWhy,
} from "../routing";
import { EXTRA_CHARGE_DRAFT_QUERY } from "../shopify/operations";
import type { ExtraChargeDraftQuery } from "../types/admin.generated";
import type { Db } from "../db/client.server";
import {
  applyAndRecord,
  merchantDecision,
  refusalWords,
  resumeMerchantDecision,
  type MerchantDecision,
} from "./apply-step.server";
import {
  findMarkedDraft,
  linkOriginal,
  notLinkedLine,
  readLinkTarget,
  readRemakeSource,
  stepFailedWords,
  storedError,
} from "./remake.server";
import { readWords } from "../i18n/words";
import { formatMoney, SHOPIFY_NOTE_LOCALE } from "../i18n/money";
import { engineSaid, merchantDid, words, type StoredWords } from "../routing/words";
import { decisionToResume, refreshReadModel, type CommandContext } from "./commands.server";
import { routeOrder, type RouteOrderDeps } from "./route-order.server";
import { readLineQuantities } from "./line-quantities";

const formSchema = z.object({
  // Read in the admin's locale ("12,50" in German) to a decimal with a point; any decimals here:
  // whether the order's currency has that many is known once the order is read (ADR 087).
  amount: z
    .string()
    .regex(/^\d{1,6}(\.\d{1,6})?$/, { message: "amount" })
    .refine((v) => {
      const n = Number(v);
      return n > 0 && n <= EXTRA_CHARGE_MAX;
    }, "amount"),
  reason: z.string().trim().min(1, "reason").max(EXTRA_CHARGE_REASON_MAX_LENGTH, "reason"),
  message: z.string().trim().max(EXTRA_CHARGE_MESSAGE_MAX_LENGTH, "message"),
  // The form's own id, made when it opens: a second "Send invoice" of the same form (a double
  // click, a resend after a lost answer) names the charge the first one made.
  requestId: z.string().uuid().optional(),
});

export type ExtraChargeFieldErrors = Partial<
  Record<"amount" | "reason" | "message" | "lines" | "requestId", true>
>;

/**
 * The order screen's form: amount, reason (the charge's title), message to the customer
 * (optional), and `line:<line item id>` = how many (optional). The amount is read with the
 * decimal separator of the admin's `locale`; one that may hold a thousands separator is refused.
 */
export function parseExtraChargeForm(
  form: FormData,
  locale = "en",
):
  | { ok: true; value: ExtraChargeRequest; requestId: string | null }
  | { ok: false; errors: ExtraChargeFieldErrors } {
  const requestId = form.get("requestId");
  const parsed = formSchema.safeParse({
    amount: readTypedAmount(String(form.get("amount") ?? ""), locale) ?? "",
    reason: String(form.get("reason") ?? ""),
    message: String(form.get("message") ?? ""),
    ...(typeof requestId === "string" && requestId !== "" ? { requestId } : {}),
  });
  const errors: ExtraChargeFieldErrors = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      errors[issue.path[0] as keyof ExtraChargeFieldErrors] = true;
  const { lines, invalid } = readLineQuantities(form);
  if (invalid) errors.lines = true;
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  // As typed: the currency's decimals are applied once the order is read (extraChargeAmountIn).
  const amount = parsed.data.amount;
  const message = parsed.data.message || null;
  return {
    ok: true,
    value: { amount, reason: parsed.data.reason, message, lines },
    requestId: parsed.data.requestId ?? null,
  };
}

export type ExtraChargeResult =
  /** linked false: the original was canceled meanwhile, so it was neither tagged nor noted. */
  | { ok: true; draftOrderName: string; orderName: string; email: string; linked: boolean }
  | {
      ok: false;
      refusal: ExtraChargeRefusal | { code: "noSuchOrder" } | { code: "nothingToRetry" };
    }
  /**
   * Shopify refused a Step or did not answer; `draftOrder` names a draft left behind. `retry`:
   * Shopify did not answer before the invoice went out, the decision Try again resumes.
   */
  | {
      ok: false;
      failed: {
        step: StepKind;
        message: StoredWords;
        draftOrder: string | null;
        retry: string | null;
      };
    }
  /**
   * The same form was sent before (its `requestId` names a charge): nothing is made again, the
   * answer says where that charge stands.
   */
  | {
      ok: false;
      repeated: { status: string; draftOrderName: string | null; error: StoredWords | null };
    };

/** How long a repeated form waits for the first one's outcome (a draft and an invoice). */
const REPEAT_WAIT_MS = 30_000;

/** Whether a create failed because the id is taken (Prisma's P2002, on either database). */
const isTaken = (error: unknown) =>
  !!error && typeof error === "object" && (error as { code?: unknown }).code === "P2002";

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
  requestId: string | null = null,
): Promise<ExtraChargeResult> {
  const { db } = deps;
  const repeated = async (): Promise<ExtraChargeResult | null> => {
    if (!requestId) return null;
    const find = () =>
      db.extraCharge.findFirst({ where: { shop: context.shop, orderId, id: requestId } });
    let before = await find();
    // The first of the two is still with Shopify: wait for its outcome, so this answer (the one
    // the page sees, the browser having dropped the first) says how it ended.
    for (let waited = 0; before?.status === "creating" && waited < REPEAT_WAIT_MS;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      waited += 250;
      before = await find();
    }
    return before
      ? {
          ok: false,
          repeated: {
            status: before.status,
            draftOrderName: before.draftOrderName,
            error: before.error ? readWords(before.error) : null,
          },
        }
      : null;
  };
  const sentBefore = await repeated();
  if (sentBefore) return sentBefore;
  const source = await readRemakeSource(deps.gateway, orderId);
  if (!source) return { ok: false, refusal: { code: "noSuchOrder" } };
  // In the currency's own decimals (3 for a dinar, none for yen), refused before anything is made.
  const fitted = extraChargeAmountIn(request.amount, source.presentmentCurrencyCode);
  if (!fitted.ok) return { ok: false, refusal: fitted.refusal };
  request = { ...request, amount: fitted.amount };
  const created = await db.extraCharge
    .create({
      data: {
        ...(requestId ? { id: requestId } : {}),
        shop: context.shop,
        orderId,
        orderName: source.name,
        reason: request.reason,
        amount: request.amount,
        currency: source.presentmentCurrencyCode,
        createdBy: context.actor,
      },
    })
    .catch(async (error: unknown) => {
      // The same form sent twice at once: the first one makes the charge, this one says so.
      const again = isTaken(error) ? await repeated() : null;
      if (again) return again;
      throw error;
    });
  if ("ok" in created) return created;
  const charge = created;
  const why: StepWhy = {
    source: "approval",
    ruleId: null,
    ruleName: null,
    text: merchantDid("chargeAsked", context.actor, {
      amount: request.amount,
      currency: source.presentmentCurrencyCode,
      reason: request.reason,
    }),
  };
  const plan = planExtraCharge(source, request, charge.id, why);
  if (plan.kind === "refused") {
    const { code, ...params } = plan.refusal;
    await db.extraCharge.update({
      where: { id: charge.id },
      data: {
        status: "failed",
        error: storedError(words(`extraCharge.refusals.${code}`, params)),
      },
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
  return sendCharge(deps, context, orderId, {
    source,
    request,
    chargeId: charge.id,
    decision,
    draftStep: plan.step,
    why,
    resuming: false,
    draft: null,
  });
}

/** Where a charge's sending stands: its order, its form, its decision and what is known of Shopify. */
interface ChargeRun {
  source: RemakeSource;
  request: ExtraChargeRequest;
  chargeId: string;
  decision: MerchantDecision;
  draftStep: Step;
  why: StepWhy;
  /** Try again: every Step whose answer was lost is read back before it is sent again. */
  resuming: boolean;
  /** The draft already known to exist (recorded before an answer was lost). */
  draft: { id: string; name: string } | null;
}

/**
 * Makes the draft, e-mails its invoice and links the original, reading Shopify back wherever an
 * answer was lost, so nothing is drafted or e-mailed twice. A Step whose answer is lost again (or
 * whose read-back gets no answer) ends the charge with `retry`: the decision Try again resumes.
 */
async function sendCharge(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  run: ChargeRun,
): Promise<ExtraChargeResult> {
  const { db } = deps;
  const { source, request, decision, why } = run;
  const chargeId = run.chargeId;
  const apply = decision.apply;
  let draft = run.draft;
  let draftSent = false;
  const fail = async (
    step: Step,
    message: StoredWords,
    lost = false,
  ): Promise<ExtraChargeResult> => {
    await decision.finish("needs_attention");
    await db.extraCharge.update({
      where: { id: chargeId },
      data: {
        // A draft whose invoice went out stands even if linking the original failed.
        status: draftSent ? "invoice_sent" : "failed",
        error: storedError(stepFailedWords(step.kind, message)),
        draftOrderId: draft?.id ?? null,
        draftOrderName: draft?.name ?? null,
      },
    });
    return {
      ok: false,
      failed: {
        step: step.kind,
        message,
        draftOrder: draft?.name ?? null,
        // Only before the invoice went out: what follows (tagging the original) is not the charge.
        retry: lost && !draftSent ? decision.id : null,
      },
    };
  };
  type Applied = Awaited<ReturnType<typeof apply>>;
  /**
   * A Step sent once (not when resuming); when its answer is lost, `readBack` asks Shopify whether
   * it was made before it is sent a second time. A read-back without an answer is a lost answer too.
   */
  const once = async (
    step: Step,
    readBack: () => Promise<Record<string, unknown> | null>,
  ): Promise<Applied> => {
    if (!run.resuming) {
      const first = await apply(step);
      if (first.ok || first.answered) return first;
    }
    let found: Record<string, unknown> | null;
    try {
      found = await readBack();
    } catch (error) {
      return { ok: false, message: refusalWords(error), answered: false };
    }
    if (found) {
      await decision.readBack(step, found);
      return { ok: true, outcome: found };
    }
    return apply(step);
  };

  if (!draft) {
    // The answer was lost, not the draft perhaps: look for it (its `_extra_charge` names this
    // charge) before making a second one.
    const made = await once(run.draftStep, async () => {
      const found = await findMarkedDraft(
        deps.gateway,
        EXTRA_CHARGE_TAG,
        EXTRA_CHARGE_ATTRIBUTE,
        chargeId,
      );
      return found ? { draftOrder: found } : null;
    });
    if (!made.ok) return fail(run.draftStep, made.message, !made.answered);
    draft = (made.outcome.draftOrder as { id: string; name: string } | null) ?? null;
    if (!draft) return fail(run.draftStep, words("afterSalesAnswers.row.noDraft"));
    await db.extraCharge.update({
      where: { id: chargeId },
      data: { draftOrderId: draft.id, draftOrderName: draft.name },
    });
  }
  const known = draft;

  const invoice = sendInvoiceStep(orderId, known.id, request.message, why);
  // Sending again would e-mail the customer twice: read the draft back first.
  const sent = await once(invoice, async () => {
    const back = await deps.gateway.request<ExtraChargeDraftQuery>(EXTRA_CHARGE_DRAFT_QUERY, {
      id: known.id,
    });
    return back.draftOrder?.status === "INVOICE_SENT" ? { draftOrder: back.draftOrder } : null;
  });
  if (!sent.ok) return fail(invoice, sent.message, !sent.answered);
  draftSent = true;
  const sentDraft = sent.outcome.draftOrder as { invoiceUrl?: string | null } | null;
  await db.extraCharge.updateMany({
    // The draft may already be paid (its webhooks came first): keep that.
    where: { id: chargeId, status: { in: ["creating", "failed"] } },
    data: { status: "invoice_sent", invoiceSentAt: deps.now(), error: null },
  });
  await db.extraCharge.update({
    where: { id: chargeId },
    data: { invoiceUrl: sentDraft?.invoiceUrl ?? null },
  });

  // Money on the note as the note's English writes it, whoever reads it in admin (ADR 097).
  const amount = formatMoney(request.amount, source.presentmentCurrencyCode, SHOPIFY_NOTE_LOCALE);
  const link = await linkOriginal(
    deps,
    decision,
    { id: orderId, name: source.name },
    (target) => linkExtraChargeSteps(target, known, amount, request.reason, why),
    (error) => db.extraCharge.update({ where: { id: chargeId }, data: { error } }),
  );
  if ("failed" in link) return fail(link.failed.step, link.failed.message);
  if (!link.linked) {
    await refreshReadModel(deps, context.shop, orderId);
    return {
      ok: true,
      draftOrderName: known.name,
      orderName: source.name,
      email: source.email!,
      linked: false,
    };
  }
  // The rules see the waiting charge (a hold until it is paid, if the merchant's rule says so).
  await routeOrder(deps, {
    shop: context.shop,
    orderId,
    trigger: "merchant",
    actor: context.actor ?? undefined,
    event: engineSaid("why.chargeSent", { draft: known.name, email: source.email! }),
  }).catch(() => refreshReadModel(deps, context.shop, orderId));
  return {
    ok: true,
    draftOrderName: known.name,
    orderName: source.name,
    email: source.email!,
    linked: true,
  };
}

/**
 * "Try again" after Shopify did not answer while a charge was sent: resumes that charge (the
 * form's `requestId`) and its decision (`decisionId`) rather than making another. Each Step whose
 * answer was lost is read back first (the draft by its mark, the invoice by the draft's status),
 * and sent again only when Shopify shows it was not made. Only this shop's and order's charge that
 * ended on a lost answer is resumed; anything else is `nothingToRetry`.
 */
export async function retryExtraCharge(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  decisionId: string,
  chargeId: string,
  /** The form's message to the customer, posted again with Try again. */
  message: string | null,
): Promise<ExtraChargeResult> {
  const { db } = deps;
  const nothing: ExtraChargeResult = { ok: false, refusal: { code: "nothingToRetry" } };
  const resumable = await decisionToResume(db, context, orderId, decisionId, "draftOrderCreate");
  // The decision's draft must be this charge's (its mark), not another charge's on the order.
  const ofThisCharge = resumable?.step.input.input.customAttributes?.some(
    (a) => a.key === EXTRA_CHARGE_ATTRIBUTE && a.value === chargeId,
  );
  if (!resumable || !ofThisCharge) return nothing;
  const source = await readRemakeSource(deps.gateway, orderId);
  if (!source) return { ok: false, refusal: { code: "noSuchOrder" } };
  // Claimed once: a second click (or the same form sent again) finds the charge being sent.
  const claimed = await db.extraCharge.updateMany({
    where: { id: chargeId, shop: context.shop, orderId, status: "failed" },
    data: { status: "creating", error: null },
  });
  if (claimed.count === 0) return nothing;
  const charge = await db.extraCharge.findUniqueOrThrow({ where: { id: chargeId } });
  // An invoice already recorded is sent again as recorded (its key holds the message).
  const recordedInvoice = await db.step.findFirst({
    where: { decisionId, kind: "draftOrderInvoiceSend" },
    select: { input: true },
  });
  const invoiceInput = recordedInvoice
    ? (JSON.parse(recordedInvoice.input) as { input?: { email?: { customMessage?: string } } })
    : null;
  const decision = await resumeMerchantDecision(deps, { shop: context.shop, decisionId });
  return sendCharge(deps, context, orderId, {
    source,
    request: {
      amount: charge.amount,
      reason: charge.reason,
      message: invoiceInput ? (invoiceInput.input?.email?.customMessage ?? null) : message,
      lines: [],
    },
    chargeId,
    decision,
    draftStep: resumable.step,
    why: resumable.step.why,
    resuming: true,
    draft:
      charge.draftOrderId && charge.draftOrderName
        ? { id: charge.draftOrderId, name: charge.draftOrderName }
        : null,
  });
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

/**
 * The draft a draft_orders/* payload is about, when it is one of the app's extra charges (the app
 * tags each charge's draft `extra-charge`); null for every other draft of the shop, which is none
 * of the app's business.
 */
export function extraChargeEventOfDraft(payload: Record<string, unknown>): ExtraChargeEvent | null {
  const id = payload.admin_graphql_api_id;
  const tags = typeof payload.tags === "string" ? payload.tags.split(",").map((t) => t.trim()) : [];
  if (!tags.includes(EXTRA_CHARGE_TAG)) return null;
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
  await db.extraCharge.update({
    where: { id: charge.id },
    data: {
      paidOrderId: paidOrder.id,
      ...(paidOrder.name ? { paidOrderName: paidOrder.name } : {}),
    },
  });
  // The original is told first, the charge counted paid after: a failure on the way (a lost
  // answer, a worker killed) throws, the job runs again and carries on where it stopped. The two
  // readings of "paid" and duplicate deliveries wait for the same order's turn, and the second
  // finds it paid; should two act all the same, they share one decision and its Steps.
  await actOnPaid(deps, shop, charge.id);
  const claimed = await db.extraCharge.updateMany({
    where: { id: charge.id, status: { not: "paid" } },
    data: { status: "paid", paidAt: deps.now() },
  });
  return claimed.count === 0 ? "unchanged" : "paid";
}

/** The decision that tells the original of a paid charge: one per charge, whatever retries it. */
export const paidDecisionId = (chargeId: string) => `extra-charge-paid-${chargeId}`;

/**
 * Tags the original "paid" (and takes "waiting" off when nothing else waits), then routes it again.
 * Runs again after a failure without doing twice what was done: the decision is the charge's own,
 * its Steps that succeeded are skipped, and the routing carries on its own decision.
 */
async function actOnPaid(deps: RouteOrderDeps, shop: string, chargeId: string): Promise<void> {
  const { db } = deps;
  const charge = await db.extraCharge.findUniqueOrThrow({ where: { id: chargeId } });
  const decisionId = paidDecisionId(charge.id);
  const earlier = await db.decision.findUnique({ where: { id: decisionId } });
  // Refused, or the original canceled meanwhile: the charge says so; nothing is routed.
  if (earlier?.status === "needs_attention") return;
  const paidWords = { amount: charge.amount, currency: charge.currency, reason: charge.reason };
  const text = charge.paidOrderName
    ? engineSaid("why.chargePaidAs", {
        ...paidWords,
        draft: charge.draftOrderName ?? "",
        order: charge.paidOrderName,
      })
    : engineSaid("why.chargePaid", {
        ...paidWords,
        draft: charge.draftOrderName ?? "",
      });
  if (earlier?.status !== "applied") {
    const othersWaiting =
      (await db.extraCharge.count({
        where: {
          shop,
          orderId: charge.orderId,
          id: { not: charge.id },
          status: { in: ["creating", "invoice_sent", "completed"] },
        },
      })) > 0;
    const why: StepWhy = { source: "reconcile", ruleId: null, ruleName: null, text };
    // Canceled while the invoice waited: the charge is paid, the original is not released or
    // tagged; the decision and the charge say so, for the merchant to refund it.
    const target = await readLinkTarget(deps.gateway, charge.orderId);
    const steps = target ? paidExtraChargeSteps(charge.orderId, othersWaiting, why) : [];
    const explanation = JSON.stringify(target ? [text] : [text, notLinkedLine(charge.orderName)]);
    const opened = {
      shop,
      orderId: charge.orderId,
      orderName: charge.orderName,
      trigger: "service",
      explanation,
      plan: JSON.stringify({ steps }),
      ...(target
        ? { status: "applying", appliedAt: null }
        : { status: "needs_attention", appliedAt: deps.now() }),
    };
    await db.decision.upsert({
      where: { id: decisionId },
      create: { id: decisionId, ...opened },
      update: opened,
    });
    if (!target) {
      await db.extraCharge.update({
        where: { id: charge.id },
        data: { error: storedError(notLinkedLine(charge.orderName)) },
      });
      return;
    }
    let position = 0;
    let refused: { kind: StepKind; message: StoredWords } | null = null;
    for (const step of steps) {
      const done = await db.step.findUnique({
        where: { decisionId_key: { decisionId, key: step.key } },
        select: { status: true },
      });
      if (done?.status === "succeeded") {
        position++;
        continue;
      }
      // A lost answer throws: the job runs again and the recorded Steps are not repeated.
      const recorded = await applyAndRecord(deps, decisionId, step, position++);
      if (!recorded.ok) {
        refused = { kind: step.kind, message: recorded.message };
        break;
      }
    }
    await db.decision.update({
      where: { id: decisionId },
      data: { status: refused ? "needs_attention" : "applied", appliedAt: deps.now() },
    });
    if (refused) {
      await db.extraCharge.update({
        where: { id: charge.id },
        data: { error: storedError(stepFailedWords(refused.kind, refused.message)) },
      });
      return;
    }
  }
  // The merchant's rules decide with the charge paid: "extra charge is paid" releases the order.
  // Its own decision too, so a retry after a failure here carries that one on.
  await routeOrder(deps, {
    shop,
    orderId: charge.orderId,
    trigger: "service",
    event: text,
    jobId: decisionId,
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
  /** What went wrong: the catalogue's words (older rows: English text). */
  error: StoredWords | null;
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
    error: c.error ? readWords(c.error) : null,
    createdAt: c.createdAt.toISOString(),
    paidAt: c.paidAt?.toISOString() ?? null,
  });
  const [charges, paysFor] = await Promise.all([
    db.extraCharge.findMany({ where: { shop, orderId }, orderBy: { createdAt: "desc" }, take: 20 }),
    db.extraCharge.findFirst({ where: { shop, paidOrderId: orderId } }),
  ]);
  return { charges: charges.map(view), paysFor: paysFor ? view(paysFor) : null };
}
