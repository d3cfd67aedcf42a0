// The order detail's reads and inputs on a real SQLite file, with Shopify's answer played by a fake
// gateway that returns an OrderSnapshot document's data: live lines and holds joined with the read
// model, actions from Shopify's state, the decision trace, threaded notes, the timeline, a Shopify
// outage, and the parsing of commands and notes.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/setup/db";
import type { Db } from "../db/client.server";
import { englishTranslator, translatorOf } from "../i18n/i18next.server";
import { renderFieldErrors, renderWords } from "../i18n/words";
import { ruleHoldHandle } from "../routing";
import { words } from "../routing/words";
import type { AdminGateway } from "../shopify/gateway.server";
import type { OrderSnapshotQuery } from "../types/admin.generated";
import {
  addNote,
  belongsToOrder,
  isShopsOrder,
  loadOrderDetail,
  parseOrderCommand,
} from "./order-detail.server";

const SHOP = "detail-test.myshopify.com";
const ORDER = "gid://shopify/Order/1001";
const STUDIO_FO = "gid://shopify/FulfillmentOrder/11";
const LAB_FO = "gid://shopify/FulfillmentOrder/12";
const NOW = new Date("2026-11-24T12:00:00Z");

let db: Db;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await cleanup();
});

/** Shopify's answer to ORDER_SNAPSHOT_QUERY for a print in review at the Studio and a canvas for the lab. */
function orderData(): OrderSnapshotQuery {
  return {
    order: {
      id: ORDER,
      name: "#1001",
      createdAt: "2026-11-24T10:00:00Z",
      updatedAt: "2026-11-24T10:01:00Z",
      tags: ["web"],
      note: "Gift wrap please",
      closed: false,
      cancelledAt: null,
      displayFinancialStatus: "AUTHORIZED",
      capturable: true,
      sourceName: "web",
      paymentGatewayNames: ["bogus"],
      totalPriceSet: { shopMoney: { amount: "188.0", currencyCode: "EUR" } },
      risk: { recommendation: "ACCEPT", assessments: [{ riskLevel: "LOW" }] },
      shippingAddress: { countryCodeV2: "DE", provinceCode: "BE" },
      shippingLine: { title: "Standard", code: "STD" },
      customer: { id: "gid://shopify/Customer/1", displayName: "Mia Schmidt", tags: [] },
      transactions: [
        {
          id: "gid://shopify/OrderTransaction/1",
          kind: "AUTHORIZATION",
          status: "SUCCESS",
          authorizationExpiresAt: "2026-12-01T10:00:00Z",
          createdAt: "2026-11-24T10:00:00Z",
          gateway: "shopify_payments",
          totalUnsettledSet: { presentmentMoney: { amount: "188.0", currencyCode: "EUR" } },
        },
      ],
      totalOutstandingSet: { presentmentMoney: { amount: "188.0" } },
      fulfillments: [],
      lineItems: {
        nodes: [
          {
            id: "gid://shopify/LineItem/1",
            name: "Fine Art Print - Matte / A4",
            title: "Fine Art Print",
            variantTitle: "Matte / A4",
            sku: "PRINT-MATTE-A4",
            quantity: 2,
            unfulfilledQuantity: 2,
            requiresShipping: true,
            isGiftCard: false,
            vendor: "Studio",
            customAttributes: [
              { key: "Image", value: "IMG_2041.jpg" },
              { key: "_Crop", value: "x:0.10 y:0.05 w:0.80 h:0.90" },
              { key: "Empty", value: "" },
            ],
            variant: {
              id: "gid://shopify/ProductVariant/1",
              selectedOptions: [
                { name: "Paper", value: "Matte" },
                { name: "Size", value: "A4" },
              ],
            },
            product: { id: "gid://shopify/Product/1", productType: "Print", tags: ["print"] },
          },
          {
            id: "gid://shopify/LineItem/2",
            name: "Canvas Print",
            title: "Canvas Print",
            variantTitle: null,
            sku: "CANVAS-60x90-WRAP",
            quantity: 1,
            unfulfilledQuantity: 1,
            requiresShipping: true,
            isGiftCard: false,
            vendor: "Partner Lab",
            customAttributes: [],
            variant: {
              id: "gid://shopify/ProductVariant/2",
              selectedOptions: [{ name: "Title", value: "Default Title" }],
            },
            product: { id: "gid://shopify/Product/2", productType: "Canvas", tags: [] },
          },
        ],
      },
      fulfillmentOrders: {
        nodes: [
          {
            id: STUDIO_FO,
            status: "ON_HOLD",
            requestStatus: "UNSUBMITTED",
            updatedAt: "2026-11-24T10:01:00Z",
            assignedLocation: {
              name: "Studio",
              location: { id: "gid://shopify/Location/1", fulfillmentService: null },
            },
            supportedActions: [{ action: "RELEASE_HOLD" }, { action: "HOLD" }],
            fulfillmentHolds: [
              {
                id: "gid://shopify/FulfillmentHold/1",
                handle: ruleHoldHandle("rule-1", "review"),
                reason: "OTHER",
                reasonNotes: "Check the crop",
                heldByRequestingApp: true,
              },
            ],
            lineItems: {
              nodes: [
                {
                  id: "gid://shopify/FulfillmentOrderLineItem/1",
                  remainingQuantity: 2,
                  totalQuantity: 2,
                  lineItem: { id: "gid://shopify/LineItem/1" },
                },
              ],
            },
          },
          {
            id: LAB_FO,
            status: "OPEN",
            requestStatus: "UNSUBMITTED",
            updatedAt: "2026-11-24T10:01:00Z",
            assignedLocation: {
              name: "Partner Lab",
              location: {
                id: "gid://shopify/Location/2",
                fulfillmentService: { handle: "partner-lab", serviceName: "Partner Lab" },
              },
            },
            supportedActions: [
              { action: "REQUEST_FULFILLMENT" },
              { action: "HOLD" },
              { action: "CREATE_FULFILLMENT" },
            ],
            fulfillmentHolds: [],
            lineItems: {
              nodes: [
                {
                  id: "gid://shopify/FulfillmentOrderLineItem/2",
                  remainingQuantity: 1,
                  totalQuantity: 1,
                  lineItem: { id: "gid://shopify/LineItem/2" },
                },
              ],
            },
          },
        ],
      },
    },
    locations: {
      nodes: [
        {
          id: "gid://shopify/Location/1",
          name: "Studio",
          isActive: true,
          fulfillmentService: null,
        },
        {
          id: "gid://shopify/Location/2",
          name: "Partner Lab",
          isActive: true,
          fulfillmentService: { handle: "partner-lab", serviceName: "Partner Lab" },
        },
      ],
      pageInfo: { hasNextPage: false, endCursor: "Mg" },
    },
  } as OrderSnapshotQuery;
}

