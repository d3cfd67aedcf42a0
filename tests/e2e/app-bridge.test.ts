// The simulator's App Bridge stand-in in Chromium, on a page that uses it as App Bridge React does:
// the shopify global, Bearer tokens on fetch, the bounce page and the ui-* elements.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { Page } from "playwright-core";
import { hostParam, verifySessionToken } from "../../simulator/src/auth/index.ts";
import { startAuthSimulator, type AuthSimulator } from "./support/auth-simulator.ts";
import { browserTest as test, expect } from "./support/harness.ts";
import { freePort } from "./support/ports.ts";

const SHOP = "bridge-test.myshopify.com";
const API_KEY = "bridge-api-key";
const API_SECRET = "bridge-api-secret";

let dir: string;
let simulator: AuthSimulator;
let appOrigin: string;
let appPort: number;
let appServer: ServerType | undefined;

// The app's page as App Bridge React renders it: the script first, then the elements.
const appPage = (simulatorOrigin: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Fixture</title>
<script src="${simulatorOrigin}/app-bridge.js" data-api-key="${API_KEY}"></script>
</head><body>
<ui-nav-menu><a href="/app" rel="home">Home</a><a href="/app/rules">Rules</a></ui-nav-menu>
<ui-title-bar title="Rules"><button variant="primary" onclick="window.clicked.push('add-rule')">Add rule</button></ui-title-bar>
<ui-save-bar id="rule-form"><button variant="primary" onclick="window.clicked.push('save')">Save</button><button onclick="window.clicked.push('discard')">Discard</button></ui-save-bar>
<ui-modal id="confirm" variant="small"><ui-title-bar title="Delete rule"><button variant="primary" onclick="window.clicked.push('delete')">Delete</button></ui-title-bar><div></div></ui-modal>
<main><h1>Fixture</h1></main>
<script>
  window.clicked = [];
  window.events = [];
  addEventListener("shopify:navigate", (e) => window.events.push("navigate " + e.target.getAttribute("href")));
  for (const id of ["rule-form", "confirm"]) {
    const el = document.getElementById(id);
    el.addEventListener("show", () => window.events.push(id + " show"));
    el.addEventListener("hide", () => window.events.push(id + " hide"));
  }
  // App Bridge React portals the modal's children into modal.content.
  const body = document.createElement("p");
  body.textContent = "This cannot be undone.";
  document.getElementById("confirm").content.appendChild(body);
</script>
</body></html>`;

const BOUNCE_PAGE = (simulatorOrigin: string) =>
  `<script data-api-key="${API_KEY}" src="${simulatorOrigin}/app-bridge.js"></script>`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "e2e-bridge-"));
  appPort = await freePort();
  appOrigin = `http://127.0.0.1:${appPort}`;
  simulator = await startAuthSimulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: appOrigin,
    scopes: "read_orders",
    shops: [SHOP],
    dir,
  });
  // The app's origin is a real local server: Chromium lets a loopback page call the simulator on
  // loopback, but refuses it to a page the test runner fulfils itself (Local Network Access).
  const fixture = new Hono();
  fixture.get("/auth/session-token", (c) => c.html(BOUNCE_PAGE(simulator.origin)));
  fixture.get("/data", (c) => c.json({ authorization: c.req.header("authorization") ?? null }));
  fixture.get("*", (c) => c.html(appPage(simulator.origin)));
  appServer = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: fixture.fetch, port: appPort, hostname: "127.0.0.1" }, () =>
      resolve(started),
    );
  });
});

