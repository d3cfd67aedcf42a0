// What the merchant can do from the screens — approve, hold, release, fulfil, capture, archive —
// each turned into Steps and applied through the same executor as the rules' own Steps.
import {
  MANUAL_HOLD_HANDLE_PREFIX,
  makeStep,
  orderReadNeeds,
  plan as planOrder,
  READ_EVERYTHING,
  type FulfillmentHoldReason,
  type OrderSnapshot,
  type Step,
  type StepWhy,
} from "../routing";
import {
  engineSaid,
  merchantDid,
  moneyWords,
  said,
  shopifyRefused,
  statusWords,
  words,
  type StoredWords,
  type Words,
} from "../routing/words";
import type { Db } from "../db/client.server";
import { customerNameOf, readOrder, toOrderSnapshot } from "../shopify/snapshot.server";
import type { UserError } from "../shopify/errors";
import { pushable } from "../jobs/push-signal";
import { LeaseLost } from "../jobs/queue";
import { applyAndRecord, refusalWords } from "./apply-step.server";
import { recordFulfillmentOrders, routeOrder, type RouteOrderDeps } from "./route-order.server";
import { loadShopConfig } from "./shop-config.server";
import { repairsOfOrder } from "./placed-by-repair.server";
import { locationsTheRulesName, ShopifyAllowsAsker } from "./shopify-allows.server";

export type MerchantCommand =
  /** Lift review and rule holds, then send on as the rules say (fulfil, or request the lab). */
  | { action: "approve"; fulfillmentOrderId: string }
  | { action: "hold"; fulfillmentOrderId: string; reason: FulfillmentHoldReason; note: string }
  /** Release every hold this app placed, the merchant's own included. */
  | { action: "release"; fulfillmentOrderId: string }
  | { action: "fulfil"; fulfillmentOrderId: string; notifyCustomer: boolean }
  /** Decide the order again with the rules as they are now (Flow's "Route order again", the admin extensions). */
  | { action: "reroute"; orderId: string }
  | { action: "capture"; orderId: string }
  | { action: "archive"; orderId: string };

export type CommandAction = MerchantCommand["action"];

export interface CommandResult {
  ok: boolean;
  /** What happened, in words the merchant can act on; the screen puts them in its language. */
  message: Words;
  orderId: string | null;
}

export interface CommandContext {
  shop: string;
  /** The staff member, for the decision log. */
  actor: string | null;
}

/** Finds the order a fulfillment order belongs to, from the read model or Shopify. */
async function orderOfFulfillmentOrder(
  deps: RouteOrderDeps,
  shop: string,
  fulfillmentOrderId: string,
): Promise<string | null> {
  const record = await deps.db.fulfillmentOrderRecord.findUnique({
    where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId } },
    select: { orderId: true },
  });
  return record?.orderId ?? null;
}

/** What the merchant did (`held`, `released`…), naming who when the admin says. */
function why(actor: string | null, did: string): StepWhy {
  return { source: "approval", ruleId: null, ruleName: null, text: merchantDid(did, actor) };
}

/** Why a command has no Steps: done already (a repeated click succeeds), or not possible now. */
interface NoSteps {
  done: boolean;
  message: Words;
}

