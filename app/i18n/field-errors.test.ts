// The rule, settings and capability forms' field errors read in the admin's language: every key the
// parser and the form services name is in the catalogue, and a parsed error reads in English and German.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRule } from "../routing/schema";
import { resources } from "./catalogues.server";
import type { Locale } from "./locale";
import { translatorOf } from "./i18next.server";
import { renderFieldErrors } from "./words";
import { fieldErrorsByPath } from "../routing";

/** The fieldErrors keys the code names: `say("…")`, `fieldError("…")`, `required("…")`, the required fields' set. */
function namedKeys(): string[] {
  const keys = new Set<string>();
  for (const file of [
    "app/routing/schema.ts",
    "app/services/capabilities.server.ts",
    "app/services/settings.server.ts",
    "app/services/rules.server.ts",
  ]) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\b(?:say|fieldError)\(\s*"([^"]+)"/g)) keys.add(m[1]!);
    for (const m of text.matchAll(/\brequired\(\s*"([^"]+)"/g)) keys.add(`required.${m[1]}`);
    for (const m of text.matchAll(/\bwords\(\s*"fieldErrors\.([^"]+)"/g)) keys.add(m[1]!);
    const set = /const REQUIRED_FIELDS = new Set\(\[([^\]]*)\]\)/.exec(text);
    for (const m of set?.[1]?.matchAll(/"(\w+)"/g) ?? []) keys.add(`required.${m[1]}`);
    const types = /const TYPES = new Set\(\[([^\]]*)\]\)/.exec(text);
    for (const m of types?.[1]?.matchAll(/"(\w+)"/g) ?? []) keys.add(`type.${m[1]}`);
  }
  return [...keys].sort();
}

describe("the forms' field errors", () => {
  it("name only keys both catalogues have", () => {
    const keys = namedKeys();
    expect(keys.length).toBeGreaterThan(60);
    const lookup = (locale: Locale, key: string) =>
      key
        .split(".")
        .reduce<unknown>(
          (node, part) => (node as Record<string, unknown> | undefined)?.[part],
          resources[locale].translation.fieldErrors,
        );
    for (const locale of ["en", "de"] as const) {
      expect(
        keys.filter((key) => typeof lookup(locale, key) !== "string"),
        locale,
      ).toEqual([]);
    }
  });

  it("of the export's date range name only keys both catalogues have", async () => {
    const text = readFileSync("app/services/decision-export.server.ts", "utf8");
    const keys = [...new Set([...text.matchAll(/"(export\.errors\.\w+)"/g)].map((m) => m[1]!))];
    expect(keys.length).toBeGreaterThanOrEqual(5);
    for (const t of [await translatorOf("en"), await translatorOf("de")]) {
      expect(keys.filter((key) => t(key as never) === key)).toEqual([]);
    }
  });

  it("read in the admin's language beside their fields", async () => {
    const parsed = parseRule({
      id: "r1",
      name: " ",
      position: 0,
      conditions: [
        { field: "order_total", operator: "contains", value: 3 },
        { field: "destination_country", operator: "equals", value: "Germany" },
      ],
      actions: [{ type: "hold", reason: "OTHER", releaseAfterMinutes: 50000 }],
    });
    if (parsed.ok) throw new Error("expected errors");
    const errors = fieldErrorsByPath(parsed.errors);
    const [en, de] = [await translatorOf("en"), await translatorOf("de")];
    for (const t of [en, de]) {
      expect(renderFieldErrors(t, errors)).toEqual({
        name: t("fieldErrors.ruleName"),
        "conditions.0.operator": t("fieldErrors.operatorFor", {
          field: t("field.order_total"),
          operators: ["equals", "not_equals", "greater_than", "less_than"]
            .map((op) => t(`operator.${op}` as never))
            .join(", "),
        }),
        "conditions.1.value": t("fieldErrors.country"),
        "actions.0.releaseAfterMinutes": t("fieldErrors.releaseMax", { days: 30, minutes: 43200 }),
      });
    }
    expect(renderFieldErrors(de, errors).name).not.toBe(renderFieldErrors(en, errors).name);
  });
});
