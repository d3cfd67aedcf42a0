// Admin GraphQL views of fulfillment: fulfillments, fulfillment orders, their lines, holds and requests, and the fulfillment order search.
import { mergeCandidates, supportedActions } from "../../shop/fulfillment-orders.ts";
import { gid, parseGid } from "../../shop/ids.ts";
import { stocks } from "../../shop/inventory.ts";
import type {
  Fulfillment,
  FulfillmentHold,
  FulfillmentOrder,
  FulfillmentOrderLine,
  MerchantRequest,
} from "../../shop/model.ts";
import { connection } from "../connection.ts";
import { compareNumber, compareTime, search } from "../search.ts";
import { variantView } from "./catalog.ts";
import {
  type Args,
  type GqlContext,
  type View,
  byId,
  countView,
  moneyBag,
  orderCurrencies,
  weight,
} from "./common.ts";
import { lineItemView, orderView } from "./order.ts";
import { appView, fulfillmentServiceView, locationView } from "./shop.ts";

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
          originalTotalSet: moneyBag(li.price * l.quantity, orderCurrencies(order)),
          discountedTotalSet: moneyBag(li.price * l.quantity, orderCurrencies(order)),
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

export function merchantRequestView(
  ctx: GqlContext,
  fo: FulfillmentOrder,
  r: MerchantRequest,
): View {
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
  const price = moneyBag(li.price, orderCurrencies(order));
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
      supportedActions(shop, fo, ctx.appKey, ctx.state.readings.mergeDeliveryMethod).map(
        (action) => ({
          __typename: "FulfillmentOrderSupportedAction",
          action,
          externalUrl: null,
        }),
      ),
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
      connection(
        mergeCandidates(shop, fo, ctx.state.readings.mergeDeliveryMethod),
        args,
        byId,
        (x) => fulfillmentOrderView(ctx, x),
      ),
    // locationsForMove as Shopify's documented answers show it (REST LocationsForMove and the
    // GraphQL example): every active location, the current one included ("Current location."),
    // sorted by name; movable only where every line (of `lineItemIds`, when given) is stocked, else
    // Shopify's sentence naming the item or counting them. Nothing in those sources speaks of the
    // request status: a move a submitted request forbids shows in supportedActions and the
    // mutation's refusal, not here (ADR 089).
    locationsForMove: (
      args: Args & { lineItemIds?: string[] | null; locationIds?: string[] | null },
    ) => {
      const wanted = (args.lineItemIds ?? [])
        .map((x) => parseGid(x))
        .filter((p) => p?.type === "FulfillmentOrderLineItem")
        .map((p) => p!.id);
      const lines = fo.lineItems.filter(
        (l) => l.remainingQuantity > 0 && (wanted.length === 0 || wanted.includes(l.id)),
      );
      const locations = [...shop.locations.values()]
        .filter(
          (l) =>
            l.isActive &&
            (!args.locationIds?.length || args.locationIds.some((x) => parseGid(x)?.id === l.id)),
        )
        .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
      return connection(
        locations,
        args,
        byId,
        (l) => {
          const current = l.id === fo.assignedLocationId;
          const lineOf = (x: FulfillmentOrderLine) =>
            order.lineItems.find((li) => li.id === x.lineItemId)!;
          // "Shirt - Medium": the product and, when it has one, the variant.
          const itemName = (li: { title: string; variantTitle: string | null }) =>
            li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title;
          const available = current ? [] : lines.filter((x) => stocks(shop, lineOf(x), l.id));
          const unavailable = lines.filter((x) => !available.includes(x));
          const movable = !current && lines.length > 0 && unavailable.length === 0;
          const message = movable
            ? null
            : current
              ? "Current location."
              : available.length === 0
                ? "No items are stocked at this location."
                : unavailable.length === 1
                  ? `${itemName(lineOf(unavailable[0]!))} can't be changed because it isn't stocked at this location.`
                  : `${unavailable.length} items can't be changed because they aren't stocked at this location.`;
          return {
            __typename: "FulfillmentOrderLocationForMove",
            location: locationView(ctx, l),
            movable,
            message,
            availableLineItems: (a: Args) =>
              connection(available, a, byId, (x) => foLineView(ctx, fo, x)),
            unavailableLineItems: (a: Args) =>
              connection(unavailable, a, byId, (x) => foLineView(ctx, fo, x)),
            availableLineItemsCount: countView(available.length),
            unavailableLineItemsCount: countView(unavailable.length),
          };
        },
        (l) => l.name,
      );
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
