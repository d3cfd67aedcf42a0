// The demo shop's own setup in the app: rules and capability profiles a photo-and-print shop
// would make, so `npm run demo` shows routing at work from the first order, and the fresh orders
// the demo places once the app runs.
import { makeStep, ruleToStored, type Rule } from "../app/routing";
import type { Db } from "../app/db/client.server";
import { applyAndRecord } from "../app/fulfilment/apply-step.server";
import { recordLabReport } from "../app/fulfilment/drift.server";
import type { AdminGateway } from "../app/shopify/gateway.server";
import { printProperties } from "../simulator/src/seed/demo";
import type { NewOrderInput } from "../simulator/src/shop/orders";

interface SimLocation {
  id: string;
  name: string;
  fulfillmentService: { handle: string } | null;
}

export async function seedDemoConfig(
  db: Db,
  shop: string,
  locations: SimLocation[],
): Promise<void> {
  if (await db.rule.count({ where: { shop } })) return;
  const studio = locations.find((l) => !l.fulfillmentService);
  const lab = locations.find((l) => l.fulfillmentService);
  await db.shop.upsert({
    where: { shop },
    create: { shop, defaultMode: "manual", digitalDownloads: "automatic" },
    update: {},
  });
  if (studio) {
    await db.capabilityProfile.create({
      data: {
        shop,
        locationId: studio.id,
        name: studio.name,
        kind: "in_house",
        productTypes: JSON.stringify(["Print", "Accessory", "Book"]),
        options: JSON.stringify({
          Paper: ["Matte", "Lustre"],
          Size: ["10x15", "13x18", "A4", "A3"],
          Finish: ["None", "Varnish"],
          Pages: ["40"],
        }),
      },
    });
  }
  if (lab) {
    await db.capabilityProfile.create({
      data: {
        shop,
        locationId: lab.id,
        name: lab.name,
        kind: "partner",
        productTypes: JSON.stringify(["Print", "Lab Print", "Canvas", "Poster"]),
        options: JSON.stringify({
          Paper: ["Matte", "Lustre", "Metallic", "Satin"],
          Size: [
            "10x15",
            "13x18",
            "A4",
            "A3",
            "A1",
            "A0",
            "20x30",
            "30x45",
            "40x60",
            "60x90",
            "100x150",
          ],
          Finish: ["None", "Varnish", "Gallery Wrap", "Framed"],
        }),
      },
    });
  }
  const rules: Rule[] = [
    {
      id: "demo-high-risk",
      name: "High-risk orders wait for me",
      enabled: true,
      position: 0,
      match: "all",
      lines: "any",
      keepChecking: false,
      conditions: [{ field: "risk_level", operator: "equals", value: "HIGH" }],
      actions: [
        { type: "hold", reason: "HIGH_RISK_OF_FRAUD", note: "Check the order before it is made" },
        { type: "add_order_tags", tags: ["high-risk"] },
      ],
    },
    {
      id: "demo-split",
      name: "Print in-house only what the studio can make",
      enabled: true,
      position: 1,
      match: "all",
      lines: "any",
      keepChecking: true,
      conditions: [],
      actions: [{ type: "split", by: "capability" }],
    },
    {
      id: "demo-lab",
      name: "Lab prints go to the lab after a look at the crop",
      enabled: true,
      position: 2,
      match: "any",
      lines: "any",
      keepChecking: false,
      conditions: [{ field: "fulfilment_service", operator: "exists", value: true }],
      actions: [
        { type: "hold_for_review", note: "Check the crop" },
        { type: "submit_fulfilment_request", notifyCustomer: false },
      ],
    },
  ];
  for (const rule of rules) {
    const stored = ruleToStored(rule);
    // A rule's id is unique across shops: a second shop seeded the same way (benchmarks with
    // many shops) gets its own ids; the demo shop keeps the ones above.
    const taken = await db.rule.findUnique({ where: { id: stored.id }, select: { id: true } });
    await db.rule.create({
      data: { ...stored, id: taken ? `${stored.id}-${shop}` : stored.id, shop },
    });
  }
}

/**
 * A few fresh paid orders, placed once the app runs and delivered to it as Shopify would (webhooks
 * with real HMACs); their prints link their photos on `origin` (the simulator).
 */
