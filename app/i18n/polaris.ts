// Polaris's own words (pagination, filters, modals) in the same language as the catalogue.
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisDe from "@shopify/polaris/locales/de.json";
import type { Locale } from "./config";

export const POLARIS_TRANSLATIONS: Record<Locale, typeof polarisEn> = {
  en: polarisEn,
  de: polarisDe as typeof polarisEn,
};
