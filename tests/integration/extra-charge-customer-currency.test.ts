// An extra charge on an order the customer paid in another currency than the shop's is invoiced in
// the customer's currency (ADR 093). Shopify's Admin schema (2026-10) says what to send:
// DraftOrderInput.presentmentCurrencyCode is "The payment currency of the customer for this draft
// order", and DraftOrderLineItemInput.originalUnitPriceWithCurrency is "The price in presentment
// currency … All presentment currencies for a single draft should be the same and match the
// presentment currency of the draft order". Where a price's currency differs, the sources
// disagree: that note reads as a refusal; the same input's priceOverride says a differing currency
// "will be converted over to match the draft order's presentment currency". The app sends one
// currency, so it is right under both readings (POST /_sim/readings {draftPriceCurrency}).
import { beforeEach, describe, expect, it } from "vitest";
import { createExtraCharge, parseExtraChargeForm } from "~/fulfilment/extra-charge.server";
import { withFreshDatabase, withShopSimulator } from "../support/integration";

const sim = withShopSimulator();
const db = withFreshDatabase();

/** Shop money in euros, the customer's in dollars at 1.10 (as customer-currency.test.ts). */
const IN_DOLLARS = { currency: "USD", rate: 1.1 };

beforeEach(async () => {
  await db.shop.create({ data: { shop: sim.shop, defaultMode: "manual" } });
});

const deps = () => ({ db, gateway: sim.gateway, now: () => new Date() });
const merchant = () => ({ shop: sim.shop, actor: "Lena" });

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  const parsed = parseExtraChargeForm(f);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

interface Money {
  amount: string;
  currencyCode: string;
}
interface DraftRead {
  draftOrder: {
    currencyCode: string;
    presentmentCurrencyCode: string;
    lineItems: { nodes: { originalUnitPriceWithCurrency: Money }[] };
    totalPriceSet: { shopMoney: Money; presentmentMoney: Money };
    order: {
      presentmentCurrencyCode: string;
      totalPriceSet: { presentmentMoney: Money };
      transactions: { kind: string; amountSet: { presentmentMoney: Money } }[];
    } | null;
  };
}
const readDraft = (id: string) =>
  sim.gateway.request<DraftRead>(
    `query ($id: ID!) { draftOrder(id: $id) {
      currencyCode presentmentCurrencyCode
      lineItems(first: 5) { nodes { originalUnitPriceWithCurrency { amount currencyCode } } }
      totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
      order { presentmentCurrencyCode totalPriceSet { presentmentMoney { amount currencyCode } }
        transactions { kind amountSet { presentmentMoney { amount currencyCode } } } } } }`,
    { id },
  );

describe("an extra charge on an order paid in dollars in a euro shop", () => {
  for (const reading of ["refused", "converted"] as const) {
    it(`is invoiced as 12.50 USD, and paid in dollars (reading draftPriceCurrency: ${reading})`, async () => {
      await sim.control("POST", "/_sim/readings", { draftPriceCurrency: reading });
      const { orderId } = await sim.createOrder({
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
        payment: "paid",
        email: "ann@example.com",
        presentment: IN_DOLLARS,
      });

      const result = await createExtraCharge(
        deps(),
        merchant(),
        orderId,
        form({ amount: "12.50", reason: "Size change" }),
      );

      expect(result).toMatchObject({ ok: true });
      const charge = await db.extraCharge.findFirstOrThrow({ where: { orderId } });
      expect(charge).toMatchObject({ amount: "12.50", currency: "USD" });
      const draft = (await readDraft(charge.draftOrderId!)).draftOrder;
      expect([draft.currencyCode, draft.presentmentCurrencyCode]).toEqual(["EUR", "USD"]);
      expect(draft.lineItems.nodes[0]!.originalUnitPriceWithCurrency).toEqual({
        amount: "12.50",
        currencyCode: "USD",
      });
      expect(draft.totalPriceSet.presentmentMoney).toEqual({
        amount: "12.50",
        currencyCode: "USD",
      });
      // Shop money is Shopify's estimate of what the merchant gets: 12.50 / 1.10.
      expect(draft.totalPriceSet.shopMoney).toEqual({ amount: "11.36", currencyCode: "EUR" });

      // The customer pays the invoice: the order it becomes took 12.50 dollars.
      await sim.control(
        "POST",
        `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}/pay`,
        {
          shop: sim.shop,
        },
      );
      const order = (await readDraft(charge.draftOrderId!)).draftOrder.order!;
      expect(order.presentmentCurrencyCode).toBe("USD");
      expect(order.totalPriceSet.presentmentMoney).toEqual({
        amount: "12.50",
        currencyCode: "USD",
      });
      expect(order.transactions.map((t) => t.amountSet.presentmentMoney)).toEqual([
        { amount: "12.50", currencyCode: "USD" },
      ]);
    });
  }
});
