// What one planning pass accumulates (Steps in apply order, explanations, attention, outcomes) and the small helpers every part of the planner shares.
import type { CompiledRule } from "./conditions";
import type { Explanation, RuleDecision, WantedHold } from "./decide";
import type { RoutingSettings } from "./rules";
import type { CapabilityProfile } from "./capability";
import type { FulfillmentOrder, Order, OrderSnapshot } from "./snapshot";
import type { FulfillmentOrderLineItemInput, Step, StepWhy } from "./steps";
import type { LineView, OrderView } from "./views";
import type {
  AttentionReason,
  FulfillmentOrderDecision,
  PlanOptions,
  ShopifyAllows,
} from "./plan-types";
import { engineSaid, words, type StoredWords, type Words } from "./words";

// Steps are applied by phase: structure first, then holds, releases, sending, and the order as a whole.
const PHASE = {
  fulfillmentOrderMerge: 0,
  fulfillmentOrderSplit: 1,
  fulfillmentOrderMove: 1,
  // Repairs take work back from a lab before anything else happens to it.
  fulfillmentOrderCancel: 0,
  fulfillmentOrderSubmitCancellationRequest: 0,
  fulfillmentOrderHold: 2,
  fulfillmentOrderReleaseHold: 3,
  fulfillmentOrderSubmitFulfillmentRequest: 4,
  fulfillmentCreate: 4,
  tagsAdd: 5,
  orderUpdate: 6,
  orderCapture: 7,
  orderClose: 8,
  // A merchant's cancel (of the order, or of some lines): after holds are released and requests withdrawn.
  orderCancel: 9,
  refundCreate: 9,
  // A remake: the replacement's draft, then its completion.
  draftOrderCreate: 10,
  draftOrderComplete: 11,
  // An extra charge: its draft, then its invoice; the original's tags follow the charge.
  draftOrderInvoiceSend: 11,
  tagsRemove: 5,
  // A canceled order's open extra-charge drafts: after its orderCancel.
  draftOrderDelete: 10,
  // The shop's stock news (ADR 101): never in an order's plan.
  webhookSubscriptionCreate: 12,
  webhookSubscriptionDelete: 12,
} as const satisfies Record<Step["kind"], number>;

export function supports(fo: FulfillmentOrder, action: string): boolean {
  return fo.supportedActions.includes(action);
}

