// refundCreate through the Admin API as Shopify documents it (mutation refundCreate, RefundInput,
// RefundLineItemInput, RefundLineItemRestockType, OrderTransactionInput, StoreCreditRefundInput).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { errorsOf, gql, testSimulator, type Loose } from "../../test/helpers.ts";
import { gid } from "./ids.ts";
import { inventoryKey, type Order } from "./model.ts";
import { createOrder } from "./orders.ts";
import { acceptFulfillmentRequest, submitFulfillmentRequest } from "./fulfillment-orders.ts";

const REFUND = /* GraphQL */ `
  mutation Refund($input: RefundInput!, $key: String!) {
    refundCreate(input: $input) @idempotent(key: $key) {
      refund {
        id
        totalRefundedSet {
          shopMoney {
            amount
          }
        }
        refundLineItems(first: 10) {
          nodes {
            quantity
            restockType
            location {
              name
            }
          }
        }
      }
      order {
        displayFinancialStatus
      }
      userErrors {
        field
        message
      }
    }
  }
`;

function world(customer = true) {
  const t = testSimulator();
  const studio = [...t.shop.locations.values()].find((l) => l.name === "Studio")!;
  const order = (
    sku = "PRINT-MATTE-A4",
    quantity = 3,
    presentment?: { currency: string; rate: number },
  ): Order => {
    const r = createOrder(t.sim.state, t.shop, {
      lineItems: [{ sku, quantity }],
      payment: "paid",
      presentment,
    });
    if (!r.ok) throw new Error(r.errors[0]!.message);
    // Every checkout order has a customer; a POS sale without one is what store credit can't serve.
    if (!customer) r.value.customerId = null;
    return r.value;
  };
  const level = (o: Order, locationId = studio.id) => {
    const variant = t.shop.variants.get(o.lineItems[0]!.variantId!)!;
    const l = t.shop.inventory.get(inventoryKey(variant.inventoryItemId, locationId))!;
    return { available: l.available, committed: l.committed };
  };
  const refund = async (input: Record<string, unknown>, key: string = randomUUID()) =>
    (await gql(t.sim, t.token, REFUND, { input, key })).body.data!.refundCreate as Loose;
  const sale = (o: Order) => o.transactions.find((x) => x.kind === "SALE")!;
  /** A REFUND transaction of `cents` against the order's sale. */
  const refundOfSale = (o: Order, cents: number) => ({
    orderId: gid("Order", o.id),
    kind: "REFUND",
    gateway: sale(o).gateway,
    parentId: gid("OrderTransaction", sale(o).id),
    amount: (cents / 100).toFixed(2),
  });
  /** One item of the first line off, unrestocked, its price back to the sale. */
  const oneItemBack = (o: Order) => ({
    orderId: gid("Order", o.id),
    refundLineItems: [
      { lineItemId: gid("LineItem", o.lineItems[0]!.id), quantity: 1, restockType: "NO_RESTOCK" },
    ],
    transactions: [refundOfSale(o, o.lineItems[0]!.price)],
  });
  return { ...t, studio, order, level, refund, sale, refundOfSale, oneItemBack };
}

