// A merchant cancels a whole order from the order detail in Chromium: while Partner Lab holds work
// it accepted, the cancel is refused in red beside the action, the lab is asked once to let go and
// Shopify's order stays as it was; once the lab lets go, the same action cancels it on Shopify
// with the payment refunded, and neither cancel, remake nor extra charge is offered any more
// (screenshots kept).
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  numberOf,
  openApp,
  toast,
  waitFor,
  workerSettled,
  type Stack,
} from "./support/harness.ts";
import { seedLabRule } from "./support/review-fixtures.ts";
import { english } from "./support/catalogue.ts";

interface SimOrder {
  cancelled: boolean;
  financialStatus: string;
  fulfillmentOrders: { id: string; requestStatus: string; location: { name: string } }[];
}

/** Partner Lab answers, as the fulfilment service app that owns its location. */
const lab = (stack: Stack, foId: string, action: string) =>
  stack.control("POST", `/_sim/fulfillment-orders/${encodeURIComponent(foId)}/service-response`, {
    action,
  });

let order: { orderId: string; name: string; foId: string };

test.beforeAll(async ({ stack, db, browser }) => {
  // "Lab prints go to Partner Lab": the rule asks the lab for a print the Studio has none of.
  await seedLabRule(db, stack.shop);
  await installApp(browser, stack);
  const placed = await stack.createOrder({
    payment: "paid",
    email: "eve@example.com",
    customer: { email: "eve@example.com", firstName: "Eve", lastName: "Lab" },
    lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
  });
  const state = await waitFor(
    `the request for ${placed.name}`,
    () => stack.orderState<SimOrder>(placed.orderId),
    (s) =>
      s.fulfillmentOrders.some(
        (f) => f.location.name === "Partner Lab" && f.requestStatus === "SUBMITTED",
      ),
  );
  const fo = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab")!;
  order = { orderId: placed.orderId, name: placed.name, foId: fo.id };
  await lab(stack, fo.id, "accept");
  await workerSettled(db);
});

test.describe("cancel an order from the order detail", () => {
  test("refuses in red beside the action while the lab holds accepted work and asks it to let go; once it has, cancels with a refund", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(order.orderId)}`,
      english("order.title", { name: order.name }),
    );
    const title = english("afterSales.cancel.title");
    const card = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: title, level: 2 }) });
    const cancel = async () => {
      await card.getByRole("button", { name: english("afterSales.cancel.open") }).click();
      const dialog = tab.getByRole("dialog");
      await dialog.getByText(english("afterSales.cancel.refundOriginal"), { exact: true }).click();
      await dialog.getByRole("button", { name: english("afterSales.cancel.confirm") }).click();
    };

    await cancel();
    // A critical banner is Polaris's role "alert": red, beside the action, naming the lab.
    const refusal = card
      .getByRole("alert")
      .filter({ hasText: english("afterSales.cancel.refused") });
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.textContent()).toContain("Partner Lab");
    // The dialog closes on a refusal (it has nothing to mend).
    await expect.poll(() => tab.getByRole("dialog").count()).toBe(0);
    let state = await stack.orderState<SimOrder>(order.orderId);
    expect(state).toMatchObject({ cancelled: false, financialStatus: "PAID" });
    expect(state.fulfillmentOrders.find((f) => f.id === order.foId)!.requestStatus).toBe(
      "CANCELLATION_REQUESTED",
    );
    await keepScreenshot(tab, "cancel-order-refused");

    // Asked again before the lab answers: refused again, and the lab is not asked twice.
    await refusal.getByRole("button").click();
    await cancel();
    await refusal.waitFor({ timeout: 60_000 });
    expect(
      await db.step.count({
        where: {
          kind: "fulfillmentOrderSubmitCancellationRequest",
          decision: { orderId: order.orderId },
        },
      }),
    ).toBe(1);

    // The lab lets go; the same action now cancels the order on Shopify and refunds the payment.
    await lab(stack, order.foId, "accept-cancellation");
    await refusal.getByRole("button").click();
    await cancel();
    // The toast names the order: canceled, or being canceled by Shopify's job.
    await toast(tab, order.name).waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => {
        state = await stack.orderState<SimOrder>(order.orderId);
        return { cancelled: state.cancelled, financialStatus: state.financialStatus };
      })
      .toEqual({ cancelled: true, financialStatus: "REFUNDED" });
    // Canceled, the order has no cancel action any more, and nothing offers to remake or charge it.
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(order.orderId)}`,
      english("order.title", { name: order.name }),
    );
    expect(await card.count()).toBe(0);
    const cardOf = (heading: string) =>
      tab
        .locator(".Polaris-ShadowBevel")
        .filter({ has: tab.getByRole("heading", { name: heading, level: 2 }) });
    const remake = cardOf(english("afterSales.remake.title"));
    await remake.waitFor();
    expect(
      await remake.getByRole("button", { name: english("afterSales.remake.open") }).count(),
    ).toBe(0);
    const charge = cardOf(english("extraCharge.title"));
    expect(await charge.getByRole("button", { name: english("extraCharge.open") }).count()).toBe(0);
    await keepScreenshot(tab, "cancel-order");
  });
});
