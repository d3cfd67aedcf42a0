// Shopify's privacy webhooks, signed as Shopify signs them, against every table that holds a
// customer's orders: the data request's report covers each of them (rows keyed by fulfillment order
// too), customers/redact erases each of them and leaves another customer's orders alone.
import { readFileSync } from "node:fs";
import { getDMMF } from "@prisma/get-dmmf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { englishTranslator } from "~/i18n/i18next.server";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { dataRequestFile, listDataRequests } from "~/services/compliance.server";
import { eraseShop } from "~/services/shops.server";
import { intakeWebhook } from "~/webhooks/intake.server";
import { forgetInstalled } from "~/webhooks/installed.server";
import { installShop } from "../support/install";
import { respond, signedDelivery } from "../support/webhooks";

const shop = "privacy-test.myshopify.com";
const customer = { id: 207119551, email: "ada@example.com", phone: "555-625-1199" };
const order = (n: number) => `gid://shopify/Order/${n}`;
const fo = (n: number) => `gid://shopify/FulfillmentOrder/${n}`;

beforeEach(async () => {
  forgetInstalled();
  await installShop(db, shop);
});
afterEach(async () => {
  await eraseShop(db, shop);
  await eraseShop(db, "other-privacy.myshopify.com");
});

/** Sends a delivery through the signed intake, as Shopify would. */
async function deliver(topic: string, body: string | object) {
  const response = await intakeWebhook(signedDelivery({ topic, shop, body }));
  expect(response.status).toBe(200);
}

/** Sends customers/data_request for the orders, as Shopify would; answers the stored report. */
async function reportFor(ordersRequested: number[]) {
  const response = await respond(
    dataRequest,
    signedDelivery({
      topic: "customers/data_request",
      shop,
      body: { shop_domain: shop, orders_requested: ordersRequested, customer },
    }),
  );
  expect(response.status).toBe(200);
  const [listed] = await listDataRequests(db, shop);
  return JSON.parse((await dataRequestFile(db, shop, listed!.id))!.body);
}

/** Sends customers/redact for the orders, as Shopify would. */
async function redactFor(ordersToRedact: number[]) {
  const response = await respond(
    customersRedact,
    signedDelivery({
      topic: "customers/redact",
      shop,
      body: { shop_domain: shop, customer, orders_to_redact: ordersToRedact },
    }),
  );
  expect(response.status).toBe(200);
}

