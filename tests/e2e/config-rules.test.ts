// A merchant sets up rules against the demo (full simulator, built app, embedded worker): saves a
// rule with a mistake and sees the message beside the field, fixes and saves it, reorders rules by
// keyboard, switches, duplicates and deletes one, and dry-runs a new rule against recent orders.
import type { Page } from "playwright-core";
import {
  appTest as test,
  expect,
  fieldError,
  keepScreenshot,
  openApp,
  saveBar,
  saveFromSaveBar,
  toast,
  waitFor,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import { openBeforeReact, reactStarted } from "./support/early-tap.ts";
import { seedLabRule, seedReviewRule } from "./support/review-fixtures.ts";

/** The rule editor's condition and action groups, named as a screen reader names them. */
const group = (tab: Page, name: string) => tab.getByRole("group", { name, exact: true });

test.describe("rules", () => {
  test("answers a mistake beside its field and saves nothing, then saves the corrected rule", async ({
    stack,
    db,
    page: tab,
    browserErrors,
  }) => {
    await openApp(tab, stack, "/app/rules", english("nav.rules"));
    await expect.poll(() => tab.getByText(english("rules.list.empty")).isVisible()).toBe(true);

    // WHEN the merchant adds a rule for metallic paper but forgets which option holds "Metallic"
    await tab.getByRole("link", { name: english("rules.list.add") }).click();
    await tab.waitForURL((url) => url.pathname === "/app/rules/new");
    await tab.getByLabel(english("rules.form.name")).fill("Metallic prints wait for a look");
    await tab.getByRole("button", { name: english("rules.form.addCondition") }).click();
    const condition = group(tab, english("rules.form.conditionTitle", { number: 1 }));
    await condition
      .getByLabel(english("rules.condition.whatToCheck"))
      .selectOption("variant_option");
    await condition.getByLabel(english("rules.condition.value")).fill("Metallic");
    await group(tab, english("rules.form.actionTitle", { number: 1 }))
      .getByLabel(english("rules.action.reviewerNote"))
      .fill("Check the crop");
    await expect.poll(() => saveBar(tab).isVisible()).toBe(true);
    const answer = await saveFromSaveBar(tab, "/app/rules/new");

    // THEN the app answers 422 and the message sits beside the option name, nothing saved
    expect(answer.status()).toBe(422);
    const optionName = condition.getByLabel(english("rules.condition.optionName"));
    await expect
      .poll(() => fieldError(optionName))
      .toBe(english("fieldErrors.required.optionName"));
    expect(
      await tab.getByText(english("rules.editor.problems_one", { count: 1 })).isVisible(),
    ).toBe(true);
    expect(await db.rule.count()).toBe(0);
    await keepScreenshot(tab, "config-rule-invalid");

    // WHEN the merchant fills it in and saves with the keyboard from the page's own Save button
    await optionName.fill("Paper");
    expect(await fieldError(optionName)).toBeNull();
    await tab
      .locator(".Polaris-PageActions")
      .getByRole("button", { name: english("common.save") })
      .focus();
    await tab.keyboard.press("Enter");

    // THEN the rule is saved, the toast says so and the editor moves to the rule's own page
    await expect.poll(() => toast(tab, english("rules.editor.saved")).count()).toBe(1);
    await tab.waitForURL((url) => /^\/app\/rules\/rule_/.test(url.pathname));
    const rules = await db.rule.findMany();
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      shop: stack.shop,
      name: "Metallic prints wait for a look",
      enabled: true,
      position: 0,
    });
    expect(JSON.parse(rules[0]!.conditions)).toMatchObject({
      conditions: [
        { field: "variant_option", optionName: "Paper", operator: "equals", value: "Metallic" },
      ],
    });
    expect(JSON.parse(rules[0]!.actions)).toEqual([
      { type: "hold_for_review", note: "Check the crop" },
    ]);
    await expect.poll(() => saveBar(tab).count()).toBe(0);
    await keepScreenshot(tab, "config-rule-saved");
    browserErrors.allowStatus(422, "/app/rules/new.data");
  });

  test("reorders rules from the keyboard, switches one off, duplicates and deletes", async ({
    stack,
    db,
    page: tab,
  }) => {
    // A second rule, made in the editor like the first.
    await openApp(tab, stack, "/app/rules/new", english("rules.editor.newTitle"));
    await tab.getByLabel(english("rules.form.name")).fill("Downloads go out by themselves");
    await tab.getByRole("button", { name: english("rules.form.addCondition") }).click();
    await group(tab, english("rules.form.conditionTitle", { number: 1 }))
      .getByLabel(english("rules.condition.whatToCheck"))
      .selectOption("requires_shipping");
    await group(tab, english("rules.form.conditionTitle", { number: 1 }))
      .getByLabel(english("rules.condition.value"))
      .selectOption("false");
    await group(tab, english("rules.form.actionTitle", { number: 1 }))
      .getByLabel(english("rules.action.type"), { exact: true })
      .selectOption("fulfil_automatically");
    await saveBar(tab)
      .getByRole("button", { name: english("common.save") })
      .click();
    await expect.poll(() => toast(tab, english("rules.editor.saved")).count()).toBe(1);
    await tab.waitForURL((url) => /^\/app\/rules\/rule_/.test(url.pathname));

    // The list, through the title bar's breadcrumb.
    await tab
      .locator("ui-title-bar")
      .getByRole("button", { name: english("nav.rules") })
      .click();
    await tab.waitForURL((url) => url.pathname === "/app/rules");
    const names = () =>
      tab
        .getByRole("list", { name: english("rules.list.inOrder") })
        .getByRole("heading", { level: 3 })
        .allInnerTexts();
    await expect
      .poll(names)
      .toEqual(["Metallic prints wait for a look", "Downloads go out by themselves"]);

    // WHEN the merchant moves the downloads rule up with the keyboard
    await tab
      .getByRole("button", {
        name: english("rules.row.moveUpNamed", { name: "Downloads go out by themselves" }),
      })
      .focus();
    await tab.keyboard.press("Enter");

    // THEN it runs first, the database agrees, and focus stayed on that rule's buttons
    await expect
      .poll(names)
      .toEqual(["Downloads go out by themselves", "Metallic prints wait for a look"]);
    await expect
      .poll(() => toast(tab, english("rules.commands.movedUp")).count())
      .toBeGreaterThan(0);
    const stored = await db.rule.findMany({ orderBy: { position: "asc" } });
    expect(stored.map((r) => [r.name, r.position])).toEqual([
      ["Downloads go out by themselves", 0],
      ["Metallic prints wait for a look", 1],
    ]);
    await expect
      .poll(() => tab.evaluate(() => document.activeElement?.getAttribute("aria-label")))
      .toBe(english("rules.row.moveDownNamed", { name: "Downloads go out by themselves" }));
    // And Tab goes on to the rule's next action: every action is reachable by keyboard.
    await tab.keyboard.press("Tab");
    expect(await tab.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
      english("rules.row.turnOffNamed", { name: "Downloads go out by themselves" }),
    );

    // WHEN it is switched off, THEN the badge and the database say so
    await tab.keyboard.press("Enter");
    await expect
      .poll(() => toast(tab, english("rules.commands.turnedOff")).count())
      .toBeGreaterThan(0);
    expect(
      (await db.rule.findFirstOrThrow({ where: { name: "Downloads go out by themselves" } }))
        .enabled,
    ).toBe(false);

    // WHEN the metallic rule is duplicated, THEN the copy sits right below it, switched off
    await tab
      .getByRole("button", {
        name: english("rules.row.duplicateNamed", { name: "Metallic prints wait for a look" }),
      })
      .click();
    await expect
      .poll(names)
      .toEqual([
        "Downloads go out by themselves",
        "Metallic prints wait for a look",
        english("rules.commands.copyOf", { name: "Metallic prints wait for a look" }),
      ]);
    expect(
      (
        await db.rule.findFirstOrThrow({
          where: {
            name: english("rules.commands.copyOf", { name: "Metallic prints wait for a look" }),
          },
        })
      ).enabled,
    ).toBe(false);
    await keepScreenshot(tab, "config-rules-list");

    // WHEN the copy is deleted through the confirmation
    await tab
      .getByRole("button", {
        name: english("rules.row.deleteNamed", {
          name: english("rules.commands.copyOf", { name: "Metallic prints wait for a look" }),
        }),
      })
      .click();
    const dialog = tab.getByRole("dialog", { name: english("rules.delete.title") });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole("button", { name: english("rules.delete.confirm") }).click();
    await expect
      .poll(names)
      .toEqual(["Downloads go out by themselves", "Metallic prints wait for a look"]);
    expect(await db.rule.count()).toBe(2);

    // AND on a phone the list and the editor fit the screen, nothing to scroll sideways
    await tab.setViewportSize({ width: 390, height: 844 });
    expect(
      await tab.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await keepScreenshot(tab, "config-rules-list-phone");
    await tab
      .getByRole("link", {
        name: english("rules.row.edit", { name: "Metallic prints wait for a look" }),
      })
      .click();
    await tab.waitForURL((url) => /^\/app\/rules\/rule_/.test(url.pathname));
    await expect
      .poll(() => tab.getByLabel(english("rules.form.name")).inputValue())
      .toBe("Metallic prints wait for a look");
    expect(
      await tab.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await keepScreenshot(tab, "config-rule-editor-phone");

    // AND the editor deletes the rule it shows, after confirming, and returns to the list
    await tab.getByRole("button", { name: english("rules.delete.title") }).click();
    await tab
      .getByRole("dialog", { name: english("rules.delete.title") })
      .getByRole("button", { name: english("rules.delete.confirm") })
      .click();
    await tab.waitForURL((url) => url.pathname === "/app/rules");
    await expect.poll(names).toEqual(["Downloads go out by themselves"]);
    expect(await db.rule.count()).toBe(1);
  });

  test("dry-runs a new rule against the last decided orders and saves nothing", async ({
    stack,
    db,
    newPage,
    browserErrors,
  }) => {
    // GIVEN the merchant has the app open (its first load installs the shop's offline token, which
    // the worker needs to route: this test must not lean on an earlier one having signed in) and
    // the app decided on a few fresh orders (the worker routes them from Shopify's webhooks)
    const tab = await newPage();
    await openApp(tab, stack, "/app/rules/new", english("rules.editor.newTitle"));
    const orders = [
      await stack.control<{ orderId: string; name: string }>("POST", "/_sim/orders", {
        shop: stack.shop,
        order: { lineItems: [{ sku: "PRINT-LUSTRE-A4", quantity: 1 }], payment: "paid" },
      }),
      await stack.control<{ orderId: string; name: string }>("POST", "/_sim/orders", {
        shop: stack.shop,
        order: { lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }], payment: "paid" },
      }),
    ];
    await waitFor(
      "the app to decide on the new orders",
      () =>
        db.decision.findMany({
          where: { orderId: { in: orders.map((o) => o.orderId) } },
          select: { orderId: true, status: true },
        }),
      (rows) =>
        orders.every((o) =>
          rows.some(
            (r) =>
              r.orderId === o.orderId && (r.status === "applied" || r.status === "needs_attention"),
          ),
        ),
      90_000,
    );
    const rulesBefore = await db.rule.count();

    // WHEN the merchant drafts "prints wait for review" and runs it on the last 20 orders
    await tab.getByLabel(english("rules.form.name")).fill("Prints wait for a look");
    await tab.getByRole("button", { name: english("rules.form.addCondition") }).click();
    await group(tab, english("rules.form.conditionTitle", { number: 1 }))
      .getByLabel(english("rules.condition.whatToCheck"))
      .selectOption("product_type");
    await group(tab, english("rules.form.conditionTitle", { number: 1 }))
      .getByLabel(english("rules.condition.value"))
      .fill("Print");
    await tab.getByLabel(english("rules.editor.ordersToCheck")).fill("20");
    await tab.getByRole("button", { name: english("rules.editor.runDryRun") }).click();

    // THEN the print order shows what would change, current and proposed side by side
    const printOrder = orders[0]!;
    // "N of M recent orders would be handled differently.", N at least one, in the catalogue's words.
    const changed = englishPattern("rules.dryRun.changed_other", {
      changed: /[1-9]\d*/,
      count: /\d+/,
    });
    const summary = tab.getByRole("status").filter({ hasText: new RegExp(changed) });
    await expect.poll(() => summary.isVisible(), { timeout: 30_000 }).toBe(true);
    // The demo's own orders may have been decided too (reconciliation); ours is among the changed.
    expect(await summary.innerText()).toMatch(new RegExp(`^${changed}$`));
    const card = tab.getByRole("region", {
      name: english("rules.dryRun.order", { name: printOrder.name }),
    });
    // Would now: hold for review at a location, for a reason, in the catalogue's words.
    const wouldNow = englishPattern("engine.dryRun.wouldNow", {
      step: new RegExp(englishPattern("engine.step.holdForReview", { location: /.+/ })),
      why: /.+/,
    });
    expect(await card.getByText(new RegExp(`^${wouldNow}$`)).isVisible()).toBe(true);
    expect(
      await card.getByRole("heading", { name: english("rules.dryRun.withSaved") }).isVisible(),
    ).toBe(true);
    expect(
      await card.getByRole("heading", { name: english("rules.dryRun.withChange") }).isVisible(),
    ).toBe(true);
    const noChange = englishPattern("rules.dryRun.noChangeFor", { orders: /.+/ });
    expect(await tab.getByText(new RegExp(`^${noChange}$`)).innerText()).toContain(orders[1]!.name);
    await keepScreenshot(tab, "config-rule-dry-run");

    // AND nothing was saved or done
    expect(await db.rule.count()).toBe(rulesBefore);
    const state = await stack.control<{ fulfillmentOrders: { holds: unknown[] }[] }>(
      "GET",
      `/_sim/orders/${encodeURIComponent(printOrder.orderId)}`,
    );
    expect(state.fulfillmentOrders.every((fo) => fo.holds.length === 0)).toBe(true);

    // AND a mistake in the draft is shown beside its field instead of running
    await group(tab, english("rules.form.conditionTitle", { number: 1 }))
      .getByLabel(english("rules.condition.value"))
      .fill("");
    await tab.getByRole("button", { name: english("rules.editor.runDryRun") }).click();
    await expect
      .poll(() =>
        fieldError(
          group(tab, english("rules.form.conditionTitle", { number: 1 })).getByLabel(
            english("rules.condition.value"),
          ),
        ),
      )
      .toBe(english("fieldErrors.required.value"));
    browserErrors.allowStatus(422, "/app/rules/new.data");
  });
});

