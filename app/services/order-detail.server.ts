// One order as the merchant reviews it: read live from Shopify, joined with what the app decided
// (decisions, Steps, the read model), its notes and timeline, the actions its state allows, and
// the parsing of what the merchant asks to do with it.
import { z } from "zod";
import type { Db } from "../db/client.server";
import { loadRules } from "../fulfilment/shop-config.server";
import { asStoredWords, readWords, readWordsList, type StoredWords } from "../i18n/words";
import type { MerchantCommand } from "../fulfilment/commands.server";
import {
  FULFILLMENT_HOLD_REASONS,
  holdNotesWords,
  stockWaitingOn,
  MANUAL_HOLD_HANDLE_PREFIX,
  plannedHoldPurpose,
  type FulfillmentHoldReason,
  type FulfillmentOrder,
  type OrderSnapshot,
  AUTHORIZATION_WARNING_HOURS,
  type Rule,
  authorizationDeadline,
  orderAuthorizationDeadline,
  type AuthorizationDeadline,
  remakeReasonsOf,
  fieldErrorMessage as say,
} from "../routing";
import { isDefaultTitleOption } from "../routing/views";
import { triggerWords, words, type Words } from "../routing/words";
import type { AdminGateway } from "../shopify/gateway.server";
import { customerNameOf, readOrder, toOrderSnapshot } from "../shopify/snapshot.server";
import type { OrderSnapshotQuery } from "../types/admin.generated";
import { fieldErrors, type Parsed } from "./field-errors";
import {
  fulfillmentOrderNotesOf,
  type FulfillmentOrderNoteView,
} from "./fulfillment-order-notes.server";
import { recordRecentlyViewed } from "./recently-viewed.server";

export const ORDER_GID_PREFIX = "gid://shopify/Order/";

/** The order detail's URL carries the numeric tail of the order gid. */
export const orderNumberSchema = z.string().regex(/^\d{1,20}$/, "Not an order number");

export function orderGid(orderNumber: string): string {
  return `${ORDER_GID_PREFIX}${orderNumber}`;
}

export interface FulfillmentOrderActions {
  /** A review or rule hold the merchant's approval lifts. */
  approve: boolean;
  hold: boolean;
  /** Holds this app placed (the merchant's own included). */
  release: boolean;
  /** Only for fulfillment orders the merchant fulfils: since API 2024-10 a service's are its own. */
  fulfil: boolean;
}

export interface DetailLine {
  id: string;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  remaining: number;
  total: number;
  options: { name: string; value: string }[];
  /** The customer's line item properties: crop, image, personalisation. */
  properties: { key: string; value: string }[];
  requiresShipping: boolean;
}

export interface DetailHold {
  id: string;
  /** Shopify's reason code: the screens say it in the admin's language. */
  reasonCode: FulfillmentHoldReason;
  /** The app's own holds said from the rule that wants them; anyone else's notes as written. */
  notes: StoredWords | null;
  /** "review", "rule", "stock", "manual" for this app's holds; null for someone else's. */
  placedBy: "review" | "rule" | "stock" | "manual" | null;
}

export interface DetailFulfillmentOrder {
  id: string;
  status: string;
  requestStatus: string;
  locationName: string;
  /** The fulfilment service (lab, partner) that owns the location; null when self-fulfilled. */
  provider: string | null;
  /** The engine's outcome from the read model, when it decided on this one. */
  outcome: string | null;
  /** Why it is held or needs attention (older rows: English text). */
  reason: StoredWords | null;
  /** The rule that decided, or DECIDED_BY_SETTINGS. */
  ruleName: string | null;
  approved: boolean;
  holds: DetailHold[];
  lines: DetailLine[];
  actions: FulfillmentOrderActions;
  /** The team's notes on this fulfillment order, oldest first. */
  notes: FulfillmentOrderNoteView[];
}

export interface DetailStep {
  id: string;
  position: number;
  kind: string;
  /** Words since steps were stored so; the English text rows written before kept. */
  summary: StoredWords;
  why: StoredWords | null;
  ruleName: string | null;
  status: string;
  /** Shopify's words for a refusal, or the app's (Words) when Shopify gave none. */
  error: StoredWords | null;
  attempts: number;
  finishedAt: string | null;
}

