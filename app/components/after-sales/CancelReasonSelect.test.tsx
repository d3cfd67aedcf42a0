// The cancel reason the order and items cancels share: every reason Shopify takes, in the reader's
// words, the chosen one selected.
import { createInstance } from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import { i18nOptions } from "../../i18n/catalogues.server";
import { ORDER_CANCEL_REASONS } from "../../routing";
import { CancelReasonSelect } from "./CancelReasonSelect";

describe("CancelReasonSelect", () => {
  it("offers every reason Shopify takes in German, the chosen one selected", async () => {
    // A provider as the app's document renders with (entry.server), in German.
    const i18n = createInstance();
    await i18n.use(initReactI18next).init(i18nOptions("de"));
    const html = renderToStaticMarkup(
      <I18nextProvider i18n={i18n}>
        <CancelReasonSelect label="Grund" value="FRAUD" onChange={() => {}} />
      </I18nextProvider>,
    );
    const options = [...html.matchAll(/<option value="([A-Z_]+)"([^>]*)>([^<]*)<\/option>/g)];
    expect(options.map((o) => o[1])).toEqual([...ORDER_CANCEL_REASONS]);
    ORDER_CANCEL_REASONS.forEach((reason, i) => {
      const label = options[i]![3];
      expect(label).toBe(i18n.t(`afterSales.cancel.reasons.${reason}`));
      expect(label).not.toMatch(/afterSales/);
    });
    expect(options.find((o) => o[2]!.includes("selected"))?.[1]).toBe("FRAUD");
  });
});
