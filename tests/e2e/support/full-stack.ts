// The whole demo for browser tests: a migrated SQLite file, the full shop simulator (Admin API,
// webhooks, auth) with the demo shop, and the built app pointed at it with its worker embedded,
// as `npm run demo` wires them; stopped in reverse order.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../../app/db/migrate.server.ts";
import { createSimulator, type Simulator } from "../../../simulator/src/server.ts";
import { startAppServer, type AppServer } from "./app-server.ts";
import { freePort } from "./ports.ts";

/** The demo shop the simulator seeds (simulator/src/seed/demo.ts). */
export const DEMO_SHOP = "fulfilment-router-demo.myshopify.com";

export interface SimOrderInput {
  lineItems: { sku: string; quantity: number; properties?: Record<string, string> }[];
  payment?: "paid" | "authorized" | "pending";
  tags?: string[];
  riskLevel?: "LOW" | "MEDIUM" | "HIGH";
  email?: string;
  customer?: { email: string; firstName?: string; lastName?: string; tags?: string[] };
  shippingAddress?: Record<string, string>;
  note?: string;
}

export interface FullStack {
  shop: string;
  apiKey: string;
  databaseUrl: string;
  /** The simulator's origin: Admin API, control API, auth and the App Bridge stand-in. */
  simulatorUrl: string;
  simulator: Simulator;
  app: AppServer;
  /** Where a merchant enters the app from admin: `/_sim/open` with the path inside the app. */
  openUrl(path: string): string;
  control<T = unknown>(method: "GET" | "POST", path: string, body?: unknown): Promise<T>;
  /** An order placed at checkout: Shopify's webhooks for it go to the app. */
  createOrder(
    order: SimOrderInput,
  ): Promise<{ orderId: string; name: string; fulfillmentOrderIds: string[] }>;
  stop(): Promise<void>;
}

/** The scopes shopify.app.toml declares: what Shopify grants on install. */
function declaredScopes(): string {
  const toml = readFileSync("shopify.app.toml", "utf8");
  const match = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(toml);
  if (!match?.[1]) throw new Error("shopify.app.toml declares no access scopes");
  return match[1];
}

export async function startFullStack(
  opts: { log?: (line: string) => void } = {},
): Promise<FullStack> {
  const apiKey = "e2e-api-key";
  const apiSecret = `e2e-secret-${Math.random().toString(36).slice(2)}`;
  const dir = mkdtempSync(join(tmpdir(), "e2e-full-stack-"));
  const databaseUrl = `file:${join(dir, "app.db")}`;
  await migrate(databaseUrl);

  const appPort = await freePort();
  const appUrl = `http://localhost:${appPort}`;
  const simulator = createSimulator({
    apiKey,
    apiSecret,
    appUrl,
    scopes: declaredScopes(),
    seed: "demo",
    // Webhook retries after a slow start come back in milliseconds, not minutes.
    timeScale: 0.001,
    stateDir: dir,
    log: opts.log,
  });
  const sim = await simulator.start(0);
  let app: AppServer;
  try {
    app = await startAppServer({
      port: appPort,
      env: {
        SHOPIFY_API_KEY: apiKey,
        SHOPIFY_API_SECRET: apiSecret,
        SHOPIFY_APP_URL: appUrl,
        DATABASE_URL: databaseUrl,
        SHOPIFY_ADMIN_ORIGIN: sim.url,
        APP_BRIDGE_URL: `${sim.url}/app-bridge.js`,
        WORKER: "embedded",
      },
    });
  } catch (error) {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const control = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T;
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };

  return {
    shop: DEMO_SHOP,
    apiKey,
    databaseUrl,
    simulatorUrl: sim.url,
    simulator,
    app,
    openUrl: (path) => `${sim.url}/_sim/open?shop=${DEMO_SHOP}&path=${encodeURIComponent(path)}`,
    control,
    createOrder: (order) => control("POST", "/_sim/orders", { shop: DEMO_SHOP, order }),
    stop: async () => {
      await app.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
