// Runs one repair of a stuck request or a drift: read the order, plan the next Steps of the repair,
// apply them through the one executor under a decision with trigger "repair", and read again,
// until the work is where it should be, waits for the lab's answer, or Shopify says no.
import {
  choosesLocation,
  planRepair,
  type RepairIntent,
  type RepairState,
  type RepairTarget,
  type Step,
  type StepWhy,
} from "../routing";
import { engineSaid, said, type StoredWords, type Words } from "../routing/words";
import { refusalCode, repairRefused } from "../routing/refusal-advice";
import { readWords } from "../i18n/words";
import { readOrder, toOrderSnapshot } from "../shopify/snapshot.server";
import { applyAndRecord } from "./apply-step.server";
import { loadSettings } from "./shop-config.server";
import { refreshReadModel } from "./commands.server";
import { scanShop, type DriftDeps, type ScanResult } from "./drift.server";
import { UNLIMITED, type PassBudget } from "./pass-budget";
import { checkChosenLocation, readLocationsForMove } from "./locations-for-move.server";

/** Each round reads once; a repair needs at most cancel, split, move, fulfil plus a refusal re-read. */
const MAX_REPAIR_ROUNDS = 8;

export interface RepairResult {
  ok: boolean;
  /** "repaired", "waiting" (for the lab's answer), "failed". */
  status: "repaired" | "waiting" | "failed";
  /** What came of it, for the merchant's language (kept on the finding as JSON). */
  message: Words;
  stepsApplied: number;
  /**
   * The merchant's choice the message is about ("locationId"): the chosen location was refused
   * before anything changed, and the finding is as it was.
   */
  field?: "locationId";
}

export interface RepairOptions {
  /**
   * The location the merchant chose on Re-route instead of the finding's default: taken only where
   * Shopify's locationsForMove allows the move, never the location the work is stuck at.
   */
  locationId?: string;
  /** The merchant confirmed a location whose capability profile cannot make the work. */
  confirmed?: boolean;
  then?: RepairIntent["then"];
  actor?: string | null;
  /** Started by the scan itself (Settings: drift repaired automatically), not by a click. */
  automatic?: boolean;
}

