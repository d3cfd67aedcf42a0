// Root resolvers of the simulated Admin API: the queries and mutations the app uses, each answering userErrors the way Shopify does.
import { getDirectiveValues, GraphQLError, type GraphQLResolveInfo } from "graphql";
import {
  acceptCancellationRequest,
  acceptFulfillmentRequest,
  cancelFulfillmentOrder,
  closeFulfillmentOrder,
  createFulfillment,
  holdFulfillmentOrder,
  mergeFulfillmentOrders,
  moveFulfillmentOrder,
  openFulfillmentOrder,
  rejectCancellationRequest,
  rejectFulfillmentRequest,
  releaseHold,
  splitFulfillmentOrders,
  submitCancellationRequest,
  submitFulfillmentRequest,
  type FulfillmentCreateInput,
  type HoldInput,
} from "../shop/fulfillment-orders.ts";
import { receiveFlowTrigger } from "../flow/triggers.ts";
import { addLocation, setInventory } from "../shop/catalog.ts";
import { refundCreate, type RefundCreateInput } from "../shop/refunds.ts";
import type { SimJob } from "../shop/state.ts";
import { gid, parseGid } from "../shop/ids.ts";
import type {
  DraftOrder,
  FulfillmentOrder,
  Location,
  Order,
  Product,
  Result,
  Shop,
  UserError,
  Variant,
} from "../shop/model.ts";
import {
  changeTags,
  displayFulfillmentStatus,
  draftOrderComplete,
  draftOrderDelete,
  draftOrderCreate,
  draftOrderInvoiceSend,
  financialStatus,
  markAsPaid,
  orderCancel,
  orderCancelRefusal,
  orderCapture,
  orderClose,
  orderOpen,
  orderUpdate,
  restFulfillmentStatus,
  type CancelInput,
  type DraftOrderInput,
  type OrderUpdateInput,
} from "../shop/orders.ts";
import { connection, type ConnectionArgs } from "./connection.ts";
import {
  createShopSubscription,
  deleteShopSubscription,
  enumOfTopic,
  shopSubscriptions,
  topicOfEnum,
} from "../webhooks/shop-subscriptions.ts";
import { WEBHOOK_API_VERSION } from "../webhooks/dispatcher.ts";
import type { ShopWebhookSubscription } from "../shop/model.ts";
import { compareNumber, compareTime, eqText, search } from "./search.ts";
import {
  draftOrderView,
  fulfillmentOrderSearch,
  fulfillmentOrderView,
  fulfillmentServiceView,
  fulfillmentView,
  inventoryLevelView,
  locationView,
  nodeView,
  orderView,
  productView,
  refundView,
  shopView,
  transactionView,
  variantView,
  type GqlContext,
} from "./views.ts";

// Arguments arrive validated and coerced against Shopify's schema, so their shapes are the schema's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Args = Record<string, any> & ConnectionArgs;
type Resolver = (args: Args, ctx: GqlContext, info: GraphQLResolveInfo) => unknown;

/**
 * The `@idempotent(key:)` a mutation that requires one was sent with. refundCreate's description
 * (2026-10): "As of 2026-04, the idempotency key is required and must be provided using the
 * `@idempotent` directive"; the directive's: "The idempotency key cannot be an empty string or
 * whitespace only." Without it Shopify answers a top-level error, not a userError.
 */
function requiredIdempotencyKey(info: GraphQLResolveInfo): string {
  const directive = info.schema.getDirective("idempotent");
  const node = info.fieldNodes[0];
  const values =
    directive && node ? getDirectiveValues(directive, node, info.variableValues) : undefined;
  const key = values?.key;
  if (typeof key !== "string")
    throw new GraphQLError(
      `The @idempotent directive is required for the ${info.fieldName} mutation.`,
      { extensions: { code: "BAD_REQUEST" } },
    );
  if (key.trim() === "")
    throw new GraphQLError("The idempotency key cannot be an empty string or whitespace only.", {
      extensions: { code: "BAD_REQUEST" },
    });
  return key;
}

/**
 * What an earlier call with this key did, when it went through. The same key with other variables
 * is refused: Shopify's idempotency page calls a duplicate "one that has the same mutation
 * variables"; its own error for a reused key is not in the schema, so the wording is ours.
 */
function replayed(
  shop: Shop,
  mutation: string,
  key: string,
  input: unknown,
): { orderId: number; resultId: number } | undefined {
  const seen = shop.idempotencyKeys?.get(`${mutation}:${key}`);
  if (!seen) return undefined;
  if (seen.variables !== JSON.stringify(input))
    throw new GraphQLError(
      `The idempotency key was already used for a different ${mutation} request.`,
      { extensions: { code: "BAD_REQUEST" } },
    );
  return seen;
}

function remember(
  shop: Shop,
  mutation: string,
  key: string,
  input: unknown,
  orderId: number,
  resultId: number,
): void {
  shop.idempotencyKeys ??= new Map();
  shop.idempotencyKeys.set(`${mutation}:${key}`, {
    variables: JSON.stringify(input),
    orderId,
    resultId,
  });
}

