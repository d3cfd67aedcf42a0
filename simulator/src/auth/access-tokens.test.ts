// The token store: lifetimes Shopify documents, refresh-token rotation, migration, uninstall, restarts.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAccessTokenStore, toTokenResponse } from "./access-tokens.ts";

const SHOP = "photo-prints.myshopify.com";
const SCOPES = "read_orders,write_orders";
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

function clock(start = Date.UTC(2026, 10, 24, 12)) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "sim-tokens-"));
  dirs.push(dir);
  return join(dir, "nested", "tokens.json");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("access tokens", () => {
  it("a non-expiring offline token answers {access_token, scope} only and never expires", () => {
    // GIVEN a store
    const time = clock();
    const store = createAccessTokenStore({ now: time.now });
    // WHEN an offline token is issued without expiring=1
    const issued = store.issue(SHOP, "offline", SCOPES);
    // THEN Shopify's answer has no expiry and the token keeps working
    expect(toTokenResponse(issued)).toEqual({ access_token: issued.accessToken, scope: SCOPES });
    time.advance(365 * DAY);
    expect(store.shopFor(issued.accessToken)).toBe(SHOP);
  });

  it("an expiring offline token lasts 60 minutes and comes with a 90-day refresh token (Shopify, Dec 2025)", () => {
    const time = clock();
    const store = createAccessTokenStore({ now: time.now });
    const issued = store.issue(SHOP, "offline", SCOPES, { expiring: true });
    expect(toTokenResponse(issued)).toMatchObject({
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_/),
      refresh_token_expires_in: 90 * 24 * 3600,
    });
    time.advance(HOUR - 1000);
    expect(store.shopFor(issued.accessToken)).toBe(SHOP);
    time.advance(1000);
    expect(store.shopFor(issued.accessToken)).toBeUndefined();
  });

  it("an online token names the staff member and carries associated_user_scope", () => {
    const store = createAccessTokenStore();
    const issued = store.issue(SHOP, "online", SCOPES, { userId: "42" });
    const body = toTokenResponse(issued);
    expect(body).toMatchObject({
      expires_in: 86399,
      associated_user_scope: SCOPES,
      associated_user: { id: 42, account_owner: false, email_verified: true },
    });
    expect(store.lookup(issued.accessToken)).toMatchObject({
      kind: "online",
      userId: "42",
      shop: SHOP,
    });
  });

  it("a refresh gives a new pair; the used refresh token may be retried until its replacement is used (Shopify, Aug 2026)", () => {
    const time = clock();
    const store = createAccessTokenStore({ now: time.now });
    const first = store.issue(SHOP, "offline", SCOPES, { expiring: true });
    const firstRefresh = first.refreshToken as string;

    time.advance(2 * HOUR);
    const second = store.refresh(firstRefresh);
    expect(second).toMatchObject({ shop: SHOP, scope: SCOPES, expiresIn: 3600 });
    expect(second?.refreshToken).not.toBe(firstRefresh);
    expect(store.shopFor(second?.accessToken ?? "")).toBe(SHOP);

    // A lost answer: the app retries the same refresh token and still gets a pair.
    const retried = store.refresh(firstRefresh);
    expect(retried?.accessToken).toBeDefined();

    // Once the replacement is used, the old refresh token is retired.
    expect(store.refresh(second?.refreshToken ?? "")).toBeDefined();
    expect(store.refresh(firstRefresh)).toBeUndefined();
  });

  it("a refresh token stops working after 90 days, and an unknown one never works", () => {
    const time = clock();
    const store = createAccessTokenStore({ now: time.now });
    const issued = store.issue(SHOP, "offline", SCOPES, { expiring: true });
    expect(store.refresh("shprt_unknown")).toBeUndefined();
    time.advance(90 * DAY);
    expect(store.refresh(issued.refreshToken as string)).toBeUndefined();
  });

  it("migrating a non-expiring token gives an expiring pair, retires the old token, and a retry gets the same pair", () => {
    const time = clock();
    const store = createAccessTokenStore({ now: time.now });
    const legacy = store.issue(SHOP, "offline", SCOPES);
    const migrated = store.migrate(legacy.accessToken);
    expect(migrated).toMatchObject({
      expiresIn: 3600,
      refreshToken: expect.stringMatching(/^shprt_/),
    });
    expect(store.shopFor(legacy.accessToken)).toBeUndefined();
    time.advance(HOUR);
    expect(store.migrate(legacy.accessToken)).toMatchObject({
      accessToken: migrated?.accessToken,
      refreshToken: migrated?.refreshToken,
    });
    time.advance(7 * DAY);
    expect(store.migrate(legacy.accessToken)).toBeUndefined();
  });

  it("uninstall revokes every token and refresh token of the shop, and only that shop", () => {
    const store = createAccessTokenStore();
    const offline = store.issue(SHOP, "offline", SCOPES, { expiring: true });
    const other = store.issue("other.myshopify.com", "offline", SCOPES);
    store.revokeShop(SHOP);
    expect(store.shopFor(offline.accessToken)).toBeUndefined();
    expect(store.refresh(offline.refreshToken as string)).toBeUndefined();
    expect(store.shopFor(other.accessToken)).toBe("other.myshopify.com");
  });

  it("tokens kept in a file survive a new store instance (a simulator restart)", () => {
    // GIVEN tokens issued by one store writing to a file
    const file = tempFile();
    const before = createAccessTokenStore({ file });
    const offline = before.issue(SHOP, "offline", SCOPES, { expiring: true });
    const legacy = before.issue(SHOP, "offline", SCOPES);
    // WHEN a new store reads the same file
    const after = createAccessTokenStore({ file });
    // THEN the app's stored tokens still work, and so does the refresh token
    expect(after.shopFor(offline.accessToken)).toBe(SHOP);
    expect(after.shopFor(legacy.accessToken)).toBe(SHOP);
    const refreshed = after.refresh(offline.refreshToken as string);
    expect(refreshed).toBeDefined();
    expect(createAccessTokenStore({ file }).shopFor(refreshed?.accessToken ?? "")).toBe(SHOP);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ version: 1 });
  });
});
