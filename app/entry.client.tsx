// Hydrates the page with the catalogue the server wrote into it, in the merchant's language: the
// only catalogue the browser has (no other language is in the scripts, none is fetched).
import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { FALLBACK_LOCALE, i18nOptionsWith, isLocale } from "./i18n/locale";
import { PageCatalogueProvider, readPageCatalogue } from "./i18n/page-catalogue";
import { sendLocaleWithFetches } from "./i18n/fetch-locale.client";
import { markReactStarted } from "./components/before-react";

const catalogue = readPageCatalogue(document);
const lang = document.documentElement.lang;
const locale = catalogue?.locale ?? (isLocale(lang) ? lang : FALLBACK_LOCALE);
sendLocaleWithFetches(locale);

void i18next
  .use(initReactI18next)
  .init({
    ...i18nOptionsWith(locale, catalogue ? { [locale]: { translation: catalogue.app } } : {}),
    // The catalogue is at hand: ready at once, not a timer later.
    initImmediate: false,
  })
  .then(() => {
    // Not inside startTransition (as Remix's template has it): the page around its Suspense
    // boundaries hydrates in one task, done sooner than in the transition's 5 ms slices between
    // the browser's other work, so a merchant's first tap mostly finds it hydrated; a tap that
    // comes during it waits for it, where in a transition it made React finish the same work
    // inside the tap anyway. The boundaries (cards, the queue's table) still hydrate in slices
    // after it, and the one tapped first. ADR 034.
    // From here React sees taps itself; those made before are replayed once it has hydrated (039).
    markReactStarted();
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <PageCatalogueProvider catalogue={catalogue}>
          <StrictMode>
            <RemixBrowser />
          </StrictMode>
        </PageCatalogueProvider>
      </I18nextProvider>,
    );
  });
