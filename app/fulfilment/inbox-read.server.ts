// The inbox pass's read: the deliveries waiting, taken shop by shop, in one statement.
import type { WebhookDelivery } from "@prisma/client";
import type { ArgType } from "@prisma/driver-adapter-utils";
import { driverAdapter, type Db } from "../db/client.server";

const DATETIME: ArgType = { scalarType: "datetime", arity: "scalar" };

/** A stored delivery as the worker reads it: every column, as Prisma's client answers it. */
export type StoredDelivery = WebhookDelivery;

// Every column of the inbox row, in the order they are read back.
const ALL_COLUMNS = [
  "id",
  "webhookId",
  "eventId",
  "topic",
  "shop",
  "apiVersion",
  "triggeredAt",
  "subjectId",
  "payload",
  "receivedAt",
  "status",
  "processedAt",
  "error",
  "attempts",
  "retryAt",
] as const satisfies readonly (keyof WebhookDelivery)[];
const DATE_COLUMNS = new Set(["triggeredAt", "receivedAt", "processedAt", "retryAt"]);
const INT: ArgType = { scalarType: "int", arity: "scalar" };

/** How many of each shop's waiting deliveries one pass takes, given how many shops it takes. */
export interface ShopShare {
  /** The most shops a pass takes (those whose oldest waiting delivery is oldest). */
  shops: number;
  /** Each shop's share is the shops' limit divided among them, but at least this many… */
  least: number;
  /** …and at most this many. */
  most: number;
}

/**
 * Each shop's share of a pass that found `shops` shops waiting: the shops' limit divided among
 * them, rounded up, within the bounds. The same rule the read's statement applies (`each` in
 * waitingByShop), for a caller that asks whether a shop had more waiting than it took.
 */
export function shareOfEachShop(share: ShopShare, shops: number): number {
  return Math.min(share.most, Math.max(share.least, Math.ceil(share.shops / Math.max(shops, 1))));
}

/**
 * The deliveries an inbox pass takes, in one statement: the shops with deliveries waiting and due
 * at `at`, those waiting longest first, and each shop's share of its oldest waiting deliveries
 * (the shops' limit divided among the shops found, within the share's bounds), per shop in the
 * order they arrived. One statement a pass, sent through the driver adapter: it was a Prisma call
 * for the shops and one a shop (docs/decisions/048). Each shop's share is read through the index
 * of a shop's waiting deliveries by arrival (a LATERAL join on PostgreSQL; SQLite, which has no
 * LATERAL, looks up the rows its subquery per shop answers).
 *
 * `installed`: when given, the same statement also asks which of the shops found have the app
 * installed (a Shop row or an offline session, as installedAmong asks), once a shop through the
 * Shop key and the Session shop index, and adds those to it: the pass drops the others' deliveries
 * (ADR 045) without a statement of its own.
 *
 * `claim`: on PostgreSQL the same statement also claims what it read of the installed shops (their
 * retryAt moved to `until`, only for those still waiting and due, as claiming after the read does)
 * and sets `claimed` to the ids this process now holds (docs/decisions/059). SQLite, whose UPDATE
 * cannot be part of a WITH, leaves `claimed` null: the caller claims in a statement of its own.
 */
