// Applies pending migrations to SQLite or PostgreSQL, recorded in Prisma's `_prisma_migrations`.
//
// Prisma's native schema engine is not needed (docs/decisions/003). Migrations folders are found
// relative to process.cwd(), which must be the project root (npm scripts and `npm start` run
// there): import.meta.url would point into build/server once Vite has bundled this module.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Client as LibsqlClient } from "@libsql/client";
import type { Client as PgClient } from "pg";

export type MigrationProvider = "sqlite" | "postgresql";

export interface MigrateOptions {
  /** Receives one line per step worth telling an operator; silent when omitted. */
  log?: (message: string) => void;
  /** The migrations folder; defaults to the provider's folder under process.cwd(). */
  migrationsDir?: string;
}

export interface MigrateResult {
  provider: MigrationProvider;
  migrationsDir: string;
  /** Names of the migrations this run applied, in order; empty when the database was current. */
  applied: string[];
}

export interface LocalMigration {
  name: string;
  sql: string;
  /** sha256 hex of migration.sql's bytes: what Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** A `_prisma_migrations` row, as Prisma's schema engine writes it. */
export interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: unknown;
  migration_name: string;
  logs: string | null;
  rolled_back_at: unknown;
  started_at: unknown;
  applied_steps_count: number;
}

/** The key Prisma's schema engine passes to pg_advisory_lock, so both never migrate at once. */
export const PRISMA_ADVISORY_LOCK_ID = 72707369;

/** Thrown when the database's migration history forbids applying anything. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

export function providerOf(databaseUrl: string): MigrationProvider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (databaseUrl.startsWith("postgres://") || databaseUrl.startsWith("postgresql://")) {
    return "postgresql";
  }
  throw new MigrationError(
    `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${databaseUrl.split(":")[0]}:"`,
  );
}

export function defaultMigrationsDir(provider: MigrationProvider, root = process.cwd()): string {
  return provider === "sqlite"
    ? resolve(root, "prisma/migrations")
    : resolve(root, "prisma/postgresql/migrations");
}

export function checksumOf(sql: string | Buffer): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** The migrations of a folder in Prisma's order: one subfolder per migration, sorted by name. */
export function readMigrations(
  migrationsDir: string,
  provider?: MigrationProvider,
): LocalMigration[] {
  if (!existsSync(migrationsDir)) {
    throw new MigrationError(
      `No migrations folder at ${migrationsDir}. Run from the project root (paths resolve against the working directory).`,
    );
  }
  if (provider) checkLockfile(migrationsDir, provider);
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return names.map((name) => {
    const file = join(migrationsDir, name, "migration.sql");
    if (!existsSync(file)) {
      throw new MigrationError(`Migration ${name} has no migration.sql (${file}).`);
    }
    const bytes = readFileSync(file);
    return { name, sql: bytes.toString("utf8"), checksum: checksumOf(bytes) };
  });
}

// Prisma refuses a migrations folder written for another provider; so do we, before touching data.
function checkLockfile(migrationsDir: string, provider: MigrationProvider): void {
  const lockfile = join(migrationsDir, "migration_lock.toml");
  if (!existsSync(lockfile)) return;
  const match = /^\s*provider\s*=\s*"([^"]+)"/m.exec(readFileSync(lockfile, "utf8"));
  if (match && match[1] !== provider) {
    throw new MigrationError(
      `${lockfile} is for "${match[1]}" but the database URL is ${provider}: wrong migrations folder.`,
    );
  }
}

