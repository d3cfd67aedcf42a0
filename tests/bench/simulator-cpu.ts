// What the shop simulator and the load cost per routed order, without the rest of the fleet: the scale benchmark's simulator (20 Standard shops, Admin latency 100 ms) and its way of placing orders in this process, the app played by simulator-cpu/app.ts in another (every webhook answered, the worker's routing read sent for each orders/paid), and this process's CPU per order over windows of orders (ADR 047).
// Run by hand from a tree's root: `npx tsx tests/bench/simulator-cpu.ts [--shops=20] [--orders=20]
// [--windows=5]` (--orders: per shop and window). Not a figure: in the scale benchmark the same
// CPU per order moves with PostgreSQL's and the workers' share of the machine, and its spread
// under other work was as large as a change worth making, so a change to the simulator is judged
// here, run after run alternating with the tree before it. A profile's times are wall time while
// the thread ran, so read a profile for shares and this for CPU.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { HttpPoster } from "../../simulator/src/http-post";
import { createSimulator } from "../../simulator/src/server";
import { percentile } from "./support/stats";

const option = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const shopCount = option("shops", 20);
const perShop = option("orders", 20);
const windows = option("windows", 5);

const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(readFileSync("shopify.app.toml", "utf8"))![1]!;
const sim = createSimulator({
  apiKey: "bench-api-key",
  apiSecret: "bench-api-secret",
  appUrl: "http://127.0.0.1:9",
  scopes,
  seed: "empty",
  timeScale: 0.001,
});
const started = await sim.start(0);
const shops = Array.from({ length: shopCount }, (_, i) => `bench-${i + 1}.myshopify.com`);
const tokens: Record<string, string> = {};
for (const shop of shops) {
  const seeded = sim.addShop(shop, "standard", "demo");
  for (const variant of seeded.variants.values()) variant.inventoryPolicy = "CONTINUE";
  tokens[shop] = sim.mintToken(shop);
}
const app = spawn(
  process.execPath,
  ["--import", "tsx", fileURLToPath(new URL("./simulator-cpu/app.ts", import.meta.url))],
  {
    env: { ...process.env, SIM_URL: started.url, SIM_TOKENS: JSON.stringify(tokens) },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const appUrl = await new Promise<string>((resolve, reject) => {
  app.stdout!.on("data", (chunk: Buffer) => {
    const m = /listening (\S+)/.exec(String(chunk));
    if (m) resolve(m[1]!);
  });
  app.on("exit", (code) => reject(new Error(`the app's stand-in exited (${code})`)));
});
sim.setAppUrl(appUrl);
sim.faults.set({ latencyMs: 100 });

// The load as the fleet places it (tests/bench/support/fleet.ts): one order a shop at a time.
const poster = new HttpPoster();
const SKUS = ["PRINT-MATTE-A4", "PRINT-LUSTRE-A4", "PRINT-MATTE-A3"];
let placed = 0;
async function placeOrder(shop: string): Promise<void> {
  placed += 1;
  const order = { lineItems: [{ sku: SKUS[placed % SKUS.length], quantity: 1 }], payment: "paid" };
  const answer = await poster.post(
    `${started.url}/_sim/orders`,
    { "Content-Type": "application/json" },
    JSON.stringify({ shop, order }),
    300_000,
  );
  if (answer.status !== 201) throw new Error(`the simulator refused an order: ${answer.body}`);
}
const progress = async () =>
  (await (await fetch(appUrl)).json()) as { read: number; failed: number; connections: number };

let opened = 0;
/** CPU ms of this process per order, from the first order placed to the last routing read. */
async function window(rounds: number): Promise<number> {
  const { read: before, connections } = await progress();
  const cpu = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await Promise.all(shops.map(placeOrder));
  const deadline = Date.now() + 300_000;
  while ((await progress()).read < before + rounds * shops.length) {
    if (Date.now() > deadline) throw new Error("the routing reads did not all come back");
    await new Promise((r) => setTimeout(r, 100));
  }
  const used = process.cpuUsage(cpu);
  opened = (await progress()).connections - connections;
  return (used.user + used.system) / 1000 / (rounds * shops.length);
}

try {
  // One order a shop first, as the scale benchmark warms its fleet.
  await window(1);
  const perOrder: number[] = [];
  for (let w = 1; w <= windows; w++) {
    const ms = await window(perShop);
    perOrder.push(ms);
    const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
    console.log(
      `window ${w}: ${ms.toFixed(3)} ms of CPU per order, ${opened} connections opened to the app (load average ${load})`,
    );
  }
  const { failed } = await progress();
  console.log(
    `simulator and load: median ${percentile(
      [...perOrder].sort((a, b) => a - b),
      50,
    ).toFixed(
      3,
    )} ms of CPU per order over ${windows} windows of ${perShop * shops.length} orders; ${failed} routing reads refused`,
  );
  if (failed > 0) process.exitCode = 1;
} finally {
  app.kill();
  poster.close();
  await started.stop();
}
