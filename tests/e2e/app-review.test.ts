// What an App Store reviewer opens by hand, in Chromium through admin's real embedded sign-in: a
// screen's address for something that is not there shows a Polaris page in admin's frame (title
// bar, the words of the catalogue, a way back), not a bare error string (docs/app-review-checklist.md).
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  openApp,
  saveBar,
  saveFromSaveBar,
  titleBar,
  toast,
  unnamedControls,
} from "./support/harness.ts";
import { english } from "./support/catalogue.ts";
import { seedReviewRule } from "./support/review-fixtures.ts";
import { signedDelivery } from "../support/webhooks.ts";

test.beforeAll(async ({ stack, browser }) => {
  await installApp(browser, stack);
});

test.describe("a screen for something that is not there", () => {
  test("a bulk action that does not exist (or is another shop's) says so on a Polaris page with a way back", async ({
    stack,
    browserErrors,
    page: tab,
  }) => {
    // The document answers 404 on purpose; Chromium logs that as a console error.
    browserErrors.allowStatus(404, "/app/bulk/");
    const document = tab.waitForResponse(
      (r) => r.request().resourceType() === "document" && r.url().includes("/app/bulk/"),
    );
    await openApp(tab, stack, "/app/bulk/no-such-bulk-action", english("bulk.notFound.title"));
    // Only the shop's admin may frame the app's documents, this answer included.
    const csp = (await (await document).allHeaders())["content-security-policy"] ?? "";
    expect(csp).toContain(`frame-ancestors https://${stack.shop}`);
    expect(csp).toContain("https://admin.shopify.com");
    expect(
      await tab.getByRole("heading", { name: english("bulk.notFound.title") }).isVisible(),
    ).toBe(true);
    expect(await tab.getByText(english("bulk.notFound.body")).isVisible()).toBe(true);
    expect(await unnamedControls(tab)).toEqual([]);
    expect(await titleBar(tab).getAttribute("title")).toBe(english("bulk.notFound.title"));

    // The way back is the page's back action (labelled, unlike the nav menu's link of that name),
    // to the review queue the bulk actions start from.
    await tab.getByLabel(english("nav.queue"), { exact: true }).click();
    await tab.waitForURL((u) => u.pathname === "/app/queue");
  });
});

test.describe("a rule that is not there", () => {
  test("a rule id this shop has no rule at (mistyped, deleted, or another shop's) says so on a Polaris page with a way back to Rules", async ({
    stack,
    db,
    browserErrors,
    page: tab,
  }) => {
    browserErrors.allowStatus(404, "/app/rules/");
    const elsewhere = await db.rule.create({
      data: {
        shop: "another-shop.myshopify.com",
        name: "Another shop's rule",
        position: 0,
        conditions: JSON.stringify({ match: "all", conditions: [] }),
        actions: JSON.stringify([{ type: "fulfil_automatically" }]),
      },
    });
    for (const id of ["no-such-rule", elsewhere.id]) {
      await openApp(tab, stack, `/app/rules/${id}`, english("rules.notFound.title"));
      expect(
        await tab.getByRole("heading", { name: english("rules.notFound.title") }).isVisible(),
      ).toBe(true);
      expect(await tab.getByText(english("rules.notFound.body")).isVisible()).toBe(true);
      // Nothing of the other shop's rule shows.
      expect(await tab.getByText(elsewhere.name).count()).toBe(0);
      expect(await unnamedControls(tab)).toEqual([]);
      // The way back is the page's back action (labelled, unlike the nav menu's link of that name).
      await tab.getByLabel(english("nav.rules"), { exact: true }).click();
      await tab.waitForURL((u) => u.pathname === "/app/rules");
    }
  });
});

