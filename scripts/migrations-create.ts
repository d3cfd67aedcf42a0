// `npm run migrations:create -- <name>`: writes the next SQLite and PostgreSQL migration, offline.
//
// Prisma's native schema engine cannot be downloaded here (docs/decisions/003), but the same
// engine compiled to WebAssembly (@prisma/schema-engine-wasm, the build prisma 7.10.0 ships)
// can diff two schema files without a database. It cannot diff from a migrations folder (that
// needs a shadow database), so each migrations folder keeps a snapshot of the schema its
// migrations produce, and a new migration is the diff from that snapshot to the current schema.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

export type Provider = "sqlite" | "postgresql";

export interface MigrationTarget {
  provider: Provider;
  /** The schema file whose models the migrations must produce. */
  schemaPath: string;
  migrationsDir: string;
  /** The schema as of the newest migration: the starting point of the next diff. */
  snapshotPath: string;
}

export const SNAPSHOT_FILE = "schema-snapshot.prisma";

export function migrationTargets(root = process.cwd()): MigrationTarget[] {
  const target = (provider: Provider, schema: string, migrations: string): MigrationTarget => ({
    provider,
    schemaPath: resolve(root, schema),
    migrationsDir: resolve(root, migrations),
    snapshotPath: resolve(root, migrations, SNAPSHOT_FILE),
  });
  return [
    target("sqlite", "prisma/schema.prisma", "prisma/migrations"),
    target("postgresql", "prisma/postgresql/schema.prisma", "prisma/postgresql/migrations"),
  ];
}

// --- The WebAssembly engine -------------------------------------------------------------------

interface EngineModule {
  SchemaEngine: typeof SchemaEngine;
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
}

let engineModule: Promise<EngineModule> | undefined;

// The package's entry imports the .wasm file as an ES module, which Node does not do; so
// instantiate it by hand the way that entry would (wasm-bindgen's "bundler" output).
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindings = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const module = (await import(pathToFileURL(bindings).href)) as EngineModule;
    const bytes = readFileSync(join(dirname(bindings), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": module as unknown as WebAssembly.ModuleImports,
    });
    module.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return module;
  })();
  return engineModule;
}

/**
 * Prisma's schema engine for a schema, talking to a database through `adapterFactory`: a
 * migration-aware driver adapter factory as `bindMigrationAwareSqlAdapterFactory` returns it
 * (the tests use a real one to ask the engine what it thinks of a migrated database).
 */
export async function newSchemaEngine(
  schema: string,
  adapterFactory: object,
): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadEngineModule();
  // The callback receives the engine's log lines: nothing we need.
  return SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, () => {}, adapterFactory);
}

type AdapterResult<T> = { ok: true; value: T };
const ok = <T>(value: T): AdapterResult<T> => ({ ok: true, value });

// The engine talks to a database only through a Prisma driver adapter. Diffing two schema files
// needs none, except that the PostgreSQL connector asks for the server version once: this stub
// answers that (as PostgreSQL 15, what CI runs) and refuses everything else.
function offlineAdapterFactory(provider: Provider) {
  const adapterProvider = provider === "sqlite" ? "sqlite" : "postgres";
  const refuse = (what: string) => {
    throw new Error(`The offline schema engine has no database (asked to ${what}).`);
  };
  const queryable = {
    provider: adapterProvider,
    adapterName: "offline-diff",
    async queryRaw(query: { sql: string }) {
      if (!/\bversion\(\)/.test(query.sql)) refuse(`run: ${query.sql}`);
      // Columns: schema exists, version(), server_version_num; types Boolean (5), Text (7), Int32 (0).
      return ok({
        columnNames: ["exists", "version", "numeric_version"],
        columnTypes: [5, 7, 0],
        rows: [[true, "PostgreSQL 15.0", 150000]],
      });
    },
    async executeRaw(query: { sql: string }) {
      return refuse(`run: ${query.sql}`);
    },
    async executeScript() {
      return refuse("run a script");
    },
    async startTransaction() {
      return refuse("open a transaction");
    },
    async dispose() {
      return ok(undefined);
    },
    getConnectionInfo() {
      return ok({
        schemaName: provider === "postgresql" ? "public" : undefined,
        supportsRelationJoins: false,
      });
    },
  };
  return {
    provider: adapterProvider,
    adapterName: "offline-diff",
    async connect() {
      return ok(queryable);
    },
    async connectToShadowDb() {
      return ok(queryable);
    },
  };
}

/**
 * The SQL that takes a database from the `from` schema (null: an empty database) to the `to`
 * schema, in Prisma's migration.sql format. PostgreSQL's `CREATE SCHEMA IF NOT EXISTS "public"`
 * is left out: the schema always exists, and a role without CREATE on the database would fail on it.
 */
