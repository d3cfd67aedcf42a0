// Everything a browser test runs against: a migrated SQLite file, the (auth-only) shop simulator
// and the built app wired to it, as `npm run demo` wires them; stopped in reverse order.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../../app/db/migrate.server.ts";
import { startAppServer, type AppServer } from "./app-server.ts";
import { startAuthSimulator, type AuthSimulator } from "./auth-simulator.ts";
import { freePort } from "./ports.ts";

export interface Stack {
  shop: string;
  apiKey: string;
  apiSecret: string;
  databaseUrl: string;
  simulator: AuthSimulator;
  app: AppServer;
  stop(): Promise<void>;
}

/** The scopes shopify.app.toml declares: what Shopify grants on install. */
function declaredScopes(): string {
  const toml = readFileSync("shopify.app.toml", "utf8");
  const match = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(toml);
  if (!match?.[1]) throw new Error("shopify.app.toml declares no access scopes");
  return match[1];
}

export async function startStack(opts: { shop?: string } = {}): Promise<Stack> {
  const shop = opts.shop ?? "e2e-photo-prints.myshopify.com";
  const apiKey = "e2e-api-key";
  const apiSecret = `e2e-secret-${Math.random().toString(36).slice(2)}`;
  const dir = mkdtempSync(join(tmpdir(), "e2e-stack-"));
  const databaseUrl = `file:${join(dir, "app.db")}`;
  await migrate(databaseUrl);

  const appPort = await freePort();
  const appUrl = `http://localhost:${appPort}`;
  const simulator = await startAuthSimulator({
    apiKey,
    apiSecret,
    appUrl,
    scopes: declaredScopes(),
    shops: [shop],
    dir,
  });
  let app: AppServer;
  try {
    app = await startAppServer({
      port: appPort,
      env: {
        SHOPIFY_API_KEY: apiKey,
        SHOPIFY_API_SECRET: apiSecret,
        SHOPIFY_APP_URL: appUrl,
        DATABASE_URL: databaseUrl,
        SHOPIFY_ADMIN_ORIGIN: simulator.origin,
        APP_BRIDGE_URL: `${simulator.origin}/app-bridge.js`,
      },
    });
  } catch (error) {
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    shop,
    apiKey,
    apiSecret,
    databaseUrl,
    simulator,
    app,
    stop: async () => {
      await app.stop();
      await simulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
