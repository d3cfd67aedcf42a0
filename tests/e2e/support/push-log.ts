// The Push screen's delivery log as the push browser tests read it: an order's rows, read again
// on each load until they show what a test waits for.
import type { Page } from "playwright-core";
import { openApp, waitFor, type PlacedOrder, type Stack } from "./harness.ts";
import { english } from "./catalogue.ts";

export const PUSH_TITLE = english("fulfill.push.title");

/** The delivery log's rows for an order's pushes. */
export const pushRow = (tab: Page, order: PlacedOrder) =>
  tab.locator("tbody tr").filter({ hasText: order.name });

/** Opens the screen again until one of the order's pushes shows `text` (the log is read on load). */
export async function pushLogShows(tab: Page, stack: Stack, order: PlacedOrder, text: RegExp) {
  await waitFor(
    `the push for ${order.name} to show ${String(text)}`,
    async () => {
      await openApp(tab, stack, "/app/push", PUSH_TITLE);
      return (await pushRow(tab, order).allInnerTexts()).join("\n");
    },
    (shown) => text.test(shown),
    90_000,
  );
}
