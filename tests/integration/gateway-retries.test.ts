// What the Admin API transport sends again and what it does not: a query is retried through 5xx
// and timeouts, a mutation only through THROTTLED and 429 (which say nothing ran). A mutation whose
// answer was lost may have been applied, so it is handed back for the order to be read again.
import { describe, expect, it } from "vitest";
import { ShopifyApiError } from "~/shopify/errors";
import { LOCATIONS_QUERY, TAGS_ADD_MUTATION } from "~/shopify/operations";
import { withShopSimulator } from "../support/integration";

const sim = withShopSimulator();

const calls = async () =>
  (await sim.control<{ shops: Record<string, { calls: number }> }>("GET", "/_sim/stats")).shops[
    sim.shop
  ]!.calls;

async function tagOrder(tag: string) {
  const { orderId } = await sim.createOrder({
    lineItems: [{ sku: "PRINT-LUSTRE-A4", quantity: 1 }],
    payment: "paid",
  });
  const before = await calls();
  const outcome = await sim.gateway.request(TAGS_ADD_MUTATION, { id: orderId, tags: [tag] }).then(
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