export function lineInputs(lines: readonly LineView[]): FulfillmentOrderLineItemInput[] {
  return lines.map((line) => ({ id: line.foLine.id, quantity: line.foLine.remainingQuantity }));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function settingsWhy(what: StoredWords): StepWhy {
  return {
    source: "settings",
    ruleId: null,
    ruleName: null,
    text: engineSaid("why.settings", { what }),
    matched: null,
  };
}

export function stateWhy(
  source: "approval" | "reconcile" | "settings",
  text: StoredWords,
): StepWhy {
  return { source, ruleId: null, ruleName: null, text, matched: null };
}

export type Phase =
  | "actionable"
  | "finished"
  | "scheduled"
  | "with_service"
  | "rejected"
  | "in_progress"
  | "incomplete";

export function phaseOf(fo: FulfillmentOrder): Phase {
  if (fo.status === "CLOSED" || fo.status === "CANCELLED") return "finished";
  if (fo.status === "SCHEDULED") return "scheduled";
  if (fo.status === "INCOMPLETE") return "incomplete";
  switch (fo.requestStatus) {
    case "SUBMITTED":
    case "ACCEPTED":
    case "CANCELLATION_REQUESTED":
    case "CANCELLATION_REJECTED":
      return "with_service";
    case "REJECTED":
      return "rejected";
    default:
      break;
  }
  if (fo.status === "IN_PROGRESS") return "in_progress";
  return "actionable";
}

/**
 * What a finished fulfillment order came to: done, unless it ended without its work being done
 * there. A service that accepts a cancellation request gives the work back; under the webhook
 * example's reading the fulfillment order is then CLOSED like a fulfilled one, and only the request
 * status (CANCELLATION_ACCEPTED) tells it apart. One closed while its request was still SUBMITTED
 * was taken back by fulfillmentOrderCancel before the service accepted ("cancellation happens
 * immediately because the fulfillment service hasn't accepted the request", the mutation's
 * description), so nothing was fulfilled there either.
 */
export function finishedOutcome(
  fo: FulfillmentOrder,
  order?: Pick<Order, "cancelledAt" | "fulfillments">,
): "done" | "cancelled" {
  return fo.status === "CANCELLED" ||
    neverFulfilledBeforeCancel(order) ||
    fo.requestStatus === "CANCELLATION_ACCEPTED" ||
    fo.requestStatus === "SUBMITTED"
    ? "cancelled"
    : "done";
}

/**
 * Canceling an order closes its open fulfillment orders (CLOSED, like fulfilled ones, with nothing
 * remaining). When the canceled order has no fulfillment at all, none of them was fulfilled. The
 * read does not say which fulfillment order a fulfillment came from, so with some fulfilled the
 * closed ones keep "done"; absent fulfillments (not read) are not taken as none.
 */
function neverFulfilledBeforeCancel(order?: Pick<Order, "cancelledAt" | "fulfillments">): boolean {
  return (
    !!order?.cancelledAt && order.fulfillments !== undefined && order.fulfillments.length === 0
  );
}

export function hasWorkLeft(fo: FulfillmentOrder): boolean {
  return fo.lineItems.some((line) => line.remainingQuantity > 0);
}

/** A hold the rules want, as a sentence names it: "the review hold", "the hold (High risk of fraud)". */
export function heldWords(hold: Pick<WantedHold, "purpose" | "reason">): Words {
  return hold.purpose === "rule"
    ? engineSaid("hold.rule", { reason: words(`holdReason.${hold.reason}`) })
    : engineSaid(`hold.${hold.purpose}`);
}

/** A value a sentence quotes in the reader's quotation marks: “Print”, „Print“. */
export function quoted(value: string): Words {
  return words("rules.summary.quoted", { value });
}

/** Whether Shopify tells the customer, as a Step's summary says it. */
export function notifyWords(notifyCustomer: boolean): Words {
  return engineSaid(notifyCustomer ? "step.notified" : "step.notNotified");
}

/** A line as a sentence names it: `Line “10x15 Lustre”, SKU PRINT-10x15-L`. */
export function lineWords(line: LineView): Words {
  return line.item.sku
    ? engineSaid("line.withSku", { title: line.item.title, sku: line.item.sku })
    : engineSaid("line.plain", { title: line.item.title });
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface Planned {
  step: Step;
  phase: number;
  seq: number;
}

/** Everything one planning pass accumulates. */
export class PlanBuilder {
  readonly planned: Planned[] = [];
  readonly explanation: Explanation[] = [];
  readonly attention: AttentionReason[] = [];
  readonly outcomes: FulfillmentOrderDecision[] = [];
  /** Fulfillment orders Shopify is asked to restructure this round: nothing else is planned for them. */
  readonly inFlux = new Set<string>();
  /** Per fulfillment order: has it been approved to go by everyone who must (merchant and service)? */
  readonly approvedToGo = new Map<string, boolean>();
  replanAt: number | null = null;
  /** A closed or cancelled fulfillment order still carries work no open one has taken over. */
  workLeftBehind = false;
  /** Fulfillment orders where the merchant's repair put them (PlanOptions.repairs): left alone. */
  placedByRepair: ReadonlySet<string> = new Set();
  /** Locations the merchant's repairs took the order's work away from: it stood still there. */
  repairedAwayFrom: ReadonlySet<string> = new Set();
  /**
   * Writes the notes Shopify keeps (a stock hold's counts) in the catalogue's English, which the
   * engine does not hold (PlanOptions.writeNote); without it a hold keeps its plain note.
   */
  writeNote: ((words: Words) => string) | undefined = undefined;
  /** What Shopify said it allows (PlanOptions.shopify): moves and merges are planned within it. */
  shopify: ShopifyAllows = {};
  /** Fulfillment orders this decision moved in an earlier round → where from (PlanOptions.movedByThisDecision). */
  movedByThisDecision: NonNullable<PlanOptions["movedByThisDecision"]> = {};

  constructor(
    readonly snapshot: OrderSnapshot,
    readonly order: OrderView,
    readonly settings: RoutingSettings,
    readonly profiles: readonly CapabilityProfile[],
    readonly now: number,
    readonly approvals: ReadonlySet<string>,
    /**
     * Fulfillment orders (→ the destination's name) at the destination of a move of this round
     * that Shopify may close (ADR 030's moveToOccupied): nothing is planned for them this round.
     */
    readonly waitingForMove: ReadonlyMap<string, string> = new Map(),
  ) {}

  get orderId(): string {
    return this.snapshot.order.id;
  }

  add(step: Step): void {
    this.planned.push({ step, phase: PHASE[step.kind], seq: this.planned.length });
  }

  explain(
    fulfillmentOrderId: string | null,
    text: StoredWords,
    ruleId: string | null = null,
  ): void {
    this.explanation.push({ fulfillmentOrderId, ruleId, text });
  }

  needsAttention(
    reason: Omit<AttentionReason, "lineItemId" | "ruleId"> & Partial<AttentionReason>,
  ): void {
    this.attention.push({ lineItemId: null, ruleId: null, ...reason });
  }

  waitUntil(ms: number): void {
    if (this.replanAt === null || ms < this.replanAt) this.replanAt = ms;
  }

  locationName(id: string): string {
    return this.order.locationsById.get(id)?.name ?? id;
  }

  /** Why each rule matched: per fulfillment order, and the first time for order-level steps. */
  readonly because = new Map<string, StoredWords>();

  remember(decision: RuleDecision): void {
    for (const [ruleId, text] of decision.because) {
      this.because.set(`${decision.view.fo.id}|${ruleId}`, text);
      if (!this.because.has(ruleId)) this.because.set(ruleId, text);
    }
  }

  ruleWhy(rule: CompiledRule, what: StoredWords, fulfillmentOrderId: string | null): StepWhy {
    const id = rule.rule.id;
    return {
      source: "rule",
      ruleId: id,
      ruleName: rule.rule.name,
      text: engineSaid("why.rule", { rule: rule.rule.name, what }),
      matched:
        (fulfillmentOrderId && this.because.get(`${fulfillmentOrderId}|${id}`)) ||
        this.because.get(id) ||
        null,
    };
  }
}