test.describe("an order that is not there", () => {
  test("an order number Shopify does not know for this shop (another shop's, or none) says so on the shared page with a way back", async ({
    stack,
    db,
    browserErrors,
    page: tab,
  }) => {
    browserErrors.allowStatus(404, "/app/orders/");
    // Another shop's order the app decided on: its rows are here, this shop's Shopify has no such order.
    const theirs = await db.decision.create({
      data: {
        shop: "another-shop.myshopify.com",
        orderId: "gid://shopify/Order/987654321987",
        orderName: "#OTHER-4411",
        trigger: "webhook",
        status: "applied",
        explanation: "[]",
        plan: "{}",
      },
    });
    for (const [number, body] of [
      ["999999999", english("order.noSuchOrder")],
      ["987654321987", english("order.noSuchOrder")],
      ["not-an-order", english("order.notANumber")],
    ] as const) {
      await openApp(tab, stack, `/app/orders/${number}`, english("order.notFound"));
      expect(await tab.getByRole("heading", { name: english("order.notFound") }).isVisible()).toBe(
        true,
      );
      expect(await tab.getByText(body, { exact: true }).isVisible()).toBe(true);
      // Nothing of the other shop's order shows.
      expect(await tab.getByText(theirs.orderName ?? "#OTHER-4411").count()).toBe(0);
      expect(await unnamedControls(tab)).toEqual([]);
      await tab.getByLabel(english("nav.queue"), { exact: true }).click();
      await tab.waitForURL((u) => u.pathname === "/app/queue");
    }
  });
});

test.describe("a command on something another tab removed", () => {
  test("removing a push address asks first, and one already removed says so in a toast and keeps the screen", async ({
    stack,
    db,
    browserErrors,
    page: tab,
  }) => {
    const address = await db.pushEndpoint.create({
      data: {
        shop: stack.shop,
        url: "https://erp.example.com/hooks/review",
        decisionsSeenUntil: new Date(),
        eventsSeenUntil: new Date(),
      },
    });
    await openApp(tab, stack, "/app/push", english("fulfill.push.title"));
    expect(await unnamedControls(tab)).toEqual([]);
    // Removing stops its pushes for good: the screen asks first, and removes nothing yet.
    await tab
      .getByRole("button", { name: english("fulfill.push.removeAddress", { url: address.url }) })
      .click();
    const confirm = tab.getByRole("button", { name: english("fulfill.push.removeConfirm") });
    await confirm.waitFor();
    expect(await tab.getByText(english("fulfill.push.removeWarning")).isVisible()).toBe(true);
    expect(await db.pushEndpoint.count({ where: { id: address.id } })).toBe(1);
    // Someone else removes it meanwhile (another staff member, another tab).
    await db.pushEndpoint.delete({ where: { id: address.id } });
    browserErrors.allowStatus(404, "/app/push");
    await confirm.click();
    await expect.poll(() => toast(tab, english("fulfill.push.gone")).count()).toBe(1);
    // The screen is still there, and no longer lists the address.
    expect(await titleBar(tab).getAttribute("title")).toBe(english("fulfill.push.title"));
    await expect.poll(() => tab.getByText(address.url).count()).toBe(0);
  });
});

