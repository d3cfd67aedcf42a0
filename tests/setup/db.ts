// Fresh, fully migrated SQLite databases for tests, copied from a template migrated once.
// (A copy takes a millisecond; a migration far longer.)
import { createHash, randomUUID } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import type { Db } from "~/db/client.server";
import { defaultMigrationsDir, migrate } from "~/db/migrate.server";

export interface TestDatabaseFile {
  /** A `file:` URL for DATABASE_URL or createDb. */
  url: string;
  path: string;
  /** Deletes the file (and its WAL files). */
  cleanup: () => void;
}

export interface TestDatabase {
  url: string;
  /** A Prisma client (createDb) on this database. */
  db: Db;
  /** Disconnects the client and deletes the file. */
  cleanup: () => Promise<void>;
}

const root = join(tmpdir(), "fulfilment-router-tests");

// The template's name is a hash of everything that shapes it: the migrations and the runner. Any
// Vitest worker (or a later run) with the same hash reuses it; a changed migration gets a new one.
function templateKey(): string {
  const hash = createHash("sha256");
  const dir = defaultMigrationsDir("sqlite");
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, "migration.sql");
    if (existsSync(file)) hash.update(name).update(readFileSync(file));
  }
  hash.update(readFileSync(resolve("app/db/migrate.server.ts")));
  return hash.digest("hex").slice(0, 16);
}

let template: Promise<string> | undefined;

/** Path of a migrated, empty SQLite file to copy from; built at most once per key. */
export function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    mkdirSync(root, { recursive: true });
    const path = join(root, `template-${templateKey()}.db`);
    if (existsSync(path)) return path;
    // Built under a unique name and renamed into place: renaming is atomic, so a worker never
    // copies a half-built template, and two workers building at once both end up correct.
    const building = join(root, `building-${randomUUID()}.db`);
    await migrate(`file:${building}`);
    // Migrating leaves the schema partly in the WAL file; fold it into the main file, which is
    // then the only file a copy needs.
    const client = createClient({ url: `file:${building}` });
    try {
      const result = await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      if (Number(result.rows[0]?.busy) !== 0) throw new Error(`Could not checkpoint ${building}`);
    } finally {
      client.close();
    }
    renameSync(building, path);
    removeFiles(building);
    return path;
  })();
  return template;
}

function removeFiles(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal", "-wake"])
    rmSync(path + suffix, { force: true });
}

/** A fresh migrated SQLite file with a unique name, without a client (for DATABASE_URL). */
export async function createTestDatabaseFile(label = "db"): Promise<TestDatabaseFile> {
  const source = await migratedTemplate();
  const path = join(root, `${label}-${process.pid}-${randomUUID()}.db`);
  copyFileSync(source, path);
  return { url: `file:${path}`, path, cleanup: () => removeFiles(path) };
}

/** A fresh migrated SQLite database and a Prisma client on it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const file = await createTestDatabaseFile();
  // Imported here, not at the top: setup-each.ts runs for every test file and needs no client.
  const { createDb } = await import("~/db/client.server");
  const db = createDb(file.url);
  return {
    url: file.url,
    db,
    cleanup: async () => {
      await db.$disconnect();
      file.cleanup();
    },
  };
}
