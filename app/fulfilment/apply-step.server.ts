// The one place a Step becomes a change on Shopify: each Step kind is one Admin API mutation,
// its input the mutation's variables, its userErrors a typed failure.
import type { Step, StepKind } from "../routing";
import { said, type StoredWords, type Words } from "../routing/words";
import type { Db } from "../db/client.server";
import { pushable } from "../jobs/push-signal";
import type { AdminGateway } from "../shopify/gateway.server";
import { changedLinesFor } from "../shopify/after-step";
import { requireNoUserErrors, ShopifyUserErrors, type UserError } from "../shopify/errors";
import { logEvent } from "../utils/log.server";
import {
  DRAFT_ORDER_COMPLETE_MUTATION,
  DRAFT_ORDER_CREATE_MUTATION,
  DRAFT_ORDER_DELETE_MUTATION,
  DRAFT_ORDER_INVOICE_SEND_MUTATION,
  FULFILLMENT_CREATE_MUTATION,
  FULFILLMENT_ORDER_CANCEL_MUTATION,
  FULFILLMENT_ORDER_HOLD_MUTATION,
  FULFILLMENT_ORDER_MERGE_MUTATION,
  FULFILLMENT_ORDER_MOVE_MUTATION,
  FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION,
  FULFILLMENT_ORDER_SPLIT_MUTATION,
  FULFILLMENT_ORDER_SUBMIT_CANCELLATION_REQUEST_MUTATION,
  FULFILLMENT_ORDER_SUBMIT_FULFILLMENT_REQUEST_MUTATION,
  ORDER_CANCEL_JOB_QUERY,
  ORDER_CANCEL_MUTATION,
  ORDER_CAPTURE_MUTATION,
  ORDER_CLOSE_MUTATION,
  ORDER_NOTE_UPDATE_MUTATION,
  REFUND_CREATE_MUTATION,
  TAGS_ADD_MUTATION,
  TAGS_REMOVE_MUTATION,
  WEBHOOK_SUBSCRIPTION_CREATE_MUTATION,
  WEBHOOK_SUBSCRIPTION_DELETE_MUTATION,
} from "../shopify/operations";

/**
 * The mutation document and the payload field each Step kind calls. `idempotent`: the document
 * takes `$key` for Shopify's `@idempotent` directive, and gets the Step's key (ADR 078).
 */
const MUTATIONS: Record<
  StepKind,
  { document: string; field: string; errors?: string; idempotent?: true }
> = {
  fulfillmentOrderHold: {
    document: FULFILLMENT_ORDER_HOLD_MUTATION,
    field: "fulfillmentOrderHold",
  },
  fulfillmentOrderReleaseHold: {
    document: FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION,
    field: "fulfillmentOrderReleaseHold",
  },
  fulfillmentOrderSplit: {
    document: FULFILLMENT_ORDER_SPLIT_MUTATION,
    field: "fulfillmentOrderSplit",
  },
  fulfillmentOrderMerge: {
    document: FULFILLMENT_ORDER_MERGE_MUTATION,
    field: "fulfillmentOrderMerge",
  },
  fulfillmentOrderMove: {
    document: FULFILLMENT_ORDER_MOVE_MUTATION,
    field: "fulfillmentOrderMove",
  },
  fulfillmentOrderSubmitFulfillmentRequest: {
    document: FULFILLMENT_ORDER_SUBMIT_FULFILLMENT_REQUEST_MUTATION,
    field: "fulfillmentOrderSubmitFulfillmentRequest",
  },
  fulfillmentCreate: { document: FULFILLMENT_CREATE_MUTATION, field: "fulfillmentCreate" },
  fulfillmentOrderCancel: {
    document: FULFILLMENT_ORDER_CANCEL_MUTATION,
    field: "fulfillmentOrderCancel",
  },
  fulfillmentOrderSubmitCancellationRequest: {
    document: FULFILLMENT_ORDER_SUBMIT_CANCELLATION_REQUEST_MUTATION,
    field: "fulfillmentOrderSubmitCancellationRequest",
  },
  orderCapture: { document: ORDER_CAPTURE_MUTATION, field: "orderCapture" },
  tagsAdd: { document: TAGS_ADD_MUTATION, field: "tagsAdd" },
  orderUpdate: { document: ORDER_NOTE_UPDATE_MUTATION, field: "orderUpdate" },
  orderClose: { document: ORDER_CLOSE_MUTATION, field: "orderClose" },
  orderCancel: {
    document: ORDER_CANCEL_MUTATION,
    field: "orderCancel",
    errors: "orderCancelUserErrors",
  },
  draftOrderCreate: { document: DRAFT_ORDER_CREATE_MUTATION, field: "draftOrderCreate" },
  draftOrderComplete: { document: DRAFT_ORDER_COMPLETE_MUTATION, field: "draftOrderComplete" },
  refundCreate: { document: REFUND_CREATE_MUTATION, field: "refundCreate", idempotent: true },
  draftOrderInvoiceSend: {
    document: DRAFT_ORDER_INVOICE_SEND_MUTATION,
    field: "draftOrderInvoiceSend",
  },
  tagsRemove: { document: TAGS_REMOVE_MUTATION, field: "tagsRemove" },
  draftOrderDelete: { document: DRAFT_ORDER_DELETE_MUTATION, field: "draftOrderDelete" },
  webhookSubscriptionCreate: {
    document: WEBHOOK_SUBSCRIPTION_CREATE_MUTATION,
    field: "webhookSubscriptionCreate",
  },
  webhookSubscriptionDelete: {
    document: WEBHOOK_SUBSCRIPTION_DELETE_MUTATION,
    field: "webhookSubscriptionDelete",
  },
};

