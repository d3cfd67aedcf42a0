// Shop-specific webhook subscriptions as Shopify keeps them: made, listed and deleted per shop and app through the Admin API, delivered beside the toml's app-wide ones, gone when the app is uninstalled.
import type { Subscription } from "../app-config.ts";
import type { Shop, ShopWebhookSubscription, UserError } from "../shop/model.ts";
import type { SimState } from "../shop/state.ts";

/**
 * The resources of the topics Shopify names with an underscore inside them: the enum joins the
 * resource and the event with `_` too (FULFILLMENT_ORDERS_ORDER_ROUTING_COMPLETE is
 * fulfillment_orders/order_routing_complete), so the longest known resource is taken first.
 */
const RESOURCES = [
  "app_purchases_one_time",
  "app_subscriptions",
  "draft_orders",
  "fulfillment_events",
  "fulfillment_holds",
  "fulfillment_orders",
  "inventory_items",
  "inventory_levels",
  "order_transactions",
  "selling_plan_groups",
  "subscription_contracts",
];

/** WebhookSubscriptionTopic (INVENTORY_LEVELS_UPDATE) as the toml and X-Shopify-Topic name it. */
export function topicOfEnum(value: string): string {
  const lower = value.toLowerCase();
  const resource = RESOURCES.filter((r) => lower.startsWith(`${r}_`)).sort(
    (a, b) => b.length - a.length,
  )[0];
  if (resource) return `${resource}/${lower.slice(resource.length + 1)}`;
  const cut = lower.indexOf("_");
  return cut < 0 ? lower : `${lower.slice(0, cut)}/${lower.slice(cut + 1)}`;
}

/** The topic as the enum names it: inventory_levels/update → INVENTORY_LEVELS_UPDATE. */
export const enumOfTopic = (topic: string): string => topic.replace(/\//g, "_").toUpperCase();

export type Created =
  { ok: true; subscription: ShopWebhookSubscription } | { ok: false; errors: UserError[] };

/**
 * webhookSubscriptionCreate. A second subscription of the app to the same topic and address is
 * refused as Shopify refuses it, "Address for this topic has already been taken" (the words
 * Shopify's REST and GraphQL answer, as apps quote them, e.g. Shopify/shopify_app#263), on the
 * address field.
 */
export function createShopSubscription(
  state: SimState,
  shop: Shop,
  appKey: string,
  input: { topic: string; uri: string; includeFields?: string[] },
): Created {
  const uri = input.uri.trim();
  if (uri === "")
    return {
      ok: false,
      errors: [
        { field: ["webhookSubscription", "callbackUrl"], message: "Address can't be blank" },
      ],
    };
  const mine = shopSubscriptions(shop, appKey);
  if (mine.some((s) => s.topic === input.topic && s.uri === uri))
    return {
      ok: false,
      errors: [
        {
          field: ["webhookSubscription", "callbackUrl"],
          message: "Address for this topic has already been taken",
        },
      ],
    };
  const now = state.iso();
  const subscription: ShopWebhookSubscription = {
    id: state.nextId(),
    appKey,
    topic: input.topic,
    uri,
    ...(input.includeFields?.length ? { includeFields: [...input.includeFields] } : {}),
    createdAt: now,
    updatedAt: now,
  };
  (shop.webhookSubscriptions ??= new Map()).set(subscription.id, subscription);
  return { ok: true, subscription };
}

/** webhookSubscriptionDelete: only the app's own; another's, or one gone, does not exist for it. */
export function deleteShopSubscription(
  shop: Shop,
  appKey: string,
  id: number | undefined,
): { ok: true } | { ok: false; errors: UserError[] } {
  const found = id === undefined ? undefined : shop.webhookSubscriptions?.get(id);
  if (!found || found.appKey !== appKey)
    return {
      ok: false,
      errors: [{ field: ["id"], message: "Webhook subscription does not exist" }],
    };
  shop.webhookSubscriptions!.delete(found.id);
  return { ok: true };
}

/** The app's subscriptions on the shop, oldest first (Shopify's CREATED_AT default). */
export function shopSubscriptions(shop: Shop, appKey: string): ShopWebhookSubscription[] {
  return [...(shop.webhookSubscriptions?.values() ?? [])].filter((s) => s.appKey === appKey);
}

/** What the dispatcher delivers for the shop besides the toml's: the app's subscriptions there. */
export function deliveredSubscriptions(shop: Shop | undefined, appKey: string): Subscription[] {
  if (!shop?.installed) return [];
  return shopSubscriptions(shop, appKey).map((s) => ({
    topic: s.topic,
    uri: s.uri,
    ...(s.includeFields ? { includeFields: s.includeFields } : {}),
  }));
}

/**
 * The app is uninstalled from the shop: Shopify deletes the subscriptions it made there (a
 * reinstall must create them again: Shopify staff on the community forum, "Webhook behavior for
 * APP_SUBSCRIPTIONS_UPDATE topic on uninstall").
 */
export function forgetAppSubscriptions(shop: Shop, appKey: string): void {
  for (const s of shopSubscriptions(shop, appKey)) shop.webhookSubscriptions!.delete(s.id);
}
