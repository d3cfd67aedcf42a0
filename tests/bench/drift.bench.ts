// drift_scan_ms: one stuck-and-drift pass (the worker's every five minutes, or "Check now") for a
// shop with 10,000 open fulfillment orders, read from the shop simulator through the Admin API
// gateway and stored in a migrated SQLite file, as the worker does it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSimulator } from "../../simulator/src/server";
import { createOrder } from "../../simulator/src/shop/orders";
import { defineBench, repeat, sized } from "./support/bench";

const SHOP = "fulfilment-router-demo.myshopify.com";
const DAY = 24 * 3600_000;

export const bench = defineBench({
  name: "drift",
  figures: [
    {
      name: "drift_scan_ms",
      description:
        "One stuck-and-drift pass over a shop with 10,000 open fulfillment orders (1,000 at the lab, their requests unanswered for two days), median of the runs after the first",
      unit: "ms",
      // The pass runs every five minutes per shop: it must end well within its own interval.
      targets: [{ atMost: 60_000 }],
    },
  ],
  run: async (context) => {
    const total = sized(context, "orders", 10_000, 1000);
    const { migrate } = await import("../../app/db/migrate.server");
    const { createDb } = await import("../../app/db/client.server");
    const { createAdminGateway } = await import("../../app/shopify/gateway.server");
    const { ShopBudgets } = await import("../../app/shopify/budget");
    const { scanShop } = await import("../../app/fulfilment/drift.server");

    const sim = createSimulator({ seed: "demo", timeScale: 0.001, appUrl: "http://127.0.0.1:9" });
    const shop = sim.state.shops.get(SHOP)!;
    // Orders as checkout makes them, without webhooks (no app listens): 9 in 10 for the Studio
    // (a photo book sold on backorder, so stock never runs out), 1 in 10 for Partner Lab.
    const labSkus = [
      "LAB-LUSTRE-20x30",
      "LAB-LUSTRE-30x45",
      "LAB-METALLIC-20x30",
      "LAB-METALLIC-30x45",
    ];
    sim.state.silently(() => {
      for (let i = 0; i < total; i++) {
        const sku = i % 10 === 0 ? labSkus[(i / 10) % labSkus.length]! : "BOOK-40";
        const r = createOrder(sim.state, shop, {
          payment: "paid",
          email: `buyer${i}@example.com`,
          lineItems: [{ sku, quantity: 1 }],
        });
        if (!r.ok)
          throw new Error(`order ${i} refused: ${r.errors.map((e) => e.message).join("; ")}`);
      }
    });
    // The lab's work was requested two days ago and never answered: every lab order is stuck,
    // so the pass writes findings too, not only reads. (Set in the simulator's state: sending
    // 1,000 requests through the API would only measure the setup.)
    const twoDaysAgo = new Date(Date.now() - 2 * DAY).toISOString();
    const labLocation = [...shop.locations.values()].find((l) => l.name === "Partner Lab")!;
    // The demo shop's own lab orders are among them.
    let atLab = 0;
    for (const fo of shop.fulfillmentOrders.values()) {
      if (fo.assignedLocationId !== labLocation.id || fo.status !== "OPEN") continue;
      fo.requestStatus = "SUBMITTED";
      fo.updatedAt = twoDaysAgo;
      atLab++;
    }
    if (atLab < total / 10) throw new Error(`only ${atLab} fulfillment orders at Partner Lab`);

    const server = await sim.start(0);
    const dir = mkdtempSync(join(tmpdir(), "bench-drift-"));
    const databaseUrl = `file:${join(dir, "app.db")}`;
    await migrate(databaseUrl);
    const db = createDb(databaseUrl);
    try {
      await db.shop.create({ data: { shop: SHOP } });
      const gateway = createAdminGateway({
        shop: SHOP,
        accessToken: sim.mintToken(SHOP),
        adminOrigin: server.url,
        budgets: new ShopBudgets(),
      });
      const deps = { db, gateway, now: () => new Date() };
      // The first pass finds every stuck request; the ones after it are the steady state.
      context.log(`drift: first pass over ${total} orders`);
      const first = await scanShop(deps, SHOP);
      // The pass reads what is at the labs: the Studio's 9,000 are not a lab's to drift on.
      if (first.scanned !== atLab || first.stuck !== atLab)
        throw new Error(`the pass saw ${first.scanned} open at labs and ${first.stuck} stuck`);
      return await repeat(context, async () => {
        const started = performance.now();
        const r = await scanShop(deps, SHOP);
        const ms = performance.now() - started;
        if (r.stuck !== atLab) throw new Error(`the pass found ${r.stuck} stuck, not ${atLab}`);
        context.log(
          `drift: pass over ${r.scanned} open fulfillment orders at labs (of ${total} open) in ${Math.round(ms)} ms`,
        );
        return { drift_scan_ms: Math.round(ms) };
      });
    } finally {
      await db.$disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
