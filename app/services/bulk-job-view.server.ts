// A bulk job as its progress screen (and the order list's extension) shows it: counts, and one
// page of its report with failures first.
import type { Db } from "../db/client.server";
import { readWords, type StoredWords } from "../i18n/words";
import { BULK_REPORT_PAGE, bulkJobReport } from "../fulfilment/bulk.server";

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
    /** Why it failed: Words, or the English text of items that failed before Words were kept. */
    error: StoredWords | null;
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
      error: i.error === null ? null : readWords(i.error),
      orderNumber: tail(i.targetId.includes("/Order/") ? i.targetId : orderOf.get(i.targetId)),
    })),
    page,
    pageCount,
  };
}
