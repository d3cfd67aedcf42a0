// For tests that run on either database: empties pg-boss's job table between tests on PostgreSQL
// (the embedded queue's jobs are in the app's `job` table, which tests clear themselves).
import type { Db } from "~/db/client.server";

export async function clearPgBossJobs(db: Db): Promise<void> {
  if (!process.env.DATABASE_URL?.startsWith("postgres")) return;
  // Only once a queue has installed the schema (the template database has it).
  await db.$executeRawUnsafe(
    `DO $$ BEGIN IF to_regclass('pgboss.job') IS NOT NULL THEN DELETE FROM pgboss.job; END IF; END $$`,
  );
}
