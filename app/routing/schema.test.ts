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
import type { Rule } from "./rules";

const valid = {
  id: "r1",
  name: "Lab prints",
  position: 0,
  conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
  actions: [{ type: "hold_for_review" }],
};

function errorsOf<T>(result: ParseResult<T>): Record<string, string> {
  if (result.ok) throw new Error("expected errors, got a valid value");
  return fieldErrorsByPath(result.errors);
}

function ruleErrors(overrides: Record<string, unknown>): Record<string, string> {
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
    expect(ruleErrors({ name: "  " })).toEqual({ name: "Give the rule a name" });
    expect(ruleErrors({ name: undefined })).toEqual({ name: "Give it a name" });
  });

  test("no actions", () => {
    expect(ruleErrors({ actions: [] })).toEqual({ actions: "Add at least one action" });
  });

  test("an unknown condition field lists what can be checked", () => {
    const errors = ruleErrors({
      conditions: [{ field: "colour", operator: "equals", value: "x" }],
    });
    expect(errors["conditions.0.field"]).toMatch(
      /^Choose what to check: product type, vendor, SKU, /,
    );
  });

  test("an operator that does not fit the field says which ones do", () => {
    expect(
      ruleErrors({ conditions: [{ field: "order_total", operator: "contains", value: 3 }] }),
    ).toEqual({
      "conditions.0.operator":
        "For order total, choose one of: is, is not, is more than, is less than",
    });
    expect(
      ruleErrors({ conditions: [{ field: "requires_shipping", operator: "in", value: [true] }] }),
    ).toEqual({
      "conditions.0.operator": "For requires shipping, choose one of: is",
    });
  });

  test("value errors point at the value", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ field: "product_type", operator: "equals", value: "" }, "Enter a value"],
      [{ field: "product_type", operator: "equals" }, "Enter a value"],
      [
        { field: "product_type", operator: "equals", value: ["Print"] },
        'Enter one value, or choose "is one of" for several',
      ],
      [{ field: "product_type", operator: "in", value: [] }, "Add at least one value"],
      [{ field: "product_type", operator: "in", value: "Print" }, "Add at least one value"],
      [
        { field: "order_total", operator: "greater_than", value: "lots" },
        "Enter an amount, like 100 or 49.90",
      ],
      [
        { field: "order_total", operator: "greater_than", value: -1 },
        "Enter an amount of 0 or more",
      ],
      [
        { field: "destination_country", operator: "equals", value: "Germany" },
        "Use a two-letter country code, like DE or US",
      ],
      [
        { field: "destination_province", operator: "equals", value: "Bavaria" },
        "Use the province code, like BY or ON",
      ],
      [
        { field: "risk_level", operator: "equals", value: "extreme" },
        "Choose one of: none, low, medium, high",
      ],
      [
        { field: "payment_state", operator: "equals", value: "free" },
        expect.stringMatching(/^Choose one of: paid, authorized, partially paid/),
      ],
      [{ field: "gift_card", operator: "equals", value: "yes" }, "Choose yes or no"],
      [
        { field: "sku", operator: "exists", value: "yes" },
        "Choose whether it should be set or not set",
      ],
    ] as never;
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
      "conditions.0.optionName": "Enter the option name, like Paper or Size",
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
      "conditions.0.currencyCode": "Use a three-letter currency code, like EUR",
    });
  });

  test("action fields", () => {
    expect(ruleErrors({ actions: [{ type: "teleport" }] })["actions.0.type"]).toMatch(
      /^Choose an action: fulfil automatically, hold for review, hold, /,
    );
    expect(ruleErrors({ actions: [{ type: "hold", reason: "BECAUSE" }] })["actions.0.reason"]).toBe(
      "Choose one of: Awaiting payment, Awaiting return items, High risk of fraud, Incorrect address, Inventory out of stock, Post-purchase cross-sell, Other, Unknown delivery date",
    );
    expect(ruleErrors({ actions: [{ type: "hold" }] })).toEqual({
      "actions.0.reason": "Choose a hold reason",
    });
    expect(
      ruleErrors({ actions: [{ type: "hold", reason: "OTHER", releaseAfterMinutes: 0 }] }),
    ).toEqual({
      "actions.0.releaseAfterMinutes": "Release after at least 1 minute",
    });
    expect(
      ruleErrors({ actions: [{ type: "hold", reason: "OTHER", releaseAfterMinutes: 1.5 }] }),
    ).toEqual({
      "actions.0.releaseAfterMinutes": "Enter whole minutes",
    });
    expect(ruleErrors({ actions: [{ type: "move", locationId: "" }] })).toEqual({
      "actions.0.locationId": "Choose a location",
    });
    expect(ruleErrors({ actions: [{ type: "move" }] })).toEqual({
      "actions.0.locationId": "Choose a location",
    });
    expect(ruleErrors({ actions: [{ type: "add_order_tags", tags: [] }] })).toEqual({
      "actions.0.tags": "Add at least one tag",
    });
    expect(ruleErrors({ actions: [{ type: "add_order_tags", tags: ["a,b"] }] })).toEqual({
      "actions.0.tags.0": "Tags cannot contain commas",
    });
    expect(ruleErrors({ actions: [{ type: "add_staff_note", note: " " }] })).toEqual({
      "actions.0.note": "Write the note",
    });
    expect(ruleErrors({ actions: [{ type: "capture_payment", when: "tomorrow" }] })).toEqual({
      "actions.0.when": "Choose one of: now, on approval, on fulfilment, before lapse",
    });
    expect(ruleErrors({ actions: [{ type: "split", by: "colour" }] })).toEqual({
      "actions.0.by": "Choose one of: capability, vendor, stock, line condition",
    });
  });

  test("a rule routes one way and sends one way", () => {
    expect(ruleErrors({ actions: [{ type: "merge" }, { type: "split", by: "vendor" }] })).toEqual({
      "actions.1.type": "A rule routes one way: keep only one of split, merge or move",
    });
    expect(
      ruleErrors({
        actions: [{ type: "fulfil_automatically" }, { type: "submit_fulfilment_request" }],
      }),
    ).toEqual({
      "actions.1.type":
        "Choose either fulfil automatically or send the fulfilment request, not both",
    });
    expect(
      ruleErrors({ actions: [{ type: "hold_for_review" }, { type: "hold_for_review" }] }),
    ).toEqual({
      "actions.1.type": "This action is already in the rule",
    });
    expect(
      ruleErrors({ actions: [{ type: "hold_for_review" }, { type: "release_holds" }] }),
    ).toEqual({
      "actions.1.type": "A rule cannot both hold and release holds",
    });
  });

  test("splitting off matching lines needs line conditions somewhere", () => {
    const noLineConditions = {
      conditions: [{ field: "order_tag", operator: "contains", value: "x" }],
    };
    expect(
      ruleErrors({ ...noLineConditions, actions: [{ type: "split", by: "line_condition" }] }),
    ).toEqual({
      "actions.0.conditions":
        "Choose which lines to split off: add line conditions here or to the rule",
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
      "actions.0.conditions.0.field": "Only conditions about lines can choose lines to split off",
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
      "1.id": "Another rule already has this id",
    });
    expect(errorsOf(parseRules([valid, { ...valid, id: "r2", name: "" }]))).toEqual({
      "1.name": "Give the rule a name",
    });
    expect(parseRules([valid, { ...valid, id: "r2" }]).ok).toBe(true);
  });

  test("not even an object", () => {
    expect(errorsOf(parseRule("nonsense"))).toEqual({ "": "Enter the details" });
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
      conditions: "This is not valid JSON",
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
      defaultMode: "Choose one of: manual, automatic",
      autoReleaseAfterMinutes: "Release after at least 1 minute",
      notifyCustomer: "Choose yes or no",
    });
    expect(errorsOf(parseSettings({}))).toMatchObject({
      capturePolicy: "Choose when payment is captured",
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
      kind: "Choose one of: in house, partner",
      "options.Paper.0": "Option values cannot be empty",
    });
    expect(errorsOf(parseCapabilityProfiles([profile, profile]))).toEqual({
      "1.locationId": "This location already has a profile",
    });
  });
});