test.describe("a rule another tab deleted", () => {
  test("saving or trying its edits says so in a toast, keeps the edits and saves them as a new rule; deleting it again goes back to Rules", async ({
    stack,
    db,
    browserErrors,
    page: tab,
  }) => {
    const rule = await seedReviewRule(db, stack.shop, {
      name: "Metallic prints wait",
      actions: [{ type: "hold_for_review", note: "Check the finish" }],
    });
    const path = `/app/rules/${rule.id}`;
    await openApp(tab, stack, path, rule.name);
    const name = tab.getByLabel(english("rules.form.name"));
    await name.fill("Metallic prints wait for a look");
    await saveBar(tab).waitFor();

    // Someone deletes the rule meanwhile (another tab, another staff member).
    await db.rule.delete({ where: { id: rule.id } });
    browserErrors.allowStatus(404, path);

    // WHEN the merchant saves: a toast says so, the edits stay, the banner offers the ways on
    const saved = await saveFromSaveBar(tab, path);
    expect(saved.status()).toBe(404);
    await expect.poll(() => toast(tab, english("rules.editor.gone.toast")).count()).toBe(1);
    const banner = tab.getByText(english("rules.editor.gone.body"));
    await banner.waitFor();
    expect(await name.inputValue()).toBe("Metallic prints wait for a look");
    expect(await tab.getByRole("heading", { name: english("rules.notFound.title") }).count()).toBe(
      0,
    );
    expect(await titleBar(tab).getAttribute("title")).toBe(rule.name);
    await keepScreenshot(tab, "rule-deleted-meanwhile");

    // AND a dry-run of the edits says so too, and keeps them
    const tried = tab.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith(path),
    );
    await tab.getByRole("button", { name: english("rules.editor.runDryRun") }).click();
    expect((await tried).status()).toBe(404);
    await expect.poll(() => toast(tab, english("rules.editor.gone.toast")).count()).toBe(2);
    expect(await name.inputValue()).toBe("Metallic prints wait for a look");
    expect(await unnamedControls(tab)).toEqual([]);

    // WHEN the merchant saves the edits as a new rule: stored, and its editor opens
    await tab.getByRole("button", { name: english("rules.editor.gone.saveAsNew") }).click();
    await tab.waitForURL((u) => u.pathname.startsWith("/app/rules/") && u.pathname !== path);
    await toast(tab, english("rules.editor.saved")).waitFor();
    const again = await db.rule.findFirstOrThrow({
      where: { shop: stack.shop, name: "Metallic prints wait for a look" },
    });
    expect(new URL(tab.url()).pathname).toBe(`/app/rules/${again.id}`);
    expect(JSON.parse(again.actions)).toEqual([
      expect.objectContaining({ type: "hold_for_review", note: "Check the finish" }),
    ]);
    await expect.poll(() => titleBar(tab).getAttribute("title")).toBe(again.name);
    await expect.poll(() => name.inputValue()).toBe(again.name);
    expect(await banner.count()).toBe(0);

    // WHEN that one is deleted elsewhere too and the merchant deletes it: done, back to Rules
    await db.rule.delete({ where: { id: again.id } });
    browserErrors.allowStatus(404, `/app/rules/${again.id}`);
    await tab.getByRole("button", { name: english("rules.delete.title") }).click();
    await tab
      .getByRole("dialog", { name: english("rules.delete.title") })
      .getByRole("button", { name: english("rules.delete.confirm") })
      .click();
    await toast(tab, english("rules.editor.gone.alreadyDeleted")).waitFor();
    await tab.waitForURL((u) => u.pathname === "/app/rules");
  });
});

// Last in the file: it uninstalls the shop the other tests use.
test.describe("uninstalling and installing again", () => {
  test("a signed app/uninstalled erases the shop, and opening the app again starts it clean", async ({
    stack,
    db,
    page: tab,
  }) => {
    await seedReviewRule(db, stack.shop);
    const uninstalled = await fetch(
      signedDelivery({
        topic: "app/uninstalled",
        shop: stack.shop,
        body: { id: 1, domain: stack.shop },
        secret: stack.apiSecret,
        appUrl: stack.app.url,
      }),
    );
    expect(uninstalled.status).toBe(200);
    const held = async () => ({
      sessions: await db.session.count({ where: { shop: stack.shop } }),
      shops: await db.shop.count({ where: { shop: stack.shop } }),
      rules: await db.rule.count({ where: { shop: stack.shop } }),
    });
    expect(await held()).toEqual({ sessions: 0, shops: 0, rules: 0 });

    // Installing again from admin: the first load exchanges a session token for a new offline token
    // (the shop's) and an online one (the staff member's, ADR 077).
    await openApp(tab, stack, "/app", english("app.name"));
    expect(await held()).toEqual({ sessions: 2, shops: 1, rules: 0 });
    expect(await unnamedControls(tab)).toEqual([]);
  });
});
