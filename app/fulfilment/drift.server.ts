// The stuck-and-drift pass for one shop: read every open fulfillment order and what labs reported,
// find requests that stand still and places where a lab and Shopify disagree, keep them as
// findings, and repair drift by itself when the shop's Settings say so.
import {
  DEFAULT_MONITOR_SETTINGS,
  detectDrift,
  detectStuck,
  reportFromShopify,
  type Finding,
  type LabReport,
  type Location,
  type ScannedFulfillmentOrder,
  type ShopifySide,
} from "../routing";
import type { Db } from "../db/client.server";
import type { AdminGateway } from "../shopify/gateway.server";
import {
  LOCATION_FULFILLMENT_ORDERS_QUERY,
  LOCATIONS_QUERY,
  REPORTED_FULFILLMENT_ORDERS_QUERY,
} from "../shopify/operations";
import type {
  LocationFulfillmentOrdersQuery,
  LocationFulfillmentOrdersQueryVariables,
  LocationsQuery,
  ReportedFulfillmentOrdersQuery,
  ReportedFulfillmentOrdersQueryVariables,
} from "../types/admin.generated";
import { englishTranslator } from "../i18n/i18next.server";
import { renderWords } from "../i18n/words";
import { said, type Words } from "../routing/words";
import { announceToFlow } from "./flow-triggers.server";

export interface DriftDeps {
  db: Db;
  gateway: AdminGateway;
  now: () => Date;
  /** Aborted when the job's worker no longer holds it: make no further change. */
  signal?: AbortSignal;
}

export interface ScanResult {
  scanned: number;
  stuck: number;
  drift: number;
  /** Findings seen for the first time in this pass. */
  found: number;
  /** Findings of an earlier pass that are gone now. */
  cleared: number;
  /** Drift findings the pass asked to repair (Settings: repair automatically). */
  toRepair: string[];
}

/** Fulfillment orders a `nodes` read takes at once: 20 × (line items) stays under Shopify's 1000-point query limit. */
const NODES_BATCH = 20;

/** A location with the fulfilment service's display name, when a service owns it. */
export type LocationWithService = Location & { serviceName?: string | null };

export async function readLocations(gateway: AdminGateway): Promise<LocationWithService[]> {
  const data = await gateway.request<LocationsQuery>(LOCATIONS_QUERY);
  return data.locations.nodes
    .filter((l) => l.isActive)
    .map((l) => ({
      id: l.id,
      name: l.name,
      fulfillmentServiceHandle: l.fulfillmentService?.handle ?? null,
      serviceName: l.fulfillmentService?.serviceName ?? null,
    }));
}

function scannedFrom(
  fo: {
    id: string;
    orderId: string;
    orderName: string;
    status: string;
    requestStatus: string;
    updatedAt: unknown;
    assignedLocation: { name: string; location?: { id: string } | null };
  },
  locations: LocationWithService[],
): ScannedFulfillmentOrder {
  const locationId = fo.assignedLocation.location?.id ?? "";
  const location = locations.find((l) => l.id === locationId);
  return {
    id: fo.id,
    orderId: fo.orderId,
    orderName: fo.orderName,
    status: fo.status as ScannedFulfillmentOrder["status"],
    requestStatus: fo.requestStatus as ScannedFulfillmentOrder["requestStatus"],
    updatedAt: String(fo.updatedAt),
    locationId,
    locationName: fo.assignedLocation.name,
    serviceName: location?.fulfillmentServiceHandle
      ? (location.serviceName ?? location.name)
      : null,
  };
}

/**
 * Pages through the open fulfillment orders at the shop's labs (fulfilment-service locations),
 * one location at a time. Only a lab's work can stand still at a lab or disagree with it, so the
 * merchant's own locations, often most of a shop's open work, are not read at all.
 */
