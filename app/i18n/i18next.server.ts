// Which language a request is answered in, and translators for what the server writes itself
// (CSV headers, packing slips): Shopify admin's `locale`, else the locale the page's fetches carry.
import { RemixI18Next } from "remix-i18next/server";
import { FALLBACK_LOCALE, LOCALES, LOCALE_HEADER, isLocale, type Locale } from "./locale";
import { i18nOptions } from "./catalogues.server";

const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...LOCALES],
    fallbackLanguage: FALLBACK_LOCALE,
    // Shopify admin loads an embedded app with `locale=de` (or `de-DE`); the Accept-Language of
    // the browser is not asked: the admin's language is the merchant's choice.
    searchParamKey: "locale",
    order: ["searchParams", "custom"],
    findLocale: async (request) => request.headers.get(LOCALE_HEADER),
  },
  i18next: i18nOptions(FALLBACK_LOCALE),
});

export async function localeOf(request: Request): Promise<Locale> {
  const locale = await i18next.getLocale(request);
  return isLocale(locale) ? locale : FALLBACK_LOCALE;
}

/** A translator fixed to one language: a reader whose language is known without a request. */
export function translatorOf(locale: Locale) {
  return i18next.getFixedT(locale);
}

/** The catalogue's English: what the app writes down for everyone (the decision trace, Flow). */
export function englishTranslator() {
  return translatorOf(FALLBACK_LOCALE);
}

/** A translator fixed to the request's locale, for text the server renders (files, PDFs). */
export async function translatorFor(request: Request) {
  return i18next.getFixedT(await localeOf(request));
}
