// The webhook inbox: each verified delivery is stored once, keyed by X-Shopify-Webhook-Id, before
// Shopify gets its 200; the worker does the work later from the stored row.
import type { ArgType } from "@prisma/driver-adapter-utils";
import { driverAdapter, type Db } from "../db/client.server";
import { fulfillmentOrderSubjectOf } from "../fulfilment/fulfillment-order-subject";
import { newRowId } from "../db/row-id.server";
import { INBOX_CHANNEL, PROCESS_TAG } from "../jobs/inbox-signal";

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
    return fulfillmentOrderSubjectOf(p) ?? undefined;
  }
  return undefined;
}

/** Stores the delivery; answers "duplicate" when Shopify sent this webhook id before. */
export async function recordDelivery(db: Db, delivery: InboundDelivery): Promise<DeliveryOutcome> {
  const [outcome] = await storeDeliveries(db, [delivery]);
  return outcome ?? "duplicate";
}

/** A delivery's row id: ordered by creation time (newRowId). */
export const newDeliveryId = newRowId;

/** Most rows in one statement: 10 parameters each, far below SQLite's and PostgreSQL's limits. */
export const MAX_DELIVERIES_PER_STATEMENT = 200;

// The inbox row's columns, in the order each delivery's values are bound.
const COLUMNS = `"id", "webhookId", "eventId", "topic", "shop", "apiVersion", "triggeredAt", "subjectId", "payload", "receivedAt"`;
const STRING: ArgType = { scalarType: "string", arity: "scalar" };
const DATETIME: ArgType = { scalarType: "datetime", arity: "scalar" };
// What Prisma's raw queries send for a null.
const NULL: ArgType = { scalarType: "unknown", arity: "scalar" };

/**
 * Stores deliveries with one INSERT statement, so one commit (one fsync on SQLite) covers them
 * all; answers per delivery whether it is new. A webhook id already stored, or repeated within
 * the batch, is a duplicate: the first copy wins.
 *
 * Raw SQL rather than `createMany`: `ON CONFLICT DO NOTHING RETURNING` settles duplicates inside
 * the statement on SQLite and PostgreSQL alike (`skipDuplicates` does not exist on SQLite), and
 * it skips Prisma's per-row query building, which cost more than the write itself (ADR 006). Sent
 * through the client's driver adapter rather than `$queryRaw`, whose per-parameter work on the
 * 10 KB bodies cost as much again; the values and argument types are the ones `$queryRaw` sends
 * (dates as ISO text typed datetime), so the adapter binds them as Prisma does and the rows read
 * back the same through the Prisma client.
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
  const adapter = await driverAdapter(db);
  const receivedAt = new Date().toISOString();
  const args: unknown[] = [];
  const argTypes: ArgType[] = [];
  const bind = (value: string | null, type: ArgType = STRING) => {
    args.push(value);
    argTypes.push(value === null ? NULL : type);
  };
  const rows: string[] = [];
  const placeholder = adapter.provider === "postgres" ? () => `$${args.length}` : () => "?";
  for (const delivery of deliveries) {
    const triggeredAt = delivery.triggeredAt ? new Date(delivery.triggeredAt) : null;
    const values: string[] = [];
    const add = (value: string | null, type?: ArgType) => {
      bind(value, type);
      values.push(placeholder());
    };
    add(newDeliveryId());
    add(delivery.webhookId);
    add(delivery.eventId ?? null);
    add(delivery.topic);
    add(delivery.shop);
    add(delivery.apiVersion ?? null);
    add(
      triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt.toISOString() : null,
      DATETIME,
    );
    add(subjectOf(delivery.payload) ?? null);
    add(delivery.rawPayload ?? JSON.stringify(delivery.payload));
    add(receivedAt, DATETIME);
    rows.push(`(${values.join(", ")})`);
  }
  const insert = `INSERT INTO "WebhookDelivery" (${COLUMNS}) VALUES ${rows.join(", ")}
      ON CONFLICT ("webhookId") DO NOTHING RETURNING "webhookId"`;
  let sql = insert;
  if (adapter.provider === "postgres") {
    // The worker processes are told in the same statement, when it stored anything: PostgreSQL
    // sends the notification at the commit, so a worker woken by it finds the rows, and a web
    // process sends no statement more per delivery than before (docs/decisions/035).
    bind(INBOX_CHANNEL);
    const channel = placeholder();
    bind(PROCESS_TAG);
    const tag = placeholder();
    sql = `WITH stored AS (${insert})
      SELECT stored."webhookId" FROM stored,
        (SELECT pg_notify(${channel}, ${tag}) WHERE EXISTS (SELECT 1 FROM stored)) AS told`;
  }
  const inserted = await adapter.queryRaw({ sql, args, argTypes });
  const fresh = new Set(inserted.rows.map((row) => String(row[0])));
  return deliveries.map((delivery) => {
    // Delete as we go: a second copy of the same id in this batch is a duplicate.
    return fresh.delete(delivery.webhookId) ? "stored" : "duplicate";
  });
}
