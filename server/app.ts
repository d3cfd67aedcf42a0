// The production app as one Fetch handler: webhook deliveries go straight to their route's action,
// files come from the client build, and every other request goes through Remix's request handler.
//
// Why a webhook skips Remix's pipeline: Shopify waits for the answer, and intake is the hot path
// (ADR 006). The action called is the route's own, from the same build, so the answers and stored
// rows are those of the Remix route; only the routing around it is left out.
import type { ActionFunction, ServerBuild } from "@remix-run/node";
import { createRequestHandler } from "@remix-run/node";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono, type MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import { WEBHOOK_PREFIX, routeKey, webhookRoutes } from "./webhooks.ts";

/**
 * The webhook routes of a build with an action, by path (every `app/routes/webhooks.*.tsx`): for a
 * Fetch request; server/webhooks.ts answers the intake routes before a request gets here.
 */
export function webhookActions(build: ServerBuild): Map<string, ActionFunction> {
  return webhookRoutes(build, (module) => module.action as ActionFunction | undefined);
}

/** Runs a route action as Remix runs it for a resource route: a thrown Response is the answer. */
export async function runAction(action: ActionFunction, request: Request): Promise<Response> {
  try {
    const result = await action({ request, params: {}, context: {} });
    if (result instanceof Response) return result;
    console.error(`${new URL(request.url).pathname}: a webhook action must answer with a Response`);
    return new Response(null, { status: 500 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    // Shopify retries a 5xx; the delivery was not stored (it is acknowledged only once it is).
    console.error(thrown);
    return new Response(null, { status: 500 });
  }
}

/** Files under `root`, with a Cache-Control header; anything else goes on to the next handler. */
function staticFiles(root: string, cacheControl: string): MiddlewareHandler {
  const serve = serveStatic({ root });
  return async (c, next) => {
    let missing = false;
    const response = await serve(c, async () => {
      missing = true;
    });
    if (missing || !response) return next();
    response.headers.set("Cache-Control", cacheControl);
    return response;
  };
}

export interface AppOptions {
  build: ServerBuild;
  mode: string;
  /** Logs one line per request other than webhook deliveries, as remix-serve does. */
  log?: (line: string) => void;
}

export function createApp({ build, mode, log }: AppOptions): Hono {
  const actions = webhookActions(build);
  const remix = createRequestHandler(build, mode);
  const app = new Hono();

  // First, and without logging or compression: at hundreds of deliveries a second both cost.
  app.post(`${WEBHOOK_PREFIX}*`, async (c, next) => {
    const action = actions.get(routeKey(c.req.path));
    if (!action) return next();
    return runAction(action, c.req.raw);
  });

  if (log) {
    app.use("*", async (c, next) => {
      const start = performance.now();
      await next();
      log(
        `${c.req.method} ${c.req.path} ${c.res.status} - ${(performance.now() - start).toFixed(1)} ms`,
      );
    });
  }
  app.use("*", compress());
  // Hashed file names under the public path never change: cache them for good, as remix-serve does.
  app.use(
    `${build.publicPath}assets/*`,
    staticFiles(build.assetsBuildDirectory, "public, max-age=31536000, immutable"),
  );
  app.use("*", staticFiles(build.assetsBuildDirectory, "public, max-age=3600"));
  app.all("*", (c) => remix(c.req.raw));
  app.onError((error) => {
    console.error(error);
    return new Response("Internal Server Error", { status: 500 });
  });
  return app;
}