export async function waitingByShop(
  db: Db,
  at: Date,
  share: ShopShare,
  installed?: Set<string>,
  claim?: { until: Date; claimed: Set<string> | null },
): Promise<StoredDelivery[][]> {
  const adapter = await driverAdapter(db);
  const postgres = adapter.provider === "postgres";
  const args: unknown[] = [];
  const argTypes: ArgType[] = [];
  const bind = (value: unknown, type: ArgType) => {
    args.push(value);
    argTypes.push(type);
    return postgres ? `$${args.length}` : "?";
  };
  const waiting = (alias: string) =>
    `${alias}."status" = 'received' AND (${alias}."retryAt" IS NULL OR ${alias}."retryAt" <= ${bind(at.toISOString(), DATETIME)})`;
  const found = `SELECT w."shop", MIN(w."receivedAt") AS "first" FROM "WebhookDelivery" w
       WHERE ${waiting("w")} GROUP BY w."shop" ORDER BY MIN(w."receivedAt") LIMIT ${bind(share.shops, INT)}`;
  // Asked of the shops found only (after the LIMIT), once each.
  const shops = installed
    ? `shops AS (SELECT g."shop", g."first", CASE WHEN
        EXISTS (SELECT 1 FROM "Shop" i WHERE i."shop" = g."shop") OR
        EXISTS (SELECT 1 FROM "Session" o WHERE o."shop" = g."shop" AND NOT o."isOnline")
        THEN 1 ELSE 0 END AS "installed" FROM (${found}) g)`
    : `shops AS (${found})`;
  // The shops' limit divided among the shops found, rounded up, within the bounds (as
  // shareOfEachShop says it).
  const [least, greatest] = postgres ? ["LEAST", "GREATEST"] : ["MIN", "MAX"];
  // Whole numbers throughout (SQLite may bind a number as a real, and its LIMIT takes no fraction).
  const each = () =>
    `(SELECT CAST(${least}(${bind(share.most, INT)}, ${greatest}(${bind(share.least, INT)},
        CAST((${bind(share.shops, INT)} + count(*) - 1) / ${greatest}(count(*), 1) AS INTEGER)))
        AS INTEGER) FROM shops)`;
  const columns = (alias: string) =>
    ALL_COLUMNS.map((c) => `${alias}."${c}"`).join(", ") + (installed ? `, s."installed"` : "");
  const picked = `SELECT ${columns("d")}, s."first" FROM shops s CROSS JOIN LATERAL (
         SELECT * FROM "WebhookDelivery" x WHERE x."shop" = s."shop" AND ${waiting("x")}
          ORDER BY x."receivedAt" LIMIT ${each()}) d`;
  const claiming = postgres && claim !== undefined;
  const sql = claiming
    ? // The rows read, then claimed by their key (the ids as one array: the primary key looks
      // each up, whatever the planner guesses of the rows read). A row another process claimed
      // since this statement began is checked again as it now stands (its retryAt ahead): left out.
      `WITH ${shops}, picked AS (${picked}), claimed AS (
         UPDATE "WebhookDelivery" w SET "retryAt" = ${bind(claim.until.toISOString(), DATETIME)}
          WHERE w."id" = ANY(ARRAY(SELECT p."id" FROM picked p${installed ? ` WHERE p."installed" = 1` : ""}))
            AND ${waiting("w")}
         RETURNING w."id")
       SELECT ${ALL_COLUMNS.map((c) => `p."${c}"`).join(", ")}${installed ? `, p."installed"` : ""},
              CASE WHEN c."id" IS NULL THEN 0 ELSE 1 END AS "claimed"
         FROM picked p LEFT JOIN claimed c ON c."id" = p."id"
        ORDER BY p."first", p."shop", p."receivedAt", p."id"`
    : postgres
      ? `WITH ${shops}
         SELECT * FROM (${picked}) p ORDER BY p."first", p."shop", p."receivedAt", p."id"`
      : `WITH ${shops}
       SELECT ${columns("d")} FROM shops s JOIN "WebhookDelivery" d ON d."rowid" IN (
         SELECT x."rowid" FROM "WebhookDelivery" x WHERE x."shop" = s."shop" AND ${waiting("x")}
          ORDER BY x."receivedAt" LIMIT ${each()})
       ORDER BY s."first", s."shop", d."receivedAt"`;
  const result = await adapter.queryRaw({ sql, args, argTypes });
  if (claiming) claim.claimed = new Set();
  const byShop = new Map<string, StoredDelivery[]>();
  for (const row of result.rows) {
    const delivery = Object.fromEntries(
      ALL_COLUMNS.map((column, i) => {
        const value = row[i];
        if (value === null || value === undefined) return [column, null];
        if (DATE_COLUMNS.has(column)) return [column, new Date(value as string)];
        if (column === "attempts") return [column, Number(value)];
        return [column, value];
      }),
    ) as StoredDelivery;
    if (installed && Number(row[ALL_COLUMNS.length]) === 1) installed.add(delivery.shop);
    if (claim?.claimed && Number(row[ALL_COLUMNS.length + (installed ? 1 : 0)]) === 1)
      claim.claimed.add(delivery.id);
    const list = byShop.get(delivery.shop);
    if (list) list.push(delivery);
    else byShop.set(delivery.shop, [delivery]);
  }
  return [...byShop.values()];
}
