// customers/data_request as Shopify sends it when a customer asks the shop for their data
// (Shopify's "Privacy law compliance" document, mandatory compliance webhooks): signed like any
// delivery, to the URI the app's shopify.app.toml gives under compliance_topics, with the shop,
// the customer and the orders they asked about.
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startReceiver } from "../../test/receiver.ts";
import type { Loose } from "../../test/helpers.ts";
import { readAppConfig } from "../app-config.ts";
import { DEMO_SHOP } from "../seed/demo.ts";
import { createSimulator } from "../server.ts";

const SECRET = "test-secret";
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

describe("customers/data_request (Privacy law compliance)", () => {
  it("is a compliance topic of the app's shopify.app.toml, at the URI it declares", () => {
    expect(readAppConfig().subscriptions).toContainEqual({
      topic: "customers/data_request",
      uri: "/webhooks/customers/data_request",
    });
  });

  it("is sent signed when the customer asks, with orders_requested, the customer and the request's id", async () => {
    const receiver = await startReceiver();
    stops.push(receiver.stop);
    const sim = createSimulator({ apiSecret: SECRET, appUrl: receiver.url, timeScale: 0.001 });
    stops.push(async () => sim.webhooks.clear());
    const request = (path: string, body: unknown) =>
      sim.app.request(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const placed = (await (
      await request("/_sim/orders", {
        shop: DEMO_SHOP,
        order: {
          lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
          payment: "paid",
          customer: { email: "ida@example.com", firstName: "Ida", lastName: "Keller" },
        },
      })
    ).json()) as { orderId: string };
    const state = (await (
      await sim.app.request(`/_sim/orders/${encodeURIComponent(placed.orderId)}`)
    ).json()) as Loose;
    const customerId = state.customer.id as string;

    const answer = await request(`/_sim/customers/${encodeURIComponent(customerId)}/data-request`, {
      shop: DEMO_SHOP,
    });
    expect(answer.status).toBe(201);
    expect(((await answer.json()) as Loose).ordersRequested).toEqual([placed.orderId]);
    await sim.webhooks.idle();

    const delivery = receiver.received.find((r) => r.path === "/webhooks/customers/data_request");
    expect(delivery?.headers["x-shopify-topic"]).toBe("customers/data_request");
    expect(delivery!.headers["x-shopify-hmac-sha256"]).toBe(
      createHmac("sha256", SECRET).update(delivery!.raw, "utf8").digest("base64"),
    );
    const numeric = (gid: string) => Number(gid.slice(gid.lastIndexOf("/") + 1));
    expect(JSON.parse(delivery!.raw)).toEqual({
      shop_id: expect.any(Number),
      shop_domain: DEMO_SHOP,
      orders_requested: [numeric(placed.orderId)],
      customer: { id: numeric(customerId), email: "ida@example.com", phone: null },
      data_request: { id: expect.any(Number) },
    });

    expect((await request("/_sim/customers/1/data-request", { shop: DEMO_SHOP })).status).toBe(404);
  });
});
