// scale_2_workers_vs_1: orders decided per second with two worker processes ÷ with one, on
// PostgreSQL + pg-boss, 20 shops, every Admin API call answered after 100 ms (the simulator's
// latency fault). A fresh set-up per worker count, the same orders for both.
import { defineBench, repeat, sized } from "./support/bench";
import { startFleet } from "./support/fleet";

async function throughput(
  workers: number,
  shops: number,
  perShop: number,
  log: (line: string) => void,
): Promise<number> {
  const fleet = await startFleet({ shops, log });
  try {
    await fleet.faults({ latencyMs: 100 });
    fleet.workers(workers);
    // One order per shop first: the workers are up and warm before the clock starts.
    const warm = await Promise.all(fleet.shops.map((s) => fleet.placeOrder(s)));
    await fleet.waitDecided(
      warm.map((o) => o.orderId),
      180_000,
    );
    const started = Date.now();
    const orders = [];
    for (let i = 0; i < perShop; i++)
      orders.push(...(await Promise.all(fleet.shops.map((s) => fleet.placeOrder(s)))));
    const done = await fleet.waitDecided(
      orders.map((o) => o.orderId),
      600_000,
    );
    const last = Math.max(...done.values());
    for (const line of await fleet.stages(orders)) log(`${workers} worker(s), ${line}`);
    return orders.length / ((last - started) / 1000);
  } finally {
    await fleet.stop();
  }
}

export const bench = defineBench({
  name: "scale-workers",
  figures: [
    {
      name: "scale_2_workers_vs_1",
      description:
        "Orders decided per second with 2 worker processes ÷ with 1 (PostgreSQL + pg-boss, 20 shops, Admin latency 100 ms)",
      unit: "ratio",
      targets: [{ atLeast: 1.8 }],
    },
  ],
  run: (context) =>
    repeat(context, async () => {
      const shops = sized(context, "shops", 20, 4);
      const perShop = sized(context, "perShop", 5, 2);
      const one = await throughput(1, shops, perShop, context.log);
      const two = await throughput(2, shops, perShop, context.log);
      context.log(`1 worker: ${one.toFixed(2)} orders/s; 2 workers: ${two.toFixed(2)} orders/s`);
      return { scale_2_workers_vs_1: Math.round((two / one) * 100) / 100 };
    }),
});
