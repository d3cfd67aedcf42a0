// Shopify's mandatory privacy webhooks: report or erase what we hold about a customer.
import type { TFunction } from "i18next";
import { z } from "zod";
import type { Db } from "../db/client.server";
import { readWords, readWordsList, renderWords } from "../i18n/words";

// Numeric ids as Shopify sends them; they are below 2^53, so JSON numbers keep them exact.
const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]);

export const dataRequestPayload = z.object({
  shop_domain: z.string().min(1),
  customer: z.object({ id: numericId }),
  orders_requested: z.array(numericId).default([]),
  data_request: z.object({ id: numericId }).optional(),
});

export const customerRedactPayload = z.object({
  shop_domain: z.string().min(1),
  customer: z.object({ id: numericId }),
  orders_to_redact: z.array(numericId).default([]),
});

export const shopRedactPayload = z.object({
  shop_domain: z.string().min(1),
});

const orderGid = (id: number | string) => `gid://shopify/Order/${id}`;
const customerGid = (id: number | string) => `gid://shopify/Customer/${id}`;

/** A webhook delivery we keep, its payload as Shopify sent it. */
export interface WebhookReceived {
  topic: string;
  receivedAt: string;
  payload: unknown;
}

/**
 * Everything we hold about one of the customer's orders, table by table. Webhook payloads are
 * included as Shopify sent them: they are the customer data we keep.
 */
export interface CustomerOrderData {
  orderId: string;
  orderName: string | null;
  fulfillmentOrders: Array<{
    fulfillmentOrderId: string;
    orderName: string;
    customerName: string | null;
    status: string;
    outcome: string;
    reason: string | null;
    locationName: string | null;
    provider: string | null;
    tags: string;
    updatedAt: string;
  }>;
  decisions: Array<{
    createdAt: string;
    trigger: string;
    status: string;
    /** What the app said about the decision, as sentences (the catalogue's English). */
    explanation: string[];
    steps: Array<{
      kind: string;
      fulfillmentOrderId: string | null;
      status: string;
      outcome: string | null;
      error: string | null;
    }>;
  }>;
  notes: Array<{ createdAt: string; author: string | null; body: string }>;
  /** The team's notes on one of the order's fulfillment orders. */
  fulfillmentOrderNotes: Array<{
    fulfillmentOrderId: string;
    createdAt: string;
    author: string | null;
    body: string;
  }>;
  approvals: Array<{ fulfillmentOrderId: string; approvedBy: string | null; createdAt: string }>;
  /** What of the order waits for stock: an inventory item at a location (ADR 088). */
  waitingForStock: Array<{
    fulfillmentOrderId: string;
    inventoryItemId: string;
    locationId: string;
    since: string;
  }>;
  recentlyViewed: Array<{ orderName: string; viewedAt: string }>;
  labReports: Array<{
    fulfillmentOrderId: string;
    labName: string;
    status: string;
    lines: unknown;
    tracking: unknown;
    source: string;
    recordedBy: string | null;
    recordedAt: string;
  }>;
  findings: Array<{
    fulfillmentOrderId: string;
    category: string;
    kind: string;
    summary: string;
    status: string;
    detectedAt: string;
  }>;
  bulkActions: Array<{
    action: string;
    targetId: string;
    label: string;
    status: string;
    error: string | null;
    startedAt: string;
  }>;
  /** Deliveries about the order, its fulfillment orders and fulfillments, and its charges' drafts. */
  webhooksReceived: WebhookReceived[];
  /** Remakes of this order, and the remake this order was made as (its replacement order). */
  remakes: Array<{
    orderId: string;
    orderName: string;
    replacementOrderId: string | null;
    replacementName: string | null;
    reason: string;
    lines: unknown;
    unitPrice: string;
    currency: string;
    status: string;
    createdBy: string | null;
    createdAt: string;
  }>;
  /**
   * Extra charges after payment on this order (a draft order invoiced to the customer), and the
   * charge this order was paid as (the order the draft became).
   */
  extraCharges: Array<{
    orderId: string;
    orderName: string;
    reason: string;
    amount: string;
    currency: string;
    lines: unknown;
    draftOrderId: string | null;
    draftOrderName: string | null;
    invoiceUrl: string | null;
    paidOrderId: string | null;
    paidOrderName: string | null;
    status: string;
    error: string | null;
    createdBy: string | null;
    createdAt: string;
    invoiceSentAt: string | null;
    paidAt: string | null;
  }>;
  /** What outbound push sent about the order to the merchant's addresses (ADR 016). */
  pushesSent: Array<{
    event: string;
    url: string;
    createdAt: string;
    status: string;
    body: unknown;
  }>;
}

