// The simulator's control API under /_sim (stable, documented in simulator/README.md): reset, shops, catalogue, orders as checkout makes them, the fulfilment service's answers, whole order state, faults, stats and the webhook log.
import { createHmac, randomUUID } from "node:crypto";
import { Hono, type Context } from "hono";
import type { FlowActionDefinition, FlowLifecycleCallbackDefinition } from "./flow/triggers.ts";
import {
  acceptCancellationRequest,
  acceptFulfillmentRequest,
  closeFulfillmentOrder,
  createFulfillment,
  holdFulfillmentOrder,
  reportProgress,
  rejectCancellationRequest,
  rejectFulfillmentRequest,
  serviceOf,
  supportedActions,
} from "./shop/fulfillment-orders.ts";
import { addLocation, setInventory } from "./shop/catalog.ts";
import { gid, parseGid } from "./shop/ids.ts";
import {
  inventoryKey,
  money,
  orderCurrency,
  PLANS,
  type FulfillmentOrder,
  type Order,
  type Plan,
  type Result,
  type Shop,
} from "./shop/model.ts";
import {
  AUTHORIZATION_VALIDITY_MS,
  createOrder,
  displayFulfillmentStatus,
  financialStatus,
  fulfilledQuantity,
  markAsPaid,
  payDraftOrderInvoice,
  orderTotal,
  totalCapturable,
  type NewOrderInput,
} from "./shop/orders.ts";
import type { ReturnStatus } from "./shop/model.ts";
import { refundCreate } from "./shop/refunds.ts";
import { currentTotalTax, totalTax } from "./shop/taxes.ts";
import { ROUTER_APP_KEY, STAFF_KEY } from "./shop/state.ts";
import type { Simulator } from "./server.ts";
import { forgetAppSubscriptions } from "./webhooks/shop-subscriptions.ts";

const RETURN_STATUSES: readonly ReturnStatus[] = [
  "NO_RETURN",
  "RETURN_REQUESTED",
  "IN_PROGRESS",
  "INSPECTION_COMPLETE",
  "RETURNED",
  "RETURN_FAILED",
];

const HOLD_REASONS = [
  "AWAITING_PAYMENT",
  "AWAITING_RETURN_ITEMS",
  "HIGH_RISK_OF_FRAUD",
  "INCORRECT_ADDRESS",
  "INVENTORY_OUT_OF_STOCK",
  "ONLINE_STORE_POST_PURCHASE_CROSS_SELL",
  "OTHER",
  "UNKNOWN_DELIVERY_DATE",
];

/**
 * The request Flow sends when a workflow reaches one of the app's actions (Shopify's "Flow action
 * endpoints"): a JSON POST with shop, run id, handle and the action's properties, signed like a
 * webhook with the app's client secret (base64 HMAC-SHA256 of the raw body in
 * X-Shopify-Hmac-Sha256). Retries keep the action_run_id, so the app can drop duplicates.
 */
export function flowActionRequest(
  sim: Simulator,
  action: FlowActionDefinition,
  shop: string,
  properties: Record<string, unknown>,
  actionRunId?: unknown,
) {
  const runId = typeof actionRunId === "string" && actionRunId ? actionRunId : randomUUID();
  const shopRecord = sim.state.shop(shop);
  const body = JSON.stringify({
    shop_id: shopRecord?.id ?? 0,
    shopify_domain: shop,
    action_run_id: runId,
    action_definition_id: action.handle,
    handle: action.handle,
    properties,
  });
  // A relative runtime_url is the app's path, as Shopify CLI resolves it against application_url on
  // deploy; an absolute one's path is taken on the app the simulator runs against.
  const url = new URL(
    new URL(action.runtimeUrl, sim.options.appUrl).pathname,
    sim.options.appUrl,
  ).toString();
  return {
    url,
    actionRunId: runId,
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", sim.options.apiSecret)
        .update(body, "utf8")
        .digest("base64"),
    },
  };
}

/**
 * Flow's trigger lifecycle callback ("Track Flow lifecycle events"): a JSON POST with
 * flow_trigger_definition_id, has_enabled_flow, shop_id, shopify_domain and timestamp, signed like
 * a webhook with the app's client secret. The url's path is joined to the app URL (a relative url
 * is resolved against application_url on deploy).
 */
export function flowLifecycleRequest(
  sim: Simulator,
  callback: FlowLifecycleCallbackDefinition,
  shop: string,
  trigger: string,
  enabled: boolean,
) {
  const body = JSON.stringify({
    flow_trigger_definition_id: trigger,
    has_enabled_flow: enabled,
    shop_id: sim.state.shop(shop)?.id ?? 0,
    shopify_domain: shop,
    timestamp: new Date(sim.clock.now()).toISOString(),
  });
  const path = new URL(callback.url, "https://app.invalid").pathname;
  return {
    url: new URL(path, sim.options.appUrl).toString(),
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", sim.options.apiSecret)
        .update(body, "utf8")
        .digest("base64"),
    },
  };
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

function bad(c: Context, status: 400 | 404 | 409 | 422, message: string, errors?: unknown) {
  return c.json({ error: message, ...(errors ? { errors } : {}) }, status);
}

/** Control bodies are checked field by field where they are used. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

async function json(c: Context): Promise<Body> {
  try {
    const body = await c.req.json();
    return body && typeof body === "object" ? (body as Body) : {};
  } catch {
    return {};
  }
}

/** ":id" may be a GID (URL-encoded) or the bare number. */
function idParam(raw: string, type: string): number | undefined {
  const decoded = decodeURIComponent(raw);
  if (/^\d+$/.test(decoded)) return Number(decoded);
  const p = parseGid(decoded);
  return p?.type === type ? p.id : undefined;
}

