// Validates rule, settings and capability-profile JSON, answering with errors a screen can show beside each field.
import { z } from "zod";
import type { CapabilityProfile } from "./capability";
import {
  CONDITION_FIELDS,
  LINE_CONDITION_FIELDS,
  PAYMENT_STATES,
  ROUTING_ACTIONS,
  DISPOSITION_ACTIONS,
  type Action,
  type Condition,
  type ConditionField,
  type LineCondition,
  type Rule,
  type RoutingSettings,
} from "./rules";
import { FULFILLMENT_HOLD_REASONS, RISK_LEVELS } from "./snapshot";
import { EXTRA_CHARGE_STATES } from "./extra-charge";
import { operatorWord } from "./vocabulary";
import { words, type Words } from "./words";

/**
 * One problem with one field: `path` is dotted ("conditions.0.value"), "" for the whole value;
 * the message is Words of the catalogue's "fieldErrors" section, put into the admin's language
 * by whoever answers the form.
 */
export interface FieldError {
  path: string;
  message: Words;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

// ---------------------------------------------------------------------------------------------
// Merchant-readable messages: Words of the catalogue's "fieldErrors" section. A zod issue carries
// only text, so the Words travel in it as JSON and are read back out by toResult.

function fieldError(key: string, params?: Words["params"]): Words {
  return words(`fieldErrors.${key}`, params);
}

/** A zod issue message that is Words (the services' own form schemas say theirs with it too). */
function say(key: string, params?: Words["params"]): string {
  return JSON.stringify(fieldError(key, params));
}

/** What zod's issue message held: our Words, or (an issue never worded) "not valid". */
function readMessage(message: string): Words {
  if (message.startsWith("{")) {
    try {
      const value = JSON.parse(message) as Partial<Words>;
      if (typeof value.key === "string") return value as Words;
    } catch {
      // Not ours: zod's own English.
    }
  }
  return fieldError("invalid");
}

/** For the services' own form schemas: a field error of the catalogue as zod's issue message. */
export const fieldErrorMessage = say;
/** A zod issue's message as Words, whoever's schema raised it. */
export const fieldErrorWords = readMessage;

/** Fields that ask for something particular when missing ("fieldErrors.required.<name>"). */
const REQUIRED_FIELDS = new Set([
  "id",
  "name",
  "position",
  "field",
  "operator",
  "value",
  "optionName",
  "type",
  "reason",
  "locationId",
  "when",
  "by",
  "tags",
  "note",
  "conditions",
  "actions",
  "kind",
  "defaultMode",
  "capturePolicy",
  "notifyCustomer",
  "digitalDownloads",
]);

const required = (name: string): string =>
  say(REQUIRED_FIELDS.has(name) ? `required.${name}` : "required.any");

const TYPES = new Set(["string", "number", "integer", "boolean", "array", "object"]);

const errorMap: z.ZodErrorMap = (issue) => {
  const last = issue.path[issue.path.length - 1];
  const name = typeof last === "string" ? last : "";
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === "undefined" || issue.received === "null") {
        return { message: required(name) };
      }
      return { message: say(TYPES.has(issue.expected) ? `type.${issue.expected}` : "invalid") };
    case z.ZodIssueCode.invalid_enum_value:
    case z.ZodIssueCode.invalid_union_discriminator:
      // The screen offers the choices beside the field: the message says what to choose.
      return { message: say(REQUIRED_FIELDS.has(name) ? `required.${name}` : "chooseOne") };
    case z.ZodIssueCode.too_small:
      if (issue.type === "string")
        return { message: say(REQUIRED_FIELDS.has(name) ? `required.${name}` : "required.value") };
      if (issue.type === "array")
        return {
          message: REQUIRED_FIELDS.has(name)
            ? say(`required.${name}`)
            : say("atLeastItems", { min: Number(issue.minimum) }),
        };
      return { message: say("atLeast", { min: Number(issue.minimum) }) };
    case z.ZodIssueCode.too_big:
      if (issue.type === "string")
        return { message: say("maxLength", { max: Number(issue.maximum) }) };
      if (issue.type === "array")
        return { message: say("atMostItems", { max: Number(issue.maximum) }) };
      return { message: say("atMost", { max: Number(issue.maximum) }) };
    default:
      return { message: say("invalid") };
  }
};