/** The Steps a manual command needs, read off Shopify's current state: nothing when done already. */
function stepsFor(
  command: MerchantCommand,
  snapshot: OrderSnapshot,
  actor: string | null,
): Step[] | NoSteps {
  const o = snapshot.order;
  if (command.action === "capture") {
    if (o.capturableTransactions.length === 0)
      return { done: true, message: said("commands.nothingToCapture") };
    return o.capturableTransactions.map((t) =>
      makeStep(
        "orderCapture",
        o.id,
        null,
        {
          input: {
            id: o.id,
            parentTransactionId: t.id,
            amount: t.amount.amount,
            currency: t.amount.currencyCode,
          },
        },
        engineSaid("step.capture", { money: moneyWords(t.amount.amount, t.amount.currencyCode) }),
        why(actor, "captured"),
      ),
    );
  }
  if (command.action === "archive") {
    if (o.closed) return { done: true, message: said("commands.alreadyArchived") };
    return [
      makeStep(
        "orderClose",
        o.id,
        null,
        { input: { id: o.id } },
        engineSaid("step.archive"),
        why(actor, "archived"),
      ),
    ];
  }
  // Routing again is routeOrder's, not a Step of its own (runCommand handles it before this).
  if (command.action === "reroute") return [];
  const fo = snapshot.fulfillmentOrders.find((f) => f.id === command.fulfillmentOrderId);
  if (!fo) return { done: false, message: said("commands.fulfillmentOrderGone") };
  if (command.action === "hold") {
    if (!fo.supportedActions.includes("HOLD"))
      return {
        done: false,
        message: said("commands.holdNotAllowed", { status: statusWords(fo.status) }),
      };
    const handle = `${MANUAL_HOLD_HANDLE_PREFIX}-${command.reason.toLowerCase().replace(/_/g, "-")}`;
    // One app's holds on one fulfillment order each need their own handle: Shopify refuses a second
    // hold for the same reason (DUPLICATE_FULFILLMENT_HOLD_HANDLE). It is held for it already, which
    // is what was asked; a bulk hold over orders some of which are held counts them as done.
    if (fo.holds.some((h) => h.heldByRequestingApp !== false && h.handle === handle))
      return {
        done: true,
        message: said("commands.alreadyHeld", { reason: words(`holdReason.${command.reason}`) }),
      };
    return [
      makeStep(
        "fulfillmentOrderHold",
        o.id,
        fo.id,
        {
          id: fo.id,
          fulfillmentHold: {
            reason: command.reason,
            reasonNotes: command.note,
            handle,
            notifyMerchant: false,
          },
        },
        engineSaid("step.merchantHold", { reason: words(`holdReason.${command.reason}`) }),
        why(actor, "held"),
      ),
    ];
  }
  if (command.action === "release") {
    const ours = fo.holds.filter(
      (h) => h.heldByRequestingApp !== false && h.handle?.startsWith("fr-"),
    );
    if (ours.length === 0) return { done: true, message: said("commands.holdsNothing") };
    return [
      makeStep(
        "fulfillmentOrderReleaseHold",
        o.id,
        fo.id,
        { id: fo.id, holdIds: ours.map((h) => h.id) },
        engineSaid("step.releaseOurs", { count: ours.length }),
        why(actor, "released"),
      ),
    ];
  }
  if (command.action === "fulfil") {
    const lines = fo.lineItems.filter((l) => l.remainingQuantity > 0);
    if (lines.length === 0) return { done: true, message: said("commands.allFulfilled") };
    if (!fo.supportedActions.includes("CREATE_FULFILLMENT")) {
      return {
        done: false,
        message: fo.fulfillmentService
          ? said("commands.serviceFulfills", { service: fo.fulfillmentService.name })
          : said("commands.fulfillNotAllowed", { status: statusWords(fo.status) }),
      };
    }
    return [
      makeStep(
        "fulfillmentCreate",
        o.id,
        fo.id,
        {
          fulfillment: {
            lineItemsByFulfillmentOrder: [
              {
                fulfillmentOrderId: fo.id,
                fulfillmentOrderLineItems: lines.map((l) => ({
                  id: l.id,
                  quantity: l.remainingQuantity,
                })),
              },
            ],
            notifyCustomer: command.notifyCustomer,
          },
        },
        engineSaid("step.fulfillItems", {
          count: lines.reduce((n, l) => n + l.remainingQuantity, 0),
        }),
        why(actor, "fulfilled"),
      ),
    ];
  }
  return [];
}

/**
 * Runs one merchant command. Approval records the approval and lets the rules decide the rest;
 * the others apply their Steps directly. Each is recorded as a decision with its Steps, which the
 * push sweep is told of (it runs in a worker, this mostly in a web process).
 */
export async function runCommand(
  deps: RouteOrderDeps,
  context: CommandContext,
  command: MerchantCommand,
): Promise<CommandResult> {
  try {
    return await commandOutcome(deps, context, command);
  } finally {
    pushable(context.shop);
  }
}

