// The worker: turns stored webhooks into jobs, routes paid orders, keeps the review queue's read
// model current, and starts the bulk-item and reconciliation handlers and timers.
import { randomUUID } from "node:crypto";
import { forgetCatalogueOfProduct, productIdOf } from "../shopify/catalogue.server";
import { FULFILLMENT_ORDER_ORDER_QUERY } from "../shopify/operations";
import type {
  FulfillmentOrderOrderQuery,
  FulfillmentOrderOrderQueryVariables,
} from "../types/admin.generated";
import { setPoolSize, type Db } from "../db/client.server";
import { FULFILLMENT_HOLD_REASONS } from "../routing/snapshot";
import { words, type StoredWords, type Words } from "../routing/words";
import {
  retryDelayMs,
  SAFETY_POLL_MS,
  type HeldElsewhere,
  type Job,
  type JobQueue,
  type WorkOptions,
} from "../jobs/queue";
import { errorText, logEvent } from "../utils/log.server";
import { AUTHORIZATION_CHECK_EVERY_MS, checkAuthorizations } from "./authorization-check.server";
import { bulkItemSubject, handleBulkFeed, handleBulkItem } from "./bulk.server";
import { runFlowAction, type FlowActionJob } from "./flow-actions.server";
import { scanAndRepair } from "./repair.server";
import { checkDone, checkFailed, checkStarted } from "./drift-check.server";
import type { DriftScanJob } from "./drift-check";
import { refreshReadModel } from "./commands.server";
import { recordHoldEcho } from "./hold-echoes.server";
import { fulfillmentOrderSubjectOf } from "./fulfillment-order-subject";
import { movedOrMergedByUs } from "./move-echoes.server";
import { handleReconcile } from "./reconcile.server";
import { handleStockSubscription, stockNewsMayEnd } from "./stock-subscription.server";
import { passBudget } from "./pass-budget";
import { endsWhenUninstalled, visibleWhenGivingUp } from "./gave-up.server";
import { pruneExpired } from "./retention.server";
import { fulfillmentEventsHandled, PUSH_SLOTS, startPush } from "./push.server";
import {
  extraChargeEventOfDraft,
  extraChargeEventOfPaidOrder,
  recordExtraChargeEvent,
  type ExtraChargeEvent,
} from "./extra-charge.server";
import { routeOrder } from "./route-order.server";
import {
  ordersReached,
  ordersWaitingFor,
  replanWhenStockArrives,
  shopLevelKey,
  stockArrivalOf,
  stockWaitReleased,
  waitsAtLevels,
  type WaitInLine,
} from "./stock-waits.server";
import { routeOrderSlots } from "./routing-slots";
import type { OrderShape } from "../shopify/snapshot.server";
import { onDeliveriesStored } from "../jobs/inbox-signal";
import { shareOfEachShop, waitingByShop } from "./inbox-read.server";
import { queryOnPostgres, updateRows } from "../db/rows.server";
import { QUEUES, routeOrderKey, type RouteOrderJob, type WorkerDeps } from "./queues";

export { QUEUES, routeOrderKey, type WorkerDeps } from "./queues";

/** Topics any of which may be the first to say an order exists and is routed by Shopify. */
const ROUTING_TOPICS = [
  "orders/create",
  "orders/paid",
  "fulfillment_orders/order_routing_complete",
];

/** The routing topics that name their order, whose route job records its fulfillment orders. */
const ANNOUNCING_TOPICS = ["orders/create", "orders/paid"];

/** fulfillments/create is REST-shaped: the order's numeric id. */
function orderGidOf(payload: Record<string, unknown>): string | null {
  const id = payload.order_id;
  return typeof id === "number" || typeof id === "string" ? `gid://shopify/Order/${id}` : null;
}

/**
 * What a webhook about a fulfillment order means for the order: a line for the decision trace,
 * and whether the rules plan again (an acceptance captures on acceptance, a rejection takes the
 * rule's fallback, a fulfilment may complete the order, a hold someone else released opens the
 * way, a service giving up turns the order to needs attention) or only the queue is brought up to
 * date (a cancellation answered leaves the work where the merchant's request put it). Planning
 * again on an INCOMPLETE fulfillment order sends nothing: the rules leave it to the merchant.
 */
export interface ServiceAnswer {
  event: StoredWords | null;
  replan: boolean;
  /**
   * The lab rejected the request: when planning again leaves it rejected (no fallback in the
   * rule, or one that cannot be followed), the shop's stuck-and-drift pass is brought forward.
   */
  rejected?: true;
}

/** A fulfillment hold as the trace says it: Shopify's reason in the reader's words, the notes as written. */
function holdWords(hold: { reason?: string; reason_notes?: string | null }): Words {
  const code = (hold.reason ?? "other").toUpperCase();
  const reason = (FULFILLMENT_HOLD_REASONS as readonly string[]).includes(code)
    ? words(`holdReason.${code}`)
    : code;
  return hold.reason_notes
    ? words("shopifyEvents.holdWithNotes", { reason, notes: hold.reason_notes })
    : words("shopifyEvents.hold", { reason });
}

/** A lab's answer, with its message quoted when it sent one (`key` and `keySaid` in the catalogue). */
function labSaid(key: string, message: string | null): Words {
  return message ? words(`shopifyEvents.${key}Said`, { message }) : words(`shopifyEvents.${key}`);
}

export function serviceAnswer(topic: string, payload: Record<string, unknown>): ServiceAnswer {
  const said = typeof payload.message === "string" && payload.message ? payload.message : null;
  const hold = payload.fulfillment_hold as
    { handle?: string | null; reason?: string; reason_notes?: string | null } | undefined;
  const someoneElses = !!hold && !(hold.handle ?? "").startsWith("fr-");
  switch (topic) {
    case "fulfillment_orders/fulfillment_request_accepted":
      return { event: labSaid("requestAccepted", said), replan: true };
    case "fulfillment_orders/fulfillment_request_rejected":
      return { event: labSaid("requestRejected", said), replan: true, rejected: true };
    case "fulfillment_orders/cancellation_request_submitted": {
      // Staff asked the lab to stop (Shopify admin's Request cancellation, or another app): seen
      // now rather than when the lab answers. The merchant's message is on the request.
      const request = payload.fulfillment_order_merchant_request as
        { message?: unknown } | undefined;
      const message =
        typeof request?.message === "string" && request.message ? request.message : null;
      return {
        event: message
          ? words("settled.cancellationRequested", { message })
          : words("settled.cancellationRequestedPlain"),
        replan: false,
      };
    }
    case "fulfillment_orders/cancellation_request_accepted":
      return { event: labSaid("cancellationAccepted", said), replan: false };
    case "fulfillment_orders/cancellation_request_rejected":
      return { event: labSaid("cancellationRejected", said), replan: false };
    case "fulfillment_orders/fulfillment_service_failed_to_complete":
      return { event: labSaid("failedToComplete", said), replan: true };
    case "fulfillments/create":
      return { event: words("shopifyEvents.fulfillmentCreated"), replan: true };
    case "fulfillment_holds/added":
      return someoneElses
        ? { event: words("shopifyEvents.heldByOthers", { hold: holdWords(hold) }), replan: false }
        : { event: null, replan: false };
    case "fulfillment_holds/released":
      return someoneElses
        ? {
            event: words("shopifyEvents.releasedByOthers", { hold: holdWords(hold) }),
            replan: true,
          }
        : { event: null, replan: false };
    default:
      return { event: null, replan: false };
  }
}

function subjectOrderId(payload: Record<string, unknown>): string | null {
  return typeof payload.admin_graphql_api_id === "string" ? payload.admin_graphql_api_id : null;
}

/**
 * The lines and units an order's webhook lists (orders/create, orders/paid), when it lists them,
 * and whether it says the order was paid in full.
 */
function shapeOf(payload: Record<string, unknown>): OrderShape | undefined {
  const lines = payload.line_items;
  if (!Array.isArray(lines) || lines.length === 0) return undefined;
  let units = 0;
  for (const line of lines as { quantity?: unknown }[]) {
    if (typeof line?.quantity !== "number") return undefined;
    units += line.quantity;
  }
  return { lines: lines.length, units, paid: payload.financial_status === "paid" };
}

/** How long a process holds a delivery it took before another process may take it again. */
export const INBOX_LEASE_MS = 60_000;

/** Deliveries a process turns into jobs at once (different shops or different orders). */
const INBOX_AT_ONCE = 8;

/**
 * The most deliveries of one shop a pass takes: about one round of every lane for a flash sale's
 * orders (three webhooks each). A shop whose first webhook arrives during a pass waits for that
 * pass to end, so a pass stays short however large one shop's backlog is (measured with a burst of
 * 400 orders under load: 1.5 s from stored to queued while each pass took 200 of the burst's); the
 * busy shop loses nothing, the next pass starts at once.
 */
export const INBOX_SHOP_SHARE = 3 * INBOX_AT_ONCE;