function toResult<T>(parsed: z.SafeParseReturnType<unknown, T>): ParseResult<T> {
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of parsed.error.issues) {
    const path = issue.path.join(".");
    // One message per field: the first is the one worth fixing first.
    if (seen.has(path)) continue;
    seen.add(path);
    errors.push({ path, message: readMessage(issue.message) });
  }
  return { ok: false, errors };
}

/** Errors keyed by path, the shape a form shows beside its fields. */
export function fieldErrorsByPath(errors: readonly FieldError[]): Record<string, Words> {
  return Object.fromEntries(errors.map((error) => [error.path, error.message]));
}

// ---------------------------------------------------------------------------------------------
// Conditions: one schema for all fields, checked against a table of what each field allows, so
// a wrong operator or value is reported on exactly that field.

type ValueKind =
  | "text"
  | "id"
  | "country"
  | "province"
  | "risk"
  | "payment"
  | "extraCharge"
  | "number"
  | "boolean";

const TEXT_OPERATORS = [
  "equals",
  "not_equals",
  "in",
  "not_in",
  "contains",
  "not_contains",
  "starts_with",
  "exists",
] as const;
const TAG_OPERATORS = ["contains", "not_contains", "in", "not_in", "exists"] as const;
const CHOICE_OPERATORS = ["equals", "not_equals", "in", "not_in"] as const;
const CHOICE_OR_PRESENCE = [...CHOICE_OPERATORS, "exists"] as const;
const NUMBER_OPERATORS = ["equals", "not_equals", "greater_than", "less_than"] as const;

const FIELD_SPECS: Record<ConditionField, { operators: readonly string[]; kind: ValueKind }> = {
  product_type: { operators: TEXT_OPERATORS, kind: "text" },
  vendor: { operators: TEXT_OPERATORS, kind: "text" },
  sku: { operators: TEXT_OPERATORS, kind: "text" },
  product_tag: { operators: TAG_OPERATORS, kind: "text" },
  variant_option: { operators: CHOICE_OR_PRESENCE, kind: "text" },
  requires_shipping: { operators: ["equals"], kind: "boolean" },
  gift_card: { operators: ["equals"], kind: "boolean" },
  order_tag: { operators: TAG_OPERATORS, kind: "text" },
  customer_tag: { operators: TAG_OPERATORS, kind: "text" },
  order_total: { operators: NUMBER_OPERATORS, kind: "number" },
  destination_country: { operators: CHOICE_OR_PRESENCE, kind: "country" },
  destination_province: { operators: CHOICE_OR_PRESENCE, kind: "province" },
  shipping_method: { operators: TEXT_OPERATORS, kind: "text" },
  risk_level: { operators: [...CHOICE_OPERATORS, "greater_than", "less_than"], kind: "risk" },
  payment_state: { operators: CHOICE_OPERATORS, kind: "payment" },
  sales_channel: { operators: TEXT_OPERATORS, kind: "text" },
  assigned_location: { operators: CHOICE_OPERATORS, kind: "id" },
  fulfilment_service: { operators: CHOICE_OR_PRESENCE, kind: "text" },
  extra_charge: { operators: CHOICE_OPERATORS, kind: "extraCharge" },
};

/** Which operators a screen should offer for a field. */
export function operatorsFor(field: ConditionField): readonly string[] {
  return FIELD_SPECS[field].operators;
}

/** An operator as the rules screen says it for `field` ("is one of", tags "include any of"). */
function operatorWords(field: ConditionField, operator: string): Words | string {
  const word = operatorWord(field, operator);
  return word ? words(`operator.${word}`) : operator;
}

const chooseOneOf = (options: Words[]): Words => fieldError("chooseOneOf", { options });

