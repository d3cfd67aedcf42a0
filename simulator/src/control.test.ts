// The control API (/_sim) and Admin API faults on demand: what tests, the demo and outside checks rely on.
import { describe, expect, it } from "vitest";
import { errorsOf, gql, testSimulator, type Loose } from "../test/helpers.ts";
import { DEMO_SHOP } from "./seed/demo.ts";
import { createSimulator, type Simulator } from "./server.ts";

async function call(sim: Simulator, method: string, path: string, body?: unknown) {
  const res = await sim.app.request(path, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Loose };
}

describe("control API", () => {
  it("answers 404 naming what it does not have: the shop a body names, the id a path names (a bare number, or a GID of another kind)", async () => {
    const { sim } = testSimulator();
    for (const path of [
      "/_sim/orders",
      "/_sim/products/1",
      "/_sim/customers/1/data-request",
      "/_sim/flow/workflows",
      "/_sim/tokens",
      "/_sim/service-tokens",
    ]) {
      const answer = await call(sim, "POST", path, { shop: "nobody.myshopify.com" });
      expect([path, answer.status, answer.body.error]).toEqual([path, 404, "unknown shop"]);
    }
    const routes: [string, string, string][] = [
      ["GET", "/_sim/orders/:id", "order"],
      ["POST", "/_sim/orders/:id/pay", "order"],
      ["POST", "/_sim/orders/:id/authorization", "order"],
      ["GET", "/_sim/draft-orders/:id", "draft order"],
      ["POST", "/_sim/draft-orders/:id/pay", "draft order"],
      ["POST", "/_sim/fulfillment-orders/:id/service-response", "fulfillment order"],
      ["POST", "/_sim/fulfillment-orders/:id/staff-hold", "fulfillment order"],
      ["POST", "/_sim/products/:id", "product"],
      ["POST", "/_sim/customers/:id/data-request", "customer"],
    ];
    for (const [method, route, what] of routes)
      for (const id of ["999999", encodeURIComponent("gid://shopify/Location/1")]) {
        const path = route.replace(":id", id);
        const answer = await call(
          sim,
          method,
          path,
          method === "GET" ? undefined : { shop: DEMO_SHOP },
        );
        expect([path, answer.status, answer.body.error]).toEqual([path, 404, `unknown ${what}`]);
      }
  });

  it("resets to the demo shop or to nothing (POST /_sim/reset)", async () => {
    const { sim } = testSimulator();
    expect((await call(sim, "POST", "/_sim/reset", { seed: "empty" })).body).toEqual({
      ok: true,
      seed: "empty",
      shops: [],
    });
    const demo = await call(sim, "POST", "/_sim/reset", { seed: "demo" });
    expect(demo.body.shops).toEqual([DEMO_SHOP]);
    expect(sim.state.shop(DEMO_SHOP)!.orders.size).toBe(6);
    expect((await call(sim, "POST", "/_sim/reset", { seed: "bogus" })).status).toBe(400);
  });

  it("creates a shop with the app installed, stocked with the demo catalogue or empty, and hands back a working token (POST /_sim/shops)", async () => {
    const { sim } = testSimulator({ seed: "empty" });
    const created = await call(sim, "POST", "/_sim/shops", {
      shop: "lab-two.myshopify.com",
      plan: "plus",
    });
    expect(created.status).toBe(201);
    expect(created.body.locations.map((l: { name: string }) => l.name)).toEqual([
      "Studio",
      "Partner Lab",
    ]);
    const a = await gql(
      sim,
      created.body.accessToken,
      `{ shop { myshopifyDomain } orders(first: 5) { nodes { id } } }`,
    );
    expect(a.body.data).toEqual({
      shop: { myshopifyDomain: "lab-two.myshopify.com" },
      orders: { nodes: [] },
    });
    expect(a.body.extensions!.cost!.throttleStatus).toMatchObject({
      maximumAvailable: 20000,
      restoreRate: 1000,
    });
    const empty = await call(sim, "POST", "/_sim/shops", {
      shop: "bare.myshopify.com",
      plan: "standard",
      seed: "empty",
    });
    expect(empty.body.products).toEqual([]);
    expect(
      (await call(sim, "POST", "/_sim/shops", { shop: "nope.example.com", plan: "standard" }))
        .status,
    ).toBe(400);
    expect(
      (await call(sim, "POST", "/_sim/shops", { shop: "x.myshopify.com", plan: "gold" })).status,
    ).toBe(400);
  });

  it("lists the catalogue with SKUs, options, locations and stock (GET /_sim/products)", async () => {
    const { sim } = testSimulator();
    const r = await call(sim, "GET", `/_sim/products?shop=${DEMO_SHOP}`);
    const canvas = r.body.products.find((p: { productType: string }) => p.productType === "Canvas");
    expect(canvas.variants[0]).toMatchObject({
      sku: "CANVAS-40x60-WRAP",
      options: { Size: "40x60", Finish: "Gallery Wrap" },
      inventory: [{ location: "Partner Lab", available: 40 }],
    });
    expect(r.body.locations[1]).toMatchObject({
      name: "Partner Lab",
      fulfillmentService: { handle: "partner-lab" },
    });
    expect(r.body.products.some((p: { giftCard: boolean }) => p.giftCard)).toBe(true);
  });

  it("creates orders as checkout does and shows their whole state (POST /_sim/orders, GET /_sim/orders/:id)", async () => {
    const { sim } = testSimulator();
    const r = await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: {
        lineItems: [
          { sku: "PRINT-MATTE-A4", quantity: 2, properties: { Crop: "x:0.1 y:0 w:0.8 h:1" } },
          { sku: "CANVAS-60x90-FRAMED", quantity: 1 },
        ],
        payment: "authorized",
        riskLevel: "HIGH",
        tags: ["vip"],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: "#1007" });
    expect(r.body.fulfillmentOrderIds).toHaveLength(2);
    const s = await call(sim, "GET", `/_sim/orders/${encodeURIComponent(r.body.orderId)}`);
    expect(s.body).toMatchObject({
      name: "#1007",
      financialStatus: "AUTHORIZED",
      riskLevel: "HIGH",
      tags: ["vip"],
      closed: false,
      cancelled: false,
    });
    expect(s.body.transactions[0]).toMatchObject({ kind: "AUTHORIZATION", status: "SUCCESS" });
    expect(s.body.transactions[0].authorizationExpiresAt).toBeTruthy();
    expect(s.body.lineItems[0].properties).toEqual([
      { name: "Crop", value: "x:0.1 y:0 w:0.8 h:1" },
    ]);
    expect(
      s.body.fulfillmentOrders.map((f: Loose) => [f.location.name, f.status, f.requestStatus]),
    ).toEqual([
      ["Studio", "OPEN", "UNSUBMITTED"],
      ["Partner Lab", "OPEN", "UNSUBMITTED"],
    ]);
    const bad = await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "NOPE", quantity: 1 }], payment: "paid" },
    });
    expect(bad.status).toBe(422);
  });

  it("stops a fulfillment service taking requests and starts it again (POST /_sim/fulfillment-services/:handle/requests): no REQUEST_FULFILLMENT, and a request refused without a code", async () => {
    const { sim, token } = testSimulator();
    const r = await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 1 }], payment: "paid" },
    });
    const fo = r.body.fulfillmentOrderIds[0];
    const requests = "/_sim/fulfillment-services/partner-lab/requests";
    expect((await call(sim, "POST", requests, { shop: DEMO_SHOP, taken: "no" })).status).toBe(400);
    expect(
      (
        await call(sim, "POST", "/_sim/fulfillment-services/nobody/requests", {
          shop: DEMO_SHOP,
          taken: false,
        })
      ).status,
    ).toBe(404);
    expect((await call(sim, "POST", requests, { shop: DEMO_SHOP, taken: false })).body).toEqual({
      handle: "partner-lab",
      takesRequests: false,
    });
    const state = async () =>
      (await call(sim, "GET", `/_sim/orders/${encodeURIComponent(r.body.orderId)}`)).body
        .fulfillmentOrders[0];
    expect((await state()).supportedActions).not.toContain("REQUEST_FULFILLMENT");
    const request = `mutation($id: ID!) { fulfillmentOrderSubmitFulfillmentRequest(id: $id) { userErrors { message } } }`;
    const refused = await gql(sim, token, request, { id: fo });
    expect(refused.body.data?.fulfillmentOrderSubmitFulfillmentRequest.userErrors).toEqual([
      { message: expect.stringMatching(/doesn't accept fulfillment requests/) },
    ]);
    expect((await state()).requestStatus).toBe("UNSUBMITTED");
    await call(sim, "POST", requests, { shop: DEMO_SHOP, taken: true });
    expect((await state()).supportedActions).toContain("REQUEST_FULFILLMENT");
    await gql(sim, token, request, { id: fo });
    expect((await state()).requestStatus).toBe("SUBMITTED");
  });

  it("refunds unfulfilled items as staff do in admin (POST /_sim/orders/:id/staff-refund): the fulfillment order keeps fewer", async () => {
    const { sim } = testSimulator();
    const r = await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "MOUNT-A4", quantity: 2 }], payment: "paid" },
    });
    const path = `/_sim/orders/${encodeURIComponent(r.body.orderId)}/staff-refund`;
    expect((await call(sim, "POST", path, { lines: [{ sku: "NOPE", quantity: 1 }] })).status).toBe(
      400,
    );
    const refunded = await call(sim, "POST", path, { lines: [{ sku: "MOUNT-A4", quantity: 1 }] });
    expect(refunded.body.fulfillmentOrders[0].lineItems[0]).toMatchObject({
      sku: "MOUNT-A4",
      remainingQuantity: 1,
    });
  });

  it("lets staff adjust a location's available stock as admin does (POST /_sim/inventory, inventoryAdjustQuantities on available): what orders committed stays theirs", async () => {
    const { sim } = testSimulator();
    await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "BOOK-40", quantity: 3 }], payment: "paid" },
    });
    const adjust = (body: object) =>
      call(sim, "POST", "/_sim/inventory", { shop: DEMO_SHOP, ...body });
    // The photo book is sold on backorder: the demo's orders and this one took 3 more than there are.
    const before = (await adjust({ sku: "BOOK-40", location: "Studio", delta: 0 })).body;
    expect(before.available).toBeLessThanOrEqual(-3);
    const received = await adjust({ sku: "BOOK-40", location: "Studio", delta: 2 });
    expect(received.body).toEqual({ available: before.available + 2, committed: before.committed });
    expect((await adjust({ sku: "NOPE", location: "Studio", delta: 1 })).status).toBe(404);
    expect((await adjust({ sku: "BOOK-40", location: "Nowhere", delta: 1 })).status).toBe(404);
    expect((await adjust({ sku: "BOOK-40", location: "Studio", delta: 0.5 })).status).toBe(400);
    expect((await adjust({ sku: "BOOK-40", location: "Partner Lab", delta: 1 })).status).toBe(422);
  });

  it("marks a pending order paid (POST /_sim/orders/:id/pay)", async () => {
    const { sim } = testSimulator();
    const r = await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "MOUNT-A4", quantity: 1 }], payment: "pending" },
    });
    const paid = await call(sim, "POST", `/_sim/orders/${encodeURIComponent(r.body.orderId)}/pay`);
    expect(paid.body.financialStatus).toBe("PAID");
    expect(
      (await call(sim, "POST", `/_sim/orders/${encodeURIComponent(r.body.orderId)}/pay`)).status,
    ).toBe(422);
  });

  it("plays the fulfilment service: accept, fulfil with tracking, reject, and cancellation answers (POST /_sim/fulfillment-orders/:id/service-response)", async () => {
    const { sim, token } = testSimulator();
    const r = await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 1 }], payment: "paid" },
    });
    const fo = r.body.fulfillmentOrderIds[0];
    const path = `/_sim/fulfillment-orders/${encodeURIComponent(fo)}/service-response`;
    expect((await call(sim, "POST", path, { action: "accept" })).status).toBe(422);
    await gql(
      sim,
      token,
      `mutation($id: ID!) { fulfillmentOrderSubmitFulfillmentRequest(id: $id) { userErrors { message } } }`,
      { id: fo },
    );
    const accepted = await call(sim, "POST", path, { action: "accept" });
    expect(accepted.body.fulfillmentOrders[0]).toMatchObject({
      status: "IN_PROGRESS",
      requestStatus: "ACCEPTED",
    });
    const done = await call(sim, "POST", path, {
      action: "fulfill",
      tracking: { company: "UPS", number: "1Z999" },
    });
    expect(done.body.fulfillmentStatus).toBe("FULFILLED");
    expect(done.body.fulfillments[0]).toMatchObject({
      tracking: [{ company: "UPS", number: "1Z999", url: null }],
      createdBy: "service:partner-lab",
    });
    expect((await call(sim, "POST", path, { action: "dance" })).status).toBe(400);
  });

  it("lets staff hold a fulfillment order as Shopify admin's Hold fulfillment does: a hold no app placed (POST /_sim/fulfillment-orders/:id/staff-hold)", async () => {
    const { sim, token } = testSimulator();
    const r = await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid" },
    });
    const fo = r.body.fulfillmentOrderIds[0];
    const path = `/_sim/fulfillment-orders/${encodeURIComponent(fo)}/staff-hold`;
    expect((await call(sim, "POST", path, { reason: "NOPE" })).status).toBe(400);
    const held = await call(sim, "POST", path, {
      reason: "INCORRECT_ADDRESS",
      reasonNotes: "Customer called",
    });
    expect(held.body.fulfillmentOrders[0].status).toBe("ON_HOLD");
    const read = await gql(
      sim,
      token,
      `query($id: ID!) { fulfillmentOrder(id: $id) { fulfillmentHolds { reason heldByApp { id } heldByRequestingApp } } }`,
      { id: fo },
    );
    expect(read.body.data!.fulfillmentOrder.fulfillmentHolds).toEqual([
      { reason: "INCORRECT_ADDRESS", heldByApp: null, heldByRequestingApp: false },
    ]);
  });

  it("switches between Shopify's readings where its sources disagree, and refuses unknown ones (POST /_sim/readings)", async () => {
    const { sim } = testSimulator();
    expect((await call(sim, "GET", "/_sim/readings")).body.readings).toEqual({
      cancellationAccepted: "closed",
      refundRestockLocation: "assigned",
      partialMove: "carved",
      moveToOccupied: "merged",
      progressRefusal: "coded",
      accessDenied: "named",
      suggestedRefund: "calculated",
      draftPriceCurrency: "refused",
      mergeDeliveryMethod: "same",
      inventoryLevelUpdate: "any_quantity",
    });
    expect(
      (await call(sim, "POST", "/_sim/readings", { cancellationAccepted: "cancelled" })).body,
    ).toEqual({
      readings: {
        cancellationAccepted: "cancelled",
        refundRestockLocation: "assigned",
        partialMove: "carved",
        moveToOccupied: "merged",
        progressRefusal: "coded",
        accessDenied: "named",
        suggestedRefund: "calculated",
        draftPriceCurrency: "refused",
        mergeDeliveryMethod: "same",
        inventoryLevelUpdate: "any_quantity",
      },
    });
    expect(
      (await call(sim, "POST", "/_sim/readings", { refundRestockLocation: "required" })).body
        .readings.refundRestockLocation,
    ).toBe("required");
    expect(
      (await call(sim, "POST", "/_sim/readings", { refundRestockLocation: "closed" })).status,
    ).toBe(400);
    expect((await call(sim, "POST", "/_sim/readings", { cancellationAccepted: "x" })).status).toBe(
      400,
    );
    expect(
      (await call(sim, "POST", "/_sim/readings", { partialMove: "original_moves" })).body.readings
        .partialMove,
    ).toBe("original_moves");
    expect((await call(sim, "POST", "/_sim/readings", { partialMove: "split" })).status).toBe(400);
    expect(
      (await call(sim, "POST", "/_sim/readings", { moveToOccupied: "beside" })).body.readings
        .moveToOccupied,
    ).toBe("beside");
    expect((await call(sim, "POST", "/_sim/readings", { moveToOccupied: "x" })).status).toBe(400);
    expect(
      (await call(sim, "POST", "/_sim/readings", { progressRefusal: "uncoded" })).body.readings
        .progressRefusal,
    ).toBe("uncoded");
    expect((await call(sim, "POST", "/_sim/readings", { progressRefusal: "x" })).status).toBe(400);
    expect(
      (await call(sim, "POST", "/_sim/readings", { accessDenied: "bare" })).body.readings
        .accessDenied,
    ).toBe("bare");
    expect((await call(sim, "POST", "/_sim/readings", { accessDenied: "x" })).status).toBe(400);
    expect(
      (await call(sim, "POST", "/_sim/readings", { suggestedRefund: "none" })).body.readings
        .suggestedRefund,
    ).toBe("none");
    expect((await call(sim, "POST", "/_sim/readings", { suggestedRefund: null })).status).toBe(400);
    expect(
      (await call(sim, "POST", "/_sim/readings", { draftPriceCurrency: "converted" })).body.readings
        .draftPriceCurrency,
    ).toBe("converted");
    expect((await call(sim, "POST", "/_sim/readings", { draftPriceCurrency: "x" })).status).toBe(
      400,
    );
    expect(
      (await call(sim, "POST", "/_sim/readings", { inventoryLevelUpdate: "available" })).body
        .readings.inventoryLevelUpdate,
    ).toBe("available");
    expect(
      (await call(sim, "POST", "/_sim/readings", { inventoryLevelUpdate: "on_hand" })).status,
    ).toBe(400);
    expect((await call(sim, "POST", "/_sim/readings", { other: "closed" })).status).toBe(400);
    await call(sim, "POST", "/_sim/reset", { seed: "demo" });
    expect(sim.state.readings).toEqual({
      cancellationAccepted: "closed",
      refundRestockLocation: "assigned",
      partialMove: "carved",
      moveToOccupied: "merged",
      progressRefusal: "coded",
      accessDenied: "named",
      suggestedRefund: "calculated",
      draftPriceCurrency: "refused",
      mergeDeliveryMethod: "same",
      inventoryLevelUpdate: "any_quantity",
    });
  });

  it("reports per-shop stats: calls, points spent, throttled answers, webhooks (GET /_sim/stats)", async () => {
    const { sim, token } = testSimulator();
    await gql(sim, token, `{ shop { name } }`);
    await call(sim, "POST", "/_sim/faults", { throttle: 1 });
    await gql(sim, token, `{ shop { name } }`);
    const s = await call(sim, "GET", "/_sim/stats");
    expect(s.body.shops[DEMO_SHOP]).toMatchObject({
      calls: 2,
      pointsSpent: 1,
      throttled: 1,
      webhooks: { sent: 0, acknowledged: 0, failed: 0 },
    });
    expect(s.body.shops[DEMO_SHOP].throttleStatus.maximumAvailable).toBe(4000);
  });

  // Shopify reports each query's `requestedQueryCost` in `extensions.cost` (rate-limits docs, see
  // shared/shopify/SOURCES.md "Cost block in every response"); the stats keep the highest one.
  it("reports the highest requested cost of one query (GET /_sim/stats maxRequestedQueryCost)", async () => {
    const { sim, token } = testSimulator();
    const small = await gql(sim, token, `{ shop { name } }`);
    const large = await gql(sim, token, `{ products(first: 10) { nodes { id } } }`);
    const s = await call(sim, "GET", "/_sim/stats");
    const requested = [small, large].map((r) => r.body.extensions!.cost!.requestedQueryCost);
    expect(requested[1]).toBeGreaterThan(requested[0]!);
    expect(s.body.shops[DEMO_SHOP].maxRequestedQueryCost).toBe(Math.max(...requested));
  });

  // The cost block's actualQueryCost (same SOURCES.md section) is what the bucket loses; the stats
  // add it up per operation name, so a benchmark can say which read or mutation spent the points.
  it("reports the points spent by each operation (GET /_sim/stats operations)", async () => {
    const { sim, token } = testSimulator();
    const first = await gql(sim, token, `query ShopName { shop { name } }`);
    await gql(sim, token, `query ShopName { shop { name } }`);
    const products = await gql(sim, token, `query Few { products(first: 3) { nodes { id } } }`);
    const s = await call(sim, "GET", "/_sim/stats");
    expect(s.body.shops[DEMO_SHOP].operations).toEqual({
      ShopName: { calls: 2, pointsSpent: 2 * first.body.extensions!.cost!.actualQueryCost! },
      Few: { calls: 1, pointsSpent: products.body.extensions!.cost!.actualQueryCost },
    });
  });

  it("refuses an unknown fault or an out-of-range rate without changing anything (POST /_sim/faults)", async () => {
    const { sim } = testSimulator();
    expect((await call(sim, "POST", "/_sim/faults", { errorRate: 2 })).status).toBe(400);
    expect((await call(sim, "POST", "/_sim/faults", { lightning: true })).status).toBe(400);
    expect((await call(sim, "GET", "/_sim/faults")).body.faults.errorRate).toBe(0);
  });
});

