// Cancelling a whole order for the merchant: read Shopify's state, take back what the app holds,
// refuse while a lab keeps accepted work, then orderCancel — all through the one executor.
import { z } from "zod";
import {
  CANCEL_REFUND_CHOICES,
  cancelOrderBlock,
  deleteChargeSteps,
  ORDER_CANCEL_REASONS,
  planCancel,
  type CancelBlock,
  type CancelRequest,
  type Step,
  type StepWhy,
} from "../routing";
import { engineSaid, merchantDid, said } from "../routing/words";
import { readOrder, toOrderSnapshot } from "../shopify/snapshot.server";
import {
  applyMerchantSteps,
  decisionToResume,
  refreshReadModel,
  type CommandContext,
  type CommandResult,
} from "./commands.server";
import { routeOrder, type RouteOrderDeps } from "./route-order.server";
import { cancelCheckFacts, readCancelCheck } from "./cancel-check.server";

/** The cancel form as the order screen posts it; field errors name the form's fields. */
export const cancelFormSchema = z.object({
  reason: z.enum(ORDER_CANCEL_REASONS),
  refund: z.enum(CANCEL_REFUND_CHOICES),
  restock: z.enum(["on", "off"]).default("off"),
  notifyCustomer: z.enum(["on", "off"]).default("off"),
  staffNote: z.string().trim().max(255).default(""),
});

/** Field errors are the names of the fields; the route words them from the catalogue. */
export type CancelFieldErrors = Partial<Record<keyof z.infer<typeof cancelFormSchema>, true>>;

export function parseCancelForm(
  form: FormData,
): { ok: true; value: CancelRequest } | { ok: false; errors: CancelFieldErrors } {
  const raw = Object.fromEntries(
    ["reason", "refund", "restock", "notifyCustomer", "staffNote"]
      .map((k) => [k, form.get(k)] as const)
      .filter(([, v]) => typeof v === "string" && v !== ""),
  );
  const parsed = cancelFormSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: CancelFieldErrors = {};
    for (const issue of parsed.error.issues)
      errors[issue.path[0] as keyof CancelFieldErrors] = true;
    return { ok: false, errors };
  }
  const v = parsed.data;
  return {
    ok: true,
    value: {
      reason: v.reason,
      refund: v.refund,
      restock: v.restock === "on",
      notifyCustomer: v.notifyCustomer === "on",
      staffNote: v.staffNote || null,
    },
  };
}

export interface CancelResult extends CommandResult {
  /** Cancelled on Shopify (false while the job still runs, or when refused). */
  cancelled: boolean;
  /**
   * Shopify did not answer the orderCancel, which may have been made all the same: the decision
   * Try again resumes (retryCancelOrder). Absent when Shopify answered.
   */
  retry?: string;
  /**
   * Try again found the order not canceled yet while the lost orderCancel's job may still be
   * running: nothing was sent; checking again later is the way on (ADR 104).
   */
  stillRunning?: boolean;
  /** What Shopify would refuse, known from the order: nothing was taken back or sent. */
  blocked?: CancelBlock;
}

/**
 * Cancels the order, or refuses with the reason and what the app did about it. Asking a lab to
 * give accepted work back is recorded as a decision of its own; nothing is half-cancelled: when
 * Shopify refuses after the app took its holds and requests back, the rules route the order again.
 */
