// Vitest globalSetup of the PostgreSQL pass: one throwaway server for the run, and a template
// database migrated (app tables and pg-boss's schema) once, for every test file to copy.
import type { TestProject } from "vitest/node";
import { migrate } from "~/db/migrate.server";
import { PgBoss } from "pg-boss";
import { postgresUnavailableReason, startPostgres } from "../support/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the migrated template database; each test file gets a copy (setup-each-postgres). */
    postgresTemplateUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // pg_stat_statements loaded: a test counts the statements its work sent (inbox-one-pass).
  const cluster = await startPostgres({ statementStats: true });
  if (!cluster) {
    throw new Error(
      `The PostgreSQL pass needs a PostgreSQL server: ${postgresUnavailableReason() ?? "it did not start"}`,
    );
  }
  const url = await cluster.createDatabase("app_template");
  await migrate(url);
  // pg-boss installs its schema on first start; once here rather than once per test file.
  const boss = new PgBoss({ connectionString: url, schedule: false, supervise: false });
  await boss.start();
  await boss.stop({ graceful: false, close: true });
  project.provide("postgresTemplateUrl", url);
  return () => cluster.stop();
}
