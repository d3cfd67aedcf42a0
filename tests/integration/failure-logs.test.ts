// What the operator reads when work fails, driven the way Shopify and the worker drive it: the
// simulator's order and its signed webhooks, the worker as startWorker runs it on the queue of the
// database under test, Shopify's refusal of a change. Each failed attempt of a job (an order's route
// job, a shop's reconciliation) and each refusal is one JSON line with the shop and the order.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { QUEUES, startWorker, type WorkerHandle } from "~/fulfilment/worker.server";
import { routeOrder } from "~/fulfilment/route-order.server";
import { setLogSink } from "~/utils/log.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { saveRule } from "../support/integration";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite();

let worker: WorkerHandle | undefined;
let queue: JobQueue | undefined;
let logged: Record<string, unknown>[] = [];
let restoreLog: (() => void) | undefined;

beforeEach(() => {
  logged = [];
  restoreLog = setLogSink((line) => logged.push(JSON.parse(line) as Record<string, unknown>));
});
afterEach(async () => {
  await worker?.stop();
  await queue?.stop();
  worker = undefined;
  queue = undefined;
  restoreLog?.();
});

/** Shopify answering every request with a 503, as the gateway reports it after its retries. */
const away = (): AdminGateway => ({
  shop: sim.shop,
  request: () => Promise.reject(new Error("Shopify answered 503 Service Unavailable")),
});

describe("failures in the log", () => {
  it("writes each failed attempt of an order's route job and of the shop's reconciliation on one JSON line with the shop and the order", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    // The order's webhooks are stored in the inbox before the worker starts.
    await sim.webhooksDelivered();
    queue = createJobQueue(db, process.env.DATABASE_URL!);
    worker = startWorker(
      { db, queue, gatewayFor: async () => away(), now: () => new Date() },
      // Reconciliation runs once, at the start; the inbox is read at once.
      { inboxPollMs: 100, reconcileEveryMs: 60 * 60_000 },
    );
    const failed = (name: string) =>
      logged.find((l) => l.event === "job.failed" && l.queue === name);
    await vi.waitFor(
      () => {
        expect(failed(QUEUES.routeOrder)).toBeDefined();
        expect(failed(QUEUES.reconcile)).toBeDefined();
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(failed(QUEUES.routeOrder)).toMatchObject({
      level: "warn",
      shop: sim.shop,
      orderId,
      jobId: expect.any(String),
      attempt: 1,
      error: expect.stringContaining("503"),
    });
    expect(failed(QUEUES.reconcile)).toMatchObject({
      level: "warn",
      shop: sim.shop,
      attempt: 1,
      error: expect.stringContaining("503"),
    });
  });

  it("writes Shopify's refusal of a change with the shop, the order, the step and Shopify's words", async () => {
    const lab = (await sim.location("Partner Lab")).id;
    // A rule moves matte A4 prints, stocked at the Studio and the Partner Lab alike, to the lab.
    // Shopify allows the move when asked (ADR 094); staff hold the fulfillment order in admin
    // between that answer and the move, so Shopify refuses the move itself.
    await saveRule(db, sim.shop, {
      name: "Matte prints at the lab",
      conditions: [{ field: "sku", operator: "equals", value: "PRINT-MATTE-A4" }],
      actions: [{ type: "move", locationId: lab }],
    });
    const { orderId, fulfillmentOrderIds } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    const heldMeanwhile = sim.beforeOperation("FulfillmentOrderMove", () =>
      sim.control(
        "POST",
        `/_sim/fulfillment-orders/${encodeURIComponent(fulfillmentOrderIds[0]!)}/staff-hold`,
        { reason: "OTHER" },
      ),
    );
    const result = await routeOrder(
      { db, gateway: heldMeanwhile, now: () => new Date() },
      { shop: sim.shop, orderId, trigger: "webhook" },
    );
    expect(result.status).toBe("needs_attention");
    expect(logged.filter((l) => l.event === "shopify.refused")).toEqual([
      expect.objectContaining({
        level: "warn",
        shop: sim.shop,
        orderId,
        fulfillmentOrderId: fulfillmentOrderIds[0],
        step: "fulfillmentOrderMove",
        userErrors: [expect.objectContaining({ message: expect.stringMatching(/on hold/i) })],
      }),
    ]);
  });
});
