// The webhook inbox: each verified delivery is stored once, keyed by X-Shopify-Webhook-Id, before
// Shopify gets its 200; the worker does the work later from the stored row.
import { randomBytes } from "node:crypto";
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
  /** The body as Shopify signed it; stored instead of re-serialising `payload` when given. */
  rawPayload?: string;
}

export type DeliveryOutcome = "stored" | "duplicate";

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

/** Stores the delivery; answers "duplicate" when Shopify sent this webhook id before. */
export async function recordDelivery(db: Db, delivery: InboundDelivery): Promise<DeliveryOutcome> {
  const [outcome] = await storeDeliveries(db, [delivery]);
  return outcome ?? "duplicate";
}

// Random once per process: ids from two processes never collide, and no id needs fresh entropy.
const fingerprint = randomBytes(5).toString("hex");
let sequence = 0;

/**
 * A row id that sorts by creation time, as Prisma's cuid() does: new rows append to the primary
 * key's index instead of landing on a random page of it, so a batch dirties one index page
 * rather than one per row (each dirty page is written to the WAL and again at checkpoint).
 * Unique within the process by time and a counter, across processes by the fingerprint.
 */
export function newDeliveryId(): string {
  sequence = (sequence + 1) % 36 ** 5;
  const time = Date.now().toString(36).padStart(9, "0");
  return `c${time}${sequence.toString(36).padStart(5, "0")}${fingerprint}`;
}

/** Most rows in one statement: 10 parameters each, far below SQLite's and PostgreSQL's limits. */
export const MAX_DELIVERIES_PER_STATEMENT = 200;

/**
 * Stores deliveries with one INSERT statement, so one commit (one fsync on SQLite) covers them
 * all; answers per delivery whether it is new. A webhook id already stored, or repeated within
 * the batch, is a duplicate: the first copy wins.
 *
 * Raw SQL rather than `createMany`: `ON CONFLICT DO NOTHING RETURNING` settles duplicates inside
 * the statement on SQLite and PostgreSQL alike (`skipDuplicates` does not exist on SQLite), and
 * it skips Prisma's per-row query building, which cost more than the write itself (ADR 006).
 * Prisma still binds the values, so dates are stored exactly as the Prisma client stores them.
 */
export async function storeDeliveries(
  db: Db,
  deliveries: InboundDelivery[],
): Promise<DeliveryOutcome[]> {
  if (deliveries.length === 0) return [];
  if (deliveries.length > MAX_DELIVERIES_PER_STATEMENT) {
    throw new RangeError(
      `At most ${MAX_DELIVERIES_PER_STATEMENT} deliveries per statement; got ${deliveries.length}`,
    );
  }
  const receivedAt = new Date();
  const rows = deliveries.map((delivery) => {
    const triggeredAt = delivery.triggeredAt ? new Date(delivery.triggeredAt) : null;
    return Prisma.sql`(${newDeliveryId()}, ${delivery.webhookId}, ${delivery.eventId ?? null},
      ${delivery.topic}, ${delivery.shop}, ${delivery.apiVersion ?? null},
      ${triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null},
      ${subjectOf(delivery.payload) ?? null},
      ${delivery.rawPayload ?? JSON.stringify(delivery.payload)}, ${receivedAt})`;
  });
  const inserted = await db.$queryRaw<Array<{ webhookId: string }>>`
    INSERT INTO "WebhookDelivery"
      ("id", "webhookId", "eventId", "topic", "shop", "apiVersion", "triggeredAt", "subjectId",
       "payload", "receivedAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("webhookId") DO NOTHING
    RETURNING "webhookId"`;
  const fresh = new Set(inserted.map((row) => row.webhookId));
  return deliveries.map((delivery) => {
    // Delete as we go: a second copy of the same id in this batch is a duplicate.
    return fresh.delete(delivery.webhookId) ? "stored" : "duplicate";
  });
}
