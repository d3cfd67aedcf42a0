// Shopify's side of embedded-app authentication over HTTP: the token endpoint, session tokens for
// App Bridge, the admin's "open the app" link and the App Bridge stand-in script.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { toTokenResponse, type AccessTokenStore, type IssuedAccessToken } from "./access-tokens.ts";
import { mintSessionToken, verifySessionToken } from "./session-token.ts";

export interface AuthDeps {
  apiKey: string;
  apiSecret: string;
  tokens: AccessTokenStore;
  isInstalled(shop: string): boolean;
  /** Comma-separated access scopes granted on install (shopify.app.toml's `scopes`). */
  scopes: string;
  /** Where the app is served, e.g. http://localhost:3000 (the app's SHOPIFY_APP_URL). */
  appUrl: string;
  /** Epoch milliseconds, for tests. */
  now?: () => number;
}

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

const APP_BRIDGE_SCRIPT = readFileSync(new URL("./app-bridge.js", import.meta.url), "utf8");

export function authRoutes(deps: AuthDeps): Hono {
  const now = deps.now ?? Date.now;
  const app = new Hono();

  app.post("/admin/oauth/access_token", async (c) => {
    const params = await readParams(c);
    if (!params)
      return oauthError(c, 400, "invalid_request", "The request body is not valid JSON.");
    // All shops share the simulator's origin, so the shop comes from what the request carries
    // (the subject token's dest, the refresh token's record), never from the Host header.
    if (
      !sameSecret(params.client_id, deps.apiKey) ||
      !sameSecret(params.client_secret, deps.apiSecret)
    ) {
      return oauthError(
        c,
        401,
        "invalid_client",
        "Client authentication failed: unknown client_id or wrong client_secret.",
      );
    }
    switch (params.grant_type) {
      case TOKEN_EXCHANGE_GRANT:
        return tokenExchange(c, params);
      case "refresh_token":
        return refreshGrant(c, params);
      case undefined:
        return oauthError(c, 400, "invalid_request", "grant_type is required.");
      default:
        return oauthError(
          c,
          400,
          "unsupported_grant_type",
          `grant_type ${params.grant_type} is not supported.`,
        );
    }
  });

  async function tokenExchange(c: Context, params: Record<string, string>): Promise<Response> {
    const subject = params.subject_token;
    if (!subject) return oauthError(c, 400, "invalid_request", "subject_token is required.");
    const requested = params.requested_token_type ?? OFFLINE_TOKEN_TYPE;
    if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
      return oauthError(
        c,
        400,
        "invalid_request",
        `requested_token_type ${requested} is not supported.`,
      );
    }
    const expiring = isTrue(params.expiring);

    if (params.subject_token_type === OFFLINE_TOKEN_TYPE) {
      // Migrating a non-expiring offline token to an expiring pair.
      if (requested !== OFFLINE_TOKEN_TYPE || !expiring) {
        return oauthError(
          c,
          400,
          "invalid_request",
          "An offline access token can only be exchanged for an expiring offline access token.",
        );
      }
      const migrated = deps.tokens.migrate(subject);
      if (!migrated || !deps.isInstalled(migrated.shop)) {
        return oauthError(
          c,
          400,
          "invalid_subject_token",
          "The offline access token is unknown, expiring, revoked or already migrated.",
        );
      }
      return c.json(toTokenResponse(migrated));
    }
    if (params.subject_token_type !== ID_TOKEN_TYPE) {
      return oauthError(c, 400, "invalid_request", `subject_token_type must be ${ID_TOKEN_TYPE}.`);
    }

    const check = await verifySessionToken(subject, {
      apiKey: deps.apiKey,
      apiSecret: deps.apiSecret,
      now: now(),
    });
    if (!check.ok)
      return oauthError(
        c,
        400,
        "invalid_subject_token",
        `The session token is invalid: ${check.reason}`,
      );
    if (!deps.isInstalled(check.shop)) {
      return oauthError(
        c,
        400,
        "invalid_subject_token",
        `The app is not installed on ${check.shop}.`,
      );
    }
    const issued: IssuedAccessToken =
      requested === OFFLINE_TOKEN_TYPE
        ? deps.tokens.issue(check.shop, "offline", deps.scopes, { expiring })
        : deps.tokens.issue(check.shop, "online", deps.scopes, { userId: check.payload.sub });
    return c.json(toTokenResponse(issued));
  }

  function refreshGrant(c: Context, params: Record<string, string>): Response {
    if (!params.refresh_token)
      return oauthError(c, 400, "invalid_request", "refresh_token is required.");
    const issued = deps.tokens.refresh(params.refresh_token);
    if (!issued || !deps.isInstalled(issued.shop)) {
      // RFC 6749 5.2: an invalid, expired or revoked refresh token is invalid_grant.
      return oauthError(
        c,
        400,
        "invalid_grant",
        "The refresh token is invalid, expired or revoked.",
      );
    }
    return c.json(toTokenResponse(issued));
  }

  // Called cross-origin by the App Bridge stand-in running in the app's page.
  app.use("/_sim/session-token", cors({ origin: "*", allowMethods: ["GET"] }));
  app.get("/_sim/session-token", (c) => {
    const shop = c.req.query("shop") ?? "";
    const problem = shopProblem(shop, c.req.query("client_id"));
    if (problem) return c.json({ error: problem.message }, problem.status);
    const userId = c.req.query("user") || undefined;
    if (userId !== undefined && !/^\d+$/.test(userId)) {
      return c.json({ error: "user must be a numeric staff member id" }, 400);
    }
    const token = mintSessionToken({
      shop,
      apiKey: deps.apiKey,
      apiSecret: deps.apiSecret,
      userId,
      now: now(),
    });
    c.header("Cache-Control", "no-store");
    return c.json({ token });
  });

  // What clicking the app in Shopify admin does: load the app with the embedded parameters.
  app.get("/_sim/open", (c) => {
    const shop = c.req.query("shop") ?? "";
    const problem = shopProblem(shop);
    if (problem) return c.json({ error: problem.message }, problem.status);
    const path = c.req.query("path") || "/app";
    // The staff member's admin language: `en` unless the test or demo says otherwise.
    const locale = c.req.query("locale") || "en";
    if (!/^[a-z]{2}(-[A-Z]{2})?$/.test(locale)) {
      return c.json({ error: "locale must be a language tag like de or de-DE" }, 400);
    }
    if (!path.startsWith("/") || path.startsWith("//")) {
      return c.json({ error: "path must be a path on the app, starting with one /" }, 400);
    }
    return c.redirect(openAppUrl({ ...deps, shop, path, locale, now: now() }), 302);
  });

  app.get("/app-bridge.js", (c) => {
    c.header("Access-Control-Allow-Origin", "*");
    c.header("Cache-Control", "no-cache");
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(APP_BRIDGE_SCRIPT);
  });

  function shopProblem(
    shop: string,
    clientId?: string,
  ): { status: 400 | 404; message: string } | undefined {
    if (!SHOP_DOMAIN.test(shop))
      return {
        status: 400,
        message: "shop must be a myshopify.com domain, e.g. photo-prints.myshopify.com",
      };
    if (clientId !== undefined && clientId !== deps.apiKey) {
      return {
        status: 400,
        message: `App Bridge was loaded with data-api-key "${clientId}", but the simulator plays the app whose API key is "${deps.apiKey}": SHOPIFY_API_KEY differs between the app and the simulator.`,
      };
    }
    if (!deps.isInstalled(shop))
      return { status: 404, message: `The app is not installed on ${shop}.` };
    return undefined;
  }

  return app;
}