async function commandOutcome(
  deps: RouteOrderDeps,
  context: CommandContext,
  command: MerchantCommand,
): Promise<CommandResult> {
  const { db } = deps;
  const { shop, actor } = context;
  const orderId =
    "orderId" in command
      ? command.orderId
      : await orderOfFulfillmentOrder(deps, shop, command.fulfillmentOrderId);
  if (!orderId) return { ok: false, message: said("commands.notKnownYet"), orderId: null };

  if (command.action === "reroute") {
    // The merchant asks the rules to decide again: work a repair put somewhere is theirs again.
    const result = await routeOrder(deps, {
      shop,
      orderId,
      trigger: "merchant",
      actor: actor ?? undefined,
      routeAgain: true,
    });
    if (result.status === "not_found")
      return { ok: false, message: said("commands.noSuchOrder"), orderId };
    return result.status === "applied"
      ? {
          ok: true,
          message: result.stepsApplied
            ? said("commands.routedAgain", { count: result.stepsApplied })
            : said("commands.routedAgainNothing"),
          orderId,
        }
      : { ok: false, message: needsAttention("commands.routedAgainAttention", result), orderId };
  }

  if (command.action === "approve") {
    await db.approval.upsert({
      where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId: command.fulfillmentOrderId } },
      create: { shop, fulfillmentOrderId: command.fulfillmentOrderId, orderId, approvedBy: actor },
      update: {},
    });
    const result = await routeOrder(deps, {
      shop,
      orderId,
      trigger: "merchant",
      actor: actor ?? undefined,
    });
    return result.status === "applied"
      ? {
          ok: true,
          message: result.stepsApplied
            ? said("commands.approved", { count: result.stepsApplied })
            : said("commands.approvedNothing"),
          orderId,
        }
      : { ok: false, message: needsAttention("commands.approvedAttention", result), orderId };
  }

  const data = await readOrder(deps.gateway, orderId);
  const snapshot = toOrderSnapshot(data);
  if (!snapshot) return { ok: false, message: said("commands.noSuchOrder"), orderId };
  const steps = stepsFor(command, snapshot, actor);
  // Nothing to do is a success when the state is already what was asked (idempotent clicks).
  if (!Array.isArray(steps)) return { ok: steps.done, message: steps.message, orderId };
  return applyMerchantSteps(deps, shop, orderId, snapshot.order.name, steps, {
    done: doneWords(command, steps),
  });
}

/**
 * Routing left the order needing attention: the engine's reason (Words, said in the same
 * language) inside the sentence, or the sentence alone.
 */
function needsAttention(key: string, result: { message?: StoredWords | null }): Words {
  return result.message ? said(`${key}Because`, { reason: result.message }) : said(key);
}

/** What a merchant command did, once every Step went through. */
function doneWords(command: MerchantCommand, steps: Step[]): Words {
  switch (command.action) {
    case "capture":
      return said("commands.captured", {
        amounts: steps.map((s) => {
          const input = (s.input as { input: { amount: string; currency: string } }).input;
          return moneyWords(input.amount, input.currency);
        }),
      });
    case "archive":
      return said("commands.archived");
    case "hold":
      return said("commands.held", { reason: words(`holdReason.${command.reason}`) });
    case "release":
      return said("commands.released", {
        count: (steps[0]?.input as { holdIds?: string[] } | undefined)?.holdIds?.length ?? 0,
      });
    case "fulfil":
      return said("commands.fulfilled", {
        count: steps.reduce(
          (n, s) =>
            n +
            (
              s.input as {
                fulfillment: {
                  lineItemsByFulfillmentOrder: {
                    fulfillmentOrderLineItems: { quantity: number }[];
                  }[];
                };
              }
            ).fulfillment.lineItemsByFulfillmentOrder
              .flatMap((f) => f.fulfillmentOrderLineItems)
              .reduce((m, l) => m + l.quantity, 0),
          0,
        ),
      });
    default:
      return said("commands.done");
  }
}