export async function cancelOrder(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  request: CancelRequest,
): Promise<CancelResult> {
  const [order, check] = await Promise.all([
    readOrder(deps.gateway, orderId),
    readCancelCheck(deps.gateway, orderId),
  ]);
  const snapshot = toOrderSnapshot(order);
  const facts = snapshot && cancelCheckFacts(check, snapshot);
  if (!snapshot || !facts)
    return { ok: false, cancelled: false, message: said("commands.noSuchOrder"), orderId };
  // What Shopify would refuse is said before any hold or request is taken back (ADR 095); a
  // return opened after this read still meets Shopify's refusal, and the rules route it again.
  const blocked = snapshot.order.cancelledAt ? null : cancelOrderBlock(facts, request);
  if (blocked)
    return {
      ok: false,
      cancelled: false,
      blocked,
      message: said(`cancel.blocked.${blocked.code}`, blocked),
      orderId,
    };
  const why: StepWhy = {
    source: "approval",
    ruleId: null,
    ruleName: null,
    text: merchantDid("orderCanceled", context.actor),
  };
  // Charges whose invoice can still be paid: deleted once the order is canceled.
  const openCharges = await openChargesOf(deps, context.shop, orderId);
  const plan = planCancel(
    snapshot,
    request,
    why,
    openCharges.map((c) => ({ draftOrderId: c.draftOrderId!, draftOrderName: c.draftOrderName })),
  );
  if (plan.kind === "done") return { ok: true, cancelled: true, message: plan.reason, orderId };
  if (plan.kind === "refused") {
    const reason = plan.reason;
    if (plan.steps.length > 0) {
      const asked = await applyMerchantSteps(
        deps,
        context.shop,
        orderId,
        snapshot.order.name,
        plan.steps,
      );
      if (!asked.ok)
        return {
          ok: false,
          cancelled: false,
          message: said("cancel.refusedThen", { reason, then: asked.message }),
          orderId,
        };
    }
    return { ok: false, cancelled: false, message: reason, orderId };
  }
  const result = await applyMerchantSteps(
    deps,
    context.shop,
    orderId,
    snapshot.order.name,
    plan.steps,
  );
  if (!result.ok) {
    const applied = result.outcomes.length;
    // Shopify did not answer the orderCancel, which may have been made all the same: said so, with
    // the decision Try again resumes (ADR 097); never "not canceled", which may be untrue.
    const lost = result.answered ? null : result.decisionId;
    if (applied === 0)
      return lost
        ? { ok: false, cancelled: false, message: said("cancel.lost"), retry: lost, orderId }
        : { ok: false, cancelled: false, message: result.message, orderId };
    // Holds released or requests withdrawn before Shopify refused the orderCancel (an active
    // return, restock at a deactivated location…): the order would sit uncanceled with nothing
    // holding or sending it, so the rules decide it again; the merchant is told both.
    const again = await routeOrder(deps, {
      shop: context.shop,
      orderId,
      trigger: "merchant",
      actor: context.actor ?? undefined,
      event: engineSaid("why.cancelRefused"),
    });
    if (lost)
      return {
        ok: false,
        cancelled: false,
        message:
          again.stepsApplied > 0
            ? said("cancel.lostRoutedAgain", { lost: said("cancel.lost") })
            : said("cancel.lost"),
        retry: lost,
        orderId,
      };
    const message =
      again.stepsApplied > 0
        ? said("cancel.refusedRoutedAgain", { failure: result.message })
        : said("cancel.failedAfter", { failure: result.message, count: applied });
    return { ok: false, cancelled: false, message, orderId };
  }
  const last = result.outcomes[result.outcomes.length - 1] as { jobDone?: boolean } | undefined;
  if (last?.jobDone === false)
    return {
      ok: true,
      cancelled: false,
      message: said("cancel.inProgress", { order: snapshot.order.name }),
      orderId,
    };
  return chargesOfCanceled(
    deps,
    context,
    orderId,
    snapshot.order.name,
    openCharges,
    plan.afterCancel,
  );
}

/**
 * The order is canceled: an extra charge's invoice must no longer take the customer's money, so
 * its open drafts are deleted (`afterCancel`, one Step for each of `openCharges`).
 */
async function chargesOfCanceled(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  orderName: string,
  openCharges: readonly OpenCharge[],
  afterCancel: Step[],
): Promise<CancelResult> {
  const canceled = said("cancel.canceled", { order: orderName });
  if (afterCancel.length === 0) return { ok: true, cancelled: true, message: canceled, orderId };
  const deleted = await applyMerchantSteps(deps, context.shop, orderId, orderName, afterCancel);
  const gone = openCharges.slice(0, deleted.outcomes.length).map((c) => c.id);
  await deps.db.extraCharge.updateMany({
    where: { id: { in: gone }, status: { in: [...OPEN_CHARGE_STATUSES] } },
    data: { status: "canceled" },
  });
  if (deleted.ok) return { ok: true, cancelled: true, message: canceled, orderId };
  const left = openCharges[deleted.outcomes.length]!;
  return {
    ok: false,
    cancelled: true,
    message: said("cancel.chargeLeft", {
      order: orderName,
      draft: left.draftOrderName ?? "",
      failure: deleted.message,
    }),
    orderId,
  };
}

interface OpenCharge {
  id: string;
  draftOrderId: string | null;
  draftOrderName: string | null;
}

/** The order's charges whose invoice can still be paid: deleted once the order is canceled. */
function openChargesOf(deps: RouteOrderDeps, shop: string, orderId: string): Promise<OpenCharge[]> {
  return deps.db.extraCharge.findMany({
    where: {
      shop,
      orderId,
      status: { in: [...OPEN_CHARGE_STATUSES] },
      draftOrderId: { not: null },
    },
    select: { id: true, draftOrderId: true, draftOrderName: true },
  });
}

