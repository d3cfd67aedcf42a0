// Shared test fixtures for the simulator's own tests: a demo shop on a manual clock, with the events it emits recorded.
import { ManualClock } from "../src/clock.ts";
import { seedDemoShop } from "../src/seed/demo.ts";
import { createOrder, type NewOrderInput } from "../src/shop/orders.ts";
import type { Order, Shop } from "../src/shop/model.ts";
import { type EmittedEvent, ROUTER_APP_KEY, SimState } from "../src/shop/state.ts";

export function demoWorld(opts: { orders?: boolean } = {}) {
  const clock = new ManualClock();
  const state = new SimState(clock);
  const shop = seedDemoShop(state, { orders: opts.orders ?? false });
  const events: EmittedEvent[] = [];
  state.onEvent((e) => events.push(e));
  const order = (input: Partial<NewOrderInput> & { lineItems: NewOrderInput["lineItems"] }): Order => {
    const r = createOrder(state, shop, { payment: "paid", ...input });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("; "));
    return r.value;
  };
  const fos = (o: Order) => o.fulfillmentOrderIds.map((id) => shop.fulfillmentOrders.get(id)!);
  const topics = () => events.map((e) => e.event.topic);
  const location = (name: string) => [...shop.locations.values()].find((l) => l.name === name)!;
  return { clock, state, shop: shop as Shop, events, order, fos, topics, location, app: ROUTER_APP_KEY, lab: "service:partner-lab" };
}
