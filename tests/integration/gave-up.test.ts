// Work that gives up, driven the way Shopify and the worker drive it: the simulator's order and its
// acknowledged webhooks, the worker's route and refresh handlers on the queue of the database under
// test (embedded on SQLite, pg-boss on PostgreSQL) and reconciliation. A job whose every attempt
// failed shows its order as needing attention in the review queue, reconciliation starts it over a
// bounded number of times (route and refresh jobs alike), then leaves it given up, visibly, until
// the merchant routes the order again.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import type { Job } from "~/jobs/queue";
import {
  handleRefreshOrder,
  handleRouteOrder,
  processInbox,
  QUEUES,
  type WorkerDeps,
} from "~/fulfilment/worker.server";
import { reconcileShop } from "~/fulfilment/reconcile.server";
import { RECONCILE_RETRIES, visibleWhenGivingUp } from "~/fulfilment/gave-up.server";
import { runCommand } from "~/fulfilment/commands.server";
import { routeOrderKey } from "~/fulfilment/queues";
import { setLogSink } from "~/utils/log.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { inEnglish } from "../support/integration";
import { REVIEW_AND_TAG_PRINTS, withWorkerSuite } from "../support/worker-suite";

// Prints wait for review and are tagged: the order has a hold and a tag to apply.
const { sim, deps: workerDeps } = withWorkerSuite({ rules: [REVIEW_AND_TAG_PRINTS] });

/** Shopify refusing to answer one kind of request (a 503 every time), everything else as usual. */
function awayFor(pattern: RegExp): AdminGateway {
  return {
    shop: sim.shop,
    request: (document, variables) =>
      pattern.test(document)
        ? Promise.reject(new Error("Shopify answered 503"))
        : sim.gateway.request(document, variables),
  };
}

/** Runs a queue's due jobs with the worker's handler as startWorker wraps it. */
function drain(
  deps: WorkerDeps,
  queue: string,
  handler: (deps: WorkerDeps, job: Job) => Promise<void>,
) {
  return deps.queue
    .drain(queue, (job) => visibleWhenGivingUp(handler)(deps, job))
    .catch(() => undefined);
}

/** What the review queue says about the order's rows, as an English admin reads it. */
async function queueRows(orderId: string) {
  const rows = await db.fulfillmentOrderRecord.findMany({ where: { shop: sim.shop, orderId } });
  return Promise.all(
    rows.map(async (r) => ({ outcome: r.outcome, reason: await inEnglish(r.reason) })),
  );
}

/** A paid print order whose webhooks are in the inbox, and its one route job at its last attempt. */
async function paidOrderWithRouteJob(deps: WorkerDeps): Promise<string> {
  const { orderId } = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    payment: "paid",
  });
  await sim.webhooksDelivered();
  // 12 attempts in production; one here, so each give-up takes one run.
  await deps.queue.enqueue(
    QUEUES.routeOrder,
    { shop: sim.shop, orderId, trigger: "webhook" },
    { key: routeOrderKey(sim.shop, orderId), shop: sim.shop, maxAttempts: 1 },
  );
  while ((await processInbox(deps)) > 0);
  return orderId;
}