function gateway(answer: () => Promise<OrderSnapshotQuery>): AdminGateway {
  return { shop: SHOP, request: (async () => answer()) as AdminGateway["request"] };
}

async function seedDecisions() {
  await db.fulfillmentOrderRecord.createMany({
    data: [
      {
        shop: SHOP,
        fulfillmentOrderId: STUDIO_FO,
        orderId: ORDER,
        orderName: "#1001",
        customerName: "Mia Schmidt",
        status: "ON_HOLD",
        outcome: "in_review",
        reason: "Other: Check the crop",
        ruleName: "Review prints",
        locationName: "Studio",
        orderCreatedAt: new Date("2026-11-24T10:00:00Z"),
      },
      {
        shop: SHOP,
        fulfillmentOrderId: LAB_FO,
        orderId: ORDER,
        orderName: "#1001",
        customerName: "Mia Schmidt",
        status: "OPEN",
        outcome: "waiting_for_you",
        locationName: "Partner Lab",
        provider: "Partner Lab",
        orderCreatedAt: new Date("2026-11-24T10:00:00Z"),
      },
    ],
  });
  await db.decision.create({
    data: {
      shop: SHOP,
      orderId: ORDER,
      orderName: "#1001",
      trigger: "webhook",
      status: "applied",
      explanation: JSON.stringify([
        'Rule "Review prints" matched: product type is Print',
        "Waiting for your review",
      ]),
      plan: "{}",
      createdAt: new Date("2026-11-24T10:00:30Z"),
      steps: {
        create: [
          {
            key: "k1",
            position: 0,
            kind: "fulfillmentOrderHold",
            fulfillmentOrderId: STUDIO_FO,
            input: JSON.stringify({
              input: {},
              summary: 'Hold for review at "Studio"',
              why: { text: "Prints wait for review", ruleName: "Review prints" },
            }),
            status: "succeeded",
            attempts: 1,
            finishedAt: new Date("2026-11-24T10:00:31Z"),
          },
        ],
      },
    },
  });
  await db.decision.create({
    data: {
      shop: SHOP,
      orderId: ORDER,
      orderName: "#1001",
      trigger: "merchant",
      status: "needs_attention",
      explanation: "[]",
      plan: "{}",
      createdAt: new Date("2026-11-24T11:00:00Z"),
      steps: {
        create: [
          {
            key: "k2",
            position: 0,
            kind: "fulfillmentCreate",
            fulfillmentOrderId: LAB_FO,
            input: JSON.stringify({ summary: "Fulfil 1 items" }),
            status: "failed",
            error: "Partner Lab fulfils this one",
            attempts: 1,
          },
        ],
      },
    },
  });
}

