// A very large shop's reconciliation and stuck-and-drift passes, run through the worker's handlers
// on the database and queue under test (SQLite and the embedded queue, or PostgreSQL + pg-boss):
// a pass whose budget runs out (its clock moved past it mid-pass) stops cleanly, leaves a cursor and
// a job to carry on, and the next pass reads on from there, no Admin API page twice; a pass whose
// job is no longer its worker's stops at once and writes nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PASS_BUDGET_MS } from "~/fulfilment/pass-budget";
import { handleReconcile, RECONCILE_GRACE_MS } from "~/fulfilment/reconcile.server";
import { handleDriftScan, QUEUES, type WorkerDeps } from "~/fulfilment/worker.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import { LeaseLost, type Job, type JobQueue } from "~/jobs/queue";
import type { AdminGateway } from "~/shopify/gateway.server";
import { operationName } from "~/shopify/gateway.server";
import { TAGS_ADD_MUTATION } from "~/shopify/operations";
import { withFreshDatabase, withShopSimulator } from "../support/integration";
import { shippedByTheLab } from "../support/partner-lab";
import { readCheck, requestCheck } from "~/fulfilment/drift-check.server";

const sim = withShopSimulator();
const db = withFreshDatabase();

let queue: JobQueue | undefined;
beforeEach(async () => {
  await db.shop.create({ data: { shop: sim.shop, notifyCustomer: false } });
});
afterEach(async () => {
  await queue?.stop();
  queue = undefined;
});

/**
 * The worker's clock, a little past every order's reconciliation grace, and Shopify as the worker
 * reaches it, each request noted; `after(operation)` runs once Shopify answered that operation.
 */
function workerOnSimulator() {
  let ahead = RECONCILE_GRACE_MS + 60_000;
  const requests: { operation: string; variables: Record<string, unknown> }[] = [];
  const hooks = new Map<string, () => void>();
  const gateway: AdminGateway = {
    shop: sim.shop,
    async request<TData>(document: string, variables?: Record<string, unknown>) {
      const answer = await sim.gateway.request<TData>(document, variables);
      const operation = operationName(document);
      requests.push({ operation, variables: variables ?? {} });
      hooks.get(operation)?.();
      return answer;
    },
  } as AdminGateway;
  queue = createJobQueue(db, process.env.DATABASE_URL!);
  const deps: WorkerDeps = {
    db,
    queue,
    now: () => new Date(Date.now() + ahead),
    gatewayFor: async () => gateway,
  };
  return {
    deps,
    queue,
    requests,
    /** The clock jumps past a pass's budget the first time Shopify answers `operation`. */
    budgetRunsOutAfter(operation: string) {
      hooks.set(operation, () => {
        hooks.delete(operation);
        ahead += PASS_BUDGET_MS + 1000;
      });
    },
    on(operation: string, then: () => void) {
      hooks.set(operation, then);
    },
    of: (operation: string) => requests.filter((r) => r.operation === operation),
  };
}

/** Paid orders on Shopify whose webhooks never reached the app: only reconciliation finds them. */
async function paidOrders(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    ids.push(orderId);
  }
  return ids;
}