function errorsOf<T>(r: Result<T>, info: GraphQLResolveInfo): UserError[] {
  if (r.ok) return [];
  const denied = r.errors.find((e) => e.code === "ACCESS_DENIED");
  if (denied) {
    // Shopify answers a call the app may not make with a top-level ACCESS_DENIED error, not a userError.
    throw new GraphQLError(`Access denied for ${info.fieldName} field. ${denied.message}`, {
      extensions: {
        code: "ACCESS_DENIED",
        documentation: "https://shopify.dev/api/usage/access-scopes",
      },
    });
  }
  return r.errors.map((e) => ({ field: e.field, message: e.message, code: e.code ?? null }));
}

function findFo(ctx: GqlContext, id: unknown): FulfillmentOrder | undefined {
  const p = parseGid(id);
  return p?.type === "FulfillmentOrder" ? ctx.shop.fulfillmentOrders.get(p.id) : undefined;
}

function findOrder(ctx: GqlContext, id: unknown): Order | undefined {
  const p = parseGid(id);
  return p?.type === "Order" ? ctx.shop.orders.get(p.id) : undefined;
}

const FO_NOT_FOUND = (code: string | null = null): UserError[] => [
  { field: ["id"], message: "Fulfillment order does not exist.", code },
];
const ORDER_NOT_FOUND = (field: string[] = ["id"]): UserError[] => [
  { field, message: "Order does not exist", code: null },
];

function orderSearch(ctx: GqlContext, query: string | null | undefined) {
  const shop = ctx.shop;
  const now = ctx.state.clock.now();
  const r = search<Order>(query, {
    fields: {
      financial_status: (o, _c, v) =>
        financialStatus(shop, o, now).toLowerCase() === v.toLowerCase(),
      fulfillment_status: (o, _c, v) => {
        const s = displayFulfillmentStatus(shop, o).toLowerCase();
        const rest = restFulfillmentStatus(shop, o);
        const aliases: Record<string, boolean> = {
          shipped: rest === "fulfilled",
          fulfilled: rest === "fulfilled",
          partial: rest === "partial",
          unshipped: rest === null,
          unfulfilled: rest === null,
        };
        return v.toLowerCase() in aliases ? !!aliases[v.toLowerCase()] : s === v.toLowerCase();
      },
      status: (o, _c, v) => {
        switch (v.toLowerCase()) {
          case "open":
            return !o.closedAt && !o.cancelledAt;
          case "closed":
            return !!o.closedAt;
          case "cancelled":
            return !!o.cancelledAt;
          case "not_closed":
            return !o.closedAt;
          default:
            return false;
        }
      },
      created_at: (o, c, v) => compareTime(o.createdAt, c, v, now),
      updated_at: (o, c, v) => compareTime(o.updatedAt, c, v, now),
      processed_at: (o, c, v) => compareTime(o.processedAt, c, v, now),
      tag: (o, _c, v) => o.tags.some((t) => eqText(t, v)),
      tag_not: (o, _c, v) => !o.tags.some((t) => eqText(t, v)),
      name: (o, _c, v) => eqText(o.name, v) || eqText(o.name, `#${v}`),
      id: (o, c, v) => compareNumber(o.id, c, parseGid(v)?.id.toString() ?? v),
      email: (o, _c, v) => eqText(o.email, v),
      sku: (o, _c, v) => o.lineItems.some((l) => eqText(l.sku, v)),
      risk_level: (o, _c, v) => o.riskLevel.toLowerCase() === v.toLowerCase(),
      test: (o, _c, v) => String(o.test) === v.toLowerCase(),
      customer_id: (o, c, v) => o.customerId !== null && compareNumber(o.customerId, c, v),
    },
    text: (o, v) =>
      [o.name, o.email, ...o.tags].some((x) => x?.toLowerCase().includes(v.toLowerCase())),
  });
  if (r.warnings.length)
    ctx.searchWarnings.push({ path: "orders", query: query ?? "", warnings: r.warnings });
  return r.filter;
}

/**
 * The draftOrders query's filters (Admin API 2026-10, QueryRoot.draftOrders `query`): default (free
 * text), created_at, customer_id, id, source, status, tag, updated_at. customer_id and source are
 * not modelled (the simulator's drafts carry neither) and match nothing.
 */
function draftOrderSearch(ctx: GqlContext, query: string | null | undefined) {
  const now = ctx.state.clock.now();
  const r = search<DraftOrder>(query, {
    fields: {
      created_at: (d, c, v) => compareTime(d.createdAt, c, v, now),
      updated_at: (d, c, v) => compareTime(d.updatedAt, c, v, now),
      id: (d, c, v) => compareNumber(d.id, c, parseGid(v)?.id.toString() ?? v),
      status: (d, _c, v) => d.status.toLowerCase() === v.toLowerCase(),
      tag: (d, _c, v) => d.tags.some((t) => eqText(t, v)),
      customer_id: () => false,
      source: () => false,
    },
    text: (d, v) =>
      [d.name, d.email, d.note, ...d.tags].some((x) => x?.toLowerCase().includes(v.toLowerCase())),
  });
  if (r.warnings.length)
    ctx.searchWarnings.push({ path: "draftOrders", query: query ?? "", warnings: r.warnings });
  return r.filter;
}

const DRAFT_ORDER_SORT: Record<string, (d: DraftOrder) => number | string> = {
  ID: (d) => d.id,
  NUMBER: (d) => d.id,
  UPDATED_AT: (d) => d.updatedAt,
  STATUS: (d) => d.status,
};