export function orderState(sim: Simulator, shop: Shop, order: Order) {
  const now = sim.state.clock.now();
  // The order's amounts are the customer's, with the customer's currency's decimals.
  const cur = orderCurrency(order);
  const fos = order.fulfillmentOrderIds
    .map((id) => shop.fulfillmentOrders.get(id)!)
    .filter(Boolean);
  return {
    id: gid("Order", order.id),
    legacyResourceId: order.id,
    shop: shop.domain,
    name: order.name,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    email: order.email,
    customer: order.customerId
      ? {
          id: gid("Customer", order.customerId),
          tags: shop.customers.get(order.customerId)?.tags ?? [],
        }
      : null,
    financialStatus: financialStatus(shop, order, now),
    fulfillmentStatus: displayFulfillmentStatus(shop, order),
    totalPrice: money(orderTotal(order), cur),
    taxesIncluded: order.taxesIncluded === true,
    totalTax: money(totalTax(order), cur),
    currentTotalTax: money(currentTotalTax(order), cur),
    totalCapturable: money(totalCapturable(shop, order, now), cur),
    currency: order.currency,
    presentmentCurrency: order.presentment?.currency ?? order.currency,
    riskLevel: order.riskLevel,
    tags: order.tags,
    note: order.note,
    closed: order.closedAt !== null,
    closedAt: order.closedAt,
    returnStatus: order.returnStatus ?? "NO_RETURN",
    cancelled: order.cancelledAt !== null,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    shippingAddress: order.shippingAddress,
    lineItems: order.lineItems.map((li) => ({
      id: gid("LineItem", li.id),
      sku: li.sku,
      title: li.title,
      variantTitle: li.variantTitle,
      productType: li.productType,
      quantity: li.quantity,
      currentQuantity: li.currentQuantity,
      fulfilledQuantity: fulfilledQuantity(shop, li.id),
      requiresShipping: li.requiresShipping,
      giftCard: li.isGiftCard,
      price: money(li.price, cur),
      taxLines: (li.taxLines ?? []).map((t) => ({ ...t, price: money(t.price, cur) })),
      properties: li.properties,
    })),
    transactions: order.transactions.map((t) => ({
      id: gid("OrderTransaction", t.id),
      kind: t.kind,
      status: t.status,
      amount: money(t.amount, cur),
      gateway: t.gateway,
      createdAt: t.createdAt,
      authorizationExpiresAt: t.authorizationExpiresAt,
      parentTransactionId: t.parentId ? gid("OrderTransaction", t.parentId) : null,
    })),
    refunds: (order.refunds ?? []).map((r) => ({
      id: gid("Refund", r.id),
      createdAt: r.createdAt,
      note: r.note,
      notify: r.notify,
      lines: r.lines.map((l) => ({
        lineItemId: gid("LineItem", l.lineItemId),
        quantity: l.quantity,
        restockType: l.restockType,
        locationId: l.locationId === null ? null : gid("Location", l.locationId),
        // The tax given back with the line, on a taxed order.
        ...(l.tax ? { tax: money(l.tax, cur) } : {}),
      })),
      ...(r.shipping ? { shipping: money(r.shipping, cur) } : {}),
      transactionIds: r.transactionIds.map((id) => gid("OrderTransaction", id)),
    })),
    fulfillmentOrders: fos.map((fo) => foState(sim, shop, order, fo)),
    fulfillments: order.fulfillmentIds.map((id) => {
      const f = shop.fulfillments.get(id)!;
      return {
        id: gid("Fulfillment", f.id),
        name: f.name,
        status: f.status,
        createdAt: f.createdAt,
        location: {
          id: gid("Location", f.locationId),
          name: shop.locations.get(f.locationId)?.name ?? null,
        },
        tracking: f.tracking,
        notifyCustomer: f.notifyCustomer,
        createdBy: f.createdByAppId,
        fulfillmentOrderIds: f.fulfillmentOrderIds.map((x) => gid("FulfillmentOrder", x)),
        lineItems: f.lines.map((l) => ({
          lineItemId: gid("LineItem", l.lineItemId),
          quantity: l.quantity,
        })),
      };
    }),
  };
}

function foState(sim: Simulator, shop: Shop, order: Order, fo: FulfillmentOrder) {
  const loc = shop.locations.get(fo.assignedLocationId)!;
  return {
    id: gid("FulfillmentOrder", fo.id),
    status: fo.status,
    requestStatus: fo.requestStatus,
    location: {
      id: gid("Location", loc.id),
      name: loc.name,
      fulfillmentServiceHandle: loc.fulfillmentService?.handle ?? null,
    },
    deliveryMethod: fo.deliveryMethodType,
    fulfillAt: fo.fulfillAt,
    createdAt: fo.createdAt,
    updatedAt: fo.updatedAt,
    supportedActions: supportedActions(
      shop,
      fo,
      ROUTER_APP_KEY,
      sim.state.readings.mergeDeliveryMethod,
    ),
    lineItems: fo.lineItems.map((l) => {
      const li = order.lineItems.find((x) => x.id === l.lineItemId)!;
      return {
        id: gid("FulfillmentOrderLineItem", l.id),
        lineItemId: gid("LineItem", li.id),
        sku: li.sku,
        totalQuantity: l.totalQuantity,
        remainingQuantity: l.remainingQuantity,
      };
    }),
    holds: fo.holds.map((h) => ({
      id: gid("FulfillmentHold", h.id),
      reason: h.reason,
      reasonNotes: h.reasonNotes,
      handle: h.handle,
      heldByApp: sim.state.apps.get(h.appId)?.title ?? h.appId,
    })),
    requests: fo.merchantRequests.map((r) => ({
      id: gid("FulfillmentOrderMerchantRequest", r.id),
      kind: r.kind,
      message: r.message,
      sentAt: r.sentAt,
      response: r.responseData,
    })),
  };
}

