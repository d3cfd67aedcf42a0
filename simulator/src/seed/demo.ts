// The demo photo and print shop: in-house prints at "Studio", lab prints and large formats at the "Partner Lab" fulfilment service, digital downloads, a gift card, stock gaps, and a few orders already placed.
import { addLocation, addProduct } from "../shop/catalog.ts";
import type { Plan, Shop } from "../shop/model.ts";
import { createOrder, type NewOrderInput } from "../shop/orders.ts";
import type { SimState } from "../shop/state.ts";
import { fileUrl } from "../shop/files.ts";

export const DEMO_SHOP = "fulfilment-router-demo.myshopify.com";
export const PARTNER_LAB_HANDLE = "partner-lab";

/**
 * What a photo-upload app leaves on a print's line item as properties: the file name and crop the
 * customer sees in the cart, and, hidden from the customer (a name starting with "_"), links to the
 * uploaded photo and to the print file made from it, on the shop's CDN (`origin`: the simulator).
 */
export const printProperties = (
  origin: string,
  image: string,
  [x, y, w, h]: [number, number, number, number],
): Record<string, string> => {
  const stem = image.replace(/\.[a-z]+$/i, "");
  return {
    Image: image,
    Crop: `x:${x.toFixed(2)} y:${y.toFixed(2)} w:${w.toFixed(2)} h:${h.toFixed(2)}`,
    _image_url: fileUrl(origin, image),
    _print_file: fileUrl(origin, `${stem}-print.jpg`),
  };
};

/** Locations and catalogue; the same for every shop created with seed "demo". */
export function seedDemoCatalogue(state: SimState, shop: Shop): void {
  addLocation(state, shop, {
    name: "Studio",
    address: {
      address1: "Oranienstraße 25",
      city: "Berlin",
      zip: "10999",
      country: "Germany",
      countryCode: "DE",
    },
  });
  addLocation(state, shop, {
    name: "Partner Lab",
    address: {
      address1: "Industriestraße 7",
      city: "Leipzig",
      zip: "04229",
      country: "Germany",
      countryCode: "DE",
    },
    fulfillmentService: {
      handle: PARTNER_LAB_HANDLE,
      serviceName: "Partner Lab",
      callbackUrl: "https://partner-lab.example/fulfillment",
    },
  });

  // Fine-art prints: the Studio prints A4 and A3 on matte and lustre; A2 only the lab stocks it.
  const papers = ["Matte", "Lustre"];
  const sizes = ["A4", "A3", "A2"];
  addProduct(state, shop, {
    title: "Fine Art Print",
    productType: "Print",
    vendor: "Studio",
    tags: ["print", "crop-required"],
    options: [
      { name: "Paper", values: papers },
      { name: "Size", values: sizes },
      { name: "Finish", values: ["None", "Varnish"] },
    ],
    variants: papers.flatMap((paper) =>
      sizes.map((size) => ({
        sku: `PRINT-${paper.toUpperCase()}-${size}`,
        price: size === "A4" ? "24.00" : size === "A3" ? "39.00" : "59.00",
        options: { Paper: paper, Size: size, Finish: "None" },
        grams: 150,
        stock: (size === "A2"
          ? { "Partner Lab": 200 }
          : { Studio: size === "A3" && paper === "Lustre" ? 0 : 25, "Partner Lab": 200 }) as Record<
          string,
          number
        >,
      })),
    ),
  });
  addProduct(state, shop, {
    title: "Lab C-Type Print",
    productType: "Lab Print",
    vendor: "Partner Lab",
    tags: ["print", "lab", "crop-required"],
    options: [
      { name: "Paper", values: ["Lustre", "Metallic"] },
      { name: "Size", values: ["20x30", "30x45"] },
      { name: "Finish", values: ["None"] },
    ],
    variants: ["Lustre", "Metallic"].flatMap((paper) =>
      ["20x30", "30x45"].map((size) => ({
        sku: `LAB-${paper.toUpperCase()}-${size}`,
        price: size === "20x30" ? "18.00" : "32.00",
        options: { Paper: paper, Size: size, Finish: "None" },
        grams: 120,
        stock: { "Partner Lab": 500 },
      })),
    ),
  });
  addProduct(state, shop, {
    title: "Canvas Print",
    productType: "Canvas",
    vendor: "Partner Lab",
    tags: ["canvas", "large-format", "lab"],
    options: [
      { name: "Size", values: ["40x60", "60x90", "100x150"] },
      { name: "Finish", values: ["Gallery Wrap", "Framed"] },
    ],
    variants: ["40x60", "60x90", "100x150"].flatMap((size) =>
      ["Gallery Wrap", "Framed"].map((finish) => ({
        sku: `CANVAS-${size}-${finish === "Framed" ? "FRAMED" : "WRAP"}`,
        price: size === "40x60" ? "89.00" : size === "60x90" ? "149.00" : "289.00",
        options: { Size: size, Finish: finish },
        grams: 2500,
        stock: { "Partner Lab": size === "100x150" && finish === "Framed" ? 0 : 40 },
      })),
    ),
  });
  addProduct(state, shop, {
    title: "Large Format Poster",
    productType: "Poster",
    vendor: "Partner Lab",
    tags: ["large-format", "lab"],
    options: [
      { name: "Paper", values: ["Satin"] },
      { name: "Size", values: ["A1", "A0"] },
    ],
    variants: ["A1", "A0"].map((size) => ({
      sku: `POSTER-SATIN-${size}`,
      price: size === "A1" ? "45.00" : "69.00",
      options: { Paper: "Satin", Size: size },
      grams: 400,
      stock: { "Partner Lab": 100 },
    })),
  });
  addProduct(state, shop, {
    title: "Digital Download",
    productType: "Digital",
    vendor: "Studio",
    tags: ["digital"],
    options: [{ name: "Resolution", values: ["Web", "Full"] }],
    variants: ["Web", "Full"].map((r) => ({
      sku: `DIGITAL-${r.toUpperCase()}`,
      price: r === "Web" ? "9.00" : "29.00",
      options: { Resolution: r },
      requiresShipping: false,
      tracked: false,
      stock: { Studio: 0 },
    })),
  });
  addProduct(state, shop, {
    title: "Gift Card",
    productType: "Gift Card",
    vendor: "Studio",
    tags: ["gift-card"],
    isGiftCard: true,
    options: [{ name: "Denomination", values: ["25", "50", "100"] }],
    variants: ["25", "50", "100"].map((d) => ({
      sku: `GIFT-${d}`,
      price: `${d}.00`,
      options: { Denomination: d },
      requiresShipping: false,
      tracked: false,
      stock: { Studio: 0 },
    })),
  });
  // Out of stock but sold on backorder (inventory policy CONTINUE): orders still route to the Studio.
  addProduct(state, shop, {
    title: "Photo Book",
    productType: "Book",
    vendor: "Studio",
    tags: ["book", "backorder"],
    options: [{ name: "Pages", values: ["40"] }],
    variants: [
      {
        sku: "BOOK-40",
        price: "79.00",
        options: { Pages: "40" },
        grams: 900,
        inventoryPolicy: "CONTINUE",
        stock: { Studio: 0 },
      },
    ],
  });
  // Sold out and not sold on backorder: an order for it is refused, as checkout would.
  addProduct(state, shop, {
    title: "Archival Print Sleeve",
    productType: "Accessory",
    vendor: "Studio",
    tags: ["accessory"],
    variants: [{ sku: "SLEEVE-A3", price: "3.50", grams: 20, stock: { Studio: 0 } }],
  });
  addProduct(state, shop, {
    title: "Mount Board",
    productType: "Accessory",
    vendor: "Studio",
    tags: ["accessory"],
    options: [{ name: "Size", values: ["A4", "A3"] }],
    variants: ["A4", "A3"].map((s) => ({
      sku: `MOUNT-${s}`,
      price: "6.00",
      options: { Size: s },
      grams: 200,
      stock: { Studio: 60 },
    })),
  });
}

