// The catalogue is whole in every language, and the lint check refuses literal text on screens.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { resources } from "../../app/i18n/catalogues.server";
import { LOCALES } from "../../app/i18n/locale";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

const english = flatten(resources.en.translation as Tree);

// Words that are the same in German as in English (names, codes, loanwords Shopify's German admin uses).
const SAME_IN_GERMAN = new Set(["Fulfilment Router", "SKU", "Status", "Tags", "Tag", "CSV", "PDF"]);

describe("the catalogue", () => {
  for (const locale of LOCALES) {
    const catalogue = flatten(resources[locale].translation as Tree);
    it(`${locale} has exactly English's keys, none empty, with the same placeholders`, () => {
      const base = (key: string) => key.replace(/_(one|other)$/, "");
      expect([...new Set([...catalogue.keys()].map(base))].sort()).toEqual(
        [...new Set([...english.keys()].map(base))].sort(),
      );
      for (const [key, value] of catalogue) {
        expect(value.trim(), key).not.toBe("");
        const english_ = english.get(key) ?? english.get(`${base(key)}_other`) ?? "";
        expect(placeholders(value), key).toEqual(placeholders(english_));
      }
    });
  }

  it("German says in German what English says (so a leak of English is visible)", () => {
    const german = flatten(resources.de.translation as Tree);
    const untranslated = [...german].filter(
      ([key, value]) =>
        value === english.get(key) &&
        !SAME_IN_GERMAN.has(value) &&
        // A placeholder, formatted or not ("{{amount, money}}"), is not words.
        /[a-z]{2}/i.test(value.replace(/\{\{\w+(, *\w+)?\}\}/g, "")),
    );
    expect(untranslated).toEqual([]);
  });

  it("German says du to the merchant, as Shopify admin and Polaris's own German do, never Sie", () => {
    const german = flatten(resources.de.translation as Tree);
    const formal =
      /\b(Ihr|Ihre|Ihrem|Ihren|Ihrer|Ihres)\b|\b\p{L}+en Sie\b|\b(sobald|wenn|bis|dass|ob) Sie\b|\bSie (können|müssen|haben|sind)\b/u;
    expect([...german].filter(([, value]) => formal.test(value))).toEqual([]);
  });

  it("uses Shopify admin's US English and style: fulfill, canceling, email (the product name aside)", () => {
    const british = [...english].filter(([, value]) =>
      /fulfil(?!l)|fulfilment|cancelled|cancelling|e-mail/i.test(
        value.replace("Fulfilment Router", ""),
      ),
    );
    expect(british).toEqual([]);
  });
});

describe("the check for literal text on screens", () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const literalRules = new Set(["i18next/no-literal-string", "no-restricted-syntax"]);
  const problems = async (code: string, filePath: string) =>
    (await eslint.lintText(code, { filePath }))[0]!.messages.filter((m) =>
      literalRules.has(m.ruleId ?? ""),
    );

  it("fails on literal text in JSX, in Polaris's text props, in label objects and in toasts", async () => {
    const code = [
      'import { Button, TextField } from "@shopify/polaris";',
      'export const SORTS = [{ label: "Order date", value: "created asc" }];',
      "export function A({ s }: { s: { toast: { show(m: string): void } } }) {",
      '  s.toast.show("Saved");',
      "  return (",
      "    <>",
      "      <Button>Fulfill items</Button>",
      '      <TextField label="Note" helpText={`Up to ${5} lines`} autoComplete="off" />',
      "    </>",
      "  );",
      "}",
    ].join("\n");
    const found = await problems(code, "app/components/queue/Example.tsx");
    expect(found.map((m) => m.line).sort()).toEqual([2, 4, 7, 8, 8]);
  }, 60_000);

  it("fails on text handed to a helper, to a component's own prop or kept in an object", async () => {
    const code = [
      'import { Button } from "@shopify/polaris";',
      "function button(action: string, label: string) {",
      "  return <Button onClick={() => action}>{label}</Button>;",
      "}",
      "function Card(p: { doneLabel: string }) {",
      "  return <p>{p.doneLabel}</p>;",
      "}",
      "export function A({ where }: { where: string }) {",
      "  const names = { approve: `Approve the fulfillment order at ${where}` };",
      "  return (",
      "    <>",
      '      {button("approve", "Approve")}',
      '      <Card doneLabel="Rule saved" />',
      "      {names.approve}",
      '      <Button variant="primary" url="/app/queue" />',
      "    </>",
      "  );",
      "}",
    ].join("\n");
    const found = await problems(code, "app/components/order/Example.tsx");
    expect([...new Set(found.map((m) => m.line))].sort((a, b) => a - b)).toEqual([9, 12, 13]);
  }, 60_000);

  it("passes text from the catalogue", async () => {
    const code = [
      'import { Button, TextField } from "@shopify/polaris";',
      'import { useTranslation } from "react-i18next";',
      "export function A() {",
      "  const { t } = useTranslation();",
      "  return (",
      "    <>",
      '      <Button url="/app/queue">{t("home.now.openQueue")}</Button>',
      '      <TextField label={t("nav.home")} autoComplete="off" />',
      "    </>",
      "  );",
      "}",
    ].join("\n");
    expect(await problems(code, "app/routes/app.example.tsx")).toEqual([]);
  });

  it("finds no literal text in any screen or component", async () => {
    const files = [
      ...readdirSync("app/routes")
        .filter((f) => /^app\..*\.tsx$|^app\.tsx$/.test(f))
        .map((f) => join("app/routes", f)),
      // The public front door anyone without the admin sees.
      "app/routes/_index/route.tsx",
      ...readdirSync("app/components", { recursive: true, encoding: "utf8" })
        .filter((f) => /\.tsx?$/.test(f) && !/\.test\./.test(f))
        .map((f) => join("app/components", f)),
    ];
    const results = await eslint.lintFiles(files);
    const found = results.flatMap((r) =>
      r.messages
        .filter((m) => literalRules.has(m.ruleId ?? ""))
        .map((m) => `${r.filePath.slice(process.cwd().length + 1)}:${m.line} ${m.message}`),
    );
    expect(found).toEqual([]);
  }, 180_000);
});