describe("a reconciliation run on a large shop", () => {
  it("stops at its budget with a cursor, and the next run reads on from Shopify's next page, an order of the first changed meanwhile", async () => {
    // One more than a page of Shopify's list (100 orders).
    const orders = await paidOrders(101);
    const worker = workerOnSimulator();
    const routed = new Set<string>();
    const enqueue = worker.queue.enqueue.bind(worker.queue);
    worker.deps.queue = {
      ...worker.queue,
      enqueue: async (name, payload, options) => {
        if (name === QUEUES.routeOrder) routed.add((payload as { orderId: string }).orderId);
        return enqueue(name, payload, options);
      },
    };
    worker.budgetRunsOutAfter("PaidOrdersSince");
    await worker.queue.enqueue(
      QUEUES.reconcile,
      { shop: sim.shop },
      { key: `reconcile:${sim.shop}:test`, shop: sim.shop, maxAttempts: 3 },
    );
    const runs: Job[] = [];
    let cursor: { after?: string } = {};
    await worker.queue.drain(QUEUES.reconcile, async (job) => {
      runs.push(job);
      await handleReconcile(worker.deps, job);
      if (runs.length === 1) {
        // Stopped after the first page: the window and Shopify's cursor are on the shop, its mark
        // has not moved.
        const shop = await db.shop.findUniqueOrThrow({ where: { shop: sim.shop } });
        expect(shop.reconciledUntil).toBeNull();
        cursor = JSON.parse(shop.reconcileCursor!) as typeof cursor;
        expect(routed.size).toBe(100);
        // The page's last order changes on Shopify before the next run (its route job tagged it):
        // Shopify's cursor marks a place in the sort, so the next page is the orders after it all
        // the same (ADR 051).
        await sim.gateway.request(TAGS_ADD_MUTATION, { id: [...routed].at(-1)!, tags: ["lab"] });
      }
    });

    // Two runs (the second the job the first left), each page read once, every order routed.
    expect(runs).toHaveLength(2);
    const pages = worker.of("PaidOrdersSince");
    expect(cursor.after).toEqual(expect.any(String));
    expect(pages.map((p) => p.variables.after ?? null)).toEqual([null, cursor.after]);
    expect(pages[1]!.variables.query).toBe(pages[0]!.variables.query);
    // (The seeded shop has a few paid orders of its own: routed too.)
    expect([...routed]).toEqual(expect.arrayContaining(orders));
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: sim.shop } });
    expect(shop.reconcileCursor).toBeNull();
    expect(shop.reconciledUntil).not.toBeNull();
  });

  it("stops at once when its job is no longer this worker's, writing no cursor and leaving no job", async () => {
    await paidOrders(101);
    const worker = workerOnSimulator();
    const lost = new AbortController();
    worker.on("PaidOrdersSince", () => lost.abort(new LeaseLost("reconcile-test")));
    const job: Job = {
      id: "reconcile-test",
      queue: QUEUES.reconcile,
      shop: sim.shop,
      payload: { shop: sim.shop },
      attempts: 1,
      signal: lost.signal,
    };
    await expect(handleReconcile(worker.deps, job)).rejects.toBeInstanceOf(LeaseLost);
    expect(worker.of("PaidOrdersSince")).toHaveLength(1);
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: sim.shop } });
    expect(shop).toMatchObject({ reconcileCursor: null, reconciledUntil: null });
    expect(await worker.queue.drain(QUEUES.reconcile, () => Promise.resolve())).toBe(0);
  });
});

describe("two reconciliation runs of one shop in two worker processes", () => {
  // Across processes only PostgreSQL's advisory lock keeps them apart; SQLite runs one process.
  it.skipIf(!process.env.DATABASE_URL?.startsWith("postgres"))(
    "take turns: the second reads on from where the first left, not the whole window again",
    async () => {
      await paidOrders(101);
      const first = workerOnSimulator();
      const second = workerOnSimulator();
      const other = createJobQueue(db, process.env.DATABASE_URL!);
      try {
        const run = (deps: WorkerDeps, id: string) =>
          handleReconcile(deps, {
            id,
            queue: QUEUES.reconcile,
            shop: sim.shop,
            payload: { shop: sim.shop },
            attempts: 1,
          });
        await Promise.all([
          run(first.deps, "slot-run"),
          run({ ...second.deps, queue: other }, "start-run"),
        ]);
        // The day before the first run, read once (two pages); the second run asked only for
        // what changed after the first one's mark.
        const pages = [...first.requests, ...second.requests].filter(
          (r) => r.operation === "PaidOrdersSince",
        );
        const windows = new Map<unknown, number>();
        for (const p of pages)
          windows.set(p.variables.query, (windows.get(p.variables.query) ?? 0) + 1);
        expect([...windows.values()].sort()).toEqual([1, 2]);
      } finally {
        await other.stop();
        await second.queue.stop();
      }
    },
  );
});

