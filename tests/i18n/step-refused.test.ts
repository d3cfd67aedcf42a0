// A Step Shopify refused, as the review queue and the order say it: Shopify's words, quoted, and
// what the merchant does next, naming the button they will find in Shopify admin (the order
// block's and the order list action's "Route again", from those extensions' own catalogues).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LOCALES, type Locale } from "../../app/i18n/locale";
import { translatorOf } from "../../app/i18n/i18next.server";
import { renderWords } from "../../app/i18n/words";
import { engineSaid } from "../../app/routing/words";

/** An admin extension's label in one language (its default file is English). */
function extensionLabel(extension: string, locale: Locale, key: string): string {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  const labels = JSON.parse(
    readFileSync(`extensions/${extension}/locales/${file}`, "utf8"),
  ) as Record<string, string>;
  return labels[key]!;
}

const SHOPIFY = "Fulfillment order with status ON_HOLD can't be requested for fulfillment.";
const step = engineSaid("step.request", { service: "Partner Lab" });

describe("a Step Shopify refused", () => {
  for (const locale of LOCALES) {
    it(`says what Shopify said and what to do next, in ${locale}`, async () => {
      const t = await translatorOf(locale);
      const refused = renderWords(t, engineSaid("route.stepRefused", { step, shopify: SHOPIFY }));
      // The Step in the admin's words, Shopify's own words whole.
      expect(refused).toContain(renderWords(t, step));
      expect(refused).toContain(SHOPIFY);
      // The way on: the button the order's page and the order list in Shopify admin offer.
      const again = extensionLabel("order-routing-block", locale, "reroute");
      expect(again).toBe(extensionLabel("order-routing-action", locale, "reroute"));
      expect(refused).toContain(again);
      // And more than Shopify's sentence framed: the advice is a sentence of its own.
      expect(refused.length).toBeGreaterThan(renderWords(t, step).length + SHOPIFY.length + 60);

      const failed = renderWords(t, engineSaid("route.stepFailed", { step, shopify: SHOPIFY }));
      expect(failed).toContain(renderWords(t, step));
      expect(failed).toContain(SHOPIFY);
    });
  }
});