/** Local path of a `file:` URL (`file:rel.db`, `file:./rel.db`, `file:/abs.db`, `file:///abs.db`). */
export function sqliteFilePath(databaseUrl: string): string {
  let rest = databaseUrl.slice("file:".length).replace(/[?#].*$/, "");
  if (rest.startsWith("//")) {
    // An authority (empty or "localhost") precedes an absolute path.
    const slash = rest.indexOf("/", 2);
    rest = slash === -1 ? "" : rest.slice(slash);
  }
  return decodeURIComponent(rest);
}

// Prisma accepts a recorded checksum for the file as committed or with CRLF line ends turned to
// LF (a Windows checkout); accepting both keeps `git config core.autocrlf` from blocking deploys.
function checksumMatches(recorded: string, migration: LocalMigration): boolean {
  if (recorded === migration.checksum) return true;
  const lf = migration.sql.replace(/\r\n/g, "\n");
  return recorded === checksumOf(lf) || recorded === checksumOf(lf.replace(/\n/g, "\r\n"));
}

interface MigrationStore {
  ensureTable(): Promise<void>;
  rows(): Promise<MigrationRow[]>;
  /** Applies one migration and records it, all in one transaction; false when another process already had. */
  apply(migration: LocalMigration): Promise<boolean>;
  close(): Promise<void>;
}

export async function migrate(
  databaseUrl: string,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const provider = providerOf(databaseUrl);
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir(provider);
  const local = readMigrations(migrationsDir, provider);
  const store =
    provider === "sqlite" ? await openSqlite(databaseUrl) : await openPostgresql(databaseUrl);
  const applied: string[] = [];
  try {
    await store.ensureTable();
    const rows = (await store.rows()).filter((row) => row.rolled_back_at == null);
    assertNoFailedMigration(rows);
    const finished = new Map(rows.map((row) => [row.migration_name, row]));
    assertNoEditedMigration(local, finished);

    const known = new Set(local.map((migration) => migration.name));
    for (const row of rows) {
      // Deploying older code onto a newer database is allowed, as `prisma migrate deploy` allows it.
      if (!known.has(row.migration_name)) {
        log(`Note: ${row.migration_name} is applied but not in ${migrationsDir}.`);
      }
    }

    for (const migration of local) {
      if (finished.has(migration.name)) continue;
      log(`Applying migration ${migration.name}`);
      if (await store.apply(migration)) applied.push(migration.name);
    }
    log(
      applied.length === 0
        ? "No pending migrations: the database is up to date."
        : `Applied ${applied.length} migration(s).`,
    );
    return { provider, migrationsDir, applied };
  } finally {
    await store.close();
  }
}

function assertNoFailedMigration(rows: MigrationRow[]): void {
  const failed = rows.filter((row) => row.finished_at == null);
  if (failed.length === 0) return;
  const details = failed
    .map((row) => `- ${row.migration_name}${row.logs ? `: ${row.logs.trim()}` : ""}`)
    .join("\n");
  throw new MigrationError(
    `A failed migration is recorded in _prisma_migrations, so no migration will be applied (Prisma's P3009):\n${details}\n` +
      `Repair the database by hand (the failed migration ran in a transaction, so normally nothing of it remains), ` +
      `then mark it rolled back as \`prisma migrate resolve --rolled-back\` does:\n` +
      `  UPDATE "_prisma_migrations" SET "rolled_back_at" = CURRENT_TIMESTAMP WHERE "migration_name" = '<name>' AND "finished_at" IS NULL;`,
  );
}

function assertNoEditedMigration(
  local: LocalMigration[],
  finished: Map<string, MigrationRow>,
): void {
  const edited = local.filter((migration) => {
    const row = finished.get(migration.name);
    return row !== undefined && !checksumMatches(row.checksum, migration);
  });
  if (edited.length === 0) return;
  throw new MigrationError(
    `Migration file(s) changed after being applied to this database: ${edited.map((m) => m.name).join(", ")}. ` +
      `An applied migration must never be edited: restore the file (git checkout) and put the change in a new migration (npm run migrations:create -- <name>).`,
  );
}

function failureLog(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${code ? `Database error code: ${String(code)}\n\n` : ""}Database error:\n${error.message}`;
  }
  return String(error);
}

// ---------------------------------------------------------------------------------------------
// SQLite through libsql

// Prisma's own DDL for SQLite, verbatim.
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

async function openSqlite(databaseUrl: string): Promise<MigrationStore> {
  const path = sqliteFilePath(databaseUrl);
  if (path !== "" && !path.startsWith(":memory:"))
    mkdirSync(dirname(resolve(path)), { recursive: true });
  const { createClient } = await import("@libsql/client");
  const client: LibsqlClient = createClient({ url: databaseUrl });
  // A web process and a worker may migrate the same file at start-up: wait for the other's lock.
  // libsql hands its connection to each transaction and opens a new one lazily, so every fresh
  // connection needs this again before it writes.
  const waitForLocks = () => client.execute("PRAGMA busy_timeout = 10000");
  await waitForLocks();
  // WAL lets the web process read while the worker writes; the setting is stored in the file.
  await client.execute("PRAGMA journal_mode = WAL");

  const insertRow = `INSERT INTO "_prisma_migrations"
    ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
    VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`;

  return {
    async ensureTable() {
      await waitForLocks();
      const tx = await client.transaction("write");
      try {
        const found = await tx.execute(
          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
        );
        if (found.rows.length === 0) await tx.execute(SQLITE_MIGRATIONS_TABLE);
        await tx.commit();
      } finally {
        tx.close();
      }
    },

    async rows() {
      await waitForLocks();
      const result = await client.execute(
        `SELECT "id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count"
         FROM "_prisma_migrations" ORDER BY "started_at", "migration_name"`,
      );
      return result.rows.map((row) => ({
        id: String(row.id),
        checksum: String(row.checksum),
        finished_at: row.finished_at,
        migration_name: String(row.migration_name),
        logs: row.logs == null ? null : String(row.logs),
        rolled_back_at: row.rolled_back_at,
        started_at: row.started_at,
        applied_steps_count: Number(row.applied_steps_count),
      }));
    },

    async apply(migration) {
      // Prisma's SQLite scripts rebuild a table to alter it (create new, copy, drop old, rename).
      // With foreign keys enforced, dropping a referenced table would cascade-delete child rows,
      // and the script's own `PRAGMA foreign_keys=OFF` is ignored inside a transaction: switch
      // enforcement off on this connection first, and check the result before committing.
      await waitForLocks();
      await client.execute("PRAGMA foreign_keys = OFF");
      // "write" is BEGIN IMMEDIATE: the check below and the script run under one write lock.
      const tx = await client.transaction("write");
      const startedAt = Date.now();
      try {
        const done = await tx.execute({
          sql: `SELECT 1 FROM "_prisma_migrations" WHERE "migration_name" = ? AND "rolled_back_at" IS NULL`,
          args: [migration.name],
        });
        if (done.rows.length > 0) {
          await tx.rollback();
          return false; // another process applied it (or failed it) while we waited for the lock
        }
        await tx.executeMultiple(migration.sql);
        const violations = await tx.execute("PRAGMA foreign_key_check");
        if (violations.rows.length > 0) {
          const tables = [...new Set(violations.rows.map((row) => String(row.table)))];
          throw new Error(`the migration leaves foreign key violations in ${tables.join(", ")}`);
        }
        // Dates as Unix milliseconds: how Prisma's SQLite engine stores them in this table.
        await tx.execute({
          sql: insertRow,
          args: [randomUUID(), migration.checksum, Date.now(), migration.name, null, startedAt, 1],
        });
        await tx.commit();
        return true;
      } catch (error) {
        if (!tx.closed) await tx.rollback();
        // Recorded as Prisma records a failure: unfinished, with the error in `logs`.
        await waitForLocks();
        await client.execute({
          sql: insertRow,
          args: [
            randomUUID(),
            migration.checksum,
            null,
            migration.name,
            failureLog(error),
            startedAt,
            0,
          ],
        });
        throw new MigrationError(
          `Migration ${migration.name} failed and was rolled back: ${describe(error)}`,
          {
            cause: error,
          },
        );
      } finally {
        tx.close();
      }
    },

    async close() {
      client.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL through pg

// Prisma's own DDL for PostgreSQL, verbatim; the table lands in the connection's current schema.
const POSTGRESQL_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

async function openPostgresql(databaseUrl: string): Promise<MigrationStore> {
  const { default: pg } = await import("pg");
  const client: PgClient = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Held for the whole run and released by close(): concurrent migrators (ours or Prisma's
    // `migrate deploy`) queue here instead of applying the same migration twice.
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_ID]);
  } catch (error) {
    await client.end();
    throw error;
  }

  const insertRow = `INSERT INTO "_prisma_migrations"
    ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
    VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)`;

  return {
    async ensureTable() {
      const found = await client.query<{ exists: boolean }>(
        "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists",
      );
      if (!found.rows[0]?.exists) await client.query(POSTGRESQL_MIGRATIONS_TABLE);
    },

    async rows() {
      const result = await client.query<MigrationRow>(
        `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count
         FROM _prisma_migrations ORDER BY started_at, migration_name`,
      );
      return result.rows;
    },

    async apply(migration) {
      const startedAt = new Date();
      await client.query("BEGIN");
      try {
        // A query without parameters goes through the simple protocol, which runs many statements.
        await client.query(migration.sql);
        await client.query(insertRow, [
          randomUUID(),
          migration.checksum,
          new Date(),
          migration.name,
          null,
          startedAt,
          1,
        ]);
        await client.query("COMMIT");
        return true;
      } catch (error) {
        await client.query("ROLLBACK");
        await client.query(insertRow, [
          randomUUID(),
          migration.checksum,
          null,
          migration.name,
          failureLog(error),
          startedAt,
          0,
        ]);
        throw new MigrationError(
          `Migration ${migration.name} failed and was rolled back: ${describe(error)}`,
          {
            cause: error,
          },
        );
      }
    },

    async close() {
      try {
        await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_ID]);
      } finally {
        await client.end();
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
