// The review queue's page: keyset pagination over the FulfillmentOrderRecord read model in the
// chosen sort, the count of all matching rows, and the rule and location choices its filters offer.
import type { Prisma } from "@prisma/client";
import type { Db } from "../db/client.server";
import { readWords, type StoredWords } from "../i18n/words";
import type { SortValue } from "../routing/vocabulary";
import { queueWhere, type QueueFilters } from "./queue-filters.server";

export const PAGE_SIZE = 50;

// Keyset pagination: a page starts after (or ends before) the row a cursor names, so page 200 of
// 10,000 costs what page 1 costs; OFFSET would read every skipped row.

type SortColumn = "orderCreatedAt" | "updatedAt";
const SORT_COLUMNS: Record<string, SortColumn> = {
  created: "orderCreatedAt",
  updated: "updatedAt",
};

function sortOf(value: SortValue): { column: SortColumn; direction: "asc" | "desc" } {
  const [key, direction] = value.split(" ") as [string, "asc" | "desc"];
  return { column: SORT_COLUMNS[key] ?? "orderCreatedAt", direction };
}

interface Cursor {
  value: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString("base64url");
}

export function decodeCursor(text: string | null): Cursor | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    // Every sort column is a time, so a cursor's value must read as one.
    if (
      Array.isArray(parsed) &&
      typeof parsed[0] === "string" &&
      typeof parsed[1] === "string" &&
      !Number.isNaN(Date.parse(parsed[0]))
    ) {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // A cursor someone edited by hand: start from the first page.
  }
  return null;
}

function cursorValue(row: QueueRowRecord, column: SortColumn): string {
  return row[column].toISOString();
}

function afterCursor(
  column: SortColumn,
  direction: "asc" | "desc",
  cursor: Cursor,
): Prisma.FulfillmentOrderRecordWhereInput {
  const op = direction === "asc" ? "gt" : "lt";
  const value = new Date(cursor.value);
  return {
    OR: [{ [column]: { [op]: value } }, { [column]: value, id: { [op]: cursor.id } }],
  };
}

const ROW_SELECT = {
  id: true,
  fulfillmentOrderId: true,
  orderId: true,
  orderName: true,
  customerName: true,
  status: true,
  requestStatus: true,
  outcome: true,
  reason: true,
  ruleName: true,
  locationName: true,
  provider: true,
  riskLevel: true,
  skus: true,
  tags: true,
  orderCreatedAt: true,
  updatedAt: true,
  authorizationLapsesAt: true,
  authorizationEstimated: true,
} satisfies Prisma.FulfillmentOrderRecordSelect;

type QueueRowRecord = Prisma.FulfillmentOrderRecordGetPayload<{ select: typeof ROW_SELECT }>;

/** One row of the review queue, as the queue table shows it (a type: Polaris indexes rows by string). */
export type QueueRow = {
  id: string;
  fulfillmentOrderId: string;
  orderId: string;
  /** The numeric tail of the order gid: the order detail's URL. */
  orderNumber: string;
  orderName: string;
  customerName: string | null;
  outcome: string;
  /** Why it is held or needs attention, said in the reader's language (older rows: English text). */
  reason: StoredWords | null;
  /** The rule that decided, or DECIDED_BY_SETTINGS. */
  ruleName: string | null;
  locationName: string | null;
  provider: string | null;
  riskLevel: string | null;
  skus: string;
  tags: string;
  orderCreatedAt: string;
  /** When the order's payment authorization lapses (ISO 8601); null when nothing is left to capture. */
  authorizationLapsesAt: string | null;
  authorizationEstimated: boolean;
};

export interface QueuePage {
  rows: QueueRow[];
  /** Rows matching the filters, over all pages. */
  total: number;
  next: string | null;
  previous: string | null;
}

