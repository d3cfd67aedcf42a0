// One order's whole story for the merchant to keep or hand on: its timeline, the team's notes (on the
// order and on each fulfillment order) and the app's decisions with their Steps, as CSV and as PDF.
import type { TFunction } from "i18next";
import { PDFDocument, StandardFonts } from "pdf-lib";
import type { Db } from "../db/client.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { csvRow } from "./decision-export.server";
import { downloadResponse } from "./download.server";
import { loadOrderDetail, type OrderDetail } from "./order-detail.server";
import { Writer } from "./packing-slip.server";
import { renderWords } from "../i18n/words";
import { triggerWords } from "../routing/words";

/** The CSV's columns as ids; the header row says them in the merchant's language. */
export const ORDER_EXPORT_COLUMNS = [
  "section",
  "time",
  "where",
  "author",
  "text",
  "status",
] as const;
export type OrderExportColumn = (typeof ORDER_EXPORT_COLUMNS)[number];

export type OrderExportSection =
  "timeline" | "note" | "reply" | "fulfillmentOrderNote" | "decision" | "step";

export interface OrderExportRow {
  section: OrderExportSection;
  /** ISO 8601, UTC. */
  time: string;
  /** The fulfillment order's place (location or fulfilment service) a row is about. */
  where: string | null;
  author: string | null;
  text: string;
  status: string | null;
}

/** The words of the export in the merchant's language (the catalogue's `orderlog.export.*`). */
export interface OrderExportWords {
  column(column: OrderExportColumn): string;
  section(section: OrderExportSection): string;
  heading: string;
  compiled: string;
  none: string;
  sections: { timeline: string; notes: string; decisions: string };
}

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The export's words from the catalogue, in the language the request asked for. */
export function orderExportWords(t: TFunction, orderName: string, now: Date): OrderExportWords {
  return {
    column: (column) => t(`orderlog.export.column.${column}`),
    section: (section) => t(`orderlog.export.section.${section}`),
    heading: t("orderlog.export.heading", { order: orderName }),
    compiled: t("orderlog.export.compiled", { at: when(now.toISOString()) }),
    none: t("orderlog.export.none"),
    sections: {
      timeline: t("orderlog.export.sections.timeline"),
      notes: t("orderlog.export.sections.notes"),
      decisions: t("orderlog.export.sections.decisions"),
    },
  };
}

const byTime = <T extends { time: string }>(rows: T[]) =>
  [...rows].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));

/** Every row of the export, each part oldest first: timeline, notes, decisions (each then its Steps). */
export function orderExportRows(detail: OrderDetail, t: TFunction): OrderExportRow[] {
  const timeline = byTime(
    detail.timeline.map((e) => ({
      section: "timeline" as const,
      time: e.at,
      where: null,
      author: null,
      text: renderWords(t, e.text),
      status: null,
    })),
  );
  const notes: OrderExportRow[] = [];
  for (const root of byTime(detail.notes.map((n) => ({ ...n, time: n.createdAt })))) {
    notes.push({
      section: "note",
      time: root.createdAt,
      where: null,
      author: root.author,
      text: root.body,
      status: null,
    });
    for (const reply of root.replies)
      notes.push({
        section: "reply",
        time: reply.createdAt,
        where: null,
        author: reply.author,
        text: reply.body,
        status: null,
      });
  }
  const fulfillmentOrderNotes = byTime(
    detail.fulfillmentOrders.flatMap((fo) =>
      fo.notes.map((n) => ({
        section: "fulfillmentOrderNote" as const,
        time: n.createdAt,
        where: fo.provider ?? fo.locationName,
        author: n.author,
        text: n.body,
        status: null,
      })),
    ),
  );
  const decisions: OrderExportRow[] = [];
  for (const d of byTime(detail.decisions.map((d) => ({ ...d, time: d.createdAt })))) {
    decisions.push({
      section: "decision",
      time: d.createdAt,
      where: null,
      author: null,
      text: [
        renderWords(t, triggerWords(d.trigger, d.cause)),
        ...d.explanation.map((line) => renderWords(t, line)),
      ].join(": "),
      status: d.status,
    });
    for (const s of d.steps)
      decisions.push({
        section: "step",
        time: s.finishedAt ?? d.createdAt,
        where: null,
        author: null,
        text: [
          renderWords(t, s.summary),
          s.why ? renderWords(t, s.why) : null,
          s.error ? renderWords(t, s.error) : null,
        ]
          .filter(Boolean)
          .join(" — "),
        status: s.status,
      });
  }
  return [...timeline, ...notes, ...fulfillmentOrderNotes, ...decisions];
}

