// A window resized while React still hydrates a screen's Suspense boundaries (a phone turned, a
// window dragged narrower, admin's frame resized, Chromium's full-page screenshot) on a slow
// device: whether the parts the server drew are the ones React hydrated, or were drawn again.
import type { JSHandle, Page } from "playwright-core";

/** A Suspense boundary the server rendered: its first element, and whether React hydrated it. */
interface ServedBoundary {
  element: Element;
  hydrated: boolean;
}

/** What the page keeps on `window.__hydration`. */
interface PageHydration {
  /** The screen's boundaries as the page holds them now. */
  boundaries(): ServedBoundary[];
  /** Boundaries still dehydrated at the first resize event; null until one came. */
  dehydratedAtResize: number | null;
}

type WithHydration = typeof window & { __hydration: PageHydration };

/**
 * In the page, before its scripts. Finds the boundaries the server rendered (React 18 marks a
 * completed one `<!--$-->`; React keeps its fiber on each element it hydrated) and notes how many
 * were still dehydrated at the first resize event: its listener is the page's first, so it runs
 * before React's and Polaris's.
 */
function watchResize() {
  const boundaries = () => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT);
    const found: ServedBoundary[] = [];
    while (walker.nextNode()) {
      const marker = walker.currentNode as Comment;
      if (marker.data !== "$") continue;
      let first = marker.nextSibling;
      while (first && first.nodeType !== Node.ELEMENT_NODE) first = first.nextSibling;
      // Remix's stream of loader data (single fetch) is a boundary of scripts the browser's
      // render does not have: React never hydrates it, and it is not the screen's.
      if (first && (first as Element).tagName !== "SCRIPT")
        found.push({
          element: first as Element,
          hydrated: Object.keys(first).some((key) => key.startsWith("__reactFiber$")),
        });
    }
    return found;
  };
  const page: PageHydration = { boundaries, dehydratedAtResize: null };
  (window as WithHydration).__hydration = page;
  window.addEventListener("resize", () => {
    if (page.dehydratedAtResize === null)
      page.dehydratedAtResize = boundaries().filter((b) => !b.hydrated).length;
  });
}

/** `watchResize` as an init script (with a stand-in for esbuild's `__name`, as early-tap.ts has). */
const WATCH_RESIZE_SCRIPT = `var __name = (fn) => fn;\n(${watchResize.toString()})();`;

export interface ResizeWhileHydrating {
  /** Whether the resize came while some of the screen's boundaries were still dehydrated. */
  landedWhileHydrating: boolean;
  /** How many boundaries the server drew. */
  boundaries: number;
  /** Of those, how many React threw away and drew again on the client (no longer in the page). */
  drawnAgain: number;
  /** Of those, how many are still the server's but React never hydrated (dead to taps). */
  neverHydrated: number;
}

/**
 * Opens `url` cold with the CPU slowed 4x and, once React has hydrated the page around its
 * boundaries and the first of them (so the frame's effects have run) but maybe not the others,
 * narrows the window below Polaris's navigation breakpoint (768 px) and widens it again; waits
 * until every boundary has hydrated or been drawn anew. Tries again (up to four loads, each in a
 * tab of its own, whose first load is the slowest) until a resize lands while hydrating or a
 * boundary was drawn anew.
 */
export async function resizeWhileHydrating(
  newPage: () => Promise<Page>,
  url: string,
): Promise<ResizeWhileHydrating> {
  let result: ResizeWhileHydrating = {
    landedWhileHydrating: false,
    boundaries: 0,
    drawnAgain: 0,
    neverHydrated: 0,
  };
  for (let attempt = 0; attempt < 4 && !result.landedWhileHydrating; attempt++) {
    const tab = await newPage();
    const viewport = tab.viewportSize() ?? { width: 1280, height: 900 };
    await tab.addInitScript({ content: WATCH_RESIZE_SCRIPT });
    const cdp = await tab.context().newCDPSession(tab);
    try {
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      await tab.goto(url, { waitUntil: "commit", timeout: 90_000 });
      // The first boundary (admin's nav menu, in the frame) hydrated: React ran the effects of the
      // page around the boundaries before it, Polaris's resize listener among them.
      await tab.waitForFunction(
        () => {
          const found = (window as WithHydration).__hydration?.boundaries() ?? [];
          return found.length > 0 && found[0]!.hydrated;
        },
        undefined,
        { timeout: 90_000, polling: 10 },
      );
      const served: JSHandle<Element[]> = await tab.evaluateHandle(() =>
        (window as WithHydration).__hydration.boundaries().map((b) => b.element),
      );
      await tab.setViewportSize({ width: 600, height: viewport.height });
      // The page has seen the narrow window (resize events come with the next frame) before it
      // is widened again, or the two would make one event with nothing changed.
      await tab.waitForFunction(
        () => (window as WithHydration).__hydration.dehydratedAtResize !== null,
        undefined,
        { timeout: 90_000, polling: 10 },
      );
      await tab.setViewportSize(viewport);
      // Every boundary hydrated, or thrown away and drawn anew; one left as the server drew it
      // and never hydrated is counted too.
      await tab
        .waitForFunction(
          (elements) =>
            elements.every(
              (element) =>
                !element.isConnected ||
                Object.keys(element).some((key) => key.startsWith("__reactFiber$")),
            ),
          served,
          // Polled by a timer: a frame may not come for a tab the browser does not show.
          { timeout: 30_000, polling: 50 },
        )
        .catch(() => undefined);
      const dehydratedAtResize = await tab.evaluate(
        () => (window as WithHydration).__hydration.dehydratedAtResize,
      );
      const counts = await served.evaluate((elements) => ({
        boundaries: elements.length,
        drawnAgain: elements.filter((element) => !element.isConnected).length,
        neverHydrated: elements.filter(
          (element) =>
            element.isConnected &&
            !Object.keys(element).some((key) => key.startsWith("__reactFiber$")),
        ).length,
      }));
      result = { landedWhileHydrating: (dehydratedAtResize ?? 0) > 0, ...counts };
      if (result.drawnAgain + result.neverHydrated > 0) return result;
    } finally {
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
      await cdp.detach();
    }
  }
  return result;
}
