// The webhook inbox shared by several worker processes, on the database under test (SQLite, or
// PostgreSQL + pg-boss): every stored delivery becomes its job in exactly one process, and one
// shop's flash sale does not hold another shop's webhooks behind it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import {
  INBOX_LEASE_MS,
  INBOX_SHOP_SHARE,
  processInbox,
  QUEUES,
  ROUTING_COMPLETE_LOOK_AGAIN_MS,
  type WorkerDeps,
} from "~/fulfilment/worker.server";
import { storeDeliveries, type InboundDelivery } from "~/webhooks/inbox.server";
import { shareOfEachShop, waitingByShop } from "~/fulfilment/inbox-read.server";
import { emptyTables } from "../support/integration";
import { installShop } from "../support/install";

const BUSY = "flash-sale.myshopify.com";
const QUIET = "quiet.myshopify.com";

const open: JobQueue[] = [];
beforeEach(async () => {
  await emptyTables(db);
  // The worker drops an uninstalled shop's deliveries (ADR 045): both shops have the app.
  for (const shop of [BUSY, QUIET]) await installShop(db, shop);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.stop()));
});

/**
 * One worker process's view: its own queue on the database under test (as `npm run worker` makes
 * it), and the jobs this process enqueued, by the delivery's fulfillment order.
 */
function workerProcess(now: () => Date = () => new Date()) {
  const queue = createJobQueue(db, process.env.DATABASE_URL!);
  open.push(queue);
  const enqueued: string[] = [];
  const recording: JobQueue = {
    ...queue,
    async enqueue(name, payload, options) {
      const added = await queue.enqueue(name, payload, options);
      if (name === QUEUES.refreshOrder)
        enqueued.push((payload as { fulfillmentOrderId: string }).fulfillmentOrderId);
      return added;
    },
  };
  const deps: WorkerDeps = {
    db,
    queue: recording,
    now,
    gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
  };
  return { deps, enqueued };
}

/** A lab's acceptance of a fulfillment request, as Shopify sends it (one refresh job each). */
function accepted(shop: string, n: number): InboundDelivery {
  return {
    webhookId: `${shop}-accepted-${n}`,
    topic: "fulfillment_orders/fulfillment_request_accepted",
    shop,
    triggeredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, n)).toISOString(),
    payload: {
      fulfillment_order: { id: `gid://shopify/FulfillmentOrder/${n}`, status: "in_progress" },
      message: "On it",
    },
  };
}

