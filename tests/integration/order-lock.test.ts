// Bulk actions, Flow actions and extra charges take their order's turn like route jobs do: a bulk
// item (named by its item, whose target may be a fulfillment order), a Flow action and an extra
// charge's job (named by its draft or the order the draft became, changing the original) wait while
// another worker process works the same order. On PostgreSQL + pg-boss, with two queues as two
// processes' locks.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import type { Job, JobQueue } from "~/jobs/queue";
import pg from "pg";
import { advisoryLockKeys, createPgBossQueue, type PgBossQueue } from "~/jobs/pgboss-queue.server";
import { bulkItemSubject } from "~/fulfilment/bulk.server";
import { extraChargeSubject, oneOrderAtATime, type WorkerDeps } from "~/fulfilment/worker.server";

const onPostgres = (process.env.DATABASE_URL ?? "").startsWith("postgres");
const SHOP = "order-lock.myshopify.com";
const ORDER = "gid://shopify/Order/7001";
const FO = "gid://shopify/FulfillmentOrder/7101";

const queues: PgBossQueue[] = [];
afterAll(async () => {
  await Promise.all(queues.map((q) => q.stop()));
  await db.bulkJob.deleteMany({ where: { shop: SHOP } });
  await db.fulfillmentOrderRecord.deleteMany({ where: { shop: SHOP } });
  await db.extraCharge.deleteMany({ where: { shop: SHOP } });
});

const job = (queue: string, payload: unknown): Job => ({
  id: randomUUID(),
  queue,
  shop: SHOP,
  payload,
  attempts: 1,
});

