// Picks the queue adapter for the database: pg-boss on PostgreSQL (any number of processes), the
// embedded queue on SQLite (one process). docs/decisions/008.
import { databaseKind, type Db } from "../db/client.server";
import { sqliteFilePath } from "../db/migrate.server";
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
    /**
     * No other process stores webhooks or jobs in this database (SQLite with the worker inside the
     * web process): the embedded queue's polls become a safety net. pg-boss is told by NOTIFY.
     */
    onlyProcess?: boolean;
    /** This process runs no worker (WORKER=off): pg-boss's supervision is the workers' to do. */
    noWorker?: boolean;
  } = {},
): JobQueue {
  if (databaseKind(databaseUrl) === "postgresql") {
    return createPgBossQueue(databaseUrl, {
      onError: options.onError,
      ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
      ...(options.noWorker ? { supervise: false } : {}),
    });
  }
  return createEmbeddedQueue(db, {
    onError: options.onError ? (error, job) => options.onError!(error, job) : undefined,
    onlyProcess: options.onlyProcess ?? false,
    wakeFile: wakeFileOf(databaseUrl),
  });
}

/**
 * The file beside a SQLite database through which its processes tell each other of a job asked
 * first in line (ADR 100), named as SQLite names its own files beside it (-wal, -shm).
 */
export function wakeFileOf(databaseUrl: string): string | undefined {
  const path = sqliteFilePath(databaseUrl);
  // A database in memory is one process's: nobody to tell.
  return path && !path.startsWith(":memory:") ? `${path}-wake` : undefined;
}
