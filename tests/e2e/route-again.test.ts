// A merchant routes orders again from the app's own screens, over work a repair placed (ADR 083
// addendum): Partner Lab rejects a print, the merchant re-routes it to the Studio on Stuck and drift,
// then chooses Route again in the queue's bulk actions or on the order's page. The confirmation
// says a repair may be undone and names the orders a repair placed; Cancel leaves everything as it
// was; confirming hands the work back to the rules ("Lab prints go to Partner Lab"), and the trace
// says the repair no longer holds. The queue's other bulk dialogs count orders as admin's do and
// give focus back to what opened them.
import type { Locator, Page } from "playwright-core";
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  numberOf,
  openApp,
  toast,
  waitFor,
  waitForScreen,
  workerSettled,
  type PlacedOrder,
  type SimOrderInput,
  type Stack,
} from "./support/harness.ts";
import { english, englishPattern, words } from "./support/catalogue.ts";
import { commandSaid } from "./support/review-fixtures.ts";
import type { Db } from "../../app/db/client.server.ts";

interface SimFulfillmentOrder {
  id: string;
  status: string;
  requestStatus: string;
  location: { name: string };
}
interface SimOrder {
  fulfillmentOrders: SimFulfillmentOrder[];
}
interface SimLocation {
  id: string;
  name: string;
}

/**
 * "Lab prints go to Partner Lab": the Lustre A3 moves to the lab and is asked of it, with no
 * fallback when the lab says no. The rule Route again hands repaired work back to.
 */
async function seedLabPrintsRule(stack: Stack, db: Db) {
  const { locations } = await stack.control<{ locations: SimLocation[] }>(
    "GET",
    `/_sim/products?shop=${stack.shop}`,
  );
  const partnerLab = locations.find((l) => l.name === "Partner Lab")!;
  await db.rule.create({
    data: {
      shop: stack.shop,
      name: "Lab prints go to Partner Lab",
      position: 0,
      enabled: true,
      conditions: JSON.stringify({
        match: "all",
        lines: "any",
        keepChecking: false,
        conditions: [{ field: "sku", operator: "equals", value: "PRINT-LUSTRE-A3" }],
      }),
      actions: JSON.stringify([
        { type: "move", locationId: partnerLab.id },
        { type: "submit_fulfilment_request", notifyCustomer: false },
      ]),
    },
  });
}

const customer = (firstName: string, lastName: string) => ({
  email: `${firstName.toLowerCase()}@example.com`,
  firstName,
  lastName,
  tags: [],
});

/** A Lustre A3 print (the Studio has none of it): asked of Partner Lab, which says no. */
const labPrint = (firstName: string, lastName: string): SimOrderInput => ({
  payment: "paid",
  email: `${firstName.toLowerCase()}@example.com`,
  customer: customer(firstName, lastName),
  lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
});

/** A print the Studio stocks: no rule matches, so it waits for the merchant there. */
const studioPrint = (firstName: string, lastName: string, sku: string): SimOrderInput => ({
  payment: "paid",
  email: `${firstName.toLowerCase()}@example.com`,
  customer: customer(firstName, lastName),
  lineItems: [{ sku, quantity: 1 }],
});

/** Where Shopify has the order's open work, by location name. */
async function openWorkAt(stack: Stack, orderId: string): Promise<string[]> {
  const state = await stack.orderState<SimOrder>(orderId);
  return state.fulfillmentOrders.filter((f) => f.status === "OPEN").map((f) => f.location.name);
}

/** Partner Lab, as the fulfilment service app, rejects the order's request. */
async function labRejects(stack: Stack, order: PlacedOrder) {
  const state = await waitFor(
    `the request for ${order.name}`,
    () => stack.orderState<SimOrder>(order.orderId),
    (s) =>
      s.fulfillmentOrders.some(
        (f) => f.location.name === "Partner Lab" && f.requestStatus === "SUBMITTED",
      ),
  );
  const fo = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab")!;
  await stack.control(
    "POST",
    `/_sim/fulfillment-orders/${encodeURIComponent(fo.id)}/service-response`,
    { action: "reject", message: "Out of lustre paper" },
  );
}