describe("the simulator's clock (POST /_sim/clock) and an order's authorization (POST /_sim/orders/:id/authorization)", () => {
  const DAY = 24 * 3600 * 1000;
  const CAPTURE = `mutation($i: OrderCaptureInput!) { orderCapture(input: $i) { transaction { id } userErrors { field message } } }`;
  const READ = `query($id: ID!) { order(id: $id) { displayFinancialStatus transactions { id createdAt authorizationExpiresAt } } }`;

  async function authorizedOrder(sim: Simulator, shop: string) {
    const r = await call(sim, "POST", "/_sim/orders", {
      shop,
      order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "authorized" },
    });
    expect(r.status).toBe(201);
    return r.body.orderId as string;
  }

  it("lets an authorization lapse at its authorizationExpiresAt; capturing it then answers Shopify's words, the order shows Expired (OrderTransaction.authorizationExpiresAt, OrderTransactionErrorCode AUTHORIZATION_EXPIRED: 'The authorization has expired.', OrderDisplayFinancialStatus EXPIRED)", async () => {
    const { sim } = testSimulator();
    const plus = "clock-plus.myshopify.com";
    await call(sim, "POST", "/_sim/shops", { shop: plus, plan: "plus" });
    const token = sim.mintToken(plus);
    const orderId = await authorizedOrder(sim, plus);
    const before = (await gql(sim, token, READ, { id: orderId })).body.data!.order;
    const auth = before.transactions[0];
    expect(Date.parse(auth.authorizationExpiresAt) - sim.clock.now()).toBe(7 * DAY);

    const start = await call(sim, "GET", "/_sim/clock");
    expect(start.body).toEqual({ now: new Date(sim.clock.now()).toISOString(), offsetMs: 0 });
    // A minute before the deadline the authorization still holds.
    const moved = await call(sim, "POST", "/_sim/clock", {
      to: new Date(Date.parse(auth.authorizationExpiresAt) - 60_000).toISOString(),
    });
    expect(moved.status).toBe(200);
    expect(moved.body.offsetMs).toBe(7 * DAY - 60_000);
    expect(
      (await gql(sim, token, READ, { id: orderId })).body.data!.order.displayFinancialStatus,
    ).toBe("AUTHORIZED");
    // Then the deadline passes: nothing is captured, in Shopify's words.
    await call(sim, "POST", "/_sim/clock", { advanceMs: 60_000 });
    const refused = await gql(sim, token, CAPTURE, {
      i: { id: orderId, parentTransactionId: auth.id, amount: "1.00" },
    });
    expect(refused.body.data!.orderCapture).toEqual({
      transaction: null,
      userErrors: [
        { field: ["input", "parentTransactionId"], message: "The authorization has expired." },
      ],
    });
    const after = await call(sim, "GET", `/_sim/orders/${encodeURIComponent(orderId)}`);
    expect(after.body.financialStatus).toBe("EXPIRED");
    expect(after.body.transactions.map((t: { kind: string }) => t.kind)).toEqual(["AUTHORIZATION"]);
  });

  it("never runs backwards, refuses a body it cannot read, and starts again from the base clock on reset", async () => {
    const { sim } = testSimulator();
    const now = sim.clock.now();
    expect((await call(sim, "POST", "/_sim/clock", { advanceMs: -1 })).status).toBe(422);
    expect(
      (await call(sim, "POST", "/_sim/clock", { to: new Date(now - 1000).toISOString() })).status,
    ).toBe(422);
    expect((await call(sim, "POST", "/_sim/clock", {})).status).toBe(400);
    expect((await call(sim, "POST", "/_sim/clock", { advanceMs: 1, to: "x" })).status).toBe(400);
    expect((await call(sim, "POST", "/_sim/clock", { advanceMs: "a day" })).status).toBe(400);
    expect((await call(sim, "POST", "/_sim/clock", { to: "yesterday" })).status).toBe(400);
    expect(sim.clock.now()).toBe(now);
    await call(sim, "POST", "/_sim/clock", { advanceMs: 3 * DAY });
    expect(sim.clock.now()).toBe(now + 3 * DAY);
    await call(sim, "POST", "/_sim/reset", { seed: "demo" });
    expect((await call(sim, "GET", "/_sim/clock")).body.offsetMs).toBe(0);
    expect(sim.clock.now()).toBe(now);
  });

  it("brings what waits for a time due when it passes: a scheduled fulfillment order opens (FulfillmentOrder.fulfillAt: 'automatically transitioned to open')", async () => {
    const { sim } = testSimulator();
    const fulfillAt = new Date(sim.clock.now() + 2 * DAY).toISOString();
    const r = await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid", fulfillAt },
    });
    const state = () => call(sim, "GET", `/_sim/orders/${encodeURIComponent(r.body.orderId)}`);
    expect((await state()).body.fulfillmentOrders[0].status).toBe("SCHEDULED");
    const early = await call(sim, "POST", "/_sim/clock", { advanceMs: DAY });
    expect(early.body.timersFired).toBe(0);
    expect((await state()).body.fulfillmentOrders[0].status).toBe("SCHEDULED");
    const due = await call(sim, "POST", "/_sim/clock", { advanceMs: DAY });
    expect(due.body.timersFired).toBeGreaterThanOrEqual(1);
    expect((await state()).body.fulfillmentOrders[0].status).toBe("OPEN");
  });

  it("does the same over the real clock, as a simulator started on its own runs", async () => {
    const sim = createSimulator({ subscriptions: [], seed: "demo" });
    const fulfillAt = new Date(Date.now() + 2 * DAY).toISOString();
    const r = await call(sim, "POST", "/_sim/orders", {
      shop: DEMO_SHOP,
      order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid", fulfillAt },
    });
    const due = await call(sim, "POST", "/_sim/clock", {
      to: new Date(Date.parse(fulfillAt) + 1000).toISOString(),
    });
    expect(due.body.timersFired).toBe(1);
    expect(Date.parse(due.body.now)).toBeGreaterThanOrEqual(Date.parse(fulfillAt));
    const state = await call(sim, "GET", `/_sim/orders/${encodeURIComponent(r.body.orderId)}`);
    expect(state.body.fulfillmentOrders[0].status).toBe("OPEN");
  });

  it("keeps session tokens and access tokens on the base clock, so the app's own clock still accepts them", async () => {
    const { sim, token } = testSimulator();
    await call(sim, "POST", "/_sim/clock", { advanceMs: 30 * DAY });
    const a = await gql(sim, token, `{ shop { myshopifyDomain } }`);
    expect(a.body.data).toEqual({ shop: { myshopifyDomain: DEMO_SHOP } });
  });

  it("sets when an authorization lapses or was made, as its payment provider decided ('Payment wasn't captured before the payment provider's deadline', OrderDisplayFinancialStatus EXPIRED)", async () => {
    const { sim } = testSimulator();
    const plus = "deadline-plus.myshopify.com";
    await call(sim, "POST", "/_sim/shops", { shop: plus, plan: "plus" });
    const token = sim.mintToken(plus);
    const orderId = await authorizedOrder(sim, plus);
    const path = `/_sim/orders/${encodeURIComponent(orderId)}/authorization`;

    // A gateway with a shorter period: it lapses in 30 hours.
    const soon = new Date(sim.clock.now() + 30 * 3600 * 1000).toISOString();
    const set = await call(sim, "POST", path, { expiresAt: soon });
    expect(set.status).toBe(200);
    expect(set.body.transactions[0].authorizationExpiresAt).toBe(soon);
    let read = (await gql(sim, token, READ, { id: orderId })).body.data!.order;
    expect(read.transactions[0].authorizationExpiresAt).toBe(soon);

    // A checkout six days ago: made then, lapsing the gateway's 7 days later.
    const sixDaysAgo = new Date(sim.clock.now() - 6 * DAY).toISOString();
    await call(sim, "POST", path, { authorizedAt: sixDaysAgo });
    read = (await gql(sim, token, READ, { id: orderId })).body.data!.order;
    expect(read.transactions[0]).toMatchObject({
      createdAt: sixDaysAgo,
      authorizationExpiresAt: new Date(sim.clock.now() + DAY).toISOString(),
    });

    // Lapsed already: Shopify shows it Expired and refuses to capture it.
    await call(sim, "POST", path, { expiresAt: new Date(sim.clock.now() - 1).toISOString() });
    read = (await gql(sim, token, READ, { id: orderId })).body.data!.order;
    expect(read.displayFinancialStatus).toBe("EXPIRED");
    const refused = await gql(sim, token, CAPTURE, {
      i: { id: orderId, parentTransactionId: read.transactions[0].id, amount: "1.00" },
    });
    expect(refused.body.data!.orderCapture.userErrors[0].message).toBe(
      "The authorization has expired.",
    );

    expect((await call(sim, "POST", path, {})).status).toBe(400);
    expect((await call(sim, "POST", path, { expiresAt: "soon" })).status).toBe(400);
    const paid = await call(sim, "POST", "/_sim/orders", {
      shop: plus,
      order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid" },
    });
    expect(
      (
        await call(
          sim,
          "POST",
          `/_sim/orders/${encodeURIComponent(paid.body.orderId)}/authorization`,
          {
            expiresAt: soon,
          },
        )
      ).status,
    ).toBe(422);
  });
});