const ORDER_SORT: Record<string, (o: Order) => number | string> = {
  ID: (o) => o.id,
  CREATED_AT: (o) => o.createdAt,
  UPDATED_AT: (o) => o.updatedAt,
  PROCESSED_AT: (o) => o.processedAt,
  ORDER_NUMBER: (o) => o.number,
};

function sortBy<T extends { id: number }>(list: T[], key: (x: T) => number | string): T[] {
  // Ties broken by id so pages are stable, as Shopify's cursors are.
  return [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
  });
}

export const queryResolvers: Record<string, Resolver> = {
  shop: (_a, ctx) => shopView(ctx),
  order: (a, ctx) => {
    const o = findOrder(ctx, a.id);
    return o ? orderView(ctx, o) : null;
  },
  orders: (a, ctx) => {
    const key = ORDER_SORT[a.sortKey ?? "PROCESSED_AT"] ?? ORDER_SORT.ID!;
    const list = sortBy([...ctx.shop.orders.values()].filter(orderSearch(ctx, a.query)), key);
    return connection(
      list,
      a,
      (o) => o.id,
      (o) => orderView(ctx, o),
      key,
    );
  },
  ordersCount: (a, ctx) => {
    const n = [...ctx.shop.orders.values()].filter(orderSearch(ctx, a.query)).length;
    const limit = a.limit ?? 10000;
    return { count: Math.min(n, limit), precision: n > limit ? "AT_LEAST" : "EXACT" };
  },
  fulfillmentOrder: (a, ctx) => {
    const fo = findFo(ctx, a.id);
    return fo ? fulfillmentOrderView(ctx, fo) : null;
  },
  fulfillmentOrders: (a, ctx) => {
    let list = [...ctx.shop.fulfillmentOrders.values()];
    if (!a.includeClosed)
      list = list.filter((f) => f.status !== "CLOSED" && f.status !== "CANCELLED");
    list = list.filter(fulfillmentOrderSearch(ctx, "fulfillmentOrders", a.query));
    list =
      a.sortKey === "UPDATED_AT" ? sortBy(list, (f) => f.updatedAt) : sortBy(list, (f) => f.id);
    return connection(
      list,
      a,
      (f) => f.id,
      (f) => fulfillmentOrderView(ctx, f),
    );
  },
  fulfillment: (a, ctx) => {
    const p = parseGid(a.id);
    const f = p?.type === "Fulfillment" ? ctx.shop.fulfillments.get(p.id) : undefined;
    return f ? fulfillmentView(ctx, f) : null;
  },
  location: (a, ctx) => {
    // Without an id Shopify returns the shop's primary location.
    if (a.id == null) {
      const first = [...ctx.shop.locations.values()].find((l) => !l.fulfillmentService);
      return first ? locationView(ctx, first) : null;
    }
    const p = parseGid(a.id);
    const l = p?.type === "Location" ? ctx.shop.locations.get(p.id) : undefined;
    return l ? locationView(ctx, l) : null;
  },
  locations: (a, ctx) => {
    let list = [...ctx.shop.locations.values()];
    // Fulfilment-service locations are "legacy" locations: listed only with includeLegacy (locations query docs).
    if (!a.includeLegacy) list = list.filter((l) => !l.fulfillmentService);
    if (!a.includeInactive) list = list.filter((l) => l.isActive);
    const r = search<(typeof list)[number]>(a.query, {
      fields: {
        name: (l, _c, v) => eqText(l.name, v),
        id: (l, c, v) => compareNumber(l.id, c, v),
        active: (l, _c, v) => String(l.isActive) === v.toLowerCase(),
        legacy: (l, _c, v) => String(!!l.fulfillmentService) === v.toLowerCase(),
        city: (l, _c, v) => eqText(l.address.city, v),
        country: (l, _c, v) => eqText(l.address.countryCode, v) || eqText(l.address.country, v),
      },
      text: (l, v) => l.name.toLowerCase().includes(v.toLowerCase()),
    });
    if (r.warnings.length)
      ctx.searchWarnings.push({ path: "locations", query: a.query ?? "", warnings: r.warnings });
    list = list.filter(r.filter);
    const key = a.sortKey === "ID" ? (l: Location) => l.id : (l: Location) => l.name.toLowerCase();
    // A cursor is a place among the names, as Shopify's are: the next page goes on from there when
    // the page's last location was renamed, deactivated or removed meanwhile.
    return connection(
      sortBy(list, key),
      a,
      (l) => l.id,
      (l) => locationView(ctx, l),
      key,
    );
  },
  node: (a, ctx) => nodeView(ctx, a.id),
  nodes: (a, ctx) => {
    if (a.ids.length > 250)
      throw new GraphQLError("The maximum number of IDs is 250.", {
        extensions: { code: "BAD_REQUEST" },
      });
    return (a.ids as string[]).map((id) => nodeView(ctx, id));
  },
  product: (a, ctx) => {
    const p = parseGid(a.id);
    const pr = p?.type === "Product" ? ctx.shop.products.get(p.id) : undefined;
    return pr ? productView(ctx, pr) : null;
  },
  products: (a, ctx) => {
    const r = search<Product>(a.query, {
      fields: {
        title: (p, _c, v) => eqText(p.title, v),
        product_type: (p, _c, v) => eqText(p.productType, v),
        vendor: (p, _c, v) => eqText(p.vendor, v),
        tag: (p, _c, v) => p.tags.some((t) => eqText(t, v)),
        sku: (p, _c, v) => p.variantIds.some((id) => eqText(ctx.shop.variants.get(id)?.sku, v)),
        gift_card: (p, _c, v) => String(p.isGiftCard) === v.toLowerCase(),
        id: (p, c, v) => compareNumber(p.id, c, v),
        updated_at: (p, c, v) => compareTime(p.updatedAt, c, v, ctx.state.clock.now()),
      },
      text: (p, v) => p.title.toLowerCase().includes(v.toLowerCase()),
    });
    if (r.warnings.length)
      ctx.searchWarnings.push({ path: "products", query: a.query ?? "", warnings: r.warnings });
    const list = sortBy(
      [...ctx.shop.products.values()].filter(r.filter),
      a.sortKey === "TITLE" ? (p) => p.title : (p) => p.id,
    );
    return connection(
      list,
      a,
      (p) => p.id,
      (p) => productView(ctx, p),
    );
  },
  productVariant: (a, ctx) => {
    const p = parseGid(a.id);
    const v = p?.type === "ProductVariant" ? ctx.shop.variants.get(p.id) : undefined;
    return v ? variantView(ctx, v) : null;
  },
  productVariants: (a, ctx) => {
    const r = search<Variant>(a.query, {
      fields: {
        sku: (v, _c, x) => eqText(v.sku, x),
        product_id: (v, c, x) => compareNumber(v.productId, c, x),
        title: (v, _c, x) => eqText(v.title, x),
        id: (v, c, x) => compareNumber(v.id, c, x),
        gift_card: (v, _c, x) =>
          String(ctx.shop.products.get(v.productId)?.isGiftCard) === x.toLowerCase(),
      },
      text: (v, x) =>
        v.sku.toLowerCase().includes(x.toLowerCase()) ||
        v.title.toLowerCase().includes(x.toLowerCase()),
    });
    if (r.warnings.length)
      ctx.searchWarnings.push({
        path: "productVariants",
        query: a.query ?? "",
        warnings: r.warnings,
      });
    const list = sortBy([...ctx.shop.variants.values()].filter(r.filter), (v) => v.id);
    return connection(
      list,
      a,
      (v) => v.id,
      (v) => variantView(ctx, v),
    );
  },
  draftOrder: (a, ctx) => {
    const p = parseGid(a.id);
    const d = p?.type === "DraftOrder" ? ctx.shop.draftOrders.get(p.id) : undefined;
    return d ? draftOrderView(ctx, d) : null;
  },
  draftOrders: (a, ctx) => {
    const key = DRAFT_ORDER_SORT[a.sortKey ?? "ID"] ?? DRAFT_ORDER_SORT.ID!;
    const list = sortBy(
      [...ctx.shop.draftOrders.values()].filter(draftOrderSearch(ctx, a.query)),
      key,
    );
    return connection(
      list,
      a,
      (d) => d.id,
      (d) => draftOrderView(ctx, d),
    );
  },
  customer: (a, ctx) => nodeView(ctx, String(a.id)),
  inventoryItem: (a, ctx) => nodeView(ctx, String(a.id)),
  // The calling app's shop-specific subscriptions; the toml's app-wide ones are not listed (the
  // API "can't access" subscriptions it did not make, shopify.dev REST Webhook "Considerations").
  webhookSubscriptions: (a, ctx) => {
    const topics = Array.isArray(a.topics) ? (a.topics as string[]).map(topicOfEnum) : null;
    const list = shopSubscriptions(ctx.shop, ctx.appKey).filter(
      (s) =>
        (!topics || topics.includes(s.topic)) &&
        (typeof a.uri !== "string" || s.uri === a.uri) &&
        (typeof a.callbackUrl !== "string" || s.uri === a.callbackUrl),
    );
    return connection(
      a.sortKey === "ID" ? list.sort((x, y) => x.id - y.id) : list,
      a,
      (s) => s.id,
      webhookSubscriptionView,
    );
  },
  // A queued job runs at the latest when someone asks after it.
  job: (a, ctx) => {
    const p = parseGid(String(a.id));
    if (p?.type !== "Job") return null;
    const job = ctx.state.jobs.get(Number(p.id));
    if (!job) return { __typename: "Job", id: a.id, done: true, query: null };
    if (job.shop !== ctx.shop.domain) return null;
    if (!job.done) job.run();
    return jobView(job);
  },
};

