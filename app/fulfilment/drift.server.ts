// The stuck-and-drift pass for one shop: read every open fulfillment order and what labs reported,
// find requests that stand still and places where a lab and Shopify disagree, keep them as
// findings, and repair drift by itself when the shop's Settings say so.
import { randomUUID } from "node:crypto";
import {
  DEFAULT_MONITOR_SETTINGS,
  detectDrift,
  detectStuck,
  reportFromShopify,
  stuckKindOf,
  type CapabilityProfile,
  type Finding,
  type LabReport,
  type Location,
  type ProducedLine,
  type ScannedFulfillmentOrder,
  type ShopifySide,
} from "../routing";
import type { Db } from "../db/client.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { readEveryLocation } from "../shopify/locations.server";
import { readPages } from "../shopify/pages";
import { MAX_FULFILLMENT_ORDER_PAGES } from "../shopify/snapshot.server";
import {
  FULFILLMENT_ORDER_ACTIONS_QUERY,
  LOCATION_FULFILLMENT_ORDERS_QUERY,
  REPORTED_FULFILLMENT_ORDERS_QUERY,
  STUCK_FULFILLMENT_ORDER_LINES_PAGE_QUERY,
  STUCK_FULFILLMENT_ORDER_LINES_QUERY,
} from "../shopify/operations";
import type {
  FulfillmentOrderActionsQuery,
  FulfillmentOrderActionsQueryVariables,
  LocationFulfillmentOrdersQuery,
  LocationFulfillmentOrdersQueryVariables,
  ReportedFulfillmentOrdersQuery,
  ReportedFulfillmentOrdersQueryVariables,
  StuckFulfillmentOrderLinesPageQuery,
  StuckFulfillmentOrderLinesPageQueryVariables,
  StuckFulfillmentOrderLinesQuery,
  StuckFulfillmentOrderLinesQueryVariables,
} from "../types/admin.generated";
import { englishTranslator } from "../i18n/i18next.server";
import { renderWords } from "../i18n/words";
import { said, type Words } from "../routing/words";
import { announceToFlow } from "./flow-triggers.server";
import { loadShopConfig } from "./shop-config.server";
import { repairsInForce } from "./placed-by-repair.server";
import { UNLIMITED, type PassBudget } from "./pass-budget";

export interface DriftDeps {
  db: Db;
  gateway: AdminGateway;
  now: () => Date;
  /** Aborted when the job's worker no longer holds it: make no further change. */
  signal?: AbortSignal;
}

/** Findings the merchant still has to look at (or a repair is working on). */
export const ACTIVE_FINDING_STATUSES = ["open", "repairing", "waiting", "failed"];

/** Orders with a stuck request and orders with drift, for Home and the tabs. */
export async function findingCounts(
  db: Db,
  shop: string,
): Promise<{ stuck: number; drift: number }> {
  const rows = await db.finding.findMany({
    where: { shop, status: { in: ACTIVE_FINDING_STATUSES } },
    select: { category: true, orderId: true },
    distinct: ["category", "orderId"],
  });
  return {
    stuck: rows.filter((r) => r.category === "stuck").length,
    drift: rows.filter((r) => r.category === "drift").length,
  };
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
  /**
   * False when the pass's budget ran out before the scan read the whole shop: the shop's cursor
   * says where the next pass carries on; nothing is cleared or repaired until the scan ends.
   */
  finished: boolean;
}

/**
 * Where a scan stands between passes (kept on the shop as JSON): first each lab location's open
 * fulfillment orders, a page at a time, then every open lab report against Shopify, a batch at a
 * time in fulfillment order id order.
 */
interface DriftCursor {
  /** The scan's id: the findings it saw carry it (Finding.scanId). */
  scanId: string;
  /** Lab locations read to their end. */
  locationsDone: string[];
  /** The location being read and Shopify's cursor in it. */
  location: string | null;
  after: string | null;
  /** Every location read: reports are compared from the one after this. */
  reports: boolean;
  reportsAfter: string | null;
}

