// The merchant's language's catalogue as the page carries it: the server writes it into the
// document as JSON (the app's words and Polaris's, one language), and the browser reads it back
// before it hydrates, so the scripts hold no catalogue and nothing waits on a fetch for one.
import type { AppProviderProps } from "@shopify/polaris";
import { createContext, useContext, type ReactNode } from "react";
import { FALLBACK_LOCALE, isLocale, type Locale } from "./locale";

type PolarisTranslations = NonNullable<AppProviderProps["i18n"]>;

export interface PageCatalogue {
  locale: Locale;
  /** The app's catalogue (en.json or de.json). */
  app: Record<string, unknown>;
  /** Polaris's own words, for its AppProvider. */
  polaris: PolarisTranslations;
  /** The two as the document carries them. */
  json: string;
}

const SCRIPT_ID = "page-catalogue";

/** The JSON the document carries; `<` escaped, so no text in it can close the script element. */
export function catalogueJson(
  locale: Locale,
  words: { app: Record<string, unknown>; polaris: PolarisTranslations },
): string {
  return JSON.stringify({ locale, ...words }).replace(/</g, "\\u003c");
}

/** The page's catalogue from its document, or null when the document has none (Remix's own error page). */
export function readPageCatalogue(document: Document): PageCatalogue | null {
  const json = document.getElementById(SCRIPT_ID)?.textContent;
  if (!json) return null;
  const { locale, app, polaris } = JSON.parse(json) as Omit<PageCatalogue, "json">;
  return { locale: isLocale(locale) ? locale : FALLBACK_LOCALE, app, polaris, json };
}

const PageCatalogueContext = createContext<PageCatalogue | null>(null);

export function PageCatalogueProvider({
  catalogue,
  children,
}: {
  catalogue: PageCatalogue | null;
  children: ReactNode;
}) {
  return (
    <PageCatalogueContext.Provider value={catalogue}>{children}</PageCatalogueContext.Provider>
  );
}

/** Polaris's words in the page's language. */
export function usePolarisTranslations(): PolarisTranslations {
  return useContext(PageCatalogueContext)?.polaris ?? {};
}

/**
 * The catalogue's script element, rendered by the document shell before Remix's scripts (so it is
 * parsed before the browser's entry runs). The browser renders the very text it read from it, so
 * hydration finds the element as the server wrote it.
 */
export function PageCatalogueScript() {
  const catalogue = useContext(PageCatalogueContext);
  if (!catalogue) return null;
  return (
    <script
      id={SCRIPT_ID}
      type="application/json"
      dangerouslySetInnerHTML={{ __html: catalogue.json }}
    />
  );
}
