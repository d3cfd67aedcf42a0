// The admin extensions as Shopify admin runs them: each is type-checked and bundled offline, then
// its bundle renders in a DOM (happy-dom) with the admin extension API faked at its documented
// surface (selected orders, session token, translations, close). Its fetches reach the app's real
// routes with a session token the simulator minted, through the app's real authentication.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { Window } from "happy-dom";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ruleToStored, type Rule } from "~/routing";
import {
  bundleExtension,
  extensionLocales,
  uiExtensions,
  type UiExtension,
} from "../../scripts/extensions-build";
import { createFakeAdminApi } from "../../extensions/dev-host/admin-api";
import { emptyTables, inEnglish } from "../support/integration";
import { triggerWords } from "~/routing/words";
import { startShopSimulator } from "../support/shop-simulator";
import { stuckAtPartnerLab } from "../support/stuck-request";

const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";
const { default: db } = await import("~/db.server");
const { jobQueue } = await import("~/process-queue.server");
const { handleBulkItem } = await import("~/fulfilment/bulk.server");
const { QUEUES } = await import("~/fulfilment/queues");
const { routeOrder } = await import("~/fulfilment/route-order.server");
const { gatewayForShop } = await import("~/gateways.server");
const { recordLabReport, scanShop } = await import("~/fulfilment/drift.server");
const orderRoute = await import("~/routes/api.extensions.orders.$id");
const bulkRoute = await import("~/routes/api.extensions.bulk._index");
const progressRoute = await import("~/routes/api.extensions.bulk.$id");

type Handler = (args: LoaderFunctionArgs) => Promise<Response>;

// While set, the network between admin and the app is down: fetch rejects, as a browser's does.
let networkDown = false;

/** Admin resolves an extension's "/api/…" fetch against the app's URL; here it reaches the routes in-process. */
async function appFetch(path: string, init: RequestInit = {}): Promise<Response> {
  if (networkDown) throw new TypeError("Failed to fetch");
  const routes: [RegExp, { loader: Handler; action: Handler }, string?][] = [
    [/^\/api\/extensions\/orders\/(\d+)$/, orderRoute, "id"],
    [/^\/api\/extensions\/bulk$/, bulkRoute],
    [/^\/api\/extensions\/bulk\/([\w-]+)$/, progressRoute, "id"],
  ];
  const request = new Request(`${process.env.SHOPIFY_APP_URL}${path}`, {
    ...init,
    headers: {
      ...(init.headers as Record<string, string>),
      Origin: "https://extensions.shopifycdn.com",
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36",
    },
  });
  const { pathname } = new URL(request.url);
  for (const [pattern, route, param] of routes) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    const handler = request.method === "GET" ? route.loader : route.action;
    let response: Response;
    try {
      response = await handler({
        request,
        params: param ? { [param]: match[1]! } : {},
        context: {},
      });
    } catch (thrown) {
      // Anything else thrown is Remix's bare 500, which carries no CORS headers.
      if (!(thrown instanceof Response)) throw new TypeError("Failed to fetch");
      response = thrown;
    }
    // The extension runs on another origin: without CORS headers its fetch rejects, as a browser's.
    if (!response.headers.get("Access-Control-Allow-Origin"))
      throw new TypeError("Failed to fetch");
    return response;
  }
  return new Response("Not found", { status: 404 });
}

const tokensMinted: string[] = [];
async function idToken(): Promise<string> {
  const { token } = await sim.control<{ token: string }>(
    "GET",
    `/_sim/session-token?shop=${sim.shop}`,
  );
  tokensMinted.push(token);
  return token;
}

