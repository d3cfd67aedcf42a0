import { describe, expect, test } from "vitest";
import {
  capabilityProfileFromStored,
  fieldErrorsByPath,
  parseCapabilityProfile,
  parseCapabilityProfiles,
  parseRule,
  parseRules,
  parseSettings,
  ruleFromStored,
  ruleToStored,
  type FieldError,
  type ParseResult,
} from "./schema";
import { PAYMENT_STATES, type Rule } from "./rules";
import { words, type Words } from "./words";

/** Words of the catalogue's fieldErrors section, as the parser says them. */
const fe = (key: string, params?: Words["params"]) => words(`fieldErrors.${key}`, params);

const valid = {
  id: "r1",
  name: "Lab prints",
  position: 0,
  conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
  actions: [{ type: "hold_for_review" }],
};

function errorsOf<T>(result: ParseResult<T>): Record<string, Words> {
  if (result.ok) throw new Error("expected errors, got a valid value");
  return fieldErrorsByPath(result.errors);
}

function ruleErrors(overrides: Record<string, unknown>): Record<string, Words> {
  return errorsOf(parseRule({ ...valid, ...overrides }));
}

describe("a valid rule", () => {
  test("parses, with defaults filled in", () => {
    const result = parseRule(valid);
    expect(result).toEqual({
      ok: true,
      value: {
        id: "r1",
        name: "Lab prints",
        enabled: true,
        position: 0,
        match: "all",
        lines: "any",
        keepChecking: false,
        conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
        actions: [{ type: "hold_for_review" }],
      },
    });
  });

  test("values are tidied: trimmed text, upper-case country codes, numbers from text, exists defaulting to 'is set'", () => {
    const result = parseRule({
      ...valid,
      conditions: [
        { field: "vendor", operator: "in", value: [" WHCC ", "WHCC", "Pixpa"] },
        { field: "destination_country", operator: "equals", value: "de" },
        { field: "order_total", operator: "greater_than", value: "99.5", currencyCode: "eur" },
        { field: "risk_level", operator: "greater_than", value: "low" },
        { field: "payment_state", operator: "equals", value: "Authorized" },
        { field: "sku", operator: "exists" },
      ],
    });
    expect(result.ok && result.value.conditions).toEqual([
      { field: "vendor", operator: "in", value: ["WHCC", "Pixpa"] },
      { field: "destination_country", operator: "equals", value: "DE" },
      { field: "order_total", operator: "greater_than", value: 99.5, currencyCode: "EUR" },
      { field: "risk_level", operator: "greater_than", value: "LOW" },
      { field: "payment_state", operator: "equals", value: "authorized" },
      { field: "sku", operator: "exists", value: true },
    ]);
  });

  test("every action kind parses", () => {
    const actions = [
      { type: "fulfil_automatically", notifyCustomer: false },
      {
        type: "hold",
        reason: "HIGH_RISK_OF_FRAUD",
        note: "Check the address",
        releaseAfterMinutes: 60,
      },
      {
        type: "split",
        by: "line_condition",
        conditions: [{ field: "vendor", operator: "equals", value: "WHCC" }],
      },
      { type: "capture_payment", when: "on_approval" },
      { type: "add_order_tags", tags: ["lab"] },
      { type: "add_staff_note", note: "Check crop" },
      { type: "archive_order" },
    ];
    const result = parseRule({ ...valid, actions });
    expect(result.ok).toBe(true);
    expect(result.ok && result.value.actions.at(-1)).toEqual({
      type: "archive_order",
      when: "fulfilled",
    });
    for (const other of [
      [
        { type: "hold_for_review", note: "crop" },
        { type: "submit_fulfilment_request", message: "Rush" },
        { type: "merge" },
      ],
      [{ type: "release_holds" }, { type: "move", locationId: "gid://shopify/Location/2" }],
      [{ type: "split", by: "capability" }],
      [{ type: "split", by: "vendor" }],
      [{ type: "split", by: "stock" }],
    ]) {
      expect(parseRule({ ...valid, actions: other }).ok).toBe(true);
    }
  });

  test("a split that does not split by condition drops stray conditions", () => {
    const result = parseRule({
      ...valid,
      actions: [{ type: "split", by: "vendor", conditions: [] }],
    });
    expect(result.ok && result.value.actions).toEqual([{ type: "split", by: "vendor" }]);
  });

  test("release holds defaults to this app's holds", () => {
    const result = parseRule({ ...valid, actions: [{ type: "release_holds" }] });
    expect(result.ok && result.value.actions).toEqual([
      { type: "release_holds", placedBy: "this_app" },
    ]);
  });
});

