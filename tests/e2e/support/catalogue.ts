// The screen's own words for a browser test: a sentence of the English catalogue with its
// placeholders filled, so a test checks what the merchant reads without a copy of it.
import { readFileSync } from "node:fs";

type Catalogue = { [key: string]: string | Catalogue };
const catalogue = JSON.parse(readFileSync("app/i18n/locales/en.json", "utf8")) as Catalogue;

export function english(key: string, values: Record<string, string | number> = {}): string {
  const text = key
    .split(".")
    .reduce<string | Catalogue | undefined>(
      (c, k) => (c && typeof c === "object" ? c[k] : undefined),
      catalogue,
    );
  if (typeof text !== "string") throw new Error(`en.json has no ${key}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
}

/** Text as a regular expression matching it literally (a catalogue sentence with values left open). */
export const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
