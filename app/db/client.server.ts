// Builds a Prisma client for a database URL: `file:` is SQLite through libsql, `postgres(ql)://` is
// PostgreSQL through pg. One data model, two generated clients (docs/decisions/002).
import { createHash } from "node:crypto";
import { PrismaClient } from "@prisma/client";
import { createClient, type Client, type Config } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
} from "@prisma/driver-adapter-utils";
import { PrismaClient as PostgresqlPrismaClient } from "../generated/prisma-postgresql/client";

export type Db = PrismaClient;

export type DatabaseKind = "sqlite" | "postgresql";

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new Error(
    `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${url.split(":")[0]}:"`,
  );
}

/**
 * How long a SQLite statement waits for another connection's write lock before failing with
 * SQLITE_BUSY. SQLite's default is 0 (fail at once): a worker process beside the web process on
 * the same file would fail writes whenever the two overlap.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * A libsql client whose every connection waits out a busy database. The pragma is per
 * connection, and the client opens a fresh connection after each interactive transaction (it
 * hands its current one to the transaction), so the pragma is sent again on the next use.
 */
function withBusyTimeout(client: Client, timeoutMs: number): Client {
  let fresh = true;
  const ready = async () => {
    if (!fresh) return;
    fresh = false;
    await client.execute(`PRAGMA busy_timeout = ${timeoutMs}`);
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (property === "transaction") {
        return async (...args: unknown[]) => {
          await ready();
          const tx = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          fresh = true;
          return tx;
        };
      }
      if (property === "execute" || property === "batch" || property === "executeMultiple") {
        return async (...args: unknown[]) => {
          await ready();
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      }
      if (property === "close" || property === "reconnect") {
        return (...args: unknown[]) => {
          fresh = true;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

class PrismaLibSqlWaiting extends PrismaLibSql {
  override createClient(config: Config): Client {
    return withBusyTimeout(createClient(config), SQLITE_BUSY_TIMEOUT_MS);
  }
}

/**
 * Connections a process's Prisma client may hold on PostgreSQL unless it runs the worker: node-postgres'
 * default pool, enough for a web process's requests (each holds one only while a statement runs).
 */
export const DEFAULT_POOL_SIZE = 10;

interface Connection {
  current?: SqlDriverAdapter;
  /** The most connections the client's pool may hold (PostgreSQL; SQLite has one). */
  poolSize: number;
}

/** The driver adapter each client connected through, while it is connected, and its pool's size. */
const connections = new WeakMap<Db, Connection>();

/** Remembers the adapter Prisma connects through (it connects lazily, and again after $disconnect). */
function remembered(factory: SqlDriverAdapterFactory): {
  factory: SqlDriverAdapterFactory;
  connection: Connection;
} {
  const connection: Connection = { poolSize: DEFAULT_POOL_SIZE };
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = () => {
      if (connection.current === adapter) connection.current = undefined;
      return dispose();
    };
    connection.current = adapter;
    return adapter;
  };
  return { factory, connection };
}

/**
 * Statements with a handful of parameters are prepared once per connection and then only bound
 * (named by a hash of their text, so one name is always one text): PostgreSQL parses and plans an
 * order's two dozen statements once per connection instead of each time. Long IN lists, whose text
 * changes with their length, are sent unprepared, so no connection collects hundreds of them.
 */
export const PREPARED_MAX_ARGS = 24;

// Each text's name, hashed once per process rather than for every statement sent (a CPU profile
// of a worker under the scale benchmark put the hashing at 1% of its time). The texts prepared are
// Prisma's for the app's queries, a few hundred; the map starts over if it ever holds far more.
const preparedNames = new Map<string, string>();

function preparedName(query: SqlQuery): string | undefined {
  if (query.args.length > PREPARED_MAX_ARGS) return undefined;
  let name = preparedNames.get(query.sql);
  if (name === undefined) {
    if (preparedNames.size >= 5000) preparedNames.clear();
    name = `fr_${createHash("sha256").update(query.sql).digest("base64url").slice(0, 32)}`;
    preparedNames.set(query.sql, name);
  }
  return name;
}

export function createDb(url: string): Db {
  if (databaseKind(url) === "sqlite") {
    // intMode "bigint": the default throws on a BigInt above 2^53 after the write committed.
    const { factory, connection } = remembered(new PrismaLibSqlWaiting({ url, intMode: "bigint" }));
    const db = new PrismaClient({ adapter: factory });
    connections.set(db, connection);
    return db;
  }
  // A pool of the size asked for when Prisma connects (setPoolSize may ask for another before).
  const sized: { connection?: Connection } = {};
  const pg: SqlDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () =>
      new PrismaPg(
        { connectionString: url, max: sized.connection?.poolSize ?? DEFAULT_POOL_SIZE },
        // A query without a name goes unprepared; the adapter's type asks for a name every time.
        { statementNameGenerator: preparedName as (query: SqlQuery) => string },
      ).connect(),
  };
  const { factory, connection } = remembered(pg);
  sized.connection = connection;
  // Both generated clients expose the same model API; the SQLite client's type stands for both.
  const db = new PostgresqlPrismaClient({ adapter: factory }) as unknown as Db;
  connections.set(db, connection);
  return db;
}

/**
 * The driver adapter under a client made by createDb, connected: for a hot path that sends its
 * own SQL (the webhook inbox) without Prisma's per-parameter work, which costs more than the write
 * for wide rows (ADR 006). It is the client's own connection: the adapter queues the statement
 * behind the client's other queries and open transaction exactly as Prisma's own raw queries are
 * queued, so no second connection and no SQLITE_BUSY. Values are bound as Prisma binds them for
 * the same argument types.
 */
export async function driverAdapter(db: Db): Promise<SqlDriverAdapter> {
  const connection = connections.get(db);
  if (!connection) throw new Error("driverAdapter: this client was not made by createDb");
  if (!connection.current) await db.$connect();
  if (!connection.current) throw new Error("driverAdapter: the client did not connect");
  return connection.current;
}

/**
 * Prisma's `$queryRawUnsafe` for a statement sent many times an order (the shared Admin API
 * bucket's take, about one a call): sent straight through the client's driver adapter, as
 * driverAdapter's callers send theirs, the rows answered as objects by column name. Prisma's own
 * raw query costs the worker about three times the CPU for the same statement (docs/decisions/037).
 * Values are bound as Prisma binds a raw query's: strings and numbers as they are, null as null.
 */
export function adapterSql(db: Db): {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
} {
  return {
    async $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T> {
      const adapter = await driverAdapter(db);
      const result = await adapter.queryRaw(adapterQuery(query, values));
      const { columnNames } = result;
      return result.rows.map((row) =>
        Object.fromEntries(columnNames.map((name, i) => [name, row[i]])),
      ) as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      return (await driverAdapter(db)).executeRaw(adapterQuery(query, values));
    },
  };
}

/**
 * A statement as the driver adapter takes it, its values typed as Prisma types a raw query's:
 * strings and numbers as they are, a list as a list (an `= ANY($n)`), anything else (a Date, null)
 * left to the adapter, which sends a Date as the UTC timestamp Prisma stores.
 */
export function adapterQuery(sql: string, values: readonly unknown[]): SqlQuery {
  return {
    sql,
    args: [...values],
    argTypes: values.map((value) => ({
      scalarType:
        typeof value === "string" ? "string" : typeof value === "number" ? "float" : "unknown",
      arity: Array.isArray(value) ? "list" : "scalar",
    })),
  };
}

/** Whether createDb made this client (a transaction's client was not: it has no adapter here). */
export function madeByCreateDb(client: unknown): client is Db {
  return typeof client === "object" && client !== null && connections.has(client as Db);
}

/**
 * Lets a client's pool hold up to `size` connections (PostgreSQL; SQLite has one connection): a
 * worker process sizes it for its job slots (docs/decisions/031), so a job never waits for a
 * connection another job's statement holds. Applies to the pool in use, and to the next one after
 * $disconnect.
 */
export function setPoolSize(db: Db, size: number): void {
  const connection = connections.get(db);
  if (!connection) return;
  connection.poolSize = size;
  const pool = poolOf(connection.current);
  // node-postgres reads its max on each checkout: a larger one takes effect at once.
  if (pool) pool.options.max = size;
}

/** How many connections a client's pool may hold now; null on SQLite. */
export async function poolSize(db: Db): Promise<number | null> {
  return poolOf(await driverAdapter(db))?.options.max ?? null;
}

function poolOf(adapter: SqlDriverAdapter | undefined): pg.Pool | undefined {
  if (adapter?.provider !== "postgres") return undefined;
  return (adapter as SqlDriverAdapter & { underlyingDriver(): pg.Pool }).underlyingDriver();
}
