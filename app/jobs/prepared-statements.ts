// pg-boss's statements as named prepared statements (docs/decisions/056). pg-boss sends its fetch,
// completion, insert and the rest as text with parameters, which node-postgres sends unnamed: the
// server parses, analyses and plans each one on every call. A connection of pg-boss's pool made
// from this class sends the same text, with the same parameters, under a name derived from it: the
// server parses it once a connection and keeps its plan (a generic one once PostgreSQL finds it as
// good as the plans made for the values: after five calls, as for the app's own statements, which
// the driver adapter prepares). pg-boss's own pool, its size and its error handling are unchanged:
// only how one statement goes over the wire is.
import { hash } from "node:crypto";
import pg from "pg";

/**
 * The most statement texts one process prepares. pg-boss's texts name a queue and a table, and
 * differ with a call's options (a fetch's batch size, shops left out), so a process sends a few
 * dozen; should some text vary without end, the texts past this many are sent unnamed, as before,
 * and no connection keeps more than this many prepared statements.
 */
export const PREPARED_TEXTS = 200;

/** Texts seen once and not yet named: a text is named on its second call, so one-offs never are. */
const SEEN_AT_MOST = 1000;

/** A statement PostgreSQL plans (a query or a data change), not a command (BEGIN, DDL, LISTEN). */
const PLANNED = /^\s*(?:SELECT|WITH|INSERT|UPDATE|DELETE)\b/i;

/**
 * A row looked for in a list passed as a parameter (`id = ANY($2::uuid[])`): a generic plan does
 * not know the list's length. pg-boss's completion, prepared, went through the index of the
 * queue's active jobs and read every one of them to find the one it completes (16 rows for 1 in a
 * backlog) where the plan made for the list goes by the primary key. Such statements (completion,
 * failure, heartbeat) are sent unnamed and planned for their values, as before.
 */
const LIST_PARAMETER = /=\s*ANY\s*\(\s*\$\d/i;

/**
 * Names statements by their text (a process's, kept for its life), or null when a statement is
 * sent unnamed as before:
 * - one without parameters unless it is a single planned statement (no `;` anywhere, so never
 *   pg-boss's multi-command texts: its migrations, its `BEGIN; … COMMIT` under an advisory lock;
 *   starting with SELECT, WITH, INSERT, UPDATE or DELETE, so no command that is not planned).
 *   node-postgres sends such text as a simple query, which may hold several commands; a named one
 *   goes by the extended protocol, which refuses more than one. pg-boss's fetch has no parameters
 *   unless it leaves shops out (its queue and batch size are in its text);
 * - a statement looking rows up in a list parameter (LIST_PARAMETER);
 * - a text on its first call (one-offs are not kept), and texts past `limit`.
 */
export function statementNames(limit = PREPARED_TEXTS) {
  const names = new Map<string, string>();
  const seen = new Set<string>();
  return (text: string, values: unknown): string | null => {
    const name = names.get(text);
    if (name !== undefined) return name;
    if (values !== undefined && !Array.isArray(values)) return null;
    if (LIST_PARAMETER.test(text)) return null;
    if (!(values as unknown[] | undefined)?.length && (text.includes(";") || !PLANNED.test(text)))
      return null;
    if (names.size >= limit) return null;
    if (!seen.has(text)) {
      if (seen.size >= SEEN_AT_MOST) seen.clear();
      seen.add(text);
      return null;
    }
    seen.delete(text);
    // A name PostgreSQL keeps whole (at most 63 bytes), the same on every connection.
    const named = `fr_${hash("sha256", text, "hex").slice(0, 32)}`;
    names.set(text, named);
    return named;
  };
}

/** The name each statement of this process's pg-boss connections is prepared under (or null). */
export const preparedName = statementNames();

/** The part of node-postgres's client this class changes: one query call, however it is given. */
const Client = pg.Client as unknown as new (config?: unknown) => {
  query(config: unknown, values?: unknown, callback?: unknown): unknown;
};

/**
 * A node-postgres client whose text-and-parameters calls go as named prepared statements
 * (preparedName). Given to pg-boss's pool as its `Client` (node-postgres's Pool option): every
 * connection of the pool is one, and pg-boss's own code (its pool, transactions, cancellation,
 * errors) is as it was. A statement that fails fails as before, and the pool closes its connection
 * (its prepared statements go with it).
 */
export class PreparingClient extends Client {
  override query(config: unknown, values?: unknown, callback?: unknown): unknown {
    if (typeof config !== "string") return super.query(config, values, callback);
    // query(text, callback): the callback in the values' place.
    if (typeof values === "function") [values, callback] = [undefined, values];
    const name = preparedName(config, values);
    if (name === null) return super.query(config, values, callback);
    return super.query({ name, text: config, values }, undefined, callback);
  }
}
