// A merchant acts from the order detail against the demo: finds an order in the queue, checks the
// customer's crop and why it waits, downloads the packing slip, approves it, writes notes; captures
// an authorized lab order, holds it, and sees Shopify's refusal in red when acting on a stale page.
import { mkdirSync, readFileSync } from "node:fs";
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
  unnamedControls,
  waitFor,
  waitForHydration,
} from "./support/review-fixtures.ts";

const ARTIFACTS = "tests/e2e/artifacts";

let stack: FullStack;
let browser: Browser;
let db: Db;
/** Every tab a test opened, with the console errors and uncaught exceptions seen in it. */
const opened: { tab: Page; problems: string[] }[] = [];
let print: { orderId: string; name: string };
let labOrder: { orderId: string; name: string };

const numberOf = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

beforeAll(async () => {
  stack = await startFullStack();
  browser = await launchBrowser();
  db = createDb(stack.databaseUrl);
  mkdirSync(ARTIFACTS, { recursive: true });
  await seedReviewRule(db, stack.shop);

  const first = await newPage();
  await openApp(first, stack, "/app", "Fulfilment Router");
  const { problems } = opened.pop()!;
  await first.close();
  expect(problems).toEqual([]);

  const [a, b] = await placeOrders(stack, [
    printOrder(1, {
      customer: { email: "mia@example.com", firstName: "Mia", lastName: "Schmidt", tags: [] },
    }),
    {
      payment: "authorized",
      customer: { email: "paul@example.com", firstName: "Paul", lastName: "Wagner", tags: [] },
      lineItems: [
        {
          sku: "LAB-METALLIC-30x45",
          quantity: 3,
          properties: { Image: "wedding_044.jpg", Crop: "x:0.12 y:0.00 w:0.76 h:1.00" },
        },
      ],
    },
  ]);
  print = a!;
  labOrder = b!;
  await waitFor(
    "both orders to be decided",
    () =>
      db.fulfillmentOrderRecord.findMany({
        where: { orderId: { in: [print.orderId, labOrder.orderId] } },
      }),
    (records) =>
      records.some((r) => r.orderId === print.orderId && r.outcome === "in_review") &&
      records.some((r) => r.orderId === labOrder.orderId && r.outcome === "waiting_for_you"),
  );
});

afterAll(async () => {
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
  // Any console error or uncaught exception in any of the test's tabs fails it.
  const seen = opened.flatMap((o) => o.problems);
  for (const { tab } of opened.splice(0)) await tab.close();
  if (context.task.result?.state === "fail" || seen.length > 0) {
    console.log(`App server output:\n${stack.app.output()}`);
  }
  expect(seen, "the browser reported errors").toEqual([]);
});

const toast = (tab: Page, text: string | RegExp) =>
  tab.locator("[data-shopify-toast]").filter({ hasText: text });