function readDriftCursor(stored: string | null | undefined): DriftCursor | null {
  if (!stored) return null;
  try {
    const c = JSON.parse(stored) as Partial<DriftCursor>;
    return typeof c.scanId === "string" && Array.isArray(c.locationsDone)
      ? {
          scanId: c.scanId,
          locationsDone: c.locationsDone.filter((id): id is string => typeof id === "string"),
          location: typeof c.location === "string" ? c.location : null,
          after: typeof c.after === "string" ? c.after : null,
          reports: c.reports === true,
          reportsAfter: typeof c.reportsAfter === "string" ? c.reportsAfter : null,
        }
      : null;
  } catch {
    return null;
  }
}

/** Fulfillment orders a `nodes` read takes at once: 20 × (line items) stays under Shopify's 1000-point query limit. */
const NODES_BATCH = 20;

/** A location with the fulfilment service's display name, when a service owns it. */
export type LocationWithService = Location & { serviceName?: string | null };

/** Every active location of the shop, however many pages Shopify answers them in. */
export async function readLocations(gateway: AdminGateway): Promise<LocationWithService[]> {
  const locations = await readEveryLocation(gateway);
  return locations.nodes
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
    let after: string | null = null;
    do {
      const page = await readOpenPage(gateway, location, locations, after);
      out.push(...page.fulfillmentOrders);
      after = page.after;
    } while (after);
  }
  return out;
}

/** One page of a lab location's open fulfillment orders, and the cursor of the next (or null). */
async function readOpenPage(
  gateway: AdminGateway,
  location: LocationWithService,
  locations: LocationWithService[],
  after: string | null,
): Promise<{ fulfillmentOrders: ScannedFulfillmentOrder[]; after: string | null }> {
  const query = `assigned_location_id:${location.id.split("/").pop()}`;
  const page: LocationFulfillmentOrdersQuery = await gateway.request<
    LocationFulfillmentOrdersQuery,
    LocationFulfillmentOrdersQueryVariables
  >(LOCATION_FULFILLMENT_ORDERS_QUERY, { after, query });
  const fulfillmentOrders = page.fulfillmentOrders.nodes.map((fo) =>
    scannedFrom(
      { ...fo, assignedLocation: { name: location.name, location: { id: location.id } } },
      locations,
    ),
  );
  await readRefusedActions(gateway, fulfillmentOrders);
  return {
    fulfillmentOrders,
    after: page.fulfillmentOrders.pageInfo.hasNextPage
      ? (page.fulfillmentOrders.pageInfo.endCursor ?? null)
      : null,
  };
}

/**
 * A cancellation the lab refused can be repaired only by asking again, and only where Shopify
 * still offers that (supportedActions): read for those fulfillment orders alone.
 */
async function readRefusedActions(
  gateway: AdminGateway,
  fulfillmentOrders: ScannedFulfillmentOrder[],
): Promise<void> {
  const refused = fulfillmentOrders.filter((fo) => fo.requestStatus === "CANCELLATION_REJECTED");
  for (let i = 0; i < refused.length; i += NODES_BATCH) {
    const batch = refused.slice(i, i + NODES_BATCH);
    const data = await gateway.request<
      FulfillmentOrderActionsQuery,
      FulfillmentOrderActionsQueryVariables
    >(FULFILLMENT_ORDER_ACTIONS_QUERY, { ids: batch.map((fo) => fo.id) });
    for (const node of data.nodes) {
      if (!node || !("supportedActions" in node)) continue;
      const fo = batch.find((f) => f.id === node.id);
      if (fo) fo.supportedActions = node.supportedActions.map((a) => a.action);
    }
  }
}

/**
 * Fulfillment orders a `nodes` read of lines takes at once: each line brings its variant's options
 * and its product, so 10 × 20 lines keeps the query under Shopify's 1000-point limit.
 */
const LINES_BATCH = 10;

/**
 * The lines still to make on stuck fulfillment orders, as capability profiles compare them: a
 * re-route is offered only to a location that can make them all.
 */
