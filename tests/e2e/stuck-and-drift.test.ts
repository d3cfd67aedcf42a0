// A merchant works the Stuck and Drift screens against the demo (full simulator, built app,
// embedded worker): requests Partner Lab rejected with nothing to follow them, re-routed one by
// one and in bulk with the per-order report; a print the lab says it shipped while Shopify shows
// it unfulfilled, recorded, found and repaired with the lab's tracking.
import type { Page } from "playwright-core";
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  openApp,
  unnamedControls,
  waitFor,
  workerSettled,
  type Stack,
} from "./support/harness.ts";
import { seedLabRule } from "./support/review-fixtures.ts";

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

test.describe("the Stuck view", () => {
  test("shows each rejected request with its lab and evidence, and re-routes one in one click", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app/stuck", "Stuck and drift");
    await tab.getByRole("button", { name: "Check now" }).click();
    await tab.getByText("3 stuck, 0 drifted.").waitFor();
    await eventually(() => rows(tab).count()).toBe(3);
    expect(await tab.getByRole("tab", { name: "Stuck (3)" }).isVisible()).toBe(true);
    expect(await unnamedControls(tab)).toEqual([]);

    const first = row(tab, rejected[0]!.name);
    expect(await first.textContent()).toContain("Partner Lab");
    expect(await first.textContent()).toContain("Partner Lab rejected the request");
    expect(await first.textContent()).toContain(
      "Request rejected, the fulfillment order is still at Partner Lab",
    );
    await keepScreenshot(tab, "stuck-view");

    // One click: the work leaves the lab for the Studio (the default the row offers).
    expect(
      await first.getByRole("combobox", { name: `Re-route ${rejected[0]!.name} to` }).inputValue(),
    ).not.toBe("");
    await first.getByRole("button", { name: `Re-route ${rejected[0]!.name}` }).click();
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
    await openApp(tab, stack, "/app/stuck", "Stuck and drift");
    await eventually(() => rows(tab).count()).toBe(2);
    for (const index of [0, 1]) await rows(tab).nth(index).getByRole("checkbox").check();
    await tab.getByRole("button", { name: "Repair selected" }).click();
    await tab.waitForURL((u) => u.pathname.startsWith("/app/bulk/"));
    await tab.getByRole("heading", { name: "Repair: 2 items", level: 1 }).waitFor();
    await tab.getByText("All 2 succeeded").waitFor({ timeout: 120_000 });
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
    await openApp(tab, stack, "/app/stuck?view=drift", "Stuck and drift");
    expect(await tab.getByText("No drift").isVisible()).toBe(true);

    // The lab e-mailed: shipped with DHL. The merchant records it.
    await tab.getByRole("textbox", { name: "Order (e.g. #1001)" }).fill(shipped.name);
    await tab.getByRole("combobox", { name: "The lab says" }).selectOption("shipped");
    await tab.getByRole("textbox", { name: "Carrier" }).fill("DHL");
    await tab.getByRole("textbox", { name: "Tracking number" }).fill("00340434");
    await tab.getByRole("button", { name: "Record" }).click();
    await tab.getByText("Recorded. The next check compares it with Shopify.").waitFor();

    await tab.getByRole("button", { name: "Check now" }).click();
    await tab.getByText(/1 drifted\./).waitFor();
    await eventually(() => rows(tab).count()).toBe(1);
    const drift = row(tab, shipped.name);
    expect(await drift.textContent()).toContain("shipped 1 × Fine Art Print with tracking DHL");
    expect(await drift.textContent()).toContain("0 fulfilled, 1 unfulfilled");
    await keepScreenshot(tab, "drift-view");

    // Partner Lab owns the work: the repair asks for it back first and waits for the lab.
    await drift.getByRole("button", { name: `Repair ${shipped.name}` }).click();
    await eventually(() => drift.getByText("Waiting for the lab").count()).toBe(1);
    expect((await stack.orderState<SimOrder>(shipped.orderId)).fulfillments).toHaveLength(0);

    await lab(stack, shipped.foId, "accept-cancellation");
    // The next check carries the waiting repair on: move, then fulfil with DHL's number.
    await tab.getByRole("button", { name: "Check now" }).click();
    await eventually(() => rows(tab).count()).toBe(0);
    const state = await stack.orderState<SimOrder>(shipped.orderId);
    expect(state.fulfillments).toHaveLength(1);
    expect(state.fulfillments[0]!.tracking).toMatchObject([{ company: "DHL", number: "00340434" }]);
    await keepScreenshot(tab, "drift-repaired");
  });
});