describe("refundCreate", () => {
  it("cancels unfulfilled items with a restock at the location given and refunds to the original payment (RefundLineItemRestockType CANCEL: 'Use this when restocking unfulfilled line items')", async () => {
    const w = world();
    const o = w.order();
    const before = w.level(o);
    const line = o.lineItems[0]!;
    const answer = await w.refund({
      orderId: gid("Order", o.id),
      notify: true,
      refundLineItems: [
        {
          lineItemId: gid("LineItem", line.id),
          quantity: 1,
          restockType: "CANCEL",
          locationId: gid("Location", w.studio.id),
        },
      ],
      transactions: [w.refundOfSale(o, line.price)],
    });
    expect(answer.userErrors).toEqual([]);
    expect(answer.order.displayFinancialStatus).toBe("PARTIALLY_REFUNDED");
    expect(Number(answer.refund.totalRefundedSet.shopMoney.amount)).toBe(line.price / 100);
    expect(answer.refund.refundLineItems.nodes).toEqual([
      { quantity: 1, restockType: "CANCEL", location: { name: "Studio" } },
    ]);
    expect(line.currentQuantity).toBe(2);
    const fo = w.shop.fulfillmentOrders.get(o.fulfillmentOrderIds[0]!)!;
    expect(fo.lineItems[0]).toMatchObject({ totalQuantity: 2, remainingQuantity: 2 });
    expect(fo.status).toBe("OPEN");
    expect(w.level(o)).toEqual({
      available: before.available + 1,
      committed: before.committed - 1,
    });
    // RefundInput.notify: "Whether to send a refund notification to the customer."
    expect(o.refunds![0]!.notify).toBe(true);
  });

  it('is refused without an idempotency key (refundCreate: "As of 2026-04, the idempotency key is required and must be provided using the `@idempotent` directive"); the same key again answers the first refund and refunds nothing more', async () => {
    const w = world();
    const o = w.order();
    const line = o.lineItems[0]!;
    const input = w.oneItemBack(o);
    const bare = await gql(
      w.sim,
      w.token,
      REFUND.replace(" @idempotent(key: $key)", "").replace(", $key: String!", ""),
      { input },
    );
    expect(bare.body.data?.refundCreate ?? null).toBeNull();
    expect(errorsOf(bare)[0]?.message).toMatch(/@idempotent directive is required/);
    const blank = await gql(w.sim, w.token, REFUND, { input, key: "  " });
    expect(errorsOf(blank)[0]?.message).toMatch(/cannot be an empty string/);
    expect(o.refunds ?? []).toEqual([]);

    const first = await w.refund(input, "cancel-1");
    const again = await w.refund(input, "cancel-1");
    expect(first.userErrors).toEqual([]);
    expect(again.userErrors).toEqual([]);
    expect(again.refund.id).toBe(first.refund.id);
    expect(o.refunds).toHaveLength(1);
    expect(o.transactions.filter((t) => t.kind === "REFUND")).toHaveLength(1);
    expect(line.currentQuantity).toBe(2);
    // The same key with other variables is another request: refused.
    const other = await gql(w.sim, w.token, REFUND, {
      input: { ...input, refundLineItems: [{ ...input.refundLineItems[0], quantity: 2 }] },
      key: "cancel-1",
    });
    expect(errorsOf(other)[0]?.message).toMatch(/already used/);
    expect(o.refunds).toHaveLength(1);
  });

  it('takes the money of an order paid in another currency in that one: RefundInput.currency "must be the presentment currency … required for orders where the currency and presentment currency differ"', async () => {
    const w = world();
    const o = w.order("PRINT-MATTE-A4", 3, { currency: "USD", rate: 1.1 });
    const line = o.lineItems[0]!;
    const input = w.oneItemBack(o);
    expect((await w.refund(input)).userErrors).toEqual([
      expect.objectContaining({ field: ["currency"] }),
    ]);
    expect((await w.refund({ ...input, currency: "EUR" })).userErrors).toEqual([
      expect.objectContaining({ field: ["currency"] }),
    ]);
    expect(o.refunds ?? []).toEqual([]);
    const answer = await w.refund({ ...input, currency: "USD" });
    expect(answer.userErrors).toEqual([]);
    // Shop money is the customer's amount at the order's rate.
    expect(Number(answer.refund.totalRefundedSet.shopMoney.amount)).toBe(
      Math.round(line.price / 1.1) / 100,
    );
  });

  it("takes items off without a restock (NO_RESTOCK) and gives store credit to the customer (StoreCreditRefundInput); a fulfillment order left with nothing closes", async () => {
    const w = world();
    const o = w.order("PRINT-MATTE-A4", 2);
    const before = w.level(o);
    const answer = await w.refund({
      orderId: gid("Order", o.id),
      refundLineItems: [
        { lineItemId: gid("LineItem", o.lineItems[0]!.id), quantity: 2, restockType: "NO_RESTOCK" },
      ],
      refundMethods: [{ storeCreditRefund: { amount: { amount: "5.00", currencyCode: "EUR" } } }],
    });
    expect(answer.userErrors).toEqual([]);
    expect(o.transactions.at(-1)).toMatchObject({
      kind: "REFUND",
      gateway: "shopify_store_credit",
      amount: 500,
    });
    expect(w.shop.fulfillmentOrders.get(o.fulfillmentOrderIds[0]!)!.status).toBe("CLOSED");
    expect(w.level(o)).toEqual({ available: before.available, committed: before.committed - 2 });
    expect(o.refunds![0]!.notify).toBe(false);
  });

  it("refuses, changing nothing: more than is unfulfilled, more money than was received, store credit without a customer, LEGACY_RESTOCK, a parent that is no sale", async () => {
    const w = world(false);
    const o = w.order("PRINT-MATTE-A4", 2);
    const line = gid("LineItem", o.lineItems[0]!.id);
    const orderId = gid("Order", o.id);
    const tx = (amount: string, parentId = gid("OrderTransaction", w.sale(o).id)) => ({
      orderId,
      kind: "REFUND",
      gateway: w.sale(o).gateway,
      parentId,
      amount,
    });
    const refusals = [
      await w.refund({
        orderId,
        refundLineItems: [{ lineItemId: line, quantity: 3, restockType: "CANCEL" }],
      }),
      await w.refund({ orderId, transactions: [tx("100000.00")] }),
      await w.refund({
        orderId,
        refundMethods: [{ storeCreditRefund: { amount: { amount: "1.00", currencyCode: "EUR" } } }],
      }),
      await w.refund({
        orderId,
        refundLineItems: [{ lineItemId: line, quantity: 1, restockType: "LEGACY_RESTOCK" }],
      }),
      await w.refund({ orderId, transactions: [tx("1.00", gid("OrderTransaction", 999999))] }),
    ];
    expect(refusals.map((r) => [r?.refund, r?.userErrors[0]?.field])).toEqual([
      [null, ["refundLineItems", "0", "quantity"]],
      [null, ["transactions"]],
      [null, ["refundMethods", "0", "storeCreditRefund"]],
      [null, ["refundLineItems", "0", "restockType"]],
      [null, ["transactions", "0", "parentId"]],
    ]);
    expect(refusals[1].userErrors[0].message).toMatch(/greater than the .* available to refund/);
    expect(o.lineItems[0]!.currentQuantity).toBe(2);
    expect(o.transactions.some((t) => t.kind === "REFUND")).toBe(false);
    expect(o.refunds ?? []).toEqual([]);
  });

  it("refuses items on a fulfillment order a fulfilment service accepted (our reading where the docs are silent: request cancellation first, as orderCancel's criteria say)", async () => {
    const w = world();
    const o = w.order("LAB-METALLIC-30x45", 1);
    const fo = w.shop.fulfillmentOrders.get(o.fulfillmentOrderIds[0]!)!;
    expect(submitFulfillmentRequest(w.sim.state, w.shop, fo, {}).ok).toBe(true);
    expect(acceptFulfillmentRequest(w.sim.state, w.shop, fo, "service:partner-lab").ok).toBe(true);
    const answer = await w.refund({
      orderId: gid("Order", o.id),
      refundLineItems: [
        { lineItemId: gid("LineItem", o.lineItems[0]!.id), quantity: 1, restockType: "CANCEL" },
      ],
    });
    expect(answer.userErrors[0].message).toMatch(/accepted by a fulfillment service/);
    expect(o.lineItems[0]!.currentQuantity).toBe(1);
  });

  it("restocks without locationId at the fulfillment order's location, or refuses it: the readings of RefundLineItemInput.locationId (GraphQL: optional) and the REST Refund resource (location_id required to restock)", async () => {
    for (const reading of ["assigned", "required"] as const) {
      const w = world();
      w.sim.state.readings.refundRestockLocation = reading;
      const o = w.order("PRINT-MATTE-A4", 1);
      const before = w.level(o);
      const answer = await w.refund({
        orderId: gid("Order", o.id),
        refundLineItems: [
          { lineItemId: gid("LineItem", o.lineItems[0]!.id), quantity: 1, restockType: "CANCEL" },
        ],
      });
      if (reading === "assigned") {
        expect(answer.userErrors).toEqual([]);
        expect(w.level(o).available).toBe(before.available + 1);
      } else {
        expect(answer.userErrors[0].field).toEqual(["refundLineItems", "0", "locationId"]);
        expect(w.level(o)).toEqual(before);
      }
    }
  });
});

