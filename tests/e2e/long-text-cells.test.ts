// Tables with long text in Chromium at 1280 px (the harness's width, admin beside its sidebar on a
// laptop): a bulk action's report with Shopify's refusal as the reason, and the push log with a long
// address and a long error answer. Polaris's IndexTable keeps a cell on one line; these cells wrap,
// so no cell runs past its card (the card clips it) and the table needs no sideways scrolling.
import type { Locator, Page } from "playwright-core";
import { appTest as test, expect, installApp, keepScreenshot, openApp } from "./support/harness.ts";
import { english } from "./support/catalogue.ts";

// What such cells hold in practice: Shopify's refusal with its reason and ids, an ERP's address
// with its path and query, the network's error with the address again.
const REFUSAL =
  "Approve at Studio: Shopify refused (INVALID_FULFILLMENT_ORDER_STATE): the fulfillment order " +
  "gid://shopify/FulfillmentOrder/5550000123456789 is CLOSED and cannot be accepted, because it " +
  "was fulfilled by hand in Shopify admin before the bulk action reached it; nothing was changed.";
const ADDRESS =
  "https://erp.northwind-prints-warehouse.example.com/api/v2/integrations/fulfilment-router/" +
  "decisions?tenant=northwind-prints-eu-central-1&signature-version=2";
const ERROR_ANSWER =
  `connect ETIMEDOUT 203.0.113.17:443 while sending to ${ADDRESS}: the receiver did not ` +
  "answer within 10 s, and every attempt has been used";

/**
 * What of `table` does not fit: the table needing to scroll sideways, or a line of a cell's text
 * reaching past its cell or its card (the card cuts off what runs past it). Text is measured, not
 * the cell's elements: a plain button's box reaches past its text on purpose.
 */
function overflowing(table: Locator): Promise<string[]> {
  return table.evaluate((element) => {
    const found: string[] = [];
    let card = element.parentElement;
    while (card && !card.className.includes("Polaris-ShadowBevel")) card = card.parentElement;
    if (!card) return ["the table is not in a card"];
    const edge = card.getBoundingClientRect();
    let scroller = element.parentElement;
    while (scroller && !/auto|scroll/.test(getComputedStyle(scroller).overflowX))
      scroller = scroller.parentElement;
    if (scroller && scroller.scrollWidth > scroller.clientWidth + 1)
      found.push(`the table scrolls: ${scroller.scrollWidth} px in ${scroller.clientWidth} px`);
    for (const cell of Array.from(element.querySelectorAll("th, td"))) {
      const box = cell.getBoundingClientRect();
      const left = Math.max(box.left, edge.left) - 1;
      const right = Math.min(box.right, edge.right) + 1;
      const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let text = texts.nextNode(); text; text = texts.nextNode()) {
        if (!text.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(text);
        // One rectangle a line: each line of a wrapped text must fit.
        for (const line of Array.from(range.getClientRects()))
          if (line.left < left || line.right > right)
            found.push(
              `"${text.textContent.slice(0, 40)}" spans ${Math.round(line.left)}-${Math.round(line.right)} px, its cell and card ${Math.round(left)}-${Math.round(right)}`,
            );
      }
    }
    return found;
  });
}

/** The screen's IndexTable (not the copy Polaris keeps for its sticky header). */
const reportTable = (tab: Page) => tab.locator("table.Polaris-IndexTable__Table").first();

test.beforeAll(async ({ stack, browser }) => {
  await installApp(browser, stack);
});

test.describe("long text in a table's cells", () => {
  test("a bulk action's report keeps Shopify's long refusal inside its card at 1280 px", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN a finished bulk approval: one order failed with Shopify's refusal, one approved
    const job = await db.bulkJob.create({
      data: {
        shop: stack.shop,
        action: "approve",
        total: 2,
        succeeded: 1,
        failed: 1,
        status: "finished",
        finishedAt: new Date(),
        items: {
          create: [
            {
              targetId: "gid://shopify/Order/5550000000001",
              label: "#5501",
              status: "failed",
              error: REFUSAL,
              finishedAt: new Date(),
            },
            {
              targetId: "gid://shopify/Order/5550000000002",
              label: "#5502",
              status: "succeeded",
              finishedAt: new Date(),
            },
          ],
        },
      },
    });
    await openApp(
      tab,
      stack,
      `/app/bulk/${job.id}`,
      english("bulk.title_other", { action: english("bulkAction.approve"), count: 2 }),
    );
    expect(tab.viewportSize()?.width).toBe(1280);

    // THEN the whole refusal is on the page, and nothing of the table runs past its card
    await tab.getByText(REFUSAL).waitFor();
    expect(await overflowing(reportTable(tab))).toEqual([]);
    await keepScreenshot(tab, "bulk-report-long-reason");
  });

  test("the push log keeps a long address and a long error answer inside its card at 1280 px", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN an ERP's long address that stopped answering: its push failed after every attempt.
    // Nothing new is pushed to it while the test runs (seen until far ahead).
    const later = new Date(Date.UTC(2100, 0, 1));
    const endpoint = await db.pushEndpoint.create({
      data: {
        shop: stack.shop,
        url: ADDRESS,
        events: "decisions",
        decisionsSeenUntil: later,
        eventsSeenUntil: later,
      },
    });
    await db.pushDelivery.create({
      data: {
        shop: stack.shop,
        endpointId: endpoint.id,
        url: ADDRESS,
        event: "decision",
        eventKey: "decision:long-text-cells:applied",
        orderId: "gid://shopify/Order/5550000000001",
        orderName: "#5501",
        body: "{}",
        status: "failed",
        attempts: 8,
        lastStatus: null,
        lastError: ERROR_ANSWER,
        lastAttemptAt: new Date(),
      },
    });
    await openApp(tab, stack, "/app/push", english("fulfill.push.title"));

    // THEN the address and the answer are on the page in full, and the log fits its card
    const row = tab.locator("tbody tr").filter({ hasText: "#5501" });
    await expect.poll(() => row.count()).toBe(1);
    expect((await row.innerText()).replace(/\s+/g, "")).toContain(ERROR_ANSWER.replace(/\s+/g, ""));
    expect(await overflowing(reportTable(tab))).toEqual([]);
    // The row's Send again is within reach, not cut off by the card.
    const again = row.getByRole("button", {
      name: english("fulfill.push.sendAgainFor", { order: "#5501" }),
    });
    const [button, card] = await Promise.all([
      again.boundingBox(),
      tab
        .locator(".Polaris-ShadowBevel")
        .filter({ has: reportTable(tab) })
        .boundingBox(),
    ]);
    expect(button!.x + button!.width).toBeLessThanOrEqual(card!.x + card!.width);
    await keepScreenshot(tab, "push-log-long-text");
  });
});
