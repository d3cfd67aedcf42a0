// The rule editor's form state and its translation to and from the routing domain's rule shape.
// Shared by the editor (browser) and the rules service (server), so both read a draft the same way.
import {
  LINE_CONDITION_FIELDS,
  type Action,
  type ActionType,
  type Condition,
  type ConditionField,
  type Rule,
} from "./rules";

/**
 * One condition as the merchant types it. `value` is text: one value, several separated by commas
 * for "is one of", or "true"/"false" for yes/no questions and "is set / is not set".
 */
export interface ConditionDraft {
  field: ConditionField | "";
  operator: string;
  value: string;
  optionName: string;
  currencyCode: string;
}

/** One action as the merchant fills it in; only the fields its type uses are read. */
export interface ActionDraft {
  type: ActionType | "";
  notifyCustomer: boolean;
  note: string;
  reason: string;
  releaseAfterMinutes: string;
  placedBy: "this_app" | "anyone";
  by: string;
  match: "all" | "any";
  conditions: ConditionDraft[];
  locationId: string;
  message: string;
  /** Capture ("now", "on_approval", "on_fulfilment") or archive ("fulfilled", "delivered"). */
  when: string;
  /** Comma-separated. */
  tags: string;
}

export interface RuleDraft {
  name: string;
  enabled: boolean;
  match: "all" | "any";
  lines: "any" | "every";
  keepChecking: boolean;
  conditions: ConditionDraft[];
  actions: ActionDraft[];
}

/** How many recent orders a dry-run checks unless the merchant says otherwise, and at most. */
export const DEFAULT_DRY_RUN_ORDERS = 20;
export const MAX_DRY_RUN_ORDERS = 100;

/** Fields whose value is a yes/no question rather than text. */
export const YES_NO_FIELDS: readonly ConditionField[] = ["requires_shipping", "gift_card"];

export function isLineField(field: string): boolean {
  return (LINE_CONDITION_FIELDS as readonly string[]).includes(field);
}

export function emptyCondition(field: ConditionField | "" = ""): ConditionDraft {
  return { field, operator: "", value: "", optionName: "", currencyCode: "" };
}

/** A new action with the choices a merchant most often wants already made. */
export function emptyAction(type: ActionType | "" = ""): ActionDraft {
  return {
    type,
    notifyCustomer: true,
    note: "",
    reason: type === "hold" ? "OTHER" : "",
    releaseAfterMinutes: "",
    placedBy: "this_app",
    by: type === "split" ? "capability" : "",
    match: "all",
    conditions: [],
    locationId: "",
    message: "",
    when:
      type === "capture_payment" ? "on_fulfilment" : type === "archive_order" ? "fulfilled" : "",
    tags: "",
  };
}

export function emptyRuleDraft(): RuleDraft {
  return {
    name: "",
    enabled: true,
    match: "all",
    lines: "any",
    keepChecking: false,
    conditions: [],
    actions: [emptyAction("hold_for_review")],
  };
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function yesNo(text: string): boolean | undefined {
  if (text === "true") return true;
  if (text === "false") return false;
  return undefined;
}

/** A condition in the shape `parseRule` reads; what is missing is left out so it is reported as missing. */
export function conditionInput(draft: ConditionDraft): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (draft.field) input.field = draft.field;
  if (draft.operator) input.operator = draft.operator;
  if (draft.operator === "exists") {
    input.value = yesNo(draft.value);
  } else if (draft.field && YES_NO_FIELDS.includes(draft.field)) {
    input.value = yesNo(draft.value);
  } else if (draft.operator === "in" || draft.operator === "not_in") {
    input.value = splitList(draft.value);
  } else {
    input.value = draft.value;
  }
  if (draft.field === "variant_option") input.optionName = draft.optionName;
  if (draft.field === "order_total" && draft.currencyCode.trim() !== "")
    input.currencyCode = draft.currencyCode;
  return input;
}

