// Webhook routes as Shopify reaches them: signed deliveries, bad signatures, malformed bodies,
// uninstall and the three privacy topics, against a real migrated SQLite database.
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { action as appUninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { ensureShop, eraseShop } from "~/services/shops.server";
import { jobQueue } from "~/process-queue.server";
import { respond, signedDelivery } from "../support/webhooks";
import { installShop } from "../support/install";
import { inEnglish } from "../support/integration";
import { engineSaid } from "~/routing/words";

const EXPLAINED = engineSaid("explain.archiveOnce.fulfilled", { rule: "Lab prints" });

const shop = "webhook-test.myshopify.com";
afterEach(async () => {
  await eraseShop(db, shop, jobQueue());
  await eraseShop(db, "other-shop.myshopify.com", jobQueue());
});
afterAll(async () => {
  await jobQueue().stop();
});

const paidExample = JSON.parse(
  readFileSync("tests/fixtures/shopify/webhooks/orders/paid.json", "utf8"),
).response as Record<string, unknown>;

async function seedShopData(forShop: string) {
  await db.session.create({
    data: {
      id: `offline_${forShop}`,
      shop: forShop,
      state: "",
      accessToken: "shpat_test",
      scope: "read_orders",
    },
  });
  await db.shop.create({ data: { shop: forShop, defaultMode: "automatic" } });
  await db.rule.create({
    data: { shop: forShop, name: "Lab prints", position: 0, conditions: "{}", actions: "[]" },
  });
  const decision = await db.decision.create({
    data: {
      shop: forShop,
      orderId: "gid://shopify/Order/1001",
      trigger: "webhook",
      // As the app stores it: a list of Words (and text, for sentences not in the catalogue).
      explanation: JSON.stringify([EXPLAINED, 'Rule "Lab prints" matched']),
      plan: "{}",
    },
  });
  await db.step.create({
    data: {
      decisionId: decision.id,
      key: `${forShop}-k1`,
      position: 0,
      kind: "fulfillmentOrderHold",
      input: "{}",
    },
  });
  await db.orderNote.create({
    data: { shop: forShop, orderId: "gid://shopify/Order/1001", body: "Crop looks off" },
  });
}

async function countFor(forShop: string) {
  const [sessions, shops, rules, decisions, notes] = await Promise.all([
    db.session.count({ where: { shop: forShop } }),
    db.shop.count({ where: { shop: forShop } }),
    db.rule.count({ where: { shop: forShop } }),
    db.decision.count({ where: { shop: forShop } }),
    db.orderNote.count({ where: { shop: forShop } }),
  ]);
  return { sessions, shops, rules, decisions, notes };
}

describe("webhook intake", () => {
  beforeEach(async () => {
    await db.webhookDelivery.deleteMany({});
    await installShop(db, shop);
  });

  it("stores a signed orders/paid delivery once and answers 200", async () => {
    const request = signedDelivery({
      topic: "orders/paid",
      shop,
      body: paidExample,
      webhookId: "wh-1",
    });
    const response = await respond(ordersPaid, request);
    expect(response.status).toBe(200);
    const stored = await db.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-1" } });
    expect(stored).toMatchObject({
      topic: "orders/paid",
      shop,
      subjectId: "gid://shopify/Order/820982911946154508",
    });
    expect(JSON.parse(stored.payload).admin_graphql_api_id).toBe(paidExample.admin_graphql_api_id);
  });

  it("acknowledges a duplicate delivery (same X-Shopify-Webhook-Id) without storing it twice", async () => {
    for (let i = 0; i < 3; i++) {
      const response = await respond(
        ordersPaid,
        signedDelivery({ topic: "orders/paid", shop, body: paidExample, webhookId: "wh-dup" }),
      );
      expect(response.status).toBe(200);
    }
    expect(await db.webhookDelivery.count({ where: { webhookId: "wh-dup" } })).toBe(1);
  });

  it("answers 401 to a bad signature and stores nothing", async () => {
    const request = signedDelivery({
      topic: "orders/paid",
      shop,
      body: paidExample,
      secret: "not-the-app-secret",
      webhookId: "wh-forged",
    });
    const response = await respond(ordersPaid, request);
    expect(response.status).toBe(401);
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("answers 401 when the body was changed after signing", async () => {
    const good = signedDelivery({ topic: "orders/paid", shop, body: paidExample });
    const tampered = new Request(good.url, {
      method: "POST",
      headers: good.headers,
      body: JSON.stringify({ ...paidExample, total_price: "0.00" }),
    });
    expect((await respond(ordersPaid, tampered)).status).toBe(401);
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("answers 400 to a signed body that is not JSON and stores nothing", async () => {
    const request = signedDelivery({
      topic: "orders/paid",
      shop,
      body: "{not json",
      webhookId: "wh-bad",
    });
    const response = await respond(ordersPaid, request);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/not valid JSON/);
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("answers 400 when a required Shopify header is missing", async () => {
    const request = signedDelivery({ topic: "orders/paid", shop, body: paidExample });
    request.headers.delete("X-Shopify-Webhook-Id");
    expect((await respond(ordersPaid, request)).status).toBe(400);
    expect(await db.webhookDelivery.count()).toBe(0);
  });
});

describe("app/uninstalled", () => {
  it("erases the shop's sessions and data, is safe to run twice, and leaves other shops alone", async () => {
    const other = "other-shop.myshopify.com";
    await seedShopData(shop);
    await seedShopData(other);
    // Jobs waiting in the queue the app runs on (the job table on SQLite, pg-boss on PostgreSQL).
    for (const forShop of [shop, other])
      await jobQueue().enqueue(
        "route-order",
        { shop: forShop, orderId: "gid://shopify/Order/1001" },
        { shop: forShop, runAt: new Date(Date.now() + 3600_000) },
      );
    const body = { id: 1, name: "Webhook test", domain: shop, myshopify_domain: shop };
    for (let i = 0; i < 2; i++) {
      const response = await respond(
        appUninstalled,
        signedDelivery({ topic: "app/uninstalled", shop, body }),
      );
      expect(response.status).toBe(200);
    }
    expect(await countFor(shop)).toEqual({
      sessions: 0,
      shops: 0,
      rules: 0,
      decisions: 0,
      notes: 0,
    });
    expect(await db.step.count({ where: { key: `${shop}-k1` } })).toBe(0);
    const later = new Date(Date.now() + 2 * 3600_000);
    expect((await jobQueue().health(shop, later)).queued).toBe(0);
    expect((await jobQueue().health(other, later)).queued).toBe(1);
    expect(await countFor(other)).toEqual({
      sessions: 1,
      shops: 1,
      rules: 1,
      decisions: 1,
      notes: 1,
    });

    // A second install starts clean: the old settings (automatic) are not resurrected.
    await ensureShop(db, shop);
    expect((await db.shop.findUniqueOrThrow({ where: { shop } })).defaultMode).toBe("manual");
  });

  it("does not erase anything on a forged uninstall", async () => {
    await seedShopData(shop);
    const response = await respond(
      appUninstalled,
      signedDelivery({ topic: "app/uninstalled", shop, body: { id: 1 }, secret: "forged" }),
    );
    expect(response.status).toBe(401);
    expect((await countFor(shop)).sessions).toBe(1);
  });
});

describe("app/scopes_update", () => {
  it("records the granted scopes on the shop's sessions", async () => {
    await seedShopData(shop);
    const response = await respond(
      scopesUpdate,
      signedDelivery({
        topic: "app/scopes_update",
        shop,
        body: {
          id: 1,
          previous: ["read_orders"],
          current: ["read_orders", "write_orders"],
          updated_at: new Date().toISOString(),
        },
      }),
    );
    expect(response.status).toBe(200);
    expect((await db.session.findFirstOrThrow({ where: { shop } })).scope).toBe(
      "read_orders,write_orders",
    );
  });
});

describe("privacy webhooks", () => {
  const customer = { id: 207119551, email: "john@example.com", phone: "555-625-1199" };

  it("customers/data_request reports what we hold about the customer's orders", async () => {
    await seedShopData(shop);
    const response = await respond(
      dataRequest,
      signedDelivery({
        topic: "customers/data_request",
        shop,
        body: {
          shop_id: 954889,
          shop_domain: shop,
          orders_requested: [1001],
          customer,
          data_request: { id: 9999 },
        },
      }),
    );
    expect(response.status).toBe(200);
    const request = await db.dataRequest.findFirstOrThrow({ where: { shop } });
    const report = JSON.parse(request.report);
    expect(report.customerId).toBe("gid://shopify/Customer/207119551");
    expect(report.orders[0].orderId).toBe("gid://shopify/Order/1001");
    // The report says the stored Words as the catalogue's English sentences.
    expect(report.orders[0].decisions[0].explanation).toEqual([
      await inEnglish(EXPLAINED),
      'Rule "Lab prints" matched',
    ]);
    expect(report.orders[0].notes[0].body).toBe("Crop looks off");
  });

  it("customers/redact erases the customer's orders' data and keeps other orders", async () => {
    await seedShopData(shop);
    await db.orderNote.create({
      data: { shop, orderId: "gid://shopify/Order/2002", body: "Other order" },
    });
    for (let i = 0; i < 2; i++) {
      const response = await respond(
        customersRedact,
        signedDelivery({
          topic: "customers/redact",
          shop,
          body: { shop_id: 954889, shop_domain: shop, customer, orders_to_redact: [1001] },
        }),
      );
      expect(response.status).toBe(200);
    }
    expect(await db.decision.count({ where: { shop, orderId: "gid://shopify/Order/1001" } })).toBe(
      0,
    );
    expect(await db.orderNote.count({ where: { shop, orderId: "gid://shopify/Order/1001" } })).toBe(
      0,
    );
    expect(await db.orderNote.count({ where: { shop, orderId: "gid://shopify/Order/2002" } })).toBe(
      1,
    );
  });

  it("customers/redact answers 400 to a payload without the customer", async () => {
    const response = await respond(
      customersRedact,
      signedDelivery({ topic: "customers/redact", shop, body: { shop_domain: shop } }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/customer/);
  });

  // Shopify's review sends each compliance topic a request with a wrong signature and expects 401.
  it.each([
    ["customers/data_request", dataRequest, { shop_domain: shop, customer: { id: 1 } }],
    ["customers/redact", customersRedact, { shop_domain: shop, customer: { id: 1 } }],
    ["shop/redact", shopRedact, { shop_id: 954889, shop_domain: shop }],
  ] as const)(
    "%s answers 401 to a wrong signature and erases or records nothing",
    async (topic, route, body) => {
      await seedShopData(shop);
      const response = await respond(
        route,
        signedDelivery({ topic, shop, body, secret: "forged" }),
      );
      expect(response.status).toBe(401);
      expect(await countFor(shop)).toEqual({
        sessions: 1,
        shops: 1,
        rules: 1,
        decisions: 1,
        notes: 1,
      });
      expect(await db.dataRequest.count({ where: { shop } })).toBe(0);
    },
  );

  it("shop/redact erases everything for the shop", async () => {
    await seedShopData(shop);
    const response = await respond(
      shopRedact,
      signedDelivery({ topic: "shop/redact", shop, body: { shop_id: 954889, shop_domain: shop } }),
    );
    expect(response.status).toBe(200);
    expect(await countFor(shop)).toEqual({
      sessions: 0,
      shops: 0,
      rules: 0,
      decisions: 0,
      notes: 0,
    });
  });
});
