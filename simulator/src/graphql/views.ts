// Admin GraphQL objects made from the shop model: each view is a plain object whose fields are values or (args) => value, read by the executor's field resolver.
import { GraphQLError } from "graphql";
import { gid, parseGid } from "../shop/ids.ts";
import type {
  Address,
  Customer,
  DraftLine,
  DraftOrder,
  Fulfillment,
  FulfillmentHold,
  FulfillmentOrder,
  FulfillmentOrderLine,
  LineItem,
  Location,
  MerchantRequest,
  Order,
  Product,
  Refund,
  Shop,
  Transaction,
  Variant,
} from "../shop/model.ts";
import { inventoryKey, money } from "../shop/model.ts";
import {
  capturableOn,
  capturedAmount,
  displayFulfillmentStatus,
  financialStatus,
  fulfilledQuantity,
  orderFulfillmentOrders,
  orderTotal,
  originalTotal,
  refundedAmount,
  totalCapturable,
} from "../shop/orders.ts";
import { mergeCandidates, supportedActions } from "../shop/fulfillment-orders.ts";
import { stocks } from "../shop/inventory.ts";
import type { AppInfo, SimState } from "../shop/state.ts";
import { connection, type ConnectionArgs } from "./connection.ts";
import { compareNumber, compareTime, search } from "./search.ts";

export interface GqlContext {
  state: SimState;
  shop: Shop;
  /** The calling app (ours, or a fulfilment service's app holding a service token). */
  appKey: string;
  /** Warnings from `query:` arguments, returned as extensions.search. */
  searchWarnings: { path: string; query: string; warnings: { field: string; message: string }[] }[];
}

type View = Record<string, unknown>;
type Args = Record<string, unknown> & ConnectionArgs;

const byId = <T extends { id: number }>(x: T) => x.id;

export function moneyV2(cents: number, currency: string): View {
  return { __typename: "MoneyV2", amount: money(cents), currencyCode: currency };
}

export function moneyBag(cents: number, currency: string): View {
  return {
    __typename: "MoneyBag",
    shopMoney: moneyV2(cents, currency),
    presentmentMoney: moneyV2(cents, currency),
  };
}

const COUNTRY_NAMES: Record<string, string> = {
  DE: "Germany",
  AT: "Austria",
  CH: "Switzerland",
  FR: "France",
  NL: "Netherlands",
  US: "United States",
  GB: "United Kingdom",
};

export function mailingAddress(a: Address | null | undefined, id: number): View | null {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(" ") || null;
  const area = [
    a.city,
    a.provinceCode ?? a.province,
    a.countryCode ? (COUNTRY_NAMES[a.countryCode] ?? a.country) : a.country,
  ]
    .filter(Boolean)
    .join(", ");
  return {
    __typename: "MailingAddress",
    id: `gid://shopify/MailingAddress/${id}?model_name=Address`,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    company: a.company ?? null,
    country: a.country ?? (a.countryCode ? (COUNTRY_NAMES[a.countryCode] ?? null) : null),
    countryCodeV2: a.countryCode ?? null,
    countryCode: a.countryCode ?? null,
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    name,
    phone: a.phone ?? null,
    province: a.province ?? null,
    provinceCode: a.provinceCode ?? null,
    zip: a.zip ?? null,
    latitude: null,
    longitude: null,
    timeZone: null,
    coordinatesValidated: false,
    validationResultSummary: null,
    formattedArea: area || null,
    formatted: (args: { withName?: boolean; withCompany?: boolean }) =>
      [
        args.withName ? name : null,
        args.withCompany !== false ? a.company : null,
        a.address1,
        a.address2,
        [a.zip, a.city].filter(Boolean).join(" "),
        a.countryCode ? (COUNTRY_NAMES[a.countryCode] ?? a.country) : a.country,
      ].filter((x): x is string => !!x),
  };
}

export function appView(app: AppInfo): View {
  return {
    __typename: "App",
    id: gid("App", app.id),
    title: app.title,
    apiKey: app.apiKey,
    handle: app.handle,
    developerName: app.title,
    embedded: true,
    published: false,
    shopifyDeveloped: false,
    previouslyInstalled: false,
    isPostPurchaseAppInUse: false,
    features: [],
    description: null,
    appStoreAppUrl: null,
    appStoreDeveloperUrl: null,
    installUrl: null,
    privacyPolicyUrl: null,
    pricingDetails: null,
    pricingDetailsSummary: "",
    uninstallMessage: "",
    webhookApiVersion: "2026-10",
  };
}

function countView(n: number): View {
  return { __typename: "Count", count: n, precision: "EXACT" };
}

function weight(grams: number): View {
  return { __typename: "Weight", unit: "GRAMS", value: grams };
}

export function shopView(ctx: GqlContext): View {
  const s = ctx.shop;
  return {
    __typename: "Shop",
    id: gid("Shop", s.id),
    name: s.name,
    email: s.email,
    contactEmail: s.email,
    myshopifyDomain: s.domain,
    url: `https://${s.domain}`,
    primaryDomain: {
      __typename: "Domain",
      id: gid("Domain", s.id),
      host: s.domain,
      url: `https://${s.domain}`,
      sslEnabled: true,
      localization: null,
      marketWebPresence: null,
    },
    currencyCode: s.currency,
    enabledPresentmentCurrencies: [s.currency],
    ianaTimezone: s.ianaTimezone,
    timezoneAbbreviation: "CET",
    timezoneOffset: "+0100",
    timezoneOffsetMinutes: 60,
    weightUnit: "KILOGRAMS",
    unitSystem: "METRIC_SYSTEM",
    taxesIncluded: true,
    taxShipping: false,
    orderNumberFormatPrefix: "#",
    orderNumberFormatSuffix: "",
    setupRequired: false,
    checkoutApiSupported: true,
    transactionalSmsDisabled: false,
    marketingSmsConsentEnabledAtCheckout: false,
    description: null,
    shipsToCountries: ["DE", "AT", "CH", "FR", "NL"],
    createdAt: s.createdAt,
    updatedAt: s.createdAt,
    shopOwnerName: "Demo Owner",
    plan: {
      __typename: "ShopPlan",
      partnerDevelopment: false,
      shopifyPlus: s.plan === "plus" || s.plan === "enterprise",
      publicDisplayName: {
        standard: "Basic",
        advanced: "Advanced",
        plus: "Plus",
        enterprise: "Shopify for enterprise",
      }[s.plan],
    },
    fulfillmentServices: () =>
      [...s.locations.values()]
        .filter((l) => l.fulfillmentService)
        .map((l) => fulfillmentServiceView(ctx, l)),
  };
}

