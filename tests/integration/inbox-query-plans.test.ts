// The inbox's hot queries, the queue health it asks for, the embedded queue's lease and the push
// sweep use an index that reaches only the rows they need, on the database and queue under test
// (SQLite, or PostgreSQL + pg-boss): the statements sent during a real inbox pass over a shop with a
// long history and a backlog, a health count and a lease over a week of finished jobs, and a push
// sweep over a shop's long history are caught at the driver and explained by the database itself
// (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN after ANALYZE, as autovacuum keeps it).
import type { SqlQuery } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { driverAdapter } from "~/db/client.server";
import { updateRows } from "~/db/rows.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { processInbox, type WorkerDeps } from "~/fulfilment/worker.server";
import { sweepPush } from "~/fulfilment/push.server";
import {
  answerRoutingComplete,
  answerRoutingCompleteWithCatalogue,
} from "~/fulfilment/route-order.server";
import { customerOrderData } from "~/services/compliance.server";
import { englishTranslator } from "~/i18n/i18next.server";
import type { TFunction } from "i18next";
import type { OrderSnapshot } from "~/routing/snapshot";
import { storeDeliveries, type InboundDelivery } from "~/webhooks/inbox.server";
import { emptyTables, statementsDuring } from "../support/integration";
import { installShop } from "../support/install";

const BUSY = "flash-sale.myshopify.com";
const QUIET = "quiet.myshopify.com";

let queue: JobQueue | undefined;
beforeEach(() => emptyTables(db));
afterEach(async () => {
  await queue?.stop();
  queue = undefined;
});

/** orders/paid for order `n` of `shop`, as Shopify sends it (its subject is the order). */
function paid(shop: string, n: number, retry = 0): InboundDelivery {
  return {
    webhookId: `${shop}-paid-${n}-${retry}`,
    topic: "orders/paid",
    shop,
    triggeredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, n)).toISOString(),
    payload: { admin_graphql_api_id: `gid://shopify/Order/${n}`, financial_status: "paid" },
  };
}

async function store(deliveries: InboundDelivery[]) {
  for (let i = 0; i < deliveries.length; i += 200)
    await storeDeliveries(db, deliveries.slice(i, i + 200));
}

/** The database's own account of how it would run a statement, one line per plan node. */
async function planOf(query: SqlQuery): Promise<string> {
  const adapter = await driverAdapter(db);
  const postgres = adapter.provider === "postgres";
  const result = await adapter.queryRaw({
    ...query,
    sql: `${postgres ? "EXPLAIN" : "EXPLAIN QUERY PLAN"} ${query.sql}`,
  });
  const column = postgres ? 0 : result.columnNames.indexOf("detail");
  return result.rows.map((row) => String(row[column])).join("\n");
}

