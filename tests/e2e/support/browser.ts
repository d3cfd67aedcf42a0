// Debian's Chromium under playwright-core, set up as ENVIRONMENT.md found working, and a watch on
// each page for console errors and uncaught exceptions.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

// The app's bot check (isbot) answers "HeadlessChrome" with 410 Gone: browse as desktop Chrome.
export const DESKTOP_CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

export const SHOPIFY_CDN_APP_BRIDGE = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's Chromium (apt-get update && apt-get install -y chromium). ` +
        "Never `npx playwright install`: it downloads a browser, which fails here.",
    );
  }
  const profile = mkdtempSync(join(tmpdir(), "e2e-chromium-"));
  // A persistent context on a fresh directory is the "fresh user-data-dir" Chromium is started with.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    userAgent: DESKTOP_CHROME_UA,
    viewport: { width: 1280, height: 900 },
  });
  // Shopify's library sends a preload hint (a Link header) for App Bridge on Shopify's CDN with
  // every embedded document, its bounce page included. The CDN is unreachable here and the failed
  // preload would be a console error, so it is answered with an empty script. Nothing runs from
  // it: a page that really loaded App Bridge from the CDN would have no `shopify` global, which
  // the tests check (see usesStandIn).
  await context.route(SHOPIFY_CDN_APP_BRIDGE, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/javascript",
      body: "/* unreachable in tests */",
    }),
  );
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What went wrong in a page: console errors and uncaught exceptions, each as one line. */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") {
      const where = message.location().url;
      problems.push(`console.error: ${message.text()}${where ? ` (${where})` : ""}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.stack ?? error.message}`));
  return problems;
}

/**
 * True when the page runs the simulator's App Bridge stand-in and no script element points at
 * Shopify's CDN: the app honoured APP_BRIDGE_URL (the React AppProvider's __APP_BRIDGE_URL).
 */
export function usesStandIn(page: Page, cdn = SHOPIFY_CDN_APP_BRIDGE): Promise<boolean> {
  return page.evaluate((cdnUrl) => {
    const shopify = (window as unknown as { shopify?: { __standIn?: boolean } }).shopify;
    const fromCdn = [...document.querySelectorAll("script[src]")].some(
      (element) => (element as HTMLScriptElement).src === cdnUrl,
    );
    return shopify?.__standIn === true && !fromCdn;
  }, cdn);
}