describe("loading an order", () => {
  it("joins Shopify's fulfillment orders with the read model and offers what their state allows", async () => {
    await seedDecisions();
    const detail = await loadOrderDetail(
      { db, gateway: gateway(async () => orderData()) },
      { shop: SHOP, orderNumber: "1001", now: NOW },
    );
    expect(detail).not.toBeNull();
    const d = detail!;
    expect(d).toMatchObject({
      name: "#1001",
      live: true,
      shopifyError: null,
      customerName: "Mia Schmidt",
      riskLevel: "LOW",
      shippingAddress: { countryCode: "DE", provinceCode: "BE" },
      shippingMethod: "Standard",
      orderActions: { capture: true, archive: true },
      payment: {
        status: "AUTHORIZED",
        captured: false,
        authorizations: [
          {
            amount: "188.0",
            currencyCode: "EUR",
            expiresAt: "2026-12-01T10:00:00Z",
            deadline: {
              expiresAt: "2026-12-01T10:00:00.000Z",
              estimated: false,
              msLeft: (6 * 24 + 22) * 3600 * 1000,
            },
          },
        ],
      },
      hasPackingSlip: true,
    });
    const [studio, lab] = d.fulfillmentOrders;
    expect(studio).toMatchObject({
      locationName: "Studio",
      provider: null,
      outcome: "in_review",
      ruleName: "Review prints",
      holds: [{ reasonCode: "OTHER", notes: "Check the crop", placedBy: "review" }],
      actions: { approve: true, hold: true, release: true, fulfil: false },
    });
    expect(studio!.lines[0]).toMatchObject({
      title: "Fine Art Print",
      variantTitle: "Matte / A4",
      remaining: 2,
      options: [
        { name: "Paper", value: "Matte" },
        { name: "Size", value: "A4" },
      ],
      // Empty properties are left out; "_Crop" is shown without its underscore.
      properties: [
        { key: "Image", value: "IMG_2041.jpg" },
        { key: "Crop", value: "x:0.10 y:0.05 w:0.80 h:0.90" },
      ],
    });
    // The lab owns its fulfillment order: since API 2024-10 the app cannot fulfil it.
    expect(lab).toMatchObject({
      provider: "Partner Lab",
      actions: { approve: false, hold: true, release: false, fulfil: false },
    });
    expect(lab!.lines[0]!.options).toEqual([]);
  });

  it("traces decisions newest first with their Steps, and tells the order's story in the timeline", async () => {
    await seedDecisions();
    const d = (await loadOrderDetail(
      { db, gateway: gateway(async () => orderData()) },
      { shop: SHOP, orderNumber: "1001", now: NOW },
    ))!;
    expect(d.decisions.map((x) => [x.trigger, x.status])).toEqual([
      ["merchant", "needs_attention"],
      ["webhook", "applied"],
    ]);
    expect(d.decisions[1]).toMatchObject({
      explanation: [
        'Rule "Review prints" matched: product type is Print',
        "Waiting for your review",
      ],
      steps: [
        {
          summary: 'Hold for review at "Studio"',
          why: "Prints wait for review",
          ruleName: "Review prints",
          status: "succeeded",
        },
      ],
    });
    expect(d.decisions[0]!.steps[0]).toMatchObject({
      status: "failed",
      error: "Partner Lab fulfils this one",
    });
    // Said in the reader's language: the catalogue's English here, the steps' own text as stored.
    const t = await englishTranslator();
    expect(d.timeline.map((e) => renderWords(t, e.text))).toEqual([
      t("order.timeline.needsAttention", { trigger: t("order.trace.trigger.merchant") }),
      t("order.timeline.stepFailed", {
        step: "Fulfil 1 items",
        error: "Partner Lab fulfils this one",
      }),
      'Hold for review at "Studio"',
      t("order.trace.trigger.webhook"),
      t("order.timeline.placed"),
    ]);
    expect(d.timeline[0]!.tone).toBe("critical");
  });

  it("records the order as recently viewed", async () => {
    await loadOrderDetail(
      { db, gateway: gateway(async () => orderData()) },
      { shop: SHOP, orderNumber: "1001", now: NOW },
    );
    expect(await db.recentlyViewedOrder.findMany()).toMatchObject([
      { shop: SHOP, orderId: ORDER, orderName: "#1001" },
    ]);
  });

  it("shows what the app last saw, without actions, when Shopify does not answer", async () => {
    await seedDecisions();
    const down = gateway(async () => {
      throw new Error("Shopify answered 503");
    });
    const d = (await loadOrderDetail(
      { db, gateway: down },
      { shop: SHOP, orderNumber: "1001", now: NOW },
    ))!;
    expect(d).toMatchObject({
      live: false,
      shopifyError: "Shopify answered 503",
      payment: null,
      orderActions: { capture: false, archive: false },
    });
    expect(d.fulfillmentOrders.map((f) => [f.locationName, f.outcome, f.actions.approve])).toEqual([
      ["Studio", "in_review", false],
      ["Partner Lab", "waiting_for_you", false],
    ]);
    // Nothing known anywhere: the Shopify error surfaces; an unknown order is null.
    await expect(
      loadOrderDetail({ db, gateway: down }, { shop: SHOP, orderNumber: "9", now: NOW }),
    ).rejects.toThrow("503");
    expect(
      await loadOrderDetail(
        {
          db,
          gateway: gateway(
            async () =>
              ({
                order: null,
                locations: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
              }) as OrderSnapshotQuery,
          ),
        },
        { shop: SHOP, orderNumber: "9", now: NOW },
      ),
    ).toBeNull();
  });
});

