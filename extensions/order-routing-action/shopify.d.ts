// The `shopify` global of the action's target, declared for its module as Shopify CLI declares it.
import "@shopify/ui-extensions";
import type { Api } from "@shopify/ui-extensions/admin.order-index.selection-action.render";

declare module "./src/ActionExtension.tsx" {
  const shopify: Api;
  const globalThis: { shopify: typeof shopify };
}