describe("the inbox's query plans", () => {
  it("reads a shop's share and asks about newer deliveries through their own indexes", async () => {
    // A shop with a long history (handled deliveries kept for the retention period) and a
    // backlog, beside a quiet shop with one waiting delivery; both have the app installed.
    for (const shop of [BUSY, QUIET]) await installShop(db, shop);
    await store(Array.from({ length: 1500 }, (_, i) => paid(BUSY, i + 1)));
    await db.webhookDelivery.updateMany({ data: { status: "processed" } });
    await store(Array.from({ length: 400 }, (_, i) => paid(BUSY, 5000 + i)));
    // A retry of an order handled long ago: the pass asks whether a newer one was handled.
    await store([paid(BUSY, 7, 1), paid(QUIET, 1)]);
    const adapter = await driverAdapter(db);
    if (adapter.provider === "postgres")
      await adapter.executeRaw({ sql: 'ANALYZE "WebhookDelivery"', args: [], argTypes: [] });

    queue = createJobQueue(db, process.env.DATABASE_URL!);
    const deps: WorkerDeps = {
      db,
      queue,
      now: () => new Date(),
      gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
    };
    // The statements of one real pass, as Prisma sends them.
    const sent = await statementsDuring(db, async () => {
      expect(await processInbox(deps)).toBeGreaterThan(0);
    });
    // Identifiers are quoted `so` on SQLite and "so" on PostgreSQL.
    const reads = sent.filter(
      (q) =>
        /^\s*(SELECT|WITH)/.test(q.sql) &&
        !/INSERT|UPDATE/.test(q.sql) &&
        q.sql.includes("WebhookDelivery"),
    );
    // The handled deliveries about the pass's subjects, read once for the pass.
    const newer = reads.find(
      (q) => q.sql.includes("subjectId") && / IN /.test(q.sql) && !/ORDER BY/.test(q.sql),
    );
    // The shops and each shop's share of the pass, read in one statement however many shops
    // (it was one for the shops and one a shop), which on PostgreSQL claims them too (ADR 059).
    const shares = sent.filter(
      (q) =>
        /^\s*(SELECT|WITH)/.test(q.sql) &&
        q.sql.includes("WebhookDelivery") &&
        /ORDER BY/.test(q.sql) &&
        /receivedAt/.test(q.sql),
    );
    expect(shares, "the shops' shares of the pass").toHaveLength(1);
    const share = shares[0];
    // Which of the pass's shops have the app installed is asked in that statement too (ADR 045),
    // not in one of its own.
    expect(share!.sql).toMatch(/"Session"/);
    expect(sent.filter((q) => /[`"](Session|Shop)[`"]/.test(q.sql)).map((q) => q.sql)).toEqual([
      share!.sql,
    ]);
    expect(newer, "the handled deliveries about the pass's subjects").toBeDefined();

    // Those subjects' deliveries (through the shop's subjects' index, the only one on the subject:
    // docs/decisions/057), not every orders/paid of the shop nor its history.
    const subjects = await planOf(newer!);
    expect(subjects).toContain("WebhookDelivery_shop_topic_subjectId_idx");
    expect(subjects).not.toMatch(/Seq Scan on "WebhookDelivery"|SCAN main\.WebhookDelivery$/m);
    // Each shop's waiting deliveries in arrival order, not its history or other shops' backlog.
    const sharePlan = await planOf(share!);
    expect(sharePlan).toContain("WebhookDelivery_shop_status_receivedAt_idx");
    // On PostgreSQL its claim looks the rows read up by their key (ADR 059), not the table.
    if (adapter.provider === "postgres") {
      expect(sharePlan).toContain("WebhookDelivery_pkey");
      expect(sharePlan).not.toMatch(/Seq Scan on "WebhookDelivery"/);
    }
  });
});

/** order_routing_complete for fulfillment order `n` of `shop`: its subject is the fulfillment order. */
function routingComplete(shop: string, n: number): InboundDelivery {
  return {
    webhookId: `${shop}-routing-${n}`,
    topic: "fulfillment_orders/order_routing_complete",
    shop,
    triggeredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, n)).toISOString(),
    payload: { fulfillment_order: { id: `gid://shopify/FulfillmentOrder/${n}`, status: "open" } },
  };
}

describe("the route job's answer to its order's routing deliveries", () => {
  it("finds them through their subject however many deliveries wait, the statistics saying few do", async () => {
    // The statistics taken while the shop's deliveries were handled (as autovacuum took them
    // before a flash sale), then a flash sale's backlog waiting for its route jobs.
    await installShop(db, BUSY);
    await store(Array.from({ length: 1500 }, (_, i) => routingComplete(BUSY, i + 1)));
    await db.webhookDelivery.updateMany({ data: { status: "processed" } });
    const adapter = await driverAdapter(db);
    const postgres = adapter.provider === "postgres";
    if (postgres)
      await adapter.executeRaw({ sql: 'ANALYZE "WebhookDelivery"', args: [], argTypes: [] });
    await store(Array.from({ length: 400 }, (_, i) => routingComplete(BUSY, 5000 + i)));

    const fulfillmentOrder = "gid://shopify/FulfillmentOrder/5007";
    const snapshot = { fulfillmentOrders: [{ id: fulfillmentOrder }] } as OrderSnapshot;
    const sent = await statementsDuring(db, () =>
      answerRoutingComplete(db, BUSY, "gid://shopify/Order/7", snapshot, new Date()),
    );
    const answered = await db.webhookDelivery.findMany({
      where: { subjectId: fulfillmentOrder },
      select: { status: true },
    });
    expect(answered).toEqual([{ status: "processed" }]);
    if (!postgres) return;
    // The subject's deliveries, not every waiting delivery of the shop or of all shops (the
    // status indexes, which the statistics make look like a few rows).
    const statement = sent.find((q) => q.sql.includes("WITH answered"));
    expect(statement, "the answer's statement").toBeDefined();
    const plan = await planOf(statement!);
    expect(plan).toContain("WebhookDelivery_shop_topic_subjectId_idx");
    expect(plan).not.toMatch(/WebhookDelivery_(shop_)?status_/);

    // The same answer with the catalogue's kept items, as the order's read sends it (ADR 064).
    const withCatalogue = await statementsDuring(db, () =>
      answerRoutingCompleteWithCatalogue(
        db,
        BUSY,
        "gid://shopify/Order/8",
        ["gid://shopify/FulfillmentOrder/5008"],
        new Date(),
        ["gid://shopify/InventoryItem/1"],
        new Date(0),
      ),
    );
    const both = withCatalogue.find((q) => q.sql.includes("CatalogueItem"));
    expect(both, "the answer's statement with the catalogue").toBeDefined();
    const bothPlan = await planOf(both!);
    expect(bothPlan).toContain("WebhookDelivery_shop_topic_subjectId_idx");
    expect(bothPlan).not.toMatch(/WebhookDelivery_(shop_)?status_/);
    expect(bothPlan).not.toMatch(/Seq Scan on "CatalogueItem"/);
  });
});

