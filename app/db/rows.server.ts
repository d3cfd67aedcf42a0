// A hot path's reads and updates of rows by plain conditions, sent straight through the driver
// adapter on PostgreSQL and through Prisma on SQLite, typed by Prisma's own row types: a renamed
// column or a value of the wrong type fails the typecheck as a Prisma call would (ADR 046).
import type { Prisma } from "@prisma/client";
import type { ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import { adapterQuery, driverAdapter, type Db } from "./client.server";
import { isUniqueViolation } from "./errors.server";

type Models = Prisma.TypeMap["model"];
export type Model = keyof Models & string;
/** A model's row as Prisma types it (its scalar columns). */
export type Row<M extends Model> = Models[M]["payload"]["scalars"];

/** A column's condition: equal (null: IS NULL), one of a list, or after a value. */
type Condition<V> = V | { in: readonly V[] } | { gt: NonNullable<V> };
export type Where<M extends Model> = { [K in keyof Row<M>]?: Condition<Row<M>[K]> };
export type Select<M extends Model> = { [K in keyof Row<M>]?: true };
type Picked<M extends Model, S> = { [K in keyof S & keyof Row<M>]: Row<M>[K] };

/**
 * Models whose rows these helpers may update: those without an `updatedAt` column, which Prisma
 * sets by itself on every update (`@updatedAt`) and these would not.
 */
type Updatable = { [M in Model]: "updatedAt" extends keyof Row<M> ? never : M }[Model];

/**
 * Whether a client sends through the driver adapter here: PostgreSQL's, made by createDb. Its
 * adapter is the client's own pool, so no second connection; on SQLite Prisma binds dates and
 * placeholders its own way, and the calls stay Prisma's.
 */
async function postgresAdapter(db: Db) {
  const adapter = await driverAdapter(db).catch(() => undefined);
  return adapter?.provider === "postgres" ? adapter : undefined;
}

const quote = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`rows: bad name ${name}`);
  return `"${name}"`;
};

/** Prisma's model delegate for SQLite: `db.decision` for "Decision". */
function delegate(db: Db, model: Model) {
  return (db as unknown as Record<string, Record<string, (args: unknown) => Promise<unknown>>>)[
    model[0]!.toLowerCase() + model.slice(1)
  ]!;
}

/** The SQL of a where, its values appended to `args` (numbered after those already there). */
function whereSql(where: Record<string, unknown>, args: unknown[]): string {
  const parts: string[] = [];
  for (const [column, condition] of Object.entries(where)) {
    if (condition === undefined) continue;
    const c = quote(column);
    if (condition === null) parts.push(`${c} IS NULL`);
    else if (typeof condition === "object" && !(condition instanceof Date) && "in" in condition) {
      args.push([...(condition.in as unknown[])]);
      parts.push(`${c} = ANY($${args.length})`);
    } else if (typeof condition === "object" && !(condition instanceof Date) && "gt" in condition) {
      args.push(condition.gt);
      parts.push(`${c} > $${args.length}`);
    } else {
      args.push(condition);
      parts.push(`${c} = $${args.length}`);
    }
  }
  return parts.length > 0 ? parts.join(" AND ") : "true";
}

/**
 * A where's shape (its columns and the kind of each condition), its values appended to `args` in
 * the order whereSql numbers them: what the statement's text depends on, without building it.
 */
function whereShape(where: Record<string, unknown>, args: unknown[]): string {
  let shape = "";
  for (const column in where) {
    const condition = where[column];
    if (condition === undefined) continue;
    if (condition === null) shape += `${column} n,`;
    else if (typeof condition === "object" && !(condition instanceof Date) && "in" in condition) {
      args.push([...(condition.in as unknown[])]);
      shape += `${column} i,`;
    } else if (typeof condition === "object" && !(condition instanceof Date) && "gt" in condition) {
      args.push(condition.gt);
      shape += `${column} g,`;
    } else {
      args.push(condition);
      shape += `${column} e,`;
    }
  }
  return shape;
}

/** The columns of a select or of an update's data (those given), as a shape's part. */
function keysShape(object: Record<string, unknown>): string {
  let shape = "";
  for (const key in object) if (object[key] !== undefined) shape += `${key},`;
  return shape;
}

