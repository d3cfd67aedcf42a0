// Bulk actions from the queue: what the merchant picked, turned into the targets a bulk job runs
// over, re-read from the shop's rows.
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import type { TFunction } from "i18next";
import type { Db } from "../db/client.server";
import { repairsInForce } from "../fulfilment/placed-by-repair.server";
import { FULFILLMENT_HOLD_REASONS, fieldErrorMessage as say } from "../routing";
import { words } from "../routing/words";
import { BULK_ACTIONS, ORDER_LEVEL_ACTIONS, type BulkAction } from "../routing/vocabulary";
import { fieldErrors, type Parsed } from "./field-errors";
import { parseQueueFilters, queueWhere } from "./queue-filters.server";

/** "Select all matching" starts one job item per target; beyond this a merchant should narrow the filter. */
export const MAX_BULK_TARGETS = 5000;

const bulkSchema = z
  .object({
    action: z.enum(BULK_ACTIONS, {
      errorMap: () => ({ message: say("chooseBulkAction") }),
    }),
    ids: z.array(z.string().min(1).max(64)).max(MAX_BULK_TARGETS).default([]),
    allMatching: z.literal("1").optional(),
    query: z.string().max(4000).default(""),
    reason: z
      .enum(FULFILLMENT_HOLD_REASONS, { errorMap: () => ({ message: say("holdReasonOrders") }) })
      .optional(),
    note: z
      .string()
      .trim()
      .max(255, say("maxLength", { max: 255 }))
      .default(""),
  })
  .superRefine((value, ctx) => {
    if (value.action === "hold" && !value.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: say("holdReasonOrders") });
    }
    if (!value.allMatching && value.ids.length === 0) {
      ctx.addIssue({ code: "custom", path: ["ids"], message: say("selectOrders") });
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
 * each once, for capture, archive and Route again. Rows are re-read here so a stale screen cannot name rows
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
        ids: words("fieldErrors.tooManyOrders", { max: MAX_BULK_TARGETS }),
      },
    };
  }
  if (records.length === 0) return { ok: false, errors: { ids: words("fieldErrors.noneInQueue") } };
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

/**
 * Of the orders a bulk Route again would route, those whose work a repair from Stuck and drift
 * placed (their names, oldest order first): Route again hands that work back to the rules, so
 * its confirmation names them. None when the selection would not start a job at all.
 */
export async function repairedAmong(
  db: Db,
  shop: string,
  request: BulkRequest,
  now: Date,
): Promise<string[]> {
  const plan = await resolveBulkTargets(db, shop, { ...request, action: "reroute" }, now);
  if (!plan.ok) return [];
  const repaired = await repairsInForce(
    db,
    shop,
    plan.value.targets.map((target) => target.id),
  );
  return plan.value.targets.filter((target) => repaired.has(target.id)).map((t) => t.label);
}

/** How many repaired orders the confirmation names before "and N more": a dialog, not a report. */
const NAMED = 3;

/**
 * The confirmation's sentence on repaired orders ("A repair from Stuck and drift placed the work
 * of #1001, #1002, #1003, and 2 more."), or null when no selected order was repaired.
 */
export function repairedNote(
  t: TFunction,
  locale: string,
  names: readonly string[],
): string | null {
  if (names.length === 0) return null;
  const named =
    names.length > NAMED
      ? [...names.slice(0, NAMED), t("queue.reroute.more", { count: names.length - NAMED })]
      : names;
  const orders = new Intl.ListFormat(locale, { type: "conjunction" }).format(named);
  return t("queue.reroute.repaired", { count: names.length, orders });
}
