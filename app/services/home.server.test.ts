// The home summary on a real SQLite file: today's routing per order, what waits now, queue health,
// the budget in use and decisions per day.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/setup/db";
import type { Db } from "../db/client.server";
import { createEmbeddedQueue } from "../jobs/embedded-queue.server";
import { CHART_DAYS, budgetInUse, loadHomeSummary } from "./home.server";

const SHOP = "home-test.myshopify.com";
const NOW = new Date("2026-11-24T15:00:00Z");
const TODAY = new Date("2026-11-24T09:00:00Z");
const YESTERDAY = new Date("2026-11-23T09:00:00Z");
const BUDGET = { maximumAvailable: 4000, currentlyAvailable: 3000, restoreRate: 200, known: true };

let db: Db;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await cleanup();
});

let n = 0;
async function fo(
  orderId: string,
  outcome: string,
  extra: { provider?: string; placed?: Date; shop?: string } = {},
) {
  n++;
  await db.fulfillmentOrderRecord.create({
    data: {
      shop: extra.shop ?? SHOP,
      fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${n}`,
      orderId: `gid://shopify/Order/${orderId}`,
      orderName: `#${orderId}`,
      status: "OPEN",
      outcome,
      provider: extra.provider ?? null,
      locationName: extra.provider ?? "Studio",
      orderCreatedAt: extra.placed ?? TODAY,
    },
  });
}

async function decision(
  orderId: string,
  trigger: string,
  status: string,
  createdAt: Date,
  steps: string[] = [],
) {
  await db.decision.create({
    data: {
      shop: SHOP,
      orderId: `gid://shopify/Order/${orderId}`,
      trigger,
      status,
      explanation: "[]",
      plan: "{}",
      createdAt,
      steps: {
        create: steps.map((kind, i) => ({
          key: `${kind}-${i}`,
          position: i,
          kind,
          input: "{}",
          status: "succeeded",
        })),
      },
    },
  });
}

describe("the home summary", () => {
  it("counts today's orders by how they were routed, and what waits for the merchant now", async () => {
    await fo("1", "done"); // automatic
    await fo("2", "in_review");
    await fo("3", "fulfilling"); // split: Studio part fulfilling, lab part requested
    await fo("3", "requesting", { provider: "Partner Lab" });
    await fo("4", "needs_attention");
    await fo("5", "waiting_for_you");
    await fo("6", "held");
    await fo("7", "done"); // approved by the merchant: not automatic
    await db.approval.create({
      data: {
        shop: SHOP,
        fulfillmentOrderId: "x",
        orderId: "gid://shopify/Order/7",
        createdAt: TODAY,
      },
    });
    await fo("8", "in_review", { placed: YESTERDAY });
    await fo("9", "in_review", { shop: "other.myshopify.com" });
    await decision("3", "webhook", "applied", TODAY, [
      "fulfillmentOrderSplit",
      "fulfillmentCreate",
    ]);
    await decision("4", "webhook", "needs_attention", TODAY);
    await decision("7", "merchant", "applied", TODAY);
    await decision("8", "webhook", "applied", YESTERDAY);

    const summary = await loadHomeSummary(db, SHOP, NOW, BUDGET, createEmbeddedQueue(db));
    expect(summary.today).toEqual({
      paidOrders: 7,
      automatic: 2,
      held: 1,
      inReview: 1,
      split: 1,
      sentToLab: 1,
      waitingForYou: 1,
      needsAttention: 1,
    });
    expect(summary.now).toEqual({ inReview: 2, needsAttention: 1, held: 1, waitingForYou: 1 });
    expect(summary.needsAttention).toBe(1);
    expect(summary.decisionsToday).toBe(3);
  });

  it("draws decisions per day for two weeks, automatic apart from the merchant's", async () => {
    await decision("1", "webhook", "applied", TODAY);
    await decision("2", "reconciliation", "applied", TODAY);
    await decision("3", "bulk", "applied", TODAY);
    await decision("4", "webhook", "needs_attention", YESTERDAY);
    await decision("5", "webhook", "dry_run", TODAY);
    await decision("6", "webhook", "applied", new Date("2026-11-01T00:00:00Z"));
    const { decisionsByDay } = await loadHomeSummary(
      db,
      SHOP,
      NOW,
      BUDGET,
      createEmbeddedQueue(db),
    );
    expect(decisionsByDay).toHaveLength(CHART_DAYS);
    expect(decisionsByDay[0]!.date).toBe("2026-11-11");
    expect(decisionsByDay.at(-1)).toEqual({
      date: "2026-11-24",
      automatic: 2,
      byYou: 1,
      needsAttention: 0,
    });
    expect(decisionsByDay.at(-2)).toEqual({
      date: "2026-11-23",
      automatic: 0,
      byYou: 0,
      needsAttention: 1,
    });
  });

  it("reports the job queue's health and the budget in use", async () => {
    await db.job.createMany({
      data: [
        {
          queue: "route-order",
          shop: SHOP,
          payload: "{}",
          status: "queued",
          runAt: new Date(NOW.getTime() - 90_000),
        },
        {
          queue: "route-order",
          shop: SHOP,
          payload: "{}",
          status: "queued",
          runAt: new Date(NOW.getTime() + 60_000),
        },
        { queue: "bulk-item", shop: SHOP, payload: "{}", status: "running" },
        { queue: "bulk-item", shop: SHOP, payload: "{}", status: "failed" },
        { queue: "bulk-item", shop: SHOP, payload: "{}", status: "done" },
        { queue: "bulk-item", shop: "other.myshopify.com", payload: "{}", status: "failed" },
      ],
    });
    const summary = await loadHomeSummary(db, SHOP, NOW, BUDGET, createEmbeddedQueue(db));
    expect(summary.jobs).toEqual({
      queued: 2,
      due: 1,
      running: 1,
      failed: 1,
      oldestWaitSeconds: 90,
    });
    expect(summary.budget).toEqual({
      maximum: 4000,
      available: 3000,
      restoreRate: 200,
      inUsePercent: 25,
      known: true,
    });
    expect(
      budgetInUse({
        maximumAvailable: 2000,
        currentlyAvailable: -50,
        restoreRate: 100,
        known: false,
      }),
    ).toMatchObject({ available: 0, inUsePercent: 100 });
  });
});
