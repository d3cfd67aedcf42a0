// A merchant charges extra from the order detail in Chromium: the charge is refused in red beside
// the action while the form is wrong and once the order is canceled behind the page; otherwise the
// customer gets the invoice with the merchant's message, the rule holds the order until it is paid,
// and once the customer pays (the simulator's checkout), the rule "extra charge is paid" releases it.
import type { Db } from "../../app/db/client.server.ts";
import {
  appTest as test,
  expect,
  keepScreenshot,
  numberOf,
  openApp,
  waitFor,
  type PlacedOrder,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import { heldPrintOrder, printOrder } from "./support/review-fixtures.ts";

let print: PlacedOrder;
let toCancel: PlacedOrder;
let refusedEmail: PlacedOrder;

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 60_000 });

/** The charge's amount field, "Amount (…)" in the shop's currency, in the catalogue's words. */
const AMOUNT = new RegExp(`^${englishPattern("extraCharge.amount", { currency: /\w+/ })}$`);

/** "Wait for the extra charge" holds an order while its charge waits; "paid" fulfils it. */
async function seedChargeRules(db: Db, shop: string): Promise<void> {
  const rule = (name: string, position: number, value: string, actions: unknown[]) =>
    db.rule.create({
      data: {
        shop,
        name,
        position,
        enabled: true,
        conditions: JSON.stringify({
          match: "all",
          lines: "any",
          keepChecking: false,
          conditions: [{ field: "extra_charge", operator: "equals", value }],
        }),
        actions: JSON.stringify(actions),
      },
    });
  await rule("Wait for the extra charge", 1, "awaiting_payment", [
    { type: "hold", reason: "AWAITING_PAYMENT", note: "Extra charge not paid yet" },
  ]);
  await rule("Extra charge paid", 2, "paid", [{ type: "fulfil_automatically" }]);
  // Review comes after them: an order with a charge is decided by the charge.
  await db.rule.updateMany({ where: { shop, name: "Review prints" }, data: { position: 10 } });
}

type SimOrder = {
  tags: string[];
  fulfillmentOrders: { status: string; holds: { reason: string }[] }[];
};

test.beforeAll(async ({ stack, db, browser }) => {
  print = await heldPrintOrder({ stack, db, browser }, printOrder(9));
  toCancel = await stack.createOrder(printOrder(10));
  await waitFor(
    "the second print order to be decided",
    () => db.fulfillmentOrderRecord.findMany({ where: { orderId: toCancel.orderId } }),
    (records) => records.some((r) => r.outcome === "in_review"),
  );
  // Shopify refuses a draft order's e-mail on a domain it does not accept (the checkout took it).
  refusedEmail = await stack.createOrder(
    printOrder(11, {
      email: "buyer11@studio.invalid",
      customer: { email: "buyer11@studio.invalid", firstName: "Buyer", lastName: "No11" },
    }),
  );
  await waitFor(
    "the third print order to be decided",
    () => db.fulfillmentOrderRecord.findMany({ where: { orderId: refusedEmail.orderId } }),
    (records) => records.some((r) => r.outcome === "in_review"),
  );
  await seedChargeRules(db, stack.shop);
});

