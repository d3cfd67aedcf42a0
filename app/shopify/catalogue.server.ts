// What the routing rules read of a line's product and variant (type, tags, options), kept per inventory item so the router's order read need not ask Shopify for them on every order (ADR 026).
import type { Db } from "../db/client.server";
import { findRows, type Row } from "../db/rows.server";
import type { CatalogueItemsQuery, CatalogueItemsQueryVariables } from "../types/admin.generated";
import type { AdminGateway } from "./gateway.server";
import { CATALOGUE_ITEMS_QUERY } from "./operations";
import { idDigitsAsSent } from "./ids";

/** A line's variant and product as the order read would have returned them. */
export interface CatalogueEntry {
  variant: { id: string; selectedOptions: { name: string; value: string }[] };
  product: { id: string; productType: string; tags: string[] };
}

/**
 * How long an item is reused without Shopify saying the product changed: products/update and
 * products/delete forget it at once; this bounds how long a lost webhook can leave it stale.
 */
export const CATALOGUE_REUSED_MS = 60 * 60_000;

/** What a route job reads of a kept item. */
export const KEPT_COLUMNS = {
  inventoryItemId: true,
  variantId: true,
  productId: true,
  productType: true,
  productTags: true,
  options: true,
} as const;

export type KeptItem = Pick<Row<"CatalogueItem">, keyof typeof KEPT_COLUMNS>;

/** Shopify's limit on the ids of one `nodes` query. */
const MAX_IDS = 250;

/**
 * The catalogue of the given inventory items (gid://shopify/InventoryItem/…): kept ones younger
 * than CATALOGUE_REUSED_MS from the database, the rest in one `nodes` read, then kept. An item
 * Shopify no longer has (or without a variant) answers null.
 */
export async function catalogueOf(
  deps: { db: Db; gateway: AdminGateway; now?: () => Date },
  inventoryItemIds: readonly string[],
  /**
   * Reads the kept items (those of `ids` read after `since`) in a statement of the caller's, with
   * its own questions (the route job's answer to its order's deliveries, ADR 064); undefined when
   * it cannot (SQLite), and they are read here.
   */
  readKept?: (ids: string[], since: Date) => Promise<KeptItem[] | undefined>,
): Promise<Map<string, CatalogueEntry | null>> {
  const { db, gateway } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const shop = gateway.shop;
  const ids = [...new Set(inventoryItemIds)];
  const found = new Map<string, CatalogueEntry | null>();
  if (ids.length === 0) return found;
  const since = new Date(now.getTime() - CATALOGUE_REUSED_MS);
  const kept =
    (await readKept?.(ids, since)) ??
    (await findRows(db, "CatalogueItem", {
      where: { shop, inventoryItemId: { in: ids }, readAt: { gt: since } },
      select: KEPT_COLUMNS,
    }));
  for (const row of kept)
    found.set(row.inventoryItemId, {
      variant: {
        id: row.variantId,
        selectedOptions: JSON.parse(row.options) as { name: string; value: string }[],
      },
      product: {
        id: row.productId,
        productType: row.productType,
        tags: JSON.parse(row.productTags) as string[],
      },
    });
  const missing = ids.filter((id) => !found.has(id));
  // Items another order of the shop is reading now (the worker routes several at once, and a
  // burst's first orders share their products): its answer, instead of each paying for them.
  const coming = new Map<string, Promise<CatalogueEntry | null>>();
  for (const id of missing) {
    const entry = onTheirWay.get(keyOf(shop, id));
    if (entry) coming.set(id, entry);
  }
  const reading = readItems(
    deps,
    missing.filter((id) => !coming.has(id)),
  );
  // Each taken as it was when this read began: another's read may be answered (and no longer on
  // its way) while this one waits for the first.
  for (const [id, entry] of coming) {
    const answered = await entry.catch(() => undefined);
    if (answered !== undefined) found.set(id, answered);
  }
  // What the other read did not bring (it failed): read here.
  const left = [...coming.keys()].filter((id) => !found.has(id));
  for (const [id, entry] of await reading) found.set(id, entry);
  for (const [id, entry] of await readItems(deps, left)) found.set(id, entry);
  return found;
}