export function demoFreshOrders(origin: string): NewOrderInput[] {
  return [
    {
      lineItems: [
        {
          sku: "PRINT-LUSTRE-A4",
          quantity: 2,
          properties: printProperties(origin, "IMG_3107.jpg", [0.1, 0.1, 0.8, 0.8]),
        },
        { sku: "CANVAS-60x90-WRAP", quantity: 1 },
      ],
      payment: "paid",
    },
    {
      lineItems: [
        {
          sku: "LAB-METALLIC-30x45",
          quantity: 1,
          properties: printProperties(origin, "DSC_0420.jpg", [0, 0, 1, 1]),
        },
      ],
      payment: "authorized",
    },
    { lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }], payment: "paid" },
    { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid", riskLevel: "HIGH" },
    // Taxed, so Cancel items refunded in full shows the tax in what goes back (ADR 082): VAT
    // added to the prices (Shopify's default setting), and VAT included in them, as EU shops
    // price for consumers (Order.taxesIncluded).
    {
      lineItems: [
        {
          sku: "PRINT-LUSTRE-A4",
          quantity: 2,
          properties: printProperties(origin, "IMG_3215.jpg", [0, 0.05, 1, 0.9]),
        },
      ],
      payment: "paid",
      taxLines: [{ title: "VAT", rate: 0.19 }],
    },
    {
      lineItems: [
        {
          sku: "PRINT-MATTE-A4",
          quantity: 3,
          properties: printProperties(origin, "IMG_3302.jpg", [0.05, 0.05, 0.9, 0.9]),
        },
      ],
      payment: "paid",
      taxLines: [{ title: "VAT", rate: 0.19 }],
      taxesIncluded: true,
    },
  ];
}

export interface LabHistoryDeps {
  db: Db;
  /** The app's Admin API gateway for the shop (the requests go through the one executor). */
  gateway: AdminGateway;
  /** The simulator's control API: checkout places the orders, the lab answers. */
  control: <T>(method: "GET" | "POST", path: string, body?: unknown) => Promise<T>;
  now: () => Date;
}

interface PlacedOrder {
  orderId: string;
  name: string;
  fulfillmentOrderIds: string[];
}

/**
 * The demo shop's recent past with its lab, so a newcomer finds something in both the Stuck and
 * the Drift view: two prints the app sent to Partner Lab earlier. The lab rejected one and
 * nothing took it over (stuck); it accepted the other and e-mailed that it shipped it with DHL,
 * which the merchant recorded, while Shopify still shows it unfulfilled (drift). The next
 * stuck-and-drift pass finds both. Does nothing when the shop has lab history already.
 */
export async function seedDemoLabHistory(
  deps: LabHistoryDeps,
  shop: string,
): Promise<{ stuck: PlacedOrder; drift: PlacedOrder } | null> {
  const { db, control, now } = deps;
  if (await db.labReport.count({ where: { shop } })) return null;
  const sent = async (email: string): Promise<PlacedOrder> => {
    // Lustre A3 is sold out at the Studio, so Shopify routes it to Partner Lab.
    const placed = await control<PlacedOrder>("POST", "/_sim/orders", {
      shop,
      order: {
        payment: "paid",
        email,
        lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
      },
    });
    const fulfillmentOrderId = placed.fulfillmentOrderIds[0]!;
    // Decided and sent to the lab by the app back then: the worker leaves the order alone.
    const decision = await db.decision.create({
      data: {
        shop,
        orderId: placed.orderId,
        orderName: placed.name,
        trigger: "webhook",
        status: "applied",
        appliedAt: now(),
        explanation: JSON.stringify(['Rule "Lab prints go to the lab" matched']),
        plan: "{}",
      },
    });
    const step = makeStep(
      "fulfillmentOrderSubmitFulfillmentRequest",
      placed.orderId,
      fulfillmentOrderId,
      { id: fulfillmentOrderId, notifyCustomer: false },
      "Request fulfillment from Partner Lab",
      {
        source: "rule",
        ruleId: null,
        ruleName: "Lab prints go to the lab",
        text: 'Rule "Lab prints go to the lab": request fulfillment',
      },
    );
    const recorded = await applyAndRecord(deps, decision.id, step, 0);
    if (!recorded.ok) throw new Error(`demo lab request refused: ${recorded.message}`);
    return placed;
  };
  const lab = (fulfillmentOrderId: string, body: Record<string, unknown>) =>
    control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(fulfillmentOrderId)}/service-response`,
      body,
    );

  const stuck = await sent("erik@example.com");
  await lab(stuck.fulfillmentOrderIds[0]!, {
    action: "reject",
    reason: "INVENTORY_OUT_OF_STOCK",
    message: "Out of lustre paper",
  });
  const drift = await sent("fiona@example.com");
  await lab(drift.fulfillmentOrderIds[0]!, { action: "accept", message: "Printing tonight" });
  const recorded = await recordLabReport(
    deps,
    shop,
    {
      fulfillmentOrderId: drift.fulfillmentOrderIds[0]!,
      status: "shipped",
      tracking: { company: "DHL", number: "00340434", url: null },
    },
    "Demo",
  );
  if (!recorded.ok) throw new Error(`demo lab report refused: ${recorded.message}`);
  return { stuck, drift };
}
