// The demo for the configuration screens' browser tests: a migrated SQLite file, the full shop
// simulator (Admin API, webhooks, auth, App Bridge stand-in) and the built app with its worker,
// plus the few helpers those tests share (open a screen, wait for the worker, save bar, toasts).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { Locator, Page } from "playwright-core";
import { migrate } from "../../../app/db/migrate.server.ts";
import { createSimulator } from "../../../simulator/src/server.ts";
import { startAppServer, type AppServer } from "./app-server.ts";
import { freePort } from "./ports.ts";

export const CONFIG_SHOP = "fulfilment-router-demo.myshopify.com";

export interface ConfigStack {
  shop: string;
  databaseUrl: string;
  simulatorUrl: string;
  app: AppServer;
  /** Where a merchant enters the app from admin, landing on `path`. */
  openUrl(path: string): string;
  control<T = unknown>(method: "GET" | "POST", path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

function declaredScopes(): string {
  const match = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(readFileSync("shopify.app.toml", "utf8"));
  if (!match?.[1]) throw new Error("shopify.app.toml declares no access scopes");
  return match[1];
}

export async function startConfigStack(): Promise<ConfigStack> {
  const apiKey = "e2e-config-api-key";
  const apiSecret = `e2e-config-secret-${Math.random().toString(36).slice(2)}`;
  const dir = mkdtempSync(join(tmpdir(), "e2e-config-"));
  const databaseUrl = `file:${join(dir, "app.db")}`;
  await migrate(databaseUrl);
  const appPort = await freePort();
  const appUrl = `http://localhost:${appPort}`;
  const simulator = createSimulator({
    apiKey,
    apiSecret,
    appUrl,
    scopes: declaredScopes(),
    seed: "demo",
    // Webhook retries (the app may not have its offline session yet) come back in milliseconds.
    timeScale: 0.001,
    stateDir: dir,
  });
  const sim = await simulator.start(0);
  let app: AppServer;
  try {
    app = await startAppServer({
      port: appPort,
      env: {
        SHOPIFY_API_KEY: apiKey,
        SHOPIFY_API_SECRET: apiSecret,
        SHOPIFY_APP_URL: appUrl,
        DATABASE_URL: databaseUrl,
        SHOPIFY_ADMIN_ORIGIN: sim.url,
        APP_BRIDGE_URL: `${sim.url}/app-bridge.js`,
        WORKER: "embedded",
      },
    });
  } catch (error) {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
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
  return {
    shop: CONFIG_SHOP,
    databaseUrl,
    simulatorUrl: sim.url,
    app,
    openUrl: (path) => `${sim.url}/_sim/open?shop=${CONFIG_SHOP}&path=${encodeURIComponent(path)}`,
    control,
    stop: async () => {
      await app.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a screen as a merchant does, from admin, and waits for it to be interactive. */
export async function openScreen(
  page: Page,
  stack: ConfigStack,
  path: string,
  title: string,
): Promise<void> {
  await page.goto(stack.openUrl(path));
  await page.waitForURL((url) => url.pathname === path);
  // The first visit exchanges the session token for the shop's access token first: allow for it.
  await expect
    .poll(
      () =>
        titleBar(page)
          .getAttribute("title", { timeout: 1000 })
          .catch(() => null),
      { timeout: 20_000 },
    )
    .toBe(title);
  // Hydrated: React has attached to the page (the title bar is server-rendered too).
  await page.waitForFunction(
    () =>
      Boolean((window as unknown as { __remixContext?: unknown }).__remixContext) &&
      document.readyState === "complete",
  );
  await page.waitForLoadState("networkidle");
}

export function titleBar(page: Page): Locator {
  return page.locator("ui-title-bar").first();
}

/** The App Bridge stand-in's contextual save bar. */
export function saveBar(page: Page): Locator {
  return page.getByRole("region", { name: "Unsaved changes" });
}

/** A toast with this text (App Bridge shows them as status or alert messages). */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator("#shopify-stand-in-toasts > *").filter({ hasText: text });
}

/** The message Polaris shows beside a field, found the way assistive technology finds it. */
export async function fieldError(field: Locator): Promise<string | null> {
  if ((await field.getAttribute("aria-invalid")) !== "true") return null;
  const ids = (await field.getAttribute("aria-describedby")) ?? "";
  const errorId = ids.split(/\s+/).find((id) => id.endsWith("Error"));
  if (!errorId) return null;
  return field.page().locator(`[id="${errorId}"]`).innerText();
}

export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until)
      throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
