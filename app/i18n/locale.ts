// The catalogue's languages and the i18next options the server and the browser share; the
// catalogues themselves are the server's (catalogues.server.ts), the browser gets one in the page.
import type { InitOptions, Resource } from "i18next";

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
    interpolation: { escapeValue: false },
    returnNull: false,
  };
}