afterAll(async () => {
  await new Promise((resolve) => (appServer ? appServer.close(resolve) : resolve(undefined)));
  await simulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the fixture page as admin opens an embedded app. */
async function openApp(page: Page): Promise<Page> {
  const params = new URLSearchParams({ embedded: "1", shop: SHOP, host: hostParam(SHOP) });
  await page.goto(`${appOrigin}/app?${params.toString()}`);
  return page;
}

test.describe("App Bridge stand-in", () => {
  test("sets up the shopify global from the page's shop and the script's API key", async ({
    page,
  }) => {
    const tab = await openApp(page);
    const config = await tab.evaluate(() => (window as unknown as Fixture).shopify.config);
    expect(config).toMatchObject({ apiKey: API_KEY, shop: SHOP, host: hostParam(SHOP) });
  });

  test("shopify.idToken() gives a fresh session token signed for the shop", async ({ page }) => {
    const tab = await openApp(page);
    const [a, b] = await tab.evaluate(() =>
      Promise.all([
        (window as unknown as Fixture).shopify.idToken(),
        (window as unknown as Fixture).shopify.idToken(),
      ]),
    );
    const later = await tab.evaluate(() => (window as unknown as Fixture).shopify.idToken());
    expect(later).not.toBe(a);
    expect(a).toBe(b); // concurrent callers share one round trip
    const check = await verifySessionToken(later, { apiKey: API_KEY, apiSecret: API_SECRET });
    expect(check).toMatchObject({ ok: true, shop: SHOP });
  });

  test("adds a Bearer session token to the app's own fetches only", async ({ page }) => {
    const tab = await openApp(page);
    const own = await tab.evaluate(
      async () => (await (await fetch("/data")).json()) as { authorization: string },
    );
    expect(own.authorization).toMatch(/^Bearer ey/);
    // A request that already says who it is keeps its header.
    const explicit = await tab.evaluate(
      async () =>
        (await (await fetch("/data", { headers: { Authorization: "Bearer mine" } })).json()) as {
          authorization: string;
        },
    );
    expect(explicit.authorization).toBe("Bearer mine");
    // Another origin never sees the merchant's token.
    let foreign: string | undefined = "unset";
    await tab.route(`${simulator.origin}/elsewhere`, (route) => {
      foreign = route.request().headers()["authorization"];
      return route.fulfill({
        status: 200,
        body: "{}",
        headers: { "Access-Control-Allow-Origin": "*" },
      });
    });
    await tab.evaluate((origin) => fetch(`${origin}/elsewhere`), simulator.origin);
    expect(foreign).toBeUndefined();
  });

  test("retries once with a new token when the app answers 401 with X-Shopify-Retry-Invalid-Session-Request", async ({
    page,
    browserErrors,
  }) => {
    const tab = await openApp(page);
    const tokens: string[] = [];
    await tab.route(`${appOrigin}/flaky`, (route) => {
      tokens.push(route.request().headers()["authorization"] ?? "");
      return tokens.length === 1
        ? route.fulfill({
            status: 401,
            headers: { "X-Shopify-Retry-Invalid-Session-Request": "1" },
            body: "",
          })
        : route.fulfill({ status: 200, body: "ok" });
    });
    expect(
      await tab.evaluate(
        async () => (await fetch("/flaky", { method: "POST", body: "x=1" })).status,
      ),
    ).toBe(200);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).not.toBe(tokens[0]);
    // A 401 without the header is the app's answer, not a token problem: no retry.
    await tab.route(`${appOrigin}/denied`, (route) => {
      tokens.push("denied");
      return route.fulfill({ status: 401, body: "" });
    });
    expect(await tab.evaluate(async () => (await fetch("/denied")).status)).toBe(401);
    expect(tokens.filter((t) => t === "denied")).toHaveLength(1);
    // Chromium logs each deliberate 401 as a failed resource.
    browserErrors.allow(/status of 401/);
  });

  test("on the bounce page, reloads the shopify-reload URL with a fresh id_token", async ({
    page,
  }) => {
    const reload = `${appOrigin}/app?embedded=1&shop=${SHOP}&host=${encodeURIComponent(hostParam(SHOP))}`;
    const bounce = new URLSearchParams({
      embedded: "1",
      shop: SHOP,
      host: hostParam(SHOP),
      "shopify-reload": reload,
    });
    await page.goto(`${appOrigin}/auth/session-token?${bounce.toString()}`);
    await page.waitForURL((u) => u.pathname === "/app" && u.searchParams.has("id_token"));
    const idToken = new URL(page.url()).searchParams.get("id_token") ?? "";
    expect(
      await verifySessionToken(idToken, { apiKey: API_KEY, apiSecret: API_SECRET }),
    ).toMatchObject({ ok: true });
  });

  test("refuses to bounce into another origin", async ({ page, browserErrors }) => {
    const bounce = new URLSearchParams({ shop: SHOP, "shopify-reload": "http://evil.example/app" });
    await page.goto(`${appOrigin}/auth/session-token?${bounce.toString()}`);
    await expect
      .poll(() =>
        browserErrors.seen().some((p) => p.includes("refusing to reload into another origin")),
      )
      .toBe(true);
    expect(new URL(page.url()).pathname).toBe("/auth/session-token");
    browserErrors.allow(/refusing to reload into another origin/);
  });

  test("toast shows a visible status message that goes away; an error toast is an alert", async ({
    page,
  }) => {
    const tab = await openApp(page);
    await tab.evaluate(() =>
      // Long enough to be seen on a loaded machine before it goes away by itself.
      (window as unknown as Fixture).shopify.toast.show("Rule saved", { duration: 3000 }),
    );
    const toast = tab.getByRole("status").filter({ hasText: "Rule saved" });
    expect(await toast.isVisible()).toBe(true);
    await toast.waitFor({ state: "detached" });
    await tab.evaluate(() =>
      (window as unknown as Fixture).shopify.toast.show("Could not save", { isError: true }),
    );
    expect(await tab.getByRole("alert").filter({ hasText: "Could not save" }).isVisible()).toBe(
      true,
    );
  });

  test("loading(true) shows admin's progress bar and loading(false) removes it", async ({
    page,
  }) => {
    const tab = await openApp(page);
    await tab.evaluate(() => (window as unknown as Fixture).shopify.loading(true));
    expect(await tab.getByRole("progressbar", { name: "Loading" }).isVisible()).toBe(true);
    await tab.evaluate(() => (window as unknown as Fixture).shopify.loading(false));
    expect(await tab.getByRole("progressbar").count()).toBe(0);
  });

  test("ui-nav-menu lists the app's links; a click dispatches shopify:navigate on the app's own <a>", async ({
    page,
  }) => {
    const tab = await openApp(page);
    const menu = tab.locator("ui-nav-menu");
    expect(await menu.getByRole("link").allTextContents()).toEqual(["Home", "Rules"]);
    await menu.getByRole("link", { name: "Rules" }).click();
    expect(await tab.evaluate(() => (window as unknown as Fixture).events)).toEqual([
      "navigate /app/rules",
    ]);
    // The click did not leave the page: the app's router decides.
    expect(new URL(tab.url()).pathname).toBe("/app");
  });

  test("ui-title-bar shows the title and its buttons, whose clicks reach the app's handlers", async ({
    page,
  }) => {
    const tab = await openApp(page);
    const bar = tab.locator("body > ui-title-bar");
    expect(await bar.getByText("Rules", { exact: true }).isVisible()).toBe(true);
    await bar.getByRole("button", { name: "Add rule" }).click();
    expect(await tab.evaluate(() => (window as unknown as Fixture).clicked)).toEqual(["add-rule"]);
  });

  test("ui-save-bar: saveBar.show/hide draw the bar, fire show/hide, and its buttons reach the app", async ({
    page,
  }) => {
    const tab = await openApp(page);
    const region = tab.getByRole("region", { name: "Unsaved changes" });
    expect(await region.count()).toBe(0);
    await tab.evaluate(() => (window as unknown as Fixture).shopify.saveBar.show("rule-form"));
    expect(await region.isVisible()).toBe(true);
    await region.getByRole("button", { name: "Save" }).click();
    await region.getByRole("button", { name: "Discard" }).click();
    await tab.evaluate(() => (window as unknown as Fixture).shopify.saveBar.hide("rule-form"));
    expect(await region.count()).toBe(0);
    expect(
      await tab.evaluate(() => [
        (window as unknown as Fixture).clicked,
        (window as unknown as Fixture).events,
      ]),
    ).toEqual([
      ["save", "discard"],
      ["rule-form show", "rule-form hide"],
    ]);
  });

  test("ui-modal: show/hide/toggle, its title and content, footer buttons, Escape closes", async ({
    page,
  }) => {
    const tab = await openApp(page);
    const dialog = tab.getByRole("dialog", { name: "Delete rule" });
    await tab.evaluate(() => (window as unknown as Fixture).shopify.modal.show("confirm"));
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.getByText("This cannot be undone.").isVisible()).toBe(true);
    await dialog.getByRole("button", { name: "Delete" }).click();
    await tab.keyboard.press("Escape");
    expect(await dialog.count()).toBe(0);
    await tab.evaluate(() =>
      (document.getElementById("confirm") as HTMLElement & { toggle(): Promise<void> }).toggle(),
    );
    expect(await dialog.isVisible()).toBe(true);
    await tab.evaluate(() => (window as unknown as Fixture).shopify.modal.hide("confirm"));
    expect(
      await tab.evaluate(() => [
        (window as unknown as Fixture).clicked,
        (window as unknown as Fixture).events,
      ]),
    ).toEqual([["delete"], ["confirm show", "confirm hide", "confirm show", "confirm hide"]]);
  });
});

// What the fixture page and the stand-in put on window, for the evaluate callbacks above (a
// local type, so the test does not retype the app's own `shopify` global).
interface Fixture {
  clicked: string[];
  events: string[];
  shopify: {
    config: { apiKey: string; shop: string; host: string };
    idToken(): Promise<string>;
    toast: { show(message: string, options?: { duration?: number; isError?: boolean }): string };
    loading(on: boolean): void;
    saveBar: { show(id: string): Promise<void>; hide(id: string): Promise<void> };
    modal: { show(id: string): Promise<void>; hide(id: string): Promise<void> };
  };
}
