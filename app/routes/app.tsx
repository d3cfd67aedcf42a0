// The embedded app's frame: authenticates every page, loads App Bridge and Polaris (in the
// merchant's language), and the nav menu.
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import pageScrollbar from "../styles/page-scrollbar.css?url";
import { authenticate } from "../shopify.server";
import { env } from "../utils/env.server";
import { usePolarisTranslations } from "../i18n/page-catalogue";
import type { PolarisDocumentHandle } from "../styles/polaris-document";
import { isAuthResponse, ScreenErrorPage } from "../components/ScreenErrorPage";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: pageScrollbar },
];

// AppProvider below: the document shell renders its html class, body style and scrollbar width.
export const handle: PolarisDocumentHandle = { polarisDocument: true };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const config = env();
  return {
    apiKey: config.SHOPIFY_API_KEY,
    appBridgeUrl: config.APP_BRIDGE_URL ?? null,
  };
};

/** Admin's nav menu, which App Bridge draws from these links. */
function AppNavMenu() {
  const { t } = useTranslation();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.home")}
      </Link>
      <Link to="/app/queue">{t("nav.queue")}</Link>
      <Link to="/app/stuck">{t("stuck.nav")}</Link>
      <Link to="/app/rules">{t("nav.rules")}</Link>
      <Link to="/app/capabilities">{t("nav.capabilities")}</Link>
      <Link to="/app/settings">{t("nav.settings")}</Link>
      <Link to="/app/export">{t("nav.export")}</Link>
    </NavMenu>
  );
}

/** App Bridge, Polaris and the nav menu around a page: the screens', or the error page's. */
function Frame({
  apiKey,
  appBridgeUrl,
  children,
}: {
  apiKey: string;
  appBridgeUrl: string | null;
  children: ReactNode;
}) {
  const polarisTranslations = usePolarisTranslations();
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={polarisTranslations}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      {/* Hydrates on its own (nothing in it suspends; the server renders it whole), after the
          frame: a tap made while the page hydrates no longer waits for its links and words. */}
      <Suspense>
        <AppNavMenu />
      </Suspense>
      {children}
    </AppProvider>
  );
}

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <Frame apiKey={apiKey} appBridgeUrl={appBridgeUrl}>
      <Outlet />
    </Frame>
  );
}

/**
 * Shopify's authentication throws Responses (bounce pages, a 401 asking for a fresh token):
 * `boundary.error` renders those as the library documents. Anything else that broke a screen
 * without a boundary of its own shows the error page inside the frame, with the nav menu (ADR 074).
 * When the frame's own loader failed there is no frame to draw: the document's boundary shows it.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const frame = useRouteLoaderData<typeof loader>("routes/app");
  if (isAuthResponse(error)) return boundary.error(error);
  if (!frame) throw error;
  return (
    <Frame apiKey={frame.apiKey} appBridgeUrl={frame.appBridgeUrl}>
      <ScreenErrorPage error={error} />
    </Frame>
  );
}

export const headers: HeadersFunction = (headersArgs) => {
  return boundary.headers(headersArgs);
};