export async function scanOpenFulfillmentOrders(
  gateway: AdminGateway,
  locations: LocationWithService[],
): Promise<ScannedFulfillmentOrder[]> {
  const out: ScannedFulfillmentOrder[] = [];
  for (const location of locations) {
    if (!location.fulfillmentServiceHandle) continue;
    const query = `assigned_location_id:${location.id.split("/").pop()}`;
    let after: string | null = null;
    do {
      const page: LocationFulfillmentOrdersQuery = await gateway.request<
        LocationFulfillmentOrdersQuery,
        LocationFulfillmentOrdersQueryVariables
      >(LOCATION_FULFILLMENT_ORDERS_QUERY, { after, query });
      for (const fo of page.fulfillmentOrders.nodes)
        out.push(
          scannedFrom(
            { ...fo, assignedLocation: { name: location.name, location: { id: location.id } } },
            locations,
          ),
        );
      after = page.fulfillmentOrders.pageInfo.hasNextPage
        ? (page.fulfillmentOrders.pageInfo.endCursor ?? null)
        : null;
    } while (after);
  }
  return out;
}

function toLabReport(row: {
  fulfillmentOrderId: string;
  orderId: string;
  orderName: string;
  status: string;
  lines: string;
  tracking: string | null;
  source: string;
  labName: string;
  locationId: string | null;
  recordedAt: Date;
}): LabReport {
  return {
    fulfillmentOrderId: row.fulfillmentOrderId,
    orderId: row.orderId,
    orderName: row.orderName,
    status: row.status as LabReport["status"],
    lines: JSON.parse(row.lines) as LabReport["lines"],
    tracking: row.tracking ? (JSON.parse(row.tracking) as LabReport["tracking"]) : null,
    source: row.source as LabReport["source"],
    labName: row.labName,
    locationId: row.locationId,
    recordedAt: row.recordedAt.toISOString(),
  };
}

export async function saveLabReport(
  db: Db,
  shop: string,
  report: LabReport,
  recordedBy: string | null = null,
): Promise<void> {
  const data = {
    orderId: report.orderId,
    orderName: report.orderName,
    status: report.status,
    lines: JSON.stringify(report.lines),
    tracking: report.tracking ? JSON.stringify(report.tracking) : null,
    source: report.source,
    labName: report.labName,
    locationId: report.locationId,
    recordedBy,
    recordedAt: new Date(report.recordedAt),
  };
  await db.labReport.upsert({
    where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId: report.fulfillmentOrderId } },
    create: { shop, fulfillmentOrderId: report.fulfillmentOrderId, ...data },
    update: data,
  });
}

/** Reads the fulfillment orders lab reports are about, in batches, closed ones included. */
async function readReported(
  gateway: AdminGateway,
  ids: string[],
  locations: Location[],
): Promise<Map<string, { scanned: ScannedFulfillmentOrder; lines: ShopifySide["lines"] }>> {
  const out = new Map<string, { scanned: ScannedFulfillmentOrder; lines: ShopifySide["lines"] }>();
  for (let i = 0; i < ids.length; i += NODES_BATCH) {
    const data = await gateway.request<
      ReportedFulfillmentOrdersQuery,
      ReportedFulfillmentOrdersQueryVariables
    >(REPORTED_FULFILLMENT_ORDERS_QUERY, { ids: ids.slice(i, i + NODES_BATCH) });
    for (const node of data.nodes) {
      if (!node || !("orderId" in node)) continue;
      const scanned = scannedFrom(node, locations);
      scanned.lineItems = node.lineItems.nodes.map((l) => ({
        lineItemId: l.lineItem.id,
        totalQuantity: l.totalQuantity,
        remainingQuantity: l.remainingQuantity,
      }));
      out.set(node.id, {
        scanned,
        lines: node.lineItems.nodes.map((l) => ({
          lineItemId: l.lineItem.id,
          title: l.lineItem.title,
          fulfilled: l.lineItem.quantity - l.lineItem.unfulfilledQuantity,
          unfulfilled: l.lineItem.unfulfilledQuantity,
        })),
      });
    }
  }
  return out;
}

/** Rows one updateMany names at once (SQLite allows 32,766 bound values; PostgreSQL 65,535). */
const UPDATE_BATCH = 500;

/** Statuses of a finding a new pass leaves alone: a repair is on it or the merchant decided. */
const SETTLED_STATUSES = ["repairing", "waiting", "failed"];