describe("an inbox pass's read", () => {
  it("takes each shop's share of its waiting deliveries, the rows as Prisma's client reads them", async () => {
    // Three shops' deliveries, stored in turns a few milliseconds apart (so no two arrived at
    // once); one of them handled, one waiting out a retry.
    const SLOW = "slow.myshopify.com";
    for (let i = 1; i <= 12; i++) {
      await storeDeliveries(db, [accepted([BUSY, QUIET, SLOW][i % 3]!, i)]);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await storeDeliveries(db, [{ ...accepted(QUIET, 99), triggeredAt: undefined }]);
    await db.webhookDelivery.update({
      where: { webhookId: `${BUSY}-accepted-3` },
      data: { status: "processed", processedAt: new Date(), error: "seen" },
    });
    const at = new Date();
    await db.webhookDelivery.update({
      where: { webhookId: `${SLOW}-accepted-2` },
      data: { retryAt: new Date(at.getTime() + 60_000), attempts: 2 },
    });
    await db.webhookDelivery.update({
      where: { webhookId: `${SLOW}-accepted-5` },
      data: { retryAt: new Date(at.getTime() - 60_000), attempts: 1 },
    });
    // Two shops taken (those waiting longest), three deliveries each (the least a share is).
    const read = await waitingByShop(db, at, { shops: 2, least: 3, most: 5 });
    const expected = await Promise.all(
      [QUIET, SLOW].map((shop) =>
        db.webhookDelivery.findMany({
          where: {
            shop,
            status: "received",
            OR: [{ retryAt: null }, { retryAt: { lte: at } }],
          },
          orderBy: { receivedAt: "asc" },
          take: 3,
        }),
      ),
    );
    expect(read).toEqual(expected);
    expect(read.map((shop) => shop.map((d) => d.webhookId))).toEqual([
      [`${QUIET}-accepted-1`, `${QUIET}-accepted-4`, `${QUIET}-accepted-7`],
      [`${SLOW}-accepted-5`, `${SLOW}-accepted-8`, `${SLOW}-accepted-11`],
    ]);
    // The worker's own reckoning of a shop's share says what the statement took.
    expect(shareOfEachShop({ shops: 2, least: 3, most: 5 }, read.length)).toBe(3);
    // The shops' limit divided among them, within the bounds: 10 for each of three, at most 4.
    const all = await waitingByShop(db, at, { shops: 30, least: 1, most: 4 });
    expect(all.map((shop) => [shop[0]!.shop, shop.length])).toEqual([
      [QUIET, 4],
      [SLOW, 3],
      [BUSY, 3],
    ]);
    expect(shareOfEachShop({ shops: 30, least: 1, most: 4 }, all.length)).toBe(4);
    expect((await waitingByShop(db, at, { shops: 30, least: 1, most: 40 })).flat()).toHaveLength(
      11,
    );
  });
});

describe("the inbox shared by worker processes", () => {
  it("turns every delivery into its job in exactly one of two processes", async () => {
    await storeDeliveries(
      db,
      Array.from({ length: 120 }, (_, i) => accepted(i % 2 ? BUSY : QUIET, i + 1)),
    );
    const first = workerProcess();
    const second = workerProcess();
    // Both poll at the same moment, as two workers woken by the same batch of webhooks would.
    let handled = 0;
    for (;;) {
      const [a, b] = await Promise.all([processInbox(first.deps), processInbox(second.deps)]);
      if (a + b === 0) break;
      handled += a + b;
    }
    expect(handled).toBe(120);
    const all = [...first.enqueued, ...second.enqueued];
    expect(all).toHaveLength(120);
    expect(new Set(all).size).toBe(120);
    expect(await db.webhookDelivery.count({ where: { status: "processed" } })).toBe(120);
  });

  it("gives two processes polling at once different deliveries, not the same ones", async () => {
    await storeDeliveries(
      db,
      Array.from({ length: 2 * INBOX_SHOP_SHARE }, (_, i) => accepted(BUSY, i + 1)),
    );
    const first = workerProcess();
    const second = workerProcess();
    // Both read the flash sale's oldest share at once; whichever claims second reads the next.
    const [a, b] = await Promise.all([processInbox(first.deps), processInbox(second.deps)]);
    expect(a + b).toBe(2 * INBOX_SHOP_SHARE);
    expect(new Set([...first.enqueued, ...second.enqueued]).size).toBe(2 * INBOX_SHOP_SHARE);
  });

  it("asks Shopify nothing for a flash sale's order_routing_complete that comes with its order's orders/paid: it waits for the order's route job", async () => {
    // This test's Admin API refuses every call, as a flash sale's empty bucket would make the
    // lookup wait: the inbox must not ask it which order the fulfillment order belongs to.
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, 0, ms)).toISOString();
    await storeDeliveries(db, [
      {
        webhookId: `${BUSY}-paid-77`,
        topic: "orders/paid",
        shop: BUSY,
        triggeredAt: at(1),
        payload: {
          admin_graphql_api_id: "gid://shopify/Order/77",
          financial_status: "paid",
          line_items: [{ quantity: 2 }, { quantity: 1 }],
        },
      },
      {
        webhookId: `${BUSY}-routed-77`,
        topic: "fulfillment_orders/order_routing_complete",
        shop: BUSY,
        triggeredAt: at(2),
        payload: { fulfillment_order: { id: "gid://shopify/FulfillmentOrder/77", status: "open" } },
      },
    ]);
    const clock = new Date();
    const { deps } = workerProcess(() => clock);
    const routed: unknown[] = [];
    const queue: JobQueue = {
      ...deps.queue,
      async enqueue(name, payload, options) {
        if (name === QUEUES.routeOrder) routed.push(payload);
        return deps.queue.enqueue(name, payload, options);
      },
    };
    expect(await processInbox({ ...deps, queue })).toBe(2);
    // One route job, the order's, from orders/paid (with the order's lines and units, which size
    // its read, and that it was paid in full, so the read skips what it owes); the other delivery
    // waits for it, no attempt counted, and looks again later.
    expect(routed).toEqual([
      {
        shop: BUSY,
        orderId: "gid://shopify/Order/77",
        trigger: "webhook",
        cause: "orders/paid",
        shape: { lines: 2, units: 3, paid: true },
      },
    ]);
    const waiting = await db.webhookDelivery.findUniqueOrThrow({
      where: { webhookId: `${BUSY}-routed-77` },
    });
    expect(waiting).toMatchObject({ status: "received", attempts: 0, error: null });
    expect(waiting.retryAt!.getTime()).toBe(clock.getTime() + ROUTING_COMPLETE_LOOK_AGAIN_MS);
    expect(await processInbox({ ...deps, queue })).toBe(0);
  });

  it("leaves a delivery a process took to that process until its lease runs out", async () => {
    await storeDeliveries(db, [accepted(QUIET, 1)]);
    let clock = new Date();
    // A process takes the delivery (its claim moves retryAt a lease ahead) and dies before its
    // job is enqueued.
    const row = await db.webhookDelivery.findFirstOrThrow();
    await db.webhookDelivery.update({
      where: { id: row.id },
      data: { retryAt: new Date(clock.getTime() + INBOX_LEASE_MS) },
    });
    const other = workerProcess(() => clock);
    expect(await processInbox(other.deps)).toBe(0);
    clock = new Date(clock.getTime() + INBOX_LEASE_MS + 1);
    expect(await processInbox(other.deps)).toBe(1);
    expect(other.enqueued).toEqual(["gid://shopify/FulfillmentOrder/1"]);
  });

  it("takes a quiet shop's webhook in the same pass as a flash sale's older backlog", async () => {
    // 500 deliveries of one shop arrive first, then one of another shop.
    for (let i = 0; i < 500; i += 100)
      await storeDeliveries(
        db,
        Array.from({ length: 100 }, (_, j) => accepted(BUSY, i + j + 1)),
      );
    await storeDeliveries(db, [accepted(QUIET, 10_000)]);
    const worker = workerProcess();
    await processInbox(worker.deps, 50);
    expect(worker.enqueued).toContain("gid://shopify/FulfillmentOrder/10000");
    // The flash sale's deliveries wait for the next passes, in the order they came.
    expect(
      await db.webhookDelivery.count({ where: { shop: BUSY, status: "received" } }),
    ).toBeGreaterThan(400);
  });

  it("keeps a pass short while a flash sale waits, so a webhook arriving meanwhile is next", async () => {
    await storeDeliveries(
      db,
      Array.from({ length: 200 }, (_, i) => accepted(BUSY, i + 1)),
    );
    const worker = workerProcess();
    // A pass with the flash sale alone takes its share, not the whole backlog: a quiet shop's
    // webhook stored meanwhile waits only for that share.
    expect(await processInbox(worker.deps)).toBe(INBOX_SHOP_SHARE);
    await storeDeliveries(db, [accepted(QUIET, 10_000)]);
    await processInbox(worker.deps);
    // The first pass took the oldest of the flash sale (lanes run side by side, in any order).
    const first = worker.enqueued.slice(0, INBOX_SHOP_SHARE);
    expect([...first].sort()).toEqual(
      Array.from(
        { length: INBOX_SHOP_SHARE },
        (_, i) => `gid://shopify/FulfillmentOrder/${i + 1}`,
      ).sort(),
    );
    expect(worker.enqueued.slice(INBOX_SHOP_SHARE)).toContain(
      "gid://shopify/FulfillmentOrder/10000",
    );
    // The flash sale goes on in the order it came, a share per pass.
    while ((await processInbox(worker.deps)) > 0);
    expect(await db.webhookDelivery.count({ where: { status: "processed" } })).toBe(201);
  });
});
