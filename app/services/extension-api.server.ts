// What the admin extensions ask the app for: the order block's summary (one line for the decision,
// holds, requests per fulfillment service, warnings, the actions the state allows) and the order
// index action's bulk jobs, each read from the same services as the app's own screens.
import { z } from "zod";
import type { Db } from "../db/client.server";
import type { JobQueue } from "../jobs/queue";
import { FULFILLMENT_HOLD_REASONS } from "../routing";
import { startBulkJob, type BulkTarget } from "../fulfilment/bulk.server";
import type { CommandAction } from "../fulfilment/commands.server";
import { loadBulkJobView } from "./queue.server";
import { describeTrigger, type OrderDetail } from "./order-detail.server";

export type BlockAction = "approve" | "release" | "reroute";

export interface OrderBlock {
  orderNumber: string;
  name: string;
  /** The routing decision in one line; null when the app has not routed the order. */
  decision: string | null;
  decisionStatus: string | null;
  holds: { location: string; reason: string; notes: string | null; ours: boolean }[];
  requests: { service: string; location: string; status: string }[];
  warnings: string[];
  /** The next actions the state allows, each with the fulfillment orders it applies to. */
  actions: { action: BlockAction; fulfillmentOrderIds: string[] }[];
  /** The app's own order page, for the block's link (admin resolves `app:` against the app URL). */
  appPath: string;
}

/** Shopify's request statuses, in admin's words. */
const REQUEST_WORDS: Record<string, string> = {
  UNSUBMITTED: "Not requested",
  SUBMITTED: "Requested, waiting for the service",
  ACCEPTED: "Accepted by the service",
  REJECTED: "Rejected by the service",
  CANCELLATION_REQUESTED: "Cancellation requested",
  CANCELLATION_ACCEPTED: "Cancellation accepted",
  CANCELLATION_REJECTED: "Cancellation rejected",
  CLOSED: "Closed",
};

export function orderBlock(detail: OrderDetail): OrderBlock {
  const latest = detail.decisions[0] ?? null;
  const fos = detail.fulfillmentOrders;
  const warnings: string[] = [];
  if (!detail.live && detail.shopifyError)
    warnings.push(`Shopify did not answer: ${detail.shopifyError}`);
  for (const fo of fos)
    if (fo.outcome === "needs_attention" && fo.reason)
      warnings.push(`${fo.locationName}: ${fo.reason}`);
  if (latest?.status === "needs_attention") {
    const last = latest.explanation[latest.explanation.length - 1];
    if (last && !warnings.some((w) => w.endsWith(last))) warnings.push(last);
  }
  const withAction = (pick: (fo: OrderDetail["fulfillmentOrders"][number]) => boolean) =>
    fos.filter(pick).map((fo) => fo.id);
  const actions: OrderBlock["actions"] = [];
  const approve = withAction((fo) => fo.actions.approve);
  if (approve.length) actions.push({ action: "approve", fulfillmentOrderIds: approve });
  const release = withAction((fo) => fo.actions.release);
  if (release.length) actions.push({ action: "release", fulfillmentOrderIds: release });
  if (detail.live && !detail.closed && !detail.cancelledAt)
    actions.push({ action: "reroute", fulfillmentOrderIds: [] });
  return {
    orderNumber: detail.orderNumber,
    name: detail.name,
    decision: latest
      ? `${describeTrigger(latest.trigger)}: ${latest.explanation[0] ?? latest.status}`
      : null,
    decisionStatus: latest?.status ?? null,
    holds: fos.flatMap((fo) =>
      fo.holds.map((h) => ({
        location: fo.locationName,
        reason: h.reason,
        notes: h.notes,
        ours: h.placedBy !== null,
      })),
    ),
    requests: fos
      .filter((fo) => fo.provider)
      .map((fo) => ({
        service: fo.provider!,
        location: fo.locationName,
        status: REQUEST_WORDS[fo.requestStatus] ?? fo.requestStatus,
      })),
    warnings,
    actions,
    appPath: `/app/orders/${detail.orderNumber}`,
  };
}

const blockCommandSchema = z.object({
  action: z.enum(["approve", "release", "reroute"], {
    errorMap: () => ({ message: "Choose approve, release or route again" }),
  }),
});