/** A bulk action of one pending item on `targetId`; the item's id. */
async function bulkItem(targetId: string, action = "approve"): Promise<string> {
  const bulk = await db.bulkJob.create({ data: { shop: SHOP, action, total: 1 } });
  const item = await db.bulkJobItem.create({
    data: { bulkJobId: bulk.id, targetId, label: "#7001", status: "pending" },
  });
  return item.id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!onPostgres)(
  "bulk actions, Flow actions and extra charges take the order's lock",
  () => {
    it("a bulk item on a fulfillment order, one on the order and a Flow action wait for the process working the order", async () => {
      await db.fulfillmentOrderRecord.create({
        data: {
          shop: SHOP,
          fulfillmentOrderId: FO,
          orderId: ORDER,
          orderName: "#7001",
          status: "OPEN",
          outcome: "pending",
          orderCreatedAt: new Date(),
        },
      });
      const url = process.env.DATABASE_URL!;
      const processA = createPgBossQueue(url);
      const processB = createPgBossQueue(url);
      queues.push(processA, processB);
      const deps = { db, queue: processB as JobQueue } as WorkerDeps;
      const guard = oneOrderAtATime(processB);
      const ran: string[] = [];
      const record = (name: string) => async () => {
        ran.push(name);
      };

      // Process A works the order (a route job under the lock) until told to stop.
      let release!: () => void;
      const working = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const holding = new Promise<void>((resolve) => (started = resolve));
      const routeJob = processA.exclusive(`order:${SHOP}|${ORDER}`, async () => {
        started();
        await working;
        ran.push("route job done");
      });
      await holding;

      const byFo = guard(record("bulk item (fulfillment order)"), bulkItemSubject)(
        deps,
        job("bulk-item", { itemId: await bulkItem(FO) }),
      );
      const byOrder = guard(record("bulk item (order)"), bulkItemSubject)(
        deps,
        job("bulk-item", { itemId: await bulkItem(ORDER) }),
      );
      const flow = guard(record("flow action"))(
        deps,
        job("flow-action", { shop: SHOP, handle: "approve", orderId: ORDER, runId: "r1" }),
      );
      // Several of pg-boss's lock polls go by: nothing ran beside the route job.
      await sleep(1500);
      expect(ran).toEqual([]);

      release();
      await Promise.all([routeJob, byFo, byOrder, flow]);
      expect(ran[0]).toBe("route job done");
      expect(ran.slice(1).sort()).toEqual([
        "bulk item (fulfillment order)",
        "bulk item (order)",
        "flow action",
      ]);
    });

    it("takes and lets go of many orders' locks at once on its one lock session, the calls waiting for it together in a statement, without node-postgres warning of overlapping queries (an error in its next major)", async () => {
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.message);
      process.on("warning", onWarning);
      // The lock statements the process sends, caught at node-postgres' client.
      const query = pg.Client.prototype.query;
      let lockStatements = 0;
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        if (typeof args[0] === "string" && args[0].includes("advisory")) lockStatements++;
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof query;
      try {
        const process_ = createPgBossQueue(process.env.DATABASE_URL!);
        queues.push(process_);
        const done: string[] = [];
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            process_.exclusive(`order:${SHOP}|gid://shopify/Order/${7300 + i}`, async () => {
              await sleep(5);
              done.push(String(i));
            }),
          ),
        );
        expect(done).toHaveLength(20);
        // Every lock let go of (the unlocks ride with the next lock, or go on their own soon).
        const held = async () =>
          (
            await db.$queryRawUnsafe<{ n: number }[]>(
              `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1`,
              advisoryLockKeys("any")[0],
            )
          )[0]!.n;
        await expect.poll(held, { timeout: 10_000 }).toBe(0);
        // 20 locks and 20 unlocks, one statement each before: the calls that waited for the
        // session went together.
        expect(lockStatements).toBeGreaterThan(0);
        expect(lockStatements).toBeLessThan(20);
        // Node emits warnings on the next tick.
        await sleep(50);
        expect(warnings.filter((m) => m.includes("already executing a query"))).toEqual([]);
      } finally {
        pg.Client.prototype.query = query;
        process.off("warning", onWarning);
      }
    });

    it("is re-entrant: a nested call with the order's key runs at once, and the order stays locked to other processes until the outer call ends", async () => {
      const url = process.env.DATABASE_URL!;
      const processA = createPgBossQueue(url);
      const processB = createPgBossQueue(url);
      queues.push(processA, processB);
      const key = `order:${SHOP}|gid://shopify/Order/7401`;
      const ran: string[] = [];
      let other: Promise<void> | undefined;
      await processA.exclusive(key, async () => {
        ran.push(await processA.exclusive(key, async () => "nested call"));
        // The nested call's end let go of nothing: another process still waits its turn.
        other = processB.exclusive(key, async () => void ran.push("other process"));
        await sleep(1000);
        ran.push("outer call done");
      });
      await other;
      expect(ran).toEqual(["nested call", "outer call done", "other process"]);
    });

    it("a repair's item and an item already done take no order's turn", async () => {
      const deps = { db } as WorkerDeps;
      expect(
        await bulkItemSubject(
          deps,
          job("bulk-item", { itemId: await bulkItem("finding-1", "repair") }),
        ),
      ).toBeNull();
      const done = await bulkItem(ORDER);
      await db.bulkJobItem.update({ where: { id: done }, data: { status: "succeeded" } });
      expect(await bulkItemSubject(deps, job("bulk-item", { itemId: done }))).toBeNull();
    });

    it("an extra charge's job waits for the process working the original, whether its draft or its paid order names it", async () => {
      const DRAFT = "gid://shopify/DraftOrder/7201";
      const PAID = "gid://shopify/Order/7202";
      const charge = await db.extraCharge.create({
        data: {
          shop: SHOP,
          orderId: ORDER,
          orderName: "#7001",
          reason: "Second coat",
          amount: "12.00",
          currency: "EUR",
          draftOrderId: DRAFT,
          paidOrderId: PAID,
          status: "completed",
        },
      });
      const url = process.env.DATABASE_URL!;
      const processA = createPgBossQueue(url);
      const processB = createPgBossQueue(url);
      queues.push(processA, processB);
      const deps = { db, queue: processB as JobQueue } as WorkerDeps;
      const guard = oneOrderAtATime(processB);
      const ran: string[] = [];
      const record = (name: string) => async () => {
        ran.push(name);
      };

      let release!: () => void;
      const working = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const holding = new Promise<void>((resolve) => (started = resolve));
      const routeJob = processA.exclusive(`order:${SHOP}|${ORDER}`, async () => {
        started();
        await working;
        ran.push("route job done");
      });
      await holding;

      const run = (name: string, event: unknown) =>
        guard(record(name), extraChargeSubject)(deps, job("extra-charge", { shop: SHOP, event }));
      const byDraft = run("draft updated", { kind: "draft", draftOrderId: DRAFT });
      const byCharge = run("paid (charge named)", {
        kind: "paid",
        orderId: PAID,
        orderName: "#7202",
        chargeId: charge.id,
      });
      const byPaidOrder = run("paid (order only)", {
        kind: "paid",
        orderId: PAID,
        orderName: "#7202",
        chargeId: null,
      });
      // A charge the app does not know changes nothing: it runs at once.
      await run("unknown draft", { kind: "draft", draftOrderId: "gid://shopify/DraftOrder/1" });
      await sleep(1500);
      expect(ran).toEqual(["unknown draft"]);

      release();
      await Promise.all([routeJob, byDraft, byCharge, byPaidOrder]);
      expect(ran[1]).toBe("route job done");
      expect(ran.slice(2).sort()).toEqual([
        "draft updated",
        "paid (charge named)",
        "paid (order only)",
      ]);
    });
  },
);
