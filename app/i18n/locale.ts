// The catalogue's languages and the i18next options the server and the browser share; the
// catalogues themselves are the server's (catalogues.server.ts), the browser gets one in the page.
import type { InitOptions, Resource } from "i18next";
import { formatMoney } from "./money";

/** One catalogue per language; English is what a missing or unknown locale falls back to. */
export const LOCALES = ["en", "de"] as const;
export type Locale = (typeof LOCALES)[number];
export const FALLBACK_LOCALE: Locale = "en";

/**
 * The request header the app's own fetches carry the locale in: Shopify admin passes `locale`
 * only when it loads the app, not on the data requests of later navigations.
 */
export const LOCALE_HEADER = "x-fulfilment-router-locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The catalogue's one format, `{{amount, money}}`: the amount in the sentence's `currency`, as
 * admin shows money in that language ("€12.50", "12,50 €"), never "12.50 EUR" put together by hand.
 */
function formatValue(
  value: unknown,
  format?: string,
  lng?: string,
  options?: Record<string, unknown>,
): string {
  // Anything else as i18next gave it (undefined stays undefined: a missing value is reported).
  if (format !== "money" || value === undefined || value === null) return value as string;
  const currency = options?.currency;
  return typeof currency === "string" && currency
    ? formatMoney(String(value), currency, lng ?? FALLBACK_LOCALE)
    : String(value);
}

/** i18next's options for a language, over the catalogues at hand (all, or the page's one). */
export function i18nOptionsWith(lng: Locale, resources: Resource): InitOptions {
  return {
    lng,
    supportedLngs: [...LOCALES],
    fallbackLng: FALLBACK_LOCALE,
    defaultNS: "translation",
    ns: ["translation"],
    resources,
    // React escapes what it renders; escaping here too would show "&amp;".
    interpolation: { escapeValue: false, format: formatValue },
    returnNull: false,
  };
}
