// A merchant works the review queue against the demo (full simulator, built app, embedded worker):
// filters and searches it, saves a view, bulk-approves 50 orders through the progress bar and the
// report, and sees a bulk hold fail with Shopify's reason and retries it.
import type { Locator, Page } from "playwright-core";
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  openApp,
  unnamedControls,
  waitFor,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import { openBeforeReact, reactStarted, tapWhileHydrating } from "./support/early-tap.ts";
import { printOrder, seedReviewRule } from "./support/review-fixtures.ts";

const PRINTS = 50;

/** Fulfillment orders the queue shows by default: everything not completed or cancelled. */
let waiting = 0;
let inReview = 0;

test.beforeAll(async ({ stack, db, browser }) => {
  // The rule exists before the app first runs, so the demo shop's own orders are routed by it too.
  await seedReviewRule(db, stack.shop);
  await installApp(browser, stack);

  const placed = await stack.placeOrders([
    ...Array.from({ length: PRINTS }, (_, i) => printOrder(i)),
    // Not a print: no rule matches, Settings say manual, so it waits for the merchant at the lab.
    {
      payment: "paid",
      email: "jonas.weber@example.com",
      customer: {
        email: "jonas.weber@example.com",
        firstName: "Jonas",
        lastName: "Weber",
        tags: [],
      },
      riskLevel: "HIGH",
      tags: ["vip"],
      lineItems: [{ sku: "POSTER-SATIN-A0", quantity: 1 }],
    },
    // Downloads go out by themselves: completed, hidden until the merchant includes completed.
    {
      payment: "paid",
      email: "lea@example.com",
      lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }],
    },
  ]);
  const ours = placed.map((p) => p.orderId);
  await waitFor(
    "the app to decide on every order",
    async () => ({
      decided: (
        await db.fulfillmentOrderRecord.groupBy({
          by: ["orderId"],
          where: { orderId: { in: ours } },
        })
      ).length,
      busy: await db.job.count({
        where: {
          status: { in: ["queued", "running"] },
          queue: { in: ["route-order", "refresh-order"] },
        },
      }),
      unsettled: await db.fulfillmentOrderRecord.count({
        where: { outcome: { in: ["routing", "releasing"] } },
      }),
    }),
    (s) => s.decided === ours.length && s.busy === 0 && s.unsettled === 0,
  );
  waiting = await db.fulfillmentOrderRecord.count({
    where: { outcome: { notIn: ["done", "cancelled"] } },
  });
  inReview = await db.fulfillmentOrderRecord.count({ where: { outcome: "in_review" } });
  // The demo shop's own paid prints are in review too.
  expect(inReview).toBeGreaterThanOrEqual(PRINTS);
});

const rows = (tab: Page) => tab.locator("tbody tr");
/** expect.poll with time for a loader round trip on a busy machine (its default is one second). */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

/** Home's "Today's paid orders: N" heading, any N, in the catalogue's words. */
const todayTitle = new RegExp(`^${englishPattern("home.today.title", { count: /\d+/ })}$`);

