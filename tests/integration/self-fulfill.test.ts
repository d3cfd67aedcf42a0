// Fulfilling lines in-house with tracking against the shop simulator: the order arrives by Shopify's
// signed webhooks and is routed by the worker; the merchant fulfills part of it with a carrier from
// Shopify's list, and Shopify's fulfillments/create says what the customer is told. Refusals: a held
// fulfillment order (Shopify's words), the lab's (API 2024-10), more than is left, bad tracking.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { ruleToStored, type Rule, type StepWhy } from "~/routing";
import { merchantDid, type Words } from "~/routing/words";
import { translatorOf } from "~/i18n/i18next.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import {
  handleRefreshOrder,
  handleRouteOrder,
  processInbox,
  QUEUES,
  type WorkerDeps,
} from "~/fulfilment/worker.server";
import { parseSelfFulfillForm, selfFulfill } from "~/fulfilment/self-fulfill.server";
import { renderWords } from "~/i18n/words";
import { withWorkerSuite } from "../support/worker-suite";
import { afterEach } from "vitest";

const { sim } = withWorkerSuite();
const queues: JobQueue[] = [];

afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.stop()));
});

function workerDeps(): WorkerDeps {
  const queue = createJobQueue(db, process.env.DATABASE_URL!);
  queues.push(queue);
  return { db, queue, gatewayFor: async () => sim.gateway, now: () => new Date() };
}

async function settle(deps: WorkerDeps) {
  await sim.webhooksDelivered();
  while ((await processInbox(deps)) > 0);
  await deps.queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(deps, job));
  await deps.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job));
}

const deps = () => ({ db, gateway: sim.gateway, now: () => new Date() });
const merchant = () => ({ shop: sim.shop, actor: "Lena" });

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

async function order(lineItems: Record<string, unknown>[]) {
  const worker = workerDeps();
  const placed = await sim.createOrder({ lineItems, payment: "paid" });
  await settle(worker);
  const state = await sim.orderState(placed.orderId);
  return { ...placed, state, worker };
}

/** English words of a Shopify refusal, as the order screen shows them. */
const english = (words: Parameters<typeof renderWords>[1]) =>
  renderWords(
    ((key: string, values?: Record<string, unknown>) =>
      `${key} ${JSON.stringify(values ?? {})}`) as never,
    words,
  );

