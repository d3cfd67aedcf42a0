// Home's job queue card says what the figures beside it say: jobs the worker left waiting out a
// retry's backoff are counted apart from jobs due now, and whether the worker keeps up is read
// from the jobs due alone (the demo showed "Waiting 8" beside "Nothing is waiting").
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

test("jobs waiting out a retry before the merchant opened the app are not called due, and the sentence speaks of the jobs due", async ({
  stack,
  db,
  page: tab,
}) => {
  // GIVEN the shop set up as the demo sets it up (its rules and profiles) and paid orders that
  // came before the merchant first opened the app: the shop has no offline session yet, so the
  // worker fails each order's route job and leaves it waiting for its retry (twice at least, so
  // the next one is seconds away), as the demo's fresh orders wait
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
  await waitFor(
    "each order's route job left waiting for its retry",
    () =>
      db.job.findMany({
        where: { queue: "route-order", shop: stack.shop },
        select: { status: true, attempts: true },
      }),
    (jobs) =>
      jobs.length === placed.length &&
      jobs.every((job) => job.status === "queued" && job.attempts >= 2),
  );

  // WHEN the merchant opens the app
  await openApp(tab, stack, "/app", english("app.name"));

  // THEN the jobs waiting out their backoff show as such, not as due, and the sentence under the
  // figures is the one the jobs due call for (before, "Waiting 3" stood beside "Nothing is
  // waiting: the worker keeps up.")
  const first = await jobQueueCard(tab);
  expect(first.later, JSON.stringify(first)).toBeGreaterThan(0);
  expectSentenceFromDueJobs(first);
  await keepScreenshot(tab, "home-jobs-waiting");

  // WHEN the orders are routed with the session the first load stored, and the merchant looks again
  await workerSettled(db);
  await openApp(tab, stack, "/app", english("app.name"));

  // THEN no route job waits, and the sentence still follows the jobs due
  expect(await db.job.count({ where: { queue: "route-order", status: "queued" } })).toBe(0);
  const settled = await jobQueueCard(tab);
  expectSentenceFromDueJobs(settled);
});
