// The Stuck and Drift views' read model: findings with their age, lab and evidence, the counts
// Home shows, and the shop's monitor settings.
import type { Db } from "../db/client.server";
import type { RepairIntent } from "../routing";
import { readWords, type StoredWords } from "../i18n/words";
import { ACTIVE_FINDING_STATUSES } from "../fulfilment/drift.server";
import { rerouteChoices } from "../fulfilment/locations-for-move.server";
import { choosesLocation } from "../routing";
import type { AdminGateway } from "../shopify/gateway.server";

// The counts are the worker's too (a finished Check now keeps them): they live beside the scan.
export { ACTIVE_FINDING_STATUSES, findingCounts } from "../fulfilment/drift.server";

export interface FindingView {
  id: string;
  kind: string;
  orderId: string;
  orderName: string;
  fulfillmentOrderId: string;
  labName: string | null;
  /** Whole hours since the finding began; the screen words it in the merchant's language. */
  ageHours: number;
  /** Words the screen puts in the merchant's language (plain English on rows found before). */
  summary: StoredWords;
  evidence: { shopify: StoredWords[]; lab: StoredWords[] };
  repair: RepairIntent | null;
  advice: StoredWords | null;
  status: string;
  /** What the last repair or the merchant's "resolved" came to (Words, or older rows' English). */
  message: StoredWords | null;
  decisionId: string | null;
}

export async function listFindings(
  db: Db,
  shop: string,
  category: "stuck" | "drift",
  now: Date,
): Promise<FindingView[]> {
  const rows = await db.finding.findMany({
    where: { shop, category, status: { in: ACTIVE_FINDING_STATUSES } },
    orderBy: [{ since: "asc" }, { id: "asc" }],
    take: 250,
  });
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    orderId: r.orderId,
    orderName: r.orderName,
    fulfillmentOrderId: r.fulfillmentOrderId,
    labName: r.labName,
    ageHours: Math.max(0, Math.floor((now.getTime() - r.since.getTime()) / 3_600_000)),
    summary: readWords(r.summary),
    evidence: JSON.parse(r.evidence) as FindingView["evidence"],
    repair: r.repair ? (JSON.parse(r.repair) as RepairIntent) : null,
    advice: r.advice === null ? null : readWords(r.advice),
    status: r.status,
    message: r.message === null ? null : readWords(r.message),
    decisionId: r.decisionId,
  }));
}

/** One location the Re-route picker offers: Shopify's locationsForMove, judged by the profiles. */
export interface PickerOption {
  id: string;
  name: string;
  movable: boolean;
  /** Shopify's reason the work may not move there, in Shopify's words. */
  message: string | null;
  /** Why its capability profile cannot make the work (the catalogue's Words); null: it can. */
  cannotMake: StoredWords | null;
}

export interface PickerView {
  findingId: string;
  options: PickerOption[];
  /** The location the picker starts on; null: none can make it, the merchant chooses. */
  selected: string | null;
}

/**
 * The Re-route picker of one stuck finding, read from Shopify when the merchant opens it; null when
 * the finding is not one whose location the merchant may choose.
 */
export async function loadPicker(
  deps: { db: Db; gateway: AdminGateway },
  shop: string,
  finding: FindingView,
): Promise<PickerView | null> {
  if (!choosesLocation({ category: "stuck", kind: finding.kind, repair: finding.repair }))
    return null;
  const read = await rerouteChoices(deps, shop, finding);
  return {
    findingId: finding.id,
    options: (read?.options ?? []).map((o) => ({
      id: o.target.locationId,
      name: o.target.name,
      movable: o.movable,
      message: o.message,
      cannotMake: o.cannotMake,
    })),
    selected: read?.selected ?? null,
  };
}

export interface MonitorSettingsView {
  stuckRequestAfterHours: number;
  stuckCancellationAfterHours: number;
  driftRepair: "merchant" | "automatic";
  scannedAt: string | null;
}

export async function loadMonitorSettings(db: Db, shop: string): Promise<MonitorSettingsView> {
  const row = await db.shop.findUnique({ where: { shop } });
  return {
    stuckRequestAfterHours: row?.stuckRequestAfterHours ?? 24,
    stuckCancellationAfterHours: row?.stuckCancellationAfterHours ?? 24,
    driftRepair: row?.driftRepair === "automatic" ? "automatic" : "merchant",
    scannedAt: row?.driftScannedAt?.toISOString() ?? null,
  };
}

/** Saves the monitor settings; whole hours from 1 to 720 (30 days). Errors name what is wrong
 * ("hours", "driftRepair") for the screen to word in the merchant's language. */
export async function saveMonitorSettings(
  db: Db,
  shop: string,
  form: {
    stuckRequestAfterHours: unknown;
    stuckCancellationAfterHours: unknown;
    driftRepair: unknown;
  },
): Promise<{ ok: true } | { ok: false; errors: Record<string, "hours" | "driftRepair"> }> {
  const errors: Record<string, "hours" | "driftRepair"> = {};
  const hours = (key: "stuckRequestAfterHours" | "stuckCancellationAfterHours") => {
    const n = Number(String(form[key] ?? "").trim());
    if (!Number.isInteger(n) || n < 1 || n > 720) {
      errors[key] = "hours";
      return 0;
    }
    return n;
  };
  const stuckRequestAfterHours = hours("stuckRequestAfterHours");
  const stuckCancellationAfterHours = hours("stuckCancellationAfterHours");
  const driftRepair = form.driftRepair;
  if (driftRepair !== "merchant" && driftRepair !== "automatic") errors.driftRepair = "driftRepair";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const data = {
    stuckRequestAfterHours,
    stuckCancellationAfterHours,
    driftRepair: driftRepair as string,
  };
  await db.shop.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  return { ok: true };
}
