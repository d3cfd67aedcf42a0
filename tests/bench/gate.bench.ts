// gate_hold_ms: how long a lab could see a freshly routed order before the app first holds it:
// the release gate, or the rules' own hold placed in its stead when they decide on the first read
// (ADR 024), or its move away from the lab where the rules bring a line the Studio makes home on
// that first read without a hold (ADR 028: Shopify sent this sold-out print to the lab). From the simulator sending fulfillment_orders/order_routing_complete for a
// fulfillment order at Partner Lab to that first hold being placed on that fulfillment order,
// through the production server (server/index.ts) with its embedded worker and production
// settings; the times are the simulator's own (first delivery attempt, hold event).
import { randomBytes } from "node:crypto";
import { createClient, type Client } from "@libsql/client";
import { DEFAULT_REVIEW_HOLD_HANDLE, GATE_HOLD_HANDLE } from "../../app/routing/holds";
import { createSimulator } from "../../simulator/src/server";
import { APP_NOT_STARTED } from "../support/processes";
import { startApp } from "./support/app-process";
import { defineBench, repeat, sized, type BenchContext } from "./support/bench";
import { ensureBuild } from "./support/build";
import { percentile } from "./support/stats";
import { control, seedShops, type Locations } from "./routing.bench";

const SHOP = "fulfilment-router-demo.myshopify.com";
const API_KEY = "bench-api-key";
// Sold out at the Studio and stocked by Partner Lab: Shopify routes it to the lab.
const LAB_SKU = "PRINT-LUSTRE-A3";
// The rules' holds (fr-rule-…), which take the gate's place when they decide at once.
const APP_HOLD_PREFIX = "fr-rule-";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Delivery {
  topic: string;
  triggeredAt: string;
  attempts: { at: string }[];
  payload: {
    fulfillment_order?: { id: string };
    fulfillment_hold?: { handle: string };
    original_fulfillment_order?: { id: string };
  };
}

async function deliveries(
  sim: ReturnType<typeof createSimulator>,
  topic: string,
): Promise<Delivery[]> {
  return (
    await control<{ deliveries: Delivery[] }>(sim, `/_sim/webhooks?shop=${SHOP}&topic=${topic}`)
  ).deliveries;
}

async function decided(db: Client, orderId: string): Promise<boolean> {
  const rows = await db.execute({
    sql: `SELECT 1 FROM "Decision" WHERE "shop" = ? AND "orderId" = ? AND "status" IN ('applied','needs_attention') LIMIT 1`,
    args: [SHOP, orderId],
  });
  return rows.rows.length > 0;
}

async function measure(context: BenchContext): Promise<{ gate_hold_ms: Record<string, number> }> {
  const { log, options } = context;
  const count = sized(context, "orders", 20, 5);
  ensureBuild(log);
  const secret = randomBytes(24).toString("hex");
  const sim = createSimulator({
    apiKey: API_KEY,
    apiSecret: secret,
    // The app takes its port as it starts (ADR 041); the simulator learns it then (setAppUrl).
    appUrl: APP_NOT_STARTED,
    seed: "demo",
  });
  const simServer = await sim.start(0);
  const demo = await control<{ locations: Locations }>(sim, `/_sim/products?shop=${SHOP}`);
  const app = await startApp({
    server: "server",
    label: "gate",
    env: {
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: secret,
      SHOPIFY_ADMIN_ORIGIN: simServer.url,
      WORKER: "embedded",
    },
    echoErrors: options["app-errors"] === "true",
    prepare: (databaseUrl) =>
      seedShops(databaseUrl, [
        { shop: SHOP, accessToken: sim.mintToken(SHOP), locations: demo.locations },
      ]),
  });
  sim.setAppUrl(app.url);
  const db = createClient({ url: app.databaseUrl });
  try {
    // The worker's first reconciliation runs 2 s after start: let it pass first.
    await sleep(3000);
    // A trickle of checkouts, each with one fulfillment order at the lab.
    const orders: { orderId: string; fulfillmentOrderId: string }[] = [];
    for (let i = 0; i < count; i++) {
      const created = await control<{ orderId: string; fulfillmentOrderIds: string[] }>(
        sim,
        "/_sim/orders",
        { shop: SHOP, order: { lineItems: [{ sku: LAB_SKU, quantity: 1 }], payment: "paid" } },
      );
      if (created.fulfillmentOrderIds.length !== 1)
        throw new Error(`${created.orderId} has ${created.fulfillmentOrderIds.length} FOs, not 1`);
      orders.push({
        orderId: created.orderId,
        fulfillmentOrderId: created.fulfillmentOrderIds[0]!,
      });
      await sleep(250);
    }
    const deadline = Date.now() + 120_000;
    let open = orders;
    while (open.length > 0 && Date.now() < deadline) {
      const next = [];
      for (const o of open) if (!(await decided(db, o.orderId))) next.push(o);
      open = next;
      if (open.length > 0) await sleep(100);
    }
    if (open.length > 0)
      throw new Error(`${open.length} of ${orders.length} lab orders got no decision in 2 minutes`);

    const routed = await deliveries(sim, "fulfillment_orders/order_routing_complete");
    const held = await deliveries(sim, "fulfillment_holds/added");
    const moved = await deliveries(sim, "fulfillment_orders/moved");
    const latencies: number[] = [];
    for (const o of orders) {
      const sent = routed.find((d) => d.payload.fulfillment_order?.id === o.fulfillmentOrderId);
      // The gate's hold, or the rules' own hold where they hold the lab's work on their first
      // read and the gate is not placed (ADR 024): the app's first hold either way.
      const gate = held.find(
        (d) =>
          d.payload.fulfillment_order?.id === o.fulfillmentOrderId &&
          (d.payload.fulfillment_hold?.handle === GATE_HOLD_HANDLE ||
            d.payload.fulfillment_hold?.handle === DEFAULT_REVIEW_HOLD_HANDLE ||
            (d.payload.fulfillment_hold?.handle ?? "").startsWith(APP_HOLD_PREFIX)),
      );
      // Or the lab's work moved to the Studio before anything held it: the lab sees it no more.
      const away = moved.find(
        (d) => d.payload.original_fulfillment_order?.id === o.fulfillmentOrderId,
      );
      if (!sent?.attempts[0])
        throw new Error(`no order_routing_complete was sent for ${o.fulfillmentOrderId}`);
      const ends = [gate, away]
        .filter((d): d is Delivery => d !== undefined)
        .map((d) => Date.parse(d.triggeredAt));
      if (ends.length === 0)
        throw new Error(
          `the app neither held nor moved ${o.fulfillmentOrderId} (${o.orderId}) at the lab`,
        );
      latencies.push(Math.min(...ends) - Date.parse(sent.attempts[0].at));
    }
    latencies.sort((a, b) => a - b);
    log(
      `order_routing_complete → first hold or move away over ${latencies.length} orders: ${latencies.join(", ")} ms`,
    );
    return { gate_hold_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) } };
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\nApp output (tail):\n${app.output().slice(-3000)}`,
    );
  } finally {
    db.close();
    await app.stop();
    app.cleanup();
    await simServer.stop();
  }
}

export const bench = defineBench({
  name: "gate",
  figures: [
    {
      name: "gate_hold_ms",
      description:
        "fulfillment_orders/order_routing_complete sent by the simulator → the app's first hold on that lab fulfillment order (the gate's or the rules') or its move away from the lab; production server, embedded worker, 20 orders 250 ms apart",
      unit: "ms",
      targets: [{ path: "p95", atMost: 1000 }],
    },
  ],
  run: (context) => repeat(context, () => measure(context)),
});
