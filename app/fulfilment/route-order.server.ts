// Decides and carries out what happens to one order: read it from Shopify, plan with the
// merchant's rules, apply each Step with its outcome recorded (applyAndRecord), and plan again on
// Shopify's answers (reading again only where they cannot say, ADR 012), until nothing is left.
import { hash } from "node:crypto";
import {
  DECIDED_BY_SETTINGS,
  finishedOutcome,
  gateHoldSteps,
  holdWords,
  stockWaitingOn,
  MAX_HOLDS_PER_APP,
  MAX_PLANNING_ROUNDS,
  orderAuthorizationDeadline,
  orderReadNeeds,
  readiness,
  plan as planOrder,
  STRUCTURAL_STEP_KINDS,
  plannedHoldPurpose,
  type AttentionReason,
  type OrderSnapshot,
  type Plan,
  type Rule,
  type Step,
} from "../routing";
import { engineSaid, words, type StoredWords, type Words } from "../routing/words";
import { refusalCode, stepRefused } from "../routing/refusal-advice";
import { englishTranslator } from "../i18n/i18next.server";
import { renderWords } from "../i18n/words";
import type { Prisma } from "@prisma/client";
import type { Db } from "../db/client.server";
import { upsertRowsAlong } from "../db/batch.server";
import {
  column,
  findRow,
  findRows,
  insertRow,
  queryOnPostgres,
  table,
  updateRow,
  updateRows,
  type Alongside,
  type Row,
} from "../db/rows.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { locationsTheRulesName, ShopifyAllowsAsker } from "./shopify-allows.server";
import { afterSteps, moveListsOrderFulfillmentOrders } from "../shopify/after-step";
import { catalogueOf, KEPT_COLUMNS, type KeptItem } from "../shopify/catalogue.server";
import { levelKey, type StockLevel } from "../shopify/stock.server";
import {
  customerNameOf,
  readOrder,
  type OrderRead,
  toOrderSnapshot,
  type OrderShape,
} from "../shopify/snapshot.server";
import { applyAndRecord } from "./apply-step.server";
import { stepsToApply } from "./steps-to-apply.server";
import { announceToFlow } from "./flow-triggers.server";
import { ordersWaitingBehind, recordStockWaits } from "./stock-waits.server";
import { repairDate, repairsOfOrder, ROUTE_AGAIN_CAUSE } from "./placed-by-repair.server";
import {
  CONFIG_COLUMNS,
  loadShopConfig,
  type ConfigRow,
  type ShopConfig,
} from "./shop-config.server";

export type Trigger =
  | "webhook"
  | "reconciliation"
  | "timer"
  | "merchant"
  | "bulk"
  | "repair"
  /** A fulfilment service answered (accepted, rejected, let go, failed to complete, fulfilled). */
  | "service"
  /** Stock came in where a part of the order waits for it (inventory_levels/update, ADR 088). */
  | "stock";

/** Triggers that route an order by themselves: one decision per order, however often they fire. */
const AUTOMATIC: readonly Trigger[] = ["webhook", "reconciliation"];

/** What a run reads of the decision it carries on: its head, its trace and its plan. */
const CARRIED = { id: true, status: true, cause: true, explanation: true, plan: true } as const;

/**
 * Whether the rules have begun deciding the order (a plan recorded, in effect or being applied):
 * from then on the release gate is not placed, so no gate outlives the decision beside its holds.
 */
function rulesHaveBegun(db: Db, shop: string, orderId: string) {
  return findRow(db, "Decision", {
    where: { shop, orderId, trigger: { in: AUTOMATIC }, status: { in: BEGUN } },
    select: { id: true },
  });
}

/** A decision's statuses once the rules have begun deciding its order. */
const BEGUN: readonly string[] = ["applying", "applied", "needs_attention"];

/**
 * The decision in effect for an order the rules routed by themselves, or null: the one "already
 * decided" question, asked by routing (a duplicate webhook, a retry) and by reconciliation. An
 * unfinished decision (its job gave up, say) and a merchant's command do not count.
 */
export function alreadyDecided(db: Db, shop: string, orderId: string) {
  return db.decision.findFirst({
    where: {
      shop,
      orderId,
      trigger: { in: [...AUTOMATIC] },
      status: { in: ["applied", "needs_attention"] },
    },
    select: { id: true },
  });
}

export interface RouteOrderDeps {
  db: Db;
  gateway: AdminGateway;
  now: () => Date;
  /** Aborted when the job's lease was taken by another worker: make no further change. */
  signal?: AbortSignal;
}

export interface RouteOrderInput {
  shop: string;
  orderId: string;
  trigger: Trigger;
  /** For "webhook": the topic whose delivery started it (orders/create, orders/paid…). */
  cause?: string;
  /** The order's lines and units as its webhook said: the order read asks for no more room. */
  shape?: OrderShape;
  actor?: string;
  /** What happened, first in the decision trace ("Partner Lab accepted"): Words, or older callers' text. */
  event?: StoredWords;
  /**
   * The queue job carrying a non-automatic decision out (a lab's answer, a timer): its retry
   * carries on the decision its earlier attempt left unfinished.
   */
  jobId?: string;
  /**
   * The merchant chose Route again: the rules decide the whole order again, work a repair put
   * somewhere included (the decision's cause says so, and later runs leave those repairs out).
   */
  routeAgain?: boolean;
}

/** The decision a job's attempts share: the same id on every attempt of the same job. */
export function decisionIdForJob(jobId: string): string {
  return `job${hash("sha256", jobId, "hex").slice(0, 22)}`;
}

/**
 * The one decision the rules make by themselves for an order: the same id whichever runner
 * (a webhook's job, its retry, reconciliation, a second worker that took an expired lease)
 * creates it first, so the database refuses a second instead of a check-then-create letting
 * two runners each record and apply one.
 */
export function automaticDecisionId(shop: string, orderId: string): string {
  return `auto${hash("sha256", `${shop}\u0000${orderId}`, "hex").slice(0, 22)}`;
}

export interface RouteOrderResult {
  status: "applied" | "needs_attention" | "already_decided" | "not_found";
  decisionId: string | null;
  stepsApplied: number;
  /** Why the order needs attention: Words each reader says in their language. */
  message: StoredWords | null;
  /** Plan the order again at this time (a timed hold ends). */
  replanAt: string | null;
  /**
   * The order waited for stock and waits no more, and no rule splits by stock: the shop may no
   * longer need stock news, which the caller's check finds out (ADR 103).
   */
  stockWaitEnded?: boolean;
  /**
   * What the run's last plan left needing attention, and where: a lab's rejection that no
   * fallback answered shows here as `fulfilment_request_rejected` on its fulfillment order.
   * Absent when the run ended before planning (or on a retry of a finished run).
   */
  attention?: Pick<AttentionReason, "code" | "fulfillmentOrderId">[];
}