export interface DetailDecision {
  id: string;
  createdAt: string;
  trigger: string;
  /** For a webhook decision, the topic that started it (Decision.cause). */
  cause: string | null;
  status: string;
  /** Words the screen says in the admin's language; rows written before keep their English. */
  explanation: StoredWords[];
  steps: DetailStep[];
}

export interface DetailNote {
  id: string;
  author: string | null;
  body: string;
  createdAt: string;
  replies: DetailNote[];
}

export interface TimelineEvent {
  at: string;
  text: StoredWords;
  tone: "success" | "critical" | "info" | null;
}

export interface OrderPayment {
  /** Shopify's displayFinancialStatus, e.g. "AUTHORIZED", "PAID". */
  status: string | null;
  total: { amount: string; currencyCode: string };
  /** Authorizations still to capture, each with the moment it lapses. */
  authorizations: {
    id: string;
    amount: string;
    currencyCode: string;
    expiresAt: string | null;
    /** Shopify's expiry, or the gateway's period counted from the authorization (an estimate). */
    deadline: AuthorizationDeadline | null;
  }[];
  /** Settings' warning window: a deadline within it shows as a warning. */
  warnHours: number;
  /** The loader's clock (ISO 8601), so server and browser say the same time left. */
  now: string;
  /** Money was received and not all given back: a cancel may refund it. */
  captured: boolean;
  /** The customer's (presentment) currency: what a refund's amount is typed and sent in. */
  customerCurrencyCode: string;
}

export interface OrderDetail {
  orderId: string;
  orderNumber: string;
  name: string;
  /** Shopify answered: the live part (lines, holds, payment, actions) is present. */
  live: boolean;
  shopifyError: string | null;
  createdAt: string | null;
  customerName: string | null;
  tags: string[];
  note: string | null;
  riskLevel: string | null;
  closed: boolean;
  cancelledAt: string | null;
  shippingAddress: { countryCode: string; provinceCode: string | null } | null;
  shippingMethod: string | null;
  payment: OrderPayment | null;
  /** Route again: the rules decide the whole order again, while Shopify still has it open. */
  orderActions: { capture: boolean; archive: boolean; reroute: boolean };
  fulfillmentOrders: DetailFulfillmentOrder[];
  decisions: DetailDecision[];
  notes: DetailNote[];
  timeline: TimelineEvent[];
  /** Fulfillment orders the merchant fulfils with something left to pack: the packing slip has content. */
  hasPackingSlip: boolean;
  remakes: OrderRemakes;
  /** Lines with items left to ship, which the merchant may cancel (and how many). */
  cancellable: { id: string; title: string; left: number }[];
}

export interface RemakeLink {
  /** The other order's name and number (its URL on the order screen). */
  name: string | null;
  orderNumber: string | null;
  reason: string;
  status: string;
  /** What went wrong: the catalogue's words (older rows: English text). */
  error: StoredWords | null;
  createdAt: string;
}

/** Remakes on the order screen: what can be remade, the shop's reasons, and the links both ways. */
export interface OrderRemakes {
  lines: { id: string; title: string; sku: string | null; quantity: number }[];
  reasons: string[];
  currencyCode: string | null;
  /** Replacements made of this order. */
  made: RemakeLink[];
  /** The order this one replaces, when it is a remake. */
  of: RemakeLink | null;
}

/** Where the read has no net payment: the states in which money was taken. */
const PAID_STATES = ["PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED"];

/**
 * Whether the order holds money that cancelling could give back: received less refunded above
 * zero (a partly paid order too, a fully refunded one not).
 */
function moneyToGiveBack(order: OrderSnapshot["order"]): boolean {
  if (order.netPayment) return Number(order.netPayment.amount) > 0;
  return PAID_STATES.includes(order.displayFinancialStatus ?? "");
}

