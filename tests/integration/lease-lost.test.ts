// An order's route job whose worker stalled past its lease, on the embedded queue (SQLite): the
// worker that took the job over decides, and the stalled one, told through the job's signal, makes
// no further change on Shopify, nor on the review queue's rows. The rules' hold and tag land once
// between the two.
import { afterAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import type { Job, JobQueue } from "~/jobs/queue";
import { handleRouteOrder, QUEUES, type WorkerDeps } from "~/fulfilment/worker.server";
import { routeOrderKey } from "~/fulfilment/queues";
import type { AdminGateway } from "~/shopify/gateway.server";
import { forgetLocations } from "~/shopify/snapshot.server";
import { REVIEW_AND_TAG_PRINTS, withWorkerSuite } from "../support/worker-suite";

// Prints wait for review and are tagged: the order has a hold and a tag to apply.
const { sim } = withWorkerSuite({
  simulator: { webhooks: false },
  rules: [REVIEW_AND_TAG_PRINTS],
});

const queues: JobQueue[] = [];
afterAll(async () => {
  await Promise.all(queues.map((q) => q.stop()));
});

function worker(id: string, gateway: AdminGateway): WorkerDeps {
  // A short lease, renewed every third of it, so a lost lease is noticed within the test.
  const queue = createEmbeddedQueue(db, { workerId: id, leaseMs: 300 });
  queues.push(queue);
  return { db, queue, gatewayFor: async () => gateway, now: () => new Date() };
}

/**
 * A mutation that changes the order on Shopify. Flow's trigger is left out: the stalled worker
 * still announces the review hold it placed itself (the worker taking over skips that Step, so it
 * would never be announced otherwise).
 */
const changesTheOrder = (document: string) =>
  /^\s*#graphql\s*mutation/.test(document) && !/FlowTriggerReceive/.test(document);

/** The review queue's rows of an order: outcome, status and hold reason. */
async function rowsOf(orderId: string) {
  const rows = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
  return rows.map((r) => [r.outcome, r.status, r.holdReason]);
}

/**
 * Worker a routing the order, its gateway stalling (a long GC, a frozen VM) once Shopify answered
 * the first request `stallsAfter` accepts, until worker b holds a's job; then `meanwhile`, then a
 * goes on with that answer.
 */
async function stalledWorkerA(
  orderId: string,
  stallsAfter: (document: string) => boolean,
  meanwhile: (job: Job) => Promise<void> = async () => undefined,
) {
  let job: Job | undefined;
  let stalled = false;
  const stalling: AdminGateway = {
    shop: sim.shop,
    async request(document, variables) {
      const result = await sim.gateway.request(document, variables);
      if (stallsAfter(document) && !stalled) {
        stalled = true;
        await db.job.updateMany({
          where: { queue: QUEUES.routeOrder },
          data: { leasedBy: "b", leaseUntil: new Date(Date.now() + 60_000) },
        });
        await new Promise<void>((resume) => {
          if (job?.signal?.aborted) return resume();
          job?.signal?.addEventListener("abort", () => resume());
        });
        await meanwhile(job!);
      }
      return result as never;
    },
  } as AdminGateway;
  const a = worker("a", stalling);
  await a.queue.enqueue(
    QUEUES.routeOrder,
    { shop: sim.shop, orderId, trigger: "webhook" },
    { key: routeOrderKey(sim.shop, orderId), shop: sim.shop },
  );
  await a.queue.drain(QUEUES.routeOrder, (taken) => {
    job = taken;
    return handleRouteOrder(a, taken);
  });
  return { stalled, aborted: job?.signal?.aborted };
}

describe("a route job whose lease was taken while it ran", () => {
  it("makes no further change on Shopify in the stalled worker; the worker that took it over finishes the order once", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    let mutationsByA = 0;
    // Worker a's first change reaches Shopify; then it stalls past its lease, and worker b takes
    // the job meanwhile.
    const a = await stalledWorkerA(
      orderId,
      (document) => changesTheOrder(document) && ++mutationsByA === 1,
    );
    expect(a.aborted).toBe(true);
    // Only the change made before the stall: the hold, not the tag.
    expect(mutationsByA).toBe(1);
    let state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.flatMap((f) => f.holds)).toHaveLength(1);
    expect(state.tags).not.toContain("crop-check");
    // The job is b's, untouched by a.
    expect(await db.job.findFirstOrThrow({ where: { queue: QUEUES.routeOrder } })).toMatchObject({
      status: "running",
      leasedBy: "b",
    });

    // Worker b (its process restarted; its lease ran out) runs the job and finishes the order.
    await db.job.updateMany({
      where: { queue: QUEUES.routeOrder },
      data: { leaseUntil: new Date(Date.now() - 1) },
    });
    const b = worker("b", sim.gateway);
    expect(await b.queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(b, job))).toBe(1);
    state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.flatMap((f) => f.holds)).toHaveLength(1);
    expect(state.tags.filter((t) => t === "crop-check")).toHaveLength(1);
    const decisions = await db.decision.findMany({ where: { orderId } });
    expect(decisions.map((d) => d.status)).toEqual(["applied"]);
    expect((await db.job.findFirstOrThrow({ where: { queue: QUEUES.routeOrder } })).status).toBe(
      "done",
    );
  });

  it("a stalled worker whose order read is older than the finished decision writes neither the decision nor the review queue's rows from it", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    let recordedByB: unknown[] = [];
    // A worker process that has not read the shop's locations yet: its first read asks for them.
    forgetLocations(sim.shop);
    // Worker a reads the order, then stalls past its lease before it has planned; worker b takes
    // the job over and decides the order meanwhile, in a process of its own (which shares no read
    // of the shop's locations with a). Then a goes on with the order as it read it, before b's
    // hold and tag.
    const a = await stalledWorkerA(
      orderId,
      (document) => /query OrderRoutingSnapshot\b/.test(document),
      async (job) => {
        forgetLocations(sim.shop);
        await handleRouteOrder(worker("b", sim.gateway), { ...job, signal: undefined });
        recordedByB = await rowsOf(orderId);
      },
    );
    expect(a).toEqual({ stalled: true, aborted: true });

    // What Shopify has: b's hold and tag, once.
    const state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.flatMap((f) => f.holds)).toHaveLength(1);
    expect(state.tags.filter((t) => t === "crop-check")).toHaveLength(1);
    // The queue's row says so, as b recorded it: in review, with the hold's reason (a's plan on its
    // older read had it open, "On hold" with no reason, until the order's next webhook).
    expect(recordedByB).toEqual([["in_review", "ON_HOLD", "OTHER"]]);
    expect(await rowsOf(orderId)).toEqual(recordedByB);
    const decisions = await db.decision.findMany({ where: { orderId } });
    expect(decisions.map((d) => d.status)).toEqual(["applied"]);
  });
});