/** Reads one value of a kind, or returns a message saying what is wrong with it. */
function readItem(
  kind: ValueKind,
  raw: unknown,
): { value: string | number | boolean } | { error: Words } {
  switch (kind) {
    case "boolean":
      return typeof raw === "boolean" ? { value: raw } : { error: fieldError("type.boolean") };
    case "number": {
      const number =
        typeof raw === "number"
          ? raw
          : typeof raw === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(raw)
            ? Number(raw)
            : NaN;
      if (!Number.isFinite(number)) return { error: fieldError("amount") };
      if (number < 0) return { error: fieldError("amountNotNegative") };
      return { value: number };
    }
    default:
      break;
  }
  if (typeof raw !== "string" || raw.trim() === "") return { error: fieldError("required.value") };
  const text = raw.trim();
  if (text.length > 255) return { error: fieldError("maxLength", { max: 255 }) };
  switch (kind) {
    case "country":
      return /^[A-Za-z]{2}$/.test(text)
        ? { value: text.toUpperCase() }
        : { error: fieldError("country") };
    case "province":
      return /^[A-Za-z0-9]{1,3}$/.test(text)
        ? { value: text.toUpperCase() }
        : { error: fieldError("province") };
    case "risk": {
      const level = text.toUpperCase();
      return (RISK_LEVELS as readonly string[]).includes(level)
        ? { value: level }
        : { error: chooseOneOf(RISK_LEVELS.map((l) => words(`risk.${l}`))) };
    }
    case "payment": {
      const state = text.toLowerCase();
      return (PAYMENT_STATES as readonly string[]).includes(state)
        ? { value: state }
        : {
            error: chooseOneOf(
              PAYMENT_STATES.map((p) => words(`shopifyStatus.${p.toUpperCase()}`)),
            ),
          };
    }
    case "extraCharge": {
      const state = text.toLowerCase();
      return (EXTRA_CHARGE_STATES as readonly string[]).includes(state)
        ? { value: state }
        : { error: chooseOneOf(EXTRA_CHARGE_STATES.map((c) => words(`charge.state.${c}`))) };
    }
    default:
      return { value: text };
  }
}

const conditionInput = z.object({
  field: z.enum(CONDITION_FIELDS as [ConditionField, ...ConditionField[]]),
  operator: z.string(),
  value: z.unknown(),
  optionName: z.string().optional(),
  currencyCode: z.string().optional(),
});

const conditionSchema = conditionInput.transform((input, ctx): Condition => {
  const spec = FIELD_SPECS[input.field];
  const fail = (path: string, message: Words) => {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message: JSON.stringify(message) });
    return z.NEVER;
  };
  if (!spec.operators.includes(input.operator)) {
    return fail(
      "operator",
      fieldError("operatorFor", {
        field: words(`field.${input.field}`),
        operators: spec.operators.map((op) => operatorWords(input.field, op)),
      }),
    );
  }
  const extra: Record<string, unknown> = {};
  if (input.field === "variant_option") {
    const name = input.optionName?.trim();
    if (!name) return fail("optionName", fieldError("required.optionName"));
    extra.optionName = name;
  }
  if (
    input.field === "order_total" &&
    input.currencyCode !== undefined &&
    input.currencyCode.trim() !== ""
  ) {
    const code = input.currencyCode.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) return fail("currencyCode", fieldError("currencyCode"));
    extra.currencyCode = code;
  }
  let value: unknown;
  if (input.operator === "exists") {
    if (input.value === undefined || input.value === null) value = true;
    else if (typeof input.value === "boolean") value = input.value;
    else return fail("value", fieldError("setOrNotSet"));
  } else if (input.operator === "in" || input.operator === "not_in") {
    if (!Array.isArray(input.value) || input.value.length === 0)
      return fail("value", fieldError("atLeastOneValue"));
    const items: unknown[] = [];
    for (const raw of input.value) {
      const item = readItem(spec.kind, raw);
      if ("error" in item) return fail("value", item.error);
      if (!items.includes(item.value)) items.push(item.value);
    }
    value = items;
  } else {
    if (Array.isArray(input.value))
      return fail("value", fieldError("oneValue", { several: operatorWords(input.field, "in") }));
    const item = readItem(spec.kind, input.value);
    if ("error" in item) return fail("value", item.error);
    value = item.value;
  }
  return { field: input.field, operator: input.operator, value, ...extra } as Condition;
});

// ---------------------------------------------------------------------------------------------
// Actions.

const RELEASE_MAX_MINUTES = 60 * 24 * 30;