/** Renders an extension's bundle as admin would: its default export, with `shopify` and a DOM. */
async function renderExtension(extension: UiExtension, selected: string[], locale = "en") {
  const window = new Window({ url: "https://admin.shopify.com/store/demo/orders" });
  const document = window.document;
  let closed = false;
  const shopify = createFakeAdminApi({
    target: extension.target,
    selected,
    // Admin hands the extension the locale file of the merchant's language.
    messages: extensionLocales(extension)[locale] as Record<string, unknown>,
    locale,
    idToken,
    onClose: () => (closed = true),
  });
  const module = { exports: {} as { default?: () => Promise<void> } };
  const code = await bundleExtension(extension, "cjs");
  new Function("module", "exports", "document", "window", "shopify", "fetch", code)(
    module,
    module.exports,
    document,
    window,
    shopify,
    appFetch,
  );
  await module.exports.default!();
  const body = document.body as unknown as HTMLElement;
  return {
    body,
    isClosed: () => closed,
    async waitFor(check: () => boolean, what: string, ms = 10_000) {
      for (let i = 0; i < ms / 50; i++) {
        if (check()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`Timed out waiting for ${what}; the page shows: ${body.innerHTML}`);
    },
    button(label: string) {
      const found = [...body.querySelectorAll("s-button")].find(
        (b) => b.textContent?.trim() === label,
      );
      if (!found) throw new Error(`No button "${label}" in ${body.innerHTML}`);
      return found;
    },
    click(element: Element) {
      element.dispatchEvent(new window.Event("click") as unknown as Event);
    },
    /** A field by its label, as the merchant finds it. */
    field(tag: "s-select" | "s-text-field", label: string) {
      const found = body.querySelector(`${tag}[label="${label}"]`);
      if (!found) throw new Error(`No ${tag} "${label}" in ${body.innerHTML}`);
      return found;
    },
    /**
     * Picks an option of a Polaris select: its value changes, then it fires `change`. Resolves once
     * Preact has rendered the choice, as the merchant sees it before the next click.
     */
    async choose(label: string, optionText: string) {
      const select = this.field("s-select", label);
      const option = [...select.querySelectorAll("s-option")].find(
        (o) => o.textContent?.trim() === optionText,
      );
      if (!option) throw new Error(`No option "${optionText}" in ${select.outerHTML}`);
      (select as unknown as { value: string }).value = option.getAttribute("value")!;
      select.dispatchEvent(new window.Event("change") as unknown as Event);
      await new Promise((r) => setTimeout(r, 0));
    },
    /** Types into a Polaris text field: its value changes, then it fires `input` (rendered, as above). */
    async type(label: string, text: string) {
      const input = this.field("s-text-field", label);
      (input as unknown as { value: string }).value = text;
      input.dispatchEvent(new window.Event("input") as unknown as Event);
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

/** The worker runs the bulk job's items, as it would in the app's process. */
async function runBulkJobs() {
  const worker = { db, queue: jobQueue(), gatewayFor: gatewayForShop, now: () => new Date() };
  return jobQueue().drain(QUEUES.bulkItem, (job) => handleBulkItem(worker, job));
}

const extension = (handle: string) => {
  const found = uiExtensions().find((e) => e.handle === handle);
  if (!found) throw new Error(`no extension ${handle}`);
  return found;
};

afterAll(async () => {
  await sim.stop();
});
beforeEach(async () => {
  await sim.reset();
  await emptyTables(db);
  await db.shop.create({
    data: { shop: sim.shop, defaultMode: "manual", digitalDownloads: "automatic" },
  });
  const rule: Rule = {
    id: "rule-review",
    name: "Review lab prints",
    enabled: true,
    position: 0,
    match: "all",
    lines: "any",
    keepChecking: false,
    conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
    actions: [{ type: "hold_for_review", note: "Check the crop" }],
  };
  await db.rule.create({ data: { ...ruleToStored(rule), shop: sim.shop } });
});

async function heldOrder() {
  const order = await sim.createOrder({
    lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
    payment: "paid",
  });
  // The first authenticated request installs the shop (token exchange), as opening the app does.
  await appFetch("/api/extensions/orders/0", {
    headers: { Authorization: `Bearer ${await idToken()}` },
  });
  await routeOrder(
    { db, gateway: await gatewayForShop(sim.shop), now: () => new Date() },
    // As the worker routes it when orders/paid is the first of the order's webhooks.
    { shop: sim.shop, orderId: order.orderId, trigger: "webhook", cause: "orders/paid" },
  );
  return order;
}

describe("building the extensions", () => {
  it("declares one ui_extension per target, each with English and German locales", () => {
    const found = uiExtensions();
    expect(found.map((e) => e.target).sort()).toEqual([
      "admin.order-details.block.render",
      "admin.order-index.selection-action.render",
    ]);
    for (const e of found) {
      const locales = extensionLocales(e);
      expect(Object.keys(locales).sort()).toEqual(["de", "en"]);
      // Every English key has a German translation.
      const keys = (o: unknown, prefix = ""): string[] =>
        Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
          v && typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
        );
      expect(keys(locales.de).sort()).toEqual(keys(locales.en).sort());
    }
  });

  it("type-checks against @shopify/ui-extensions' Polaris web components and target APIs", async () => {
    await promisify(execFile)(process.execPath, [
      "node_modules/typescript/bin/tsc",
      "-p",
      "extensions/tsconfig.json",
    ]);
  }, 120_000);

  it("bundles each extension offline into one ES module with a default export", async () => {
    for (const e of uiExtensions()) {
      const code = await bundleExtension(e);
      expect(code).toMatch(/export\s*\{[^}]*as default/);
      expect(code).not.toMatch(/from\s*"(https?:|preact)/);
    }
  });
});

describe("the order details block", () => {
  it("shows the decision, the app's hold and its reason, the next actions and a link to the app", async () => {
    const { orderId } = await heldOrder();
    const page = await renderExtension(extension("order-routing-block"), [orderId]);
    // What started the decision, in the app catalogue's words: the webhook that came first.
    const started = await inEnglish(triggerWords("webhook", "orders/paid"));
    await page.waitFor(() => page.body.textContent!.includes(started), "the decision");
    const text = page.body.textContent!;
    expect(text).toContain("Check the crop");
    expect(page.button("Approve")).toBeTruthy();
    expect(page.button("Release hold")).toBeTruthy();
    expect(page.button("Route again")).toBeTruthy();
    const link = page.body.querySelector("s-link")!;
    expect(link.getAttribute("href")).toBe(`app:/app/orders/${orderId.split("/").pop()}`);
    // Its requests carried a session token the simulator minted for this shop.
    expect(tokensMinted.length).toBeGreaterThan(0);
  });

  it("releases the hold on a click, through the app, and shows the answer in the block", async () => {
    const { orderId } = await heldOrder();
    const page = await renderExtension(extension("order-routing-block"), [orderId]);
    await page.waitFor(() => page.body.textContent!.includes("Release hold"), "the actions");
    page.click(page.button("Release hold"));
    await page.waitFor(
      () => page.body.querySelector('s-banner[tone="success"]') !== null,
      "the success banner",
    );
    expect(page.body.querySelector('s-banner[tone="success"]')!.textContent).toBe(
      "Released the app's hold.",
    );
    expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.holds).toEqual([]);
    expect(page.body.textContent).not.toContain("Release hold");
  });
});

/** A sentence of an extension's own locale file, as admin hands it to the extension. */
const localeText = (name: string, lang: string, key: string) =>
  (extensionLocales(extension(name))[lang] as Record<string, string>)[key]!;

describe("the extensions when the app cannot be reached", () => {
  afterEach(() => {
    networkDown = false;
  });

  it("the block says so in the merchant's words on a click, and stays usable", async () => {
    const { orderId } = await heldOrder();
    const page = await renderExtension(extension("order-routing-block"), [orderId]);
    await page.waitFor(() => page.body.textContent!.includes("Release hold"), "the actions");
    networkDown = true;
    page.click(page.button("Release hold"));
    const said = localeText("order-routing-block", "en", "unreachable");
    await page.waitFor(
      () => page.body.querySelector('s-banner[tone="critical"]')?.textContent === said,
      "the critical banner",
    );
    networkDown = false;
    page.click(page.button("Release hold"));
    await page.waitFor(
      () => page.body.querySelector('s-banner[tone="success"]') !== null,
      "the success banner",
    );
  });

  it("the block says so in the merchant's words when it cannot load", async () => {
    const { orderId } = await heldOrder();
    networkDown = true;
    const page = await renderExtension(extension("order-routing-block"), [orderId], "de");
    const said = localeText("order-routing-block", "de", "unreachable");
    await page.waitFor(() => page.body.textContent!.includes(said), "the German sentence");
    expect(page.body.textContent).not.toContain("TypeError");
  });

  it("the action says so in the merchant's words and starts nothing", async () => {
    const { orderId } = await heldOrder();
    const page = await renderExtension(extension("order-routing-action"), [orderId]);
    networkDown = true;
    page.click(page.button("Start"));
    const said = localeText("order-routing-action", "en", "unreachable");
    await page.waitFor(() => page.body.textContent!.includes(said), "the sentence");
    expect(await db.bulkJob.count()).toBe(0);
  });
});

describe("the extensions when Shopify does not answer", () => {
  afterEach(async () => {
    await sim.control("POST", "/_sim/faults", { reset: true });
  });

  it("the block says Shopify did not answer, in the merchant's words, not that the app is unreachable", async () => {
    const { translatorOf } = await import("~/i18n/i18next.server");
    // An order the app has not decided on yet: the block can only read it from Shopify.
    const order = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    // The first authenticated request installs the shop (token exchange), as opening the app does.
    await appFetch("/api/extensions/orders/0", {
      headers: { Authorization: `Bearer ${await idToken()}` },
    });
    await sim.control("POST", "/_sim/faults", { errorRate: 1 });
    const page = await renderExtension(extension("order-routing-block"), [order.orderId], "de");
    const said = (await translatorOf("de"))("extensions.shopifyDidNotAnswer");
    // The app answers once the gateway's retries give up.
    await page.waitFor(() => page.body.textContent!.includes(said), "the German sentence", 50_000);
    expect(page.body.textContent).not.toContain(
      localeText("order-routing-block", "de", "unreachable"),
    );
  }, 60_000);
});

describe("the order details block on an order with a stuck request", () => {
  it("shows the stuck warning in admin's words, and its Repair button starts the repair with a report link", async () => {
    const order = await sim.createOrder({
      lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
      payment: "paid",
    });
    await appFetch("/api/extensions/orders/0", {
      headers: { Authorization: `Bearer ${await idToken()}` },
    });
    await stuckAtPartnerLab(sim, db, order.orderId);

    const page = await renderExtension(extension("order-routing-block"), [order.orderId]);
    await page.waitFor(() => page.body.textContent!.includes("Request stuck"), "the warning");
    expect(page.body.querySelector('s-banner[tone="warning"]')!.textContent).toMatch(
      /Request stuck: Partner Lab has not accepted the request for #\d+ in 26 hours\./,
    );
    expect(page.body.textContent).toContain("Requested, waiting for the service");
    expect(page.button("Repair").getAttribute("variant")).toBe("primary");
    page.click(page.button("Repair"));
    await page.waitFor(
      () => page.body.querySelector('s-banner[tone="success"]') !== null,
      "the repair's answer",
    );
    const job = await db.bulkJob.findFirstOrThrow();
    expect(job.action).toBe("repair");
    const banner = page.body.querySelector('s-banner[tone="success"]')!;
    expect(banner.textContent).toContain("Repair started.");
    expect(banner.querySelector("s-link")!.getAttribute("href")).toBe(`app:/app/bulk/${job.id}`);
  });
});

describe("the order details block in German", () => {
  it("shows the app's warnings in the merchant's language", async () => {
    const order = await sim.createOrder({
      lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
      payment: "paid",
    });
    await appFetch("/api/extensions/orders/0", {
      headers: { Authorization: `Bearer ${await idToken()}` },
    });
    await stuckAtPartnerLab(sim, db, order.orderId);

    const page = await renderExtension(extension("order-routing-block"), [order.orderId], "de");
    await page.waitFor(() => page.body.textContent!.includes("Anfrage hängt:"), "the warning");
    const warning = page.body.querySelector('s-banner[tone="warning"]')!;
    expect(warning.getAttribute("heading")).toBe("Aufmerksamkeit erforderlich");
    expect(warning.textContent).toMatch(/^Anfrage hängt: Partner Lab .*#\d+.*26 Stunden/);
    expect(warning.textContent).not.toMatch(/has not|accepted|hours/);
    expect(page.body.textContent).toContain("Angefragt, wartet auf den Dienst");
    expect(page.button("Reparieren").getAttribute("variant")).toBe("primary");
  });

  it("answers a click in German: what the app did", async () => {
    const { orderId } = await heldOrder();
    const page = await renderExtension(extension("order-routing-block"), [orderId], "de");
    await page.waitFor(() => page.body.textContent!.includes("Zurückhaltung aufheben"), "actions");
    page.click(page.button("Zurückhaltung aufheben"));
    await page.waitFor(
      () => page.body.querySelector('s-banner[tone="success"]') !== null,
      "the answer",
    );
    expect(page.body.querySelector('s-banner[tone="success"]')!.textContent).toBe(
      "Die Zurückhaltung der App ist aufgehoben.",
    );
    expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.holds).toEqual([]);
  });
});

describe("the order details block on an order with drift", () => {
  it("shows the drift the scan found on Shopify's side, and Repair fixes it on Shopify and clears the warning", async () => {
    // Two prints at Partner Lab; the lab says it shipped one, Shopify shows none fulfilled.
    const order = await sim.createOrder({
      lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 2 }],
      payment: "paid",
    });
    await appFetch("/api/extensions/orders/0", {
      headers: { Authorization: `Bearer ${await idToken()}` },
    });
    const gateway = await gatewayForShop(sim.shop);
    const deps = { db, gateway, now: () => new Date() };
    const fo = (await sim.orderState(order.orderId)).fulfillmentOrders.find(
      (f) => f.location.name === "Partner Lab",
    )!;
    const recorded = await recordLabReport(
      deps,
      sim.shop,
      {
        fulfillmentOrderId: fo.id,
        status: "shipped",
        lines: [{ lineItemId: fo.lineItems[0]!.lineItemId, quantity: 1 }],
        tracking: { company: "DHL", number: "00340434", url: null },
      },
      "Merchant",
    );
    expect(recorded.ok).toBe(true);
    await scanShop(deps, sim.shop);

    const page = await renderExtension(extension("order-routing-block"), [order.orderId]);
    await page.waitFor(() => page.body.textContent!.includes("Drift:"), "the drift warning");
    const warning = page.body.querySelector('s-banner[tone="warning"]')!;
    expect(warning.getAttribute("heading")).toBe("Needs attention");
    expect(warning.textContent).toMatch(
      /^Drift: Partner Lab shipped #\d+, but Shopify still shows it unfulfilled\.$/,
    );
    expect(page.button("Repair").getAttribute("variant")).toBe("primary");
    page.click(page.button("Repair"));
    await page.waitFor(
      () => page.body.querySelector('s-banner[tone="success"]') !== null,
      "the repair's answer",
    );
    const job = await db.bulkJob.findFirstOrThrow();
    expect(job).toMatchObject({ action: "repair", total: 1 });
    expect(page.body.querySelector('s-banner[tone="success"] s-link')!.getAttribute("href")).toBe(
      `app:/app/bulk/${job.id}`,
    );
    expect(await runBulkJobs()).toBe(1);
    expect(await db.bulkJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "finished",
      succeeded: 1,
    });
    // On Shopify: the shipped print is fulfilled with the lab's tracking, the other one stays open.
    const state = await sim.orderState(order.orderId);
    expect(state.fulfillments).toHaveLength(1);
    expect(
      state.fulfillmentOrders.find((x) => x.location.name === "Partner Lab" && x.status === "OPEN")
        ?.lineItems[0]?.remainingQuantity,
    ).toBe(1);
    // The block opened afresh no longer warns, and offers no repair.
    const again = await renderExtension(extension("order-routing-block"), [order.orderId]);
    await again.waitFor(
      () => again.body.textContent!.includes("Open in Fulfilment Router"),
      "the block",
    );
    expect(again.body.textContent).not.toContain("Drift:");
    expect(again.body.querySelector('s-banner[tone="warning"]')).toBeNull();
    expect([...again.body.querySelectorAll("s-button")].map((b) => b.textContent)).not.toContain(
      "Repair",
    );
  });
});

