// What the admin extensions ask the app for: the order block's summary (one line for the decision,
// holds, requests per fulfillment service, warnings with stuck requests and drift, the actions the
// state allows) and the order index action's bulk jobs, each read from the app's own services.
import type { TFunction } from "i18next";
import { z } from "zod";
import type { Db } from "../db/client.server";
import type { JobQueue } from "../jobs/queue";
import { FULFILLMENT_HOLD_REASONS } from "../routing";
import { startBulkJob, type BulkTarget } from "../fulfilment/bulk.server";
import { runCommand, type CommandAction, type CommandResult } from "../fulfilment/commands.server";
import { repairsOfOrder } from "../fulfilment/placed-by-repair.server";
import { englishTranslator } from "../i18n/i18next.server";
import { readWords, renderWords } from "../i18n/words";
import { triggerWords, type Words } from "../routing/words";
import type { AdminGateway } from "../shopify/gateway.server";
import { loadBulkJobView } from "./bulk-job-view.server";
import { loadOrderDetail, orderGid, type OrderDetail } from "./order-detail.server";

export type BlockAction = "approve" | "release" | "reroute" | "repair";

/**
 * Something on the order that needs the merchant: Shopify did not answer, a fulfillment order the
 * rules could not place, a request that stands still (stuck) or a lab and Shopify disagreeing (drift).
 * The extension words the kind; `text` is the app's own finding or reason.
 */
export interface BlockWarning {
  kind: "unreachable" | "needs_attention" | "stuck" | "drift";
  location: string | null;
  text: string;
  advice: string | null;
}

export interface OrderBlock {
  orderNumber: string;
  name: string;
  /**
   * The latest routing decision: what started it (its code, and the app catalogue's words for it in
   * the block's language: which webhook, reconciliation, a lab's answer…) and its first line.
   */
  decision: { trigger: string; triggerText: string; status: string; text: string } | null;
  holds: { location: string; reason: string; notes: string | null; ours: boolean }[];
  /** Per fulfillment service: Shopify's FulfillmentOrderRequestStatus (the extension words it). */
  requests: { service: string; location: string; status: string }[];
  warnings: BlockWarning[];
  /**
   * The next actions the state allows, each with the fulfillment orders or findings it applies to,
   * and what the block asks the merchant to confirm first (Route again on work a repair placed).
   */
  actions: {
    action: BlockAction;
    fulfillmentOrderIds: string[];
    findingIds: string[];
    confirm: string | null;
  }[];
  /** The app's own order page, for the block's link (admin resolves `app:` against the app URL). */
  appPath: string;
}

/** A stuck request or drift of the order the app still sees (the Finding table). */
export interface OpenFinding {
  id: string;
  category: string;
  labName: string | null;
  summary: string;
  advice: string | null;
  repair: string | null;
  status: string;
}

/** Findings still standing: a repair may be running on them, or it failed and the merchant decides. */
const STANDING_FINDINGS = ["open", "repairing", "waiting", "failed"];
/** Findings one click can repair: not while a repair already runs on them. */
const REPAIRABLE_FINDINGS = ["open", "failed"];

/**
 * What Route again asks the merchant to confirm when repairs still in force put the order's work
 * at `repairedTo` (names): the same words on the order block and on the app's order screen.
 */
export function rerouteConfirmation(t: TFunction, repairedTo: readonly string[]): string | null {
  return repairedTo.length > 0
    ? t("extensions.rerouteUndoesRepair", {
        locations: [...new Set(repairedTo)].map((name) => `“${name}”`).join(", "),
      })
    : null;
}

/**
 * `repairedTo`: where repairs still in force put the order's work (names): Route again hands that
 * work back to the rules, which may move it elsewhere, so the block asks first.
 */