async function persistFindings(
  deps: DriftDeps,
  shop: string,
  findings: Finding[],
): Promise<{ found: Finding[]; cleared: number }> {
  const { db, now } = deps;
  const at = now();
  const existing = await db.finding.findMany({
    where: { shop, status: { in: ["open", ...SETTLED_STATUSES] } },
  });
  const byKey = new Map(existing.map((f) => [f.key, f]));
  const found: Finding[] = [];
  // Seen again exactly as before: only lastSeenAt moves, for all of them in a few statements.
  const unchanged: string[] = [];
  for (const f of findings) {
    const data = {
      category: f.category,
      kind: f.kind,
      orderId: f.orderId,
      orderName: f.orderName,
      fulfillmentOrderId: f.fulfillmentOrderId,
      labName: f.labName,
      since: new Date(f.since),
      // Words, not text: each screen puts them in its merchant's language.
      summary: JSON.stringify(f.summary),
      evidence: JSON.stringify(f.evidence),
      advice: f.advice ? JSON.stringify(f.advice) : null,
      lastSeenAt: at,
    };
    const previous = byKey.get(f.key);
    if (previous) {
      byKey.delete(f.key);
      const repair = f.repair ? JSON.stringify(f.repair) : null;
      if (
        previous.category === data.category &&
        previous.kind === data.kind &&
        previous.orderId === data.orderId &&
        previous.orderName === data.orderName &&
        previous.labName === data.labName &&
        previous.since.getTime() === data.since.getTime() &&
        previous.summary === data.summary &&
        previous.evidence === data.evidence &&
        previous.advice === data.advice &&
        (SETTLED_STATUSES.includes(previous.status) || previous.repair === repair)
      ) {
        unchanged.push(previous.id);
        continue;
      }
      // A running repair keeps the intent it started with.
      await db.finding.update({
        where: { id: previous.id },
        data: SETTLED_STATUSES.includes(previous.status)
          ? data
          : { ...data, repair: f.repair ? JSON.stringify(f.repair) : null },
      });
      continue;
    }
    await db.finding.upsert({
      where: { shop_key: { shop, key: f.key } },
      create: {
        shop,
        key: f.key,
        ...data,
        repair: f.repair ? JSON.stringify(f.repair) : null,
        detectedAt: at,
      },
      update: {
        ...data,
        repair: f.repair ? JSON.stringify(f.repair) : null,
        status: "open",
        detectedAt: at,
        resolvedAt: null,
        repairState: null,
        decisionId: null,
        message: null,
      },
    });
    found.push(f);
  }
  for (let i = 0; i < unchanged.length; i += UPDATE_BATCH)
    await db.finding.updateMany({
      where: { id: { in: unchanged.slice(i, i + UPDATE_BATCH) } },
      data: { lastSeenAt: at },
    });
  // What this pass no longer sees is gone, unless a repair is still working on it.
  const gone = [...byKey.values()].filter((f) => f.status === "open" || f.status === "failed");
  if (gone.length > 0)
    await db.finding.updateMany({
      where: { id: { in: gone.map((f) => f.id) } },
      data: {
        status: "resolved",
        resolvedAt: at,
        message: JSON.stringify(said("repair.noLongerSeen")),
      },
    });
  return { found, cleared: gone.length };
}