async function collectLogs<T>(fn: () => Promise<T>) {
  const lines: string[] = [];
  const restore = setLogSink((line) => lines.push(line));
  try {
    const result = await fn();
    return { result, logged: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  } finally {
    restore();
  }
}

describe("work that gives up", () => {
  it("shows the order as needing attention, starts it over a bounded number of times, then leaves it to the merchant", async () => {
    const deps = await workerDeps();
    const orderId = await paidOrderWithRouteJob(deps);
    // Shopify takes the order read, the holds and the gate, but never answers the tagging.
    const failing = { ...deps, gatewayFor: async () => awayFor(/tagsAdd/) };

    for (let round = 1; round <= RECONCILE_RETRIES; round++) {
      await drain(failing, QUEUES.routeOrder, handleRouteOrder);
      // Given up: the order's rows in the review queue say so, and that it is tried again.
      const rows = await queueRows(orderId);
      expect(rows.length).toBeGreaterThan(0);
      const retrying = await inEnglish({
        key: "giveUp.retrying",
        params: { count: 1, error: "Shopify answered 503", round, rounds: RECONCILE_RETRIES },
      });
      expect(rows).toEqual(rows.map(() => ({ outcome: "needs_attention", reason: retrying })));
      const { result, logged } = await collectLogs(() => reconcileShop(deps, sim.shop));
      expect(result).toMatchObject({ retried: 1, left: 0 });
      expect(logged).toContainEqual(
        expect.objectContaining({
          level: "warn",
          event: "reconcile.retried_gave_up",
          shop: sim.shop,
          orderId,
          round,
        }),
      );
    }
    // The last start over gives up too: reconciliation leaves it, says so once, and stops asking.
    await drain(failing, QUEUES.routeOrder, handleRouteOrder);
    const { result, logged } = await collectLogs(() => reconcileShop(deps, sim.shop));
    expect(result).toMatchObject({ retried: 0, left: 1 });
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: "error",
        event: "reconcile.left_gave_up",
        shop: sim.shop,
        orderId,
        error: "Shopify answered 503",
      }),
    );
    const final = await inEnglish({
      key: "giveUp.final",
      params: { count: 1, error: "Shopify answered 503", rounds: RECONCILE_RETRIES + 1 },
    });
    const rows = await queueRows(orderId);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(rows.map(() => ({ outcome: "needs_attention", reason: final })));
    expect(await reconcileShop(deps, sim.shop)).toMatchObject({ retried: 0, left: 0 });
    expect(await deps.queue.drain(QUEUES.routeOrder, () => Promise.resolve())).toBe(0);
    expect((await deps.queue.health(sim.shop, new Date())).failed).toBe(1);

    // The merchant fixes the cause and routes the order again: the rules finish it.
    const result_ = await runCommand(
      { db, gateway: sim.gateway, now: () => new Date() },
      { shop: sim.shop, actor: "Merchant" },
      { action: "reroute", orderId },
    );
    expect(result_.ok).toBe(true);
    expect((await sim.orderState(orderId)).tags).toContain("crop-check");
    expect((await queueRows(orderId)).map((r) => r.outcome)).toEqual(["in_review"]);
  });

  it("finds a refresh job that gave up and runs it again once Shopify answers", async () => {
    const deps = await workerDeps();
    const orderId = await paidOrderWithRouteJob(deps);
    await drain(deps, QUEUES.routeOrder, handleRouteOrder);
    expect((await queueRows(orderId)).map((r) => r.outcome)).toEqual(["in_review"]);
    // A webhook about the order (orders/cancelled, a lab's answer) asks for a refresh of the
    // review queue, whose every attempt meets Shopify away.
    await deps.queue.enqueue(
      QUEUES.refreshOrder,
      { shop: sim.shop, orderId },
      { shop: sim.shop, maxAttempts: 1 },
    );
    const away = { ...deps, gatewayFor: async () => awayFor(/./) };
    await drain(away, QUEUES.refreshOrder, handleRefreshOrder);
    const retrying = await inEnglish({
      key: "giveUp.retrying",
      params: { count: 1, error: "Shopify answered 503", round: 1, rounds: RECONCILE_RETRIES },
    });
    expect(await queueRows(orderId)).toEqual([{ outcome: "needs_attention", reason: retrying }]);

    const { result, logged } = await collectLogs(() => reconcileShop(deps, sim.shop));
    expect(result).toMatchObject({ retried: 1, left: 0 });
    expect(logged).toContainEqual(
      expect.objectContaining({
        event: "reconcile.retried_gave_up",
        queue: QUEUES.refreshOrder,
        orderId,
      }),
    );
    // Run again with Shopify back: the row shows the order as Shopify has it.
    await drain(deps, QUEUES.refreshOrder, handleRefreshOrder);
    expect((await queueRows(orderId)).map((r) => r.outcome)).toEqual(["in_review"]);
    // Done: nothing left to find.
    expect(await reconcileShop(deps, sim.shop)).toMatchObject({ retried: 0, left: 0 });
  });
});