export function fulfillmentServiceView(ctx: GqlContext, loc: Location): View | null {
  const fs = loc.fulfillmentService;
  if (!fs) return null;
  return {
    __typename: "FulfillmentService",
    id: `gid://shopify/FulfillmentService/${fs.id}?id=true`,
    handle: fs.handle,
    serviceName: fs.serviceName,
    callbackUrl: fs.callbackUrl,
    inventoryManagement: fs.inventoryManagement,
    trackingSupport: fs.trackingSupport,
    requiresShippingMethod: true,
    type: "THIRD_PARTY",
    location: () => locationView(ctx, loc),
  };
}

export function locationView(ctx: GqlContext, l: Location): View {
  const a = l.address;
  const shop = ctx.shop;
  return {
    __typename: "Location",
    id: gid("Location", l.id),
    legacyResourceId: String(l.id),
    name: l.name,
    isActive: l.isActive,
    isFulfillmentService: !!l.fulfillmentService,
    fulfillmentService: () => fulfillmentServiceView(ctx, l),
    fulfillsOnlineOrders: true,
    shipsInventory: true,
    hasActiveInventory: [...shop.inventory.values()].some((x) => x.locationId === l.id),
    hasUnfulfilledOrders: [...shop.fulfillmentOrders.values()].some(
      (f) => f.assignedLocationId === l.id && f.status !== "CLOSED" && f.status !== "CANCELLED",
    ),
    activatable: false,
    deactivatable: !l.fulfillmentService,
    deletable: false,
    addressVerified: true,
    deactivatedAt: null,
    createdAt: l.createdAt,
    updatedAt: l.createdAt,
    localPickupSettingsV2: null,
    suggestedAddresses: [],
    address: {
      __typename: "LocationAddress",
      address1: a.address1 ?? null,
      address2: a.address2 ?? null,
      city: a.city ?? null,
      country: a.country ?? null,
      countryCode: a.countryCode ?? null,
      province: a.province ?? null,
      provinceCode: a.provinceCode ?? null,
      zip: a.zip ?? null,
      phone: a.phone ?? null,
      latitude: null,
      longitude: null,
      formatted: [a.address1, [a.zip, a.city].filter(Boolean).join(" "), a.country].filter(
        (x): x is string => !!x,
      ),
    },
    inventoryLevel: (args: { inventoryItemId: string }) => {
      const item = parseGid(args.inventoryItemId);
      const level = item ? shop.inventory.get(inventoryKey(item.id, l.id)) : undefined;
      return level ? inventoryLevelView(ctx, level.inventoryItemId, l.id) : null;
    },
    inventoryLevels: (args: Args) => {
      const levels = [...shop.inventory.values()].filter((x) => x.locationId === l.id);
      return connection(
        levels,
        args,
        (x) => x.inventoryItemId,
        (x) => inventoryLevelView(ctx, x.inventoryItemId, l.id),
      );
    },
    metafield: null,
  };
}

