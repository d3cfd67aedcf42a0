// A merchant works the Stuck and Drift screens against the demo (full simulator, built app,
// embedded worker): requests Partner Lab rejected with nothing to follow them, found by a Check now
// the worker runs (one however often it is clicked), re-routed one by one and in bulk with the
// per-order report; a print the lab says it shipped while Shopify shows it unfulfilled, recorded,
// found and repaired with the lab's tracking; a cancellation the lab refused, shown with the advice
// to contact it.
import type { Locator, Page } from "playwright-core";
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  openApp,
  unnamedControls,
  waitFor,
  workerSettled,
  numberOf,
  type Stack,
} from "./support/harness.ts";
import { seedLabRule } from "./support/review-fixtures.ts";
import { english, englishPattern } from "./support/catalogue.ts";

interface SimFulfillmentOrder {
  id: string;
  status: string;
  requestStatus: string;
  location: { name: string };
}
interface SimOrder {
  id: string;
  name: string;
  fulfillmentOrders: SimFulfillmentOrder[];
  fulfillments: { tracking: { company: string | null; number: string | null }[] }[];
}

/** Partner Lab answers, as the fulfilment service app that owns its location. */
const lab = (stack: Stack, foId: string, action: string, body: Record<string, unknown> = {}) =>
  stack.control("POST", `/_sim/fulfillment-orders/${encodeURIComponent(foId)}/service-response`, {
    action,
    ...body,
  });

/**
 * A Fine Art Print the Studio has none of: Shopify routes it to Partner Lab and the rule asks
 * the lab for it. Returns once the request is submitted.
 */
async function labOrder(stack: Stack, email: string) {
  const placed = await stack.createOrder({
    payment: "paid",
    email,
    lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
  });
  const state = await waitFor(
    `the request for ${placed.name}`,
    () => stack.orderState<SimOrder>(placed.orderId),
    (s) =>
      s.fulfillmentOrders.some(
        (f) => f.location.name === "Partner Lab" && f.requestStatus === "SUBMITTED",
      ),
  );
  const fo = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab")!;
  return { orderId: placed.orderId, name: placed.name, foId: fo.id };
}

let rejected: Awaited<ReturnType<typeof labOrder>>[] = [];
let shipped: Awaited<ReturnType<typeof labOrder>>;

test.beforeAll(async ({ stack, db, browser }) => {
  // "Lab prints go to Partner Lab": ask the lab, with no fallback when it says no.
  await seedLabRule(db, stack.shop);
  await installApp(browser, stack);

  rejected = [
    await labOrder(stack, "ada@example.com"),
    await labOrder(stack, "ben@example.com"),
    await labOrder(stack, "cem@example.com"),
  ];
  shipped = await labOrder(stack, "dora@example.com");
  for (const r of rejected) await lab(stack, r.foId, "reject", { message: "Out of lustre paper" });
  await lab(stack, shipped.foId, "accept");
  await workerSettled(db);
});

const rows = (tab: Page) => tab.locator("tbody tr");
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });
const row = (tab: Page, name: string) => rows(tab).filter({ hasText: name });

/** A row's Evidence cell, found by its column's heading. */
async function evidenceCell(tab: Page, name: string): Promise<Locator> {
  const headings = await tab.locator("thead th").allInnerTexts();
  const column = headings.findIndex((h) => h.trim() === english("stuck.evidence"));
  expect(column, headings.join(" | ")).toBeGreaterThan(0);
  return row(tab, name).locator("td").nth(column);
}

/**
 * Whether every element of `parts` can be read where it is: inside the table's sideways-scrolling
 * box and the window, right of the cells the table holds at its left edge, and what the page draws
 * at its middle is that element (nothing covers it).
 */
