// The one configured Shopify app: authentication, session storage and API version for every route.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import db from "./db.server";
import { env } from "./utils/env.server";
import { sendShopifyCallsTo } from "./shopify/origin.server";
import { ensureShop } from "./services/shops.server";
import { jobQueue } from "./process-queue.server";
import { QUEUES } from "./fulfilment/queues";
import { runJobsThatWaitedForSession } from "./fulfilment/session-wait";
import { errorText, logEvent } from "./utils/log.server";

const config = env();

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.October26,
  scopes: config.SCOPES?.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(db),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  // Each screen and extension request gets the staff member's online session, so the decision log,
  // bulk actions and money actions name who acted (ADR 077). Only the name is taken from it: every
  // Admin API call goes through gatewayForShop/gatewayForJobs with the shop's offline token.
  useOnlineTokens: true,
  future: {
    // Token exchange: the embedded strategy Shopify recommends with managed installation.
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => afterSignIn(session.shop),
  },
});

/**
 * What a shop's sign-in starts once token exchange stored its offline session (afterAuth): its
 * settings row, the jobs that waited for the session, and a reconciliation run. With online tokens
 * it runs again each time a staff member's online session is new or expired (about once a day per
 * staff member, ADR 077), so each part is safe to repeat: an upsert, a statement that finds nothing
 * once the jobs have run, and a reconciliation keyed by the shop and the minute.
 */
export async function afterSignIn(shop: string): Promise<void> {
  await ensureShop(db, shop);
  // Orders paid before the shop had a session: their route jobs failed without one and wait out a
  // backoff of up to 5 minutes; they run now, in line (ADR 049). Sign-in goes on if this fails:
  // the reconciliation run below brings them forward too.
  await runJobsThatWaitedForSession(jobQueue(), shop).catch((error: unknown) =>
    logEvent("warn", "jobs.session_arrived_failed", { shop, error: errorText(error) }),
  );
  // Pick up paid orders that arrived while the app was not installed, and start over the jobs that
  // gave up meanwhile.
  await jobQueue().enqueue(
    QUEUES.reconcile,
    { shop },
    { key: `reconcile:auth:${shop}:${Math.floor(Date.now() / 60_000)}`, shop, maxAttempts: 3 },
  );
}

// After the import above: the node adapter sets the library's fetch on import.
if (config.SHOPIFY_ADMIN_ORIGIN) sendShopifyCallsTo(config.SHOPIFY_ADMIN_ORIGIN);

export default shopify;
export const apiVersion = ApiVersion.October26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