/**
 * The longest an order_routing_complete naming a fulfillment order the app has not recorded waits
 * for its order's own route job (started by the orders/create or orders/paid Shopify sends with
 * it), which records the fulfillment order and answers it, before the inbox asks Shopify which
 * order it belongs to: reconciliation's interval, by when a paid order whose other webhooks were
 * all lost is routed anyway.
 */
export const ROUTING_COMPLETE_WAIT_MS = 10 * 60_000;

/** How soon a waiting order_routing_complete looks again whether the app knows its order. */
export const ROUTING_COMPLETE_LOOK_AGAIN_MS = 30_000;

/** What the deliveries of one inbox pass share. */
interface Pass {
  /**
   * The orders whose route job this pass already enqueued (orders/create, orders/paid and
   * order_routing_complete of one order usually come together; the first one's enqueue is enough).
   */
  routed: Set<string>;
  /** Shops with an orders/create or orders/paid among this pass's deliveries. */
  announcing: Set<string>;
  /** Whether a shop has jobs due or running, asked once a pass. */
  busy: Map<string, Promise<boolean>>;
  /**
   * The newest handled delivery (its triggeredAt) per shop, topic and subject among this pass's
   * subjects: read once when the pass starts (a statement per delivery cost the worker more CPU
   * than the rest of the inbox), moved on as the pass handles them.
   */
  newestHandled: Map<string, number>;
  /** The pass's paid orders (shop and order) with a fulfillment order needing attention. */
  needsAttention: Set<string>;
  /**
   * The order of each fulfillment order the pass's routing deliveries name without their order
   * (order_routing_complete), as recorded when the pass started (shop|fulfillment order → order,
   * null when not recorded): read once for the pass rather than once a delivery.
   */
  recordedOrders: Map<string, string | null>;
  /**
   * What waits at each level the pass's inventory_levels/update deliveries name (shop|item|location
   * → the waits there), read once for the pass (ADR 096): a busy shop's updates, every order placed
   * sending one, cost no statement each.
   */
  stockWaits: Map<string, WaitInLine[]>;
  /** Deliveries turned into their job (or found to need none), marked when the pass ends. */
  settled: Map<"processed" | "ignored", string[]>;
  /** order_routing_complete deliveries still waiting for their order's route job. */
  waiting: string[];
}

type Delivery = Awaited<ReturnType<Db["webhookDelivery"]["findMany"]>>[number];

/**
 * Takes stored deliveries and turns each into at most one job. Shops take turns (one shop's
 * flash sale never holds another shop's webhooks behind it), and the deliveries about one order
 * or fulfillment order go in arrival order. A pass's deliveries are claimed together first (their
 * retryAt moves a lease ahead, only for those still waiting and due), so any number of worker
 * processes share the inbox without two handling one delivery, each pass on deliveries of its
 * own; a process that dies holding deliveries leaves them to be taken again when the lease runs
 * out. Jobs are keyed, and a delivery is marked processed only after its job is enqueued, so a
 * crash in between enqueues nothing twice. The deliveries of a shop that no longer has the app
 * installed are deleted instead (dropNotInstalled). Answers how many it handled or deleted.
 */
export async function processInbox(
  deps: WorkerDeps,
  limit = 200,
  /**
   * Called once the pass has claimed what it takes, before it handles them; `more` when some
   * shop had more waiting than its share of this pass (a backlog: another pass may start now).
   */
  claimed?: (more: boolean) => void,
): Promise<number> {
  const { db } = deps;
  // Read, then claimed (by the read's own statement on PostgreSQL, ADR 059): what another process
  // claimed since it was read is left out, so two processes' passes take different deliveries
  // instead of racing for the same ones one by one. All of it taken by another process that read
  // at the same moment: read again.
  let perShop: Delivery[][] = [];
  let taken = new Set<string>();
  let dropped = 0;
  let more = false;
  const share = { shops: limit, least: 10, most: INBOX_SHOP_SHARE };
  for (let tries = 0; tries < 3 && taken.size === 0 && dropped === 0; tries++) {
    // The shops waiting longest and each one's share of this pass, never more than
    // INBOX_SHOP_SHARE (the pass stays short), and which of those shops still have the app
    // installed (ADR 045), in one statement.
    const installed = new Set<string>();
    const at = deps.now();
    const claim: { until: Date; claimed: Set<string> | null } = {
      until: new Date(at.getTime() + INBOX_LEASE_MS),
      claimed: null,
    };
    const read = await waitingByShop(db, at, share, installed, claim);
    if (read.length === 0) return 0;
    // A shop took its whole share (ADR 048): it may have more waiting.
    const each = shareOfEachShop(share, read.length);
    more = read.some((deliveries) => deliveries.length >= each);
    perShop = read.filter((deliveries) => installed.has(deliveries[0]!.shop));
    dropped = await dropNotInstalled(
      deps,
      read.filter((deliveries) => !installed.has(deliveries[0]!.shop)),
    );
    taken = claim.claimed ?? (await claimDeliveries(deps, perShop.flat()));
  }
  claimed?.(more);
  // Lanes: one per order (or fulfillment order) a delivery is about, in arrival order; the lanes
  // of all shops interleaved, the first lane of every shop before the second of any.
  const lanesByShop = perShop.map((read) => {
    const deliveries = read.filter((d) => taken.has(d.id));
    const lanes = new Map<string, Delivery[]>();
    for (const d of deliveries) {
      const lane = d.subjectId ?? d.id;
      lanes.set(lane, [...(lanes.get(lane) ?? []), d]);
    }
    return [...lanes.values()];
  });
  const lanes: Delivery[][] = [];
  for (let round = 0; lanes.length < lanesByShop.flat().length; round++) {
    for (const shopLanes of lanesByShop) if (shopLanes[round]) lanes.push(shopLanes[round]!);
  }
  const pass = await startPass(deps, lanes.flat());
  let handled = 0;
  let next = 0;
  const runLanes = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++]!;
      for (const d of lane) {
        await handleDelivery(deps, d, pass);
        handled++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(INBOX_AT_ONCE, lanes.length) }, runLanes));
  } finally {
    await settlePass(deps, pass);
    fulfillmentEventsHandled(lanes.flat());
  }
  return handled + dropped;
}

/**
 * Deletes the deliveries read for shops that no longer have the app installed, instead of
 * turning them into jobs: what a web process stored after the uninstall's erase (its memory of the
 * shop installed, or a check that passed just before the erase committed). Nothing is kept about
 * such a shop, and nothing is retried; one line per shop says how many went. Only the rows read:
 * a delivery stored after a reinstall is the new installation's.
 */
async function dropNotInstalled(deps: WorkerDeps, perShop: Delivery[][]): Promise<number> {
  const gone = perShop.filter((deliveries) => deliveries.length > 0);
  if (gone.length === 0) return 0;
  await deps.db.webhookDelivery.deleteMany({
    where: { id: { in: gone.flat().map((d) => d.id) } },
  });
  for (const deliveries of gone)
    logEvent("warn", "webhook.not_installed", {
      shop: deliveries[0]!.shop,
      dropped: deliveries.length,
      topics: [...new Set(deliveries.map((d) => d.topic))],
    });
  return gone.flat().length;
}

const subjectKey = (shop: string, topic: string, subject: string) => `${shop}|${topic}|${subject}`;

/** Shops' values as one OR of per-shop `in` lists (each uses an index that starts with the shop). */
function perShopIn<T extends { shop: string }>(rows: T[], value: (row: T) => string) {
  const byShop = new Map<string, Set<string>>();
  for (const row of rows) byShop.set(row.shop, (byShop.get(row.shop) ?? new Set()).add(value(row)));
  return [...byShop].map(([shop, values]) => ({ shop, values: [...values] }));
}

