// shopify.app.toml and the webhook routes agree: every subscription has its route, and back (a
// route may serve a topic the app subscribes per shop instead, ADR 101).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STOCK_TOPIC, STOCK_TOPIC_PATH } from "~/fulfilment/stock-subscription.server";

const toml = readFileSync("shopify.app.toml", "utf8");

interface Subscription {
  topic: string;
  uri: string;
  handledBy: string | undefined;
}

function subscriptions(): Subscription[] {
  const blocks = toml.split("[[webhooks.subscriptions]]").slice(1);
  const comments = [...toml.matchAll(/# Handled by: (\S+)/g)].map((m) => m[1]);
  return blocks.map((block, i) => {
    const topic = /(?:compliance_)?topics = \[ "([^"]+)" \]/.exec(block)?.[1];
    const uri = /uri = "([^"]+)"/.exec(block)?.[1];
    if (!topic || !uri) throw new Error(`A subscription without a topic or uri: ${block}`);
    return { topic, uri, handledBy: comments[i] };
  });
}

describe("shopify.app.toml webhook subscriptions", () => {
  it("declares the topics the design needs", () => {
    const topics = subscriptions().map((s) => s.topic);
    for (const needed of [
      "orders/create",
      "orders/paid",
      "orders/cancelled",
      "fulfillments/create",
      "fulfillment_holds/added",
      "fulfillment_holds/released",
      "fulfillment_orders/fulfillment_service_failed_to_complete",
      "fulfillment_orders/order_routing_complete",
      "fulfillment_orders/placed_on_hold",
      "fulfillment_orders/hold_released",
      "fulfillment_orders/split",
      "fulfillment_orders/merged",
      "fulfillment_orders/moved",
      "fulfillment_orders/cancelled",
      "fulfillment_orders/fulfillment_request_accepted",
      "fulfillment_orders/fulfillment_request_rejected",
      "fulfillment_orders/cancellation_request_submitted",
      "app/uninstalled",
      "app/scopes_update",
      "customers/data_request",
      "customers/redact",
      "shop/redact",
    ]) {
      expect(topics).toContain(needed);
    }
    expect(new Set(topics).size).toBe(topics.length);
  });

  it("routes each subscription to a route file named by its 'Handled by' comment", () => {
    for (const { topic, uri, handledBy } of subscriptions()) {
      expect(uri).toBe(`/webhooks/${topic}`);
      const file = `app/routes/webhooks.${topic.replace("/", ".")}.tsx`;
      expect(handledBy, topic).toBe(`/${file}`);
      expect(existsSync(file), file).toBe(true);
    }
  });

  it("has no webhook route without a subscription, the toml's or one the app makes per shop (ADR 101)", () => {
    const declared = new Set(
      [...subscriptions().map((s) => s.topic), STOCK_TOPIC].map(
        (topic) => `webhooks.${topic.replace("/", ".")}.tsx`,
      ),
    );
    // The per-shop subscription's address is the route's path, as the toml's are.
    expect(STOCK_TOPIC_PATH).toBe(`/webhooks/${STOCK_TOPIC}`);
    // Never both: a topic in the toml as well would be delivered twice to a subscribed shop.
    expect(subscriptions().map((s) => s.topic)).not.toContain(STOCK_TOPIC);
    const routes = readdirSync("app/routes").filter((f) => f.startsWith("webhooks."));
    expect(routes.filter((f) => !declared.has(f))).toEqual([]);
  });

  it("never registers webhooks through the API as well (that doubles every delivery)", () => {
    const server = readFileSync("app/shopify.server.ts", "utf8");
    expect(server).not.toMatch(/registerWebhooks\(/);
    expect(server).not.toMatch(/webhooks:\s*\{/);
  });
});
