// The rule editor's order total shows its currency's sign where admin's money fields put it.
import { createInstance } from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { describe, expect, it } from "vitest";
import { i18nOptions } from "../../i18n/catalogues.server";
import type { Locale } from "../../i18n/locale";
import { emptyCondition } from "../../routing/rule-draft";
import { ConditionRow } from "./ConditionRow";

async function threshold(locale: Locale, currencyCode: string): Promise<string> {
  // A provider as the app's document renders with (entry.server), in the admin's language.
  const i18n = createInstance();
  await i18n.use(initReactI18next).init(i18nOptions(locale));
  const condition = {
    ...emptyCondition("order_total"),
    operator: "greater_than",
    value: "100",
    currencyCode,
  };
  return renderToStaticMarkup(
    <AppProvider i18n={polarisEn}>
      <I18nextProvider i18n={i18n}>
        <ConditionRow
          condition={condition}
          path="conditions.0"
          title="Condition 1"
          name="condition 1"
          errors={{}}
          lineOnly={false}
          locations={[]}
          onChange={() => {}}
          onRemove={() => {}}
        />
      </I18nextProvider>
    </AppProvider>,
  );
}

/** The sign beside the threshold's box, and on which side of it. */
const sign = (html: string) => ({
  // Polaris wraps the sign in a Text span inside the prefix's or suffix's box.
  prefix: /Polaris-TextField__Prefix[^>]*>(?:<[^>]*>)*([^<]*)</.exec(html)?.[1],
  suffix: /Polaris-TextField__Suffix[^>]*>(?:<[^>]*>)*([^<]*)</.exec(html)?.[1],
});

describe("the rule editor's order total", () => {
  it("shows € before the amount in English and after it in German, as admin's money fields do", async () => {
    expect(sign(await threshold("en", "EUR"))).toEqual({ prefix: "€", suffix: undefined });
    expect(sign(await threshold("de", "EUR"))).toEqual({ prefix: undefined, suffix: "€" });
    expect(sign(await threshold("en", "usd"))).toEqual({ prefix: "$", suffix: undefined });
  });

  it("shows no sign without a currency (each order's own) or while a code is being typed", async () => {
    expect(sign(await threshold("en", ""))).toEqual({ prefix: undefined, suffix: undefined });
    expect(sign(await threshold("en", "EU"))).toEqual({ prefix: undefined, suffix: undefined });
  });
});
