// A merchant sets up Settings, capability profiles and exports the decision log against the demo
// (full simulator, built app, embedded worker): mistakes answered beside their fields with nothing
// saved, saves confirmed by toasts, and a CSV download named after its date range.
import { mkdirSync, readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { createDb, type Db } from "../../app/db/client.server.ts";
import { GATE_HOLD_HANDLE } from "../../app/routing/holds.ts";
import { launchBrowser, watchForErrors, type Browser } from "./support/browser.ts";
import {
  fieldError,
  openScreen,
  saveBar,
  startConfigStack,
  toast,
  waitFor,
  type ConfigStack,
} from "./support/config-stack.ts";

const ARTIFACTS = "tests/e2e/artifacts";

let stack: ConfigStack;
let browser: Browser;
let db: Db;
let page: Page | undefined;
let problems: string[] = [];

beforeAll(async () => {
  stack = await startConfigStack();
  browser = await launchBrowser();
  db = createDb(stack.databaseUrl);
  mkdirSync(ARTIFACTS, { recursive: true });
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
  // Any console error or uncaught exception in the page fails the test that caused it.
  const seen = problems.splice(0);
  await page?.close();
  page = undefined;
  if (context.task.result?.state === "fail" || seen.length > 0)
    console.log(`App server output:\n${stack.app.output()}`);
  expect(seen, "the browser reported errors").toEqual([]);
});

/**
 * Chromium logs every 4xx answer to fetch as a console error. A 422 on `path` is the answer these
 * tests provoke on purpose (an invalid field); any other error still fails the test.
 */
function allowExpected422(path: string) {
  problems.splice(
    0,
    problems.length,
    ...problems.filter((p) => !(p.includes("status of 422") && p.includes(path))),
  );
}

/** Focuses a control and presses a key on it, as a keyboard user does. */
async function press(control: Locator, key: string) {
  await control.focus();
  await control.press(key);
}

describe("settings", () => {
  it("shows a wrong delay beside its field, saves nothing, then saves the merchant's choices", async () => {
    const tab = await newPage();
    await openScreen(tab, stack, "/app/settings", "Settings");

    // WHEN the merchant switches to automatic, holds downloads for review and types a bad delay
    // (from the keyboard: every choice is reachable without a mouse)
    await press(tab.getByRole("radio", { name: "Fulfill automatically" }), "Space");
    await press(tab.getByRole("radio", { name: "Hold them for my review" }), "Space");
    await press(
      tab.getByRole("radio", { name: "When I approve it, or the fulfillment service accepts it" }),
      "Space",
    );
    await press(
      tab.getByRole("checkbox", { name: "Notify customers when their order ships" }),
      "Space",
    );
    const delay = tab.getByLabel("Release reviews by themselves after (minutes)");
    await delay.fill("soon");
    const retention = tab.getByLabel("Keep webhook data and finished jobs for (days)");
    await retention.fill("0");
    await expect.poll(() => saveBar(tab).isVisible()).toBe(true);
    const answer = tab.waitForResponse(
      (r) =>
        r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/app/settings"),
    );
    await saveBar(tab).getByRole("button", { name: "Save" }).click();

    // THEN 422, the message beside the field, and the shop's settings untouched
    expect((await answer).status()).toBe(422);
    await expect.poll(() => fieldError(delay)).toBe("Enter a number");
    await expect
      .poll(() => fieldError(retention))
      .toBe("Enter a whole number of days from 1 to 365");
    expect(await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).toMatchObject({
      defaultMode: "manual",
      digitalDownloads: "automatic",
    });
    await tab.screenshot({ path: `${ARTIFACTS}/config-settings-invalid.png`, fullPage: true });

    // WHEN it is corrected and saved from the keyboard
    await delay.fill("120");
    await retention.fill("14");
    await tab.locator(".Polaris-PageActions").getByRole("button", { name: "Save" }).focus();
    await tab.keyboard.press("Enter");

    // THEN the toast confirms and the engine's settings are what the merchant chose
    await expect.poll(() => toast(tab, "Settings saved").count()).toBe(1);
    await expect.poll(() => saveBar(tab).count()).toBe(0);
    expect(await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).toMatchObject({
      defaultMode: "automatic",
      capturePolicy: "on_approval",
      notifyCustomer: false,
      autoReleaseAfterMinutes: 120,
      digitalDownloads: "review",
      retentionDays: 14,
    });
    allowExpected422("/app/settings");

    // AND "Discard" puts back what is saved
    await tab.getByText("Leave it for me to fulfill (manual)").click();
    await saveBar(tab).getByRole("button", { name: "Discard" }).click();
    expect(await tab.getByRole("radio", { name: "Fulfill automatically" }).isChecked()).toBe(true);
    await tab.screenshot({ path: `${ARTIFACTS}/config-settings-saved.png`, fullPage: true });
  });
});

describe("release gate", () => {
  /** A print Shopify routes to Partner Lab (the Studio has none of Lustre A3), once decided. */
  async function decidedLabOrder(): Promise<string> {
    const order = await stack.control<{ orderId: string; fulfillmentOrderIds: string[] }>(
      "POST",
      "/_sim/orders",
      {
        shop: stack.shop,
        order: { lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }], payment: "paid" },
      },
    );
    await waitFor(
      "the app to decide on the lab order",
      () =>
        db.decision.findFirst({
          where: { orderId: order.orderId, status: { in: ["applied", "needs_attention"] } },
        }),
      (row) => row !== null,
      90_000,
    );
    return order.fulfillmentOrderIds[0]!;
  }

  /** Handles of the holds Shopify reported added on one fulfillment order. */
  async function holdsAdded(fulfillmentOrderId: string): Promise<string[]> {
    const log = await stack.control<{
      deliveries: {
        payload: { fulfillment_order: { id: string }; fulfillment_hold: { handle: string } };
      }[];
    }>("GET", `/_sim/webhooks?shop=${stack.shop}&topic=fulfillment_holds/added`);
    return log.deliveries
      .filter((d) => d.payload.fulfillment_order.id === fulfillmentOrderId)
      .map((d) => d.payload.fulfillment_hold.handle);
  }

  it("switched off in Fulfillment services and saved, stays off after a reload and lets a lab's work through unheld", async () => {
    // GIVEN the gate as every shop starts: on, so a lab's work is held until the rules decide
    const gated = await decidedLabOrder();
    await expect.poll(() => holdsAdded(gated)).toContain(GATE_HOLD_HANDLE);

    const tab = await newPage();
    await openScreen(tab, stack, "/app/settings", "Settings");
    const gate = tab.getByRole("checkbox", {
      name: "Hold work for a fulfillment service until your rules decide",
    });
    expect(await gate.isChecked()).toBe(true);

    // WHEN the merchant switches it off and saves
    await press(gate, "Space");
    await expect.poll(() => saveBar(tab).isVisible()).toBe(true);
    await saveBar(tab).getByRole("button", { name: "Save" }).click();

    // THEN it is saved as the shop's choice, and the screen shows it off after a reload
    await expect.poll(() => toast(tab, "Settings saved").count()).toBe(1);
    await expect
      .poll(
        async () => (await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).releaseGate,
      )
      .toBe(false);
    await openScreen(tab, stack, "/app/settings", "Settings");
    expect(
      await tab
        .getByRole("checkbox", {
          name: "Hold work for a fulfillment service until your rules decide",
        })
        .isChecked(),
    ).toBe(false);
    await tab.screenshot({
      path: `${ARTIFACTS}/config-settings-release-gate-off.png`,
      fullPage: true,
    });

    // AND the next lab order is decided without the app's gate hold ever being placed on it
    const ungated = await decidedLabOrder();
    expect(await holdsAdded(ungated)).not.toContain(GATE_HOLD_HANDLE);
  });
});