test.describe("a rule named before React has started", () => {
  test("a name typed before the page's scripts ran opens the save bar once React starts", async ({
    stack,
    page: tab,
  }) => {
    // GIVEN the app installed (its first visit)
    await openApp(tab, stack, "/app/rules", english("nav.rules"));
    const name = tab.getByLabel(english("rules.form.name"));
    // The page's modules wait until the merchant has typed: React has not started.
    const release = await openBeforeReact(tab, stack.openUrl("/app/rules/new"), name);

    // WHEN the merchant names the new rule on the server-rendered page
    await name.fill("Canvas waits for a look");
    expect(await reactStarted(tab)).toBe(false);
    release();

    // THEN once React has started the draft has it: the save bar opens, the name as typed, and
    // Discard (back to the empty draft) clears it
    await expect.poll(() => saveBar(tab).isVisible(), { timeout: 90_000 }).toBe(true);
    expect(await name.inputValue()).toBe("Canvas waits for a look");
    await saveBar(tab)
      .getByRole("button", { name: english("common.discard") })
      .click();
    await expect.poll(() => name.inputValue()).toBe("");
  });
  test("dropdowns chosen, rows' fields typed, boxes ticked and unticked and Add condition tapped before the page's scripts ran are in the draft once React starts, and saved", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN a rule: product type is Print, hold for review with a note, then fulfill automatically
    await openApp(tab, stack, "/app/rules", english("nav.rules"));
    await seedReviewRule(db, stack.shop);
    const seeded = await db.rule.findFirstOrThrow({
      where: { shop: stack.shop, name: "Review prints" },
    });
    // AND a second condition: the risk level is High
    const conditions = JSON.parse(seeded.conditions) as { conditions: object[] };
    conditions.conditions.push({ field: "risk_level", operator: "in", value: ["HIGH"] });
    const rule = await db.rule.update({
      where: { id: seeded.id },
      data: { conditions: JSON.stringify(conditions) },
    });
    const medium = group(tab, english("rules.form.conditionTitle", { number: 2 })).getByRole(
      "checkbox",
      { name: english("risk.MEDIUM") },
    );
    const condition = group(tab, english("rules.form.conditionTitle", { number: 1 }));
    const review = group(tab, english("rules.form.actionTitle", { number: 1 }));
    const fulfil = group(tab, english("rules.form.actionTitle", { number: 2 }));
    const match = tab.getByLabel(english("rules.form.match"));
    const comparison = condition.getByLabel(english("rules.condition.comparison"));
    // The page's modules wait until the merchant has made every change: React has not started.
    const release = await openBeforeReact(tab, stack.openUrl(`/app/rules/${rule.id}`), match);

    // WHEN the merchant, on the server-rendered page, chooses Any condition, changes the first
    // condition's comparison and value, adds Medium to the risk levels, changes the reviewer's
    // note, unticks Notify the customer and taps Add condition
    await match.selectOption("any");
    await comparison.selectOption("not_equals");
    await medium.check();
    await condition.getByLabel(english("rules.condition.value")).fill("Poster");
    await review.getByLabel(english("rules.action.reviewerNote")).fill("Check the paper");
    await fulfil.getByRole("checkbox", { name: english("rules.action.notifyCustomer") }).uncheck();
    await tab.getByRole("button", { name: english("rules.form.addCondition") }).click();
    expect(await reactStarted(tab)).toBe(false);
    release();

    // THEN once React has started the draft has all of it: the save bar opens, the page shows the
    // choices made and a third, empty condition, and Save stores them
    await expect.poll(() => saveBar(tab).isVisible(), { timeout: 90_000 }).toBe(true);
    await expect
      .poll(() => group(tab, english("rules.form.conditionTitle", { number: 3 })).count())
      .toBe(1);
    expect(await match.inputValue()).toBe("any");
    expect(await comparison.inputValue()).toBe("not_equals");
    expect(await medium.isChecked()).toBe(true);
    // The empty condition would not save: removed again, as the merchant would.
    await group(tab, english("rules.form.conditionTitle", { number: 3 }))
      .getByRole("button", {
        name: english("rules.form.removeNamed", {
          name: english("rules.form.conditionName", { number: 3 }),
        }),
      })
      .click();
    const answer = await saveFromSaveBar(tab, `/app/rules/${rule.id}`);
    expect(answer.status()).toBe(200);
    const saved = await db.rule.findUniqueOrThrow({ where: { id: rule.id } });
    expect(JSON.parse(saved.conditions)).toMatchObject({
      match: "any",
      conditions: [
        { field: "product_type", operator: "not_equals", value: "Poster" },
        { field: "risk_level", operator: "in", value: ["MEDIUM", "HIGH"] },
      ],
    });
    expect(JSON.parse(saved.actions)).toMatchObject([
      { type: "hold_for_review", note: "Check the paper" },
      { type: "fulfil_automatically", notifyCustomer: false },
    ]);
  });
  test("a rule turned off on the list before the page's scripts ran is turned off once React starts", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN a rule that is on
    await openApp(tab, stack, "/app/rules", english("nav.rules"));
    const rule = await seedLabRule(db, stack.shop, "Lab prints, turned off early");
    const turnOff = tab.getByRole("button", {
      name: english("rules.row.turnOffNamed", { name: "Lab prints, turned off early" }),
    });
    // The page's modules wait until the merchant has tapped: React has not started.
    const release = await openBeforeReact(tab, stack.openUrl("/app/rules"), turnOff);

    // WHEN the merchant taps Turn off on the server-rendered list: nothing answers yet
    await turnOff.click();
    expect(await reactStarted(tab)).toBe(false);
    release();

    // THEN once React has started the tap counts: the rule is off
    await waitFor(
      "the rule to be turned off",
      () => db.rule.findUniqueOrThrow({ where: { id: rule.id } }),
      (row) => !row.enabled,
      90_000,
    );
  });
});