/** A pass over these deliveries: what it reads once for all of them. */
async function startPass(deps: WorkerDeps, deliveries: Delivery[]): Promise<Pass> {
  const { db } = deps;
  const pass: Pass = {
    routed: new Set(),
    announcing: new Set(
      deliveries.flatMap((d) => (ANNOUNCING_TOPICS.includes(d.topic) ? [d.shop] : [])),
    ),
    busy: new Map(),
    newestHandled: new Map(),
    needsAttention: new Set(),
    recordedOrders: new Map(),
    stockWaits: new Map(),
    settled: new Map([
      ["processed", []],
      ["ignored", []],
    ]),
    waiting: [],
  };
  // A retry carries the original payload: the deliveries about the same subjects already handled.
  const dated = deliveries.filter((d) => d.subjectId && d.triggeredAt);
  const groups = new Map<string, { shop: string; topic: string; subjects: Set<string> }>();
  for (const d of dated) {
    const key = `${d.shop}|${d.topic}`;
    const group = groups.get(key) ?? { shop: d.shop, topic: d.topic, subjects: new Set() };
    group.subjects.add(d.subjectId!);
    groups.set(key, group);
  }
  const paid = deliveries.filter((d) => d.topic === "orders/paid" && d.subjectId);
  // A routing delivery without an order names its fulfillment order as its subject.
  const naming = deliveries.filter(
    (d) => ROUTING_TOPICS.includes(d.topic) && !ANNOUNCING_TOPICS.includes(d.topic) && d.subjectId,
  );
  for (const d of naming) pass.recordedOrders.set(`${d.shop}|${d.subjectId}`, null);
  const levels = stockLevelsOf(deliveries);
  if (await startPassOnPostgres(db, pass, [...groups.values()], paid, naming, levels)) return pass;
  if (levels.length > 0) pass.stockWaits = await waitsAtLevels(db, levels);
  if (dated.length > 0) {
    // Only the index's columns in the statement (each shop and topic one range of it); the few
    // deliveries per subject are told apart here.
    const about = await db.webhookDelivery.findMany({
      where: {
        OR: [...groups.values()].map((g) => ({
          shop: g.shop,
          topic: g.topic,
          subjectId: { in: [...g.subjects] },
        })),
      },
      select: { shop: true, topic: true, subjectId: true, triggeredAt: true, status: true },
    });
    for (const h of about) if (h.status === "processed") noteHandled(pass, h);
  }
  if (paid.length > 0) {
    const attention = await db.fulfillmentOrderRecord.findMany({
      where: {
        outcome: "needs_attention",
        OR: perShopIn(paid, (d) => d.subjectId!).map(({ shop, values }) => ({
          shop,
          orderId: { in: values },
        })),
      },
      select: { shop: true, orderId: true },
    });
    for (const a of attention) pass.needsAttention.add(`${a.shop}|${a.orderId}`);
  }
  if (naming.length > 0) {
    const recorded = await db.fulfillmentOrderRecord.findMany({
      where: {
        OR: perShopIn(naming, (d) => d.subjectId!).map(({ shop, values }) => ({
          shop,
          fulfillmentOrderId: { in: values },
        })),
      },
      select: { shop: true, fulfillmentOrderId: true, orderId: true },
    });
    for (const r of recorded)
      pass.recordedOrders.set(`${r.shop}|${r.fulfillmentOrderId}`, r.orderId);
  }
  return pass;
}

/** The levels the pass's inventory_levels/update deliveries name with an `available`, each once. */
function stockLevelsOf(deliveries: readonly Delivery[]) {
  const levels = new Map<string, { shop: string; inventoryItemId: string; locationId: string }>();
  for (const d of deliveries) {
    if (d.topic !== "inventory_levels/update") continue;
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(d.payload) as Record<string, unknown>;
    } catch {
      // handleDelivery marks it failed.
      continue;
    }
    const arrival = stockArrivalOf(payload, d.payload);
    if (!arrival || arrival.available === null) continue;
    levels.set(shopLevelKey({ shop: d.shop, ...arrival }), {
      shop: d.shop,
      inventoryItemId: arrival.inventoryItemId,
      locationId: arrival.locationId,
    });
  }
  return [...levels.values()];
}

/**
 * startPass's four reads (the handled deliveries about the pass's subjects, its paid orders
 * needing attention, the recorded orders of the fulfillment orders it names, what waits at the
 * levels its stock updates name) as one statement on PostgreSQL, each part the statement Prisma
 * sent for it, through the same index (docs/decisions/059, 096); false on SQLite, or when there is
 * nothing to read, and the pass reads as before.
 */
async function startPassOnPostgres(
  db: Db,
  pass: Pass,
  groups: { shop: string; topic: string; subjects: Set<string> }[],
  paid: Delivery[],
  naming: Delivery[],
  levels: readonly { shop: string; inventoryItemId: string; locationId: string }[],
): Promise<boolean> {
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const list = (items: Iterable<string>) => [...items].map(bind).join(", ");
  const parts: string[] = [];
  // Only the index's columns in each part's condition, as Prisma's reads had them.
  if (groups.length > 0)
    parts.push(`SELECT 'handled' AS "kind", d."shop", d."topic", d."subjectId" AS "subject",
        NULL::text AS "orderId", d."triggeredAt", d."status", NULL::int AS "units"
        FROM "WebhookDelivery" d
      WHERE ${groups.map((g) => `(d."shop" = ${bind(g.shop)} AND d."topic" = ${bind(g.topic)} AND d."subjectId" IN (${list(g.subjects)}))`).join(" OR ")}`);
  if (paid.length > 0)
    parts.push(`SELECT 'attention', r."shop", NULL, r."orderId", NULL, NULL, NULL, NULL
        FROM "FulfillmentOrderRecord" r WHERE r."outcome" = 'needs_attention' AND (${perShopIn(
          paid,
          (d) => d.subjectId!,
        )
          .map((g) => `(r."shop" = ${bind(g.shop)} AND r."orderId" IN (${list(g.values)}))`)
          .join(" OR ")})`);
  if (naming.length > 0)
    parts.push(`SELECT 'recorded', r."shop", NULL, r."fulfillmentOrderId", r."orderId", NULL, NULL,
        NULL FROM "FulfillmentOrderRecord" r WHERE ${perShopIn(naming, (d) => d.subjectId!)
          .map(
            (g) => `(r."shop" = ${bind(g.shop)} AND r."fulfillmentOrderId" IN (${list(g.values)}))`,
          )
          .join(" OR ")}`);
  // The waits: the item as the topic, the location as the subject, the place in line as the time.
  if (levels.length > 0)
    parts.push(`SELECT 'waiting' AS "kind", w."shop", w."inventoryItemId" AS "topic",
        w."locationId" AS "subject", w."orderId", COALESCE(w."placedAt", w."createdAt") AS
        "triggeredAt", NULL AS "status", w."units" FROM "StockWait" w
      WHERE ${levels.map((l) => `(w."shop" = ${bind(l.shop)} AND w."inventoryItemId" = ${bind(l.inventoryItemId)} AND w."locationId" = ${bind(l.locationId)})`).join(" OR ")}`);
  if (parts.length === 0) return false;
  const rows = await queryOnPostgres<{
    kind: "handled" | "attention" | "recorded" | "waiting";
    shop: string;
    topic: string | null;
    subject: string;
    orderId: string | null;
    triggeredAt: Date | null;
    status: string | null;
    units: number | null;
  }>(db, parts.join(" UNION ALL "), values);
  if (!rows) return false;
  for (const l of levels) pass.stockWaits.set(shopLevelKey(l), []);
  for (const r of rows) {
    if (r.kind === "handled") {
      if (r.status === "processed")
        noteHandled(pass, { ...r, topic: r.topic!, subjectId: r.subject });
    } else if (r.kind === "attention") pass.needsAttention.add(`${r.shop}|${r.subject}`);
    else if (r.kind === "recorded") pass.recordedOrders.set(`${r.shop}|${r.subject}`, r.orderId);
    else
      pass.stockWaits
        .get(shopLevelKey({ shop: r.shop, inventoryItemId: r.topic!, locationId: r.subject }))
        ?.push({ orderId: r.orderId!, placedAt: r.triggeredAt!, units: Number(r.units) });
  }
  return true;
}

function noteHandled(
  pass: Pass,
  d: { shop: string; topic: string; subjectId: string | null; triggeredAt: Date | null },
) {
  if (!d.subjectId || !d.triggeredAt) return;
  const key = subjectKey(d.shop, d.topic, d.subjectId);
  pass.newestHandled.set(key, Math.max(pass.newestHandled.get(key) ?? 0, d.triggeredAt.getTime()));
}

/**
 * Marks the pass's settled deliveries, one statement per status, and has those still waiting for
 * their order's route job looked at again later, unless the route job answered them meanwhile.
 */
async function settlePass(deps: WorkerDeps, pass: Pass): Promise<void> {
  const at = deps.now();
  const later = new Date(at.getTime() + ROUTING_COMPLETE_LOOK_AGAIN_MS);
  const processed = pass.settled.get("processed")!;
  const ignored = pass.settled.get("ignored")!;
  // On PostgreSQL the marks and the put-off are one statement (docs/decisions/059): the
  // put-off's rows keep their status, so its update stays HOT (ADR 057).
  const kinds = [processed, ignored, pass.waiting].filter((ids) => ids.length > 0).length;
  if (kinds > 1 && processed.length + ignored.length + pass.waiting.length <= 500) {
    const marked = await queryOnPostgres(
      deps.db,
      `UPDATE "WebhookDelivery" SET
         "status" = CASE WHEN "id" = ANY($1) THEN 'processed'
                         WHEN "id" = ANY($2) THEN 'ignored' ELSE "status" END,
         "processedAt" = CASE WHEN "id" = ANY($3) THEN "processedAt" ELSE $4 END,
         "error" = CASE WHEN "id" = ANY($3) THEN "error" END,
         "retryAt" = CASE WHEN "id" = ANY($3) THEN $5 ELSE "retryAt" END
       WHERE "id" = ANY($6) AND ("status" = 'received' OR "id" <> ALL($3))
       RETURNING "id"`,
      // Every id in one list ($6), so the rows are looked up by the primary key: three lists
      // OR-ed made the prepared statement's generic plan read the whole table.
      [processed, ignored, pass.waiting, at, later, [...processed, ...ignored, ...pass.waiting]],
    );
    if (marked) return;
  }
  // Through the driver adapter on PostgreSQL (a Prisma model call cost the worker several times
  // the CPU, docs/decisions/046 and 048), Prisma's updateMany on SQLite.
  for (let i = 0; i < pass.waiting.length; i += 500)
    await updateRows(deps.db, "WebhookDelivery", {
      where: { id: { in: pass.waiting.slice(i, i + 500) }, status: "received" },
      data: { retryAt: later },
    });
  for (const [status, ids] of pass.settled) {
    for (let i = 0; i < ids.length; i += 500)
      await updateRows(deps.db, "WebhookDelivery", {
        where: { id: { in: ids.slice(i, i + 500) } },
        data: { status, processedAt: at, error: null },
      });
  }
}