const rows = (tab: Page) => tab.locator("tbody tr");
const row = (tab: Page, name: string) => rows(tab).filter({ hasText: name });
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });

/**
 * The merchant finds the rejected request on Stuck and drift (Check now, which the worker runs)
 * and re-routes it by the row's one click: the repair puts the print at the Studio.
 */
async function repairOnStuck(tab: Page, stack: Stack, db: Db, order: PlacedOrder) {
  await openApp(tab, stack, "/app/stuck", english("stuck.title"));
  await tab.getByRole("button", { name: english("stuck.scan") }).click();
  await eventually(() => row(tab, order.name).count()).toBe(1);
  await row(tab, order.name)
    .getByRole("button", { name: english("stuck.rerouteOrder", { order: order.name }) })
    .click();
  await eventually(() => row(tab, order.name).count()).toBe(0);
  await workerSettled(db);
  expect(await openWorkAt(stack, order.orderId)).toEqual(["Studio"]);
}

/** Whether the control has the keyboard's focus. */
const hasFocus = (control: Locator) =>
  control.evaluate((element) => element === document.activeElement);

/** The merchant's Route again decisions on an order. */
const routedAgain = (db: Db, orderId: string) =>
  db.decision.count({ where: { orderId, trigger: "merchant", cause: "route_again" } });

/** The trace's line that a repair to the Studio no longer holds, any time of the repair. */
const repairHandedBack = new RegExp(
  englishPattern("engine.explain.repairHandedBack", { date: /.+/, location: "Studio" }),
);

/**
 * The Route again decision's line for the print it moved back to Partner Lab: there because this
 * decision moved it, beside that move (ADR 099), not "Already at" it.
 */
const movedThere = english("engine.explain.movedThereByThisDecision", {
  location: "Partner Lab",
  rule: "Lab prints go to Partner Lab",
  from: "Studio",
});

/** The order block's and bulk action's note on repairs, in the admin bulk action's own words. */
const bulkActionNote = words({ extension: "order-routing-action" })("rerouteNote");

let queued: { repaired: PlacedOrder; plain: PlacedOrder[] };
let onItsPage: PlacedOrder;

test.beforeAll(async ({ stack, db, browser }) => {
  await seedLabPrintsRule(stack, db);
  await installApp(browser, stack);
  const [repaired, first, second, alone] = await stack.placeOrders([
    labPrint("Ada", "Lindqvist"),
    studioPrint("Bo", "Lindqvist", "PRINT-MATTE-A4"),
    studioPrint("Cy", "Lindqvist", "PRINT-LUSTRE-A4"),
    labPrint("Dag", "Holm"),
  ]);
  queued = { repaired: repaired!, plain: [first!, second!] };
  onItsPage = alone!;
  await labRejects(stack, queued.repaired);
  await labRejects(stack, onItsPage);
  await workerSettled(db);
});

test.describe("the queue's other bulk dialogs", () => {
  test("Capture and Archive count the orders as admin's own do; Hold gives focus back to its button when closed", async ({
    stack,
    page: tab,
  }) => {
    // GIVEN the two orders no repair touched, selected in the queue
    await openApp(tab, stack, "/app/queue?q=Lindqvist", english("nav.queue"));
    for (const order of queued.plain) await eventually(() => row(tab, order.name).count()).toBe(1);
    for (const order of queued.plain)
      await tab
        .getByRole("checkbox", { name: english("queue.table.selectRow", { order: order.name }) })
        .check();
    const moreActions = tab.getByRole("button", { name: english("queue.table.moreActions") });

    // WHEN the merchant chooses Capture, then Archive, THEN each asks about "2 orders"
    for (const [action, title] of [
      ["capture", english("queue.capture.title_other", { count: 2 })],
      ["archive", english("queue.archive.title_other", { count: 2 })],
    ] as const) {
      await moreActions.click();
      await tab.getByRole("menuitem", { name: english(`bulkAction.${action}`) }).click();
      const dialog = tab.getByRole("dialog", { name: title });
      await dialog.waitFor();
      await dialog.getByRole("button", { name: english("common.cancel") }).click();
      await dialog.waitFor({ state: "hidden" });
    }

    // WHEN the merchant opens Hold from the keyboard and closes it with Escape, THEN focus is back
    // on Hold, where the keyboard left off, not at the top of the page
    const hold = tab.getByRole("button", { name: english("bulkAction.hold"), exact: true });
    await hold.focus();
    await tab.keyboard.press("Enter");
    const dialog = tab.getByRole("dialog", {
      name: english("hold.title", {
        subject: english("queue.table.fulfillmentOrderCount_other", { count: 2 }),
      }),
    });
    await dialog.waitFor();
    await tab.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await eventually(() => hasFocus(hold)).toBe(true);
  });
});