/** The file name for the order's export, e.g. "order-1001-log.csv". */
export function orderExportFilename(orderName: string, extension: "csv" | "pdf"): string {
  return `order-${orderName.replace(/[^\w-]+/g, "")}-log.${extension}`;
}

/** RFC 4180 CSV with a byte order mark (spreadsheets then read names and notes as UTF-8). */
export function orderExportCsv(rows: OrderExportRow[], words: OrderExportWords): string {
  return `\uFEFF${csvRow(ORDER_EXPORT_COLUMNS.map(words.column))}${rows
    .map((r) => csvRow([words.section(r.section), r.time, r.where, r.author, r.text, r.status]))
    .join("")}`;
}

/** The same rows drawn as an A4 PDF, one part after the other, pages added as they fill. */
export async function renderOrderExportPdf(
  orderName: string,
  rows: OrderExportRow[],
  words: OrderExportWords,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(words.heading);
  doc.setSubject(orderName);
  doc.setCreator("Fulfilment Router");
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  w.text(words.heading, { size: 16, bold: true, gapAfter: 2 });
  w.text(words.compiled, { subdued: true });
  const part = (title: string, sections: OrderExportSection[]) => {
    w.rule();
    w.text(title, { size: 13, bold: true, gapAfter: 2 });
    const own = rows.filter((r) => sections.includes(r.section));
    if (own.length === 0) w.text(words.none, { subdued: true });
    for (const r of own) {
      const indent = r.section === "reply" || r.section === "step" ? 16 : 0;
      const head = [
        when(r.time),
        r.section === "timeline" ? null : words.section(r.section),
        r.where,
        r.author,
        r.status,
      ]
        .filter(Boolean)
        .join(" · ");
      w.text(head, { subdued: true, indent, size: 8 });
      w.text(r.text, { indent, gapAfter: 3 });
    }
  };
  part(words.sections.timeline, ["timeline"]);
  part(words.sections.notes, ["note", "reply", "fulfillmentOrderNote"]);
  part(words.sections.decisions, ["decision", "step"]);
  return doc.save();
}

/**
 * The download as the route answers it: the file, 404 for an order neither Shopify nor the app knows
 * for this shop (another shop's order is no order here), 502 with Shopify's words when Shopify failed
 * and nothing is known here. Downloading the export is not viewing the order.
 */
export async function orderExportResponse(
  deps: { db: Db; gateway: AdminGateway },
  input: { shop: string; orderNumber: string; now: Date; t: TFunction },
  format: "csv" | "pdf",
): Promise<Response> {
  const { t, now } = input;
  let detail: OrderDetail | null;
  try {
    detail = await loadOrderDetail(deps, { ...input, recordView: false });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return new Response(t("order.shopifyDidNotAnswer", { error: message }), { status: 502 });
  }
  if (!detail) return new Response(t("order.noSuchOrder"), { status: 404 });
  const rows = orderExportRows(detail, t);
  const words = orderExportWords(t, detail.name, now);
  const body =
    format === "csv"
      ? orderExportCsv(rows, words)
      : Buffer.from(await renderOrderExportPdf(detail.name, rows, words));
  return downloadResponse(body, format, orderExportFilename(detail.name, format));
}
