// Starts the worker inside the web process when WORKER=embedded (the default: nothing else to run).
import db from "./db.server";
import { DEFAULT_POOL_SIZE, setPoolSize } from "./db/client.server";
import { startWorker, workerConnections, type WorkerHandle } from "./fulfilment/worker.server";
import { gatewayForJobs } from "./gateways.server";
import { jobQueue } from "./process-queue.server";
import { env } from "./utils/env.server";

declare global {
  // Kept on globalThis so Vite's dev reloads start the worker once.
  var __fulfilmentRouterWorker: WorkerHandle | undefined;
}

export function startEmbeddedWorker(): void {
  if (env().WORKER !== "embedded") {
    // Made now rather than at the first enqueue: what a merchant records here (a command, an
    // address) is passed on by it to the worker processes' push sweep (app/jobs/push-signal.ts).
    jobQueue();
    return;
  }
  globalThis.__fulfilmentRouterWorker ??= startWorker({
    db,
    queue: jobQueue(),
    gatewayFor: gatewayForJobs,
    now: () => new Date(),
    // Shop-specific webhook subscriptions are addressed under it (ADR 101).
    appUrl: env().SHOPIFY_APP_URL,
    log: (message) => console.log(`[worker] ${message}`),
    reconcileGraceMs: env().RECONCILE_GRACE_SECONDS * 1000,
    routingSlots: env().WORKER_ROUTING_SLOTS,
    databaseConnections: env().WORKER_DATABASE_CONNECTIONS,
  });
  // The web process's own requests beside the worker's slots.
  setPoolSize(
    db,
    DEFAULT_POOL_SIZE +
      workerConnections(env().WORKER_ROUTING_SLOTS, env().WORKER_DATABASE_CONNECTIONS).prisma,
  );
}