/** One order with two fulfillment orders, in every table that can hold it. */
async function seedOrder(n: number, foA: number, foB: number, forShop = shop) {
  const orderId = order(n);
  const name = `#${n}`;
  for (const [f, location] of [
    [foA, "Studio"],
    [foB, "Partner Lab"],
  ] as const)
    await db.fulfillmentOrderRecord.create({
      data: {
        shop: forShop,
        fulfillmentOrderId: fo(f),
        orderId,
        orderName: name,
        customerName: `Customer of ${name}`,
        status: "OPEN",
        outcome: "in_review",
        locationName: location,
        orderCreatedAt: new Date(),
      },
    });
  await db.decision.create({
    data: {
      shop: forShop,
      orderId,
      orderName: name,
      trigger: "webhook",
      status: "applied",
      // A row written before Words were kept (English text) and one the engine wrote as Words.
      explanation: JSON.stringify([
        `Rule Lab prints matched ${name}`,
        { key: "engine.attention.requestRejected", params: { service: `Partner Lab ${name}` } },
      ]),
      plan: "{}",
      steps: {
        create: {
          key: `hold-${n}`,
          position: 0,
          kind: "fulfillmentOrderHold",
          fulfillmentOrderId: fo(foB),
          input: "{}",
          status: "succeeded",
        },
      },
    },
  });
  await db.orderNote.create({
    data: { shop: forShop, orderId, author: "Sam", body: `Crop looks off on ${name}` },
  });
  await db.approval.create({
    data: { shop: forShop, orderId, fulfillmentOrderId: fo(foA), approvedBy: "Sam" },
  });
  await db.fulfillmentOrderNote.create({
    data: {
      shop: forShop,
      orderId,
      fulfillmentOrderId: fo(foB),
      author: "Sam",
      body: `Lab paper out for ${name}`,
    },
  });
  await db.recentlyViewedOrder.create({ data: { shop: forShop, orderId, orderName: name } });
  await db.labReport.create({
    data: {
      shop: forShop,
      orderId,
      orderName: name,
      fulfillmentOrderId: fo(foB),
      status: "shipped",
      tracking: JSON.stringify({ company: "DHL", number: `TRACK-${n}`, url: null }),
      source: "merchant",
      labName: "Partner Lab",
      recordedBy: "Sam",
      recordedAt: new Date(),
    },
  });
  await db.finding.create({
    data: {
      shop: forShop,
      key: `lab_shipped:${fo(foB)}`,
      category: "drift",
      kind: "lab_shipped",
      orderId,
      orderName: name,
      fulfillmentOrderId: fo(foB),
      since: new Date(),
      summary: `The lab shipped ${name}`,
      evidence: "{}",
    },
  });
  await db.bulkJob.create({
    data: {
      shop: forShop,
      action: "approve",
      total: 1,
      items: { create: { targetId: fo(foA), label: name } },
    },
  });
  // A remake of the order, made as another order that belongs to the customer too.
  await db.remake.create({
    data: {
      shop: forShop,
      orderId,
      orderName: name,
      reason: `Wrong crop on ${name}`,
      lines: JSON.stringify([
        { lineItemId: "gid://shopify/LineItem/1", title: "Print", quantity: 1 },
      ]),
      unitPrice: "0.00",
      currency: "EUR",
      replacementOrderId: order(n + 1),
      replacementName: `#${n + 1}`,
      status: "completed",
      createdBy: "Sam",
    },
  });
  // An extra charge after payment, invoiced as a draft order that the customer paid as another
  // order of theirs.
  await db.extraCharge.create({
    data: {
      shop: forShop,
      orderId,
      orderName: name,
      reason: `Express shipping for ${name}`,
      amount: "9.50",
      currency: "EUR",
      draftOrderId: `gid://shopify/DraftOrder/${n}`,
      draftOrderName: `#D${n}`,
      invoiceUrl: `https://example.com/invoices/${n}`,
      paidOrderId: order(n + 2),
      paidOrderName: `#${n + 2}`,
      status: "paid",
      createdBy: "Sam",
    },
  });
}

async function seedDeliveries(n: number, foA: number, foB: number) {
  await deliver("orders/paid", {
    id: n,
    admin_graphql_api_id: order(n),
    email: `buyer-${n}@example.com`,
    line_items: [],
  });
  await deliver("fulfillment_orders/fulfillment_request_accepted", {
    fulfillment_order: { id: fo(foB), status: "in_progress" },
    message: `Accepted ${n}`,
  });
  await deliver("fulfillment_holds/added", {
    fulfillment_order: { id: fo(foA) },
    fulfillment_hold: { id: `gid://shopify/FulfillmentHold/${n}`, reason: "other" },
  });
  await deliver("fulfillments/create", {
    id: n + 5,
    order_id: n,
    admin_graphql_api_id: `gid://shopify/Fulfillment/${n + 5}`,
    destination: { first_name: "Ada", address1: `${n} Analytical Street` },
  });
}

