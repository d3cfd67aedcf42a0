// The one browser harness: the demo as production runs it (a migrated SQLite file, the full shop
// simulator with Shopify's faults of delivery, the built app on the production server entry
// server/index.ts with its worker embedded) and Debian's Chromium, as Vitest fixtures, so that a
// test file states only its story. Every tab a test opens is watched: a console error or an
// uncaught exception in it fails the test.
/* eslint-disable no-empty-pattern -- Vitest reads a fixture's dependencies from the pattern of its
   first parameter: `{}` is "none". */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test as base } from "vitest";
import type { Locator, Page, Response } from "playwright-core";
import { createDb, type Db } from "../../../app/db/client.server.ts";
import { migrate } from "../../../app/db/migrate.server.ts";
import type { FaultConfig } from "../../../simulator/src/faults.ts";
import { createSimulator, type Simulator } from "../../../simulator/src/server.ts";
import {
  APP_NOT_STARTED,
  startWebProcessOnFreePort,
  type AppChild,
} from "../../support/processes.ts";
import { WEBHOOK_FAULTS } from "../../support/webhook-faults.ts";
import { launchBrowser, watchForErrors, type Browser } from "./browser.ts";
import { english } from "./catalogue.ts";

/** The demo shop the simulator seeds (simulator/src/seed/demo.ts). */
export const DEMO_SHOP = "fulfilment-router-demo.myshopify.com";

/** Where screenshots are kept (ignored by git: they are looked at, not compared). */
export const ARTIFACTS = "tests/e2e/artifacts";

export interface SimOrderInput {
  lineItems: { sku: string; quantity: number; properties?: Record<string, string> }[];
  payment?: "paid" | "authorized" | "pending";
  tags?: string[];
  riskLevel?: "LOW" | "MEDIUM" | "HIGH";
  email?: string;
  customer?: { email: string; firstName?: string; lastName?: string; tags?: string[] };
  shippingAddress?: Record<string, string>;
  note?: string;
  /** Taxes the checkout charged on every taxable line (the simulator's `taxLines`). */
  taxLines?: { title: string; rate: number }[];
}

export interface PlacedOrder {
  orderId: string;
  name: string;
  fulfillmentOrderIds: string[];
}

