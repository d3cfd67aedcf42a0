// The rules service on a real SQLite file: field errors by path, nothing saved when invalid,
// priority order, moves, duplicates, deletes and one shop never touching another's rules.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Locale } from "~/i18n/locale";
import { translatorOf } from "~/i18n/i18next.server";
import { renderFieldErrors, renderWords } from "~/i18n/words";
import type { Db } from "~/db/client.server";
import { ruleFromStored } from "~/routing";
import {
  emptyAction,
  emptyCondition,
  emptyRuleDraft,
  ruleToDraft,
  type RuleDraft,
} from "~/routing/rule-draft";
import { createTestDatabase } from "../../tests/setup/db";
import {
  deleteRule,
  duplicateRule,
  getRule,
  listRules,
  moveRule,
  reorderRules,
  saveRule,
  setRuleEnabled,
} from "./rules.server";

const SHOP = "prints.myshopify.com";
const OTHER = "other.myshopify.com";
// The copy's name as the rules screen says it in English (the route passes its translator's).
const copyOf = (name: string) => `Copy of ${name}`;

let db: Db;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await cleanup();
});

function labPrintsDraft(name = "Lab prints after review"): RuleDraft {
  return {
    ...emptyRuleDraft(),
    name,
    conditions: [{ ...emptyCondition("product_type"), operator: "equals", value: "Lab Print" }],
    actions: [
      { ...emptyAction("hold_for_review"), note: "Check the crop" },
      emptyAction("submit_fulfilment_request"),
    ],
  };
}

async function saved(draft: RuleDraft, shop = SHOP): Promise<string> {
  const result = await saveRule(db, shop, null, draft);
  if (!result.ok) throw new Error(`not saved: ${JSON.stringify(result)}`);
  return result.rule.id;
}

