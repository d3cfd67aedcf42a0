// Shopify creates an order's fulfillment orders a moment after the order: routing waits for them
// with the job's backoff instead of deciding on an order with nothing to route.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/setup/db";
import type { Db } from "../db/client.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { createEmbeddedQueue } from "../jobs/embedded-queue.server";
import { handleRouteOrder, QUEUES } from "./worker.server";
import { FulfillmentOrdersNotReady, routeOrder } from "./route-order.server";

let db: Db;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => cleanup());

// The simulator, like Shopify's API, always answers with the fulfillment orders it made at
// checkout; the moment before Shopify has made them can only be played by a stand-in answer.
function orderWithoutFulfillmentOrders(): AdminGateway {
  return {
    shop: "early.myshopify.com",
    async request() {
      return {
        order: {
          id: "gid://shopify/Order/1",
          name: "#1001",
          createdAt: "2026-11-24T10:00:00Z",
          updatedAt: "2026-11-24T10:00:00Z",
          tags: [],
          note: null,
          closed: false,
          cancelledAt: null,
          displayFinancialStatus: "PAID",
          capturable: false,
          sourceName: "web",
          paymentGatewayNames: [],
          totalPriceSet: { shopMoney: { amount: "10.00", currencyCode: "EUR" } },
          risk: { recommendation: "ACCEPT", assessments: [] },
          shippingAddress: null,
          shippingLine: null,
          customer: null,
          transactions: [],
          fulfillments: [],
          lineItems: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
          fulfillmentOrders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
        },
        locations: { nodes: [] },
      } as never;
    },
  };
}

describe("an order whose fulfillment orders Shopify has not made yet", () => {
  it("is not decided: routing says to try again", async () => {
    const deps = { db, gateway: orderWithoutFulfillmentOrders(), now: () => new Date() };
    await expect(
      routeOrder(deps, {
        shop: "early.myshopify.com",
        orderId: "gid://shopify/Order/1",
        trigger: "webhook",
      }),
    ).rejects.toBeInstanceOf(FulfillmentOrdersNotReady);
  });

  it("stays queued with a backoff, a bounded number of times", async () => {
    let clock = new Date("2026-11-24T10:00:00Z");
    const queue = createEmbeddedQueue(db, { now: () => clock });
    const deps = {
      db,
      queue,
      gatewayFor: async () => orderWithoutFulfillmentOrders(),
      now: () => clock,
    };
    await queue.enqueue(
      QUEUES.routeOrder,
      { shop: "early.myshopify.com", orderId: "gid://shopify/Order/1", trigger: "webhook" },
      { maxAttempts: 3 },
    );
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(deps, job))).toBe(1);
      clock = new Date(clock.getTime() + 60_000);
    }
    const job = await db.job.findFirstOrThrow();
    expect(job).toMatchObject({ status: "failed", attempts: 3 });
    expect(job.lastError).toMatch(/has not created the fulfillment orders/);
    expect(
      await db.decision.count({ where: { status: { in: ["applied", "needs_attention"] } } }),
    ).toBe(0);
  });
});
