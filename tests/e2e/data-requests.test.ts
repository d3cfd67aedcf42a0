// A customer asks the shop for their data: Shopify sends customers/data_request (signed, from the
// simulator), the merchant finds the request on the Customer data requests screen and downloads
// its JSON report, which covers what the app holds about the customer's order: the merchant's
// note, the approval, the order's deliveries from Shopify.
import { readFileSync } from "node:fs";
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  numberOf,
  openApp,
  toast,
  unnamedControls,
  waitFor,
  waitForScreen,
  type PlacedOrder,
} from "./support/harness.ts";
import { printOrder, seedReviewRule } from "./support/review-fixtures.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import { signedDelivery } from "../support/webhooks.ts";

let print: PlacedOrder;

test.beforeAll(async ({ stack, db, browser }) => {
  await seedReviewRule(db, stack.shop);
  await installApp(browser, stack);
  print = await stack.createOrder(
    printOrder(1, {
      email: "ida.keller@example.com",
      customer: { email: "ida.keller@example.com", firstName: "Ida", lastName: "Keller", tags: [] },
    }),
  );
  await waitFor(
    "the print to wait for review",
    () =>
      db.fulfillmentOrderRecord.count({ where: { orderId: print.orderId, outcome: "in_review" } }),
    (count) => count === 1,
  );
});

interface Report {
  customerId: string;
  dataRequestId: string | null;
  orders: {
    orderId: string;
    orderName: string;
    notes: { body: string }[];
    approvals: { fulfillmentOrderId: string }[];
    webhooksReceived: { topic: string }[];
  }[];
}

test.describe("customer data requests", () => {
  test("a request Shopify sends is listed, and its report downloads with the customer's notes, approvals and deliveries", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN the merchant wrote a note on the customer's order and approved it
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(print.orderId)}`,
      english("order.title", { name: print.name }),
    );
    const newNote = tab.getByRole("textbox", { name: english("order.notes.new") });
    await newNote.fill("Customer asked for a matte finish.");
    await tab.getByRole("button", { name: english("order.notes.add") }).click();
    // The field empties once the note is saved; then the note is on the page.
    await expect.poll(() => newNote.inputValue()).toBe("");
    await tab.getByText("Customer asked for a matte finish.").waitFor();
    await tab
      .getByRole("button", {
        name: english("fulfillmentOrderCard.commandAt.approve", { where: "Studio" }),
      })
      .click();
    // Approved, whatever the approval changed on Shopify or left for the merchant's attention.
    const approved = [
      "approved_one",
      "approved_other",
      "approvedNothing",
      "approvedAttention",
      "approvedAttentionBecause",
    ].map((key) =>
      englishPattern(`serviceMessages.commands.${key}`, { count: /\d+/, reason: /.+/ }),
    );
    await toast(tab, new RegExp(`^(?:${approved.join("|")})`)).waitFor({ timeout: 30_000 });

    // WHEN the customer asks the shop for their data: Shopify sends customers/data_request
    const { customer } = await stack.orderState<{ customer: { id: string } }>(print.orderId);
    const asked = await stack.control<{ dataRequestId: number; ordersRequested: string[] }>(
      "POST",
      `/_sim/customers/${encodeURIComponent(customer.id)}/data-request`,
      { shop: stack.shop },
    );
    expect(asked.ordersRequested).toEqual([print.orderId]);
    await waitFor(
      "the data request to be stored",
      () => db.dataRequest.count({ where: { shop: stack.shop } }),
      (count) => count === 1,
    );

    // THEN Home tells the merchant one came (30 days to answer it), and leads to the screen
    await openApp(tab, stack, "/app", english("app.name"));
    const onHome = tab.getByRole("link", { name: english("home.now.dataRequests") });
    await onHome.waitFor();
    // Its row: the link and the count beside it.
    expect(await onHome.locator("xpath=..").innerText()).toMatch(/\n1$/);
    await onHome.click();
    await waitForScreen(tab, english("hardening.dataRequests.title"));
    // AND sees it there, for that customer and one order
    const customerNumber = numberOf(customer.id);
    const row = tab.locator("tbody tr").filter({ hasText: customerNumber });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator("td").nth(2).innerText()).toBe("1");
    // Every control has a name, the page's way back to Settings too.
    expect(await unnamedControls(tab)).toEqual([]);
    await keepScreenshot(tab, "data-requests");

    // AND downloads its report
    const download = tab.waitForEvent("download");
    await row
      .getByRole("button", {
        name: english("hardening.dataRequests.downloadFor", { customer: customerNumber }),
      })
      .click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      new RegExp(`^customer-${customerNumber}-data-\\d{4}-\\d{2}-\\d{2}\\.json$`),
    );
    await toast(tab, english("hardening.dataRequests.downloaded")).waitFor();
    const report = JSON.parse(readFileSync(await file.path(), "utf8")) as Report;
    expect(report).toMatchObject({
      customerId: customer.id,
      dataRequestId: String(asked.dataRequestId),
    });
    expect(report.orders.map((o) => [o.orderId, o.orderName])).toEqual([
      [print.orderId, print.name],
    ]);
    const [order] = report.orders;
    expect(order!.notes.map((n) => n.body)).toEqual(["Customer asked for a matte finish."]);
    expect(order!.approvals).toHaveLength(1);
    expect(order!.webhooksReceived.map((w) => w.topic)).toEqual(
      expect.arrayContaining(["orders/create", "orders/paid"]),
    );
  });

  test("a request erased meanwhile (Shopify asked for the customer's data to be redacted) says so in the catalogue's words where the report would have been", async ({
    stack,
    db,
    browserErrors,
    page: tab,
  }) => {
    // GIVEN the merchant has the request on the screen (the previous test's)
    const request = await db.dataRequest.findFirstOrThrow({ where: { shop: stack.shop } });
    const customerNumber = numberOf(request.customerId);
    await openApp(tab, stack, "/app/data-requests", english("hardening.dataRequests.title"));
    const row = tab.locator("tbody tr").filter({ hasText: customerNumber });
    await expect.poll(() => row.count()).toBe(1);

    // WHEN Shopify sends customers/redact for the customer meanwhile, which erases the request
    const redacted = await fetch(
      signedDelivery({
        topic: "customers/redact",
        shop: stack.shop,
        body: {
          shop_domain: stack.shop,
          customer: { id: Number(customerNumber), email: "ida.keller@example.com" },
          orders_to_redact: [Number(numberOf(print.orderId))],
        },
        secret: stack.apiSecret,
        appUrl: stack.app.url,
      }),
    );
    expect(redacted.status).toBe(200);
    expect(await db.dataRequest.count({ where: { id: request.id } })).toBe(0);

    // THEN the download answers 404 and the screen says why in the catalogue's words
    browserErrors.allowStatus(404, "/app/data-requests/");
    await row
      .getByRole("button", {
        name: english("hardening.dataRequests.downloadFor", { customer: customerNumber }),
      })
      .click();
    await tab.getByText(english("hardening.dataRequests.notFound")).waitFor();
    expect(
      await tab.getByText(english("hardening.dataRequests.nothingDownloaded")).isVisible(),
    ).toBe(true);
    await keepScreenshot(tab, "data-request-erased");
  });
});
