// Taxes and the refund Shopify suggests, through the Admin API as the 2026-10 schema documents them
// (LineItem.taxLines, TaxLine, Order.totalTaxSet / currentTotalTaxSet / taxesIncluded / totalPriceSet,
// Order.suggestedRefund, SuggestedRefund, SuggestedOrderTransaction, refundCreate's limits).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { errorsOf, gql, testSimulator, type Loose } from "../../test/helpers.ts";
import { gid } from "./ids.ts";
import type { Order } from "./model.ts";
import {
  createOrder,
  financialStatus,
  markAsPaid,
  orderCapture,
  type NewOrderInput,
} from "./orders.ts";

const VAT = [{ title: "VAT", rate: 0.19 }];
const EUR = (amount: string) => ({ amount, currencyCode: "EUR" });

const ORDER_TAXES = /* GraphQL */ `
  query Taxes($id: ID!) {
    order(id: $id) {
      taxesIncluded
      totalTaxSet {
        shopMoney {
          amount
          currencyCode
        }
      }
      currentTotalTaxSet {
        shopMoney {
          amount
        }
      }
      totalPriceSet {
        shopMoney {
          amount
        }
      }
      currentTotalPriceSet {
        shopMoney {
          amount
        }
      }
      subtotalPriceSet {
        shopMoney {
          amount
        }
      }
      totalOutstandingSet {
        shopMoney {
          amount
        }
      }
      taxLines {
        title
        rate
        ratePercentage
        priceSet {
          shopMoney {
            amount
          }
        }
      }
      currentTaxLines {
        title
        rate
        priceSet {
          shopMoney {
            amount
          }
        }
      }
      transactions {
        kind
        amountSet {
          shopMoney {
            amount
          }
        }
      }
      lineItems(first: 5) {
        nodes {
          quantity
          taxLines {
            title
            rate
            priceSet {
              shopMoney {
                amount
              }
            }
          }
        }
      }
    }
  }
`;

const SUGGEST = /* GraphQL */ `
  query Suggest(
    $id: ID!
    $lines: [RefundLineItemInput!]
    $shipping: Boolean
    $full: Boolean
    $allocation: RefundMethodAllocation
  ) {
    order(id: $id) {
      suggestedRefund(
        refundLineItems: $lines
        refundShipping: $shipping
        suggestFullRefund: $full
        refundMethodAllocation: $allocation
      ) {
        amountSet {
          shopMoney {
            amount
            currencyCode
          }
          presentmentMoney {
            amount
            currencyCode
          }
        }
        subtotalSet {
          shopMoney {
            amount
          }
          presentmentMoney {
            amount
          }
        }
        totalTaxSet {
          shopMoney {
            amount
          }
          presentmentMoney {
            amount
          }
        }
        maximumRefundableSet {
          presentmentMoney {
            amount
          }
        }
        shipping {
          amountSet {
            presentmentMoney {
              amount
            }
          }
        }
        refundLineItems {
          quantity
          subtotalSet {
            presentmentMoney {
              amount
            }
          }
          totalTaxSet {
            presentmentMoney {
              amount
            }
          }
        }
        suggestedTransactions {
          kind
          gateway
          amountSet {
            presentmentMoney {
              amount
              currencyCode
            }
          }
          maximumRefundableSet {
            presentmentMoney {
              amount
            }
          }
          parentTransaction {
            id
            kind
          }
        }
        suggestedRefundMethods {
          amount {
            presentmentMoney {
              amount
            }
          }
        }
      }
    }
  }
`;