function toRow(r: QueueRowRecord): QueueRow {
  return {
    id: r.id,
    fulfillmentOrderId: r.fulfillmentOrderId,
    orderId: r.orderId,
    orderNumber: r.orderId.slice(r.orderId.lastIndexOf("/") + 1),
    orderName: r.orderName,
    customerName: r.customerName,
    outcome: r.outcome,
    reason: r.reason === null ? null : readWords(r.reason),
    ruleName: r.ruleName,
    locationName: r.locationName,
    provider: r.provider,
    riskLevel: r.riskLevel,
    skus: r.skus,
    tags: r.tags,
    orderCreatedAt: r.orderCreatedAt.toISOString(),
    authorizationLapsesAt: r.authorizationLapsesAt?.toISOString() ?? null,
    authorizationEstimated: r.authorizationEstimated,
  };
}

export async function loadQueuePage(
  db: Db,
  shop: string,
  filters: QueueFilters,
  page: { after?: string | null; before?: string | null; now: Date; take?: number },
): Promise<QueuePage> {
  const take = page.take ?? PAGE_SIZE;
  const { column, direction } = sortOf(filters.sort);
  const where = queueWhere(shop, filters, page.now);
  const before = decodeCursor(page.before ?? null);
  const after = before ? null : decodeCursor(page.after ?? null);
  // Paging back reads the rows before the cursor in reverse order, then turns them around.
  const readDirection = before ? (direction === "asc" ? "desc" : "asc") : direction;
  const cursor = before ?? after;
  const [records, total] = await Promise.all([
    db.fulfillmentOrderRecord.findMany({
      where: cursor ? { AND: [where, afterCursor(column, readDirection, cursor)] } : where,
      orderBy: [{ [column]: readDirection }, { id: readDirection }],
      take: take + 1,
      select: ROW_SELECT,
    }),
    db.fulfillmentOrderRecord.count({ where }),
  ]);
  const more = records.length > take;
  const pageRecords = records.slice(0, take);
  if (before) pageRecords.reverse();
  const first = pageRecords[0];
  const last = pageRecords[pageRecords.length - 1];
  const hasNext = before ? true : more;
  const hasPrevious = before ? more : Boolean(after);
  return {
    rows: pageRecords.map(toRow),
    total,
    next: hasNext && last ? encodeCursor({ value: cursorValue(last, column), id: last.id }) : null,
    previous:
      hasPrevious && first
        ? encodeCursor({ value: cursorValue(first, column), id: first.id })
        : null,
  };
}

// ---------------------------------------------------------------------------------------------
// What the filter choices offer: only values that occur in the shop's queue.

export interface FilterChoices {
  rules: string[];
  locations: string[];
}

/** More distinct values than a filter menu can usefully offer; past it the menu stops growing. */
const MAX_FILTER_CHOICES = 200;

type ChoiceColumn = "ruleName" | "locationName" | "provider";

/**
 * The distinct values of a column in the shop's queue, one index seek per value (each read asks
 * for the first value after the last one found): the cost follows how many values there are, not
 * how many rows, so a queue of 100,000 opens as fast as one of 100. A GROUP BY reads every row.
 */
async function distinctValues(db: Db, shop: string, column: ChoiceColumn): Promise<string[]> {
  const values: string[] = [];
  let last: string | null = null;
  while (values.length < MAX_FILTER_CHOICES) {
    const row: Partial<Record<ChoiceColumn, string | null>> | null =
      await db.fulfillmentOrderRecord.findFirst({
        where: { shop, [column]: last === null ? { not: null } : { gt: last } },
        orderBy: { [column]: "asc" },
        select: { [column]: true },
      });
    const value: string | null | undefined = row?.[column];
    if (value === undefined || value === null) break;
    values.push(value);
    last = value;
  }
  return values;
}

export async function loadFilterChoices(db: Db, shop: string): Promise<FilterChoices> {
  const [rules, locations, providers] = await Promise.all([
    distinctValues(db, shop, "ruleName"),
    distinctValues(db, shop, "locationName"),
    distinctValues(db, shop, "provider"),
  ]);
  const names = (values: string[]) => [...new Set(values.filter(Boolean))].sort();
  return { rules: names(rules), locations: names([...locations, ...providers]) };
}
