// The merchant's rules as the Rules screens see them: the list in priority order, and saving,
// reordering, switching on and off, duplicating and deleting, each scoped to one shop.
import { randomUUID } from "node:crypto";
import {
  actionWords,
  compareRules,
  conditionWords,
  fieldErrorsByPath,
  parseRule,
  ruleFromStored,
  ruleToStored,
  type Rule,
} from "../routing";
import type { Db } from "../db/client.server";
import { words, type Words } from "../routing/words";
import { draftToRuleInput, type RuleDraft } from "../routing/rule-draft";

export interface RuleSummary {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  /** The rule as Words for the screen's language: "When product type is “Print” → Hold for review". */
  conditions: Words[];
  actions: Words[];
  match: "all" | "any";
  /** Set when the stored rule no longer parses: the engine skips it until it is fixed. */
  problems: Words[] | null;
}

type RuleRow = Awaited<ReturnType<Db["rule"]["findMany"]>>[number];

/** Location names for describing conditions and moves; ids when the name is not known. */
export type LocationNames = (locationId: string) => string | undefined;

function summarise(row: RuleRow, locationName: LocationNames): RuleSummary {
  const parsed = ruleFromStored(row);
  if (!parsed.ok) {
    return {
      id: row.id,
      name: row.name,
      enabled: row.enabled,
      position: row.position,
      conditions: [],
      actions: [],
      match: "all",
      problems: parsed.errors.map((e) =>
        e.path ? words("fieldErrors.atPath", { path: e.path, message: e.message }) : e.message,
      ),
    };
  }
  const rule = parsed.value;
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    position: rule.position,
    conditions: rule.conditions.map((c) => conditionWords(c, locationName)),
    actions: rule.actions.map((a) => actionWords(a, locationName)),
    match: rule.match,
    problems: null,
  };
}

async function orderedRows(db: Db, shop: string): Promise<RuleRow[]> {
  const rows = await db.rule.findMany({ where: { shop } });
  // The engine's own order (position, then id), so the list shows exactly the order rules run in.
  return rows.sort(compareRules);
}

export async function listRules(
  db: Db,
  shop: string,
  locationName: LocationNames = () => undefined,
): Promise<RuleSummary[]> {
  return (await orderedRows(db, shop)).map((row) => summarise(row, locationName));
}

export type LoadedRule =
  | { ok: true; rule: Rule }
  /** Stored but no longer valid (e.g. written by an older version): the editor shows what is wrong. */
  | { ok: false; id: string; name: string; enabled: boolean; errors: Record<string, Words> };

export async function getRule(db: Db, shop: string, id: string): Promise<LoadedRule | null> {
  const row = await db.rule.findFirst({ where: { id, shop } });
  if (!row) return null;
  const parsed = ruleFromStored(row);
  if (parsed.ok) return { ok: true, rule: parsed.value };
  return {
    ok: false,
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    errors: fieldErrorsByPath(parsed.errors),
  };
}

export type SaveRuleResult =
  | { ok: true; rule: Rule; created: boolean }
  | { ok: false; errors: Record<string, Words> }
  | { ok: false; notFound: true };

/** Parses a draft against where the rule is (or will be) in the list; nothing is written. */
export async function validateRuleDraft(
  db: Db,
  shop: string,
  id: string | null,
  draft: unknown,
): Promise<
  | { ok: true; rule: Rule }
  | { ok: false; errors: Record<string, Words> }
  | { ok: false; notFound: true }
> {
  const existing = id ? await db.rule.findFirst({ where: { id, shop } }) : null;
  if (id && !existing) return { ok: false, notFound: true };
  const position = existing ? existing.position : await nextPosition(db, shop);
  const parsed = parseRule(
    draftToRuleInput(asDraft(draft), { id: existing?.id ?? "new", position }),
  );
  if (!parsed.ok) return { ok: false, errors: fieldErrorsByPath(parsed.errors) };
  return { ok: true, rule: parsed.value };
}

/**
 * Creates (id null) or replaces a rule from the editor's draft. An invalid draft writes nothing
 * and answers each problem by the path of the field it belongs to.
 */
export async function saveRule(
  db: Db,
  shop: string,
  id: string | null,
  draft: unknown,
): Promise<SaveRuleResult> {
  const validated = await validateRuleDraft(db, shop, id, draft);
  if (!validated.ok) return validated;
  const { id: _placeholder, ...stored } = ruleToStored(validated.rule);
  if (id) {
    // updateMany with the shop in the filter: an id from another shop changes nothing.
    const { count } = await db.rule.updateMany({ where: { id, shop }, data: stored });
    if (count === 0) return { ok: false, notFound: true };
    return { ok: true, rule: validated.rule, created: false };
  }
  const newId = `rule_${randomUUID()}`;
  await db.rule.create({ data: { ...stored, id: newId, shop } });
  return { ok: true, rule: { ...validated.rule, id: newId }, created: true };
}

async function nextPosition(db: Db, shop: string): Promise<number> {
  const last = await db.rule.aggregate({ where: { shop }, _max: { position: true } });
  return (last._max.position ?? -1) + 1;
}