describe("fulfilling lines in-house with tracking", () => {
  it("fulfills part of a line with the carrier, number and URL; Shopify's webhook tells the customer", async () => {
    const { orderId, state, worker } = await order([
      { sku: "PRINT-MATTE-A4", quantity: 2, properties: { Crop: "x:0.10 y:0.05 w:0.80 h:0.90" } },
    ]);
    const fo = state.fulfillmentOrders[0]!;
    const parsed = parseSelfFulfillForm(
      form({
        fulfillmentOrderId: fo.id,
        [`line:${fo.lineItems[0]!.id}`]: "1",
        carrier: "DHL Express",
        trackingNumber: "JD014600006281230704",
        trackingUrl: "https://www.dhl.com/track?id=JD014600006281230704",
        notifyCustomer: "on",
      }),
    );
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const result = await selfFulfill(deps(), merchant(), orderId, parsed.value);
    expect(result).toEqual({ ok: true, fulfilled: 1 });

    const after = await sim.orderState(orderId);
    expect(after.fulfillmentOrders[0]).toMatchObject({ status: "IN_PROGRESS" });
    expect(after.fulfillmentOrders[0]!.lineItems[0]).toMatchObject({ remainingQuantity: 1 });
    // Shopify's fulfillments/create, as the app received it: the tracking and the notification.
    await settle(worker);
    const delivery = await db.webhookDelivery.findFirstOrThrow({
      where: { topic: "fulfillments/create" },
    });
    expect(JSON.parse(delivery.payload)).toMatchObject({
      tracking_company: "DHL Express",
      tracking_number: "JD014600006281230704",
      tracking_url: "https://www.dhl.com/track?id=JD014600006281230704",
      notify_customer: true,
      line_items: [expect.objectContaining({ sku: "PRINT-MATTE-A4", quantity: 1 })],
    });
    // In the decision log as the merchant's, with the Step through the executor.
    const steps = await db.step.findMany({ where: { decision: { orderId, trigger: "merchant" } } });
    expect(steps.map((s) => [s.kind, s.status])).toEqual([["fulfillmentCreate", "succeeded"]]);
    // What it did and why, as the trace says it to a German admin: the catalogue's words.
    const german = await translatorOf("de");
    const { summary, why } = JSON.parse(steps[0]!.input) as { summary: Words; why: StepWhy };
    expect(renderWords(german, summary)).toBe(
      german("engine.step.fulfillItemsTracked", {
        count: 1,
        tracking: "DHL Express JD014600006281230704",
      }),
    );
    expect(renderWords(german, why.text)).toBe(
      renderWords(german, merchantDid("fulfilledInHouse", "Lena")),
    );
  });

  it("shows Shopify's refusal for a held fulfillment order and changes nothing", async () => {
    const rule: Rule = {
      id: "rule-review",
      name: "Look at every print",
      enabled: true,
      position: 0,
      match: "all",
      lines: "any",
      keepChecking: false,
      conditions: [{ field: "sku", operator: "equals", value: "PRINT-MATTE-A4" }],
      actions: [{ type: "hold_for_review" }],
    };
    await db.rule.create({ data: { ...ruleToStored(rule), shop: sim.shop } });
    const { orderId, state } = await order([{ sku: "PRINT-MATTE-A4", quantity: 1 }]);
    const fo = state.fulfillmentOrders[0]!;
    expect(fo.status).toBe("ON_HOLD");
    const result = await selfFulfill(deps(), merchant(), orderId, {
      fulfillmentOrderId: fo.id,
      lines: [{ id: fo.lineItems[0]!.id, quantity: 1 }],
      company: "UPS",
      number: "1Z999AA10123456784",
      url: null,
      notifyCustomer: false,
    });
    expect(result.ok).toBe(false);
    if (result.ok || !("shopify" in result)) throw new Error("expected Shopify's refusal");
    expect(english(result.shopify)).toContain("on hold");
    const after = await sim.orderState(orderId);
    expect(after.fulfillments).toEqual([]);
    const step = await db.step.findFirstOrThrow({ where: { kind: "fulfillmentCreate" } });
    expect(step.status).toBe("failed");
  });

  it("refuses the lab's fulfillment order and more than is left before asking Shopify", async () => {
    const { orderId, state } = await order([
      { sku: "PRINT-MATTE-A4", quantity: 1 },
      { sku: "LAB-METALLIC-30x45", quantity: 1 },
    ]);
    const lab = state.fulfillmentOrders.find((f) => f.location.fulfillmentServiceHandle)!;
    const own = state.fulfillmentOrders.find((f) => !f.location.fulfillmentServiceHandle)!;
    const base = { company: null, number: null, url: null, notifyCustomer: false };
    expect(
      await selfFulfill(deps(), merchant(), orderId, {
        ...base,
        fulfillmentOrderId: lab.id,
        lines: [{ id: lab.lineItems[0]!.id, quantity: 1 }],
      }),
    ).toEqual({ ok: false, refusal: "serviceOwns", detail: "Partner Lab" });
    expect(
      await selfFulfill(deps(), merchant(), orderId, {
        ...base,
        fulfillmentOrderId: own.id,
        lines: [{ id: own.lineItems[0]!.id, quantity: 2 }],
      }),
    ).toEqual({ ok: false, refusal: "tooMany", detail: "1" });
    expect((await sim.orderState(orderId)).fulfillments).toEqual([]);
    expect(await db.step.count({ where: { kind: "fulfillmentCreate" } })).toBe(0);
  });

  it("asks for a carrier from Shopify's list, a URL for a carrier of one's own, and whole quantities", () => {
    const fo = "gid://shopify/FulfillmentOrder/1";
    const errorsOf = (fields: Record<string, string>) => {
      const parsed = parseSelfFulfillForm(form({ fulfillmentOrderId: fo, ...fields }));
      return parsed.ok ? [] : parsed.errors.sort();
    };
    expect(errorsOf({ "line:a": "1", carrier: "DHL Express" })).toEqual([]);
    // Shopify's list is exact: capitalization matters.
    expect(errorsOf({ "line:a": "1", carrier: "dhl express" })).toEqual(["company"]);
    expect(
      errorsOf({
        "line:a": "1",
        carrier: "other",
        carrierName: "Kurier Max",
        trackingNumber: "K1",
      }),
    ).toEqual(["url"]);
    expect(
      errorsOf({
        "line:a": "1",
        carrier: "other",
        carrierName: "Kurier Max",
        trackingNumber: "K1",
        trackingUrl: "https://kurier.example/K1",
      }),
    ).toEqual([]);
    expect(errorsOf({ "line:a": "1", trackingUrl: "javascript:alert(1)" })).toEqual(["url"]);
    expect(errorsOf({ "line:a": "1.5" })).toEqual(["lines"]);
    expect(errorsOf({ "line:a": "0" })).toEqual(["lines"]);
  });
});
