// Inserts thousands of rows in one statement with one JSON parameter. Prisma's createMany binds
// every value as a parameter of its own, which on SQLite (libsql) costs about a second per
// thousand rows; a JSON array read by json_each (SQLite) or json_populate_recordset (PostgreSQL),
// or text arrays read by unnest (PostgreSQL, text rows), cost a few milliseconds. Used where a merchant's click writes thousands of rows (bulk actions).
import type { Prisma } from "@prisma/client";
import type { Db } from "./client.server";

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
