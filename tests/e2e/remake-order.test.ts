// A merchant remakes a print from the order detail in Chromium: a quantity above what was ordered
// is refused in red beside the action, then the remake goes through, the replacement order is
// placed on Shopify at no charge and both orders link to each other.
import { mkdirSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createDb, type Db } from "../../app/db/client.server.ts";
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
const opened: { tab: Page; problems: string[] }[] = [];
let print: { orderId: string; name: string };

const numberOf = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });

beforeAll(async () => {
  stack = await startFullStack();
  browser = await launchBrowser();
  db = createDb(stack.databaseUrl);
  mkdirSync(ARTIFACTS, { recursive: true });
  await seedReviewRule(db, stack.shop);
  // The first load installs the app (token exchange); only then are the shop's orders routed.
  const first = await newPage();
  await openApp(first, stack, "/app", "Fulfilment Router");
  const { problems } = opened.pop()!;
  await first.close();
  expect(problems).toEqual([]);
  print = (await placeOrders(stack, [printOrder(7)]))[0]!;
  await waitFor(
    "the print order to be decided",
    () => db.fulfillmentOrderRecord.findMany({ where: { orderId: print.orderId } }),
    (records) => records.some((r) => r.outcome === "in_review"),
  );
});

afterAll(async () => {
  await db?.$disconnect();
  await browser?.close();
  await stack?.stop();
});

afterEach(async (context) => {
  const seen = opened.flatMap((o) => o.problems);
  for (const { tab } of opened.splice(0)) await tab.close();
  if (context.task.result?.state === "fail" || seen.length > 0)
    console.log(`App server output:\n${stack.app.output()}`);
  expect(seen, "the browser reported errors").toEqual([]);
});

async function newPage(): Promise<Page> {
  const tab = await browser.context.newPage();
  opened.push({ tab, problems: watchForErrors(tab) });
  return tab;
}

describe("remake from the order detail", () => {
  it("refuses more than was ordered in red, then remakes the print at no charge and links both orders", async () => {
    const tab = await newPage();
    await openApp(tab, stack, `/app/orders/${numberOf(print.orderId)}`, `Order ${print.name}`);
    const card = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: "Remake or reprint", level: 2 }) });

    await card.getByRole("button", { name: "Remake items" }).click();
    const dialog = tab.getByRole("dialog");
    await dialog.getByRole("spinbutton", { name: /Fine Art Print/ }).fill("3");
    await dialog.getByRole("combobox", { name: "Reason" }).selectOption("Wrong crop");
    await dialog.getByRole("button", { name: "Create replacement order" }).click();
    await card.getByText("Nothing was remade").waitFor({ timeout: 30_000 });
    expect(await card.getByText(/only 1 were ordered/).isVisible()).toBe(true);
    expect(
      await card.locator(".Polaris-Banner--toneCritical, [class*=critical]").count(),
    ).toBeGreaterThan(0);
    expect(await db.remake.count()).toBe(0);

    await card.getByRole("button", { name: "Remake items" }).click();
    await dialog.getByRole("spinbutton", { name: /Fine Art Print/ }).fill("1");
    await dialog.getByRole("combobox", { name: "Reason" }).selectOption("Wrong crop");
    await dialog.getByRole("button", { name: "Create replacement order" }).click();
    await card.getByText("Remade as").waitFor({ timeout: 60_000 });
    const link = await db.remake.findFirstOrThrow({ where: { orderId: print.orderId } });
    expect(link).toMatchObject({ status: "completed", reason: "Wrong crop", unitPrice: "0.00" });
    expect(await card.getByRole("link", { name: link.replacementName! }).isVisible()).toBe(true);
    await tab.screenshot({ path: `${ARTIFACTS}/remake-order.png`, fullPage: true });

    const replacement = await stack.control<{ financialStatus: string; note: string }>(
      "GET",
      `/_sim/orders/${encodeURIComponent(link.replacementOrderId!)}`,
    );
    expect(replacement.note).toBe(`Remake of ${print.name}: Wrong crop`);

    // The replacement's page names the original.
    await card.getByRole("link", { name: link.replacementName! }).click();
    await tab.waitForURL((u) => u.pathname === `/app/orders/${numberOf(link.replacementOrderId!)}`);
    await eventually(() => card.getByRole("link", { name: print.name }).isVisible()).toBe(true);
    expect(await card.getByText("Remake of", { exact: true }).isVisible()).toBe(true);
  });
});
