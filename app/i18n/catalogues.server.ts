// Every language's catalogue, the app's and Polaris's: the server's translators read them, and a
// page carries only its merchant's language of them (page-catalogue.tsx). Server-only, so no
// browser bundle ever holds every language.
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisDe from "@shopify/polaris/locales/de.json";
import en from "./locales/en.json";
import de from "./locales/de.json";
import { i18nOptionsWith, type Locale } from "./locale";
import { catalogueJson, type PageCatalogue } from "./page-catalogue";

export const resources = {
  en: { translation: en },
  de: { translation: de },
} as const;

/** Polaris's own words (pagination, filters, modals) in the same language as the catalogue. */
export const POLARIS_TRANSLATIONS: Record<Locale, typeof polarisEn> = {
  en: polarisEn,
  de: polarisDe as typeof polarisEn,
};

export function i18nOptions(lng: Locale) {
  return i18nOptionsWith(lng, resources);
}

const pages = new Map<Locale, PageCatalogue>();

/** What a page in this language carries: its catalogue and Polaris's words, written once. */
export function pageCatalogueOf(locale: Locale): PageCatalogue {
  let page = pages.get(locale);
  if (!page) {
    const words = { app: resources[locale].translation, polaris: POLARIS_TRANSLATIONS[locale] };
    page = { locale, ...words, json: catalogueJson(locale, words) };
    pages.set(locale, page);
  }
  return page;
}