/**
 * The payment is still pending and no rule decides such orders: the job tries again later, and
 * orders/paid brings it forward. The release gate's holds are already on by then.
 */
export class WaitingForPayment extends Error {
  constructor(orderId: string, because: string) {
    super(`${orderId}: ${because}`);
    this.name = "WaitingForPayment";
  }
}

/** A Step was refused because the order changed since it was read: read it and plan again. */
const READ_AGAIN = Symbol("read again");

/** Steps whose refusal may only mean another run got there first (the hold placed or gone). */
const HOLD_STEP_KINDS: readonly Step["kind"][] = [
  "fulfillmentOrderHold",
  "fulfillmentOrderReleaseHold",
];

/** fulfillmentOrderHold's userError when the app already has its 10 holds on the fulfillment order. */
const HOLD_LIMIT_REACHED = "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED";

/** Shopify has not created the order's fulfillment orders yet: the job tries again later. */
export class FulfillmentOrdersNotReady extends Error {
  constructor(orderId: string) {
    super(`Shopify has not created the fulfillment orders of ${orderId} yet`);
    this.name = "FulfillmentOrdersNotReady";
  }
}

export async function routeOrder(
  deps: RouteOrderDeps,
  input: RouteOrderInput,
): Promise<RouteOrderResult> {
  const { db, gateway, now } = deps;
  const { shop, orderId, trigger } = input;
  const automatic = AUTOMATIC.includes(trigger);

  /** The decision's row as a run creates it, planned with nothing said yet. */
  const newDecision = () => ({
    shop,
    orderId,
    orderName: null,
    trigger,
    cause: input.routeAgain ? ROUTE_AGAIN_CAUSE : (input.cause ?? null),
    status: "planned",
    explanation: "[]",
    plan: "{}",
    createdAt: new Date(),
    appliedAt: null,
  });
  // On PostgreSQL the order's automatic decisions, the Shop row and the decision's create come in
  // one statement (openDecision); undefined on SQLite, and for a decision of another trigger.
  const opened = automatic
    ? await openDecision(db, automaticDecisionId(shop, orderId), newDecision())
    : undefined;
  // The order's automatic decisions, finished or not, in one read: a finished one answers
  // "already decided", an unfinished one is carried on below.
  const automaticDecisions = opened
    ? opened.decisions
    : automatic
      ? await findRows(db, "Decision", {
          where: {
            shop,
            orderId,
            trigger: { in: AUTOMATIC },
            status: { in: OPEN_OR_DONE },
          },
          select: CARRIED,
        })
      : [];
  if (automatic) {
    // A duplicate webhook, a retry or reconciliation finding an order already decided: the
    // decision in effect stays the only one.
    const decided = automaticDecisions.find(
      (d) => d.status === "applied" || d.status === "needs_attention",
    );
    if (decided) {
      return {
        status: "already_decided",
        decisionId: decided.id,
        stepsApplied: 0,
        message: null,
        replanAt: null,
      };
    }
  }

  /**
   * Creates the decision under its fixed id, or, when another runner created it first, carries on
   * with theirs: the steps' own keys keep each change applied once between them.
   */
  const createDecision = async (id: string | undefined) => {
    const row = newDecision();
    // A decision without a fixed id (a merchant's command, say) gets Prisma's cuid.
    if (!id) return db.decision.create({ data: row, select: CARRIED });
    // Given in full, as Prisma's create would write it: insertRow leaves nothing to a default.
    const created = await insertRow(db, "Decision", { data: { id, ...row }, select: CARRIED });
    return created ?? db.decision.findUniqueOrThrow({ where: { id }, select: CARRIED });
  };

  const config = await loadShopConfig(db, shop, opened && { row: opened.shop });
  // Moves and merges are planned where Shopify says it takes them; asked only when a plan has one.
  const shopifyAllows = new ShopifyAllowsAsker(
    gateway,
    locationsTheRulesName(config.rules, config.profiles),
  );
  // Where the merchant's repairs put the work: the rules leave it there. Only a run after the
  // order's first decision can meet one (a repair follows a request that stood still), so the
  // order's first routing reads nothing more.
  const inForce = automatic ? [] : await repairsOfOrder(db, shop, orderId);
  // Route again hands them back to the rules: this run and every later one plan without them.
  const repairs = input.routeAgain ? [] : inForce;
  // A decision left unfinished (its job failed on the way or its worker died) is carried on by
  // the retry, never left planned or applying beside a second one: the order's automatic
  // decision, or the one this job (a lab's answer, a timer) started on an earlier attempt. Jobs
  // about the same order running side by side each keep a decision of their own.
  const ownId = input.jobId && !automatic ? decisionIdForJob(input.jobId) : undefined;
  const own = ownId
    ? await db.decision.findUnique({ where: { id: ownId }, select: CARRIED })
    : null;
  if (own && own.status !== "planned" && own.status !== "applying") {
    // This job's work was finished by an earlier attempt whose end was not recorded.
    return {
      status: own.status === "needs_attention" ? "needs_attention" : "applied",
      decisionId: own.id,
      stepsApplied: 0,
      message: null,
      replanAt: null,
    };
  }
  const carried =
    own ??
    automaticDecisions.find((d) => d.status === "planned" || d.status === "applying") ??
    opened?.created ??
    (await createDecision(ownId ?? (automatic ? automaticDecisionId(shop, orderId) : undefined)));
  // What this run reads back of its decision's row after each write: the rest it knows.
  let decision: Pick<typeof carried, "id" | "status" | "cause"> = carried;
  if (automatic && (decision.status === "applied" || decision.status === "needs_attention")) {
    // Another runner created the order's decision and finished it between our check and create.
    return {
      status: "already_decided",
      decisionId: decision.id,
      stepsApplied: 0,
      message: null,
      replanAt: null,
    };
  }

  let stepsApplied = 0;
  // The decision trace: Words (and, on rows written before, English text) in the order they came.
  const explanations: StoredWords[] = JSON.parse(carried.explanation) as StoredWords[];
  const said = new Set(explanations.map((e) => JSON.stringify(e)));
  const tell = (e: StoredWords, first = false) => {
    const key = JSON.stringify(e);
    if (said.has(key)) return;
    said.add(key);
    if (first) explanations.unshift(e);
    else explanations.push(e);
  };
  if (input.event) tell(input.event, true);
  if (input.routeAgain)
    for (const repair of inForce)
      tell(
        engineSaid("explain.repairHandedBack", {
          date: repairDate(repair.repairedAt),
          location: repair.toName,
        }),
      );
  let lastPlan: Plan | null = null;
  /**
   * The trace and the plan as the decision's row holds them: an update leaves out what it would
   * write again unchanged (a few KB an order, written and sent back by each of its updates).
   */
  const stored = { explanation: carried.explanation, plan: carried.plan };
  const changed = (plan?: Plan | null): { explanation?: string; plan?: string } => {
    const data: { explanation?: string; plan?: string } = {};
    const explanation = JSON.stringify(explanations);
    if (explanation !== stored.explanation) data.explanation = stored.explanation = explanation;
    const text = plan === undefined ? stored.plan : JSON.stringify(plan ?? {});
    if (text !== stored.plan) data.plan = stored.plan = text;
    return data;
  };
  const HEAD = { id: true, status: true, cause: true } as const;
  // What started the decision, as the trace says it: an order placed with its payment only
  // authorized is told apart, and one that waited for its payment was started by the payment.
  let cause = decision.cause;

  const finish = async (
    status: "applied" | "needs_attention",
    message: StoredWords | null,
    /** The order's name, when no earlier write of this run recorded it. */
    orderName?: string,
    /** The review queue's rows of the order, written with the decision's end (recordsAlong). */
    records?: Alongside,
  ): Promise<RouteOrderResult> => {
    // Through tell: the plan's attention lines are in the trace already, and each shows once.
    if (message && status === "needs_attention") tell(message);
    decision = await updateRow(
      db,
      "Decision",
      {
        where: { id: decision.id },
        data: {
          ...(orderName !== undefined ? { orderName } : {}),
          status,
          appliedAt: now(),
          ...changed(lastPlan),
          ...(cause !== decision.cause ? { cause } : {}),
        },
        select: HEAD,
      },
      records,
    );
    return {
      status,
      decisionId: decision.id,
      stepsApplied,
      message,
      replanAt: lastPlan?.replanAt ?? null,
      ...(stockWaitEnded ? { stockWaitEnded } : {}),
      attention: lastPlan?.needsAttention.map(({ code, fulfillmentOrderId }) => ({
        code,
        fulfillmentOrderId,
      })),
    };
  };

  /**
   * The steps of a plan made on `on` this decision has not yet applied (a retry skips what
   * succeeded; a hold this decision released since is placed again: stepsToApply, ADR 036).
   */
  const unapplied = (steps: readonly Step[], on: OrderSnapshot): Promise<Step[]> =>
    stepsToApply(db, decision.id, steps, on);

  // The fulfillment orders this run moved, and where from: the next round's trace says the move
  // was this decision's (PlanOptions.movedByThisDecision).
  const movedByThisDecision: Record<string, { locationId: string; name: string }> = {};
  const noteMove = (
    planned: OrderSnapshot,
    step: Extract<Step, { kind: "fulfillmentOrderMove" }>,
    outcome: Record<string, unknown>,
  ) => {
    const from = planned.fulfillmentOrders.find((fo) => fo.id === step.input.id);
    if (!from) return;
    // A move of some lines puts them on a new fulfillment order; the whole keeps its id.
    const moved = (outcome.movedFulfillmentOrder as { id?: unknown } | null | undefined)?.id;
    movedByThisDecision[typeof moved === "string" ? moved : step.input.id] = {
      ...from.assignedLocation,
    };
  };

  // Hold and release Steps Shopify refused once in this run because the order had changed since
  // it was read (the hold already there, the hold already gone).
  const refusedOnce = new Set<string>();
  // The order as read again after a refusal or a cancellation: the next round plans on it.
  let readAfterRefusal: OrderSnapshot | null = null;
  let cancelNoticed = false;
  /** Shopify said the order was cancelled: its orders/cancelled webhook is in the inbox. */
  const cancelledOnShopify = async () =>
    (await db.webhookDelivery.count({
      where: { shop, topic: "orders/cancelled", subjectId: orderId },
    })) > 0;
  /**
   * Records and applies steps in order, collecting Shopify's answers into `applied`; answers the
   * finished result when Shopify refuses one, or READ_AGAIN when the order changed since it was
   * read: cancelled on Shopify (nothing more is held, requested or captured on it), or another
   * run of the same order (a job retried while it still ran) placed or released that hold, where
   * ending the decision would leave the release gate on.
   */
  const apply = async (
    fresh: readonly Step[],
    applied: { step: Step; outcome: Record<string, unknown> }[],
    planned: OrderSnapshot,
  ): Promise<RouteOrderResult | typeof READ_AGAIN | null> => {
    let position = await db.step.count({ where: { decisionId: decision.id } });
    for (const step of fresh) {
      if (!cancelNoticed && (await cancelledOnShopify())) {
        cancelNoticed = true;
        return READ_AGAIN;
      }
      // A move of some lines to where the order has another fulfillment order lists the order's
      // fulfillment orders in its answer, so the next round plans on it (ADR 030).
      const orderFulfillmentOrders = moveListsOrderFulfillmentOrders(
        step.kind === "fulfillmentOrderMove" ? afterSteps(planned, applied) : null,
        step,
      );
      const recorded = await applyAndRecord(deps, decision.id, step, position++, {
        orderFulfillmentOrders,
        orderLines: planned.lineItems.length,
      });
      if (recorded.ok) {
        stepsApplied++;
        applied.push({ step, outcome: recorded.outcome });
        if (step.kind === "fulfillmentOrderMove") noteMove(planned, step, recorded.outcome);
        await announceReviewHold(deps, shop, step);
        continue;
      }
      if (recorded.error.codes.includes(HOLD_LIMIT_REACHED)) {
        // Shopify's limit of holds per app on one fulfillment order: reading again changes
        // nothing. What to do, as fulfillmentOrderHold's description says: release one of them.
        const full = words("settled.holdLimitReached", {
          step: step.summary,
          max: MAX_HOLDS_PER_APP,
          shopify: recorded.message,
        });
        await markNeedsAttention(db, shop, step, full);
        return finish("needs_attention", full);
      }
      // A refusal may be Shopify's word that the order changed since it was read: see it as it is.
      const current = await read();
      const cancelled = !!current?.order.cancelledAt;
      if (cancelled || (HOLD_STEP_KINDS.includes(step.kind) && !refusedOnce.has(step.key))) {
        refusedOnce.add(step.key);
        // Not the merchant's concern: the next plan, on the order as it is, says what is left.
        await db.step.updateMany({
          where: { decisionId: decision.id, key: step.key },
          data: { status: "skipped" },
        });
        readAfterRefusal = current;
        return READ_AGAIN;
      }
      // Shopify refused for a reason in the shop's data: retrying will not help; the merchant
      // sees the order in "needs attention" with Shopify's words.
      // The refusal keeps its code (Shopify's, or what the read shows), which chooses the advice.
      const code = refusalCode(step, recorded.error.codes, current);
      await markNeedsAttention(db, shop, step, stepRefused(step.summary, recorded.message, code));
      return finish(
        "needs_attention",
        engineSaid("route.stepFailed", { step: step.summary, shopify: recorded.message }),
      );
    }
    return null;
  };

  let settledChecked = false;
  let gateReadAgain = false;
  let routingCompleteAnswered = false;
  // What the answer said when it came with the order's read (its catalogue), for its round.
  let answeredOnRead: { begun: boolean; approvals: string[] } | null = null;
  // The order as Shopify has it after the last Steps, known from their answers (ADR 012): the
  // next round plans on it without reading the order again. Null: read it.
  let known: OrderSnapshot | null = null;
  let customerName: string | null = null;
  const locationIds = locationsNamed(config);
  // Only the parts of the order the rules' conditions look at (each costs points on every read).
  const needs = orderReadNeeds(config.rules);
  // What waits for stock is kept for shops whose rules split by it, and rewritten by the run stock
  // arriving started even when they no longer do, so a rule taken away leaves nothing waiting.
  const keepsStockWaits = needs.stock || trigger === "stock";
  // Each order line's inventory item, from the router's reads: what a stock hold waits for.
  const itemsOfLines = new Map<string, string>();
  // The order's wait ended under rules that split nothing by stock (a rule removed while it
  // waited): its subscription may be the shop's last reason to hear of stock (ADR 103).
  let stockWaitEnded = false;
  const keepStockWaits = async (on: OrderSnapshot) => {
    const { waitEnded } = await recordStockWaits(db, shop, on, itemsOfLines);
    if (waitEnded && !needs.stock) stockWaitEnded = true;
  };
  // A stock hold's note says how many wait, in the catalogue's English (ADR 088).
  const writeNote = needs.stock ? noteInEnglish(await englishTranslator()) : undefined;
  // Other orders waiting behind this one where it is short of stock, as the last read found them:
  // readStock gives it their units (first placed, first shipped), and the trace says so (ADR 096).
  let behind: Map<string, { units: number; orders: number }> = new Map();
  const waitingBehind = keepsStockWaits
    ? async (placedAt: string, levels: StockLevel[]) => {
        behind = await ordersWaitingBehind(
          db,
          shop,
          { orderId, placedAt: new Date(placedAt) },
          levels,
        );
        return new Map([...behind].map(([key, b]) => [key, b.units]));
      }
    : undefined;
  const read = async (): Promise<OrderSnapshot | null> => {
    behind = new Map();
    // The shop's locations from an earlier read of this worker, unless this order or the rules
    // name one it has not seen.
    const data = await readOrder(gateway, orderId, {
      reuseLocations: true,
      locationIds,
      needs,
      linesOnFulfillmentOrders: true,
      shape: input.shape,
      waitingBehind,
      // The lines' products and options from the catalogue the router keeps (ADR 026); on the
      // run's first read, in the statement that answers the order's deliveries (ADR 064).
      catalogue: (ids, fulfillmentOrderIds) =>
        catalogueOf(
          { db, gateway },
          ids,
          automatic && !routingCompleteAnswered
            ? async (itemIds, since) => {
                // A write: not by a run whose job another worker took over (ADR 042).
                deps.signal?.throwIfAborted();
                const answer = await answerRoutingCompleteWithCatalogue(
                  db,
                  shop,
                  orderId,
                  fulfillmentOrderIds,
                  now(),
                  itemIds,
                  since,
                );
                if (!answer) return undefined;
                routingCompleteAnswered = true;
                answeredOnRead = answer;
                return answer.kept;
              }
            : undefined,
        ),
    });
    customerName = customerNameOf(data);
    if (keepsStockWaits) noteItemsOfLines(data, itemsOfLines);
    const snapshot = toOrderSnapshot(data);
    if (snapshot) for (const said of firstInLine(snapshot, itemsOfLines, behind)) tell(said);
    return snapshot;
  };
  // The order's approvals, read once a round: the gate's check and the plan of one round see the
  // same (they were two reads a statement apart).
  let approvalsRead: { round: number; ids: Promise<string[]> } | null = null;
  const approvalsOf = (round: number): Promise<string[]> => {
    if (approvalsRead?.round !== round) {
      const ids = findRows(db, "Approval", {
        where: { shop, orderId },
        select: { fulfillmentOrderId: true },
      }).then((rows) => rows.map((a) => a.fulfillmentOrderId));
      approvalsRead = { round, ids };
    }
    return approvalsRead.ids;
  };
  /** The round's plan on `snapshot`: its approvals, the repairs in force, and what Shopify allows. */
  const planRound = async (snapshot: OrderSnapshot, round: number) => {
    const approvals = await approvalsOf(round);
    return shopifyAllows.plan(snapshot, (shopify) =>
      planOrder(snapshot, config.rules, config.settings, config.profiles, {
        now: now(),
        approvals,
        repairs,
        writeNote,
        shopify,
        movedByThisDecision,
      }),
    );
  };
  /**
   * Whether the rules' plan on this read takes the gate's place on every fulfillment order the
   * gate would hold, so the gate would only be placed to come off again:
   * - it holds each of them and changes no fulfillment order's id (no split, merge, move or
   *   cancel): its holds are this round's first changes, placed where the gate's would be (ADR
   *   024);
   * - or it splits, merges, moves or cancels each of them (a line the Studio makes that Shopify
   *   sent to a lab): Shopify changes only a fulfillment order nothing holds, so the gate would be
   *   released before the change (ADR 028) and leaves the lab's part unheld until the next round
   *   all the same; the change is this round's first instead, 20 points less.
   */
  const rulesDecideOnThisRead = async (
    snapshot: OrderSnapshot,
    gated: readonly Step[],
    round: number,
  ) => {
    const planned = await planRound(snapshot, round);
    const structural = planned.steps.filter((step) => STRUCTURAL_STEP_KINDS.includes(step.kind));
    const kinds = structural.length > 0 ? STRUCTURAL_STEP_KINDS : ["fulfillmentOrderHold"];
    const taken = new Set(
      planned.steps
        .filter((step) => kinds.includes(step.kind))
        .map((step) => step.fulfillmentOrderId),
    );
    return gated.every((step) => taken.has(step.fulfillmentOrderId));
  };
  for (let round = 1; round <= MAX_PLANNING_ROUNDS; round++) {
    const snapshot = known ?? readAfterRefusal ?? (await read());
    known = null;
    readAfterRefusal = null;
    // A run whose job another worker took over (it stalled past its lease, say during this read)
    // writes nothing more: the other run may have applied and recorded the order since, and this
    // read is older than that, so its plan's rows would say what Shopify no longer shows until
    // the order's next webhook (ADR 042).
    deps.signal?.throwIfAborted();
    if (!snapshot) {
      const gone = engineSaid("route.noOrder", { order: orderId });
      await finish("needs_attention", gone);
      return {
        status: "not_found",
        decisionId: decision.id,
        stepsApplied,
        message: gone,
        replanAt: null,
      };
    }
    if (snapshot.fulfillmentOrders.length === 0 && !snapshot.order.cancelledAt) {
      throw new FulfillmentOrdersNotReady(orderId);
    }
    // Whether the rules have begun, when this round's first statement answered it.
    let begun: boolean | null = null;
    if (automatic && !routingCompleteAnswered) {
      routingCompleteAnswered = true;
      answeredOnRead = await answerRoutingComplete(db, shop, orderId, snapshot, now());
    }
    if (answeredOnRead) {
      begun = answeredOnRead.begun;
      approvalsRead = { round, ids: Promise.resolve(answeredOnRead.approvals) };
      answeredOnRead = null;
    }
    if (automatic && !settledChecked && !snapshot.order.cancelledAt) {
      // Nothing reaches a lab before the rules decide: the gate goes on first, even while the
      // payment is pending; the plan read after it releases it. Once the rules have begun (this
      // run is a retry, or another run of the order got further), the gate stays off. When the
      // rules decide on this very read to hold each lab's work, their holds go on where the
      // gate's would: the gate is not placed only to be released a moment later (ADR 024); nor
      // when they split or move each lab's work, which Shopify does only unheld (ADR 028).
      const ready = readiness(snapshot, config.rules);
      const gated =
        config.releaseGate === false || (begun ?? !!(await rulesHaveBegun(db, shop, orderId)))
          ? []
          : gateHoldSteps(snapshot);
      const wanted =
        gated.length > 0 && ready.ready && (await rulesDecideOnThisRead(snapshot, gated, round))
          ? []
          : gated;
      const gate = await unapplied(wanted, snapshot);
      if (gate.length < wanted.length && !gateReadAgain) {
        // This decision placed a gate the read does not show: the read is older than the hold.
        gateReadAgain = true;
        continue;
      }
      if (gate.length > 0) {
        const applied: { step: Step; outcome: Record<string, unknown> }[] = [];
        const refused = await apply(gate, applied, snapshot);
        if (refused === READ_AGAIN) continue;
        if (refused) return refused;
        known = afterSteps(snapshot, applied);
        continue;
      }
      if (!ready.ready) {
        tell(ready.because);
        decision = await updateRow(db, "Decision", {
          where: { id: decision.id },
          data: {
            orderName: snapshot.order.name,
            status: "planned",
            ...changed(),
            ...(cause ? { cause: "orders/paid" } : {}),
          },
          select: HEAD,
        });
        // The log and the queue read one language: the catalogue's English.
        throw new WaitingForPayment(orderId, renderWords(await englishTranslator(), ready.because));
      }
      settledChecked = true;
      if (cause === "orders/create" && snapshot.order.displayFinancialStatus === "AUTHORIZED")
        cause = "orders/create:authorized";
    }
    const plan = await planRound(snapshot, round);
    lastPlan = plan;
    for (const e of plan.explanation) tell(e.text);
    for (const a of plan.needsAttention) tell(a.message);
    if (plan.steps.length === 0) {
      // Nothing to apply (most orders: Shopify's own routing already sent them where the rules
      // want them): the decision is written once, finished, with its plan. "applying" says steps
      // are on their way; a run that stops before this write leaves the decision as it was, which
      // the retry carries on as it carries on an applying one (ADR 058). The review queue's rows
      // are written by the same statement on PostgreSQL (ADR 064).
      const rows = await fulfillmentOrderRows(db, shop, snapshot, plan, customerName, config.rules);
      if (keepsStockWaits) await keepStockWaits(snapshot);
      const attention = plan.needsAttention.map((a) => a.message);
      return finish(
        attention.length ? "needs_attention" : "applied",
        attention[0] ?? null,
        snapshot.order.name,
        recordsAlong(db, shop, snapshot, rows),
      );
    }
    decision = await updateRow(db, "Decision", {
      where: { id: decision.id },
      data: { orderName: snapshot.order.name, status: "applying", ...changed(plan) },
      select: HEAD,
    });
    await recordFulfillmentOrders(db, shop, snapshot, plan, customerName, config.rules);

    const fresh = await unapplied(plan.steps, snapshot);
    if (fresh.length === 0) {
      const attention = plan.needsAttention.map((a) => a.message);
      return finish(attention.length ? "needs_attention" : "applied", attention[0] ?? null);
    }
    const applied: { step: Step; outcome: Record<string, unknown> }[] = [];
    const refused = await apply(fresh, applied, snapshot);
    if (refused === READ_AGAIN) continue;
    if (refused) return refused;
    const after = afterSteps(snapshot, applied);
    if (!plan.replanAfterApply) {
      // The review queue shows the order after the last changes: as Shopify's answers describe
      // it, or, when they cannot (a merge, a cancel), as one more read finds it.
      const afterSnapshot = after ?? (await read());
      deps.signal?.throwIfAborted();
      let records: Alongside | undefined;
      if (afterSnapshot) {
        const settled = planOrder(afterSnapshot, config.rules, config.settings, config.profiles, {
          now: now(),
          // The round's approvals as planRound read them (approvalsOf keeps one read a round).
          approvals: await approvalsOf(round),
          repairs,
          writeNote,
          // The round's answers, asked of nothing more: a move Shopify refused this round shows
          // as refused on the rows, not as work about to move (ADR 099).
          shopify: shopifyAllows.answers,
        });
        const rows = await fulfillmentOrderRows(
          db,
          shop,
          afterSnapshot,
          settled,
          customerName,
          config.rules,
        );
        records = recordsAlong(db, shop, afterSnapshot, rows);
        if (keepsStockWaits) await keepStockWaits(afterSnapshot);
      }
      const attention = plan.needsAttention.map((a) => a.message);
      return finish(
        attention.length ? "needs_attention" : "applied",
        attention[0] ?? null,
        undefined,
        records,
      );
    }
    known = after;
  }
  return finish(
    "needs_attention",
    engineSaid("route.didNotSettle", { count: MAX_PLANNING_ROUNDS }),
  );
}

