// reconcile_burst: what reconciliation costs a Standard shop during a flash sale, on PostgreSQL +
// pg-boss with two worker processes that start as the burst begins (each start runs a
// reconciliation of the shop). Every Admin API call is traced by the simulator and told apart by
// its operation: reconciliation's reads (the paid orders since its mark, the fulfillment orders on
// hold, the labs' answers) against the routing's. The figures are the points reconciliation spent
// from the first order paid to the last decided and after it (until the bucket is full again),
// and the burst's time from the first order paid to the last decided: on a shop bound by its
// bucket, every point reconciliation takes meanwhile is a hundredth of a second later for the last
// order (Standard restores 100 points a second).
import { defineBench, repeat, sized } from "./support/bench";
import { startFleet } from "./support/fleet";

/** Reconciliation's Admin API operations (app/fulfilment/reconcile*.server.ts). */
const RECONCILIATION = new Set([
  "PaidOrdersSince",
  "HeldFulfillmentOrdersSince",
  "AwaitedFulfillmentOrders",
]);

/** Every other order a lab print the demo's rules hold for review (a fulfillment order on hold). */
const LAB_SKU = "LAB-METALLIC-30x45";

export const bench = defineBench({
  name: "reconcile-burst",
  figures: [
    {
      name: "reconcile_burst_points_during",
      description:
        "Admin API points reconciliation spent on a Standard shop from the burst's first order paid to its last decided (2 workers starting with the burst)",
      unit: "points",
    },
    {
      name: "reconcile_burst_points_after",
      description:
        "Points reconciliation spent on that shop after the last order was decided, until its bucket was full again",
      unit: "points",
    },
    {
      name: "reconcile_burst_routing_points",
      description: "Points every other call spent on that shop over the same time (the routing)",
      unit: "points",
    },
    {
      name: "reconcile_burst_restart_points",
      description:
        "Points the reconciliation of a worker started after the burst spent on that shop (half its orders in review, on hold)",
      unit: "points",
    },
    {
      name: "reconcile_burst_restart_again_points",
      description:
        "Points the reconciliation of a worker started later spent on that shop (after a run that came more than the grace after the sale's last change): what each later run costs while half the orders wait in review",
      unit: "points",
    },
    {
      name: "reconcile_burst_last_decided_s",
      description: "Seconds from the burst's first order paid to its last order decided",
      unit: "s",
    },
  ],
  run: (context) =>
    repeat(context, async () => {
      const orders = sized(context, "orders", 300, 100);
      const fleet = await startFleet({ shops: 1, log: context.log, traceCalls: true });
      try {
        const shop = fleet.shops[0]!;
        fleet.workers(2);
        const placed: { orderId: string; paidAt: number }[] = [];
        const firstPaid = Date.now();
        for (let i = 0; i < orders; i += 20) {
          placed.push(
            ...(await Promise.all(
              Array.from({ length: Math.min(20, orders - i) }, (_, j) =>
                fleet.placeOrder(shop, (i + j) % 2 === 0 ? LAB_SKU : undefined),
              ),
            )),
          );
        }
        context.log(`${orders} orders placed in ${Date.now() - firstPaid} ms`);
        const decided = await fleet.waitDecided(
          placed.map((o) => o.orderId),
          600_000 + orders * 3_000,
        );
        const lastDecided = Math.max(...decided.values());
        await bucketFull(fleet.simUrl, shop);
        const calls = fleet.adminCalls(shop).filter((c) => c.actual !== null);
        const during = calls.filter((c) => c.takenAt <= lastDecided);
        const after = calls.filter((c) => c.takenAt > lastDecided);
        const sum = (list: typeof calls, reconciling: boolean) =>
          Math.round(
            list
              .filter((c) => RECONCILIATION.has(c.operation) === reconciling)
              .reduce((s, c) => s + (c.actual ?? 0), 0),
          );
        const byOperation = new Map<string, { calls: number; points: number }>();
        for (const c of calls.filter((c) => RECONCILIATION.has(c.operation))) {
          const o = byOperation.get(c.operation) ?? { calls: 0, points: 0 };
          o.calls++;
          o.points += c.actual ?? 0;
          byOperation.set(c.operation, o);
        }
        const lastReconciling = Math.max(
          0,
          ...calls.filter((c) => RECONCILIATION.has(c.operation)).map((c) => c.answeredAt),
        );
        context.log(
          `reconciliation's calls: ${[...byOperation].map(([name, o]) => `${name} ×${o.calls} ${Math.round(o.points)} points`).join(", ") || "none"}; ` +
            `its last answered ${((lastReconciling - lastDecided) / 1000).toFixed(1)} s after the last order was decided`,
        );
        for (const line of await fleet.stages(placed)) context.log(line);
        // A worker started after the sale (a deploy): its reconciliation, and nothing else.
        const restart = await workerStartRun(fleet, shop, 3);
        context.log(
          `a worker started after the sale: ${restart.map((c) => `${c.operation} ${c.actual}`).join(", ") || "no call"}`,
        );
        // Two more once the sale's last change is older than the grace: the first reads again what
        // changed within the grace before the run above (its mark stays that far back), the
        // second what each later run costs while the sale's orders wait in review.
        const quietAt = lastDecided + GRACE_MS + 5_000;
        if (Date.now() < quietAt) await new Promise((r) => setTimeout(r, quietAt - Date.now()));
        const quiet = await workerStartRun(fleet, shop, 4);
        context.log(
          `a worker started once the sale was quiet for the grace: ${quiet.map((c) => `${c.operation} ${c.actual}`).join(", ") || "no call"}`,
        );
        const again = await workerStartRun(fleet, shop, 5);
        context.log(
          `one more worker started after that: ${again.map((c) => `${c.operation} ${c.actual}`).join(", ") || "no call"}`,
        );
        return {
          reconcile_burst_restart_points: sum(restart, true),
          reconcile_burst_restart_again_points: sum(again, true),
          reconcile_burst_points_during: sum(during, true),
          reconcile_burst_points_after: sum(after, true),
          reconcile_burst_routing_points: sum(during, false) + sum(after, false),
          reconcile_burst_last_decided_s: Math.round((lastDecided - firstPaid) / 100) / 10,
        };
      } finally {
        await fleet.stop();
      }
    }),
});