/** How many rows each table holds about the order (and its fulfillment orders). */
async function rowsAbout(n: number, foA: number, foB: number) {
  const orderId = order(n);
  const fos = [fo(foA), fo(foB)];
  return {
    fulfillmentOrders: await db.fulfillmentOrderRecord.count({ where: { shop, orderId } }),
    decisions: await db.decision.count({ where: { shop, orderId } }),
    steps: await db.step.count({ where: { fulfillmentOrderId: { in: fos } } }),
    notes: await db.orderNote.count({ where: { shop, orderId } }),
    approvals: await db.approval.count({ where: { shop, fulfillmentOrderId: { in: fos } } }),
    fulfillmentOrderNotes: await db.fulfillmentOrderNote.count({
      where: { shop, fulfillmentOrderId: { in: fos } },
    }),
    recentlyViewed: await db.recentlyViewedOrder.count({ where: { shop, orderId } }),
    labReports: await db.labReport.count({ where: { shop, fulfillmentOrderId: { in: fos } } }),
    findings: await db.finding.count({ where: { shop, fulfillmentOrderId: { in: fos } } }),
    bulkItems: await db.bulkJobItem.count({ where: { targetId: { in: fos } } }),
    remakes: await db.remake.count({
      where: { shop, OR: [{ orderId }, { replacementOrderId: orderId }] },
    }),
    extraCharges: await db.extraCharge.count({
      where: { shop, OR: [{ orderId }, { paidOrderId: orderId }] },
    }),
    deliveries:
      (await db.webhookDelivery.count({ where: { shop, subjectId: { in: [orderId, ...fos] } } })) +
      (await db.webhookDelivery.count({
        where: { shop, topic: "fulfillments/create", payload: { contains: `"order_id":${n},` } },
      })),
  };
}

const everything = {
  fulfillmentOrders: 2,
  decisions: 1,
  steps: 1,
  notes: 1,
  approvals: 1,
  fulfillmentOrderNotes: 1,
  recentlyViewed: 1,
  labReports: 1,
  findings: 1,
  bulkItems: 1,
  remakes: 1,
  extraCharges: 1,
  deliveries: 4,
};
const nothing = Object.fromEntries(Object.keys(everything).map((k) => [k, 0]));

describe("customers/data_request", () => {
  it("reports every table holding the customer's orders, and the merchant can list and download it", async () => {
    await seedOrder(1001, 501, 502);
    await seedDeliveries(1001, 501, 502);
    // Another customer's order: in none of the report.
    await seedOrder(3003, 503, 504);
    await seedDeliveries(3003, 503, 504);
    expect(await rowsAbout(1001, 501, 502)).toEqual(everything);

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

    const [listed] = await listDataRequests(db, shop);
    expect(listed).toMatchObject({ customerId: "gid://shopify/Customer/207119551", orders: 1 });
    const file = await dataRequestFile(db, shop, listed!.id);
    expect(file?.filename).toMatch(/^customer-207119551-data-\d{4}-\d{2}-\d{2}\.json$/);
    const report = JSON.parse(file!.body);
    expect(report).toMatchObject({
      customerId: "gid://shopify/Customer/207119551",
      dataRequestId: "9999",
    });
    expect(report.orders).toHaveLength(1);
    const [o] = report.orders;
    expect(o).toMatchObject({ orderId: order(1001), orderName: "#1001" });
    expect(o.fulfillmentOrders.map((f: { customerName: string }) => f.customerName)).toEqual([
      "Customer of #1001",
      "Customer of #1001",
    ]);
    // Sentences for the customer, not catalogue keys: the stored Words said in the catalogue's English.
    const english = await englishTranslator();
    expect(o.decisions[0].explanation).toEqual([
      "Rule Lab prints matched #1001",
      english("engine.attention.requestRejected", { service: "Partner Lab #1001" }),
    ]);
    expect(o.decisions[0].steps[0]).toMatchObject({
      kind: "fulfillmentOrderHold",
      fulfillmentOrderId: fo(502),
    });
    expect(o.notes).toEqual([
      expect.objectContaining({ author: "Sam", body: "Crop looks off on #1001" }),
    ]);
    expect(o.approvals).toEqual([expect.objectContaining({ fulfillmentOrderId: fo(501) })]);
    expect(o.fulfillmentOrderNotes).toEqual([
      expect.objectContaining({ fulfillmentOrderId: fo(502), body: "Lab paper out for #1001" }),
    ]);
    expect(o.recentlyViewed).toHaveLength(1);
    expect(o.labReports[0]).toMatchObject({
      fulfillmentOrderId: fo(502),
      tracking: { company: "DHL", number: "TRACK-1001" },
    });
    expect(o.findings[0]).toMatchObject({ summary: "The lab shipped #1001" });
    expect(o.bulkActions).toEqual([
      expect.objectContaining({ action: "approve", targetId: fo(501), label: "#1001" }),
    ]);
    expect(o.remakes).toEqual([
      expect.objectContaining({
        orderId: order(1001),
        replacementOrderId: order(1002),
        reason: "Wrong crop on #1001",
        lines: [expect.objectContaining({ title: "Print", quantity: 1 })],
        createdBy: "Sam",
      }),
    ]);
    expect(o.extraCharges).toEqual([
      expect.objectContaining({
        orderId: order(1001),
        reason: "Express shipping for #1001",
        amount: "9.50",
        invoiceUrl: "https://example.com/invoices/1001",
        paidOrderId: order(1003),
        status: "paid",
      }),
    ]);
    // Every delivery about the order, its fulfillment orders and its fulfillments, as sent.
    expect(o.webhooksReceived.map((w: { topic: string }) => w.topic).sort()).toEqual([
      "fulfillment_holds/added",
      "fulfillment_orders/fulfillment_request_accepted",
      "fulfillments/create",
      "orders/paid",
    ]);
    const paid = o.webhooksReceived.find((w: { topic: string }) => w.topic === "orders/paid");
    expect(paid.payload.email).toBe("buyer-1001@example.com");
    // Nothing of the other customer's order.
    expect(file!.body).not.toContain("3003");
    expect(file!.body).not.toContain(fo(503));

    // Another shop cannot read it.
    expect(await dataRequestFile(db, "other-privacy.myshopify.com", listed!.id)).toBeNull();
  });
});

