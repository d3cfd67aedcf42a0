// A staff member captures a payment and approves an order in Chromium, signed in the way Shopify
// admin signs them in: the order's trace and its timeline name them as Shopify's associated_user
// does, from their online session, while the app calls Shopify with the shop's offline token (the
// staff member's own token is spoiled first), and the worker still routes orders once the online
// session has expired; the next visit exchanges a new one.
import {
  appTest as test,
  expect,
  keepScreenshot,
  numberOf,
  openApp,
  toast,
  waitFor,
  type PlacedOrder,
} from "./support/harness.ts";
import { english } from "./support/catalogue.ts";
import {
  APPROVED_TOASTS,
  commandSaid as said,
  printOrder,
  reviewAndAuthorizedOrders,
} from "./support/review-fixtures.ts";

let print: PlacedOrder;
let labOrder: PlacedOrder;

/** The simulator's shop owner, who admin's session tokens are minted for: Shopify's associated_user. */
const OWNER = "Shop Owner";

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

test.beforeAll(async ({ stack, db, browser }) => {
  ({ print, labOrder } = await reviewAndAuthorizedOrders({ stack, db, browser }));
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
    await toast(tab, said(...APPROVED_TOASTS)).waitFor({ timeout: 30_000 });
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