test.describe("Route again in the queue's bulk actions", () => {
  test("asks first with the note on repairs; Cancel changes nothing; confirming routes every selected order again and hands the repaired work back to the rules", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN Ada's print re-routed to the Studio on Stuck and drift, beside two orders no repair touched
    await repairOnStuck(tab, stack, db, queued.repaired);
    const all = [queued.repaired, ...queued.plain];
    await openApp(tab, stack, "/app/queue?q=Lindqvist", english("nav.queue"));
    await eventually(() => rows(tab).count()).toBe(3);
    expect(await row(tab, queued.repaired.name).textContent()).toContain("Studio");
    const decisionsBefore = await db.decision.count({
      where: { orderId: { in: all.map((o) => o.orderId) } },
    });

    // WHEN the merchant selects the three and chooses Route again under More actions
    for (const order of all)
      await tab
        .getByRole("checkbox", { name: english("queue.table.selectRow", { order: order.name }) })
        .check();
    const chooseRouteAgain = async () => {
      await tab.getByRole("button", { name: english("queue.table.moreActions") }).click();
      await tab.getByRole("menuitem", { name: english("bulkAction.reroute") }).click();
    };
    await chooseRouteAgain();

    // THEN a confirmation counts the orders as admin's own bulk dialogs do, says a repair's
    // placement may be undone in the admin bulk action's words, and names the one order a repair
    // placed (Ada's), not the two no repair touched
    const dialog = tab.getByRole("dialog", {
      name: english("queue.reroute.title_other", { count: 3 }),
    });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(bulkActionNote);
    await dialog
      .getByText(english("queue.reroute.repaired_one", { orders: queued.repaired.name }))
      .waitFor();
    for (const order of queued.plain)
      expect(await dialog.textContent(), order.name).not.toContain(order.name);
    await keepScreenshot(tab, "route-again-queue-confirm");

    // WHEN the merchant cancels, THEN nothing is started and nothing changes, and focus is back on
    // More actions (the menu item that opened the dialog is gone), not lost at the top of the page
    await dialog.getByRole("button", { name: english("common.cancel") }).click();
    await dialog.waitFor({ state: "hidden" });
    await eventually(() =>
      hasFocus(tab.getByRole("button", { name: english("queue.table.moreActions") })),
    ).toBe(true);
    expect(new URL(tab.url()).pathname).toBe("/app/queue");
    expect(await db.bulkJob.count({ where: { action: "reroute" } })).toBe(0);
    await workerSettled(db);
    expect(await db.decision.count({ where: { orderId: { in: all.map((o) => o.orderId) } } })).toBe(
      decisionsBefore,
    );
    expect(await openWorkAt(stack, queued.repaired.orderId)).toEqual(["Studio"]);
    // The selection is still there to act on.
    expect(await tab.getByText(english("queue.table.selected", { count: 3 })).isVisible()).toBe(
      true,
    );

    // WHEN the merchant chooses Route again once more and confirms
    await chooseRouteAgain();
    await dialog.getByRole("button", { name: english("bulkAction.reroute") }).click();

    // THEN the report follows the three orders to the end
    await tab.waitForURL((u) => u.pathname.startsWith("/app/bulk/"));
    await tab
      .getByRole("heading", {
        name: english("bulk.title_other", { action: english("bulkAction.reroute"), count: 3 }),
        level: 1,
      })
      .waitFor();
    await tab
      .getByText(english("bulk.allSucceeded_other", { count: 3 }))
      .waitFor({ timeout: 120_000 });
    for (const order of all) {
      expect(await tab.getByText(order.name).count(), order.name).toBeGreaterThan(0);
      expect(await routedAgain(db, order.orderId), order.name).toBe(1);
    }
    await keepScreenshot(tab, "route-again-queue-report");

    // AND the rules decided Ada's print again: back to Partner Lab, asked of it, and the queue
    // shows it there; the two others are still where the rules keep them
    await workerSettled(db);
    expect(await openWorkAt(stack, queued.repaired.orderId)).toEqual(["Partner Lab"]);
    await openApp(tab, stack, "/app/queue?q=Lindqvist", english("nav.queue"));
    await eventually(() => rows(tab).count()).toBe(3);
    const repairedRow = row(tab, queued.repaired.name);
    expect(await repairedRow.textContent()).toContain("Partner Lab");
    expect(await repairedRow.textContent()).not.toContain("Studio");
    for (const order of queued.plain)
      expect(await row(tab, order.name).textContent(), order.name).toContain("Studio");

    // AND its trace says the repair no longer holds
    await repairedRow.getByRole("link", { name: queued.repaired.name }).click();
    await waitForScreen(tab, english("order.title", { name: queued.repaired.name }));
    await tab.getByText(repairHandedBack).waitFor();
    await keepScreenshot(tab, "route-again-queue-trace");
  });
});

