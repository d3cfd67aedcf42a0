// bulk_start_ms: how long the merchant waits for a bulk action on 5,000 orders to start on
// PostgreSQL + pg-boss: the bulk job, its 5,000 items, the first items' queue jobs and the feed job
// that queues the rest written in one transaction (batched inserts), timed from the call to its
// commit. Then the feed job runs as a worker runs it (logged, not the figure: the merchant does
// not wait for it). A throwaway PostgreSQL server, migrated, with pg-boss's schema installed before
// the clock starts (as in a running app).
import { createDb } from "../../app/db/client.server";
import { migrate } from "../../app/db/migrate.server";
import { BULK_FIRST_BATCH, handleBulkFeed, startBulkJob } from "../../app/fulfilment/bulk.server";
import { QUEUES } from "../../app/fulfilment/queues";
import { createPgBossQueue } from "../../app/jobs/pgboss-queue.server";
import { startPostgres } from "../support/postgres";
import { defineBench, repeat, sized } from "./support/bench";

const SHOP = "bench-bulk.myshopify.com";

export const bench = defineBench({
  name: "bulk-start",
  figures: [
    {
      name: "bulk_start_ms",
      description:
        "A bulk action on 5,000 orders started: job, items and queue jobs committed (PostgreSQL + pg-boss)",
      unit: "ms",
      targets: [{ atMost: 1000 }],
    },
    {
      name: "bulk_start_items",
      description: "Orders in the bulk action timed above (5,000 in the issue)",
      unit: "orders",
    },
  ],
  run: async (context) => {
    const items = sized(context, "items", 5000, 5000);
    const cluster = await startPostgres({ durable: true });
    if (!cluster) throw new Error("PostgreSQL (the Debian package) is needed for this benchmark");
    try {
      return await repeat(context, async (run) => {
        const url = await cluster.createDatabase(`bulk_start_${run}`);
        await migrate(url);
        const db = createDb(url);
        const queue = createPgBossQueue(url);
        try {
          await queue.ready();
          // The queue exists already in a running app: a first enqueue creates it untimed.
          await queue.enqueue(QUEUES.bulkItem, { warm: true });
          await queue.enqueue(QUEUES.bulkFeed, { warm: true });
          const targets = Array.from({ length: items }, (_, i) => ({
            id: `gid://shopify/FulfillmentOrder/${9_000_000 + i}`,
            label: `#${10_000 + i} · Studio`,
          }));
          const started = performance.now();
          await startBulkJob(db, queue, { shop: SHOP, action: "approve", targets });
          const ms = performance.now() - started;
          const queued = async (name: string) =>
            (
              await db.$queryRawUnsafe<{ n: number }[]>(
                `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND group_id = $2`,
                name,
                SHOP,
              )
            )[0]!.n;
          const first = Math.min(items, BULK_FIRST_BATCH);
          if ((await queued(QUEUES.bulkItem)) !== first)
            throw new Error(`${await queued(QUEUES.bulkItem)} of ${first} first jobs were queued`);
          const feedStarted = performance.now();
          await queue.drain(QUEUES.bulkFeed, (job) =>
            job.shop === SHOP
              ? handleBulkFeed(
                  {
                    db,
                    queue,
                    now: () => new Date(),
                    gatewayFor: () => Promise.reject(new Error("no Shopify here")),
                  },
                  job,
                )
              : Promise.resolve(),
          );
          const feedMs = performance.now() - feedStarted;
          if ((await queued(QUEUES.bulkItem)) !== items)
            throw new Error(
              `${await queued(QUEUES.bulkItem)} of ${items} bulk item jobs were queued`,
            );
          context.log(`the feed job queued the other ${items - first} in ${Math.round(feedMs)} ms`);
          context.log(`${items} items started in ${Math.round(ms)} ms`);
          return { bulk_start_ms: Math.round(ms), bulk_start_items: items };
        } finally {
          await queue.stop();
          await db.$disconnect();
        }
      });
    } finally {
      await cluster.stop();
    }
  },
});
