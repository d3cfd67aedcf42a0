// What PostgreSQL did besides executing statements, for a benchmark's log: its CPU split by kind of
// process (the backends serving the fleet's connections, the background writers, autovacuum), what
// autovacuum and autoanalyze did to each table, how many rows each table's statements touched and
// through which scans, and the WAL written. pg_stat_statements counts execution time only: the rest
// of a backend's CPU (parsing, planning, the protocol, commits) and every background process's is
// what these lines tell apart.
import { readdirSync, readFileSync } from "node:fs";
import type { Db } from "../../../app/db/client.server";

/** A process's stat fields after its command (Linux's /proc; times in clock ticks, 100 a second). */
function statFields(pid: string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** The title PostgreSQL gives a child process ("postgres: checkpointer", "postgres: postgres app_test 127.0.0.1(…) idle"). */
function title(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return "";
  }
}

/** The kind of a PostgreSQL child process from its title: a client's backend or a background process. */
export function processKind(processTitle: string): string {
  const t = processTitle.replace(/^postgres:\s*/, "");
  if (/^autovacuum worker/.test(t)) return "autovacuum workers";
  for (const kind of [
    "checkpointer",
    "background writer",
    "walwriter",
    "autovacuum launcher",
    "logical replication launcher",
    "stats collector",
  ])
    if (t.startsWith(kind)) return kind;
  return "backends";
}

/**
 * CPU seconds of the PostgreSQL server whose postmaster is `postmaster`, by kind of process: the
 * live children by their titles, and "ended" for the children that exited (counted in the
 * postmaster's children's time): autovacuum's workers, which exit after each pass, and any client
 * connection that closed. A connection that closes between two readings moves its whole CPU from
 * "backends" to "ended": read the two together as the clients' backends, less autovacuum (whose
 * passes the table lines count).
 */
export function postgresCpuByKind(postmaster: string): Record<string, number> {
  const main = statFields(postmaster);
  if (!main) return {};
  const ticks: Record<string, number> = {
    postmaster: Number(main[11]) + Number(main[12]),
    ended: Number(main[13]) + Number(main[14]),
  };
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const f = statFields(pid);
    if (f?.[1] !== postmaster) continue;
    const kind = processKind(title(pid));
    ticks[kind] = (ticks[kind] ?? 0) + Number(f[11]) + Number(f[12]);
  }
  return Object.fromEntries(Object.entries(ticks).map(([k, t]) => [k, t / 100]));
}

/** Counters of one table (pg_stat_all_tables), summed over time. */
interface TableCounters {
  seqScans: number;
  seqRows: number;
  idxScans: number;
  idxRows: number;
  inserted: number;
  updated: number;
  hotUpdated: number;
  deleted: number;
  autovacuums: number;
  autoanalyzes: number;
}

export interface PostgresActivity {
  tables: Record<string, TableCounters>;
  /** Rows left dead now (not a counter). */
  dead: Record<string, number>;
  /** Rows live now (not a counter). */
  live: Record<string, number>;
  walRecords: number;
  walFullPages: number;
  walBytes: number;
  checkpoints: number;
  /** Client connections opened (a new backend each: fork, catalogue caches filled again). */
  sessions: number;
}