export async function diffSchemas(
  provider: Provider,
  from: string | null,
  to: string,
): Promise<string> {
  const path = "schema.prisma";
  const engine = await newSchemaEngine(to, offlineAdapterFactory(provider));
  try {
    const result = await engine.diff({
      from:
        from === null
          ? { tag: "empty" }
          : { tag: "schemaDatamodel", files: [{ path, content: from }] },
      to: { tag: "schemaDatamodel", files: [{ path, content: to }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return stripCreatePublicSchema(result.stdout ?? "");
  } finally {
    engine.free();
  }
}

export function stripCreatePublicSchema(sql: string): string {
  return sql.replace(/^(-- CreateSchema\n)?CREATE SCHEMA IF NOT EXISTS "public";\n+/m, "");
}

/** True when a script has no statement, only comments and blank lines. */
export function isEmptyMigration(sql: string): boolean {
  return sql
    .split("\n")
    .map((line) => line.trim())
    .every((line) => line === "" || line.startsWith("--"));
}

// --- Migration folders ------------------------------------------------------------------------

export const LOCKFILE = "migration_lock.toml";

// Prisma's own lockfile text, which `prisma migrate` checks against the schema's provider.
export function lockfileText(provider: Provider): string {
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

export function existingMigrationNames(migrationsDir: string): string[] {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14); // YYYYMMDDHHMMSS, UTC, as Prisma names them
}

/** `<UTC timestamp>_<name>`, later than every existing migration so the order stays the history. */
export function nextMigrationName(name: string, existing: string[], now = new Date()): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
  if (!slug)
    throw new Error(`"${name}" is not a usable migration name: use letters, digits and _.`);
  let stamp = timestamp(now);
  const latest = existing
    .map((entry) => entry.slice(0, 14))
    .sort()
    .at(-1);
  if (latest && stamp <= latest) {
    // Two migrations in one second, or a clock behind the last author's: step past the latest.
    const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) =>
      Number(latest.slice(at, at + (i ? 2 : 4))),
    );
    stamp = timestamp(new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s! + 1)));
  }
  return `${stamp}_${slug}`;
}

export interface CreatedMigration {
  name: string;
  /** The migration.sql files written, one per provider. */
  files: string[];
}

async function planMigration(target: MigrationTarget) {
  const schema = readFileSync(target.schemaPath, "utf8");
  const existing = existingMigrationNames(target.migrationsDir);
  if (existing.length > 0 && !existsSync(target.snapshotPath)) {
    throw new Error(
      `${target.snapshotPath} is missing, so the schema the existing migrations produce is unknown. Restore it from git.`,
    );
  }
  const snapshot = existing.length > 0 ? readFileSync(target.snapshotPath, "utf8") : null;
  const sql = await diffSchemas(target.provider, snapshot, schema);
  return { target, schema, existing, sql };
}

/**
 * Creates `<timestamp>_<name>` in every migrations folder (both, with the same name, so the two
 * histories stay parallel) and moves the snapshots forward; null when no schema changed.
 */
export async function createMigration(
  name: string,
  targets = migrationTargets(),
  now = new Date(),
): Promise<CreatedMigration | null> {
  const plans = [];
  // One after the other: both engines share one WebAssembly instance.
  for (const target of targets) plans.push(await planMigration(target));
  if (plans.every((plan) => isEmptyMigration(plan.sql))) return null;

  const folder = nextMigrationName(
    name,
    plans.flatMap((plan) => plan.existing),
    now,
  );
  const files: string[] = [];
  for (const { target, schema, sql } of plans) {
    const dir = join(target.migrationsDir, folder);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "migration.sql");
    writeFileSync(file, isEmptyMigration(sql) ? "-- This is an empty migration.\n" : sql);
    writeFileSync(target.snapshotPath, schema);
    writeFileSync(join(target.migrationsDir, LOCKFILE), lockfileText(target.provider));
    files.push(file);
  }
  return { name: folder, files };
}

async function main(): Promise<void> {
  const name = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
  if (!name) {
    console.error("Usage: npm run migrations:create -- <name>   (e.g. add_rule_priority)");
    process.exitCode = 2;
    return;
  }
  // The PostgreSQL schema is derived from prisma/schema.prisma: derive it now, or its migration
  // would lag behind (this also regenerates both clients).
  execFileSync(process.execPath, ["scripts/prisma-generate.mjs"], { stdio: "inherit" });
  const created = await createMigration(name);
  if (!created) {
    console.log("No schema change since the last migration: nothing created.");
    return;
  }
  console.log(`Created migration ${created.name}:`);
  for (const file of created.files) console.log(`  ${relative(process.cwd(), file)}`);
  console.log("Apply it with: npm run db:migrate");
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
