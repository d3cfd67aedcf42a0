// The stories the review-screen browser tests share: a rule that sends prints to review and print
// orders as checkouts place them. The mechanics (opening a screen, waiting) are the harness's.
import type { Db } from "../../../app/db/client.server.ts";
import type { Action } from "../../../app/routing/rules.ts";
import type { Browser } from "./browser.ts";
import {
  installApp,
  waitFor,
  type PlacedOrder,
  type SimOrderInput,
  type Stack,
} from "./harness.ts";

/**
 * "Review prints before printing": Fine Art Prints wait for the merchant ("Check the crop"), then
 * ship from the Studio. A story that needs prints held some other way passes its own name and actions.
 */
export async function seedReviewRule(
  db: Db,
  shop: string,
  {
    name = "Review prints",
    actions = [
      { type: "hold_for_review", note: "Check the crop" },
      { type: "fulfil_automatically" },
    ],
  }: { name?: string; actions?: Action[] } = {},
): Promise<{ id: string; name: string }> {
  return db.rule.create({
    select: { id: true, name: true },
    data: {
      shop,
      name,
      position: 0,
      enabled: true,
      conditions: JSON.stringify({
        match: "all",
        lines: "any",
        keepChecking: false,
        conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
      }),
      actions: JSON.stringify(actions),
    },
  });
}

/**
 * "Lab prints" (or the shop's own name for it): the Lustre A3 print, which the Studio has none of,
 * is asked of Partner Lab with no fallback when the lab says no. First in line.
 */
export async function seedLabRule(
  db: Db,
  shop: string,
  name = "Lab prints",
): Promise<{ id: string }> {
  return db.rule.create({
    select: { id: true },
    data: {
      shop,
      name,
      position: 0,
      enabled: true,
      conditions: JSON.stringify({
        match: "all",
        lines: "any",
        keepChecking: false,
        conditions: [{ field: "sku", operator: "equals", value: "PRINT-LUSTRE-A3" }],
      }),
      actions: JSON.stringify([{ type: "submit_fulfilment_request", notifyCustomer: false }]),
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

/**
 * The opening of the order-detail stories: prints go to review, the merchant has opened the app
 * once, and a print order is placed and held for review by the rule.
 */
export async function heldPrintOrder(
  { stack, db, browser }: { stack: Stack; db: Db; browser: Browser },
  order: SimOrderInput,
): Promise<PlacedOrder> {
  await seedReviewRule(db, stack.shop);
  await installApp(browser, stack);
  const placed = await stack.createOrder(order);
  await waitFor(
    "the print order to be decided",
    () => db.fulfillmentOrderRecord.findMany({ where: { orderId: placed.orderId } }),
    (records) => records.some((r) => r.outcome === "in_review"),
  );
  return placed;
}