export function orderBlock(
  detail: OrderDetail,
  findings: OpenFinding[],
  t: TFunction,
  repairedTo: readonly string[] = [],
): OrderBlock {
  const latest = detail.decisions[0] ?? null;
  const fos = detail.fulfillmentOrders;
  const warnings: BlockWarning[] = [];
  if (!detail.live && detail.shopifyError)
    warnings.push({ kind: "unreachable", location: null, text: detail.shopifyError, advice: null });
  for (const fo of fos)
    if (fo.outcome === "needs_attention" && fo.reason)
      warnings.push({
        kind: "needs_attention",
        location: fo.locationName,
        text: renderWords(t, fo.reason),
        advice: null,
      });
  if (latest?.status === "needs_attention") {
    const said = latest.explanation[latest.explanation.length - 1];
    const last = said === undefined ? null : renderWords(t, said);
    if (last && !warnings.some((w) => w.text === last))
      warnings.push({ kind: "needs_attention", location: null, text: last, advice: null });
  }
  for (const f of findings)
    warnings.push({
      kind: f.category === "drift" ? "drift" : "stuck",
      location: f.labName,
      text: f.summary,
      advice: f.advice,
    });
  const withAction = (pick: (fo: OrderDetail["fulfillmentOrders"][number]) => boolean) =>
    fos.filter(pick).map((fo) => fo.id);
  const actions: OrderBlock["actions"] = [];
  const add = (
    action: BlockAction,
    fulfillmentOrderIds: string[],
    findingIds: string[] = [],
    confirm: string | null = null,
  ) => actions.push({ action, fulfillmentOrderIds, findingIds, confirm });
  // A repair first: a stuck request or drift is what most needs the merchant.
  const repairable = findings.filter((f) => f.repair && REPAIRABLE_FINDINGS.includes(f.status));
  if (repairable.length)
    add(
      "repair",
      [],
      repairable.map((f) => f.id),
    );
  const approve = withAction((fo) => fo.actions.approve);
  if (approve.length) add("approve", approve);
  const release = withAction((fo) => fo.actions.release);
  if (release.length) add("release", release);
  if (detail.live && !detail.closed && !detail.cancelledAt)
    add("reroute", [], [], rerouteConfirmation(t, repairedTo));
  return {
    orderNumber: detail.orderNumber,
    name: detail.name,
    decision: latest
      ? {
          trigger: latest.trigger,
          triggerText: renderWords(t, triggerWords(latest.trigger, latest.cause)),
          status: latest.status,
          text: latest.explanation[0] === undefined ? "" : renderWords(t, latest.explanation[0]),
        }
      : null,
    holds: fos.flatMap((fo) =>
      fo.holds.map((h) => ({
        location: fo.locationName,
        reason: t(`holdReason.${h.reasonCode}`),
        notes: h.notes === null ? null : renderWords(t, h.notes),
        ours: h.placedBy !== null,
      })),
    ),
    requests: fos
      .filter((fo) => fo.provider)
      .map((fo) => ({
        service: fo.provider!,
        location: fo.locationName,
        status: fo.requestStatus,
      })),
    warnings,
    actions,
    appPath: `/app/orders/${detail.orderNumber}`,
  };
}

export interface BlockDeps {
  db: Db;
  gateway: AdminGateway;
  now: () => Date;
  /** Puts a finding's stored words in the merchant's language (default: the catalogue's English). */
  t?: TFunction;
}

/** The order as the block shows it: Shopify's live state, the app's decisions and its findings. */
export async function loadOrderBlock(
  deps: BlockDeps,
  shop: string,
  orderNumber: string,
): Promise<OrderBlock | null> {
  // The block opens on every order admin shows; only a visit to the app's screen is "recently viewed".
  const detail = await loadOrderDetail(deps, {
    shop,
    orderNumber,
    now: deps.now(),
    recordView: false,
  });
  if (!detail) return null;
  const findings = await deps.db.finding.findMany({
    where: { shop, orderId: orderGid(orderNumber), status: { in: STANDING_FINDINGS } },
    orderBy: { detectedAt: "asc" },
    select: {
      id: true,
      category: true,
      labName: true,
      summary: true,
      advice: true,
      repair: true,
      status: true,
    },
  });
  const t = deps.t ?? (await englishTranslator());
  const say = (stored: string) => renderWords(t, readWords(stored));
  const repairs = await repairsOfOrder(deps.db, shop, orderGid(orderNumber));
  return orderBlock(
    detail,
    findings.map((f) => ({ ...f, summary: say(f.summary), advice: f.advice && say(f.advice) })),
    t,
    repairs.map((r) => r.toName),
  );
}

export type BlockCommandResult =
  | { kind: "not_found" }
  | { kind: "not_allowed" }
  | {
      kind: "done";
      action: BlockAction;
      ok: boolean;
      /** Why a command changed nothing or stopped, in the app's and Shopify's words; empty when ok. */
      details: Words[];
      block: OrderBlock | null;
      /** A repair runs as a bulk job: its report page. */
      reportPath: string | null;
    };

/**
 * Runs what the block's button asks, only when the order's state allows it now (a stale block
 * cannot approve what is already gone): approve, release and route again as the merchant's own
 * commands through the executor; a repair as a bulk job of the order's repairable findings.
 */