const tagSchema = z
  .string()
  .trim()
  .min(1, say("tagEmpty"))
  .max(40, say("tagTooLong", { max: 40 }))
  .refine((tag) => !tag.includes(","), say("tagComma"));

const actionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("fulfil_automatically"), notifyCustomer: z.boolean().optional() }),
  z.object({ type: z.literal("hold_for_review"), note: z.string().trim().max(200).optional() }),
  z.object({
    type: z.literal("hold"),
    reason: z.enum(FULFILLMENT_HOLD_REASONS),
    note: z.string().trim().max(200).optional(),
    releaseAfterMinutes: z
      .number()
      .int(say("wholeMinutes"))
      .min(1, say("releaseMin"))
      .max(RELEASE_MAX_MINUTES, say("releaseMax", { minutes: RELEASE_MAX_MINUTES, days: 30 }))
      .optional(),
  }),
  z.object({
    type: z.literal("release_holds"),
    placedBy: z.enum(["this_app", "anyone"]).default("this_app"),
  }),
  z.object({
    type: z.literal("split"),
    by: z.enum(["capability", "vendor", "stock", "line_condition"]),
    match: z.enum(["all", "any"]).optional(),
    conditions: z.array(conditionSchema).max(20).optional(),
  }),
  z.object({ type: z.literal("merge") }),
  z.object({
    type: z.literal("move"),
    locationId: z.string().trim().min(1, required("locationId")),
  }),
  z.object({
    type: z.literal("submit_fulfilment_request"),
    message: z.string().trim().max(255).optional(),
    notifyCustomer: z.boolean().optional(),
    onRejected: z
      .discriminatedUnion("then", [
        z.object({ then: z.literal("needs_attention") }),
        z.object({
          then: z.literal("move"),
          locationId: z.string().trim().min(1, say("rejectedMoveTo")),
        }),
        z.object({
          then: z.literal("fulfil"),
          locationId: z.string().trim().min(1, say("rejectedFulfillAt")),
        }),
      ])
      .optional(),
  }),
  z.object({
    type: z.literal("capture_payment"),
    when: z.enum(["now", "on_approval", "on_fulfilment", "before_lapse"]),
  }),
  z.object({
    type: z.literal("add_order_tags"),
    tags: z.array(tagSchema).min(1, required("tags")).max(20),
  }),
  z.object({
    type: z.literal("add_staff_note"),
    note: z.string().trim().min(1, required("note")).max(500),
  }),
  z.object({
    type: z.literal("archive_order"),
    when: z.enum(["fulfilled", "delivered"]).default("fulfilled"),
  }),
]);

/** Drops what does not belong to the action's kind (a split's conditions unless it splits by condition). */
function cleanAction(action: z.infer<typeof actionSchema>): Action {
  if (action.type === "split") {
    if (action.by !== "line_condition") return { type: "split", by: action.by };
    const out: Action = { type: "split", by: "line_condition" };
    if (action.match) out.match = action.match;
    if (action.conditions && action.conditions.length > 0)
      out.conditions = action.conditions as LineCondition[];
    return out;
  }
  if (action.type === "hold_for_review" || action.type === "hold") {
    const { note, ...rest } = action;
    return (note ? { ...rest, note } : rest) as Action;
  }
  if (action.type === "submit_fulfilment_request") {
    const { message, ...rest } = action;
    return message ? { ...rest, message } : rest;
  }
  return action;
}

// ---------------------------------------------------------------------------------------------
// Rules.

