// The inbox's hot queries use an index that reaches only the rows they need, on the database under
// test (SQLite, or PostgreSQL): the statements Prisma sends during a real inbox pass over a shop
// with a long history and a backlog are caught at the driver adapter and explained by the database
// itself (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN after ANALYZE, as autovacuum keeps it).
import type { SqlQuery } from "@prisma/driver-adapter-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { driverAdapter } from "~/db/client.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { processInbox, type WorkerDeps } from "~/fulfilment/worker.server";
import { storeDeliveries, type InboundDelivery } from "~/webhooks/inbox.server";
import { emptyTables } from "../support/integration";

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
    // backlog, beside a quiet shop with one waiting delivery.
    await store(Array.from({ length: 1500 }, (_, i) => paid(BUSY, i + 1)));
    await db.webhookDelivery.updateMany({ data: { status: "processed" } });
    await store(Array.from({ length: 400 }, (_, i) => paid(BUSY, 5000 + i)));
    // A retry of an order handled long ago: the pass asks whether a newer one was handled.
    await store([paid(BUSY, 7, 1), paid(QUIET, 1)]);
    const adapter = await driverAdapter(db);
    if (adapter.provider === "postgres")
      await adapter.executeRaw({ sql: 'ANALYZE "WebhookDelivery"', args: [], argTypes: [] });

    // The statements of one real pass, as Prisma sends them.
    const sent: SqlQuery[] = [];
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = (query) => {
      sent.push(query);
      return queryRaw(query);
    };
    queue = createJobQueue(db, process.env.DATABASE_URL!);
    const deps: WorkerDeps = {
      db,
      queue,
      now: () => new Date(),
      gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
    };
    try {
      expect(await processInbox(deps)).toBeGreaterThan(0);
    } finally {
      adapter.queryRaw = queryRaw;
    }
    // Identifiers are quoted `so` on SQLite and "so" on PostgreSQL.
    const reads = sent.filter((q) => /^SELECT/.test(q.sql) && q.sql.includes("WebhookDelivery"));
    // The handled deliveries about the pass's subjects, read once for the pass.
    const newer = reads.find(
      (q) => q.sql.includes("subjectId") && / IN /.test(q.sql) && !/ORDER BY/.test(q.sql),
    );
    const share = reads.find((q) => /ORDER BY/.test(q.sql) && !/GROUP BY/.test(q.sql));
    expect(newer, "the handled deliveries about the pass's subjects").toBeDefined();
    expect(share, "a shop's share of the pass").toBeDefined();

    // Those subjects' deliveries (through either index on the subject), not every orders/paid of
    // the shop nor its history.
    const subjects = await planOf(newer!);
    expect(subjects).toMatch(/subjectId_idx/);
    expect(subjects).not.toMatch(/Seq Scan on "WebhookDelivery"|SCAN main\.WebhookDelivery$/m);
    // The shop's waiting deliveries in arrival order, not its history or other shops' backlog.
    expect(await planOf(share!)).toContain("WebhookDelivery_shop_status_receivedAt_idx");
  });
});