function variantByInventoryItem(shop: Shop, itemId: number): Variant | undefined {
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
    price: money(v.price),
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

export function customerView(ctx: GqlContext, c: Customer): View {
  const orders = () => [...ctx.shop.orders.values()].filter((o) => o.customerId === c.id);
  return {
    __typename: "Customer",
    id: gid("Customer", c.id),
    legacyResourceId: String(c.id),
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || "",
    email: c.email,
    phone: c.phone,
    tags: c.tags,
    note: null,
    state: "DISABLED",
    verifiedEmail: true,
    taxExempt: false,
    taxExemptions: [],
    locale: "en",
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    canDelete: false,
    dataSaleOptOut: false,
    multipassIdentifier: null,
    lifetimeDuration: "less than a year",
    defaultAddress: mailingAddress(c.defaultAddress, c.id),
    defaultEmailAddress: c.email
      ? {
          __typename: "CustomerEmailAddress",
          emailAddress: c.email,
          marketingState: "NOT_SUBSCRIBED",
          marketingOptInLevel: null,
          marketingUpdatedAt: null,
          validFormat: true,
          openTrackingLevel: "UNKNOWN",
          openTrackingUrl: null,
          marketingUnsubscribeUrl: "",
          sourceLocation: null,
        }
      : null,
    numberOfOrders: () => String(orders().length),
    amountSpent: () =>
      moneyV2(
        orders().reduce((s, o) => s + capturedAmount(o) - refundedAmount(o), 0),
        ctx.shop.currency,
      ),
    lastOrder: () => {
      const list = orders();
      return list.length ? orderView(ctx, list[list.length - 1]!) : null;
    },
    orders: (args: Args) => connection(orders(), args, byId, (o) => orderView(ctx, o)),
    metafield: null,
  };
}

function lineItemName(li: LineItem | DraftLine): string {
  return li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title;
}

export function lineItemView(ctx: GqlContext, order: Order, li: LineItem): View {
  const cur = order.currency;
  const fulfilled = () => fulfilledQuantity(ctx.shop, li.id);
  const unfulfilled = () => Math.max(0, li.currentQuantity - fulfilled());
  const zero = moneyBag(0, cur);
  return {
    __typename: "LineItem",
    id: gid("LineItem", li.id),
    name: lineItemName(li),
    title: li.title,
    variantTitle: li.variantTitle,
    sku: li.sku,
    vendor: li.vendor,
    quantity: li.quantity,
    currentQuantity: li.currentQuantity,
    unfulfilledQuantity: unfulfilled,
    fulfillableQuantity: unfulfilled,
    nonFulfillableQuantity: () => li.quantity - li.currentQuantity,
    refundableQuantity: () => li.currentQuantity,
    fulfillmentStatus: () =>
      fulfilled() >= li.currentQuantity && li.currentQuantity > 0
        ? "fulfilled"
        : fulfilled() > 0
          ? "partial"
          : "unfulfilled",
    requiresShipping: li.requiresShipping,
    isGiftCard: li.isGiftCard,
    taxable: li.taxable,
    merchantEditable: !order.cancelledAt,
    restockable: true,
    canRestock: true,
    customAttributes: li.properties.map((p) => ({
      __typename: "Attribute",
      key: p.name,
      value: p.value,
    })),
    originalUnitPriceSet: moneyBag(li.price, cur),
    originalUnitPrice: money(li.price),
    discountedUnitPriceSet: moneyBag(li.price, cur),
    discountedUnitPrice: money(li.price),
    discountedUnitPriceAfterAllDiscountsSet: moneyBag(li.price, cur),
    priceAfterAllDiscountsBeforeTaxesSet: moneyBag(li.price * li.currentQuantity, cur),
    originalTotalSet: moneyBag(li.price * li.quantity, cur),
    originalTotal: money(li.price * li.quantity),
    discountedTotalSet: () => moneyBag(li.price * li.currentQuantity, cur),
    discountedTotal: money(li.price * li.currentQuantity),
    totalDiscountSet: zero,
    totalDiscount: "0.00",
    unfulfilledOriginalTotalSet: () => moneyBag(li.price * unfulfilled(), cur),
    unfulfilledDiscountedTotalSet: () => moneyBag(li.price * unfulfilled(), cur),
    discountAllocations: [],
    taxLines: [],
    duties: [],
    weight: weight(li.grams),
    image: null,
    sellingPlan: null,
    contract: null,
    lineItemGroup: null,
    staffMember: null,
    variant: () => (li.variantId ? variantViewOrNull(ctx, li.variantId) : null),
    product: () =>
      li.productId && ctx.shop.products.get(li.productId)
        ? productView(ctx, ctx.shop.products.get(li.productId)!)
        : null,
    fulfillmentService: () => {
      const fo = orderFulfillmentOrders(ctx.shop, order).find((f) =>
        f.lineItems.some((l) => l.lineItemId === li.id),
      );
      const loc = fo ? ctx.shop.locations.get(fo.assignedLocationId) : undefined;
      return loc ? fulfillmentServiceView(ctx, loc) : null;
    },
  };
}

function variantViewOrNull(ctx: GqlContext, id: number): View | null {
  const v = ctx.shop.variants.get(id);
  return v ? variantView(ctx, v) : null;
}

export function transactionView(ctx: GqlContext, order: Order, t: Transaction): View {
  const now = ctx.state.clock.now();
  const parent = t.parentId ? order.transactions.find((x) => x.id === t.parentId) : undefined;
  return {
    __typename: "OrderTransaction",
    id: gid("OrderTransaction", t.id),
    kind: t.kind,
    status: t.status,
    test: t.test,
    gateway: t.gateway,
    formattedGateway: t.gateway === "manual" ? "Manual" : "Bogus",
    manualPaymentGateway: t.gateway === "manual",
    amountSet: moneyBag(t.amount, order.currency),
    amount: money(t.amount),
    createdAt: t.createdAt,
    processedAt: t.processedAt,
    // "This field is available only to stores on a Shopify Plus plan" (its description); the
    // authorization still lapses elsewhere, the app just isn't told when.
    authorizationExpiresAt:
      ctx.shop.plan === "plus" || ctx.shop.plan === "enterprise" ? t.authorizationExpiresAt : null,
    authorizationCode: t.kind === "AUTHORIZATION" ? "53433" : null,
    errorCode: null,
    fees: [],
    paymentId: `c${t.id}.1`,
    accountNumber: "•••• •••• •••• 4242",
    receiptJson: "{}",
    settlementCurrency: null,
    settlementCurrencyRate: null,
    multiCapturable:
      t.kind === "AUTHORIZATION" && (ctx.shop.plan === "plus" || ctx.shop.plan === "enterprise"),
    manuallyCapturable: () => capturableOn(ctx.shop, order, t, now) > 0,
    totalUnsettledSet: () => moneyBag(capturableOn(ctx.shop, order, t, now), order.currency),
    maximumRefundableV2: () =>
      t.kind === "SALE" || t.kind === "CAPTURE" ? moneyV2(t.amount, order.currency) : null,
    parentTransaction: () => (parent ? transactionView(ctx, order, parent) : null),
    order: () => orderView(ctx, order),
    user: null,
    device: null,
    location: null,
    paymentDetails: null,
    shopifyPaymentsSet: null,
    amountRoundingSet: null,
    currencyExchangeAdjustment: null,
  };
}

export function fulfillmentView(ctx: GqlContext, f: Fulfillment): View {
  const order = ctx.shop.orders.get(f.orderId)!;
  const loc = ctx.shop.locations.get(f.locationId);
  return {
    __typename: "Fulfillment",
    id: gid("Fulfillment", f.id),
    legacyResourceId: String(f.id),
    name: f.name,
    status: f.status,
    displayStatus:
      f.status === "SUCCESS"
        ? f.tracking.length
          ? "FULFILLED"
          : "MARKED_AS_FULFILLED"
        : "CANCELED",
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    deliveredAt: null,
    inTransitAt: null,
    estimatedDeliveryAt: null,
    originAddress: null,
    requiresShipping: f.lines.some(
      (l) => order.lineItems.find((li) => li.id === l.lineItemId)?.requiresShipping,
    ),
    totalQuantity: f.lines.reduce((s, l) => s + l.quantity, 0),
    location: () => (loc ? locationView(ctx, loc) : null),
    service: () => (loc ? fulfillmentServiceView(ctx, loc) : null),
    order: () => orderView(ctx, order),
    trackingInfo: (args: { first?: number | null }) =>
      f.tracking.slice(0, args.first ?? undefined).map((t) => ({
        __typename: "FulfillmentTrackingInfo",
        company: t.company,
        number: t.number,
        url: t.url,
      })),
    fulfillmentLineItems: (args: Args) =>
      connection(f.lines, args, byId, (l) => {
        const li = order.lineItems.find((x) => x.id === l.lineItemId)!;
        return {
          __typename: "FulfillmentLineItem",
          id: gid("FulfillmentLineItem", l.id),
          quantity: l.quantity,
          lineItem: () => lineItemView(ctx, order, li),
          originalTotalSet: moneyBag(li.price * l.quantity, order.currency),
          discountedTotalSet: moneyBag(li.price * l.quantity, order.currency),
        };
      }),
    fulfillmentOrders: (args: Args) =>
      connection(
        f.fulfillmentOrderIds.map((id) => ctx.shop.fulfillmentOrders.get(id)!).filter(Boolean),
        args,
        byId,
        (fo) => fulfillmentOrderView(ctx, fo),
      ),
    events: (args: Args) =>
      connection(
        [],
        args,
        () => 0,
        () => null,
      ),
  };
}

const HOLD_REASON_TEXT: Record<string, string> = {
  AWAITING_PAYMENT: "Awaiting payment",
  AWAITING_RETURN_ITEMS: "Awaiting return items",
  HIGH_RISK_OF_FRAUD: "High risk of fraud",
  INCORRECT_ADDRESS: "Incorrect address",
  INVENTORY_OUT_OF_STOCK: "Inventory out of stock",
  ONLINE_STORE_POST_PURCHASE_CROSS_SELL: "Post purchase cross sell",
  OTHER: "Other",
  UNKNOWN_DELIVERY_DATE: "Unknown delivery date",
};

export function holdView(ctx: GqlContext, h: FulfillmentHold): View {
  const app = ctx.state.apps.get(h.appId);
  return {
    __typename: "FulfillmentHold",
    id: gid("FulfillmentHold", h.id),
    reason: h.reason,
    reasonNotes: h.reasonNotes,
    handle: h.handle,
    displayReason: HOLD_REASON_TEXT[h.reason] ?? h.reason,
    heldByRequestingApp: h.appId === ctx.appKey,
    heldByApp: app ? appView(app) : null,
  };
}

function merchantRequestView(ctx: GqlContext, fo: FulfillmentOrder, r: MerchantRequest): View {
  return {
    __typename: "FulfillmentOrderMerchantRequest",
    id: gid("FulfillmentOrderMerchantRequest", r.id),
    kind: r.kind,
    message: r.message,
    requestOptions: r.requestOptions,
    responseData: r.responseData,
    sentAt: r.sentAt,
    fulfillmentOrder: () => fulfillmentOrderView(ctx, fo),
  };
}

export function foLineView(ctx: GqlContext, fo: FulfillmentOrder, l: FulfillmentOrderLine): View {
  const order = ctx.shop.orders.get(fo.orderId)!;
  const li = order.lineItems.find((x) => x.id === l.lineItemId)!;
  const v = li.variantId ? ctx.shop.variants.get(li.variantId) : undefined;
  const price = moneyBag(li.price, order.currency);
  return {
    __typename: "FulfillmentOrderLineItem",
    id: gid("FulfillmentOrderLineItem", l.id),
    totalQuantity: l.totalQuantity,
    remainingQuantity: l.remainingQuantity,
    sku: li.sku,
    productTitle: li.title,
    variantTitle: li.variantTitle,
    vendor: li.vendor,
    requiresShipping: li.requiresShipping,
    inventoryItemId: v ? gid("InventoryItem", v.inventoryItemId) : null,
    image: null,
    weight: weight(li.grams),
    warnings: [],
    shippingLine: null,
    originalUnitPriceSet: price,
    financialSummaries: [
      {
        __typename: "FulfillmentOrderLineItemFinancialSummary",
        quantity: l.totalQuantity,
        originalUnitPriceSet: price,
        approximateDiscountedUnitPriceSet: price,
        discountAllocations: [],
      },
    ],
    lineItem: () => lineItemView(ctx, order, li),
    variant: () => (v ? variantView(ctx, v) : null),
  };
}

export function fulfillmentOrderView(ctx: GqlContext, fo: FulfillmentOrder): View {
  const shop = ctx.shop;
  const order = shop.orders.get(fo.orderId)!;
  const loc = shop.locations.get(fo.assignedLocationId)!;
  const dest = order.shippingAddress;
  return {
    __typename: "FulfillmentOrder",
    id: gid("FulfillmentOrder", fo.id),
    status: fo.status,
    requestStatus: fo.requestStatus,
    createdAt: fo.createdAt,
    updatedAt: fo.updatedAt,
    fulfillAt: fo.fulfillAt,
    fulfillBy: fo.fulfillBy,
    orderId: gid("Order", order.id),
    orderName: order.name,
    orderProcessedAt: order.processedAt,
    channelId: null,
    internationalDuties: null,
    order: () => orderView(ctx, order),
    assignedLocation: {
      __typename: "FulfillmentOrderAssignedLocation",
      name: loc.name,
      address1: loc.address.address1 ?? null,
      address2: loc.address.address2 ?? null,
      city: loc.address.city ?? null,
      province: loc.address.province ?? null,
      zip: loc.address.zip ?? null,
      phone: loc.address.phone ?? null,
      countryCode: loc.address.countryCode ?? "DE",
      location: () => locationView(ctx, loc),
    },
    destination:
      fo.deliveryMethodType === "SHIPPING" && dest
        ? {
            __typename: "FulfillmentOrderDestination",
            id: gid("FulfillmentOrderDestination", fo.destinationId),
            address1: dest.address1 ?? null,
            address2: dest.address2 ?? null,
            city: dest.city ?? null,
            company: dest.company ?? null,
            countryCode: dest.countryCode ?? null,
            email: order.email,
            firstName: dest.firstName ?? null,
            lastName: dest.lastName ?? null,
            phone: dest.phone ?? null,
            province: dest.province ?? null,
            zip: dest.zip ?? null,
            location: null,
          }
        : null,
    deliveryMethod: {
      __typename: "DeliveryMethod",
      id: gid("DeliveryMethod", fo.deliveryMethodId),
      methodType: fo.deliveryMethodType,
      presentedName:
        fo.deliveryMethodType === "SHIPPING" ? (order.shippingLines[0]?.title ?? "Shipping") : null,
      serviceCode:
        fo.deliveryMethodType === "SHIPPING" ? (order.shippingLines[0]?.code ?? null) : null,
      sourceReference: null,
      minDeliveryDateTime: null,
      maxDeliveryDateTime: null,
      additionalInformation: null,
      brandedPromise: null,
    },
    fulfillmentHolds: () => fo.holds.map((h) => holdView(ctx, h)),
    supportedActions: () =>
      supportedActions(shop, fo, ctx.appKey).map((action) => ({
        __typename: "FulfillmentOrderSupportedAction",
        action,
        externalUrl: null,
      })),
    lineItems: (args: Args) => connection(fo.lineItems, args, byId, (l) => foLineView(ctx, fo, l)),
    merchantRequests: (args: Args & { kind?: string | null }) =>
      connection(
        fo.merchantRequests.filter((r) => !args.kind || r.kind === args.kind),
        args,
        byId,
        (r) => merchantRequestView(ctx, fo, r),
      ),
    fulfillments: (args: Args) =>
      connection(
        fo.fulfillmentIds.map((id) => shop.fulfillments.get(id)!).filter(Boolean),
        args,
        byId,
        (f) => fulfillmentView(ctx, f),
      ),
    fulfillmentOrdersForMerge: (args: Args) =>
      connection(mergeCandidates(shop, fo), args, byId, (x) => fulfillmentOrderView(ctx, x)),
    locationsForMove: (
      args: Args & { lineItemIds?: string[] | null; locationIds?: string[] | null },
    ) => {
      const lines = fo.lineItems.filter((l) => l.remainingQuantity > 0);
      const locations = [...shop.locations.values()].filter(
        (l) =>
          l.isActive &&
          l.id !== fo.assignedLocationId &&
          (!args.locationIds?.length || args.locationIds.some((x) => parseGid(x)?.id === l.id)),
      );
      return connection(locations, args, byId, (l) => {
        const available = lines.filter((x) =>
          stocks(
            shop,
            order.lineItems.find((li) => li.id === x.lineItemId)!,
            l.id,
          ),
        );
        const unavailable = lines.filter((x) => !available.includes(x));
        const movable =
          available.length > 0 &&
          !["SUBMITTED", "ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"].includes(
            fo.requestStatus,
          );
        return {
          __typename: "FulfillmentOrderLocationForMove",
          location: locationView(ctx, l),
          movable,
          message: movable
            ? null
            : available.length === 0
              ? "No items are stocked at this location."
              : "The fulfillment order can't be moved in its current request state.",
          availableLineItems: (a: Args) =>
            connection(available, a, byId, (x) => foLineView(ctx, fo, x)),
          unavailableLineItems: (a: Args) =>
            connection(unavailable, a, byId, (x) => foLineView(ctx, fo, x)),
          availableLineItemsCount: countView(available.length),
          unavailableLineItemsCount: countView(unavailable.length),
        };
      });
    },
    remainingLineItemsWeight: () =>
      weight(
        fo.lineItems.reduce(
          (s, l) =>
            s +
            l.remainingQuantity *
              (order.lineItems.find((li) => li.id === l.lineItemId)?.grams ?? 0),
          0,
        ),
      ),
  };
}

const RISK_RECOMMENDATION = { LOW: "ACCEPT", MEDIUM: "INVESTIGATE", HIGH: "CANCEL" } as const;

export function orderView(ctx: GqlContext, o: Order): View {
  const shop = ctx.shop;
  const cur = o.currency;
  const now = () => ctx.state.clock.now();
  const customer = o.customerId ? shop.customers.get(o.customerId) : undefined;
  const total = () => orderTotal(o);
  const shippingTotal = o.shippingLines.reduce((s, l) => s + l.price, 0);
  const subtotal = () => total() - shippingTotal;
  const outstanding = () => Math.max(0, total() - capturedAmount(o) + refundedAmount(o));
  const fos = () => orderFulfillmentOrders(shop, o);
  const shippingLineView = (l: Order["shippingLines"][number]) => ({
    __typename: "ShippingLine",
    id: gid("ShippingLine", l.id),
    title: l.title,
    code: l.code,
    source: l.source,
    carrierIdentifier: null,
    custom: false,
    deliveryCategory: null,
    isRemoved: false,
    phone: null,
    shippingRateHandle: null,
    discountAllocations: [],
    taxLines: [],
    originalPriceSet: moneyBag(l.price, cur),
    discountedPriceSet: moneyBag(l.price, cur),
    currentDiscountedPriceSet: moneyBag(l.price, cur),
  });
  return {
    __typename: "Order",
    id: gid("Order", o.id),
    legacyResourceId: String(o.id),
    name: o.name,
    number: o.number,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    processedAt: o.processedAt,
    closed: o.closedAt !== null,
    closedAt: o.closedAt,
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason,
    cancellation: o.cancelledAt
      ? { __typename: "OrderCancellation", staffNote: o.staffNote }
      : null,
    confirmed: true,
    confirmationNumber: `SIM${o.number}`,
    email: o.email,
    phone: o.phone,
    note: o.note,
    poNumber: o.poNumber,
    tags: o.tags,
    test: o.test,
    sourceName: o.sourceName,
    sourceIdentifier: null,
    currencyCode: cur,
    presentmentCurrencyCode: cur,
    customerLocale: "en",
    customAttributes: o.customAttributes.map((a) => ({
      __typename: "Attribute",
      key: a.key,
      value: a.value,
    })),
    customer: () => (customer ? customerView(ctx, customer) : null),
    shippingAddress: mailingAddress(o.shippingAddress, o.id * 10 + 1),
    billingAddress: mailingAddress(o.billingAddress, o.id * 10 + 2),
    displayAddress: mailingAddress(o.shippingAddress ?? o.billingAddress, o.id * 10 + 1),
    billingAddressMatchesShippingAddress:
      JSON.stringify(o.billingAddress) === JSON.stringify(o.shippingAddress),
    requiresShipping: o.lineItems.some((l) => l.requiresShipping),
    fulfillable: () => fos().some((f) => f.status === "OPEN" || f.status === "IN_PROGRESS"),
    displayFinancialStatus: () => financialStatus(shop, o, now()),
    displayFulfillmentStatus: () => displayFulfillmentStatus(shop, o),
    fullyPaid: () => capturedAmount(o) >= total(),
    unpaid: () => capturedAmount(o) === 0,
    capturable: () => totalCapturable(shop, o, now()) > 0,
    totalCapturableSet: () => moneyBag(totalCapturable(shop, o, now()), cur),
    totalCapturable: () => money(totalCapturable(shop, o, now())),
    canMarkAsPaid: () =>
      !o.cancelledAt &&
      ["PENDING", "PARTIALLY_PAID", "AUTHORIZED", "EXPIRED"].includes(
        financialStatus(shop, o, now()),
      ),
    canNotifyCustomer: !!o.email,
    customerAcceptsMarketing: false,
    edited: false,
    merchantEditable: !o.cancelledAt && !o.closedAt,
    merchantEditableErrors: [],
    refundable: () => capturedAmount(o) - refundedAmount(o) > 0,
    restockable: true,
    hasTimelineComment: false,
    dutiesIncluded: false,
    estimatedTaxes: false,
    taxesIncluded: true,
    taxExempt: false,
    productNetwork: false,
    returnStatus: "NO_RETURN",
    discountCode: null,
    discountCodes: [],
    paymentGatewayNames: [...new Set(o.transactions.map((t) => t.gateway))],
    statusPageUrl: `https://${shop.domain}/${shop.id}/orders/${o.id.toString(36)}/authenticate?key=sim`,
    taxLines: [],
    currentTaxLines: [],
    additionalFees: [],
    alerts: [],
    disputes: [],
    app: null,
    metafield: null,
    physicalLocation: null,
    retailLocation: null,
    clientIp: null,
    cartToken: null,
    checkoutToken: null,
    staffMember: null,
    paymentTerms: null,
    riskLevel: o.riskLevel,
    risk: {
      __typename: "OrderRiskSummary",
      recommendation: RISK_RECOMMENDATION[o.riskLevel],
      assessments: [
        { __typename: "OrderRiskAssessment", riskLevel: o.riskLevel, facts: [], provider: null },
      ],
    },
    subtotalLineItemsQuantity: o.lineItems.reduce((s, l) => s + l.quantity, 0),
    currentSubtotalLineItemsQuantity: o.lineItems.reduce((s, l) => s + l.currentQuantity, 0),
    totalWeight: String(o.lineItems.reduce((s, l) => s + l.grams * l.quantity, 0)),
    currentTotalWeight: String(o.lineItems.reduce((s, l) => s + l.grams * l.currentQuantity, 0)),
    totalPriceSet: () => moneyBag(total(), cur),
    totalPrice: () => money(total()),
    currentTotalPriceSet: () => moneyBag(total(), cur),
    originalTotalPriceSet: moneyBag(originalTotal(o), cur),
    subtotalPriceSet: () => moneyBag(subtotal(), cur),
    subtotalPrice: () => money(subtotal()),
    currentSubtotalPriceSet: () => moneyBag(subtotal(), cur),
    totalShippingPriceSet: moneyBag(shippingTotal, cur),
    totalShippingPrice: money(shippingTotal),
    currentShippingPriceSet: moneyBag(shippingTotal, cur),
    totalTaxSet: moneyBag(0, cur),
    currentTotalTaxSet: moneyBag(0, cur),
    totalDiscountsSet: moneyBag(0, cur),
    currentTotalDiscountsSet: moneyBag(0, cur),
    currentCartDiscountAmountSet: moneyBag(0, cur),
    cartDiscountAmountSet: null,
    totalTipReceivedSet: moneyBag(0, cur),
    totalRefundedShippingSet: moneyBag(0, cur),
    refundDiscrepancySet: moneyBag(0, cur),
    totalOutstandingSet: () => moneyBag(outstanding(), cur),
    totalReceivedSet: () => moneyBag(capturedAmount(o), cur),
    totalReceived: () => money(capturedAmount(o)),
    totalRefundedSet: () => moneyBag(refundedAmount(o), cur),
    totalRefunded: () => money(refundedAmount(o)),
    netPaymentSet: () => moneyBag(capturedAmount(o) - refundedAmount(o), cur),
    netPayment: () => money(capturedAmount(o) - refundedAmount(o)),
    currentTotalDutiesSet: null,
    originalTotalDutiesSet: null,
    currentTotalAdditionalFeesSet: null,
    originalTotalAdditionalFeesSet: null,
    lineItems: (args: Args) =>
      connection(o.lineItems, args, byId, (li) => lineItemView(ctx, o, li)),
    nonFulfillableLineItems: (args: Args) =>
      connection(
        o.lineItems.filter((l) => l.currentQuantity < l.quantity),
        args,
        byId,
        (li) => lineItemView(ctx, o, li),
      ),
    fulfillmentOrders: (args: Args & { displayable?: boolean | null; query?: string | null }) => {
      let list = fos();
      // displayable: only what the admin shows (not closed or cancelled without fulfillments).
      if (args.displayable)
        list = list.filter(
          (f) =>
            !((f.status === "CLOSED" || f.status === "CANCELLED") && f.fulfillmentIds.length === 0),
        );
      list = list.filter(fulfillmentOrderSearch(ctx, "order.fulfillmentOrders", args.query));
      return connection(list, args, byId, (f) => fulfillmentOrderView(ctx, f));
    },
    fulfillments: (args: { first?: number | null }) =>
      o.fulfillmentIds
        .slice(0, args.first ?? undefined)
        .map((id) => fulfillmentView(ctx, shop.fulfillments.get(id)!)),
    fulfillmentsCount: () => countView(o.fulfillmentIds.length),
    transactions: (args: {
      first?: number | null;
      capturable?: boolean | null;
      manuallyResolvable?: boolean | null;
    }) => {
      let list = o.transactions;
      if (args.capturable != null)
        list = list.filter((t) => capturableOn(shop, o, t, now()) > 0 === args.capturable);
      return list.slice(0, args.first ?? undefined).map((t) => transactionView(ctx, o, t));
    },
    transactionsCount: () => countView(o.transactions.length),
    refunds: (args: { first?: number | null }) =>
      (o.refunds ?? []).slice(0, args.first ?? undefined).map((r) => refundView(ctx, o, r)),
    shippingLine: o.shippingLines[0] ? shippingLineView(o.shippingLines[0]) : null,
    shippingLines: (args: Args) => connection(o.shippingLines, args, byId, shippingLineView),
  };
}

export function fulfillmentOrderSearch(
  ctx: GqlContext,
  path: string,
  query: string | null | undefined,
) {
  const now = ctx.state.clock.now();
  const r = search<FulfillmentOrder>(query, {
    fields: {
      status: (f, _c, v) => f.status.toLowerCase() === v.toLowerCase(),
      request_status: (f, _c, v) => f.requestStatus.toLowerCase() === v.toLowerCase(),
      assigned_location_id: (f, c, v) =>
        compareNumber(f.assignedLocationId, c, parseGid(v)?.id.toString() ?? v),
      id: (f, c, v) => compareNumber(f.id, c, v),
      updated_at: (f, c, v) => compareTime(f.updatedAt, c, v, now),
      created_at: (f, c, v) => compareTime(f.createdAt, c, v, now),
    },
    text: (f, v) => String(f.id) === v,
  });
  if (r.warnings.length)
    ctx.searchWarnings.push({ path, query: query ?? "", warnings: r.warnings });
  return r.filter;
}

export function draftOrderView(ctx: GqlContext, d: DraftOrder): View {
  const cur = ctx.shop.currency;
  const subtotal = d.lineItems.reduce((s, l) => s + l.price * l.quantity, 0);
  return {
    __typename: "DraftOrder",
    id: gid("DraftOrder", d.id),
    legacyResourceId: String(d.id),
    name: d.name,
    status: d.status,
    email: d.email,
    phone: d.phone,
    note2: d.note,
    tags: d.tags,
    poNumber: d.poNumber,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    completedAt: d.completedAt,
    invoiceSentAt: d.invoiceSentAt,
    invoiceUrl: d.invoiceUrl,
    invoiceEmailTemplateSubject: `Complete your purchase`,
    currencyCode: cur,
    presentmentCurrencyCode: cur,
    ready: true,
    reserveInventoryUntil: null,
    taxExempt: false,
    taxesIncluded: true,
    visibleToCustomer: true,
    hasTimelineComment: false,
    allowDiscountCodesInCheckout: false,
    acceptAutomaticDiscounts: null,
    allVariantPricesOverridden: false,
    anyVariantPricesOverridden: false,
    billingAddressMatchesShippingAddress:
      JSON.stringify(d.billingAddress) === JSON.stringify(d.shippingAddress),
    defaultCursor: Buffer.from(String(d.id)).toString("base64"),
    discountCodes: [],
    taxLines: [],
    platformDiscounts: [],
    warnings: [],
    appliedDiscount: null,
    customer: null,
    order: () => {
      const o = d.orderId != null ? ctx.shop.orders.get(d.orderId) : undefined;
      return o ? orderView(ctx, o) : null;
    },
    paymentTerms: null,
    shippingLine: null,
    customAttributes: d.customAttributes.map((a) => ({
      __typename: "Attribute",
      key: a.key,
      value: a.value,
    })),
    shippingAddress: mailingAddress(d.shippingAddress, d.id * 10 + 1),
    billingAddress: mailingAddress(d.billingAddress, d.id * 10 + 2),
    subtotalPriceSet: moneyBag(subtotal, cur),
    lineItemsSubtotalPrice: moneyBag(subtotal, cur),
    totalLineItemsPriceSet: moneyBag(subtotal, cur),
    totalPriceSet: moneyBag(subtotal, cur),
    totalDiscountsSet: moneyBag(0, cur),
    totalShippingPriceSet: moneyBag(0, cur),
    totalTaxSet: moneyBag(0, cur),
    amountDueNowSet: moneyBag(subtotal, cur),
    amountDueLaterSet: moneyBag(0, cur),
    totalWeight: "0",
    totalQuantityOfLineItems: d.lineItems.reduce((s, l) => s + l.quantity, 0),
    lineItems: (args: Args) =>
      connection(d.lineItems, args, byId, (l) => ({
        __typename: "DraftOrderLineItem",
        id: gid("DraftOrderLineItem", l.id),
        uuid: l.uuid,
        name: lineItemName(l),
        title: l.title,
        variantTitle: l.variantTitle,
        sku: l.sku,
        vendor: l.vendor,
        quantity: l.quantity,
        custom: l.custom,
        isGiftCard: l.isGiftCard,
        requiresShipping: l.requiresShipping,
        taxable: l.taxable,
        customAttributes: l.customAttributes.map((a) => ({
          __typename: "Attribute",
          key: a.key,
          value: a.value,
        })),
        customAttributesV2: [],
        components: [],
        taxLines: [],
        appliedDiscount: null,
        priceOverride: null,
        originalUnitPriceWithCurrency: moneyV2(l.price, cur),
        originalUnitPriceSet: moneyBag(l.price, cur),
        approximateDiscountedUnitPriceSet: moneyBag(l.price, cur),
        originalTotalSet: moneyBag(l.price * l.quantity, cur),
        discountedTotalSet: moneyBag(l.price * l.quantity, cur),
        totalDiscountSet: moneyBag(0, cur),
        weight: null,
        fulfillmentService: null,
        variant: () => (l.variantId ? variantViewOrNull(ctx, l.variantId) : null),
        product: () =>
          l.productId && ctx.shop.products.get(l.productId)
            ? productView(ctx, ctx.shop.products.get(l.productId)!)
            : null,
      })),
  };
}

/** Any node of this shop by GID (Relay node/nodes), or null when unknown or another shop's. */
export function nodeView(ctx: GqlContext, id: string): View | null {
  const p = parseGid(id);
  if (!p) return null;
  const shop = ctx.shop;
  const inOrders = <T>(
    pick: (o: Order) => T | undefined,
  ): { order: Order; item: T } | undefined => {
    for (const o of shop.orders.values()) {
      const item = pick(o);
      if (item !== undefined) return { order: o, item };
    }
    return undefined;
  };
  switch (p.type) {
    case "Order": {
      const o = shop.orders.get(p.id);
      return o ? orderView(ctx, o) : null;
    }
    case "OrderCancelJobResult": {
      // The result of orderCancel's job, readable by id once the job has run (or while it waits).
      const job = ctx.state.jobs.get(Number(p.id));
      if (!job || job.shop !== shop.domain) return null;
      const o = shop.orders.get(job.orderId);
      return {
        __typename: "OrderCancelJobResult",
        id,
        done: job.done,
        status: job.status,
        errors: job.errors,
        order: o ? orderView(ctx, o) : null,
      } as unknown as View;
    }
    case "LineItem": {
      const f = inOrders((o) => o.lineItems.find((l) => l.id === p.id));
      return f ? lineItemView(ctx, f.order, f.item) : null;
    }
    case "OrderTransaction": {
      const f = inOrders((o) => o.transactions.find((t) => t.id === p.id));
      return f ? transactionView(ctx, f.order, f.item) : null;
    }
    case "FulfillmentOrder": {
      const fo = shop.fulfillmentOrders.get(p.id);
      return fo ? fulfillmentOrderView(ctx, fo) : null;
    }
    case "FulfillmentOrderLineItem": {
      for (const fo of shop.fulfillmentOrders.values()) {
        const l = fo.lineItems.find((x) => x.id === p.id);
        if (l) return foLineView(ctx, fo, l);
      }
      return null;
    }
    case "FulfillmentHold": {
      for (const fo of shop.fulfillmentOrders.values()) {
        const h = fo.holds.find((x) => x.id === p.id);
        if (h) return holdView(ctx, h);
      }
      return null;
    }
    case "FulfillmentOrderMerchantRequest": {
      for (const fo of shop.fulfillmentOrders.values()) {
        const r = fo.merchantRequests.find((x) => x.id === p.id);
        if (r) return merchantRequestView(ctx, fo, r);
      }
      return null;
    }
    case "Fulfillment": {
      const f = shop.fulfillments.get(p.id);
      return f ? fulfillmentView(ctx, f) : null;
    }
    case "Location": {
      const l = shop.locations.get(p.id);
      return l ? locationView(ctx, l) : null;
    }
    case "Product": {
      const pr = shop.products.get(p.id);
      return pr ? productView(ctx, pr) : null;
    }
    case "ProductVariant": {
      const v = shop.variants.get(p.id);
      return v ? variantView(ctx, v) : null;
    }
    case "InventoryItem":
      return variantByInventoryItem(shop, p.id) ? inventoryItemView(ctx, p.id) : null;
    case "Customer": {
      const c = shop.customers.get(p.id);
      return c ? customerView(ctx, c) : null;
    }
    case "DraftOrder": {
      const d = shop.draftOrders.get(p.id);
      return d ? draftOrderView(ctx, d) : null;
    }
    case "Shop":
      return p.id === shop.id ? shopView(ctx) : null;
    case "App": {
      const a = [...ctx.state.apps.values()].find((x) => x.id === p.id);
      return a ? appView(a) : null;
    }
    default:
      return null;
  }
}

/** Refund: what refundCreate took off the order and gave back. */
export function refundView(ctx: GqlContext, order: Order, r: Refund): View {
  const cur = order.currency;
  const transactions = r.transactionIds
    .map((id) => order.transactions.find((t) => t.id === id))
    .filter((t): t is NonNullable<typeof t> => !!t);
  const total = transactions.reduce((s, t) => s + t.amount, 0);
  return {
    __typename: "Refund",
    id: gid("Refund", r.id),
    legacyResourceId: String(r.id),
    createdAt: r.createdAt,
    processedAt: r.createdAt,
    updatedAt: r.createdAt,
    note: r.note,
    duties: [],
    return: null,
    staffMember: null,
    totalRefundedSet: moneyBag(total, cur),
    totalRefunded: moneyV2(total, cur),
    order: () => orderView(ctx, order),
    transactions: (args: Args) =>
      connection(transactions, args, byId, (t) => transactionView(ctx, order, t)),
    refundLineItems: (args: Args) =>
      connection(
        r.lines.map((l, i) => ({ ...l, id: r.id * 100 + i })),
        args,
        byId,
        (l) => {
          const li = order.lineItems.find((x) => x.id === l.lineItemId)!;
          const location = l.locationId === null ? undefined : ctx.shop.locations.get(l.locationId);
          return {
            __typename: "RefundLineItem",
            id: null,
            quantity: l.quantity,
            restockType: l.restockType,
            restocked: l.restockType !== "NO_RESTOCK",
            lineItem: lineItemView(ctx, order, li),
            location: location ? locationView(ctx, location) : null,
            priceSet: moneyBag(li.price, cur),
            subtotalSet: moneyBag(li.price * l.quantity, cur),
            totalTaxSet: moneyBag(0, cur),
          };
        },
      ),
  };
}