describe("a stuck-and-drift pass on a large shop", () => {
  it("stops at its budget with a cursor, the next pass compares the rest, and only the scan's end clears what it did not see", async () => {
    // 21 orders at Partner Lab the merchant says the lab shipped, still unfulfilled on Shopify:
    // one more than a batch of the scan's reads (20).
    const worker = workerOnSimulator();
    const fulfillmentOrderIds: string[] = [];
    for (let i = 0; i < 21; i++) {
      fulfillmentOrderIds.push((await shippedByTheLab(sim, db)).fulfillmentOrderId);
    }
    // A finding an earlier scan kept that this scan will not see again.
    const earlier = await db.finding.create({
      data: {
        shop: sim.shop,
        key: "request_not_accepted:gid://shopify/FulfillmentOrder/999999",
        category: "stuck",
        kind: "request_not_accepted",
        orderId: "gid://shopify/Order/999999",
        orderName: "#9999",
        fulfillmentOrderId: "gid://shopify/FulfillmentOrder/999999",
        since: new Date(),
        summary: "{}",
        evidence: "{}",
        scanId: "an-earlier-scan",
      },
    });
    worker.budgetRunsOutAfter("ReportedFulfillmentOrders");
    await worker.queue.enqueue(
      QUEUES.driftScan,
      { shop: sim.shop },
      { key: `drift-scan:${sim.shop}:test`, shop: sim.shop, maxAttempts: 3 },
    );
    const runs: Job[] = [];
    await worker.queue.drain(QUEUES.driftScan, async (job) => {
      runs.push(job);
      await handleDriftScan(worker.deps, job);
      if (runs.length === 1) {
        // The first batch compared and kept; the earlier finding still stands until the scan ends.
        const shop = await db.shop.findUniqueOrThrow({ where: { shop: sim.shop } });
        expect(JSON.parse(shop.driftCursor!)).toMatchObject({ reports: true });
        expect(shop.driftScannedAt).toBeNull();
        expect(await db.finding.count({ where: { category: "drift" } })).toBe(20);
        expect((await db.finding.findUniqueOrThrow({ where: { id: earlier.id } })).status).toBe(
          "open",
        );
      }
    });

    expect(runs).toHaveLength(2);
    // Each fulfillment order read once across both passes.
    const read = worker.of("ReportedFulfillmentOrders").flatMap((r) => r.variables.ids as string[]);
    expect(read.sort()).toEqual([...fulfillmentOrderIds].sort());
    const drift = await db.finding.findMany({ where: { category: "drift" } });
    expect(drift.map((f) => f.fulfillmentOrderId).sort()).toEqual([...fulfillmentOrderIds].sort());
    expect(drift.every((f) => f.status === "open")).toBe(true);
    expect((await db.finding.findUniqueOrThrow({ where: { id: earlier.id } })).status).toBe(
      "resolved",
    );
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: sim.shop } });
    expect(shop.driftCursor).toBeNull();
    expect(shop.driftScannedAt).not.toBeNull();
  });

  it("keeps a merchant's Check now running through a pass that stopped, and ends it with the pass that carries on", async () => {
    const worker = workerOnSimulator();
    for (let i = 0; i < 21; i++) await shippedByTheLab(sim, db);
    worker.budgetRunsOutAfter("ReportedFulfillmentOrders");
    expect((await requestCheck(worker.deps, sim.shop, "Ada Lovelace")).started).toBe(true);
    const seen: (string | undefined)[] = [];
    await worker.queue.drain(QUEUES.driftScan, async (job) => {
      await handleDriftScan(worker.deps, job);
      seen.push((await readCheck(db, sim.shop, worker.deps.now()))?.status);
    });
    // The first pass stopped at its budget: the check was still running; the second ended it
    // with every drifted order the two passes found.
    expect(seen).toEqual(["running", "done"]);
    expect(await readCheck(db, sim.shop, worker.deps.now())).toMatchObject({
      status: "done",
      requestedBy: "Ada Lovelace",
      drift: 21,
      stuck: 0,
    });
  });
});