async function readProducing(
  gateway: AdminGateway,
  stuck: ScannedFulfillmentOrder[],
): Promise<void> {
  for (let i = 0; i < stuck.length; i += LINES_BATCH) {
    const batch = stuck.slice(i, i + LINES_BATCH);
    const data = await gateway.request<
      StuckFulfillmentOrderLinesQuery,
      StuckFulfillmentOrderLinesQueryVariables
    >(STUCK_FULFILLMENT_ORDER_LINES_QUERY, { ids: batch.map((fo) => fo.id) });
    for (const node of data.nodes) {
      if (!node || !("lineItems" in node)) continue;
      const fo = batch.find((f) => f.id === node.id);
      if (!fo) continue;
      const lines = await readPages(
        node.lineItems,
        {
          maxPages: MAX_FULFILLMENT_ORDER_PAGES,
          tooMany: `${fo.id}: more lines than the pass reads`,
        },
        async (after) => {
          const next = await gateway.request<
            StuckFulfillmentOrderLinesPageQuery,
            StuckFulfillmentOrderLinesPageQueryVariables
          >(STUCK_FULFILLMENT_ORDER_LINES_PAGE_QUERY, { id: fo.id, after });
          return next.fulfillmentOrder?.lineItems ?? null;
        },
      );
      // Gone meanwhile (merged, closed): no lines known, so no default is offered for it.
      if (!lines) continue;
      fo.producing = lines.nodes
        .filter((l) => l.remainingQuantity > 0)
        .map((l) => ({
          productType: l.lineItem.product?.productType ?? "",
          variantOptions: l.lineItem.variant?.selectedOptions ?? [],
          requiresShipping: l.lineItem.requiresShipping,
        }));
    }
  }
}