describe("Admin API faults on demand", () => {
  it("answers 5xx at the configured error rate", async () => {
    const { sim, token } = testSimulator();
    await call(sim, "POST", "/_sim/faults", { errorRate: 1 });
    const a = await gql(sim, token, `{ shop { name } }`);
    expect([500, 502, 503]).toContain(a.status);
    await call(sim, "POST", "/_sim/faults", { errorRate: 0 });
    expect((await gql(sim, token, `{ shop { name } }`)).status).toBe(200);
    expect(sim.stats.for(DEMO_SHOP).faults).toBe(1);
  });

  it("hangs then fails with 504 at the configured timeout rate", async () => {
    const { sim, token } = testSimulator();
    await call(sim, "POST", "/_sim/faults", { timeoutRate: 1, timeoutMs: 80 });
    const t0 = Date.now();
    const a = await gql(sim, token, `{ shop { name } }`);
    expect(a.status).toBe(504);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);
  });

  it("adds latency to every answer", async () => {
    const { sim, token } = testSimulator();
    await call(sim, "POST", "/_sim/faults", { latencyMs: 120 });
    const t0 = Date.now();
    expect((await gql(sim, token, `{ shop { name } }`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(115);
  });

  it("forces THROTTLED answers: always (true) or for the next N calls", async () => {
    const { sim, token } = testSimulator();
    await call(sim, "POST", "/_sim/faults", { throttle: 2 });
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push(errorsOf(await gql(sim, token, `{ shop { name } }`))[0]?.extensions?.code ?? "OK");
    expect(codes).toEqual(["THROTTLED", "THROTTLED", "OK"]);
    await call(sim, "POST", "/_sim/faults", { throttle: true });
    expect(errorsOf(await gql(sim, token, `{ shop { name } }`))[0]!.extensions!.code).toBe(
      "THROTTLED",
    );
  });

  // SOURCES.md §3: THROTTLED is HTTP 200 with no data and actualQueryCost null, whatever caused it.
  it("answers THROTTLED at the configured throttle rate, with nothing run", async () => {
    const { sim, token, shop } = testSimulator();
    await call(sim, "POST", "/_sim/faults", { throttleRate: 1 });
    const order = [...shop.orders.values()][0]!;
    const a = await gql(
      sim,
      token,
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["throttled"]) { userErrors { message } } }`,
      { id: `gid://shopify/Order/${order.id}` },
    );
    expect(a.status).toBe(200);
    expect(errorsOf(a)[0]!.extensions!.code).toBe("THROTTLED");
    expect(a.body.data).toBeUndefined();
    expect(a.body.extensions!.cost!.actualQueryCost).toBeNull();
    expect(order.tags).not.toContain("throttled");
    await call(sim, "POST", "/_sim/faults", { throttleRate: 0 });
    expect(errorsOf(await gql(sim, token, `{ shop { name } }`))).toEqual([]);
  });

  // Shopify's API docs (shopify.dev/docs/api/usage/response-codes) list 5xx answers, and a
  // 504 or a dropped connection says nothing about whether the mutation ran: this fault is the
  // case where it did, which is why a client may not simply send a mutation again.
  it("runs a mutation, then loses its answer: 504 after timeoutMs, the change made", async () => {
    const { sim, token, shop } = testSimulator();
    await call(sim, "POST", "/_sim/faults", { appliedThenTimeoutRate: 1, timeoutMs: 60 });
    const order = [...shop.orders.values()][0]!;
    const t0 = Date.now();
    const a = await gql(
      sim,
      token,
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["landed"]) { userErrors { message } } }`,
      { id: `gid://shopify/Order/${order.id}` },
    );
    expect(a.status).toBe(504);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
    expect(order.tags).toContain("landed");
    // Queries are answered as usual: only a mutation's answer is lost.
    expect((await gql(sim, token, `{ shop { name } }`)).status).toBe(200);
    expect(sim.stats.for(DEMO_SHOP).faults).toBe(1);
  });

  // The same Shopify document (shopify.dev/docs/api/usage/response-codes: a 5xx says nothing of
  // whether the mutation ran), aimed at one mutation by its operation name, for a test of one
  // lost answer at one place: the next N calls of it are made and answered 504, others as usual.
  it("loses the answer of the named mutation only, as many times as asked", async () => {
    const { sim, token, shop } = testSimulator();
    const bad = await call(sim, "POST", "/_sim/faults", { appliedThenTimeoutOf: { TagIt: -1 } });
    expect(bad.status).toBe(400);
    await call(sim, "POST", "/_sim/faults", { appliedThenTimeoutOf: { TagIt: 1 }, timeoutMs: 30 });
    const order = [...shop.orders.values()][0]!;
    const tag = (name: string, tag: string) =>
      gql(
        sim,
        token,
        `mutation ${name}($id: ID!) { tagsAdd(id: $id, tags: ["${tag}"]) { userErrors { message } } }`,
        { id: `gid://shopify/Order/${order.id}` },
      );
    expect((await tag("TagOther", "other")).status).toBe(200);
    expect((await tag("TagIt", "first")).status).toBe(504);
    expect(order.tags).toEqual(expect.arrayContaining(["other", "first"]));
    expect((await tag("TagIt", "second")).status).toBe(200);
    expect(order.tags).toContain("second");
    expect(sim.faults.config.appliedThenTimeoutOf).toEqual({ TagIt: 0 });
  });

  it("replays the same fault pattern for the same random seed", async () => {
    const pattern = async () => {
      const sim = createSimulator({ subscriptions: [], randomSeed: 7 });
      const token = sim.mintToken(DEMO_SHOP);
      sim.faults.set({ errorRate: 0.5 });
      const out = [];
      for (let i = 0; i < 12; i++)
        out.push((await gql(sim, token, `{ shop { name } }`)).status === 200 ? "." : "x");
      return out.join("");
    };
    expect(await pattern()).toBe(await pattern());
  });
});

describe("app config", () => {
  it("reads the app's webhook subscriptions and scopes from shopify.app.toml", async () => {
    const { readAppConfig } = await import("./app-config.ts");
    const cfg = readAppConfig();
    expect(cfg.subscriptions).toContainEqual({
      topic: "orders/paid",
      uri: "/webhooks/orders/paid",
    });
    // Compliance topics too: no shop event sends them, the control API plays the customer asking.
    expect(cfg.subscriptions).toContainEqual({
      topic: "customers/redact",
      uri: "/webhooks/customers/redact",
    });
    expect(cfg.scopes).toContain("write_merchant_managed_fulfillment_orders");
    expect(cfg.webhookApiVersion).toBe("2026-10");
  });
});