describe("refundCreate in a currency's own decimals (Shopify keeps money in ISO 4217 minor units)", () => {
  /** The refund of the sale's money alone, in the customer's currency. */
  const moneyBack = (o: Order, sale: { id: number; gateway: string }, amount: string) => ({
    orderId: gid("Order", o.id),
    currency: o.presentment!.currency,
    transactions: [
      {
        orderId: gid("Order", o.id),
        kind: "REFUND",
        gateway: sale.gateway,
        parentId: gid("OrderTransaction", sale.id),
        amount,
      },
    ],
  });

  it("refuses a refund of a dinar order a fils more than the sale has left (7.005 and 4.900 shipping paid: 11.910 is too much, 11.905 is all of it)", async () => {
    const w = world();
    // 24.00 EUR at 0.291875 is 7.005 KWD; the shipping given is 4.900 KWD.
    const o = w.order("PRINT-MATTE-A4", 1, { currency: "KWD", rate: 0.291875 });
    expect(o.lineItems[0]!.price).toBe(7005);

    const tooMuch = await w.refund(moneyBack(o, w.sale(o), "11.91"));
    expect(tooMuch.userErrors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("11.910 is greater than the 11.905"),
      }),
    ]);
    const all = await w.refund(moneyBack(o, w.sale(o), "11.905"));
    expect(all.userErrors).toEqual([]);
    expect(all.order.displayFinancialStatus).toBe("REFUNDED");
    // Shop money: 11.905 KWD at the order's rate, in euro cents.
    expect(all.refund.totalRefundedSet.shopMoney.amount).toBe("40.79");
  });

  it("keeps a yen order in whole yen: amounts are written without decimals and a refund of all the sale took is accepted", async () => {
    const w = world();
    // 24.00 EUR at 162.5 is 3900 JPY; the shipping given is 4.90, rounded to 5 yen.
    const o = w.order("PRINT-MATTE-A4", 1, { currency: "JPY", rate: 162.5 });
    expect(o.lineItems[0]!.price).toBe(3900);
    expect(w.sale(o).amount).toBe(3905);

    expect((await w.refund(moneyBack(o, w.sale(o), "3906"))).userErrors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("3906 is greater than the 3905"),
      }),
    ]);
    const all = await w.refund(moneyBack(o, w.sale(o), "3905"));
    expect(all.userErrors).toEqual([]);
    expect(all.refund.totalRefundedSet.shopMoney.amount).toBe("24.03");
  });
});
