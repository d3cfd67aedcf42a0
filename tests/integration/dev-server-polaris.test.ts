// The development server (`remix vite:dev`) serves Polaris pre-bundled by esbuild, where Vite's
// transform hooks do not reach: its bundle must carry the same change the build makes (Polaris
// AppProvider's two first-effect updates as transitions, ADR 034), else a slow load in development
// still throws the screens' cards away (React's error 421). Started from vite.config.ts with a cache
// of its own, asked for a screen's module as the browser would, then for the Polaris it imports.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type ViteDevServer } from "vite";

let server: ViteDevServer;
const cacheDir = `node_modules/.vite-dev-server-test-${randomUUID()}`;

beforeAll(async () => {
  server = await createServer({
    configFile: "vite.config.ts",
    cacheDir,
    logLevel: "error",
    server: { port: 0, host: "127.0.0.1", strictPort: false, hmr: false },
  });
  await server.listen();
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(cacheDir, { recursive: true, force: true });
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
  it("is the pre-bundle with AppProvider's first-effect changes made transitions", async () => {
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
    expect(polaris).toMatch(
      /startTransition\)?\(\(\) => setIsNavigationCollapsed\(navigationBarCollapsed\(\)\.matches\)\)/,
    );
    // And nowhere as Polaris ships them, a statement of their own.
    expect(polaris).not.toMatch(/^\s*setIsAfterInitialMount\(true\)/m);
    expect(polaris).not.toMatch(/^\s*setIsNavigationCollapsed\(navigationBarCollapsed/m);
  }, 120_000);
});
