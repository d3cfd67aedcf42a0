// The stories the review-screen browser tests share: a rule that sends prints to review and print
// orders as checkouts place them. The mechanics (opening a screen, waiting) are the harness's.
import type { Db } from "../../../app/db/client.server.ts";
import type { Action } from "../../../app/routing/rules.ts";
import type { Browser } from "./browser.ts";
import { englishPattern } from "./catalogue.ts";
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

/**
 * The opening of the stories that act on an order's payment and review: prints go to review, the
 * merchant has opened the app once, and two orders are decided: Mia Schmidt's print held for review
 * and Paul Wagner's authorized lab order waiting for the merchant.
 */
export async function reviewAndAuthorizedOrders({
  stack,
  db,
  browser,
}: {
  stack: Stack;
  db: Db;
  browser: Browser;
}): Promise<{ print: PlacedOrder; labOrder: PlacedOrder }> {
  await seedReviewRule(db, stack.shop);
  await installApp(browser, stack);
  const [print, labOrder] = (await stack.placeOrders([
    printOrder(1, {
      customer: { email: "mia@example.com", firstName: "Mia", lastName: "Schmidt", tags: [] },
    }),
    {
      payment: "authorized",
      customer: { email: "paul@example.com", firstName: "Paul", lastName: "Wagner", tags: [] },
      lineItems: [
        {
          sku: "LAB-METALLIC-30x45",
          quantity: 3,
          properties: { Image: "wedding_044.jpg", Crop: "x:0.12 y:0.00 w:0.76 h:1.00" },
        },
      ],
    },
  ])) as [PlacedOrder, PlacedOrder];
  await waitFor(
    "both orders to be decided",
    () =>
      db.fulfillmentOrderRecord.findMany({
        where: { orderId: { in: [print.orderId, labOrder.orderId] } },
      }),
    (records) =>
      records.some((r) => r.orderId === print.orderId && r.outcome === "in_review") &&
      records.some((r) => r.orderId === labOrder.orderId && r.outcome === "waiting_for_you"),
  );
  return { print, labOrder };
}

/** A command's toast: any of these sentences of the catalogue, each {{value}} in it any text. */
export const commandSaid = (...keys: string[]) =>
  new RegExp(
    keys
      .map((key) =>
        englishPattern(`serviceMessages.commands.${key}`, {
          count: /.+/,
          amounts: /.+/,
          reason: /.+/,
        }),
      )
      .join("|"),
  );

/** Any of the toasts of an approval from the order screen. */
export const APPROVED_TOASTS = [
  "approved_one",
  "approved_other",
  "approvedNothing",
  "approvedAttention",
  "approvedAttentionBecause",
];
