// "Cancel items" refunded in full when Shopify answers no suggested refund (Order.suggestedRefund is nullable): refused with its own advice, nothing changed.
import { beforeEach, describe, expect, it } from "vitest";
import { cancelLines, parseCancelLinesForm } from "~/fulfilment/cancel-lines.server";
import { translatorOf } from "~/i18n/i18next.server";
import { withFreshDatabase, withShopSimulator } from "../support/integration";

const sim = withShopSimulator();
const db = withFreshDatabase();

beforeEach(async () => {
  await db.shop.create({
    data: { shop: sim.shop, defaultMode: "manual", digitalDownloads: "automatic" },
  });
});

/** The order as the simulator's control API shows it: its lines and its money. */
interface ControlOrder {
  lineItems: { id: string; currentQuantity: number }[];
  transactions: { kind: string }[];
}
const controlOrder = (orderId: string) =>
  sim.control<ControlOrder>("GET", `/_sim/orders/${encodeURIComponent(orderId)}`);

function cancelOneInFull(orderId: string, lineItemId: string) {
  const f = new FormData();
  f.set(`line:${lineItemId}`, "1");
  for (const [k, v] of Object.entries({
    reason: "CUSTOMER",
    refund: "original",
    amountMode: "full",
  }))
    f.set(k, v);
  const parsed = parseCancelLinesForm(f);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return cancelLines(
    { db, gateway: sim.gateway, now: () => new Date() },
    { shop: sim.shop, actor: "Lena" },
    orderId,
    parsed.value,
  );
}

describe("a refund in full Shopify could not work out", () => {
  it("is refused as such, not as nothing paid left, tells the merchant to try again or set an amount, and changes nothing", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      taxLines: [{ title: "VAT", rate: 0.19 }],
    });
    const before = await controlOrder(orderId);
    // Shopify answers the order found and `suggestedRefund: null` (the field is nullable).
    await sim.control("POST", "/_sim/readings", { suggestedRefund: "none" });

    const result = await cancelOneInFull(orderId, before.lineItems[0]!.id);

    expect(result).toEqual({ ok: false, refusal: { code: "noSuggestedRefund" } });
    const english = await translatorOf("en");
    expect(english("afterPayment.cancelLines.refusals.noSuggestedRefund")).toBe(
      'Shopify couldn\'t work out the refund for these items, so nothing was canceled. Try again, or choose "A set amount" and enter what to refund.',
    );
    const after = await controlOrder(orderId);
    expect(after.transactions.filter((t) => t.kind === "REFUND")).toEqual([]);
    expect(after.lineItems[0]!.currentQuantity).toBe(before.lineItems[0]!.currentQuantity);
  });
});
