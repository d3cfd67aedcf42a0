// Shared test fixtures for the simulator's own tests: a demo shop on a manual clock, with the events it emits recorded.
import { ManualClock } from "../src/clock.ts";
import { DEMO_SHOP, seedDemoShop } from "../src/seed/demo.ts";
import { createSimulator, type Simulator, type SimulatorOptions } from "../src/server.ts";
import { createOrder, type NewOrderInput } from "../src/shop/orders.ts";
import type { Order, Shop } from "../src/shop/model.ts";
import { type EmittedEvent, ROUTER_APP_KEY, SimState } from "../src/shop/state.ts";

export function demoWorld(opts: { orders?: boolean } = {}) {
  const clock = new ManualClock();
  const state = new SimState(clock);
  const shop = seedDemoShop(state, { orders: opts.orders ?? false });
  const events: EmittedEvent[] = [];
  state.onEvent((e) => events.push(e));
  const order = (
    input: Partial<NewOrderInput> & { lineItems: NewOrderInput["lineItems"] },
  ): Order => {
    const r = createOrder(state, shop, { payment: "paid", ...input });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("; "));
    return r.value;
  };
  const fos = (o: Order) => o.fulfillmentOrderIds.map((id) => shop.fulfillmentOrders.get(id)!);
  const topics = () => events.map((e) => e.event.topic);
  const location = (name: string) => [...shop.locations.values()].find((l) => l.name === name)!;
  return {
    clock,
    state,
    shop: shop as Shop,
    events,
    order,
    fos,
    topics,
    location,
    app: ROUTER_APP_KEY,
    lab: "service:partner-lab",
  };
}

/** An in-process simulator on a manual clock, no webhook subscriptions, and a token for the demo shop. */
export function testSimulator(options: SimulatorOptions = {}) {
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const sim = createSimulator({ subscriptions: [], ...options, clock });
  const token = sim.mintToken(DEMO_SHOP);
  return { sim, clock, token, shop: sim.state.shop(DEMO_SHOP)! };
}

/** Test answers are read loosely: the assertions check their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface GqlAnswer {
  status: number;
  body: {
    data?: Record<string, Loose> | null;
    errors?:
      | { message: string; extensions?: Record<string, Loose>; path?: unknown[] }[]
      | string
      | Record<string, string>;
    extensions?: {
      cost?: {
        requestedQueryCost: number;
        actualQueryCost: number | null;
        throttleStatus: {
          maximumAvailable: number;
          currentlyAvailable: number;
          restoreRate: number;
        };
      };
      search?: unknown;
    };
  };
}

export async function gql(
  sim: Simulator,
  token: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlAnswer> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (token) headers["X-Shopify-Access-Token"] = token;
  const res = await sim.app.request("/admin/api/2026-10/graphql.json", {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlAnswer["body"] };
}

export function errorsOf(a: GqlAnswer) {
  return Array.isArray(a.body.errors) ? a.body.errors : [];
}
