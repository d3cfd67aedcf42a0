// An order the customer paid in another currency than the shop's, against the shop simulator:
// captures and refunds go in the customer's (presentment) currency, as OrderCaptureInput.currency
// and RefundInput.currency require "for orders where the currency and presentment currency differ".
import { beforeEach, describe, expect, it } from "vitest";
import { routeOrder } from "~/fulfilment/route-order.server";
import { runCommand } from "~/fulfilment/commands.server";
import { cancelLines, parseCancelLinesForm } from "~/fulfilment/cancel-lines.server";
import { loadOrderDetail } from "~/services/order-detail.server";
import { gidTail } from "~/routing/snapshot";
import { ORDER_CAPTURE_MUTATION } from "~/shopify/operations";
import { saveRule, withFreshDatabase, withShopSimulator } from "../support/integration";

const sim = withShopSimulator();
const db = withFreshDatabase();

beforeEach(async () => {
  await db.shop.create({
    data: { shop: sim.shop, defaultMode: "manual", digitalDownloads: "automatic" },
  });
});

const deps = () => ({ db, gateway: sim.gateway, now: () => new Date() });

/** The demo shop keeps EUR; the customer pays in US dollars at a fixed 1.10 to the euro. */
const IN_DOLLARS = { currency: "USD", rate: 1.1 };

interface ControlOrder {
  financialStatus: string;
  currency: string;
  presentmentCurrency: string;
  totalPrice: string;
  lineItems: { id: string; sku: string; currentQuantity: number; price: string }[];
  transactions: { id: string; kind: string; status: string; amount: string }[];
}
const controlOrder = (orderId: string) =>
  sim.control<ControlOrder>("GET", `/_sim/orders/${encodeURIComponent(orderId)}`);

/** The merchant cancels one item of a line from the order screen, restocked. */
function cancelOne(orderId: string, lineId: string, refund: "original" | "none") {
  const f = new FormData();
  for (const [k, v] of Object.entries({ [`line:${lineId}`]: "1", reason: "CUSTOMER", refund }))
    f.set(k, v);
  f.set("restock", "on");
  const parsed = parseCancelLinesForm(f);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return cancelLines(deps(), { shop: sim.shop, actor: "Lena" }, orderId, parsed.value);
}

describe("an order paid in the customer's currency", () => {
  it("is captured in full, in dollars, by the merchant's Capture", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "authorized",
      presentment: IN_DOLLARS,
    });
    const before = await controlOrder(orderId);
    expect([before.currency, before.presentmentCurrency]).toEqual(["EUR", "USD"]);

    const result = await runCommand(
      deps(),
      { shop: sim.shop, actor: "Lena" },
      { action: "capture", orderId },
    );

    expect(result.ok).toBe(true);
    const after = await controlOrder(orderId);
    expect(after.financialStatus).toBe("PAID");
    expect(after.transactions.filter((t) => t.kind === "CAPTURE")).toEqual([
      expect.objectContaining({ status: "SUCCESS", amount: before.totalPrice }),
    ]);
  });

  it("is captured by a rule that captures at once, in dollars", async () => {
    await saveRule(db, sim.shop, {
      name: "Capture prints",
      conditions: [{ field: "sku", operator: "starts_with", value: "PRINT-" }],
      actions: [{ type: "capture_payment", when: "now" }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "authorized",
      presentment: IN_DOLLARS,
    });

    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });

    const after = await controlOrder(orderId);
    expect(after.financialStatus).toBe("PAID");
    expect(after.transactions.find((t) => t.kind === "CAPTURE")?.amount).toBe(after.totalPrice);
  });

  it("gets the price of a canceled item back in dollars", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "paid",
      presentment: IN_DOLLARS,
    });
    const line = (await controlOrder(orderId)).lineItems[0]!;
    const result = await cancelOne(orderId, line.id, "original");

    expect(result).toMatchObject({ ok: true, refunded: line.price, currency: "USD" });
    const after = await controlOrder(orderId);
    expect(after.financialStatus).toBe("PARTIALLY_REFUNDED");
    expect(after.transactions.filter((t) => t.kind === "REFUND").map((t) => t.amount)).toEqual([
      line.price,
    ]);
  });
});

describe("the order screen's cancel dialogs", () => {
  const detailOf = (orderId: string) =>
    loadOrderDetail(
      { db, gateway: sim.gateway },
      { shop: sim.shop, orderNumber: gidTail(orderId), now: new Date() },
    );

  it("know a partly paid order holds money to give back (received less refunded above zero)", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "authorized",
    });
    const auth = (await controlOrder(orderId)).transactions.find(
      (t) => t.kind === "AUTHORIZATION",
    )!;
    // Staff captured part of it in Shopify's admin.
    await sim.gateway.request(ORDER_CAPTURE_MUTATION, {
      input: {
        id: orderId,
        parentTransactionId: auth.id,
        amount: "5.00",
        currency: "EUR",
      },
    });
    expect((await controlOrder(orderId)).financialStatus).toBe("PARTIALLY_PAID");

    const detail = await detailOf(orderId);

    expect(detail?.payment).toMatchObject({ status: "PARTIALLY_PAID", captured: true });
  });

  it("ask for an amount in the customer's currency", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      presentment: IN_DOLLARS,
    });

    const detail = await detailOf(orderId);

    expect(detail?.payment).toMatchObject({ captured: true, customerCurrencyCode: "USD" });
  });
});

describe("capturing after items were canceled", () => {
  it("captures what the order still owes, not the whole authorization", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "authorized",
    });
    const line = (await controlOrder(orderId)).lineItems[0]!;
    const merchant = { shop: sim.shop, actor: "Lena" };
    expect(await cancelOne(orderId, line.id, "none")).toMatchObject({ ok: true });
    const owed = (await controlOrder(orderId)).totalPrice;

    const result = await runCommand(deps(), merchant, { action: "capture", orderId });

    expect(result.ok).toBe(true);
    const after = await controlOrder(orderId);
    expect(after.transactions.filter((t) => t.kind === "CAPTURE").map((t) => t.amount)).toEqual([
      owed,
    ]);
    expect(after.financialStatus).toBe("PAID");
  });
});
