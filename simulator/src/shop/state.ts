// The simulator's whole world: shops by domain, the apps that act on them, one id sequence and the stream of domain events webhooks are made from.
import { type Clock, realClock } from "../clock.ts";
import type {
  FlowActionDefinition,
  FlowLifecycleCallbackDefinition,
  FlowTriggerDefinition,
  ReceivedFlowTrigger,
} from "../flow/triggers.ts";
import type {
  Customer,
  DraftOrder,
  Fulfillment,
  FulfillmentHold,
  FulfillmentOrder,
  InventoryLevel,
  Order,
  Plan,
  Product,
  Shop,
} from "./model.ts";

/** An app acting on a shop: ours (the app under test) or a fulfilment service's app. */
export interface AppInfo {
  /** Stable internal key, e.g. "router" or "service:partner-lab". */
  key: string;
  id: number;
  title: string;
  apiKey: string;
  handle: string;
}

export const ROUTER_APP_KEY = "router";
/** Holds placed by staff in Shopify admin carry this instead of an app (held by no app). */
export const STAFF_KEY = "staff";

/** What happened, in the terms webhook payloads are made from (built while the state is current). */
export type DomainEvent =
  | {
      topic:
        | "orders/create"
        | "orders/paid"
        | "orders/updated"
        | "orders/cancelled"
        | "orders/fulfilled"
        | "orders/partially_fulfilled";
      order: Order;
    }
  | { topic: "fulfillments/create"; order: Order; fulfillment: Fulfillment }
  | {
      topic:
        | "fulfillment_orders/order_routing_complete"
        | "fulfillment_orders/hold_released"
        | "fulfillment_orders/scheduled_fulfillment_order_ready"
        | "fulfillment_orders/fulfillment_request_accepted"
        | "fulfillment_orders/fulfillment_request_rejected"
        | "fulfillment_orders/cancellation_request_accepted"
        | "fulfillment_orders/cancellation_request_rejected"
        | "fulfillment_orders/fulfillment_service_failed_to_complete";
      fulfillmentOrder: FulfillmentOrder;
      message?: string | null;
    }
  | {
      topic: "fulfillment_orders/placed_on_hold";
      fulfillmentOrder: FulfillmentOrder;
      remaining: FulfillmentOrder | null;
      heldLines: { id: number; quantity: number }[];
      hold: FulfillmentHold;
    }
  | {
      topic: "fulfillment_holds/added" | "fulfillment_holds/released";
      fulfillmentOrder: FulfillmentOrder;
      hold: FulfillmentHold;
    }
  | {
      topic: "fulfillment_orders/split";
      fulfillmentOrder: FulfillmentOrder;
      remaining: FulfillmentOrder;
      replacement: FulfillmentOrder | null;
      splitLines: { id: number; quantity: number }[];
    }
  | {
      topic: "fulfillment_orders/merged";
      merged: FulfillmentOrder;
      intents: { fulfillmentOrderId: number; lines: { id: number; quantity: number }[] }[];
    }
  | {
      topic: "fulfillment_orders/moved";
      original: FulfillmentOrder;
      moved: FulfillmentOrder;
      sourceLocationId: number;
      destinationLocationId: number;
      requestedLines: { id: number; quantity: number }[];
    }
  | {
      topic: "fulfillment_orders/cancelled";
      fulfillmentOrder: FulfillmentOrder;
      replacement: FulfillmentOrder | null;
    }
  | {
      topic: "fulfillment_orders/fulfillment_request_submitted";
      original: FulfillmentOrder;
      submitted: FulfillmentOrder;
      request: { id: number; message: string | null };
    }
  | {
      topic: "fulfillment_orders/cancellation_request_submitted";
      fulfillmentOrder: FulfillmentOrder;
      request: { id: number; message: string | null };
    }
  | { topic: "draft_orders/create" | "draft_orders/update"; draftOrder: DraftOrder }
  | { topic: "products/update"; product: Product }
  | { topic: "products/delete"; product: Product }
  /**
   * A location's quantities of an item changed: staff adjusted them in admin, an order committed
   * them, a fulfillment took them, a cancel or refund restocked them, a move committed them
   * elsewhere (announceLevels in inventory.ts).
   */
  | { topic: "inventory_levels/update"; level: InventoryLevel }
  | {
      topic: "customers/data_request";
      customer: Customer;
      orders: Order[];
      dataRequestId: number;
    };

export type EventTopic = DomainEvent["topic"];

export interface EmittedEvent {
  shop: string;
  at: number;
  event: DomainEvent;
}

/**
 * Where Shopify's own sources disagree, which reading the simulator plays (DESIGN: "the simulator
 * can play each reading behind a switch"). The app must be right under every one.
 */