describe("customers/redact", () => {
  it("erases every row about the customer's orders, those keyed by fulfillment order too, and keeps other orders", async () => {
    await seedOrder(1001, 501, 502);
    await seedDeliveries(1001, 501, 502);
    await seedOrder(3003, 503, 504);
    await seedDeliveries(3003, 503, 504);
    await db.job.create({
      data: {
        queue: "route-order",
        shop,
        payload: JSON.stringify({ shop, orderId: order(1001), trigger: "webhook" }),
        status: "done",
        finishedAt: new Date(),
      },
    });

    // Shopify may send it more than once.
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
    expect(await rowsAbout(1001, 501, 502)).toEqual(nothing);
    expect(await db.job.count({ where: { payload: { contains: order(1001) } } })).toBe(0);
    expect(await rowsAbout(3003, 503, 504)).toEqual(everything);
  });
});

describe("fulfillments/create deliveries name their order by number", () => {
  // Order 100's number is the start of order 1001's: each is matched whole, however the body is
  // spaced, and never by a number that merely starts the same.
  async function fulfillment(orderNumber: number, id: number, spaced = false) {
    const body = {
      id,
      order_id: orderNumber,
      destination: { address1: `${id} Fulfillment Street` },
    };
    await deliver("fulfillments/create", spaced ? JSON.stringify(body, null, 1) : body);
  }
  const fulfilledOrders = async () =>
    (await db.webhookDelivery.findMany({ where: { shop, topic: "fulfillments/create" } }))
      .map((d) => (JSON.parse(d.payload) as { order_id: number }).order_id)
      .sort((a, b) => a - b);

  beforeEach(async () => {
    await fulfillment(100, 7001);
    await fulfillment(100, 7002, true);
    await fulfillment(1001, 7003);
    await fulfillment(10, 7004);
  });

  it("reports exactly the requested order's fulfillments", async () => {
    const report = await reportFor([100]);
    expect(
      report.orders[0].webhooksReceived.map((w: { payload: { id: number } }) => w.payload.id),
    ).toEqual([7001, 7002]);
  });

  it("redacts exactly the customer's order's fulfillments", async () => {
    await redactFor([100]);
    expect(await fulfilledOrders()).toEqual([10, 1001]);
  });
});

