// A merchant works the Stuck and Drift screens against the demo (full simulator, built app,
// embedded worker): requests Partner Lab rejected with nothing to follow them, re-routed one by
// one and in bulk with the per-order report; a print the lab says it shipped while Shopify shows
// it unfulfilled, recorded, found and repaired with the lab's tracking.
import { mkdirSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createDb, type Db } from "../../app/db/client.server.ts";
import { launchBrowser, watchForErrors, type Browser } from "./support/browser.ts";
import { startFullStack, type FullStack } from "./support/full-stack.ts";
import { openApp, unnamedControls, waitFor } from "./support/review-fixtures.ts";

const ARTIFACTS = "tests/e2e/artifacts";

let stack: FullStack;
let browser: Browser;
let db: Db;
let page: Page | undefined;
let problems: string[] = [];

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

const orderState = (orderId: string) =>
  stack.control<SimOrder>("GET", `/_sim/orders/${encodeURIComponent(orderId)}`);

/** Partner Lab answers, as the fulfilment service app that owns its location. */
const lab = (foId: string, action: string, body: Record<string, unknown> = {}) =>
  stack.control("POST", `/_sim/fulfillment-orders/${encodeURIComponent(foId)}/service-response`, {
    action,
    ...body,
  });

/** The app's background work (routing, the lab's answers) has settled. */
const settled = () =>
  waitFor(
    "the worker to finish",
    async () =>
      db.job.count({
        where: { status: { in: ["queued", "running"] }, queue: { not: "drift-scan" } },
      }),
    (busy) => busy === 0,
  );

/**
 * A Fine Art Print the Studio has none of: Shopify routes it to Partner Lab and the rule asks
 * the lab for it. Returns once the request is submitted.
 */
async function labOrder(email: string) {
  const placed = await stack.createOrder({
    payment: "paid",
    email,
    lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
  });
  const state = await waitFor(
    `the request for ${placed.name}`,
    () => orderState(placed.orderId),
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

beforeAll(async () => {
  stack = await startFullStack();
  browser = await launchBrowser();
  db = createDb(stack.databaseUrl);
  mkdirSync(ARTIFACTS, { recursive: true });
  // "Lab prints go to Partner Lab": ask the lab, with no fallback when it says no.
  await db.rule.create({
    data: {
      shop: stack.shop,
      name: "Lab prints",
      position: 0,
      enabled: true,
      conditions: JSON.stringify({
        match: "all",
        lines: "any",
        keepChecking: false,
        conditions: [{ field: "sku", operator: "equals", value: "PRINT-LUSTRE-A3" }],
      }),
      actions: JSON.stringify([{ type: "submit_fulfilment_request", notifyCustomer: false }]),
    },
  });

  // The merchant opens the app once: token exchange stores the offline session the worker uses.
  const first = await newPage();
  await openApp(first, stack, "/app", "Fulfilment Router");
  await first.close();
  page = undefined;
  expect(problems.splice(0)).toEqual([]);

  rejected = [
    await labOrder("ada@example.com"),
    await labOrder("ben@example.com"),
    await labOrder("cem@example.com"),
  ];
  shipped = await labOrder("dora@example.com");
  for (const r of rejected) await lab(r.foId, "reject", { message: "Out of lustre paper" });
  await lab(shipped.foId, "accept");
  await settled();
});

afterAll(async () => {
  await db?.$disconnect();
  await browser?.close();
  await stack?.stop();
});

async function newPage(): Promise<Page> {
  page = await browser.context.newPage();
  problems = watchForErrors(page);
  return page;
}

afterEach(async (context) => {
  const seen = problems.splice(0);
  await page?.close();
  page = undefined;
  if (context.task.result?.state === "fail" || seen.length > 0) {
    console.log(`App server output:\n${stack.app.output()}`);
  }
  expect(seen, "the browser reported errors").toEqual([]);
});

const rows = (tab: Page) => tab.locator("tbody tr");
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });
const row = (tab: Page, name: string) => rows(tab).filter({ hasText: name });

describe("the Stuck view", () => {
  it("shows each rejected request with its lab and evidence, and re-routes one in one click", async () => {
    const tab = await newPage();
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
    await tab.screenshot({ path: `${ARTIFACTS}/stuck-view.png`, fullPage: true });

    // One click: the work leaves the lab for the Studio (the default the row offers).
    expect(
      await first.getByRole("combobox", { name: `Re-route ${rejected[0]!.name} to` }).inputValue(),
    ).not.toBe("");
    await first.getByRole("button", { name: `Re-route ${rejected[0]!.name}` }).click();
    await eventually(() => rows(tab).count()).toBe(2);
    const state = await orderState(rejected[0]!.orderId);
    expect(
      state.fulfillmentOrders.filter((f) => f.status === "OPEN").map((f) => f.location.name),
    ).toEqual(["Studio"]);
    const finding = await db.finding.findFirstOrThrow({
      where: { fulfillmentOrderId: rejected[0]!.foId, kind: "rejected_no_fallback" },
    });
    expect(finding.status).toBe("repaired");
    const decision = await db.decision.findUniqueOrThrow({ where: { id: finding.decisionId! } });
    expect(decision.trigger).toBe("repair");
    await tab.screenshot({ path: `${ARTIFACTS}/stuck-rerouted.png`, fullPage: true });
  });

  it("re-routes the rest in bulk and reports each order", async () => {
    const tab = await newPage();
    await openApp(tab, stack, "/app/stuck", "Stuck and drift");
    await eventually(() => rows(tab).count()).toBe(2);
    for (const index of [0, 1]) await rows(tab).nth(index).getByRole("checkbox").check();
    await tab.getByRole("button", { name: "Repair selected" }).click();
    await tab.waitForURL((u) => u.pathname.startsWith("/app/bulk/"));
    await tab.getByRole("heading", { name: "Repair: 2 items", level: 1 }).waitFor();
    await tab.getByText("All 2 succeeded").waitFor({ timeout: 120_000 });
    for (const r of rejected.slice(1))
      expect(await tab.getByText(r.name).count()).toBeGreaterThan(0);
    await tab.screenshot({ path: `${ARTIFACTS}/stuck-bulk-report.png`, fullPage: true });
    for (const r of rejected.slice(1)) {
      const state = await orderState(r.orderId);
      expect(
        state.fulfillmentOrders.filter((f) => f.status === "OPEN").map((f) => f.location.name),
      ).toEqual(["Studio"]);
    }
  });
});

describe("the Drift view", () => {
  it("records that the lab shipped, finds Shopify unfulfilled, and repairs it with the lab's tracking", async () => {
    const tab = await newPage();
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
    await tab.screenshot({ path: `${ARTIFACTS}/drift-view.png`, fullPage: true });

    // Partner Lab owns the work: the repair asks for it back first and waits for the lab.
    await drift.getByRole("button", { name: `Repair ${shipped.name}` }).click();
    await eventually(() => drift.getByText("Waiting for the lab").count()).toBe(1);
    expect((await orderState(shipped.orderId)).fulfillments).toHaveLength(0);

    await lab(shipped.foId, "accept-cancellation");
    // The next check carries the waiting repair on: move, then fulfil with DHL's number.
    await tab.getByRole("button", { name: "Check now" }).click();
    await eventually(() => rows(tab).count()).toBe(0);
    const state = await orderState(shipped.orderId);
    expect(state.fulfillments).toHaveLength(1);
    expect(state.fulfillments[0]!.tracking).toMatchObject([{ company: "DHL", number: "00340434" }]);
    await tab.screenshot({ path: `${ARTIFACTS}/drift-repaired.png`, fullPage: true });
  });
});
