// A push to an address inside a private network, in Chromium against the app as production runs it
// (no PUSH_ALLOW_PRIVATE_ADDRESSES): the delivery log shows it failed at its first attempt with the
// reason the merchant can act on, not "Waiting" through the backoff, and "Send again" tries it once
// more and says the same at once. A screenshot is kept.
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  openApp,
  toast,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import { PUSH_TITLE, pushLogShows, pushRow } from "./support/push-log.ts";

test.beforeAll(async ({ stack, browser }) => {
  await installApp(browser, stack);
});

/** "Failed", then the refusal's words with how many attempts, as the log's last answer says it. */
function failedInside(attempts: 1 | 2): RegExp {
  const answer = english("fulfill.push.insideNetwork");
  const form = attempts === 1 ? "one" : "other";
  return new RegExp(
    `${englishPattern("fulfill.push.statusName.failed")}[\\s\\S]*` +
      englishPattern(`fulfill.push.answer_${form}`, { answer, count: attempts }),
  );
}

test.describe("push to an address inside a private network", () => {
  test("fails at the first attempt with the reason, and Send again says the same at once", async ({
    stack,
    db,
    page: tab,
  }) => {
    // An address kept before the screen refused IPv4-mapped IPv6: this machine, written in IPv6.
    // (The screen refuses it now; a name that DNS points inside is refused the same way at the push.)
    const now = new Date();
    const secret = {
      pushSecret: "a-secret-of-at-least-32-characters-long",
      pushSecretRotatedAt: now,
    };
    await db.shop.upsert({
      where: { shop: stack.shop },
      create: { shop: stack.shop, ...secret },
      update: secret,
    });
    await db.pushEndpoint.create({
      data: {
        shop: stack.shop,
        url: "https://[::ffff:127.0.0.1]:9/hooks/orders",
        events: "decisions",
        decisionsSeenUntil: now,
        eventsSeenUntil: now,
        createdAt: now,
      },
    });

    const order = await stack.createOrder({
      payment: "paid",
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    });
    await pushLogShows(tab, stack, order, failedInside(1));
    await keepScreenshot(tab, "push-failed-inside-network");
    // Not tried again by the backoff: still one attempt a few seconds later.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const pushes = await db.pushDelivery.findMany({ where: { orderName: order.name } });
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.map((p) => [p.status, p.attempts])).toEqual(pushes.map(() => ["failed", 1]));

    // The merchant sends it again: one more attempt, failed at once with the same reason.
    await openApp(tab, stack, "/app/push", PUSH_TITLE);
    await pushRow(tab, order)
      .first()
      .getByRole("button", { name: english("fulfill.push.sendAgainFor", { order: order.name }) })
      .click();
    await toast(tab, english("fulfill.push.done.sent")).waitFor({ timeout: 30_000 });
    await pushLogShows(tab, stack, order, failedInside(2));
  });
});
