// Starts the shop simulator in-process for integration tests, and talks to it as the app does
// (Admin API through the app's gateway) and as a test does (the control API).
import { createSimulator } from "../../simulator/src/server";
import { ShopBudgets } from "~/shopify/budget";
import { createAdminGateway, operationName, type AdminGateway } from "~/shopify/gateway.server";
import { WEBHOOK_FAULTS } from "./webhook-faults";

export const DEMO_SHOP = "fulfilment-router-demo.myshopify.com";

export { WEBHOOK_FAULTS };

export interface SimulatorHandle {
  url: string;
  /** Where the simulator sends webhooks: the app's URL as its toml's application_url would say. */
  readonly appUrl: string;
  shop: string;
  gateway: AdminGateway;
  budgets: ShopBudgets;
  control<T = unknown>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T>;
  createOrder(
    order: Record<string, unknown>,
  ): Promise<{ orderId: string; name: string; fulfillmentOrderIds: string[] }>;
  orderState(orderId: string): Promise<SimOrderState>;
  /**
   * The simulator's gateway with `meanwhile` done on the shop just before each request of the
   * operation `name` ("RefundCreate", "OrderCancel") goes: staff acting in admin between the
   * app's check and its change.
   */
  beforeOperation(name: string, meanwhile: () => Promise<unknown>): AdminGateway;
  /** The shop's location of that name ("Studio", "Partner Lab"). */
  location(name: string): Promise<{ id: string; name: string }>;
  /** What a location has of a SKU: on the shelf to sell (available) and promised to orders. */
  stock(sku: string, location: string): Promise<{ available: number; committed: number }>;
  /** Staff change what `location` has of `sku` in admin (a delivery, a count): available += delta. */
  adjustStock(
    sku: string,
    location: string,
    delta: number,
  ): Promise<{ available: number; committed: number }>;
  /**
   * Waits until no webhook delivery is in flight or scheduled: true, or false when some still
   * were after `timeoutMs` (the simulator's 408).
   */
  webhooksIdle(timeoutMs?: number): Promise<boolean>;
  /** Waits until every webhook due has been delivered; throws when some still were after 10 s. */
  webhooksDelivered(): Promise<void>;
  /** Faults back to the default for webhook suites: reordered and delayed deliveries. */
  resetFaults(): Promise<void>;
  /** Back to the freshly seeded demo shop (stock, orders, faults), with a new access token. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface SimOrderState {
  id: string;
  name: string;
  financialStatus: string;
  closed: boolean;
  cancelled: boolean;
  cancelReason: string | null;
  /** The shop's currency, and the customer's, which every amount here is in. */
  currency: string;
  presentmentCurrency: string;
  totalPrice: string;
  tags: string[];
  note: string | null;
  lineItems: {
    id: string;
    sku: string;
    quantity: number;
    currentQuantity: number;
    price: string;
  }[];
  transactions: { id: string; kind: string; status: string; amount: string; gateway: string }[];
  refunds: {
    id: string;
    createdAt: string;
    note: string | null;
    notify: boolean;
    lines: {
      lineItemId: string;
      quantity: number;
      restockType: string;
      locationId: string | null;
      /** The tax given back with the line, on a taxed order. */
      tax?: string;
    }[];
    transactionIds: string[];
  }[];
  fulfillmentOrders: {
    id: string;
    status: string;
    requestStatus: string;
    location: { id: string; name: string; fulfillmentServiceHandle: string | null };
    /** The fulfillment order's delivery method type (SHIPPING, NONE). */
    deliveryMethod: string;
    lineItems: {
      id: string;
      lineItemId: string;
      sku: string;
      totalQuantity: number;
      remainingQuantity: number;
    }[];
    holds: { id: string; reason: string; reasonNotes: string | null; handle: string | null }[];
  }[];
  fulfillments: { id: string; status: string; lineItems: unknown[] }[];
}

export async function startShopSimulator(
  options: { appUrl?: string; plan?: string } = {},
): Promise<SimulatorHandle> {
  const sim = createSimulator({
    apiKey: process.env.SHOPIFY_API_KEY,
    apiSecret: process.env.SHOPIFY_API_SECRET,
    appUrl: options.appUrl ?? "http://127.0.0.1:9",
    seed: "demo",
    timeScale: 0.001,
  });
  const { url, stop } = await sim.start(0);
  const control = async <T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body ? { "Content-Type": "application/json" } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await response.json()) as T;
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const shop = DEMO_SHOP;
  const budgets = new ShopBudgets();
  const connect = () =>
    createAdminGateway({
      shop,
      accessToken: sim.mintToken(shop),
      adminOrigin: url,
      budgets,
      baseDelayMs: 5,
    });
  const handle: SimulatorHandle = {
    url,
    get appUrl() {
      return sim.options.appUrl;
    },
    shop,
    gateway: connect(),
    budgets,
    control,
    createOrder: (order) => control("POST", "/_sim/orders", { shop, order }),
    orderState: (orderId) => control("GET", `/_sim/orders/${encodeURIComponent(orderId)}`),
    beforeOperation(name, meanwhile) {
      return {
        shop,
        async request<T, V extends Record<string, unknown>>(document: string, variables?: V) {
          if (operationName(document) === name) await meanwhile();
          // The gateway of the moment: a reset connects anew.
          return handle.gateway.request<T, V>(document, variables);
        },
      };
    },
    async location(name) {
      const { locations } = await control<{ locations: { id: string; name: string }[] }>(
        "GET",
        `/_sim/products?shop=${shop}`,
      );
      const found = locations.find((l) => l.name === name);
      if (!found) throw new Error(`${shop} has no location ${name}`);
      return found;
    },
    async stock(sku, location) {
      const catalogue = await control<{
        products: {
          variants: {
            sku: string;
            inventory: { location: string; available: number; committed: number }[];
          }[];
        }[];
      }>("GET", `/_sim/products?shop=${shop}`);
      const variant = catalogue.products.flatMap((p) => p.variants).find((v) => v.sku === sku);
      const level = variant?.inventory.find((l) => l.location === location);
      if (!level) throw new Error(`${location} stocks no ${sku}`);
      return { available: level.available, committed: level.committed };
    },
    adjustStock(sku, location, delta) {
      return control("POST", "/_sim/inventory", { shop, sku, location, delta });
    },
    async webhooksDelivered() {
      if (!(await handle.webhooksIdle()))
        throw new Error("Shopify still had webhooks on their way after 10 s");
    },
    async webhooksIdle(timeoutMs = 10_000) {
      const response = await fetch(`${url}/_sim/webhooks/idle?timeoutMs=${timeoutMs}`);
      if (response.status !== 200 && response.status !== 408)
        throw new Error(`GET /_sim/webhooks/idle answered ${response.status}`);
      return response.status === 200;
    },
    async resetFaults() {
      await control("POST", "/_sim/faults", { reset: true, ...WEBHOOK_FAULTS });
    },
    async reset() {
      await control("POST", "/_sim/reset", { seed: "demo" });
      handle.gateway = connect();
    },
    stop,
  };
  return handle;
}
