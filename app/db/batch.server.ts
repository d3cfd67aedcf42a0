// Writes many rows in one statement with one JSON parameter. Prisma's createMany binds every value
// as a parameter of its own, which on SQLite (libsql) costs about a second per thousand rows; a
// JSON array read by json_each (SQLite) or json_populate_recordset (PostgreSQL), or text arrays
// read by unnest (PostgreSQL, text rows), cost a few milliseconds. Used where a merchant's click
// writes thousands of rows (bulk actions), and where the worker writes an order's few rows in one
// statement instead of a Prisma call each (the review queue's read model).
import type { Prisma } from "@prisma/client";
import { adapterSql, madeByCreateDb, type Db } from "./client.server";
import { newRowId } from "./row-id.server";
import { textOf, type Alongside } from "./rows.server";

export type RowValue = string | number | boolean | Date | null;

type Client = Db | Prisma.TransactionClient;

/** The database behind a client or a transaction of one (Prisma keeps the provider's name). */
function provider(client: Client): "sqlite" | "postgresql" {
  const name = (client as unknown as { _activeProvider?: string })._activeProvider;
  if (name !== "sqlite" && name !== "postgresql") {
    throw new Error(`insertRows: unknown database provider ${String(name)}`);
  }
  return name;
}

/** A date as Prisma stores it in SQLite (ISO 8601 with "+00:00"), so comparisons still hold. */
const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

const quote = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`insertRows: bad name ${name}`);
  return `"${name}"`;
};

/**
 * Inserts `rows` (each with every one of `columns`) into `table`, skipping a row that would break
 * a unique key. Returns how many rows were inserted. Columns left out take their database default.
 * `shared` columns hold one value for every row (a bulk action's id, "pending"): bound once
 * instead of once per row, which the driver would otherwise encode thousands of times.
 */
export async function insertRows(
  client: Client,
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, RowValue>[],
  shared: Readonly<Record<string, RowValue>> = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const sharedColumns = Object.keys(shared);
  const cols = [...columns, ...sharedColumns].map(quote).join(", ");
  if (provider(client) === "sqlite") {
    const asStored = (v: RowValue) => (v instanceof Date ? sqliteDate(v) : v);
    const json = JSON.stringify(rows.map((row) => columns.map((c) => asStored(row[c]!))));
    const values = [
      ...columns.map((_, i) => `json_extract(value, '$[${i}]')`),
      ...sharedColumns.map(() => "?"),
    ].join(", ");
    return client.$executeRawUnsafe(
      `INSERT OR IGNORE INTO ${quote(table)} (${cols}) SELECT ${values} FROM json_each(?)`,
      ...sharedColumns.map((c) => asStored(shared[c]!)),
      json,
    );
  }
  const text = (v: RowValue | undefined) => v === null || typeof v === "string";
  if (
    rows.every((row) => columns.every((c) => text(row[c]))) &&
    sharedColumns.every((c) => text(shared[c]))
  ) {
    // Text only (a bulk action's items): one text array per column, read by unnest, costs
    // PostgreSQL a tenth of what parsing the same rows from JSON does. Meant for text columns.
    const arrays = columns.map((c) => rows.map((row) => row[c]));
    const names = columns.map((_, i) => `c${i}`);
    const values = [
      ...names,
      ...sharedColumns.map((_, i) => `$${columns.length + i + 1}::text`),
    ].join(", ");
    return client.$executeRawUnsafe(
      `INSERT INTO ${quote(table)} (${cols}) SELECT ${values} FROM unnest(${names.map((_, i) => `$${i + 1}::text[]`).join(", ")}) AS u(${names.join(", ")}) ON CONFLICT DO NOTHING`,
      ...arrays,
      ...sharedColumns.map((c) => shared[c]),
    );
  }
  const json = JSON.stringify(
    rows.map((row) => ({ ...Object.fromEntries(columns.map((c) => [c, row[c]])), ...shared })),
  );
  return client.$executeRawUnsafe(
    `INSERT INTO ${quote(table)} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${quote(table)}, $1::json) ON CONFLICT DO NOTHING`,
    json,
  );
}

export interface UpsertOptions {
  key: readonly string[];
  replacing?: Readonly<Record<string, string>>;
}

/**
 * Writes `rows` of `table` (each with every one of its columns but `id`) as they now stand: a row
 * whose `key` columns match a stored row updates it (its id kept), any other is inserted with a
 * new id; with `replacing`, the stored rows that match those column values but none of `rows` by
 * key are deleted. On PostgreSQL one statement, on SQLite two (SQLite has no DELETE in a WITH).
 * For a hot path (the review queue's read model, written twice an order): Prisma's deleteMany and
 * an upsert per row cost the worker a model call each, several times what the write costs.
 */
export async function upsertRows(
  client: Client,
  table: string,
  rows: readonly Record<string, RowValue>[],
  options: UpsertOptions,
): Promise<void> {
  if (provider(client) === "sqlite") return upsertRowsOnSqlite(client, table, rows, options);
  const { sql, values } = upsertRowsOnPostgres(table, rows, options, false);
  // Straight through the driver adapter when the client has one (ADR 046): Prisma's raw call
  // costs the worker about three times its CPU; a transaction's client goes through Prisma.
  await (madeByCreateDb(client) ? adapterSql(client) : client).$executeRawUnsafe(sql, ...values);
}

