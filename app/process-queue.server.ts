// The process's one job queue (pg-boss on PostgreSQL, embedded on SQLite): what routes, the auth
// hook and the embedded worker enqueue into.
import db from "./db.server";
import { DEFAULT_POOL_SIZE } from "./db/client.server";
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
      ? { maxConnections: DEFAULT_POOL_SIZE + workerConnections().queue }
      : {}),
  });
  return globalThis.__fulfilmentRouterQueue;
}