/** The production app process: its address and what it printed, for a failing test's message. */
export interface AppServer {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

export interface Stack {
  shop: string;
  apiKey: string;
  apiSecret: string;
  databaseUrl: string;
  /** The app's database, as the test reads it. */
  db: Db;
  /** The simulator's origin: Admin API, control API, auth and the App Bridge stand-in. */
  simulatorUrl: string;
  simulator: Simulator;
  app: AppServer;
  /** Where a merchant enters the app from admin: `/_sim/open` with the path inside the app. */
  openUrl(path: string, params?: Record<string, string>): string;
  control<T = unknown>(method: "GET" | "POST", path: string, body?: unknown): Promise<T>;
  /** An order placed at checkout: Shopify's webhooks for it go to the app. */
  createOrder(order: SimOrderInput): Promise<PlacedOrder>;
  /** Places orders a few at a time, as checkouts arrive, and returns them in order. */
  placeOrders(orders: SimOrderInput[]): Promise<PlacedOrder[]>;
  /** The order as Shopify holds it (the simulator's control API). */
  orderState<T = unknown>(orderId: string): Promise<T>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /**
   * Faults of the simulator from the start. Default: webhook deliveries reordered and delayed, as
   * Shopify promises neither order nor promptness; `{}` for none.
   */
  faults?: Partial<FaultConfig>;
  log?: (line: string) => void;
  /** More environment for the app process (an operator's setting a test needs). */
  appEnv?: Record<string, string>;
  /** Chooses the app's ports (a test hands out a taken one first). */
  pickPort?: () => Promise<number>;
}

/** The scopes shopify.app.toml declares: what Shopify grants on install. */
function declaredScopes(): string {
  const match = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(readFileSync("shopify.app.toml", "utf8"));
  if (!match?.[1]) throw new Error("shopify.app.toml declares no access scopes");
  return match[1];
}

function asAppServer(child: AppChild & { url: string }): AppServer {
  return { url: child.url, pid: child.pid, output: child.output, stop: child.stop };
}

/** Starts the demo: database, simulator, production server; stopped in reverse order. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const apiKey = "e2e-api-key";
  const apiSecret = `e2e-secret-${Math.random().toString(36).slice(2)}`;
  const dir = mkdtempSync(join(tmpdir(), "e2e-stack-"));
  const databaseUrl = `file:${join(dir, "app.db")}`;
  await migrate(databaseUrl);

  // Every server takes its port as it starts (a port found free and given back is anyone's on a
  // shared machine until a server listens on it): the simulator in this process on port 0, then
  // the app on a port found free as it starts and another if that one was taken meanwhile; the
  // simulator learns the app's address last. Seeding waits for the simulator's own address, so the
  // demo orders' photo and print file links point at it.
  const simulator = createSimulator({
    apiKey,
    apiSecret,
    appUrl: APP_NOT_STARTED,
    scopes: declaredScopes(),
    seed: "empty",
    // Webhook retries after a slow start come back in milliseconds, not minutes.
    timeScale: 0.001,
    stateDir: dir,
    log: options.log,
  });
  const sim = await simulator.start(0);
  let app: AppServer;
  try {
    simulator.reset("demo");
    const problems = simulator.faults.set(options.faults ?? WEBHOOK_FAULTS);
    if (problems.length > 0) throw new Error(`Bad faults: ${problems.join("; ")}`);
    app = asAppServer(
      await startWebProcessOnFreePort(
        "app",
        (appUrl) => ({
          SHOPIFY_API_KEY: apiKey,
          SHOPIFY_API_SECRET: apiSecret,
          SHOPIFY_APP_URL: appUrl,
          DATABASE_URL: databaseUrl,
          SHOPIFY_ADMIN_ORIGIN: sim.url,
          APP_BRIDGE_URL: `${sim.url}/app-bridge.js`,
          WORKER: "embedded",
          ...options.appEnv,
        }),
        options.pickPort,
      ),
    );
  } catch (error) {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  simulator.setAppUrl(app.url);
  const db = createDb(databaseUrl);

  const control = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T;
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const createOrder = (order: SimOrderInput) =>
    control<PlacedOrder>("POST", "/_sim/orders", { shop: DEMO_SHOP, order });

  return {
    shop: DEMO_SHOP,
    apiKey,
    apiSecret,
    databaseUrl,
    db,
    simulatorUrl: sim.url,
    simulator,
    app,
    openUrl: (path, params = {}) =>
      `${sim.url}/_sim/open?${new URLSearchParams({ shop: DEMO_SHOP, ...params, path }).toString()}`,
    control,
    createOrder,
    async placeOrders(orders) {
      const placed: PlacedOrder[] = [];
      for (let i = 0; i < orders.length; i += 5)
        placed.push(...(await Promise.all(orders.slice(i, i + 5).map(createOrder))));
      return placed;
    },
    orderState: (orderId) => control("GET", `/_sim/orders/${encodeURIComponent(orderId)}`),
    stop: async () => {
      await db.$disconnect();
      await app.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Console errors a test provokes on purpose (a 4xx it asks for); anything else still fails it. */
export interface BrowserErrors {
  /** Forgives the test's problems that match, e.g. /status of 401/. */
  allow(pattern: RegExp): void;
  /** Forgives Chromium's log line for an answer with this status to a request under `path`. */
  allowStatus(status: number, path: string): void;
  seen(): string[];
}

/**
 * Chromium for the file, and tabs for the test: `page` (one tab, opened when asked for) and
 * `newPage` (more tabs); all closed after the test, which fails if any reported an error.
 */
export const browserTest = base
  .extend("browser", { scope: "file" }, async ({}, { onCleanup }): Promise<Browser> => {
    const browser = await launchBrowser();
    onCleanup(() => browser.close());
    return browser;
  })
  .extend(
    "browserErrors",
    async ({}, { onCleanup }): Promise<BrowserErrors & { add(list: string[]): void }> => {
      const lists: string[][] = [];
      const forgiven: ((problem: string) => boolean)[] = [
        // A navigation (a form post, a revalidation) that a newer one interrupts on a busy
        // machine: React Router's single fetch surfaces the abort of the superseded one instead of
        // dropping it (remix-run/react-router#14203, fix proposed in #14761). The newer navigation
        // runs and the merchant sees its result; only this exact abort from navigate is forgiven.
        (problem) =>
          problem.startsWith("console.error: AbortError: signal is aborted without reason") &&
          problem.includes(" [as navigate] "),
      ];
      const seen = () => lists.flat().filter((p) => !forgiven.some((f) => f(p)));
      onCleanup(() => {
        // Any console error or uncaught exception in any of the test's tabs fails it.
        expect(seen(), "the browser reported errors").toEqual([]);
      });
      return {
        add: (list) => lists.push(list),
        allow: (pattern) => forgiven.push((p) => pattern.test(p)),
        // Chromium logs every 4xx answer to fetch as a console error, the request's URL with it.
        allowStatus: (status, path) =>
          forgiven.push((p) => p.includes(`status of ${status}`) && p.includes(path)),
        seen,
      };
    },
  )
  .extend("newPage", async ({ browser, browserErrors }, { onCleanup }) => {
    const tabs: Page[] = [];
    onCleanup(async () => {
      for (const tab of tabs) await tab.close();
    });
    return async (): Promise<Page> => {
      const tab = await browser.context.newPage();
      browserErrors.add(watchForErrors(tab));
      tabs.push(tab);
      return tab;
    };
  })
  .extend("page", async ({ newPage }) => newPage());

/**
 * The browser fixtures plus the demo (`stack`, and its database as `db`), started once for the
 * file; a failing test prints what the app server said.
 */
export const appTest = browserTest
  .extend("stack", { scope: "file" }, async ({}, { onCleanup }): Promise<Stack> => {
    const stack = await startStack();
    onCleanup(() => stack.stop());
    return stack;
  })
  .extend("db", { scope: "file" }, async ({ stack }) => stack.db)
  .extend("appOutput", { auto: true }, async ({ stack, onTestFailed }) => {
    onTestFailed(() => console.log(`App server output:\n${stack.app.output().slice(-20_000)}`));
    return undefined;
  });

export { expect };

/** The last part of a Shopify GID: what the app's own URLs use. */
export const numberOf = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/**
 * Opens the app from admin at a path and waits until the screen is interactive: admin's title
 * bar shows `title` and React has hydrated the page (a click before that lands on HTML without
 * handlers and does nothing). The first visit exchanges the session token first: allow for it.
 */
export async function openApp(
  page: Page,
  stack: Pick<Stack, "openUrl">,
  path: string,
  title: string | RegExp,
  params: Record<string, string> = {},
): Promise<void> {
  // Playwright's 30 s for a navigation is short for a first visit on a loaded machine.
  await page.goto(stack.openUrl(path, params), { timeout: 90_000 });
  await page.waitForURL((url) => url.pathname === path.split("?")[0], { timeout: 90_000 });
  await waitForScreen(page, title);
}

/** Waits for admin's title bar to show `title` on a hydrated page. */
export async function waitForScreen(page: Page, title: string | RegExp): Promise<void> {
  // A loop of its own rather than expect.poll: installing runs in a file's beforeAll.
  await waitFor(
    `the screen titled ${String(title)}`,
    () =>
      titleBar(page)
        .getAttribute("title", { timeout: 1000 })
        .catch(() => null),
    (shown) => (typeof title === "string" ? shown === title : title.test(shown ?? "")),
    30_000,
  );
  // React marks each element it owns with a `__reactFiber` key once it has hydrated it.
  await titleBar(page).evaluate(
    (element) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (Object.keys(element).some((key) => key.startsWith("__reactFiber"))) resolve();
          else setTimeout(check, 20);
        };
        check();
      }),
  );
  await page.waitForLoadState("networkidle");
}