export interface CustomerDataReport {
  customerId: string;
  /** Shopify's id of the request, when it sent one. */
  dataRequestId: string | null;
  compiledAt: string;
  orders: CustomerOrderData[];
  /** Deliveries about the customer that name none of the orders (a draft order of theirs). */
  otherWebhooksReceived: WebhookReceived[];
}

const iso = (d: Date) => d.toISOString();
const parsed = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
const numericOf = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/**
 * The fulfillment orders of these orders that any table knows of: rows keyed by fulfillment order
 * (webhooks about one, lab reports, bulk items) belong to the customer too.
 */
async function fulfillmentOrdersOf(db: Db, shop: string, orderIds: string[]): Promise<string[]> {
  if (orderIds.length === 0) return [];
  const where = { shop, orderId: { in: orderIds } };
  const [records, approvals, reports, findings, steps, notes] = await Promise.all([
    db.fulfillmentOrderRecord.findMany({ where, select: { fulfillmentOrderId: true } }),
    db.approval.findMany({ where, select: { fulfillmentOrderId: true } }),
    db.labReport.findMany({ where, select: { fulfillmentOrderId: true } }),
    db.finding.findMany({ where, select: { fulfillmentOrderId: true } }),
    db.step.findMany({
      where: { decision: where, fulfillmentOrderId: { not: null } },
      select: { fulfillmentOrderId: true },
    }),
    db.fulfillmentOrderNote.findMany({ where, select: { fulfillmentOrderId: true } }),
  ]);
  return [
    ...new Set(
      [...records, ...approvals, ...reports, ...findings, ...steps, ...notes].map(
        (r) => r.fulfillmentOrderId as string,
      ),
    ),
  ];
}

/**
 * The fulfillments/create deliveries about these orders. Their subject is the fulfillment, and the
 * order is named only by `order_id` in the body: the body is parsed and its `order_id` compared
 * whole, so order 12's report or redaction never takes order 123's (or a body that merely mentions
 * the number elsewhere). The text search only narrows what is parsed.
 */
async function fulfillmentDeliveryIds(db: Db, shop: string, orderIds: string[]) {
  if (orderIds.length === 0) return [];
  const numbers = new Set(orderIds.map(numericOf));
  const candidates = await db.webhookDelivery.findMany({
    where: {
      shop,
      topic: "fulfillments/create",
      OR: [...numbers].map((n) => ({ payload: { contains: n } })),
    },
    select: { id: true, payload: true },
  });
  return candidates
    .filter((d) => {
      const orderId = (parsed(d.payload) as { order_id?: unknown } | null)?.order_id;
      return (
        (typeof orderId === "number" || typeof orderId === "string") && numbers.has(String(orderId))
      );
    })
    .map((d) => d.id);
}

/**
 * The extra charges of these orders, and those paid as one of them: the order a charge's draft
 * became is the customer's order too.
 */
const extraChargesWhere = (shop: string, orderIds: string[]) => ({
  shop,
  OR: [{ orderId: { in: orderIds } }, { paidOrderId: { in: orderIds } }],
});

/** The draft order topics the app may be sent (draft_orders/update is subscribed). */
const DRAFT_TOPICS = ["draft_orders/create", "draft_orders/update"];

/**
 * The draft order deliveries about the customer, each with the order it belongs to (null: the
 * customer's, but about none of the orders named): the drafts of these orders' extra charges
 * (ExtraCharge.draftOrderId), and drafts whose body names the customer (`customer.id`, compared
 * whole as fulfillments' `order_id` is), as Shopify sent them before the subscription carried
 * only the draft's id and tags (ADR 073), a draft whose charge is gone among them.
 */
