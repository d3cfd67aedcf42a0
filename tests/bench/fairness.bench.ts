// fairness_other_shops_p95_ms: while one shop's burst of orders is being routed, how long the
// other shops' paid orders wait until their decision is applied (p95), on PostgreSQL + pg-boss
// with two worker processes, 20 shops and a burst of 5,000 orders, the size (`--burst=`
// for less on a shared machine; the quick size bursts 40).
import { defineBench, repeat, routingSlotsOption, sized } from "./support/bench";
import { fairnessReport, openWindow } from "./support/fairness-report";
import { startFleet } from "./support/fleet";
import { percentile } from "./support/stats";

export const bench = defineBench({
  name: "fairness",
  figures: [
    {
      name: "fairness_other_shops_p95_ms",
      description:
        "Paid → applied of the other shops' orders while one shop bursts (20 shops, 2 worker processes, PostgreSQL + pg-boss), p50/p95",
      unit: "ms",
      targets: [{ path: "p95", atMost: 2000 }],
    },
    {
      name: "fairness_burst_orders",
      description: "Orders in the bursting shop's burst for the figure above (5,000 in the issue)",
      unit: "orders",
    },
  ],
  run: (context) =>
    repeat(context, async () => {
      const shops = sized(context, "shops", 20, 4);
      const burst = sized(context, "burst", 5000, 40);
      const rounds = sized(context, "rounds", 3, 1);
      // --statements: count what PostgreSQL ran per decision while the others were measured.
      const statements = context.options.statements === "true";
      // --routingSlots=N: each worker at N routing slots (WORKER_ROUTING_SLOTS), to see the
      // other shops' orders when slots are scarce (ADR 063); not the issue's measurement.
      const routingSlots = routingSlotsOption(context);
      if (routingSlots !== undefined)
        context.notKept?.(`--routingSlots=${routingSlots}: not the issue's measurement`);
      const fleet = await startFleet({
        shops,
        log: context.log,
        traceCalls: true,
        statementStats: statements,
        ...(routingSlots !== undefined
          ? { workerEnv: { WORKER_ROUTING_SLOTS: String(routingSlots) } }
          : {}),
      });
      try {
        fleet.workers(2);
        const [burster, ...others] = fleet.shops;
        // Warm: one order per shop decided before the clock matters.
        const warm = await Promise.all(fleet.shops.map((s) => fleet.placeOrder(s)));
        await fleet.waitDecided(
          warm.map((o) => o.orderId),
          180_000,
        );
        if (statements) await fleet.statements();
        const window = openWindow(fleet);
        // The burst: Shopify sends the bursting shop's orders as fast as the app takes them.
        const burstOrders: string[] = [];
        const bursting = (async () => {
          for (let i = 0; i < burst; i += 20) {
            const batch = await Promise.all(
              Array.from({ length: Math.min(20, burst - i) }, () => fleet.placeOrder(burster!)),
            );
            burstOrders.push(...batch.map((o) => o.orderId));
          }
        })();
        // Its failure is reported where it is awaited, after the other shops' orders.
        bursting.catch(() => undefined);
        // Meanwhile every other shop takes an order now and then.
        const placed: { orderId: string; shop: string; postedAt: number; paidAt: number }[] = [];
        for (let round = 0; round < rounds; round++) {
          await new Promise((r) => setTimeout(r, 1000));
          placed.push(
            ...(await Promise.all(
              others.map(async (shop) => {
                const postedAt = Date.now();
                return { ...(await fleet.placeOrder(shop)), shop, postedAt };
              }),
            )),
          );
        }
        const done = await fleet.waitDecided(
          placed.map((o) => o.orderId),
          600_000,
        );
        const burstPlaced = burstOrders.length;
        const report = await fairnessReport({
          db: fleet.db,
          window,
          fleet,
          burster: burster!,
          others: placed.map((o) => ({ ...o, doneAt: done.get(o.orderId)! })),
          burstPlaced,
          ...(statements ? { statements: await fleet.statements() } : {}),
        });
        for (const line of report) context.log(`other shops' orders, ${line}`);
        await bursting;
        const waits = placed.map((o) => done.get(o.orderId)! - o.paidAt).sort((a, b) => a - b);
        const burstLeft = burstOrders.length - (await fleet.decidedCount(burstOrders));
        context.log(`burst orders still waiting when the others were done: ${burstLeft}`);
        for (const line of await fleet.stages(placed)) context.log(`other shops' orders, ${line}`);
        return {
          fairness_other_shops_p95_ms: {
            p50: Math.round(percentile(waits, 50)),
            p95: Math.round(percentile(waits, 95)),
          },
          fairness_burst_orders: burst,
        };
      } finally {
        await fleet.stop();
      }
    }),
});