const ruleSchema = z
  .object({
    id: z.string().trim().min(1, required("id")),
    name: z.string().trim().min(1, say("ruleName")).max(100),
    enabled: z.boolean().default(true),
    position: z
      .number()
      .int(say("type.integer"))
      .min(0, say("atLeast", { min: 0 })),
    match: z.enum(["all", "any"]).default("all"),
    lines: z.enum(["any", "every"]).default("any"),
    keepChecking: z.boolean().default(false),
    conditions: z.array(conditionSchema).max(50).default([]),
    actions: z.array(actionSchema).min(1, required("actions")).max(20),
  })
  .superRefine((rule, ctx) => {
    const issue = (path: (string | number)[], key: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: say(key) });
    const firstIndex = new Map<string, number>();
    let routingAt: number | null = null;
    let dispositionAt: number | null = null;
    rule.actions.forEach((action, i) => {
      if ((ROUTING_ACTIONS as readonly string[]).includes(action.type)) {
        if (routingAt !== null) issue(["actions", i, "type"], "oneRouting");
        routingAt ??= i;
      } else if ((DISPOSITION_ACTIONS as readonly string[]).includes(action.type)) {
        if (dispositionAt !== null) issue(["actions", i, "type"], "oneDisposition");
        dispositionAt ??= i;
      } else if (action.type !== "add_order_tags" && action.type !== "add_staff_note") {
        if (firstIndex.has(action.type)) issue(["actions", i, "type"], "actionTwice");
      }
      if (!firstIndex.has(action.type)) firstIndex.set(action.type, i);
      if (action.type === "split" && action.by === "line_condition") {
        const own = action.conditions ?? [];
        own.forEach((condition, j) => {
          if (!(LINE_CONDITION_FIELDS as readonly string[]).includes(condition.field)) {
            issue(["actions", i, "conditions", j, "field"], "lineConditionsOnly");
          }
        });
        const ruleHasLineConditions = rule.conditions.some((c) =>
          (LINE_CONDITION_FIELDS as readonly string[]).includes(c.field),
        );
        if (own.length === 0 && !ruleHasLineConditions) {
          issue(["actions", i, "conditions"], "chooseLinesToSplit");
        }
      }
    });
    const releaseAt = firstIndex.get("release_holds");
    if (releaseAt !== undefined && (firstIndex.has("hold") || firstIndex.has("hold_for_review"))) {
      issue(["actions", releaseAt, "type"], "holdAndRelease");
    }
  })
  .transform((rule): Rule => ({
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    position: rule.position,
    match: rule.match,
    lines: rule.lines,
    keepChecking: rule.keepChecking,
    conditions: rule.conditions,
    actions: rule.actions.map(cleanAction),
  }));

export function parseRule(input: unknown): ParseResult<Rule> {
  return toResult(ruleSchema.safeParse(input, { errorMap }));
}

/** A whole rule set; besides each rule's own errors, ids must be unique ("3.id"). */
export function parseRules(input: unknown): ParseResult<Rule[]> {
  const schema = z.array(ruleSchema).superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [i, "id"],
          message: say("duplicateRuleId"),
        });
      seen.add(rule.id);
    });
  });
  return toResult(schema.safeParse(input, { errorMap }));
}

/** A rule as the database keeps it: matching in the conditions JSON, actions as a JSON list. */
export interface StoredRule {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  /** {"match", "lines", "keepChecking", "conditions"} */
  conditions: string;
  /** [{"type", ...}] */
  actions: string;
}

function parseJson(text: string, path: string): { value: unknown } | { error: FieldError } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { error: { path, message: fieldError("notJson") } };
  }
}

// Parsed rules by their stored text: the worker reads a shop's rules for every order, and parsing
// them again is most of its CPU per order. A changed rule has different text, so a stale entry is
// never hit; the oldest entries go first once the cache is full.
const PARSED_RULES_KEPT = 5000;
const parsedRules = new Map<string, ParseResult<Rule>>();

/** A stored rule in the engine's type; the same stored text gives the same (read-only) rule. */
export function ruleFromStored(row: StoredRule): ParseResult<Rule> {
  const key = `${row.id}\u0000${row.name}\u0000${row.position}\u0000${row.enabled}\u0000${row.conditions}\u0000${row.actions}`;
  const cached = parsedRules.get(key);
  if (cached) return cached;
  const parsed = parseStoredRule(row);
  if (parsedRules.size >= PARSED_RULES_KEPT) parsedRules.delete(parsedRules.keys().next().value!);
  parsedRules.set(key, parsed);
  return parsed;
}