describe("draft orders: an extra charge's and the customer's own", () => {
  const draft = (n: number) => `gid://shopify/DraftOrder/${n}`;
  /** A draft_orders/update as Shopify sent it before the subscription cut it to id and tags. */
  async function deliverDraft(n: number, customerId: number, email: string, tags = "") {
    await deliver("draft_orders/update", {
      id: n,
      admin_graphql_api_id: draft(n),
      email,
      tags,
      customer: { id: customerId, email, first_name: "Ada" },
      shipping_address: { address1: `${n} Draft Street` },
    });
  }
  const draftsLeft = async () =>
    (
      await db.webhookDelivery.findMany({
        where: { shop, topic: "draft_orders/update" },
        orderBy: { subjectId: "asc" },
      })
    ).map((d) => d.subjectId);

  beforeEach(async () => {
    // Orders 1001 (the customer's) and 3003 (another's), each with an extra charge whose draft is
    // DraftOrder/<order> (seedOrder).
    await seedOrder(1001, 501, 502);
    await seedOrder(3003, 503, 504);
    await deliverDraft(1001, customer.id, customer.email, "extra-charge");
    await deliverDraft(3003, 5550001, "someone@example.com", "extra-charge");
    // A draft staff made for the customer in Shopify admin, named by its customer alone.
    await deliverDraft(7007, customer.id, customer.email);
    // Another customer's draft, whose number merely starts like this customer's.
    await deliverDraft(8008, Number(`${customer.id}9`), "other@example.com");
  });

  it("reports the customer's drafts: the charge's under its order, their own draft apart", async () => {
    const report = await reportFor([1001]);
    const drafts = report.orders[0].webhooksReceived.filter(
      (w: { topic: string }) => w.topic === "draft_orders/update",
    );
    expect(drafts.map((w: { payload: { id: number } }) => w.payload.id)).toEqual([1001]);
    expect(drafts[0].payload.shipping_address).toEqual({ address1: "1001 Draft Street" });
    expect(
      report.otherWebhooksReceived.map((w: { payload: { id: number } }) => w.payload.id),
    ).toEqual([7007]);
    expect(JSON.stringify(report)).not.toContain("3003 Draft Street");
    expect(JSON.stringify(report)).not.toContain("8008 Draft Street");
  });

  it("erases the customer's drafts on customers/redact and keeps other customers'", async () => {
    await redactFor([1001]);
    expect(await draftsLeft()).toEqual([draft(3003), draft(8008)]);
  });
});

describe("shop/redact", () => {
  it("erases lab reports, findings and extra charges with the rest of the shop", async () => {
    await seedOrder(1001, 501, 502);
    const response = await respond(
      shopRedact,
      signedDelivery({ topic: "shop/redact", shop, body: { shop_id: 954889, shop_domain: shop } }),
    );
    expect(response.status).toBe(200);
    expect(await rowsAbout(1001, 501, 502)).toEqual(nothing);
  });
});

// --- Every table the schema declares ----------------------------------------------------------
// The tests above name each table; these read the tables from prisma/schema.prisma, so a table
// added later that holds an order (a field named orderId or …OrderId) and is missing from the
// report or a redaction fails here, not in a customer's complaint.

type Dmmf = Exclude<ReturnType<typeof getDMMF>, { type: "wasm-error" | "parse-json" }>;
type Model = Dmmf["datamodel"]["models"][number];
type Field = Model["fields"][number];
interface Delegate {
  create(args: { data: Record<string, unknown> }): Promise<Record<string, unknown>>;
  count(args: { where: Record<string, unknown> }): Promise<number>;
}