/**
 * The merchant's decision a "Try again" names, when it may be resumed: this shop's and order's,
 * still needing attention (its last Step got no answer), holding a Step of `kind`. Null for
 * anything else (a second click, another order's or shop's decision, one that went through).
 */
export async function decisionToResume<K extends Step["kind"]>(
  db: Db,
  context: CommandContext,
  orderId: string,
  decisionId: string,
  kind: K,
): Promise<{
  id: string;
  orderName: string;
  steps: Step[];
  step: Extract<Step, { kind: K }>;
} | null> {
  const decision = await db.decision.findFirst({
    where: { id: decisionId, shop: context.shop, orderId, trigger: "merchant" },
    select: { id: true, orderName: true, plan: true, status: true },
  });
  if (!decision || decision.status !== "needs_attention") return null;
  const steps = (JSON.parse(decision.plan) as { steps?: Step[] }).steps ?? [];
  const step = steps.find((s): s is Extract<Step, { kind: K }> => s.kind === kind);
  return step ? { id: decision.id, orderName: decision.orderName ?? "", steps, step } : null;
}

/**
 * Applies a merchant's Steps in order through the executor, recorded as one decision; stops at
 * the first refusal with Shopify's words inside a sentence of the catalogue. Returns the payload
 * of each applied Step too. `say.done` is what the merchant reads when every Step went through.
 */
export async function applyMerchantSteps(
  deps: RouteOrderDeps,
  shop: string,
  orderId: string,
  orderName: string,
  steps: Step[],
  say: { done?: Words; resume?: string } = {},
): Promise<
  CommandResult & {
    outcomes: Record<string, unknown>[];
    /** Shopify's userErrors when it refused a Step (a screen may word them by field). */
    userErrors?: UserError[];
    /** The merchant's decision the Steps were recorded in: the one to resume for a retry. */
    decisionId: string;
    /** false: the last Step got no answer (it may have been made all the same). */
    answered: boolean;
  }
> {
  const { db } = deps;
  const outcomes: Record<string, unknown>[] = [];
  let userErrors: UserError[] | undefined;
  // A retry resumes the decision whose answer was lost: its Steps under their own keys, those
  // that went through skipped, so an idempotent one (refundCreate) is the same request to Shopify.
  const decision = say.resume
    ? await db.decision.update({ where: { id: say.resume }, data: { status: "applying" } })
    : await db.decision.create({
        data: {
          shop,
          orderId,
          orderName,
          trigger: "merchant",
          status: "applying",
          explanation: JSON.stringify(steps.map((s) => s.why.text)),
          plan: JSON.stringify({ steps }),
        },
      });
  const recorded = say.resume
    ? await db.step.findMany({
        where: { decisionId: decision.id },
        select: { key: true, status: true },
      })
    : [];
  const done = new Set(recorded.filter((r) => r.status === "succeeded").map((r) => r.key));
  let position = recorded.length;
  for (const step of steps) {
    if (done.has(step.key)) continue;
    let message: Words;
    let answered = true;
    try {
      const applied = await applyAndRecord(deps, decision.id, step, position++);
      if (applied.ok) {
        outcomes.push(applied.outcome);
        continue;
      }
      message = shopifyRefused(applied.message);
      userErrors = applied.error.userErrors;
    } catch (error) {
      // A bulk action's job passed to another worker before this Step went to Shopify (this one
      // stalled past its lease): that worker runs the command again on Shopify's state and
      // records it. A decision of which nothing went through is not kept; one with Steps applied
      // stays in the order's history as far as it went.
      if (error instanceof LeaseLost) {
        if (outcomes.length === 0 && !say.resume)
          await db.decision.delete({ where: { id: decision.id } });
        else
          await db.decision.update({
            where: { id: decision.id },
            data: { status: "needs_attention", appliedAt: deps.now() },
          });
        throw error;
      }
      // The merchant is waiting for an answer and no job runs this decision again: Shopify not
      // answering fails the Step too, and the click can be repeated.
      message = said("shopifyFailed", { error: refusalWords(error) });
      answered = false;
      await db.step.update({
        where: { decisionId_key: { decisionId: decision.id, key: step.key } },
        data: { status: "failed" },
      });
    }
    await db.decision.update({
      where: { id: decision.id },
      data: { status: "needs_attention", appliedAt: deps.now() },
    });
    return {
      ok: false,
      message,
      orderId,
      outcomes,
      userErrors,
      decisionId: decision.id,
      answered,
    };
  }
  await db.decision.update({
    where: { id: decision.id },
    data: { status: "applied", appliedAt: deps.now() },
  });
  await refreshReadModel(deps, shop, orderId);
  return {
    ok: true,
    message: say.done ?? said("commands.done"),
    orderId,
    outcomes,
    decisionId: decision.id,
    answered: true,
  };
}