/**
 * Statements' texts by their shape, each built once per process (ADR 064): building one joined and
 * quoted every name on each call, and the prepared statement's name was then looked up by a new
 * string, hashed again (together about 1.5% of a worker's samples under the scale benchmark). The
 * texts are a few dozen (the hot paths' shapes); the map starts over if it ever holds far more.
 */
const texts = new Map<string, string>();

/** The text of a statement of this shape: kept, or built by `build` and kept. */
export function textOf(shape: string, build: () => string): string {
  let text = texts.get(shape);
  if (text === undefined) {
    if (texts.size >= 2000) texts.clear();
    text = build();
    texts.set(shape, text);
  }
  return text;
}

// The adapter's column types to convert (its package is a build-time one: its enum's values here,
// checked against its type).
const DATE_TIME: (typeof ColumnTypeEnum)["DateTime"] = 10;
const INT64: (typeof ColumnTypeEnum)["Int64"] = 1;

/** The answered rows as Prisma answers them: dates as Dates, 64-bit integers as bigints. */
function rowsOf<T>(result: {
  columnNames: string[];
  columnTypes: readonly number[];
  rows: unknown[][];
}): T[] {
  const { columnNames, columnTypes, rows } = result;
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) {
      const value = row[i];
      const type = columnTypes[i];
      out[columnNames[i]!] =
        value === null
          ? null
          : type === DATE_TIME
            ? new Date(value as string)
            : type === INT64
              ? BigInt(value as string)
              : value;
    }
    return out as T;
  });
}

/** Prisma's findMany with a where of plain conditions and a select. */
export async function findRows<M extends Model, S extends Select<M>>(
  db: Db,
  model: M,
  args: { where: Where<M>; select: S; take?: number },
): Promise<Picked<M, S>[]> {
  const adapter = await postgresAdapter(db);
  if (!adapter) return (await delegate(db, model).findMany!(args)) as Picked<M, S>[];
  const values: unknown[] = [];
  const take = args.take === undefined ? "" : Math.trunc(args.take);
  const shape = `find ${model} ${whereShape(args.where, values)} ${keysShape(args.select)} ${take}`;
  const sql = textOf(shape, () => {
    const where = whereSql(args.where, []);
    const columns = Object.keys(args.select).map(quote).join(", ");
    const limit = take === "" ? "" : ` LIMIT ${take}`;
    return `SELECT ${columns} FROM ${quote(model)} WHERE ${where}${limit}`;
  });
  const result = await adapter.queryRaw(adapterQuery(sql, values));
  return rowsOf<Picked<M, S>>(result);
}

/** Prisma's findFirst (without an order): the first row found, or null. */
export async function findRow<M extends Model, S extends Select<M>>(
  db: Db,
  model: M,
  args: { where: Where<M>; select: S },
): Promise<Picked<M, S> | null> {
  return (await findRows(db, model, { ...args, take: 1 }))[0] ?? null;
}

/**
 * Writes an update carries with it (updateRow's `along`): on PostgreSQL the parts of its
 * statement's WITH, so the update and they are one statement, one commit; on SQLite, which has no
 * writes in a WITH, their own statements just before the update.
 */
export interface Alongside {
  /** The WITH's parts (`name AS (…), …`), their values as $1…, and the shape their text is of. */
  onPostgres(): { ctes: string; values: readonly unknown[]; shape: string };
  separately(): Promise<unknown>;
}

/**
 * Prisma's update: the row `where` finds (by its id) gets `data`, and its `select`ed columns are
 * answered. Throws when there is no such row, as Prisma's update does.
 */