describe("saving a rule from the editor", () => {
  it("stores a valid rule the engine reads back as the same rule", async () => {
    // WHEN the merchant saves a new rule
    const result = await saveRule(db, SHOP, null, labPrintsDraft());

    // THEN it is stored for the shop, at the end of the list, and parses to what was entered
    expect(result).toMatchObject({ ok: true, created: true });
    const row = await db.rule.findFirstOrThrow({ where: { shop: SHOP } });
    const parsed = ruleFromStored(row);
    expect(parsed.ok && parsed.value).toMatchObject({
      name: "Lab prints after review",
      position: 0,
      enabled: true,
      conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
      actions: [
        { type: "hold_for_review", note: "Check the crop" },
        { type: "submit_fulfilment_request", notifyCustomer: true },
      ],
    });
  });

  it("answers an invalid field with its path and message, and writes nothing", async () => {
    // GIVEN a rule whose variant option has no option name and whose order total is not a number
    const draft: RuleDraft = {
      ...labPrintsDraft(),
      conditions: [
        { ...emptyCondition("variant_option"), operator: "equals", value: "Metallic" },
        { ...emptyCondition("order_total"), operator: "greater_than", value: "lots" },
      ],
      actions: [{ ...emptyAction("hold"), releaseAfterMinutes: "0" }],
    };

    // WHEN it is saved
    const result = await saveRule(db, SHOP, null, draft);

    // THEN each problem is keyed by the field it belongs to, in the admin's language
    expect(result.ok).toBe(false);
    const [en, de] = [await translatorOf("en"), await translatorOf("de")];
    const errors = "errors" in result ? renderFieldErrors(en, result.errors) : {};
    expect(errors).toEqual({
      "conditions.0.optionName": en("fieldErrors.required.optionName"),
      "conditions.1.value": en("fieldErrors.amount"),
      "actions.0.releaseAfterMinutes": en("fieldErrors.releaseMin"),
    });
    const german = "errors" in result ? renderFieldErrors(de, result.errors) : {};
    expect(german["conditions.0.optionName"]).toBe(de("fieldErrors.required.optionName"));
    expect(german["conditions.0.optionName"]).not.toBe(errors["conditions.0.optionName"]);
    // AND nothing was saved
    expect(await db.rule.count()).toBe(0);
  });

  it("asks for a name and at least one action", async () => {
    const result = await saveRule(db, SHOP, null, { ...emptyRuleDraft(), actions: [] });
    const en = await translatorOf("en");
    expect(
      result.ok === false && "errors" in result && renderFieldErrors(en, result.errors),
    ).toEqual({ name: en("fieldErrors.ruleName"), actions: en("fieldErrors.required.actions") });
  });

  it("reports a tag error on the tags field and a choice left empty as missing", async () => {
    const result = await saveRule(db, SHOP, null, {
      ...labPrintsDraft(),
      conditions: [{ ...emptyCondition(""), operator: "equals", value: "x" }],
      actions: [{ ...emptyAction("add_order_tags"), tags: "" }, emptyAction("")],
    });
    const en = await translatorOf("en");
    const errors = "errors" in result ? renderFieldErrors(en, result.errors) : {};
    expect(errors["conditions.0.field"]).toBe(en("fieldErrors.required.field"));
    expect(errors["actions.0.tags"]).toBe(en("fieldErrors.required.tags"));
    expect(errors["actions.1.type"]).toBe(en("fieldErrors.required.type"));
  });

  it("edits a rule in place, keeping its position, and round-trips through the draft", async () => {
    const first = await saved(labPrintsDraft("First"));
    const second = await saved(labPrintsDraft("Second"));
    const loaded = await getRule(db, SHOP, second);
    if (!loaded?.ok) throw new Error("not loaded");
    const draft = ruleToDraft(loaded.rule);
    expect(draft.conditions[0]).toMatchObject({
      field: "product_type",
      operator: "equals",
      value: "Lab Print",
    });

    const result = await saveRule(db, SHOP, second, {
      ...draft,
      name: "Second, renamed",
      match: "any",
    });
    expect(result).toMatchObject({ ok: true, created: false });
    const rules = await listRules(db, SHOP);
    expect(rules.map((r) => [r.id, r.name, r.position])).toEqual([
      [first, "First", 0],
      [second, "Second, renamed", 1],
    ]);
    expect(rules[1]?.match).toBe("any");
  });

  it("keeps lists as lists: 'is one of' values and tags split on commas", async () => {
    const id = await saved({
      ...labPrintsDraft(),
      conditions: [
        { ...emptyCondition("destination_country"), operator: "in", value: "de, at ,CH" },
      ],
      actions: [{ ...emptyAction("add_order_tags"), tags: "lab, reviewed" }],
    });
    const loaded = await getRule(db, SHOP, id);
    expect(loaded?.ok && loaded.rule.conditions[0]).toMatchObject({ value: ["DE", "AT", "CH"] });
    expect(loaded?.ok && loaded.rule.actions[0]).toEqual({
      type: "add_order_tags",
      tags: ["lab", "reviewed"],
    });
  });

  it("never edits another shop's rule", async () => {
    const theirs = await saved(labPrintsDraft("Theirs"), OTHER);
    expect(await saveRule(db, SHOP, theirs, labPrintsDraft("Mine now"))).toEqual({
      ok: false,
      notFound: true,
    });
    expect(await getRule(db, SHOP, theirs)).toBeNull();
    expect(await setRuleEnabled(db, SHOP, theirs, false)).toBe(false);
    expect(await deleteRule(db, SHOP, theirs)).toBe(false);
    expect(await duplicateRule(db, SHOP, theirs, copyOf)).toBeNull();
    expect((await db.rule.findUniqueOrThrow({ where: { id: theirs } })).name).toBe("Theirs");
  });
});

