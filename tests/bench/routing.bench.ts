// Routing as a merchant lives it, through the production server (server/index.ts) with its embedded
// worker and production settings, the simulator playing Shopify:
// - paid_to_applied_ms: from the simulator sending orders/paid to the simulator's own state showing
//   the change the rules asked for (the last `updatedAt` Shopify's state recorded for the order
//   before the app's decision was final), with 100 ms added to every Admin API call; orders whose
//   decision ends in needs-attention are counted apart (routing_outcomes), not as applied. Both
//   ends are times the simulator recorded: how often the bench looks changes no figure.
// - admin_points_per_order: the points Shopify's bucket lost for one order, everything the app did
//   because of it (reads, mutations, refreshes after its own changes), one order at a time;
//   admin_points_requested_max: the highest requested cost of any one query.
// - standard_shop_orders_per_s: orders decided per second on a Standard shop (100 points/s) once
//   its bucket is empty, i.e. what the API budget lets the app sustain.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createClient, type Client } from "@libsql/client";
import { createSimulator } from "../../simulator/src/server";
import { APP_NOT_STARTED } from "../support/processes";
import { startApp } from "./support/app-process";
import { defineBench, median, repeat, sized, type BenchContext } from "./support/bench";
import { ensureBuild } from "./support/build";
import { percentile } from "./support/stats";

const DEMO_SHOP = "fulfilment-router-demo.myshopify.com";
const STANDARD_SHOP = "bench-standard.myshopify.com";
const API_KEY = "bench-api-key";
const LATENCY_MS = 100;
/** The scopes a shop grants the app: shopify.app.toml's, as a managed installation asks for them. */
const SCOPES = /^scopes = "([^"]+)"/m.exec(readFileSync("shopify.app.toml", "utf8"))![1]!;

export const SCENARIOS: Record<
  string,
  { lineItems: { sku: string; quantity: number }[]; riskLevel?: string }
> = {
  digital: { lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }] },
  lab_review: { lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 2 }] },
  capability_split: {
    lineItems: [
      { sku: "PRINT-LUSTRE-A4", quantity: 1 },
      { sku: "CANVAS-60x90-WRAP", quantity: 1 },
    ],
  },
  three_lines: {
    lineItems: [
      { sku: "PRINT-MATTE-A4", quantity: 1 },
      { sku: "PRINT-LUSTRE-A4", quantity: 2 },
      { sku: "CANVAS-60x90-WRAP", quantity: 1 },
    ],
  },
  high_risk: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], riskLevel: "HIGH" },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Sim = ReturnType<typeof createSimulator>;

interface OrderState {
  updatedAt: string;
  financialStatus: string;
  tags: string[];
  fulfillmentOrders: { updatedAt: string }[];
  fulfillments: { createdAt: string }[];
  transactions: { createdAt: string }[];
}

/** An order as the simulator holds it: what the app can change, and when Shopify last changed it. */
interface OrderView {
  state: string;
  /**
   * The simulator's own time of its last change to the order (ms since the epoch): the latest of
   * the order's and its fulfillment orders' `updatedAt` (Shopify's fields, which every change
   * sets) and of its fulfillments' and transactions' `createdAt`.
   */
  changedAt: number;
}

async function orderView(sim: Sim, orderId: string): Promise<OrderView> {
  const response = await sim.app.request(`/_sim/orders/${encodeURIComponent(orderId)}`);
  if (response.status !== 200) throw new Error(`/_sim/orders answered ${response.status}`);
  const o = (await response.json()) as OrderState;
  const times = [
    o.updatedAt,
    ...o.fulfillmentOrders.map((f) => f.updatedAt),
    ...o.fulfillments.map((f) => f.createdAt),
    ...o.transactions.map((t) => t.createdAt),
  ].map((at) => Date.parse(at));
  return {
    // What the app changed, without the times: a hold placed and released again is no change.
    state: JSON.stringify([
      o.financialStatus,
      o.tags,
      o.fulfillmentOrders.map(({ updatedAt: _changed, ...rest }) => rest),
      o.fulfillments,
      o.transactions,
    ]),
    changedAt: Math.max(...times),
  };
}