/**
 * Takes deliveries for this process: moves their retryAt a lease ahead, only for those still
 * waiting and due (one another process took since they were read has its retryAt ahead: on
 * PostgreSQL the statement waits for that process's claim and then leaves the row out). Answers
 * the ids this process now holds.
 */
async function claimDeliveries(deps: WorkerDeps, read: Delivery[]): Promise<Set<string>> {
  if (read.length === 0) return new Set();
  const at = deps.now();
  const claimed = await deps.db.webhookDelivery.updateManyAndReturn({
    where: {
      id: { in: read.map((d) => d.id) },
      status: "received",
      OR: [{ retryAt: null }, { retryAt: { lte: at } }],
    },
    data: { retryAt: new Date(at.getTime() + INBOX_LEASE_MS) },
    select: { id: true },
  });
  return new Set(claimed.map((c) => c.id));
}

/**
 * Whether an order_routing_complete naming a fulfillment order the app has not recorded waits for
 * its order's route job instead of asking Shopify for the order now: while the order's own
 * orders/create or orders/paid may still be on its way to a job (one of the shop's is in this
 * pass, or the shop has jobs due or running), for at most ROUTING_COMPLETE_WAIT_MS. Asking
 * costs a point, and on a shop whose bucket a flash sale emptied it waits out the bucket in one of
 * the pass's lanes; the route job records the fulfillment order anyway.
 */
async function waitsForItsOrder(deps: WorkerDeps, d: Delivery, pass: Pass): Promise<boolean> {
  if (deps.now().getTime() - d.receivedAt.getTime() >= ROUTING_COMPLETE_WAIT_MS) return false;
  if (pass.announcing.has(d.shop)) return true;
  let busy = pass.busy.get(d.shop);
  if (!busy) {
    // Due or running jobs only: a timer set for later (a hold released tomorrow, a retry's
    // backoff) is not the order's route job on its way, and would keep the shop busy for hours.
    busy = deps.queue.health(d.shop, deps.now()).then((h) => h.due + h.running > 0);
    pass.busy.set(d.shop, busy);
  }
  return busy;
}

/**
 * Turns one claimed delivery into at most one job, or keeps it for a retry with backoff. It is
 * marked processed (or ignored) after its job was enqueued: with the pass's others when the pass
 * ends if its job is keyed (a process that dies before then leaves it to be taken again, and the
 * key makes that enqueue nothing), at once if it is not.
 */
async function handleDelivery(deps: WorkerDeps, d: Delivery, pass: Pass): Promise<void> {
  const { db } = deps;
  const { routed } = pass;
  let unkeyed = false;
  const queue: Pick<JobQueue, "enqueue"> = {
    enqueue(name, payload, options) {
      if (!options?.key) unkeyed = true;
      return deps.queue.enqueue(name, payload, options);
    },
  };
  let status: "processed" | "ignored" | "waiting" = "processed";
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(d.payload) as Record<string, unknown>;
  } catch (e) {
    // Stored bytes that are not JSON never will be: nothing to retry.
    await db.webhookDelivery.update({
      where: { id: d.id },
      data: { status: "failed", processedAt: deps.now(), error: errorText(e) },
    });
    return;
  }
  try {
    // A retry carries the original payload: when a newer delivery about the same thing was
    // already handled, this one has nothing new to say.
    if (d.subjectId && d.triggeredAt) {
      const newest = pass.newestHandled.get(subjectKey(d.shop, d.topic, d.subjectId));
      if (newest !== undefined && newest > d.triggeredAt.getTime()) status = "ignored";
    }
    if (status === "processed") {
      const routeJob = async (orderId: string) => {
        const key = routeOrderKey(d.shop, orderId);
        if (routed.has(key)) return;
        routed.add(key);
        await queue
          .enqueue(
            QUEUES.routeOrder,
            {
              shop: d.shop,
              orderId,
              trigger: "webhook",
              cause: d.topic,
              shape: shapeOf(payload),
            } satisfies RouteOrderJob,
            // In the shop's line by when Shopify sent it, not when it came (ADR 038).
            { key, shop: d.shop, maxAttempts: 12, orderAt: d.triggeredAt ?? d.receivedAt },
          )
          .catch((error: unknown) => {
            routed.delete(key);
            throw error;
          });
      };
      if (ROUTING_TOPICS.includes(d.topic)) {
        // Whichever of orders/create, order_routing_complete and orders/paid comes first
        // starts the order's one keyed job; the others find it queued (or bring a job waiting
        // for payment forward) or find the order decided.
        const fulfillmentOrderId = fulfillmentOrderSubjectOf(payload);
        let orderId =
          subjectOrderId(payload) ??
          (fulfillmentOrderId
            ? await recordedOrderOf(deps, pass, d.shop, fulfillmentOrderId)
            : null);
        if (!orderId && fulfillmentOrderId) {
          // Its order's route job answers it when it records the fulfillment order (routeOrder).
          if (await waitsForItsOrder(deps, d, pass)) status = "waiting";
          else orderId = await orderOnShopify(deps, d.shop, fulfillmentOrderId);
        }
        if (orderId) await routeJob(orderId);
        else if (status !== "waiting") status = "ignored";
        // Paid after all (a lapsed authorization collected another way, Mark as paid): an order
        // the rules decided and that needs attention is shown again as it now stands.
        if (
          orderId &&
          d.topic === "orders/paid" &&
          (orderId === d.subjectId
            ? pass.needsAttention.has(`${d.shop}|${orderId}`)
            : (await db.fulfillmentOrderRecord.count({
                where: { shop: d.shop, orderId, outcome: "needs_attention" },
              })) > 0)
        )
          await queue.enqueue(
            QUEUES.refreshOrder,
            {
              shop: d.shop,
              orderId,
              answer: { event: words("shopifyEvents.orderPaid"), replan: false },
            },
            { shop: d.shop },
          );
        // An order made from an extra charge's draft was paid: the charge's original may go.
        const charge = d.topic === "orders/paid" ? extraChargeEventOfPaidOrder(payload) : null;
        if (charge)
          await queue.enqueue(
            QUEUES.extraCharge,
            { shop: d.shop, event: charge },
            { key: `extra-charge:${d.webhookId}`, shop: d.shop, maxAttempts: 12 },
          );
      } else if (d.topic.startsWith("draft_orders/")) {
        const draft = extraChargeEventOfDraft(payload);
        if (!draft) {
          // Another draft of the shop, not an extra charge: nothing to do and nothing to keep,
          // so its delivery (the customer's, when the subscription sent more) goes now (ADR 073).
          await db.webhookDelivery.deleteMany({ where: { id: d.id } });
          return;
        }
        await queue.enqueue(
          QUEUES.extraCharge,
          { shop: d.shop, event: draft },
          { key: `extra-charge:${d.webhookId}`, shop: d.shop, maxAttempts: 12 },
        );
      } else if (d.topic === "products/update" || d.topic === "products/delete") {
        // What the router kept of the product's type, tags and options is read again, or, for a
        // deleted product, forgotten (ADR 026).
        const productId = productIdOf(payload, d.payload);
        if (productId) await forgetCatalogueOfProduct(db, d.shop, productId);
        else status = "ignored";
      } else if (d.topic === "inventory_levels/update") {
        // Stock at a location changed (staff received a delivery, a count, an app; an order
        // placed, fulfilled, moved, cancelled or refunded): the orders with a part held for that
        // item there which `available` now lets ship are planned again at the end of the window,
        // once however many updates the window brings (ADR 088, 091). Nothing waiting that it
        // lets ship (most updates: every order placed sends one): one indexed read, nothing to do.
        const arrival = stockArrivalOf(payload, d.payload);
        // What waits there, as the pass read it for all its updates together (ADR 096).
        const known = arrival && pass.stockWaits.get(shopLevelKey({ shop: d.shop, ...arrival }));
        const waiting =
          !arrival || arrival.available === null
            ? []
            : known
              ? ordersReached(known, arrival.available)
              : await ordersWaitingFor(db, d.shop, { ...arrival, available: arrival.available });
        if (waiting.length > 0) await replanWhenStockArrives(queue, d.shop, waiting, deps.now());
        else status = "ignored";
      } else if (d.topic === "orders/cancelled") {
        const orderId = subjectOrderId(payload);
        if (orderId) {
          // A cancelled order waits for no stock: its units are no longer committed, and a wait
          // left behind would hand the order before it in line a unit no one holds (ADR 096).
          const { count } = await db.stockWait.deleteMany({ where: { shop: d.shop, orderId } });
          // It may have been the shop's last wait, under rules that split nothing by stock (ADR 103).
          if (count > 0) await stockNewsMayEnd({ db, queue, now: deps.now }, d.shop);
          await queue.enqueue(QUEUES.refreshOrder, { shop: d.shop, orderId }, { shop: d.shop });
        }
      } else if (d.topic === "fulfillments/create") {
        const orderId = orderGidOf(payload);
        if (orderId)
          await queue.enqueue(
            QUEUES.refreshOrder,
            {
              shop: d.shop,
              orderId,
              answer: serviceAnswer(d.topic, payload),
              // The fulfillment's gid: an echo of the app's own fulfillmentCreate costs no read.
              fulfillmentId:
                typeof payload.admin_graphql_api_id === "string"
                  ? payload.admin_graphql_api_id
                  : null,
            },
            { shop: d.shop },
          );
        else status = "ignored";
      } else if (
        d.topic.startsWith("fulfillment_orders/") ||
        d.topic.startsWith("fulfillment_holds/")
      ) {
        const fulfillmentOrderId = fulfillmentOrderSubjectOf(payload);
        // The rules' stock hold released (by hand, or by the app shipping): that part waits no
        // more, and must not count in the line for stock (ADR 103). It may be the shop's last wait.
        if (
          d.topic === "fulfillment_holds/released" &&
          (await stockWaitReleased(db, d.shop, payload, d.triggeredAt)) > 0
        )
          await stockNewsMayEnd({ db, queue, now: deps.now }, d.shop);
        if (!fulfillmentOrderId) status = "ignored";
        // The echo of the app's own move or merge: the app read the order after its Step, so
        // only a move or merge staff made in admin (or another app) reads the order again.
        else if (await movedOrMergedByUs(db, d.shop, d.topic, payload, d.triggeredAt)) {
          // Nothing to do: the rows show it already.
        }
        // The echo of the app's own hold or release: its payload keeps the queue current.
        else if (!(await recordHoldEcho(db, d.shop, d.topic, payload, d.triggeredAt))) {
          // The echo of the app's own cancellation request: its step is in the trace already,
          // and its message is the one the app wrote for the lab, not news for the merchant.
          const ours =
            d.topic === "fulfillment_orders/cancellation_request_submitted" &&
            (await askedByUs(db, d.shop, fulfillmentOrderId));
          const answer = ours ? { event: null, replan: false } : serviceAnswer(d.topic, payload);
          await queue.enqueue(
            QUEUES.refreshOrder,
            { shop: d.shop, fulfillmentOrderId, answer },
            { shop: d.shop },
          );
          // The lab will not stop, or gave the work up: stuck findings (ADR 080) only the
          // stuck-and-drift pass raises, and the order's reason already sends the merchant to
          // them; brought forward from the next five-minute pass.
          if (SCAN_AFTER_TOPICS.has(d.topic)) await scanAfterLabAnswer(queue, d.shop, deps.now());
        }
      } else {
        status = "ignored";
      }
    }
  } catch (e) {
    // The database (or the queue) was away for a moment: the delivery stays in the inbox and
    // is tried again with backoff; after INBOX_MAX_ATTEMPTS it is marked failed, and logged.
    const error = errorText(e);
    const attempts = d.attempts + 1;
    const givingUp = attempts >= INBOX_MAX_ATTEMPTS;
    if (givingUp) {
      logEvent("error", "webhook.gave_up", {
        shop: d.shop,
        topic: d.topic,
        webhookId: d.webhookId,
        orderId: d.subjectId?.includes("/Order/") ? d.subjectId : null,
        attempts,
        error,
      });
    } else {
      logEvent("warn", "webhook.enqueue_failed", {
        shop: d.shop,
        topic: d.topic,
        webhookId: d.webhookId,
        attempts,
        error,
      });
    }
    await db.webhookDelivery
      .update({
        where: { id: d.id },
        data: givingUp
          ? { status: "failed", processedAt: deps.now(), error, attempts }
          : {
              attempts,
              error,
              retryAt: new Date(deps.now().getTime() + retryDelayMs(attempts)),
            },
      })
      // Not even this write went through: the row is still "received" and is read again.
      .catch(() => undefined);
    return;
  }
  if (status === "waiting") {
    // Still waiting, as received, without an attempt counted: looked at again after the pass
    // (settlePass, one statement for all of them; until then the claim's lease keeps it).
    pass.waiting.push(d.id);
    return;
  }
  if (status === "processed") noteHandled(pass, d);
  if (!unkeyed) pass.settled.get(status)!.push(d.id);
  else
    await db.webhookDelivery.update({
      where: { id: d.id },
      data: { status, processedAt: deps.now(), error: null },
    });
}

