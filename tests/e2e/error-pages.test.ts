// A merchant meets Shopify failing, in Chromium against the built app and the simulator's faults:
// the Stuck screen opens with its findings and a banner saying Shopify did not answer; Check now,
// run by the worker (ADR 076), ends with a banner saying Shopify did not answer and what to do, and
// once Shopify answers again the next Check now finishes; recording a lab's word, which needs Shopify
// in the request, shows the app's error page in the frame (admin's title bar, the nav menu, Try
// again) instead of Remix's bare "Unexpected Server Error", and Try again brings the screen back. An
// address no screen answers says Page not found, in the frame under /app and on a Polaris page of
// the document's own elsewhere.
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  openApp,
  titleBar,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import { stuckFindingRow } from "../support/stuck-finding.ts";

test.beforeAll(async ({ stack, db, browser }) => {
  await installApp(browser, stack);
  // A request the lab left standing, as the monitor's pass records it.
  await db.finding.create({ data: stuckFindingRow(stack.shop, 9301) });
  // Its order as the app keeps it, at the lab: what Record looks the order up by.
  await db.fulfillmentOrderRecord.create({
    data: {
      shop: stack.shop,
      fulfillmentOrderId: "gid://shopify/FulfillmentOrder/9301",
      orderId: "gid://shopify/Order/9301",
      orderName: "#9301",
      status: "OPEN",
      outcome: "routed",
      provider: "partner-lab",
      orderCreatedAt: new Date(),
    },
  });
});

test("Shopify failing: the Stuck screen shows its findings with a banner, and Check now ends saying Shopify did not answer", async ({
  stack,
  page: tab,
}) => {
  await stack.control("POST", "/_sim/faults", { errorRate: 1 });
  try {
    // GIVEN Shopify answers nothing but errors
    // WHEN the merchant opens Stuck and drift, then Choose location on the stuck request
    await openApp(tab, stack, "/app/stuck", english("stuck.title"));
    // THEN the stuck request shows from the app's own tables; the picker, which reads Shopify,
    // gives way to a banner saying Shopify did not answer and what to do
    await expect.poll(() => tab.getByText("#9301").count()).toBeGreaterThan(0);
    await tab
      .getByRole("link", { name: english("stuck.pick.chooseLocationOrder", { order: "#9301" }) })
      .click();
    await tab.getByText(english("stuck.shopifyDidNotAnswer.title")).waitFor();

    // WHEN the merchant checks now, which needs Shopify
    await tab.getByRole("button", { name: english("stuck.scan") }).click();
    // THEN the screen says a check is running, and when the worker's attempts are spent, that
    // Shopify did not answer and to try again in a few minutes; the screen stays whole
    await tab.getByText(english("stuck.check.running.title")).waitFor();
    await tab
      .getByText(new RegExp(englishPattern("stuck.check.failed.title", { at: /.+/ })))
      .waitFor({ timeout: 180_000 });
    await tab
      .getByText(new RegExp(englishPattern("stuck.check.failed.shopify", { error: /.+/ })))
      .waitFor();
    expect(await tab.getByText(english("stuck.check.running.title")).count()).toBe(0);
    expect(await titleBar(tab).getAttribute("title")).toBe(english("stuck.title"));
    await keepScreenshot(tab, "stuck-check-failed");
  } finally {
    await stack.control("POST", "/_sim/faults", { reset: true });
  }

  // WHEN Shopify answers again and the merchant checks now again
  await tab.getByRole("button", { name: english("stuck.scan") }).click();
  // THEN the check finishes and says what it left
  await tab
    .getByText(new RegExp(englishPattern("stuck.check.done.title", { at: /.+/ })))
    .waitFor({ timeout: 60_000 });
});

test("Shopify failing: recording what the lab said shows the error page in the app's frame, and Try again brings the screen back", async ({
  stack,
  page: tab,
  browserErrors,
}) => {
  // Record's answer is the error page's 500, which Chromium logs.
  browserErrors.allowStatus(500, "/app/stuck");
  await openApp(tab, stack, "/app/stuck?view=drift", english("stuck.title"));
  await stack.control("POST", "/_sim/faults", { errorRate: 1 });
  try {
    // WHEN the merchant records the lab's word, which is read against Shopify at once
    await tab.getByRole("textbox", { name: english("stuck.record.order") }).fill("#9301");
    await tab.getByRole("button", { name: english("stuck.record.save") }).click();
    // THEN the app's error page shows in the frame: admin's title bar, the nav menu, Try again
    await expect
      .poll(() => titleBar(tab).getAttribute("title"), { timeout: 60_000 })
      .toBe(english("screenError.unexpected.title"));
    await tab.getByText(english("screenError.unexpected.body")).waitFor();
    expect(await tab.getByText("Unexpected Server Error").count()).toBe(0);
    expect(await tab.locator("ui-nav-menu a").count()).toBeGreaterThan(0);
  } finally {
    await stack.control("POST", "/_sim/faults", { reset: true });
  }

  // WHEN Shopify answers again and the merchant tries again
  await tab.getByRole("button", { name: english("screenError.tryAgain") }).click();
  // THEN the screen is back, without the banner
  await expect
    .poll(() => titleBar(tab).getAttribute("title"), { timeout: 60_000 })
    .toBe(english("stuck.title"));
  await tab.getByRole("button", { name: english("stuck.scan") }).waitFor();
  expect(await tab.getByText(english("stuck.shopifyDidNotAnswer.title")).count()).toBe(0);
});

test("an address under the app that no screen answers shows the Not found page in the app's frame", async ({
  stack,
  page: tab,
  browserErrors,
}) => {
  browserErrors.allowStatus(404, "/app/no-such-screen");
  // WHEN admin opens an address under the app that no screen answers
  await openApp(tab, stack, "/app/no-such-screen", english("screenError.notFound.title"));
  // THEN the page says so in the catalogue's words, with a way Home and the nav menu
  await tab.getByText(english("screenError.notFound.body")).waitFor();
  const page = tab.locator(".Polaris-Page");
  expect(await page.getByRole("link", { name: english("nav.home") }).count()).toBe(1);
  expect(await tab.locator("ui-nav-menu a").count()).toBeGreaterThan(0);
});

test("an address nothing answers shows the Not found page in Polaris, not Remix's bare 404", async ({
  stack,
  page: tab,
  browserErrors,
}) => {
  browserErrors.allowStatus(404, "/no-such-page");
  await tab.goto(`${stack.app.url}/no-such-page`, { timeout: 90_000 });
  await tab.getByRole("heading", { name: english("screenError.notFound.title") }).waitFor();
  await tab.getByText(english("screenError.notFound.body")).waitFor();
  expect(await tab.getByText("404").count()).toBe(0);
});
