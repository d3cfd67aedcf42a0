// `npm run demo`: the shop simulator with a seeded photo-and-print shop, the app on its embedded
// SQLite default with its worker, and the one URL to open. Ctrl-C stops everything it started.
// `npm run demo -- --postgres`: the same on a throwaway PostgreSQL server (Debian's package, as the
// tests start it) with the queue on pg-boss and two worker processes beside the web process.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { migrate } from "../app/db/migrate.server";
import { createDb } from "../app/db/client.server";
import { ShopBudgets } from "../app/shopify/budget";
import { createAdminGateway } from "../app/shopify/gateway.server";
import { demoFreshOrders, seedDemoConfig, seedDemoLabHistory } from "./demo-config";
import { startExtensionsPreview, type PreviewServer } from "./extensions-preview";
import { postgresUnavailableReason, startPostgres } from "../tests/support/postgres";

const root = process.cwd();
const SIM_PORT = Number(process.env.SIM_PORT ?? 8787);
const PREVIEW_PORT = Number(process.env.PREVIEW_PORT ?? 8788);
const PORT = Number(process.env.PORT ?? 3000);
const API_KEY = process.env.SHOPIFY_API_KEY ?? "demo-api-key";
const API_SECRET = process.env.SHOPIFY_API_SECRET ?? "demo-api-secret";
const DEMO_SHOP = "fulfilment-router-demo.myshopify.com";
const simUrl = `http://127.0.0.1:${SIM_PORT}`;
const appUrl = `http://localhost:${PORT}`;
const openUrl = `${simUrl}/_sim/open?shop=${DEMO_SHOP}`;
// Where the demo keeps its database and the simulator's issued tokens between runs.
const dataDir = process.env.DEMO_DATA_DIR ?? join(root, "prisma/data");
const postgres = process.argv.includes("--postgres");
let databaseUrl = process.env.DATABASE_URL ?? `file:${join(dataDir, "demo.db")}`;

const children: ChildProcess[] = [];

// Until the merchant opens the URL the shop has no offline token, so every route job and webhook
// fails on it and is retried, a line each: said once with the URL again, instead of burying it.
const NO_SESSION = /No offline session for /;
let noSessionSaid = false;

function start(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
): ChildProcess {
  // Each child leads its own process group, so stopping it stops what it started too (npm
  // leaves remix-serve running when only npm is killed).
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = (line: string) => `[${name}] ${line}`;
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let rest = "";
    stream.on("data", (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim() || (NO_SESSION.test(line) && noSessionSaid)) continue;
        out.write(`${prefix(line)}\n`);
        if (!NO_SESSION.test(line)) continue;
        noSessionSaid = true;
        out.write(
          `The demo shop has no offline token until you open ${openUrl} (the first load exchanges the session token for one): its orders wait and are retried until then. Lines like the one above are left out from here on.\n`,
        );
      }
    });
  };
  pipe(child.stdout!, process.stdout);
  pipe(child.stderr!, process.stderr);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped (${signal ?? `exit ${code}`}); stopping the demo.`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

/**
 * Whether nothing listens on `port`, on any address (the app listens on all of them, and on Linux
 * that is refused while another program holds the port on 127.0.0.1 alone).
 */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/**
 * The demo's ports are fixed, as a person opens them by hand (the preview moves to a free one by
 * itself): one another program holds fails the demo here, naming its variable, rather than once
 * the app died of EADDRINUSE while that program answered for it.
 */
async function checkPorts() {
  for (const [name, port] of [
    ["PORT", PORT],
    ["SIM_PORT", SIM_PORT],
  ] as const) {
    if (await portFree(port)) continue;
    throw new Error(
      `Port ${port} (${name}) is in use by another program: stop it, or start the demo on another port, e.g. ${name}=${port + 1} npm run demo`,
    );
  }
}

// Only the app's (or the simulator's) own answer counts: another server on the port may answer
// the path with a 404.
async function waitFor(url: string, what: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(url, {
        headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36" },
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

function run(command: string, args: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}`)),
    );
  });
}

