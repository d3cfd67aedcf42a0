// Payment deadlines against the shop simulator, the way Shopify and time bring them: checkout's
// signed webhooks reach the inbox, the worker routes the order and keeps its authorization's
// deadline (the gateway's 7-day period from the authorization, an estimate on a shop that is not
// on Plus), and the worker's periodic authorization check plans the order again once it enters
// Settings' warning window, where Home and the queue's filter show it and "capture before it
// lapses" captures it at Shopify, and once more when it has lapsed, which Shopify announces with
// no webhook.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import { startWorker, type WorkerHandle } from "~/fulfilment/worker.server";
import { loadHomeSummary } from "~/services/home.server";
import { loadQueuePage } from "~/services/queue-page.server";
import { parseQueueFilters } from "~/services/queue-filters.server";
import { saveSettings, settingsToForm } from "~/services/settings.server";
import { DEFAULT_SETTINGS } from "~/routing";
import { translatorOf } from "~/i18n/i18next.server";
import { readWords, renderWords } from "~/i18n/words";
import { inEnglish, saveRule } from "../support/integration";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite();
const HOUR = 3600_000;

/** The app's clock: the test moves it; Shopify's (the simulator's) keeps real time. */
let appNow = Date.now();
let worker: WorkerHandle | undefined;

beforeEach(() => {
  appNow = Date.now();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

function start() {
  const queue = createJobQueue(db, process.env.DATABASE_URL!);
  worker = startWorker(
    { db, queue, gatewayFor: async () => sim.gateway, now: () => new Date(appNow) },
    {
      inboxPollMs: 50,
      authorizationCheckEveryMs: 300,
      reconcileEveryMs: HOUR,
      driftScanEveryMs: HOUR,
      pruneEveryMs: HOUR,
      pushSweepEveryMs: HOUR,
    },
  );
  return queue;
}

const records = (orderId: string) =>
  db.fulfillmentOrderRecord.findMany({ where: { shop: sim.shop, orderId } });

async function home() {
  const summary = await loadHomeSummary(
    db,
    sim.shop,
    new Date(appNow),
    { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50, known: false },
    { health: async () => ({ queued: 0, due: 0, running: 0, failed: 0, oldestWaitSeconds: 0 }) },
  );
  return summary.lapsing;
}

/** Whether Home's warning lists the order (the demo shop's own authorized orders may be there too). */
async function homeWarns(orderId: string) {
  const lapsing = await home();
  return lapsing.orders.find((o) => o.orderId === orderId) ?? null;
}

async function queueLapsingWithin(hours: number) {
  const filters = parseQueueFilters(new URLSearchParams({ lapsesWithin: String(hours) }));
  if (!filters.ok) throw new Error(JSON.stringify(filters.errors));
  const page = await loadQueuePage(db, sim.shop, filters.value, { now: new Date(appNow) });
  return page.rows.map((r) => r.orderName);
}

/** An authorized order as checkout places it, routed by the worker from its signed webhooks. */
async function authorizedOrder() {
  const order = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    payment: "authorized",
  });
  await vi.waitFor(
    async () => {
      const rows = await records(order.orderId);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.authorizationLapsesAt !== null)).toBe(true);
    },
    { timeout: 30_000, interval: 100 },
  );
  // The simulator keeps the gateway's real expiry (7 days) even where the API answers null.
  const state = await sim.control<{ transactions: { authorizationExpiresAt: string | null }[] }>(
    "GET",
    `/_sim/orders/${encodeURIComponent(order.orderId)}`,
  );
  const lapses = Date.parse(state.transactions[0]!.authorizationExpiresAt!);
  return { ...order, lapses };
}

const timerDecisions = (orderId: string) =>
  db.decision.count({ where: { shop: sim.shop, orderId, trigger: "timer" } });

