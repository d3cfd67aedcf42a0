// Starts a throwaway PostgreSQL cluster for tests from the machine's server binaries.
// (initdb into a temporary folder, listening on 127.0.0.1 at a port found free as it starts.)
import { execFileSync, type ExecFileSyncOptions } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { onFreePort } from "./processes";

export interface PostgresCluster {
  /** URL of the database created at start. */
  url: string;
  /**
   * Creates another database on the cluster and returns its URL: empty, or a copy of `template`
   * (a database nobody is connected to).
   */
  createDatabase(name: string, template?: string): Promise<string>;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function postgresUnavailableReason(): string | null {
  return findPostgresBinDir()
    ? null
    : "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb); install them with `apt-get install -y postgresql`";
}

/**
 * Folder of initdb, pg_ctl and createdb: $POSTGRES_BIN_DIR, else the newest Debian install
 * (/usr/lib/postgresql/<version>/bin); null when there is none.
 */
export function findPostgresBinDir(): string | null {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) return existsSync(join(fromEnv, "initdb")) ? fromEnv : null;
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((version) => existsSync(join(base, version, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], "bin") : null;
}

// PostgreSQL refuses to run as root. As root, run its programs as the `postgres` account the
// Debian package creates (or `nobody`), and give that account the cluster's folder.
function runAs(): { user: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", user], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
      return { user, uid, gid };
    } catch {
      // try the next account
    }
  }
  throw new Error(
    "Running as root and no `postgres` or `nobody` account exists to run PostgreSQL as.",
  );
}

/**
 * PostgreSQL's own words, in its log, for a port another process took: its error never says
 * EADDRINUSE, and pg_ctl only says the server did not start.
 */
const PORT_TAKEN_IN_LOG = /could not bind .*: Address already in use/;

/**
 * Starts a cluster with one database (`app_test`) and returns its URL; null when the server
 * binaries are missing, so the caller can skip (outside CI) or fail (in CI). The server takes a
 * port found free just before it starts, and another (twice at most) when its log says another
 * process took that one in between (ADR 041's `onFreePort`).
 */
export async function startPostgres(
  options: {
    /** Load pg_stat_statements, so a benchmark can count the statements its work sent. */
    statementStats?: boolean;
    /** With statementStats: pg_stat_statements counts each statement's planning time as well. */
    statementPlanning?: boolean;
    /** Chooses the ports (a test hands out one it takes first); `freePort` by default. */
    pick?: () => Promise<number>;
    /**
     * Keep PostgreSQL's durability settings (fsync, synchronous_commit, full_page_writes on), as a
     * production server runs: every benchmark does (ADR 071). Tests and the demo turn them off, since
     * a throwaway server's data need not survive the machine's crash and each commit's flush to disk
     * would only slow them.
     */
    durable?: boolean;
  } = {},
): Promise<PostgresCluster | null> {
  const bin = findPostgresBinDir();
  if (!bin) return null;
  const account = runAs();
  const dir = mkdtempSync(join(tmpdir(), "fulfilment-router-pg-"));
  if (account) chownSync(dir, account.uid, account.gid);
  const data = join(dir, "data");
  const log = join(dir, "server.log");

  const run = (program: string, args: string[], options: ExecFileSyncOptions = {}) => {
    const [file, argv] = account
      ? ["runuser", ["-u", account.user, "--", join(bin, program), ...args]]
      : [join(bin, program), args];
    try {
      execFileSync(file, argv, { stdio: "pipe", cwd: dir, ...options });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
      throw new Error(`${program} failed: ${stderr.trim() || String(error)}`, { cause: error });
    }
  };

  const serverOptions = (port: number) =>
    [
      `-h 127.0.0.1 -p ${port} -k ${dir}`, // the socket folder must be one the account can write
      ...(options.durable
        ? []
        : ["-c fsync=off -c synchronous_commit=off -c full_page_writes=off"]),
      // Two web and two worker processes at their pools' ceilings (README, sizing: 20 a web
      // process, 29 a worker), a worker killed and started again, and the tests' own.
      "-c max_connections=300",
      ...(options.statementStats ? ["-c shared_preload_libraries=pg_stat_statements"] : []),
      // Planning time too (off by default: it costs a little on every statement).
      ...(options.statementPlanning ? ["-c pg_stat_statements.track_planning=on"] : []),
    ].join(" ");
  /** Starts the server on `port`; a port taken meanwhile fails with EADDRINUSE and the log's line. */
  const startOn = async (port: number) => {
    const logged = existsSync(log) ? statSync(log).size : 0;
    try {
      run("pg_ctl", ["-D", data, "-l", log, "-w", "-t", "60", "-o", serverOptions(port), "start"]);
    } catch (error) {
      // What this start wrote to the log (pg_ctl appends): why the server stopped.
      const said = existsSync(log)
        ? readFileSync(log).subarray(logged).toString("utf8").trim()
        : "";
      const taken = PORT_TAKEN_IN_LOG.exec(said)?.[0];
      throw new Error(
        taken
          ? `PostgreSQL could not take port ${port} (EADDRINUSE): ${taken}`
          : `${(error as Error).message}\n${said.slice(-2000)}`,
        { cause: error },
      );
    }
    return port;
  };
  let port: number;
  try {
    // Trust on 127.0.0.1 only; durability off: the cluster lives for one test file.
    run("initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    port = await onFreePort(startOn, options.pick);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A crashed or interrupted test run must not leave a server behind.
  process.once("exit", stopNow);

  const urlOf = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  // Over SQL rather than the createdb program: a tenth of the time, and tests make many.
  const createDatabase = async (name: string, template?: string) => {
    for (const n of [name, template ?? "x"])
      if (!/^[a-z_][a-z0-9_]*$/.test(n))
        throw new Error(`Database name "${n}": use a-z, 0-9 and _.`);
    const client = new pg.Client({ connectionString: urlOf("postgres") });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
    } finally {
      await client.end();
    }
    return urlOf(name);
  };

  try {
    const url = await createDatabase("app_test");
    return {
      url,
      createDatabase,
      stop: async () => {
        process.removeListener("exit", stopNow);
        stopNow();
      },
    };
  } catch (error) {
    stopNow();
    throw error;
  }
}
