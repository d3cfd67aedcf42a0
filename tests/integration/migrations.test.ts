// Proves the migrations build exactly what prisma/schema.prisma declares, on SQLite and PostgreSQL.
// Also: the runner keeps Prisma's migration history as Prisma's own engine does.
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient, type InValue } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
// Installed with both adapters at the same exact version; it is what Prisma itself wraps them in.
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { getDMMF } from "@prisma/get-dmmf";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db/client.server";
import {
  checksumOf,
  defaultMigrationsDir,
  migrate,
  readMigrations,
  type MigrationProvider,
  type MigrationRow,
} from "~/db/migrate.server";
import {
  diffSchemas,
  existingMigrationNames,
  isEmptyMigration,
  lockfileText,
  migrationTargets,
  newSchemaEngine,
} from "../../scripts/migrations-create";
import { createTestDatabase } from "../setup/db";
import {
  postgresUnavailableReason,
  startPostgres,
  type PostgresCluster,
} from "../support/postgres";

// --- What the Prisma schema declares ----------------------------------------------------------

type Dmmf = Exclude<ReturnType<typeof getDMMF>, { type: "wasm-error" | "parse-json" }>;
type Model = Dmmf["datamodel"]["models"][number];
type Field = Model["fields"][number];

const dmmfResult = getDMMF({ datamodel: readFileSync("prisma/schema.prisma", "utf8") });
if ("type" in dmmfResult)
  throw new Error(`prisma/schema.prisma does not parse: ${dmmfResult.reason}`);
const models: readonly Model[] = dmmfResult.datamodel.models;

/** A table as the tests compare it: every column's nullability, the primary key, the unique indexes. */
interface TableShape {
  columns: Record<string, "NULL" | "NOT NULL">;
  primaryKey: string[];
  unique: string[];
}
type DatabaseShape = Record<string, TableShape>;

const tableName = (model: Model) => model.dbName ?? model.name;
const columnName = (field: Field) => field.dbName ?? field.name;
const isColumn = (field: Field) => field.kind === "scalar" || field.kind === "enum";

function sortShape(shape: DatabaseShape): DatabaseShape {
  return Object.fromEntries(
    Object.entries(shape)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([table, t]) => [
        table,
        {
          columns: Object.fromEntries(
            Object.entries(t.columns).sort(([a], [b]) => a.localeCompare(b)),
          ),
          primaryKey: t.primaryKey,
          unique: [...t.unique].sort(),
        },
      ]),
  );
}

function expectedShape(): DatabaseShape {
  const shape: DatabaseShape = {};
  for (const model of models) {
    const byName = new Map(model.fields.map((field) => [field.name, columnName(field)]));
    const columns = (names: readonly string[]) => names.map((name) => byName.get(name) ?? name);
    const fields = model.fields.filter(isColumn);
    shape[tableName(model)] = {
      columns: Object.fromEntries(
        fields.map((field) => [columnName(field), field.isRequired ? "NOT NULL" : "NULL"]),
      ),
      primaryKey: model.primaryKey
        ? columns(model.primaryKey.fields)
        : fields.filter((field) => field.isId).map(columnName),
      unique: [
        ...fields.filter((field) => field.isUnique).map((field) => columnName(field)),
        ...model.uniqueIndexes.map((index) => columns(index.fields).join(",")),
      ],
    };
  }
  return sortShape(shape);
}

// --- What a database has ----------------------------------------------------------------------

async function sqliteShape(url: string): Promise<DatabaseShape> {
  const client = createClient({ url });
  try {
    const shape: DatabaseShape = {};
    const tables = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'",
    );
    for (const { name } of tables.rows) {
      const table = String(name);
      const info = await client.execute(`PRAGMA table_info("${table}")`);
      const unique: string[] = [];
      for (const index of (await client.execute(`PRAGMA index_list("${table}")`)).rows) {
        // origin "pk" is the primary key's own index, compared separately.
        if (Number(index.unique) !== 1 || index.origin === "pk") continue;
        const cols = await client.execute(`PRAGMA index_info("${String(index.name)}")`);
        unique.push(cols.rows.map((col) => String(col.name)).join(","));
      }
      shape[table] = {
        columns: Object.fromEntries(
          info.rows.map((col) => [String(col.name), Number(col.notnull) ? "NOT NULL" : "NULL"]),
        ),
        primaryKey: info.rows
          .filter((col) => Number(col.pk) > 0)
          .sort((a, b) => Number(a.pk) - Number(b.pk))
          .map((col) => String(col.name)),
        unique,
      };
    }
    return sortShape(shape);
  } finally {
    client.close();
  }
}