describe("payment deadlines", () => {
  it("keeps each authorized order's deadline as an estimate, and warns on Home and in the queue once it is inside Settings' window", async () => {
    start();
    const order = await authorizedOrder();
    const rows = await records(order.orderId);
    for (const row of rows) {
      // Shopify gives no authorizationExpiresAt below Plus: 7 days from the authorization,
      // to the second the simulator's own gateway uses.
      expect(Math.abs(row.authorizationLapsesAt!.getTime() - order.lapses)).toBeLessThan(1000);
      expect(row.authorizationEstimated).toBe(true);
    }
    expect(await homeWarns(order.orderId)).toBeNull();
    expect(await queueLapsingWithin(48)).not.toContain(order.name);

    // Five days and a bit later (the app's clock): 47 hours left, inside the default 48.
    appNow = order.lapses - 47 * HOUR;
    expect((await home()).warnHours).toBe(48);
    expect(await homeWarns(order.orderId)).toMatchObject({
      orderName: order.name,
      estimated: true,
    });
    expect(await queueLapsingWithin(48)).toContain(order.name);

    // The periodic check plans it again once (no rule captures, so it stays on Home), however
    // many checks run while it is inside the window.
    await vi.waitFor(async () => expect(await timerDecisions(order.orderId)).toBe(1), {
      timeout: 30_000,
      interval: 100,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await timerDecisions(order.orderId)).toBe(1);
    expect(await homeWarns(order.orderId)).not.toBeNull();

    // A narrower window in Settings: not yet a warning.
    const saved = await saveSettings(db, sim.shop, {
      ...settingsToForm(DEFAULT_SETTINGS),
      authorizationWarnHours: "24",
    });
    expect(saved.ok).toBe(true);
    expect(await homeWarns(order.orderId)).toBeNull();
    expect(await queueLapsingWithin(24)).not.toContain(order.name);
  }, 90_000);

  it('plans the order again when the window opens, and "capture before it lapses" captures it at Shopify', async () => {
    await saveRule(db, sim.shop, {
      name: "Capture before it lapses",
      conditions: [],
      actions: [{ type: "capture_payment", when: "before_lapse" }],
    });
    start();
    const order = await authorizedOrder();
    expect((await sim.orderState(order.orderId)).financialStatus).toMatch(/authorized/i);

    appNow = order.lapses - 40 * HOUR;
    await vi.waitFor(
      async () => expect((await sim.orderState(order.orderId)).financialStatus).toMatch(/^paid$/i),
      { timeout: 30_000, interval: 100 },
    );
    // Read again after the capture: nothing left to capture, so nothing to warn about.
    await vi.waitFor(
      async () =>
        expect((await records(order.orderId)).map((r) => r.authorizationLapsesAt)).toEqual(
          (await records(order.orderId)).map(() => null),
        ),
      { timeout: 30_000, interval: 100 },
    );
    expect(await homeWarns(order.orderId)).toBeNull();
    expect(await queueLapsingWithin(48)).not.toContain(order.name);
  }, 90_000);

  it("notices an authorization that lapsed with nothing to announce it: the order needs attention on every row, in the admin's language, with what to do", async () => {
    // Settings capture when the order is fulfilled (the default): the capture is still to come.
    start();
    const order = await authorizedOrder();
    const before = await records(order.orderId);
    expect(before.map((r) => r.outcome)).not.toContain("needs_attention");

    // Eight days pass, at Shopify and for the app: the gateway's 7-day authorization lapses.
    // Shopify shows the payment Expired and sends no webhook for it.
    await sim.control("POST", "/_sim/clock", { advanceMs: 8 * 24 * HOUR });
    appNow = order.lapses + HOUR;
    expect((await sim.orderState(order.orderId)).financialStatus).toBe("EXPIRED");

    await vi.waitFor(
      async () =>
        expect((await records(order.orderId)).map((r) => r.outcome)).toEqual(
          before.map(() => "needs_attention"),
        ),
      { timeout: 30_000, interval: 100 },
    );
    const rows = await records(order.orderId);
    const german = await translatorOf("de");
    for (const row of rows) {
      expect(await inEnglish(row.reason)).toBe(
        "The payment authorization lapsed before it was captured (Shopify shows the payment as Expired), so nothing was captured. Collect the payment from the customer and use Mark as paid in Shopify admin, or cancel the order.",
      );
      expect(renderWords(german, readWords(row.reason!))).toMatch(
        /^Die Zahlungsautorisierung ist abgelaufen, bevor sie erfasst wurde .*„Als bezahlt markieren“/,
      );
      // Nothing is left to capture: no deadline to warn about any more.
      expect(row.authorizationLapsesAt).toBeNull();
    }
    expect(await homeWarns(order.orderId)).toBeNull();
    const summary = await loadHomeSummary(
      db,
      sim.shop,
      new Date(appNow),
      { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50, known: false },
      { health: async () => ({ queued: 0, due: 0, running: 0, failed: 0, oldestWaitSeconds: 0 }) },
    );
    expect(summary.now.needsAttention).toBe(1);

    // Read once for the lapse, however many checks run after it; nothing was captured.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await timerDecisions(order.orderId)).toBe(1);
    const state = await sim.orderState(order.orderId);
    expect(state.transactions.filter((t) => t.kind === "CAPTURE")).toEqual([]);
  }, 90_000);
});
