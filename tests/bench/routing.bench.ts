// paid_to_applied_ms: from orders/paid sent by the shop simulator (with 100 ms of added Admin API
// latency) to the decision applied on Shopify, through webhook intake, inbox, worker and executor.
// admin_points_per_order: actual query cost Shopify computes for routing one order, by scenario.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineBench } from "./support/bench";
import { percentile, round1 } from "./support/stats";

const SHOP = "fulfilment-router-demo.myshopify.com";
const LATENCY_MS = 100;

const SCENARIOS: Record<
  string,
  { lineItems: { sku: string; quantity: number }[]; riskLevel?: string }
> = {
  digital: { lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }] },
  lab_review: { lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 2 }] },
  capability_split: {
    lineItems: [
      { sku: "PRINT-LUSTRE-A4", quantity: 1 },
      { sku: "CANVAS-60x90-WRAP", quantity: 1 },
    ],
  },
  high_risk: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], riskLevel: "HIGH" },
};

export const bench = defineBench({
  name: "routing",
  figures: [
    {
      name: "paid_to_applied_ms",
      description:
        "orders/paid sent by the simulator to the change visible in its state, 100 ms per Admin call",
      unit: "ms",
      targets: [{ path: "p95", atMost: 1000 }],
    },
    {
      name: "admin_points_per_order",
      description:
        "Actual Admin API points the app spends routing one order, median and max over scenarios",
      unit: "points",
      targets: [{ path: "median", atMost: 40 }],
    },
  ],
  async run({ log, options }) {
    const orders = Number(options.orders ?? 24);
    const dir = mkdtempSync(join(tmpdir(), "bench-routing-"));
    // The app's modules read their configuration when first imported.
    Object.assign(process.env, {
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "bench-api-key",
      SHOPIFY_API_SECRET: "bench-api-secret",
      SHOPIFY_APP_URL: "http://127.0.0.1:3000",
      DATABASE_URL: `file:${join(dir, "bench.db")}`,
      WORKER: "off",
    });
    const { migrate } = await import("../../app/db/migrate.server");
    await migrate(process.env.DATABASE_URL!);
    const { default: db } = await import("../../app/db.server");
    const { intakeWebhook } = await import("../../app/webhooks/intake.server");
    const { createEmbeddedQueue } = await import("../../app/jobs/embedded-queue.server");
    const { startWorker } = await import("../../app/jobs/worker.server");
    const { ShopBudgets } = await import("../../app/shopify/budget");
    const { createAdminGateway } = await import("../../app/shopify/gateway.server");
    const { seedDemoConfig } = await import("../../scripts/demo-config");
    const { createSimulator } = await import("../../simulator/src/server");

    const endpoint = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === "string") headers.set(k, v);
      const response = await intakeWebhook(
        new Request(`http://127.0.0.1${req.url}`, {
          method: "POST",
          headers,
          body: Buffer.concat(chunks),
        }),
      );
      res.writeHead(response.status).end();
    });
    await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    const appUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    const sim = createSimulator({
      apiKey: "bench-api-key",
      apiSecret: "bench-api-secret",
      appUrl,
      seed: "demo",
    });
    const { url, stop } = await sim.start(0);
    const control = async <T>(path: string, body?: unknown) =>
      (await (
        await fetch(`${url}${path}`, {
          method: body ? "POST" : "GET",
          headers: { "Content-Type": "application/json" },
          body: body ? JSON.stringify(body) : undefined,
        })
      ).json()) as T;

    const catalogue = await control<{
      locations: { id: string; name: string; fulfillmentService: { handle: string } | null }[];
    }>(`/_sim/products?shop=${SHOP}`);
    await seedDemoConfig(db, SHOP, catalogue.locations);
    // Installed, as token exchange leaves it: the intake drops deliveries for other shops.
    await db.session.create({
      data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "bench" },
    });
    const costs = new Map<string, number>();
    let currentOrder = "";
    const gateway = createAdminGateway({
      shop: SHOP,
      accessToken: sim.mintToken(SHOP),
      adminOrigin: url,
      budgets: new ShopBudgets(),
      onCost: (_operation, cost) => {
        if (currentOrder)
          costs.set(currentOrder, (costs.get(currentOrder) ?? 0) + (cost.actualQueryCost ?? 0));
      },
    });

    try {
      // Points per order: one order at a time, so every call's cost belongs to that order.
      const { routeOrder } = await import("../../app/fulfilment/route-order.server");
      const points: Record<string, number | Record<string, number>> = {};
      const allOrders: number[] = [];
      for (const [name, scenario] of Object.entries(SCENARIOS)) {
        const perOrder: number[] = [];
        for (let i = 0; i < 5; i++) {
          const { orderId } = await control<{ orderId: string }>("/_sim/orders", {
            shop: SHOP,
            order: { ...scenario, payment: "paid" },
          });
          currentOrder = orderId;
          await routeOrder(
            { db, gateway, now: () => new Date() },
            { shop: SHOP, orderId, trigger: "merchant" },
          );
          perOrder.push(costs.get(orderId) ?? 0);
        }
        currentOrder = "";
        perOrder.sort((a, b) => a - b);
        points[name] = { median: percentile(perOrder, 50), max: perOrder[perOrder.length - 1]! };
        allOrders.push(...perOrder);
        log(`${name}: ${perOrder.join(", ")} points`);
      }

      allOrders.sort((a, b) => a - b);
      points.median = percentile(allOrders, 50);
      points.max = allOrders[allOrders.length - 1]!;

      // Paid to applied, through the whole pipeline, with Shopify 100 ms away.
      await control("/_sim/faults", { latencyMs: LATENCY_MS });
      const worker = startWorker(
        {
          db,
          queue: createEmbeddedQueue(db),
          gatewayFor: async () => gateway,
          now: () => new Date(),
        },
        { inboxPollMs: 10, reconcileEveryMs: 3_600_000 },
      );
      const sentAt = new Map<string, number>();
      const names = Object.keys(SCENARIOS);
      for (let i = 0; i < orders; i++) {
        const scenario = SCENARIOS[names[i % names.length]!]!;
        const started = Date.now();
        const { orderId } = await control<{ orderId: string }>("/_sim/orders", {
          shop: SHOP,
          order: { ...scenario, payment: "paid" },
        });
        sentAt.set(orderId, started);
        // A steady trickle, as a busy shop's checkouts arrive, rather than one burst.
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const deadline = Date.now() + 120_000;
      const applied = new Map<string, number>();
      while (applied.size < sentAt.size && Date.now() < deadline) {
        const rows = await db.decision.findMany({
          where: {
            orderId: { in: [...sentAt.keys()] },
            status: { in: ["applied", "needs_attention"] },
          },
          select: { orderId: true, appliedAt: true },
        });
        for (const row of rows)
          if (row.appliedAt) applied.set(row.orderId, row.appliedAt.getTime());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await worker.stop();
      if (applied.size < sentAt.size)
        throw new Error(
          `only ${applied.size} of ${sentAt.size} orders were decided within 2 minutes`,
        );
      const latencies = [...applied]
        .map(([orderId, at]) => at - sentAt.get(orderId)!)
        .sort((a, b) => a - b);
      log(`${latencies.length} orders, latency ${LATENCY_MS} ms per Admin API call`);
      return {
        paid_to_applied_ms: {
          p50: round1(percentile(latencies, 50)),
          p95: round1(percentile(latencies, 95)),
        },
        admin_points_per_order: points,
      };
    } finally {
      await stop();
      endpoint.close();
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
