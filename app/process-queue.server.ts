// The process's one job queue (pg-boss on PostgreSQL, embedded on SQLite): what routes, the auth
// hook and the embedded worker enqueue into.
import db from "./db.server";
import { databaseKind, DEFAULT_POOL_SIZE } from "./db/client.server";
import { workerConnections } from "./fulfilment/worker.server";
import { createJobQueue } from "./jobs/job-queue.server";
import type { JobQueue } from "./jobs/queue";
import { env } from "./utils/env.server";

declare global {
  // Kept on globalThis so Vite's dev reloads reuse one queue (and its running worker).
  var __fulfilmentRouterQueue: JobQueue | undefined;
}

export function jobQueue(): JobQueue {
  // A web process that runs the worker too (WORKER=embedded) sizes pg-boss's pool for its slots.
  globalThis.__fulfilmentRouterQueue ??= createJobQueue(db, env().DATABASE_URL, {
    ...(env().WORKER === "embedded"
      ? { maxConnections: DEFAULT_POOL_SIZE + workerConnections(env().WORKER_ROUTING_SLOTS).queue }
      : {}),
    // On SQLite with the worker in this process, nothing stores work this process does not hear
    // of: its worker is woken, and polls only as a safety net (docs/decisions/035).
    onlyProcess: env().WORKER === "embedded" && databaseKind(env().DATABASE_URL) === "sqlite",
    // A web process of a multi-process set-up leaves pg-boss's supervision to the workers.
    noWorker: env().WORKER === "off",
  });
  return globalThis.__fulfilmentRouterQueue;
}