/** The reconciliation's grace (app/fulfilment/reconcile.server.ts, RECONCILE_GRACE_MS). */
const GRACE_MS = 2 * 60_000;

type Fleet = Awaited<ReturnType<typeof startFleet>>;

/** Starts the fleet's `count`th worker and answers the shop's calls from then until its bucket is full. */
async function workerStartRun(fleet: Fleet, shop: string, count: number) {
  const startedAt = Date.now();
  fleet.workers(count);
  const by = Date.now() + 120_000;
  while (
    !fleet.adminCalls(shop).some((c) => c.operation === "PaidOrdersSince" && c.takenAt >= startedAt)
  ) {
    if (Date.now() > by) throw new Error("the new worker did not reconcile the shop");
    await new Promise((r) => setTimeout(r, 250));
  }
  // Its run's later passes (the gate's, the labs' answers) follow the list of paid orders.
  await new Promise((r) => setTimeout(r, 5_000));
  await bucketFull(fleet.simUrl, shop);
  return fleet.adminCalls(shop).filter((c) => c.actual !== null && c.takenAt >= startedAt);
}

/** Waits until the shop's bucket is full again: nothing spends on the shop any more. */
async function bucketFull(simUrl: string, shop: string): Promise<void> {
  const fullBy = Date.now() + 900_000;
  for (;;) {
    const body = (await (await fetch(`${simUrl}/_sim/stats`)).json()) as {
      shops: Record<
        string,
        { throttleStatus: { maximumAvailable: number; currentlyAvailable: number } }
      >;
    };
    const { maximumAvailable, currentlyAvailable } = body.shops[shop]!.throttleStatus;
    if (currentlyAvailable >= maximumAvailable) return;
    if (Date.now() > fullBy) throw new Error("the shop's bucket did not fill again");
    await new Promise((r) => setTimeout(r, 500));
  }
}
