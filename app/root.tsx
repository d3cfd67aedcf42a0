// The document shell every page renders into, in the language Shopify admin asked for.
import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
} from "@remix-run/react";
import { useChangeLanguage } from "remix-i18next/react";
import { localeOf } from "./i18n/i18next.server";
import { PageCatalogueScript } from "./i18n/page-catalogue";
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
