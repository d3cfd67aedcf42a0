// The packing slip lists only what the merchant ships, with the customer's crop, and the PDF is a
// real, readable document even with text the standard fonts cannot draw.
import { describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import type { OrderSnapshot } from "../routing";
import { packingSlipContent, renderPackingSlip } from "./packing-slip.server";

function snapshot(): OrderSnapshot {
  const line = (
    n: number,
    sku: string,
    title: string,
    extra: Partial<OrderSnapshot["lineItems"][number]> = {},
  ) => ({
    id: `gid://shopify/LineItem/${n}`,
    title,
    variantTitle: null,
    sku,
    quantity: 1,
    unfulfilledQuantity: 1,
    productType: "Print",
    vendor: null,
    productTags: [],
    variantOptions: [],
    requiresShipping: true,
    isGiftCard: false,
    customAttributes: [],
    ...extra,
  });
  const fo = (
    n: number,
    location: string,
    lines: [number, number][],
    extra: Partial<OrderSnapshot["fulfillmentOrders"][number]> = {},
  ) => ({
    id: `gid://shopify/FulfillmentOrder/${n}`,
    status: "OPEN" as const,
    requestStatus: "UNSUBMITTED" as const,
    assignedLocation: { locationId: `gid://shopify/Location/${location}`, name: location },
    fulfillmentService: null,
    supportedActions: [],
    holds: [],
    lineItems: lines.map(([lineNo, remaining]) => ({
      id: `gid://shopify/FulfillmentOrderLineItem/${n}${lineNo}`,
      lineItemId: `gid://shopify/LineItem/${lineNo}`,
      remainingQuantity: remaining,
      totalQuantity: 2,
    })),
    ...extra,
  });
  return {
    order: {
      id: "gid://shopify/Order/1001",
      name: "#1001",
      createdAt: "2026-11-24T10:00:00Z",
      tags: [],
      note: "Gift wrap 🎁 please",
      totalPrice: { amount: "100.00", currencyCode: "EUR" },
      displayFinancialStatus: "PAID",
      capturable: false,
      capturableTransactions: [],
      riskLevel: "NONE",
      sourceName: "web",
      salesChannel: null,
      shippingAddress: { countryCode: "DE", provinceCode: "BE" },
      shippingLines: [{ title: "Standard" }],
      customer: null,
      closed: false,
      cancelledAt: null,
    },
    lineItems: [
      line(1, "PRINT-MATTE-A4", "Fine Art Print", {
        variantTitle: "Matte / A4",
        variantOptions: [
          { name: "Paper", value: "Matte" },
          { name: "Size", value: "A4" },
        ],
        customAttributes: [
          { key: "Image", value: "IMG_2041.jpg" },
          { key: "Crop", value: "x:0.10 y:0.05 w:0.80 h:0.90" },
          { key: "Dedication", value: "Für Oma ❤ 愛" },
        ],
      }),
      line(2, "MOUNT-A4", "Mount Board", {
        variantOptions: [{ name: "Title", value: "Default Title" }],
      }),
      line(3, "DIGITAL-FULL", "Digital Download", { requiresShipping: false }),
      line(4, "CANVAS-60x90-WRAP", "Canvas Print"),
    ],
    fulfillmentOrders: [
      fo(1, "Studio", [
        [1, 2],
        [2, 1],
        [3, 1],
      ]),
      // A second Studio parcel (split earlier), still on hold.
      fo(2, "Studio", [[1, 1]], { status: "ON_HOLD" }),
      // The lab ships its own; a fulfilled one has nothing left.
      fo(3, "Partner Lab", [[4, 1]], {
        fulfillmentService: { handle: "partner-lab", name: "Partner Lab" },
      }),
      fo(4, "Studio", [[2, 0]], { status: "CLOSED" }),
    ],
    locations: [],
  };
}

describe("the packing slip", () => {
  it("lists the merchant's own parcels with options and the customer's crop, and picks per SKU", () => {
    const slip = packingSlipContent(snapshot(), "Mia Schmidt");
    expect(slip).toMatchObject({
      orderName: "#1001",
      orderDate: "2026-11-24",
      customerName: "Mia Schmidt",
      shipTo: "BE, DE",
      shippingMethod: "Standard",
    });
    expect(slip.parcels).toEqual([
      {
        locationName: "Studio",
        onHold: false,
        lines: [
          {
            title: "Fine Art Print",
            variantTitle: "Matte / A4",
            sku: "PRINT-MATTE-A4",
            quantity: 2,
            options: ["Paper: Matte", "Size: A4"],
            properties: [
              "Image: IMG_2041.jpg",
              "Crop: x:0.10 y:0.05 w:0.80 h:0.90",
              "Dedication: Für Oma ❤ 愛",
            ],
          },
          {
            title: "Mount Board",
            variantTitle: null,
            sku: "MOUNT-A4",
            quantity: 1,
            options: [],
            properties: [],
          },
        ],
      },
      {
        locationName: "Studio",
        onHold: true,
        lines: [expect.objectContaining({ sku: "PRINT-MATTE-A4", quantity: 1 })],
      },
    ]);
    expect(slip.pickList).toEqual([
      { sku: "MOUNT-A4", title: "Mount Board", locationName: "Studio", quantity: 1 },
      {
        sku: "PRINT-MATTE-A4",
        title: "Fine Art Print (Matte / A4)",
        locationName: "Studio",
        quantity: 3,
      },
    ]);
  });

  it("draws a PDF with the slip and the pick list, replacing what the fonts cannot draw", async () => {
    const bytes = await renderPackingSlip(packingSlipContent(snapshot(), "Mia Schmidt"));
    expect(Buffer.from(bytes.slice(0, 5)).toString("latin1")).toBe("%PDF-");
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(2);
    expect(pdf.getTitle()).toBe("Packing slip #1001");
  });

  it("runs onto more pages when an order is long", async () => {
    const s = snapshot();
    const many = Array.from({ length: 120 }, (_, i) => ({
      ...s.lineItems[0]!,
      id: `gid://shopify/LineItem/x${i}`,
      sku: `SKU-${i}`,
    }));
    s.lineItems.push(...many);
    s.fulfillmentOrders[0]!.lineItems.push(
      ...many.map((l, i) => ({
        id: `gid://shopify/FulfillmentOrderLineItem/x${i}`,
        lineItemId: l.id,
        remainingQuantity: 1,
        totalQuantity: 1,
      })),
    );
    const pdf = await PDFDocument.load(await renderPackingSlip(packingSlipContent(s, null)));
    expect(pdf.getPageCount()).toBeGreaterThan(4);
  });
});