function holdPlacedBy(hold: FulfillmentOrder["holds"][number]): DetailHold["placedBy"] {
  const planned = plannedHoldPurpose(hold);
  if (planned) return planned;
  if (hold.heldByRequestingApp !== false && hold.handle?.startsWith(MANUAL_HOLD_HANDLE_PREFIX))
    return "manual";
  return null;
}

/** What Shopify's state and the app's holds allow on one fulfillment order now. */
export function actionsFor(fo: FulfillmentOrder): FulfillmentOrderActions {
  const ours = fo.holds.filter(
    (h) => h.heldByRequestingApp !== false && h.handle?.startsWith("fr-"),
  );
  const remaining = fo.lineItems.some((l) => l.remainingQuantity > 0);
  return {
    approve: fo.holds.some((h) => {
      const purpose = plannedHoldPurpose(h);
      return purpose === "review" || purpose === "rule";
    }),
    hold: fo.supportedActions.includes("HOLD"),
    release: ours.length > 0 && fo.supportedActions.includes("RELEASE_HOLD"),
    fulfil:
      !fo.fulfillmentService && remaining && fo.supportedActions.includes("CREATE_FULFILLMENT"),
  };
}

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function liveFulfillmentOrders(
  snapshot: OrderSnapshot,
  records: Map<string, { outcome: string; reason: string | null; ruleName: string | null }>,
  approvals: Set<string>,
  notes: Map<string, FulfillmentOrderNoteView[]>,
  rules: readonly Rule[],
): DetailFulfillmentOrder[] {
  const items = new Map(snapshot.lineItems.map((l) => [l.id, l]));
  return snapshot.fulfillmentOrders.map((fo) => {
    const record = records.get(fo.id);
    // A stock hold says what waits on it, as its note on Shopify does (ADR 088).
    const waiting = stockWaitingOn(fo, snapshot.lineItems);
    return {
      id: fo.id,
      status: fo.status,
      requestStatus: fo.requestStatus,
      locationName: fo.assignedLocation.name,
      provider: fo.fulfillmentService?.name ?? null,
      outcome: record?.outcome ?? null,
      reason: record?.reason ? readWords(record.reason) : null,
      ruleName: record?.ruleName ?? null,
      approved: approvals.has(fo.id),
      holds: fo.holds.map((h) => ({
        id: h.id,
        reasonCode: h.reason,
        notes: holdNotesWords(h, rules, waiting),
        placedBy: holdPlacedBy(h),
      })),
      lines: fo.lineItems.flatMap((l) => {
        const item = items.get(l.lineItemId);
        if (!item) return [];
        return [
          {
            id: l.id,
            title: item.title,
            variantTitle: item.variantTitle,
            sku: item.sku,
            remaining: l.remainingQuantity,
            total: l.totalQuantity,
            options: item.variantOptions.filter((o) => !isDefaultTitleOption(o)),
            properties: item.customAttributes
              .filter(
                (a): a is { key: string; value: string } => a.value !== null && a.value !== "",
              )
              // Keys starting with "_" are hidden from the customer by convention; the merchant sees them.
              .map((a) => ({ key: a.key.replace(/^_/, ""), value: a.value })),
            requiresShipping: item.requiresShipping,
          },
        ];
      }),
      actions: actionsFor(fo),
      notes: notes.get(fo.id) ?? [],
    };
  });
}

function threadNotes(
  rows: {
    id: string;
    author: string | null;
    body: string;
    parentId: string | null;
    createdAt: Date;
  }[],
): DetailNote[] {
  const byId = new Map<string, DetailNote>();
  for (const r of rows)
    byId.set(r.id, {
      id: r.id,
      author: r.author,
      body: r.body,
      createdAt: r.createdAt.toISOString(),
      replies: [],
    });
  const roots: DetailNote[] = [];
  for (const r of rows) {
    const note = byId.get(r.id)!;
    const parent = r.parentId ? byId.get(r.parentId) : undefined;
    if (parent) parent.replies.push(note);
    else roots.push(note);
  }
  // Threads newest first, replies in the order they were written.
  roots.reverse();
  return roots;
}

