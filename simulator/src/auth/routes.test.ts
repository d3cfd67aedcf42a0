// The token endpoint and the simulator's auth routes, driven by Shopify's own library where it can be.
import "@shopify/shopify-api/adapters/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ApiVersion,
  HttpResponseError,
  LogSeverity,
  RequestedTokenType,
  shopifyApi,
} from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import type { Hono } from "hono";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createAccessTokenStore, type AccessTokenStore } from "./access-tokens.ts";
import {
  ID_TOKEN_TYPE,
  OFFLINE_TOKEN_TYPE,
  ONLINE_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  authRoutes,
} from "./routes.ts";
import { mintSessionToken } from "./session-token.ts";

const SHOP = "photo-prints.myshopify.com";
const API_KEY = "sim-api-key";
const API_SECRET = "sim-api-secret";
const SCOPES = "read_orders,write_orders";
const APP_URL = "http://localhost:3000";

const dir = mkdtempSync(join(tmpdir(), "sim-auth-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let file: string;
let tokens: AccessTokenStore;
let app: Hono;
let installed: Set<string>;

function build(store: AccessTokenStore): Hono {
  return authRoutes({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    tokens: store,
    isInstalled: (shop) => installed.has(shop),
    scopes: SCOPES,
    appUrl: APP_URL,
  });
}

beforeEach(() => {
  file = join(dir, `tokens-${Math.random().toString(36).slice(2)}.json`);
  tokens = createAccessTokenStore({ file });
  installed = new Set([SHOP]);
  app = build(tokens);
});

// Shopify's library calls https://{shop}/admin/...; hand those requests to the simulator's routes.
setAbstractFetchFunc(async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  return app.request(`${url.pathname}${url.search}`, init);
});

const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  apiVersion: ApiVersion.October26,
  hostName: "localhost:3000",
  hostScheme: "http",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

const sessionToken = (overrides: Partial<Parameters<typeof mintSessionToken>[0]> = {}) =>
  mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, ...overrides });

function exchange(body: Record<string, string>): Promise<Response> {
  return Promise.resolve(
    app.request("/admin/oauth/access_token", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        client_id: API_KEY,
        client_secret: API_SECRET,
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token_type: ID_TOKEN_TYPE,
        requested_token_type: OFFLINE_TOKEN_TYPE,
        ...body,
      }),
    }),
  );
}

