// `npm run worker` in production is the worker's build (build/worker/index.js on plain Node, ADR
// 053), not scripts/worker.ts through tsx as the other process tests start it. Built here as
// `npm run build` builds it, the process runs on this suite's database (SQLite with the embedded
// queue; PostgreSQL with pg-boss under vitest.postgres.config.ts): a paid order's webhooks reach
// the app's endpoint, the built worker routes the order from the inbox, and on SIGTERM it leaves
// by itself with exit code 0, as the TypeScript one does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { seedDemoConfig } from "../../scripts/demo-config";
import { buildWorker, type BuiltWorker } from "../support/built-worker";
import { installShop } from "../support/install";
import { withShopSimulator } from "../support/integration";
import { startWorkerProcess, type AppChild } from "../support/processes";

// The endpoint in this process only stores deliveries: the worker process does the work.
process.env.WORKER = "off";
const url = process.env.DATABASE_URL!;
const database = url.startsWith("postgres") ? "PostgreSQL" : "SQLite";
const sim = withShopSimulator({ webhooks: true });

let built: BuiltWorker | undefined;
let worker: AppChild | undefined;
beforeAll(async () => {
  built = await buildWorker("built-worker");
}, 120_000);
afterAll(async () => {
  await worker?.kill();
  built?.cleanup();
});

async function until(what: string, done: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + 90_000;
  while (!(await done())) {
    if (!worker!.running()) throw new Error(`the worker exited ${what}:\n${worker!.output()}`);
    if (Date.now() > deadline) throw new Error(`${what}: timed out\n${worker!.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe(`the built worker on ${database}`, () => {
  it("starts, routes a paid order from its webhooks and stops on SIGTERM", async () => {
    // Installed as token exchange leaves a shop, with a token the simulator takes, and configured.
    const { accessToken } = await sim.control<{ accessToken: string }>("POST", "/_sim/tokens", {
      shop: sim.shop,
    });
    await installShop(db, sim.shop, accessToken);
    const { locations } = await sim.control<{
      locations: { id: string; name: string; fulfillmentService: { handle: string } | null }[];
    }>("GET", `/_sim/products?shop=${sim.shop}`);
    await seedDemoConfig(db, sim.shop, locations);

    worker = startWorkerProcess(
      "built worker",
      {
        DATABASE_URL: url,
        SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY!,
        SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET!,
        SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL!,
        SHOPIFY_ADMIN_ORIGIN: sim.url,
      },
      built!.entry,
    );
    await until("before it started", () => worker!.output().includes("Worker started."));

    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await until(
      "before it routed the order",
      async () => (await db.decision.findFirst({ where: { orderId } }))?.status === "applied",
    );

    // stop() sends SIGTERM and SIGKILLs after 5 s: the worker must have left on its own, with 0.
    const asked = Date.now();
    await worker.stop();
    expect(worker.exit(), worker.output()).toEqual({ code: 0, signal: null });
    expect(Date.now() - asked).toBeLessThan(5000);
  }, 180_000);
});
