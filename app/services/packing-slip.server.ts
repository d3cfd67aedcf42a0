// The packing slip and pick list for the lines the merchant ships: what goes in each parcel, with
// the customer's crop and personalisation, and what to pick per SKU, drawn as a PDF with pdf-lib.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { OrderSnapshot } from "../routing";
import { isDefaultTitleOption } from "../routing/views";
import type { AdminGateway } from "../shopify/gateway.server";
import { customerNameOf, readOrder, toOrderSnapshot } from "../shopify/snapshot.server";

export interface SlipLine {
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  options: string[];
  /** The customer's line properties, e.g. "Crop: x:0.10 y:0.05 w:0.80 h:0.90". */
  properties: string[];
}

export interface SlipParcel {
  locationName: string;
  onHold: boolean;
  lines: SlipLine[];
}

export interface PickLine {
  sku: string | null;
  title: string;
  locationName: string;
  quantity: number;
}

export interface PackingSlip {
  orderName: string;
  orderDate: string;
  customerName: string | null;
  shipTo: string | null;
  shippingMethod: string | null;
  note: string | null;
  parcels: SlipParcel[];
  pickList: PickLine[];
}

/**
 * What the slip lists: fulfillment orders the merchant fulfils (no fulfilment service), not closed
 * or cancelled, and their lines that still have units to ship and need shipping at all.
 */
