// A merchant sets up Settings, capability profiles and exports the decision log against the demo
// (full simulator, built app, embedded worker): mistakes answered beside their fields with nothing
// saved, saves confirmed by toasts, and a CSV download named after its date range.
import { readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { GATE_HOLD_HANDLE } from "../../app/routing/holds.ts";
import {
  appTest as test,
  expect,
  fieldError,
  installApp,
  keepScreenshot,
  openApp,
  saveBar,
  saveFromSaveBar,
  toast,
  waitFor,
  type Stack,
} from "./support/harness.ts";
import { english } from "./support/catalogue.ts";
import { openBeforeReact, reactStarted, tapWhileHydrating } from "./support/early-tap.ts";

/** Focuses a control and presses a key on it, as a keyboard user does. */
async function press(control: Locator, key: string) {
  await control.focus();
  await control.press(key);
}

test.describe("settings", () => {
  test("shows a wrong delay beside its field, saves nothing, then saves the merchant's choices", async ({
    stack,
    db,
    page: tab,
    browserErrors,
  }) => {
    await openApp(tab, stack, "/app/settings", english("nav.settings"));

    // WHEN the merchant switches to automatic, holds downloads for review and types a bad delay
    // (from the keyboard: every choice is reachable without a mouse)
    await press(tab.getByRole("radio", { name: english("settings.noRule.automatic") }), "Space");
    await press(
      tab.getByRole("radio", { name: english("settings.noRule.digitalReview") }),
      "Space",
    );
    await press(tab.getByRole("radio", { name: english("settings.payment.on_approval") }), "Space");
    await press(tab.getByRole("checkbox", { name: english("settings.customers.notify") }), "Space");
    const delay = tab.getByLabel(english("settings.customers.autoRelease"));
    await delay.fill("soon");
    const retention = tab.getByLabel(english("hardening.retention.days"));
    await retention.fill("0");
    await expect.poll(() => saveBar(tab).isVisible()).toBe(true);
    const answer = await saveFromSaveBar(tab, "/app/settings");

    // THEN 422, the message beside the field, and the shop's settings untouched
    expect(answer.status()).toBe(422);
    await expect.poll(() => fieldError(delay)).toBe(english("fieldErrors.type.number"));
    await expect
      .poll(() => fieldError(retention))
      .toBe(english("hardening.retention.invalid", { min: 1, max: 365 }));
    expect(await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).toMatchObject({
      defaultMode: "manual",
      digitalDownloads: "automatic",
    });
    await keepScreenshot(tab, "config-settings-invalid");

    // WHEN it is corrected and saved from the keyboard
    await delay.fill("120");
    await retention.fill("14");
    await tab
      .locator(".Polaris-PageActions")
      .getByRole("button", { name: english("common.save") })
      .focus();
    await tab.keyboard.press("Enter");

    // THEN the toast confirms and the engine's settings are what the merchant chose
    await expect.poll(() => toast(tab, english("settings.saved")).count()).toBe(1);
    await expect.poll(() => saveBar(tab).count()).toBe(0);
    expect(await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).toMatchObject({
      defaultMode: "automatic",
      capturePolicy: "on_approval",
      notifyCustomer: false,
      autoReleaseAfterMinutes: 120,
      digitalDownloads: "review",
      retentionDays: 14,
    });
    browserErrors.allowStatus(422, "/app/settings");

    // AND "Discard" puts back what is saved
    await tab.getByText(english("settings.noRule.manual")).click();
    await saveBar(tab)
      .getByRole("button", { name: english("common.discard") })
      .click();
    expect(
      await tab.getByRole("radio", { name: english("settings.noRule.automatic") }).isChecked(),
    ).toBe(true);
    await keepScreenshot(tab, "config-settings-saved");
  });
});

/**
 * Whether the save bar `id` kept the props it drew with when `remember` was last true: React keeps
 * a memoised component's props object when it skips drawing it again, and gives it new props each
 * time it draws it. Read from the current fiber tree of the hydrated document.
 */
function saveBarKeptItsProps(tab: Page, id: string, remember: boolean): Promise<boolean> {
  return tab.evaluate(
    ([id, remember]) => {
      type Fiber = { memoizedProps?: Record<string, unknown>; child?: Fiber; sibling?: Fiber };
      const page = document as unknown as Record<string, { stateNode: { current: Fiber } }>;
      const key = Object.keys(document).find((k) => k.startsWith("__reactContainer$"))!;
      const stack: Fiber[] = [page[key]!.stateNode.current];
      let found: Record<string, unknown> | undefined;
      while (stack.length > 0 && !found) {
        const fiber = stack.pop()!;
        const props = fiber.memoizedProps;
        if (props?.id === id && typeof props.onSave === "function") found = props;
        if (fiber.sibling) stack.push(fiber.sibling);
        if (fiber.child) stack.push(fiber.child);
      }
      if (!found) throw new Error(`No save bar ${id} on the page`);
      const seen = window as unknown as { saveBarProps?: unknown };
      if (remember) seen.saveBarProps = found;
      return seen.saveBarProps === found;
    },
    [id, remember] as const,
  );
}

test.describe("the save bar", () => {
  test("is not drawn again at each keystroke, only when it opens, and still saves and discards", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app/settings", english("nav.settings"));
    const delay = tab.getByLabel(english("settings.customers.autoRelease"));
    // What an earlier test of this file saved, if it did.
    const saved = await delay.inputValue();
    await delay.fill("");
    await delay.pressSequentially("9");
    await expect.poll(() => saveBar(tab).isVisible()).toBe(true);
    expect(await saveBarKeptItsProps(tab, "settings-save-bar", true)).toBe(true);

    // WHEN the merchant types on in the same field
    await delay.pressSequentially("87");
    await expect.poll(() => delay.inputValue()).toBe("987");

    // THEN the save bar was not drawn again, and still discards and saves what was typed
    expect(await saveBarKeptItsProps(tab, "settings-save-bar", false)).toBe(true);
    await saveBar(tab)
      .getByRole("button", { name: english("common.discard") })
      .click();
    await expect.poll(() => delay.inputValue()).toBe(saved);
    const minutes = saved === "45" ? "46" : "45";
    await delay.fill(minutes);
    const answer = await saveFromSaveBar(tab, "/app/settings");
    expect(answer.status()).toBe(200);
    await expect.poll(() => toast(tab, english("settings.saved")).count()).toBe(1);
    expect(
      (await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).autoReleaseAfterMinutes,
    ).toBe(Number(minutes));
  });
});