/** Writes Words in the catalogue's English: the notes Shopify keeps (PlanOptions.writeNote). */
function noteInEnglish(english: Awaited<ReturnType<typeof englishTranslator>>) {
  return (said: Words) => renderWords(english, said);
}

/**
 * What the trace says where other orders wait behind this one for stock it is short of: scarce
 * stock goes to the order placed first (ADR 096), so a merchant who sees this one ship and another
 * still wait reads why. Once per item and location.
 */
function firstInLine(
  snapshot: OrderSnapshot,
  itemsOfLines: ReadonlyMap<string, string>,
  behind: ReadonlyMap<string, { orders: number }>,
): Words[] {
  if (behind.size === 0) return [];
  const said: Words[] = [];
  const told = new Set<string>();
  for (const fo of snapshot.fulfillmentOrders)
    for (const line of fo.lineItems) {
      const inventoryItemId = itemsOfLines.get(line.lineItemId);
      if (!inventoryItemId) continue;
      const key = levelKey({ inventoryItemId, locationId: fo.assignedLocation.locationId });
      const waiting = behind.get(key);
      if (!waiting || told.has(key)) continue;
      told.add(key);
      const item = snapshot.lineItems.find((l) => l.id === line.lineItemId)?.title ?? "";
      said.push(
        engineSaid("explain.stockFirstInLine", {
          item,
          location: fo.assignedLocation.name,
          count: waiting.orders,
        }),
      );
    }
  return said;
}

