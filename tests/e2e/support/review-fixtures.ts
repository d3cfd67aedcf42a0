// What the review-screen browser tests share: a rule that sends prints to review, orders placed
// through the simulator's checkout, and waiting until the app has decided on them.
import type { Page } from "playwright-core";
import type { Db } from "../../../app/db/client.server.ts";
import type { FullStack, SimOrderInput } from "./full-stack.ts";

/** "Review prints before printing": Fine Art Prints wait for the merchant, then ship from the Studio. */
export async function seedReviewRule(db: Db, shop: string): Promise<void> {
  await db.rule.create({
    data: {
      shop,
      name: "Review prints",
      position: 0,
      enabled: true,
      conditions: JSON.stringify({
        match: "all",
        lines: "any",
        keepChecking: false,
        conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
      }),
      actions: JSON.stringify([
        { type: "hold_for_review", note: "Check the crop" },
        { type: "fulfil_automatically" },
      ]),
    },
  });
}

/** The Studio stocks 25 of each A4/A3 print; cycling through three keeps every order in-house. */
const STUDIO_PRINTS = ["PRINT-MATTE-A4", "PRINT-LUSTRE-A4", "PRINT-MATTE-A3"];

export function printOrder(i: number, extra: Partial<SimOrderInput> = {}): SimOrderInput {
  return {
    payment: "paid",
    email: `buyer${i}@example.com`,
    customer: { email: `buyer${i}@example.com`, firstName: "Buyer", lastName: `No${i}` },
    lineItems: [
      {
        sku: STUDIO_PRINTS[i % STUDIO_PRINTS.length]!,
        quantity: 1,
        properties: { Image: `IMG_${1000 + i}.jpg`, Crop: "x:0.10 y:0.05 w:0.80 h:0.90" },
      },
    ],
    ...extra,
  };
}

/** Places orders a few at a time, as checkouts arrive, and returns them in order. */
export async function placeOrders(stack: FullStack, orders: SimOrderInput[]) {
  const placed: Awaited<ReturnType<FullStack["createOrder"]>>[] = [];
  for (let i = 0; i < orders.length; i += 5) {
    placed.push(...(await Promise.all(orders.slice(i, i + 5).map((o) => stack.createOrder(o)))));
  }
  return placed;
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

/** Opens the app from admin at a path and waits for the page's own heading, hydrated. */
export async function openApp(
  page: Page,
  stack: FullStack,
  path: string,
  heading: string | RegExp,
): Promise<void> {
  await page.goto(stack.openUrl(path));
  await waitForHydration(page, heading);
}

/**
 * Waits until React has hydrated the server-rendered page: a click before that lands on HTML
 * without handlers and does nothing. React marks each element it owns with a `__reactFiber` key.
 */
export async function waitForHydration(page: Page, heading: string | RegExp): Promise<void> {
  const h1 = page.getByRole("heading", { name: heading, level: 1 });
  await h1.waitFor({ state: "attached" });
  await h1.evaluate(
    (element) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (Object.keys(element).some((key) => key.startsWith("__reactFiber"))) resolve();
          else setTimeout(check, 20);
        };
        check();
      }),
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