function wholeInView(parts: Locator): Promise<boolean> {
  return parts.evaluateAll(
    (elements) =>
      elements.length > 0 &&
      elements.every((element) => {
        let box = element.parentElement;
        while (box && !/auto|scroll/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
        const view = (box ?? document.documentElement).getBoundingClientRect();
        const cells = Array.from(element.closest("tr")?.children ?? []);
        const held = cells
          .filter((cell) => !cell.contains(element) && getComputedStyle(cell).position === "sticky")
          .map((cell) => cell.getBoundingClientRect().right);
        const r = element.getBoundingClientRect();
        if (r.left < Math.max(view.left, ...held) - 1) return false;
        if (r.right > Math.min(view.right, window.innerWidth) + 1) return false;
        const drawn = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
        return drawn !== null && element.contains(drawn);
      }),
  );
}

/** Scrolls the table sideways, as its scroll bar would, until `cell` starts right of the held cells. */
function scrollTableTo(cell: Locator): Promise<void> {
  return cell.evaluate((element) => {
    let box = element.parentElement;
    while (box && !/auto|scroll/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (!box) throw new Error("the table does not scroll sideways");
    const held = Array.from(element.closest("tr")?.children ?? [])
      .filter((c) => c !== element && getComputedStyle(c).position === "sticky")
      .map((c) => c.getBoundingClientRect().right);
    const edge = Math.max(box.getBoundingClientRect().left, ...held);
    box.scrollLeft += element.getBoundingClientRect().left - edge;
  });
}

test.describe("the Stuck view", () => {
  test("shows each row's evidence and repair whole at 1280 px, and lets the table scroll to the evidence when narrower", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN the three rejected requests found by a check, seen at 1280 px (the harness's width);
    // the merchant double-clicks Check now: the worker runs one check, and the screen shows its end
    await openApp(tab, stack, "/app/stuck", english("stuck.title"));
    await tab.getByRole("button", { name: english("stuck.scan") }).dblclick();
    await tab
      .getByText(new RegExp(englishPattern("stuck.check.done.title", { at: /.+/ })))
      .waitFor({ timeout: 60_000 });
    await tab.getByText(english("stuck.result.scanned", { stuck: 3, drift: 0 })).waitFor();
    await eventually(() => rows(tab).count()).toBe(3);
    const checks = await db.job.findMany({
      where: { queue: "drift-scan", payload: { contains: '"check":true' } },
    });
    expect(checks.map((j) => j.status)).toEqual(["done"]);
    expect(tab.viewportSize()?.width).toBe(1280);

    // THEN every line of evidence and the row's repair buttons are in view, no sideways scrolling
    // (before, the cells kept to one line and the table ran past the card's edge from Evidence on)
    for (const r of rejected) {
      const evidence = await evidenceCell(tab, r.name);
      expect(await evidence.locator("p").count()).toBe(2);
      expect(await wholeInView(evidence.locator("p")), `${r.name}'s evidence`).toBe(true);
      expect(
        await wholeInView(
          row(tab, r.name).getByRole("button", {
            name: english("stuck.rerouteOrder", { order: r.name }),
          }),
        ),
        `${r.name}'s re-route`,
      ).toBe(true);
    }
    await keepScreenshot(tab, "stuck-1280");

    // WHEN the merchant looks in a narrower admin (768 px: admin at 1024 px beside its sidebar),
    // THEN scrolling the table sideways brings the whole evidence into view, with the order held
    // beside it; on a phone (390 px) the evidence is in reach too, though Polaris holds the order
    // column only from 490 px up
    const name = rejected[0]!.name;
    for (const width of [768, 390]) {
      await tab.setViewportSize({ width, height: 900 });
      await openApp(tab, stack, "/app/stuck", english("stuck.title"));
      await eventually(() => rows(tab).count()).toBe(3);
      const evidence = await evidenceCell(tab, name);
      await scrollTableTo(evidence);
      expect(await wholeInView(evidence.locator("p")), `${name}'s evidence at ${width} px`).toBe(
        true,
      );
      if (width === 768)
        expect(await wholeInView(row(tab, name).getByRole("link", { name })), "the order").toBe(
          true,
        );
      await keepScreenshot(tab, `stuck-${width}`);
    }
  });

  test("shows each rejected request with its lab and evidence, and re-routes one in one click", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app/stuck", english("stuck.title"));
    await tab.getByRole("button", { name: english("stuck.scan") }).click();
    await tab.getByText(english("stuck.result.scanned", { stuck: 3, drift: 0 })).waitFor();
    await eventually(() => rows(tab).count()).toBe(3);
    expect(
      await tab.getByRole("tab", { name: english("stuck.stuckTab", { count: 3 }) }).isVisible(),
    ).toBe(true);
    expect(await unnamedControls(tab)).toEqual([]);

    const first = row(tab, rejected[0]!.name);
    expect(await first.textContent()).toContain("Partner Lab");
    expect(await first.textContent()).toContain(
      english("findings.evidence.labRejected", { lab: "Partner Lab" }),
    );
    expect(await first.textContent()).toContain(
      english("findings.evidence.rejectedStillAt", { location: "Partner Lab" }),
    );
    await keepScreenshot(tab, "stuck-view");

    // One click: the work leaves the lab for the Studio (the default the row offers).
    await first
      .getByRole("button", { name: english("stuck.rerouteOrder", { order: rejected[0]!.name }) })
      .click();
    await eventually(() => rows(tab).count()).toBe(2);
    const state = await stack.orderState<SimOrder>(rejected[0]!.orderId);
    expect(
      state.fulfillmentOrders.filter((f) => f.status === "OPEN").map((f) => f.location.name),
    ).toEqual(["Studio"]);
    const finding = await db.finding.findFirstOrThrow({
      where: { fulfillmentOrderId: rejected[0]!.foId, kind: "rejected_no_fallback" },
    });
    expect(finding.status).toBe("repaired");
    const decision = await db.decision.findUniqueOrThrow({ where: { id: finding.decisionId! } });
    expect(decision.trigger).toBe("repair");
    await keepScreenshot(tab, "stuck-rerouted");
  });

  test("re-routes the rest in bulk and reports each order", async ({ stack, page: tab }) => {
    await openApp(tab, stack, "/app/stuck", english("stuck.title"));
    await eventually(() => rows(tab).count()).toBe(2);
    for (const index of [0, 1]) await rows(tab).nth(index).getByRole("checkbox").check();
    await tab.getByRole("button", { name: english("stuck.bulkRepair") }).click();
    await tab.waitForURL((u) => u.pathname.startsWith("/app/bulk/"));
    await tab
      .getByRole("heading", {
        name: english("bulk.title_other", { action: english("bulkAction.repair"), count: 2 }),
        level: 1,
      })
      .waitFor();
    await tab
      .getByText(english("bulk.allSucceeded_other", { count: 2 }))
      .waitFor({ timeout: 120_000 });
    for (const r of rejected.slice(1))
      expect(await tab.getByText(r.name).count()).toBeGreaterThan(0);
    await keepScreenshot(tab, "stuck-bulk-report");
    for (const r of rejected.slice(1)) {
      const state = await stack.orderState<SimOrder>(r.orderId);
      expect(
        state.fulfillmentOrders.filter((f) => f.status === "OPEN").map((f) => f.location.name),
      ).toEqual(["Studio"]);
    }
  });
});

test.describe("the Drift view", () => {
  test("records that the lab shipped, finds Shopify unfulfilled, and repairs it with the lab's tracking", async ({
    stack,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app/stuck?view=drift", english("stuck.title"));
    expect(await tab.getByText(english("stuck.emptyDrift")).isVisible()).toBe(true);

    // The lab e-mailed: shipped with DHL. The merchant records it.
    await tab.getByRole("textbox", { name: english("stuck.record.order") }).fill(shipped.name);
    await tab
      .getByRole("combobox", { name: english("stuck.record.status") })
      .selectOption("shipped");
    await tab.getByRole("textbox", { name: english("stuck.record.company") }).fill("DHL");
    await tab.getByRole("textbox", { name: english("stuck.record.number") }).fill("00340434");
    await tab.getByRole("button", { name: english("stuck.record.save") }).click();
    await tab.getByText(english("stuck.record.saved")).waitFor();

    await tab.getByRole("button", { name: english("stuck.scan") }).click();
    // One order drifted, however many are stuck.
    await tab
      .getByText(new RegExp(englishPattern("stuck.result.scanned", { stuck: /\d+/, drift: 1 })))
      .waitFor();
    await eventually(() => rows(tab).count()).toBe(1);
    const drift = row(tab, shipped.name);
    expect(await drift.textContent()).toContain(
      english("findings.evidence.labShipped", {
        said: english("findings.evidence.recordedFrom", { lab: "Partner Lab" }),
        lines: "1 × Fine Art Print",
        tracking: english("findings.tracking.some", { tracking: "DHL 00340434" }),
      }),
    );
    expect(await drift.textContent()).toContain(
      english("findings.evidence.lineCounts", {
        title: "Fine Art Print",
        fulfilled: 0,
        unfulfilled: 1,
      }),
    );
    // At 1280 px the lab's and Shopify's sides and the repair are all in view.
    expect(await wholeInView((await evidenceCell(tab, shipped.name)).locator("p"))).toBe(true);
    expect(
      await wholeInView(
        drift.getByRole("button", { name: english("stuck.repairOrder", { order: shipped.name }) }),
      ),
    ).toBe(true);
    await keepScreenshot(tab, "drift-view");

    // Partner Lab owns the work: the repair asks for it back first and waits for the lab.
    await drift
      .getByRole("button", { name: english("stuck.repairOrder", { order: shipped.name }) })
      .click();
    await eventually(() => drift.getByText(english("stuck.status.waiting")).count()).toBe(1);
    expect((await stack.orderState<SimOrder>(shipped.orderId)).fulfillments).toHaveLength(0);

    await lab(stack, shipped.foId, "accept-cancellation");
    // The next check carries the waiting repair on: move, then fulfil with DHL's number.
    await tab.getByRole("button", { name: english("stuck.scan") }).click();
    await eventually(() => rows(tab).count()).toBe(0);
    const state = await stack.orderState<SimOrder>(shipped.orderId);
    expect(state.fulfillments).toHaveLength(1);
    expect(state.fulfillments[0]!.tracking).toMatchObject([{ company: "DHL", number: "00340434" }]);
    await keepScreenshot(tab, "drift-repaired");
  });
});

test.describe("a cancellation the lab rejected", () => {
  test("the merchant cancels an order the lab accepted, the lab refuses: the Stuck view shows it with the advice to contact the lab and Re-route", async ({
    stack,
    db,
    page: tab,
  }) => {
    const order = await labOrder(stack, "finn@example.com");
    await lab(stack, order.foId, "accept");
    await workerSettled(db);
    // Cancelling the order from its page asks Partner Lab to let go of the accepted work.
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(order.orderId)}`,
      english("order.title", { name: order.name }),
    );
    const card = tab.locator(".Polaris-ShadowBevel").filter({
      has: tab.getByRole("heading", { name: english("afterSales.cancel.title"), level: 2 }),
    });
    await card.getByRole("button", { name: english("afterSales.cancel.open") }).click();
    const dialog = tab.getByRole("dialog");
    await dialog.getByText(english("afterSales.cancel.refundOriginal"), { exact: true }).click();
    await dialog.getByRole("button", { name: english("afterSales.cancel.confirm") }).click();
    await card
      .getByRole("alert")
      .filter({ hasText: english("afterSales.cancel.refused") })
      .waitFor({ timeout: 60_000 });
    await lab(stack, order.foId, "reject-cancellation", { message: "Already printed" });
    await workerSettled(db);

    await openApp(tab, stack, "/app/stuck", english("stuck.title"));
    await tab.getByRole("button", { name: english("stuck.scan") }).click();
    await eventually(() => row(tab, order.name).count()).toBe(1);
    const refused = row(tab, order.name);
    const text = await refused.textContent();
    expect(text).toContain(
      english("findings.evidence.labRejectedCancellation", { lab: "Partner Lab" }),
    );
    expect(text).toContain(
      english("findings.evidence.cancellationRejectedAt", { location: "Partner Lab" }),
    );
    // Shopify still offers another cancellation request here, so Re-route is offered with the advice.
    expect(text).toContain(english("findings.advice.contactLabOrAskAgain", { lab: "Partner Lab" }));
    expect(
      await refused
        .getByRole("button", { name: english("stuck.rerouteOrder", { order: order.name }) })
        .isVisible(),
    ).toBe(true);
    await keepScreenshot(tab, "stuck-cancellation-rejected");
  });
});

test.describe("choosing where a stuck request goes", () => {
  test("the merchant opens Choose location, sees Shopify's locations for the move (never the stuck lab; one that does not stock the print disabled with Shopify's reason), picks one, and the work moves there", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN two more locations of the merchant's own: the Annex stocks no prints, the Warehouse
    // stocks the lustre A3; Partner Lab rejects a request for one, nothing follows it
    await stack.control("POST", "/_sim/locations", {
      shop: stack.shop,
      name: "Annex",
      stock: { "SLEEVE-A3": 5 },
    });
    await stack.control("POST", "/_sim/locations", {
      shop: stack.shop,
      name: "Warehouse",
      stock: { "PRINT-LUSTRE-A3": 5 },
    });
    const order = await labOrder(stack, "gus@example.com");
    await lab(stack, order.foId, "reject", { message: "Out of lustre paper" });
    await workerSettled(db);
    await openApp(tab, stack, "/app/stuck", english("stuck.title"));
    await tab.getByRole("button", { name: english("stuck.scan") }).click();
    await eventually(() => row(tab, order.name).count()).toBe(1);

    // WHEN the merchant opens the row's picker
    await row(tab, order.name)
      .getByRole("link", { name: english("stuck.pick.chooseLocationOrder", { order: order.name }) })
      .click();
    const picker = row(tab, order.name).getByRole("combobox", {
      name: english("stuck.rerouteTo", { order: order.name }),
    });
    await picker.waitFor();

    // THEN it offers Shopify's locations for the move but not Partner Lab, where it is stuck; the
    // Annex shows Shopify's reason and cannot be chosen; the Studio, which can take it, is chosen
    const options = await picker.locator("option").evaluateAll((list) =>
      list.map((o) => ({
        label: o.textContent,
        disabled: (o as HTMLOptionElement).disabled,
        selected: (o as HTMLOptionElement).selected,
      })),
    );
    expect(options).toEqual([
      {
        label: english("stuck.pick.unmovableOption", {
          location: "Annex",
          message: "No items are stocked at this location.",
        }),
        disabled: true,
        selected: false,
      },
      { label: "Studio", disabled: false, selected: true },
      { label: "Warehouse", disabled: false, selected: false },
    ]);
    expect(await unnamedControls(tab)).toEqual([]);
    await keepScreenshot(tab, "stuck-choose-location");

    // WHEN the merchant picks the Warehouse and re-routes
    await picker.selectOption({ label: "Warehouse" });
    await row(tab, order.name)
      .getByRole("button", { name: english("stuck.rerouteOrder", { order: order.name }) })
      .click();

    // THEN the row is gone and the work waits at the Warehouse
    await eventually(() => row(tab, order.name).count()).toBe(0);
    const state = await stack.orderState<SimOrder>(order.orderId);
    expect(
      state.fulfillmentOrders.filter((f) => f.status === "OPEN").map((f) => f.location.name),
    ).toEqual(["Warehouse"]);
    await keepScreenshot(tab, "stuck-chosen-location-rerouted");
  });
});
