// draftOrderCreate in the customer's currency, as Shopify's Admin schema (2026-10) describes it:
// DraftOrderInput.presentmentCurrencyCode ("The payment currency of the customer for this draft
// order"), DraftOrderLineItemInput.originalUnitPriceWithCurrency ("The price in presentment
// currency … All presentment currencies for a single draft should be the same and match the
// presentment currency of the draft order") and priceOverride ("If the override's presentment
// currency doesn't match the draft order's presentment currency, it will be converted"). The two
// disagree on a custom item priced in another currency: readings.draftPriceCurrency plays each.
import { describe, expect, it } from "vitest";
import { gql, testSimulator, type Loose } from "../../test/helpers.ts";
import { createOrder } from "./orders.ts";

const CREATE = /* GraphQL */ `
  mutation Draft($input: DraftOrderInput!) {
    draftOrderCreate(input: $input) {
      draftOrder {
        currencyCode
        presentmentCurrencyCode
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
          presentmentMoney {
            amount
            currencyCode
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

function world() {
  const t = testSimulator();
  // A customer paid in dollars at 1.10: the shop (EUR) sells in USD.
  const r = createOrder(t.sim.state, t.shop, {
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    payment: "paid",
    presentment: { currency: "USD", rate: 1.1 },
  });
  if (!r.ok) throw new Error(r.errors[0]!.message);
  const draft = async (
    presentmentCurrencyCode: string | null,
    price: { amount: string; currencyCode: string },
  ) =>
    (
      await gql(t.sim, t.token, CREATE, {
        input: {
          ...(presentmentCurrencyCode ? { presentmentCurrencyCode } : {}),
          lineItems: [{ title: "Extra charge", quantity: 1, originalUnitPriceWithCurrency: price }],
        },
      })
    ).body.data!.draftOrderCreate as Loose;
  return { t, draft };
}

describe("a draft order in the customer's currency", () => {
  it("keeps a custom item priced in the draft's presentment currency, with shop money at the rate", async () => {
    const { draft } = world();
    const made = await draft("USD", { amount: "12.50", currencyCode: "USD" });
    expect(made.userErrors).toEqual([]);
    expect(made.draftOrder).toMatchObject({
      currencyCode: "EUR",
      presentmentCurrencyCode: "USD",
      totalPriceSet: {
        presentmentMoney: { amount: "12.50", currencyCode: "USD" },
        shopMoney: { amount: "11.36", currencyCode: "EUR" },
      },
    });
  });

  it("without presentmentCurrencyCode is in the shop's currency, as before", async () => {
    const { draft } = world();
    const made = await draft(null, { amount: "12.50", currencyCode: "EUR" });
    expect(made.draftOrder).toMatchObject({ currencyCode: "EUR", presentmentCurrencyCode: "EUR" });
  });

  it('reading "refused": a custom item priced in another currency than the draft\'s is a userError', async () => {
    const { draft } = world();
    const made = await draft("USD", { amount: "12.50", currencyCode: "EUR" });
    expect(made.draftOrder).toBeNull();
    expect(made.userErrors).toEqual([
      {
        field: ["lineItems", "0", "originalUnitPriceWithCurrency"],
        message: expect.stringContaining("should be the same and match the presentment currency"),
      },
    ]);
  });

  it('reading "converted": the same price is converted to the draft\'s currency', async () => {
    const { t, draft } = world();
    t.sim.state.readings = { ...t.sim.state.readings, draftPriceCurrency: "converted" };
    const made = await draft("USD", { amount: "10.00", currencyCode: "EUR" });
    expect(made.userErrors).toEqual([]);
    expect(made.draftOrder.totalPriceSet.presentmentMoney).toEqual({
      amount: "11.00",
      currencyCode: "USD",
    });
  });

  it("refuses a presentment currency the shop sells in nowhere", async () => {
    const { draft } = world();
    const made = await draft("JPY", { amount: "1500", currencyCode: "JPY" });
    expect(made.draftOrder).toBeNull();
    expect(made.userErrors[0].field).toEqual(["presentmentCurrencyCode"]);
  });
});
