// The process's one job queue (pg-boss on PostgreSQL, embedded on SQLite): what routes, the auth
// hook and the embedded worker enqueue into.
import db from "./db.server";
import { createJobQueue } from "./jobs/job-queue.server";
import type { JobQueue } from "./jobs/queue";
import { env } from "./utils/env.server";

declare global {
  // Kept on globalThis so Vite's dev reloads reuse one queue (and its running worker).
  var __fulfilmentRouterQueue: JobQueue | undefined;
}

export function jobQueue(): JobQueue {
  globalThis.__fulfilmentRouterQueue ??= createJobQueue(db, env().DATABASE_URL);
  return globalThis.__fulfilmentRouterQueue;
}