test.describe("a tap while the page hydrates", () => {
  test("ticks Notify customers, opens the save bar and is saved, the cards hydrating on their own", async ({
    stack,
    db,
    browser,
    page: tab,
  }) => {
    // GIVEN the app installed (its first visit makes the shop's settings: this test must not lean
    // on an earlier one having signed in), in a tab of its own so that this one loads cold
    await installApp(browser, stack);
    const before = (await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } }))
      .notifyCustomer;
    const notify = tab.getByRole("checkbox", { name: english("settings.customers.notify") });

    // WHEN the merchant ticks the box the moment it shows: while the page around the cards
    // hydrates (the tap waits for it), while the cards do (React hydrates this one in the tap),
    // or once they have
    const phase = await tapWhileHydrating(tab, stack.openUrl("/app/settings"), notify, [
      "hydrating",
      "hydrated",
    ]);

    // THEN the tap (made after React started: before, React never sees it) counts: ticked, the
    // save bar open
    expect(phase).not.toBe("before-react");
    await expect.poll(() => notify.isChecked()).toBe(!before);
    await expect.poll(() => saveBar(tab).isVisible()).toBe(true);
    // The other cards answer as before (they hydrated after the tap).
    const delay = tab.getByLabel(english("settings.customers.autoRelease"));
    await delay.fill("33");
    const answer = await saveFromSaveBar(tab, "/app/settings");
    expect(answer.status()).toBe(200);
    await expect.poll(() => toast(tab, english("settings.saved")).count()).toBe(1);
    expect(await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).toMatchObject({
      notifyCustomer: !before,
      autoReleaseAfterMinutes: 33,
    });
  });

  test("the cards the server drew are the ones React hydrates, none drawn again on the client", async ({
    stack,
    newPage,
  }) => {
    // Several loads, each in a tab of its own: whether React threw the cards away depended on
    // timing, most often on a tab's first load (its scripts not compiled yet).
    for (let load = 0; load < 12; load++) {
      // GIVEN a slow device (the CPU slowed 4x, nothing cached), where Polaris's AppProvider,
      // above the cards, changes what it provides in its first effect while React hydrates them
      const tab = await newPage();
      const notify = tab.getByRole("checkbox", { name: english("settings.customers.notify") });
      const retention = tab.getByLabel(english("hardening.retention.days"));
      const cdp = await tab.context().newCDPSession(tab);
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      await tab.goto(stack.openUrl("/app/settings"), { waitUntil: "commit", timeout: 90_000 });
      await notify.waitFor({ state: "visible", timeout: 90_000 });
      // The box tapped, and a field of another card, as the server drew them
      const served = [await notify.elementHandle(), await retention.elementHandle()];

      // WHEN the merchant ticks the box the moment it shows and the page hydrates
      await notify.click({ timeout: 90_000 });
      await expect.poll(() => saveBar(tab).isVisible(), { timeout: 90_000 }).toBe(true);
      const settled = (node: Node) =>
        !node.isConnected || Object.keys(node).some((key) => key.startsWith("__reactFiber$"));
      for (const field of served)
        await expect.poll(() => field.evaluate(settled), { timeout: 90_000 }).toBe(true);

      // THEN both are still the page's, hydrated (a card thrown away and drawn again loses what
      // was typed in it, and React reports it, which fails the test as well)
      for (const field of served)
        expect(await field.evaluate((node) => node.isConnected)).toBe(true);
      await cdp.detach();
      await tab.close();
    }
  });
});