/** Attempts to turn a stored delivery into a job before it is marked failed (about 8 minutes). */
export const INBOX_MAX_ATTEMPTS = 10;

/** The order of a fulfillment order the app has recorded; null when it has not (yet). */
async function knownOrderOf(
  deps: WorkerDeps,
  shop: string,
  fulfillmentOrderId: string,
): Promise<string | null> {
  const record = await deps.db.fulfillmentOrderRecord.findUnique({
    where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId } },
    select: { orderId: true },
  });
  return record?.orderId ?? null;
}

/** The recorded order of a fulfillment order: as the pass read it, or read now if it did not. */
async function recordedOrderOf(
  deps: WorkerDeps,
  pass: Pass,
  shop: string,
  fulfillmentOrderId: string,
): Promise<string | null> {
  const read = pass.recordedOrders.get(`${shop}|${fulfillmentOrderId}`);
  return read !== undefined ? read : knownOrderOf(deps, shop, fulfillmentOrderId);
}

/** The order of a fulfillment order, asked of Shopify (fulfillment_orders/* carry only its id). */
async function orderOnShopify(
  deps: WorkerDeps,
  shop: string,
  fulfillmentOrderId: string,
): Promise<string | null> {
  const gateway = await deps.gatewayFor(shop);
  const data = await gateway.request<
    FulfillmentOrderOrderQuery,
    FulfillmentOrderOrderQueryVariables
  >(FULFILLMENT_ORDER_ORDER_QUERY, { id: fulfillmentOrderId });
  return data.fulfillmentOrder?.orderId ?? null;
}

export async function handleRouteOrder(deps: WorkerDeps, job: Job): Promise<void> {
  const { shop, orderId, trigger, cause, shape } = job.payload as RouteOrderJob;
  const gateway = await deps.gatewayFor(shop);
  const result = await routeOrder(
    { db: deps.db, gateway, now: deps.now, signal: job.signal },
    { shop, orderId, trigger, cause, shape, jobId: job.id },
  );
  deps.log?.(
    `${orderId}: ${result.status}${result.message ? ` (${JSON.stringify(result.message)})` : ""}, ${result.stepsApplied} step(s)`,
  );
  // Stock arriving shipped what waited under rules that no longer split by stock: the shop may
  // need no stock news now (ADR 103).
  if (result.stockWaitEnded) await stockNewsMayEnd(deps, shop, false);
  if (result.replanAt) {
    await deps.queue.enqueue(
      QUEUES.routeOrder,
      { shop, orderId, trigger: "timer" } satisfies RouteOrderJob,
      {
        key: `timer:${shop}:${orderId}:${result.replanAt}`,
        shop,
        runAt: new Date(result.replanAt),
      },
    );
  }
}

export async function handleRefreshOrder(deps: WorkerDeps, job: Job): Promise<void> {
  const payload = job.payload as {
    shop: string;
    orderId?: string;
    fulfillmentOrderId?: string;
    /** Older jobs: the lab accepted. */
    reroute?: boolean;
    answer?: ServiceAnswer;
    /** fulfillments/create: the fulfillment Shopify created. */
    fulfillmentId?: string | null;
  };
  const orderId =
    payload.orderId ??
    (payload.fulfillmentOrderId
      ? ((await knownOrderOf(deps, payload.shop, payload.fulfillmentOrderId)) ??
        (await orderOnShopify(deps, payload.shop, payload.fulfillmentOrderId)))
      : null);
  if (!orderId) return;
  // The echo of a fulfillment this app created: the job that created it planned again on what
  // Shopify answered (capture on fulfilment, archive), so reading the order again finds nothing
  // new. This job waits for that one (one order at a time), so its outcome is recorded by now.
  if (
    payload.fulfillmentId &&
    (await createdByUs(deps.db, payload.shop, orderId, payload.fulfillmentId))
  )
    return;
  const gateway = await deps.gatewayFor(payload.shop);
  const routeDeps = { db: deps.db, gateway, now: deps.now, signal: job.signal };
  const answer = payload.answer ?? (payload.reroute ? { event: null, replan: true } : null);
  if (answer?.replan) {
    // What the rules do on the service's answer happens now: capture on acceptance, a
    // rejection's fallback, capture or archive once fulfilled.
    const result = await routeOrder(routeDeps, {
      shop: payload.shop,
      orderId,
      trigger: "service",
      event: answer.event ?? undefined,
      jobId: job.id,
    });
    // A rejection no fallback answered is a stuck finding now (rejected_no_fallback), whose
    // re-route the merchant looks for on Stuck and drift: its pass is brought forward as for a lab
    // giving up.
    // A rejection the fallback answered (moved, fulfilled elsewhere) leaves nothing stuck.
    if (
      answer.rejected &&
      result.attention?.some(
        (a) =>
          a.code === "fulfilment_request_rejected" &&
          (!payload.fulfillmentOrderId || a.fulfillmentOrderId === payload.fulfillmentOrderId),
      )
    )
      await scanAfterLabAnswer(deps.queue, payload.shop, deps.now());
    return;
  }
  await refreshReadModel(routeDeps, payload.shop, orderId);
  if (answer?.event)
    await recordServiceEvent(deps.db, payload.shop, orderId, answer.event, deps.now());
}