describe("a customer's data request", () => {
  it("reads the deliveries about the customer's orders in the shop's subjects' index, not the table", async () => {
    // Two shops' handled histories: each order's deliveries of several topics, and fulfillments
    // (which name their order only in the body); the customer has one order at the first.
    const topics = ["orders/create", "orders/paid", "orders/updated"];
    for (const shop of [BUSY, QUIET]) {
      await installShop(db, shop);
      await store(
        Array.from({ length: 1500 }, (_, i) => ({
          ...paid(shop, (i % 500) + 1),
          webhookId: `${shop}-${i}`,
          topic: topics[Math.floor(i / 500)]!,
        })),
      );
      await store(
        Array.from({ length: 300 }, (_, i) => ({
          webhookId: `${shop}-fulfillment-${i}`,
          topic: "fulfillments/create",
          shop,
          payload: { order_id: i + 1, status: "success" },
        })),
      );
    }
    await db.webhookDelivery.updateMany({ data: { status: "processed" } });
    const adapter = await driverAdapter(db);
    const postgres = adapter.provider === "postgres";
    if (postgres)
      await adapter.executeRaw({ sql: 'ANALYZE "WebhookDelivery"', args: [], argTypes: [] });

    const t = (await englishTranslator()) as TFunction;
    const sent = await statementsDuring(db, () =>
      customerOrderData(db, BUSY, ["gid://shopify/Order/7"], t),
    );
    const reads = sent.filter((q) => /^\s*SELECT/.test(q.sql) && q.sql.includes("WebhookDelivery"));
    // The shop's fulfillments, whose bodies are searched for the order: its range of the index.
    const fulfillments = reads.filter((q) => !q.sql.includes("subjectId"));
    expect(fulfillments.length, "the read of the shop's fulfillments").toBe(1);
    const searched = await planOf(fulfillments[0]!);
    expect(searched).toContain("WebhookDelivery_shop_topic_subjectId_idx");
    expect(searched).not.toMatch(/Seq Scan on "WebhookDelivery"|SCAN main\.WebhookDelivery$/m);
    // The orders' deliveries by their subject, any topic: the subject has no index of its own
    // (docs/decisions/057). PostgreSQL reads the shop's entries in the subjects' index and checks
    // the subject there; SQLite the shop's rows through an index that starts with the shop. Not
    // the table, nor another shop's.
    const about = reads.filter((q) => q.sql.includes("subjectId"));
    expect(about.length, "the read of the orders' deliveries").toBe(1);
    const plan = await planOf(about[0]!);
    expect(plan).not.toMatch(/Seq Scan on "WebhookDelivery"|SCAN main\.WebhookDelivery$/m);
    if (postgres) {
      expect(plan).toContain("WebhookDelivery_shop_topic_subjectId_idx");
      expect(plan).toMatch(/Index Cond: .*shop.*subjectId/);
    } else expect(plan).toMatch(/USING INDEX WebhookDelivery_shop_\w+ \(shop=\?/);
  });
});

describe("a delivery's claim and put-off", () => {
  it("are HOT updates on PostgreSQL: the row's next version on its own page, no index entry written", async () => {
    const adapter = await driverAdapter(db);
    if (adapter.provider !== "postgres") return;
    // Room left on each page (docs/decisions/057), and no index holds retryAt, which is all a
    // claim and a put-off change: PostgreSQL's two conditions for a HOT update.
    const options = await db.$queryRawUnsafe<{ reloptions: string[] | null }[]>(
      `SELECT reloptions FROM pg_class WHERE oid = '"WebhookDelivery"'::regclass`,
    );
    expect(options[0]!.reloptions).toContain("fillfactor=50");
    const indexes = await db.$queryRawUnsafe<{ indexdef: string }[]>(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'WebhookDelivery'`,
    );
    expect(indexes.length).toBeGreaterThan(0);
    for (const { indexdef } of indexes) expect(indexdef).not.toMatch(/retryAt/);

    // A backlog stored as the intake stores it, claimed all at once as a pass claims its share,
    // then a third of it put off: every row's new version stays on its page.
    await installShop(db, BUSY);
    const body = "x".repeat(1200);
    await store(
      Array.from({ length: 300 }, (_, i) => ({
        ...paid(BUSY, i + 1),
        payload: { ...(paid(BUSY, i + 1).payload as Record<string, unknown>), note: `${i}${body}` },
      })),
    );
    const pages = async () =>
      new Map(
        (
          await db.$queryRawUnsafe<{ id: string; page: string }[]>(
            `SELECT "id", split_part(trim(both '()' from ctid::text), ',', 1) AS page FROM "WebhookDelivery"`,
          )
        ).map((r) => [r.id, r.page]),
      );
    const before = await pages();
    const now = new Date();
    const claimed = await db.webhookDelivery.updateManyAndReturn({
      where: { status: "received", OR: [{ retryAt: null }, { retryAt: { lte: now } }] },
      data: { retryAt: new Date(now.getTime() + 60_000) },
      select: { id: true },
    });
    expect(claimed).toHaveLength(300);
    expect(await pages()).toEqual(before);
    // A third of them wait for their order's route job: looked at again later (settlePass).
    const waiting = claimed.filter((_, i) => i % 3 === 0).map((c) => c.id);
    await updateRows(db, "WebhookDelivery", {
      where: { id: { in: waiting }, status: "received" },
      data: { retryAt: new Date(now.getTime() + 30_000) },
    });
    expect(await pages()).toEqual(before);
  });
});

/**
 * The queue under test with a shop's week of finished route jobs (kept so a keyed job is enqueued
 * once) and another shop's five waiting.
 */
async function finishedWeekAndFiveWaiting(): Promise<JobQueue> {
  queue = createJobQueue(db, process.env.DATABASE_URL!);
  const q = queue;
  await q.enqueueMany(
    "route-order",
    Array.from({ length: 400 }, (_, i) => ({ payload: { n: i }, options: { shop: BUSY } })),
  );
  expect(await q.drain("route-order", () => Promise.resolve())).toBe(400);
  await q.enqueueMany(
    "route-order",
    Array.from({ length: 5 }, (_, i) => ({ payload: { n: i }, options: { shop: QUIET } })),
  );
  return q;
}

describe("a shop's queue health", () => {
  it("is counted from the shop's live jobs, not the week of finished ones", async () => {
    const q = await finishedWeekAndFiveWaiting();
    const adapter = await driverAdapter(db);
    const postgres = adapter.provider === "postgres";
    if (postgres) await db.$executeRawUnsafe("ANALYZE pgboss.job");

    // The statements health sends: Prisma's on SQLite (the embedded queue), pg-boss's own on
    // PostgreSQL, caught at the pg driver.
    const sent: SqlQuery[] = [];
    const clientQuery = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const [text, values] = args as [unknown, unknown];
      if (typeof text === "string")
        sent.push({ sql: text, args: (values as unknown[]) ?? [], argTypes: [] });
      return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof clientQuery;
    try {
      const prisma = await statementsDuring(db, async () => {
        expect(await q.health(QUIET, new Date())).toMatchObject({ queued: 5 });
      });
      sent.push(...prisma);
    } finally {
      pg.Client.prototype.query = clientQuery;
    }
    const health = sent.filter((s) => /count\(/i.test(s.sql) && /job/i.test(s.sql));
    expect(health.length).toBeGreaterThan(0);
    for (const statement of health) {
      const plan = postgres
        ? (
            await db.$queryRawUnsafe<Record<string, string>[]>(
              `EXPLAIN ${statement.sql}`,
              ...statement.args,
            )
          )
            .map((row) => Object.values(row)[0])
            .join("\n")
        : await planOf(statement);
      // SQLite: the shop's jobs by status; PostgreSQL: pg-boss's index of live jobs (i14).
      expect(plan).toMatch(postgres ? /Index Scan using \w*_i14/ : /Job_shop_status_runAt_idx/);
      expect(plan).not.toMatch(/Seq Scan|SCAN main\.Job$/m);
    }
  });
});

describe("the embedded queue's lease", () => {
  // pg-boss fetches through its own index of waiting jobs (job_i11), in line by priority (ADR 038).
  it.skipIf(process.env.DATABASE_URL?.startsWith("postgres"))(
    "reads the queue's waiting and running jobs in line, not the week of finished ones",
    async () => {
      const q = await finishedWeekAndFiveWaiting();
      const sent = await statementsDuring(db, async () => {
        expect(await q.drain("route-order", () => Promise.resolve())).toBe(5);
      });
      const leases = sent.filter((s) => /FROM `main`.`Job`/.test(s.sql) && /ORDER BY/.test(s.sql));
      expect(leases.length).toBeGreaterThan(0);
      for (const statement of leases)
        expect(await planOf(statement)).toMatch(
          /Job_queue_status_orderAt_runAt_idx \(queue=\? AND status=\?\)/,
        );
    },
  );
});

describe("the push sweep's query plans", () => {
  it("reads what a shop handled and applied since its mark through their own indexes, not its history", async () => {
    const mark = new Date(Date.UTC(2026, 11, 1, 12));
    const at = (minutes: number) => new Date(mark.getTime() + minutes * 60_000);
    // A week of the shop's handled fulfillment webhooks and applied decisions before its address's
    // mark, a few since, and another shop's.
    const history = (shop: string, from: number, count: number, minutes: (i: number) => number) =>
      Array.from({ length: count }, (_, i) => ({
        webhookId: `${shop}-fulfillment-${from + i}`,
        topic: "fulfillments/create",
        shop,
        payload: JSON.stringify({ order_id: from + i }),
        status: "processed",
        processedAt: at(minutes(i)),
      }));
    const decisions = (shop: string, from: number, count: number, minutes: (i: number) => number) =>
      Array.from({ length: count }, (_, i) => ({
        shop,
        orderId: `gid://shopify/Order/${from + i}`,
        trigger: "webhook",
        status: "applied",
        explanation: "[]",
        plan: "[]",
        appliedAt: at(minutes(i)),
      }));
    await db.webhookDelivery.createMany({ data: history(BUSY, 1, 3000, (i) => -3 * i - 5) });
    await db.webhookDelivery.createMany({ data: history(BUSY, 5001, 5, (i) => i + 1) });
    await db.webhookDelivery.createMany({ data: history(QUIET, 9001, 300, (i) => i - 150) });
    await db.decision.createMany({ data: decisions(BUSY, 1, 3000, (i) => -3 * i - 5) });
    await db.decision.createMany({ data: decisions(BUSY, 5001, 5, (i) => i + 1) });
    await db.decision.createMany({ data: decisions(QUIET, 9001, 300, (i) => i - 150) });
    await db.pushEndpoint.create({
      data: {
        shop: BUSY,
        url: "https://receiver.example/hooks",
        decisionsSeenUntil: mark,
        eventsSeenUntil: mark,
        createdAt: at(-7 * 24 * 60),
      },
    });
    const adapter = await driverAdapter(db);
    if (adapter.provider === "postgres")
      for (const table of ["WebhookDelivery", "Decision"])
        await adapter.executeRaw({ sql: `ANALYZE "${table}"`, args: [], argTypes: [] });

    queue = createJobQueue(db, process.env.DATABASE_URL!);
    const q = queue;
    // The statements of one real sweep, as Prisma sends them.
    const sent = await statementsDuring(db, async () => {
      // Each of the 5 events since the mark, once as a decision and once as a fulfillment.
      expect(await sweepPush({ db, queue: q, now: () => at(10) })).toBe(10);
    });
    const since = (table: string, column: string) =>
      sent.filter(
        (q) =>
          /^SELECT/.test(q.sql) &&
          q.sql.includes(`${table}`) &&
          q.sql.includes(column) &&
          / WHERE /.test(q.sql) &&
          new RegExp(`${column}.{1,3} > `).test(q.sql),
      );
    const deliveries = since("WebhookDelivery", "processedAt");
    const applied = since("Decision", "appliedAt");
    // The events since the mark, and those that may have committed late just behind it.
    expect(deliveries.length, "the sweep's reads of handled webhooks").toBe(2);
    expect(applied.length, "the sweep's reads of applied decisions").toBe(2);
    for (const q of deliveries) {
      const plan = await planOf(q);
      expect(plan).toContain("WebhookDelivery_shop_status_processedAt_idx");
      // Only the rows since (or just behind) the mark: the index's range is on processedAt.
      expect(plan).toMatch(/processedAt"?\)? >|processedAt>\?/);
      expect(plan).not.toMatch(/Seq Scan|SCAN main\.WebhookDelivery$/m);
    }
    for (const q of applied) {
      const plan = await planOf(q);
      expect(plan).toContain("Decision_shop_appliedAt_idx");
      // Only the rows since (or just behind) the mark: the index's range is on appliedAt.
      expect(plan).toMatch(/appliedAt"?\)? >|appliedAt>\?/);
      expect(plan).not.toMatch(/Seq Scan|SCAN main\.Decision$/m);
    }
  });
});
