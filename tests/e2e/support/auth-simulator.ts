// An auth-only shop simulator for browser tests: the simulator's auth routes on a free port, tokens
// in a temp file. The full simulator (npm run simulator) will stand in its place once it serves
// these same routes.
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import {
  authRoutes,
  createAccessTokenStore,
  type AccessTokenStore,
} from "../../../simulator/src/auth/index.ts";
import { freePort } from "./ports.ts";

export interface AuthSimulator {
  /** e.g. http://127.0.0.1:41234 — the app's SHOPIFY_ADMIN_ORIGIN. */
  origin: string;
  tokens: AccessTokenStore;
  installed: Set<string>;
  stop(): Promise<void>;
}

export async function startAuthSimulator(opts: {
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  scopes: string;
  shops: string[];
  dir: string;
}): Promise<AuthSimulator> {
  const port = await freePort();
  const tokens = createAccessTokenStore({ file: join(opts.dir, "simulator-tokens.json") });
  const installed = new Set(opts.shops);
  const app = authRoutes({
    apiKey: opts.apiKey,
    apiSecret: opts.apiSecret,
    tokens,
    isInstalled: (shop) => installed.has(shop),
    scopes: opts.scopes,
    appUrl: opts.appUrl,
  });
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () =>
      resolve(started),
    );
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    tokens,
    installed,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