function jobView(job: SimJob) {
  return { __typename: "Job", id: gid("Job", job.id), done: job.done, query: null };
}

function orderCancelJobResultView(ctx: GqlContext, job: SimJob) {
  return {
    __typename: "OrderCancelJobResult",
    id: gid("OrderCancelJobResult", job.id),
    done: () => job.done,
    status: () => job.status,
    errors: () => job.errors,
    order: () => {
      const o = ctx.shop.orders.get(job.orderId);
      return o ? orderView(ctx, o) : null;
    },
  };
}

/** Queues the cancellation; it runs on the next turn of the event loop, or when its job is read. */
function queueOrderCancelJob(ctx: GqlContext, order: Order, input: CancelInput): SimJob {
  const id = ctx.state.nextId();
  const job: SimJob = {
    id,
    shop: ctx.shop.domain,
    done: false,
    status: "STARTED",
    errors: [],
    orderId: order.id,
    run: () => {
      if (job.done) return;
      job.done = true;
      if (ctx.faults?.silentJobFailure()) {
        job.status = "FAILED";
        return;
      }
      // The order may have changed since the answer: the job checks again, as Shopify's does.
      const r = orderCancel(ctx.state, ctx.shop, order, input);
      if (r.ok) job.status = "SUCCEEDED";
      else {
        job.status = "FAILED";
        job.errors = r.errors.map((e) => ({
          field: e.field ?? null,
          message: e.message,
          code: e.code ?? null,
        }));
      }
    },
  };
  ctx.state.jobs.set(id, job);
  if (!ctx.faults?.holdJob()) setTimeout(job.run, 0);
  return job;
}

