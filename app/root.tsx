// The document shell every page renders into, in the language Shopify admin asked for, and the
// last error page, for what broke outside the app's frame.
import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { AppProvider as PolarisAppProvider } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { localeOf } from "./i18n/i18next.server";
import { PageCatalogueScript, usePolarisTranslations } from "./i18n/page-catalogue";
import { ScreenErrorPage } from "./components/ScreenErrorPage";
import { BEFORE_REACT_SCRIPT, ReplayTapsBeforeReact } from "./components/before-react";
import {
  POLARIS_BODY_STYLE,
  POLARIS_SCROLLBAR_SCRIPT,
  POLARIS_THEME_CLASS,
  type PolarisDocumentHandle,
} from "./styles/polaris-document";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  return { locale: await localeOf(request) };
};

export default function App() {
  const { locale } = useLoaderData<typeof loader>();
  useChangeLanguage(locale);
  // Polaris pages get AppProvider's document styles from the server, so its mount restyles nothing.
  const polaris = useMatches().some(
    (match) => (match.handle as Partial<PolarisDocumentHandle> | undefined)?.polarisDocument,
  );
  return (
    // The scrollbar script adds a style attribute to <html> before React hydrates it.
    <html
      lang={locale}
      className={polaris ? POLARIS_THEME_CLASS : undefined}
      suppressHydrationWarning
    >
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body style={polaris ? POLARIS_BODY_STYLE : undefined}>
        {polaris ? <script dangerouslySetInnerHTML={{ __html: POLARIS_SCROLLBAR_SCRIPT }} /> : null}
        {/* Keeps what the merchant does before React starts that React would lose (ADR 039). */}
        <script dangerouslySetInnerHTML={{ __html: BEFORE_REACT_SCRIPT }} />
        <Outlet />
        <ReplayTapsBeforeReact />
        <PageCatalogueScript />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

/**
 * What broke outside the app's frame (an address nothing answers, the frame's own loader, the
 * document's): the same error page in Polaris, in a document of its own. Without the frame there
 * is no App Bridge, so its heading is the page's own (ADR 074).
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { i18n } = useTranslation();
  const locale = useRouteLoaderData<typeof loader>("root")?.locale ?? i18n.language;
  const polarisTranslations = usePolarisTranslations();
  return (
    <html lang={locale} className={POLARIS_THEME_CLASS}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <Meta />
        <Links />
        <link rel="stylesheet" href={polarisStyles} />
      </head>
      <body style={POLARIS_BODY_STYLE}>
        <PolarisAppProvider i18n={polarisTranslations}>
          <ScreenErrorPage error={error} inFrame={false} />
        </PolarisAppProvider>
        <PageCatalogueScript />
        <Scripts />
      </body>
    </html>
  );
}
