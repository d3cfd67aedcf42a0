// Payment deadlines as a merchant sees them against the demo (not on Plus: Shopify gives no
// expiry, so the time left is the gateway's 7 days from the authorization, marked an estimate):
// an order authorized six days ago shows its time left in red on the order screen, on Home's
// warning and in the queue filtered from it; a narrower window in Settings ends the warning.
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  numberOf,
  openApp,
  toast,
  saveBar,
  fieldError,
  waitFor,
  waitForScreen,
  type PlacedOrder,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";

let order: PlacedOrder;
const DAY = 24 * 3600_000;

test.beforeAll(async ({ stack, db, browser }) => {
  await installApp(browser, stack);
  order = await stack.createOrder({
    payment: "authorized",
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
  });
  await waitFor(
    "the order to be decided",
    () => db.fulfillmentOrderRecord.findMany({ where: { orderId: order.orderId } }),
    (records) => records.length > 0,
  );
  // The checkout was six days ago (the simulator's control for an authorization's date).
  await stack.control("POST", `/_sim/orders/${encodeURIComponent(order.orderId)}/authorization`, {
    authorizedAt: new Date(Date.now() - 6 * DAY).toISOString(),
  });
});

/** The time left to capture, about 22 or 23 hours, in the catalogue's words. */
const hoursLeft = new RegExp(
  [22, 23].map((count) => englishPattern("deadlines.left.hours_other", { count })).join("|"),
);

/** Home's warning of authorizations lapsing within 48 hours, for any number of orders. */
const lapsing = new RegExp(
  ["deadlines.home.title_one", "deadlines.home.title_other"]
    .map((key) => englishPattern(key, { count: /\d+/, hours: 48 }))
    .join("|"),
);

test.describe("payment deadlines", () => {
  test("the order screen, Home and the queue warn about an authorization lapsing within Settings' window, and a narrower window ends the warning", async ({
    stack,
    db,
    page: tab,
    browserErrors,
  }) => {
    // The order screen reads Shopify: about 23 hours left, an estimate, in red (the same words as
    // Home and the queue).
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(order.orderId)}`,
      english("order.title", { name: order.name }),
    );
    const payment = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: english("order.payment"), level: 2 }) });
    const left = payment.locator(".Polaris-Badge--toneCritical").filter({ hasText: hoursLeft });
    await expect.poll(() => left.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await payment.getByText(english("deadlines.left.estimate")).isVisible()).toBe(true);
    await keepScreenshot(tab, "payment-deadlines-order");

    // Home: the warning names the order with its time left, marked as an estimate.
    await openApp(tab, stack, "/app", english("app.name"));
    const warning = tab.getByText(lapsing);
    await warning.waitFor({ timeout: 15_000 });
    expect(await tab.getByRole("link", { name: order.name }).isVisible()).toBe(true);
    expect(await tab.getByText(hoursLeft).first().isVisible()).toBe(true);
    expect(await tab.getByText(english("deadlines.left.estimate")).first().isVisible()).toBe(true);
    await keepScreenshot(tab, "payment-deadlines-home");

    // The queue, filtered from Home's link.
    await tab.getByRole("link", { name: english("deadlines.home.open") }).click();
    await waitForScreen(tab, english("nav.queue"));
    expect(new URL(tab.url()).searchParams.get("lapsesWithin")).toBe("48");
    expect(await tab.getByRole("link", { name: order.name }).first().isVisible()).toBe(true);
    expect(await tab.getByText(hoursLeft).first().isVisible()).toBe(true);
    await keepScreenshot(tab, "payment-deadlines-queue");

    // Settings: a wrong value is refused beside the field; 12 hours is saved.
    await openApp(tab, stack, "/app/settings", english("nav.settings"));
    const hours = tab.getByLabel(english("deadlines.settings.warnHours"));
    // The refused save is answered 422 on purpose.
    browserErrors.allowStatus(422, "/app/settings");
    await hours.fill("200");
    await saveBar(tab)
      .getByRole("button", { name: english("common.save") })
      .click();
    await expect
      .poll(() => fieldError(hours))
      .toBe(english("deadlines.settings.invalid", { min: 1, max: 168 }));
    await hours.fill("12");
    await saveBar(tab)
      .getByRole("button", { name: english("common.save") })
      .click();
    await expect.poll(() => toast(tab, english("settings.saved")).count()).toBe(1);
    expect(
      (await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).authorizationWarnHours,
    ).toBe(12);

    // Home no longer warns: 23 hours is outside a 12-hour window.
    await openApp(tab, stack, "/app", english("app.name"));
    await tab.getByText(english("home.stat.decisionsToday")).waitFor();
    expect(await warning.count()).toBe(0);
  });
});