function holdErrorsNotFound() {
  return {
    fulfillmentHold: null,
    fulfillmentOrder: null,
    remainingFulfillmentOrder: null,
    userErrors: FO_NOT_FOUND("FULFILLMENT_ORDER_NOT_FOUND"),
  };
}

/** A fulfillment service's handle, made of its name as Shopify makes it ("Second Lab" → "second-lab"). */
function handleOf(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export const mutationResolvers: Record<string, Resolver> = {
  webhookSubscriptionCreate: (a, ctx) => {
    const input = (a.webhookSubscription ?? {}) as Record<string, unknown>;
    const uri = typeof input.uri === "string" ? input.uri : input.callbackUrl;
    const r = createShopSubscription(ctx.state, ctx.shop, ctx.appKey, {
      topic: topicOfEnum(String(a.topic)),
      uri: typeof uri === "string" ? uri : "",
      includeFields: Array.isArray(input.includeFields)
        ? (input.includeFields as string[])
        : undefined,
    });
    return r.ok
      ? { webhookSubscription: webhookSubscriptionView(r.subscription), userErrors: [] }
      : { webhookSubscription: null, userErrors: r.errors };
  },
  webhookSubscriptionDelete: (a, ctx) => {
    const p = parseGid(String(a.id));
    const r = deleteShopSubscription(
      ctx.shop,
      ctx.appKey,
      p?.type === "WebhookSubscription" ? Number(p.id) : undefined,
    );
    return r.ok
      ? { deletedWebhookSubscriptionId: a.id, userErrors: [] }
      : { deletedWebhookSubscriptionId: null, userErrors: r.errors };
  },
  // fulfillmentServiceCreate: "a new location will be automatically created on the shop and will be
  // associated with this fulfillment service. This location will be named after the fulfillment
  // service and inherit the shop's address." The service belongs to the app that created it.
  fulfillmentServiceCreate: (a, ctx) => {
    const name = String(a.name ?? "").trim();
    const taken = (handle: string) =>
      [...ctx.shop.locations.values()].some(
        (l) => l.name === name || l.fulfillmentService?.handle === handle,
      );
    const handle = handleOf(name);
    const problem =
      name === "" || handle === ""
        ? "Name can't be blank"
        : taken(handle)
          ? "Name has already been taken"
          : null;
    if (problem)
      return { fulfillmentService: null, userErrors: [{ field: ["name"], message: problem }] };
    const primary = [...ctx.shop.locations.values()].find((l) => !l.fulfillmentService);
    const location = addLocation(ctx.state, ctx.shop, {
      name,
      address: primary ? { ...primary.address } : undefined,
      fulfillmentService: {
        handle,
        serviceName: name,
        callbackUrl: typeof a.callbackUrl === "string" ? a.callbackUrl : undefined,
      },
    });
    const service = location.fulfillmentService!;
    service.ownerAppId = ctx.appKey;
    service.inventoryManagement = a.inventoryManagement === true;
    service.trackingSupport = a.trackingSupport === true;
    return { fulfillmentService: fulfillmentServiceView(ctx, location), userErrors: [] };
  },
  // inventoryActivate: "Activates an inventory item at a Location by creating an InventoryLevel ...
  // If you don't specify quantities, then available and onHand default to zero."
  inventoryActivate: (a, ctx) => {
    const item = parseGid(a.inventoryItemId);
    const itemId = item?.type === "InventoryItem" ? item.id : undefined;
    const known = [...ctx.shop.variants.values()].some((v) => v.inventoryItemId === itemId);
    if (itemId === undefined || !known)
      return {
        inventoryLevel: null,
        userErrors: [{ field: ["inventoryItemId"], message: "Inventory item does not exist" }],
      };
    const at = parseGid(a.locationId);
    const location = at?.type === "Location" ? ctx.shop.locations.get(at.id) : undefined;
    if (!location)
      return {
        inventoryLevel: null,
        userErrors: [{ field: ["locationId"], message: "Location does not exist" }],
      };
    const available = typeof a.available === "number" ? a.available : 0;
    setInventory(ctx.shop, itemId, location.id, available, ctx.state.iso());
    return { inventoryLevel: inventoryLevelView(ctx, itemId, location.id), userErrors: [] };
  },
  fulfillmentOrderHold: (a, ctx, info) => {
    const fo = findFo(ctx, a.id);
    if (!fo) return holdErrorsNotFound();
    const r = holdFulfillmentOrder(
      ctx.state,
      ctx.shop,
      fo,
      ctx.appKey,
      a.fulfillmentHold as HoldInput,
    );
    if (!r.ok)
      return {
        fulfillmentHold: null,
        fulfillmentOrder: null,
        remainingFulfillmentOrder: null,
        userErrors: errorsOf(r, info),
      };
    return {
      fulfillmentHold: holdOf(ctx, r.value.fulfillmentOrder, r.value.hold.id),
      fulfillmentOrder: fulfillmentOrderView(ctx, r.value.fulfillmentOrder),
      remainingFulfillmentOrder: r.value.remaining
        ? fulfillmentOrderView(ctx, r.value.remaining)
        : null,
      userErrors: [],
    };
  },
  fulfillmentOrderReleaseHold: (a, ctx, info) => {
    const fo = findFo(ctx, a.id);
    if (!fo)
      return { fulfillmentOrder: null, userErrors: FO_NOT_FOUND("FULFILLMENT_ORDER_NOT_FOUND") };
    const r = releaseHold(ctx.state, ctx.shop, fo, a.holdIds, ctx.appKey);
    return {
      fulfillmentOrder: r.ok ? fulfillmentOrderView(ctx, r.value) : null,
      userErrors: errorsOf(r, info),
    };
  },
  fulfillmentOrderSplit: (a, ctx, info) => {
    const r = splitFulfillmentOrders(ctx.state, ctx.shop, a.fulfillmentOrderSplits);
    if (!r.ok) return { fulfillmentOrderSplits: null, userErrors: errorsOf(r, info) };
    return {
      fulfillmentOrderSplits: r.value.map((x) => ({
        fulfillmentOrder: fulfillmentOrderView(ctx, x.fulfillmentOrder),
        remainingFulfillmentOrder: fulfillmentOrderView(ctx, x.remaining),
        replacementFulfillmentOrder: x.replacement
          ? fulfillmentOrderView(ctx, x.replacement)
          : null,
      })),
      userErrors: [],
    };
  },
  fulfillmentOrderMerge: (a, ctx, info) => {
    const r = mergeFulfillmentOrders(ctx.state, ctx.shop, a.fulfillmentOrderMergeInputs);
    if (!r.ok) return { fulfillmentOrderMerges: null, userErrors: errorsOf(r, info) };
    return {
      fulfillmentOrderMerges: r.value.map((fo) => ({
        fulfillmentOrder: fulfillmentOrderView(ctx, fo),
      })),
      userErrors: [],
    };
  },
  fulfillmentOrderMove: (a, ctx, info) => {
    const fo = findFo(ctx, a.id);
    if (!fo)
      return {
        movedFulfillmentOrder: null,
        originalFulfillmentOrder: null,
        remainingFulfillmentOrder: null,
        userErrors: FO_NOT_FOUND(),
      };
    const r = moveFulfillmentOrder(
      ctx.state,
      ctx.shop,
      fo,
      a.newLocationId,
      a.fulfillmentOrderLineItems,
    );
    if (!r.ok)
      return {
        movedFulfillmentOrder: null,
        originalFulfillmentOrder: null,
        remainingFulfillmentOrder: null,
        userErrors: errorsOf(r, info),
      };
    return {
      movedFulfillmentOrder: fulfillmentOrderView(ctx, r.value.moved),
      originalFulfillmentOrder: fulfillmentOrderView(ctx, r.value.original),
      remainingFulfillmentOrder: r.value.remaining
        ? fulfillmentOrderView(ctx, r.value.remaining)
        : null,
      userErrors: [],
    };
  },
  fulfillmentOrderSubmitFulfillmentRequest: (a, ctx, info) => {
    const fo = findFo(ctx, a.id);
    if (!fo)
      return {
        originalFulfillmentOrder: null,
        submittedFulfillmentOrder: null,
        unsubmittedFulfillmentOrder: null,
        userErrors: FO_NOT_FOUND(),
      };
    const r = submitFulfillmentRequest(ctx.state, ctx.shop, fo, {
      message: a.message,
      notifyCustomer: a.notifyCustomer,
      fulfillmentOrderLineItems: a.fulfillmentOrderLineItems,
    });
    if (!r.ok)
      return {
        originalFulfillmentOrder: null,
        submittedFulfillmentOrder: null,
        unsubmittedFulfillmentOrder: null,
        userErrors: errorsOf(r, info),
      };
    return {
      originalFulfillmentOrder: fulfillmentOrderView(ctx, r.value.original),
      submittedFulfillmentOrder: fulfillmentOrderView(ctx, r.value.submitted),
      unsubmittedFulfillmentOrder: r.value.unsubmitted
        ? fulfillmentOrderView(ctx, r.value.unsubmitted)
        : null,
      userErrors: [],
    };
  },
  fulfillmentOrderAcceptFulfillmentRequest: (a, ctx, info) =>
    foPayload(ctx, info, a.id, (fo) =>
      acceptFulfillmentRequest(ctx.state, ctx.shop, fo, ctx.appKey, {
        message: a.message,
        estimatedShippedAt: a.estimatedShippedAt,
      }),
    ),
  fulfillmentOrderRejectFulfillmentRequest: (a, ctx, info) =>
    foPayload(ctx, info, a.id, (fo) =>
      rejectFulfillmentRequest(ctx.state, ctx.shop, fo, ctx.appKey, {
        message: a.message,
        reason: a.reason,
      }),
    ),
  fulfillmentOrderSubmitCancellationRequest: (a, ctx, info) =>
    foPayload(ctx, info, a.id, (fo) =>
      submitCancellationRequest(ctx.state, ctx.shop, fo, a.message),
    ),
  fulfillmentOrderAcceptCancellationRequest: (a, ctx, info) =>
    foPayload(ctx, info, a.id, (fo) => {
      const r = acceptCancellationRequest(ctx.state, ctx.shop, fo, ctx.appKey, a.message);
      return r.ok ? { ok: true, value: r.value.fulfillmentOrder } : r;
    }),
  fulfillmentOrderRejectCancellationRequest: (a, ctx, info) =>
    foPayload(ctx, info, a.id, (fo) =>
      rejectCancellationRequest(ctx.state, ctx.shop, fo, ctx.appKey, a.message),
    ),
  fulfillmentOrderOpen: (a, ctx, info) =>
    foPayload(ctx, info, a.id, (fo) => openFulfillmentOrder(ctx.state, ctx.shop, fo)),
  fulfillmentOrderClose: (a, ctx, info) =>
    foPayload(ctx, info, a.id, (fo) =>
      closeFulfillmentOrder(ctx.state, ctx.shop, fo, ctx.appKey, a.message),
    ),
  fulfillmentOrderCancel: (a, ctx, info) => {
    const fo = findFo(ctx, a.id);
    if (!fo)
      return {
        fulfillmentOrder: null,
        replacementFulfillmentOrder: null,
        userErrors: FO_NOT_FOUND(),
      };
    const r = cancelFulfillmentOrder(ctx.state, ctx.shop, fo);
    if (!r.ok)
      return {
        fulfillmentOrder: null,
        replacementFulfillmentOrder: null,
        userErrors: errorsOf(r, info),
      };
    return {
      fulfillmentOrder: fulfillmentOrderView(ctx, r.value.fulfillmentOrder),
      replacementFulfillmentOrder: r.value.replacement
        ? fulfillmentOrderView(ctx, r.value.replacement)
        : null,
      userErrors: [],
    };
  },
  fulfillmentCreate: (a, ctx, info) => {
    const r = createFulfillment(
      ctx.state,
      ctx.shop,
      ctx.appKey,
      a.fulfillment as FulfillmentCreateInput,
    );
    return {
      fulfillment: r.ok ? fulfillmentView(ctx, r.value) : null,
      userErrors: errorsOf(r, info),
    };
  },
  orderCapture: (a, ctx, info) => {
    const o = findOrder(ctx, a.input.id);
    if (!o) return { transaction: null, userErrors: ORDER_NOT_FOUND(["input", "id"]) };
    const r = orderCapture(ctx.state, ctx.shop, o, a.input);
    return {
      transaction: r.ok ? transactionView(ctx, o, r.value) : null,
      userErrors: errorsOf(r, info),
    };
  },
  orderMarkAsPaid: (a, ctx, info) =>
    orderPayload(ctx, info, a.input.id, ["input", "id"], (o) => markAsPaid(ctx.state, ctx.shop, o)),
  orderClose: (a, ctx, info) =>
    orderPayload(ctx, info, a.input.id, ["input", "id"], (o) => orderClose(ctx.state, ctx.shop, o)),
  orderOpen: (a, ctx, info) =>
    orderPayload(ctx, info, a.input.id, ["input", "id"], (o) => orderOpen(ctx.state, ctx.shop, o)),
  orderUpdate: (a, ctx, info) =>
    orderPayload(ctx, info, a.input.id, ["id"], (o) =>
      orderUpdate(ctx.state, ctx.shop, o, a.input as OrderUpdateInput),
    ),
  orderCancel: (a, ctx, info) => {
    const o = findOrder(ctx, a.orderId);
    const notFound = { field: ["orderId"], message: "Order does not exist", code: "NOT_FOUND" };
    if (!o)
      return {
        job: null,
        jobResult: null,
        orderCancelUserErrors: [notFound],
        userErrors: [notFound],
      };
    const input = a as unknown as CancelInput;
    const refused = orderCancelRefusal(ctx.shop, o, input, ctx.state.clock.now());
    if (refused) {
      const errs = errorsOf(refused, info);
      return { job: null, jobResult: null, orderCancelUserErrors: errs, userErrors: errs };
    }
    // "The job that asynchronously cancels the order" (OrderCancelPayload.job): the answer comes
    // back with the job queued; the order is cancelled when it runs, a moment later.
    const job = queueOrderCancelJob(ctx, o, input);
    return {
      job: jobView(job),
      jobResult: orderCancelJobResultView(ctx, job),
      orderCancelUserErrors: [],
      userErrors: [],
    };
  },
  refundCreate: (a, ctx, info) => {
    const input = a.input as RefundCreateInput;
    const key = requiredIdempotencyKey(info);
    const replay = replayed(ctx.shop, "refundCreate", key, input);
    if (replay) {
      // The same key again: the first refund's answer, and no money moves a second time.
      const o = ctx.shop.orders.get(replay.orderId)!;
      const first = (o.refunds ?? []).find((r) => r.id === replay.resultId)!;
      return { order: orderView(ctx, o), refund: refundView(ctx, o, first), userErrors: [] };
    }
    const o = findOrder(ctx, input.orderId);
    if (!o) return { order: null, refund: null, userErrors: ORDER_NOT_FOUND(["orderId"]) };
    const r = refundCreate(ctx.state, ctx.shop, o, input);
    if (r.ok) remember(ctx.shop, "refundCreate", key, input, o.id, r.value.id);
    return {
      order: r.ok ? orderView(ctx, o) : null,
      refund: r.ok ? refundView(ctx, o, r.value) : null,
      userErrors: errorsOf(r, info),
    };
  },
  flowTriggerReceive: (a, ctx) => ({
    userErrors: receiveFlowTrigger(ctx.state.flow.triggers, ctx.state.flow.received, {
      shop: ctx.shop.domain,
      handle: a.handle,
      payload: a.payload,
      now: new Date(ctx.state.clock.now()),
    }),
  }),
  tagsAdd: (a, ctx, info) => tagsPayload(ctx, info, a, "add"),
  tagsRemove: (a, ctx, info) => tagsPayload(ctx, info, a, "remove"),
  draftOrderCreate: (a, ctx, info) => {
    const r = draftOrderCreate(ctx.state, ctx.shop, a.input as DraftOrderInput);
    return {
      draftOrder: r.ok ? draftOrderView(ctx, r.value) : null,
      userErrors: errorsOf(r, info),
    };
  },
  draftOrderDelete: (a, ctx, info) => {
    const p = parseGid((a.input as { id: string }).id);
    const d = p?.type === "DraftOrder" ? ctx.shop.draftOrders.get(p.id) : undefined;
    if (!d)
      return {
        deletedId: null,
        userErrors: [{ field: ["id"], message: "Draft order does not exist" }],
      };
    const r = draftOrderDelete(ctx.shop, d);
    return { deletedId: r.ok ? gid("DraftOrder", r.value) : null, userErrors: errorsOf(r, info) };
  },
  draftOrderComplete: (a, ctx, info) => {
    const p = parseGid(a.id);
    const d = p?.type === "DraftOrder" ? ctx.shop.draftOrders.get(p.id) : undefined;
    if (!d)
      return {
        draftOrder: null,
        userErrors: [{ field: ["id"], message: "Draft order does not exist" }],
      };
    const r = draftOrderComplete(ctx.state, ctx.shop, d, {
      paymentPending: a.paymentPending as boolean | null,
      sourceName: a.sourceName as string | null,
    });
    return {
      draftOrder: r.ok ? draftOrderView(ctx, r.value) : null,
      userErrors: errorsOf(r, info),
    };
  },
  draftOrderInvoiceSend: (a, ctx, info) => {
    const p = parseGid(a.id);
    const d = p?.type === "DraftOrder" ? ctx.shop.draftOrders.get(p.id) : undefined;
    if (!d)
      return {
        draftOrder: null,
        userErrors: [{ field: ["id"], message: "Draft order does not exist" }],
      };
    const r = draftOrderInvoiceSend(ctx.state, ctx.shop, d, a.email);
    return {
      draftOrder: r.ok ? draftOrderView(ctx, r.value) : null,
      userErrors: errorsOf(r, info),
    };
  },
};

function holdOf(ctx: GqlContext, fo: FulfillmentOrder, holdId: number) {
  const list = fulfillmentOrderView(ctx, fo).fulfillmentHolds as () => { id: string }[];
  return list().find((h) => h.id === gid("FulfillmentHold", holdId)) ?? null;
}

function foPayload(
  ctx: GqlContext,
  info: GraphQLResolveInfo,
  id: unknown,
  run: (fo: FulfillmentOrder) => Result<FulfillmentOrder>,
) {
  const fo = findFo(ctx, id);
  if (!fo) return { fulfillmentOrder: null, userErrors: FO_NOT_FOUND() };
  const r = run(fo);
  return {
    fulfillmentOrder: r.ok ? fulfillmentOrderView(ctx, r.value) : null,
    userErrors: errorsOf(r, info),
  };
}

function orderPayload(
  ctx: GqlContext,
  info: GraphQLResolveInfo,
  id: unknown,
  field: string[],
  run: (o: Order) => Result<Order>,
) {
  const o = findOrder(ctx, id);
  if (!o) return { order: null, userErrors: ORDER_NOT_FOUND(field) };
  const r = run(o);
  return { order: r.ok ? orderView(ctx, r.value) : null, userErrors: errorsOf(r, info) };
}

function tagsPayload(ctx: GqlContext, info: GraphQLResolveInfo, a: Args, mode: "add" | "remove") {
  const r = changeTags(ctx.state, ctx.shop, String(a.id), a.tags as string[], mode);
  return { node: r.ok ? nodeView(ctx, r.value.id) : null, userErrors: errorsOf(r, info) };
}

function webhookSubscriptionView(s: ShopWebhookSubscription) {
  return {
    __typename: "WebhookSubscription",
    id: gid("WebhookSubscription", s.id),
    legacyResourceId: String(s.id),
    topic: enumOfTopic(s.topic),
    uri: s.uri,
    callbackUrl: s.uri,
    endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: s.uri },
    format: "JSON",
    includeFields: s.includeFields ?? [],
    metafieldNamespaces: [],
    metafields: [],
    filter: null,
    name: null,
    apiVersion: {
      __typename: "ApiVersion",
      handle: WEBHOOK_API_VERSION,
      displayName: WEBHOOK_API_VERSION,
      supported: true,
    },
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