/** The server's counters now (every table of the app's and pg-boss's schemas). */
export async function postgresActivity(db: Db): Promise<PostgresActivity> {
  const rows = await db.$queryRawUnsafe<
    (TableCounters & { name: string; dead: number; live: number })[]
  >(
    `SELECT schemaname || '.' || relname AS name,
            coalesce(seq_scan, 0)::float8 AS "seqScans", coalesce(seq_tup_read, 0)::float8 AS "seqRows",
            coalesce(idx_scan, 0)::float8 AS "idxScans", coalesce(idx_tup_fetch, 0)::float8 AS "idxRows",
            n_tup_ins::float8 AS inserted, n_tup_upd::float8 AS updated,
            n_tup_hot_upd::float8 AS "hotUpdated", n_tup_del::float8 AS deleted,
            autovacuum_count::float8 AS autovacuums, autoanalyze_count::float8 AS autoanalyzes,
            n_dead_tup::float8 AS dead, n_live_tup::float8 AS live
       FROM pg_stat_all_tables WHERE schemaname IN ('public', 'pgboss')`,
  );
  // The statistics a backend reads are a snapshot kept for its transaction (or cached for a
  // moment, before PostgreSQL 15): the rows above are read fresh by each call.
  const [wal] = await db.$queryRawUnsafe<{ records: number; fpi: number; bytes: number }[]>(
    `SELECT wal_records::float8 AS records, wal_fpi::float8 AS fpi, wal_bytes::float8 AS bytes FROM pg_stat_wal`,
  );
  const [bg] = await db.$queryRawUnsafe<{ checkpoints: number }[]>(
    `SELECT (checkpoints_timed + checkpoints_req)::float8 AS checkpoints FROM pg_stat_bgwriter`,
  );
  const [database] = await db.$queryRawUnsafe<{ sessions: number }[]>(
    `SELECT sessions::float8 AS sessions FROM pg_stat_database WHERE datname = current_database()`,
  );
  const tables: Record<string, TableCounters> = {};
  const dead: Record<string, number> = {};
  const live: Record<string, number> = {};
  for (const { name, dead: d, live: l, ...counters } of rows) {
    tables[name] = counters;
    dead[name] = d;
    live[name] = l;
  }
  return {
    tables,
    dead,
    live,
    walRecords: wal?.records ?? 0,
    walFullPages: wal?.fpi ?? 0,
    walBytes: wal?.bytes ?? 0,
    checkpoints: bg?.checkpoints ?? 0,
    sessions: database?.sessions ?? 0,
  };
}

const perOrder = (n: number, orders: number) => (n / orders).toFixed(2);

/**
 * Log lines for what happened between two readings, per order: the WAL and checkpoints, and for
 * each table the statements touched (most rows first) its scans, rows written, how many updates
 * were HOT (no index entry written), autovacuum's and autoanalyze's passes, and its dead rows left.
 */
export function activityLines(
  before: PostgresActivity,
  after: PostgresActivity,
  orders: number,
  top = 12,
): string[] {
  const lines = [
    `WAL per order: ${perOrder(after.walRecords - before.walRecords, orders)} records, ${Math.round((after.walBytes - before.walBytes) / orders)} bytes, ${perOrder(after.walFullPages - before.walFullPages, orders)} full pages; checkpoints ${after.checkpoints - before.checkpoints}; connections opened ${after.sessions - before.sessions}`,
  ];
  const changes = Object.entries(after.tables).map(([name, a]) => {
    const b = before.tables[name];
    const d = Object.fromEntries(
      Object.entries(a).map(([k, v]) => [k, v - (b?.[k as keyof TableCounters] ?? 0)]),
    ) as unknown as TableCounters;
    return { name, d, touched: d.seqRows + d.idxRows + d.inserted + d.updated + d.deleted };
  });
  for (const { name, d } of changes.sort((x, y) => y.touched - x.touched).slice(0, top)) {
    if (!(d.seqScans || d.idxScans || d.inserted || d.updated || d.deleted)) continue;
    lines.push(
      `${name} per order: ${perOrder(d.seqScans, orders)} sequential scans reading ${perOrder(d.seqRows, orders)} rows, ${perOrder(d.idxScans, orders)} index scans fetching ${perOrder(d.idxRows, orders)}; ${perOrder(d.inserted, orders)} inserted, ${perOrder(d.updated, orders)} updated (${perOrder(d.hotUpdated, orders)} HOT), ${perOrder(d.deleted, orders)} deleted; autovacuum ${d.autovacuums}, autoanalyze ${d.autoanalyzes}; ${after.live[name]} live and ${after.dead[name]} dead rows at the end`,
    );
  }
  return lines;
}

/** PostgreSQL's CPU per order between two readings of postgresCpuByKind, as a log line's list. */
export function cpuByKindLine(
  before: Record<string, number>,
  after: Record<string, number>,
  orders: number,
): string {
  return Object.entries(after)
    .map(([kind, s]) => `${kind} ${(((s - (before[kind] ?? 0)) * 1000) / orders).toFixed(2)} ms`)
    .join(", ");
}

/**
 * What PostgreSQL's backends spent in the statements per order, as a log line's list: executing
 * them, and planning them when pg_stat_statements tracked it (0 otherwise).
 */
export function statementTimeLine(
  statements: readonly { ms: number; planMs: number }[],
  orders: number,
): string {
  const sum = (f: (s: { ms: number; planMs: number }) => number) =>
    (statements.reduce((total, s) => total + f(s), 0) / orders).toFixed(2);
  return `executing ${sum((s) => s.ms)} ms, planning ${sum((s) => s.planMs)} ms`;
}