const schema = getDMMF({ datamodel: readFileSync("prisma/schema.prisma", "utf8") });
if ("type" in schema) throw new Error(`prisma/schema.prisma does not parse: ${schema.reason}`);
const models: readonly Model[] = schema.datamodel.models;
const modelNamed = (name: string) => models.find((m) => m.name === name)!;
const delegate = (model: Model) =>
  (db as unknown as Record<string, Delegate>)[model.name[0]!.toLowerCase() + model.name.slice(1)]!;
const isOrderKey = (field: Field) =>
  field.kind === "scalar" && /^orderId$|OrderId$/.test(field.name);
/** Tables that hold an order: a field naming an order or a fulfillment order. */
const orderKeyed = models.filter((m) => m.fields.some(isOrderKey));
/** The fields a row's relations fill (Step.decisionId): the parent's key, not a value of ours. */
const foreignKeys = (model: Model) =>
  new Set(model.fields.flatMap((f) => (f.kind === "object" ? (f.relationFromFields ?? []) : [])));
const idFields = (model: Model) =>
  model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);

/** What a field of order n's row holds: the order's ids where it names one, else a marker. */
function valueOf(model: Model, field: Field, n: number, forShop: string): unknown {
  if (field.name === "shop") return forShop;
  if (/fulfillmentOrderId$/i.test(field.name)) return fo(n);
  if (/draftOrderId$/i.test(field.name)) return `gid://shopify/DraftOrder/${n}`;
  if (isOrderKey(field)) return order(n);
  switch (field.type) {
    case "String":
      return `${model.name}.${field.name} of #${n}`;
    case "Int":
    case "Float":
      return 1;
    case "BigInt":
      return BigInt(1);
    case "Boolean":
      return false;
    case "DateTime":
      return new Date();
    case "Json":
      return {};
    default:
      throw new Error(`${model.name}.${field.name}: no test value for type ${field.type}`);
  }
}

/**
 * One row of the model about order n, every column filled (markers in the text columns), its
 * required parents made first. Returns the rows made, each by its primary key.
 */
async function seedRow(
  model: Model,
  n: number,
  forShop: string,
): Promise<Array<{ model: Model; key: Record<string, unknown> }>> {
  const made: Array<{ model: Model; key: Record<string, unknown> }> = [];
  const data: Record<string, unknown> = {};
  const fks = foreignKeys(model);
  for (const field of model.fields) {
    if (field.kind === "object") {
      const from = field.relationFromFields ?? [];
      if (from.length === 0 || !field.isRequired) continue;
      const parentRows = await seedRow(modelNamed(field.type), n, forShop);
      made.push(...parentRows);
      const parent = parentRows[parentRows.length - 1]!;
      from.forEach((fk, i) => {
        data[fk] = parent.key[field.relationToFields?.[i] ?? "id"];
      });
      continue;
    }
    if (fks.has(field.name) || field.isList) continue;
    // Generated ids stay generated; an id without a default (Session's) gets a value.
    if (field.isId && field.hasDefaultValue) continue;
    data[field.name] = valueOf(model, field, n, forShop);
  }
  const row = await delegate(model).create({ data });
  made.push({ model, key: Object.fromEntries(idFields(model).map((f) => [f, row[f]])) });
  return made;
}

const stillThere = async (rows: Array<{ model: Model; key: Record<string, unknown> }>) => {
  const left: string[] = [];
  for (const { model, key } of rows)
    if ((await delegate(model).count({ where: key })) > 0) left.push(model.name);
  return left;
};