/** Step kinds whose answer returns the fulfillment orders they left, lines included. */
const RETURN_CHANGED: readonly StepKind[] = ["fulfillmentOrderSplit", "fulfillmentOrderMove"];

/**
 * The variables of a Step whose answer returns the fulfillment orders it left: how many lines of
 * each, for a move of some lines the original in full (the lines left behind stay on it), and,
 * when the caller knows another fulfillment order of the order is at the destination, every
 * fulfillment order of the order by id and status (`orderFulfillmentOrders` of them).
 */
function returningChanged(
  step: Step,
  input: Record<string, unknown>,
  orderFulfillmentOrders: number,
  orderLines: number | undefined,
): Record<string, unknown> {
  const variables = { ...input, fulfillmentOrderLines: changedLinesFor(orderLines) };
  if (step.kind !== "fulfillmentOrderMove") return variables;
  const lines = step.input.fulfillmentOrderLineItems;
  const partial = !!lines && lines.length > 0;
  return {
    ...variables,
    withOriginalLines: partial,
    ...(partial && orderFulfillmentOrders > 0
      ? { withOrderFulfillmentOrders: true, orderFulfillmentOrders }
      : {}),
  };
}

/** How long to wait for an asynchronous mutation's job: Shopify gives no time, these are ours. */
const JOB_POLL_DELAYS_MS = [25, 50, 100, 200, 400, 800, 1600];

interface JobPayload {
  job: { id: string; done: boolean } | null;
  jobResult: { id: string } | null;
}

interface JobAnswer {
  job: { id: string; done: boolean } | null;
  node: { status?: string; errors?: UserError[] } | null;
}

/** A refusal Shopify gave no words for (a job failed without errors): said in the app's words. */
class UnsaidRefusal extends ShopifyUserErrors {
  constructor(
    mutation: string,
    readonly words: Words,
  ) {
    super(mutation, []);
  }
}

/**
 * Waits for orderCancel's job. A failed job is a refusal like a userError; a job still queued
 * after the wait is returned as not done, for the caller to say so (the order is read again later).
 */