/** Each order line's inventory item, as the router's read names them on fulfillment order lines. */
function noteItemsOfLines(data: OrderRead, into: Map<string, string>): void {
  for (const fo of data.order?.fulfillmentOrders.nodes ?? [])
    for (const line of fo.lineItems.nodes) {
      const item = (line as { inventoryItemId?: string | null }).inventoryItemId;
      if (item) into.set(line.lineItem.id, item);
    }
}

/** A decision as a run carries it on (CARRIED). */
type Carried = Pick<Row<"Decision">, keyof typeof CARRIED>;

/** What the route job's first statement answers on PostgreSQL (openDecision). */
export interface Opened {
  /** The order's automatic decisions, finished or not (statuses OPEN_OR_DONE). */
  decisions: Carried[];
  /** The decision this statement created under its fixed id, when none of those was there. */
  created: Carried | null;
  /** The Shop row as loadShopConfig reads it; null when the shop has none. */
  shop: ConfigRow | null;
}

/** The statuses of the automatic decisions a run looks for: carried on, or already decided. */
const OPEN_OR_DONE: readonly string[] = ["planned", "applying", "applied", "needs_attention"];

const CARRIED_COLUMNS = Object.keys(CARRIED) as (keyof typeof CARRIED)[];
const CONFIG_COLUMN_NAMES = Object.keys(CONFIG_COLUMNS) as (keyof typeof CONFIG_COLUMNS)[];

