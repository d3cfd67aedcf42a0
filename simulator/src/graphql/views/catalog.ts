// Admin GraphQL views of the catalog: products, variants, inventory items and levels.
import { GraphQLError } from "graphql";
import { gid, parseGid } from "../../shop/ids.ts";
import { type Product, type Shop, type Variant, inventoryKey, money } from "../../shop/model.ts";
import { connection } from "../connection.ts";
import {
  type Args,
  type GqlContext,
  type View,
  byId,
  countView,
  moneyV2,
  weight,
} from "./common.ts";
import { locationView } from "./shop.ts";

export function variantByInventoryItem(shop: Shop, itemId: number): Variant | undefined {
  for (const v of shop.variants.values()) if (v.inventoryItemId === itemId) return v;
  return undefined;
}

export function inventoryLevelView(ctx: GqlContext, itemId: number, locationId: number): View {
  const level = ctx.shop.inventory.get(inventoryKey(itemId, locationId))!;
  const id = `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${itemId}`;
  return {
    __typename: "InventoryLevel",
    id,
    isActive: true,
    canDeactivate: level.committed === 0,
    deactivationAlert: null,
    createdAt: level.updatedAt,
    updatedAt: level.updatedAt,
    item: () => inventoryItemView(ctx, itemId),
    location: () => locationView(ctx, ctx.shop.locations.get(locationId)!),
    quantities: (args: { names: string[] }) =>
      args.names.map((name) => {
        const q: Record<string, number> = {
          available: level.available,
          committed: level.committed,
          on_hand: level.available + level.committed,
          incoming: 0,
          reserved: 0,
          damaged: 0,
          safety_stock: 0,
          quality_control: 0,
        };
        if (!(name in q))
          throw new GraphQLError(`Invalid inventory quantity name: ${name}`, {
            extensions: { code: "BAD_REQUEST" },
          });
        return {
          __typename: "InventoryQuantity",
          id: `gid://shopify/InventoryQuantity/${locationId}?inventory_item_id=${itemId}&name=${name}`,
          name,
          quantity: q[name],
          updatedAt: level.updatedAt,
        };
      }),
  };
}

export function inventoryItemView(ctx: GqlContext, itemId: number): View {
  const v = variantByInventoryItem(ctx.shop, itemId);
  const levels = () => [...ctx.shop.inventory.values()].filter((x) => x.inventoryItemId === itemId);
  return {
    __typename: "InventoryItem",
    id: gid("InventoryItem", itemId),
    legacyResourceId: String(itemId),
    sku: v?.sku ?? null,
    tracked: v?.tracked ?? false,
    requiresShipping: v?.requiresShipping ?? true,
    createdAt: v?.createdAt ?? ctx.shop.createdAt,
    updatedAt: v?.updatedAt ?? ctx.shop.createdAt,
    duplicateSkuCount: 0,
    countryCodeOfOrigin: null,
    provinceCodeOfOrigin: null,
    harmonizedSystemCode: null,
    inventoryHistoryUrl: null,
    unitCost: null,
    measurement: {
      __typename: "InventoryItemMeasurement",
      id: gid("InventoryItemMeasurement", itemId),
      weight: weight(v?.grams ?? 0),
    },
    trackedEditable: { __typename: "EditableProperty", locked: false, reason: null },
    locationsCount: () => countView(levels().length),
    inventoryLevel: (args: { locationId: string }) => {
      const loc = parseGid(args.locationId);
      return loc && ctx.shop.inventory.has(inventoryKey(itemId, loc.id))
        ? inventoryLevelView(ctx, itemId, loc.id)
        : null;
    },
    inventoryLevels: (args: Args) =>
      connection(
        levels(),
        args,
        (x) => x.locationId,
        (x) => inventoryLevelView(ctx, itemId, x.locationId),
      ),
    variants: (args: Args) => connection(v ? [v] : [], args, byId, (x) => variantView(ctx, x)),
  };
}