async function draftDeliveries(
  db: Db,
  shop: string,
  orderIds: string[],
  customerId: string | null,
): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  const charges = await db.extraCharge.findMany({
    where: { ...extraChargesWhere(shop, orderIds), draftOrderId: { not: null } },
    select: { orderId: true, draftOrderId: true },
  });
  const orderOfDraft = new Map(charges.map((c) => [c.draftOrderId!, c.orderId]));
  if (orderOfDraft.size > 0) {
    const ofCharges = await db.webhookDelivery.findMany({
      where: { shop, topic: { in: DRAFT_TOPICS }, subjectId: { in: [...orderOfDraft.keys()] } },
      select: { id: true, subjectId: true },
    });
    for (const d of ofCharges) found.set(d.id, orderOfDraft.get(d.subjectId!) ?? null);
  }
  if (customerId) {
    const naming = await db.webhookDelivery.findMany({
      where: { shop, topic: { in: DRAFT_TOPICS }, payload: { contains: customerId } },
      select: { id: true, subjectId: true, payload: true },
    });
    for (const d of naming) {
      const customer = (parsed(d.payload) as { customer?: { id?: unknown } | null } | null)
        ?.customer;
      const id = customer?.id;
      if ((typeof id === "number" || typeof id === "string") && String(id) === customerId)
        found.set(d.id, found.get(d.id) ?? orderOfDraft.get(d.subjectId ?? "") ?? null);
    }
  }
  return found;
}

/**
 * The webhook deliveries about these orders: those whose subject is the order or one of its
 * fulfillment orders, fulfillments/create, whose subject is the fulfillment and which names its
 * order by number, and the drafts of the customer (draftDeliveries).
 */
async function deliveriesWhere(
  db: Db,
  shop: string,
  orderIds: string[],
  fulfillmentOrderIds: string[],
  drafts: Map<string, string | null>,
) {
  return {
    shop,
    OR: [
      { subjectId: { in: [...orderIds, ...fulfillmentOrderIds] } },
      { id: { in: [...(await fulfillmentDeliveryIds(db, shop, orderIds)), ...drafts.keys()] } },
    ],
  };
}

/**
 * Reads every row we hold about the orders, grouped by order. What the app stored as Words (a
 * reason, the decision trace, a finding, a bulk failure) is said as text in `t`'s language, so the
 * customer's report holds sentences, not catalogue keys.
 */
export async function customerOrderData(
  db: Db,
  shop: string,
  orderIds: string[],
  t: TFunction,
  customerId: string | null = null,
): Promise<CustomerOrderData[]> {
  return (await customerData(db, shop, orderIds, t, customerId)).orders;
}

/**
 * customerOrderData, and the deliveries about the customer that belong to none of the orders (a
 * draft order whose body names them, ADR 073).
 */