export interface Readings {
  /** After a fulfilment service accepts a cancellation request: see acceptCancellationRequest. */
  cancellationAccepted: "closed" | "cancelled";
  /**
   * refundCreate restocking a line without `locationId`: see refundLocationOf. "assigned" restocks
   * at the fulfillment order's location; "required" refuses.
   */
  refundRestockLocation: "assigned" | "required";
  /** fulfillmentOrderMove of some of the lines: see movePart. */
  partialMove: "carved" | "original_moves" | "original_closed";
  /**
   * fulfillmentOrderMove of some of the lines to a location that already has an open fulfillment
   * order of the order: see intoOccupied.
   */
  moveToOccupied: "merged" | "recreated" | "beside";
  /**
   * fulfillmentOrderMove and fulfillmentOrderCancel of a fulfillment order with reported progress:
   * "coded" (2026-04 on: their error types carry CANNOT_MOVE_FULFILLMENT_ORDER_WITH_REPORTED_PROGRESS
   * and FULFILLMENT_ORDER_HAS_MANUALLY_REPORTED_PROGRESS) or "uncoded" (the payloads' reference up
   * to 2026-01: UserError, which has no code).
   */
  progressRefusal: "coded" | "uncoded";
  /**
   * A field the token's installation has no scope for (accessDenied in admin-api.ts): "named"
   * words it "Access denied for <field> field. Required access: `<scope>` access scope." (the
   * 2020-07 changelog "New error messages for GraphQL operations without necessary access scopes";
   * community.shopify.dev t/32302, API 2026-01) with the scope in extensions too (the changelog:
   * "the name of the required access scope"; the key is ours); "bare" words it "Access denied for
   * <field> field." with only code and documentation (community.shopify.com t/118350,
   * kirillplatonov/shopify_graphql issue 35 in 2023). Both carry extensions.code ACCESS_DENIED.
   */
  accessDenied: "named" | "bare";
  /**
   * Order.suggestedRefund for an order and lines it knows: "calculated" answers the suggestion
   * (suggestRefund in refunds.ts); "none" answers null. The Admin schema (2026-10, the
   * introspection in Shopify's @shopify/dev-mcp package) types the field nullable `SuggestedRefund`
   * and its description ("A calculated refund suggestion ... Use this to preview refund amounts")
   * does not say when it is null, so a client must take either.
   */
  suggestedRefund: "calculated" | "none";
  /**
   * A draft's custom item priced in another currency than the draft's presentment currency
   * (DraftOrderLineItemInput.originalUnitPriceWithCurrency). Its description (Admin 2026-10):
   * "All presentment currencies for a single draft should be the same and match the presentment
   * currency of the draft order": "refused" answers a userError. The same input's `priceOverride`
   * says "If the override's presentment currency doesn't match the draft order's presentment
   * currency, it will be converted over to match": "converted" does that for the custom item too.
   */
  draftPriceCurrency: "refused" | "converted";
  /**
   * fulfillmentOrdersForMerge (and the merge it allows) across delivery methods: the reference says
   * only "Fulfillment orders eligible for merging"; "same" lists only those of the same delivery
   * method type (shipping apart from what needs none), "any" ignores the delivery method (ADR 094).
   */
  mergeDeliveryMethod: "same" | "any";
  /**
   * When an order's movement changes a level's committed or on-hand quantity but not its available
   * one (a fulfillment, a cancel or refund that does not restock): "any_quantity" sends
   * inventory_levels/update, reading the topic's "Occurs whenever an inventory level is updated"
   * (WebhookSubscriptionTopic) as any of the level's quantities; "available" sends it only when
   * `available`, the one quantity the payload carries (REST InventoryLevel), changes. Shopify's
   * inventory guide (shopify.dev, apps/build/orders-fulfillment/inventory-management-apps) says
   * which quantities each movement changes, not which of them the topic follows.
   */
  inventoryLevelUpdate: "any_quantity" | "available";
}

export const DEFAULT_READINGS: Readings = {
  cancellationAccepted: "closed",
  refundRestockLocation: "assigned",
  partialMove: "carved",
  moveToOccupied: "merged",
  progressRefusal: "coded",
  accessDenied: "named",
  suggestedRefund: "calculated",
  draftPriceCurrency: "refused",
  mergeDeliveryMethod: "same",
  inventoryLevelUpdate: "any_quantity",
};

/** An asynchronous mutation's job (orderCancel): queued when answered, run soon after. */
export interface SimJob {
  id: number;
  shop: string;
  done: boolean;
  status: "STARTED" | "SUCCEEDED" | "FAILED";
  errors: { field: string[] | null; message: string; code: string | null }[];
  orderId: number;
  run: () => void;
}