test.describe("extra charge from the order detail", () => {
  test("sends the invoice with the merchant's message, holds the order until it is paid, then the rule releases and fulfills it", async ({
    stack,
    db,
    page: tab,
    browserErrors,
  }) => {
    // The wrong amount's answer is a 422 (a form to mend), which Chromium logs.
    browserErrors.allowStatus(422, `/app/orders/${numberOf(print.orderId)}.data`);
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(print.orderId)}`,
      english("order.title", { name: print.name }),
    );
    const card = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: english("extraCharge.title"), level: 2 }) });
    expect(await card.getByText(english("extraCharge.none")).isVisible()).toBe(true);

    // A wrong amount is refused beside its field; nothing reaches Shopify.
    await card.getByRole("button", { name: english("extraCharge.open") }).click();
    const dialog = tab.getByRole("dialog");
    await dialog.getByRole("textbox", { name: AMOUNT }).fill("0");
    await dialog
      .getByRole("textbox", { name: english("extraCharge.reason") })
      .fill("Size change to A3");
    await dialog
      .getByRole("textbox", { name: english("extraCharge.message") })
      .fill("Your print grows to A3: the larger paper costs 12.50 more.");
    await dialog.getByRole("button", { name: english("extraCharge.confirm") }).click();
    await dialog.getByText(english("extraCharge.errors.amount")).waitFor({ timeout: 30_000 });
    expect(await db.extraCharge.count()).toBe(0);

    await dialog.getByRole("textbox", { name: AMOUNT }).fill("12,50");
    // Sent with a double click: one draft order, one invoice.
    await dialog.getByRole("button", { name: english("extraCharge.confirm") }).dblclick();
    await card.getByText(english("extraCharge.status.invoice_sent")).waitFor({ timeout: 60_000 });
    const charge = await db.extraCharge.findFirstOrThrow({ where: { orderId: print.orderId } });
    expect(charge).toMatchObject({ status: "invoice_sent", amount: "12.50" });
    expect(await db.extraCharge.count({ where: { orderId: print.orderId } })).toBe(1);
    expect(
      await card
        .getByText(english("extraCharge.draft", { draft: charge.draftOrderName! }))
        .isVisible(),
    ).toBe(true);
    expect(await card.getByText("Size change to A3").isVisible()).toBe(true);

    // The customer got Shopify's invoice e-mail with the merchant's message.
    const draft = await stack.control<{ invoiceEmails: { to: string; customMessage: string }[] }>(
      "GET",
      `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}`,
    );
    expect(draft.invoiceEmails).toEqual([
      expect.objectContaining({
        to: "buyer9@example.com",
        customMessage: "Your print grows to A3: the larger paper costs 12.50 more.",
      }),
    ]);
    // The rule "Wait for the extra charge" holds the order on Shopify.
    await eventually(async () => {
      const order = await stack.orderState<SimOrder>(print.orderId);
      return order.fulfillmentOrders.flatMap((f) => f.holds.map((h) => h.reason));
    }).toEqual(["AWAITING_PAYMENT"]);
    await tab.reload();
    await card.getByText(english("extraCharge.status.invoice_sent")).waitFor({ timeout: 30_000 });
    await keepScreenshot(tab, "extra-charge-sent");

    // The customer pays the invoice at checkout: Shopify's webhooks reach the app and its worker.
    const paid = await stack.control<{ orderId: string; name: string }>(
      "POST",
      `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}/pay`,
      {},
    );
    await eventually(async () => {
      const order = await stack.orderState<SimOrder>(print.orderId);
      return {
        tags: order.tags.filter((t) => t.startsWith("extra-charge")),
        holds: order.fulfillmentOrders.flatMap((f) => f.holds),
        status: order.fulfillmentOrders.map((f) => f.status),
      };
    }).toEqual({ tags: ["extra-charge-paid"], holds: [], status: ["CLOSED"] });

    // The order screen says it: the charge paid as the new order, the order released and fulfilled.
    await tab.reload();
    await card
      .getByText(english("extraCharge.status.paid"), { exact: true })
      .waitFor({ timeout: 30_000 });
    expect(await card.getByRole("link", { name: paid.name }).isVisible()).toBe(true);
    const studio = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: "Studio", level: 2 }) });
    await eventually(() => studio.getByText(english("outcome.done")).isVisible()).toBe(true);
    expect(await studio.getByText(english("outcome.held")).count()).toBe(0);
    await keepScreenshot(tab, "extra-charge-paid");

    // The order the charge became links back to the original.
    await card.getByRole("link", { name: paid.name }).click();
    await tab.waitForURL((u) => u.pathname === `/app/orders/${numberOf(paid.orderId)}`);
    await eventually(() => card.getByRole("link", { name: print.name }).isVisible()).toBe(true);
    expect(await card.getByText(english("extraCharge.paysFor"), { exact: true }).isVisible()).toBe(
      true,
    );
  });

  test("refuses in red beside the action when the order was canceled behind the page", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(toCancel.orderId)}`,
      english("order.title", { name: toCancel.name }),
    );
    // Staff cancel the order in Shopify admin while the page is open.
    const { accessToken } = await stack.control<{ accessToken: string }>("POST", "/_sim/tokens", {
      shop: stack.shop,
    });
    const canceled = await fetch(`${stack.simulatorUrl}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
      body: JSON.stringify({
        query: `mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true) { orderCancelUserErrors { message } } }`,
        variables: { id: toCancel.orderId },
      }),
    });
    expect(await canceled.json()).toMatchObject({
      data: { orderCancel: { orderCancelUserErrors: [] } },
    });
    await eventually(
      async () => (await stack.orderState<{ cancelled: boolean }>(toCancel.orderId)).cancelled,
    ).toBe(true);
    const card = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: english("extraCharge.title"), level: 2 }) });
    await card.getByRole("button", { name: english("extraCharge.open") }).click();
    const dialog = tab.getByRole("dialog");
    await dialog.getByRole("textbox", { name: AMOUNT }).fill("5");
    await dialog
      .getByRole("textbox", { name: english("extraCharge.reason") })
      .fill("Extra shipping");
    await dialog.getByRole("button", { name: english("extraCharge.confirm") }).click();
    // A critical banner is Polaris's role "alert": red, beside the action.
    const banner = card.getByRole("alert").filter({ hasText: english("extraCharge.refused") });
    await banner.waitFor({ timeout: 60_000 });
    const refusal = english("extraCharge.refusals.cancelled");
    expect(await banner.getByText(refusal).isVisible()).toBe(true);
    // The charge's row keeps the refusal, in red too.
    const row = card
      .locator("p")
      .filter({ hasText: refusal })
      .and(card.locator("[class*=critical]"));
    expect(await row.count()).toBe(1);
    expect(
      await db.step.count({
        where: { kind: "draftOrderCreate", decision: { orderId: toCancel.orderId } },
      }),
    ).toBe(0);
    await keepScreenshot(tab, "extra-charge-refused");
  });

  test("shows Shopify's refusal of the draft order in red beside the action, on the charge's row too", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(refusedEmail.orderId)}`,
      english("order.title", { name: refusedEmail.name }),
    );
    const card = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: english("extraCharge.title"), level: 2 }) });
    await card.getByRole("button", { name: english("extraCharge.open") }).click();
    const dialog = tab.getByRole("dialog");
    await dialog.getByRole("textbox", { name: AMOUNT }).fill("4");
    await dialog
      .getByRole("textbox", { name: english("extraCharge.reason") })
      .fill("Extra shipping");
    await dialog.getByRole("button", { name: english("extraCharge.confirm") }).click();
    const refusal = english("afterSalesAnswers.row.failed", {
      step: english("afterSalesAnswers.step.draftOrderCreate"),
      shopify: "Email contains an invalid domain name",
    });
    const banner = card.getByRole("alert").filter({ hasText: english("extraCharge.refused") });
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.getByText(refusal).isVisible()).toBe(true);
    // The charge's row stays, not sent, with the same words in red after a reload.
    await tab.reload();
    await card.getByText(english("extraCharge.status.failed")).waitFor({ timeout: 30_000 });
    const row = card.locator("p").filter({ hasText: refusal });
    expect(await row.count()).toBe(1);
    expect(await row.first().evaluate((el) => el.className)).toContain("critical");
    expect(
      await db.step.findMany({
        where: { decision: { orderId: refusedEmail.orderId }, kind: "draftOrderCreate" },
        select: { status: true },
      }),
    ).toEqual([{ status: "failed" }]);
    const state = await stack.orderState<SimOrder>(refusedEmail.orderId);
    expect(state.tags.filter((t) => t.startsWith("extra-charge"))).toEqual([]);
    await keepScreenshot(tab, "extra-charge-refused-by-shopify");
  });
});
