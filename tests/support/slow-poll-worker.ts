// A worker process for the wake-up tests (`tsx tests/support/slow-poll-worker.ts`): `npm run
// worker`'s worker on DATABASE_URL with every safety poll set to POLL_MS (minutes in the tests), so
// work it takes within seconds can only have been announced to it. It calls no Shopify: a route
// job fails and is retried, which is enough to see it started.
import { createDb } from "../../app/db/client.server";
import { startWorker, workerConnections } from "../../app/fulfilment/worker.server";
import { createPgBossQueue } from "../../app/jobs/pgboss-queue.server";

const url = process.env.DATABASE_URL!;
const pollMs = Number(process.env.POLL_MS);
const db = createDb(url);
const worker = startWorker(
  {
    db,
    queue: createPgBossQueue(url, {
      maxConnections: workerConnections().queue,
      idlePollMs: pollMs,
    }),
    gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
    now: () => new Date(),
    log: (message) => console.log(`[worker] ${message}`),
  },
  {
    inboxPollMs: pollMs,
    reconcileEveryMs: 10 * pollMs,
    driftScanEveryMs: 10 * pollMs,
    pruneEveryMs: 10 * pollMs,
    pushSweepEveryMs: pollMs,
    authorizationCheckEveryMs: 10 * pollMs,
  },
);
console.log("Worker started.");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void worker
      .stop()
      .then(() => db.$disconnect())
      .then(() => process.exit(0));
  });
}
