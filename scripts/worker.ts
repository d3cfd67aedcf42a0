// `npm run worker`: the job worker as a process of its own (WORKER=off in the web processes). On
// PostgreSQL any number of them share the work through pg-boss; on SQLite run one. Production runs
// its build (`npm run build` makes build/worker/index.js, vite.worker.config.ts; ADR 053);
// `npm run worker:dev` runs this file itself through tsx.
import db from "../app/db.server";
import { gatewayForJobs } from "../app/gateways.server";
import { createJobQueue } from "../app/jobs/job-queue.server";
import { startWorker, workerConnections } from "../app/fulfilment/worker.server";
import { env } from "../app/utils/env.server";

const worker = startWorker({
  db,
  queue: createJobQueue(db, env().DATABASE_URL, {
    // pg-boss's pool follows the slots as Prisma's does (startWorker sizes that one).
    maxConnections: workerConnections(env().WORKER_ROUTING_SLOTS).queue,
    onError: (error, job) =>
      console.error(
        `[worker] ${job ? `${job.queue} job ${job.id}: ` : ""}${error instanceof Error ? error.message : String(error)}`,
      ),
  }),
  gatewayFor: gatewayForJobs,
  now: () => new Date(),
  // Shop-specific webhook subscriptions are addressed under it (ADR 101).
  appUrl: env().SHOPIFY_APP_URL,
  log: (message) => console.log(`[worker] ${message}`),
  reconcileGraceMs: env().RECONCILE_GRACE_SECONDS * 1000,
  routingSlots: env().WORKER_ROUTING_SLOTS,
  databaseConnections: env().WORKER_DATABASE_CONNECTIONS,
});
console.log("Worker started.");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void worker.stop().then(() => process.exit(0));
  });
}