export interface LoadOrderDetailInput {
  shop: string;
  orderNumber: string;
  now: Date;
  /** Opening the screen counts as a view; an export of the order does not. */
  recordView?: boolean;
}

/**
 * Reads Shopify and the database at once (no waterfall). A Shopify failure still shows what the
 * app knows; null means neither knows the order.
 */
export async function loadOrderDetail(
  deps: { db: Db; gateway: AdminGateway },
  input: LoadOrderDetailInput,
): Promise<OrderDetail | null> {
  const { db, gateway } = deps;
  const { shop, orderNumber, now } = input;
  const orderId = orderGid(orderNumber);
  const [
    live,
    decisionRows,
    noteRows,
    approvalRows,
    recordRows,
    remakeRows,
    shopRow,
    fulfillmentOrderNotes,
    rules,
  ] = await Promise.all([
    readOrder(gateway, orderId).then(
      (data) => ({ data, error: null as string | null }),
      (error: unknown) => ({
        data: null as OrderSnapshotQuery | null,
        error: error instanceof Error ? error.message : String(error),
      }),
    ),
    db.decision.findMany({
      where: { shop, orderId },
      orderBy: { createdAt: "desc" },
      take: 50,
      include: { steps: { orderBy: { position: "asc" } } },
    }),
    db.orderNote.findMany({ where: { shop, orderId }, orderBy: { createdAt: "asc" } }),
    db.approval.findMany({ where: { shop, orderId } }),
    db.fulfillmentOrderRecord.findMany({ where: { shop, orderId } }),
    db.remake.findMany({
      where: { shop, OR: [{ orderId }, { replacementOrderId: orderId }] },
      orderBy: { createdAt: "asc" },
    }),
    db.shop.findUnique({
      where: { shop },
      select: { remakeReasons: true, authorizationWarnHours: true },
    }),
    fulfillmentOrderNotesOf(db, shop, orderId),
    loadRules(db, shop),
  ]);
  const snapshot = live.data ? toOrderSnapshot(live.data) : null;
  if (!snapshot && decisionRows.length === 0 && recordRows.length === 0) {
    if (live.error) throw new Error(live.error);
    return null;
  }

  const records = new Map(recordRows.map((r) => [r.fulfillmentOrderId, r]));
  const approvals = new Set(approvalRows.map((a) => a.fulfillmentOrderId));
  const name =
    snapshot?.order.name ??
    decisionRows.find((d) => d.orderName)?.orderName ??
    recordRows[0]?.orderName ??
    `Order ${orderNumber}`;

  const fulfillmentOrders: DetailFulfillmentOrder[] = snapshot
    ? liveFulfillmentOrders(snapshot, records, approvals, fulfillmentOrderNotes, rules)
    : // Shopify did not answer: what the read model last saw, with no actions offered.
      recordRows.map((r) => ({
        id: r.fulfillmentOrderId,
        status: r.status,
        requestStatus: r.requestStatus ?? "UNSUBMITTED",
        locationName: r.locationName ?? "",
        provider: r.provider,
        outcome: r.outcome,
        reason: r.reason ? readWords(r.reason) : null,
        ruleName: r.ruleName,
        approved: approvals.has(r.fulfillmentOrderId),
        holds: [],
        lines: [],
        actions: { approve: false, hold: false, release: false, fulfil: false },
        notes: fulfillmentOrderNotes.get(r.fulfillmentOrderId) ?? [],
      }));

  const decisions: DetailDecision[] = decisionRows.map((d) => ({
    id: d.id,
    createdAt: d.createdAt.toISOString(),
    trigger: d.trigger,
    cause: d.cause,
    status: d.status,
    explanation: readWordsList(d.explanation),
    steps: d.steps.map((s) => {
      const input = parseJson<{
        summary?: unknown;
        why?: { text?: unknown; ruleName?: string | null };
      }>(s.input, {});
      return {
        id: s.id,
        position: s.position,
        kind: s.kind,
        summary: asStoredWords(input.summary) ?? s.kind,
        why: asStoredWords(input.why?.text),
        ruleName: input.why?.ruleName ?? null,
        status: s.status,
        error: s.error ? readWords(s.error) : null,
        attempts: s.attempts,
        finishedAt: s.finishedAt?.toISOString() ?? null,
      };
    }),
  }));

  const timeline: TimelineEvent[] = [];
  const createdAt =
    snapshot?.order.createdAt ?? recordRows[0]?.orderCreatedAt.toISOString() ?? null;
  const event = (key: string, params?: Words["params"]) => words(`order.timeline.${key}`, params);
  const author = (name: string | null) => name ?? event("staff");
  if (createdAt) timeline.push({ at: createdAt, text: event("placed"), tone: null });
  if (snapshot?.order.cancelledAt)
    timeline.push({ at: snapshot.order.cancelledAt, text: event("cancelled"), tone: "critical" });
  for (const d of decisions) {
    const trigger = triggerWords(d.trigger, d.cause);
    timeline.push({
      at: d.createdAt,
      text: d.status === "needs_attention" ? event("needsAttention", { trigger }) : trigger,
      tone: d.status === "needs_attention" ? "critical" : "info",
    });
    for (const s of d.steps) {
      if (!s.finishedAt && s.status !== "failed") continue;
      timeline.push({
        at: s.finishedAt ?? d.createdAt,
        text:
          s.status === "failed"
            ? s.error
              ? event("stepFailed", { step: s.summary, error: s.error })
              : event("stepFailedNoReason", { step: s.summary })
            : s.summary,
        tone: s.status === "failed" ? "critical" : s.status === "succeeded" ? "success" : null,
      });
    }
  }
  for (const a of approvalRows) {
    const where = fulfillmentOrders.find((f) => f.id === a.fulfillmentOrderId);
    const place = where ? (where.provider ?? where.locationName) : null;
    timeline.push({
      at: a.createdAt.toISOString(),
      text:
        place && a.approvedBy
          ? event("approvedAtBy", { place, by: a.approvedBy })
          : place
            ? event("approvedAt", { place })
            : a.approvedBy
              ? event("approvedBy", { by: a.approvedBy })
              : event("approved"),
      tone: "success",
    });
  }
  for (const n of noteRows) {
    timeline.push({
      at: n.createdAt.toISOString(),
      text: event(n.parentId ? "replyBy" : "noteBy", { author: author(n.author) }),
      tone: null,
    });
  }
  for (const [fulfillmentOrderId, notes] of fulfillmentOrderNotes) {
    const where = fulfillmentOrders.find((f) => f.id === fulfillmentOrderId);
    const place = where ? (where.provider ?? where.locationName) : event("aFulfillmentOrder");
    for (const n of notes)
      timeline.push({
        at: n.createdAt,
        text: event("fulfillmentOrderNote", { place, author: author(n.author), body: n.body }),
        tone: null,
      });
  }
  timeline.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

  const payment: OrderPayment | null = snapshot?.order.totalPrice
    ? {
        status: snapshot.order.displayFinancialStatus,
        total: snapshot.order.totalPrice,
        authorizations: snapshot.order.capturableTransactions.map((t) => ({
          id: t.id,
          amount: t.amount.amount,
          currencyCode: t.amount.currencyCode,
          expiresAt: t.authorizationExpiresAt,
          deadline: authorizationDeadline(t, now.getTime()),
        })),
        warnHours: shopRow?.authorizationWarnHours ?? AUTHORIZATION_WARNING_HOURS,
        now: now.toISOString(),
        captured: moneyToGiveBack(snapshot.order),
        customerCurrencyCode:
          snapshot.order.netPayment?.currencyCode ?? snapshot.order.totalPrice.currencyCode,
      }
    : null;

  // What Shopify just said about the payment is what Home and the queue warn about (ADR 021).
  if (snapshot) {
    const deadline = orderAuthorizationDeadline(snapshot.order, now.getTime());
    const lapsesAt = deadline ? new Date(deadline.expiresAt) : null;
    const estimated = deadline?.estimated ?? false;
    if (
      recordRows.some(
        (r) =>
          (r.authorizationLapsesAt?.getTime() ?? null) !== (lapsesAt?.getTime() ?? null) ||
          r.authorizationEstimated !== estimated,
      )
    )
      await db.fulfillmentOrderRecord.updateMany({
        where: { shop, orderId },
        data: { authorizationLapsesAt: lapsesAt, authorizationEstimated: estimated },
      });
  }

  // Opening the order is what "recently viewed" means; the write runs after the reads, once.
  if (input.recordView !== false)
    await recordRecentlyViewed(db, shop, { orderId, orderName: name }, now);

  return {
    orderId,
    orderNumber,
    name,
    live: Boolean(snapshot),
    shopifyError: live.error ?? (snapshot ? null : "Shopify has no such order any more."),
    createdAt,
    customerName: live.data ? customerNameOf(live.data) : (recordRows[0]?.customerName ?? null),
    tags: snapshot?.order.tags ?? [],
    note: snapshot?.order.note ?? null,
    riskLevel: snapshot?.order.riskLevel ?? recordRows[0]?.riskLevel ?? null,
    closed: snapshot?.order.closed ?? false,
    cancelledAt: snapshot?.order.cancelledAt ?? null,
    shippingAddress: snapshot?.order.shippingAddress ?? null,
    shippingMethod: snapshot?.order.shippingLines[0]?.title ?? null,
    payment,
    orderActions: {
      capture: Boolean(
        snapshot && snapshot.order.capturableTransactions.length > 0 && !snapshot.order.cancelledAt,
      ),
      archive: Boolean(snapshot && !snapshot.order.closed),
      reroute: Boolean(snapshot && !snapshot.order.closed && !snapshot.order.cancelledAt),
    },
    fulfillmentOrders,
    decisions,
    notes: threadNotes(noteRows),
    timeline,
    hasPackingSlip: fulfillmentOrders.some(
      (f) => !f.provider && f.lines.some((l) => l.remaining > 0 && l.requiresShipping),
    ),
    cancellable: (snapshot?.lineItems ?? [])
      .filter((l) => l.unfulfilledQuantity > 0)
      .map((l) => ({
        id: l.id,
        title: l.variantTitle ? `${l.title} – ${l.variantTitle}` : l.title,
        left: l.unfulfilledQuantity,
      })),
    remakes: {
      lines: (snapshot?.lineItems ?? []).map((l) => ({
        id: l.id,
        title: l.variantTitle ? `${l.title} – ${l.variantTitle}` : l.title,
        sku: l.sku,
        quantity: l.quantity,
      })),
      reasons: remakeReasonsOf(shopRow?.remakeReasons),
      currencyCode: snapshot?.order.totalPrice?.currencyCode ?? null,
      made: remakeRows
        .filter((r) => r.orderId === orderId)
        .map((r) => remakeLink(r, r.replacementName, r.replacementOrderId)),
      of: ((r) => (r ? remakeLink(r, r.orderName, r.orderId) : null))(
        remakeRows.find((r) => r.replacementOrderId === orderId),
      ),
    },
  };
}

