// Stocking a shop: locations (own and fulfilment-service), products with options and variants, inventory per location, customers.
import type { Address, Customer, Location, Product, Shop, Variant } from "./model.ts";
import { inventoryKey, toCents } from "./model.ts";
import type { SimState } from "./state.ts";

export interface LocationInput {
  name: string;
  address?: Address;
  /** Makes it a fulfilment-service location, owned by that service's app. */
  fulfillmentService?: { handle: string; serviceName?: string; callbackUrl?: string };
}

export function addLocation(state: SimState, shop: Shop, input: LocationInput): Location {
  const fs = input.fulfillmentService;
  const location: Location = {
    id: state.nextId(),
    name: input.name,
    address: input.address ?? {
      address1: "1 Main Street",
      city: "Berlin",
      countryCode: "DE",
      country: "Germany",
      zip: "10115",
    },
    isActive: true,
    createdAt: state.iso(),
    fulfillmentService: fs
      ? {
          id: state.nextId(),
          handle: fs.handle,
          serviceName: fs.serviceName ?? input.name,
          ownerAppId: state.serviceApp(fs.handle, fs.serviceName ?? input.name).key,
          callbackUrl: fs.callbackUrl ?? null,
          inventoryManagement: true,
          trackingSupport: true,
        }
      : null,
  };
  shop.locations.set(location.id, location);
  return location;
}

export interface VariantInput {
  sku: string;
  price: string | number;
  options?: Record<string, string>;
  requiresShipping?: boolean;
  tracked?: boolean;
  inventoryPolicy?: "DENY" | "CONTINUE";
  grams?: number;
  /** Stock by location name (or id); a location listed here stocks the item, even at 0. */
  stock?: Record<string, number>;
}

export interface ProductInput {
  title: string;
  productType?: string;
  vendor?: string;
  tags?: string[];
  isGiftCard?: boolean;
  options?: { name: string; values: string[] }[];
  variants: VariantInput[];
}

export function addProduct(state: SimState, shop: Shop, input: ProductInput): Product {
  const now = state.iso();
  const product: Product = {
    id: state.nextId(),
    title: input.title,
    handle: input.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, ""),
    productType: input.productType ?? "",
    vendor: input.vendor ?? shop.name,
    tags: input.tags ?? [],
    options: (input.options ?? [{ name: "Title", values: ["Default Title"] }]).map((o) => ({
      id: state.nextId(),
      name: o.name,
      values: [...o.values],
    })),
    isGiftCard: input.isGiftCard ?? false,
    createdAt: now,
    updatedAt: now,
    variantIds: [],
  };
  shop.products.set(product.id, product);
  input.variants.forEach((v, i) => {
    const selected = v.options
      ? Object.entries(v.options).map(([name, value]) => ({ name, value }))
      : [{ name: "Title", value: "Default Title" }];
    const variant: Variant = {
      id: state.nextId(),
      productId: product.id,
      title: selected.map((o) => o.value).join(" / "),
      sku: v.sku,
      price: toCents(v.price, shop.currency),
      selectedOptions: selected,
      requiresShipping: v.requiresShipping ?? !product.isGiftCard,
      inventoryItemId: state.nextId(),
      tracked: v.tracked ?? !product.isGiftCard,
      inventoryPolicy: v.inventoryPolicy ?? "DENY",
      grams: v.grams ?? 0,
      position: i + 1,
      taxable: true,
      createdAt: now,
      updatedAt: now,
    };
    shop.variants.set(variant.id, variant);
    product.variantIds.push(variant.id);
    for (const [where, qty] of Object.entries(v.stock ?? {})) {
      const loc = findLocation(shop, where);
      if (!loc) throw new Error(`product ${input.title}: no location "${where}"`);
      setInventory(shop, variant.inventoryItemId, loc.id, qty, now);
    }
  });
  return product;
}

export function findLocation(shop: Shop, nameOrId: string | number): Location | undefined {
  for (const l of shop.locations.values()) {
    if (l.name === nameOrId || String(l.id) === String(nameOrId)) return l;
  }
  return undefined;
}

export function setInventory(
  shop: Shop,
  inventoryItemId: number,
  locationId: number,
  available: number,
  at: string,
): void {
  const key = inventoryKey(inventoryItemId, locationId);
  const level = shop.inventory.get(key);
  if (level) {
    level.available = available;
    level.updatedAt = at;
  } else {
    shop.inventory.set(key, {
      inventoryItemId,
      locationId,
      available,
      committed: 0,
      updatedAt: at,
    });
  }
}

/** Locations that stock the item (have an inventory level), in the shop's location priority. */
export function stockingLocations(shop: Shop, inventoryItemId: number): Location[] {
  return [...shop.locations.values()].filter(
    (l) => l.isActive && shop.inventory.has(inventoryKey(inventoryItemId, l.id)),
  );
}

export function variantBySku(shop: Shop, sku: string): Variant | undefined {
  for (const v of shop.variants.values()) if (v.sku === sku) return v;
  return undefined;
}

export function addCustomer(
  state: SimState,
  shop: Shop,
  input: {
    firstName?: string;
    lastName?: string;
    email?: string;
    tags?: string[];
    address?: Address;
  },
): Customer {
  const now = state.iso();
  const c: Customer = {
    id: state.nextId(),
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    email: input.email ?? null,
    phone: null,
    tags: input.tags ?? [],
    createdAt: now,
    updatedAt: now,
    defaultAddress: input.address ?? null,
  };
  shop.customers.set(c.id, c);
  return c;
}

export function customerByEmail(shop: Shop, email: string): Customer | undefined {
  for (const c of shop.customers.values()) if (c.email === email) return c;
  return undefined;
}