test.describe("Route again on the order's page", () => {
  test("asks first over work a repair placed; Cancel changes nothing; confirming routes the order again and the page shows the new decision", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN Dag's print re-routed to the Studio on Stuck and drift
    await repairOnStuck(tab, stack, db, onItsPage);
    const path = `/app/orders/${numberOf(onItsPage.orderId)}`;
    await openApp(tab, stack, path, english("order.title", { name: onItsPage.name }));
    const decisionsBefore = await db.decision.count({ where: { orderId: onItsPage.orderId } });
    expect(await tab.getByText(repairHandedBack).count()).toBe(0);

    // WHEN the merchant chooses Route again, from the keyboard
    const routeAgain = tab.getByRole("button", { name: english("bulkAction.reroute") });
    await routeAgain.focus();
    await tab.keyboard.press("Enter");

    // THEN a confirmation says where the repair put the work and that the rules may undo it
    const dialog = tab.getByRole("dialog", {
      name: english("order.rerouteTitle", { name: onItsPage.name }),
    });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      english("extensions.rerouteUndoesRepair", { locations: "“Studio”" }),
    );
    await keepScreenshot(tab, "route-again-order-confirm");

    // WHEN the merchant cancels with Escape, THEN nothing was routed, the work stays at the Studio,
    // and focus is back on Route again, where the keyboard left off
    await tab.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await eventually(() => hasFocus(routeAgain)).toBe(true);
    await workerSettled(db);
    expect(await db.decision.count({ where: { orderId: onItsPage.orderId } })).toBe(
      decisionsBefore,
    );
    expect(await openWorkAt(stack, onItsPage.orderId)).toEqual(["Studio"]);

    // WHEN the merchant chooses Route again once more and confirms
    await tab.keyboard.press("Enter");
    await dialog.getByRole("button", { name: english("bulkAction.reroute") }).click();

    // THEN the toast says what came of it, the dialog is gone, and the page shows the new decision:
    // the trace says the repair no longer holds and the print is at Partner Lab again
    await toast(
      tab,
      commandSaid(
        "routedAgain_one",
        "routedAgain_other",
        "routedAgainNothing",
        "routedAgainAttention",
        "routedAgainAttentionBecause",
      ),
    ).waitFor({ timeout: 30_000 });
    await dialog.waitFor({ state: "hidden" });
    await tab.getByText(repairHandedBack).waitFor();
    // AND the trace tells one story: the move back to Partner Lab, and the print there because of it
    await tab.getByText(movedThere).waitFor();
    expect(await routedAgain(db, onItsPage.orderId)).toBe(1);
    await workerSettled(db);
    expect(await openWorkAt(stack, onItsPage.orderId)).toEqual(["Partner Lab"]);
    await keepScreenshot(tab, "route-again-order-routed");

    // AND with no repair holding its work any more, Route again runs at once, without asking
    await routeAgain.click();
    await eventually(() => routedAgain(db, onItsPage.orderId)).toBe(2);
    expect(await dialog.count()).toBe(0);
  });
});
