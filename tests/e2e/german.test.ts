// A merchant whose Shopify admin speaks German opens every screen of the app (admin passes
// `locale=de` when it loads the app, ADR 010): each screen's title and words are German, no
// sentence of the English catalogue shows through, and a screenshot of each is kept.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import {
  appTest as test,
  expect,
  fieldError,
  installApp,
  keepScreenshot,
  numberOf,
  openApp,
  waitFor,
  waitForScreen,
  workerSettled,
  type PlacedOrder,
  type Stack,
} from "./support/harness.ts";
import { printOrder, seedLabRule, seedReviewRule } from "./support/review-fixtures.ts";
import { TRACKING_COMPANIES } from "../../app/shopify/tracking-companies.ts";

type Catalogue = { [key: string]: string | Catalogue };
const read = (lang: string) =>
  JSON.parse(readFileSync(`app/i18n/locales/${lang}.json`, "utf8")) as Catalogue;
const flat = (c: Catalogue, prefix = ""): [string, string][] =>
  Object.entries(c).flatMap(([key, value]) =>
    typeof value === "string" ? [[prefix + key, value]] : flat(value, `${prefix}${key}.`),
  );
const en = new Map(flat(read("en")));
const de = new Map(flat(read("de")));

/** A German string of the catalogue, placeholders filled. */
const german = (key: string, values: Record<string, string | number> = {}) => {
  const text = de.get(key);
  if (text === undefined) throw new Error(`de.json has no ${key}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
};

/**
 * The English catalogue's sentences a German screen must not show: the pieces between
 * placeholders of three words or more, from entries German says differently.
 */
const ENGLISH_SENTENCES = [...en]
  .filter(([key, text]) => de.get(key) !== text)
  .flatMap(([, text]) => text.split(/\{\{\w+\}\}/))
  .map((piece) => piece.trim())
  .filter((piece) => piece.split(/\s+/).length >= 3);

/**
 * Shorter English leftovers (a button's "Save", a badge's "On hold"): the English catalogue's
 * pieces of one or two words that German says differently, found as whole words with their
 * capitals. A piece German's own catalogue also uses as a word ("Tags", "Status") is no leak, and
 * neither are the proper names the screens show as they are: Shopify's and the seed shop's.
 */
// The seed shop's product options and values ("Paper: Lustre", "Lustre / A4 / None") are its own words.
const PROPER_NAMES = /^(Shopify|Shopify Flow|Partner Lab|Studio|Prints?|Paper|Size|Finish|None)$/;

const germanText = [...de.values()].join("\n");
const wholeWord = (piece: string) =>
  new RegExp(
    `(?<![\\p{L}\\p{N}-])${piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}-])`,
    "u",
  );
const ENGLISH_WORDS = [
  ...new Set(
    [...en]
      .filter(([key, text]) => de.get(key) !== text)
      .flatMap(([, text]) => text.split(/\{\{\w+\}\}/))
      .map((piece) => piece.trim().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ""))
      .filter((piece) => piece.split(/\s+/).length < 3 && /^\p{Lu}\p{Ll}{3,}/u.test(piece))
      .filter((piece) => !PROPER_NAMES.test(piece) && !wholeWord(piece).test(germanText)),
  ),
];

/** The German catalogue's words of four letters or more (placeholders left out). */
const GERMAN_WORDS = [...de]
  .filter(([key, text]) => en.get(key) !== text)
  .flatMap(([, text]) => text.split(/\{\{\w+\}\}/))
  .map((piece) => piece.trim())
  .filter((piece) => piece.length >= 4);

/**
 * Shopify's order note is the order's own text, shown as Shopify keeps it; the lines the app adds
 * to it for a remake or an extra charge are written there in English, as Shopify admin shows them.
 */
const ORDER_NOTE = new RegExp(`^${german("order.orderNote", { note: "" })}.*$`, "gm");

/** What the screen shows, the order's decision trace and timeline included. */
async function shownText(tab: Page): Promise<string> {
  const text = (await tab.evaluate(() => document.body.innerText)).replace(ORDER_NOTE, "");
  // Shopify's carriers in the fulfill form's list are names ("Step Forward Freight"), not English.
  return TRACKING_COMPANIES.reduce((shown, carrier) => shown.replaceAll(carrier, ""), text);
}

/** Checks a screen in German and keeps its screenshot. */
async function checkGerman(tab: Page, screen: string): Promise<void> {
  const text = await shownText(tab);
  // Each leak with the words around it, to find it on the screen.
  const leaks = ENGLISH_SENTENCES.filter((sentence) => text.includes(sentence)).map((sentence) => {
    const at = text.indexOf(sentence);
    return text.slice(Math.max(0, at - 60), at + sentence.length + 60);
  });
  expect(leaks, `English sentences on ${screen}`).toEqual([]);
  const shortLeaks = ENGLISH_WORDS.flatMap((piece) => {
    const at = text.search(wholeWord(piece));
    return at < 0
      ? []
      : [`${piece}: …${text.slice(Math.max(0, at - 40), at + piece.length + 40)}…`];
  });
  expect(shortLeaks, `English words on ${screen}`).toEqual([]);
  const germanPieces = GERMAN_WORDS.filter((piece) => text.includes(piece));
  expect(germanPieces.length, `German catalogue strings on ${screen}`).toBeGreaterThanOrEqual(3);
  await keepScreenshot(tab, `de-${screen}`);
}

let print: PlacedOrder;

test.beforeAll(async ({ stack, db, browser }) => {
  await seedReviewRule(db, stack.shop);
  await installApp(browser, stack);
  print = (await stack.placeOrders([printOrder(1), printOrder(2)]))[0]!;
  await waitFor(
    "the prints to wait for review",
    () => db.fulfillmentOrderRecord.count({ where: { outcome: "in_review" } }),
    (count) => count >= 2,
  );
});

const DE = { locale: "de" };

test.describe("every screen in German", () => {
  test("home, the review queue, an order, a bulk report, capabilities, settings, export, stuck and drift, data requests, pushes", async ({
    stack,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app", german("app.name"), DE);
    expect(
      await tab.getByText(german("home.defaults.connected", { shop: stack.shop })).count(),
    ).toBe(1);
    await checkGerman(tab, "home");

    await openApp(tab, stack, "/app/queue", german("nav.queue"), DE);
    await expect.poll(() => tab.locator("tbody tr").count()).toBeGreaterThan(0);
    await checkGerman(tab, "queue");

    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(print.orderId)}`,
      german("order.title", { name: print.name }),
      DE,
    );
    // The trace says why the review rule matched, in German.
    expect(await shownText(tab)).toContain(
      german("engine.match.matched", { rule: "Review prints", because: "" }),
    );
    await checkGerman(tab, "order");

    // A bulk job started from the queue in German, and its report.
    await openApp(tab, stack, "/app/queue?status=in_review", german("nav.queue"), DE);
    await tab.locator("tbody tr").first().getByRole("checkbox").check();
    await tab.getByRole("button", { name: german("bulkAction.approve"), exact: true }).click();
    await tab.waitForURL((u) => u.pathname.startsWith("/app/bulk/"));
    await waitForScreen(
      tab,
      german("bulk.title_one", { action: german("bulkAction.approve"), count: 1 }),
    );
    await tab.getByText(german("bulk.finished")).first().waitFor({ timeout: 60_000 });
    await checkGerman(tab, "bulk-report");

    for (const [path, title, screen] of [
      ["/app/capabilities", german("nav.capabilities"), "capabilities"],
      ["/app/settings", german("nav.settings"), "settings"],
      ["/app/export", german("export.title"), "export"],
      ["/app/stuck", german("stuck.title"), "stuck"],
      ["/app/stuck?view=drift", german("stuck.title"), "drift"],
      ["/app/data-requests", german("hardening.dataRequests.title"), "data-requests"],
      ["/app/push", german("fulfill.push.title"), "push"],
    ] as const) {
      await openApp(tab, stack, path, title, DE);
      await checkGerman(tab, screen);
    }
  });

  test("a page carries its merchant's catalogue only, once, in the document; no script holds a catalogue", async ({
    stack,
    page: tab,
  }) => {
    // Every document and script the browser loads for a screen, lazy chunks included.
    const loaded: { url: string; type: string; body: Promise<string> }[] = [];
    tab.on("response", (response) => {
      const type = response.request().resourceType();
      if (type === "document" || type === "script")
        loaded.push({ url: response.url(), type, body: response.text().catch(() => "") });
    });
    // Sentences of one language that the other says differently, as plain text (no quote, no
    // escape), so they read the same in a script's string, the document's JSON or on screen.
    const only = (mine: Map<string, string>, other: Map<string, string>) =>
      [...mine]
        .filter(([key, text]) => other.get(key) !== text)
        .flatMap(([, text]) => text.split(/\{\{\w+\}\}/))
        .map((piece) => piece.trim())
        .filter((piece) => piece.split(/\s+/).length >= 4 && /^[\w ,.()-]+$/.test(piece));
    const polaris = (lang: string) =>
      JSON.parse(
        readFileSync(`node_modules/@shopify/polaris/locales/${lang}.json`, "utf8"),
      ) as Catalogue;
    // Polaris's English words are in the scripts (Shopify's AppProvider falls back to them), and
    // some of the app's sentences are Polaris's too: those say nothing of the app's catalogue.
    const polarisEnglish = flat(polaris("en")).map(([, text]) => text);
    const ours = (sentences: string[]) =>
      sentences.filter((sentence) => !polarisEnglish.some((text) => text.includes(sentence)));
    const germanOnly = ours(only(de, en));
    const englishOnly = ours(only(en, de));
    expect(germanOnly.length).toBeGreaterThan(50);
    expect(englishOnly.length).toBeGreaterThan(50);

    for (const [lang, params, mine, others] of [
      ["de", DE, germanOnly, englishOnly],
      ["en", {}, englishOnly, germanOnly],
    ] as const) {
      loaded.length = 0;
      const title = lang === "de" ? german("app.name") : en.get("app.name")!;
      await openApp(tab, stack, "/app", title, params);
      const connected =
        lang === "de"
          ? german("home.defaults.connected", { shop: stack.shop })
          : en.get("home.defaults.connected")!.replace("{{shop}}", stack.shop);
      expect(await tab.getByText(connected).count(), lang).toBe(1);

      // The screen's own document (the way in may pass admin's session-token bounce first).
      const documents = loaded.filter(
        (r) => r.type === "document" && new URL(r.url).pathname === "/app",
      );
      const scripts = loaded.filter((r) => r.type === "script");
      expect(documents, lang).toHaveLength(1);
      expect(scripts.length, lang).toBeGreaterThan(3);
      const html = await documents[0]!.body;
      // The catalogue, once: the app's words and Polaris's in the merchant's language.
      const blocks = [
        ...html.matchAll(/<script id="page-catalogue" type="application\/json">([^<]*)<\/script>/g),
      ];
      expect(blocks, lang).toHaveLength(1);
      const catalogue = JSON.parse(blocks[0]![1]!) as {
        locale: string;
        app: Catalogue;
        polaris: unknown;
      };
      expect(catalogue.locale).toBe(lang);
      expect(catalogue.app).toEqual(read(lang));
      expect(catalogue.polaris).toEqual(polaris(lang));
      // The other language's sentences are nowhere the browser got, and no script holds this
      // language's: the document is the only place the catalogue comes from.
      for (const { url, body } of loaded) {
        const text = await body;
        expect(
          others.filter((sentence) => text.includes(sentence)),
          `${lang}: ${url}`,
        ).toEqual([]);
      }
      for (const { url, body } of scripts) {
        const text = await body;
        expect(
          mine.filter((sentence) => text.includes(sentence)),
          `${lang}: ${url}`,
        ).toEqual([]);
      }
    }
  });

  test("an order's needs-attention reason and a dry-run line read in German", async ({
    stack,
    db,
    page: tab,
  }) => {
    // A rule before the review rule moves tagged orders to a location the shop no longer has: the
    // order needs attention. The rules are as they were once it is decided.
    await db.rule.updateMany({ where: { shop: stack.shop }, data: { position: 1 } });
    const gone = await db.rule.create({
      data: {
        shop: stack.shop,
        name: "Woanders hin",
        position: 0,
        enabled: true,
        conditions: JSON.stringify({
          match: "all",
          lines: "any",
          keepChecking: true,
          conditions: [{ field: "order_tag", operator: "contains", value: "woanders" }],
        }),
        actions: JSON.stringify([{ type: "move", locationId: "gid://shopify/Location/999999" }]),
      },
    });
    let elsewhere: PlacedOrder;
    try {
      elsewhere = (await stack.placeOrders([printOrder(3, { tags: ["woanders"] })]))[0]!;
      await waitFor(
        "the tagged order to need attention",
        () =>
          db.decision.count({ where: { orderId: elsewhere.orderId, status: "needs_attention" } }),
        (count) => count > 0,
      );
    } finally {
      await db.rule.delete({ where: { id: gone.id } });
      await db.rule.updateMany({ where: { shop: stack.shop }, data: { position: 0 } });
    }
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { orderId: elsewhere.orderId },
    });
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(elsewhere.orderId)}`,
      german("order.title", { name: elsewhere.name }),
      DE,
    );
    const reason = german("engine.attention.locationGone", {
      rule: "Woanders hin",
      location: record.locationName ?? "",
    });
    await expect.poll(() => tab.getByText(reason).first().isVisible()).toBe(true);
    await checkGerman(tab, "order-needs-attention");

    // The review rule, edited to tag what it holds, tried on the recent orders: what it would
    // change is said in German.
    const review = await db.rule.findFirstOrThrow({ where: { shop: stack.shop } });
    await openApp(tab, stack, `/app/rules/${review.id}`, review.name, DE);
    await tab.getByRole("button", { name: german("rules.form.addAction") }).click();
    const action = tab.getByRole("group", {
      name: german("rules.form.actionTitle", { number: 3 }),
      exact: true,
    });
    await action
      .getByLabel(german("rules.action.type"), { exact: true })
      .selectOption("add_order_tags");
    await action.getByLabel(german("rules.action.tags")).fill("geprüft");
    await tab.getByLabel(german("rules.editor.ordersToCheck")).fill("20");
    await tab.getByRole("button", { name: german("rules.editor.runDryRun") }).click();
    const tag = german("rules.summary.quoted", { value: "geprüft" });
    const line = german("engine.dryRun.wouldNow", {
      step: german("engine.step.addTags", { tags: tag }),
      why: german("engine.why.rule", {
        rule: review.name,
        what: german("rules.summary.withDetail", {
          action: german("action.add_order_tags"),
          detail: tag,
        }),
      }),
    });
    const card = tab.getByRole("region", {
      name: german("rules.dryRun.order", { name: print.name }),
    });
    await expect.poll(() => card.getByText(line).isVisible(), { timeout: 30_000 }).toBe(true);
    await checkGerman(tab, "rule-dry-run");
  });

  test("the rules list, a rule in the editor with a condition and an action added, and a new rule saved without a name", async ({
    stack,
    db,
    page: tab,
    browserErrors,
  }) => {
    await openApp(tab, stack, "/app/rules", german("nav.rules"), DE);
    const list = tab.getByRole("list", { name: german("rules.list.inOrder") });
    await expect.poll(() => list.getByRole("listitem").count()).toBe(1);
    // The rule's summary is said in German from the vocabulary's words.
    const summary = await list.getByRole("listitem").innerText();
    expect(summary).toContain(german("action.hold_for_review"));
    expect(summary).toContain(german("field.product_type"));
    expect(summary).toContain(german("rules.row.on"));
    await checkGerman(tab, "rules");

    const rule = await db.rule.findFirstOrThrow({ where: { shop: stack.shop } });
    await openApp(tab, stack, `/app/rules/${rule.id}`, rule.name, DE);
    await tab.getByRole("button", { name: german("rules.form.addCondition") }).click();
    const condition = tab.getByRole("group", {
      name: german("rules.form.conditionTitle", { number: 2 }),
      exact: true,
    });
    await condition
      .getByLabel(german("rules.condition.whatToCheck"))
      .selectOption("destination_country");
    expect(
      await condition.getByText(german("rules.condition.help.destination_country")).isVisible(),
    ).toBe(true);
    await tab.getByRole("button", { name: german("rules.form.addAction") }).click();
    const action = tab.getByRole("group", {
      name: german("rules.form.actionTitle", { number: 3 }),
      exact: true,
    });
    await action.getByLabel(german("rules.action.type"), { exact: true }).selectOption("hold");
    expect(
      await action.getByLabel(german("rules.action.holdReason")).locator("option").allInnerTexts(),
    ).toContain(german("holdReason.HIGH_RISK_OF_FRAUD"));
    await checkGerman(tab, "rule-editor");

    await openApp(tab, stack, "/app/rules/new", german("rules.editor.newTitle"), DE);
    // Saved without a name: the parser's field error sits beside the field, in German.
    browserErrors.allowStatus(422, "/app/rules/new");
    await tab
      .locator(".Polaris-PageActions")
      .getByRole("button", { name: german("common.save") })
      .click();
    await expect
      .poll(() => fieldError(tab.getByLabel(german("rules.form.name"))))
      .toBe(german("fieldErrors.ruleName"));
    expect(await db.rule.count({ where: { shop: stack.shop } })).toBe(1);
    await checkGerman(tab, "rule-new");
  });

  test("an order's trace and timeline read in German after the lab's answers, a cancel, a repair and a remake", async ({
    stack,
    db,
    page: tab,
  }) => {
    // Lab prints go to Partner Lab first (the review rule stays for the rest), and the shop's
    // remake reasons are its own German words.
    await db.rule.updateMany({ where: { shop: stack.shop }, data: { position: 1 } });
    const labRule = await seedLabRule(db, stack.shop, "Laborabzüge");
    await db.shop.update({
      where: { shop: stack.shop },
      data: { remakeReasons: JSON.stringify(["Falscher Zuschnitt"]) },
    });
    try {
      const [kept, turnedDown] = [await labOrder(stack, "lea"), await labOrder(stack, "max")];
      await lab(stack, kept.foId, "accept", { message: "Druck läuft" });
      await lab(stack, turnedDown.foId, "reject", { message: "Kein Lustre-Papier" });
      await workerSettled(db);

      // The turned-down request is stuck: re-routed to the Studio from the stuck view (a repair).
      await openApp(tab, stack, "/app/stuck", german("stuck.title"), DE);
      await tab.getByRole("button", { name: german("stuck.scan") }).click();
      const stuck = tab.locator("tbody tr").filter({ hasText: turnedDown.name });
      await stuck.waitFor({ timeout: 60_000 });
      await stuck
        .getByRole("button", { name: german("stuck.rerouteOrder", { order: turnedDown.name }) })
        .click();
      await waitFor(
        "the repair to finish",
        () => db.finding.findFirst({ where: { fulfillmentOrderId: turnedDown.foId } }),
        (f) => f?.status === "repaired",
      );

      // The accepted order is canceled: refused while the lab holds it (the lab is asked to let
      // go), then canceled once it has.
      const orderPage = (o: LabOrder) =>
        openApp(
          tab,
          stack,
          `/app/orders/${numberOf(o.orderId)}`,
          german("order.title", { name: o.name }),
          DE,
        );
      const card = (title: string) =>
        tab
          .locator(".Polaris-ShadowBevel")
          .filter({ has: tab.getByRole("heading", { name: title, level: 2 }) });
      await orderPage(kept);
      const cancelCard = card(german("afterSales.cancel.title"));
      const cancel = async () => {
        await cancelCard.getByRole("button", { name: german("afterSales.cancel.open") }).click();
        const dialog = tab.getByRole("dialog");
        await dialog.getByText(german("afterSales.cancel.refundOriginal"), { exact: true }).click();
        await dialog.getByRole("button", { name: german("afterSales.cancel.confirm") }).click();
      };
      await cancel();
      const refusal = cancelCard
        .getByRole("alert")
        .filter({ hasText: german("afterSales.cancel.refused") });
      await refusal.waitFor({ timeout: 60_000 });
      await lab(stack, kept.foId, "accept-cancellation");
      await workerSettled(db);
      await refusal.getByRole("button").click();
      await cancel();
      await waitFor(
        `${kept.name} to be canceled`,
        () => stack.orderState<{ cancelled: boolean }>(kept.orderId),
        (o) => o.cancelled,
      );
      await workerSettled(db);

      // The re-routed order is remade.
      await orderPage(turnedDown);
      const remake = card(german("afterSales.remake.title"));
      await remake.getByRole("button", { name: german("afterSales.remake.open") }).click();
      const dialog = tab.getByRole("dialog");
      await dialog.getByRole("spinbutton").first().fill("1");
      await dialog
        .getByRole("combobox", { name: german("afterSales.remake.reason") })
        .selectOption("Falscher Zuschnitt");
      await dialog.getByRole("button", { name: german("afterSales.remake.confirm") }).click();
      await remake.getByText(german("afterSales.remake.remadeAs")).waitFor({ timeout: 60_000 });
      await workerSettled(db);

      // Each order's trace and timeline: these steps and answers in German, nothing in English.
      const trace = () => card(german("order.trace.title"));
      await orderPage(kept);
      for (const line of [
        german("shopifyEvents.requestAcceptedSaid", { message: "Druck läuft" }),
        german("shopifyEvents.cancellationAccepted"),
        german("engine.step.askToCancel", { service: "Partner Lab" }),
        german("engine.step.cancelOrder", { order: kept.name }),
      ])
        await expect.poll(() => trace().innerText(), { timeout: 30_000 }).toContain(line);
      await checkGerman(tab, "order-canceled-trace");

      await orderPage(turnedDown);
      for (const line of [
        german("shopifyEvents.requestRejectedSaid", { message: "Kein Lustre-Papier" }),
        german("engine.step.move", { from: "Partner Lab", to: "Studio" }),
        german("engine.step.createRemake", {
          order: turnedDown.name,
          reason: "Falscher Zuschnitt",
        }),
      ])
        await expect.poll(() => trace().innerText(), { timeout: 30_000 }).toContain(line);
      expect(await trace().innerText()).toContain(german("engine.why.repair", { finding: "" }));
      await checkGerman(tab, "order-repaired-remade-trace");
    } finally {
      await db.rule.delete({ where: { id: labRule.id } });
      await db.rule.updateMany({ where: { shop: stack.shop }, data: { position: 0 } });
    }
  });
});

interface LabOrder {
  orderId: string;
  name: string;
  foId: string;
}

/** Partner Lab answers, as the fulfillment service app that owns its location. */
const lab = (stack: Stack, foId: string, action: string, body: Record<string, unknown> = {}) =>
  stack.control("POST", `/_sim/fulfillment-orders/${encodeURIComponent(foId)}/service-response`, {
    action,
    ...body,
  });

/** A print the Studio has none of: Shopify routes it to Partner Lab and the rule asks the lab. */
async function labOrder(stack: Stack, buyer: string): Promise<LabOrder> {
  const placed = await stack.createOrder({
    payment: "paid",
    email: `${buyer}@example.com`,
    customer: { email: `${buyer}@example.com`, firstName: buyer, lastName: "Labor" },
    lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
  });
  type Fo = { id: string; requestStatus: string; location: { name: string } };
  const state = await waitFor(
    `the request for ${placed.name}`,
    () => stack.orderState<{ fulfillmentOrders: Fo[] }>(placed.orderId),
    (o) =>
      o.fulfillmentOrders.some(
        (f) => f.location.name === "Partner Lab" && f.requestStatus === "SUBMITTED",
      ),
  );
  const fo = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab")!;
  return { orderId: placed.orderId, name: placed.name, foId: fo.id };
}
