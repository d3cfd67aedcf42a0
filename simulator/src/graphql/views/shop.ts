// Admin GraphQL views of the shop itself: the app, the shop, its locations and fulfillment services.
import { gid, parseGid } from "../../shop/ids.ts";
import { type Location, inventoryKey } from "../../shop/model.ts";
import type { AppInfo } from "../../shop/state.ts";
import { connection } from "../connection.ts";
import { inventoryLevelView } from "./catalog.ts";
import type { Args, GqlContext, View } from "./common.ts";

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
    taxesIncluded: false,
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
    // Scans of the shop's stock and fulfillment orders: made only when asked for.
    hasActiveInventory: () => [...shop.inventory.values()].some((x) => x.locationId === l.id),
    hasUnfulfilledOrders: () =>
      [...shop.fulfillmentOrders.values()].some(
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
    address: () => ({
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
    }),
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
