// Builds the Remix app with Vite; remix.config.js cannot build shopify-app-remix 6 (ADR 001).
import { readFile } from "node:fs/promises";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

const port = Number(process.env.PORT || 3000);

/**
 * Polaris's AppProvider changes values it provides after hydrating: in its first effect,
 * PortalsManager's container (through useIsAfterInitialMount) and MediaQueryProvider's
 * navigation-collapsed flag on a narrow screen; and on a resize across the navigation breakpoint
 * (a phone turned, a window or admin's frame resized, a full-page screenshot), that flag again. A
 * context change reaches every Suspense boundary below it that React has not hydrated yet (the
 * screens' cards and the nav menu, ADR 034). At the effect's (default) priority React may throw
 * those boundaries away and draw them again on the client (React's error 421) instead of hydrating
 * them; at a resize's (discrete, synchronous) priority it always does. Made a transition, the change
 * waits for the boundaries to hydrate (ADR 086). The resize sets the flag to what the screen is now,
 * not to the opposite of the last one drawn: while a transition is pending that one is stale.
 * Each replaced text must be found: a Polaris that changed them fails the build rather than the screens.
 */
const POLARIS_CONTEXT_CHANGES: { file: RegExp; edits: { from: string; to: string }[] }[] = [
  {
    file: /@shopify[\\/]polaris[\\/]build[\\/]esm[\\/]utilities[\\/]use-is-after-initial-mount\.js$/,
    edits: [
      {
        from: "setIsAfterInitialMount(true);",
        to: "startTransition(() => setIsAfterInitialMount(true));",
      },
    ],
  },
  {
    file: /@shopify[\\/]polaris[\\/]build[\\/]esm[\\/]components[\\/]MediaQueryProvider[\\/]MediaQueryProvider\.js$/,
    edits: [
      {
        from: "setIsNavigationCollapsed(navigationBarCollapsed().matches);",
        to: "startTransition(() => setIsNavigationCollapsed(navigationBarCollapsed().matches));",
      },
      {
        from: [
          "if (isNavigationCollapsed !== navigationBarCollapsed().matches) {",
          "      setIsNavigationCollapsed(!isNavigationCollapsed);",
          "    }",
        ].join("\n"),
        to: "startTransition(() => setIsNavigationCollapsed(navigationBarCollapsed().matches));",
      },
    ],
  },
];

/** The module with its changes made transitions; null for any other module; throws if not found. */
function polarisContextChangesIn(path: string, code: string): string | null {
  const module = POLARIS_CONTEXT_CHANGES.find(({ file }) => file.test(path));
  if (!module) return null;
  let changed = code;
  for (const { from, to } of module.edits) {
    if (!changed.includes(from)) throw new Error(`${from} is no longer in ${path}`);
    changed = changed.replace(from, to);
  }
  return `import { startTransition } from "react";\n${changed}`;
}

/** The build's (and the dev server's, for a Polaris module it serves unbundled) transform. */
function polarisContextChangesAsTransitions(): Plugin {
  return {
    name: "polaris-context-changes-as-transitions",
    transform(code, id) {
      try {
        return polarisContextChangesIn(id.split("?")[0] ?? id, code);
      } catch (error) {
        this.error(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

type EsbuildPlugin = NonNullable<
  NonNullable<NonNullable<UserConfig["optimizeDeps"]>["esbuildOptions"]>["plugins"]
>[number];

/**
 * The same change in the development server, which pre-bundles Polaris with esbuild (optimizeDeps
 * below) where Vite's transform hooks do not reach: without it `remix vite:dev` could still throw
 * the cards away on a slow load (ADR 034).
 */
const polarisContextChangesInPrebundle: EsbuildPlugin = {
  name: "polaris-context-changes-as-transitions",
  setup(build) {
    const files = new RegExp(POLARIS_CONTEXT_CHANGES.map(({ file }) => file.source).join("|"));
    build.onLoad({ filter: files }, async ({ path }) => {
      const code = await readFile(path, "utf8");
      return { contents: polarisContextChangesIn(path, code) ?? code, loader: "js" };
    });
  },
};

export default defineConfig({
  server: {
    port,
    host: "localhost",
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: false,
        // The development server pre-bundles every route's dependencies (and the client entry's)
        // before the first page, not the ones it meets while serving it: a late one made Vite bundle
        // again and reload, the first load with two copies of React (ADR 068).
        unstable_optimizeDeps: true,
      },
    }),
    tsconfigPaths(),
    polarisContextChangesAsTransitions(),
  ],
  build: {
    assetsInlineLimit: 0,
  },
  optimizeDeps: {
    include: ["@shopify/app-bridge-react", "@shopify/polaris"],
    esbuildOptions: { plugins: [polarisContextChangesInPrebundle] },
  },
}) satisfies UserConfig;
