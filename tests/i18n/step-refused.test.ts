// A Step Shopify refused, as the review queue and the order say it: Shopify's words, quoted, and
// what the merchant does next about that refusal, naming the button they will find in Shopify
// admin (the order block's and the order list action's "Route again", from those extensions' own
// catalogues); every refusal code with advice of its own has it in every language. A repair
// Shopify refused twice, as Stuck and drift says it: Shopify's words and what the merchant can do
// there (the page's own buttons: Repair, Re-route, Mark resolved, Check now), never the rules'
// "Route again"; every code with repair advice has it in every language.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LOCALES, type Locale } from "../../app/i18n/locale";
import { translatorOf } from "../../app/i18n/i18next.server";
import { renderWords } from "../../app/i18n/words";
import { engineSaid, said, words } from "../../app/routing/words";
import {
  ADVICE_OF_CODE,
  REFUSAL_ADVICES,
  REPAIR_ADVICE_OF_CODE,
  REPAIR_REFUSAL_ADVICES,
  refusalAdvice,
  repairRefusalAdvice,
  repairRefused,
  stepRefused,
} from "../../app/routing/refusal-advice";

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

  for (const locale of LOCALES) {
    it(`gives every refusal code with advice its own advice, in ${locale}`, async () => {
      const t = await translatorOf(locale);
      const exists = (key: string) => t(key as never) !== key;
      for (const advice of REFUSAL_ADVICES)
        expect(exists(`engine.route.advice.${advice}`), `${locale}: advice ${advice}`).toBe(true);
      const general = renderWords(t, refusalAdvice(null));
      const again = extensionLabel("order-routing-block", locale, "reroute");
      for (const [code, advice] of Object.entries(ADVICE_OF_CODE)) {
        const said = renderWords(t, stepRefused(step, SHOPIFY, code));
        const specific = renderWords(t, words(`engine.route.advice.${advice}`));
        expect(said, `${locale}: ${code}`).toContain(specific);
        expect(said, `${locale}: ${code}`).not.toContain(general);
        expect(said).toContain(SHOPIFY);
      }
      // A refusal without a code, or with one without advice of its own, keeps the general advice
      // (with the button's name in it), as rows kept before codes were stored do.
      for (const code of [null, "TAKEN"]) {
        const said = renderWords(t, stepRefused(step, SHOPIFY, code));
        expect(said).toContain(general);
        expect(said).toContain(again);
      }
    });
  }
});

const REPAIR_SHOPIFY = "Lab C-Type Print is not stocked at Studio.";

describe("a repair Shopify refused", () => {
  for (const locale of LOCALES) {
    it(`says what Shopify said and what to do on Stuck and drift, in ${locale}`, async () => {
      const t = await translatorOf(locale);
      const exists = (key: string) => t(key as never) !== key;
      const buttons = ["stuck.repair", "stuck.reroute", "stuck.resolve", "stuck.scan"].map((key) =>
        String(t(key as never)),
      );
      const routeAgain = extensionLabel("order-routing-block", locale, "reroute");
      for (const advice of REPAIR_REFUSAL_ADVICES) {
        const key = `serviceMessages.repair.advice.${advice}`;
        expect(exists(key), `${locale}: advice ${advice}`).toBe(true);
        const text = String(t(key as never));
        // Each advice names something the merchant finds on the page that shows it.
        expect(
          buttons.some((button) => text.includes(button)),
          `${locale}: ${advice}`,
        ).toBe(true);
        // The rules' way on is not a repair's.
        expect(text, `${locale}: ${advice}`).not.toContain(routeAgain);
      }
      const general = renderWords(t, repairRefusalAdvice(null));
      for (const [code, advice] of Object.entries(REPAIR_ADVICE_OF_CODE)) {
        const read = renderWords(t, repairRefused(REPAIR_SHOPIFY, code));
        expect(read, `${locale}: ${code}`).toContain(REPAIR_SHOPIFY);
        expect(read, `${locale}: ${code}`).toContain(
          renderWords(t, said(`repair.advice.${advice}`)),
        );
        expect(read, `${locale}: ${code}`).not.toContain(general);
      }
      // No code, or one without advice of its own (a bug of the app's, say), reads the general
      // advice, as findings stopped before repairs kept a code read Shopify's words alone.
      for (const code of [null, "TAKEN"]) {
        const read = renderWords(t, repairRefused(REPAIR_SHOPIFY, code));
        expect(read).toContain(REPAIR_SHOPIFY);
        expect(read).toContain(general);
      }
    });
  }
});