/**
 * One text for every order, built once: the driver adapter names a prepared statement by its
 * text (a map lookup that hashes a new string on every call). $1 shop, $2 order, $3 triggers,
 * $4 statuses, then the new decision's id, trigger, cause and createdAt.
 */
const OPEN_DECISION_SQL = (() => {
  const d = (name: keyof Row<"Decision"> & string) => column("Decision", name);
  const s = (name: keyof Row<"Shop"> & string) => column("Shop", name);
  const carried = CARRIED_COLUMNS.map(d).join(", ");
  return `WITH found AS (SELECT ${carried} FROM ${table("Decision")}
       WHERE ${d("shop")} = $1 AND ${d("orderId")} = $2 AND ${d("trigger")} = ANY($3) AND ${d("status")} = ANY($4)),
     created AS (INSERT INTO ${table("Decision")} (${d("id")}, ${d("shop")}, ${d("orderId")}, ${d("orderName")}, ${d("trigger")}, ${d("cause")}, ${d("status")}, ${d("explanation")}, ${d("plan")}, ${d("createdAt")}, ${d("appliedAt")})
       SELECT $5::text, $1::text, $2::text, NULL, $6::text, $7::text, $8::text, $9::text, $10::text, $11::timestamp(3), NULL
       WHERE NOT EXISTS (SELECT 1 FROM found)
       ON CONFLICT DO NOTHING RETURNING ${carried})
   SELECT decision.*, ${CONFIG_COLUMN_NAMES.map((c) => `shop.${s(c)}`).join(", ")}
   FROM (SELECT 1) AS one
     LEFT JOIN (SELECT ${CONFIG_COLUMN_NAMES.map(s).join(", ")} FROM ${table("Shop")} WHERE ${s("shop")} = $1) AS shop ON true
     LEFT JOIN (SELECT false AS "created", * FROM found UNION ALL SELECT true, * FROM created) AS decision ON true`;
})();

