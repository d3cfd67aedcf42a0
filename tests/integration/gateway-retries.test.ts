// What the Admin API transport sends again and what it does not: a query is retried through 5xx
// and timeouts, a mutation only through THROTTLED and 429 (which say nothing ran). A mutation whose
// answer was lost may have been applied, so it is handed back for the order to be read again.
import { describe, expect, it } from "vitest";
import { ShopifyApiError } from "~/shopify/errors";
import { createAdminGateway, type AdminGateway } from "~/shopify/gateway.server";
import { LOCATIONS_QUERY, TAGS_ADD_MUTATION } from "~/shopify/operations";
import { withShopSimulator } from "../support/integration";

const sim = withShopSimulator();

const calls = async () =>
  (await sim.control<{ shops: Record<string, { calls: number }> }>("GET", "/_sim/stats")).shops[
    sim.shop
  ]!.calls;

/** The app's gateway to the simulator with a transport of the test's choosing. */
async function gatewayWith(options: { timeoutMs?: number; fetch?: typeof fetch }) {
  const { accessToken } = await sim.control<{ accessToken: string }>("POST", "/_sim/tokens", {
    shop: sim.shop,
  });
  return createAdminGateway({
    shop: sim.shop,
    accessToken,
    adminOrigin: sim.url,
    budgets: sim.budgets,
    baseDelayMs: 5,
    ...options,
  });
}

async function tagOrder(tag: string, gateway: AdminGateway = sim.gateway) {
  const { orderId } = await sim.createOrder({
    lineItems: [{ sku: "PRINT-LUSTRE-A4", quantity: 1 }],
    payment: "paid",
  });
  const before = await calls();
  const outcome = await gateway.request(TAGS_ADD_MUTATION, { id: orderId, tags: [tag] }).then(
    () => null,
    (error: unknown) => error,
  );
  return { orderId, outcome, sent: (await calls()) - before };
}

describe("Admin API retries", () => {
  it("sends a mutation once when its answer is lost after Shopify applied it", async () => {
    await sim.control("POST", "/_sim/faults", { appliedThenTimeoutRate: 1, timeoutMs: 20 });
    const { orderId, outcome, sent } = await tagOrder("landed-once");
    expect(sent).toBe(1);
    expect(outcome).toBeInstanceOf(ShopifyApiError);
    expect((outcome as ShopifyApiError).outcomeUnknown).toBe(true);
    expect((outcome as ShopifyApiError).message).toMatch(/may have been made/);
    await sim.resetFaults();
    expect((await sim.orderState(orderId)).tags).toContain("landed-once");
  });

  it("sends a mutation once when no answer comes within the gateway's own timeout", async () => {
    // Shopify runs the change and answers only after the gateway stopped waiting.
    await sim.control("POST", "/_sim/faults", { appliedThenTimeoutRate: 1, timeoutMs: 1000 });
    const gateway = await gatewayWith({ timeoutMs: 100 });
    const { orderId, outcome, sent } = await tagOrder("timed-out-once", gateway);
    expect(sent).toBe(1);
    expect(outcome).toMatchObject({ kind: "timeout", outcomeUnknown: true });
    await sim.resetFaults();
    expect((await sim.orderState(orderId)).tags.filter((t) => t === "timed-out-once")).toHaveLength(
      1,
    );
  });

  it("sends a mutation once when the connection drops after Shopify ran it", async () => {
    const gateway = await gatewayWith({
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        // The answer was on its way when the connection went: what the caller sees is Node's.
        if (String(init?.body ?? "").includes("TagsAdd")) {
          await response.body?.cancel();
          throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
        }
        return response;
      },
    });
    const { orderId, outcome, sent } = await tagOrder("dropped-once", gateway);
    expect(sent).toBe(1);
    expect(outcome).toMatchObject({ kind: "network", outcomeUnknown: true });
    expect((await sim.orderState(orderId)).tags.filter((t) => t === "dropped-once")).toHaveLength(
      1,
    );
  });

  it("sends a mutation once on a 5xx", async () => {
    await sim.control("POST", "/_sim/faults", { errorRate: 1 });
    const { outcome, sent } = await tagOrder("five-hundred");
    expect(sent).toBe(1);
    expect((outcome as ShopifyApiError).kind).toBe("server");
  });

  it("sends a THROTTLED mutation again until it runs", async () => {
    await sim.control("POST", "/_sim/faults", { throttle: 2 });
    const { orderId, outcome, sent } = await tagOrder("after-throttle");
    expect(outcome).toBeNull();
    expect(sent).toBe(3);
    expect((await sim.orderState(orderId)).tags).toContain("after-throttle");
  });

  it("sends a mutation answered 429 again until it runs, once", async () => {
    await sim.control("POST", "/_sim/faults", { rateLimited: 2 });
    const { orderId, outcome, sent } = await tagOrder("after-429");
    expect(outcome).toBeNull();
    expect(sent).toBe(3);
    expect((await sim.orderState(orderId)).tags.filter((t) => t === "after-429")).toHaveLength(1);
  });

  it("retries a query through a 5xx", async () => {
    await sim.control("POST", "/_sim/faults", { errorRate: 1 });
    const pending = sim.gateway.request(LOCATIONS_QUERY);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await sim.control("POST", "/_sim/faults", { errorRate: 0 });
    await expect(pending).resolves.toBeTruthy();
  });
});