export async function runBlockCommand(
  deps: BlockDeps & { queue: JobQueue },
  context: { shop: string; actor: string | null },
  orderNumber: string,
  command: BlockCommand,
): Promise<BlockCommandResult> {
  const before = await loadOrderBlock(deps, context.shop, orderNumber);
  if (!before) return { kind: "not_found" };
  const allowed = before.actions.find((a) => a.action === command.action);
  if (!allowed) return { kind: "not_allowed" };
  if (allowed.action === "repair") {
    const findings = await deps.db.finding.findMany({
      where: { shop: context.shop, id: { in: allowed.findingIds } },
      select: { id: true, labName: true },
    });
    const id = await startBulkJob(deps.db, deps.queue, {
      shop: context.shop,
      action: "repair",
      targets: findings.map((f) => ({
        id: f.id,
        label: [before.name, f.labName].filter(Boolean).join(" · "),
      })),
      createdBy: context.actor,
    });
    return {
      kind: "done",
      action: "repair",
      ok: true,
      details: [],
      block: await loadOrderBlock(deps, context.shop, orderNumber),
      reportPath: `/app/bulk/${id}`,
    };
  }
  const results: CommandResult[] = [];
  if (allowed.action === "reroute") {
    results.push(
      await runCommand(deps, context, { action: "reroute", orderId: orderGid(orderNumber) }),
    );
  } else {
    for (const fulfillmentOrderId of allowed.fulfillmentOrderIds)
      results.push(await runCommand(deps, context, { action: allowed.action, fulfillmentOrderId }));
  }
  return {
    kind: "done",
    action: allowed.action,
    ok: results.every((r) => r.ok),
    details: results.filter((r) => !r.ok).map((r) => r.message),
    block: await loadOrderBlock(deps, context.shop, orderNumber),
    reportPath: null,
  };
}

const blockCommandSchema = z.object({
  action: z.enum(["approve", "release", "reroute", "repair"]),
});

export type BlockCommand = z.infer<typeof blockCommandSchema>;

/** The block's button press, or null when the body names no action the block has. */
export function parseBlockCommand(body: unknown): BlockCommand | null {
  const parsed = blockCommandSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

// ---------------------------------------------------------------------------------------------
// The order index action: the selected orders, one bulk job.

/** What the order index action can do to the selected orders. */
export const INDEX_ACTIONS = ["approve", "hold", "release", "reroute"] as const;
export type IndexAction = (typeof INDEX_ACTIONS)[number];

export const MAX_SELECTED = 250;
const MAX_NOTE = 255;

/** Why the index action's request was refused, per field: a key of the catalogue's `extensions.bulk`. */
export type BulkRefusal =
  | "chooseAction"
  | "notAnOrderId"
  | "selectOne"
  | "tooMany"
  | "chooseReason"
  | "noteTooLong"
  | "noOpenFulfillmentOrders";

/** The numbers a refusal names ("At most 250 orders at once"). */
export function bulkRefusalValues(refusal: BulkRefusal): { max?: number } {
  if (refusal === "tooMany") return { max: MAX_SELECTED };
  if (refusal === "noteTooLong") return { max: MAX_NOTE };
  return {};
}

const bulkSchema = z
  .object({
    action: z.enum(INDEX_ACTIONS),
    orderIds: z
      .array(z.string().regex(/^gid:\/\/shopify\/Order\/\d+$/, "notAnOrderId"))
      .min(1, "selectOne")
      .max(MAX_SELECTED, "tooMany"),
    reason: z.enum(FULFILLMENT_HOLD_REASONS).optional(),
    note: z.string().trim().max(MAX_NOTE, "noteTooLong").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.action === "hold" && !v.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "chooseReason" });
  });

export type IndexBulkRequest = z.infer<typeof bulkSchema>;

/** A field's refusal when zod's own message is not one of ours (a wrong type, an unknown value). */
const FIELD_REFUSALS: Record<string, BulkRefusal> = {
  action: "chooseAction",
  orderIds: "selectOne",
  reason: "chooseReason",
  note: "noteTooLong",
};
const REFUSALS = new Set<string>([...Object.values(FIELD_REFUSALS), "notAnOrderId", "tooMany"]);

export function parseIndexBulkRequest(
  body: unknown,
): { ok: true; value: IndexBulkRequest } | { ok: false; errors: Record<string, BulkRefusal> } {
  const parsed = bulkSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Record<string, BulkRefusal> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "action");
    errors[field] ??= REFUSALS.has(issue.message)
      ? (issue.message as BulkRefusal)
      : (FIELD_REFUSALS[field] ?? "chooseAction");
  }
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
): Promise<{ ok: true; id: string } | { ok: false; errors: Record<string, BulkRefusal> }> {
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
      errors: { orderIds: "noOpenFulfillmentOrders" },
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