/**
 * upsertRows as the writes an update of another row carries (updateRow's `along`, ADR 064): on
 * PostgreSQL in the update's statement, on SQLite upsertRows' own statements before it.
 */
export function upsertRowsAlong(
  db: Db,
  table: string,
  rows: readonly Record<string, RowValue>[],
  options: UpsertOptions,
): Alongside {
  return {
    onPostgres: () => {
      const { sql, values, shape } = upsertRowsOnPostgres(table, rows, options, true);
      return { ctes: sql, values, shape };
    },
    separately: () => upsertRows(db, table, rows, options),
  };
}

/** The columns upsertRows writes: the key's, then every row's, each once. */
function upsertColumns(rows: readonly Record<string, RowValue>[], key: readonly string[]) {
  const columns = new Set(key);
  for (const row of rows) for (const column in row) columns.add(column);
  return [...columns];
}

/**
 * upsertRows' statement on PostgreSQL, its values ($1 the rows as JSON, then the replaced columns'
 * values): a whole statement, or (`along`) the parts of another's WITH. Its text is built once per
 * shape (the table, the columns, the key, the replaced columns).
 */
function upsertRowsOnPostgres(
  table: string,
  rows: readonly Record<string, RowValue>[],
  options: UpsertOptions,
  along: boolean,
): { sql: string; values: unknown[]; shape: string } {
  const { key } = options;
  const replacing = options.replacing ?? {};
  const columns = upsertColumns(rows, key);
  const values: unknown[] = [JSON.stringify(rows.map((row) => ({ ...row, id: newRowId() })))];
  let replaced = "";
  for (const column in replacing) {
    values.push(replacing[column]);
    replaced += `${column},`;
  }
  const shape = `upsert ${table} ${columns.join(",")} ${key.join(",")} ${replaced} ${along}`;
  const sql = textOf(shape, () => {
    const t = quote(table);
    const cols = ["id", ...columns].map(quote).join(", ");
    const updated = columns.filter((c) => !key.includes(c));
    const conflict = `ON CONFLICT (${key.map(quote).join(", ")}) DO UPDATE SET ${updated.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(", ")}`;
    const source = `json_populate_recordset(NULL::${t}, $1::json)`;
    const gone =
      replaced !== ""
        ? `gone AS (DELETE FROM ${t} WHERE ${Object.keys(replacing)
            .map((c, i) => `${quote(c)} = $${i + 2}`)
            .join(
              " AND ",
            )} AND NOT EXISTS (SELECT 1 FROM ${source} AS r WHERE ${key.map((c) => `r.${quote(c)} = ${t}.${quote(c)}`).join(" AND ")}))`
        : "";
    const insert = `INSERT INTO ${t} (${cols}) SELECT ${cols} FROM ${source} ${conflict}`;
    if (along) return `${gone ? `${gone}, ` : ""}upserted AS (${insert} RETURNING 1)`;
    return `${gone ? `WITH ${gone} ` : ""}${insert}`;
  });
  return { sql, values, shape };
}

async function upsertRowsOnSqlite(
  client: Client,
  table: string,
  rows: readonly Record<string, RowValue>[],
  options: UpsertOptions,
): Promise<void> {
  const { key } = options;
  const replacing = Object.entries(options.replacing ?? {});
  const columns = upsertColumns(rows, key);
  const updated = columns.filter((c) => !key.includes(c));
  const t = quote(table);
  const cols = ["id", ...columns].map(quote).join(", ");
  const conflict = `ON CONFLICT (${key.map(quote).join(", ")}) DO UPDATE SET ${updated.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(", ")}`;
  const asStored = (v: RowValue | undefined) => (v instanceof Date ? sqliteDate(v) : (v ?? null));
  const json = JSON.stringify(
    rows.map((row) => [newRowId(), ...columns.map((c) => asStored(row[c]))]),
  );
  if (replacing.length > 0) {
    const matches = key.map(
      (c) => `json_extract(j.value, '$[${columns.indexOf(c) + 1}]') = ${t}.${quote(c)}`,
    );
    await client.$executeRawUnsafe(
      `DELETE FROM ${t} WHERE ${replacing.map(([c]) => `${quote(c)} = ?`).join(" AND ")} AND NOT EXISTS (SELECT 1 FROM json_each(?) AS j WHERE ${matches.join(" AND ")})`,
      ...replacing.map(([, v]) => v),
      json,
    );
  }
  if (rows.length === 0) return;
  const values = ["id", ...columns].map((_, i) => `json_extract(value, '$[${i}]')`).join(", ");
  // "WHERE true": SQLite reads ON CONFLICT after a SELECT's FROM as a join's, without it.
  await client.$executeRawUnsafe(
    `INSERT INTO ${t} (${cols}) SELECT ${values} FROM json_each(?) WHERE true ${conflict}`,
    json,
  );
}
