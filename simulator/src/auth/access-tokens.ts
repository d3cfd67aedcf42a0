// The Admin API access tokens the simulated Shopify has handed out, kept (optionally) in a JSON file.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type AccessTokenKind = "offline" | "online";

/** The staff member an online token acts for: the `associated_user` of Shopify's answer. */
export interface AssociatedUser {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  email_verified: boolean;
  account_owner: boolean;
  locale: string;
  collaborator: boolean;
}

/** What one issue or refresh hands back, in camelCase; `toTokenResponse` gives Shopify's JSON. */
export interface IssuedAccessToken {
  accessToken: string;
  scope: string;
  shop: string;
  kind: AccessTokenKind;
  expiresIn?: number;
  refreshToken?: string;
  refreshTokenExpiresIn?: number;
  associatedUserScope?: string;
  associatedUser?: AssociatedUser;
}

export interface IssueOptions {
  /** Offline only: a 60-minute token with a refresh token, as `expiring=1` asks Shopify for. */
  expiring?: boolean;
  /** Online only: the staff member (the session token's `sub`). */
  userId?: string;
}

export interface AccessTokenRecord {
  shop: string;
  kind: AccessTokenKind;
  scope: string;
  issuedAt: number;
  /** Epoch milliseconds; absent for a non-expiring offline token. */
  expiresAt?: number;
  userId?: string;
  /** A non-expiring offline token exchanged for an expiring pair: no longer valid for the API. */
  migratedAt?: number;
  /** The pair the migration issued, handed out again on a retry. */
  migratedTo?: { accessToken: string; refreshToken: string };
}

export interface AccessTokenStore {
  issue(shop: string, kind: AccessTokenKind, scope: string, opts?: IssueOptions): IssuedAccessToken;
  /** The shop a live token belongs to; undefined when unknown, expired or revoked. */
  shopFor(accessToken: string): string | undefined;
  /** The whole record of a live token (scope, kind, expiry), for the Admin API's access checks. */
  lookup(accessToken: string): AccessTokenRecord | undefined;
  /** `grant_type=refresh_token`: a new token pair, or undefined when the refresh token is no good. */
  refresh(refreshToken: string): IssuedAccessToken | undefined;
  /**
   * Token exchange of a non-expiring offline token for an expiring pair (`expiring=1` with
   * subject_token_type offline-access-token); undefined when the token cannot be migrated.
   */
  migrate(nonExpiringToken: string): IssuedAccessToken | undefined;
  /** The shop uninstalled the app: every token and refresh token for it stops working. */
  revokeShop(shop: string): void;
}

export interface AccessTokenStoreOptions {
  /** JSON file that keeps tokens across simulator restarts; the app's stored sessions hold them. */
  file?: string;
  /** Clock in epoch milliseconds, for tests. */
  now?: () => number;
}

// Lifetimes Shopify documents: expiring offline tokens last 60 minutes, their refresh tokens 90
// days; an online token lasts at most a day (the staff member's admin session).
export const EXPIRING_OFFLINE_TOKEN_SECONDS = 3600;
export const REFRESH_TOKEN_SECONDS = 90 * 24 * 3600;
export const ONLINE_TOKEN_SECONDS = 86_399;
// Since August 2026 a used refresh token may be retried until its replacement is first used, but
// no longer than 30 days after its own first use.
export const REFRESH_RETRY_WINDOW_SECONDS = 30 * 24 * 3600;
// A lost migration answer can be recovered by retrying with the original token for seven days.
export const MIGRATION_RETRY_WINDOW_SECONDS = 7 * 24 * 3600;

interface RefreshTokenRecord {
  shop: string;
  scope: string;
  expiresAt: number;
  firstUsedAt?: number;
  /** The refresh tokens issued when this one was used (more than one if the app retried it). */
  replacedBy?: string[];
  /** Retired once its replacement is used, or on uninstall. */
  retired?: boolean;
  /** The access token issued together with this refresh token. */
  accessToken: string;
}

