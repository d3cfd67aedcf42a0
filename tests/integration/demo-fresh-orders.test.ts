// The orders `npm run demo` places once the app runs, placed in the shop simulator: a newcomer finds taxed ones, tax added and tax included, whose Cancel items in full shows the tax.
import { describe, expect, it } from "vitest";
import { previewFullRefund } from "~/fulfilment/cancel-lines.server";
import { demoFreshOrders } from "../../scripts/demo-config";
import { withShopSimulator } from "../support/integration";

const sim = withShopSimulator();

interface ControlOrder {
  taxesIncluded: boolean;
  totalTax: string;
  lineItems: { id: string; price: string }[];
}

describe("the demo's fresh orders", () => {
  it("are all accepted by Shopify, and two of them are taxed: one with the tax added, one with it included as EU shops price; refunding an item of either in full shows its tax", async () => {
    const placed = [];
    for (const order of demoFreshOrders("http://127.0.0.1:8787")) {
      const { orderId } = await sim.createOrder(order as unknown as Record<string, unknown>);
      placed.push({
        orderId,
        ...(await sim.control<ControlOrder>("GET", `/_sim/orders/${encodeURIComponent(orderId)}`)),
      });
    }
    const taxed = placed.filter((o) => Number(o.totalTax) > 0);
    expect(taxed.map((o) => o.taxesIncluded).sort()).toEqual([false, true]);

    for (const order of taxed) {
      const line = order.lineItems[0]!;
      const preview = await previewFullRefund(sim.gateway, order.orderId, [
        { lineItemId: line.id, quantity: 1 },
      ]);
      if (preview === "noSuggestedRefund") throw new Error("Shopify suggested no refund");
      expect(Number(preview?.tax)).toBeGreaterThan(0);
      // Tax included: the customer gets back the price, the tax in it; added: the price and more.
      if (order.taxesIncluded) expect(preview?.amount).toBe(line.price);
      else expect(Number(preview?.amount)).toBeGreaterThan(Number(line.price));
    }
  });
});
