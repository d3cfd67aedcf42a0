// The admin extensions in Debian's Chromium, on the demo's preview page (scripts/extensions-preview.ts):
// each extension's offline bundle runs in a real browser against the built app and the shop
// simulator, its requests carrying session tokens the simulator signs as Shopify admin does and
// crossing origins as admin's do (CORS answered by the app), its clicks changing the shop.
import { afterAll } from "vitest";
import type { Page } from "playwright-core";
import type { Db } from "../../app/db/client.server.ts";
import { startExtensionsPreview, type PreviewServer } from "../../scripts/extensions-preview.ts";
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  numberOf,
  waitFor,
  type PlacedOrder,
} from "./support/harness.ts";
import { words } from "./support/catalogue.ts";
import { printOrder, seedReviewRule } from "./support/review-fixtures.ts";
import { triggerWords } from "../../app/routing/words.ts";

let preview: PreviewServer;
let orders: PlacedOrder[];

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });

test.beforeAll(async ({ stack, db, browser }) => {
  await seedReviewRule(db, stack.shop);
  // The merchant opened the app once: installed, its webhooks route the orders.
  await installApp(browser, stack);
  orders = await stack.placeOrders([printOrder(1), printOrder(2), printOrder(3)]);
  await waitFor(
    "the orders to wait for review",
    // Only this test's orders: reconciliation may route the shop's earlier paid orders meanwhile.
    () =>
      db.fulfillmentOrderRecord.findMany({
        where: { outcome: "in_review", orderId: { in: orders.map((o) => o.orderId) } },
      }),
    (records) => records.length === orders.length,
  );
  preview = await startExtensionsPreview({
    appUrl: stack.app.url,
    simulatorUrl: stack.simulatorUrl,
    shop: stack.shop,
  });
});

// The preview server is this file's own.
afterAll(async () => {
  await preview?.stop();
});

const button = (tab: Page, name: string) => tab.locator("s-button", { hasText: name });

/** The extensions' own words: each bundle carries its catalogue, not the app's. */
const block = words({ extension: "order-routing-block" });
const action = words({ extension: "order-routing-action" });
const blockInGerman = words({ extension: "order-routing-block", lang: "de" });

/**
 * What the block says started the order's latest decision, in the app catalogue's words for the
 * block's language. Which trigger and webhook that is depends on what reached the app first: the
 * order's webhooks (delayed and reordered, as Shopify may) or a reconciliation pass.
 */
async function triggerLine(db: Db, orderId: string, lang: "en" | "de"): Promise<string> {
  const latest = await db.decision.findFirst({
    where: { orderId },
    orderBy: { createdAt: "desc" },
    select: { trigger: true, cause: true },
  });
  const said = latest ? triggerWords(latest.trigger, latest.cause) : null;
  if (!said || typeof said === "string")
    throw new Error(`no decision with a worded trigger for ${orderId}`);
  return words({ lang })(said.key);
}

test.describe("the order details block on the preview page", () => {
  test("shows the decision, the review hold with its note and the next actions; Approve sends the order on", async ({
    stack,
    db,
    newPage,
  }) => {
    const order = orders[0]!;
    const tab = await newPage();
    await tab.goto(`${preview.url}/orders/${numberOf(order.orderId)}`);
    const trigger = await triggerLine(db, order.orderId, "en");
    await tab.getByText(trigger, { exact: false }).waitFor();
    await expect.poll(() => tab.locator("s-admin-block").textContent()).toContain("Check the crop");
    expect(await button(tab, block("approve")).getAttribute("variant")).toBe("primary");
    expect(await button(tab, block("reroute")).count()).toBe(1);
    await keepScreenshot(tab, "extension-order-block");

    await button(tab, block("approve")).click();
    await tab.locator('s-banner[tone="success"]').waitFor();
    // Approved on Shopify's side: the review hold is gone and the Studio's print is fulfilled.
    await eventually(async () => {
      const state = await stack.orderState<{ fulfillmentOrders: { holds: unknown[] }[] }>(
        order.orderId,
      );
      return state.fulfillmentOrders.flatMap((fo) => fo.holds).length;
    }).toBe(0);
    expect(await button(tab, block("approve")).count()).toBe(0);
  });

  test("speaks German when admin's language is German", async ({ page: tab, db }) => {
    await tab.goto(`${preview.url}/orders/${numberOf(orders[1]!.orderId)}?locale=de`);
    const trigger = await triggerLine(db, orders[1]!.orderId, "de");
    await tab.getByText(trigger, { exact: false }).waitFor();
    expect(await button(tab, blockInGerman("approve")).count()).toBe(1);
  });

  test("opens the app's order page from its link, signed in as admin opens the app", async ({
    newPage,
  }) => {
    const order = orders[1]!;
    const tab = await newPage();
    await tab.goto(`${preview.url}/orders/${numberOf(order.orderId)}`);
    await tab.locator("s-link", { hasText: block("openInApp") }).click();
    await tab.waitForURL((u) => u.pathname === `/app/orders/${numberOf(order.orderId)}`);
    await tab.getByRole("heading", { level: 1, name: new RegExp(order.name) }).waitFor();
  });
});

test.describe("the order index action on the preview page", () => {
  test("approves the selected orders as one bulk job, follows its progress to the end and links its report", async ({
    stack,
    db,
    newPage,
  }) => {
    const selected = [orders[1]!, orders[2]!];
    const tab = await newPage();
    await tab.goto(
      `${preview.url}/orders?selected=${selected.map((o) => numberOf(o.orderId)).join(",")}`,
    );
    await tab.getByText(action("selected.other", { count: 2 })).waitFor();
    await button(tab, action("start")).click();
    await tab
      .getByText(action("finished", { succeeded: 2, failed: 0 }))
      .waitFor({ timeout: 60_000 });
    const job = await db.bulkJob.findFirstOrThrow({ where: { shop: stack.shop } });
    expect(job).toMatchObject({ action: "approve", total: 2, succeeded: 2 });
    expect(await tab.locator("s-link", { hasText: action("report") }).getAttribute("href")).toBe(
      `app:/app/bulk/${job.id}`,
    );
    await keepScreenshot(tab, "extension-order-action");
    await button(tab, action("close")).click();
    expect(await tab.locator("html").getAttribute("data-closed")).toBe("true");
  });
});
