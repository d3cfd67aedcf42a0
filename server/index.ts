// The production server (`npm start`): serves the Remix build on PORT (default 3000), HOST if set,
// with webhook deliveries answered ahead of Remix's pipeline (server/webhooks.ts, server/app.ts,
// ADR 006).
//
// Run by Node itself (`node --experimental-strip-types server/index.ts`; the flag is the default
// from Node 22.18 and only needed before): Node strips the types, so production needs no
// compiler and no dev dependency. That is why this folder imports only packages and `./*.ts`.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { getRequestListener } from "@hono/node-server";
import { createApp } from "./app.ts";
import { webhooksFirstServer } from "./webhooks.ts";

// Before the build is imported: React and the app read it when they load.
const mode = (process.env.NODE_ENV ??= "production");
process.setSourceMapsEnabled(true);

const buildPath = resolve(process.argv[2] ?? "build/server/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
const app = createApp({ build, mode, log: (line) => console.log(line) });

// overrideGlobalObjects: false keeps Node's own Request and Response, which the Remix build and
// Shopify's library check with instanceof.
// Intake deliveries are answered from Node's request itself; everything else goes to the app.
const server = webhooksFirstServer(
  build,
  getRequestListener(app.fetch, { overrideGlobalObjects: false }),
);
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST;
const onListen = () => console.log(`[server] http://${host ?? "localhost"}:${port}`);
if (host) server.listen(port, host, onListen);
else server.listen(port, onListen);

// Stop taking connections and let requests in flight finish (a delivery being stored is
// acknowledged); if something hangs, leave anyway: an unanswered delivery is simply retried.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