async function customerData(
  db: Db,
  shop: string,
  orderIds: string[],
  t: TFunction,
  customerId: string | null,
): Promise<{ orders: CustomerOrderData[]; otherWebhooksReceived: WebhookReceived[] }> {
  const say = (stored: string) => renderWords(t, readWords(stored));
  const sayOrNull = (stored: string | null) => (stored === null ? null : say(stored));
  const fulfillmentOrderIds = await fulfillmentOrdersOf(db, shop, orderIds);
  const drafts = await draftDeliveries(db, shop, orderIds, customerId);
  const where = { shop, orderId: { in: orderIds } };
  const [
    records,
    decisions,
    notes,
    approvals,
    viewed,
    reports,
    findings,
    items,
    deliveries,
    remakes,
    pushes,
    fulfillmentOrderNotes,
    extraCharges,
    stockWaits,
  ] = await Promise.all([
    db.fulfillmentOrderRecord.findMany({ where, orderBy: { orderCreatedAt: "asc" } }),
    db.decision.findMany({
      where,
      orderBy: { createdAt: "asc" },
      include: { steps: { orderBy: { position: "asc" } } },
    }),
    db.orderNote.findMany({ where, orderBy: { createdAt: "asc" } }),
    db.approval.findMany({ where, orderBy: { createdAt: "asc" } }),
    db.recentlyViewedOrder.findMany({ where }),
    db.labReport.findMany({ where, orderBy: { recordedAt: "asc" } }),
    db.finding.findMany({ where, orderBy: { detectedAt: "asc" } }),
    db.bulkJobItem.findMany({
      where: {
        bulkJob: { shop },
        targetId: { in: [...orderIds, ...fulfillmentOrderIds] },
      },
      include: { bulkJob: true },
    }),
    db.webhookDelivery.findMany({
      where: await deliveriesWhere(db, shop, orderIds, fulfillmentOrderIds, drafts),
      orderBy: { receivedAt: "asc" },
    }),
    db.remake.findMany({
      where: {
        shop,
        OR: [{ orderId: { in: orderIds } }, { replacementOrderId: { in: orderIds } }],
      },
      orderBy: { createdAt: "asc" },
    }),
    db.pushDelivery.findMany({ where, orderBy: { createdAt: "asc" } }),
    db.fulfillmentOrderNote.findMany({
      where: {
        shop,
        OR: [{ orderId: { in: orderIds } }, { fulfillmentOrderId: { in: fulfillmentOrderIds } }],
      },
      orderBy: { createdAt: "asc" },
    }),
    db.extraCharge.findMany({
      where: extraChargesWhere(shop, orderIds),
      orderBy: { createdAt: "asc" },
    }),
    db.stockWait.findMany({ where, orderBy: { createdAt: "asc" } }),
  ]);
  // Which order a fulfillment order belongs to, for the rows keyed by fulfillment order only.
  const orderOfFulfillmentOrder = new Map<string, string>();
  for (const row of [...records, ...approvals, ...reports, ...findings, ...fulfillmentOrderNotes])
    orderOfFulfillmentOrder.set(row.fulfillmentOrderId, row.orderId);
  for (const d of decisions)
    for (const step of d.steps)
      if (step.fulfillmentOrderId) orderOfFulfillmentOrder.set(step.fulfillmentOrderId, d.orderId);
  const orderOfDelivery = (
    id: string,
    topic: string,
    subjectId: string | null,
    payload: string,
  ) => {
    if (drafts.has(id)) return drafts.get(id)!;
    if (subjectId && orderIds.includes(subjectId)) return subjectId;
    if (subjectId && orderOfFulfillmentOrder.has(subjectId))
      return orderOfFulfillmentOrder.get(subjectId)!;
    const orderNumber = (parsed(payload) as { order_id?: unknown } | null)?.order_id;
    return topic === "fulfillments/create" ? `gid://shopify/Order/${String(orderNumber)}` : null;
  };

  const received = (w: (typeof deliveries)[number]): WebhookReceived => ({
    topic: w.topic,
    receivedAt: iso(w.receivedAt),
    payload: parsed(w.payload),
  });
  const orders = orderIds.map((orderId) => {
    const mine = <T extends { orderId: string }>(rows: T[]) =>
      rows.filter((r) => r.orderId === orderId);
    const own = mine(records);
    return {
      orderId,
      orderName:
        own[0]?.orderName ??
        viewed.find((v) => v.orderId === orderId)?.orderName ??
        decisions.find((d) => d.orderId === orderId && d.orderName)?.orderName ??
        null,
      fulfillmentOrders: own.map((r) => ({
        fulfillmentOrderId: r.fulfillmentOrderId,
        orderName: r.orderName,
        customerName: r.customerName,
        status: r.status,
        outcome: r.outcome,
        reason: sayOrNull(r.reason),
        locationName: r.locationName,
        provider: r.provider,
        tags: r.tags,
        updatedAt: iso(r.updatedAt),
      })),
      decisions: mine(decisions).map((d) => ({
        createdAt: iso(d.createdAt),
        trigger: d.trigger,
        status: d.status,
        explanation: readWordsList(d.explanation).map((line) => renderWords(t, line)),
        steps: d.steps.map((step) => ({
          kind: step.kind,
          fulfillmentOrderId: step.fulfillmentOrderId,
          status: step.status,
          outcome: step.outcome,
          error: step.error,
        })),
      })),
      notes: mine(notes).map((n) => ({
        createdAt: iso(n.createdAt),
        author: n.author,
        body: n.body,
      })),
      fulfillmentOrderNotes: mine(fulfillmentOrderNotes).map((n) => ({
        fulfillmentOrderId: n.fulfillmentOrderId,
        createdAt: iso(n.createdAt),
        author: n.author,
        body: n.body,
      })),
      approvals: mine(approvals).map((a) => ({
        fulfillmentOrderId: a.fulfillmentOrderId,
        approvedBy: a.approvedBy,
        createdAt: iso(a.createdAt),
      })),
      waitingForStock: mine(stockWaits).map((w) => ({
        fulfillmentOrderId: w.fulfillmentOrderId,
        inventoryItemId: w.inventoryItemId,
        locationId: w.locationId,
        since: iso(w.createdAt),
      })),
      recentlyViewed: mine(viewed).map((v) => ({
        orderName: v.orderName,
        viewedAt: iso(v.viewedAt),
      })),
      labReports: mine(reports).map((r) => ({
        fulfillmentOrderId: r.fulfillmentOrderId,
        labName: r.labName,
        status: r.status,
        lines: parsed(r.lines),
        tracking: parsed(r.tracking),
        source: r.source,
        recordedBy: r.recordedBy,
        recordedAt: iso(r.recordedAt),
      })),
      findings: mine(findings).map((f) => ({
        fulfillmentOrderId: f.fulfillmentOrderId,
        category: f.category,
        kind: f.kind,
        summary: say(f.summary),
        status: f.status,
        detectedAt: iso(f.detectedAt),
      })),
      bulkActions: items
        .filter(
          (i) => i.targetId === orderId || orderOfFulfillmentOrder.get(i.targetId) === orderId,
        )
        .map((i) => ({
          action: i.bulkJob.action,
          targetId: i.targetId,
          label: i.label,
          status: i.status,
          error: sayOrNull(i.error),
          startedAt: iso(i.bulkJob.createdAt),
        })),
      webhooksReceived: deliveries
        .filter((w) => orderOfDelivery(w.id, w.topic, w.subjectId, w.payload) === orderId)
        .map(received),
      remakes: remakes
        .filter((r) => r.orderId === orderId || r.replacementOrderId === orderId)
        .map((r) => ({
          orderId: r.orderId,
          orderName: r.orderName,
          replacementOrderId: r.replacementOrderId,
          replacementName: r.replacementName,
          reason: r.reason,
          lines: parsed(r.lines),
          unitPrice: r.unitPrice,
          currency: r.currency,
          status: r.status,
          createdBy: r.createdBy,
          createdAt: iso(r.createdAt),
        })),
      extraCharges: extraCharges
        .filter((c) => c.orderId === orderId || c.paidOrderId === orderId)
        .map((c) => ({
          orderId: c.orderId,
          orderName: c.orderName,
          reason: c.reason,
          amount: c.amount,
          currency: c.currency,
          lines: parsed(c.lines),
          draftOrderId: c.draftOrderId,
          draftOrderName: c.draftOrderName,
          invoiceUrl: c.invoiceUrl,
          paidOrderId: c.paidOrderId,
          paidOrderName: c.paidOrderName,
          status: c.status,
          error: c.error ? say(c.error) : null,
          createdBy: c.createdBy,
          createdAt: iso(c.createdAt),
          invoiceSentAt: c.invoiceSentAt ? iso(c.invoiceSentAt) : null,
          paidAt: c.paidAt ? iso(c.paidAt) : null,
        })),
      pushesSent: mine(pushes.map((p) => ({ ...p, orderId: p.orderId ?? "" }))).map((p) => ({
        event: p.event,
        url: p.url,
        createdAt: iso(p.createdAt),
        status: p.status,
        body: parsed(p.body),
      })),
    };
  });
  const otherWebhooksReceived = deliveries
    .filter((w) => drafts.has(w.id) && drafts.get(w.id) === null)
    .map(received);
  return { orders, otherWebhooksReceived };
}

