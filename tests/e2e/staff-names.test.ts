// A staff member captures a payment and approves an order in Chromium, signed in the way Shopify
// admin signs them in: the order's trace and its timeline name them as Shopify's associated_user
// does, from their online session, while the app calls Shopify with the shop's offline token (the
// staff member's own token is spoiled first), and the worker still routes orders once the online
// session has expired; the next visit exchanges a new one.
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  numberOf,
  openApp,
  toast,
  waitFor,
  type PlacedOrder,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import { printOrder, seedReviewRule } from "./support/review-fixtures.ts";

let print: PlacedOrder;
let labOrder: PlacedOrder;

/** The simulator's shop owner, who admin's session tokens are minted for: Shopify's associated_user. */
const OWNER = "Shop Owner";

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

/** A command's toast: any of these sentences of the catalogue, each {{value}} in it any text. */
const said = (...keys: string[]) =>
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

test.beforeAll(async ({ stack, db, browser }) => {
  await seedReviewRule(db, stack.shop);
  await installApp(browser, stack);
  [print, labOrder] = (await stack.placeOrders([
    printOrder(1, {
      customer: { email: "mia@example.com", firstName: "Mia", lastName: "Schmidt", tags: [] },
    }),
    {
      payment: "authorized",
      customer: { email: "paul@example.com", firstName: "Paul", lastName: "Wagner", tags: [] },
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
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
});

test.describe("who acted, in the staff member's own name", () => {
  test("a capture and an approval name the staff member, while Shopify is called with the shop's offline token", async ({
    stack,
    db,
    page: tab,
  }) => {
    // Signing in stored the staff member's online session beside the shop's offline one.
    const onlineId = `${stack.shop}_1`;
    expect(await db.session.findUniqueOrThrow({ where: { id: onlineId } })).toMatchObject({
      isOnline: true,
      firstName: "Shop",
      lastName: "Owner",
      email: `owner@${stack.shop}`,
    });
    expect(
      await db.session.findUniqueOrThrow({ where: { id: `offline_${stack.shop}` } }),
    ).toMatchObject({ isOnline: false });
    // Were the staff member's token used for Shopify, Shopify would refuse this one.
    await db.session.update({
      where: { id: onlineId },
      data: { accessToken: "shpua_not_a_token_shopify_issued" },
    });

    // A money action: capture the authorized lab order.
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(labOrder.orderId)}`,
      english("order.title", { name: labOrder.name }),
    );
    await tab.getByRole("button", { name: english("order.capture") }).click();
    await tab
      .getByRole("dialog")
      .getByRole("button", { name: english("order.capture") })
      .click();
    await toast(tab, said("captured")).waitFor({ timeout: 30_000 });
    expect(
      (await stack.orderState<{ financialStatus: string }>(labOrder.orderId)).financialStatus,
    ).toMatch(/paid/i);
    const captured = english("engine.why.byActor", {
      what: english("engine.why.merchant.captured"),
      actor: OWNER,
    });
    await eventually(() => tab.getByText(captured, { exact: false }).first().isVisible()).toBe(
      true,
    );
    await keepScreenshot(tab, "staff-names-captured");

    // An approval: the print held for review.
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(print.orderId)}`,
      english("order.title", { name: print.name }),
    );
    await tab
      .getByRole("button", {
        name: english("fulfillmentOrderCard.commandAt.approve", { where: "Studio" }),
      })
      .click();
    await toast(
      tab,
      said(
        "approved_one",
        "approved_other",
        "approvedNothing",
        "approvedAttention",
        "approvedAttentionBecause",
      ),
    ).waitFor({ timeout: 30_000 });
    expect(
      (await db.approval.findFirstOrThrow({ where: { orderId: print.orderId } })).approvedBy,
    ).toBe(OWNER);
    await eventually(() =>
      tab
        .getByText(english("order.timeline.approvedAtBy", { place: "Studio", by: OWNER }))
        .first()
        .isVisible(),
    ).toBe(true);
  });

  test("the worker routes with the shop's offline token once the online session has expired, and the next visit signs the staff member in again", async ({
    stack,
    db,
    page: tab,
  }) => {
    const onlineId = `${stack.shop}_1`;
    await db.session.update({
      where: { id: onlineId },
      data: {
        accessToken: "shpua_not_a_token_shopify_issued",
        expires: new Date(Date.now() - 60_000),
      },
    });
    const [fresh] = await stack.placeOrders([printOrder(2)]);
    await waitFor(
      `${fresh!.name} to be routed by the worker`,
      () => db.fulfillmentOrderRecord.findMany({ where: { orderId: fresh!.orderId } }),
      (records) => records.some((r) => r.outcome === "in_review"),
    );

    await openApp(tab, stack, "/app", english("app.name"));
    const online = await db.session.findUniqueOrThrow({ where: { id: onlineId } });
    expect(online.expires!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(stack.simulator.tokens.lookup(online.accessToken)).toMatchObject({
      kind: "online",
      userId: "1",
    });
    expect(online).toMatchObject({ firstName: "Shop", lastName: "Owner" });
  });
});