/** One pass for one shop: find, keep, and say which drift to repair now. */
export async function scanShop(deps: DriftDeps, shop: string): Promise<ScanResult> {
  const { db, gateway, now } = deps;
  const at = now();
  const row = await db.shop.findUnique({ where: { shop } });
  const settings = row
    ? {
        stuckRequestAfterHours: row.stuckRequestAfterHours,
        stuckCancellationAfterHours: row.stuckCancellationAfterHours,
      }
    : DEFAULT_MONITOR_SETTINGS;
  const locations = await readLocations(gateway);
  const open = await scanOpenFulfillmentOrders(gateway, locations);
  const stuck = detectStuck(open, locations, settings, at);

  // The service's answers on Shopify become its reports; the merchant's own records stay.
  const rows = await db.labReport.findMany({ where: { shop } });
  const reports = new Map(rows.map((r) => [r.fulfillmentOrderId, toLabReport(r)]));
  for (const fo of open) {
    const next = reportFromShopify(fo, reports.get(fo.id) ?? null, at);
    if (next) {
      await saveLabReport(db, shop, next);
      reports.set(fo.id, next);
    }
  }
  const openReports = [...reports.values()].filter((r) => r.status !== "cancelled");
  const read = await readReported(
    gateway,
    openReports.map((r) => r.fulfillmentOrderId),
    locations,
  );
  const pairs: { report: LabReport; shopify: ShopifySide }[] = [];
  for (const report of openReports) {
    const side = read.get(report.fulfillmentOrderId);
    let current = report;
    if (side) {
      // A closed request the service answered on Shopify (shipped, or cancellation accepted).
      const next = reportFromShopify(side.scanned, report, at);
      if (next) {
        await saveLabReport(db, shop, next);
        current = next;
      }
    }
    if (current.status === "cancelled") continue;
    pairs.push({
      report: current,
      shopify: { fulfillmentOrder: side?.scanned ?? null, lines: side?.lines ?? [] },
    });
  }
  const drift = detectDrift(pairs, locations, at);

  const { found, cleared } = await persistFindings(deps, shop, [...stuck, ...drift]);
  // Once per finding, the first time it is seen: Flow's "Fulfillment request stuck" and "Drift found".
  const english = found.length > 0 ? await englishTranslator() : null;
  for (const f of found)
    await announceToFlow(
      { db, gateway },
      {
        shop,
        orderId: f.orderId,
        fulfillmentOrderId: f.fulfillmentOrderId,
        kind: f.category === "stuck" ? "request_stuck" : "drift_found",
        reason: renderWords(english!, f.summary),
      },
    );

  let toRepair: string[] = [];
  if (row?.driftRepair === "automatic") {
    const repairable = await db.finding.findMany({
      where: { shop, category: "drift", status: "open", repair: { not: null } },
      select: { id: true },
    });
    toRepair = repairable.map((f) => f.id);
  }
  // Repairs waiting for a lab's answer look again on every pass.
  const waiting = await db.finding.findMany({
    where: { shop, status: "waiting" },
    select: { id: true },
  });
  toRepair.push(...waiting.map((f) => f.id));
  await db.shop.upsert({
    where: { shop },
    create: { shop, driftScannedAt: at },
    update: { driftScannedAt: at },
  });
  return {
    scanned: open.length,
    stuck: stuck.length,
    drift: drift.length,
    found: found.length,
    cleared,
    toRepair,
  };
}

export interface RecordLabReportInput {
  fulfillmentOrderId: string;
  status: LabReport["status"];
  /** Units shipped per order line; absent: everything on the fulfillment order. */
  lines?: { lineItemId: string; quantity: number }[];
  tracking?: LabReport["tracking"];
}

/**
 * The merchant records what the lab told them (its dashboard, an e-mail). Read against Shopify at
 * once, so the lines and the lab are Shopify's, not typed in.
 */
export async function recordLabReport(
  deps: DriftDeps,
  shop: string,
  input: RecordLabReportInput,
  recordedBy: string | null,
): Promise<{ ok: true } | { ok: false; message: Words }> {
  const locations = await readLocations(deps.gateway);
  const read = await readReported(deps.gateway, [input.fulfillmentOrderId], locations);
  const side = read.get(input.fulfillmentOrderId);
  if (!side) return { ok: false, message: said("labReport.noSuchFulfillmentOrder") };
  const location = locations.find((l) => l.id === side.scanned.locationId);
  const lines =
    input.lines ??
    (side.scanned.lineItems ?? []).map((l) => ({
      lineItemId: l.lineItemId,
      quantity: l.totalQuantity,
    }));
  for (const l of lines) {
    const known = side.lines.find((x) => x.lineItemId === l.lineItemId);
    if (!known) return { ok: false, message: said("labReport.lineNotOnIt") };
    if (!Number.isInteger(l.quantity) || l.quantity < 0)
      return { ok: false, message: said("labReport.wholeQuantities") };
  }
  await saveLabReport(
    deps.db,
    shop,
    {
      fulfillmentOrderId: side.scanned.id,
      orderId: side.scanned.orderId,
      orderName: side.scanned.orderName,
      status: input.status,
      lines: input.status === "shipped" ? lines.filter((l) => l.quantity > 0) : [],
      tracking: input.tracking ?? null,
      source: "merchant",
      labName: side.scanned.serviceName ?? location?.name ?? side.scanned.locationName,
      locationId: side.scanned.locationId,
      recordedAt: deps.now().toISOString(),
    },
    recordedBy,
  );
  return { ok: true };
}