function parseStoredRule(row: StoredRule): ParseResult<Rule> {
  const conditions = parseJson(row.conditions, "conditions");
  const actions = parseJson(row.actions, "actions");
  const errors = [conditions, actions].flatMap((r) => ("error" in r ? [r.error] : []));
  if (!("value" in conditions) || !("value" in actions)) return { ok: false, errors };
  const matching = conditions.value;
  const record =
    matching && typeof matching === "object" && !Array.isArray(matching)
      ? (matching as Record<string, unknown>)
      : null;
  return parseRule({
    id: row.id,
    name: row.name,
    position: row.position,
    enabled: row.enabled,
    match: record?.match,
    lines: record?.lines,
    keepChecking: record?.keepChecking,
    conditions: record ? record.conditions : matching,
    actions: actions.value,
  });
}

export function ruleToStored(rule: Rule): StoredRule {
  return {
    id: rule.id,
    name: rule.name,
    position: rule.position,
    enabled: rule.enabled,
    conditions: JSON.stringify({
      match: rule.match,
      lines: rule.lines,
      keepChecking: rule.keepChecking,
      conditions: rule.conditions,
    }),
    actions: JSON.stringify(rule.actions),
  };
}

// ---------------------------------------------------------------------------------------------
// Settings and capability profiles.

const settingsSchema = z.object({
  defaultMode: z.enum(["manual", "automatic"]),
  capturePolicy: z.enum(["on_paid", "on_approval", "on_fulfilment", "never"]),
  notifyCustomer: z.boolean(),
  autoReleaseAfterMinutes: z
    .number()
    .int(say("wholeMinutes"))
    .min(1, say("releaseMin"))
    .max(RELEASE_MAX_MINUTES, say("releaseMax", { minutes: RELEASE_MAX_MINUTES, days: 30 }))
    .nullable()
    .default(null),
  digitalDownloads: z.enum(["automatic", "review"]),
  authorizationWarnHours: z
    .number()
    .int(say("wholeHours"))
    .min(1, say("warnMin"))
    .max(7 * 24, say("warnMax", { hours: 7 * 24, days: 7 }))
    .optional(),
});

export function parseSettings(input: unknown): ParseResult<RoutingSettings> {
  return toResult(settingsSchema.safeParse(input, { errorMap }));
}

const profileSchema = z
  .object({
    locationId: z.string().trim().min(1, required("locationId")),
    name: z.string().trim().min(1, required("name")).max(100),
    kind: z.enum(["in_house", "partner"]),
    productTypes: z
      .array(z.string().trim().min(1, say("productTypeEmpty")))
      .max(200)
      .default([]),
    options: z
      .record(z.string(), z.array(z.string().trim().min(1, say("optionValueEmpty"))).max(500))
      .default({}),
  })
  .superRefine((profile, ctx) => {
    for (const name of Object.keys(profile.options)) {
      if (name.trim() === "") {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["options", name],
          message: say("optionNameEmpty"),
        });
      }
    }
  });

export function parseCapabilityProfile(input: unknown): ParseResult<CapabilityProfile> {
  return toResult(profileSchema.safeParse(input, { errorMap }));
}

/** All profiles of a shop; one profile per location ("2.locationId"). */
export function parseCapabilityProfiles(input: unknown): ParseResult<CapabilityProfile[]> {
  const schema = z.array(profileSchema).superRefine((profiles, ctx) => {
    const seen = new Set<string>();
    profiles.forEach((profile, i) => {
      if (seen.has(profile.locationId)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [i, "locationId"],
          message: say("locationHasProfile"),
        });
      }
      seen.add(profile.locationId);
    });
  });
  return toResult(schema.safeParse(input, { errorMap }));
}

/** A profile as the database keeps it, with productTypes and options as JSON text. */
export interface StoredCapabilityProfile {
  locationId: string;
  name: string;
  kind: string;
  productTypes: string;
  options: string;
}

export function capabilityProfileFromStored(
  row: StoredCapabilityProfile,
): ParseResult<CapabilityProfile> {
  const productTypes = parseJson(row.productTypes, "productTypes");
  const options = parseJson(row.options, "options");
  const errors = [productTypes, options].flatMap((r) => ("error" in r ? [r.error] : []));
  if (!("value" in productTypes) || !("value" in options)) return { ok: false, errors };
  return parseCapabilityProfile({
    ...row,
    productTypes: productTypes.value,
    options: options.value,
  });
}
