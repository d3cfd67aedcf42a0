// A bulk action's item whose worker loses the job midway (it stalled past its lease and the queue
// gave the job to another worker), through the worker's bulk-item handler against the shop
// simulator: the stalled worker reports nothing, so the merchant's report shows no failure of an
// item that then goes through, and the worker that took the job over reports it, counted once. On
// the database and queue under test (SQLite and the embedded queue, or PostgreSQL + pg-boss).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { handleBulkItem, startBulkJob } from "~/fulfilment/bulk.server";
import { QUEUES } from "~/fulfilment/queues";
import { createJobQueue } from "~/jobs/job-queue.server";
import { LeaseLost, type Job, type JobQueue } from "~/jobs/queue";
import { operationName, type AdminGateway } from "~/shopify/gateway.server";
import { emptyTables, withShopSimulator } from "../support/integration";

const sim = withShopSimulator();

let queue: JobQueue | undefined;
beforeEach(async () => {
  await emptyTables(db);
  await db.shop.create({ data: { shop: sim.shop, notifyCustomer: false } });
});
afterEach(async () => {
  await queue?.stop();
  queue = undefined;
});

describe("a bulk item whose job passed to another worker midway", () => {
  it("is reported by the worker that finished it, once, and never as failed", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    queue = createJobQueue(db, process.env.DATABASE_URL!);
    const bulkJobId = await startBulkJob(db, queue, {
      shop: sim.shop,
      action: "archive",
      targets: [{ id: orderId, label: "#1001" }],
    });
    // The first worker stalls after reading the order: by the time it would archive it, the
    // queue has given the job to another worker.
    const lost = new AbortController();
    const stalling: AdminGateway = {
      ...sim.gateway,
      shop: sim.shop,
      async request<TData>(document: string, variables?: Record<string, unknown>) {
        const answer = await sim.gateway.request<TData>(document, variables);
        if (operationName(document) === "OrderSnapshot")
          lost.abort(new LeaseLost("bulk-item-test"));
        return answer;
      },
    } as AdminGateway;
    const item = await db.bulkJobItem.findFirstOrThrow({ where: { bulkJobId } });
    const job: Job = {
      id: "bulk-item-test",
      queue: QUEUES.bulkItem,
      shop: sim.shop,
      payload: { itemId: item.id },
      attempts: 1,
      signal: lost.signal,
    };
    const deps = { db, queue, now: () => new Date() };
    await expect(
      handleBulkItem({ ...deps, gatewayFor: async () => stalling }, job),
    ).rejects.toBeInstanceOf(LeaseLost);
    expect(await db.bulkJobItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      status: "pending",
      error: null,
    });
    expect(await db.bulkJob.findUniqueOrThrow({ where: { id: bulkJobId } })).toMatchObject({
      succeeded: 0,
      failed: 0,
      status: "running",
    });

    // The worker that took the job over runs the item: archived, and the report says so once.
    const worker = { ...deps, gatewayFor: async () => sim.gateway };
    await queue.drain(QUEUES.bulkItem, (j) => handleBulkItem(worker, j));
    expect(await db.bulkJobItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      status: "succeeded",
      error: null,
    });
    expect(await db.bulkJob.findUniqueOrThrow({ where: { id: bulkJobId } })).toMatchObject({
      succeeded: 1,
      failed: 0,
      status: "finished",
    });
    expect((await sim.orderState(orderId)).closed).toBe(true);
    // The order's history shows the archive once, not a stalled attempt beside it.
    expect(
      await db.decision.findMany({ where: { orderId }, select: { status: true, trigger: true } }),
    ).toEqual([{ status: "applied", trigger: "merchant" }]);

    // The stalled worker wakes up and runs the item again: nothing more is counted.
    await handleBulkItem(worker, { ...job, signal: undefined });
    expect(await db.bulkJob.findUniqueOrThrow({ where: { id: bulkJobId } })).toMatchObject({
      succeeded: 1,
      failed: 0,
    });
  });
});