async function awaitJob(
  gateway: AdminGateway,
  kind: StepKind,
  payload: JobPayload,
  sleep: (ms: number) => Promise<void>,
): Promise<{ done: boolean }> {
  if (!payload.job || payload.job.done || !payload.jobResult)
    return { done: payload.job?.done ?? true };
  for (const delay of JOB_POLL_DELAYS_MS) {
    await sleep(delay);
    const answer = await gateway.request<JobAnswer>(ORDER_CANCEL_JOB_QUERY, {
      jobId: payload.job.id,
      resultId: payload.jobResult.id,
    });
    if (!answer.job?.done) continue;
    if (answer.node?.status === "FAILED")
      throw answer.node.errors?.length
        ? new ShopifyUserErrors(kind, answer.node.errors)
        : new UnsaidRefusal(kind, said("cancel.unfinished"));
    return { done: true };
  }
  return { done: false };
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a caller that plans on the answers asks of them beyond the Step itself. */
export interface AnswerWants {
  /**
   * A move of some lines: list this many of the order's fulfillment orders by id and status
   * (moveListsOrderFulfillmentOrders); 0 or absent: not asked.
   */
  orderFulfillmentOrders?: number;
  /**
   * How many lines the order has, as the plan read it: a split or move asks that many of each
   * fulfillment order's lines back, one more (changedLinesFor), not the full page; absent: the
   * full page.
   */
  orderLines?: number;
}

/** Applies one Step; returns Shopify's payload (new ids live there) or throws a typed error. */
export async function applyStep(
  gateway: AdminGateway,
  step: Step,
  wants: AnswerWants = {},
): Promise<Record<string, unknown>> {
  const { document, field, errors, idempotent } = MUTATIONS[step.kind];
  const input = step.input as unknown as Record<string, unknown>;
  const variables = RETURN_CHANGED.includes(step.kind)
    ? returningChanged(step, input, wants.orderFulfillmentOrders ?? 0, wants.orderLines)
    : input;
  // The key is the Step's own: the same change sent again is the same request to Shopify, which
  // answers it with what the first did (a refund is not given twice).
  const data = await gateway.request<Record<string, Record<string, unknown> | null>>(
    document,
    idempotent ? { ...variables, key: step.key } : variables,
  );
  const raw = data[field];
  // Some payloads name their errors after the mutation (orderCancelUserErrors).
  const payload = raw && errors ? { ...raw, userErrors: raw[errors] as UserError[] } : raw;
  const checked = requireNoUserErrors(
    step.kind,
    payload as { userErrors: UserError[] } | null,
  ) as unknown as Record<string, unknown>;
  if (step.kind === "orderCancel") {
    const job = await awaitJob(gateway, step.kind, checked as unknown as JobPayload, wait);
    return { ...checked, jobDone: job.done };
  }
  return checked;
}

export interface ApplyAndRecordDeps {
  db: Db;
  gateway: AdminGateway;
  now: () => Date;
  /** Aborted when the job's lease was taken by another worker: make no further change. */
  signal?: AbortSignal;
}

export type Recorded =
  | { ok: true; outcome: Record<string, unknown> }
  /** Shopify refused for a reason in the shop's data: retrying will not help. */
  | { ok: false; message: StoredWords; error: ShopifyUserErrors };

/**
 * Shopify's words for a refusal, joined (the app's Words when Shopify gave none); any other
 * error's message.
 */
export function refusalWords(error: unknown): StoredWords {
  if (error instanceof UnsaidRefusal) return error.words;
  return error instanceof ShopifyUserErrors
    ? error.userErrors.map((e) => e.message).join("; ")
    : error instanceof Error
      ? error.message
      : String(error);
}

/**
 * Records a Step of a decision under its key, applies it through applyStep, records the outcome.
 * The one path for the rules, the merchant's commands and repairs. A refusal is answered; any
 * other failure (throttling, 5xx, a timeout, an aborted lease) leaves the Step pending and is
 * thrown, so the job runs again and a Step that succeeded is not repeated.
 */
export async function applyAndRecord(
  deps: ApplyAndRecordDeps,
  decisionId: string,
  step: Step,
  position: number,
  wants: AnswerWants = {},
): Promise<Recorded> {
  const { db, gateway, now } = deps;
  const row = await db.step.upsert({
    where: { decisionId_key: { decisionId, key: step.key } },
    create: {
      decisionId,
      key: step.key,
      position,
      kind: step.kind,
      fulfillmentOrderId: step.fulfillmentOrderId,
      input: JSON.stringify({ input: step.input, summary: step.summary, why: step.why }),
    },
    update: {},
  });
  try {
    // Another worker holds the order now (this one stalled past its lease): it decides.
    deps.signal?.throwIfAborted();
    const outcome = await applyStep(gateway, step, wants);
    await db.step.update({
      where: { id: row.id },
      data: {
        status: "succeeded",
        outcome: JSON.stringify(outcome),
        attempts: { increment: 1 },
        finishedAt: now(),
        error: null,
      },
    });
    return { ok: true, outcome };
  } catch (error) {
    const refused = error instanceof ShopifyUserErrors;
    const message = refusalWords(error);
    if (refused) {
      // Every refusal, whoever asked (rules, the merchant, a bulk action, a repair), on one log
      // line with the order it is about: the decision's, since a fulfillment order's Steps do not
      // name their order.
      const decision = await db.decision
        .findUnique({ where: { id: decisionId }, select: { shop: true, orderId: true } })
        .catch(() => null);
      logEvent("warn", "shopify.refused", {
        shop: decision?.shop ?? gateway.shop,
        orderId: decision?.orderId ?? null,
        fulfillmentOrderId: step.fulfillmentOrderId,
        step: step.kind,
        userErrors: error.userErrors,
      });
    }
    await db.step.update({
      where: { id: row.id },
      data: {
        status: refused ? "failed" : "pending",
        error: typeof message === "string" ? message : JSON.stringify(message),
        attempts: { increment: 1 },
      },
    });
    if (refused) return { ok: false, message, error };
    throw error;
  }
}

/**
 * A decision a merchant waits for (a remake, an extra charge): recorded as applying with its first
 * Steps, then its Steps applied in turn at the next positions. A refusal is answered with
 * Shopify's words, and so is no answer (no job repeats this decision, so the Step is failed and
 * `answered` is false: the change may have been made all the same).
 */
export async function merchantDecision(
  deps: ApplyAndRecordDeps,
  opened: { shop: string; orderId: string; orderName: string; why: StoredWords; steps: Step[] },
) {
  const { db } = deps;
  const decision = await db.decision.create({
    data: {
      shop: opened.shop,
      orderId: opened.orderId,
      orderName: opened.orderName,
      trigger: "merchant",
      status: "applying",
      explanation: JSON.stringify([opened.why]),
      plan: JSON.stringify({ steps: opened.steps }),
    },
  });
  return decisionHandle(deps, decision.id, opened.shop, 0);
}

/**
 * "Try again" on a merchant's decision whose answer was lost: the same decision applying again,
 * its next Steps after those recorded, so a Step sent again goes under its recorded key.
 */
export async function resumeMerchantDecision(
  deps: ApplyAndRecordDeps,
  resumed: { shop: string; decisionId: string },
) {
  const { db } = deps;
  await db.decision.update({ where: { id: resumed.decisionId }, data: { status: "applying" } });
  const recorded = await db.step.count({ where: { decisionId: resumed.decisionId } });
  return decisionHandle(deps, resumed.decisionId, resumed.shop, recorded);
}

export type MerchantDecision = ReturnType<typeof decisionHandle>;

function decisionHandle(
  deps: ApplyAndRecordDeps,
  decisionId: string,
  shop: string,
  firstPosition: number,
) {
  const { db } = deps;
  const decision = { id: decisionId };
  let position = firstPosition;
  return {
    id: decision.id,
    async apply(
      step: Step,
    ): Promise<
      | { ok: true; outcome: Record<string, unknown> }
      | { ok: false; message: StoredWords; answered: boolean }
    > {
      try {
        const recorded = await applyAndRecord(deps, decision.id, step, position++);
        if (recorded.ok) return { ok: true, outcome: recorded.outcome };
        return { ok: false, message: recorded.message, answered: true };
      } catch (error) {
        await db.step.update({
          where: { decisionId_key: { decisionId: decision.id, key: step.key } },
          data: { status: "failed" },
        });
        return { ok: false, message: refusalWords(error), answered: false };
      }
    },
    /**
     * A Step whose answer was lost and which a read of Shopify shows done (the draft is there,
     * the draft is completed): recorded as succeeded with what was read, not applied again.
     */
    async readBack(step: Step, outcome: Record<string, unknown>): Promise<void> {
      await db.step.update({
        where: { decisionId_key: { decisionId: decision.id, key: step.key } },
        data: {
          status: "succeeded",
          outcome: JSON.stringify({ ...outcome, readBack: true }),
          error: null,
          finishedAt: deps.now(),
        },
      });
    },
    /** A line for the decision's explanation: what the app chose not to do, and why. */
    async explain(line: StoredWords): Promise<void> {
      const row = await db.decision.findUniqueOrThrow({
        where: { id: decision.id },
        select: { explanation: true },
      });
      const lines = JSON.parse(row.explanation) as StoredWords[];
      await db.decision.update({
        where: { id: decision.id },
        data: { explanation: JSON.stringify([...lines, line]) },
      });
    },
    async finish(status: "applied" | "needs_attention"): Promise<void> {
      await db.decision.update({
        where: { id: decision.id },
        data: { status, appliedAt: deps.now() },
      });
      // Mostly in a web process: the push sweep, in a worker, is told.
      pushable(shop);
    },
  };
}