export type BlockCommand = z.infer<typeof blockCommandSchema>;

export function parseBlockCommand(
  body: unknown,
): { ok: true; value: BlockCommand } | { ok: false; errors: Record<string, string> } {
  const parsed = blockCommandSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: Object.fromEntries(
      parsed.error.issues.map((i) => [i.path.join(".") || "body", i.message]),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// The order index action: the selected orders, one bulk job.

/** What the order index action can do to the selected orders. */
export const INDEX_ACTIONS = ["approve", "hold", "release", "reroute"] as const;
export type IndexAction = (typeof INDEX_ACTIONS)[number];

const MAX_SELECTED = 250;

const bulkSchema = z
  .object({
    action: z.enum(INDEX_ACTIONS, {
      errorMap: () => ({ message: "Choose what to do with the selected orders" }),
    }),
    orderIds: z
      .array(z.string().regex(/^gid:\/\/shopify\/Order\/\d+$/, "Not an order ID"))
      .min(1, "Select at least one order")
      .max(MAX_SELECTED, `At most ${MAX_SELECTED} orders at once`),
    reason: z.enum(FULFILLMENT_HOLD_REASONS).optional(),
    note: z.string().trim().max(255, "Use at most 255 characters").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.action === "hold" && !v.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Choose why the orders are held" });
  });

export type IndexBulkRequest = z.infer<typeof bulkSchema>;

export function parseIndexBulkRequest(
  body: unknown,
): { ok: true; value: IndexBulkRequest } | { ok: false; errors: Record<string, string> } {
  const parsed = bulkSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues)
    errors[String(issue.path[0] ?? "body")] ??= issue.message;
  return { ok: false, errors };
}

/**
 * Starts one bulk job for the selected orders. Approve, hold and release act on each fulfillment
 * order the app knows of the orders (the read model); routing again acts on each order, known or
 * not, so an order the app never saw gets its first decision.
 */
export async function startIndexBulkJob(
  db: Db,
  queue: JobQueue,
  input: { shop: string; request: IndexBulkRequest; createdBy: string | null },
): Promise<{ ok: true; id: string } | { ok: false; errors: Record<string, string> }> {
  const { shop, request } = input;
  let targets: BulkTarget[];
  if (request.action === "reroute") {
    const names = await db.fulfillmentOrderRecord.findMany({
      where: { shop, orderId: { in: request.orderIds } },
      select: { orderId: true, orderName: true },
      distinct: ["orderId"],
    });
    const nameOf = new Map(names.map((n) => [n.orderId, n.orderName]));
    targets = request.orderIds.map((id) => ({
      id,
      label: nameOf.get(id) ?? `#${id.slice(id.lastIndexOf("/") + 1)}`,
    }));
  } else {
    const records = await db.fulfillmentOrderRecord.findMany({
      where: {
        shop,
        orderId: { in: request.orderIds },
        status: { notIn: ["CLOSED", "CANCELLED"] },
      },
      orderBy: [{ orderCreatedAt: "asc" }, { id: "asc" }],
      select: { fulfillmentOrderId: true, orderName: true, locationName: true, provider: true },
    });
    targets = records.map((r) => ({
      id: r.fulfillmentOrderId,
      label: `${r.orderName} · ${r.provider ?? r.locationName}`,
    }));
  }
  if (targets.length === 0)
    return {
      ok: false,
      errors: { orderIds: "The app has no open fulfillment orders of the selected orders." },
    };
  const id = await startBulkJob(db, queue, {
    shop,
    action: request.action as CommandAction,
    targets,
    options: request.action === "hold" ? { reason: request.reason, note: request.note } : {},
    createdBy: input.createdBy,
  });
  return { ok: true, id };
}

export interface BulkProgress {
  id: string;
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  /** The app's report page of the job. */
  reportPath: string;
}

export async function bulkProgress(db: Db, shop: string, id: string): Promise<BulkProgress | null> {
  const job = await loadBulkJobView(db, shop, id);
  if (!job) return null;
  return {
    id: job.id,
    status: job.status,
    total: job.total,
    succeeded: job.succeeded,
    failed: job.failed,
    reportPath: `/app/bulk/${job.id}`,
  };
}