describe("field errors a screen shows beside the field", () => {
  test("missing name", () => {
    expect(ruleErrors({ name: "  " })).toEqual({ name: fe("ruleName") });
    expect(ruleErrors({ name: undefined })).toEqual({ name: fe("required.name") });
  });

  test("no actions", () => {
    expect(ruleErrors({ actions: [] })).toEqual({ actions: fe("required.actions") });
  });

  test("an unknown condition field lists what can be checked", () => {
    const errors = ruleErrors({
      conditions: [{ field: "colour", operator: "equals", value: "x" }],
    });
    // The screen offers the fields in its select: the message says what to choose.
    expect(errors["conditions.0.field"]).toEqual(fe("required.field"));
  });

  test("an operator that does not fit the field says which ones do", () => {
    expect(
      ruleErrors({ conditions: [{ field: "order_total", operator: "contains", value: 3 }] }),
    ).toEqual({
      "conditions.0.operator": fe("operatorFor", {
        field: words("field.order_total"),
        operators: ["equals", "not_equals", "greater_than", "less_than"].map((op) =>
          words(`operator.${op}`),
        ),
      }),
    });
    expect(
      ruleErrors({ conditions: [{ field: "requires_shipping", operator: "in", value: [true] }] }),
    ).toEqual({
      "conditions.0.operator": fe("operatorFor", {
        field: words("field.requires_shipping"),
        operators: [words("operator.equals")],
      }),
    });
  });

  test("value errors point at the value", () => {
    const cases: [Record<string, unknown>, Words][] = [
      [{ field: "product_type", operator: "equals", value: "" }, fe("required.value")],
      [{ field: "product_type", operator: "equals" }, fe("required.value")],
      [
        { field: "product_type", operator: "equals", value: ["Print"] },
        fe("oneValue", { several: words("operator.in") }),
      ],
      [{ field: "product_type", operator: "in", value: [] }, fe("atLeastOneValue")],
      [{ field: "product_type", operator: "in", value: "Print" }, fe("atLeastOneValue")],
      [{ field: "order_total", operator: "greater_than", value: "lots" }, fe("amount")],
      [{ field: "order_total", operator: "greater_than", value: -1 }, fe("amountNotNegative")],
      [{ field: "destination_country", operator: "equals", value: "Germany" }, fe("country")],
      [{ field: "destination_province", operator: "equals", value: "Bavaria" }, fe("province")],
      [
        { field: "risk_level", operator: "equals", value: "extreme" },
        fe("chooseOneOf", {
          options: ["NONE", "LOW", "MEDIUM", "HIGH"].map((level) => words(`risk.${level}`)),
        }),
      ],
      [
        { field: "payment_state", operator: "equals", value: "free" },
        fe("chooseOneOf", {
          options: PAYMENT_STATES.map((state) => words(`shopifyStatus.${state.toUpperCase()}`)),
        }),
      ],
      [{ field: "gift_card", operator: "equals", value: "yes" }, fe("type.boolean")],
      [{ field: "sku", operator: "exists", value: "yes" }, fe("setOrNotSet")],
    ];
    for (const [condition, message] of cases) {
      expect(ruleErrors({ conditions: [condition] })).toEqual({ "conditions.0.value": message });
    }
  });

  test("a variant option needs its name", () => {
    expect(
      ruleErrors({
        conditions: [{ field: "variant_option", operator: "equals", value: "Lustre" }],
      }),
    ).toEqual({
      "conditions.0.optionName": fe("required.optionName"),
    });
  });

  test("an order total's currency must be a currency code", () => {
    expect(
      ruleErrors({
        conditions: [
          { field: "order_total", operator: "less_than", value: 5, currencyCode: "euro" },
        ],
      }),
    ).toEqual({
      "conditions.0.currencyCode": fe("currencyCode"),
    });
  });

  test("action fields", () => {
    expect(ruleErrors({ actions: [{ type: "teleport" }] })["actions.0.type"]).toEqual(
      fe("required.type"),
    );
    expect(
      ruleErrors({ actions: [{ type: "hold", reason: "BECAUSE" }] })["actions.0.reason"],
    ).toEqual(fe("required.reason"));
    expect(ruleErrors({ actions: [{ type: "hold" }] })).toEqual({
      "actions.0.reason": fe("required.reason"),
    });
    expect(
      ruleErrors({ actions: [{ type: "hold", reason: "OTHER", releaseAfterMinutes: 0 }] }),
    ).toEqual({
      "actions.0.releaseAfterMinutes": fe("releaseMin"),
    });
    expect(
      ruleErrors({ actions: [{ type: "hold", reason: "OTHER", releaseAfterMinutes: 1.5 }] }),
    ).toEqual({
      "actions.0.releaseAfterMinutes": fe("wholeMinutes"),
    });
    expect(ruleErrors({ actions: [{ type: "move", locationId: "" }] })).toEqual({
      "actions.0.locationId": fe("required.locationId"),
    });
    expect(ruleErrors({ actions: [{ type: "move" }] })).toEqual({
      "actions.0.locationId": fe("required.locationId"),
    });
    expect(ruleErrors({ actions: [{ type: "add_order_tags", tags: [] }] })).toEqual({
      "actions.0.tags": fe("required.tags"),
    });
    expect(ruleErrors({ actions: [{ type: "add_order_tags", tags: ["a,b"] }] })).toEqual({
      "actions.0.tags.0": fe("tagComma"),
    });
    expect(ruleErrors({ actions: [{ type: "add_staff_note", note: " " }] })).toEqual({
      "actions.0.note": fe("required.note"),
    });
    expect(ruleErrors({ actions: [{ type: "capture_payment", when: "tomorrow" }] })).toEqual({
      "actions.0.when": fe("required.when"),
    });
    expect(ruleErrors({ actions: [{ type: "split", by: "colour" }] })).toEqual({
      "actions.0.by": fe("required.by"),
    });
  });

  test("a rule routes one way and sends one way", () => {
    expect(ruleErrors({ actions: [{ type: "merge" }, { type: "split", by: "vendor" }] })).toEqual({
      "actions.1.type": fe("oneRouting"),
    });
    expect(
      ruleErrors({
        actions: [{ type: "fulfil_automatically" }, { type: "submit_fulfilment_request" }],
      }),
    ).toEqual({
      "actions.1.type": fe("oneDisposition"),
    });
    expect(
      ruleErrors({ actions: [{ type: "hold_for_review" }, { type: "hold_for_review" }] }),
    ).toEqual({
      "actions.1.type": fe("actionTwice"),
    });
    expect(
      ruleErrors({ actions: [{ type: "hold_for_review" }, { type: "release_holds" }] }),
    ).toEqual({
      "actions.1.type": fe("holdAndRelease"),
    });
  });

  test("splitting off matching lines needs line conditions somewhere", () => {
    const noLineConditions = {
      conditions: [{ field: "order_tag", operator: "contains", value: "x" }],
    };
    expect(
      ruleErrors({ ...noLineConditions, actions: [{ type: "split", by: "line_condition" }] }),
    ).toEqual({
      "actions.0.conditions": fe("chooseLinesToSplit"),
    });
    expect(parseRule({ ...valid, actions: [{ type: "split", by: "line_condition" }] }).ok).toBe(
      true,
    );
    expect(
      ruleErrors({
        actions: [
          {
            type: "split",
            by: "line_condition",
            conditions: [{ field: "order_tag", operator: "contains", value: "x" }],
          },
        ],
      }),
    ).toEqual({
      "actions.0.conditions.0.field": fe("lineConditionsOnly"),
    });
  });

  test("several errors at once, one per field", () => {
    const result = parseRule({
      id: "r",
      name: "",
      position: -1,
      actions: [{ type: "move" }],
      conditions: [{ field: "sku", operator: "zz" }],
    });
    expect(result.ok).toBe(false);
    const errors = (result as { errors: FieldError[] }).errors.map((e) => e.path).sort();
    expect(errors).toEqual(["actions.0.locationId", "conditions.0.operator", "name", "position"]);
  });

  test("a rule set needs unique ids", () => {
    expect(errorsOf(parseRules([valid, { ...valid, position: 1 }]))).toEqual({
      "1.id": fe("duplicateRuleId"),
    });
    expect(errorsOf(parseRules([valid, { ...valid, id: "r2", name: "" }]))).toEqual({
      "1.name": fe("ruleName"),
    });
    expect(parseRules([valid, { ...valid, id: "r2" }]).ok).toBe(true);
  });

  test("not even an object", () => {
    expect(errorsOf(parseRule("nonsense"))).toEqual({ "": fe("type.object") });
  });
});