test.describe("a tap before React has started", () => {
  test("a box ticked, a choice made, a delay and remake reasons typed before the page's scripts ran open the save bar once React starts and are saved", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN the app installed (its first visit), opened again
    await openApp(tab, stack, "/app/settings", english("nav.settings"));
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } });
    const before = shop.notifyCustomer;
    const mode = shop.defaultMode === "manual" ? "automatic" : "manual";
    const notify = tab.getByRole("checkbox", { name: english("settings.customers.notify") });
    const choice = tab.getByRole("radio", { name: english(`settings.noRule.${mode}`) });
    const delay = tab.getByLabel(english("settings.customers.autoRelease"));
    const reasons = tab.getByRole("textbox", { name: english("afterSales.remake.reasons") });
    // The page's modules wait until the merchant has ticked and typed: React has not started.
    const release = await openBeforeReact(tab, stack.openUrl("/app/settings"), notify);

    // WHEN the merchant ticks Notify customers, chooses the other mode, types a delay and the
    // shop's remake reasons (a multiline field) on the server-rendered page
    await notify.click();
    await tab.getByText(english(`settings.noRule.${mode}`), { exact: true }).click();
    await delay.fill("27");
    await reasons.fill("Smudged print\nWrong crop");
    expect(await reactStarted(tab)).toBe(false);
    expect(await notify.isChecked()).toBe(!before);
    expect(await choice.isChecked()).toBe(true);
    release();

    // THEN once React has started the form knows it: the save bar opens, the reasons as typed
    // (React put the field's text back while hydrating), and the save has all four
    await expect.poll(() => saveBar(tab).isVisible(), { timeout: 90_000 }).toBe(true);
    expect(await notify.isChecked()).toBe(!before);
    expect(await choice.isChecked()).toBe(true);
    expect(await delay.inputValue()).toBe("27");
    await expect.poll(() => reasons.inputValue()).toBe("Smudged print\nWrong crop");
    const answer = await saveFromSaveBar(tab, "/app/settings");
    expect(answer.status()).toBe(200);
    await expect.poll(() => toast(tab, english("settings.saved")).count()).toBe(1);
    expect(await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).toMatchObject({
      notifyCustomer: !before,
      defaultMode: mode,
      autoReleaseAfterMinutes: 27,
      remakeReasons: JSON.stringify(["Smudged print", "Wrong crop"]),
    });
  });
});