/** One fulfillment order's lines still to make, as capability profiles compare them; null when gone. */
export async function readProducingLines(
  gateway: AdminGateway,
  fulfillmentOrderId: string,
): Promise<ProducedLine[] | null> {
  const fo = { id: fulfillmentOrderId } as ScannedFulfillmentOrder;
  await readProducing(gateway, [fo]);
  return fo.producing ?? null;
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

/**
 * Keeps what one part of a scan found, each finding marked as seen by this scan; answers the
 * findings seen for the first time.
 */
async function persistFindings(
  deps: DriftDeps,
  shop: string,
  scanId: string,
  findings: Finding[],
): Promise<Finding[]> {
  const { db, now } = deps;
  if (findings.length === 0) return [];
  const at = now();
  const existing = await db.finding.findMany({
    where: {
      shop,
      key: { in: findings.map((f) => f.key) },
      status: { in: ["open", ...SETTLED_STATUSES] },
    },
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
      scanId,
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
      data: { lastSeenAt: at, scanId },
    });
  return found;
}

/** Once a scan has seen the whole shop: what it did not see is gone, unless a repair is on it. */
async function clearUnseen(deps: DriftDeps, shop: string, scanId: string): Promise<number> {
  const { count } = await deps.db.finding.updateMany({
    where: {
      shop,
      status: { in: ["open", "failed"] },
      OR: [{ scanId: null }, { scanId: { not: scanId } }],
    },
    data: {
      status: "resolved",
      resolvedAt: deps.now(),
      message: JSON.stringify(said("repair.noLongerSeen")),
    },
  });
  return count;
}

/**
 * One pass of the scan for one shop: find, keep, and say which drift to repair now. A pass whose
 * budget runs out keeps where it stands on the shop and stops; the next pass carries on from there
 * (a large shop's scan may take several), and only the pass that ends the scan clears what it no
 * longer saw and asks for repairs. Each part's findings are kept, and told to Flow, as it is read.
 */
export async function scanShop(
  deps: DriftDeps,
  shop: string,
  budget: PassBudget = UNLIMITED,
): Promise<ScanResult> {
  const { db, gateway, now } = deps;
  const row = await db.shop.findUnique({ where: { shop } });
  const settings = row
    ? {
        stuckRequestAfterHours: row.stuckRequestAfterHours,
        stuckCancellationAfterHours: row.stuckCancellationAfterHours,
      }
    : DEFAULT_MONITOR_SETTINGS;
  const cursor: DriftCursor = readDriftCursor(row?.driftCursor) ?? {
    scanId: randomUUID(),
    locationsDone: [],
    location: null,
    after: null,
    reports: false,
    reportsAfter: null,
  };
  const locations = await readLocations(gateway);
  // A stuck request's default re-route goes only where its lines can be made (in the order the
  // Capabilities screen lists the profiles); a shop without profiles keeps lab first, then its own.
  // The shop's row is in hand: the config is read without reading it again.
  const profiles: readonly CapabilityProfile[] = (await loadShopConfig(db, shop, { row })).profiles;
  const counts = { scanned: 0, stuck: 0, drift: 0, found: 0 };
  let english: Awaited<ReturnType<typeof englishTranslator>> | null = null;
  const keep = async (findings: Finding[]) => {
    const found = await persistFindings(deps, shop, cursor.scanId, findings);
    counts.found += found.length;
    // Once per finding, the first time it is seen: Flow's "Fulfillment request stuck" and "Drift found".
    for (const f of found) {
      english ??= await englishTranslator();
      await announceToFlow(
        { db, gateway },
        {
          shop,
          orderId: f.orderId,
          fulfillmentOrderId: f.fulfillmentOrderId,
          kind: f.category === "stuck" ? "request_stuck" : "drift_found",
          reason: renderWords(english, f.summary),
        },
      );
    }
  };
  const stop = async (): Promise<ScanResult> => {
    await db.shop.upsert({
      where: { shop },
      create: { shop, driftCursor: JSON.stringify(cursor) },
      update: { driftCursor: JSON.stringify(cursor) },
    });
    return { ...counts, cleared: 0, toRepair: [], finished: false };
  };

  // Each lab's open fulfillment orders: requests that stand still, and the service's answers on
  // Shopify, which become its reports (the merchant's own records stay).
  for (const location of locations) {
    if (cursor.reports) break;
    if (!location.fulfillmentServiceHandle || cursor.locationsDone.includes(location.id)) continue;
    if (cursor.location !== location.id) {
      cursor.location = location.id;
      cursor.after = null;
    }
    do {
      const page = await readOpenPage(gateway, location, locations, cursor.after);
      const at = now();
      const ids = page.fulfillmentOrders.map((fo) => fo.id);
      const rows = await db.labReport.findMany({
        where: { shop, fulfillmentOrderId: { in: ids } },
      });
      const reports = new Map(rows.map((r) => [r.fulfillmentOrderId, toLabReport(r)]));
      for (const fo of page.fulfillmentOrders) {
        const next = reportFromShopify(fo, reports.get(fo.id) ?? null, at);
        if (next) await saveLabReport(db, shop, next);
      }
      const standing = page.fulfillmentOrders.filter(
        (fo) => stuckKindOf(fo, settings, at) !== null,
      );
      if (profiles.length > 0) await readProducing(gateway, standing);
      // A stuck request's default never goes back where a repair of its order took work away from.
      const repairs = await repairsInForce(
        db,
        shop,
        standing.map((fo) => fo.orderId),
      );
      const awayFrom = new Map(
        [...repairs].map(([orderId, list]) => [orderId, list.flatMap((r) => r.awayFrom ?? [])]),
      );
      const stuck = detectStuck(
        page.fulfillmentOrders,
        locations,
        settings,
        at,
        profiles,
        awayFrom,
      );
      counts.scanned += page.fulfillmentOrders.length;
      counts.stuck += stuck.length;
      await keep(stuck);
      cursor.after = page.after;
      if (cursor.after && budget.spent()) return stop();
    } while (cursor.after);
    cursor.locationsDone.push(location.id);
    cursor.location = null;
    if (budget.spent()) return stop();
  }
  cursor.reports = true;

  // Every open report against Shopify, closed fulfillment orders included.
  for (;;) {
    const rows = await db.labReport.findMany({
      where: {
        shop,
        status: { not: "cancelled" },
        ...(cursor.reportsAfter ? { fulfillmentOrderId: { gt: cursor.reportsAfter } } : {}),
      },
      orderBy: { fulfillmentOrderId: "asc" },
      take: NODES_BATCH,
    });
    if (rows.length === 0) break;
    const batch = rows.map(toLabReport);
    const read = await readReported(
      gateway,
      batch.map((r) => r.fulfillmentOrderId),
      locations,
    );
    const at = now();
    const pairs: { report: LabReport; shopify: ShopifySide }[] = [];
    for (const report of batch) {
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
    counts.drift += drift.length;
    await keep(drift);
    cursor.reportsAfter = rows[rows.length - 1]!.fulfillmentOrderId;
    if (rows.length < NODES_BATCH) break;
    if (budget.spent()) return stop();
  }

  const cleared = await clearUnseen(deps, shop, cursor.scanId);
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
  const at = now();
  await db.shop.upsert({
    where: { shop },
    create: { shop, driftScannedAt: at },
    update: { driftScannedAt: at, driftCursor: null },
  });
  return { ...counts, cleared, toRepair, finished: true };
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