/**
 * The route job's first three questions in one statement on PostgreSQL (ADR 060): the order's
 * automatic decisions, the Shop row its config is made of, and, when no such decision is there,
 * the decision's create under its fixed id (INSERT … ON CONFLICT DO NOTHING, as insertRow). Each
 * was a statement of its own, a round trip apart; a run that stops after this one leaves the
 * decision planned, as one that stopped after its create did. Undefined on SQLite, where they are
 * asked one by one.
 */
export async function openDecision(
  db: Db,
  id: string,
  row: Omit<Row<"Decision">, "id">,
): Promise<Opened | undefined> {
  const rows = await queryOnPostgres<
    Partial<Carried> & { created: boolean | null } & { [K in keyof ConfigRow]: ConfigRow[K] | null }
  >(db, OPEN_DECISION_SQL, [
    row.shop,
    row.orderId,
    AUTOMATIC,
    OPEN_OR_DONE,
    id,
    row.trigger,
    row.cause,
    row.status,
    row.explanation,
    row.plan,
    row.createdAt,
  ]);
  if (!rows) return undefined;
  const opened: Opened = { decisions: [], created: null, shop: null };
  for (const r of rows) {
    if (r.installedAt !== null && !opened.shop)
      opened.shop = Object.fromEntries(CONFIG_COLUMN_NAMES.map((c) => [c, r[c]])) as ConfigRow;
    if (r.id == null) continue;
    const decision = Object.fromEntries(CARRIED_COLUMNS.map((c) => [c, r[c]])) as Carried;
    if (r.created) opened.created = decision;
    else opened.decisions.push(decision);
  }
  return opened;
}