test.describe("release gate", () => {
  /** A print Shopify routes to Partner Lab (the Studio has none of Lustre A3), once decided. */
  async function decidedLabOrder(stack: Stack): Promise<string> {
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
        stack.db.decision.findFirst({
          where: { orderId: order.orderId, status: { in: ["applied", "needs_attention"] } },
        }),
      (row) => row !== null,
      90_000,
    );
    return order.fulfillmentOrderIds[0]!;
  }

  /** Handles of the holds Shopify reported added on one fulfillment order. */
  async function holdsAdded(stack: Stack, fulfillmentOrderId: string): Promise<string[]> {
    const log = await stack.control<{
      deliveries: {
        payload: { fulfillment_order: { id: string }; fulfillment_hold: { handle: string } };
      }[];
    }>("GET", `/_sim/webhooks?shop=${stack.shop}&topic=fulfillment_holds/added`);
    return log.deliveries
      .filter((d) => d.payload.fulfillment_order.id === fulfillmentOrderId)
      .map((d) => d.payload.fulfillment_hold.handle);
  }

  test("switched off in Fulfillment services and saved, stays off after a reload and lets a lab's work through unheld", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN the merchant has Settings open (its first load installs the shop's offline token,
    // which the worker needs to route: this test must not lean on an earlier one having signed
    // in) and the gate as every shop starts: on, so a lab's work is held until the rules decide
    await openApp(tab, stack, "/app/settings", english("nav.settings"));
    const gated = await decidedLabOrder(stack);
    await expect.poll(() => holdsAdded(stack, gated)).toContain(GATE_HOLD_HANDLE);

    const gate = tab.getByRole("checkbox", {
      name: english("settings.services.releaseGate"),
    });
    expect(await gate.isChecked()).toBe(true);

    // WHEN the merchant switches it off and saves
    await press(gate, "Space");
    await expect.poll(() => saveBar(tab).isVisible()).toBe(true);
    await saveBar(tab)
      .getByRole("button", { name: english("common.save") })
      .click();

    // THEN it is saved as the shop's choice, and the screen shows it off after a reload
    await expect.poll(() => toast(tab, english("settings.saved")).count()).toBe(1);
    await expect
      .poll(
        async () => (await db.shop.findUniqueOrThrow({ where: { shop: stack.shop } })).releaseGate,
      )
      .toBe(false);
    await openApp(tab, stack, "/app/settings", english("nav.settings"));
    expect(
      await tab
        .getByRole("checkbox", {
          name: english("settings.services.releaseGate"),
        })
        .isChecked(),
    ).toBe(false);
    await keepScreenshot(tab, "config-settings-release-gate-off");

    // AND the next lab order is decided without the app's gate hold ever being placed on it
    const ungated = await decidedLabOrder(stack);
    expect(await holdsAdded(stack, ungated)).not.toContain(GATE_HOLD_HANDLE);
  });
});