/**
 * The merchant opens the app once: the token exchange stores the offline session the worker uses,
 * and only then are the shop's orders routed. Fails on any browser error on the way.
 */
export async function installApp(browser: Browser, stack: Stack): Promise<void> {
  const tab = await browser.context.newPage();
  const problems = watchForErrors(tab);
  try {
    await openApp(tab, stack, "/app", "Fulfilment Router");
  } finally {
    await tab.close();
  }
  expect(problems, "the browser reported errors while installing").toEqual([]);
}

/** Keeps a full-page screenshot under tests/e2e/artifacts. */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

export function titleBar(page: Page): Locator {
  return page.locator("ui-title-bar").first();
}

/** The App Bridge stand-in's contextual save bar. */
export function saveBar(page: Page): Locator {
  return page.getByRole("region", { name: "Unsaved changes" });
}

/** Presses Save on the contextual save bar and answers the route's reply to that save's POST. */
export async function saveFromSaveBar(page: Page, path: string): Promise<Response> {
  const answer = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith(path),
  );
  await saveBar(page)
    .getByRole("button", { name: english("common.save") })
    .click();
  return answer;
}

/** A toast with this text (App Bridge shows them as status or alert messages). */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator("[data-shopify-toast]").filter({ hasText: text });
}

/** The message Polaris shows beside a field, found the way assistive technology finds it. */
export async function fieldError(field: Locator): Promise<string | null> {
  if ((await field.getAttribute("aria-invalid")) !== "true") return null;
  const ids = (await field.getAttribute("aria-describedby")) ?? "";
  const errorId = ids.split(/\s+/).find((id) => id.endsWith("Error"));
  if (!errorId) return null;
  return field.page().locator(`[id="${errorId}"]`).innerText();
}

