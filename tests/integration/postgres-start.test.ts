// The tests' throwaway PostgreSQL server and a port another process takes after it was found free
// and before the server listens (ADR 041): PostgreSQL says so only in its log ("could not bind …
// Address already in use"), never EADDRINUSE, and the server starts again on another port. And what
// the benchmarks measure on: a server that flushes each commit to disk, as a production one does
// (ADR 071), where the tests' server does not.
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import pg from "pg";
import {
  postgresUnavailableReason,
  startPostgres,
  type PostgresCluster,
} from "../support/postgres";
import { freePort } from "../support/processes";

// Skipped only outside CI when the server binaries are missing, as the migration tests are.
const missing = postgresUnavailableReason();

/** Another program listening on `port` on the address PostgreSQL binds. */
function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe.skipIf(missing !== null && !process.env.CI)("the tests' PostgreSQL server", () => {
  const held: Server[] = [];
  let cluster: PostgresCluster | null = null;
  afterEach(async () => {
    await cluster?.stop();
    cluster = null;
    await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it("starts on another port when the one found free is taken before pg_ctl starts it", async () => {
    const handed: number[] = [];
    cluster = await startPostgres({
      pick: async () => {
        const port = await freePort();
        // The race: between the check and the server's start another program listens there.
        if (handed.length === 0) held.push(await occupy(port));
        handed.push(port);
        return port;
      },
    });
    if (!cluster) throw new Error(`PostgreSQL is required in CI: ${missing}`);
    expect(handed).toHaveLength(2);
    expect(new URL(cluster.url).port).toBe(String(handed[1]));
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      expect((await client.query("SELECT current_database() AS db")).rows[0]).toEqual({
        db: "app_test",
      });
    } finally {
      await client.end();
    }
  }, 120_000);

  it("fails with PostgreSQL's own words when every port it is given is taken", async () => {
    const taken = await freePort();
    held.push(await occupy(taken));
    let tries = 0;
    const started = startPostgres({
      pick: async () => {
        tries++;
        return taken;
      },
    });
    await expect(started).rejects.toThrow(/EADDRINUSE.*Address already in use/);
    expect(tries).toBe(3);
  }, 120_000);

  /** The server's durability settings, as SHOW reads them. */
  async function durability(url: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const settings = [];
      for (const name of ["fsync", "synchronous_commit", "full_page_writes"])
        settings.push(`${name} ${(await client.query(`SHOW ${name}`)).rows[0][name]}`);
      return settings;
    } finally {
      await client.end();
    }
  }

  it("flushes every commit to disk when a benchmark asks for it, and not for the tests", async () => {
    cluster = await startPostgres({ durable: true });
    if (!cluster) throw new Error(`PostgreSQL is required in CI: ${missing}`);
    expect(await durability(cluster.url)).toEqual([
      "fsync on",
      "synchronous_commit on",
      "full_page_writes on",
    ]);
    await cluster.stop();
    cluster = await startPostgres();
    if (!cluster) throw new Error(`PostgreSQL is required in CI: ${missing}`);
    expect(await durability(cluster.url)).toEqual([
      "fsync off",
      "synchronous_commit off",
      "full_page_writes off",
    ]);
  }, 120_000);
});