/** Minutes as typed: empty is "not set"; anything else is passed on for the parser to judge. */
function minutes(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function optionalText(text: string): string | undefined {
  return text.trim() === "" ? undefined : text;
}

export function actionInput(draft: ActionDraft): Record<string, unknown> {
  switch (draft.type) {
    case "":
      return {};
    case "fulfil_automatically":
      return { type: draft.type, notifyCustomer: draft.notifyCustomer };
    case "hold_for_review":
      return { type: draft.type, note: optionalText(draft.note) };
    case "hold":
      return {
        type: draft.type,
        reason: draft.reason || undefined,
        note: optionalText(draft.note),
        releaseAfterMinutes: minutes(draft.releaseAfterMinutes),
      };
    case "release_holds":
      return { type: draft.type, placedBy: draft.placedBy };
    case "split":
      if (draft.by !== "line_condition") return { type: draft.type, by: draft.by || undefined };
      return {
        type: draft.type,
        by: draft.by,
        match: draft.match,
        conditions: draft.conditions.map(conditionInput),
      };
    case "merge":
      return { type: draft.type };
    case "move":
      return { type: draft.type, locationId: draft.locationId };
    case "submit_fulfilment_request":
      return {
        type: draft.type,
        message: optionalText(draft.message),
        notifyCustomer: draft.notifyCustomer,
      };
    case "capture_payment":
      return { type: draft.type, when: draft.when || undefined };
    case "add_order_tags":
      return { type: draft.type, tags: splitList(draft.tags) };
    case "add_staff_note":
      return { type: draft.type, note: draft.note };
    case "archive_order":
      return { type: draft.type, when: draft.when || undefined };
  }
}

/**
 * The draft as `parseRule` input. Lists keep the draft's order and length, so an error at
 * "conditions.2.value" belongs to the third condition row on screen.
 */
export function draftToRuleInput(
  draft: RuleDraft,
  place: { id: string; position: number },
): Record<string, unknown> {
  return {
    id: place.id,
    position: place.position,
    name: draft.name,
    enabled: draft.enabled,
    match: draft.match,
    lines: draft.lines,
    keepChecking: draft.keepChecking,
    conditions: draft.conditions.map(conditionInput),
    actions: draft.actions.map(actionInput),
  };
}

function valueText(condition: Condition): string {
  const value: unknown = condition.value;
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

export function conditionToDraft(condition: Condition): ConditionDraft {
  return {
    field: condition.field,
    operator: condition.operator,
    value: valueText(condition),
    optionName: condition.field === "variant_option" ? condition.optionName : "",
    currencyCode: condition.field === "order_total" ? (condition.currencyCode ?? "") : "",
  };
}

export function actionToDraft(action: Action): ActionDraft {
  const draft = emptyAction(action.type);
  switch (action.type) {
    case "fulfil_automatically":
      return { ...draft, notifyCustomer: action.notifyCustomer ?? true };
    case "hold_for_review":
      return { ...draft, note: action.note ?? "" };
    case "hold":
      return {
        ...draft,
        reason: action.reason,
        note: action.note ?? "",
        releaseAfterMinutes:
          action.releaseAfterMinutes === undefined ? "" : String(action.releaseAfterMinutes),
      };
    case "release_holds":
      return { ...draft, placedBy: action.placedBy };
    case "split":
      return action.by === "line_condition"
        ? {
            ...draft,
            by: action.by,
            match: action.match ?? "all",
            conditions: (action.conditions ?? []).map(conditionToDraft),
          }
        : { ...draft, by: action.by };
    case "merge":
      return draft;
    case "move":
      return { ...draft, locationId: action.locationId };
    case "submit_fulfilment_request":
      return {
        ...draft,
        message: action.message ?? "",
        notifyCustomer: action.notifyCustomer ?? true,
      };
    case "capture_payment":
      return { ...draft, when: action.when };
    case "add_order_tags":
      return { ...draft, tags: action.tags.join(", ") };
    case "add_staff_note":
      return { ...draft, note: action.note };
    case "archive_order":
      return { ...draft, when: action.when };
  }
}

export function ruleToDraft(rule: Rule): RuleDraft {
  return {
    name: rule.name,
    enabled: rule.enabled,
    match: rule.match,
    lines: rule.lines,
    keepChecking: rule.keepChecking,
    conditions: rule.conditions.map(conditionToDraft),
    actions: rule.actions.map(actionToDraft),
  };
}

/**
 * The message for one field. With `nested`, a message about a part of the field counts too: a
 * tag list shows "actions.1.tags.0"'s message beside the one tags box.
 */
export function errorAt(
  errors: Record<string, string>,
  path: string,
  nested = false,
): string | undefined {
  if (errors[path]) return errors[path];
  if (!nested) return undefined;
  const key = Object.keys(errors).find((candidate) => candidate.startsWith(`${path}.`));
  return key ? errors[key] : undefined;
}
