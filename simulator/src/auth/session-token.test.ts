// Session tokens: Shopify's own library accepts what we mint, and our check refuses what Shopify would.
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { mintSessionToken, verifySessionToken } from "./session-token.ts";

const SHOP = "photo-prints.myshopify.com";
const API_KEY = "sim-api-key";
const API_SECRET = "sim-api-secret";

const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  apiVersion: ApiVersion.October26,
  hostName: "localhost:3000",
  hostScheme: "http",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

describe("session tokens", () => {
  it("Shopify's decodeSessionToken accepts a minted token and reads the claims admin sets", async () => {
    // GIVEN a token minted as Shopify admin does
    const token = mintSessionToken({
      shop: SHOP,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      userId: "42",
    });
    // WHEN Shopify's own library decodes it
    const payload = await shopify.session.decodeSessionToken(token);
    // THEN every claim is where Shopify puts it
    expect(payload).toMatchObject({
      iss: `https://${SHOP}/admin`,
      dest: `https://${SHOP}`,
      aud: API_KEY,
      sub: "42",
    });
    expect(payload.exp - payload.iat).toBe(60);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.sid).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString())).toEqual({
      alg: "HS256",
      typ: "JWT",
    });
  });

  it("each token is unique (jti)", () => {
    const a = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET });
    const b = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET });
    expect(a).not.toBe(b);
  });

  it("Shopify's library refuses a token signed with another secret, as the app must", async () => {
    const forged = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: "not-the-secret" });
    await expect(shopify.session.decodeSessionToken(forged)).rejects.toThrow();
  });

  it("our check accepts a fresh token and gives its shop", async () => {
    const token = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET });
    const check = await verifySessionToken(token, { apiKey: API_KEY, apiSecret: API_SECRET });
    expect(check).toMatchObject({ ok: true, shop: SHOP });
  });

  it.each([
    ["expired (past exp plus the 10 s leeway)", { now: Date.now() - 71_000 }, {}],
    ["not yet valid (nbf in the future)", { now: Date.now() + 60_000 }, {}],
    ["signed with another secret", { apiSecret: "forged" }, {}],
    ["meant for another app (aud)", {}, { apiKey: "another-app" }],
  ])("our check refuses a token %s", async (_name, mint, verify) => {
    const token = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, ...mint });
    const check = await verifySessionToken(token, {
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      ...verify,
    });
    expect(check.ok).toBe(false);
  });

  it("our check refuses a correctly signed token whose iss is not its dest's admin", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      iss: "https://other.myshopify.com/admin",
      dest: `https://${SHOP}`,
      aud: API_KEY,
      sub: "1",
      exp: now + 60,
      nbf: now,
      iat: now,
      jti: "j",
      sid: "s",
    })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(API_SECRET));
    const check = await verifySessionToken(token, { apiKey: API_KEY, apiSecret: API_SECRET });
    expect(check).toMatchObject({ ok: false, reason: expect.stringContaining("iss") });
  });
});