export class SimState {
  readonly shops = new Map<string, Shop>();
  /** Jobs of asynchronous mutations, by id (the Job's and its result's). */
  readonly jobs = new Map<number, SimJob>();
  readings: Readings = { ...DEFAULT_READINGS };
  readonly apps = new Map<string, AppInfo>();
  /**
   * Shopify Flow: the app's deployed Flow extensions, the runs flowTriggerReceive started, and
   * which of the app's triggers each shop's enabled workflows start from ("shop\u0000handle").
   */
  readonly flow: {
    triggers: FlowTriggerDefinition[];
    actions: FlowActionDefinition[];
    lifecycle: FlowLifecycleCallbackDefinition[];
    received: ReceivedFlowTrigger[];
    workflows: Set<string>;
  } = { triggers: [], actions: [], lifecycle: [], received: [], workflows: new Set() };
  private seq = 0;
  private listeners: ((e: EmittedEvent) => void)[] = [];
  private muted = 0;

  constructor(
    readonly clock: Clock = realClock,
    routerApp: { apiKey: string; title?: string } = { apiKey: "sim-api-key" },
  ) {
    // Ids look like Shopify's (13 digits) but stay far below 2^53, so REST payload ids stay exact.
    this.seq = 6_100_000_000_000;
    this.apps.set(ROUTER_APP_KEY, {
      key: ROUTER_APP_KEY,
      id: this.nextId(),
      title: routerApp.title ?? "Fulfilment Router",
      apiKey: routerApp.apiKey,
      handle: "fulfilment-router",
    });
  }

  nextId(): number {
    this.seq += 1;
    return this.seq;
  }

  iso(offsetMs = 0): string {
    return new Date(this.clock.now() + offsetMs).toISOString();
  }

  app(key: string): AppInfo {
    const a = this.apps.get(key);
    if (!a) throw new Error(`unknown app ${key}`);
    return a;
  }

  /** The app that owns a fulfilment service handle, registered on first use. */
  serviceApp(handle: string, title?: string): AppInfo {
    return this.registered(`service:${handle}`, handle, title);
  }

  /** Another app installed on the shop (one that holds fulfillment orders), registered on first use. */
  otherApp(handle: string, title?: string): AppInfo {
    return this.registered(`app:${handle}`, handle, title);
  }

  private registered(key: string, handle: string, title?: string): AppInfo {
    let a = this.apps.get(key);
    if (!a) {
      a = { key, id: this.nextId(), title: title ?? handle, apiKey: `${handle}-api-key`, handle };
      this.apps.set(key, a);
    }
    return a;
  }

  createShop(input: { domain: string; plan: Plan; name?: string; email?: string }): Shop {
    const now = this.iso();
    const shop: Shop = {
      id: this.nextId(),
      domain: input.domain,
      name: input.name ?? input.domain.replace(/\.myshopify\.com$/, ""),
      plan: input.plan,
      email: input.email ?? `owner@${input.domain}`,
      currency: "EUR",
      ianaTimezone: "Europe/Berlin",
      createdAt: now,
      installed: true,
      products: new Map(),
      variants: new Map(),
      locations: new Map(),
      inventory: new Map(),
      customers: new Map(),
      orders: new Map(),
      fulfillmentOrders: new Map(),
      fulfillments: new Map(),
      draftOrders: new Map(),
      nextOrderNumber: 1001,
      nextDraftNumber: 1,
    };
    this.shops.set(shop.domain, shop);
    return shop;
  }

  shop(domain: string): Shop | undefined {
    return this.shops.get(domain);
  }

  requireShop(domain: string): Shop {
    const s = this.shops.get(domain);
    if (!s) throw new Error(`unknown shop ${domain}`);
    return s;
  }

  /** Finds which shop holds an order / fulfillment order (ids are global, like Shopify's). */
  findOrder(id: number): { shop: Shop; order: Order } | undefined {
    for (const shop of this.shops.values()) {
      const order = shop.orders.get(id);
      if (order) return { shop, order };
    }
    return undefined;
  }

  findFulfillmentOrder(id: number): { shop: Shop; fo: FulfillmentOrder } | undefined {
    for (const shop of this.shops.values()) {
      const fo = shop.fulfillmentOrders.get(id);
      if (fo) return { shop, fo };
    }
    return undefined;
  }

  onEvent(fn: (e: EmittedEvent) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  emit(shop: Shop, event: DomainEvent): void {
    if (this.muted > 0) return;
    const e: EmittedEvent = { shop: shop.domain, at: this.clock.now(), event };
    for (const l of this.listeners) l(e);
  }

  /** Runs fn without emitting events: seeding history that happened before the app was installed. */
  silently<T>(fn: () => T): T {
    this.muted += 1;
    try {
      return fn();
    } finally {
      this.muted -= 1;
    }
  }

  /** Forgets every shop (apps and the id sequence stay, so ids are never reused). */
  clear(): void {
    this.shops.clear();
    this.flow.received.length = 0;
    this.flow.workflows.clear();
  }
}
