// An extra charge in a shop that keeps three decimals (KWD): the draft order carries the fils the
// merchant asked for (typed with a German decimal comma), and more decimals than a dinar has are
// the amount field's error, nothing made (ADR 087, addendum).
import { beforeEach, describe, expect, it } from "vitest";
import { createExtraCharge, parseExtraChargeForm } from "~/fulfilment/extra-charge.server";
import { answerExtraCharge } from "~/services/extra-charge.server";
import { translatorOf } from "~/i18n/i18next.server";
import { createAdminGateway, type AdminGateway } from "~/shopify/gateway.server";
import { withFreshDatabase, withShopSimulator } from "../support/integration";

const sim = withShopSimulator();
const db = withFreshDatabase();

const DINAR_SHOP = "dinar-prints.myshopify.com";
let dinars: AdminGateway;

beforeEach(async () => {
  const created = await sim.control<{ accessToken: string }>("POST", "/_sim/shops", {
    shop: DINAR_SHOP,
    seed: "demo",
    currency: "KWD",
  });
  dinars = createAdminGateway({
    shop: DINAR_SHOP,
    accessToken: created.accessToken,
    adminOrigin: sim.url,
    budgets: sim.budgets,
    baseDelayMs: 5,
  });
  await db.shop.create({ data: { shop: DINAR_SHOP, defaultMode: "manual" } });
});

const deps = () => ({ db, gateway: dinars, now: () => new Date() });
const merchant = { shop: DINAR_SHOP, actor: "Lena" };

async function dinarOrder() {
  return sim.control<{ orderId: string; name: string }>("POST", "/_sim/orders", {
    shop: DINAR_SHOP,
    order: {
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      email: "ann@example.com",
    },
  });
}

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe("an extra charge in Kuwaiti dinars", () => {
  it("asks Shopify for 12.505 KWD, typed 12,505 in German admin, and the draft says so", async () => {
    const { orderId } = await dinarOrder();
    const parsed = parseExtraChargeForm(form({ amount: "12,505", reason: "Size change" }), "de");
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));

    const result = await createExtraCharge(deps(), merchant, orderId, parsed.value);

    expect(result).toMatchObject({ ok: true });
    const charge = await db.extraCharge.findFirstOrThrow({ where: { orderId } });
    expect(charge).toMatchObject({ amount: "12.505", currency: "KWD" });
    const draft = await dinars.request<{
      draftOrder: {
        lineItems: { nodes: { originalUnitPriceWithCurrency: { amount: string } }[] };
        totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
      };
    }>(
      `query ($id: ID!) { draftOrder(id: $id) {
        lineItems(first: 5) { nodes { originalUnitPriceWithCurrency { amount } } }
        totalPriceSet { shopMoney { amount currencyCode } } } }`,
      { id: charge.draftOrderId },
    );
    expect(Number(draft.draftOrder.lineItems.nodes[0]!.originalUnitPriceWithCurrency.amount)).toBe(
      12.505,
    );
    expect(draft.draftOrder.totalPriceSet.shopMoney).toMatchObject({ currencyCode: "KWD" });
    expect(Number(draft.draftOrder.totalPriceSet.shopMoney.amount)).toBe(12.505);

    // The customer pays the invoice: the order it becomes took 12.505 dinars, not 12.51.
    await sim.control(
      "POST",
      `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}/pay`,
      {
        shop: DINAR_SHOP,
      },
    );
    const paid = await dinars.request<{
      draftOrder: {
        order: {
          totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
          transactions: { kind: string; amountSet: { shopMoney: { amount: string } } }[];
        } | null;
      };
    }>(
      `query ($id: ID!) { draftOrder(id: $id) { order {
        totalPriceSet { shopMoney { amount currencyCode } }
        transactions { kind amountSet { shopMoney { amount } } } } } }`,
      { id: charge.draftOrderId },
    );
    expect(Number(paid.draftOrder.order!.totalPriceSet.shopMoney.amount)).toBe(12.505);
    expect(
      paid.draftOrder.order!.transactions.map((t) => Number(t.amountSet.shopMoney.amount)),
    ).toEqual([12.505]);
  });

  it("refuses 12.5055 KWD beside the amount, in the merchant's words, and makes nothing", async () => {
    const { orderId } = await dinarOrder();
    const t = translatorOf("de");

    const { answer, status } = await answerExtraCharge(
      deps(),
      await t,
      merchant,
      orderId,
      form({ amount: "12,5055", reason: "Size change" }),
      "de",
    );

    expect(status).toBe(422);
    expect(answer.errors?.amount).toBe(
      "Beträge in KWD haben höchstens 3 Nachkommastellen. Gib einen Betrag wie 12,505 ein.",
    );
    expect(await db.extraCharge.count({ where: { orderId } })).toBe(0);
    const drafts = await dinars.request<{ draftOrders: { nodes: unknown[] } }>(
      `query { draftOrders(first: 5, query: "tag:extra-charge") { nodes { id } } }`,
    );
    expect(drafts.draftOrders.nodes).toEqual([]);
  });
});
