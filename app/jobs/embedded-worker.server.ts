// Starts the worker inside the web process when WORKER=embedded (the default: nothing else to run).
import db from "../db.server";
import { gatewayForShop } from "../fulfilment/gateways.server";
import { env } from "../utils/env.server";
import { createJobQueue } from "./job-queue.server";
import type { JobQueue } from "./queue";
import { startWorker, type WorkerHandle } from "./worker.server";

declare global {
  var __fulfilmentRouterWorker: { queue: JobQueue; worker: WorkerHandle | null } | undefined;
}

/** The process's queue (pg-boss on PostgreSQL, embedded on SQLite): what routes enqueue into. */
export function jobQueue(): JobQueue {
  globalThis.__fulfilmentRouterWorker ??= {
    queue: createJobQueue(db, env().DATABASE_URL),
    worker: null,
  };
  return globalThis.__fulfilmentRouterWorker.queue;
}

export function startEmbeddedWorker(): void {
  if (env().WORKER !== "embedded") return;
  const queue = jobQueue();
  const state = globalThis.__fulfilmentRouterWorker!;
  if (state.worker) return;
  state.worker = startWorker({
    db,
    queue,
    gatewayFor: gatewayForShop,
    now: () => new Date(),
    log: (message) => console.log(`[worker] ${message}`),
  });
}
