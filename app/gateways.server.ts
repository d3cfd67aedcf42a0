// An Admin API gateway per shop for background work and routes, from the shop's offline session.
// Every job of a shop paces against the same bucket: this process's picture on SQLite (one
// process), the database's on PostgreSQL, shared by every web and worker process (ADR 017).
import db from "./db.server";
import { adapterSql, databaseKind } from "./db/client.server";
import { ShopBudgets, type BucketSnapshot, type BudgetLedger } from "./shopify/budget";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { ShopifyApiError } from "./shopify/errors";
import { createAdminGateway, type AdminGateway } from "./shopify/gateway.server";
import { createSharedBudgets } from "./shopify/shared-budget.server";
import { unauthenticated } from "./shopify.server";
import { noOfflineSession, noOfflineToken } from "./fulfilment/session-wait";
import { env } from "./utils/env.server";

const budgets = new ShopBudgets();

let ledger: BudgetLedger | undefined;
function shopBuckets(): BudgetLedger {
  ledger ??=
    databaseKind(env().DATABASE_URL) === "postgresql"
      ? createSharedBudgets(adapterSql(db))
      : budgets;
  return ledger;
}

/**
 * The shop's bucket for Home: what this process spent (SQLite, one process) or what every process
 * spent (PostgreSQL: the workers spend it, not the web process that shows it).
 */
export async function shopBucket(shop: string, now: number): Promise<BucketSnapshot> {
  return shopBuckets().snapshot(shop, now);
}

export async function gatewayForShop(shop: string): Promise<AdminGateway> {
  const { accessToken } = await offlineSession(shop);
  return gatewayWith(shop, accessToken);
}

/**
 * The shop's offline token and its expiry: unauthenticated.admin refreshes an expiring offline
 * token before handing the session out.
 */
async function offlineSession(shop: string): Promise<{ accessToken: string; expires?: Date }> {
  let context: Awaited<ReturnType<typeof unauthenticated.admin>>;
  try {
    context = await unauthenticated.admin(shop);
  } catch (error) {
    // Said in our own words, which the queue keeps with the job and ADR 049's retry at sign-in
    // matches: the library's wording may change with an upgrade, its error class does not.
    if (error instanceof SessionNotFoundError)
      throw new Error(noOfflineSession(shop), { cause: error });
    throw error;
  }
  const { session } = context;
  if (!session.accessToken) throw new Error(noOfflineToken(shop));
  return { accessToken: session.accessToken, expires: session.expires };
}

function gatewayWith(shop: string, accessToken: string): AdminGateway {
  return createAdminGateway({
    shop,
    accessToken,
    adminOrigin: env().SHOPIFY_ADMIN_ORIGIN,
    budgets: shopBuckets(),
  });
}

/**
 * How long a worker reuses a shop's gateway, and the offline token in it, before loading the
 * session again (docs/decisions/037): it read the session row for every job, a statement and a
 * Prisma call each, a tenth of what routing an order sent.
 */
export const GATEWAY_REUSE_MS = 30_000;

/**
 * A token this close to its expiry is not reused: the session is loaded again, which refreshes it.
 * The library refreshes an expiring offline token within 5 minutes of its expiry, in whichever
 * process asks first, so a token another process refreshed is never the one reused.
 */
const REFRESH_MARGIN_MS = 5 * 60_000;

interface Kept {
  gateway: AdminGateway;
  loadedAt: number;
  /** When the token expires (expiring offline tokens); null when it does not. */
  expires: number | null;
}

// By shop, the least recently loaded first; a process working for more shops than this loads the
// others' sessions each time, as before.
const kept = new Map<string, Kept>();
const KEPT_SHOPS = 1000;

/**
 * The shop's gateway for the worker's jobs: the one loaded for the shop's last job while it is
 * younger than GATEWAY_REUSE_MS and its token is not near its expiry, else loaded as
 * gatewayForShop loads it. A token Shopify refuses is forgotten at once, so a job's retry after the
 * app was installed again loads the new one. Screens and extensions load theirs every time.
 */
export async function gatewayForJobs(shop: string): Promise<AdminGateway> {
  const now = Date.now();
  const reused = kept.get(shop);
  if (
    reused &&
    now - reused.loadedAt < GATEWAY_REUSE_MS &&
    (reused.expires === null || reused.expires - REFRESH_MARGIN_MS > now)
  )
    return reused.gateway;
  const { accessToken, expires } = await offlineSession(shop);
  const entry: Kept = {
    gateway: forgottenWhenRefused(gatewayWith(shop, accessToken), () => {
      if (kept.get(shop) === entry) kept.delete(shop);
    }),
    loadedAt: now,
    expires: expires ? expires.getTime() : null,
  };
  kept.delete(shop);
  if (kept.size >= KEPT_SHOPS) kept.delete(kept.keys().next().value!);
  kept.set(shop, entry);
  return entry.gateway;
}

/** The app was uninstalled from the shop: this process's gateway for it goes with its session. */
export function forgetGateway(shop: string): void {
  kept.delete(shop);
}

/** The gateway, forgotten as soon as Shopify refuses its token (the app uninstalled, say). */
function forgottenWhenRefused(gateway: AdminGateway, forget: () => void): AdminGateway {
  return {
    shop: gateway.shop,
    async request<TData, TVariables extends Record<string, unknown>>(
      document: string,
      variables?: TVariables,
    ): Promise<TData> {
      try {
        return await gateway.request<TData, TVariables>(document, variables);
      } catch (error) {
        if (error instanceof ShopifyApiError && error.kind === "unauthorized") forget();
        throw error;
      }
    },
  };
}