describe("POST /admin/oauth/access_token", () => {
  it("token exchange: Shopify's library gets an expiring offline session whose token the simulator knows", async () => {
    // GIVEN a session token as admin issues it
    const token = sessionToken();
    // WHEN the app exchanges it as shopify-app-remix does (expiringOfflineAccessTokens)
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: token,
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    // THEN it holds an offline session with expiry and refresh token, usable on the Admin API
    expect(session).toMatchObject({
      shop: SHOP,
      isOnline: false,
      scope: SCOPES,
      id: `offline_${SHOP}`,
    });
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires?.getTime()).toBeGreaterThan(Date.now() + 59 * 60 * 1000);
    expect(tokens.shopFor(session.accessToken ?? "")).toBe(SHOP);
  });

  it("token exchange for an online token: the session belongs to the token's staff member", async () => {
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: sessionToken({ userId: "42" }),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(42);
    expect(session.id).toBe(`${SHOP}_42`);
  });

  it("accepts a form-encoded body, and answers a non-expiring offline token with {access_token, scope}", async () => {
    const response = await app.request("/admin/oauth/access_token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: API_KEY,
        client_secret: API_SECRET,
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: sessionToken(),
        subject_token_type: ID_TOKEN_TYPE,
        requested_token_type: OFFLINE_TOKEN_TYPE,
        expiring: "0",
      }).toString(),
    });
    expect(response.status).toBe(200);
    expect(Object.keys((await response.json()) as object).sort()).toEqual([
      "access_token",
      "scope",
    ]);
  });

  it("refuses a wrong client secret with 401 invalid_client and issues nothing", async () => {
    const response = await exchange({ client_secret: "wrong", subject_token: sessionToken() });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });

  it.each([
    ["expired", () => sessionToken({ now: Date.now() - 5 * 60 * 1000 })],
    ["forged (another secret)", () => sessionToken({ apiSecret: "attacker" })],
    ["for another app (aud)", () => sessionToken({ apiKey: "another-app" })],
    ["not a JWT", () => "garbage"],
  ])("answers 400 invalid_subject_token for a subject token that is %s", async (_name, make) => {
    const response = await exchange({ subject_token: make() });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_subject_token" });
  });

  it("Shopify's library reads invalid_subject_token the way shopify-app-remix needs to re-authenticate", async () => {
    // The app's token exchange strategy bounces only on a 400 whose body.error is invalid_subject_token.
    installed.clear();
    const failure = await shopify.auth
      .tokenExchange({
        shop: SHOP,
        sessionToken: sessionToken(),
        requestedTokenType: RequestedTokenType.OfflineAccessToken,
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HttpResponseError);
    expect((failure as HttpResponseError).response).toMatchObject({
      code: 400,
      body: { error: "invalid_subject_token" },
    });
  });

  it("answers 400 to a missing subject token, an unknown token type and an unknown grant", async () => {
    expect((await exchange({})).status).toBe(400);
    expect(
      (await exchange({ subject_token: sessionToken(), requested_token_type: "urn:x" })).status,
    ).toBe(400);
    const grant = await exchange({ grant_type: "password" });
    expect(await grant.json()).toMatchObject({ error: "unsupported_grant_type" });
  });

  it("refresh_token grant: Shopify's library refreshes an expiring session into a new pair", async () => {
    // GIVEN an expiring offline session
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: sessionToken(),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    // WHEN the app refreshes it as shopify-app-remix does before expiry
    const { session: refreshed } = await shopify.auth.refreshToken({
      shop: SHOP,
      refreshToken: session.refreshToken ?? "",
    });
    // THEN a new working token and a new refresh token
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    expect(tokens.shopFor(refreshed.accessToken ?? "")).toBe(SHOP);
  });

  it("refresh_token grant refuses an unknown refresh token with 400 invalid_grant", async () => {
    const response = await app.request("/admin/oauth/access_token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: API_KEY,
        client_secret: API_SECRET,
        grant_type: "refresh_token",
        refresh_token: "shprt_nope",
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("migration: a non-expiring offline token is exchanged for an expiring pair (shopify-api migrateToExpiringToken)", async () => {
    const legacy = tokens.issue(SHOP, "offline", SCOPES);
    const { session } = await shopify.auth.migrateToExpiringToken({
      shop: SHOP,
      nonExpiringOfflineAccessToken: legacy.accessToken,
    });
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(tokens.shopFor(legacy.accessToken)).toBeUndefined();
    expect(tokens.shopFor(session.accessToken ?? "")).toBe(SHOP);
  });

  it("tokens survive a simulator restart: a new store on the same file knows and refreshes them", async () => {
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: sessionToken(),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    // A restart: new store, new routes, same file.
    tokens = createAccessTokenStore({ file });
    app = build(tokens);
    expect(tokens.shopFor(session.accessToken ?? "")).toBe(SHOP);
    const { session: refreshed } = await shopify.auth.refreshToken({
      shop: SHOP,
      refreshToken: session.refreshToken ?? "",
    });
    expect(tokens.shopFor(refreshed.accessToken ?? "")).toBe(SHOP);
  });

  it("the online token type constant is Shopify's", () => {
    expect(ONLINE_TOKEN_TYPE).toBe(RequestedTokenType.OnlineAccessToken);
    expect(OFFLINE_TOKEN_TYPE).toBe(RequestedTokenType.OfflineAccessToken);
  });
});

describe("GET /_sim/session-token", () => {
  it("gives a token Shopify's library accepts, with CORS for the app's page", async () => {
    const response = await app.request(`/_sim/session-token?shop=${SHOP}`, {
      headers: { Origin: APP_URL },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const { token } = (await response.json()) as { token: string };
    expect(await shopify.session.decodeSessionToken(token)).toMatchObject({
      dest: `https://${SHOP}`,
    });
  });

  it("refuses a shop without the app (404) and an App Bridge loaded with another API key (400)", async () => {
    expect((await app.request("/_sim/session-token?shop=nobody.myshopify.com")).status).toBe(404);
    const mismatch = await app.request(`/_sim/session-token?shop=${SHOP}&client_id=other`);
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: string }).error).toContain("SHOPIFY_API_KEY");
  });
});

describe("GET /_sim/open", () => {
  it("redirects to the app as admin opens it: embedded=1, shop, host, id_token and a valid hmac", async () => {
    // WHEN the demo's link is followed
    const response = await app.request(`/_sim/open?shop=${SHOP}&path=/app`);
    // THEN the app is loaded with admin's parameters
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${APP_URL}/app`);
    const params = location.searchParams;
    expect(params.get("embedded")).toBe("1");
    expect(params.get("shop")).toBe(SHOP);
    expect(Buffer.from(params.get("host") ?? "", "base64").toString()).toBe(
      "admin.shopify.com/store/photo-prints",
    );
    expect(shopify.utils.sanitizeHost(params.get("host") ?? "")).toBeTruthy();
    expect(await shopify.session.decodeSessionToken(params.get("id_token") ?? "")).toMatchObject({
      aud: API_KEY,
    });
    expect(await shopify.utils.validateHmac(params)).toBe(true);
  });

  it("passes the staff member's admin language as `locale`, signed with the rest (shopify.dev: Localize your app)", async () => {
    // WHEN admin opens the app for a staff member whose admin speaks German
    const response = await app.request(`/_sim/open?shop=${SHOP}&path=/app&locale=de`);
    // THEN the app is loaded with locale=de, and the hmac covers it
    const params = new URL(response.headers.get("location") ?? "").searchParams;
    expect(params.get("locale")).toBe("de");
    expect(await shopify.utils.validateHmac(params)).toBe(true);
    // AND without a language it is English, as for the demo's link
    const english = await app.request(`/_sim/open?shop=${SHOP}&path=/app`);
    expect(new URL(english.headers.get("location") ?? "").searchParams.get("locale")).toBe("en");
    // AND something that is no language tag is refused
    expect((await app.request(`/_sim/open?shop=${SHOP}&locale=%3Cscript%3E`)).status).toBe(400);
  });

  it("refuses a shop without the app and a path that leaves the app", async () => {
    expect((await app.request("/_sim/open?shop=nobody.myshopify.com")).status).toBe(404);
    expect((await app.request(`/_sim/open?shop=${SHOP}&path=//evil.example`)).status).toBe(400);
  });
});

describe("GET /app-bridge.js", () => {
  it("serves the stand-in as a classic script any origin may load", async () => {
    const response = await app.request("/app-bridge.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/javascript");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const source = await response.text();
    expect(source).toContain("shopify:navigate");
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
  });
});
