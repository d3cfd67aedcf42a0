// Renders documents on the server, streaming to browsers and waiting for bots, with Shopify's
// embedded-app headers (CSP frame-ancestors) on every document, in the merchant's language.
import { PassThrough } from "stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { createInstance } from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nOptions, pageCatalogueOf } from "./i18n/catalogues.server";
import { localeOf } from "./i18n/i18next.server";
import { PageCatalogueProvider } from "./i18n/page-catalogue";
import { addDocumentResponseHeaders } from "./shopify.server";
import { env } from "./utils/env.server";
import { startEmbeddedWorker } from "./worker.server";

// The embedded default runs the job worker in this process (WORKER=embedded).
startEmbeddedWorker();

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  // The library preloads App Bridge from Shopify's CDN; where App Bridge comes from elsewhere
  // (the simulator's stand-in), preload that instead of a script the page never uses.
  const appBridgeUrl = env().APP_BRIDGE_URL;
  if (appBridgeUrl && responseHeaders.has("Link")) {
    responseHeaders.set("Link", `<${appBridgeUrl}>; rel="preload"; as="script";`);
  }
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";
  // One i18next instance per request: two merchants in two languages never share one.
  const locale = await localeOf(request);
  const i18n = createInstance();
  await i18n.use(initReactI18next).init(i18nOptions(locale));

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <PageCatalogueProvider catalogue={pageCatalogueOf(locale)}>
          <RemixServer context={remixContext} url={request.url} />
        </PageCatalogueProvider>
      </I18nextProvider>,
      {
        [callbackName]: () => {
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          resolve(
            new Response(stream, {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );
    // Lets the rejected promises of deferred data settle before aborting the render.
    setTimeout(abort, streamTimeout + 1000);
  });
}