test.describe("the review queue", () => {
  test("filters, searches, includes completed work and keeps a saved view", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app/queue", english("nav.queue"));

    // Every control says what it does to a screen reader.
    expect(await unnamedControls(tab)).toEqual([]);

    // Oldest first, one page of 50 of those waiting, and a next page with the rest.
    await eventually(() => rows(tab).count()).toBe(50);
    expect(
      await tab.getByText(english("queue.matching_other", { count: waiting })).isVisible(),
    ).toBe(true);
    expect(
      await tab.getByRole("button", { name: english("queue.table.nextPage") }).isEnabled(),
    ).toBe(true);
    await tab.getByRole("button", { name: english("queue.table.nextPage") }).click();
    await eventually(() => rows(tab).count()).toBe(waiting - 50);
    await tab.getByRole("button", { name: english("queue.table.previousPage") }).click();
    await eventually(() => rows(tab).count()).toBe(50);

    // Search by customer: the URL carries it, the loader answers one row.
    await tab.getByRole("button", { name: english("queue.filter.searchAndFilter") }).click();
    const search = tab.getByRole("textbox", { name: english("queue.filter.search") });
    await search.fill("Weber");
    await tab.waitForURL((u) => u.searchParams.get("q") === "Weber");
    await eventually(() => rows(tab).count()).toBe(1);
    expect(await rows(tab).first().textContent()).toContain("Jonas Weber");
    await eventually(() =>
      rows(tab).first().getByText(english("queue.table.highRisk")).isVisible(),
    ).toBe(true);

    // Search by SKU.
    await search.fill("PRINT-MATTE-A3");
    await tab.waitForURL((u) => u.searchParams.get("q") === "PRINT-MATTE-A3");
    await eventually(() => rows(tab).count()).toBe(16);
    await search.fill("");
    await tab.waitForURL((u) => !u.searchParams.has("q"));

    // Filter by status through the pinned Status filter.
    await tab
      .getByRole("button", { name: new RegExp(`^${english("queue.filter.status")}`) })
      .first()
      .click();
    // The choice follows the URL, so it shows checked once the navigation starts: click, not check().
    await tab.getByRole("checkbox", { name: english("outcome.waiting_for_you") }).click();
    await tab.waitForURL((u) => u.searchParams.getAll("status").includes("waiting_for_you"));
    const readyToFulfil = await db.fulfillmentOrderRecord.count({
      where: { outcome: "waiting_for_you" },
    });
    await eventually(() => rows(tab).count()).toBe(readyToFulfil);
    expect(await tab.getByText("Jonas Weber").isVisible()).toBe(true);

    // Save it as a view; the view becomes a tab and stays selected.
    await tab.getByRole("button", { name: "Save as" }).click();
    await tab.getByRole("textbox", { name: "Name" }).fill("Ready to fulfil");
    await tab.getByRole("dialog").getByRole("button", { name: "Save" }).click();
    await waitFor(
      "the view to be saved",
      () => db.savedView.findMany(),
      (v) => v.length === 1,
    );
    expect((await db.savedView.findFirstOrThrow()).query).toBe("status=waiting_for_you");
    await eventually(() =>
      tab.getByRole("tab", { name: /Ready to fulfil/ }).getAttribute("aria-selected"),
    ).toBe("true");

    // Back to All, then include completed work: the download shows up.
    await tab.getByRole("tab", { name: english("queue.filter.all") }).click();
    await tab.waitForURL((u) => !u.searchParams.has("status"));
    await eventually(() => rows(tab).count()).toBe(50);
    await openApp(tab, stack, "/app/queue?status=done&completed=1", english("nav.queue"));
    const completed = await db.fulfillmentOrderRecord.count({ where: { outcome: "done" } });
    expect(completed).toBeGreaterThan(0);
    await eventually(() => rows(tab).count()).toBe(completed);
    expect(await rows(tab).first().getByText(english("outcome.done")).isVisible()).toBe(true);

    await keepScreenshot(tab, "review-queue-filtered");

    // On a phone each row is one stacked cell and nothing on the page scrolls sideways.
    await tab.setViewportSize({ width: 390, height: 844 });
    await openApp(tab, stack, "/app/queue", english("nav.queue"));
    // The row's cells stack in one block, its status under the order, the columns' headings gone.
    const firstRow = rows(tab).first();
    const order = firstRow.getByRole("link").first();
    expect(await order.textContent()).toMatch(/^#\d+$/);
    const status = firstRow.locator(".QueueTable__Badge").first();
    expect(await status.isVisible()).toBe(true);
    const below = async (upper: Locator, lower: Locator) =>
      (await lower.boundingBox())!.y >=
      (await upper.boundingBox())!.y + (await upper.boundingBox())!.height;
    expect(await below(order, status)).toBe(true);
    expect(
      await tab
        .getByRole("columnheader", { name: english("queue.table.order"), exact: true })
        .isVisible(),
    ).toBe(false);
    const overflow = await tab
      .locator(".Polaris-Page")
      .evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await keepScreenshot(tab, "review-queue-phone");
  });

  test("a tap on Search and filter while the page hydrates opens the search, and searching and filtering still narrow the rows", async ({
    stack,
    page: tab,
  }) => {
    const searchAndFilter = tab.getByRole("button", {
      name: english("queue.filter.searchAndFilter"),
    });

    // WHEN the merchant presses Search and filter the moment it shows. The bar hydrates with the
    // page around the table in one task: the tap lands while it runs (and waits for it) or after.
    const phase = await tapWhileHydrating(tab, stack.openUrl("/app/queue"), searchAndFilter, [
      "hydrating",
      "hydrated",
    ]);

    // THEN the tap (made after React started: before, no button answers) counts: the search
    // field opens, and it and the filters work as ever
    expect(phase).not.toBe("before-react");
    const search = tab.getByRole("textbox", { name: english("queue.filter.search") });
    await eventually(() => search.isVisible()).toBe(true);
    await search.fill("Weber");
    await tab.waitForURL((u) => u.searchParams.get("q") === "Weber");
    await eventually(() => rows(tab).count()).toBe(1);
    await search.fill("");
    await tab.waitForURL((u) => !u.searchParams.has("q"));
    await tab
      .getByRole("button", { name: new RegExp(`^${english("queue.filter.status")}`) })
      .first()
      .click();
    await tab.getByRole("checkbox", { name: english("outcome.in_review") }).click();
    await tab.waitForURL((u) => u.searchParams.getAll("status").includes("in_review"));
    await eventually(() => rows(tab).count()).toBe(Math.min(inReview, 50));
  });

  test("a tap on Search and filter before the page's scripts ran opens the search once React starts", async ({
    stack,
    page: tab,
  }) => {
    const searchAndFilter = tab.getByRole("button", {
      name: english("queue.filter.searchAndFilter"),
    });
    const search = tab.getByRole("textbox", { name: english("queue.filter.search") });
    // The page's modules wait until the merchant has tapped: React has not started.
    const release = await openBeforeReact(tab, stack.openUrl("/app/queue"), searchAndFilter);

    // WHEN the merchant taps Search and filter on the server-rendered page: nothing answers yet
    await searchAndFilter.click();
    expect(await reactStarted(tab)).toBe(false);
    expect(await search.isVisible()).toBe(false);
    release();

    // THEN once React has started the tap counts: the search opens, and it searches
    await expect.poll(() => search.isVisible(), { timeout: 90_000 }).toBe(true);
    await search.fill("Weber");
    await tab.waitForURL((u) => u.searchParams.get("q") === "Weber");
    await eventually(() => rows(tab).count()).toBe(1);
  });

  test("an order ticked before the page's scripts ran is selected once React starts, the box as it shows", async ({
    stack,
    page: tab,
  }) => {
    const box = rows(tab).first().getByRole("checkbox");
    // The page's modules wait until the merchant has ticked: React has not started.
    const release = await openBeforeReact(tab, stack.openUrl("/app/queue"), box);

    // WHEN the merchant ticks the first order on the server-rendered page: it stays unticked
    // (nothing would be selected behind a ticked box)
    await box.click();
    expect(await reactStarted(tab)).toBe(false);
    expect(await box.isChecked()).toBe(false);
    release();

    // THEN once React has started the tap counts: the order is selected and its box ticked
    await expect
      .poll(() => tab.getByText(english("queue.table.selected", { count: 1 })).isVisible(), {
        timeout: 90_000,
      })
      .toBe(true);
    expect(await box.isChecked()).toBe(true);
  });

  test("bulk-approves 50 orders through the progress bar and the result report", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app/queue?status=in_review", english("nav.queue"));
    // A page holds 50: selecting the page selects exactly 50 of those in review.
    await eventually(() => rows(tab).count()).toBe(PRINTS);

    await tab
      .getByRole("checkbox", { name: english("queue.table.selectPage", { count: PRINTS }) })
      .check();
    await tab.getByRole("button", { name: english("bulkAction.approve") }).click();

    await tab.waitForURL((u) => u.pathname.startsWith("/app/bulk/"));
    await tab
      .getByRole("heading", {
        name: english("bulk.title_other", { action: english("bulkAction.approve"), count: PRINTS }),
        level: 1,
      })
      .waitFor({ state: "attached" });
    expect(await tab.getByRole("progressbar").count()).toBe(1);
    await keepScreenshot(tab, "review-bulk-progress");

    await tab
      .getByText(english("bulk.allSucceeded_other", { count: PRINTS }))
      .waitFor({ timeout: 120_000 });
    expect(
      await tab
        .getByText(
          english("bulk.progress", { done: PRINTS, total: PRINTS, succeeded: PRINTS, failed: 0 }),
        )
        .isVisible(),
    ).toBe(true);
    expect(await tab.locator("tbody tr").count()).toBe(PRINTS);
    expect(await tab.locator("tbody").getByText(english("bulk.status.succeeded")).count()).toBe(
      PRINTS,
    );
    await keepScreenshot(tab, "review-bulk-report");
    expect(await unnamedControls(tab)).toEqual([]);

    // Shopify now has them fulfilled, and the queue no longer lists them.
    expect(await db.approval.count()).toBe(PRINTS);
    expect(await db.fulfillmentOrderRecord.count({ where: { outcome: "in_review" } })).toBe(
      inReview - PRINTS,
    );
  });

  test("reports a bulk hold that Shopify refuses, with why, and retries the failed ones", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app/queue?status=done&completed=1", english("nav.queue"));
    await eventually(() => rows(tab).count()).toBeGreaterThanOrEqual(3);

    for (const index of [0, 1, 2]) await rows(tab).nth(index).getByRole("checkbox").check();
    // Shopify's refusal of each, in the catalogue's words, whatever status it names.
    const holdRefused = new RegExp(
      englishPattern("serviceMessages.commands.holdNotAllowed", { status: /.+/ }),
    );
    await tab.getByRole("button", { name: english("bulkAction.hold") }).click();
    const dialog = tab.getByRole("dialog");
    await dialog
      .getByRole("combobox", { name: english("hold.reason") })
      .selectOption("INCORRECT_ADDRESS");
    await dialog.getByRole("textbox", { name: english("hold.note") }).fill("Street name missing");
    await dialog.getByRole("button", { name: english("hold.hold") }).click();

    await tab.waitForURL((u) => u.pathname.startsWith("/app/bulk/"));
    await tab
      .getByText(english("bulk.failedOf", { failed: 3, total: 3 }))
      .waitFor({ timeout: 60_000 });
    expect(await tab.locator("tbody").getByText(english("bulk.status.failed")).count()).toBe(3);
    expect(await tab.locator("tbody").getByText(holdRefused).count()).toBe(3);
    await keepScreenshot(tab, "review-bulk-failed");

    const job = await db.bulkJob.findFirstOrThrow({ where: { action: "hold" } });
    expect(JSON.parse(job.options)).toEqual({
      reason: "INCORRECT_ADDRESS",
      note: "Street name missing",
    });
    await tab.getByRole("button", { name: english("bulk.retry") }).click();
    // The retry runs them again: the page polls while it runs and ends with the same report.
    await waitFor(
      "the retry to run",
      () => db.bulkJobItem.findMany({ where: { bulkJobId: job.id } }),
      (items) =>
        items.every(
          (i) => i.status === "failed" && i.finishedAt !== null && i.finishedAt > job.finishedAt!,
        ),
    );
    await tab.getByText(english("bulk.failedOf", { failed: 3, total: 3 })).waitFor();
  });

  test("home shows how today's orders were routed, what waits, queue health, the budget and the chart, without layout shift", async ({
    stack,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app", english("app.name"));
    const today = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: todayTitle }) });
    expect(await today.getByRole("heading").textContent()).toMatch(todayTitle);
    expect(await today.getByText(english("home.today.automatic")).isVisible()).toBe(true);
    expect(await tab.getByRole("heading", { name: english("home.jobs.title") }).isVisible()).toBe(
      true,
    );
    expect(await tab.getByRole("progressbar").count()).toBe(1);
    // The worker has called Shopify, so the budget is the one Shopify reported.
    expect(await tab.getByText(english("home.budget.known")).isVisible()).toBe(true);
    // The chart arrives after hydration, inside a box already sized for it.
    await tab.locator("svg[role='list'], svg").first().waitFor();
    await eventually(() => tab.getByText(english("home.today.automatic")).count()).toBeGreaterThan(
      1,
    );
    const cls = await tab.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let total = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as (PerformanceEntry & {
              value: number;
              hadRecentInput: boolean;
            })[]) {
              if (!entry.hadRecentInput) total += entry.value;
            }
          }).observe({ type: "layout-shift", buffered: true });
          setTimeout(() => resolve(total), 500);
        }),
    );
    expect(cls).toBeLessThan(0.1);
    expect(await unnamedControls(tab)).toEqual([]);
    await keepScreenshot(tab, "review-home");
  });
});
