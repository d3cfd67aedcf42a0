// The admin extensions in Debian's Chromium, on the demo's preview page (scripts/extensions-preview.ts):
// each extension's offline bundle runs in a real browser against the built app and the shop
// simulator, its requests carrying session tokens the simulator signs as Shopify admin does and
// crossing origins as admin's do (CORS answered by the app), its clicks changing the shop.
import { mkdirSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createDb, type Db } from "../../app/db/client.server.ts";
import { startExtensionsPreview, type PreviewServer } from "../../scripts/extensions-preview.ts";
import { launchBrowser, watchForErrors, type Browser } from "./support/browser.ts";
import { startFullStack, type FullStack } from "./support/full-stack.ts";
import {
  openApp,
  placeOrders,
  printOrder,
  seedReviewRule,
  waitFor,
} from "./support/review-fixtures.ts";

const ARTIFACTS = "tests/e2e/artifacts";

let stack: FullStack;
let browser: Browser;
let db: Db;
let preview: PreviewServer;
const opened: { tab: Page; problems: string[] }[] = [];
let orders: { orderId: string; name: string }[];

const numberOf = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });

beforeAll(async () => {
  stack = await startFullStack();
  browser = await launchBrowser();
  db = createDb(stack.databaseUrl);
  mkdirSync(ARTIFACTS, { recursive: true });
  await seedReviewRule(db, stack.shop);
  // The merchant opened the app once: installed, its webhooks route the orders.
  const first = await newPage();
  await openApp(first, stack, "/app", "Fulfilment Router");
  await first.close();
  opened.pop();
  orders = await placeOrders(stack, [printOrder(1), printOrder(2), printOrder(3)]);
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

afterAll(async () => {
  await preview?.stop();
  await db?.$disconnect();
  await browser?.close();
  await stack?.stop();
});

async function newPage(): Promise<Page> {
  const tab = await browser.context.newPage();
  opened.push({ tab, problems: watchForErrors(tab) });
  return tab;
}

afterEach(async (context) => {
  const seen = opened.flatMap((o) => o.problems);
  for (const { tab } of opened.splice(0)) await tab.close();
  if (context.task.result?.state === "fail" || seen.length > 0)
    console.log(`App server output:\n${stack.app.output()}`);
  expect(seen, "the browser reported errors").toEqual([]);
});

const button = (tab: Page, name: string) => tab.locator("s-button", { hasText: name });

describe("the order details block on the preview page", () => {
  it("shows the decision, the review hold with its note and the next actions; Approve sends the order on", async () => {
    const order = orders[0]!;
    const tab = await newPage();
    await tab.goto(`${preview.url}/orders/${numberOf(order.orderId)}`);
    await tab.getByText("Routed when the order was paid", { exact: false }).waitFor();
    await expect.poll(() => tab.locator("s-admin-block").textContent()).toContain("Check the crop");
    expect(await button(tab, "Approve").getAttribute("variant")).toBe("primary");
    expect(await button(tab, "Route again").count()).toBe(1);
    await tab.screenshot({ path: `${ARTIFACTS}/extension-order-block.png`, fullPage: true });

    await button(tab, "Approve").click();
    await tab.locator('s-banner[tone="success"]').waitFor();
    // Approved on Shopify's side: the review hold is gone and the Studio's print is fulfilled.
    await eventually(async () => {
      const state = await stack.control<{ fulfillmentOrders: { holds: unknown[] }[] }>(
        "GET",
        `/_sim/orders/${encodeURIComponent(order.orderId)}`,
      );
      return state.fulfillmentOrders.flatMap((fo) => fo.holds).length;
    }).toBe(0);
    expect(await button(tab, "Approve").count()).toBe(0);
  });

  it("speaks German when admin's language is German", async () => {
    const tab = await newPage();
    await tab.goto(`${preview.url}/orders/${numberOf(orders[1]!.orderId)}?locale=de`);
    await tab.getByText("Geroutet, als die Bestellung bezahlt wurde", { exact: false }).waitFor();
    expect(await button(tab, "Freigeben").count()).toBe(1);
  });

  it("opens the app's order page from its link, signed in as admin opens the app", async () => {
    const order = orders[1]!;
    const tab = await newPage();
    await tab.goto(`${preview.url}/orders/${numberOf(order.orderId)}`);
    await tab.locator("s-link", { hasText: "Open in Fulfilment Router" }).click();
    await tab.waitForURL((u) => u.pathname === `/app/orders/${numberOf(order.orderId)}`);
    await tab.getByRole("heading", { level: 1, name: new RegExp(order.name) }).waitFor();
  });
});

describe("the order index action on the preview page", () => {
  it("approves the selected orders as one bulk job, follows its progress to the end and links its report", async () => {
    const selected = [orders[1]!, orders[2]!];
    const tab = await newPage();
    await tab.goto(
      `${preview.url}/orders?selected=${selected.map((o) => numberOf(o.orderId)).join(",")}`,
    );
    await tab.getByText("2 orders selected").waitFor();
    await button(tab, "Start").click();
    await tab.getByText("Finished: 2 succeeded, 0 failed").waitFor({ timeout: 60_000 });
    const job = await db.bulkJob.findFirstOrThrow({ where: { shop: stack.shop } });
    expect(job).toMatchObject({ action: "approve", total: 2, succeeded: 2 });
    expect(await tab.locator("s-link", { hasText: "Open the report" }).getAttribute("href")).toBe(
      `app:/app/bulk/${job.id}`,
    );
    await tab.screenshot({ path: `${ARTIFACTS}/extension-order-action.png`, fullPage: true });
    await button(tab, "Close").click();
    expect(await tab.locator("html").getAttribute("data-closed")).toBe("true");
  });
});
