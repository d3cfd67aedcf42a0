// The webhook inbox: each verified delivery is stored once, keyed by X-Shopify-Webhook-Id, before
// Shopify gets its 200; the worker does the work later from the stored row.
import { Prisma } from "@prisma/client";
import type { Db } from "../db/client.server";

export interface InboundDelivery {
  webhookId: string;
  eventId?: string;
  topic: string;
  shop: string;
  apiVersion?: string;
  triggeredAt?: string;
  payload: unknown;
}

/** The resource a delivery is about, for stale-retry checks and privacy erasure. */
export function subjectOf(payload: unknown): string | undefined {
  if (payload && typeof payload === "object") {
    const p = payload as Record<string, unknown>;
    if (typeof p.admin_graphql_api_id === "string") return p.admin_graphql_api_id;
    const fo = p.fulfillment_order;
    if (fo && typeof fo === "object" && typeof (fo as Record<string, unknown>).id === "string") {
      return (fo as Record<string, string>).id;
    }
  }
  return undefined;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Stores the delivery; answers "duplicate" when Shopify sent this webhook id before. */
export async function recordDelivery(
  db: Db,
  delivery: InboundDelivery,
): Promise<"stored" | "duplicate"> {
  const triggeredAt = delivery.triggeredAt ? new Date(delivery.triggeredAt) : undefined;
  try {
    await db.webhookDelivery.create({
      data: {
        webhookId: delivery.webhookId,
        eventId: delivery.eventId ?? null,
        topic: delivery.topic,
        shop: delivery.shop,
        apiVersion: delivery.apiVersion ?? null,
        triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
        subjectId: subjectOf(delivery.payload) ?? null,
        payload: JSON.stringify(delivery.payload),
      },
    });
    return "stored";
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
}
