// The demo shop's own setup in the app: rules and capability profiles a photo-and-print shop
// would make, so `npm run demo` shows routing at work from the first order.
import { ruleToStored, type Rule } from "../app/routing";
import type { Db } from "../app/db/client.server";

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