describe("every table of the schema that holds an order", () => {
  const otherShop = "other-privacy.myshopify.com";

  it("finds the order tables in the schema (ExtraCharge among them)", () => {
    // The guard below is only as good as this list: it must see the tables named in the tests
    // above, or it guards nothing.
    expect(orderKeyed.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        "Decision",
        "Step",
        "OrderNote",
        "FulfillmentOrderNote",
        "FulfillmentOrderRecord",
        "RecentlyViewedOrder",
        "Approval",
        "LabReport",
        "Finding",
        "Remake",
        "ExtraCharge",
        "PushDelivery",
      ]),
    );
  });

  it("is in the data request's report for the order, and only for it", async () => {
    for (const model of orderKeyed) {
      await seedRow(model, 1001, shop);
      await seedRow(model, 3003, shop);
    }
    const response = await respond(
      dataRequest,
      signedDelivery({
        topic: "customers/data_request",
        shop,
        body: { shop_domain: shop, orders_requested: [1001], customer },
      }),
    );
    expect(response.status).toBe(200);
    const [listed] = await listDataRequests(db, shop);
    const body = (await dataRequestFile(db, shop, listed!.id))!.body;
    const missing = orderKeyed
      .filter((m) => !new RegExp(`"${m.name}\\.\\w+ of #1001"`).test(body))
      .map((m) => m.name);
    expect(missing, "tables holding the order but missing from the report").toEqual([]);
    expect(body).not.toContain("of #3003");
  });

  it("is erased by customers/redact for the order, and kept for another order", async () => {
    const mine: Array<{ model: Model; key: Record<string, unknown> }> = [];
    const others: Array<{ model: Model; key: Record<string, unknown> }> = [];
    for (const model of orderKeyed) {
      mine.push(...(await seedRow(model, 1001, shop)));
      others.push(...(await seedRow(model, 3003, shop)));
    }
    const response = await respond(
      customersRedact,
      signedDelivery({
        topic: "customers/redact",
        shop,
        body: { shop_domain: shop, customer, orders_to_redact: [1001] },
      }),
    );
    expect(response.status).toBe(200);
    expect(await stillThere(mine), "tables customers/redact left the order in").toEqual([]);
    expect((await stillThere(others)).sort()).toEqual(others.map((r) => r.model.name).sort());
  });

  it("every table tied to a shop is erased by shop/redact, and another shop's kept", async () => {
    // Tied to a shop: a shop column, or a required parent that has one (a Step's Decision).
    const tied = (model: Model, seen = new Set<string>()): boolean =>
      model.fields.some((f) => f.name === "shop" && f.kind === "scalar") ||
      model.fields.some(
        (f) =>
          f.kind === "object" &&
          f.isRequired &&
          (f.relationFromFields?.length ?? 0) > 0 &&
          !seen.has(f.type) &&
          tied(modelNamed(f.type), new Set([...seen, model.name])),
      );
    expect(
      models.filter((m) => !tied(m)).map((m) => m.name),
      "tables shop/redact cannot find by shop: give them a shop column or a parent that has one",
    ).toEqual([]);
    const seedShop = async (forShop: string, n: number) => {
      const rows: Array<{ model: Model; key: Record<string, unknown> }> = [];
      for (const model of models) {
        // A table keyed by shop alone (Shop, ShopBucket) holds one row per shop.
        const keyedByShop = idFields(model).join() === "shop";
        if (keyedByShop && (await delegate(model).count({ where: { shop: forShop } })) > 0) {
          rows.push({ model, key: { shop: forShop } });
          continue;
        }
        rows.push(...(await seedRow(model, n, forShop)));
      }
      return rows;
    };
    const mine = await seedShop(shop, 1001);
    const others = await seedShop(otherShop, 3003);
    const response = await respond(
      shopRedact,
      signedDelivery({ topic: "shop/redact", shop, body: { shop_domain: shop } }),
    );
    expect(response.status).toBe(200);
    expect(await stillThere(mine), "tables shop/redact left the shop's rows in").toEqual([]);
    expect((await stillThere(others)).sort()).toEqual(others.map((r) => r.model.name).sort());
  });
});