describe("stored rules", () => {
  test("round-trip through the database's JSON columns", () => {
    const parsed = parseRule({ ...valid, match: "any", lines: "every", keepChecking: true });
    if (!parsed.ok) throw new Error("fixture");
    const again = ruleFromStored(ruleToStored(parsed.value));
    expect(again).toEqual({ ok: true, value: parsed.value });
  });

  test("the same stored text is parsed once; an edited rule is parsed afresh", () => {
    const parsed = parseRule(valid);
    if (!parsed.ok) throw new Error("fixture");
    const row = ruleToStored(parsed.value);
    const first = ruleFromStored({ ...row });
    expect(ruleFromStored({ ...row })).toBe(first);
    const renamed = ruleFromStored({ ...row, name: "Renamed" });
    expect(renamed).not.toBe(first);
    expect(renamed.ok && renamed.value.name).toBe("Renamed");
  });

  test("the column shape the database started with ({match, conditions}) still reads", () => {
    const result = ruleFromStored({
      id: "r9",
      name: "Old",
      position: 2,
      enabled: false,
      conditions: JSON.stringify({ match: "any", conditions: valid.conditions }),
      actions: JSON.stringify(valid.actions),
    });
    expect(result.ok && (result.value satisfies Rule)).toMatchObject({
      id: "r9",
      match: "any",
      lines: "any",
      enabled: false,
    });
  });

  test("broken JSON is a field error, not a crash", () => {
    expect(
      errorsOf(
        ruleFromStored({
          id: "r",
          name: "n",
          position: 0,
          enabled: true,
          conditions: "{",
          actions: "[]",
        }),
      ),
    ).toEqual({
      conditions: fe("notJson"),
    });
  });
});