export async function runRepair(
  deps: DriftDeps,
  shop: string,
  findingId: string,
  options: RepairOptions = {},
): Promise<RepairResult> {
  const { db, gateway, now } = deps;
  const finding = await db.finding.findFirst({ where: { id: findingId, shop } });
  if (!finding)
    return { ok: false, status: "failed", message: said("repair.noSuchFinding"), stepsApplied: 0 };
  if (finding.status === "repaired" || finding.status === "resolved")
    return {
      ok: true,
      status: "repaired",
      message: storedMessage(finding.message) ?? said("repair.alreadyRepaired"),
      stepsApplied: 0,
    };

  const intent = finding.repair ? (JSON.parse(finding.repair) as RepairIntent) : null;
  let chosen: RepairTarget | null = null;
  let stuckAt: { locationId: string; name: string } | null = null;
  if (options.locationId) {
    // A chosen location starts the repair afresh where the last one stopped; while a repair is
    // under way (or waits for the lab) the choice would pull it two ways.
    const refuse = (message: Words): RepairResult => ({
      ok: false,
      status: "failed",
      message,
      stepsApplied: 0,
      field: "locationId",
    });
    if (!choosesLocation({ category: finding.category, kind: finding.kind, repair: intent }))
      return refuse(storedMessage(finding.advice) ?? said("repair.noRepair"));
    if (finding.status !== "open" && finding.status !== "failed")
      return refuse(said("repair.chosen.underWay"));
    const check = await checkChosenLocation(
      deps,
      shop,
      { fulfillmentOrderId: finding.fulfillmentOrderId, repair: intent, labName: finding.labName },
      options.locationId,
      options.confirmed === true,
    );
    if (!check.ok) return refuse(check.message);
    chosen = check.option.target;
    stuckAt = check.stuckAt;
  }

  let state: RepairState;
  if (finding.repairState && !chosen) {
    state = JSON.parse(finding.repairState) as RepairState;
  } else {
    const before = finding.repairState ? (JSON.parse(finding.repairState) as RepairState) : null;
    if (!intent && !chosen)
      return {
        ok: false,
        status: "failed",
        message: storedMessage(finding.advice) ?? said("repair.noRepair"),
        stepsApplied: 0,
      };
    const settings = await loadSettings(db, shop);
    let to = chosen ?? intent!.to;
    if (!chosen && intent!.then === "fulfil") {
      // Only at a location of the merchant's own may the app create the fulfillment, and Shopify
      // moves the work only where its items are stocked: the first own one Shopify allows.
      const instead = await ownLocationShopifyAllows(deps, finding.fulfillmentOrderId, to);
      if (instead) to = instead;
    }
    state = {
      lineItemIds: before?.lineItemIds ?? intent?.lineItemIds ?? [],
      ...(intent && !chosen
        ? {
            fulfilledTarget: intent.fulfilledTarget,
            tracking: intent.tracking,
          }
        : {}),
      to,
      // Where the work stood still: the rules' fallback and a later default re-route keep away
      // from it (ADR 083). A chosen location without the scan's default still left the stuck lab.
      ...(intent?.awayFrom
        ? { awayFrom: intent.awayFrom }
        : chosen && stuckAt
          ? { awayFrom: [stuckAt] }
          : {}),
      then:
        options.then ??
        (chosen ? (to.fulfillmentServiceHandle ? "request" : "leave") : intent!.then),
      // Cancellations a stopped repair asked for are still awaited, whatever the new choice.
      cancellationRequested: before?.cancellationRequested ?? [],
      notifyCustomer: settings.notifyCustomer,
    };
  }

  // A fulfil repair sent to another own location than the scan's (its first) says which, and why,
  // on every run: Shopify would not move the work to the first.
  const ownInstead =
    intent?.then === "fulfil" &&
    state.then === "fulfil" &&
    state.to.locationId !== intent.to.locationId
      ? { own: intent.to.name, to: state.to.name }
      : null;

  if (state.lineItemIds.length === 0) {
    // The shop-wide scan reads no lines: the repair takes those of the fulfillment order now.
    const snapshot = toOrderSnapshot(await readOrder(gateway, finding.orderId));
    const fo = snapshot?.fulfillmentOrders.find((f) => f.id === finding.fulfillmentOrderId);
    state.lineItemIds = (fo?.lineItems ?? [])
      .filter((l) => l.remainingQuantity > 0)
      .map((l) => l.lineItemId);
    if (state.lineItemIds.length === 0)
      return {
        ok: true,
        status: "repaired",
        message: said("repair.nothingToReroute"),
        stepsApplied: 0,
      };
  }

  // The decision trace keeps Words: it reads in the language of whoever opens the order.
  const summary = readWords(finding.summary);
  const decision = finding.decisionId
    ? await db.decision.findUniqueOrThrow({ where: { id: finding.decisionId } })
    : await db.decision.create({
        data: {
          shop,
          orderId: finding.orderId,
          orderName: finding.orderName,
          trigger: "repair",
          status: "applying",
          explanation: JSON.stringify([summary]),
          plan: JSON.stringify({ repair: state }),
        },
      });
  // State and decision are kept before the first change, so a crash resumes this same repair.
  await db.finding.update({
    where: { id: finding.id },
    data: { status: "repairing", repairState: JSON.stringify(state), decisionId: decision.id },
  });
  const explanations = JSON.parse(decision.explanation) as StoredWords[];
  const told = new Set(explanations.map((e) => JSON.stringify(e)));
  const tell = (e: StoredWords) => {
    if (told.has(JSON.stringify(e))) return;
    told.add(JSON.stringify(e));
    explanations.push(e);
  };
  if (ownInstead) tell(said("repair.ownLocationNotStocked", ownInstead));
  const what = engineSaid(options.automatic ? "why.repairAutomatic" : "why.repair", {
    finding: summary,
  });
  const why: StepWhy = {
    source: "reconcile",
    ruleId: null,
    ruleName: null,
    text: options.actor ? engineSaid("why.byActor", { what, actor: options.actor }) : what,
  };

  const finish = async (
    status: RepairResult["status"],
    message: Words,
    stepsApplied: number,
  ): Promise<RepairResult> => {
    tell(message);
    await db.decision.update({
      where: { id: decision.id },
      data: {
        status:
          status === "failed" ? "needs_attention" : status === "waiting" ? "applying" : "applied",
        appliedAt: status === "waiting" ? null : now(),
        explanation: JSON.stringify(explanations),
        plan: JSON.stringify({ repair: state }),
      },
    });
    await db.finding.update({
      where: { id: finding.id },
      data: {
        status,
        message: JSON.stringify(message),
        repairState: JSON.stringify(state),
        resolvedAt: status === "repaired" ? now() : null,
      },
    });
    await refreshReadModel(deps, shop, finding.orderId).catch(() => undefined);
    return { ok: status !== "failed", status, message, stepsApplied };
  };

  let stepsApplied = 0;
  const refused = new Set<string>();
  for (let round = 1; round <= MAX_REPAIR_ROUNDS; round++) {
    const snapshot = toOrderSnapshot(await readOrder(gateway, finding.orderId));
    if (!snapshot) return finish("failed", said("repair.orderGone"), stepsApplied);
    const progress = planRepair(snapshot, state, why);
    if (progress.state === "done")
      return finish(
        "repaired",
        ownInstead
          ? said("repair.fulfilledAtOwnInstead", { ...ownInstead, done: progress.message })
          : progress.message,
        stepsApplied,
      );
    if (progress.state === "waiting") return finish("waiting", progress.message, stepsApplied);
    if (progress.state === "refused") return finish("failed", progress.message, stepsApplied);
    let position = await db.step.count({ where: { decisionId: decision.id } });
    for (const step of progress.steps) {
      const outcome = await applyRecorded(deps, decision.id, step, position++, state, finding.id);
      if (outcome.ok) {
        stepsApplied++;
        continue;
      }
      // Shopify refused: its state moved since the read (a lab answered, say). Read and plan
      // again once; the same refusal twice ends the repair with Shopify's words and what the
      // merchant can do about it, chosen by Shopify's code or what the order shows now.
      tell(engineSaid("route.stepFailed", { step: step.summary, shopify: outcome.message }));
      if (refused.has(step.key)) {
        const after = toOrderSnapshot(await readOrder(gateway, finding.orderId));
        const code = refusalCode(step, outcome.codes, after);
        return finish("failed", repairRefused(outcome.message, code), stepsApplied);
      }
      refused.add(step.key);
      break;
    }
  }
  return finish("failed", said("repair.didNotSettle", { rounds: MAX_REPAIR_ROUNDS }), stepsApplied);
}