/** A draft from the wire is whatever the browser sent; the parser judges every field of it. */
function asDraft(input: unknown): RuleDraft {
  const record = (input && typeof input === "object" ? input : {}) as Partial<RuleDraft>;
  return {
    name: typeof record.name === "string" ? record.name : "",
    enabled: record.enabled !== false,
    match: record.match === "any" ? "any" : "all",
    lines: record.lines === "every" ? "every" : "any",
    keepChecking: record.keepChecking === true,
    conditions: Array.isArray(record.conditions) ? record.conditions.map(asConditionDraft) : [],
    actions: Array.isArray(record.actions) ? record.actions.map(asActionDraft) : [],
  };
}

function text(value: unknown): string {
  return typeof value === "string"
    ? value
    : value === undefined || value === null
      ? ""
      : String(value);
}

function asConditionDraft(input: unknown): RuleDraft["conditions"][number] {
  const record = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  return {
    field: text(record.field) as RuleDraft["conditions"][number]["field"],
    operator: text(record.operator),
    value: text(record.value),
    optionName: text(record.optionName),
    currencyCode: text(record.currencyCode),
  };
}

function asActionDraft(input: unknown): RuleDraft["actions"][number] {
  const record = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  return {
    type: text(record.type) as RuleDraft["actions"][number]["type"],
    notifyCustomer: record.notifyCustomer !== false,
    note: text(record.note),
    reason: text(record.reason),
    releaseAfterMinutes: text(record.releaseAfterMinutes),
    placedBy: record.placedBy === "anyone" ? "anyone" : "this_app",
    by: text(record.by),
    match: record.match === "any" ? "any" : "all",
    conditions: Array.isArray(record.conditions) ? record.conditions.map(asConditionDraft) : [],
    locationId: text(record.locationId),
    message: text(record.message),
    when: text(record.when),
    tags: text(record.tags),
  };
}

/** Writes positions 0..n-1 in the given order, in one transaction. */
async function writeOrder(db: Db, shop: string, ids: string[]): Promise<void> {
  await db.$transaction(
    ids.map((id, position) => db.rule.updateMany({ where: { id, shop }, data: { position } })),
  );
}

/**
 * Moves a rule one place up (earlier, higher priority) or down. Positions are renumbered
 * 0..n-1 as it goes, so ties left by older data cannot make a move do nothing.
 */
export async function moveRule(
  db: Db,
  shop: string,
  id: string,
  direction: "up" | "down",
): Promise<boolean> {
  const ids = (await orderedRows(db, shop)).map((row) => row.id);
  const from = ids.indexOf(id);
  if (from < 0) return false;
  const to = direction === "up" ? from - 1 : from + 1;
  if (to < 0 || to >= ids.length) return true;
  [ids[from], ids[to]] = [ids[to]!, ids[from]!];
  await writeOrder(db, shop, ids);
  return true;
}

/**
 * Puts the rules in the given order (drag and drop). The list must name exactly the shop's
 * rules: a list made from a stale page would otherwise drop or reorder rules nobody saw.
 */
export async function reorderRules(db: Db, shop: string, ids: string[]): Promise<boolean> {
  const current = (await orderedRows(db, shop)).map((row) => row.id);
  if (
    ids.length !== current.length ||
    new Set(ids).size !== ids.length ||
    !ids.every((id) => current.includes(id))
  ) {
    return false;
  }
  await writeOrder(db, shop, ids);
  return true;
}

export async function setRuleEnabled(
  db: Db,
  shop: string,
  id: string,
  enabled: boolean,
): Promise<boolean> {
  const { count } = await db.rule.updateMany({ where: { id, shop }, data: { enabled } });
  return count > 0;
}

/**
 * A copy right below the original, switched off: with first-match-wins an enabled copy would
 * either do nothing or change routing before the merchant has edited it.
 */
export async function duplicateRule(
  db: Db,
  shop: string,
  id: string,
  /** The copy's name in the merchant's language ("Copy of …"): a name is stored as it is said. */
  nameOfCopy: (original: string) => string,
): Promise<{ id: string; name: string } | null> {
  const rows = await orderedRows(db, shop);
  const index = rows.findIndex((row) => row.id === id);
  const original = rows[index];
  if (!original) return null;
  const name = nameOfCopy(original.name).slice(0, 100);
  const copyId = `rule_${randomUUID()}`;
  const ids = rows.map((row) => row.id);
  ids.splice(index + 1, 0, copyId);
  await db.$transaction([
    db.rule.create({
      data: {
        id: copyId,
        shop,
        name,
        position: index + 1,
        enabled: false,
        conditions: original.conditions,
        actions: original.actions,
      },
    }),
    ...ids.map((ruleId, position) =>
      db.rule.updateMany({ where: { id: ruleId, shop }, data: { position } }),
    ),
  ]);
  return { id: copyId, name };
}

export async function deleteRule(db: Db, shop: string, id: string): Promise<boolean> {
  const { count } = await db.rule.deleteMany({ where: { id, shop } });
  if (count === 0) return false;
  await writeOrder(
    db,
    shop,
    (await orderedRows(db, shop)).map((row) => row.id),
  );
  return true;
}