/**
 * "Try again" after Shopify did not answer a "Cancel order": resumes that decision rather than
 * cancelling anew. orderCancel takes no idempotency key, so one that landed is read back from the
 * order (canceled on Shopify) and recorded, not sent again; one that did not land is sent again
 * under the decision's Step, with the Steps that went through first skipped. Either way the
 * order's open extra charges are deleted once it is canceled, as after any cancel. Only this
 * shop's and order's merchant decision that still needs attention and holds an orderCancel is
 * resumed; anything else is `nothingToRetry`.
 */
export async function retryCancelOrder(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  decisionId: string,
): Promise<CancelResult> {
  const decision = await decisionToResume(deps.db, context, orderId, decisionId, "orderCancel");
  if (!decision)
    return { ok: false, cancelled: false, message: said("cancel.nothingToRetry"), orderId };
  const { steps, step: cancel } = decision;
  const snapshot = toOrderSnapshot(await readOrder(deps.gateway, orderId));
  if (!snapshot)
    return { ok: false, cancelled: false, message: said("commands.noSuchOrder"), orderId };
  const name = snapshot.order.name;
  if (!snapshot.order.cancelledAt && (await cancelMayBeRunning(deps, decision.id, cancel.key)))
    // Sent again now, Shopify would queue a second cancel (and its refund) beside the first, a
    // case its docs do not cover: the merchant checks again instead, the decision left to resume.
    return {
      ok: false,
      cancelled: false,
      message: said("cancel.stillRunning", { order: name }),
      retry: decision.id,
      stillRunning: true,
      orderId,
    };
  if (snapshot.order.cancelledAt) {
    // The lost orderCancel landed: Shopify canceled the order (and refunded and restocked as it
    // was asked); sent again it would only be refused as already canceled.
    await deps.db.step.update({
      where: { decisionId_key: { decisionId: decision.id, key: cancel.key } },
      data: {
        status: "succeeded",
        outcome: JSON.stringify({ cancelledAt: snapshot.order.cancelledAt, readBack: true }),
        error: null,
        finishedAt: deps.now(),
      },
    });
    await deps.db.decision.update({
      where: { id: decision.id },
      data: { status: "applied", appliedAt: deps.now() },
    });
    await refreshReadModel(deps, context.shop, orderId);
  } else {
    const result = await applyMerchantSteps(deps, context.shop, orderId, name, steps, {
      resume: decision.id,
    });
    if (!result.ok)
      return result.answered
        ? { ok: false, cancelled: false, message: result.message, orderId }
        : {
            ok: false,
            cancelled: false,
            message: said("cancel.lost"),
            retry: result.decisionId,
            orderId,
          };
    const last = result.outcomes[result.outcomes.length - 1] as { jobDone?: boolean } | undefined;
    if (last?.jobDone === false)
      return {
        ok: true,
        cancelled: false,
        message: said("cancel.inProgress", { order: name }),
        orderId,
      };
  }
  const openCharges = await openChargesOf(deps, context.shop, orderId);
  return chargesOfCanceled(
    deps,
    context,
    orderId,
    name,
    openCharges,
    deleteChargeSteps(
      orderId,
      openCharges.map((c) => ({ draftOrderId: c.draftOrderId!, draftOrderName: c.draftOrderName })),
      cancel.why,
    ),
  );
}

/**
 * How long after a lost orderCancel its job may still be running on Shopify. Shopify cancels in a
 * job ("The job that asynchronously cancels the order") and its answer, the job's id, was lost, so
 * the job cannot be read; its jobs take seconds, minutes under load. Past this, an order still not
 * canceled means the lost request did not land (or its job failed), and it is sent again.
 */
export const CANCEL_JOB_GRACE_MS = 5 * 60_000;

/**
 * Whether the decision's orderCancel reached Shopify (sent, its answer lost) so recently that its
 * job may not have run yet. Not when it was never sent (an earlier Step's answer was lost).
 */
async function cancelMayBeRunning(
  deps: RouteOrderDeps,
  decisionId: string,
  key: string,
): Promise<boolean> {
  const [step, decision] = await Promise.all([
    deps.db.step.findUnique({
      where: { decisionId_key: { decisionId, key } },
      select: { attempts: true, status: true },
    }),
    deps.db.decision.findUnique({ where: { id: decisionId }, select: { appliedAt: true } }),
  ]);
  if (!step || step.attempts === 0 || step.status === "succeeded") return false;
  const lostAt = decision?.appliedAt;
  return !!lostAt && deps.now().getTime() - lostAt.getTime() < CANCEL_JOB_GRACE_MS;
}

/** An extra charge whose draft is open: created, or its invoice sent and not yet paid. */
const OPEN_CHARGE_STATUSES = ["creating", "invoice_sent"] as const;