test.describe("capabilities", () => {
  test("shows each location of the shop, answers a missing option value beside it, then saves the profile", async ({
    stack,
    db,
    page: tab,
    browserErrors,
  }) => {
    await openApp(tab, stack, "/app/capabilities", english("nav.capabilities"));
    const studio = tab.getByRole("region", { name: "Studio" });
    await expect.poll(() => studio.isVisible()).toBe(true);

    // WHEN the merchant says the studio prints, lists what it makes and forgets one option's values
    await studio.getByText(english("capabilities.card.produces", { location: "Studio" })).click();
    await studio.getByLabel(english("capabilities.card.productTypes")).fill("Print, Canvas");
    await studio
      .getByRole("button", {
        name: english("capabilities.card.addOptionTo", { location: "Studio" }),
      })
      .click();
    await studio
      .getByRole("group", {
        name: english("capabilities.card.optionGroup", { location: "Studio", n: 1 }),
      })
      .getByLabel(english("capabilities.card.optionName"))
      .fill("Paper");
    await studio
      .getByRole("group", {
        name: english("capabilities.card.optionGroup", { location: "Studio", n: 1 }),
      })
      .getByLabel(english("capabilities.card.values"))
      .fill("Lustre, Matte");
    await studio
      .getByRole("button", {
        name: english("capabilities.card.addOptionTo", { location: "Studio" }),
      })
      .click();
    const size = studio.getByRole("group", {
      name: english("capabilities.card.optionGroup", { location: "Studio", n: 2 }),
    });
    await size.getByLabel(english("capabilities.card.optionName")).fill("Size");
    await saveBar(tab)
      .getByRole("button", { name: english("common.save") })
      .click();

    // THEN the message sits beside the empty values, and nothing is stored
    await expect
      .poll(() => fieldError(size.getByLabel(english("capabilities.card.values"))))
      .toBe(english("fieldErrors.optionValues"));
    expect(await db.capabilityProfile.count()).toBe(0);
    await keepScreenshot(tab, "config-capabilities-invalid");

    // WHEN the values are filled in and saved
    await size.getByLabel(english("capabilities.card.values")).fill("A4, A3");
    await saveBar(tab)
      .getByRole("button", { name: english("common.save") })
      .click();

    // THEN the profile is stored as the engine reads it
    await expect.poll(() => toast(tab, english("capabilities.saved")).count()).toBe(1);
    const profile = await db.capabilityProfile.findFirstOrThrow({ where: { shop: stack.shop } });
    expect(profile).toMatchObject({ name: "Studio", kind: "in_house" });
    expect(profile.locationId).toMatch(/^gid:\/\/shopify\/Location\//);
    expect(JSON.parse(profile.productTypes)).toEqual(["Print", "Canvas"]);
    expect(JSON.parse(profile.options)).toEqual({ Paper: ["Lustre", "Matte"], Size: ["A4", "A3"] });
    browserErrors.allowStatus(422, "/app/capabilities");

    // AND after a reload the screen shows what was saved
    await openApp(tab, stack, "/app/capabilities", english("nav.capabilities"));
    expect(
      await tab
        .getByRole("region", { name: "Studio" })
        .getByLabel(english("capabilities.card.productTypes"))
        .inputValue(),
    ).toBe("Print, Canvas");
    await keepScreenshot(tab, "config-capabilities-saved");
  });
});

test.describe("capabilities, ticked before React has started", () => {
  test("a location's Produces ticked before the page's scripts ran opens its fields and the save bar once React starts, and saves", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN the app installed (its first visit), Partner Lab not producing
    await openApp(tab, stack, "/app/capabilities", english("nav.capabilities"));
    const lab = tab.getByRole("region", { name: "Partner Lab" });
    const produces = lab.getByRole("checkbox", {
      name: english("capabilities.card.produces", { location: "Partner Lab" }),
    });
    expect(await produces.isChecked()).toBe(false);
    // The page's modules wait until the merchant has ticked: React has not started.
    const release = await openBeforeReact(tab, stack.openUrl("/app/capabilities"), produces);

    // WHEN the merchant ticks that Partner Lab produces on the server-rendered page
    await produces.click();
    expect(await reactStarted(tab)).toBe(false);
    release();

    // THEN once React has started the profile's fields and the save bar open, and it saves
    await expect.poll(() => saveBar(tab).isVisible(), { timeout: 90_000 }).toBe(true);
    const types = lab.getByLabel(english("capabilities.card.productTypes"));
    await expect.poll(() => types.isVisible()).toBe(true);
    expect(await produces.isChecked()).toBe(true);
    await types.fill("Canvas");
    const answer = await saveFromSaveBar(tab, "/app/capabilities");
    expect(answer.status()).toBe(200);
    await expect.poll(() => toast(tab, english("capabilities.saved")).count()).toBe(1);
    const profile = await db.capabilityProfile.findFirstOrThrow({
      where: { shop: stack.shop, name: "Partner Lab" },
    });
    expect(JSON.parse(profile.productTypes)).toEqual(["Canvas"]);
  });
  test("a profile's kind chosen and an option's values typed before the page's scripts ran are in the form once React starts, and saved", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN the Studio's profile: in-house, prints on lustre or matte paper
    await openApp(tab, stack, "/app/capabilities", english("nav.capabilities"));
    const studio = tab.getByRole("region", { name: "Studio" });
    const produces = await studio
      .getByRole("checkbox", {
        name: english("capabilities.card.produces", { location: "Studio" }),
      })
      .getAttribute("name");
    const locationId = (produces ?? "").replace(/^produces-/, "");
    await db.capabilityProfile.deleteMany({ where: { shop: stack.shop, locationId } });
    await db.capabilityProfile.create({
      data: {
        shop: stack.shop,
        locationId,
        name: "Studio",
        kind: "in_house",
        productTypes: JSON.stringify(["Print"]),
        options: JSON.stringify({ Paper: ["Lustre", "Matte"] }),
      },
    });
    const kind = studio.getByLabel(english("capabilities.card.kind"));
    const paper = studio
      .getByRole("group", {
        name: english("capabilities.card.optionGroup", { location: "Studio", n: 1 }),
      })
      .getByLabel(english("capabilities.card.values"));
    // The page's modules wait until the merchant has changed both: React has not started.
    const release = await openBeforeReact(tab, stack.openUrl("/app/capabilities"), kind);

    // WHEN the merchant, on the server-rendered page, makes the Studio a partner and adds
    // Metallic to its papers
    await kind.selectOption("partner");
    await paper.fill("Lustre, Matte, Metallic");
    expect(await reactStarted(tab)).toBe(false);
    release();

    // THEN once React has started the form has both: the save bar opens, and Save stores them
    await expect.poll(() => saveBar(tab).isVisible(), { timeout: 90_000 }).toBe(true);
    expect(await kind.inputValue()).toBe("partner");
    expect(await paper.inputValue()).toBe("Lustre, Matte, Metallic");
    const answer = await saveFromSaveBar(tab, "/app/capabilities");
    expect(answer.status()).toBe(200);
    const profile = await db.capabilityProfile.findFirstOrThrow({
      where: { shop: stack.shop, locationId },
    });
    expect(profile.kind).toBe("partner");
    expect(JSON.parse(profile.options)).toEqual({ Paper: ["Lustre", "Matte", "Metallic"] });
  });
});

