// Shopify's mandatory privacy webhooks: report or erase what we hold about a customer.
import { z } from "zod";
import type { Db } from "../db/client.server";

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

export interface CustomerDataReport {
  customerId: string;
  orders: Array<{
    orderId: string;
    decisions: Array<{ createdAt: string; status: string; explanation: string }>;
    notes: Array<{ createdAt: string; body: string }>;
    webhooksReceived: Array<{ topic: string; receivedAt: string }>;
  }>;
}

/** Compiles what we hold about the customer's orders and keeps it for the merchant to hand over. */
export async function recordDataRequest(
  db: Db,
  shop: string,
  payload: z.infer<typeof dataRequestPayload>,
): Promise<CustomerDataReport> {
  const orderIds = payload.orders_requested.map(orderGid);
  const [decisions, notes, deliveries] = await Promise.all([
    db.decision.findMany({
      where: { shop, orderId: { in: orderIds } },
      orderBy: { createdAt: "asc" },
    }),
    db.orderNote.findMany({
      where: { shop, orderId: { in: orderIds } },
      orderBy: { createdAt: "asc" },
    }),
    db.webhookDelivery.findMany({
      where: { shop, subjectId: { in: orderIds } },
      orderBy: { receivedAt: "asc" },
    }),
  ]);
  const report: CustomerDataReport = {
    customerId: customerGid(payload.customer.id),
    orders: orderIds.map((orderId) => ({
      orderId,
      decisions: decisions
        .filter((d) => d.orderId === orderId)
        .map((d) => ({
          createdAt: d.createdAt.toISOString(),
          status: d.status,
          explanation: d.explanation,
        })),
      notes: notes
        .filter((n) => n.orderId === orderId)
        .map((n) => ({ createdAt: n.createdAt.toISOString(), body: n.body })),
      webhooksReceived: deliveries
        .filter((w) => w.subjectId === orderId)
        .map((w) => ({ topic: w.topic, receivedAt: w.receivedAt.toISOString() })),
    })),
  };
  await db.dataRequest.create({
    data: {
      shop,
      customerId: report.customerId,
      ordersRequested: JSON.stringify(orderIds),
      report: JSON.stringify(report),
    },
  });
  return report;
}

/** Erases what we hold about the customer's orders. Deleting by id makes a retry harmless. */
export async function redactCustomer(
  db: Db,
  shop: string,
  payload: z.infer<typeof customerRedactPayload>,
): Promise<void> {
  const orderIds = payload.orders_to_redact.map(orderGid);
  await db.$transaction([
    db.step.deleteMany({ where: { decision: { shop, orderId: { in: orderIds } } } }),
    db.decision.deleteMany({ where: { shop, orderId: { in: orderIds } } }),
    db.orderNote.deleteMany({ where: { shop, orderId: { in: orderIds } } }),
    db.webhookDelivery.deleteMany({ where: { shop, subjectId: { in: orderIds } } }),
    db.dataRequest.deleteMany({ where: { shop, customerId: customerGid(payload.customer.id) } }),
    db.fulfillmentOrderRecord.deleteMany({ where: { shop, orderId: { in: orderIds } } }),
    db.recentlyViewedOrder.deleteMany({ where: { shop, orderId: { in: orderIds } } }),
    db.approval.deleteMany({ where: { shop, orderId: { in: orderIds } } }),
  ]);
}