/**
 * The URL Shopify admin loads an embedded app with: embedded=1, the shop, the base64 `host`
 * (admin.shopify.com/store/NAME), a fresh session token, and admin's signed launch parameters
 * (locale, session, timestamp, hmac). `locale` is the staff member's admin language, as Shopify
 * admin passes it to every embedded app ("Localize your app" on shopify.dev: `locale=de`).
 */
export function openAppUrl(input: {
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  shop: string;
  path: string;
  userId?: string;
  locale?: string;
  now?: number;
}): string {
  const at = input.now ?? Date.now();
  const idToken = mintSessionToken({ ...input, now: at });
  const [, payload = ""] = idToken.split(".");
  const sid = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sid: string })
    .sid;
  const params: Record<string, string> = {
    embedded: "1",
    host: hostParam(input.shop),
    id_token: idToken,
    locale: input.locale ?? "en",
    session: sid,
    shop: input.shop,
    timestamp: String(Math.floor(at / 1000)),
  };
  // Shopify signs the launch parameters: HMAC-SHA256, hex, over the sorted parameters encoded as
  // a query string (spaces as %20), which is what Shopify's libraries recompute to check it.
  const sorted = new URLSearchParams();
  for (const key of Object.keys(params).sort((a, b) => a.localeCompare(b))) {
    sorted.append(key, params[key] ?? "");
  }
  const message = sorted.toString().replace(/\+/g, "%20");
  params.hmac = createHmac("sha256", input.apiSecret).update(message).digest("hex");
  const url = new URL(`${input.appUrl.replace(/\/$/, "")}${input.path}`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/** The `host` parameter: base64 of the shop's admin location, as Shopify admin passes it. */
export function hostParam(shop: string): string {
  const name = shop.replace(/\.myshopify\.com$/, "");
  return Buffer.from(`admin.shopify.com/store/${name}`).toString("base64");
}

function oauthError(c: Context, status: 400 | 401, error: string, description: string): Response {
  return c.json({ error, error_description: description }, status);
}

/** Token endpoint parameters from a JSON or form body (query string as a fallback, as OAuth allows). */
async function readParams(c: Context): Promise<Record<string, string> | undefined> {
  const params: Record<string, string> = Object.fromEntries(new URL(c.req.url).searchParams);
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/json")) {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return undefined;
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
    for (const [key, value] of Object.entries(body)) {
      if (["string", "number", "boolean"].includes(typeof value)) params[key] = String(value);
    }
  } else if (
    type.includes("application/x-www-form-urlencoded") ||
    type.includes("multipart/form-data")
  ) {
    const body = await c.req.parseBody();
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === "string") params[key] = value;
    }
  }
  return params;
}

function isTrue(value: string | undefined): boolean {
  return value === "1" || value === "true";
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