describe("notes", () => {
  function form(entries: Record<string, string>) {
    const f = new FormData();
    for (const [k, v] of Object.entries(entries)) f.set(k, v);
    return f;
  }

  it("threads replies under their first note, even a reply to a reply", async () => {
    const first = await addNote(db, {
      shop: SHOP,
      orderId: ORDER,
      author: "Anna",
      form: form({ body: "Crop looks off" }),
    });
    if (!first.ok) throw new Error("note not added");
    const reply = await addNote(db, {
      shop: SHOP,
      orderId: ORDER,
      author: "Ben",
      form: form({ body: "Fixed it", parentId: first.value.id }),
    });
    if (!reply.ok) throw new Error("reply not added");
    await addNote(db, {
      shop: SHOP,
      orderId: ORDER,
      author: "Anna",
      form: form({ body: "Thanks", parentId: reply.value.id }),
    });
    await addNote(db, {
      shop: SHOP,
      orderId: ORDER,
      author: "Ben",
      form: form({ body: "Second thread" }),
    });

    const d = (await loadOrderDetail(
      { db, gateway: gateway(async () => orderData()) },
      { shop: SHOP, orderNumber: "1001", now: NOW },
    ))!;
    expect(d.notes.map((n) => [n.body, n.replies.map((r) => r.body)])).toEqual([
      ["Second thread", []],
      ["Crop looks off", ["Fixed it", "Thanks"]],
    ]);
  });

  it("answers field errors for an empty note or a reply to another order's note", async () => {
    expect(
      await addNote(db, { shop: SHOP, orderId: ORDER, author: null, form: form({ body: "   " }) }),
    ).toMatchObject({
      ok: false,
      errors: { body: words("fieldErrors.writeSomething") },
    });
    const other = await addNote(db, {
      shop: SHOP,
      orderId: "gid://shopify/Order/2",
      author: null,
      form: form({ body: "Elsewhere" }),
    });
    if (!other.ok) throw new Error("note not added");
    expect(
      await addNote(db, {
        shop: SHOP,
        orderId: ORDER,
        author: null,
        form: form({ body: "Hi", parentId: other.value.id }),
      }),
    ).toMatchObject({
      ok: false,
      errors: { parentId: words("fieldErrors.noteGone") },
    });
  });
});

