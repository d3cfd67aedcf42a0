// A merchant opens "Cancel order" in Chromium on an order with a return in progress: the dialog
// says Shopify won't cancel it and what to do, its confirm button is off, and nothing is taken
// back; once the return is closed, the dialog opened again lets the cancel through (ADR 095).
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  numberOf,
  openApp,
  workerSettled,
} from "./support/harness.ts";
import { english } from "./support/catalogue.ts";

interface SimOrder {
  cancelled: boolean;
  financialStatus: string;
}

let order: { orderId: string; name: string };

test.beforeAll(async ({ stack, db, browser }) => {
  await installApp(browser, stack);
  order = await stack.createOrder({
    payment: "paid",
    email: "eve@example.com",
    customer: { email: "eve@example.com", firstName: "Eve", lastName: "Return" },
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
  });
  await workerSettled(db);
  // The customer asked to return the print; staff opened the return in admin.
  await stack.control("POST", `/_sim/orders/${encodeURIComponent(order.orderId)}/return`, {
    status: "IN_PROGRESS",
  });
});

test.describe("cancel an order Shopify would refuse", () => {
  test("says why in the dialog with the confirm button off while a return is in progress, and allows it once the return is closed", async ({
    stack,
    page: tab,
  }) => {
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(order.orderId)}`,
      english("order.title", { name: order.name }),
    );
    const card = tab.locator(".Polaris-ShadowBevel").filter({
      has: tab.getByRole("heading", { name: english("afterSales.cancel.title"), level: 2 }),
    });
    const open = async () => {
      await card.getByRole("button", { name: english("afterSales.cancel.open") }).click();
      return tab.getByRole("dialog");
    };
    const dialog = await open();
    const why = dialog.getByText(english("serviceMessages.cancel.blocked.returnInProgress"));
    await why.waitFor({ timeout: 60_000 });
    const confirm = dialog.getByRole("button", { name: english("afterSales.cancel.confirm") });
    await expect.poll(() => confirm.isDisabled()).toBe(true);
    await keepScreenshot(tab, "cancel-refused-up-front");
    expect(await stack.orderState<SimOrder>(order.orderId)).toMatchObject({
      cancelled: false,
      financialStatus: "PAID",
    });

    // Staff close the return in admin; the dialog opened again asks Shopify's state again.
    await stack.control("POST", `/_sim/orders/${encodeURIComponent(order.orderId)}/return`, {
      status: "RETURNED",
    });
    await dialog.getByRole("button", { name: english("afterSales.cancel.keep") }).click();
    await expect.poll(() => tab.getByRole("dialog").count()).toBe(0);
    const again = await open();
    const confirmAgain = again.getByRole("button", { name: english("afterSales.cancel.confirm") });
    await expect.poll(() => confirmAgain.isDisabled(), { timeout: 60_000 }).toBe(false);
    expect(
      await again.getByText(english("serviceMessages.cancel.blocked.returnInProgress")).count(),
    ).toBe(0);
  });
});
