// Tests on a PostgreSQL server of their own, beside the same tests on SQLite: the server started,
// migrated and opened when the suite asks for it, and closed and deleted after the block.
import { afterAll, describe } from "vitest";
import { createDb, type Db } from "~/db/client.server";
import { migrate } from "~/db/migrate.server";
import { postgresUnavailableReason, startPostgres, type PostgresCluster } from "./postgres";

/**
 * A `describe` block whose tests run on a throwaway PostgreSQL server: `suite` is handed `open`,
 * which starts the server, migrates its database and opens it (once, in the suite's beforeAll).
 * Skipped where PostgreSQL's server binaries are missing, except in CI, where the tests fail.
 */
export function describeOnOwnPostgres(
  name: string,
  suite: (open: () => Promise<Db>) => void,
): void {
  const missing = postgresUnavailableReason();
  describe.skipIf(missing !== null && !process.env.CI)(name, () => {
    let cluster: PostgresCluster | null = null;
    let db: Db | undefined;
    afterAll(async () => {
      await db?.$disconnect();
      await cluster?.stop();
    });
    suite(async () => {
      cluster = await startPostgres();
      if (!cluster)
        throw new Error(`PostgreSQL is required in CI: ${missing ?? "it did not start"}`);
      await migrate(cluster.url);
      return (db = createDb(cluster.url));
    });
  });
}