describe("the order index action", () => {
  it("starts one bulk job for the selected orders and follows it to the report link", async () => {
    const first = await heldOrder();
    const second = await heldOrder();
    const page = await renderExtension(extension("order-routing-action"), [
      first.orderId,
      second.orderId,
    ]);
    expect(page.body.textContent).toContain("2 orders selected");
    // Approve, the first choice: it lifts the review holds and sends the orders on.
    page.click(page.button("Start"));
    await page.waitFor(() => page.body.querySelector("s-progress") !== null, "the progress");
    const worker = { db, queue: jobQueue(), gatewayFor: gatewayForShop, now: () => new Date() };
    await jobQueue().drain(QUEUES.bulkItem, (job) => handleBulkItem(worker, job));
    await page.waitFor(() => page.body.textContent!.includes("Finished: 2 succeeded"), "the end");
    const job = await db.bulkJob.findFirstOrThrow();
    expect(job.action).toBe("approve");
    expect(page.body.querySelector("s-link")!.getAttribute("href")).toBe(`app:/app/bulk/${job.id}`);
    page.click(page.button("Close"));
    expect(page.isClosed()).toBe(true);
  });

  it("releases the app's holds on the selected orders: the job's progress, then its report link", async () => {
    const first = await heldOrder();
    const second = await heldOrder();
    const page = await renderExtension(extension("order-routing-action"), [
      first.orderId,
      second.orderId,
    ]);
    await page.choose("What to do", "Release the app's holds");
    page.click(page.button("Start"));
    // Started, not yet run: the progress shows nothing done of the job's two fulfillment orders.
    await page.waitFor(() => page.body.textContent!.includes("0 of 2 done"), "the progress");
    expect(page.body.querySelector("s-progress")!.getAttribute("max")).toBe("2");
    expect(page.body.querySelector("s-select")).toBeNull();
    expect(await runBulkJobs()).toBe(2);
    await page.waitFor(() => page.body.textContent!.includes("Finished: 2 succeeded"), "the end");
    expect(page.body.querySelector("s-progress")!.getAttribute("value")).toBe("2");
    const job = await db.bulkJob.findFirstOrThrow();
    expect(job).toMatchObject({ action: "release", total: 2, succeeded: 2 });
    expect(page.body.querySelector("s-link")!.getAttribute("href")).toBe(`app:/app/bulk/${job.id}`);
    for (const { orderId } of [first, second])
      expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.holds).toEqual([]);
  });

  it("holds the selected orders with the reason and note the merchant chose", async () => {
    const order = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await heldOrder();
    await routeOrder(
      { db, gateway: await gatewayForShop(sim.shop), now: () => new Date() },
      { shop: sim.shop, orderId: order.orderId, trigger: "webhook" },
    );
    expect((await sim.orderState(order.orderId)).fulfillmentOrders[0]!.holds).toEqual([]);
    const page = await renderExtension(extension("order-routing-action"), [order.orderId]);
    expect(page.body.textContent).toContain("1 order selected");
    // The reason and the note are asked for only when holding.
    expect(page.body.querySelector('s-select[label="Reason"]')).toBeNull();
    await page.choose("What to do", "Hold with a reason");
    await page.choose("Reason", "Incorrect address");
    await page.type("Note for your team", "Customer is moving, wait for the new address");
    page.click(page.button("Start"));
    await page.waitFor(() => page.body.querySelector("s-progress") !== null, "the progress");
    await runBulkJobs();
    await page.waitFor(() => page.body.textContent!.includes("Finished: 1 succeeded"), "the end");
    expect((await sim.orderState(order.orderId)).fulfillmentOrders[0]!.holds).toEqual([
      expect.objectContaining({
        reason: "INCORRECT_ADDRESS",
        reasonNotes: "Customer is moving, wait for the new address",
      }),
    ]);
  });

  it("routes the selected orders again with the rules as they are now", async () => {
    const order = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await heldOrder();
    await routeOrder(
      { db, gateway: await gatewayForShop(sim.shop), now: () => new Date() },
      { shop: sim.shop, orderId: order.orderId, trigger: "webhook" },
    );
    // The merchant adds a rule afterwards and wants it applied to orders already decided.
    const tagRule: Rule = {
      id: "rule-tag",
      name: "Tag Studio prints",
      enabled: true,
      position: 1,
      match: "all",
      lines: "any",
      keepChecking: false,
      conditions: [],
      actions: [{ type: "add_order_tags", tags: ["routed-again"] }],
    };
    await db.rule.create({ data: { ...ruleToStored(tagRule), shop: sim.shop } });
    const page = await renderExtension(extension("order-routing-action"), [order.orderId]);
    await page.choose("What to do", "Route again");
    page.click(page.button("Start"));
    await page.waitFor(() => page.body.querySelector("s-progress") !== null, "the progress");
    expect((await sim.orderState(order.orderId)).tags).not.toContain("routed-again");
    await runBulkJobs();
    await page.waitFor(() => page.body.textContent!.includes("Finished: 1 succeeded"), "the end");
    expect((await sim.orderState(order.orderId)).tags).toContain("routed-again");
    const job = await db.bulkJob.findFirstOrThrow();
    expect(job).toMatchObject({ action: "reroute", total: 1 });
    expect(page.body.querySelector("s-link")!.getAttribute("href")).toBe(`app:/app/bulk/${job.id}`);
  });

  it("shows the app's refusal beside the form and starts nothing", async () => {
    const page = await renderExtension(extension("order-routing-action"), [
      "gid://shopify/Order/999999",
    ]);
    await heldOrder();
    page.click(page.button("Start"));
    await page.waitFor(
      () => page.body.querySelector('s-banner[tone="critical"]') !== null,
      "the refusal",
    );
    expect(page.body.textContent).toContain("no open fulfillment orders");
    expect(await db.bulkJob.count()).toBe(0);
  });

  it("speaks the merchant's language, the app's refusal included", async () => {
    const page = await renderExtension(
      extension("order-routing-action"),
      ["gid://shopify/Order/999999"],
      "de",
    );
    await heldOrder();
    expect(page.body.textContent).toContain("1 Bestellung ausgewählt");
    await page.choose("Was soll geschehen", "Mit Grund zurückhalten");
    expect(page.field("s-select", "Grund")).toBeTruthy();
    page.click(page.button("Starten"));
    await page.waitFor(
      () => page.body.querySelector('s-banner[tone="critical"]') !== null,
      "the refusal",
    );
    expect(page.body.querySelector('s-banner[tone="critical"]')!.textContent).toBe(
      "Die App kennt keine offenen Fulfillment-Aufträge der ausgewählten Bestellungen.",
    );
    expect(await db.bulkJob.count()).toBe(0);
  });
});