function remakeLink(
  row: { reason: string; status: string; error: string | null; createdAt: Date },
  name: string | null,
  otherId: string | null,
): RemakeLink {
  return {
    name,
    orderNumber: otherId?.startsWith(ORDER_GID_PREFIX)
      ? otherId.slice(ORDER_GID_PREFIX.length)
      : null,
    reason: row.reason,
    status: row.status,
    error: row.error ? readWords(row.error) : null,
    createdAt: row.createdAt.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// What the merchant asks to do on the order detail.

const fulfillmentOrderId = z
  .string()
  .regex(/^gid:\/\/shopify\/FulfillmentOrder\/\d+$/, say("notThisOrdersFulfillmentOrder"));

const commandSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("approve"), fulfillmentOrderId }),
  z.object({
    action: z.literal("hold"),
    fulfillmentOrderId,
    reason: z.enum(FULFILLMENT_HOLD_REASONS, {
      errorMap: () => ({ message: say("required.reason") }),
    }),
    note: z
      .string()
      .trim()
      .max(255, say("maxLength", { max: 255 }))
      .default(""),
  }),
  z.object({ action: z.literal("release"), fulfillmentOrderId }),
  z.object({
    action: z.literal("fulfil"),
    fulfillmentOrderId,
    notifyCustomer: z
      .enum(["true", "false"])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === "true")),
  }),
  z.object({ action: z.literal("capture") }),
  z.object({ action: z.literal("archive") }),
  z.object({ action: z.literal("reroute") }),
]);