export function packingSlipContent(
  snapshot: OrderSnapshot,
  customerName: string | null,
): PackingSlip {
  const items = new Map(snapshot.lineItems.map((l) => [l.id, l]));
  const parcels: SlipParcel[] = [];
  const picks = new Map<string, PickLine>();
  for (const fo of snapshot.fulfillmentOrders) {
    if (fo.fulfillmentService || fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    const lines: SlipLine[] = [];
    for (const foLine of fo.lineItems) {
      const item = items.get(foLine.lineItemId);
      if (!item || foLine.remainingQuantity <= 0 || !item.requiresShipping) continue;
      lines.push({
        title: item.title,
        variantTitle: item.variantTitle,
        sku: item.sku,
        quantity: foLine.remainingQuantity,
        options: item.variantOptions
          .filter((o) => !isDefaultTitleOption(o))
          .map((o) => `${o.name}: ${o.value}`),
        properties: item.customAttributes
          .filter((a) => a.value)
          .map((a) => `${a.key.replace(/^_/, "")}: ${a.value}`),
      });
      const key = `${fo.assignedLocation.name}\u0000${item.sku ?? item.title}`;
      const pick = picks.get(key) ?? {
        sku: item.sku,
        title: item.variantTitle ? `${item.title} (${item.variantTitle})` : item.title,
        locationName: fo.assignedLocation.name,
        quantity: 0,
      };
      pick.quantity += foLine.remainingQuantity;
      picks.set(key, pick);
    }
    if (lines.length > 0)
      parcels.push({
        locationName: fo.assignedLocation.name,
        onHold: fo.status === "ON_HOLD",
        lines,
      });
  }
  const address = snapshot.order.shippingAddress;
  return {
    orderName: snapshot.order.name,
    orderDate: snapshot.order.createdAt.slice(0, 10),
    customerName,
    shipTo: address ? [address.provinceCode, address.countryCode].filter(Boolean).join(", ") : null,
    shippingMethod: snapshot.order.shippingLines[0]?.title ?? null,
    note: snapshot.order.note,
    parcels,
    pickList: [...picks.values()].sort(
      (a, b) =>
        a.locationName.localeCompare(b.locationName) ||
        (a.sku ?? a.title).localeCompare(b.sku ?? b.title),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing.

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const INK = rgb(0.12, 0.12, 0.12);
const SUBDUED = rgb(0.42, 0.42, 0.42);

/** Writes top to bottom, starting a new page when the current one is full (the order export too). */
export class Writer {
  private page: PDFPage;
  private y: number;
  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  newPage() {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  /** The standard fonts encode WinAnsi only: anything else (emoji, CJK) prints as "?" instead of failing the slip. */
  private safe(font: PDFFont, text: string): string {
    let out = "";
    for (const char of text) {
      try {
        font.encodeText(char);
        out += char;
      } catch {
        out += "?";
      }
    }
    return out;
  }

  private wrap(font: PDFFont, text: string, size: number, width: number): string[] {
    const words = this.safe(font, text).split(/\s+/);
    const lines: string[] = [];
    let line = "";
    for (const word of words) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
      else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  text(
    text: string,
    options: {
      size?: number;
      bold?: boolean;
      subdued?: boolean;
      indent?: number;
      gapAfter?: number;
    } = {},
  ) {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    const x = MARGIN + (options.indent ?? 0);
    for (const line of this.wrap(font, text, size, A4[0] - MARGIN - x)) {
      if (this.y - size < MARGIN) this.newPage();
      this.y -= size * 1.35;
      this.page.drawText(line, {
        x,
        y: this.y,
        size,
        font,
        color: options.subdued ? SUBDUED : INK,
      });
    }
    this.y -= options.gapAfter ?? 0;
  }

  /** A row of columns at fixed x offsets, on one line. */
  row(cells: { text: string; x: number; bold?: boolean }[], size = 10) {
    if (this.y - size < MARGIN) this.newPage();
    this.y -= size * 1.5;
    for (const cell of cells) {
      const font = cell.bold ? this.bold : this.regular;
      this.page.drawText(this.safe(font, cell.text), {
        x: MARGIN + cell.x,
        y: this.y,
        size,
        font,
        color: INK,
      });
    }
  }

  rule() {
    this.y -= 6;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4[0] - MARGIN, y: this.y },
      thickness: 0.5,
      color: SUBDUED,
    });
    this.y -= 6;
  }
}

export async function renderPackingSlip(slip: PackingSlip): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Packing slip ${slip.orderName}`);
  doc.setSubject("Packing slip and pick list");
  doc.setCreator("Fulfilment Router");
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const w = new Writer(doc, regular, bold);

  w.text(`Packing slip ${slip.orderName}`, { size: 18, bold: true, gapAfter: 4 });
  w.text(`Ordered ${slip.orderDate}${slip.customerName ? ` by ${slip.customerName}` : ""}`, {
    subdued: true,
  });
  if (slip.shipTo)
    w.text(`Ship to: ${slip.shipTo}${slip.shippingMethod ? ` (${slip.shippingMethod})` : ""}`, {
      subdued: true,
    });
  if (slip.note) w.text(`Order note: ${slip.note}`, { subdued: true });
  w.rule();

  if (slip.parcels.length === 0) w.text("Nothing left for you to ship on this order.");
  slip.parcels.forEach((parcel, index) => {
    w.text(
      `Parcel ${index + 1} from ${parcel.locationName}${parcel.onHold ? " (on hold: do not ship yet)" : ""}`,
      {
        size: 12,
        bold: true,
        gapAfter: 2,
      },
    );
    for (const line of parcel.lines) {
      w.text(
        `${line.quantity} × ${line.title}${line.variantTitle ? ` — ${line.variantTitle}` : ""}`,
        { bold: true },
      );
      if (line.sku) w.text(`SKU ${line.sku}`, { indent: 14, subdued: true });
      if (line.options.length) w.text(line.options.join(" · "), { indent: 14 });
      for (const property of line.properties) w.text(property, { indent: 14 });
      w.text("", { gapAfter: 2 });
    }
    w.rule();
  });

  w.newPage();
  w.text(`Pick list ${slip.orderName}`, { size: 18, bold: true, gapAfter: 6 });
  w.row(
    [
      { text: "Qty", x: 0, bold: true },
      { text: "SKU", x: 40, bold: true },
      { text: "Item", x: 170, bold: true },
      { text: "From", x: 400, bold: true },
    ],
    10,
  );
  for (const pick of slip.pickList) {
    w.row([
      { text: String(pick.quantity), x: 0 },
      { text: pick.sku ?? "—", x: 40 },
      { text: pick.title.length > 42 ? `${pick.title.slice(0, 41)}…` : pick.title, x: 170 },
      { text: pick.locationName, x: 400 },
    ]);
  }
  return doc.save();
}

/** Reads the order from Shopify and draws its slip; null when Shopify has no such order. */
export async function loadPackingSlip(
  gateway: AdminGateway,
  orderId: string,
): Promise<{ slip: PackingSlip; pdf: Uint8Array } | null> {
  const data = await readOrder(gateway, orderId);
  const snapshot = toOrderSnapshot(data);
  if (!snapshot) return null;
  const slip = packingSlipContent(snapshot, customerNameOf(data));
  return { slip, pdf: await renderPackingSlip(slip) };
}