describe("the rule list", () => {
  it("describes each rule in the admin's language, in priority order", async () => {
    await saved(labPrintsDraft("A"));
    await saved({
      ...labPrintsDraft("B"),
      conditions: [
        { ...emptyCondition("product_tag"), operator: "in", value: "metallic, matte" },
        { ...emptyCondition("requires_shipping"), operator: "equals", value: "false" },
        { ...emptyCondition("risk_level"), operator: "greater_than", value: "LOW" },
      ],
      actions: [
        { ...emptyAction("hold"), reason: "HIGH_RISK_OF_FRAUD" },
        { ...emptyAction("move"), locationId: "gid://shopify/Location/7" },
      ],
    });
    const rules = await listRules(db, SHOP, (id) => (id.endsWith("/7") ? "Lab" : undefined));
    expect(rules[0]).toMatchObject({ name: "A", problems: null });
    const said = async (lng: Locale) => {
      const t = await translatorOf(lng);
      return rules.map((rule) => [
        rule.conditions.map((c) => renderWords(t, c)),
        rule.actions.map((a) => renderWords(t, a)),
      ]);
    };
    expect(await said("en")).toEqual([
      [
        ["Product type is “Lab Print”"],
        ["Hold for review", "Send to the fulfillment service (lab, partner, 3PL)"],
      ],
      [
        [
          "Product tags include any of “metallic”, “matte”",
          "Requires shipping: No",
          "Risk level is higher than Low",
        ],
        ["Hold with a reason (High risk of fraud)", "Move to another location (“Lab”)"],
      ],
    ]);
    expect(await said("de")).toEqual([
      [
        ["Produkttyp ist „Lab Print“"],
        ["Zur Prüfung zurückhalten", "An den Fulfillment-Service senden (Labor, Partner, 3PL)"],
      ],
      [
        [
          "Produkt-Tags enthalten eines von „metallic“, „matte“",
          "Versand erforderlich: Nein",
          "Risikostufe ist höher als Niedrig",
        ],
        [
          "Mit Grund zurückhalten (Hohes Betrugsrisiko)",
          "An einen anderen Standort verschieben („Lab“)",
        ],
      ],
    ]);
  });

  it("shows a stored rule that no longer parses, with what is wrong", async () => {
    await db.rule.create({
      data: { shop: SHOP, name: "Broken", position: 0, conditions: "{", actions: "[]" },
    });
    const [rule] = await listRules(db, SHOP);
    for (const lng of ["en", "de"] as const) {
      const t = await translatorOf(lng);
      expect(rule?.problems?.map((problem) => renderWords(t, problem))).toEqual([
        t("fieldErrors.atPath", { path: "conditions", message: t("fieldErrors.notJson") }),
      ]);
    }
  });

  it("moves rules up and down, and leaves the ends alone", async () => {
    const a = await saved(labPrintsDraft("A"));
    const b = await saved(labPrintsDraft("B"));
    const c = await saved(labPrintsDraft("C"));
    await moveRule(db, SHOP, c, "up");
    expect((await listRules(db, SHOP)).map((r) => r.name)).toEqual(["A", "C", "B"]);
    await moveRule(db, SHOP, a, "down");
    expect((await listRules(db, SHOP)).map((r) => r.name)).toEqual(["C", "A", "B"]);
    expect(await moveRule(db, SHOP, c, "up")).toBe(true);
    expect((await listRules(db, SHOP)).map((r) => [r.name, r.position])).toEqual([
      ["C", 0],
      ["A", 1],
      ["B", 2],
    ]);
    expect(await moveRule(db, SHOP, "missing", "up")).toBe(false);
    expect(b).toBeTruthy();
  });

  it("moves a rule even when older data left two rules at the same position", async () => {
    const a = await saved(labPrintsDraft("A"));
    const b = await saved(labPrintsDraft("B"));
    await db.rule.updateMany({ where: { shop: SHOP }, data: { position: 5 } });
    const before = (await listRules(db, SHOP)).map((r) => r.id);
    await moveRule(db, SHOP, before[1]!, "up");
    expect((await listRules(db, SHOP)).map((r) => r.id)).toEqual([before[1], before[0]]);
    expect([a, b].sort()).toEqual([...before].sort());
  });

  it("reorders by a full list, and refuses a list that does not name every rule once", async () => {
    const a = await saved(labPrintsDraft("A"));
    const b = await saved(labPrintsDraft("B"));
    const c = await saved(labPrintsDraft("C"));
    expect(await reorderRules(db, SHOP, [c, a, b])).toBe(true);
    expect((await listRules(db, SHOP)).map((r) => r.name)).toEqual(["C", "A", "B"]);
    expect(await reorderRules(db, SHOP, [a, b])).toBe(false);
    expect(await reorderRules(db, SHOP, [a, a, b])).toBe(false);
    expect((await listRules(db, SHOP)).map((r) => r.name)).toEqual(["C", "A", "B"]);
  });

  it("switches a rule off and on", async () => {
    const a = await saved(labPrintsDraft("A"));
    await setRuleEnabled(db, SHOP, a, false);
    expect((await listRules(db, SHOP))[0]?.enabled).toBe(false);
    await setRuleEnabled(db, SHOP, a, true);
    expect((await listRules(db, SHOP))[0]?.enabled).toBe(true);
  });

  it("duplicates a rule right below the original, switched off", async () => {
    await saved(labPrintsDraft("A"));
    const b = await saved(labPrintsDraft("B"));
    await saved(labPrintsDraft("C"));
    const copy = await duplicateRule(db, SHOP, b, copyOf);
    expect(copy?.name).toBe("Copy of B");
    const rules = await listRules(db, SHOP);
    expect(rules.map((r) => [r.name, r.position, r.enabled])).toEqual([
      ["A", 0, true],
      ["B", 1, true],
      ["Copy of B", 2, false],
      ["C", 3, true],
    ]);
    expect(rules[2]?.actions).toEqual(rules[1]?.actions);
  });

  it("deletes a rule and closes the gap", async () => {
    await saved(labPrintsDraft("A"));
    const b = await saved(labPrintsDraft("B"));
    await saved(labPrintsDraft("C"));
    expect(await deleteRule(db, SHOP, b)).toBe(true);
    expect((await listRules(db, SHOP)).map((r) => [r.name, r.position])).toEqual([
      ["A", 0],
      ["C", 1],
    ]);
  });
});
