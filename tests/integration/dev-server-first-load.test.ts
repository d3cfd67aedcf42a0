// The first screen a developer opens after the development server (`remix vite:dev`, which
// `shopify app dev` starts) has rebuilt its dependency pre-bundle (a fresh clone, a changed lockfile
// or config) must come up clean. Vite pre-bundles before serving the first page only the
// dependencies it finds from where it is told to look (Remix's future.unstable_optimizeDeps: the
// client entry and every route, ADR 068); one it meets only while serving the page makes it bundle
// again and reload, and the page already running the first bundle has two copies of React:
// "Invalid hook call", the screen never hydrated. Started from vite.config.ts with a fresh cache of
// its own, against the shop simulator (admin, the session token, App Bridge), Home is opened in
// Chromium; then every route module is served as the browser imports it, so an import of any screen
// that the pre-bundle lacks fails here too.
// The same server then shows that its pre-bundled Polaris, where Vite's transform hooks do not
// reach, carries the changes the build makes (Polaris AppProvider's two first-effect updates and
// its resize handler's as transitions, ADRs 034 and 086), else a slow load in development still
// throws the screens' cards away (React's error 421). One server for both: each start on a fresh
// cache pre-bundles again.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, createServer, type ViteDevServer } from "vite";
import { DEMO_SHOP } from "../../simulator/src/seed/demo.ts";
import { createSimulator } from "../../simulator/src/server.ts";
import { launchBrowser, watchForErrors, type Browser } from "../e2e/support/browser.ts";
import { APP_NOT_STARTED } from "../support/processes.ts";

const cacheDir = `node_modules/.vite-dev-server-test-${randomUUID()}`;
const stateDir = mkdtempSync(join(tmpdir(), "dev-server-first-load-"));
const simulator = createSimulator({
  apiKey: process.env.SHOPIFY_API_KEY,
  apiSecret: process.env.SHOPIFY_API_SECRET,
  appUrl: APP_NOT_STARTED,
  seed: "empty",
  stateDir,
});

let server: ViteDevServer;
let simulatorUrl: string;
let stopSimulator: (() => Promise<void>) | undefined;
let browser: Browser | undefined;
/** What Vite said, one line a message, from its start. */
const viteSaid: string[] = [];

