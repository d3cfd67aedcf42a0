// The demo's first open, as a merchant sees it: orders paid before the shop had a session are
// routed once the app is opened, without waiting out their retry's backoff (ADR 049), and Home's
// job queue card says what the figures beside it say: whether the worker keeps up is read from the
// jobs due alone (the demo showed "Waiting 8" beside "Nothing is waiting").
import type { Page } from "playwright-core";
import {
  appTest as test,
  expect,
  keepScreenshot,
  openApp,
  waitFor,
  workerSettled,
} from "./support/harness.ts";
import { english } from "./support/catalogue.ts";
import { noOfflineSession } from "../../app/fulfilment/session-wait";
import { seedDemoConfig } from "../../scripts/demo-config.ts";

type DemoLocations = Parameters<typeof seedDemoConfig>[2];

interface JobQueueCard {
  due: number;
  later: number;
  running: number;
  sentence: string;
}

/** The card's figures, each read from its row beside its label, and the sentence under them. */
async function jobQueueCard(tab: Page): Promise<JobQueueCard> {
  const card = tab.getByRole("heading", { name: english("home.jobs.title") }).locator("xpath=..");
  const figure = async (key: string) => {
    const row = card.getByText(english(key), { exact: true }).locator("xpath=..");
    const shown = /(\d+)\s*$/.exec(await row.innerText());
    if (!shown) throw new Error(`no figure beside ${english(key)}`);
    return Number(shown[1]);
  };
  return {
    due: await figure("home.jobs.due"),
    later: await figure("home.jobs.later"),
    running: await figure("home.jobs.running"),
    sentence: await card.locator("p").last().innerText(),
  };
}

/** The sentence the jobs due call for: none due, due for under a minute, or waiting longer. */
function expectSentenceFromDueJobs(card: JobQueueCard) {
  if (card.due === 0) {
    expect(card.sentence).toBe(english("home.jobs.keepingUp"));
    return;
  }
  const [before, after] = english("home.jobs.oldestWait", { seconds: "\u0000" }).split("\u0000");
  const slow = card.sentence.startsWith(before!) && card.sentence.endsWith(after!);
  expect(slow || card.sentence === english("home.jobs.dueRecently"), card.sentence).toBe(true);
}

/** The figure a Stat card of Home shows under its label. */
async function stat(tab: Page, key: string): Promise<number> {
  const card = tab.getByRole("heading", { name: english(key), exact: true }).locator("xpath=..");
  const shown = /(\d+)\s*$/.exec(await card.innerText());
  if (!shown) throw new Error(`no figure under ${english(key)}`);
  return Number(shown[1]);
}

test("orders paid before the merchant first opened the app are routed once it is opened, without waiting out their retry's backoff, and the queue card speaks of the jobs due", async ({
  stack,
  db,
  page: tab,
}) => {
  // GIVEN the shop set up as the demo sets it up (its rules and profiles) and paid orders that
  // came before the merchant first opened the app: the shop has no offline session yet, so the
  // worker fails each order's route job for want of it (as the queue records it) and leaves it
  // waiting for its retry, as the demo's fresh orders wait
  const { locations } = await stack.control<{ locations: DemoLocations }>(
    "GET",
    `/_sim/products?shop=${stack.shop}`,
  );
  await seedDemoConfig(db, stack.shop, locations);
  const placed = await stack.placeOrders(
    ["ada", "ben", "cem"].map((name) => ({
      payment: "paid" as const,
      email: `${name}@example.com`,
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    })),
  );
  await stack.control("GET", "/_sim/webhooks/idle?timeoutMs=30000");
  await waitFor(
    "each order's route job waiting for its retry after failing without the shop's session",
    () =>
      db.job.findMany({
        where: { queue: "route-order", shop: stack.shop },
        select: { status: true, attempts: true, lastError: true },
      }),
    (jobs) =>
      jobs.length === placed.length &&
      jobs.every(
        (job) =>
          job.status === "queued" &&
          job.attempts >= 2 &&
          (job.lastError ?? "").startsWith(noOfflineSession(stack.shop)),
      ),
  );
  // The merchant opens the app minutes later, when every retry is minutes away: the route jobs'
  // and those of the deliveries that wait for them (an order_routing_complete asks Shopify, which
  // fails without the session too; its retry would enqueue the order's job again and so bring it
  // forward). Each is put an hour away, far beyond this test's wait below: only being brought
  // forward at the first open gets the orders routed within it.
  const anHour = new Date(Date.now() + 3600_000);
  await db.job.updateMany({
    where: { queue: "route-order", shop: stack.shop, status: "queued" },
    data: { runAt: anHour },
  });
  await db.webhookDelivery.updateMany({
    where: { shop: stack.shop, status: "received" },
    data: { retryAt: anHour },
  });

  // WHEN the merchant opens the app: the first load exchanges the session token for the offline
  // session
  await openApp(tab, stack, "/app", english("app.name"));
  // The job card's sentence is the one the jobs due call for, whatever moment it caught
  expectSentenceFromDueJobs(await jobQueueCard(tab));
  await keepScreenshot(tab, "home-jobs-first-open");

  // THEN every order is decided by its own route job, long before its retry was due
  const orderIds = placed.map((order) => order.orderId);
  await waitFor(
    "the orders paid before the first open routed",
    () =>
      db.decision.findMany({
        where: { shop: stack.shop, orderId: { in: orderIds }, trigger: "webhook" },
        select: { orderId: true },
      }),
    (decisions) => new Set(decisions.map((d) => d.orderId)).size === orderIds.length,
  );

  // AND when the merchant looks again, Home counts them among today's decisions, no route job
  // waits, and the sentence still follows the jobs due
  await workerSettled(db);
  await openApp(tab, stack, "/app", english("app.name"));
  expect(await db.job.count({ where: { queue: "route-order", status: "queued" } })).toBe(0);
  expect(await stat(tab, "home.stat.decisionsToday")).toBeGreaterThanOrEqual(orderIds.length);
  expectSentenceFromDueJobs(await jobQueueCard(tab));
});