const REFUND = /* GraphQL */ `
  mutation Refund($input: RefundInput!, $key: String!) {
    refundCreate(input: $input) @idempotent(key: $key) {
      refund {
        refundLineItems(first: 5) {
          nodes {
            quantity
            subtotalSet {
              shopMoney {
                amount
              }
            }
            totalTaxSet {
              shopMoney {
                amount
              }
            }
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
  const order = (input: Partial<NewOrderInput> = {}): Order => {
    const r = createOrder(t.sim.state, t.shop, {
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      shippingLine: { title: "Standard", price: "4.90" },
      ...input,
    });
    if (!r.ok) throw new Error(r.errors[0]!.message);
    return r.value;
  };
  const read = async (query: string, variables: Record<string, unknown>) => {
    const answer = await gql(t.sim, t.token, query, variables);
    expect(errorsOf(answer)).toEqual([]);
    return answer.body.data as Loose;
  };
  const taxes = async (o: Order) => (await read(ORDER_TAXES, { id: gid("Order", o.id) })).order;
  const suggest = async (o: Order, vars: Record<string, unknown>) =>
    (await read(SUGGEST, { id: gid("Order", o.id), ...vars })).order.suggestedRefund;
  const lines = (o: Order, quantity: number) => [
    { lineItemId: gid("LineItem", o.lineItems[0]!.id), quantity, restockType: "NO_RESTOCK" },
  ];
  const refund = async (input: Record<string, unknown>) =>
    (await read(REFUND, { input, key: randomUUID() })).refundCreate;
  const sale = (o: Order) => o.transactions.find((x) => x.kind === "SALE")!;
  const back = (o: Order, amount: string) => ({
    orderId: gid("Order", o.id),
    kind: "REFUND",
    gateway: sale(o).gateway,
    parentId: gid("OrderTransaction", sale(o).id),
    amount,
  });
  return { ...t, order, taxes, suggest, lines, refund, sale, back };
}

describe("taxes on an order", () => {
  it("are tax lines of each taxable line (rate, title, priceSet), summed by rate and title on the order, added to the total the customer paid when taxesIncluded is false (the default)", async () => {
    const w = world();
    // 3 × 24.00 = 72.00; VAT 19 % = 13.68; shipping 4.90: 90.58 paid.
    const o = w.order({ taxLines: VAT });

    const order = await w.taxes(o);

    expect(order.taxesIncluded).toBe(false);
    expect(order.lineItems.nodes[0].taxLines).toEqual([
      { title: "VAT", rate: 0.19, priceSet: { shopMoney: { amount: "13.68" } } },
    ]);
    expect(order.taxLines).toEqual([
      {
        title: "VAT",
        rate: 0.19,
        ratePercentage: 19,
        priceSet: { shopMoney: { amount: "13.68" } },
      },
    ]);
    expect(order.totalTaxSet.shopMoney).toEqual(EUR("13.68"));
    expect(order.currentTotalTaxSet.shopMoney.amount).toBe("13.68");
    expect(order.subtotalPriceSet.shopMoney.amount).toBe("72.00");
    expect(order.totalPriceSet.shopMoney.amount).toBe("90.58");
    expect(order.currentTotalPriceSet.shopMoney.amount).toBe("90.58");
    expect(order.transactions).toEqual([
      { kind: "SALE", amountSet: { shopMoney: { amount: "90.58" } } },
    ]);
    expect(order.totalOutstandingSet.shopMoney.amount).toBe("0.00");
  });

  it("are part of the prices when taxesIncluded is true (a shop that shows prices with tax): the total is the prices and shipping", async () => {
    const w = world();
    // 72.00 with 19 % in it: 72.00 × 0.19 / 1.19 = 11.50.
    const o = w.order({ taxLines: VAT, taxesIncluded: true });

    const order = await w.taxes(o);

    expect(order.taxesIncluded).toBe(true);
    expect(order.totalTaxSet.shopMoney.amount).toBe("11.50");
    expect(order.subtotalPriceSet.shopMoney.amount).toBe("72.00");
    expect(order.totalPriceSet.shopMoney.amount).toBe("76.90");
    expect(order.transactions[0].amountSet.shopMoney.amount).toBe("76.90");
  });

  it("an authorization covers the tax, and capturing it in full pays the order", async () => {
    const w = world();
    const o = w.order({ taxLines: VAT, payment: "authorized" });
    expect(o.transactions[0]).toMatchObject({ kind: "AUTHORIZATION", amount: 9058 });
    const captured = orderCapture(w.sim.state, w.shop, o, {
      parentTransactionId: gid("OrderTransaction", o.transactions[0]!.id),
      amount: "90.58",
    });
    expect(captured.ok).toBe(true);
    expect(financialStatus(w.shop, o, w.clock.now())).toBe("PAID");
  });
});

describe("Order.suggestedRefund", () => {
  it("suggests the price of the items and the tax that goes with them (SuggestedRefund.subtotalSet, totalTaxSet, amountSet), back through the sale (suggestedTransactions, SUGGESTED_REFUND)", async () => {
    const w = world();
    const o = w.order({ taxLines: VAT });

    const s = await w.suggest(o, { lines: w.lines(o, 1) });

    // One of three: 24.00 and a third of 13.68 = 4.56.
    expect(s.subtotalSet.presentmentMoney.amount).toBe("24.00");
    expect(s.totalTaxSet.presentmentMoney.amount).toBe("4.56");
    expect(s.amountSet.presentmentMoney).toEqual(EUR("28.56"));
    expect(s.maximumRefundableSet.presentmentMoney.amount).toBe("90.58");
    expect(s.shipping.amountSet.presentmentMoney.amount).toBe("0.00");
    expect(s.refundLineItems).toEqual([
      {
        quantity: 1,
        subtotalSet: { presentmentMoney: { amount: "24.00" } },
        totalTaxSet: { presentmentMoney: { amount: "4.56" } },
      },
    ]);
    expect(s.suggestedTransactions).toEqual([
      {
        kind: "SUGGESTED_REFUND",
        gateway: "bogus",
        amountSet: { presentmentMoney: EUR("28.56") },
        maximumRefundableSet: { presentmentMoney: { amount: "90.58" } },
        parentTransaction: { id: gid("OrderTransaction", w.sale(o).id), kind: "SALE" },
      },
    ]);
    expect(s.suggestedRefundMethods).toEqual([]);
    // A suggestion changes nothing.
    expect(o.lineItems[0]!.currentQuantity).toBe(3);
    expect(o.transactions).toHaveLength(1);
  });

  it("adds the shipping when refundShipping is true, and takes every refundable item and the shipping with suggestFullRefund", async () => {
    const w = world();
    const o = w.order({ taxLines: VAT });

    const withShipping = await w.suggest(o, { lines: w.lines(o, 1), shipping: true });
    const full = await w.suggest(o, { full: true, lines: w.lines(o, 1) });

    expect(withShipping.amountSet.presentmentMoney.amount).toBe("33.46");
    expect(withShipping.shipping.amountSet.presentmentMoney.amount).toBe("4.90");
    expect(full.refundLineItems.map((l: Loose) => l.quantity)).toEqual([3]);
    expect(full.amountSet.presentmentMoney.amount).toBe("90.58");
  });

  it("gives amounts in the customer's currency (presentmentMoney) and the shop's (shopMoney)", async () => {
    const w = world();
    // 24.00 EUR at 1.10 = 26.40 USD an item; 19 % of 3 × 26.40 = 15.05; a third 5.02.
    const o = w.order({ taxLines: VAT, presentment: { currency: "USD", rate: 1.1 } });

    const s = await w.suggest(o, { lines: w.lines(o, 1) });

    expect(s.amountSet.presentmentMoney).toEqual({ amount: "31.42", currencyCode: "USD" });
    expect(s.amountSet.shopMoney).toEqual(EUR("28.56"));
    expect(s.suggestedTransactions[0].amountSet.presentmentMoney.currencyCode).toBe("USD");
  });

  it("respects what was refunded already: the items left, their share of the tax, at most what was received and not refunded", async () => {
    const w = world();
    const o = w.order({ taxLines: VAT });
    // Staff refunded one item with its tax, then 60.00 more as goodwill.
    expect(
      (
        await w.refund({
          orderId: gid("Order", o.id),
          refundLineItems: w.lines(o, 1),
          transactions: [w.back(o, "28.56")],
        })
      ).userErrors,
    ).toEqual([]);
    expect(
      (await w.refund({ orderId: gid("Order", o.id), transactions: [w.back(o, "60.00")] }))
        .userErrors,
    ).toEqual([]);

    const s = await w.suggest(o, { lines: w.lines(o, 5) });

    // The two items left (48.00 and 9.12 tax) would be 57.12; 2.02 is all that is left to give.
    expect(s.refundLineItems.map((l: Loose) => l.quantity)).toEqual([2]);
    expect(s.totalTaxSet.presentmentMoney.amount).toBe("9.12");
    expect(s.maximumRefundableSet.presentmentMoney.amount).toBe("2.02");
    expect(s.amountSet.presentmentMoney.amount).toBe("2.02");
    expect(
      s.suggestedTransactions.map((t: Loose) => t.maximumRefundableSet.presentmentMoney.amount),
    ).toEqual(["2.02"]);
  });

  it("suggests store credit (suggestedRefundMethods) instead of transactions when refundMethodAllocation is STORE_CREDIT", async () => {
    const w = world();
    const o = w.order({ taxLines: VAT });

    const s = await w.suggest(o, { lines: w.lines(o, 1), allocation: "STORE_CREDIT" });

    expect(s.suggestedTransactions).toEqual([]);
    expect(s.suggestedRefundMethods).toEqual([
      { amount: { presentmentMoney: { amount: "28.56" } } },
    ]);
  });

  it("on an order with taxes in the prices gives back the prices, the tax being part of them", async () => {
    const w = world();
    const o = w.order({ taxLines: VAT, taxesIncluded: true });

    const s = await w.suggest(o, { lines: w.lines(o, 1) });

    expect(s.subtotalSet.presentmentMoney.amount).toBe("24.00");
    expect(s.totalTaxSet.presentmentMoney.amount).toBe("3.83");
    expect(s.amountSet.presentmentMoney.amount).toBe("24.00");
  });
  it("answers null for an order and lines it knows under the reading suggestedRefund: none (the Admin schema's Order.suggestedRefund is nullable), and changes nothing", async () => {
    const w = world();
    const o = w.order({ taxLines: VAT });
    const set = await w.sim.app.request("/_sim/readings", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ suggestedRefund: "none" }),
    });
    expect(set.status).toBe(200);

    const s = await w.suggest(o, { lines: w.lines(o, 1) });
    const unknown = await gql(w.sim, w.token, SUGGEST, {
      id: gid("Order", o.id),
      lines: [{ lineItemId: gid("LineItem", 1), quantity: 1, restockType: "NO_RESTOCK" }],
    });

    expect(s).toBeNull();
    // An unknown line is still refused as such: the reading is about a suggestion for real lines.
    expect(errorsOf(unknown).map((e: Loose) => e.message)).toEqual(["Line item does not exist"]);
    expect(o.lineItems[0]!.currentQuantity).toBe(3);
    expect(o.transactions).toHaveLength(1);
  });
});

describe("refundCreate on a taxed order", () => {
  it("gives back each line's share of the tax (RefundLineItem.totalTaxSet), item by item to the cent, and lowers currentTotalTaxSet", async () => {
    const w = world();
    // 72.00 at 7.35 %: 5.29 of tax, which three items do not share evenly.
    const o = w.order({ taxLines: [{ title: "Sales tax", rate: 0.0735 }] });
    const taxes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await w.refund({ orderId: gid("Order", o.id), refundLineItems: w.lines(o, 1) });
      expect(r.userErrors).toEqual([]);
      taxes.push(r.refund.refundLineItems.nodes[0].totalTaxSet.shopMoney.amount);
    }
    expect(taxes).toEqual(["1.76", "1.77", "1.76"]);
    expect((await w.taxes(o)).currentTotalTaxSet.shopMoney.amount).toBe("0.00");
    expect((await w.taxes(o)).totalTaxSet.shopMoney.amount).toBe("5.29");
  });

  it("refuses a refund transaction above what is left of its parent payment (OrderTransaction.maximumRefundableV2) though the order received enough, and one above what the order received", async () => {
    const w = world();
    const o = w.order({ taxLines: VAT, payment: "authorized" });
    // Staff captured 50.00, then marked the rest (40.58) as paid by hand: two payments.
    const auth = o.transactions[0]!;
    const captured = orderCapture(w.sim.state, w.shop, o, {
      parentTransactionId: gid("OrderTransaction", auth.id),
      amount: "50.00",
    });
    expect(captured.ok).toBe(true);
    expect(markAsPaid(w.sim.state, w.shop, o).ok).toBe(true);
    const manual = o.transactions.find((t) => t.kind === "SALE")!;
    expect(manual.amount).toBe(4058);
    const fromManual = (amount: string) => ({
      orderId: gid("Order", o.id),
      kind: "REFUND",
      gateway: "manual",
      parentId: gid("OrderTransaction", manual.id),
      amount,
    });

    const aboveParent = await w.refund({
      orderId: gid("Order", o.id),
      transactions: [fromManual("45.00")],
    });
    const aboveOrder = await w.refund({
      orderId: gid("Order", o.id),
      transactions: [fromManual("90.59")],
    });

    expect(aboveParent.userErrors).toEqual([
      {
        field: ["transactions", "0", "amount"],
        message: expect.stringMatching(/40\.58 left to refund on the parent/),
      },
    ]);
    expect(aboveOrder.userErrors[0].field).toEqual(["transactions"]);
    expect(o.transactions.some((t) => t.kind === "REFUND")).toBe(false);
    const all = await w.refund({
      orderId: gid("Order", o.id),
      transactions: [fromManual("40.58")],
    });
    expect(all.userErrors).toEqual([]);
  });

  it("gives shipping back when asked (RefundInput.shipping fullRefund), at most once", async () => {
    const w = world();
    const o = w.order({ taxLines: VAT });
    const r = await w.refund({
      orderId: gid("Order", o.id),
      shipping: { fullRefund: true },
      transactions: [w.back(o, "4.90")],
    });
    expect(r.userErrors).toEqual([]);
    const s = await w.suggest(o, { lines: [], shipping: true });
    expect(s.shipping.amountSet.presentmentMoney.amount).toBe("0.00");
  });
});