async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function postgresShape(url: string): Promise<DatabaseShape> {
  return withPg(url, async (client) => {
    const shape: DatabaseShape = {};
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    for (const { table_name } of tables.rows)
      shape[table_name] = { columns: {}, primaryKey: [], unique: [] };
    const columns = await client.query<{
      table_name: string;
      column_name: string;
      is_nullable: string;
    }>(
      `SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema()`,
    );
    for (const col of columns.rows) {
      const table = shape[col.table_name];
      if (table) table.columns[col.column_name] = col.is_nullable === "YES" ? "NULL" : "NOT NULL";
    }
    const indexes = await client.query<{
      table: string;
      index: string;
      column: string;
      primary: boolean;
    }>(
      `SELECT t.relname AS table, i.relname AS index, a.attname AS column, x.indisprimary AS primary
       FROM pg_index x
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE n.nspname = current_schema() AND x.indisunique
       ORDER BY t.relname, i.relname, k.ord`,
    );
    const grouped = new Map<string, { table: string; primary: boolean; columns: string[] }>();
    for (const row of indexes.rows) {
      const entry = grouped.get(row.index) ?? {
        table: row.table,
        primary: row.primary,
        columns: [],
      };
      entry.columns.push(row.column);
      grouped.set(row.index, entry);
    }
    for (const { table, primary, columns: cols } of grouped.values()) {
      const target = shape[table];
      if (!target) continue;
      if (primary) target.primaryKey = cols;
      else target.unique.push(cols.join(","));
    }
    return sortShape(shape);
  });
}

// --- One row of every model, through the real Prisma client ------------------------------------

function sampleValue(field: Field, variant: number): unknown {
  switch (field.type) {
    case "String":
      return `${field.name}-${variant}`;
    case "Int":
      return 40 + variant;
    case "BigInt":
      return 2n ** 60n + BigInt(variant); // beyond 2^53: proves the BigInt path end to end
    case "Float":
      return 1.5 + variant;
    case "Boolean":
      return variant % 2 === 1;
    case "DateTime":
      return new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678 + variant));
    default:
      throw new Error(`No sample value for ${field.type} (${field.name}): extend sampleValue.`);
  }
}

interface Delegate {
  create(args: { data: Record<string, unknown> }): Promise<Record<string, unknown>>;
  findFirstOrThrow(args: { where: Record<string, unknown> }): Promise<Record<string, unknown>>;
}

/** Creates a full row (every column given) and a minimal row (defaults left to the schema) per model. */
async function writeAndReadEveryModel(db: Db): Promise<string[]> {
  const delegates = db as unknown as Record<string, Delegate>;
  const created = new Map<string, Record<string, unknown>>();
  const done: string[] = [];
  const pending = [...models];
  while (pending.length > 0) {
    const ready = pending.findIndex((model) =>
      model.fields.every(
        (f) => f.kind !== "object" || !f.relationFromFields?.length || created.has(f.type),
      ),
    );
    if (ready === -1)
      throw new Error(`Cyclic required relations among ${pending.map((m) => m.name).join(", ")}`);
    const [model] = pending.splice(ready, 1) as [Model];
    const delegate = delegates[model.name.charAt(0).toLowerCase() + model.name.slice(1)];
    if (!delegate) throw new Error(`The Prisma client has no delegate for ${model.name}`);

    // Foreign keys point at the parent row created before.
    const foreignKeys: Record<string, unknown> = {};
    for (const relation of model.fields.filter(
      (f) => f.kind === "object" && f.relationFromFields?.length,
    )) {
      const parent = created.get(relation.type)!;
      relation.relationFromFields!.forEach((from, i) => {
        foreignKeys[from] = parent[relation.relationToFields![i]!];
      });
    }
    const scalars = model.fields.filter((f) => isColumn(f) && !(f.name in foreignKeys));
    const idWhere = (row: Record<string, unknown>) =>
      Object.fromEntries(
        (model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name)).map(
          (name) => [name, row[name]],
        ),
      );

    const full = {
      ...Object.fromEntries(scalars.map((f) => [f.name, sampleValue(f, 1)])),
      ...foreignKeys,
    };
    const fullRow = await delegate.create({ data: full });
    const fullRead = await delegate.findFirstOrThrow({ where: idWhere(fullRow) });
    for (const [name, value] of Object.entries(full))
      expect(fullRead[name], `${model.name}.${name}`).toEqual(value);

    const minimal = {
      ...Object.fromEntries(
        scalars
          .filter((f) => f.isRequired && !f.hasDefaultValue && !f.isUpdatedAt)
          .map((f) => [f.name, sampleValue(f, 2)]),
      ),
      ...foreignKeys,
    };
    const minimalRow = await delegate.create({ data: minimal });
    const minimalRead = await delegate.findFirstOrThrow({ where: idWhere(minimalRow) });
    for (const field of scalars.filter((f) => f.isRequired)) {
      expect(minimalRead[field.name], `${model.name}.${field.name} (default)`).not.toBeNull();
    }

    created.set(model.name, fullRow);
    done.push(model.name);
  }
  return done;
}

// --- Prisma's own schema engine on a real database --------------------------------------------------

/**
 * Runs `work` with Prisma's schema engine (the WebAssembly build of the engine `prisma migrate`
 * uses) connected to the database, and the migrations folder as Prisma reads it.
 */