/**
 * Triggers of the decisions routeOrder makes by the rules: after a fulfillmentCreate Step it plans
 * again on Shopify's answer (plan.ts needsReplan). A merchant's own command (Fulfill items) does
 * not, so its echo still reads the order and lets the rules act on the fulfillment.
 */
const REPLANNED_AFTER_FULFILLMENT = ["webhook", "reconciliation", "timer", "service", "stock"];

/** Whether a fulfillmentCreate Step the rules applied on the order made this fulfillment. */
async function createdByUs(
  db: Db,
  shop: string,
  orderId: string,
  fulfillmentId: string,
): Promise<boolean> {
  const step = await db.step.findFirst({
    where: {
      kind: "fulfillmentCreate",
      status: "succeeded",
      outcome: { contains: JSON.stringify(fulfillmentId) },
      decision: { shop, orderId, trigger: { in: REPLANNED_AFTER_FULFILLMENT } },
    },
    select: { id: true },
  });
  return step !== null;
}

/**
 * Whether this app asked the lab to cancel the fulfillment order (a cancel, a repair): its Step
 * is recorded before the request is sent, so the webhook cannot come before it.
 */
async function askedByUs(db: Db, shop: string, fulfillmentOrderId: string): Promise<boolean> {
  const step = await db.step.findFirst({
    where: {
      kind: "fulfillmentOrderSubmitCancellationRequest",
      fulfillmentOrderId,
      status: { not: "failed" },
      decision: { shop },
    },
    select: { id: true },
  });
  return step !== null;
}

/** A line in the decision trace for an answer the rules have nothing to add to. */
async function recordServiceEvent(
  db: Db,
  shop: string,
  orderId: string,
  event: StoredWords,
  at: Date,
) {
  const record = await db.fulfillmentOrderRecord.findFirst({ where: { shop, orderId } });
  await db.decision.create({
    data: {
      shop,
      orderId,
      orderName: record?.orderName ?? null,
      trigger: "service",
      status: "applied",
      appliedAt: at,
      explanation: JSON.stringify([event]),
      plan: "{}",
    },
  });
}

/** A Shopify Flow action the endpoint stored: its outcome goes to the decision log via runCommand. */
export async function handleFlowAction(deps: WorkerDeps, job: Job): Promise<void> {
  const payload = job.payload as FlowActionJob;
  const gateway = await deps.gatewayFor(payload.shop);
  const results = await runFlowAction(
    { db: deps.db, gateway, now: deps.now, signal: job.signal },
    payload,
  );
  for (const r of results)
    deps.log?.(
      `flow ${payload.handle} ${payload.orderId}: ${r.ok ? "ok" : "refused"} (${JSON.stringify(r.message)})`,
    );
}

/** What Shopify said about an extra charge's draft or the order it became (extra-charge.server.ts). */
export async function handleExtraCharge(deps: WorkerDeps, job: Job): Promise<void> {
  const { shop, event } = job.payload as { shop: string; event: ExtraChargeEvent };
  const gateway = await deps.gatewayFor(shop);
  const result = await recordExtraChargeEvent(
    { db: deps.db, gateway, now: deps.now, signal: job.signal },
    shop,
    event,
  );
  deps.log?.(
    `extra charge ${event.kind === "draft" ? event.draftOrderId : event.orderId}: ${result}`,
  );
}

/**
 * The order an extra charge's job changes, for the per-order lock (oneOrderAtATime): the original
 * the charge was asked on (tagged, then routed again, once paid), found the way
 * recordExtraChargeEvent finds the charge; not the draft or the order the draft became. A charge
 * the app does not know changes nothing and needs no turn.
 */
export const extraChargeSubject: SubjectOf = async (deps, job) => {
  const { shop, event } = job.payload as { shop: string; event: ExtraChargeEvent };
  const select = { orderId: true } as const;
  const charge =
    event.kind === "draft"
      ? await deps.db.extraCharge.findFirst({
          where: { shop, draftOrderId: event.draftOrderId },
          select,
        })
      : ((event.chargeId
          ? await deps.db.extraCharge.findFirst({ where: { shop, id: event.chargeId }, select })
          : null) ??
        (await deps.db.extraCharge.findFirst({
          where: { shop, paidOrderId: event.orderId },
          select,
        })));
  return charge ? { shop, id: charge.orderId } : null;
};

/**
 * How long a lab's answer that only the stuck-and-drift pass turns into a finding waits for the
 * rest of its burst: the answers that come within one window share one pass, which runs as the
 * window ends, after every one of them was sent (Shopify sends a webhook after the change).
 */
export const LAB_ANSWER_SCAN_WINDOW_MS = 30_000;

/**
 * The lab answers that are a stuck finding as they come (no hours to wait): a refused cancellation
 * and a lab that could not complete the work. A rejection is not among them: the rule's fallback
 * usually answers it, and a pass before that would show it stuck for nothing; its pass is queued
 * by handleRefreshOrder once planning again shows no fallback answered it.
 */
const SCAN_AFTER_TOPICS: ReadonlySet<string> = new Set([
  "fulfillment_orders/cancellation_request_rejected",
  "fulfillment_orders/fulfillment_service_failed_to_complete",
]);

/**
 * Queues the shop's stuck-and-drift pass for the end of the current window, once per window
 * however many answers come in it (ADR 080 addendum): a lab refusing fifty cancellations at once
 * starts one pass, not fifty. The five-minute pass and Check now are keyed apart and unchanged.
 */
export async function scanAfterLabAnswer(
  queue: Pick<WorkerDeps["queue"], "enqueue">,
  shop: string,
  now: Date,
): Promise<void> {
  const window = Math.floor(now.getTime() / LAB_ANSWER_SCAN_WINDOW_MS);
  await queue.enqueue(QUEUES.driftScan, { shop } satisfies DriftScanJob, {
    key: `drift-scan:${shop}:lab-answer:${window}`,
    shop,
    runAt: new Date((window + 1) * LAB_ANSWER_SCAN_WINDOW_MS),
    maxAttempts: 3,
  });
}

/**
 * The stuck-and-drift pass for one shop, with the repairs its Settings allow: every five minutes,
 * or the merchant's Check now (`check`), whose end the screen shows (ADR 076).
 */
export async function handleDriftScan(deps: WorkerDeps, job: Job): Promise<void> {
  const { shop, check } = job.payload as DriftScanJob;
  try {
    if (check) await checkStarted(deps.db, shop);
    const gateway = await deps.gatewayFor(shop);
    // The pass stops before the queue's expiry instead of being run again beside itself, and stops
    // at once when the job is no longer this worker's. Two passes of one shop (in two processes)
    // take turns: the second carries on from where the first left.
    const budget = passBudget(deps.now, job.signal);
    const r = await deps.queue.exclusive(`drift-scan:${shop}`, () =>
      scanAndRepair({ db: deps.db, gateway, now: deps.now, signal: job.signal }, shop, budget),
    );
    if (r.found || r.repaired)
      deps.log?.(`${shop}: ${r.found} new stuck or drifted order(s), ${r.repaired} repaired`);
    if (!r.finished) {
      // The next pass carries on from the shop's cursor now rather than at the next slot; once per
      // pass that stopped (a retry of this job adds no second one). A check ends with that pass,
      // which the merchant still waits for: first in line again (ADR 100).
      await deps.queue.enqueue(QUEUES.driftScan, { shop, check } satisfies DriftScanJob, {
        key: `drift-scan:${shop}:after:${job.id}`,
        shop,
        maxAttempts: 3,
        ...(check ? { firstInLine: true } : {}),
      });
      deps.log?.(`stuck-and-drift scan of ${shop} stopped at its budget; the next pass carries on`);
      return;
    }
    if (check) await checkDone(deps.db, shop, r.repaired, deps.now());
  } catch (error) {
    // A job no longer this worker's says nothing: the worker that holds it now carries on.
    if (check && job.lastAttempt && !job.signal?.aborted)
      await checkFailed(deps.db, shop, error, deps.now()).catch(() => {});
    throw error;
  }
}