export function productView(ctx: GqlContext, p: Product): View {
  const variants = () => p.variantIds.map((id) => ctx.shop.variants.get(id)!);
  const available = (v: Variant) =>
    [...ctx.shop.inventory.values()]
      .filter((x) => x.inventoryItemId === v.inventoryItemId)
      .reduce((s, x) => s + x.available, 0);
  return {
    __typename: "Product",
    id: gid("Product", p.id),
    legacyResourceId: String(p.id),
    title: p.title,
    handle: p.handle,
    productType: p.productType,
    vendor: p.vendor,
    tags: p.tags,
    isGiftCard: p.isGiftCard,
    status: "ACTIVE",
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    publishedAt: p.createdAt,
    description: "",
    descriptionHtml: "",
    onlineStoreUrl: null,
    onlineStorePreviewUrl: null,
    templateSuffix: null,
    giftCardTemplateSuffix: null,
    requiresSellingPlan: false,
    hasVariantsThatRequiresComponents: false,
    hasOnlyDefaultVariant: p.options.length === 1 && p.options[0]!.name === "Title",
    hasOutOfStockVariants: () => variants().some((v) => v.tracked && available(v) <= 0),
    tracksInventory: () => variants().some((v) => v.tracked),
    totalInventory: () =>
      variants()
        .filter((v) => v.tracked)
        .reduce((s, v) => s + available(v), 0),
    defaultCursor: Buffer.from(String(p.id)).toString("base64"),
    seo: { __typename: "SEO", title: null, description: null },
    priceRangeV2: () => {
      const prices = variants().map((v) => v.price);
      return {
        __typename: "ProductPriceRangeV2",
        minVariantPrice: moneyV2(Math.min(...prices), ctx.shop.currency),
        maxVariantPrice: moneyV2(Math.max(...prices), ctx.shop.currency),
      };
    },
    options: (args: { first?: number | null }) =>
      p.options.slice(0, args.first ?? undefined).map((o, i) => ({
        __typename: "ProductOption",
        id: gid("ProductOption", o.id),
        name: o.name,
        position: i + 1,
        values: o.values,
        linkedMetafield: null,
        optionValues: o.values.map((value) => optionValue(ctx, p, o.name, value)),
      })),
    variants: (args: Args) => connection(variants(), args, byId, (v) => variantView(ctx, v)),
    variantsCount: () => countView(p.variantIds.length),
    metafield: null,
    category: null,
    featuredMedia: null,
  };
}

function optionValue(ctx: GqlContext, p: Product, name: string, value: string): View {
  const opt = p.options.find((o) => o.name === name);
  const index = opt ? opt.values.indexOf(value) : 0;
  return {
    __typename: "ProductOptionValue",
    id: gid("ProductOptionValue", (opt?.id ?? 0) * 100 + Math.max(0, index)),
    name: value,
    hasVariants: p.variantIds.some((id) =>
      ctx.shop.variants.get(id)!.selectedOptions.some((s) => s.name === name && s.value === value),
    ),
    linkedMetafieldValue: null,
    swatch: null,
  };
}

export function variantView(ctx: GqlContext, v: Variant): View {
  const product = ctx.shop.products.get(v.productId)!;
  const available = () =>
    [...ctx.shop.inventory.values()]
      .filter((x) => x.inventoryItemId === v.inventoryItemId)
      .reduce((s, x) => s + x.available, 0);
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", v.id),
    legacyResourceId: String(v.id),
    title: v.title,
    displayName: `${product.title} - ${v.title}`,
    sku: v.sku,
    barcode: null,
    price: money(v.price, ctx.shop.currency),
    compareAtPrice: null,
    position: v.position,
    taxable: v.taxable,
    inventoryPolicy: v.inventoryPolicy,
    inventoryQuantity: () => (v.tracked ? available() : null),
    sellableOnlineQuantity: () => (v.tracked ? Math.max(0, available()) : 0),
    availableForSale: () => !v.tracked || v.inventoryPolicy === "CONTINUE" || available() > 0,
    requiresComponents: false,
    showUnitPrice: false,
    unitPrice: null,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    defaultCursor: Buffer.from(String(v.id)).toString("base64"),
    selectedOptions: v.selectedOptions.map((o) => ({
      __typename: "SelectedOption",
      name: o.name,
      value: o.value,
      optionValue: optionValue(ctx, product, o.name, o.value),
    })),
    product: () => productView(ctx, product),
    inventoryItem: () => inventoryItemView(ctx, v.inventoryItemId),
    metafield: null,
    image: null,
  };
}