export async function control<T>(sim: Sim, path: string, body?: unknown): Promise<T> {
  const response = await sim.app.request(path, {
    method: body ? "POST" : "GET",
    headers: { "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status >= 300)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** When the simulator first sent the order's orders/paid delivery (ms since the epoch). */
async function paidSentAt(sim: Sim, shop: string, orderId: string): Promise<number | null> {
  const log = await control<{
    deliveries: { payload: { admin_graphql_api_id?: string }; attempts: { at: string }[] }[];
  }>(sim, `/_sim/webhooks?shop=${shop}&topic=orders/paid`);
  const delivery = log.deliveries.find((d) => d.payload.admin_graphql_api_id === orderId);
  const first = delivery?.attempts[0];
  return first ? Date.parse(first.at) : null;
}

/** A decision's time as the database returns it (an ISO text or ms since the epoch). */
function timeOf(value: unknown): number {
  return typeof value === "number" || typeof value === "bigint"
    ? Number(value)
    : Date.parse(String(value));
}

interface Tracked {
  shop: string;
  orderId: string;
  scenario: string;
  /** The order as checkout left it. */
  placed: OrderView;
  /** The order as the simulator held it when the app had finished its decision. */
  decided?: OrderView;
  outcome?: string;
  /** When the app recorded the final decision (its appliedAt). */
  decidedAt?: number;
}

/** How often the bench looks for finished decisions: bench pace only, never part of a figure. */
const WATCH_EVERY_MS = 100;

/**
 * Waits until each order has a final decision (applied or needs attention) in the app's database
 * and reads the order from the simulator once then. The figures come from the times the
 * simulator and the app recorded, so how often this looks changes no figure, and looking
 * rarely leaves the two cores to the app and the simulator.
 */
async function watch(sim: Sim, db: Client, orders: Tracked[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let open = orders.filter((o) => !o.outcome);
  while (open.length > 0 && Date.now() < deadline) {
    for (const shop of new Set(open.map((o) => o.shop))) {
      const ids = open.filter((o) => o.shop === shop).map((o) => o.orderId);
      const rows = await db.execute({
        sql: `SELECT "orderId", "status", "appliedAt" FROM "Decision" WHERE "shop" = ? AND "status" IN ('applied','needs_attention') AND "orderId" IN (${ids.map(() => "?").join(",")})`,
        args: [shop, ...ids],
      });
      for (const row of rows.rows) {
        const order = open.find((o) => o.shop === shop && o.orderId === String(row.orderId));
        if (!order || order.outcome) continue;
        order.outcome = String(row.status);
        order.decidedAt = timeOf(row.appliedAt);
        order.decided = await orderView(sim, order.orderId);
      }
    }
    open = orders.filter((o) => !o.outcome);
    if (open.length > 0) await sleep(WATCH_EVERY_MS);
  }
}

/**
 * Waits until the shop's bucket has lost no point for `quietMs` while no decision of the shop
 * is being applied and no job runs (on a busy machine a pause between two calls of one order
 * is no end of its work), or until `timeoutMs` has passed.
 */
async function untilQuiet(sim: Sim, db: Client, shop: string, quietMs: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let spent = sim.stats.for(shop).pointsSpent;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(100);
    const now = sim.stats.for(shop).pointsSpent;
    const busy = await db.execute({
      sql: `SELECT (SELECT COUNT(*) FROM "Decision" WHERE "shop" = ? AND "status" = 'applying') + (SELECT COUNT(*) FROM "Job" WHERE "status" = 'running') AS "busy"`,
      args: [shop],
    });
    if (now !== spent || Number(busy.rows[0]?.busy ?? 0) > 0) quietSince = Date.now();
    spent = now;
    if (Date.now() - quietSince >= quietMs) return;
  }
}

async function newOrder(sim: Sim, shop: string, scenario: string): Promise<Tracked> {
  const { orderId } = await control<{ orderId: string }>(sim, "/_sim/orders", {
    shop,
    order: { ...SCENARIOS[scenario]!, payment: "paid" },
  });
  return { shop, orderId, scenario, placed: await orderView(sim, orderId) };
}

export type Locations = {
  id: string;
  name: string;
  fulfillmentService: { handle: string } | null;
}[];

/** The demo setup for the demo shop, and a copy of it for the Standard shop (same catalogue). */
export async function seedShops(
  databaseUrl: string,
  shops: { shop: string; accessToken: string; locations: Locations }[],
) {
  const { createDb } = await import("../../app/db/client.server");
  const { seedDemoConfig } = await import("../../scripts/demo-config");
  const db = createDb(databaseUrl);
  try {
    const [first, ...others] = shops;
    for (const { shop, accessToken } of shops)
      await db.session.create({
        data: {
          id: `offline_${shop}`,
          shop,
          state: "",
          isOnline: false,
          scope: SCOPES,
          accessToken,
        },
      });
    await seedDemoConfig(db, first!.shop, first!.locations);
    const [rules, profiles, shopRow] = await Promise.all([
      db.rule.findMany({ where: { shop: first!.shop } }),
      db.capabilityProfile.findMany({ where: { shop: first!.shop } }),
      db.shop.findUniqueOrThrow({ where: { shop: first!.shop } }),
    ]);
    for (const other of others) {
      // The same locations by name, with the other shop's ids.
      const ids = new Map(
        first!.locations.map((l) => [
          l.id,
          other.locations.find((o) => o.name === l.name)?.id ?? l.id,
        ]),
      );
      const relocate = (text: string) =>
        [...ids].reduce((out, [from, to]) => out.split(from).join(to), text);
      await db.shop.create({ data: { ...shopRow, shop: other.shop } });
      for (const { id, ...rule } of rules)
        await db.rule.create({
          data: {
            ...rule,
            id: `${id}-${other.shop}`,
            shop: other.shop,
            conditions: relocate(rule.conditions),
            actions: relocate(rule.actions),
          },
        });
      for (const { id, ...profile } of profiles)
        await db.capabilityProfile.create({
          data: {
            ...profile,
            id: `${id}-${other.shop}`,
            shop: other.shop,
            locationId: ids.get(profile.locationId) ?? profile.locationId,
          },
        });
    }
  } finally {
    await db.$disconnect();
  }
}

async function measure(context: BenchContext) {
  const { log, options } = context;
  const ordersPerRun = sized(context, "orders", 20, 6);
  const pointsRounds = sized(context, "pointsRounds", 3, 1);
  const standardOrders = sized(context, "standardOrders", 60, 20);
  const windowMs = sized(context, "standardWindowMs", 20_000, 8000);
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
  const standard = await control<{ accessToken: string; locations: Locations }>(
    sim,
    "/_sim/shops",
    { shop: STANDARD_SHOP, plan: "standard" },
  );
  const demo = await control<{ locations: Locations }>(sim, `/_sim/products?shop=${DEMO_SHOP}`);

  const app = await startApp({
    server: "server",
    label: "routing",
    env: {
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: secret,
      SHOPIFY_ADMIN_ORIGIN: simServer.url,
      // The production worker, inside the web process, with its own settings.
      WORKER: "embedded",
    },
    echoErrors: options["app-errors"] === "true",
    prepare: (databaseUrl) =>
      seedShops(databaseUrl, [
        { shop: DEMO_SHOP, accessToken: sim.mintToken(DEMO_SHOP), locations: demo.locations },
        { shop: STANDARD_SHOP, ...standard },
      ]),
  });
  sim.setAppUrl(app.url);
  const db = createClient({ url: app.databaseUrl });
  const names = Object.keys(SCENARIOS);
  try {
    // Points: one order at a time, so every point the bucket lost is that order's.
    const stats = () => sim.stats.for(DEMO_SHOP);
    // The worker's first reconciliation runs 2 s after start and routes the demo shop's seeded
    // paid orders: wait until that is over (at most two minutes) so none of it is counted
    // against the first order.
    await sleep(3000);
    await untilQuiet(sim, db, DEMO_SHOP, 2000, 120_000);
    const points: Record<string, number[]> = {};
    for (let i = 0; i < names.length * pointsRounds; i++) {
      const scenario = names[i % names.length]!;
      const before = stats().pointsSpent;
      const operationsBefore = structuredClone(stats().operations);
      const order = await newOrder(sim, DEMO_SHOP, scenario);
      await watch(sim, db, [order], 30_000);
      if (!order.outcome) throw new Error(`${order.orderId} (${scenario}) got no decision in 30 s`);
      // Refreshes the app's own changes set off come after the decision: wait for quiet.
      await untilQuiet(sim, db, DEMO_SHOP, 500, 30_000);
      const spent = stats().pointsSpent;
      (points[scenario] ??= []).push(spent - before);
      // Where the points went: each operation's calls and points for this order.
      const spentBy = Object.entries(stats().operations)
        .map(([name, now]) => {
          const was = operationsBefore[name] ?? { calls: 0, pointsSpent: 0 };
          return [name, now.calls - was.calls, now.pointsSpent - was.pointsSpent] as const;
        })
        .filter(([, calls]) => calls > 0)
        .map(([name, calls, pts]) => `${name} ×${calls} ${pts}`);
      log(`${scenario}: ${spent - before} points: ${spentBy.join(", ")}`);
    }
    const all = Object.values(points).flat();
    log(`points per order: ${JSON.stringify(points)}`);

    // Paid to applied: a steady trickle of checkouts with Shopify 100 ms away.
    await control(sim, "/_sim/faults", { latencyMs: LATENCY_MS });
    const orders: Tracked[] = [];
    for (let i = 0; i < ordersPerRun; i++) {
      orders.push(await newOrder(sim, DEMO_SHOP, names[i % names.length]!));
      await sleep(250);
    }
    await watch(sim, db, orders, 120_000);
    const undecided = orders.filter((o) => !o.outcome);
    if (undecided.length > 0)
      throw new Error(
        `${undecided.length} of ${orders.length} orders got no decision in 2 minutes`,
      );
    const latencies: number[] = [];
    const outcomes = { applied: 0, needs_attention: 0, applied_without_change: 0 };
    let beforePaid = 0;
    for (const order of orders) {
      const sentAt = await paidSentAt(sim, DEMO_SHOP, order.orderId);
      if (sentAt === null) throw new Error(`no orders/paid delivery was sent for ${order.orderId}`);
      const { placed, decided } = order as Required<Tracked>;
      if (order.outcome === "needs_attention") outcomes.needs_attention++;
      else if (decided.state === placed.state) outcomes.applied_without_change++;
      else if (decided.changedAt <= placed.changedAt)
        throw new Error(
          `${order.orderId}: the simulator's state changed but its updatedAt did not; paid→applied cannot be read from it`,
        );
      else {
        outcomes.applied++;
        // A change before orders/paid went out (the release gate acting on orders/create)
        // counts as applied at once, not as a negative time.
        if (decided.changedAt < sentAt) beforePaid++;
        latencies.push(Math.max(0, decided.changedAt - sentAt));
      }
    }
    await control(sim, "/_sim/faults", { latencyMs: 0 });
    latencies.sort((a, b) => a - b);
    log(
      `paid→applied over ${latencies.length} orders: ${latencies.join(", ")} ms (${beforePaid} changed before orders/paid went out; ${outcomes.needs_attention} needed attention, ${outcomes.applied_without_change} applied without a change)`,
    );

    // A Standard shop with an empty bucket: what the API budget sustains.
    const bucket = sim.bucketFor(STANDARD_SHOP);
    const drain = bucket.status().currentlyAvailable;
    bucket.take(drain);
    const standardBefore = structuredClone(sim.stats.for(STANDARD_SHOP));
    // Every call of the burst as the bucket saw it, to say when and why THROTTLED answers came.
    // The first few come at the burst's start and cost the figure nothing: the bucket was emptied
    // above behind the app's back, so the app's picture of it (its last answer) says full until the
    // first answers of the burst say otherwise, and the bucket is far from its cap meanwhile, so
    // the points restored while those calls wait are spent after.
    sim.stats.traceCalls();
    const traceFrom = sim.stats.calls(STANDARD_SHOP).length;
    const burst: Tracked[] = [];
    const started = Date.now();
    const simStarted = sim.clock.now();
    for (let i = 0; i < standardOrders; i++)
      burst.push(await newOrder(sim, STANDARD_SHOP, names[i % names.length]!));
    await watch(sim, db, burst, windowMs - (Date.now() - started));
    const decided = burst.filter((o) => o.decidedAt !== undefined);
    const elapsed = (Date.now() - started) / 1000;
    log(
      `Standard shop: ${decided.length} of ${burst.length} orders decided in ${elapsed.toFixed(1)} s from an empty bucket`,
    );
    // Where the Standard shop's points went meanwhile, and what its bucket still held (room a
    // waiting read needed but did not get before the window ended).
    const standardAfter = sim.stats.for(STANDARD_SHOP);
    const standardSpent = Object.entries(standardAfter.operations)
      .map(([name, now]) => {
        const was = standardBefore.operations[name] ?? { calls: 0, pointsSpent: 0 };
        return [name, now.calls - was.calls, now.pointsSpent - was.pointsSpent] as const;
      })
      .filter(([, calls]) => calls > 0)
      .map(([name, calls, pts]) => `${name} ×${calls} ${pts}`);
    log(
      `Standard shop spent ${standardAfter.pointsSpent - standardBefore.pointsSpent} points (${standardSpent.join(", ")}); ${Math.floor(bucket.status().currentlyAvailable)} left in its bucket, ${standardAfter.throttled - standardBefore.throttled} throttled`,
    );
    const throttled = sim.stats
      .calls(STANDARD_SHOP)
      .slice(traceFrom)
      .filter((call) => call.actual === null)
      .map(
        (call) =>
          `${call.operation} at ${((call.arrivedAt - simStarted) / 1000).toFixed(2)} s asking ${call.requested} of ${Math.floor(call.levelAfterTake)}`,
      );
    if (throttled.length > 0) log(`Standard shop's THROTTLED answers: ${throttled.join("; ")}`);
    // Route jobs of the burst that failed on the way: each waits for its retry behind the jobs
    // queued before it, so an error here shows as orders decided last or not at all.
    const failed = await db.execute({
      sql: `SELECT "attempts", "status", "lastError", "payload" FROM "Job" WHERE "shop" = ? AND "queue" = 'route-order' AND ("attempts" > 1 OR "lastError" IS NOT NULL)`,
      args: [STANDARD_SHOP],
    });
    if (failed.rows.length > 0)
      log(
        `Standard shop's route jobs that failed meanwhile: ${failed.rows
          .map(
            (job) =>
              `${(JSON.parse(String(job.payload)) as { orderId: string }).orderId} (${String(job.status)}, attempt ${String(job.attempts)}${job.lastError ? `: ${String(job.lastError)}` : ""})`,
          )
          .join("; ")}`,
      );

    return {
      paid_to_applied_ms: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
      },
      routing_outcomes: outcomes,
      admin_points_per_order: {
        median: median(all),
        max: Math.max(...all),
        ...Object.fromEntries(Object.entries(points).map(([k, v]) => [k, median(v)])),
      },
      admin_points_requested_max: stats().maxRequestedQueryCost,
      standard_shop_orders_per_s: Math.round((decided.length / elapsed) * 100) / 100,
    };
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
  name: "routing",
  figures: [
    {
      name: "paid_to_applied_ms",
      description:
        "orders/paid sent by the simulator → the change in its state; production server, embedded worker, 100 ms per Admin call",
      unit: "ms",
      targets: [{ path: "p95", atMost: 1000 }],
    },
    {
      name: "routing_outcomes",
      description:
        "Of the paid→applied orders: applied (counted), needs attention and applied without a visible change (not counted)",
      unit: "orders",
    },
    {
      name: "admin_points_per_order",
      description:
        "Actual points the bucket lost for one order (reads, mutations, refreshes), median and max, and by scenario",
      unit: "points",
      targets: [{ path: "median", atMost: 40 }],
    },
    {
      name: "admin_points_requested_max",
      description: "Highest requestedQueryCost of any one query the app sent",
      unit: "points",
      targets: [{ atMost: 250 }],
    },
    {
      name: "standard_shop_orders_per_s",
      description:
        "Orders decided per second on a Standard shop (100 points/s) starting from an empty bucket, over 20 s",
      unit: "orders/s",
      targets: [{ atLeast: 3 }],
    },
  ],
  run: (context) => repeat(context, () => measure(context)),
});
