// Session tokens (ID tokens) as Shopify admin issues them to an embedded app, and their checking.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { base64url, errors, jwtVerify, type JWTPayload } from "jose";
import { DEFAULT_USER_ID } from "./access-tokens.ts";

/** Shopify admin's session tokens live one minute; App Bridge fetches a new one for each request. */
export const SESSION_TOKEN_TTL_SECONDS = 60;

export interface MintSessionTokenInput {
  /** The shop's myshopify domain, e.g. `photo-prints.myshopify.com`. */
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** The staff member (the token's `sub`); the shop owner when absent. */
  userId?: string;
  ttlSeconds?: number;
  /** Epoch milliseconds, for tests. */
  now?: number;
}

export interface SessionTokenPayload extends JWTPayload {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

/**
 * Signs an HS256 JWT with the app's secret carrying the claims Shopify admin sets. Signed by hand
 * with node:crypto (jose only encodes) because jose's signing is asynchronous and callers - the
 * demo's URL printer, route handlers, tests - want the token at once.
 */
export function mintSessionToken(input: MintSessionTokenInput): string {
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  const payload: SessionTokenPayload = {
    iss: `https://${input.shop}/admin`,
    dest: `https://${input.shop}`,
    aud: input.apiKey,
    sub: input.userId ?? DEFAULT_USER_ID,
    exp: iat + (input.ttlSeconds ?? SESSION_TOKEN_TTL_SECONDS),
    nbf: iat,
    iat,
    jti: randomUUID(),
    // One admin browser session: the same for every token of that session in Shopify; a token
    // minted here stands alone, so each gets its own.
    sid: randomBytes(16).toString("hex"),
  };
  const signingInput = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
  const signature = createHmac("sha256", input.apiSecret).update(signingInput).digest();
  return `${signingInput}.${base64url.encode(signature)}`;
}

function encode(part: object): string {
  return base64url.encode(JSON.stringify(part));
}

export type SubjectTokenCheck =
  { ok: true; shop: string; payload: SessionTokenPayload } | { ok: false; reason: string };

/**
 * Checks a subject token the way Shopify's token endpoint must: our signature (HS256, the app's
 * secret), an unexpired and already valid token, the app as audience, and a shop in `dest` that
 * issued it (`iss`). The 10 s leeway matches what Shopify's libraries allow for clock skew.
 */
export async function verifySessionToken(
  token: string,
  opts: { apiKey: string; apiSecret: string; now?: number },
): Promise<SubjectTokenCheck> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(opts.apiSecret), {
      algorithms: ["HS256"],
      audience: opts.apiKey,
      clockTolerance: 10,
      requiredClaims: ["exp", "nbf", "iss", "dest", "sub"],
      ...(opts.now !== undefined ? { currentDate: new Date(opts.now) } : {}),
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError)
      return { ok: false, reason: `${error.code}: ${error.message}` };
    return { ok: false, reason: String(error) };
  }
  const dest = typeof payload.dest === "string" ? payload.dest : "";
  let shop: string;
  try {
    const url = new URL(dest);
    if (url.protocol !== "https:") throw new Error("dest is not https");
    shop = url.hostname;
  } catch {
    return { ok: false, reason: `dest "${dest}" is not a shop URL` };
  }
  if (payload.iss !== `https://${shop}/admin`) {
    return { ok: false, reason: `iss "${String(payload.iss)}" is not https://${shop}/admin` };
  }
  return { ok: true, shop, payload: payload as SessionTokenPayload };
}