interface StoreFile {
  version: 1;
  accessTokens: Record<string, AccessTokenRecord>;
  refreshTokens: Record<string, RefreshTokenRecord>;
}

// Prefixes shaped like Shopify's, so a token in a log says what it is.
const newToken = (prefix: string) => `${prefix}_${randomBytes(16).toString("hex")}`;

export function createAccessTokenStore(opts: AccessTokenStoreOptions = {}): AccessTokenStore {
  const now = opts.now ?? Date.now;
  const state: StoreFile = load(opts.file);

  function save(): void {
    if (!opts.file) return;
    mkdirSync(dirname(opts.file), { recursive: true });
    // Write then rename, so a crash mid-write never leaves a half file that loses every session.
    const temp = `${opts.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(state, null, 2));
    renameSync(temp, opts.file);
  }

  function live(accessToken: string): AccessTokenRecord | undefined {
    const record = state.accessTokens[accessToken];
    if (!record) return undefined;
    if (record.expiresAt !== undefined && record.expiresAt <= now()) return undefined;
    if (record.migratedAt !== undefined) return undefined;
    return record;
  }

  function issueNonExpiringOffline(shop: string, scope: string): IssuedAccessToken {
    const accessToken = newToken("shpat");
    state.accessTokens[accessToken] = { shop, kind: "offline", scope, issuedAt: now() };
    save();
    return { accessToken, scope, shop, kind: "offline" };
  }

  function issueExpiringOffline(
    shop: string,
    scope: string,
  ): IssuedAccessToken & { refreshToken: string } {
    const issuedAt = now();
    const accessToken = newToken("shpat");
    const refreshToken = newToken("shprt");
    state.accessTokens[accessToken] = {
      shop,
      kind: "offline",
      scope,
      issuedAt,
      expiresAt: issuedAt + EXPIRING_OFFLINE_TOKEN_SECONDS * 1000,
    };
    state.refreshTokens[refreshToken] = {
      shop,
      scope,
      accessToken,
      expiresAt: issuedAt + REFRESH_TOKEN_SECONDS * 1000,
    };
    save();
    return {
      accessToken,
      scope,
      shop,
      kind: "offline",
      expiresIn: EXPIRING_OFFLINE_TOKEN_SECONDS,
      refreshToken,
      refreshTokenExpiresIn: REFRESH_TOKEN_SECONDS,
    };
  }

  return {
    issue(shop, kind, scope, issueOpts = {}) {
      if (kind === "offline") {
        return issueOpts.expiring
          ? issueExpiringOffline(shop, scope)
          : issueNonExpiringOffline(shop, scope);
      }
      const issuedAt = now();
      const accessToken = newToken("shpua");
      const userId = issueOpts.userId ?? DEFAULT_USER_ID;
      state.accessTokens[accessToken] = {
        shop,
        kind: "online",
        scope,
        issuedAt,
        expiresAt: issuedAt + ONLINE_TOKEN_SECONDS * 1000,
        userId,
      };
      save();
      return {
        accessToken,
        scope,
        shop,
        kind: "online",
        expiresIn: ONLINE_TOKEN_SECONDS,
        associatedUserScope: scope,
        associatedUser: staffMember(shop, userId),
      };
    },

    shopFor(accessToken) {
      return live(accessToken)?.shop;
    },

    lookup(accessToken) {
      const record = live(accessToken);
      return record ? { ...record } : undefined;
    },

    refresh(refreshToken) {
      const record = state.refreshTokens[refreshToken];
      const at = now();
      if (!record || record.retired || record.expiresAt <= at) return undefined;
      if (record.firstUsedAt !== undefined) {
        const retryUntil = record.firstUsedAt + REFRESH_RETRY_WINDOW_SECONDS * 1000;
        if (at > retryUntil) return undefined;
      }
      record.firstUsedAt ??= at;
      // Using this refresh token retires the one it replaced: the app has moved on to it.
      for (const previous of Object.values(state.refreshTokens)) {
        if (previous.replacedBy?.includes(refreshToken)) previous.retired = true;
      }
      const issued = issueExpiringOffline(record.shop, record.scope);
      record.replacedBy = [...(record.replacedBy ?? []), issued.refreshToken];
      save();
      return issued;
    },

    migrate(nonExpiringToken) {
      const record = state.accessTokens[nonExpiringToken];
      if (!record || record.kind !== "offline" || record.expiresAt !== undefined) return undefined;
      const at = now();
      if (record.migratedAt === undefined || !record.migratedTo) {
        const issued = issueExpiringOffline(record.shop, record.scope);
        record.migratedAt = at;
        record.migratedTo = { accessToken: issued.accessToken, refreshToken: issued.refreshToken };
        save();
        return issued;
      }
      // A retry: the same pair again while the window lasts and the app has not refreshed it.
      const pair = record.migratedTo;
      const refresh = state.refreshTokens[pair.refreshToken];
      const access = state.accessTokens[pair.accessToken];
      const withinWindow = at - record.migratedAt <= MIGRATION_RETRY_WINDOW_SECONDS * 1000;
      if (
        !withinWindow ||
        !refresh ||
        !access ||
        refresh.retired ||
        refresh.firstUsedAt !== undefined
      ) {
        return undefined;
      }
      access.expiresAt = Math.max(
        access.expiresAt ?? 0,
        at + EXPIRING_OFFLINE_TOKEN_SECONDS * 1000,
      );
      save();
      return {
        accessToken: pair.accessToken,
        scope: access.scope,
        shop: access.shop,
        kind: "offline",
        expiresIn: Math.round((access.expiresAt - at) / 1000),
        refreshToken: pair.refreshToken,
        refreshTokenExpiresIn: Math.round((refresh.expiresAt - at) / 1000),
      };
    },

    revokeShop(shop) {
      for (const [token, record] of Object.entries(state.accessTokens)) {
        if (record.shop === shop) delete state.accessTokens[token];
      }
      for (const record of Object.values(state.refreshTokens)) {
        if (record.shop === shop) record.retired = true;
      }
      save();
    },
  };
}

/** The staff member session tokens are minted for when a caller names none: the shop's owner. */
export const DEFAULT_USER_ID = "1";

function staffMember(shop: string, userId: string): AssociatedUser {
  const owner = userId === DEFAULT_USER_ID;
  return {
    id: Number(userId),
    first_name: owner ? "Shop" : "Staff",
    last_name: owner ? "Owner" : `Member ${userId}`,
    email: `${owner ? "owner" : `staff-${userId}`}@${shop}`,
    email_verified: true,
    account_owner: owner,
    locale: "en",
    collaborator: false,
  };
}

/** Shopify's JSON answer for an issued token (snake_case, only the fields its kind carries). */
export function toTokenResponse(issued: IssuedAccessToken): Record<string, unknown> {
  const body: Record<string, unknown> = { access_token: issued.accessToken, scope: issued.scope };
  if (issued.expiresIn !== undefined) body.expires_in = issued.expiresIn;
  if (issued.refreshToken !== undefined) body.refresh_token = issued.refreshToken;
  if (issued.refreshTokenExpiresIn !== undefined) {
    body.refresh_token_expires_in = issued.refreshTokenExpiresIn;
  }
  if (issued.associatedUser) {
    body.associated_user_scope = issued.associatedUserScope;
    body.associated_user = issued.associatedUser;
  }
  return body;
}

function load(file: string | undefined): StoreFile {
  const empty: StoreFile = { version: 1, accessTokens: {}, refreshTokens: {} };
  if (!file || !existsSync(file)) return empty;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<StoreFile>;
  if (parsed.version !== 1) {
    throw new Error(
      `${file} is not a token file this simulator wrote (version ${String(parsed.version)})`,
    );
  }
  return {
    version: 1,
    accessTokens: parsed.accessTokens ?? {},
    refreshTokens: parsed.refreshTokens ?? {},
  };
}
