// One order at a time across worker processes (PostgreSQL + pg-boss): two real worker processes
// (`npm run worker`) take a route job and refresh jobs of the same order side by side, and Shopify
// never sees two of their calls about it at once; each process reaches Shopify through a counting
// proxy of its own, so the test also knows both processes worked the order.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { createPgBossQueue } from "~/jobs/pgboss-queue.server";
import { QUEUES, routeOrderKey } from "~/fulfilment/queues";
import { seedDemoConfig } from "../../scripts/demo-config";
import { createSimulator } from "../../simulator/src/server";
import { startWorkerProcess, type AppChild } from "../support/processes";

const SHOP = "one-at-a-time.myshopify.com";
const onPostgres = process.env.DATABASE_URL!.startsWith("postgres");

/** Calls in flight to Shopify, summed over every proxy, and the most ever at once. */
const flight = { now: 0, max: 0 };

/** A proxy in front of the simulator for one worker process: counts that process's calls. */
async function countingProxy(target: URL): Promise<{ url: string; calls: () => number } & Server> {
  let calls = 0;
  const server = createServer((req, res) => {
    calls++;
    flight.now++;
    flight.max = Math.max(flight.max, flight.now);
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on("end", () => flight.now--);
      },
    );
    upstream.on("error", () => {
      flight.now--;
      res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(server, { url, calls: () => calls });
}

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
});

describe.skipIf(!onPostgres)("one order at a time across worker processes", () => {
  it("never lets two worker processes work the same order at once", async () => {
    const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(
      readFileSync("shopify.app.toml", "utf8"),
    )![1]!;
    const sim = createSimulator({
      apiKey: process.env.SHOPIFY_API_KEY,
      apiSecret: process.env.SHOPIFY_API_SECRET,
      appUrl: "http://127.0.0.1:9",
      scopes,
      seed: "empty",
      timeScale: 0.001,
    });
    const started = await sim.start(0);
    stops.push(started.stop);
    sim.addShop(SHOP, "standard", "demo");
    await db.session.create({
      data: {
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "",
        isOnline: false,
        accessToken: sim.mintToken(SHOP),
        scope: scopes,
      },
    });
    const catalogue = (await (await fetch(`${started.url}/_sim/products?shop=${SHOP}`)).json()) as {
      locations: { id: string; name: string; fulfillmentService: { handle: string } | null }[];
    };
    await seedDemoConfig(db, SHOP, catalogue.locations);
    // Every Admin call takes 40 ms more: calls of two jobs about the order would overlap.
    await fetch(`${started.url}/_sim/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ latencyMs: 40 }),
    });

    const proxies = [
      await countingProxy(new URL(started.url)),
      await countingProxy(new URL(started.url)),
    ];
    for (const p of proxies) stops.push(() => new Promise((r) => p.close(r)));
    const queue = createPgBossQueue(process.env.DATABASE_URL!);
    stops.push(() => queue.stop());
    const workers: AppChild[] = proxies.map((proxy, i) =>
      startWorkerProcess(`worker ${i + 1}`, {
        DATABASE_URL: process.env.DATABASE_URL!,
        SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY!,
        SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET!,
        SHOPIFY_APP_URL: "http://127.0.0.1:9",
        SHOPIFY_ADMIN_ORIGIN: proxy.url,
      }),
    );
    for (const w of workers) stops.push(() => w.stop());

    // Each worker reconciles the shop when it starts: wait until both did, so every call after
    // that is about the order.
    const deadline = Date.now() + 120_000;
    const reconciled = async () =>
      (
        await db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`,
          QUEUES.reconcile,
        )
      )[0]!.n;
    while ((await reconciled()) < 2) {
      if (Date.now() > deadline)
        throw new Error(
          `the workers did not reconcile:\n${workers.map((w) => w.output()).join("\n")}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
    flight.max = 0;
    const before = proxies.map((p) => p.calls());

    const placed = await fetch(`${started.url}/_sim/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        shop: SHOP,
        order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid" },
      }),
    });
    const { orderId } = (await placed.json()) as { orderId: string };
    // The order's route job and eight refreshes of it at once, as a burst of webhooks makes them.
    await queue.enqueue(
      QUEUES.routeOrder,
      { shop: SHOP, orderId, trigger: "webhook" },
      { key: routeOrderKey(SHOP, orderId), shop: SHOP },
    );
    await queue.enqueueMany(
      QUEUES.refreshOrder,
      Array.from({ length: 8 }, () => ({
        payload: { shop: SHOP, orderId },
        options: { shop: SHOP },
      })),
    );
    const left = async () =>
      (
        await db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pgboss.job
            WHERE name IN ($1, $2) AND state NOT IN ('completed', 'failed', 'cancelled')`,
          QUEUES.routeOrder,
          QUEUES.refreshOrder,
        )
      )[0]!.n;
    while ((await left()) > 0) {
      if (Date.now() > deadline)
        throw new Error(`the jobs did not finish:\n${workers.map((w) => w.output()).join("\n")}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    // Both processes worked the order, and Shopify never had two of their calls at once.
    expect(proxies.map((p, i) => p.calls() > before[i]!)).toEqual([true, true]);
    expect(flight.max).toBe(1);
    const decision = await db.decision.findFirst({ where: { orderId, trigger: "webhook" } });
    expect(decision?.status).toBe("applied");
  }, 180_000);
});