/** Items being read from Shopify in this process, by shop and inventory item. */
const onTheirWay = new Map<string, Promise<CatalogueEntry | null>>();
const keyOf = (shop: string, inventoryItemId: string) => `${shop}\u0000${inventoryItemId}`;

/**
 * Reads these items from Shopify (in `nodes` reads of at most MAX_IDS) and keeps them; each is
 * on its way (onTheirWay) until its read is answered.
 */
function readItems(
  deps: { db: Db; gateway: AdminGateway; now?: () => Date },
  missing: readonly string[],
): Promise<Map<string, CatalogueEntry | null>> {
  const shop = deps.gateway.shop;
  const read = readFromShopify(deps, missing);
  for (const id of missing) {
    const key = keyOf(shop, id);
    const entry = read.then((found) => found.get(id) ?? null);
    onTheirWay.set(key, entry);
    const done = () => {
      if (onTheirWay.get(key) === entry) onTheirWay.delete(key);
    };
    entry.then(done, done);
  }
  return read;
}

async function readFromShopify(
  deps: { db: Db; gateway: AdminGateway; now?: () => Date },
  missing: readonly string[],
): Promise<Map<string, CatalogueEntry | null>> {
  const { db, gateway } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const shop = gateway.shop;
  const found = new Map<string, CatalogueEntry | null>();
  for (let start = 0; start < missing.length; start += MAX_IDS) {
    const batch = missing.slice(start, start + MAX_IDS);
    const data = await gateway.request<CatalogueItemsQuery, CatalogueItemsQueryVariables>(
      CATALOGUE_ITEMS_QUERY,
      { ids: batch },
    );
    for (const node of data.nodes) {
      // An inventory item belongs to one variant (InventoryItem.variants holds it alone).
      const variant = node && "variants" in node ? node.variants?.nodes[0] : undefined;
      if (!node || !variant) continue;
      const product = variant.product;
      const entry: CatalogueEntry = {
        variant: {
          id: variant.id,
          selectedOptions: variant.selectedOptions.map((o) => ({ name: o.name, value: o.value })),
        },
        product: { id: product.id, productType: product.productType, tags: product.tags },
      };
      found.set(node.id, entry);
      const row = {
        variantId: entry.variant.id,
        productId: entry.product.id,
        productType: entry.product.productType,
        productTags: JSON.stringify(entry.product.tags),
        options: JSON.stringify(entry.variant.selectedOptions),
        readAt: now,
      };
      await db.catalogueItem.upsert({
        where: { shop_inventoryItemId: { shop, inventoryItemId: node.id } },
        create: { shop, inventoryItemId: node.id, ...row },
        update: row,
      });
    }
    for (const id of batch) if (!found.has(id)) found.set(id, null);
  }
  return found;
}

/**
 * The product a products/* delivery names. products/update carries its gid; products/delete's
 * body is `{"id": …}` alone, and a product id passes 2^53, where JSON.parse rounds it: the number
 * is read from the body as Shopify signed it.
 */
export function productIdOf(payload: Record<string, unknown>, body: string): string | null {
  if (typeof payload.admin_graphql_api_id === "string") return payload.admin_graphql_api_id;
  const id = payload.id;
  if (typeof id === "string" && /^\d+$/.test(id)) return `gid://shopify/Product/${id}`;
  const digits = idDigitsAsSent(body, "id", id);
  return digits ? `gid://shopify/Product/${digits}` : null;
}

/** Shopify said the product changed or is gone (products/update, products/delete): read it again. */
export async function forgetCatalogueOfProduct(
  db: Db,
  shop: string,
  productId: string,
): Promise<number> {
  return (await db.catalogueItem.deleteMany({ where: { shop, productId } })).count;
}