describe("the order detail", () => {
  it("shows the crop and why the order waits, downloads the packing slip, approves it and keeps notes", async () => {
    const tab = await newPage();
    await openApp(tab, stack, "/app/queue", "Review queue");
    await tab.getByRole("button", { name: "Search and filter fulfillment orders" }).click();
    await tab.getByRole("textbox", { name: "Search by order, customer or SKU" }).fill("Schmidt");
    await eventually(() => tab.locator("tbody tr").count()).toBe(1);
    await tab.getByRole("link", { name: print.name }).click();

    await tab.waitForURL((u) => u.pathname === `/app/orders/${numberOf(print.orderId)}`);
    await waitForHydration(tab, `Order ${print.name}`);
    const studio = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: "Studio", level: 2 }) });
    expect(await studio.getByText("x:0.10 y:0.05 w:0.80 h:0.90").isVisible()).toBe(true);
    expect(await studio.getByText("In review").isVisible()).toBe(true);
    expect(await tab.getByText("Placed by: Review (this app)").isVisible()).toBe(true);
    expect(await tab.getByRole("heading", { name: "Decision trace" }).isVisible()).toBe(true);
    expect(await unnamedControls(tab)).toEqual([]);
    expect(await tab.getByText("Rule: Review prints", { exact: false }).first().isVisible()).toBe(
      true,
    );

    // The packing slip comes as a PDF.
    const download = tab.waitForEvent("download");
    await tab.getByRole("button", { name: "Packing slip and pick list (PDF)" }).click();
    const file = await (await download).path();
    expect(readFileSync(file).subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // Notes, and a reply under the first.
    // The field empties once the note is saved; then the note is on the page.
    const newNote = tab.getByRole("textbox", { name: "New note" });
    await newNote.fill("Crop checked against the original.");
    await tab.getByRole("button", { name: "Add note" }).click();
    await eventually(() => newNote.inputValue()).toBe("");
    await tab.getByText("Crop checked against the original.").waitFor();
    await tab.getByRole("button", { name: /^Reply to the note by/ }).click();
    await tab.getByRole("textbox", { name: /^Reply to/ }).fill("Thanks, printing it.");
    await tab.getByRole("button", { name: "Post reply" }).click();
    // The reply form closes once the reply is saved.
    await eventually(() => tab.getByRole("textbox", { name: /^Reply to/ }).count()).toBe(0);
    await tab.getByText("Thanks, printing it.").waitFor();
    const notes = await db.orderNote.findMany({
      where: { orderId: print.orderId },
      orderBy: { createdAt: "asc" },
    });
    expect(notes.map((n) => [n.body, n.parentId])).toEqual([
      ["Crop checked against the original.", null],
      ["Thanks, printing it.", notes[0]!.id],
    ]);

    // Approve by keyboard: focus the button and press Enter.
    const approve = tab.getByRole("button", { name: "Approve the fulfillment order at Studio" });
    await approve.focus();
    await tab.keyboard.press("Enter");
    await toast(tab, /^Approved/).waitFor({ timeout: 30_000 });
    await eventually(() => studio.getByText("Completed").isVisible()).toBe(true);
    expect(await tab.getByText("Approved at Studio", { exact: false }).first().isVisible()).toBe(
      true,
    );
    expect(await db.approval.count({ where: { orderId: print.orderId } })).toBe(1);
    await tab.screenshot({ path: `${ARTIFACTS}/review-order-approved.png`, fullPage: true });

    // The queue remembers it under "Recently viewed".
    // The page's back arrow (the nav menu has a link of the same name).
    await tab.locator(".Polaris-Page").getByRole("link", { name: "Review queue" }).click();
    await waitForHydration(tab, "Review queue");
    expect(await tab.getByRole("link", { name: print.name }).first().isVisible()).toBe(true);
  });

  it("captures an authorized lab order, holds it, and shows Shopify's refusal in red on a stale page", async () => {
    const path = `/app/orders/${numberOf(labOrder.orderId)}`;
    const tab = await newPage();
    await openApp(tab, stack, path, `Order ${labOrder.name}`);
    // The demo shop is not on Plus, so Shopify gives no authorizationExpiresAt (the field's
    // description): the page shows the authorized amount without a deadline.
    expect(await tab.getByText(/\d authorized$/).isVisible()).toBe(true);
    expect(await tab.getByText("Fulfilled by Partner Lab").isVisible()).toBe(true);
    // The lab owns its fulfillment order: no "Fulfil" button, since API 2024-10 only the lab can.
    expect(
      await tab
        .getByRole("button", { name: "Fulfil the fulfillment order at Partner Lab" })
        .count(),
    ).toBe(0);

    await tab.getByRole("button", { name: "Capture payment" }).click();
    await tab.getByRole("dialog").getByRole("button", { name: "Capture payment" }).click();
    await toast(tab, /^Capture/).waitFor({ timeout: 30_000 });
    await eventually(() => tab.getByText("Captured.").isVisible()).toBe(true);
    expect(
      (
        await stack.control<{ financialStatus: string }>(
          "GET",
          `/_sim/orders/${encodeURIComponent(labOrder.orderId)}`,
        )
      ).financialStatus,
    ).toMatch(/paid/i);

    // A second tab holds it first; this one still offers "Hold".
    const other = await newPage();
    await openApp(other, stack, path, `Order ${labOrder.name}`);
    const hold = async (page: Page) => {
      await page.getByRole("button", { name: "Hold the fulfillment order at Partner Lab" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("combobox", { name: "Reason" }).selectOption("INCORRECT_ADDRESS");
      await dialog.getByRole("textbox", { name: "Note" }).fill("Street name missing");
      await dialog.getByRole("button", { name: "Hold" }).click();
    };
    await hold(other);
    await toast(other, "Hold: Incorrect address").waitFor({ timeout: 30_000 });
    await eventually(() =>
      other.getByText("Placed by: You (this app) — Street name missing").isVisible(),
    ).toBe(true);

    await hold(tab);
    // Polaris gives a critical Banner the alert role: read out at once.
    const refusal = tab.getByRole("alert").filter({ hasText: "Shopify did not make the change" });
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toMatch(/hold/i);
    await tab.screenshot({ path: `${ARTIFACTS}/review-order-refused.png`, fullPage: true });

    // Release from the fresh page lifts the merchant's hold.
    await tab.reload();
    await waitForHydration(tab, `Order ${labOrder.name}`);
    await tab
      .getByRole("button", { name: "Release the holds on the fulfillment order at Partner Lab" })
      .click();
    await toast(tab, /^Release/).waitFor({ timeout: 30_000 });
    await eventually(() =>
      tab.getByText("Placed by: You (this app)", { exact: false }).count(),
    ).toBe(0);
  });
});
