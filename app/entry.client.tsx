// Hydrates the page with the catalogue in the language the server rendered it in (<html lang>).
import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { FALLBACK_LOCALE, i18nOptions, isLocale } from "./i18n/config";
import { sendLocaleWithFetches } from "./i18n/fetch-locale.client";

const lang = document.documentElement.lang;
const locale = isLocale(lang) ? lang : FALLBACK_LOCALE;
sendLocaleWithFetches(locale);

void i18next
  .use(initReactI18next)
  .init(i18nOptions(locale))
  .then(() => {
    startTransition(() => {
      hydrateRoot(
        document,
        <I18nextProvider i18n={i18next}>
          <StrictMode>
            <RemixBrowser />
          </StrictMode>
        </I18nextProvider>,
      );
    });
  });