describe("settings", () => {
  const settings = {
    defaultMode: "automatic",
    capturePolicy: "on_approval",
    notifyCustomer: false,
    autoReleaseAfterMinutes: 30,
    digitalDownloads: "review",
  };

  test("valid settings parse", () => {
    expect(parseSettings(settings)).toEqual({ ok: true, value: settings });
    expect(parseSettings({ ...settings, autoReleaseAfterMinutes: undefined })).toEqual({
      ok: true,
      value: { ...settings, autoReleaseAfterMinutes: null },
    });
  });

  test("field errors", () => {
    expect(
      errorsOf(
        parseSettings({
          ...settings,
          defaultMode: "sometimes",
          autoReleaseAfterMinutes: -5,
          notifyCustomer: "yes",
        }),
      ),
    ).toEqual({
      defaultMode: fe("required.defaultMode"),
      autoReleaseAfterMinutes: fe("releaseMin"),
      notifyCustomer: fe("type.boolean"),
    });
    expect(errorsOf(parseSettings({}))).toMatchObject({
      capturePolicy: fe("required.capturePolicy"),
    });
  });
});

describe("capability profiles", () => {
  const profile = {
    locationId: "gid://shopify/Location/1",
    name: "Studio",
    kind: "in_house",
    productTypes: ["Print"],
    options: { Paper: ["Lustre"] },
  };

  test("valid profiles parse, stored ones too", () => {
    expect(parseCapabilityProfile(profile)).toEqual({ ok: true, value: profile });
    expect(
      capabilityProfileFromStored({
        ...profile,
        productTypes: JSON.stringify(profile.productTypes),
        options: JSON.stringify(profile.options),
      }),
    ).toEqual({ ok: true, value: profile });
  });

  test("field errors", () => {
    expect(
      errorsOf(parseCapabilityProfile({ ...profile, kind: "friend", options: { Paper: [""] } })),
    ).toEqual({
      kind: fe("required.kind"),
      "options.Paper.0": fe("optionValueEmpty"),
    });
    expect(errorsOf(parseCapabilityProfiles([profile, profile]))).toEqual({
      "1.locationId": fe("locationHasProfile"),
    });
  });
});