async function withPrismaEngine<T>(
  provider: MigrationProvider,
  url: string,
  migrationsDir: string,
  work: (
    engine: Awaited<ReturnType<typeof newSchemaEngine>>,
    input: {
      migrationsList: MigrationsList;
      filters: { externalTables: string[]; externalEnums: string[] };
    },
  ) => Promise<T>,
): Promise<T> {
  const target = migrationTargets().find((t) => t.provider === provider)!;
  const factory =
    provider === "sqlite" ? new PrismaLibSql({ url }) : new PrismaPg({ connectionString: url });
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  // Freeing the engine leaves its connections open; an open SQLite connection would make the
  // next migrator wait for its lock. Keep them to dispose of at the end.
  const connections: { dispose(): Promise<unknown> }[] = [];
  const track = async <R extends { ok: boolean; value?: unknown }>(result: Promise<R>) => {
    const settled = await result;
    if (settled.ok) connections.push(settled.value as { dispose(): Promise<unknown> });
    return settled;
  };
  const engine = await newSchemaEngine(readFileSync(target.schemaPath, "utf8"), {
    ...bound,
    connect: () => track(bound.connect()),
    connectToShadowDb: () => track(bound.connectToShadowDb()),
  });
  const migrationsList: MigrationsList = {
    baseDir: migrationsDir,
    lockfile: {
      path: "migration_lock.toml",
      content: readFileSync(join(migrationsDir, "migration_lock.toml"), "utf8"),
    },
    shadowDbInitScript: "",
    migrationDirectories: readMigrations(migrationsDir).map((migration) => ({
      path: migration.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: migration.sql } },
    })),
  };
  try {
    return await work(engine, {
      migrationsList,
      filters: { externalTables: [], externalEnums: [] },
    });
  } finally {
    engine.free();
    for (const connection of connections) await connection.dispose();
  }
}

type MigrationsList = Parameters<
  Awaited<ReturnType<typeof newSchemaEngine>>["applyMigrations"]
>[0]["migrationsList"];

// --- What each migration keeps -----------------------------------------------------------------

/** A table's columns as the database declares them, and the column each foreign key points at. */
interface TableColumns {
  columns: { name: string; type: string }[];
  references: Record<string, { table: string; column: string }>;
}