function catalogue(shop: Shop) {
  return {
    shop: shop.domain,
    plan: shop.plan,
    locations: [...shop.locations.values()].map((l) => ({
      id: gid("Location", l.id),
      name: l.name,
      isActive: l.isActive,
      fulfillmentService: l.fulfillmentService
        ? { handle: l.fulfillmentService.handle, serviceName: l.fulfillmentService.serviceName }
        : null,
    })),
    products: [...shop.products.values()].map((p) => ({
      id: gid("Product", p.id),
      title: p.title,
      productType: p.productType,
      vendor: p.vendor,
      tags: p.tags,
      giftCard: p.isGiftCard,
      options: p.options.map((o) => ({ name: o.name, values: o.values })),
      variants: p.variantIds.map((id) => {
        const v = shop.variants.get(id)!;
        return {
          id: gid("ProductVariant", v.id),
          sku: v.sku,
          title: v.title,
          price: money(v.price, shop.currency),
          options: Object.fromEntries(v.selectedOptions.map((o) => [o.name, o.value])),
          requiresShipping: v.requiresShipping,
          tracked: v.tracked,
          inventoryPolicy: v.inventoryPolicy,
          inventoryItemId: gid("InventoryItem", v.inventoryItemId),
          inventory: [...shop.inventory.values()]
            .filter((x) => x.inventoryItemId === v.inventoryItemId)
            .map((x) => ({
              location: shop.locations.get(x.locationId)?.name ?? null,
              locationId: gid("Location", x.locationId),
              available: x.available,
              committed: x.committed,
            })),
        };
      }),
    })),
  };
}

