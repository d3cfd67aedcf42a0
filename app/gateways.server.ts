// An Admin API gateway per shop for background work and routes, from the shop's offline session.
// One budget picture per process, so every job of a shop paces against the same bucket.
import { ShopBudgets } from "./shopify/budget";
import { createAdminGateway, type AdminGateway } from "./shopify/gateway.server";
import { unauthenticated } from "./shopify.server";
import { env } from "./utils/env.server";

export const budgets = new ShopBudgets();

export async function gatewayForShop(shop: string): Promise<AdminGateway> {
  // unauthenticated.admin refreshes an expiring offline token before handing the session out.
  const { session } = await unauthenticated.admin(shop);
  if (!session.accessToken)
    throw new Error(`No offline access token for ${shop}: open the app once to install it`);
  return createAdminGateway({
    shop,
    accessToken: session.accessToken,
    adminOrigin: env().SHOPIFY_ADMIN_ORIGIN,
    budgets,
  });
}