/** Plans again the shop's orders whose payment authorization entered the warning window. */
export async function handleAuthorizationCheck(deps: WorkerDeps, job: Job): Promise<void> {
  const { shop } = job.payload as { shop: string };
  const due = await checkAuthorizations(deps, shop);
  if (due.length) deps.log?.(`${shop}: ${due.length} authorization(s) about to lapse`);
}

/**
 * Deletes webhook payloads, finished jobs and pushes older than each shop's retention period, and
 * staff members' expired online sessions.
 */
export async function handlePrune(deps: WorkerDeps): Promise<void> {
  const r = await pruneExpired(deps.db, deps.now());
  if (r.deliveries || r.jobs || r.pushDeliveries || r.bulkJobs || r.findings || r.staffSessions)
    deps.log?.(
      `retention: ${r.deliveries} webhook(s), ${r.jobs} finished job(s), ${r.pushDeliveries} push(es), ${r.bulkJobs} bulk action(s), ${r.findings} settled finding(s) and ${r.staffSessions} expired staff session(s) deleted`,
    );
}

/** The order a job is about, as `shop` and an order (or fulfillment order) id; null: none. */
export interface JobSubject {
  shop: string;
  id: string;
}
export type SubjectOf = (
  deps: WorkerDeps,
  job: Job,
) => JobSubject | null | Promise<JobSubject | null>;

/** The order a job names in its payload (route, refresh and Flow action jobs). */
export const payloadSubject: SubjectOf = (_deps, job) => {
  const payload = job.payload as {
    shop?: unknown;
    orderId?: unknown;
    fulfillmentOrderId?: unknown;
  } | null;
  const subject = payload?.orderId ?? payload?.fulfillmentOrderId;
  return typeof subject === "string" ? { shop: String(payload?.shop), id: subject } : null;
};

/**
 * Runs the jobs about one order one after another (a route job, a refresh, a bulk action's item
 * and a Flow action on the same order, say), while jobs about different orders run side by side.
 * Jobs that name no order run at once. In this process a chain per order keeps them in turn;
 * across worker processes the queue's `exclusive` does (an advisory lock on PostgreSQL), taken
 * only by the chain's head, so a job waiting behind another of its order in this process holds no
 * lock. One guard serves every queue of a process: the lock's session is the process's, so only
 * the chain keeps two of its own jobs apart. `subjectOf` says which order a job is about (its
 * payload's, unless told otherwise: a bulk item names its item, which names the order).
 */
export function oneOrderAtATime(queue: Pick<JobQueue, "exclusive">) {
  const tails = new Map<string, Promise<void>>();
  const inTurn = (key: string, run: () => Promise<void>): Promise<void> => {
    const before = tails.get(key) ?? Promise.resolve();
    const turn = before.then(() => queue.exclusive(`order:${key}`, run));
    const tail = turn.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return turn;
  };
  return (
      handler: (deps: WorkerDeps, job: Job) => Promise<void>,
      subjectOf: SubjectOf = payloadSubject,
    ) =>
    (deps: WorkerDeps, job: Job): Promise<void> => {
      const subject = subjectOf(deps, job);
      const go = (s: JobSubject | null) =>
        s ? inTurn(`${s.shop}|${s.id}`, () => handler(deps, job)) : handler(deps, job);
      // A subject known from the payload takes its turn at once, in the order jobs were taken.
      return subject instanceof Promise ? subject.then(go) : go(subject);
    };
}

export interface WorkerHandle {
  stop(): Promise<void>;
}

// The timers' queues: this process's own enqueues wake them at once, and a job another process
// enqueued (one keyed job per slot, whichever process's timer came first) is announced on
// PostgreSQL or waits for this poll; polling them as often as the orders' queues was a statement
// every half second each, for nothing.
const timerQueue = { pollMs: 30_000 };

/**
 * How often the inbox looks for deliveries when nothing told it of any: where every store wakes
 * it (JobQueue.wakesOnAnyStore), a safety net; otherwise how soon it finds another process's.
 */
function inboxPollMs(queue: JobQueue): number {
  return queue.wakesOnAnyStore ? SAFETY_POLL_MS : 200;
}

/**
 * The key of the inbox pass: one process passes at a time (docs/decisions/067). Every worker
 * process is told of each stored delivery; the one passing takes it (in its pass, or in the pass it
 * runs next because it was told meanwhile), and the others skip instead of reading the same
 * waiting deliveries again.
 */
export const INBOX_PASS_KEY = "inbox-pass";

/**
 * How often a process that skipped the inbox pass (another process was passing) looks whether
 * that process is still there: should it die mid-pass, what was stored meanwhile waits no longer
 * than this for this process's own pass.
 */
export const INBOX_LOOK_AGAIN_MS = 250;

/**
 * The jobs one worker process runs at once, per queue, and of one shop (docs/decisions/008): its
 * slots. Several orders of one shop are worked at once: the shop's Admin API bucket paces them, so
 * a flash sale's paid→applied does not grow with its order count, and the rest of the slots stay
 * free for other shops' orders.
 */
export const WORKER_SLOTS = {
  // The default; an operator sets a worker's own (WORKER_ROUTING_SLOTS, WorkerDeps.routingSlots).
  routeOrder: routeOrderSlots(),
  refreshOrder: { concurrency: 4, perShop: 2 },
  bulkItem: { concurrency: 8, perShop: 4 },
  bulkFeed: { concurrency: 2, perShop: 1 },
  reconcile: { concurrency: 1, perShop: 1, ...timerQueue },
  flowAction: { concurrency: 2, perShop: 1 },
  driftScan: { concurrency: 1, perShop: 1, ...timerQueue },
  prune: { concurrency: 1, ...timerQueue },
  extraCharge: { concurrency: 2, perShop: 1 },
  authorizationCheck: { concurrency: 1, perShop: 1, ...timerQueue },
  // Rule changes are rare: a polled queue, whose check a rule save asks first in line, which wakes
  // an idle worker at once (ADR 100, 103); no wait is stranded meanwhile (ADR 101).
  stockSubscription: { concurrency: 1, perShop: 1, ...timerQueue },
} satisfies Record<keyof typeof QUEUES, WorkOptions>;

/**
 * Connections a worker's statements share on PostgreSQL unless the operator sets its own
 * (WORKER_DATABASE_CONNECTIONS): PostgreSQL spends more CPU on the same statement the more
 * connections send at once, and a slot mostly waits on Shopify, not on a statement (ADR 070).
 */
export const WORKER_DATABASE_CONNECTIONS = 6;

/**
 * The database connections a worker process holds at most (docs/decisions/031, 070). Prisma's
 * pool is the connections its statements share (`databaseConnections`, 6 unless set): its job
 * slots, inbox lanes and push sweep take turns on them, a statement waiting in the process for a
 * free one rather than PostgreSQL running one more at once. pg-boss's pool serves each queue's
 * fetch loop (one fetch at a time) and the slots' completions, heartbeats and enqueues, which are
 * short. Beside both pools the process keeps one session for its order locks and one listening
 * for other processes' jobs.
 */
export function workerConnections(
  routingSlots?: number,
  databaseConnections?: number,
): {
  prisma: number;
  queue: number;
  sessions: number;
} {
  const queues = [...Object.values(slotsWith(routingSlots)), PUSH_SLOTS];
  const slots = queues.reduce((sum, q) => sum + q.concurrency, 0);
  return {
    prisma: databaseConnections ?? WORKER_DATABASE_CONNECTIONS,
    queue: queues.length + Math.ceil(slots / 4),
    sessions: 2,
  };
}

/** The worker's slots with its routing slots as the operator set them (the default unless set). */
function slotsWith(routingSlots: number | undefined): typeof WORKER_SLOTS {
  return { ...WORKER_SLOTS, routeOrder: routeOrderSlots(routingSlots) };
}

type Handler = (deps: WorkerDeps, job: Job) => Promise<void>;

/**
 * What each queue's jobs run, as startWorker runs them (and tests drain a queue with). An order is
 * never worked twice at once, in a process or across processes (oneOrderAtATime); an order's route
 * or refresh job that gives up shows the order as needing attention; a job of a shop that no
 * longer has the app installed ends at its first failure, neither retried nor given up (ADR 045).
 */
