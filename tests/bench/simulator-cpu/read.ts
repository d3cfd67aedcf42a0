// The Admin GraphQL routing read alone, in this process: CPU µs per call of the simulator's handler (Hono's routing, parse cache, cost walks, execution, the answer's JSON) without sockets, to judge a change to the GraphQL path in seconds (docs/decisions/061).
// Run by hand from a tree's root: `npx tsx tests/bench/simulator-cpu/read.ts [--calls=3000]
// [--rounds=5]`; alternate with the tree before, as for simulator-cpu.ts.
import { readFileSync } from "node:fs";
import { createSimulator } from "../../../simulator/src/server";
import { ORDER_ROUTING_SNAPSHOT_QUERY, routingReadVariables } from "./routing-read";

const option = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const calls = option("calls", 3000);
const rounds = option("rounds", 5);

const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(readFileSync("shopify.app.toml", "utf8"))![1]!;
const sim = createSimulator({ scopes, seed: "empty", appUrl: "http://127.0.0.1:9" });
const shop = "bench-1.myshopify.com";
const seeded = sim.addShop(shop, "plus", "demo");
for (const variant of seeded.variants.values()) variant.inventoryPolicy = "CONTINUE";
const token = sim.mintToken(shop);
// No app listens: the order's webhooks are dropped, as only the read is measured.
sim.faults.set({ dropWebhooksRate: 1 });
const orderIds: string[] = [];
for (let i = 0; i < 100; i++) {
  const answer = await sim.app.request("/_sim/orders", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      shop,
      order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid" },
    }),
  });
  orderIds.push(((await answer.json()) as { orderId: string }).orderId);
}
const body = (id: string) =>
  JSON.stringify({
    query: ORDER_ROUTING_SNAPSHOT_QUERY,
    variables: routingReadVariables(id),
  });
async function read(id: string): Promise<string> {
  const answer = await sim.app.request("/admin/api/2026-10/graphql.json", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: body(id),
  });
  return answer.text();
}
const first = await read(orderIds[0]!);
if (!first.includes('"order":{')) throw new Error(`the read failed: ${first.slice(0, 300)}`);
for (let r = 0; r <= rounds; r++) {
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) await read(orderIds[i % orderIds.length]!);
  const used = process.cpuUsage(cpu);
  // Round 0 warms the JIT up.
  if (r > 0)
    console.log(
      `round ${r}: ${((used.user + used.system) / calls).toFixed(1)} µs of CPU a read (${first.length} bytes)`,
    );
}
