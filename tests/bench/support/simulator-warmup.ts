// Warms the shop simulator's code up in the benchmark's process before anything is measured
// (ADR 066). The simulator runs inside the benchmark's process, and V8 was still compiling its code
// about 1,200 orders in (ADR 061): a first fleet paid 1–2 ms an order of the simulator's warm-up,
// which a real Shopify, warm long before the app's first order, never charges. A throwaway
// simulator with the fleet's shops, plan and Admin latency takes `orders` paid orders, placed a
// round of one a shop at a time as the fleet's load places them; a stand-in for the app
// (stand-in-app.ts) takes the three webhooks of each and sends the worker's routing read for its
// orders/paid. Nothing of it is counted: it runs, and stops, before a fleet starts.
import { readFileSync } from "node:fs";
import { HttpPoster } from "../../../simulator/src/http-post";
import { createSimulator } from "../../../simulator/src/server";
import { APP_NOT_STARTED } from "../../support/processes";
import { BURST_SKUS, postPaidOrder } from "./fleet";
import { startStandInApp } from "./stand-in-app";

export async function warmSimulator(options: {
  shops: number;
  plan: string;
  orders: number;
  latencyMs: number;
  log: (line: string) => void;
  /** Orders per logged window of this process's CPU per order. */
  window?: number;
}): Promise<void> {
  const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(readFileSync("shopify.app.toml", "utf8"))![1]!;
  const sim = createSimulator({
    apiKey: "bench-api-key",
    apiSecret: "bench-api-secret",
    appUrl: APP_NOT_STARTED,
    scopes,
    seed: "empty",
    timeScale: 0.001,
  });
  const started = await sim.start(0);
  const shops = Array.from({ length: options.shops }, (_, i) => `warm-${i + 1}.myshopify.com`);
  const tokens: Record<string, string> = {};
  for (const shop of shops) {
    const seeded = sim.addShop(shop, options.plan as never, "demo");
    for (const variant of seeded.variants.values()) variant.inventoryPolicy = "CONTINUE";
    tokens[shop] = sim.mintToken(shop);
  }
  const app = await startStandInApp(started.url, tokens);
  const poster = new HttpPoster();
  try {
    sim.setAppUrl(app.url);
    sim.faults.set({ latencyMs: options.latencyMs });
    const rounds = Math.ceil(options.orders / shops.length);
    const perWindow = Math.max(1, Math.round((options.window ?? 200) / shops.length));
    const windows: string[] = [];
    let placed = 0;
    for (let round = 0; round < rounds; round += perWindow) {
      const cpu = process.cpuUsage();
      const before = placed;
      for (let r = round; r < Math.min(rounds, round + perWindow); r++) {
        await Promise.all(
          shops.map((shop) => postPaidOrder(poster, started.url, shop, BURST_SKUS[r % 3]!)),
        );
        placed += shops.length;
      }
      const deadline = Date.now() + 120_000;
      while (app.progress().read < placed) {
        if (Date.now() > deadline)
          throw new Error(
            `the simulator's warm-up: ${placed - app.progress().read} routing reads not answered in 120 s`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const used = process.cpuUsage(cpu);
      windows.push(((used.user + used.system) / 1000 / (placed - before)).toFixed(1));
    }
    const { failed } = app.progress();
    if (failed > 0) throw new Error(`the simulator's warm-up: ${failed} routing reads refused`);
    options.log(
      `the simulator warmed up on ${placed} orders (not measured), this process's CPU per order in windows of ${perWindow * shops.length} (the simulator, the load and the app's stand-in): ${windows.join(", ")} ms`,
    );
  } finally {
    poster.close();
    await app.close();
    await started.stop();
  }
}
