// The `shopify` global of the block's target, declared for its module as Shopify CLI declares it.
import "@shopify/ui-extensions";
import type { Api } from "@shopify/ui-extensions/admin.order-details.block.render";

declare module "./src/BlockExtension.tsx" {
  const shopify: Api;
  const globalThis: { shopify: typeof shopify };
}