/** Compiles what we hold about the customer's orders and keeps it for the merchant to hand over. */
export async function recordDataRequest(
  db: Db,
  shop: string,
  payload: z.infer<typeof dataRequestPayload>,
  t: TFunction,
  now = new Date(),
): Promise<CustomerDataReport> {
  const orderIds = payload.orders_requested.map(orderGid);
  const data = await customerData(db, shop, orderIds, t, String(payload.customer.id));
  const report: CustomerDataReport = {
    customerId: customerGid(payload.customer.id),
    dataRequestId: payload.data_request ? String(payload.data_request.id) : null,
    compiledAt: iso(now),
    orders: data.orders,
    otherWebhooksReceived: data.otherWebhooksReceived,
  };
  await db.dataRequest.create({
    data: {
      shop,
      customerId: report.customerId,
      ordersRequested: JSON.stringify(orderIds),
      report: JSON.stringify(report),
      createdAt: now,
    },
  });
  return report;
}

/**
 * Erases what we hold about the customer's orders, including the rows keyed by one of their
 * fulfillment orders. Deleting by id makes a retry harmless.
 */
export async function redactCustomer(
  db: Db,
  shop: string,
  payload: z.infer<typeof customerRedactPayload>,
): Promise<void> {
  const orderIds = payload.orders_to_redact.map(orderGid);
  const fulfillmentOrderIds = await fulfillmentOrdersOf(db, shop, orderIds);
  // Read before the charges are deleted: they name the drafts.
  const drafts = await draftDeliveries(db, shop, orderIds, String(payload.customer.id));
  const byOrder = { shop, orderId: { in: orderIds } };
  const byFulfillmentOrder = { shop, fulfillmentOrderId: { in: fulfillmentOrderIds } };
  const either = { OR: [byOrder, byFulfillmentOrder] };
  await db.$transaction([
    db.step.deleteMany({
      where: {
        OR: [
          { decision: byOrder },
          { decision: { shop }, fulfillmentOrderId: { in: fulfillmentOrderIds } },
        ],
      },
    }),
    db.decision.deleteMany({ where: byOrder }),
    db.orderNote.deleteMany({ where: byOrder }),
    db.fulfillmentOrderNote.deleteMany({ where: either }),
    db.webhookDelivery.deleteMany({
      where: await deliveriesWhere(db, shop, orderIds, fulfillmentOrderIds, drafts),
    }),
    db.dataRequest.deleteMany({ where: { shop, customerId: customerGid(payload.customer.id) } }),
    db.fulfillmentOrderRecord.deleteMany({ where: either }),
    db.recentlyViewedOrder.deleteMany({ where: byOrder }),
    db.stockWait.deleteMany({ where: byOrder }),
    db.approval.deleteMany({ where: either }),
    db.labReport.deleteMany({ where: either }),
    db.finding.deleteMany({ where: either }),
    db.bulkJobItem.deleteMany({
      where: { bulkJob: { shop }, targetId: { in: [...orderIds, ...fulfillmentOrderIds] } },
    }),
    // Finished jobs name the order; queued ones are left to run (they find nothing to keep).
    db.job.deleteMany({
      where: {
        shop,
        status: { in: ["done", "failed"] },
        OR: [...orderIds, ...fulfillmentOrderIds].map((id) => ({
          payload: { contains: `"${id}"` },
        })),
      },
    }),
    db.remake.deleteMany({
      where: {
        shop,
        OR: [{ orderId: { in: orderIds } }, { replacementOrderId: { in: orderIds } }],
      },
    }),
    db.pushDelivery.deleteMany({ where: byOrder }),
    db.extraCharge.deleteMany({ where: extraChargesWhere(shop, orderIds) }),
  ]);
}

/** The data requests Shopify sent for the shop, newest first, for the merchant's screen. */
export async function listDataRequests(db: Db, shop: string) {
  const rows = await db.dataRequest.findMany({
    where: { shop },
    orderBy: { createdAt: "desc" },
    select: { id: true, customerId: true, ordersRequested: true, createdAt: true },
    take: 250,
  });
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customerId,
    orders: (parsed(r.ordersRequested) as string[] | null)?.length ?? 0,
    receivedAt: iso(r.createdAt),
  }));
}

/** One request's report as a file, or null when the shop has no such request. */
export async function dataRequestFile(
  db: Db,
  shop: string,
  id: string,
): Promise<{ filename: string; body: string } | null> {
  const row = await db.dataRequest.findFirst({ where: { id, shop } });
  if (!row) return null;
  const day = iso(row.createdAt).slice(0, 10);
  return {
    filename: `customer-${numericOf(row.customerId)}-data-${day}.json`,
    body: JSON.stringify(parsed(row.report), null, 2),
  };
}
