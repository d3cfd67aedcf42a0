// An Admin API gateway per shop for background work and routes, from the shop's offline session.
// Every job of a shop paces against the same bucket: this process's picture on SQLite (one
// process), the database's on PostgreSQL, shared by every web and worker process (ADR 017).
import db from "./db.server";
import { databaseKind } from "./db/client.server";
import { ShopBudgets, type BucketSnapshot, type BudgetLedger } from "./shopify/budget";
import { createAdminGateway, type AdminGateway } from "./shopify/gateway.server";
import { createSharedBudgets } from "./shopify/shared-budget.server";
import { unauthenticated } from "./shopify.server";
import { env } from "./utils/env.server";

const budgets = new ShopBudgets();

let ledger: BudgetLedger | undefined;
function shopBuckets(): BudgetLedger {
  ledger ??= databaseKind(env().DATABASE_URL) === "postgresql" ? createSharedBudgets(db) : budgets;
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
  // unauthenticated.admin refreshes an expiring offline token before handing the session out.
  const { session } = await unauthenticated.admin(shop);
  if (!session.accessToken)
    throw new Error(`No offline access token for ${shop}: open the app once to install it`);
  return createAdminGateway({
    shop,
    accessToken: session.accessToken,
    adminOrigin: env().SHOPIFY_ADMIN_ORIGIN,
    budgets: shopBuckets(),
  });
}
