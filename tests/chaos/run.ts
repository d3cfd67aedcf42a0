// `npm run chaos`: the fault run. Shops on the simulator, paid orders of mixed shapes whose webhooks
// come three times, some reordered and some dropped, the Admin API failing (5xx, THROTTLED,
// mutations applied and then timed out) and the worker process SIGKILLed and restarted again and
// again; then it checks the simulator's state and the app's database for what was lost, applied
// twice or left stuck. Then fuzzed deliveries against the production server and a tenant check.
// Figures merge into tests/bench/results/latest.json; it exits 1 unless every one of them is 0.
import { randomBytes } from "node:crypto";
import { createClient, type Client } from "@libsql/client";
import { createSimulator } from "../../simulator/src/server";
import { freePort, startApp } from "../bench/support/app-process";
import { appendHistory, mergeResults, provenance, RESULTS_FILE } from "../bench/support/bench";
import { ensureBuild } from "../bench/support/build";
import { SCENARIOS, seedShops, type Locations } from "../bench/routing.bench";
import { startWorkerProcess, type AppChild } from "../support/processes";
import { runFuzz } from "./fuzz";
import { runTenantCheck } from "./tenant";

const setting = (name: string, fallback: number) => {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = flag?.split("=")[1] ?? process.env[`CHAOS_${name.toUpperCase()}`];
  return value !== undefined ? Number(value) : fallback;
};
const SHOPS = setting("shops", 20);
const ORDERS = setting("orders", 500);
const KILLS = setting("kills", 50);
const FUZZ = setting("fuzz", 10_000);
const SEED = setting("seed", Date.now() % 1_000_000);
// Share of orders that lose every webhook: only reconciliation (every 10 minutes) finds them, so a
// small run that must end sooner sets it to 0.
const SILENT = setting("silent", 0.05);
const API_KEY = "chaos-api-key";

// A small seeded generator, so a run can be replayed with CHAOS_SEED.
let state = SEED >>> 0 || 1;
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) =>
  console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);

type Sim = ReturnType<typeof createSimulator>;