interface SqlConnection {
  query(sql: string, args?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * Columns a migration lets go of on purpose, by migration: "Table.column", or "Table" for the whole
 * table. A column whose values a migration rewrites on purpose is listed the same way. Anything
 * else a migration loses (SQLite's "redefine table" leaving a column or its values behind, a
 * column dropped for one that renamed it) fails the guard below.
 */
const LET_GO_ON_PURPOSE: Record<string, string[]> = {};

/** A value of a column's declared type, different for every row the guard writes. */
function valueOf(type: string, table: string, column: string, row: number): unknown {
  const t = type.toLowerCase();
  if (t.includes("bool")) return row % 2 === 1;
  if (t.includes("int")) return 100 + row;
  if (t.includes("real") || t.includes("double") || t.includes("float")) return row + 0.5;
  if (t.includes("timestamp")) return new Date(Date.UTC(2026, 0, 2, 3, 4, 5, row));
  if (t.includes("datetime")) return new Date(Date.UTC(2026, 0, 2, 3, 4, 5, row)).toISOString();
  return `${table}.${column}#${row}`;
}

/** Writes one row of every table, every column given (a foreign key names its parent's row). */
async function fillEveryTable(
  connection: SqlConnection,
  tables: Record<string, TableColumns>,
  row: number,
): Promise<void> {
  const value = (table: string, column: string): unknown => {
    const reference = tables[table]!.references[column];
    if (reference) return value(reference.table, reference.column);
    const type = tables[table]!.columns.find((c) => c.name === column)!.type;
    return valueOf(type, table, column, row);
  };
  const written = new Set<string>();
  const pending = Object.keys(tables);
  while (pending.length > 0) {
    const ready = pending.findIndex((table) =>
      Object.values(tables[table]!.references).every(
        (r) => r.table === table || written.has(r.table),
      ),
    );
    if (ready === -1) throw new Error(`Foreign keys in a circle among ${pending.join(", ")}`);
    const [table] = pending.splice(ready, 1) as [string];
    const names = tables[table]!.columns.map((c) => c.name);
    await connection.query(
      `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(", ")}) VALUES (${names.map((_, i) => `$${i + 1}`).join(", ")})`,
      names.map((name) => value(table, name)),
    );
    written.add(table);
  }
}

/** Every row of every table, as the driver reads it. */
async function everyRow(
  connection: SqlConnection,
  tables: Record<string, TableColumns>,
): Promise<Record<string, Record<string, unknown>[]>> {
  const rows: Record<string, Record<string, unknown>[]> = {};
  for (const table of Object.keys(tables))
    rows[table] = await connection.query(`SELECT * FROM "${table}"`);
  return rows;
}

/** One column's values over a table's rows, in an order that does not depend on the rows' order. */
const valuesOf = (rows: Record<string, unknown>[], column: string) =>
  rows
    .map((row) => {
      const value = row[column];
      return value instanceof Date ? value.toISOString() : String(value);
    })
    .sort();

/**
 * Applies `names`, migrations of `dir`, to a database migrated up to the first of them, one at a
 * time, with a row written in every table before each; answers what each one lost of the columns
 * and values the tables had before it, leaving out what it lets go of on purpose.
 */
async function lostThrough(
  backend: Backend,
  url: string,
  dir: string,
  names: string[],
  letGo: Record<string, string[]> = LET_GO_ON_PURPOSE,
): Promise<string[]> {
  const staging = join(scratch, `staging-${backend.provider}-${++scratchCount}`);
  mkdirSync(staging);
  cpSync(join(dir, "migration_lock.toml"), join(staging, "migration_lock.toml"));
  for (const earlier of existingMigrationNames(dir).filter((name) => name < names[0]!))
    cpSync(join(dir, earlier), join(staging, earlier), { recursive: true });
  const lost: string[] = [];
  let row = 0;
  for (const name of names) {
    const before = await backend.tables(url);
    const connection = await backend.open(url);
    let rowsBefore: Record<string, Record<string, unknown>[]>;
    try {
      await fillEveryTable(connection, before, ++row);
      rowsBefore = await everyRow(connection, before);
    } finally {
      await connection.close();
    }
    cpSync(join(dir, name), join(staging, name), { recursive: true });
    expect((await migrate(url, { migrationsDir: staging })).applied).toEqual([name]);
    const after = await backend.tables(url);
    const kept = await backend.open(url);
    try {
      const onPurpose = new Set(letGo[name] ?? []);
      for (const [table, { columns }] of Object.entries(before)) {
        if (onPurpose.has(table)) continue;
        if (!after[table]) {
          lost.push(`${name}: table ${table}`);
          continue;
        }
        const rowsAfter = await kept.query(`SELECT * FROM "${table}"`);
        if (rowsAfter.length !== rowsBefore[table]!.length) {
          lost.push(
            `${name}: ${table} had ${rowsBefore[table]!.length} rows, has ${rowsAfter.length}`,
          );
          continue;
        }
        for (const { name: column } of columns) {
          if (onPurpose.has(`${table}.${column}`)) continue;
          if (!after[table]!.columns.some((c) => c.name === column))
            lost.push(`${name}: column ${table}.${column}`);
          else if (
            JSON.stringify(valuesOf(rowsAfter, column)) !==
            JSON.stringify(valuesOf(rowsBefore[table]!, column))
          )
            lost.push(`${name}: the values of ${table}.${column}`);
        }
      }
    } finally {
      await kept.close();
    }
  }
  return lost;
}

// --- The same checks against each database ------------------------------------------------------

interface Backend {
  provider: MigrationProvider;
  /** An empty database of its own. */
  freshUrl(label: string): Promise<string>;
  shape(url: string): Promise<DatabaseShape>;
  rows(url: string): Promise<MigrationRow[]>;
  hasTable(url: string, table: string): Promise<boolean>;
  /** Runs SQL outside the runner (what an operator would do by hand). */
  exec(url: string, sql: string): Promise<void>;
  /** Every table's columns with their declared types, and what its foreign keys point at. */
  tables(url: string): Promise<Record<string, TableColumns>>;
  /** A connection that takes SQL with positional parameters ($1, $2…). */
  open(url: string): Promise<SqlConnection>;
}

const scratch = mkdtempSync(join(tmpdir(), "fulfilment-router-migrations-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let scratchCount = 0;

function copyOfMigrations(provider: MigrationProvider): string {
  const dir = join(scratch, `migrations-${provider}-${++scratchCount}`);
  cpSync(defaultMigrationsDir(provider), dir, { recursive: true });
  return dir;
}

function defineBackendTests(backend: Backend): void {
  const { provider } = backend;
  const local = readMigrations(defaultMigrationsDir(provider), provider);
  let url: string;
  let firstRun: Awaited<ReturnType<typeof migrate>>;

  beforeAll(async () => {
    url = await backend.freshUrl("main");
    firstRun = await migrate(url);
  });

  it("applies every migration to a fresh database", () => {
    expect(local.length).toBeGreaterThan(0);
    expect(firstRun.applied).toEqual(local.map((migration) => migration.name));
  });

  it("builds every table and column the Prisma schema declares, with nullability, primary keys and unique indexes", async () => {
    expect(await backend.shape(url)).toEqual(expectedShape());
  });

  it("applies nothing the second time", async () => {
    const again = await migrate(url);
    expect(again.applied).toEqual([]);
    expect(await backend.rows(url)).toHaveLength(local.length);
  });

  it("records each migration in _prisma_migrations as Prisma does", async () => {
    const rows = await backend.rows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(local.map((migration) => migration.name));
    for (const row of rows) {
      const file = readFileSync(
        join(defaultMigrationsDir(provider), row.migration_name, "migration.sql"),
      );
      expect(row.checksum).toBe(checksumOf(file));
      expect(row.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(row.finished_at).not.toBeNull();
      expect(row.started_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(Number(row.applied_steps_count)).toBe(1);
    }
  });

  it("is fully migrated in the eyes of Prisma's own schema engine (what `prisma migrate deploy` runs)", async () => {
    await withPrismaEngine(provider, url, defaultMigrationsDir(provider), async (engine, input) => {
      expect(
        await engine.diagnoseMigrationHistory({ ...input, optInToShadowDatabase: false }),
      ).toEqual({
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: true,
        history: null,
      });
      expect(await engine.applyMigrations(input)).toEqual({ appliedMigrationNames: [] });
    });
  });

  it("takes over a database that Prisma's own engine migrated, applying nothing", async () => {
    const target = await backend.freshUrl("by_prisma");
    const dir = defaultMigrationsDir(provider);
    const byPrisma = await withPrismaEngine(provider, target, dir, (engine, input) =>
      engine.applyMigrations(input),
    );
    expect(byPrisma.appliedMigrationNames).toEqual(local.map((migration) => migration.name));
    expect((await migrate(target)).applied).toEqual([]);
    expect(await backend.shape(target)).toEqual(expectedShape());
  });

  it("lets the real Prisma client write and read a row of every model", async () => {
    const db = createDb(url);
    try {
      expect(await writeAndReadEveryModel(db)).toHaveLength(models.length);
    } finally {
      await db.$disconnect();
    }
  });

  it("refuses to run when an applied migration's file has changed", async () => {
    const dir = copyOfMigrations(provider);
    const target = await backend.freshUrl("edited");
    await migrate(target, { migrationsDir: dir });
    const first = local[0]!.name;
    writeFileSync(
      join(dir, first, "migration.sql"),
      `${local[0]!.sql}\n-- an edit after the fact\n`,
    );
    await expect(migrate(target, { migrationsDir: dir })).rejects.toThrow(
      new RegExp(`changed after being applied.*${first}`),
    );
  });

  it("rolls back a failing migration, records it as failed, and refuses to go on until it is resolved", async () => {
    const dir = copyOfMigrations(provider);
    const target = await backend.freshUrl("failing");
    await migrate(target, { migrationsDir: dir });
    const broken = "99990101000000_broken";
    const file = join(dir, broken, "migration.sql");
    cpSync(join(dir, local[0]!.name), join(dir, broken), { recursive: true });
    writeFileSync(
      file,
      `CREATE TABLE "Half" ("id" INTEGER);\nINSERT INTO "NoSuchTable" VALUES (1);\n`,
    );

    await expect(migrate(target, { migrationsDir: dir })).rejects.toThrow(
      /99990101000000_broken failed/,
    );
    expect(await backend.hasTable(target, "Half")).toBe(false); // the transaction undid it
    const failed = (await backend.rows(target)).find((row) => row.migration_name === broken)!;
    expect(failed.finished_at).toBeNull();
    expect(failed.logs).toMatch(/NoSuchTable/);

    await expect(migrate(target, { migrationsDir: dir })).rejects.toThrow(
      /failed migration is recorded/,
    );

    // The way out the error message gives: fix the file, mark the failure rolled back, run again.
    writeFileSync(file, `CREATE TABLE "Half" ("id" INTEGER);\n`);
    await backend.exec(
      target,
      `UPDATE "_prisma_migrations" SET "rolled_back_at" = CURRENT_TIMESTAMP WHERE "migration_name" = '${broken}' AND "finished_at" IS NULL`,
    );
    expect((await migrate(target, { migrationsDir: dir })).applied).toEqual([broken]);
    expect(await backend.hasTable(target, "Half")).toBe(true);
  });

  it("keeps the rows that reference a table the next migration rebuilds", async () => {
    // SQLite alters a table by rebuilding it; dropping the old one must not cascade to Step.
    const dir = copyOfMigrations(provider);
    const target = await backend.freshUrl("rebuild");
    await migrate(target, { migrationsDir: dir });
    const db = createDb(target);
    try {
      const decision = await db.decision.create({
        data: {
          shop: "s.myshopify.com",
          orderId: "gid://shopify/Order/1",
          trigger: "webhook",
          explanation: "",
          plan: "{}",
        },
      });
      await db.step.create({
        data: { decisionId: decision.id, key: "k1", position: 0, kind: "hold", input: "{}" },
      });
    } finally {
      await db.$disconnect();
    }
    const schemaPath = migrationTargets().find((t) => t.provider === provider)!.schemaPath;
    const schema = readFileSync(schemaPath, "utf8");
    const changed = schema.replace(/(model Decision \{\n)/, "$1  priority Int @default(0)\n");
    expect(changed).not.toBe(schema);
    const sql = await diffSchemas(provider, schema, changed);
    if (provider === "sqlite") expect(sql).toMatch(/DROP TABLE "Decision"/);
    cpSync(join(dir, local[0]!.name), join(dir, "99990101000000_priority"), { recursive: true });
    writeFileSync(join(dir, "99990101000000_priority", "migration.sql"), sql);
    expect((await migrate(target, { migrationsDir: dir })).applied).toEqual([
      "99990101000000_priority",
    ]);

    await withRows(backend, target, async (count) => {
      expect(await count(`SELECT count(*) AS n FROM "Step"`)).toBe(1);
      expect(await count(`SELECT count(*) AS n FROM "Decision" WHERE "priority" = 0`)).toBe(1);
    });
  });

  it("keeps every column and every row's values through each migration, a rebuilt table's too, but for what one lets go of on purpose", async () => {
    const target = await backend.freshUrl("kept");
    const names = local.map((migration) => migration.name);
    expect(await lostThrough(backend, target, defaultMigrationsDir(provider), names)).toEqual([]);
  });

  describe("the guard on what a migration keeps", () => {
    const schemaPath = migrationTargets().find((t) => t.provider === provider)!.schemaPath;
    /** A database migrated with a copy of the migrations, and a migration after them of `sql`. */
    async function withNext(label: string, sql: (schema: string) => Promise<string>) {
      const dir = copyOfMigrations(provider);
      const target = await backend.freshUrl(label);
      await migrate(target, { migrationsDir: dir });
      const name = `99990101000000_${label}`;
      cpSync(join(dir, local[0]!.name), join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, "migration.sql"), await sql(readFileSync(schemaPath, "utf8")));
      return { dir, target, name };
    }

    it("tells a column dropped for the one that renamed it", async () => {
      // Prisma's migration for a renamed field drops the column and adds another (on SQLite by
      // rebuilding the table without it).
      const { dir, target, name } = await withNext("renamed", async (schema) => {
        const renamed = schema.replace(/^(\s*)retentionDays(\s+)Int/m, "$1keepDays$2Int");
        expect(renamed).not.toBe(schema);
        return diffSchemas(provider, schema, renamed);
      });
      expect(await lostThrough(backend, target, dir, [name])).toEqual([
        `${name}: column Shop.retentionDays`,
      ]);
    });

    it("passes a column the migration lets go of on purpose", async () => {
      const { dir, target, name } = await withNext("dropped", async (schema) => {
        const dropped = schema.replace(/^\s*retentionDays\s+Int.*\n/m, "");
        expect(dropped).not.toBe(schema);
        return diffSchemas(provider, schema, dropped);
      });
      expect(
        await lostThrough(backend, target, dir, [name], { [name]: ["Shop.retentionDays"] }),
      ).toEqual([]);
    });

    it.runIf(provider === "sqlite")(
      "tells a rebuilt table that keeps a column but leaves its values behind",
      async () => {
        const { dir, target, name } = await withNext("leaky", async (schema) => {
          const changed = schema.replace(/(model Shop \{\n)/, "$1  priority Int @default(0)\n");
          const sql = await diffSchemas(provider, schema, changed);
          expect(sql).toMatch(/INSERT INTO "new_Shop"/);
          // The copy into the new table leaves the column out: it gets its default instead.
          const leaky = sql.replaceAll('"retentionDays", ', "");
          expect(leaky).not.toBe(sql);
          return leaky;
        });
        expect(await lostThrough(backend, target, dir, [name])).toEqual([
          `${name}: the values of Shop.retentionDays`,
        ]);
      },
    );
  });

  it("marks the shops it already has, and no shop installed later, as installed before Flow's trigger lifecycle callback", async () => {
    const marking = "20261205192435_flow_triggers_before_lifecycle";
    const dir = copyOfMigrations(provider);
    for (const m of local.filter((m) => m.name >= marking))
      rmSync(join(dir, m.name), { recursive: true });
    const target = await backend.freshUrl("flow_lifecycle");
    await migrate(target, { migrationsDir: dir });
    const shop = (name: string) =>
      backend.exec(
        target,
        `INSERT INTO "Shop" ("shop", "updatedAt") VALUES ('${name}.myshopify.com', CURRENT_TIMESTAMP)`,
      );
    await shop("before");
    await migrate(target);
    await shop("after");
    await withRows(backend, target, async (count) => {
      const marked = `SELECT count(*) AS n FROM "Shop" WHERE "flowTriggersBeforeLifecycle" = true`;
      expect(await count(`${marked} AND "shop" = 'before.myshopify.com'`)).toBe(1);
      expect(await count(`${marked} AND "shop" = 'after.myshopify.com'`)).toBe(0);
    });
  });
}

async function withRows(
  backend: Backend,
  url: string,
  work: (count: (sql: string) => Promise<number>) => Promise<void>,
): Promise<void> {
  if (backend.provider === "sqlite") {
    const client = createClient({ url });
    try {
      await work(async (sql) => Number((await client.execute(sql)).rows[0]!.n));
    } finally {
      client.close();
    }
  } else {
    await withPg(url, (client) =>
      work(async (sql) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n)),
    );
  }
}

// --- SQLite ---------------------------------------------------------------------------------------

describe("migrations on SQLite", () => {
  const sqlite: Backend = {
    provider: "sqlite",
    freshUrl: async (label) => `file:${join(scratch, `${label}-${++scratchCount}.db`)}`,
    shape: sqliteShape,
    rows: async (url) => {
      const client = createClient({ url });
      try {
        const result = await client.execute(
          `SELECT * FROM "_prisma_migrations" ORDER BY "started_at", "migration_name"`,
        );
        return result.rows.map((row) => ({ ...row }) as unknown as MigrationRow);
      } finally {
        client.close();
      }
    },
    hasTable: async (url, table) => {
      const client = createClient({ url });
      try {
        const result = await client.execute({
          sql: "SELECT 1 FROM sqlite_master WHERE name = ?",
          args: [table],
        });
        return result.rows.length > 0;
      } finally {
        client.close();
      }
    },
    exec: async (url, sql) => {
      const client = createClient({ url });
      try {
        await client.execute(sql);
      } finally {
        client.close();
      }
    },
    tables: async (url) => {
      const client = createClient({ url });
      try {
        const found: Record<string, TableColumns> = {};
        const tables = await client.execute(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'",
        );
        for (const { name } of tables.rows) {
          const table = String(name);
          const columns = await client.execute(`PRAGMA table_info("${table}")`);
          const keys = await client.execute(`PRAGMA foreign_key_list("${table}")`);
          found[table] = {
            columns: columns.rows.map((c) => ({ name: String(c.name), type: String(c.type) })),
            references: Object.fromEntries(
              keys.rows.map((k) => [
                String(k.from),
                { table: String(k.table), column: String(k.to) },
              ]),
            ),
          };
        }
        return found;
      } finally {
        client.close();
      }
    },
    open: async (url) => {
      const client = createClient({ url });
      return {
        query: async (sql, args = []) => {
          const result = await client.execute({
            sql: sql.replace(/\$(\d+)/g, "?$1"),
            args: args as InValue[],
          });
          return result.rows.map((row) =>
            Object.fromEntries(result.columns.map((column, i) => [column, row[i]])),
          );
        },
        close: async () => client.close(),
      };
    },
  };

  defineBackendTests(sqlite);

  it("creates the database file's folder and turns on WAL", async () => {
    const path = join(scratch, "not", "yet", "there.db");
    await migrate(`file:${path}`);
    expect(existsSync(path)).toBe(true);
    const client = createClient({ url: `file:${path}` });
    try {
      expect((await client.execute("PRAGMA journal_mode")).rows[0]!.journal_mode).toBe("wal");
    } finally {
      client.close();
    }
  });

  it("applies each migration once when a web process and a worker migrate at the same moment", async () => {
    const url = `file:${join(scratch, `concurrent-${++scratchCount}.db`)}`;
    const run = promisify(execFile);
    // The real CLI in two real processes; Node strips the types itself, which starts far faster than tsx.
    const outputs = await Promise.all(
      [1, 2].map(() =>
        run(
          process.execPath,
          ["--experimental-strip-types", "--no-warnings", "scripts/migrate.ts"],
          {
            env: { ...process.env, DATABASE_URL: url },
          },
        ),
      ),
    );
    const rows = await sqlite.rows(url);
    const names = readMigrations(defaultMigrationsDir("sqlite")).map((migration) => migration.name);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    expect(outputs.map((output) => output.stdout).join("\n")).toMatch(/Applied:/);
  });

  it("gives each createTestDatabase() call its own fresh, migrated database", async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      expect(a.url).not.toBe(b.url);
      await a.db.shop.create({ data: { shop: "only-in-a.myshopify.com" } });
      expect(await a.db.shop.count()).toBe(1);
      expect(await b.db.shop.count()).toBe(0);
    } finally {
      await Promise.all([a.cleanup(), b.cleanup()]);
    }
  });
});

// --- PostgreSQL -----------------------------------------------------------------------------------

// Without server binaries the PostgreSQL half is skipped on a developer's machine, and fails in
// CI (CI=…), which installs them (.ci/postgres.sh): a green CI run always covered PostgreSQL.
const postgresMissing = postgresUnavailableReason();
const skipPostgres = postgresMissing !== null && !process.env.CI;
if (skipPostgres) console.warn(`Skipping the PostgreSQL migration tests: ${postgresMissing}.`);

// A failed suite hook shows as skipped tests in the counts; this makes the cause one failed test.
it.runIf(process.env.CI)("CI has PostgreSQL's server binaries", () => {
  expect(postgresMissing).toBeNull();
});

describe.skipIf(skipPostgres)(
  `migrations on PostgreSQL${skipPostgres ? ` (skipped: ${postgresMissing})` : ""}`,
  () => {
    let cluster: PostgresCluster | null = null;
    let databases = 0;

    beforeAll(async () => {
      cluster = await startPostgres();
      if (!cluster)
        throw new Error(`PostgreSQL is required in CI: ${postgresMissing ?? "it did not start"}`);
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    const postgres: Backend = {
      provider: "postgresql",
      freshUrl: async (label) => cluster!.createDatabase(`${label}_${++databases}`),
      shape: postgresShape,
      rows: (url) =>
        withPg(url, async (client) => {
          const result = await client.query<MigrationRow>(
            "SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name",
          );
          return result.rows;
        }),
      hasTable: (url, table) =>
        withPg(url, async (client) => {
          const result = await client.query("SELECT to_regclass($1) IS NOT NULL AS found", [
            `"${table}"`,
          ]);
          return Boolean(result.rows[0]?.found);
        }),
      exec: (url, sql) => withPg(url, async (client) => void (await client.query(sql))),
      tables: (url) =>
        withPg(url, async (client) => {
          const found: Record<string, TableColumns> = {};
          const columns = await client.query<{
            table_name: string;
            column_name: string;
            data_type: string;
          }>(
            `SELECT c.table_name, c.column_name, c.data_type
             FROM information_schema.columns c
             JOIN information_schema.tables t
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
               AND c.table_name <> '_prisma_migrations'
             ORDER BY c.table_name, c.ordinal_position`,
          );
          for (const column of columns.rows)
            (found[column.table_name] ??= { columns: [], references: {} }).columns.push({
              name: column.column_name,
              type: column.data_type,
            });
          const keys = await client.query<{
            table_name: string;
            column_name: string;
            parent: string;
            parent_column: string;
          }>(
            `SELECT k.table_name, k.column_name, p.table_name AS parent, p.column_name AS parent_column
             FROM information_schema.table_constraints c
             JOIN information_schema.key_column_usage k
               ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
             JOIN information_schema.constraint_column_usage p
               ON p.constraint_schema = c.constraint_schema AND p.constraint_name = c.constraint_name
             WHERE c.constraint_type = 'FOREIGN KEY' AND c.table_schema = current_schema()`,
          );
          for (const key of keys.rows) {
            const table = found[key.table_name];
            if (table)
              table.references[key.column_name] = { table: key.parent, column: key.parent_column };
          }
          return found;
        }),
      open: async (url) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        return {
          query: async (sql, args = []) =>
            (await client.query<Record<string, unknown>>(sql, args)).rows,
          close: () => client.end(),
        };
      },
    };

    defineBackendTests(postgres);

    it("applies each migration once when two processes migrate at the same moment (advisory lock)", async () => {
      const url = await postgres.freshUrl("concurrent");
      const [a, b] = await Promise.all([migrate(url), migrate(url)]);
      const names = readMigrations(defaultMigrationsDir("postgresql")).map(
        (migration) => migration.name,
      );
      expect([...a.applied, ...b.applied].sort()).toEqual(names);
      expect((await postgres.rows(url)).map((row) => row.migration_name)).toEqual(names);
    });
  },
);

// --- The migrations folders themselves --------------------------------------------------------------

describe("migrations folders", () => {
  it.each(migrationTargets().map((target) => [target.provider, target] as const))(
    "%s: the newest migration's snapshot matches the current schema (no change lacks a migration)",
    async (_provider, target) => {
      const sql = await diffSchemas(
        target.provider,
        readFileSync(target.snapshotPath, "utf8"),
        readFileSync(target.schemaPath, "utf8"),
      );
      expect(
        isEmptyMigration(sql),
        `Run \`npm run migrations:create -- <name>\`; pending:\n${sql}`,
      ).toBe(true);
    },
  );

  it("keeps the SQLite and PostgreSQL histories parallel, each with Prisma's lockfile", () => {
    const [sqlite, postgresql] = migrationTargets();
    expect(existingMigrationNames(postgresql!.migrationsDir)).toEqual(
      existingMigrationNames(sqlite!.migrationsDir),
    );
    for (const target of migrationTargets()) {
      expect(readFileSync(join(target.migrationsDir, "migration_lock.toml"), "utf8")).toBe(
        lockfileText(target.provider),
      );
    }
    expect(
      readFileSync(
        join(
          postgresql!.migrationsDir,
          existingMigrationNames(postgresql!.migrationsDir)[0]!,
          "migration.sql",
        ),
        "utf8",
      ),
    ).not.toMatch(/CREATE SCHEMA/);
  });

  it("prisma/postgresql/schema.prisma is exactly what scripts/prisma-postgresql.mjs derives from prisma/schema.prisma", async () => {
    const { toPostgresql } = (await import("../../scripts/prisma-postgresql.mjs")) as {
      toPostgresql: (schema: string) => string;
    };
    const sqlite = readFileSync("prisma/schema.prisma", "utf8");
    const postgresql = readFileSync("prisma/postgresql/schema.prisma", "utf8");
    expect(postgresql).toBe(toPostgresql(sqlite));
    expect(postgresql).toMatch(/datasource db \{\s*provider\s*=\s*"postgresql"/);
  });
});