describe("commands from the order detail", () => {
  function form(entries: Record<string, string>) {
    const f = new FormData();
    for (const [k, v] of Object.entries(entries)) f.set(k, v);
    return f;
  }

  const NOTIFY = { notifyCustomer: true };

  it("turns the form into the executor's MerchantCommand, order-level ones on the order in the URL", () => {
    expect(
      parseOrderCommand(
        form({ intent: "command", action: "approve", fulfillmentOrderId: STUDIO_FO }),
        ORDER,
        NOTIFY,
      ),
    ).toEqual({
      ok: true,
      value: { action: "approve", fulfillmentOrderId: STUDIO_FO },
    });
    expect(
      parseOrderCommand(
        form({
          action: "hold",
          fulfillmentOrderId: STUDIO_FO,
          reason: "INCORRECT_ADDRESS",
          note: " Street? ",
        }),
        ORDER,
        NOTIFY,
      ),
    ).toEqual({
      ok: true,
      value: {
        action: "hold",
        fulfillmentOrderId: STUDIO_FO,
        reason: "INCORRECT_ADDRESS",
        note: "Street?",
      },
    });
    expect(
      parseOrderCommand(
        form({ action: "fulfil", fulfillmentOrderId: STUDIO_FO, notifyCustomer: "false" }),
        ORDER,
        NOTIFY,
      ),
    ).toEqual({
      ok: true,
      value: { action: "fulfil", fulfillmentOrderId: STUDIO_FO, notifyCustomer: false },
    });
    // Without a choice on the form, the shop's Settings decide whether the customer hears of it.
    expect(
      parseOrderCommand(form({ action: "fulfil", fulfillmentOrderId: STUDIO_FO }), ORDER, {
        notifyCustomer: false,
      }),
    ).toEqual({
      ok: true,
      value: { action: "fulfil", fulfillmentOrderId: STUDIO_FO, notifyCustomer: false },
    });
    expect(
      parseOrderCommand(
        form({ action: "capture", orderId: "gid://shopify/Order/666" }),
        ORDER,
        NOTIFY,
      ),
    ).toEqual({
      ok: true,
      value: { action: "capture", orderId: ORDER },
    });
  });

  it("answers field errors for a hold without a reason, a foreign id or no action, in the admin's language", async () => {
    const hold = parseOrderCommand(
      form({ action: "hold", fulfillmentOrderId: STUDIO_FO, note: "x".repeat(256) }),
      ORDER,
      NOTIFY,
    );
    const foreign = parseOrderCommand(
      form({ action: "release", fulfillmentOrderId: "gid://shopify/Order/1" }),
      ORDER,
      NOTIFY,
    );
    const none = parseOrderCommand(form({ action: "explode" }), ORDER, NOTIFY);
    if (hold.ok || foreign.ok || none.ok) throw new Error("a bad command parsed");
    const en = await englishTranslator();
    const de = await translatorOf("de");
    expect(renderFieldErrors(en, hold.errors)).toEqual({
      reason: en("fieldErrors.required.reason"),
      note: en("fieldErrors.maxLength", { max: 255 }),
    });
    expect(renderFieldErrors(de, hold.errors).reason).toBe(de("fieldErrors.required.reason"));
    expect(renderFieldErrors(en, foreign.errors)).toEqual({
      fulfillmentOrderId: en("fieldErrors.notThisOrdersFulfillmentOrder"),
    });
    expect(renderFieldErrors(en, none.errors)).toEqual({ action: en("fieldErrors.required.type") });
    // Each reads as the catalogue's sentence, never a key or zod's own English.
    for (const message of Object.values({
      ...renderFieldErrors(de, hold.errors),
      ...renderFieldErrors(de, foreign.errors),
      ...renderFieldErrors(de, none.errors),
    }))
      expect(message).not.toMatch(/fieldErrors|Invalid|Expected/);
  });

  it("acts only on this order's fulfillment orders", async () => {
    await seedDecisions();
    expect(
      await belongsToOrder(db, SHOP, ORDER, { action: "release", fulfillmentOrderId: STUDIO_FO }),
    ).toBe(true);
    expect(
      await belongsToOrder(db, SHOP, "gid://shopify/Order/2", {
        action: "release",
        fulfillmentOrderId: STUDIO_FO,
      }),
    ).toBe(false);
    expect(
      await belongsToOrder(db, "other.myshopify.com", ORDER, {
        action: "release",
        fulfillmentOrderId: STUDIO_FO,
      }),
    ).toBe(false);
    expect(await belongsToOrder(db, SHOP, ORDER, { action: "archive", orderId: ORDER })).toBe(true);
  });

  it("takes an order as this shop's only when a decision, a fulfillment order or Shopify says so", async () => {
    await seedDecisions();
    const noOrder = gateway(async () => ({ ...orderData(), order: null }));
    expect(await isShopsOrder({ db, gateway: noOrder }, SHOP, ORDER)).toBe(true);
    // Another shop asking for this order: nothing here, and its own Shopify has no such order.
    expect(await isShopsOrder({ db, gateway: noOrder }, "other.myshopify.com", ORDER)).toBe(false);
    // An order placed before the app was installed: only Shopify knows it.
    const unknown = "gid://shopify/Order/77";
    const known = gateway(async () => ({
      ...orderData(),
      order: { ...orderData().order!, id: unknown },
    }));
    expect(await isShopsOrder({ db, gateway: known }, SHOP, unknown)).toBe(true);
  });
});
