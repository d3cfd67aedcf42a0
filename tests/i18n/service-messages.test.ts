// Every sentence a service or the engine says (`said("…")`) is in the catalogue, in every language,
// and reads in the admin's language: services answer Words, the screens render them.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { LOCALES, i18nOptions } from "../../app/i18n/config";
import { renderWords } from "../../app/i18n/words";
import { said, shopifyRefused, words } from "../../app/routing/words";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Keys named literally in `said("…")` calls; a key built at run time is listed by its caller below. */
function saidKeys(): string[] {
  const keys = new Set<string>();
  for (const file of sources("app")) {
    for (const m of readFileSync(file, "utf8").matchAll(/\bsaid\(\s*"([^"]+)"/g))
      keys.add(`serviceMessages.${m[1]}`);
  }
  // needsAttention() in commands.server.ts adds "Because" when the engine gave a reason.
  for (const key of [...keys]) if (key.endsWith("Attention")) keys.add(`${key}Because`);
  return [...keys].sort();
}

async function translator(lng: string) {
  const instance = i18next.createInstance();
  await instance.init(i18nOptions(lng as (typeof LOCALES)[number]));
  return instance.t;
}

describe("what services say", () => {
  const keys = saidKeys();

  it("names sentences, and the services name many of them", () => {
    expect(keys.length).toBeGreaterThan(50);
  });

  for (const locale of LOCALES) {
    it(`finds every said("…") key in ${locale}`, async () => {
      const t = await translator(locale);
      // i18next answers a missing key with the key itself.
      const missing = keys.filter((key) => String(t(key as never, { count: 2 } as never)) === key);
      expect(missing).toEqual([]);
    });
  }

  it("frames Shopify's own words with a sentence in the admin's language", async () => {
    const refusal = shopifyRefused("Fulfillment order is not in a holdable state");
    expect(renderWords(await translator("en"), refusal)).toBe(
      "Shopify refused the change: Fulfillment order is not in a holdable state",
    );
    expect(renderWords(await translator("de"), refusal)).toBe(
      "Shopify hat die Änderung abgelehnt: Fulfillment order is not in a holdable state",
    );
  });

  it("renders nested words (a status inside a sentence) in the same language", async () => {
    const message = said("commands.holdNotAllowed", { status: words("findings.status.CLOSED") });
    expect(renderWords(await translator("en"), message)).toBe(
      "Shopify does not allow a hold on it now (closed).",
    );
    expect(renderWords(await translator("de"), message)).toBe(
      "Shopify erlaubt jetzt kein Zurückhalten (geschlossen).",
    );
    expect(renderWords(await translator("de"), said("commands.fulfilled", { count: 3 }))).toBe(
      "3 Artikel ausgeführt.",
    );
  });
});
