// The views' derived fields (money bags, addresses, weights, totals, a location's scans of the shop), worked out only when a query asks for them, answer from the shop's state at that moment.
import { describe, expect, it } from "vitest";
import { gql, testSimulator, type Loose } from "../../../test/helpers.ts";
import { gid } from "../../shop/ids.ts";
import { money } from "../../shop/model.ts";
import { createOrder, originalTotal } from "../../shop/orders.ts";

const QUERY = /* GraphQL */ `
  query Derived($id: ID!) {
    order(id: $id) {
      requiresShipping
      subtotalLineItemsQuantity
      currentSubtotalLineItemsQuantity
      totalWeight
      paymentGatewayNames
      statusPageUrl
      billingAddressMatchesShippingAddress
      shippingAddress {
        city
        countryCodeV2
        formattedArea
      }
      originalTotalPriceSet {
        shopMoney {
          amount
          currencyCode
        }
      }
      totalTaxSet {
        presentmentMoney {
          amount
        }
      }
      customAttributes {
        key
        value
      }
      lineItems(first: 5) {
        nodes {
          sku
          originalUnitPriceSet {
            shopMoney {
              amount
            }
          }
          discountedTotalSet {
            shopMoney {
              amount
            }
          }
          totalDiscountSet {
            shopMoney {
              amount
            }
          }
          weight {
            unit
            value
          }
          customAttributes {
            key
            value
          }
        }
      }
    }
    locations(first: 20) {
      nodes {
        id
        hasActiveInventory
        hasUnfulfilledOrders
        address {
          city
          formatted
        }
      }
    }
  }
`;

describe("derived fields of orders, lines and locations", () => {
  it("answer what the shop holds when the query runs", async () => {
    const { sim, token, shop } = testSimulator();
    const r = createOrder(sim.state, shop, {
      payment: "paid",
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2, properties: { Frame: "Oak" } }],
      shippingAddress: {
        firstName: "Ada",
        lastName: "Lovelace",
        address1: "Oranienstraße 1",
        city: "Berlin",
        zip: "10999",
        countryCode: "DE",
        country: "Germany",
      },
    });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("; "));
    const order = r.value;
    const answer = await gql(sim, token, QUERY, { id: gid("Order", order.id) });
    expect(answer.body.errors).toBeUndefined();
    const o = answer.body.data!.order as Loose;
    expect(o).toMatchObject({
      requiresShipping: true,
      subtotalLineItemsQuantity: 2,
      currentSubtotalLineItemsQuantity: 2,
      totalWeight: "300",
      paymentGatewayNames: [...new Set(order.transactions.map((t) => t.gateway))],
      statusPageUrl: `https://${shop.domain}/${shop.id}/orders/${order.id.toString(36)}/authenticate?key=sim`,
      billingAddressMatchesShippingAddress:
        JSON.stringify(order.billingAddress) === JSON.stringify(order.shippingAddress),
      shippingAddress: { city: "Berlin", countryCodeV2: "DE", formattedArea: "Berlin, Germany" },
      originalTotalPriceSet: {
        shopMoney: { amount: money(originalTotal(order)), currencyCode: order.currency },
      },
      totalTaxSet: { presentmentMoney: { amount: "0.00" } },
      customAttributes: order.customAttributes,
    });
    expect(o.lineItems.nodes).toEqual([
      {
        sku: "PRINT-MATTE-A4",
        originalUnitPriceSet: { shopMoney: { amount: "24.00" } },
        discountedTotalSet: { shopMoney: { amount: "48.00" } },
        totalDiscountSet: { shopMoney: { amount: "0.00" } },
        weight: { unit: "GRAMS", value: 150 },
        customAttributes: [{ key: "Frame", value: "Oak" }],
      },
    ]);

    // A location's scans: its stock, and fulfillment orders neither closed nor cancelled.
    const open = (locationId: number) =>
      [...shop.fulfillmentOrders.values()].some(
        (f) =>
          f.assignedLocationId === locationId && f.status !== "CLOSED" && f.status !== "CANCELLED",
      );
    const stocked = (locationId: number) =>
      [...shop.inventory.values()].some((x) => x.locationId === locationId);
    const assigned = shop.fulfillmentOrders.get(order.fulfillmentOrderIds[0]!)!.assignedLocationId;
    expect(open(assigned)).toBe(true);
    const locations = (answer.body.data!.locations as Loose).nodes as Loose[];
    expect(locations.map((n) => n.id)).toContain(gid("Location", assigned));
    for (const node of locations) {
      const l = [...shop.locations.values()].find((x) => gid("Location", x.id) === node.id)!;
      expect(node).toEqual({
        id: node.id,
        hasActiveInventory: stocked(l.id),
        hasUnfulfilledOrders: open(l.id),
        address: expect.objectContaining({ city: l.address.city ?? null }) as unknown,
      });
    }
  });
});