/**
 * The order's order_routing_complete deliveries still waiting in the inbox, which names only a
 * fulfillment order: the inbox leaves one whose fulfillment order the app has not recorded to the
 * order's route job rather than ask Shopify which order it is (waitsForItsOrder, worker.server.ts).
 * This job, routing the order, is their answer.
 * On PostgreSQL the same statement answers what the run asks next, as rulesHaveBegun and the
 * round's approvals read would (three statements an order were one, ADR 046); null on SQLite,
 * where those are asked as they are needed. Exported for its query plan's test.
 */
export async function answerRoutingComplete(
  db: Db,
  shop: string,
  orderId: string,
  snapshot: { fulfillmentOrders: readonly { id: string }[] },
  at: Date,
): Promise<{ begun: boolean; approvals: string[] } | null> {
  const fulfillmentOrderIds = snapshot.fulfillmentOrders.map((fo) => fo.id);
  const answered = await queryOnPostgres<{ begun: boolean; approvals: string[] }>(
    db,
    ANSWER_SQL,
    answerValues(shop, orderId, fulfillmentOrderIds, at),
  );
  if (answered) return answered[0]!;
  const where = {
    shop,
    topic: ROUTING_COMPLETE,
    subjectId: { in: fulfillmentOrderIds },
    status: "received",
  };
  await updateRows(db, "WebhookDelivery", {
    where,
    data: { status: "processed", processedAt: at, error: null },
  });
  return null;
}

/**
 * answerRoutingComplete with the catalogue's kept items of the order (those of `inventoryItemIds`
 * read after `since`, as catalogueOf reads them) in the same statement, sent from within the
 * order's read, where both are known (ADR 064): one statement where two were. Undefined on SQLite,
 * without a statement: the order's read reads its catalogue, and the run answers afterwards.
 */
export async function answerRoutingCompleteWithCatalogue(
  db: Db,
  shop: string,
  orderId: string,
  fulfillmentOrderIds: readonly string[],
  at: Date,
  inventoryItemIds: readonly string[],
  since: Date,
): Promise<{ begun: boolean; approvals: string[]; kept: KeptItem[] } | undefined> {
  const rows = await queryOnPostgres<
    { begun: boolean; approvals: string[] } & { [K in keyof KeptItem]: KeptItem[K] | null }
  >(db, ANSWER_WITH_CATALOGUE_SQL, [
    ...answerValues(shop, orderId, fulfillmentOrderIds, at),
    [...inventoryItemIds],
    since,
  ]);
  if (!rows) return undefined;
  const { begun, approvals } = rows[0]!;
  const kept = rows.flatMap((r) =>
    r.inventoryItemId === null
      ? []
      : [Object.fromEntries(KEPT_COLUMN_NAMES.map((c) => [c, r[c]])) as KeptItem],
  );
  return { begun, approvals, kept };
}

const ROUTING_COMPLETE = "fulfillment_orders/order_routing_complete";

/** The answer's values: $1–$3 the deliveries' new status, $4–$7 which, $8–$10 the questions'. */
function answerValues(
  shop: string,
  orderId: string,
  fulfillmentOrderIds: readonly string[],
  at: Date,
): unknown[] {
  return [
    "processed",
    at,
    null,
    shop,
    ROUTING_COMPLETE,
    [...fulfillmentOrderIds],
    "received",
    orderId,
    AUTOMATIC,
    BEGUN,
  ];
}

const KEPT_COLUMN_NAMES = Object.keys(KEPT_COLUMNS) as (keyof typeof KEPT_COLUMNS)[];

/**
 * The answer's statement, its text built once (ADR 060): with the catalogue's kept items ($11 the
 * inventory items, $12 read after), one row each (one row of nulls when none is kept), or without.
 */
const [ANSWER_SQL, ANSWER_WITH_CATALOGUE_SQL] = (() => {
  const w = (name: keyof Row<"WebhookDelivery"> & string) => column("WebhookDelivery", name);
  const d = (name: keyof Row<"Decision"> & string) => column("Decision", name);
  const a = (name: keyof Row<"Approval"> & string) => column("Approval", name);
  const c = (name: keyof Row<"CatalogueItem"> & string) => column("CatalogueItem", name);
  // The deliveries are found by their subject's index; their status is only checked (IS NOT
  // DISTINCT FROM, equality for a column that is never null, which no index serves). With
  // `status = $7` the planner took the index of waiting deliveries by status, whose statistics
  // say few are waiting, and walked every waiting delivery of the shop or of all shops, as many
  // as a flash sale's backlog (docs/decisions/050).
  const answered = `answered AS (UPDATE ${table("WebhookDelivery")} SET ${w("status")} = $1, ${w("processedAt")} = $2, ${w("error")} = $3
       WHERE ${w("shop")} = $4 AND ${w("topic")} = $5 AND ${w("subjectId")} = ANY($6) AND ${w("status")} IS NOT DISTINCT FROM $7 RETURNING 1)`;
  const questions = `(SELECT count(*) FROM answered) AS answered,
       EXISTS (SELECT 1 FROM ${table("Decision")} WHERE ${d("shop")} = $4 AND ${d("orderId")} = $8
         AND ${d("trigger")} = ANY($9) AND ${d("status")} = ANY($10)) AS begun,
       ARRAY(SELECT ${a("fulfillmentOrderId")} FROM ${table("Approval")} WHERE ${a("shop")} = $4 AND ${a("orderId")} = $8) AS approvals`;
  const kept = `kept AS (SELECT ${KEPT_COLUMN_NAMES.map(c).join(", ")} FROM ${table("CatalogueItem")}
       WHERE ${c("shop")} = $4 AND ${c("inventoryItemId")} = ANY($11) AND ${c("readAt")} > $12)`;
  return [
    `WITH ${answered} SELECT ${questions}`,
    `WITH ${answered}, ${kept} SELECT ${questions}, kept.* FROM (SELECT 1) AS one LEFT JOIN kept ON true`,
  ];
})();

/** Locations the rules and capability profiles send work to: the order read must know them. */
function locationsNamed(config: ShopConfig): string[] {
  const ids = new Set(config.profiles.map((profile) => profile.locationId));
  for (const rule of config.rules) {
    for (const action of rule.actions) {
      if (action.type === "move") ids.add(action.locationId);
      const fallback = action.type === "submit_fulfilment_request" ? action.onRejected : undefined;
      if (fallback && fallback.then !== "needs_attention") ids.add(fallback.locationId);
    }
  }
  return [...ids];
}