beforeAll(async () => {
  const sim = await simulator.start(0);
  stopSimulator = sim.stop;
  simulatorUrl = sim.url;
  simulator.reset("demo");

  const logger = createLogger("info");
  for (const level of ["info", "warn", "warnOnce", "error"] as const) {
    logger[level] = (message: string) => void viteSaid.push(`[${level}] ${message}`);
  }
  // As `shopify app dev` runs it: development, the app's embedded Shopify set-up; admin, its
  // session tokens and App Bridge are the simulator's. No job worker: the screen is what is tested.
  process.env.NODE_ENV = "development";
  process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
  process.env.APP_BRIDGE_URL = `${sim.url}/app-bridge.js`;
  process.env.WORKER = "off";
  server = await createServer({
    configFile: "vite.config.ts",
    cacheDir,
    customLogger: logger,
    server: { port: 0, host: "127.0.0.1", strictPort: false },
  });
  await server.listen();
  const appUrl = server.resolvedUrls?.local[0]?.replace(/\/$/, "");
  if (!appUrl) throw new Error("the dev server has no address");
  // Read by the app when a request first loads it, which is after this.
  process.env.SHOPIFY_APP_URL = appUrl;
  simulator.setAppUrl(appUrl);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stopSimulator?.();
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

/** What Vite said about its pre-bundle after it started: new dependencies, a reload. */
const rebundled = () =>
  viteSaid.filter((line) => /new dependencies optimized|optimized dependencies changed/.test(line));

/** The dependencies the client's pre-bundle holds or has been asked for since. */
function prebundled(): string[] {
  const optimizer = server.environments.client.depsOptimizer;
  if (!optimizer) throw new Error("the dev server pre-bundles nothing for the browser");
  return [
    ...Object.keys(optimizer.metadata.optimized),
    ...Object.keys(optimizer.metadata.discovered),
  ];
}

/** The URLs the browser imports the routes by (a folder's route is its route.tsx). */
function routeModules(): string[] {
  return readdirSync("app/routes", { withFileTypes: true }).map((entry) =>
    entry.isDirectory() ? `/app/routes/${entry.name}/route.tsx` : `/app/routes/${entry.name}`,
  );
}

/** Serves a module to the client as the browser imports it, and the app's modules it imports. */
async function serveWithImports(url: string, served: Set<string>): Promise<void> {
  if (served.has(url)) return;
  served.add(url);
  const result = await server.environments.client.transformRequest(url);
  const imports = [...(result?.deps ?? []), ...(result?.dynamicDeps ?? [])];
  await Promise.all(
    imports.filter((dep) => dep.startsWith("/app/")).map((dep) => serveWithImports(dep, served)),
  );
}

describe("the development server's first load after its pre-bundle was rebuilt", () => {
  it("shows the screen with one React and no reload, and every screen's imports are pre-bundled", async () => {
    const page = await browser!.context.newPage();
    const problems = watchForErrors(page);
    const path = "/app";
    await page.goto(
      `${simulatorUrl}/_sim/open?${new URLSearchParams({ shop: DEMO_SHOP, path }).toString()}`,
      { timeout: 90_000 },
    );
    // Home's title bar, drawn by the server, on a page React has hydrated (React marks each
    // element it owns with a __reactFiber key once it has hydrated it).
    const hydrated = await page
      .waitForFunction(
        (title) => {
          const bar = document.querySelector("ui-title-bar");
          return (
            bar?.getAttribute("title") === title &&
            Object.keys(bar).some((key) => key.startsWith("__reactFiber"))
          );
        },
        "Fulfilment Router",
        { timeout: 45_000, polling: 100 },
      )
      .then(
        () => true,
        () => false,
      );
    if (hydrated) await page.waitForLoadState("networkidle");
    const log = () => `Vite said:\n${viteSaid.join("\n")}`;
    expect(rebundled(), log()).toEqual([]);
    expect(problems, "the browser reported errors").toEqual([]);
    expect(hydrated, "Home shown and hydrated within 45 s").toBe(true);

    // Each route as the browser would import it (a screen opened next, a link followed): nothing
    // is added to the pre-bundle, which would mean a rebuild and a reload on that screen.
    const before = prebundled();
    const served = new Set<string>();
    for (const url of routeModules()) await serveWithImports(url, served);
    const added = prebundled().filter((dep) => !before.includes(dep));
    expect(added, "imports of the app's routes missing from the pre-bundle").toEqual([]);
    expect(rebundled(), log()).toEqual([]);
  }, 120_000);
});

/** What the dev server answers for a path, as the browser fetches it. */
async function served(path: string): Promise<string> {
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error("the dev server has no address");
  const response = await fetch(new URL(path, base));
  expect(response.status, path).toBe(200);
  return response.text();
}

describe("the development server's Polaris", () => {
  it("is the pre-bundle with AppProvider's first-effect and resize changes made transitions", async () => {
    // A screen's module names the pre-bundled Polaris it imports.
    const screen = await served("/app/routes/app.bulk.$id.tsx");
    const polarisPath = /from "([^"]*\/deps\/@shopify_polaris\.js[^"]*)"/.exec(screen)?.[1];
    expect(polarisPath, "the screen imports the pre-bundled Polaris").toBeTruthy();

    // Its code, where esbuild put it: in the module or, where other pre-bundled packages import
    // Polaris too (the pre-bundle holds every route's dependencies, ADR 068), in a shared chunk the
    // module re-exports from.
    const entry = await served(polarisPath!);
    const chunks = [...entry.matchAll(/"([^"]*\/deps\/chunk-[^"]*)"/g)].map((match) => match[1]!);
    const polaris = [entry, ...(await Promise.all(chunks.map(served)))].join("\n");
    // esbuild calls the imported startTransition as (0, import_react.startTransition)(…).
    expect(polaris).toMatch(/startTransition\)?\(\(\) => setIsAfterInitialMount\(true\)\)/);
    // MediaQueryProvider's flag twice: in its first effect and on a resize (ADR 086).
    const navigationCollapsed =
      /startTransition\)?\(\(\) => setIsNavigationCollapsed\(navigationBarCollapsed\(\)\.matches\)\)/g;
    expect(polaris.match(navigationCollapsed)).toHaveLength(2);
    // And nowhere as Polaris ships them, a statement of their own.
    expect(polaris).not.toMatch(/^\s*setIsAfterInitialMount\(true\)/m);
    expect(polaris).not.toMatch(/^\s*setIsNavigationCollapsed\(navigationBarCollapsed/m);
    expect(polaris).not.toMatch(/setIsNavigationCollapsed\(!isNavigationCollapsed\)/);
  }, 120_000);
});