/**
 * A command from the order detail's form; order-level ones act on the order in the URL. A
 * fulfilment tells the customer as the shop's Settings say unless the form says otherwise.
 */
export function parseOrderCommand(
  form: FormData,
  orderId: string,
  defaults: { notifyCustomer: boolean },
): Parsed<MerchantCommand> {
  const raw = Object.fromEntries(
    [...form.entries()].filter(([, v]) => typeof v === "string" && v !== ""),
  );
  const parsed = commandSchema.safeParse(raw, {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator"
        ? { message: say("required.type") }
        : { message: ctx.defaultError },
  });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const c = parsed.data;
  switch (c.action) {
    case "capture":
    case "archive":
    case "reroute":
      return { ok: true, value: { action: c.action, orderId } };
    case "fulfil":
      return {
        ok: true,
        value: { ...c, notifyCustomer: c.notifyCustomer ?? defaults.notifyCustomer },
      };
    default:
      return { ok: true, value: c };
  }
}

/**
 * Runs a command only on a fulfillment order of this order, as Shopify has it now or as the read
 * model knows it: a form cannot aim at another order's fulfillment order through this page.
 */
/**
 * Whether the order is this shop's: known here from a decision or a fulfillment order, else asked
 * of Shopify with the shop's own token (another shop's order id reads as no order). A change asked
 * for another shop's order is answered 404, as its page is.
 */
