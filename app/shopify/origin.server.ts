// Where a shop's Admin API lives: https://{shop} on Shopify, or the shop simulator's origin when
// SHOPIFY_ADMIN_ORIGIN is set (demo and tests). Authentication runs unchanged either way.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

export const ADMIN_API_VERSION = "2026-10";

export function adminOrigin(shop: string, override?: string): string {
  return override ?? `https://${shop}`;
}

export function adminGraphqlUrl(shop: string, override?: string): string {
  return `${adminOrigin(shop, override)}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
}

/**
 * Rewrites the Shopify library's calls to https://{shop}/admin/… onto `origin`. The library forces
 * https and has no setting for another host, so the fetch it uses is the only seam.
 */
export function sendShopifyCallsTo(origin: string, baseFetch: typeof fetch = fetch): void {
  const target = new URL(origin);
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input : input.url,
    );
    if (url.protocol === "https:" && url.pathname.startsWith("/admin/")) {
      url.protocol = target.protocol;
      url.host = target.host;
    }
    return baseFetch(url, init);
  });
}
