// Retention on a real SQLite file: deliveries taken in through the signed intake and jobs the queue
// finished are deleted by the worker once older than their shop's period, in small batches; what is
// recent, still waiting in the inbox or still queued stays.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { startWorker, type WorkerHandle } from "~/fulfilment/worker.server";
import { pruneExpired } from "~/fulfilment/retention.server";
import { intakeWebhook } from "~/webhooks/intake.server";
import { forgetInstalled } from "~/webhooks/installed.server";
import { installShop } from "../support/install";
import { signedDelivery } from "../support/webhooks";
import { emptyTables } from "../support/integration";

const DAY = 24 * 3600_000;
// Installed but never saved its Settings (no Shop row): the default period applies.
const defaultShop = "keeps-30-days.myshopify.com";
const weekShop = "keeps-a-week.myshopify.com";

let worker: WorkerHandle | undefined;
beforeEach(async () => {
  await emptyTables(db);
  forgetInstalled();
  await installShop(db, defaultShop);
  await installShop(db, weekShop);
  await db.shop.upsert({
    where: { shop: weekShop },
    create: { shop: weekShop, retentionDays: 7 },
    update: { retentionDays: 7 },
  });
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

let nextId = 7000;
/** A signed orders/cancelled delivery through the intake, then dated `daysAgo` with `status`. */
async function delivered(shop: string, daysAgo: number, status: string): Promise<string> {
  const id = nextId++;
  const response = await intakeWebhook(
    signedDelivery({
      topic: "orders/cancelled",
      shop,
      body: {
        id,
        admin_graphql_api_id: `gid://shopify/Order/${id}`,
        email: "customer@example.com",
        customer: { first_name: "Ada", last_name: "Lovelace" },
      },
    }),
  );
  expect(response.status).toBe(200);
  const row = await db.webhookDelivery.findFirstOrThrow({
    where: { subjectId: `gid://shopify/Order/${id}` },
  });
  await db.webhookDelivery.update({
    where: { id: row.id },
    data: { receivedAt: new Date(Date.now() - daysAgo * DAY), status },
  });
  return row.id;
}

async function job(shop: string | null, daysAgo: number, status: string): Promise<string> {
  const at = new Date(Date.now() - daysAgo * DAY);
  const row = await db.job.create({
    data: {
      queue: "refresh-order",
      shop,
      payload: "{}",
      status,
      createdAt: at,
      runAt: at,
      finishedAt: status === "done" || status === "failed" ? at : null,
    },
  });
  return row.id;
}

const remaining = async () => ({
  deliveries: (await db.webhookDelivery.findMany({ select: { id: true } })).map((r) => r.id).sort(),
  jobs: (await db.job.findMany({ select: { id: true } })).map((r) => r.id).sort(),
});

describe("retention", () => {
  it("deletes deliveries and finished jobs older than each shop's period, and nothing else", async () => {
    const kept = [
      await delivered(defaultShop, 29, "processed"),
      // Still waiting to be turned into a job: kept whatever its age.
      await delivered(defaultShop, 90, "received"),
      await delivered(weekShop, 6, "ignored"),
    ];
    await delivered(defaultShop, 31, "processed");
    await delivered(defaultShop, 45, "failed");
    await delivered(weekShop, 8, "processed");

    const keptJobs = [
      await job(defaultShop, 20, "done"),
      await job(defaultShop, 60, "queued"),
      await job(weekShop, 3, "failed"),
      await job(null, 10, "done"),
    ];
    await job(defaultShop, 31, "done");
    await job(defaultShop, 40, "failed");
    await job(weekShop, 8, "done");
    await job(null, 31, "done");

    const result = await pruneExpired(db, new Date(), { batchSize: 2 });
    expect(result).toMatchObject({ deliveries: 3, jobs: 4 });
    expect(await remaining()).toEqual({ deliveries: kept.sort(), jobs: keptJobs.sort() });
  });

  it("deletes a large backlog a small batch at a time, and a run stops after its batches", async () => {
    for (let i = 0; i < 7; i++) await delivered(defaultShop, 40, "processed");
    const first = await pruneExpired(db, new Date(), { batchSize: 2, maxBatches: 3 });
    // Three statements of two rows: the rest waits for the next run.
    expect(first).toMatchObject({ deliveries: 6, jobs: 0, batches: 3 });
    expect(await db.webhookDelivery.count()).toBe(1);
    const second = await pruneExpired(db, new Date(), { batchSize: 2, maxBatches: 3 });
    expect(second).toMatchObject({ deliveries: 1, jobs: 0, batches: 1 });
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("the worker prunes by itself, periodically", async () => {
    const recent = await delivered(defaultShop, 1, "processed");
    await delivered(defaultShop, 31, "processed");
    const oldJob = await job(defaultShop, 31, "done");
    const queue = createEmbeddedQueue(db);
    worker = startWorker(
      {
        db,
        queue,
        gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
        now: () => new Date(),
      },
      { inboxPollMs: 60_000, reconcileEveryMs: 3600_000, pruneEveryMs: 300 },
    );
    await vi.waitFor(
      async () => {
        expect((await db.webhookDelivery.findMany()).map((d) => d.id)).toEqual([recent]);
        // The worker's own jobs of today (prune, the reconciliation it starts with) stay.
        expect(await db.job.findUnique({ where: { id: oldJob } })).toBeNull();
      },
      { timeout: 10_000 },
    );
    // Data that ages later goes at a later run.
    await db.webhookDelivery.update({
      where: { id: recent },
      data: { receivedAt: new Date(Date.now() - 31 * DAY) },
    });
    await vi.waitFor(async () => expect(await db.webhookDelivery.count()).toBe(0), {
      timeout: 10_000,
    });
  });
});

describe("retention of the tables that grew since", () => {
  const old = (days: number) => new Date(Date.now() - days * DAY);

  /** An outbound push of one event to one of the shop's addresses, `daysAgo` old. */
  async function push(shop: string, daysAgo: number, status: string): Promise<string> {
    const endpoint =
      (await db.pushEndpoint.findFirst({ where: { shop } })) ??
      (await db.pushEndpoint.create({
        data: {
          shop,
          url: "https://erp.example.com/hooks",
          decisionsSeenUntil: new Date(),
          eventsSeenUntil: new Date(),
        },
      }));
    const row = await db.pushDelivery.create({
      data: {
        shop,
        endpointId: endpoint.id,
        url: endpoint.url,
        event: "fulfillment",
        eventKey: `webhook:${nextId++}`,
        orderId: "gid://shopify/Order/1",
        orderName: "#1001",
        // A fulfillment event's body carries Shopify's payload: the customer's address.
        body: JSON.stringify({
          destination: { name: "Ada Lovelace", address1: "12 St James's Sq" },
        }),
        status,
        createdAt: old(daysAgo),
      },
    });
    return row.id;
  }

  async function bulk(shop: string, daysAgo: number, status: string): Promise<string> {
    const row = await db.bulkJob.create({
      data: {
        shop,
        action: "approve",
        total: 3,
        status,
        createdAt: old(daysAgo),
        finishedAt: status === "finished" ? old(daysAgo) : null,
        items: {
          create: [1, 2, 3].map((i) => ({
            targetId: `gid://shopify/FulfillmentOrder/${nextId++}`,
            label: `#10${i} Ada Lovelace`,
            status: "succeeded",
          })),
        },
      },
    });
    return row.id;
  }

  async function finding(shop: string, daysAgo: number, status: string): Promise<string> {
    const id = nextId++;
    const row = await db.finding.create({
      data: {
        shop,
        key: `stuck_request:gid://shopify/FulfillmentOrder/${id}`,
        category: "stuck",
        kind: "stuck_request",
        orderId: "gid://shopify/Order/1",
        orderName: "#1001",
        fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${id}`,
        since: old(daysAgo + 1),
        summary: "Not accepted",
        evidence: "{}",
        status,
        detectedAt: old(daysAgo + 1),
        resolvedAt: status === "repaired" || status === "resolved" ? old(daysAgo) : null,
      },
    });
    return row.id;
  }

  it("deletes pushes sent or given up, finished bulk actions and settled findings past the period", async () => {
    const keptPushes = [
      await push(defaultShop, 29, "delivered"),
      // Still to be sent: kept whatever its age.
      await push(defaultShop, 90, "pending"),
      await push(weekShop, 6, "failed"),
    ];
    await push(defaultShop, 31, "delivered");
    await push(defaultShop, 40, "failed");
    await push(weekShop, 8, "delivered");

    const keptBulk = [await bulk(defaultShop, 29, "finished"), await bulk(weekShop, 60, "running")];
    await bulk(defaultShop, 31, "finished");
    await bulk(weekShop, 8, "finished");

    const keptFindings = [
      await finding(defaultShop, 29, "resolved"),
      // Still the merchant's to act on: kept whatever its age.
      await finding(defaultShop, 90, "open"),
      await finding(weekShop, 90, "failed"),
    ];
    await finding(defaultShop, 31, "repaired");
    await finding(weekShop, 8, "resolved");

    const result = await pruneExpired(db, new Date(), { batchSize: 2 });
    expect(result).toMatchObject({ pushDeliveries: 3, bulkJobs: 2, findings: 2 });
    const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((r) => r.id).sort();
    expect(await ids(db.pushDelivery.findMany({ select: { id: true } }))).toEqual(
      keptPushes.sort(),
    );
    expect(await ids(db.bulkJob.findMany({ select: { id: true } }))).toEqual(keptBulk.sort());
    // The deleted actions' items went with them; the kept actions keep theirs.
    expect(await db.bulkJobItem.count()).toBe(6);
    expect(await ids(db.finding.findMany({ select: { id: true } }))).toEqual(keptFindings.sort());
  });
  it("deletes staff members' online sessions once expired, and never the shop's offline session", async () => {
    const hour = 3600_000;
    const online = (id: string, expiresIn: number) =>
      db.session.create({
        data: {
          id: `${defaultShop}_${id}`,
          shop: defaultShop,
          state: "",
          isOnline: true,
          accessToken: `shpua_${id}`,
          userId: BigInt(id),
          firstName: "Staff",
          lastName: `Member ${id}`,
          email: `staff-${id}@${defaultShop}`,
          expires: new Date(Date.now() + expiresIn),
        },
      });
    await online("7", -hour);
    await online("8", -30 * 24 * hour);
    await online("9", 20 * hour);
    // The shop's expiring offline token, past its hour: the worker refreshes it, retention keeps it.
    await db.session.update({
      where: { id: `offline_${defaultShop}` },
      data: { expires: new Date(Date.now() - 2 * hour), refreshToken: "shprt_x" },
    });

    const result = await pruneExpired(db, new Date(), { batchSize: 1 });
    expect(result).toMatchObject({ staffSessions: 2 });
    expect(
      (await db.session.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map(
        (s) => s.id,
      ),
    ).toEqual([`${defaultShop}_9`, `offline_${defaultShop}`, `offline_${weekShop}`].sort());
  });
});