export async function updateRow<M extends Updatable, S extends Select<M>>(
  db: Db,
  model: M,
  args: { where: Where<M>; data: Partial<Row<M>>; select: S },
  along?: Alongside,
): Promise<Picked<M, S>> {
  const adapter = await postgresAdapter(db);
  if (!adapter) {
    await along?.separately();
    return (await delegate(db, model).update!(args)) as Picked<M, S>;
  }
  // What goes along comes first in the statement, its values numbered from $1.
  const before = along?.onPostgres();
  const values: unknown[] = before ? [...before.values] : [];
  const data = args.data as Record<string, unknown>;
  let shape = `update ${model} ${keysShape(data)}`;
  for (const key in data) if (data[key] !== undefined) values.push(data[key]);
  shape += ` ${whereShape(args.where, values)} ${keysShape(args.select)}`;
  const sql = textOf(before ? `${before.shape} ${shape}` : shape, () => {
    const numbered: unknown[] = before ? [...before.values] : [];
    const set = setSql(data, numbered);
    const where = whereSql(args.where, numbered);
    const columns = Object.keys(args.select).map(quote).join(", ");
    const update = `UPDATE ${quote(model)} SET ${set} WHERE ${where} RETURNING ${columns}`;
    return before ? `WITH ${before.ctes} ${update}` : update;
  });
  const result = await adapter.queryRaw(adapterQuery(sql, values));
  const row = rowsOf<Picked<M, S>>(result)[0];
  if (!row) throw new Error(`No ${model} row to update where ${JSON.stringify(args.where)}`);
  return row;
}

/**
 * Prisma's create of a row given in full (every column, its id and its dates too: nothing is left
 * to a default of Prisma's or the database's), answering its `select`ed columns; null when a row
 * with the same unique key is there already, where Prisma's create fails (P2002). On PostgreSQL
 * one INSERT … ON CONFLICT DO NOTHING.
 */
export async function insertRow<M extends Model, S extends Select<M>>(
  db: Db,
  model: M,
  args: { data: Row<M>; select: S },
): Promise<Picked<M, S> | null> {
  const adapter = await postgresAdapter(db);
  if (!adapter) {
    try {
      return (await delegate(db, model).create!(args)) as Picked<M, S>;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }
  const entries = Object.entries(args.data as Record<string, unknown>);
  const values = entries.map(([, value]) => value);
  const columns = entries.map(([column]) => quote(column)).join(", ");
  const placeholders = entries.map((_, i) => `$${i + 1}`).join(", ");
  const returning = Object.keys(args.select).map(quote).join(", ");
  const result = await adapter.queryRaw(
    adapterQuery(
      `INSERT INTO ${quote(model)} (${columns}) VALUES (${placeholders}) ON CONFLICT DO NOTHING RETURNING ${returning}`,
      values,
    ),
  );
  return rowsOf<Picked<M, S>>(result)[0] ?? null;
}

/** Prisma's updateMany: every row `where` finds gets `data`; answers how many. */
export async function updateRows<M extends Updatable>(
  db: Db,
  model: M,
  args: { where: Where<M>; data: Partial<Row<M>> },
): Promise<number> {
  const adapter = await postgresAdapter(db);
  if (!adapter) return ((await delegate(db, model).updateMany!(args)) as { count: number }).count;
  const values: unknown[] = [];
  const set = setSql(args.data, values);
  const where = whereSql(args.where, values);
  return adapter.executeRaw(
    adapterQuery(`UPDATE ${quote(model)} SET ${set} WHERE ${where}`, values),
  );
}

function setSql(data: Record<string, unknown>, args: unknown[]): string {
  const parts: string[] = [];
  for (const [column, value] of Object.entries(data)) {
    if (value === undefined) continue;
    args.push(value);
    parts.push(`${quote(column)} = $${args.length}`);
  }
  if (parts.length === 0) throw new Error("rows: an update without data");
  return parts.join(", ");
}

/** A table's name as SQL names it, for a statement of a hot path's own. */
export function table(model: Model): string {
  return quote(model);
}

/** A column's name as SQL names it, checked against the model's row type. */
export function column<M extends Model>(_model: M, name: keyof Row<M> & string): string {
  return quote(name);
}

/**
 * A hot path's own statement (several of its questions in one) sent through the driver adapter on
 * PostgreSQL, its rows answered as Prisma answers them; undefined on SQLite, where the caller asks
 * with Prisma's calls instead.
 */
export async function queryOnPostgres<T>(
  db: Db,
  sql: string,
  values: readonly unknown[],
): Promise<T[] | undefined> {
  const adapter = await postgresAdapter(db);
  if (!adapter) return undefined;
  return rowsOf<T>(await adapter.queryRaw(adapterQuery(sql, values)));
}
