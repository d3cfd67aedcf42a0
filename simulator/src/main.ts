// Starts the shop simulator from the environment (tsx simulator/src/main.ts): SIM_PORT, SHOPIFY_API_KEY, SHOPIFY_API_SECRET, APP_URL, SIM_STATE_DIR, SIM_SEED, SIM_TIME_SCALE.
import { createSimulator } from "./server.ts";
import { DEMO_SHOP } from "./seed/demo.ts";

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === "" ? undefined : v;
}

function fail(message: string): never {
  console.error(`shop simulator: ${message}`);
  process.exit(1);
}

const port = Number(env("SIM_PORT") ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`SIM_PORT must be a port number, got "${env("SIM_PORT")}"`);
const seed = env("SIM_SEED") ?? "demo";
if (seed !== "demo" && seed !== "empty") fail(`SIM_SEED must be "demo" or "empty", got "${seed}"`);
const timeScale = Number(env("SIM_TIME_SCALE") ?? 1);
if (!(timeScale > 0))
  fail(`SIM_TIME_SCALE must be a positive number, got "${env("SIM_TIME_SCALE")}"`);
const appUrl = env("APP_URL") ?? env("SHOPIFY_APP_URL") ?? "http://localhost:3000";
try {
  new URL(appUrl);
} catch {
  fail(`APP_URL must be a full URL, got "${appUrl}"`);
}
const apiKey = env("SHOPIFY_API_KEY");
const apiSecret = env("SHOPIFY_API_SECRET");
if (!apiKey || !apiSecret) {
  // Without the app's real pair, session tokens and webhook HMACs would not verify in the app.
  console.warn(
    "shop simulator: SHOPIFY_API_KEY / SHOPIFY_API_SECRET not set; using sim-api-key / sim-api-secret (the app must use the same pair)",
  );
}

const host = env("SIM_HOST") ?? "127.0.0.1";
const sim = createSimulator({
  apiKey: apiKey ?? "sim-api-key",
  apiSecret: apiSecret ?? "sim-api-secret",
  appUrl,
  seed,
  stateDir: env("SIM_STATE_DIR"),
  timeScale,
  log: (line) => console.log(`shop simulator: ${line}`),
  // Port 0 is chosen when listening: the demo links then follow the port start() gets.
  publicUrl: port ? `http://${host}:${port}` : undefined,
});
const server = await sim.start(port, host);
console.log(`shop simulator: listening on ${server.url}`);
console.log(`  Admin API   ${server.url}/admin/api/2026-10/graphql.json`);
console.log(`  control     ${server.url}/_sim (see simulator/README.md)`);
console.log(
  `  webhooks    → ${appUrl} (${sim.subscriptions.length} subscriptions from shopify.app.toml)`,
);
if (seed === "demo")
  console.log(
    `  demo shop   ${DEMO_SHOP}; open the app: ${server.url}/_sim/open?shop=${DEMO_SHOP}`,
  );

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
