// The screen's own words for a browser test: a sentence of the English catalogue with its
// placeholders filled (or left open as a pattern), so a test checks what the merchant reads without
// a copy of it; another language's, or an admin extension's own catalogue, where a test needs it.
import { readFileSync } from "node:fs";

type Catalogue = { [key: string]: string | Catalogue };
type Values = Record<string, string | number>;

const read = new Map<string, Catalogue>();

/** The sentence at a dotted key of a catalogue file, its {{placeholders}} as written. */
function sentence(file: string, key: string): string {
  let catalogue = read.get(file);
  if (!catalogue) {
    catalogue = JSON.parse(readFileSync(file, "utf8")) as Catalogue;
    read.set(file, catalogue);
  }
  const text = key
    .split(".")
    .reduce<string | Catalogue | undefined>(
      (c, k) => (c && typeof c === "object" ? c[k] : undefined),
      catalogue,
    );
  if (typeof text !== "string") throw new Error(`${file} has no ${key}`);
  return text;
}

const appCatalogue = (lang: string) => `app/i18n/locales/${lang}.json`;

/**
 * A catalogue's sentences by key, placeholders filled: the app's in `lang` (English by default),
 * or with `extension` that admin extension's own (`extensions/<name>/locales/`, English in
 * en.default.json), which its bundle carries instead of the app's.
 */
export function words({ lang = "en", extension }: { lang?: string; extension?: string } = {}) {
  const file = extension
    ? `extensions/${extension}/locales/${lang === "en" ? "en.default" : lang}.json`
    : appCatalogue(lang);
  return (key: string, values: Values = {}): string =>
    sentence(file, key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
}

export const english = words();

/** Text as a regular expression's source matching it literally. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A sentence of the catalogue as a regular expression's source: a placeholder given a RegExp
 * matches what that does, one given text or a number matches it literally, and the rest of the
 * sentence matches itself. Anchoring, or choosing among sentences, is the caller's.
 */
export function englishPattern(key: string, values: Record<string, RegExp | string | number> = {}) {
  // Split by a group: even places are the sentence's own text, odd places its placeholders' names.
  return sentence(appCatalogue("en"), key)
    .split(/\{\{(\w+)\}\}/)
    .map((part, i) => {
      if (i % 2 === 0) return escape(part);
      const value = values[part];
      if (value === undefined) throw new Error(`englishPattern(${key}) has no value for ${part}`);
      return value instanceof RegExp ? `(?:${value.source})` : escape(String(value));
    })
    .join("");
}
