// Picks the queue adapter for the database: pg-boss on PostgreSQL (any number of processes), the
// embedded queue on SQLite (one process). docs/decisions/008.
import { databaseKind, type Db } from "../db/client.server";
import { createEmbeddedQueue } from "./embedded-queue.server";
import { createPgBossQueue } from "./pgboss-queue.server";
import type { Job, JobQueue } from "./queue";

export function createJobQueue(
  db: Db,
  databaseUrl: string,
  options: {
    onError?: (error: unknown, job: Job | null) => void;
    /** Connections pg-boss's pool may hold (PostgreSQL): a worker process's follow its slots. */
    maxConnections?: number;
  } = {},
): JobQueue {
  if (databaseKind(databaseUrl) === "postgresql") {
    return createPgBossQueue(databaseUrl, {
      onError: options.onError,
      ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
    });
  }
  return createEmbeddedQueue(db, {
    onError: options.onError ? (error, job) => options.onError!(error, job) : undefined,
  });
}