/**
 * A review hold just placed is Flow's "Fulfillment order needs review". Once per hold: a retried
 * job skips Steps that already succeeded, so it does not announce again.
 */
async function announceReviewHold(deps: RouteOrderDeps, shop: string, step: Step) {
  if (step.kind !== "fulfillmentOrderHold" || !step.fulfillmentOrderId) return;
  const hold = (step.input as { fulfillmentHold?: { handle?: string; reasonNotes?: string } })
    .fulfillmentHold;
  if (plannedHoldPurpose({ handle: hold?.handle ?? null, heldByRequestingApp: true }) !== "review")
    return;
  const result = await announceToFlow(deps, {
    shop,
    orderId: step.orderId,
    fulfillmentOrderId: step.fulfillmentOrderId,
    kind: "needs_review",
    // Flow reads one language: the catalogue's English.
    reason: hold?.reasonNotes || renderWords(await englishTranslator(), step.why.text),
  });
  if (!result.sent && !result.unused) console.warn(`[flow] ${step.orderId}: ${result.message}`);
}

async function markNeedsAttention(db: Db, shop: string, step: Step, reason: StoredWords) {
  // A refused order-level Step (a capture, tags, a note) is the whole order's concern: every
  // fulfillment order's row shows it, so the queue and Home find the order.
  await db.fulfillmentOrderRecord.updateMany({
    where: step.fulfillmentOrderId
      ? { shop, fulfillmentOrderId: step.fulfillmentOrderId }
      : { shop, orderId: step.orderId },
    // Stored as Words, said in the language of whoever opens the queue (readWords).
    data: { outcome: "needs_attention", reason: JSON.stringify(reason) },
  });
}

/** Writes the review queue's read model of an order (fulfillmentOrderRows). */
export async function recordFulfillmentOrders(...args: Parameters<typeof fulfillmentOrderRows>) {
  const [db, shop, snapshot] = args;
  await recordsAlong(db, shop, snapshot, await fulfillmentOrderRows(...args)).separately();
}

/**
 * The review queue's rows of an order as the writes its decision's finishing update carries: on
 * PostgreSQL one statement writes both (ADR 064), so a finished decision never stands without the
 * rows it decided, nor the rows without it.
 */
function recordsAlong(db: Db, shop: string, snapshot: OrderSnapshot, rows: RecordRow[]) {
  // The order's rows as it now stands, and none of fulfillment orders it no longer has (split,
  // merged, moved away): one statement instead of a Prisma call per row (ADR 037).
  return upsertRowsAlong(db, "FulfillmentOrderRecord", rows, {
    key: ["shop", "fulfillmentOrderId"],
    replacing: { shop, orderId: snapshot.order.id },
  });
}

type RecordRow = Omit<Prisma.FulfillmentOrderRecordUncheckedCreateInput, "id">;

/**
 * The review queue's read model of an order: one row per fulfillment order as it now stands. The
 * rows of `keep` keep the outcome and reason they have (a refusal that still stands, ADR 040).
 */
async function fulfillmentOrderRows(
  db: Db,
  shop: string,
  snapshot: OrderSnapshot,
  plan: Plan,
  customerName: string | null,
  rules: readonly Rule[],
  keep: ReadonlySet<string> = new Set(),
): Promise<RecordRow[]> {
  const o = snapshot.order;
  const kept = new Map(
    keep.size === 0
      ? []
      : (
          await db.fulfillmentOrderRecord.findMany({
            where: { shop, fulfillmentOrderId: { in: [...keep] } },
            select: { fulfillmentOrderId: true, outcome: true, reason: true },
          })
        ).map((row) => [row.fulfillmentOrderId, row]),
  );
  // The payment deadline is the order's, kept on each of its rows so Home, the queue's filter and
  // the authorization check find it with one indexed range read (ADR 021). Only the moment is
  // stored; the time left is counted when it is shown.
  const deadline = orderAuthorizationDeadline(o, 0);
  const authorization = {
    authorizationLapsesAt: deadline ? new Date(deadline.expiresAt) : null,
    authorizationEstimated: deadline?.estimated ?? false,
  };
  return snapshot.fulfillmentOrders.map((fo) => {
    const decided = plan.fulfillmentOrders.find((d) => d.fulfillmentOrderId === fo.id);
    // What concerns the whole order (a lapsed authorization) shows on each of its rows.
    const attention =
      plan.needsAttention.find((a) => a.fulfillmentOrderId === fo.id) ??
      plan.needsAttention.find((a) => a.fulfillmentOrderId === null);
    const inReview = fo.holds.some((h) => plannedHoldPurpose(h) === "review");
    let outcome: string =
      decided?.outcome ?? (fo.status === "CLOSED" ? finishedOutcome(fo, o) : "waiting_for_you");
    if (outcome === "held" && inReview) outcome = "in_review";
    // Work still on a cancelled fulfillment order is not finished: it shows as needing attention.
    if (fo.status === "CANCELLED" && !attention) outcome = "cancelled";
    if (attention && (!decided || attention.fulfillmentOrderId === null))
      outcome = "needs_attention";
    const hold = fo.holds[0];
    // Stored as Words, said in the language of whoever opens the queue (readWords).
    const said =
      attention?.message ??
      (hold ? holdWords(hold, rules, stockWaitingOn(fo, snapshot.lineItems)) : null);
    const reason = said ? JSON.stringify(said) : null;
    const lineIds = new Set(fo.lineItems.map((l) => l.lineItemId));
    const skus = snapshot.lineItems
      .filter((l) => lineIds.has(l.id))
      .map((l) => l.sku ?? "")
      .filter(Boolean)
      .join(" ");
    const ruleName =
      decided?.matchedRuleIds
        .map((id) => rules.find((r) => r.id === id)?.name ?? "")
        .filter(Boolean)
        .join(", ") || null;
    return {
      shop,
      fulfillmentOrderId: fo.id,
      orderId: o.id,
      orderName: o.name,
      customerName,
      status: fo.status,
      requestStatus: fo.requestStatus,
      outcome: kept.get(fo.id)?.outcome ?? outcome,
      reason: kept.has(fo.id) ? kept.get(fo.id)!.reason : reason,
      holdReason: hold?.reason ?? null,
      ruleName: decided?.usedDefault && !ruleName ? DECIDED_BY_SETTINGS : ruleName,
      locationName: fo.assignedLocation.name,
      provider: fo.fulfillmentService?.name ?? null,
      riskLevel: o.riskLevel,
      skus,
      tags: o.tags.join(" "),
      orderCreatedAt: new Date(o.createdAt),
      ...authorization,
      updatedAt: new Date(),
    } satisfies RecordRow;
  });
}
