// The rule editor's fields changed before React started, taken into the draft: each field is named
// after its path in the draft ("conditions.0.value", "actions.1.conditions.0.field").
import type { ActionType, ConditionField } from "../../routing";
import {
  emptyAction,
  type ActionDraft,
  type ConditionDraft,
  type RuleDraft,
} from "../../routing/rule-draft";
import { withField, withOperator } from "./ConditionRow";

type Changed = Record<string, string | boolean>;

// "value[]": the boxes of a value chosen from a list ("is one of" a risk level, a location).
const CONDITION_KEYS = [
  "field",
  "operator",
  "value",
  "value[]",
  "optionName",
  "currencyCode",
] as const;
const ACTION_TEXT_KEYS = [
  "note",
  "reason",
  "releaseAfterMinutes",
  "by",
  "locationId",
  "message",
  "when",
  "tags",
] as const;
const ACTION_KEYS = ["type", "notifyCustomer", "placedBy", "match", ...ACTION_TEXT_KEYS] as const;

/** The names of every field the draft shows, the rule's own and each condition's and action's. */
export function draftFieldNames(draft: RuleDraft): string[] {
  const conditionNames = (path: string) => CONDITION_KEYS.map((key) => `${path}.${key}`);
  return [
    ...["name", "enabled", "keepChecking", "match", "lines"],
    ...draft.conditions.flatMap((_, i) => conditionNames(`conditions.${i}`)),
    ...draft.actions.flatMap((action, i) => [
      ...ACTION_KEYS.map((key) => `actions.${i}.${key}`),
      ...action.conditions.flatMap((_, j) => conditionNames(`actions.${i}.conditions.${j}`)),
    ]),
  ];
}

/**
 * The draft with the fields the merchant changed before React started. A row whose "what to
 * check" or action whose kind changed starts afresh as after that choice: the page still offered
 * the old choice's comparisons and fields, so what else was changed in it is left out.
 */
export function withEarlyInput(draft: RuleDraft, changed: Changed): RuleDraft {
  const text = (name: string) => {
    const value = changed[name];
    return typeof value === "string" ? value : undefined;
  };
  const condition = (row: ConditionDraft, path: string): ConditionDraft => {
    const field = text(`${path}.field`);
    if (field !== undefined) return withField(row, field as ConditionField | "");
    const operator = text(`${path}.operator`);
    let next = operator === undefined ? row : withOperator(row, operator);
    for (const key of ["value", "optionName", "currencyCode"] as const) {
      const value = text(`${path}.${key}`);
      if (value !== undefined) next = { ...next, [key]: value };
    }
    const chosen = text(`${path}.value[]`);
    if (chosen !== undefined) next = { ...next, value: chosen };
    return next;
  };
  const action = (card: ActionDraft, path: string): ActionDraft => {
    const type = text(`${path}.type`);
    if (type !== undefined) return emptyAction(type as ActionType | "");
    let next: ActionDraft = {
      ...card,
      conditions: card.conditions.map((row, j) => condition(row, `${path}.conditions.${j}`)),
    };
    for (const key of ACTION_TEXT_KEYS) {
      const value = text(`${path}.${key}`);
      if (value !== undefined) next = { ...next, [key]: value };
    }
    const notify = changed[`${path}.notifyCustomer`];
    if (typeof notify === "boolean") next = { ...next, notifyCustomer: notify };
    const placedBy = text(`${path}.placedBy`);
    if (placedBy !== undefined)
      next = { ...next, placedBy: placedBy === "anyone" ? "anyone" : "this_app" };
    const match = text(`${path}.match`);
    if (match !== undefined) next = { ...next, match: match === "any" ? "any" : "all" };
    return next;
  };
  const flag = (name: "enabled" | "keepChecking") => {
    const value = changed[name];
    return typeof value === "boolean" ? value : draft[name];
  };
  const match = text("match");
  const lines = text("lines");
  return {
    ...draft,
    name: text("name") ?? draft.name,
    enabled: flag("enabled"),
    keepChecking: flag("keepChecking"),
    match: match === undefined ? draft.match : match === "any" ? "any" : "all",
    lines: lines === undefined ? draft.lines : lines === "every" ? "every" : "any",
    conditions: draft.conditions.map((row, i) => condition(row, `conditions.${i}`)),
    actions: draft.actions.map((card, i) => action(card, `actions.${i}`)),
  };
}
