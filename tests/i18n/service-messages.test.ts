// Every sentence a service or the engine says (`said("…")`) is in the catalogue, in every language,
// and reads in the admin's language: services answer Words, the screens render them.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../../app/i18n/locale";
import { translatorOf } from "../../app/i18n/i18next.server";
import { renderWords } from "../../app/i18n/words";
import { said, shopifyRefused, words } from "../../app/routing/words";
import { serviceAnswer } from "../../app/fulfilment/worker.server";

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

describe("what services say", () => {
  const keys = saidKeys();

  it("names sentences, and the services name many of them", () => {
    expect(keys.length).toBeGreaterThan(50);
  });

  for (const locale of LOCALES) {
    it(`finds every said("…") key in ${locale}`, async () => {
      const t = await translatorOf(locale);
      // i18next answers a missing key with the key itself.
      const missing = keys.filter((key) => String(t(key as never, { count: 2 } as never)) === key);
      expect(missing).toEqual([]);
    });
  }

  it("frames Shopify's own words with a sentence in the admin's language", async () => {
    const refusal = shopifyRefused("Fulfillment order is not in a holdable state");
    expect(renderWords(await translatorOf("en"), refusal)).toBe(
      "Shopify refused the change: Fulfillment order is not in a holdable state",
    );
    expect(renderWords(await translatorOf("de"), refusal)).toBe(
      "Shopify hat die Änderung abgelehnt: Fulfillment order is not in a holdable state",
    );
  });

  it("renders nested words (a status inside a sentence) in the same language", async () => {
    const message = said("commands.holdNotAllowed", { status: words("findings.status.CLOSED") });
    expect(renderWords(await translatorOf("en"), message)).toBe(
      "Shopify does not allow a hold on it now (closed).",
    );
    expect(renderWords(await translatorOf("de"), message)).toBe(
      "Shopify erlaubt jetzt kein Zurückhalten (geschlossen).",
    );
    expect(renderWords(await translatorOf("de"), said("commands.fulfilled", { count: 3 }))).toBe(
      "3 Artikel ausgeführt",
    );
  });

  it("says each answer of a lab or of Shopify in the trace in the admin's language, with what was sent quoted", async () => {
    const en = await translatorOf("en");
    const de = await translatorOf("de");
    const topics = [
      "fulfillment_orders/fulfillment_request_accepted",
      "fulfillment_orders/fulfillment_request_rejected",
      "fulfillment_orders/cancellation_request_accepted",
      "fulfillment_orders/cancellation_request_rejected",
      "fulfillment_orders/fulfillment_service_failed_to_complete",
      "fulfillments/create",
      "fulfillment_holds/added",
      "fulfillment_holds/released",
    ];
    const hold = { handle: "staff", reason: "incorrect_address", reason_notes: "Customer called" };
    for (const topic of topics)
      for (const message of [null, "Printing tonight"]) {
        const { event } = serviceAnswer(topic, { message, fulfillment_hold: hold });
        expect(event, topic).not.toBeNull();
        const [english, german] = [renderWords(en, event!), renderWords(de, event!)];
        expect(english, topic).not.toMatch(/shopifyEvents|holdReason|fulfilment/);
        expect(german, topic).not.toMatch(/shopifyEvents|holdReason|fulfil|service/);
        expect(german).not.toBe(english);
      }
    const held = serviceAnswer("fulfillment_holds/added", { fulfillment_hold: hold }).event!;
    expect(renderWords(en, held)).toBe(
      "Held by someone else in Shopify (Incorrect address, “Customer called”).",
    );
    expect(renderWords(de, held)).toBe(
      "In Shopify von jemand anderem zurückgehalten (Falsche Adresse, „Customer called“).",
    );
    const accepted = serviceAnswer("fulfillment_orders/fulfillment_request_accepted", {
      message: "Printing tonight",
    }).event!;
    expect(renderWords(en, accepted)).toBe(
      "The fulfillment service accepted the request: “Printing tonight”.",
    );
  });
});
