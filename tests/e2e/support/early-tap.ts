// A tap made the moment a control shows, while the page still hydrates, as a merchant on a slow
// device makes it (the screens benchmark's early tap): the CPU slowed 4x and nothing cached, so
// React is still hydrating when the tap lands, and a test can check that the tap took effect.
import type { Locator, Page } from "playwright-core";

/**
 * Where the tap landed: before React had started, while React still hydrated the page or the
 * tapped control (or came while React hydrated the page in one task, and waited for it), or on a
 * hydrated control.
 */
export type TapPhase = "before-react" | "hydrating" | "hydrated";

/** Where the page's first tap landed and when (the pointerdown's time, ms from the document's start). */
export interface FirstTap {
  phase: TapPhase;
  at: number;
}

/**
 * In the page, before its scripts: where the first pointerdown landed, on `window.__firstTap`
 * (React's keys, read only). Its listener is the page's first (an init script's), so React has not
 * seen the event yet, and a listener added after it (the screens benchmark's) finds the answer.
 */
function watchFirstTap() {
  const w = window as typeof window & { __firstTap?: FirstTap };
  window.addEventListener(
    "pointerdown",
    (event) => {
      if (w.__firstTap) return;
      const keyOf = (node: object, prefix: string) =>
        Object.keys(node).find((key) => key.startsWith(prefix));
      const container = keyOf(document, "__reactContainer$");
      const root = container
        ? (
            document as unknown as Record<
              string,
              { stateNode?: { current?: { memoizedState?: { isDehydrated?: boolean } } } }
            >
          )[container]?.stateNode
        : undefined;
      const target = event.target as Node | null;
      // React hydrates the page around its Suspense boundaries in one task: a tap that comes
      // during it is dispatched after it, on a hydrated page, having waited (its input delay).
      const waited = performance.now() - event.timeStamp > 50;
      w.__firstTap = {
        phase: !root
          ? "before-react"
          : root.current?.memoizedState?.isDehydrated ||
              !target ||
              !keyOf(target, "__reactFiber$") ||
              waited
            ? "hydrating"
            : "hydrated",
        at: event.timeStamp,
      };
    },
    true,
  );
}

/**
 * `watchFirstTap` as an init script for every document of a page or context. A transform that
 * keeps function names (esbuild's keepNames, as tsx and Vitest run) wraps them in a `__name`
 * helper the page lacks: the script brings a stand-in.
 */
export const WATCH_FIRST_TAP_SCRIPT = `var __name = (fn) => fn;\n(${watchFirstTap.toString()})();`;

/**
 * Opens `url` cold with the CPU slowed 4x and clicks `control` as soon as it is visible; tries
 * again (up to three loads) until a tap lands where `wanted` says (while the page hydrates, by
 * default), and says where the last one landed. The CPU runs at full speed again afterwards.
 */
export async function tapWhileHydrating(
  page: Page,
  url: string,
  control: Locator,
  wanted: readonly TapPhase[] = ["hydrating"],
): Promise<TapPhase> {
  const cdp = await page.context().newCDPSession(page);
  await page.addInitScript({ content: WATCH_FIRST_TAP_SCRIPT });
  let phase: TapPhase | null = null;
  try {
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    for (let attempt = 0; attempt < 3 && !(phase && wanted.includes(phase)); attempt++) {
      await page.goto(url, { waitUntil: "commit", timeout: 90_000 });
      await control.waitFor({ state: "visible", timeout: 90_000 });
      await control.click({ timeout: 90_000 });
      phase = await page.evaluate(
        () => (window as typeof window & { __firstTap?: FirstTap }).__firstTap?.phase ?? "hydrated",
      );
    }
  } finally {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
    await cdp.detach();
  }
  return phase ?? "hydrated";
}

/**
 * Holds the page's script modules until the returned function is called: a page loaded meanwhile
 * is the server's render with React not started, as a merchant on a slow connection meets it.
 */
export async function holdScripts(page: Page): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/[^?]*\.js(\?|$)/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/**
 * Opens `url` with the page's script modules held (holdScripts) and waits for `control` to show:
 * the server's render with React not started. Returns what lets the modules load.
 */
export async function openBeforeReact(
  page: Page,
  url: string,
  control: Locator,
): Promise<() => void> {
  const release = await holdScripts(page);
  await page.goto(url, { waitUntil: "commit", timeout: 90_000 });
  await control.waitFor({ state: "visible", timeout: 90_000 });
  return release;
}

/** Whether React has started on the page (hydrateRoot leaves its key on the document). */
export function reactStarted(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    Object.keys(document).some((key) => key.startsWith("__reactContainer$")),
  );
}