/** Polls until `check` holds, or fails with what it saw last. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 90_000,
): Promise<T> {
  const started = Date.now();
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`Timed out waiting for ${what}; last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}

/** The app's background work has settled: no job queued or running (but the drift scan's). */
export function workerSettled(db: Db, timeoutMs = 90_000): Promise<number> {
  return waitFor(
    "the worker to finish",
    () =>
      db.job.count({
        where: { status: { in: ["queued", "running"] }, queue: { not: "drift-scan" } },
      }),
    (busy) => busy === 0,
    timeoutMs,
  );
}

/**
 * Buttons, links and form fields on the page that a screen reader would announce without a name
 * (no text, aria-label, aria-labelledby, title or label). Hidden elements are skipped.
 */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (el: Element): boolean => {
      if (el.getAttribute("aria-label")?.trim()) return true;
      const labelledBy = el.getAttribute("aria-labelledby");
      if (
        labelledBy &&
        labelledBy.split(/\s+/).some((id) => document.getElementById(id)?.textContent?.trim())
      )
        return true;
      if (el.getAttribute("title")?.trim()) return true;
      if ((el as HTMLInputElement).labels?.length) return true;
      if (el.textContent?.trim()) return true;
      return [...el.querySelectorAll("img[alt], svg[aria-label]")].some((img) =>
        (img.getAttribute("alt") ?? img.getAttribute("aria-label"))?.trim(),
      );
    };
    const visible = (el: Element) => {
      const box = (el as HTMLElement).getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
    };
    return [
      ...document.querySelectorAll(
        "button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=checkbox]",
      ),
    ]
      .filter((el) => visible(el) && !named(el))
      .map((el) => el.outerHTML.slice(0, 160));
  });
}