/**
 * Applies and records one Step of the repair. A cancellation request is written into the repair's
 * state before it is sent: after a crash the repair waits for the lab's answer instead of
 * cancelling over its head.
 */
async function applyRecorded(
  deps: DriftDeps,
  decisionId: string,
  step: Step,
  position: number,
  state: RepairState,
  findingId: string,
): Promise<{ ok: true } | { ok: false; message: StoredWords; codes: readonly string[] }> {
  const { db } = deps;
  const keepState = () =>
    db.finding.update({ where: { id: findingId }, data: { repairState: JSON.stringify(state) } });
  const asksCancellation =
    step.kind === "fulfillmentOrderSubmitCancellationRequest" && step.fulfillmentOrderId;
  if (asksCancellation && !state.cancellationRequested.includes(step.fulfillmentOrderId!)) {
    state.cancellationRequested.push(step.fulfillmentOrderId!);
    await keepState();
  }
  // Throttling, 5xx, timeouts, a crash are thrown: the job runs again and resumes from Shopify's state.
  const recorded = await applyAndRecord(deps, decisionId, step, position);
  if (recorded.ok) {
    if (step.kind === "fulfillmentOrderCancel" && step.fulfillmentOrderId) {
      // The merchant took the request back: what the lab said about it no longer stands.
      await db.labReport.deleteMany({ where: { fulfillmentOrderId: step.fulfillmentOrderId } });
    }
    return { ok: true };
  }
  if (asksCancellation) {
    state.cancellationRequested = state.cancellationRequested.filter(
      (id) => id !== step.fulfillmentOrderId,
    );
    await keepState();
  }
  return { ok: false, message: recorded.message, codes: recorded.error.codes };
}

/**
 * The merchant's own location a "shipped but unfulfilled" repair fulfils at: the scan's (their first
 * own location) unless Shopify's locationsForMove says the work may not move there (it does not
 * stock the items), then the first own location Shopify allows; null to keep the scan's.
 */
async function ownLocationShopifyAllows(
  deps: DriftDeps,
  fulfillmentOrderId: string,
  own: RepairTarget,
): Promise<RepairTarget | null> {
  const forMove = await readLocationsForMove(deps.gateway, fulfillmentOrderId);
  if (!forMove || forMove.assignedLocationId === own.locationId) return null;
  const mine = forMove.locations.filter((l) => !l.target.fulfillmentServiceHandle);
  if (mine.some((l) => l.target.locationId === own.locationId && l.movable)) return null;
  return mine.find((l) => l.movable)?.target ?? null;
}

/** The merchant says a finding needs nothing more (they told the lab, say). */
export async function markResolved(
  deps: DriftDeps,
  shop: string,
  findingId: string,
  actor: string | null,
): Promise<boolean> {
  const finding = await deps.db.finding.findFirst({ where: { id: findingId, shop } });
  if (!finding) return false;
  await deps.db.finding.update({
    where: { id: finding.id },
    data: {
      status: "resolved",
      resolvedAt: deps.now(),
      message: JSON.stringify(
        actor ? said("repair.markedResolvedBy", { actor }) : said("repair.markedResolved"),
      ),
    },
  });
  // The lab's word that made it drift is settled too; a new report starts afresh.
  if (finding.category === "drift")
    await deps.db.labReport.deleteMany({
      where: { shop, fulfillmentOrderId: finding.fulfillmentOrderId },
    });
  return true;
}

/**
 * One pass for a shop as the worker runs it: scan, then run the repairs the pass asks for. A pass
 * whose budget runs out stops between two repairs: the next pass asks for those left again (they
 * are still open, or waiting).
 */
export async function scanAndRepair(
  deps: DriftDeps,
  shop: string,
  budget: PassBudget = UNLIMITED,
): Promise<ScanResult & { repaired: number }> {
  const result = await scanShop(deps, shop, budget);
  let repaired = 0;
  for (const id of result.toRepair) {
    if (budget.spent()) break;
    const r = await runRepair(deps, shop, id, { automatic: true });
    if (r.status === "repaired") repaired++;
  }
  return { ...result, repaired };
}

/** A stored message or advice as Words (older rows kept English text: shown as it is). */
function storedMessage(stored: string | null): Words | null {
  if (!stored) return null;
  const read = readWords(stored);
  return typeof read === "string" ? said("asStored", { text: read }) : read;
}