export function queueHandlers(
  queue: Pick<JobQueue, "exclusive">,
): Record<keyof typeof QUEUES, Handler> {
  const oneAtATime = oneOrderAtATime(queue);
  const ends = endsWhenUninstalled;
  return {
    routeOrder: visibleWhenGivingUp(ends(oneAtATime(handleRouteOrder))),
    refreshOrder: visibleWhenGivingUp(ends(oneAtATime(handleRefreshOrder))),
    bulkItem: ends(oneAtATime(handleBulkItem, bulkItemSubject)),
    bulkFeed: ends(handleBulkFeed),
    reconcile: ends(handleReconcile),
    flowAction: ends(oneAtATime(handleFlowAction)),
    driftScan: ends(handleDriftScan),
    // Not a shop's: nothing to end.
    prune: handlePrune,
    extraCharge: ends(oneAtATime(handleExtraCharge, extraChargeSubject)),
    // The authorization check changes no order itself: it enqueues a route job per order due, and
    // those take the order's turn. Holding every due order of the shop here would only block them.
    authorizationCheck: ends(handleAuthorizationCheck),
    stockSubscription: ends(handleStockSubscription),
  };
}

/** Starts every queue's handler and the inbox and reconciliation timers. */
export function startWorker(
  deps: WorkerDeps,
  options: {
    inboxPollMs?: number;
    reconcileEveryMs?: number;
    driftScanEveryMs?: number;
    pruneEveryMs?: number;
    pushSweepEveryMs?: number;
    authorizationCheckEveryMs?: number;
  } = {},
): WorkerHandle {
  const { queue } = deps;
  const slots = slotsWith(deps.routingSlots);
  // The connections the worker's statements share (ADR 070), not one a slot.
  setPoolSize(deps.db, workerConnections(deps.routingSlots, deps.databaseConnections).prisma);
  // Every failed attempt on one log line with its shop and order; the queue logs a give-up.
  const logged =
    (handler: (deps: WorkerDeps, job: Job) => Promise<void>) =>
    async (job: Job): Promise<void> => {
      try {
        await handler(deps, job);
      } catch (error) {
        const payload = job.payload as { orderId?: unknown; fulfillmentOrderId?: unknown } | null;
        logEvent("warn", "job.failed", {
          queue: job.queue,
          jobId: job.id,
          shop: job.shop,
          orderId: typeof payload?.orderId === "string" ? payload.orderId : null,
          fulfillmentOrderId:
            typeof payload?.fulfillmentOrderId === "string" ? payload.fulfillmentOrderId : null,
          attempt: job.attempts,
          error: errorText(error),
        });
        throw error;
      }
    };
  const handlers = queueHandlers(queue);
  for (const name of Object.keys(QUEUES) as (keyof typeof QUEUES)[])
    queue.work(QUEUES[name], logged(handlers[name]), slots[name]);

  let stopped = false;
  let inboxTimer: ReturnType<typeof setTimeout> | undefined;
  let polling = false;
  let wokenWhilePolling = false;
  // The process passing when this one skipped, watched until it let go (or died): meanwhile what
  // this process is told of is that process's to take (it is told too).
  let watching: HeldElsewhere | null = null;
  let toldWhileWatching = false;
  const schedule = (run: () => Promise<void>, ms: number) => {
    if (!stopped) inboxTimer = setTimeout(() => void run(), ms);
  };
  const lookAgain = async () => {
    const since = await watching!.since().catch(() => "gone" as const);
    if (stopped) return;
    if (since === "held") return schedule(lookAgain, INBOX_LOOK_AGAIN_MS);
    watching = null;
    // Gone without letting go: what it was told of may be waiting, taken now. Let go: it took
    // that, and this process passes if told of more since (a backlog the other let go of early).
    if (since === "gone" || toldWhileWatching) void pollInbox();
    else schedule(pollInbox, options.inboxPollMs ?? inboxPollMs(queue));
  };
  const pollInbox = async () => {
    if (stopped) return;
    polling = true;
    wokenWhilePolling = false;
    // One process's pass at a time (INBOX_PASS_KEY; the embedded queue's one process always
    // passes). Two at once are safe (each claims what it takes) but read the same waiting
    // deliveries twice.
    const failed = (e: unknown) => {
      deps.log?.(`inbox: ${e instanceof Error ? e.message : String(e)}`);
      return 0;
    };
    let ran = false;
    const outcome = await queue
      // A pass that leaves more waiting than it took lets go once it claimed its share: the next
      // pass (another process's, or its own) need not wait for this one's handling.
      .ifFree(INBOX_PASS_KEY, (letGo) => {
        ran = true;
        return processInbox(deps, undefined, (more) => {
          if (more) letGo();
        });
      })
      .catch(async (e: unknown) => ({
        value:
          ran || stopped
            ? failed(e)
            : // The lock could not be asked (its session lost; the next call opens another):
              // this pass goes without it rather than leave the deliveries waiting.
              await processInbox(deps).catch(failed),
      }));
    polling = false;
    if ("heldElsewhere" in outcome) {
      watching = outcome.heldElsewhere;
      toldWhileWatching = false;
      return schedule(lookAgain, INBOX_LOOK_AGAIN_MS);
    }
    schedule(
      pollInbox,
      outcome.value > 0 || wokenWhilePolling ? 0 : (options.inboxPollMs ?? inboxPollMs(queue)),
    );
  };
  void pollInbox();
  // A delivery stored by this process is taken at once, and on PostgreSQL one another process
  // stored (its insert notifies, this process's queue listens); the poll finds the rest.
  const stopListening = onDeliveriesStored(() => {
    if (stopped) return;
    if (watching) toldWhileWatching = true;
    else if (polling) wokenWhilePolling = true;
    else {
      if (inboxTimer) clearTimeout(inboxTimer);
      void pollInbox();
    }
  });

  const reconcileEvery = options.reconcileEveryMs ?? 10 * 60_000;
  // One reconciliation per shop per 10-minute slot across every worker process (keyed by the
  // slot), and one more at each worker start, keyed by the start: a process that was down missed
  // webhooks that Shopify stopped retrying, and a slot's run that finished before the restart
  // must not hide them until the next slot.
  const started = randomUUID();
  const reconcileAll = async (keyOf: (shop: string) => string) => {
    const shops = await deps.db.session.findMany({
      where: { isOnline: false },
      select: { shop: true },
      distinct: ["shop"],
    });
    for (const { shop } of shops) {
      await queue.enqueue(QUEUES.reconcile, { shop }, { key: keyOf(shop), shop, maxAttempts: 3 });
    }
  };
  const reconcileTimer = setInterval(() => {
    const slot = Math.floor(deps.now().getTime() / reconcileEvery);
    void reconcileAll((shop) => `reconcile:${shop}:${slot}`).catch(() => {});
  }, reconcileEvery);
  const firstReconcile = setTimeout(
    () => void reconcileAll((shop) => `reconcile:${shop}:start:${started}`).catch(() => {}),
    2000,
  );

  // No webhook says a fulfillment order changed, so drift is found by looking every few minutes.
  const driftEvery = options.driftScanEveryMs ?? 5 * 60_000;
  const scanAll = async () => {
    const shops = await deps.db.session.findMany({
      where: { isOnline: false },
      select: { shop: true },
      distinct: ["shop"],
    });
    const slot = Math.floor(deps.now().getTime() / driftEvery);
    for (const { shop } of shops) {
      await queue.enqueue(
        QUEUES.driftScan,
        { shop },
        { key: `drift-scan:${shop}:${slot}`, shop, maxAttempts: 3 },
      );
    }
  };
  const driftTimer = setInterval(() => void scanAll().catch(() => {}), driftEvery);

  // Nothing from Shopify says an authorization is about to lapse: time does. One keyed check per
  // shop per slot across every worker process.
  const authorizationEvery = options.authorizationCheckEveryMs ?? AUTHORIZATION_CHECK_EVERY_MS;
  const checkAll = async () => {
    const shops = await deps.db.session.findMany({
      where: { isOnline: false },
      select: { shop: true },
      distinct: ["shop"],
    });
    const slot = Math.floor(deps.now().getTime() / authorizationEvery);
    for (const { shop } of shops) {
      await queue.enqueue(
        QUEUES.authorizationCheck,
        { shop },
        { key: `authorization-check:${shop}:${slot}`, shop, maxAttempts: 3 },
      );
    }
  };
  const authorizationTimer = setInterval(() => void checkAll().catch(() => {}), authorizationEvery);

  // Retention: one keyed job per period, so of several worker processes only one prunes.
  const pruneEvery = options.pruneEveryMs ?? 60 * 60_000;
  const prune = () => {
    const slot = Math.floor(deps.now().getTime() / pruneEvery);
    return queue.enqueue(QUEUES.prune, {}, { key: `prune:${slot}`, maxAttempts: 3 });
  };
  const pruneTimer = setInterval(() => void prune().catch(() => {}), pruneEvery);

  // Outbound push: decisions and fulfillment events to the merchant's addresses.
  const stopPush = startPush(deps, { sweepEveryMs: options.pushSweepEveryMs, log: deps.log });

  return {
    async stop() {
      stopped = true;
      stopListening();
      stopPush();
      if (inboxTimer) clearTimeout(inboxTimer);
      clearInterval(driftTimer);
      clearInterval(authorizationTimer);
      clearInterval(pruneTimer);
      clearInterval(reconcileTimer);
      clearTimeout(firstReconcile);
      await queue.stop();
    },
  };
}
