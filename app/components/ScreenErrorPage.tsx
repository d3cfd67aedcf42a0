// The page a screen shows in its place when it broke (ADR 074): a Shopify call or the app's own
// error, thrown from a loader, an action or a render. It says what went wrong in the catalogue's
// words and what to do (try again, then Home, then support), with admin's title bar.
import { isRouteErrorResponse, useLocation, useNavigate } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";

/**
 * Whether the library's authentication threw this for App Bridge or the browser to act on, which
 * `boundary.error` renders as it is: its bounce and exit-iframe pages (HTML answered with a 2xx),
 * a redirect, and the 401 or 403 that asks for a fresh session token or a new grant.
 */
export function isAuthResponse(error: unknown): boolean {
  return (
    isRouteErrorResponse(error) &&
    (error.status < 400 || error.status === 401 || error.status === 403)
  );
}

type Kind = "notFound" | "shopify" | "unexpected";

/**
 * What broke, as far as the page can tell. A thrown Error reaches the browser without its message
 * (Remix hides it in production), so only the app's own answers say more: 404 for nothing there,
 * 502 where Shopify did not answer (the order page's and the packing slip's convention).
 */
function kindOf(error: unknown): Kind {
  if (!isRouteErrorResponse(error)) return "unexpected";
  if (error.status === 404) return "notFound";
  if (error.status === 502 || error.status === 503 || error.status === 504) return "shopify";
  return "unexpected";
}

export function ScreenErrorPage({
  error,
  inFrame = true,
}: {
  error: unknown;
  /** Inside the app's frame, App Bridge draws admin's title bar; outside it there is none. */
  inFrame?: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const kind = kindOf(error);
  // The app's own answers carry a sentence from the catalogue; the library's carry none or HTML,
  // and the router's own (an address no route answers) a developer's line.
  const said =
    isRouteErrorResponse(error) &&
    !(error as { internal?: boolean }).internal &&
    typeof error.data === "string" &&
    error.data &&
    !error.data.trimStart().startsWith("<")
      ? error.data
      : null;
  const title = t(`screenError.${kind}.title`);
  // Loading the same address again runs its loaders again, the app frame's included; a failed
  // form's page comes back as it is now, so what the form changed (or not) shows before a retry.
  const tryAgain = () => navigate(`${location.pathname}${location.search}`, { replace: true });
  return (
    <Page>
      {inFrame ? <TitleBar title={title} /> : null}
      <BlockStack gap="400">
        <Text as="h1" variant="headingLg">
          {title}
        </Text>
        <Card>
          <BlockStack gap="300">
            {said ? <Text as="p">{said}</Text> : null}
            <Text as="p">{t(`screenError.${kind}.body`)}</Text>
            <InlineStack gap="200">
              {kind === "notFound" ? null : (
                <Button variant="primary" onClick={tryAgain}>
                  {t("screenError.tryAgain")}
                </Button>
              )}
              <Button url="/app">{t("nav.home")}</Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