async function control<T>(sim: Sim, path: string, body?: unknown): Promise<T> {
  const response = await sim.app.request(path, {
    method: body ? "POST" : "GET",
    headers: { "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status >= 300)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

interface SimOrder {
  transactions: { kind: string; status: string }[];
  fulfillmentOrders: {
    id: string;
    status: string;
    location: { name: string };
    lineItems: { sku: string; totalQuantity: number }[];
    holds: { handle: string | null; reason: string }[];
    requests: { kind: string }[];
  }[];
  fulfillments: { fulfillmentOrderIds: string[] }[];
  tags: string[];
}

/** Everything on the simulator that a Step applied twice would leave behind, for one order. */
function doubles(order: SimOrder): string[] {
  const found: string[] = [];
  const captures = order.transactions.filter((t) => t.kind === "CAPTURE" && t.status === "SUCCESS");
  if (captures.length > 1) found.push(`${captures.length} captures`);
  for (const fo of order.fulfillmentOrders) {
    const handles = fo.holds.map((h) => h.handle).filter((h): h is string => !!h);
    if (new Set(handles).size !== handles.length) found.push(`duplicate hold handle on ${fo.id}`);
    const requests = fo.requests.filter((r) => r.kind === "FULFILLMENT_REQUEST").length;
    if (requests > 1) found.push(`${requests} fulfillment requests on ${fo.id}`);
  }
  const fulfilled = order.fulfillments.flatMap((f) => f.fulfillmentOrderIds);
  if (new Set(fulfilled).size !== fulfilled.length)
    found.push("a fulfillment order fulfilled twice");
  return found;
}

/** The order's shape without ids: a split applied twice shows as more fulfillment orders. */
function shape(order: SimOrder): string {
  return JSON.stringify({
    fos: order.fulfillmentOrders
      .filter((fo) => fo.lineItems.some((l) => l.totalQuantity > 0))
      .map((fo) =>
        [
          fo.location.name,
          fo.status,
          fo.lineItems.map((l) => `${l.sku}×${l.totalQuantity}`).join(","),
          // Rule handles carry the rule's id, which differs from shop to shop.
          fo.holds
            .map((h) => (h.handle ?? h.reason).replace(/^fr-rule-[0-9a-f]+-/, "fr-rule-"))
            .join(","),
          fo.requests.length,
        ].join("|"),
      )
      .sort(),
    fulfillments: order.fulfillments.length,
    tags: [...order.tags].sort(),
  });
}

async function count(db: Client, sql: string, args: (string | number)[] = []): Promise<number> {
  const rows = await db.execute({ sql, args });
  return Number(rows.rows[0]?.[0] ?? 0);
}

async function main() {
  log(
    `seed ${SEED}: ${SHOPS} shops, ${ORDERS} orders, ${KILLS} worker kills, ${FUZZ} fuzzed deliveries`,
  );
  ensureBuild(log);
  const secret = randomBytes(24).toString("hex");
  const port = await freePort();
  const sim = createSimulator({
    apiKey: API_KEY,
    apiSecret: secret,
    appUrl: `http://127.0.0.1:${port}`,
    seed: "empty",
    randomSeed: SEED,
    // Shopify's retries of a failed delivery (hours) in seconds.
    timeScale: 0.001,
  });
  const simServer = await sim.start(0);
  const shops: { shop: string; accessToken: string; locations: Locations }[] = [];
  for (let i = 0; i < SHOPS; i++) {
    const shop = `chaos-${i + 1}.myshopify.com`;
    const created = await control<{ accessToken: string; locations: Locations }>(
      sim,
      "/_sim/shops",
      {
        shop,
        plan: "advanced",
      },
    );
    shops.push({ shop, accessToken: created.accessToken, locations: created.locations });
  }
  const app = await startApp({
    server: "server",
    label: "chaos",
    port,
    env: {
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: secret,
      SHOPIFY_ADMIN_ORIGIN: simServer.url,
    },
    prepare: (databaseUrl) => seedShops(databaseUrl, shops),
  });
  const workerEnv = {
    DATABASE_URL: app.databaseUrl,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: secret,
    SHOPIFY_APP_URL: app.url,
    SHOPIFY_ADMIN_ORIGIN: simServer.url,
  };
  let worker: AppChild = startWorkerProcess("worker", workerEnv);
  let workerOutput = "";
  const db = createClient({ url: app.databaseUrl });
  await db.execute("PRAGMA busy_timeout = 5000");
  const { createDb } = await import("../../app/db/client.server");
  const appDb = createDb(app.databaseUrl);
  const scenarios = Object.keys(SCENARIOS);
  let kills = 0;
  const failures: string[] = [];
  try {
    // One order per scenario without faults: the shape each should end in.
    const reference = new Map<string, string>();
    const referenceIds: { scenario: string; orderId: string }[] = [];
    for (const scenario of scenarios) {
      const { orderId } = await control<{ orderId: string }>(sim, "/_sim/orders", {
        shop: shops[0]!.shop,
        order: { ...SCENARIOS[scenario]!, payment: "paid" },
      });
      referenceIds.push({ scenario, orderId });
    }
    await waitFor(async () => {
      const open = await count(
        db,
        `SELECT COUNT(*) FROM (SELECT 1 FROM "Decision" WHERE "status" IN ('applied','needs_attention') AND "orderId" IN (${referenceIds.map(() => "?").join(",")}) GROUP BY "orderId")`,
        referenceIds.map((r) => r.orderId),
      );
      return open === referenceIds.length;
    }, 180_000);
    await quiet(sim, db);
    for (const { scenario, orderId } of referenceIds)
      reference.set(
        scenario,
        shape(await control<SimOrder>(sim, `/_sim/orders/${encodeURIComponent(orderId)}`)),
      );
    log(`reference orders decided: ${[...reference.keys()].join(", ")}`);

    await control(sim, "/_sim/faults", {
      errorRate: 0.1,
      throttleRate: 0.05,
      appliedThenTimeoutRate: 0.05,
      timeoutMs: 1500,
      dropWebhooksRate: 0.05,
    });

    // The worker is killed at random moments: half the kills while the orders come in, the rest
    // while they are being worked (routing, splits, captures) after the last one was placed.
    let placing = true;
    let killsDuringWork = 0;
    const duringIntake = Math.ceil(KILLS / 2);
    const workLeft = async () =>
      (await count(db, `SELECT COUNT(*) FROM "WebhookDelivery" WHERE "status" = 'received'`)) +
        (await appDb.job.count({
          where: {
            status: { in: ["queued", "running"] },
            queue: { in: ["route-order", "refresh-order"] },
            runAt: { lte: new Date(Date.now() + 60_000) },
          },
        })) >
      0;
    const killOnce = async () => {
      await worker.kill();
      workerOutput = (workerOutput + worker.output()).slice(-40_000);
      kills++;
      worker = startWorkerProcess("worker", workerEnv);
      if (!placing) {
        killsDuringWork++;
        if (kills % 10 === 0) log(`${kills} kills (${killsDuringWork} while orders were worked)`);
      }
    };
    const killer = (async () => {
      while (placing && kills < duringIntake) {
        await sleep(500 + random() * 4000);
        if (placing) await killOnce();
      }
      while (placing) await sleep(200);
      // After the last order: kills while jobs are queued or running, 1–3 s apart (a restarted
      // worker needs a moment to take its jobs again, so each kill lands inside some work).
      while (kills < KILLS) {
        await sleep(1000 + random() * 2000);
        if (!(await workLeft())) break;
        await killOnce();
      }
    })();

    const orders: { shop: string; orderId: string; scenario: string }[] = [];
    // Some orders lose every webhook (orders/create, orders/paid, order_routing_complete): only
    // reconciliation, which asks Shopify for paid orders without a decision, can find them.
    const unannounced = new Set<string>();
    for (let i = 0; i < ORDERS; i++) {
      const shop = shops[i % shops.length]!.shop;
      const scenario = scenarios[Math.floor(random() * scenarios.length)]!;
      const reorder = random() < 0.2;
      const silent = random() < SILENT;
      // A fifth of the orders have their webhooks held back and sent newest first.
      if (reorder) await control(sim, "/_sim/faults", { reorderWebhooksWindowMs: 300 });
      if (silent) await control(sim, "/_sim/faults", { dropWebhooksRate: 1 });
      const { orderId } = await control<{ orderId: string }>(sim, "/_sim/orders", {
        shop,
        order: { ...SCENARIOS[scenario]!, payment: "paid" },
        deliver: { duplicates: 2 },
      });
      if (silent) {
        await control(sim, "/_sim/faults", { dropWebhooksRate: 0.05 });
        unannounced.add(orderId);
      }
      if (reorder) await control(sim, "/_sim/faults", { reorderWebhooksWindowMs: 0 });
      orders.push({ shop, orderId, scenario });
      if ((i + 1) % 50 === 0) log(`${i + 1} orders placed, ${kills} kills`);
      await sleep(random() * 60);
    }
    placing = false;
    log(
      `all ${orders.length} orders placed (${unannounced.size} without any webhook); ${kills} kills so far; killing on while they are worked`,
    );

    // A dropped delivery of each kind may leave an order unknown to the app: reconciliation
    // (at every worker start, then every 10 minutes) finds it. Wait for every order to be decided.
    const ids = orders.map((o) => o.orderId);
    const decidedCount = () =>
      count(
        db,
        `SELECT COUNT(DISTINCT "orderId") FROM "Decision" WHERE "status" IN ('applied','needs_attention') AND "trigger" IN ('webhook','reconciliation')`,
      );
    const everyone = ids.length + referenceIds.length;
    const done = await waitFor(
      async () => (await decidedCount()) >= everyone,
      15 * 60_000,
      () => decidedCount().then((n) => log(`${n} of ${everyone} orders decided`)),
    );
    if (!done) log("not every order was decided in 15 minutes");
    await killer;
    log(`${kills} kills, ${killsDuringWork} of them after the last order was placed`);
    await control(sim, "/_sim/faults", { reset: true });
    await quiet(sim, db);

    // The checks, on the simulator's state and the app's database.
    let lost = 0;
    let doubleApplied = 0;
    let changedShape = 0;
    for (const order of orders) {
      const decisions = await count(
        db,
        `SELECT COUNT(*) FROM "Decision" WHERE "shop" = ? AND "orderId" = ? AND "trigger" IN ('webhook','reconciliation') AND "status" IN ('applied','needs_attention')`,
        [order.shop, order.orderId],
      );
      if (decisions === 0) {
        lost++;
        failures.push(`${order.orderId} (${order.shop}): no decision`);
      } else if (decisions > 1) {
        doubleApplied++;
        failures.push(`${order.orderId} (${order.shop}): ${decisions} automatic decisions`);
      }
      const simOrder = await control<SimOrder>(
        sim,
        `/_sim/orders/${encodeURIComponent(order.orderId)}`,
      );
      const twice = doubles(simOrder);
      if (twice.length > 0) {
        doubleApplied++;
        failures.push(`${order.orderId} (${order.shop}): ${twice.join("; ")}`);
      }
      if (shape(simOrder) !== reference.get(order.scenario)) {
        changedShape++;
        if (changedShape <= 5)
          log(
            `${order.orderId} (${order.scenario}) differs from its reference:\n  ${shape(simOrder)}\n  ${reference.get(order.scenario)}`,
          );
      }
    }
    const stuck =
      (await count(
        db,
        `SELECT COUNT(*) FROM "Decision" WHERE "status" IN ('planned','applying')`,
      )) +
      (await count(db, `SELECT COUNT(*) FROM "WebhookDelivery" WHERE "status" = 'received'`)) +
      (await count(
        db,
        `SELECT COUNT(*) FROM "Job" WHERE "status" IN ('queued','running','failed') AND "queue" IN ('route-order','refresh-order')`,
      ));
    if (stuck > 0) failures.push(`${stuck} decisions, deliveries or jobs left unfinished`);

    // Every delivery the app acknowledged is stored exactly once.
    let unstored = 0;
    for (const { shop } of shops) {
      const logged = await control<{ deliveries: { webhookId: string; status: string }[] }>(
        sim,
        `/_sim/webhooks?shop=${shop}`,
      );
      for (const d of logged.deliveries.filter((x) => x.status === "delivered")) {
        const stored = await count(
          db,
          `SELECT COUNT(*) FROM "WebhookDelivery" WHERE "webhookId" = ?`,
          [d.webhookId],
        );
        if (stored !== 1) unstored++;
      }
    }
    if (unstored > 0) {
      lost += unstored;
      failures.push(`${unstored} acknowledged deliveries not stored once`);
    }
    // The orders no webhook announced: each must have been decided through reconciliation.
    let reconciled = 0;
    for (const orderId of unannounced)
      reconciled += Math.min(
        1,
        await count(
          db,
          `SELECT COUNT(*) FROM "Decision" WHERE "orderId" = ? AND "trigger" = 'reconciliation' AND "status" IN ('applied','needs_attention')`,
          [orderId],
        ),
      );
    if (reconciled < unannounced.size)
      failures.push(
        `${unannounced.size - reconciled} orders without webhooks not decided by reconciliation`,
      );
    const chaos = {
      orders: orders.length,
      lost,
      double_applied: doubleApplied,
      stuck,
      kills,
      kills_during_work: killsDuringWork,
      unannounced: unannounced.size,
      found_by_reconciliation: reconciled,
    };
    log(
      `chaos: ${JSON.stringify(chaos)}; ${changedShape} orders ended in another shape than their reference`,
    );

    const fuzz = await runFuzz({
      appUrl: app.url,
      secret,
      db,
      sim,
      shops: shops.map((s) => s.shop),
      sent: FUZZ,
      random,
    });
    log(`fuzz: ${JSON.stringify({ ...fuzz, findings: fuzz.findings.slice(0, 5) })}`);
    failures.push(...fuzz.findings.slice(0, 20));

    const tenant = await runTenantCheck({
      appUrl: app.url,
      apiKey: API_KEY,
      secret,
      db: appDb,
      shops: [shops[0]!.shop, shops[1 % shops.length]!.shop],
    });
    log(`tenant check: ${tenant.checked} requests, ${tenant.leaks} leaks`);
    failures.push(...tenant.findings);

    const figures = {
      chaos,
      fuzz: { sent: fuzz.sent, non_4xx: fuzz.non4xx, stored: fuzz.stored },
      tenant_leaks: tenant.leaks,
    };
    const run = provenance();
    mergeResults(figures, run);
    appendHistory({ provenance: run, benches: ["chaos"], figures, missed: failures, failed: [] });
    console.log(JSON.stringify(figures, null, 2));
    console.log(`Written to ${RESULTS_FILE}`);
    const clean =
      reconciled === unannounced.size &&
      lost === 0 &&
      doubleApplied === 0 &&
      stuck === 0 &&
      fuzz.non4xx === 0 &&
      fuzz.stored === 0 &&
      tenant.leaks === 0;
    if (!clean) console.log(`Findings:\n  ${failures.slice(0, 40).join("\n  ")}`);
    return clean;
  } catch (error) {
    console.error(error);
    console.error(`Worker output (tail):\n${(workerOutput + worker.output()).slice(-4000)}`);
    console.error(`App output (tail):\n${app.output().slice(-3000)}`);
    return false;
  } finally {
    db.close();
    await appDb.$disconnect();
    await worker.stop();
    await app.stop();
    app.cleanup();
    await simServer.stop();
  }

  /** Waits until the simulator has nothing to deliver and the app has nothing left to do. */
  async function quiet(simulator: Sim, client: Client) {
    await waitFor(async () => {
      const idle = await simulator.app.request("/_sim/webhooks/idle?timeoutMs=1000");
      if (idle.status !== 200) return false;
      const busy =
        (await count(
          client,
          `SELECT COUNT(*) FROM "WebhookDelivery" WHERE "status" = 'received'`,
        )) +
        (await appDb.job.count({
          where: {
            status: { in: ["queued", "running"] },
            queue: { in: ["route-order", "refresh-order"] },
            // A job planned for later (an order waiting at the gate) is not work left now.
            runAt: { lte: new Date(Date.now() + 60_000) },
          },
        }));
      return busy === 0;
    }, 5 * 60_000);
  }
}

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  progress?: () => Promise<void>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastProgress = Date.now();
  while (Date.now() < deadline) {
    if (await check()) return true;
    if (progress && Date.now() - lastProgress > 15_000) {
      lastProgress = Date.now();
      await progress();
    }
    await sleep(500);
  }
  return false;
}

process.exit((await main()) ? 0 : 1);
