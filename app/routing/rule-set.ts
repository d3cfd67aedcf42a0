// A shop's rules loaded once per version: parsed, sorted and frozen a single time, reused for every order until a rule changes (ADR 016).
import { compareRules, type Rule } from "./rules";
import { ruleFromStored, type FieldError, type StoredRule } from "./schema";

/** A stored rule row as the database returns it, with the time of its last change. */
export interface VersionedStoredRule extends StoredRule {
  /** Changes with every write of the row (Prisma's `@updatedAt`): the rule's version. */
  updatedAt: Date;
}

export interface InvalidRule {
  id: string;
  name: string;
  /** What is wrong, by field, as Words for whoever shows it. */
  errors: readonly FieldError[];
}

export interface LoadedRuleSet {
  /** Valid rules in priority order. Frozen: the engine compiles a frozen rule set once. */
  rules: readonly Rule[];
  /** Stored rules that no longer parse: skipped, and shown to the merchant. */
  invalid: readonly InvalidRule[];
}

interface Entry {
  ids: string[];
  versions: number[];
  set: LoadedRuleSet;
}

// One entry per scope (a shop). A shop's rule set is the same object for every order until one of
// its rows changes, is added or is removed, so the engine's per-rule-set work is done once.
const KEPT_SCOPES = 2000;
const loaded = new Map<string, Entry>();

function sameVersion(entry: Entry, rows: readonly VersionedStoredRule[]): boolean {
  if (entry.ids.length !== rows.length) return false;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.id !== entry.ids[i] || row.updatedAt.getTime() !== entry.versions[i]) return false;
  }
  return true;
}

/**
 * The rule set stored `rows` make, for `scope` (the shop). The version is each row's id and
 * `updatedAt`: the same rows as last time give the same (frozen) rule set without reading their
 * text; any change, addition or removal builds it again. Read the rows in one order (by position,
 * then id) so an unchanged set is recognised.
 */
export function ruleSetFromStored(
  scope: string,
  rows: readonly VersionedStoredRule[],
): LoadedRuleSet {
  const cached = loaded.get(scope);
  if (cached && sameVersion(cached, rows)) return cached.set;
  const rules: Rule[] = [];
  const invalid: InvalidRule[] = [];
  for (const row of rows) {
    const parsed = ruleFromStored(row);
    if (parsed.ok) rules.push(parsed.value);
    else invalid.push({ id: row.id, name: row.name, errors: parsed.errors });
  }
  rules.sort(compareRules);
  const set: LoadedRuleSet = { rules: Object.freeze(rules), invalid: Object.freeze(invalid) };
  if (cached) loaded.delete(scope);
  else if (loaded.size >= KEPT_SCOPES) loaded.delete(loaded.keys().next().value!);
  loaded.set(scope, {
    ids: rows.map((row) => row.id),
    versions: rows.map((row) => row.updatedAt.getTime()),
    set,
  });
  return set;
}
