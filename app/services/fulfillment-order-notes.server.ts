// Notes on one fulfillment order (one place a part of the order ships from): written on its card on
// the order screen, kept by shop + fulfillment order, shown on that card and in the order's timeline.
import { z } from "zod";
import type { Db } from "../db/client.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { readOrder, toOrderSnapshot } from "../shopify/snapshot.server";

export interface FulfillmentOrderNoteView {
  id: string;
  author: string | null;
  body: string;
  createdAt: string;
}

const FULFILLMENT_ORDER_GID = /^gid:\/\/shopify\/FulfillmentOrder\/\d+$/;

const fulfillmentOrderNoteSchema = z.object({
  fulfillmentOrderId: z.string().regex(FULFILLMENT_ORDER_GID),
  body: z.string().trim().min(1).max(2000),
});

/** Which field of the form was wrong: the screen says it in the catalogue's words. */
export type FulfillmentOrderNoteError = "body" | "fulfillmentOrderId";

export type AddedFulfillmentOrderNote =
  { ok: true; id: string } | { ok: false; error: FulfillmentOrderNoteError };

/**
 * Whether the fulfillment order is one of this order's: the read model knows most; one it has not
 * seen (split or moved since the order was routed) is looked up in Shopify's answer for the order.
 */
async function isOrdersFulfillmentOrder(
  deps: { db: Db; gateway: AdminGateway },
  shop: string,
  orderId: string,
  fulfillmentOrderId: string,
): Promise<boolean> {
  const record = await deps.db.fulfillmentOrderRecord.findUnique({
    where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId } },
    select: { orderId: true },
  });
  if (record) return record.orderId === orderId;
  const snapshot = toOrderSnapshot(await readOrder(deps.gateway, orderId));
  return Boolean(snapshot?.fulfillmentOrders.some((fo) => fo.id === fulfillmentOrderId));
}

/** Adds the merchant's note to one fulfillment order of the order (never to another order's). */
export async function addFulfillmentOrderNote(
  deps: { db: Db; gateway: AdminGateway },
  input: { shop: string; orderId: string; author: string | null; form: FormData },
): Promise<AddedFulfillmentOrderNote> {
  const parsed = fulfillmentOrderNoteSchema.safeParse({
    fulfillmentOrderId: input.form.get("fulfillmentOrderId") ?? "",
    body: input.form.get("body") ?? "",
  });
  if (!parsed.success)
    return {
      ok: false,
      error: parsed.error.issues[0]?.path[0] === "body" ? "body" : "fulfillmentOrderId",
    };
  const { fulfillmentOrderId, body } = parsed.data;
  if (!(await isOrdersFulfillmentOrder(deps, input.shop, input.orderId, fulfillmentOrderId)))
    return { ok: false, error: "fulfillmentOrderId" };
  const note = await deps.db.fulfillmentOrderNote.create({
    data: {
      shop: input.shop,
      orderId: input.orderId,
      fulfillmentOrderId,
      author: input.author,
      body,
    },
    select: { id: true },
  });
  return { ok: true, id: note.id };
}

/** The order's fulfillment order notes, oldest first, by fulfillment order. */
export async function fulfillmentOrderNotesOf(
  db: Db,
  shop: string,
  orderId: string,
): Promise<Map<string, FulfillmentOrderNoteView[]>> {
  const rows = await db.fulfillmentOrderNote.findMany({
    where: { shop, orderId },
    orderBy: { createdAt: "asc" },
  });
  const byFulfillmentOrder = new Map<string, FulfillmentOrderNoteView[]>();
  for (const r of rows) {
    const list = byFulfillmentOrder.get(r.fulfillmentOrderId) ?? [];
    list.push({ id: r.id, author: r.author, body: r.body, createdAt: r.createdAt.toISOString() });
    byFulfillmentOrder.set(r.fulfillmentOrderId, list);
  }
  return byFulfillmentOrder;
}