async function main() {
  await checkPorts();
  mkdirSync(dataDir, { recursive: true });
  // The app's build, and on PostgreSQL the worker's (`npm run worker` runs build/worker/index.js).
  const builds = ["build/server/index.js", ...(postgres ? ["build/worker/index.js"] : [])];
  const built = builds.every((file) => existsSync(join(root, file)));
  if (process.env.DEMO_SKIP_BUILD !== "1" || !built) {
    console.log("Building the app…");
    await run("npm", ["run", "-s", "build"]);
  }
  if (postgres) {
    const cluster = await startPostgres();
    if (!cluster) throw new Error(`--postgres: ${postgresUnavailableReason()}`);
    // Stopped and deleted when the demo exits (startPostgres arranges it).
    databaseUrl = cluster.url;
    console.log("PostgreSQL started (a throwaway server; its data goes when the demo stops).");
  }
  const applied = await migrate(databaseUrl);
  if (applied.applied.length)
    console.log(`Database ready (${applied.applied.length} migration(s) applied).`);

  start("simulator", process.execPath, ["--import", "tsx", "simulator/src/main.ts"], {
    SIM_PORT: String(SIM_PORT),
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    APP_URL: appUrl,
    SIM_STATE_DIR: join(dataDir, "simulator"),
    SIM_SEED: "demo",
  });
  await waitFor(`${simUrl}/_sim/shops`, "The shop simulator");
  const catalogue = (await (await fetch(`${simUrl}/_sim/products?shop=${DEMO_SHOP}`)).json()) as {
    locations: { id: string; name: string; fulfillmentService: { handle: string } | null }[];
  };
  const db = createDb(databaseUrl);
  await seedDemoConfig(db, DEMO_SHOP, catalogue.locations);
  // Two prints sent to Partner Lab earlier: one stuck, one drifted (the Stuck and Drift views).
  const control = async <T>(method: "GET" | "POST", path: string, body?: unknown) => {
    const answer = await fetch(`${simUrl}${path}`, {
      method,
      headers: body ? { "Content-Type": "application/json" } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}`);
    return (await answer.json()) as T;
  };
  const { accessToken } = await control<{ accessToken: string }>("POST", "/_sim/tokens", {
    shop: DEMO_SHOP,
  });
  const gateway = createAdminGateway({
    shop: DEMO_SHOP,
    accessToken,
    adminOrigin: simUrl,
    budgets: new ShopBudgets(),
  });
  await seedDemoLabHistory({ db, gateway, control, now: () => new Date() }, DEMO_SHOP);
  await db.$disconnect();

  const appEnv = {
    NODE_ENV: "production",
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: appUrl,
    DATABASE_URL: databaseUrl,
    SHOPIFY_ADMIN_ORIGIN: simUrl,
    APP_BRIDGE_URL: `${simUrl}/app-bridge.js`,
  };
  start("app", "npm", ["start", "--silent"], {
    ...appEnv,
    PORT: String(PORT),
    // On PostgreSQL the jobs go to worker processes of their own, as in production.
    WORKER: postgres ? "off" : "embedded",
  });
  await waitFor(`${appUrl}/health`, "The app");
  if (postgres) {
    for (const n of [1, 2]) start(`worker ${n}`, "npm", ["run", "--silent", "worker"], appEnv);
  }

  // A few fresh paid orders, delivered to the app as Shopify would: webhooks with real HMACs.
  const fresh = demoFreshOrders(simUrl);
  const placed: string[] = [];
  for (const order of fresh) {
    const answer = await fetch(`${simUrl}/_sim/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: DEMO_SHOP, order }),
    });
    const { orderId } = (await answer.json()) as { orderId: string };
    placed.push(orderId.slice(orderId.lastIndexOf("/") + 1));
  }

  // The admin extensions, as Shopify admin would show them (no admin here): the preview page.
  const previewOptions = { appUrl, simulatorUrl: simUrl, shop: DEMO_SHOP };
  let preview: PreviewServer;
  try {
    preview = await startExtensionsPreview({ ...previewOptions, port: PREVIEW_PORT });
  } catch {
    // The port is taken (another demo): any free one will do.
    preview = await startExtensionsPreview({ ...previewOptions, port: 0 });
  }

  console.log("");
  console.log(
    postgres
      ? "Fulfilment Router is running against the shop simulator, on PostgreSQL with two workers."
      : "Fulfilment Router is running against the shop simulator.",
  );
  console.log(`Open this URL in your browser (it signs you in as Shopify admin would):`);
  console.log("");
  console.log(`    ${openUrl}`);
  console.log("");
  console.log("The order block and the order list's action, as Shopify admin shows them:");
  console.log(`    ${preview.url}/orders/${placed[0]}`);
  console.log(`    ${preview.url}/orders?selected=${placed.join(",")}`);
  console.log("");
  console.log(
    `Make more orders: curl -X POST ${simUrl}/_sim/orders -H 'Content-Type: application/json' \\`,
  );
  console.log(
    `  -d '{"shop":"${DEMO_SHOP}","order":{"lineItems":[{"sku":"PRINT-MATTE-A4","quantity":1}],"payment":"paid"}}'`,
  );
  console.log("Press Ctrl-C to stop.");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void stop(1);
});