/** The demo shop's orders; its prints link their photos and print files on `origin`. */
export const demoOrders = (origin: string): NewOrderInput[] => {
  const crop = (image: string, x: number, y: number, w: number, h: number) =>
    printProperties(origin, image, [x, y, w, h]);
  return [
    {
      payment: "paid",
      email: "mia@example.com",
      lineItems: [
        {
          sku: "PRINT-MATTE-A4",
          quantity: 2,
          properties: crop("IMG_2041.jpg", 0.1, 0.05, 0.8, 0.9),
        },
      ],
      tags: ["web"],
    },
    {
      payment: "paid",
      email: "jonas@example.com",
      lineItems: [
        { sku: "PRINT-LUSTRE-A4", quantity: 1, properties: crop("DSC_0112.jpg", 0, 0, 1, 1) },
        {
          sku: "CANVAS-60x90-WRAP",
          quantity: 1,
          properties: crop("DSC_0118.jpg", 0.05, 0.1, 0.9, 0.75),
        },
      ],
    },
    {
      payment: "paid",
      email: "lea@example.com",
      lineItems: [
        { sku: "DIGITAL-FULL", quantity: 1 },
        { sku: "GIFT-50", quantity: 1 },
      ],
    },
    {
      payment: "authorized",
      email: "paul@example.com",
      lineItems: [
        {
          sku: "LAB-METALLIC-30x45",
          quantity: 3,
          properties: crop("wedding_044.jpg", 0.12, 0, 0.76, 1),
        },
      ],
    },
    {
      payment: "paid",
      email: "risky@example.net",
      riskLevel: "HIGH",
      customer: { email: "risky@example.net", tags: ["watch"] },
      lineItems: [{ sku: "POSTER-SATIN-A0", quantity: 1 }],
      shippingAddress: {
        firstName: "R",
        lastName: "Isk",
        address1: "Postfach 1",
        city: "Nowhere",
        zip: "00000",
        countryCode: "DE",
        country: "Germany",
      },
    },
    {
      payment: "pending",
      email: "clara@example.com",
      lineItems: [
        { sku: "BOOK-40", quantity: 1 },
        { sku: "MOUNT-A3", quantity: 2 },
      ],
      note: "Pays by bank transfer",
    },
  ];
};

export function seedDemoShop(
  state: SimState,
  input: { domain?: string; plan?: Plan; orders?: boolean; origin?: string } = {},
): Shop {
  return state.silently(() => {
    const shop = state.createShop({
      domain: input.domain ?? DEMO_SHOP,
      plan: input.plan ?? "advanced",
      name: "Fulfilment Router Demo Prints",
    });
    seedDemoCatalogue(state, shop);
    if (input.orders ?? true) {
      for (const o of demoOrders(input.origin ?? "http://127.0.0.1:8787")) {
        const r = createOrder(state, shop, o);
        if (!r.ok)
          throw new Error(`demo order failed: ${r.errors.map((e) => e.message).join("; ")}`);
      }
    }
    return shop;
  });
}
