// Shop-specific webhook subscriptions as Shopify keeps them: webhookSubscriptionCreate, webhookSubscriptions and webhookSubscriptionDelete per shop and app, delivered beside the toml's, refused twice for one topic and address, deleted on uninstall.
import { afterEach, describe, expect, it } from "vitest";
import { startReceiver } from "../../test/receiver.ts";
import { gql, type Loose } from "../../test/helpers.ts";
import { DEMO_SHOP } from "../seed/demo.ts";
import { createSimulator } from "../server.ts";
import { topicOfEnum } from "./shop-subscriptions.ts";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

const CREATE = `mutation Create($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription { id topic uri format includeFields apiVersion { handle } }
    userErrors { field message }
  }
}`;
const DELETE = `mutation Delete($id: ID!) {
  webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
}`;
const LIST = `query List($topics: [WebhookSubscriptionTopic!]) {
  webhookSubscriptions(first: 10, topics: $topics) { nodes { id topic uri } }
}`;

async function setup() {
  const receiver = await startReceiver();
  stops.push(receiver.stop);
  // The app's toml as it is: inventory_levels/update is not among its app-wide topics.
  const sim = createSimulator({ apiSecret: "s", appUrl: receiver.url, timeScale: 0.001 });
  stops.push(async () => sim.webhooks.clear());
  const token = sim.mintToken(DEMO_SHOP);
  const adjust = () =>
    sim.app.request("/_sim/inventory", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: DEMO_SHOP, sku: "BOOK-40", location: "Studio", delta: 5 }),
    });
  const stockUpdates = async () => {
    await sim.webhooks.idle();
    return receiver.received.filter(
      (r) => r.headers["x-shopify-topic"] === "inventory_levels/update",
    );
  };
  return { sim, receiver, token, adjust, stockUpdates };
}

describe("shop-specific webhook subscriptions", () => {
  it("names topics as the toml does from the enum, resources with an underscore included", () => {
    expect(topicOfEnum("INVENTORY_LEVELS_UPDATE")).toBe("inventory_levels/update");
    expect(topicOfEnum("FULFILLMENT_ORDERS_ORDER_ROUTING_COMPLETE")).toBe(
      "fulfillment_orders/order_routing_complete",
    );
    expect(topicOfEnum("ORDERS_PAID")).toBe("orders/paid");
    expect(topicOfEnum("APP_UNINSTALLED")).toBe("app/uninstalled");
  });

  it("sends a topic the toml lacks only once the app subscribed the shop; a second subscription to the same topic and address is refused; deleted, nothing more is sent", async () => {
    const { sim, token, adjust, stockUpdates } = await setup();
    await adjust();
    expect(await stockUpdates()).toHaveLength(0);

    const uri = new URL("/webhooks/inventory_levels/update", sim.options.appUrl).toString();
    const created = await gql(sim, token, CREATE, {
      topic: "INVENTORY_LEVELS_UPDATE",
      sub: { uri },
    });
    const sub = (created.body.data as Loose).webhookSubscriptionCreate as Loose;
    expect(sub.userErrors).toEqual([]);
    expect(sub.webhookSubscription).toMatchObject({
      topic: "INVENTORY_LEVELS_UPDATE",
      uri,
      format: "JSON",
      includeFields: [],
      apiVersion: { handle: "2026-10" },
    });
    const id = (sub.webhookSubscription as Loose).id as string;
    expect(id).toMatch(/^gid:\/\/shopify\/WebhookSubscription\/\d+$/);

    const again = await gql(sim, token, CREATE, { topic: "INVENTORY_LEVELS_UPDATE", sub: { uri } });
    expect((again.body.data as Loose).webhookSubscriptionCreate).toEqual({
      webhookSubscription: null,
      userErrors: [
        {
          field: ["webhookSubscription", "callbackUrl"],
          message: "Address for this topic has already been taken",
        },
      ],
    });

    const listed = await gql(sim, token, LIST, { topics: ["INVENTORY_LEVELS_UPDATE"] });
    expect((listed.body.data as Loose).webhookSubscriptions).toEqual({
      nodes: [{ id, topic: "INVENTORY_LEVELS_UPDATE", uri }],
    });
    // The toml's app-wide subscriptions are not the API's to list.
    const all = await gql(sim, token, LIST, {});
    expect(((all.body.data as Loose).webhookSubscriptions as Loose).nodes).toHaveLength(1);

    await adjust();
    const sent = await stockUpdates();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe("/webhooks/inventory_levels/update");

    const deleted = await gql(sim, token, DELETE, { id });
    expect((deleted.body.data as Loose).webhookSubscriptionDelete).toEqual({
      deletedWebhookSubscriptionId: id,
      userErrors: [],
    });
    const twice = await gql(sim, token, DELETE, { id });
    expect((twice.body.data as Loose).webhookSubscriptionDelete).toEqual({
      deletedWebhookSubscriptionId: null,
      userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }],
    });
    await adjust();
    expect(await stockUpdates()).toHaveLength(1);
  });

  it("keeps a shop's subscriptions to that shop, and deletes them when the app is uninstalled", async () => {
    const { sim, token, adjust, stockUpdates } = await setup();
    sim.addShop("other.myshopify.com", "standard", "demo");
    const other = sim.mintToken("other.myshopify.com");
    const uri = new URL("/webhooks/inventory_levels/update", sim.options.appUrl).toString();
    await gql(sim, other, CREATE, { topic: "INVENTORY_LEVELS_UPDATE", sub: { uri } });
    // Subscribed on the other shop: this shop's stock is still not sent, nor listed here.
    await adjust();
    expect(await stockUpdates()).toHaveLength(0);
    const listed = await gql(sim, token, LIST, {});
    expect(((listed.body.data as Loose).webhookSubscriptions as Loose).nodes).toEqual([]);

    await gql(sim, token, CREATE, { topic: "INVENTORY_LEVELS_UPDATE", sub: { uri } });
    await sim.app.request("/_sim/uninstall", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: DEMO_SHOP }),
    });
    expect(sim.state.shop(DEMO_SHOP)!.webhookSubscriptions?.size ?? 0).toBe(0);
    expect(sim.state.shop("other.myshopify.com")!.webhookSubscriptions?.size).toBe(1);
    await adjust();
    expect(await stockUpdates()).toHaveLength(0);
  });
});