test.describe("decision log export", () => {
  test("downloads the decisions of a date range as CSV, and says what is wrong with a range", async ({
    stack,
    db,
    newPage,
    browserErrors,
  }) => {
    // GIVEN the merchant has the export open (its first load installs the shop: this test must
    // not lean on an earlier one having signed in) and a decided order: a download, sent by itself
    const tab = await newPage();
    await openApp(tab, stack, "/app/export", english("export.title"));
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

    // WHEN the range is backwards, THEN the message sits beside the end date and nothing downloads
    await tab.getByLabel(english("export.from")).fill(today);
    await tab.getByLabel(english("export.to")).fill("2020-01-01");
    await tab.getByRole("button", { name: english("export.download") }).click();
    await expect
      .poll(() => fieldError(tab.getByLabel(english("export.to"))))
      .toBe(english("export.errors.endBeforeStart"));
    browserErrors.allowStatus(422, "/app/export/decisions.csv");

    // WHEN today is chosen and downloaded
    await tab.getByLabel(english("export.to")).fill(today);
    const download = tab.waitForEvent("download");
    await tab.getByRole("button", { name: english("export.download") }).click();
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
    await expect.poll(() => toast(tab, english("export.downloaded")).count()).toBe(1);
    await keepScreenshot(tab, "config-export");
  });
});