export async function isShopsOrder(
  deps: { db: Db; gateway: AdminGateway },
  shop: string,
  orderId: string,
): Promise<boolean> {
  const where = { shop, orderId };
  if ((await deps.db.decision.count({ where })) > 0) return true;
  if ((await deps.db.fulfillmentOrderRecord.count({ where })) > 0) return true;
  return (await readOrder(deps.gateway, orderId)).order?.id === orderId;
}

export async function belongsToOrder(
  db: Db,
  shop: string,
  orderId: string,
  command: MerchantCommand,
): Promise<boolean> {
  if (!("fulfillmentOrderId" in command)) return true;
  const record = await db.fulfillmentOrderRecord.findUnique({
    where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId: command.fulfillmentOrderId } },
    select: { orderId: true },
  });
  return record?.orderId === orderId;
}

const noteSchema = z.object({
  body: z
    .string()
    .trim()
    .min(1, say("writeSomething"))
    .max(2000, say("maxLength", { max: 2000 })),
  parentId: z.string().min(1).max(64).optional(),
});

/** Adds a note, or a reply to one; a reply to a reply joins the thread of its first note. */
export async function addNote(
  db: Db,
  input: { shop: string; orderId: string; author: string | null; form: FormData },
): Promise<Parsed<{ id: string }>> {
  const parsed = noteSchema.safeParse({
    body: input.form.get("body") ?? "",
    parentId: input.form.get("parentId") || undefined,
  });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  let parentId: string | null = null;
  if (parsed.data.parentId) {
    const parent = await db.orderNote.findFirst({
      where: { id: parsed.data.parentId, shop: input.shop, orderId: input.orderId },
    });
    if (!parent) return { ok: false, errors: { parentId: words("fieldErrors.noteGone") } };
    parentId = parent.parentId ?? parent.id;
  }
  const note = await db.orderNote.create({
    data: {
      shop: input.shop,
      orderId: input.orderId,
      author: input.author,
      body: parsed.data.body,
      parentId,
    },
    select: { id: true },
  });
  return { ok: true, value: note };
}
