// Which shops have the app installed, as the database says now: what the worker asks before it does
// anything with what a web process stored (ADR 045), and what the intake's memory is filled from.
import { driverAdapter, type Db } from "../db/client.server";

/**
 * The shops among these with the app installed: a Shop row (made at install and by the demo's
 * seed) or an offline session; the uninstall erases both. No memory: the worker must see an
 * uninstall another process committed a moment ago. One statement for all of them, through the
 * Shop key and the Session table's shop index.
 */
export async function installedAmong(db: Db, shops: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(shops)];
  if (unique.length === 0) return new Set();
  const adapter = await driverAdapter(db);
  // Each list bound on its own: SQLite's "?" takes the next value, PostgreSQL's $n its own.
  const args = [...unique, ...unique];
  const list = (from: number) =>
    unique.map((_, i) => (adapter.provider === "postgres" ? `$${from + i + 1}` : "?")).join(", ");
  const result = await adapter.queryRaw({
    sql: `SELECT "shop" FROM "Shop" WHERE "shop" IN (${list(0)})
      UNION SELECT "shop" FROM "Session" WHERE NOT "isOnline" AND "shop" IN (${list(unique.length)})`,
    args,
    argTypes: args.map(() => ({ scalarType: "string", arity: "scalar" }) as const),
  });
  return new Set(result.rows.map((row) => String(row[0])));
}