describe("capabilities", () => {
  it("shows each location of the shop, answers a missing option value beside it, then saves the profile", async () => {
    const tab = await newPage();
    await openScreen(tab, stack, "/app/capabilities", "Capabilities");
    const studio = tab.getByRole("region", { name: "Studio" });
    await expect.poll(() => studio.isVisible()).toBe(true);

    // WHEN the merchant says the studio prints, lists what it makes and forgets one option's values
    await studio.getByText("Studio produces orders").click();
    await studio.getByLabel("Product types it makes").fill("Print, Canvas");
    await studio.getByRole("button", { name: "Add an option to Studio" }).click();
    await studio
      .getByRole("group", { name: "Studio option 1" })
      .getByLabel("Option name")
      .fill("Paper");
    await studio
      .getByRole("group", { name: "Studio option 1" })
      .getByLabel("Values it can do")
      .fill("Lustre, Matte");
    await studio.getByRole("button", { name: "Add an option to Studio" }).click();
    const size = studio.getByRole("group", { name: "Studio option 2" });
    await size.getByLabel("Option name").fill("Size");
    await saveBar(tab).getByRole("button", { name: "Save" }).click();

    // THEN the message sits beside the empty values, and nothing is stored
    await expect
      .poll(() => fieldError(size.getByLabel("Values it can do")))
      .toBe("Enter the values this location can do, separated by commas");
    expect(await db.capabilityProfile.count()).toBe(0);
    await tab.screenshot({ path: `${ARTIFACTS}/config-capabilities-invalid.png`, fullPage: true });

    // WHEN the values are filled in and saved
    await size.getByLabel("Values it can do").fill("A4, A3");
    await saveBar(tab).getByRole("button", { name: "Save" }).click();

    // THEN the profile is stored as the engine reads it
    await expect.poll(() => toast(tab, "Capabilities saved").count()).toBe(1);
    const profile = await db.capabilityProfile.findFirstOrThrow({ where: { shop: stack.shop } });
    expect(profile).toMatchObject({ name: "Studio", kind: "in_house" });
    expect(profile.locationId).toMatch(/^gid:\/\/shopify\/Location\//);
    expect(JSON.parse(profile.productTypes)).toEqual(["Print", "Canvas"]);
    expect(JSON.parse(profile.options)).toEqual({ Paper: ["Lustre", "Matte"], Size: ["A4", "A3"] });
    allowExpected422("/app/capabilities");

    // AND after a reload the screen shows what was saved
    await openScreen(tab, stack, "/app/capabilities", "Capabilities");
    expect(
      await tab
        .getByRole("region", { name: "Studio" })
        .getByLabel("Product types it makes")
        .inputValue(),
    ).toBe("Print, Canvas");
    await tab.screenshot({ path: `${ARTIFACTS}/config-capabilities-saved.png`, fullPage: true });
  });
});

describe("decision log export", () => {
  it("downloads the decisions of a date range as CSV, and says what is wrong with a range", async () => {
    // GIVEN a decided order: a download, sent by itself
    await db.shop.update({ where: { shop: stack.shop }, data: { digitalDownloads: "automatic" } });
    const order = await stack.control<{ orderId: string; name: string }>("POST", "/_sim/orders", {
      shop: stack.shop,
      order: { lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }], payment: "paid" },
    });
    await waitFor(
      "the app to decide on the order",
      () =>
        db.decision.findFirst({
          where: { orderId: order.orderId, status: { in: ["applied", "needs_attention"] } },
        }),
      (row) => row !== null,
      90_000,
    );
    const today = new Date().toISOString().slice(0, 10);

    const tab = await newPage();
    await openScreen(tab, stack, "/app/export", "Export decisions");

    // WHEN the range is backwards, THEN the message sits beside the end date and nothing downloads
    await tab.getByLabel("From").fill(today);
    await tab.getByLabel("To").fill("2020-01-01");
    await tab.getByRole("button", { name: "Download CSV" }).click();
    await expect
      .poll(() => fieldError(tab.getByLabel("To")))
      .toBe("The end date is before the start date");
    allowExpected422("/app/export/decisions.csv");

    // WHEN today is chosen and downloaded
    await tab.getByLabel("To").fill(today);
    const download = tab.waitForEvent("download");
    await tab.getByRole("button", { name: "Download CSV" }).click();
    const file = await download;

    // THEN the file is named after the range and holds the order's decision and steps
    expect(file.suggestedFilename()).toBe(`decisions-${today}.csv`);
    const csv = readFileSync((await file.path())!, "utf8");
    expect(
      csv.startsWith(
        "\uFEFFTime (UTC),Order,Order ID,Trigger,Decision status,Explanation,Step,Step kind",
      ),
    ).toBe(true);
    const line = csv.split("\r\n").find((row) => row.includes(order.orderId));
    expect(line).toContain(order.name);
    expect(line).toContain("fulfillmentCreate");
    await expect.poll(() => toast(tab, "Decision log downloaded").count()).toBe(1);
    await tab.screenshot({ path: `${ARTIFACTS}/config-export.png`, fullPage: true });
  });
});