export function controlRoutes(sim: Simulator): Hono {
  const app = new Hono();

  /** A route about one shop: the body and the shop it names (`shop`), or a 404 answer. */
  const shopOfBody = async (c: Context): Promise<{ body: Body; shop: Shop } | Response> => {
    const body = await json(c);
    const shop = sim.state.shop(String(body.shop ?? ""));
    return shop ? { body, shop } : bad(c, 404, "unknown shop");
  };

  /** What the path's `:id` (a `type` GID or the bare number) names, or a 404 "unknown `what`". */
  const fromPath = <T>(
    c: Context,
    type: string,
    what: string,
    find: (id: number) => T | undefined,
  ): T | Response => {
    const id = idParam(c.req.param("id") ?? "", type);
    const found = id === undefined ? undefined : find(id);
    return found === undefined ? bad(c, 404, `unknown ${what}`) : found;
  };
  const orderOfPath = (c: Context) =>
    fromPath(c, "Order", "order", (id) => sim.state.findOrder(id));
  const fulfillmentOrderOfPath = (c: Context) =>
    fromPath(c, "FulfillmentOrder", "fulfillment order", (id) =>
      sim.state.findFulfillmentOrder(id),
    );
  const draftOrderOfPath = (c: Context) =>
    fromPath(c, "DraftOrder", "draft order", (id) => {
      const shop = [...sim.state.shops.values()].find((s) => s.draftOrders.has(id));
      return shop ? { shop, draft: shop.draftOrders.get(id)! } : undefined;
    });

  app.post("/_sim/reset", async (c) => {
    const body = await json(c);
    const seed = body.seed ?? "demo";
    if (seed !== "demo" && seed !== "empty") return bad(c, 400, 'seed must be "demo" or "empty"');
    sim.reset(seed);
    return c.json({ ok: true, seed, shops: [...sim.state.shops.keys()] });
  });

  app.post("/_sim/shops", async (c) => {
    const body = await json(c);
    const domain = String(body.shop ?? "");
    const plan = (body.plan ?? "standard") as Plan;
    const seed = body.seed ?? "demo";
    if (!SHOP_DOMAIN.test(domain)) return bad(c, 400, "shop must be a *.myshopify.com domain");
    if (!PLANS.includes(plan)) return bad(c, 400, `plan must be one of ${PLANS.join(", ")}`);
    if (seed !== "demo" && seed !== "empty") return bad(c, 400, 'seed must be "demo" or "empty"');
    const currency = body.currency ?? "EUR";
    if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency))
      return bad(c, 400, "currency must be an ISO 4217 code such as KWD");
    const shop = sim.addShop(domain, plan, seed);
    // The shop's currency (Shop.currencyCode): a dinar shop keeps its amounts in fils (ADR 087).
    shop.currency = currency;
    return c.json({ ...catalogue(shop), accessToken: sim.mintToken(domain) }, 201);
  });

  app.get("/_sim/shops", (c) =>
    c.json({
      shops: [...sim.state.shops.values()].map((s) => ({
        shop: s.domain,
        plan: s.plan,
        orders: s.orders.size,
      })),
    }),
  );

  app.get("/_sim/products", (c) => {
    const shop = sim.state.shop(c.req.query("shop") ?? "");
    if (!shop) return bad(c, 404, "unknown shop");
    return c.json(catalogue(shop));
  });

  // The merchant edits a product in Shopify admin (its type, tags or title): fires products/update.
  app.post("/_sim/products/:id", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    const product = fromPath(c, "Product", "product", (id) => shop.products.get(id));
    if (product instanceof Response) return product;
    if (body.productType !== undefined && typeof body.productType !== "string")
      return bad(c, 400, "productType must be a string");
    if (
      body.tags !== undefined &&
      !(Array.isArray(body.tags) && body.tags.every((t: unknown) => typeof t === "string"))
    )
      return bad(c, 400, "tags must be a list of strings");
    if (typeof body.productType === "string") product.productType = body.productType;
    if (Array.isArray(body.tags)) product.tags = [...(body.tags as string[])];
    if (typeof body.title === "string" && body.title) product.title = body.title;
    product.updatedAt = new Date(sim.clock.now()).toISOString();
    sim.state.emit(shop, { topic: "products/update", product });
    return c.json(catalogue(shop).products.find((p) => p.id === gid("Product", product.id)));
  });

  // The merchant deletes a product in Shopify admin: it and its variants are gone (orders keep
  // their lines, which no longer find them); fires products/delete.
  app.delete("/_sim/products/:id", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { shop } = named;
    const product = fromPath(c, "Product", "product", (id) => shop.products.get(id));
    if (product instanceof Response) return product;
    shop.products.delete(product.id);
    for (const id of product.variantIds) shop.variants.delete(id);
    sim.state.emit(shop, { topic: "products/delete", product });
    return c.json({ deletedProductId: gid("Product", product.id) });
  });

  // Staff change what a location has on the shelf in admin (a delivery received, a count
  // corrected): Shopify's inventoryAdjustQuantities on the "available" quantity, by SKU and
  // location name. What orders have committed stays theirs. Shopify sends inventory_levels/update
  // to apps subscribed to it whose installation granted read_inventory (the dispatcher checks);
  // `deliver` as for orders (duplicates, delay).
  app.post("/_sim/inventory", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    if (!Number.isInteger(body.delta)) return bad(c, 400, "delta must be a whole number");
    const variant = [...shop.variants.values()].find((v) => v.sku === body.sku);
    if (!variant) return bad(c, 404, `no variant with SKU ${String(body.sku)}`);
    const location = [...shop.locations.values()].find((l) => l.name === body.location);
    if (!location) return bad(c, 404, `no location named ${String(body.location)}`);
    const level = shop.inventory.get(inventoryKey(variant.inventoryItemId, location.id));
    if (!level) return bad(c, 422, `${location.name} does not stock ${variant.sku}`);
    level.available += body.delta as number;
    level.updatedAt = new Date(sim.clock.now()).toISOString();
    sim.webhooks.withOptions(body.deliver, () =>
      sim.state.emit(shop, { topic: "inventory_levels/update", level }),
    );
    return c.json({ available: level.available, committed: level.committed });
  });

  // Staff add a location of their own in admin (a second warehouse, a shop) and stock SKUs there,
  // by SKU and quantity available. No webhook: the app subscribes to no location topic.
  app.post("/_sim/locations", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    const name = typeof body.name === "string" ? body.name.trim() : "";
    if (!name) return bad(c, 400, "name is required");
    if ([...shop.locations.values()].some((l) => l.name === name))
      return bad(c, 422, `a location named ${name} exists`);
    const stock = (body.stock ?? {}) as Record<string, unknown>;
    const items: [number, number][] = [];
    for (const [sku, available] of Object.entries(stock)) {
      const variant = [...shop.variants.values()].find((v) => v.sku === sku);
      if (!variant) return bad(c, 404, `no variant with SKU ${sku}`);
      if (!Number.isInteger(available)) return bad(c, 400, "stock must be whole numbers");
      items.push([variant.inventoryItemId, available as number]);
    }
    const location = addLocation(sim.state, shop, { name });
    const at = new Date(sim.clock.now()).toISOString();
    for (const [item, available] of items) setInventory(shop, item, location.id, available, at);
    return c.json({ locationId: gid("Location", location.id) });
  });

  app.post("/_sim/orders", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    const o = body.order as Body | undefined;
    if (!o || !Array.isArray(o.lineItems)) return bad(c, 400, "order.lineItems is required");
    const payment = o.payment ?? "paid";
    if (!["paid", "authorized", "pending"].includes(payment))
      return bad(c, 400, 'order.payment must be "paid", "authorized" or "pending"');
    if (o.riskLevel && !["LOW", "MEDIUM", "HIGH"].includes(o.riskLevel))
      return bad(c, 400, "order.riskLevel must be LOW, MEDIUM or HIGH");
    const taxLines = o.taxLines ?? [];
    if (
      !Array.isArray(taxLines) ||
      !taxLines.every(
        (t: Body) =>
          t &&
          typeof t.title === "string" &&
          t.title !== "" &&
          typeof t.rate === "number" &&
          t.rate >= 0 &&
          t.rate < 1,
      )
    )
      return bad(c, 400, "order.taxLines must be [{title, rate}] with a rate from 0 to below 1");
    if (o.taxesIncluded !== undefined && typeof o.taxesIncluded !== "boolean")
      return bad(c, 400, "order.taxesIncluded must be true or false");
    const input: NewOrderInput = {
      lineItems: o.lineItems,
      taxLines,
      taxesIncluded: o.taxesIncluded,
      payment,
      shippingAddress: o.shippingAddress,
      tags: o.tags,
      riskLevel: o.riskLevel,
      email: o.email,
      customer: o.customer,
      note: o.note,
      fulfillAt: o.fulfillAt,
      shippingLine: o.shippingLine,
      presentment: o.presentment,
    };
    const r = sim.webhooks.withOptions(body.deliver, () => createOrder(sim.state, shop, input));
    if (!r.ok) return bad(c, 422, r.errors.map((e) => e.message).join("; "), r.errors);
    return c.json(
      {
        orderId: gid("Order", r.value.id),
        name: r.value.name,
        fulfillmentOrderIds: r.value.fulfillmentOrderIds.map((x) => gid("FulfillmentOrder", x)),
      },
      201,
    );
  });

  app.get("/_sim/orders/:id", (c) => {
    const found = orderOfPath(c);
    if (found instanceof Response) return found;
    return c.json(orderState(sim, found.shop, found.order));
  });

  app.post("/_sim/orders/:id/pay", async (c) => {
    const found = orderOfPath(c);
    if (found instanceof Response) return found;
    const body = await json(c);
    const r = sim.webhooks.withOptions(body.deliver, () =>
      markAsPaid(sim.state, found.shop, found.order),
    );
    if (!r.ok) return bad(c, 422, r.errors.map((e) => e.message).join("; "), r.errors);
    return c.json(orderState(sim, found.shop, found.order));
  });

  // What the payment provider decided about an order's open authorization: when it lapses (the
  // gateway's deadline: OrderDisplayFinancialStatus EXPIRED "Payment wasn't captured before the
  // payment provider's deadline") and when it was made (a checkout days ago).
  app.post("/_sim/orders/:id/authorization", async (c) => {
    const found = orderOfPath(c);
    if (found instanceof Response) return found;
    const body = await json(c);
    const time = (key: string) => {
      const raw = body[key] as unknown;
      if (raw === undefined) return undefined;
      const at = typeof raw === "string" ? Date.parse(raw) : NaN;
      return Number.isNaN(at) ? null : new Date(at).toISOString();
    };
    const expiresAt = time("expiresAt");
    const authorizedAt = time("authorizedAt");
    if (expiresAt === null || authorizedAt === null)
      return bad(c, 400, "expiresAt and authorizedAt must be ISO 8601 times");
    if (expiresAt === undefined && authorizedAt === undefined)
      return bad(c, 400, "give expiresAt, authorizedAt or both");
    const auth = found.order.transactions
      .filter((t) => t.kind === "AUTHORIZATION" && t.status === "SUCCESS")
      .at(-1);
    if (!auth) return bad(c, 422, "the order has no authorization");
    if (authorizedAt) {
      auth.createdAt = authorizedAt;
      auth.processedAt = authorizedAt;
    }
    auth.authorizationExpiresAt =
      expiresAt ?? new Date(Date.parse(authorizedAt!) + AUTHORIZATION_VALIDITY_MS).toISOString();
    return c.json(orderState(sim, found.shop, found.order));
  });

  // A draft order as the merchant and the customer see it, with each invoice e-mail sent for it.
  app.get("/_sim/draft-orders/:id", (c) => {
    const found = draftOrderOfPath(c);
    if (found instanceof Response) return found;
    const { draft } = found;
    return c.json({
      id: gid("DraftOrder", draft.id),
      name: draft.name,
      status: draft.status,
      email: draft.email,
      tags: draft.tags,
      note: draft.note,
      customAttributes: draft.customAttributes,
      invoiceUrl: draft.invoiceUrl,
      invoiceSentAt: draft.invoiceSentAt,
      invoiceEmails: draft.invoiceEmails,
      orderId: draft.orderId != null ? gid("Order", draft.orderId) : null,
    });
  });

  // The customer pays a draft order's invoice at checkout: the draft becomes a paid order.
  app.post("/_sim/draft-orders/:id/pay", async (c) => {
    const found = draftOrderOfPath(c);
    if (found instanceof Response) return found;
    const { shop, draft } = found;
    const body = await json(c);
    const r = sim.webhooks.withOptions(body.deliver, () =>
      payDraftOrderInvoice(sim.state, shop, draft),
    );
    if (!r.ok) return bad(c, 422, r.errors.map((e) => e.message).join("; "), r.errors);
    const order = shop.orders.get(draft.orderId!)!;
    return c.json({
      draftOrderId: gid("DraftOrder", draft.id),
      status: draft.status,
      orderId: gid("Order", order.id),
      name: order.name,
    });
  });

  app.post("/_sim/fulfillment-orders/:id/service-response", async (c) => {
    const found = fulfillmentOrderOfPath(c);
    if (found instanceof Response) return found;
    const { shop, fo } = found;
    const service = serviceOf(shop, fo);
    if (!service)
      return bad(c, 409, "the fulfillment order is not assigned to a fulfillment service location");
    const body = await json(c);
    const app = service.ownerAppId;
    const message = body.message ?? null;
    let r: Result<unknown>;
    switch (body.action) {
      case "accept":
        r = acceptFulfillmentRequest(sim.state, shop, fo, app, { message });
        break;
      case "reject":
        r = rejectFulfillmentRequest(sim.state, shop, fo, app, {
          message,
          reason: body.reason ?? "OTHER",
        });
        break;
      case "fulfill": {
        const t = body.tracking ?? {};
        r = createFulfillment(sim.state, shop, app, {
          lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: gid("FulfillmentOrder", fo.id) }],
          notifyCustomer: body.notifyCustomer ?? true,
          trackingInfo: {
            company: t.company ?? "DHL",
            number: t.number ?? `SIM${fo.id}`,
            url: t.url ?? null,
          },
        });
        break;
      }
      case "accept-cancellation":
        r = acceptCancellationRequest(sim.state, shop, fo, app, message);
        break;
      case "reject-cancellation":
        r = rejectCancellationRequest(sim.state, shop, fo, app, message);
        break;
      case "close":
        r = closeFulfillmentOrder(sim.state, shop, fo, app, message);
        break;
      default:
        return bad(
          c,
          400,
          "action must be accept, reject, fulfill, accept-cancellation, reject-cancellation or close",
        );
    }
    if (!r.ok) return bad(c, 422, r.errors.map((e) => e.message).join("; "), r.errors);
    const order = shop.orders.get(fo.orderId)!;
    return c.json(orderState(sim, shop, order));
  });

  // A customer asks the shop for their data (privacy law compliance): Shopify sends the app
  // customers/data_request with the customer's orders.
  app.post("/_sim/customers/:id/data-request", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { shop } = named;
    const customer = fromPath(c, "Customer", "customer", (id) => shop.customers.get(id));
    if (customer instanceof Response) return customer;
    const orders = [...shop.orders.values()].filter((o) => o.customerId === customer.id);
    const dataRequestId = sim.state.nextId();
    sim.state.emit(shop, { topic: "customers/data_request", customer, orders, dataRequestId });
    return c.json({ dataRequestId, ordersRequested: orders.map((o) => gid("Order", o.id)) }, 201);
  });

  /** A hold placed at the simulator's control (by staff, by another app), answered with the order state. */
  async function holdBy(
    c: Context,
    holder: (body: Body) => { key: string; handlePrefix: string } | Response,
  ) {
    const found = fulfillmentOrderOfPath(c);
    if (found instanceof Response) return found;
    const body = await json(c);
    const reason = body.reason ?? "OTHER";
    if (!HOLD_REASONS.includes(reason))
      return bad(c, 400, `reason must be one of ${HOLD_REASONS.join(", ")}`);
    const by = holder(body);
    if (by instanceof Response) return by;
    const r = sim.webhooks.withOptions(body.deliver, () =>
      holdFulfillmentOrder(sim.state, found.shop, found.fo, by.key, {
        reason,
        reasonNotes: body.reasonNotes ?? null,
        handle: body.handle ?? `${by.handlePrefix}-${sim.state.nextId()}`,
      }),
    );
    if (!r.ok) return bad(c, 422, r.errors.map((e) => e.message).join("; "), r.errors);
    return c.json(orderState(sim, found.shop, found.shop.orders.get(found.fo.orderId)!));
  }

  // Staff in Shopify admin hold a fulfillment order ("Hold fulfillment"): no app holds it.
  app.post("/_sim/fulfillment-orders/:id/staff-hold", (c) =>
    holdBy(c, () => ({ key: STAFF_KEY, handlePrefix: "staff" })),
  );

  // Another app installed on the shop holds a fulfillment order (a fraud or preorder app, say):
  // only that app can release its hold through the API (INVALID_ACCESS for any other).
  app.post("/_sim/fulfillment-orders/:id/app-hold", (c) =>
    holdBy(c, (body) =>
      typeof body.app === "string" && body.app !== ""
        ? { key: sim.state.otherApp(body.app, body.appTitle).key, handlePrefix: body.app }
        : bad(c, 400, "app must name the app that holds it (its handle)"),
    ),
  );

  // Staff mark a fulfillment order they fulfil themselves as in progress in admin (no webhook).
  app.post("/_sim/fulfillment-orders/:id/report-progress", (c) => {
    const found = fulfillmentOrderOfPath(c);
    if (found instanceof Response) return found;
    const r = reportProgress(sim.state, found.shop, found.fo);
    if (!r.ok) return bad(c, 422, r.errors.map((e) => e.message).join("; "), r.errors);
    return c.json(orderState(sim, found.shop, found.shop.orders.get(found.fo.orderId)!));
  });

  // Staff refund some unfulfilled items of an order in admin without a payment back (its
  // fulfillment orders lose them: restock CANCEL), by SKU and quantity.
  // The customer asks to return items, or staff open a return in admin: while it is active
  // (RETURN_REQUESTED, IN_PROGRESS) Shopify refuses orderCancel. Only the order's returnStatus.
  app.post("/_sim/orders/:id/return", async (c) => {
    const found = orderOfPath(c);
    if (found instanceof Response) return found;
    const body = await json(c);
    const status = body.status ?? "IN_PROGRESS";
    if (!RETURN_STATUSES.includes(status as ReturnStatus))
      return bad(c, 400, `status must be one of ${RETURN_STATUSES.join(", ")}`);
    found.order.returnStatus = status as ReturnStatus;
    return c.json(orderState(sim, found.shop, found.order));
  });

  // The order was placed for a company (B2B: Order.purchasingEntity is a PurchasingCompany), as
  // an order from the shop's B2B catalogue would be; Shopify then gives no store credit on it.
  app.post("/_sim/orders/:id/company", async (c) => {
    const found = orderOfPath(c);
    if (found instanceof Response) return found;
    const body = await json(c);
    const name = typeof body.name === "string" ? body.name.trim() : "";
    if (!name) return bad(c, 400, "name is required");
    found.order.company = { id: sim.state.nextId(), name };
    return c.json(orderState(sim, found.shop, found.order));
  });

  // Staff deactivate a location in admin (by name); orders already assigned to it keep it, and
  // Shopify restocks nothing there any more. No webhook: the app subscribes to no location topic.
  app.post("/_sim/locations/deactivate", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    const location = [...shop.locations.values()].find((l) => l.name === body.name);
    if (!location) return bad(c, 404, `no location named ${String(body.name)}`);
    location.isActive = false;
    return c.json({ locationId: gid("Location", location.id), isActive: false });
  });

  app.post("/_sim/orders/:id/staff-refund", async (c) => {
    const found = orderOfPath(c);
    if (found instanceof Response) return found;
    const body = await json(c);
    const lines = Array.isArray(body.lines)
      ? (body.lines as { sku?: unknown; quantity?: unknown }[])
      : [];
    const missing = lines.find((l) => !found.order.lineItems.some((x) => x.sku === l.sku));
    if (missing) return bad(c, 400, `the order has no line with SKU ${String(missing.sku)}`);
    const refundLineItems = lines.map((l) => ({
      lineItemId: gid("LineItem", found.order.lineItems.find((x) => x.sku === l.sku)!.id),
      quantity: Number(l.quantity),
      restockType: "CANCEL" as const,
    }));
    const r = sim.webhooks.withOptions(body.deliver, () =>
      refundCreate(sim.state, found.shop, found.order, {
        orderId: gid("Order", found.order.id),
        refundLineItems,
        currency: found.order.presentment?.currency ?? null,
      }),
    );
    if (!r.ok) return bad(c, 422, r.errors.map((e) => e.message).join("; "), r.errors);
    return c.json(orderState(sim, found.shop, found.order));
  });

  // A fulfillment service stops (or starts again) taking fulfillment requests: its app was
  // uninstalled, or it is one that never opted in to fulfillment orders.
  app.post("/_sim/fulfillment-services/:handle/requests", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    if (typeof body.taken !== "boolean") return bad(c, 400, "taken must be true or false");
    const service = [...shop.locations.values()]
      .map((l) => l.fulfillmentService)
      .find((s) => s?.handle === c.req.param("handle"));
    if (!service) return bad(c, 404, "no fulfillment service with that handle on this shop");
    service.takesRequests = body.taken;
    return c.json({ handle: service.handle, takesRequests: body.taken });
  });

  // Days pass at "Shopify" in a moment: authorizations lapse (capturing one then answers a
  // userError), scheduled fulfillment orders come due, webhook retries fall due. Never backwards.
  const clockState = () => ({
    now: new Date(sim.clock.now()).toISOString(),
    offsetMs: sim.clock.offsetMs,
  });
  app.get("/_sim/clock", (c) => c.json(clockState()));
  app.post("/_sim/clock", async (c) => {
    const body = await json(c);
    const { advanceMs, to } = body as { advanceMs?: unknown; to?: unknown };
    if ((advanceMs === undefined) === (to === undefined))
      return bad(c, 400, "give advanceMs or to, not both");
    let ms: number;
    if (advanceMs !== undefined) {
      if (typeof advanceMs !== "number" || !Number.isFinite(advanceMs))
        return bad(c, 400, "advanceMs must be a number of milliseconds");
      ms = advanceMs;
    } else {
      const at = typeof to === "string" ? Date.parse(to) : NaN;
      if (Number.isNaN(at)) return bad(c, 400, "to must be an ISO 8601 time");
      ms = at - sim.clock.now();
    }
    if (ms < 0) return bad(c, 422, "the simulator's clock only moves forward");
    const fired = sim.clock.advance(ms);
    return c.json({ ...clockState(), timersFired: fired });
  });

  app.get("/_sim/readings", (c) => c.json({ readings: sim.state.readings }));
  app.post("/_sim/readings", async (c) => {
    const body = await json(c);
    const allowed: Record<string, readonly string[]> = {
      cancellationAccepted: ["closed", "cancelled"],
      refundRestockLocation: ["assigned", "required"],
      partialMove: ["carved", "original_moves", "original_closed"],
      moveToOccupied: ["merged", "recreated", "beside"],
      progressRefusal: ["coded", "uncoded"],
      accessDenied: ["named", "bare"],
      suggestedRefund: ["calculated", "none"],
      draftPriceCurrency: ["refused", "converted"],
      mergeDeliveryMethod: ["same", "any"],
      inventoryLevelUpdate: ["any_quantity", "available"],
    };
    for (const [k, v] of Object.entries(body)) {
      const values = allowed[k];
      if (!values) return bad(c, 400, `unknown reading ${k}`);
      if (!values.includes(v as string))
        return bad(c, 400, `${k} must be ${values.map((x) => `"${x}"`).join(" or ")}`);
    }
    sim.state.readings = { ...sim.state.readings, ...body };
    return c.json({ readings: sim.state.readings });
  });

  app.get("/_sim/faults", (c) => c.json({ faults: sim.faults.config }));
  app.post("/_sim/faults", async (c) => {
    const body = await json(c);
    if (body.reset === true) {
      sim.faults.reset();
      delete body.reset;
    }
    const problems = sim.faults.set(body);
    if (problems.length) return bad(c, 400, problems.join("; "));
    return c.json({ faults: sim.faults.config });
  });

  // Runs the jobs held by the `heldJobs` fault (and any still queued): Shopify got to them.
  app.post("/_sim/jobs/run", (c) => {
    const queued = [...sim.state.jobs.values()].filter((j) => !j.done);
    for (const job of queued) job.run();
    return c.json({ ran: queued.length });
  });

  app.get("/_sim/stats", (c) =>
    c.json({
      shops: Object.fromEntries(
        [...sim.state.shops.keys()].map((domain) => [
          domain,
          { ...sim.stats.for(domain), throttleStatus: sim.bucketFor(domain).status() },
        ]),
      ),
    }),
  );

  app.get("/_sim/webhooks", (c) => {
    const shop = c.req.query("shop");
    const topic = c.req.query("topic");
    const list = sim.webhooks.log(shop).filter((d) => !topic || d.topic === topic);
    return c.json({
      deliveries: list.map((d) => ({
        webhookId: d.webhookId,
        eventId: d.eventId,
        topic: d.topic,
        shop: d.shop,
        url: d.url,
        triggeredAt: d.triggeredAt,
        status: d.status,
        nextAttemptAt: d.nextAttemptAt,
        attempts: d.attempts,
        payload: JSON.parse(d.body) as unknown,
      })),
    });
  });

  app.get("/_sim/webhooks/idle", async (c) => {
    const timeout = Number(c.req.query("timeoutMs") ?? 10_000);
    const done = await Promise.race([
      sim.webhooks.idle().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeout).unref?.()),
    ]);
    return c.json({ idle: done }, done ? 200 : 408);
  });

  // Shopify Flow: the trigger runs flowTriggerReceive started, newest last.
  app.get("/_sim/flow/triggers", (c) => {
    const shop = c.req.query("shop");
    const handle = c.req.query("handle");
    return c.json({
      triggers: sim.state.flow.received.filter(
        (t) => (!shop || t.shop === shop) && (!handle || t.handle === handle),
      ),
    });
  });

  // Shopify Flow: the merchant enables (or disables) a workflow that starts from one of the app's
  // triggers. With a lifecycle callback deployed, Flow first POSTs it to the app (signed like a
  // webhook) and enables the workflow only if the app answers 2xx; answers the app's reply.
  app.post("/_sim/flow/workflows", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    const trigger = sim.state.flow.triggers.find((t) => t.handle === body.trigger);
    if (!trigger) return bad(c, 404, "no flow_trigger extension with that handle");
    const enabled = body.enabled !== false;
    const key = `${shop.domain}\u0000${trigger.handle}`;
    const callback = sim.state.flow.lifecycle[0];
    if (!callback) {
      if (enabled) sim.state.flow.workflows.add(key);
      else sim.state.flow.workflows.delete(key);
      return c.json({ enabled: sim.state.flow.workflows.has(key), callback: null });
    }
    const request = flowLifecycleRequest(sim, callback, shop.domain, trigger.handle, enabled);
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
    });
    if (response.ok || !enabled) {
      if (enabled) sim.state.flow.workflows.add(key);
      else sim.state.flow.workflows.delete(key);
    }
    return c.json({
      enabled: sim.state.flow.workflows.has(key),
      callback: { url: request.url, status: response.status, body: await response.text() },
    });
  });

  // Shopify Flow running one of the app's actions: the signed POST to the action's runtime URL
  // (its path joined to the app URL, as webhook subscription paths are). Answers the app's reply.
  app.post("/_sim/flow/actions/:handle", async (c) => {
    const action = sim.state.flow.actions.find((a) => a.handle === c.req.param("handle"));
    if (!action) return bad(c, 404, "no flow_action extension with that handle");
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    const properties = (body.properties ?? {}) as Record<string, unknown>;
    const missing = action.fields.filter((f) => f.required && properties[f.key] == null);
    if (missing.length)
      return bad(c, 422, `missing required properties: ${missing.map((f) => f.key).join(", ")}`);
    const request = flowActionRequest(sim, action, shop.domain, properties, body.actionRunId);
    const started = Date.now();
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
    });
    return c.json({
      url: request.url,
      actionRunId: request.actionRunId,
      status: response.status,
      body: await response.text(),
      durationMs: Date.now() - started,
    });
  });

  // `scopes` (comma-separated): a token of an installation that granted only these, as a shop that
  // has not yet approved a scope the app added since; the app's declared scopes otherwise.
  app.post("/_sim/tokens", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    if (body.scopes !== undefined && typeof body.scopes !== "string")
      return bad(c, 400, "scopes must be a comma-separated string");
    return c.json({ accessToken: sim.mintToken(shop.domain, body.scopes) }, 201);
  });

  // The merchant uninstalls the app: its tokens stop working and the subscriptions it made on the
  // shop are deleted (the toml's app-wide ones stay the app's). app/uninstalled is not sent.
  app.post("/_sim/uninstall", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { shop } = named;
    shop.installed = false;
    sim.tokens.revokeShop(shop.domain);
    forgetAppSubscriptions(shop, ROUTER_APP_KEY);
    return c.json({ uninstalled: shop.domain });
  });

  app.post("/_sim/service-tokens", async (c) => {
    const named = await shopOfBody(c);
    if (named instanceof Response) return named;
    const { body, shop } = named;
    const handle = String(body.handle ?? "");
    // `install: true`: a lab's own app, installed on the shop before it creates its fulfillment
    // service with fulfillmentServiceCreate (the service then belongs to that app).
    const known = [...shop.locations.values()].some((l) => l.fulfillmentService?.handle === handle);
    if (!known && !(body.install === true && handle !== ""))
      return bad(c, 404, "no fulfillment service with that handle on this shop");
    return c.json({ accessToken: sim.mintServiceToken(shop.domain, handle) }, 201);
  });

  return app;
}