/** Re-reads an order and rewrites its rows in the review queue, as the router would plan it now. */
export async function refreshReadModel(
  deps: RouteOrderDeps,
  shop: string,
  orderId: string,
): Promise<void> {
  const config = await loadShopConfig(deps.db, shop);
  // Rules that split by stock are planned on the stock, as the router plans them: without it a
  // part held for stock would show as "Releasing holds" (ADR 085).
  const data = await readOrder(
    deps.gateway,
    orderId,
    orderReadNeeds(config.rules).stock
      ? { linesOnFulfillmentOrders: true, needs: { ...READ_EVERYTHING, stock: true } }
      : {},
  );
  const snapshot = toOrderSnapshot(data);
  if (!snapshot) return;
  const approvals = (await deps.db.approval.findMany({ where: { shop, orderId } })).map(
    (a) => a.fulfillmentOrderId,
  );
  const repairs = await repairsOfOrder(deps.db, shop, orderId);
  // What the rows say the rules would do is what the router would do: a move or merge Shopify
  // would refuse shows as the router's refusal, not as work about to move. Asked only when the
  // plan moves or merges, as the router asks (ADR 099).
  const shopify = new ShopifyAllowsAsker(
    deps.gateway,
    locationsTheRulesName(config.rules, config.profiles),
  );
  const plan = await shopify.plan(snapshot, (answers) =>
    planOrder(snapshot, config.rules, config.settings, config.profiles, {
      now: deps.now(),
      approvals,
      repairs,
      shopify: answers,
    }),
  );
  await recordFulfillmentOrders(
    deps.db,
    shop,
    snapshot,
    { ...plan, dryRun: true },
    customerNameOf(data),
    config.rules,
    await standingRefusal(deps.db, shop, orderId, snapshot, plan.steps),
  );
}

/**
 * The fulfillment orders whose refused Step still stands: the rules' last decision on the order
 * ended on a Step Shopify refused, and the rules, planned on the order as it is now, would send
 * that Step again. A refresh of the rows (another app's hold noticed, a lab's answer that changes
 * nothing) keeps their outcome and reason, needing attention with Shopify's words and the advice,
 * where the plan alone would show that Step as about to happen; an order-level Step's refusal is
 * on every row. Nothing is written and put back, so refreshes side by side keep it too. A refusal
 * the order no longer meets (the rules plan something else now) is rewritten like any row.
 */
async function standingRefusal(
  db: Db,
  shop: string,
  orderId: string,
  snapshot: OrderSnapshot,
  planned: readonly Step[],
): Promise<Set<string>> {
  const last = await db.decision.findFirst({
    where: { shop, orderId, plan: { not: "{}" } },
    orderBy: { createdAt: "desc" },
    select: {
      status: true,
      steps: { where: { status: "failed" }, select: { key: true, fulfillmentOrderId: true } },
    },
  });
  if (last?.status !== "needs_attention") return new Set();
  // A hold placed again is recorded under its key's next occurrence (`<key>#2`, ADR 036).
  const keys = new Set(planned.map((step) => step.key));
  const standing = last.steps.filter((step) => keys.has(step.key.replace(/#\d+$/, "")));
  return new Set(
    standing.flatMap((step) =>
      step.fulfillmentOrderId
        ? [step.fulfillmentOrderId]
        : snapshot.fulfillmentOrders.map((fo) => fo.id),
    ),
  );
}
