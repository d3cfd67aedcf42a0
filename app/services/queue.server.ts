// The review queue: filters, sort, search and keyset pagination over the FulfillmentOrderRecord
// read model, saved views, recently viewed orders, and the bulk targets a selection stands for.
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import type { Db } from "../db/client.server";
import { BULK_REPORT_PAGE, bulkJobReport } from "../fulfilment/bulk.server";
import {
  FULFILLMENT_HOLD_REASONS,
  HOLD_REASON_LABELS,
  RISK_LEVELS,
  type FulfillmentHoldReason,
} from "../routing";
import {
  AGE_BUCKETS,
  BULK_ACTIONS,
  CANCELLED_OUTCOMES,
  COMPLETED_OUTCOMES,
  DEFAULT_SORT,
  ORDER_LEVEL_ACTIONS,
  OUTCOMES,
  SORT_VALUES,
  type AgeBucket,
  type BulkAction,
  type Outcome,
  type SortValue,
} from "../routing/vocabulary";
import { canonicalViewQuery } from "./queue-params";

export const PAGE_SIZE = 50;

/**
 * Who acted, for the decision log and bulk jobs: the staff member's name when the session is an
 * online one, else the user id from the session token, else nobody known.
 */
export function staffName(
  session: {
    onlineAccessInfo?: {
      associated_user?: { first_name?: string; last_name?: string; email?: string };
    };
  },
  sessionToken?: { sub?: string } | null,
): string | null {
  const user = session.onlineAccessInfo?.associated_user;
  const name = [user?.first_name, user?.last_name].filter(Boolean).join(" ");
  if (name) return name;
  if (user?.email) return user.email;
  return sessionToken?.sub ? `staff ${sessionToken.sub}` : null;
}
/** "Select all matching" starts one job item per target; beyond this a merchant should narrow the filter. */
export const MAX_BULK_TARGETS = 5000;

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const multi = <T extends readonly [string, ...string[]]>(values: T) =>
  z.array(z.enum(values)).default([]);
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters`)
    .optional()
    .transform((v) => (v ? v : undefined));

const filtersSchema = z.object({
  q: text(100),
  status: multi(OUTCOMES),
  reason: multi(FULFILLMENT_HOLD_REASONS),
  rule: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  location: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  risk: multi(RISK_LEVELS),
  age: z.enum(AGE_BUCKETS).optional(),
  tag: text(100),
  completed: z.literal("1").optional(),
  cancelled: z.literal("1").optional(),
  sort: z.enum(SORT_VALUES as [SortValue, ...SortValue[]]).default(DEFAULT_SORT),
});

export type QueueFilters = z.infer<typeof filtersSchema>;

export interface FieldErrors {
  [field: string]: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

const MULTI_PARAMS = ["status", "reason", "rule", "location", "risk"] as const;

/** Reads the queue's filters from URL search params; an unknown value is a field error, not a crash. */
export function parseQueueFilters(params: URLSearchParams): Parsed<QueueFilters> {
  const raw: Record<string, unknown> = {};
  for (const key of ["q", "age", "tag", "completed", "cancelled", "sort"] as const) {
    const value = params.get(key);
    if (value !== null && value !== "") raw[key] = value;
  }
  for (const key of MULTI_PARAMS) raw[key] = params.getAll(key).filter(Boolean);
  const result = filtersSchema.safeParse(raw);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: fieldErrors(result.error) };
}

/**
 * The queue's filters from a URL that may be outdated or hand-edited: the params that do not parse
 * are left out (and reported), the rest still apply. A page view is not a form submission, so the
 * screen shows what it could and says what it ignored, rather than answering an error.
 */
export function readQueueFilters(params: URLSearchParams): {
  filters: QueueFilters;
  ignored: FieldErrors | null;
} {
  const first = parseQueueFilters(params);
  if (first.ok) return { filters: first.value, ignored: null };
  const kept = new URLSearchParams(params);
  for (const field of Object.keys(first.errors)) kept.delete(field);
  const second = parseQueueFilters(kept);
  return { filters: second.ok ? second.value : defaultQueueFilters(), ignored: first.errors };
}

export function defaultQueueFilters(): QueueFilters {
  return filtersSchema.parse({});
}

/** The outcomes the queue shows: the merchant's choice, else everything not finished. */
export function visibleOutcomes(
  filters: Pick<QueueFilters, "status" | "completed" | "cancelled">,
): Outcome[] {
  if (filters.status.length > 0) return filters.status;
  return OUTCOMES.filter(
    (o) =>
      (filters.completed || !COMPLETED_OUTCOMES.includes(o)) &&
      (filters.cancelled || !CANCELLED_OUTCOMES.includes(o)),
  );
}

/** One whole tag inside the space-separated `tags` column, not part of a longer tag. */
function hasTag(tag: string): Prisma.FulfillmentOrderRecordWhereInput {
  return {
    OR: [
      { tags: tag },
      { tags: { startsWith: `${tag} ` } },
      { tags: { endsWith: ` ${tag}` } },
      { tags: { contains: ` ${tag} ` } },
    ],
  };
}

function ageWhere(age: AgeBucket, now: Date): Prisma.DateTimeFilter {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  switch (age) {
    case "under_1d":
      return { gte: ago(DAY) };
    case "1d_3d":
      return { lt: ago(DAY), gte: ago(3 * DAY) };
    case "over_3d":
      return { lt: ago(3 * DAY) };
    case "over_7d":
      return { lt: ago(7 * DAY) };
  }
}

export function queueWhere(
  shop: string,
  filters: QueueFilters,
  now: Date,
): Prisma.FulfillmentOrderRecordWhereInput {
  const and: Prisma.FulfillmentOrderRecordWhereInput[] = [];
  if (filters.q) {
    // A merchant types "1001" as often as "#1001".
    const q = filters.q;
    and.push({
      OR: [
        { orderName: { contains: q } },
        { customerName: { contains: q } },
        { skus: { contains: q } },
      ],
    });
  }
  if (filters.reason.length > 0) {
    // Reasons are stored as "<label>" or "<label>: <the merchant's note>".
    and.push({
      OR: filters.reason.map((r: FulfillmentHoldReason) => ({
        reason: { startsWith: HOLD_REASON_LABELS[r] },
      })),
    });
  }
  if (filters.rule.length > 0) and.push({ ruleName: { in: filters.rule } });
  if (filters.location.length > 0) {
    and.push({
      OR: [{ locationName: { in: filters.location } }, { provider: { in: filters.location } }],
    });
  }
  if (filters.risk.length > 0) and.push({ riskLevel: { in: filters.risk } });
  if (filters.tag) and.push(hasTag(filters.tag));
  return {
    shop,
    outcome: { in: visibleOutcomes(filters) },
    ...(filters.age ? { orderCreatedAt: ageWhere(filters.age, now) } : {}),
    ...(and.length > 0 ? { AND: and } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
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
} satisfies Prisma.FulfillmentOrderRecordSelect;

type QueueRowRecord = Prisma.FulfillmentOrderRecordGetPayload<{ select: typeof ROW_SELECT }>;

export interface QueueRow {
  id: string;
  fulfillmentOrderId: string;
  orderId: string;
  /** The numeric tail of the order gid: the order detail's URL. */
  orderNumber: string;
  orderName: string;
  customerName: string | null;
  outcome: string;
  reason: string | null;
  ruleName: string | null;
  locationName: string | null;
  provider: string | null;
  riskLevel: string | null;
  skus: string;
  tags: string;
  orderCreatedAt: string;
}

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
    reason: r.reason,
    ruleName: r.ruleName,
    locationName: r.locationName,
    provider: r.provider,
    riskLevel: r.riskLevel,
    skus: r.skus,
    tags: r.tags,
    orderCreatedAt: r.orderCreatedAt.toISOString(),
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

// ---------------------------------------------------------------------------------------------
// Saved views.

export interface SavedViewSummary {
  id: string;
  name: string;
  query: string;
}

export async function listSavedViews(db: Db, shop: string): Promise<SavedViewSummary[]> {
  return db.savedView.findMany({
    where: { shop },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, query: true },
  });
}

const viewNameSchema = z
  .string()
  .trim()
  .min(1, "Give the view a name")
  .max(40, "Use at most 40 characters");

/** Saves the current filters under a name; saving an existing name replaces what it shows. */
export async function saveView(
  db: Db,
  shop: string,
  input: { name: unknown; query: unknown },
): Promise<Parsed<SavedViewSummary>> {
  const name = viewNameSchema.safeParse(input.name);
  if (!name.success)
    return { ok: false, errors: { name: name.error.issues[0]?.message ?? "Invalid name" } };
  if (name.data.toLowerCase() === "all")
    return {
      ok: false,
      errors: { name: "“All” is the queue without filters; choose another name" },
    };
  const query = canonicalViewQuery(typeof input.query === "string" ? input.query : "");
  const parsed = parseQueueFilters(new URLSearchParams(query));
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const view = await db.savedView.upsert({
    where: { shop_name: { shop, name: name.data } },
    create: { shop, name: name.data, query },
    update: { query },
    select: { id: true, name: true, query: true },
  });
  return { ok: true, value: view };
}

export async function renameView(
  db: Db,
  shop: string,
  id: string,
  name: unknown,
): Promise<Parsed<SavedViewSummary>> {
  const parsed = viewNameSchema.safeParse(name);
  if (!parsed.success)
    return { ok: false, errors: { name: parsed.error.issues[0]?.message ?? "Invalid name" } };
  const clash = await db.savedView.findUnique({
    where: { shop_name: { shop, name: parsed.data } },
  });
  if (clash && clash.id !== id)
    return { ok: false, errors: { name: "A view with this name exists already" } };
  const updated = await db.savedView.updateMany({
    where: { id, shop },
    data: { name: parsed.data },
  });
  if (updated.count === 0) return { ok: false, errors: { view: "This view no longer exists" } };
  return {
    ok: true,
    value: await db.savedView.findUniqueOrThrow({
      where: { id },
      select: { id: true, name: true, query: true },
    }),
  };
}

export async function deleteView(db: Db, shop: string, id: string): Promise<boolean> {
  // Scoped by shop: a view id from another shop deletes nothing.
  const deleted = await db.savedView.deleteMany({ where: { id, shop } });
  return deleted.count > 0;
}

// ---------------------------------------------------------------------------------------------
// Recently viewed orders.

export interface RecentOrder {
  orderId: string;
  orderNumber: string;
  orderName: string;
  viewedAt: string;
}

const RECENT_KEEP = 20;

export async function recordRecentlyViewed(
  db: Db,
  shop: string,
  order: { orderId: string; orderName: string },
  now: Date,
): Promise<void> {
  await db.recentlyViewedOrder.upsert({
    where: { shop_orderId: { shop, orderId: order.orderId } },
    create: { shop, orderId: order.orderId, orderName: order.orderName, viewedAt: now },
    update: { orderName: order.orderName, viewedAt: now },
  });
  // Keep the list short; the screen shows the newest few.
  const stale = await db.recentlyViewedOrder.findMany({
    where: { shop },
    orderBy: { viewedAt: "desc" },
    skip: RECENT_KEEP,
    select: { id: true },
  });
  if (stale.length > 0)
    await db.recentlyViewedOrder.deleteMany({ where: { id: { in: stale.map((s) => s.id) } } });
}

export async function listRecentlyViewed(db: Db, shop: string, take = 5): Promise<RecentOrder[]> {
  const rows = await db.recentlyViewedOrder.findMany({
    where: { shop },
    orderBy: { viewedAt: "desc" },
    take,
  });
  return rows.map((r) => ({
    orderId: r.orderId,
    orderNumber: r.orderId.slice(r.orderId.lastIndexOf("/") + 1),
    orderName: r.orderName,
    viewedAt: r.viewedAt.toISOString(),
  }));
}

// ---------------------------------------------------------------------------------------------
// Bulk actions: what the merchant picked, turned into the targets a bulk job runs over.

const bulkSchema = z
  .object({
    action: z.enum(BULK_ACTIONS, {
      errorMap: () => ({ message: "Choose what to do with the selected orders" }),
    }),
    ids: z.array(z.string().min(1).max(64)).max(MAX_BULK_TARGETS).default([]),
    allMatching: z.literal("1").optional(),
    query: z.string().max(4000).default(""),
    reason: z
      .enum(FULFILLMENT_HOLD_REASONS, {
        errorMap: () => ({ message: "Choose why the orders are held" }),
      })
      .optional(),
    note: z.string().trim().max(255, "Use at most 255 characters").default(""),
  })
  .superRefine((value, ctx) => {
    if (value.action === "hold" && !value.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Choose why the orders are held" });
    }
    if (!value.allMatching && value.ids.length === 0) {
      ctx.addIssue({ code: "custom", path: ["ids"], message: "Select at least one order" });
    }
  });

export type BulkRequest = z.infer<typeof bulkSchema>;

export function parseBulkRequest(form: FormData): Parsed<BulkRequest> {
  const result = bulkSchema.safeParse({
    action: form.get("action") ?? undefined,
    ids: form.getAll("ids").filter((v): v is string => typeof v === "string"),
    allMatching: form.get("allMatching") || undefined,
    query: form.get("query") ?? undefined,
    reason: form.get("reason") || undefined,
    note: form.get("note") ?? undefined,
  });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: fieldErrors(result.error) };
}

export interface BulkPlan {
  action: BulkAction;
  targets: { id: string; label: string }[];
  options: Record<string, unknown>;
}

/**
 * The targets of a bulk request: fulfillment orders for approve, hold and release; their orders,
 * each once, for capture and archive. Rows are re-read here so a stale screen cannot name rows
 * of another shop.
 */
export async function resolveBulkTargets(
  db: Db,
  shop: string,
  request: BulkRequest,
  now: Date,
): Promise<Parsed<BulkPlan>> {
  let where: Prisma.FulfillmentOrderRecordWhereInput;
  if (request.allMatching) {
    const filters = parseQueueFilters(new URLSearchParams(request.query));
    if (!filters.ok) return { ok: false, errors: filters.errors };
    where = queueWhere(shop, filters.value, now);
  } else {
    where = { shop, id: { in: request.ids } };
  }
  const records = await db.fulfillmentOrderRecord.findMany({
    where,
    orderBy: [{ orderCreatedAt: "asc" }, { id: "asc" }],
    take: MAX_BULK_TARGETS + 1,
    select: {
      fulfillmentOrderId: true,
      orderId: true,
      orderName: true,
      locationName: true,
      provider: true,
    },
  });
  if (records.length > MAX_BULK_TARGETS) {
    return {
      ok: false,
      errors: {
        ids: `At most ${MAX_BULK_TARGETS} at once: narrow the filters and run it in parts.`,
      },
    };
  }
  if (records.length === 0)
    return { ok: false, errors: { ids: "None of the selected orders is in the queue any more." } };
  const orderLevel = ORDER_LEVEL_ACTIONS.includes(request.action);
  const seen = new Set<string>();
  const targets: BulkPlan["targets"] = [];
  for (const r of records) {
    const id = orderLevel ? r.orderId : r.fulfillmentOrderId;
    if (seen.has(id)) continue;
    seen.add(id);
    const where = r.provider ?? r.locationName;
    targets.push({ id, label: orderLevel || !where ? r.orderName : `${r.orderName} · ${where}` });
  }
  const options: Record<string, unknown> =
    request.action === "hold" ? { reason: request.reason, note: request.note } : {};
  return { ok: true, value: { action: request.action, targets, options } };
}

// ---------------------------------------------------------------------------------------------
// A bulk job as its progress screen shows it.

export interface BulkJobView {
  id: string;
  action: string;
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string | null;
  /** This page of the report (failures sort first, so they lead page 1). */
  items: {
    id: string;
    label: string;
    status: string;
    error: string | null;
    orderNumber: string | null;
  }[];
  /** 1-based page shown, of pageCount pages of BULK_REPORT_PAGE items. */
  page: number;
  pageCount: number;
}

/** Reads the `page` search parameter: a page number from 1, anything else is page 1. */
export function readReportPage(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export async function loadBulkJobView(
  db: Db,
  shop: string,
  id: string,
  requestedPage = 1,
): Promise<BulkJobView | null> {
  const head = await db.bulkJob.findFirst({ where: { id, shop }, select: { total: true } });
  if (!head) return null;
  const pageCount = Math.max(1, Math.ceil(head.total / BULK_REPORT_PAGE));
  const page = Math.min(Math.max(1, requestedPage), pageCount);
  const report = await bulkJobReport(db, shop, id, {
    skip: (page - 1) * BULK_REPORT_PAGE,
    take: BULK_REPORT_PAGE,
  });
  if (!report) return null;
  const shown = report.items;
  // Fulfillment order targets link to their order; the read model knows which one.
  const foIds = shown.map((i) => i.targetId).filter((t) => !t.includes("/Order/"));
  const records = foIds.length
    ? await db.fulfillmentOrderRecord.findMany({
        where: { shop, fulfillmentOrderId: { in: foIds } },
        select: { fulfillmentOrderId: true, orderId: true },
      })
    : [];
  const orderOf = new Map(records.map((r) => [r.fulfillmentOrderId, r.orderId]));
  const tail = (gid: string | undefined) => (gid ? gid.slice(gid.lastIndexOf("/") + 1) : null);
  return {
    id: report.id,
    action: report.action,
    status: report.status,
    total: report.total,
    succeeded: report.succeeded,
    failed: report.failed,
    pending: Math.max(0, report.total - report.succeeded - report.failed),
    createdAt: report.createdAt.toISOString(),
    finishedAt: report.finishedAt?.toISOString() ?? null,
    createdBy: report.createdBy,
    items: shown.map((i) => ({
      id: i.id,
      label: i.label,
      status: i.status,
      error: i.error,
      orderNumber: tail(i.targetId.includes("/Order/") ? i.targetId : orderOf.get(i.targetId)),
    })),
    page,
    pageCount,
  };
}
