// The screen's own words for a browser test: a sentence of the English catalogue with its
// placeholders filled (or left open as a pattern), so a test checks what the merchant reads without
// a copy of it.
import { readFileSync } from "node:fs";

type Catalogue = { [key: string]: string | Catalogue };
const catalogue = JSON.parse(readFileSync("app/i18n/locales/en.json", "utf8")) as Catalogue;

/** The sentence at a dotted key, its {{placeholders}} as written. */
function sentence(key: string): string {
  const text = key
    .split(".")
    .reduce<string | Catalogue | undefined>(
      (c, k) => (c && typeof c === "object" ? c[k] : undefined),
      catalogue,
    );
  if (typeof text !== "string") throw new Error(`en.json has no ${key}`);
  return text;
}

export function english(key: string, values: Record<string, string | number> = {}): string {
  return sentence(key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
}

/** Text as a regular expression matching it literally (a catalogue sentence with values left open). */
export const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A sentence of the catalogue as a regular expression's source: a placeholder given a RegExp
 * matches what that does, one given text or a number matches it literally, and the rest of the
 * sentence matches itself. Anchoring, or choosing among sentences, is the caller's.
 */
export function englishPattern(key: string, values: Record<string, RegExp | string | number>) {
  // Split by a group: even places are the sentence's own text, odd places its placeholders' names.
  return sentence(key)
    .split(/\{\{(\w+)\}\}/)
    .map((part, i) => {
      if (i % 2 === 0) return escape(part);
      const value = values[part];
      if (value === undefined) throw new Error(`englishPattern(${key}) has no value for ${part}`);
      return value instanceof RegExp ? `(?:${value.source})` : escape(String(value));
    })
    .join("");
}
