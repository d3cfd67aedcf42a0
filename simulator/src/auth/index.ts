// The simulator's part in authentication, mounted by the simulator server: tokens, session tokens, routes.
export {
  createAccessTokenStore,
  toTokenResponse,
  DEFAULT_USER_ID,
  EXPIRING_OFFLINE_TOKEN_SECONDS,
  ONLINE_TOKEN_SECONDS,
  REFRESH_TOKEN_SECONDS,
  type AccessTokenKind,
  type AccessTokenRecord,
  type AccessTokenStore,
  type AccessTokenStoreOptions,
  type AssociatedUser,
  type IssuedAccessToken,
  type IssueOptions,
} from "./access-tokens.ts";
export {
  mintSessionToken,
  verifySessionToken,
  SESSION_TOKEN_TTL_SECONDS,
  type MintSessionTokenInput,
  type SessionTokenPayload,
  type SubjectTokenCheck,
} from "./session-token.ts";
export {
  authRoutes,
  hostParam,
  openAppUrl,
  ID_TOKEN_TYPE,
  OFFLINE_TOKEN_TYPE,
  ONLINE_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  type AuthDeps,
} from "./routes.ts";
