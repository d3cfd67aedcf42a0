// fast-check generators for orders, rules, profiles and settings drawn from one small photo-shop world.
import fc from "fast-check";
import type { CapabilityProfile } from "./capability";
import type { Action, Condition, LineCondition, Rule, RoutingSettings } from "./rules";
import {
  FULFILLMENT_HOLD_REASONS,
  RISK_LEVELS,
  type FulfillmentHold,
  type FulfillmentOrder,
  type LineItem,
  type Location,
  type Order,
  type OrderSnapshot,
} from "./snapshot";
import { aFulfillmentOrder, anOrder, LOCATIONS, ORDER_ID, PLACED_AT } from "./testing.fixtures";
import { supportedActionsFor } from "./testing.shopify-model";

export const PRODUCT_TYPES = ["Print", "Canvas", "Mug", "Download", ""] as const;
export const VENDORS = ["Pixpa", "WHCC", "Acme"] as const;
export const OPTIONS: Record<string, readonly string[]> = {
  Paper: ["Lustre", "Matte", "Metallic"],
  Size: ["10x15", "13x18", "20x30"],
  Color: ["White", "Black"],
  Frame: ["Oak"],
};
const OPTION_NAMES = Object.keys(OPTIONS);
export const PRODUCT_TAGS = ["photo", "gift", "digital", "rush"] as const;
export const ORDER_TAGS = ["vip", "wholesale", "lab", "checked"] as const;

function pick<T>(values: readonly T[]): fc.Arbitrary<T> {
  return fc.constantFrom(...values);
}

const variantOptions: fc.Arbitrary<{ name: string; value: string }[]> = fc.oneof(
  fc.constant<{ name: string; value: string }[]>([{ name: "Title", value: "Default Title" }]),
  fc
    .subarray(OPTION_NAMES)
    .chain((names) =>
      fc.tuple(...names.map((name) => pick(OPTIONS[name] ?? []).map((value) => ({ name, value })))),
    )
    .map((options) => [...options]),
);

export function lineItemArb(n: number): fc.Arbitrary<LineItem> {
  return fc
    .record({
      productType: pick(PRODUCT_TYPES),
      vendor: fc.option(pick(VENDORS), { freq: 5 }),
      sku: fc.option(pick(["PRINT-1", "PRINT-2", "MUG-1", "DL-1"]), { freq: 5 }),
      productTags: fc.subarray([...PRODUCT_TAGS]),
      variantOptions,
      requiresShipping: fc.oneof(
        { weight: 4, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      isGiftCard: fc.boolean(),
      quantity: fc.integer({ min: 1, max: 3 }),
    })
    .map((r): LineItem => ({
      id: `gid://shopify/LineItem/${n}`,
      title: `${r.productType || "Item"} ${n}`,
      variantTitle: null,
      sku: r.sku,
      quantity: r.quantity,
      unfulfilledQuantity: r.quantity,
      productType: r.productType,
      vendor: r.vendor,
      productTags: r.productTags,
      variantOptions: r.variantOptions,
      requiresShipping: r.requiresShipping,
      isGiftCard: r.isGiftCard && !r.requiresShipping,
      customAttributes: [],
    }));
}

const foreignHold: fc.Arbitrary<FulfillmentHold> = pick(FULFILLMENT_HOLD_REASONS).map((reason) => ({
  id: "gid://shopify/FulfillmentHold/9001",
  reason,
  reasonNotes: "Held in Shopify admin",
  handle: null,
  heldByRequestingApp: false,
}));

type FoState = "open" | "on_hold" | "submitted" | "accepted" | "closed" | "scheduled";

function foArb(n: number, lines: LineItem[]): fc.Arbitrary<FulfillmentOrder> {
  return fc
    .record({
      location: pick(LOCATIONS),
      state: fc.oneof(
        { weight: 8, arbitrary: fc.constant<FoState>("open") },
        {
          weight: 1,
          arbitrary: pick<FoState>(["on_hold", "submitted", "accepted", "closed", "scheduled"]),
        },
      ),
      hold: foreignHold,
      stock: fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { freq: 2 }), {
        minLength: lines.length,
        maxLength: lines.length,
      }),
    })
    .map(({ location, state, hold, stock }) => {
      const service = location.fulfillmentServiceHandle !== null;
      const specs = lines.map((line, i): [LineItem, { inStockQuantity?: number | null }] => {
        const inStock = stock[i];
        return [
          line,
          inStock === undefined || inStock === null ? {} : { inStockQuantity: inStock },
        ];
      });
      const fo = aFulfillmentOrder(n, location, specs);
      switch (state) {
        case "on_hold":
          fo.status = "ON_HOLD";
          fo.holds = [hold];
          break;
        case "submitted":
          if (service) fo.requestStatus = "SUBMITTED";
          break;
        case "accepted":
          if (service) {
            fo.requestStatus = "ACCEPTED";
            fo.status = "IN_PROGRESS";
          }
          break;
        case "closed":
          fo.status = "CLOSED";
          for (const line of fo.lineItems) line.remainingQuantity = 0;
          break;
        case "scheduled":
          fo.status = "SCHEDULED";
          break;
        case "open":
          break;
      }
      fo.supportedActions = supportedActionsFor(fo);
      return fo;
    });
}

const orderArb: fc.Arbitrary<Order> = fc
  .record({
    tags: fc.subarray([...ORDER_TAGS]),
    customerTags: fc.option(fc.subarray(["trade", "vip"]), { freq: 4 }),
    total: fc.integer({ min: 0, max: 500 }),
    country: fc.option(pick(["DE", "US", "CA"]), { freq: 6 }),
    province: fc.option(pick(["BY", "NY", "ON"]), { freq: 3 }),
    risk: pick(RISK_LEVELS),
    authorized: fc.boolean(),
    expired: fc.boolean(),
    shipping: fc.subarray(["Standard", "Express"]),
    channel: pick([
      ["web", "Online Store"],
      ["pos", "Point of Sale"],
    ] as const),
    note: fc.option(pick(["Gift wrap", "Check crop"]), { freq: 3 }),
  })
  .map((r) =>
    anOrder({
      id: ORDER_ID,
      tags: r.tags,
      customer: r.customerTags ? { id: "gid://shopify/Customer/7", tags: r.customerTags } : null,
      totalPrice: { amount: `${r.total}.00`, currencyCode: "EUR" },
      shippingAddress: r.country ? { countryCode: r.country, provinceCode: r.province } : null,
      riskLevel: r.risk,
      displayFinancialStatus: r.authorized ? "AUTHORIZED" : "PAID",
      capturable: r.authorized,
      capturableTransactions: r.authorized
        ? [
            {
              id: "gid://shopify/OrderTransaction/501",
              amount: { amount: `${r.total}.00`, currencyCode: "EUR" },
              authorizationExpiresAt: r.expired
                ? "2025-03-01T11:00:00.000Z"
                : "2025-03-08T12:00:00.000Z",
            },
          ]
        : [],
      shippingLines: r.shipping.map((title) => ({ title })),
      sourceName: r.channel[0],
      salesChannel: r.channel[1],
      note: r.note,
      createdAt: PLACED_AT,
    }),
  );

export const snapshotArb: fc.Arbitrary<OrderSnapshot> = fc
  .integer({ min: 1, max: 6 })
  .chain((count) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: count }, (_, i) => lineItemArb(i + 1))),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: count, maxLength: count }),
      orderArb,
    ),
  )
  .chain(([lines, groups, order]) => {
    const byFo = new Map<number, LineItem[]>();
    lines.forEach((line, i) => {
      const group = groups[i] ?? 0;
      byFo.set(group, [...(byFo.get(group) ?? []), line]);
    });
    const fos = [...byFo.entries()].map(([group, foLines]) => foArb(group + 1, foLines));
    return fc.tuple(...fos).map((fulfillmentOrders): OrderSnapshot => ({
      order,
      lineItems: lines,
      fulfillmentOrders,
      locations: LOCATIONS,
    }));
  });

// ---------------------------------------------------------------------------------------------
// Rules.

const textOps = pick(["equals", "not_equals", "contains", "not_contains", "starts_with"] as const);
const listOps = pick(["in", "not_in"] as const);
const tagOps = pick(["contains", "not_contains"] as const);

function textCondition<F extends string>(field: F, values: readonly string[]) {
  return fc.oneof(
    fc.record({ field: fc.constant(field), operator: textOps, value: pick(values) }),
    fc.record({
      field: fc.constant(field),
      operator: listOps,
      value: fc.subarray([...values], { minLength: 1 }),
    }),
    fc.record({
      field: fc.constant(field),
      operator: fc.constant("exists" as const),
      value: fc.boolean(),
    }),
  );
}

function tagCondition<F extends string>(field: F, values: readonly string[]) {
  return fc.oneof(
    fc.record({ field: fc.constant(field), operator: tagOps, value: pick(values) }),
    fc.record({
      field: fc.constant(field),
      operator: listOps,
      value: fc.subarray([...values], { minLength: 1 }),
    }),
    fc.record({
      field: fc.constant(field),
      operator: fc.constant("exists" as const),
      value: fc.boolean(),
    }),
  );
}

export const lineConditionArb: fc.Arbitrary<LineCondition> = fc.oneof(
  textCondition(
    "product_type",
    PRODUCT_TYPES.filter((t) => t !== ""),
  ),
  textCondition("vendor", VENDORS),
  textCondition("sku", ["PRINT-1", "MUG", "DL"]),
  tagCondition("product_tag", PRODUCT_TAGS),
  fc.record({
    field: fc.constant("variant_option" as const),
    optionName: pick(OPTION_NAMES),
    operator: pick(["equals", "not_equals"] as const),
    value: pick(["Lustre", "Matte", "10x15", "White"]),
  }),
  fc.record({
    field: pick(["requires_shipping", "gift_card"] as const),
    operator: fc.constant("equals" as const),
    value: fc.boolean(),
  }),
) as fc.Arbitrary<LineCondition>;

const orderConditionArb: fc.Arbitrary<Condition> = fc.oneof(
  tagCondition("order_tag", ORDER_TAGS),
  tagCondition("customer_tag", ["trade", "vip"]),
  fc.record({
    field: fc.constant("order_total" as const),
    operator: pick(["equals", "not_equals", "greater_than", "less_than"] as const),
    value: fc.integer({ min: 0, max: 500 }),
  }),
  fc.record({
    field: fc.constant("destination_country" as const),
    operator: pick(["equals", "not_equals"] as const),
    value: pick(["DE", "US"]),
  }),
  fc.record({
    field: fc.constant("destination_province" as const),
    operator: fc.constant("exists" as const),
    value: fc.boolean(),
  }),
  textCondition("shipping_method", ["Standard", "Express"]),
  fc.record({
    field: fc.constant("risk_level" as const),
    operator: pick(["equals", "greater_than", "less_than"] as const),
    value: pick(RISK_LEVELS),
  }),
  fc.record({
    field: fc.constant("payment_state" as const),
    operator: pick(["equals", "not_equals"] as const),
    value: pick(["paid", "authorized"] as const),
  }),
  textCondition("sales_channel", ["web", "pos", "Online Store"]),
) as fc.Arbitrary<Condition>;

/** Conditions on where a fulfillment order is: only in rules that do not route, or rules could send lines back and forth. */
const locationConditionArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    field: fc.constant("assigned_location" as const),
    operator: pick(["equals", "not_equals"] as const),
    value: pick(LOCATIONS.map((l) => l.id)),
  }),
  fc.record({
    field: fc.constant("fulfilment_service" as const),
    operator: fc.constant("exists" as const),
    value: fc.boolean(),
  }),
) as fc.Arbitrary<Condition>;

const routingArb: fc.Arbitrary<Action> = fc.oneof(
  fc.constant<Action>({ type: "split", by: "capability" }),
  fc.constant<Action>({ type: "split", by: "vendor" }),
  fc.constant<Action>({ type: "split", by: "stock" }),
  fc
    .array(lineConditionArb, { minLength: 1, maxLength: 2 })
    .map((conditions): Action => ({ type: "split", by: "line_condition", conditions })),
  fc.constant<Action>({ type: "merge" }),
  pick(LOCATIONS).map((location): Action => ({ type: "move", locationId: location.id })),
);

const dispositionArb: fc.Arbitrary<Action> = fc.oneof(
  fc
    .option(fc.boolean(), { nil: undefined })
    .map((notifyCustomer): Action =>
      notifyCustomer === undefined
        ? { type: "fulfil_automatically" }
        : { type: "fulfil_automatically", notifyCustomer },
    ),
  fc.constant<Action>({ type: "submit_fulfilment_request", message: "Please print" }),
);

const holdArb: fc.Arbitrary<Action> = fc.oneof(
  fc.constant<Action>({ type: "hold_for_review" }),
  fc
    .record({
      reason: pick(FULFILLMENT_HOLD_REASONS),
      minutes: fc.option(pick([3, 60]), { nil: undefined }),
    })
    .map(({ reason, minutes }): Action =>
      minutes === undefined
        ? { type: "hold", reason }
        : { type: "hold", reason, releaseAfterMinutes: minutes },
    ),
);

const extraArb: fc.Arbitrary<Action> = fc.oneof(
  pick(["now", "on_approval", "on_fulfilment"] as const).map((when): Action => ({
    type: "capture_payment",
    when,
  })),
  fc
    .subarray([...ORDER_TAGS], { minLength: 1 })
    .map((tags): Action => ({ type: "add_order_tags", tags })),
  pick(["Check crop", "Rush"]).map((note): Action => ({ type: "add_staff_note", note })),
  pick(["fulfilled", "delivered"] as const).map((when): Action => ({
    type: "archive_order",
    when,
  })),
);

export function ruleArb(id: string): fc.Arbitrary<Rule> {
  return fc
    .record({
      name: pick(["Lab prints", "Risky", "Mugs", "Everything else"]),
      enabled: fc.oneof(
        { weight: 5, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      position: fc.integer({ min: 0, max: 5 }),
      match: pick(["all", "any"] as const),
      lines: pick(["any", "every"] as const),
      keepChecking: fc.boolean(),
      lineConditions: fc.array(lineConditionArb, { maxLength: 2 }),
      orderConditions: fc.array(orderConditionArb, { maxLength: 2 }),
      locationConditions: fc.array(locationConditionArb, { maxLength: 1 }),
      routing: fc.option(routingArb, { nil: undefined }),
      disposition: fc.option(dispositionArb, { nil: undefined }),
      hold: fc.option(holdArb, { nil: undefined }),
      release: fc.option(pick(["this_app", "anyone"] as const), { nil: undefined, freq: 4 }),
      extras: fc.uniqueArray(extraArb, { maxLength: 2, selector: (a) => a.type }),
    })
    .map((r): Rule => {
      const actions: Action[] = [];
      if (r.routing) actions.push(r.routing);
      if (r.disposition) actions.push(r.disposition);
      if (r.hold) actions.push(r.hold);
      else if (r.release) actions.push({ type: "release_holds", placedBy: r.release });
      actions.push(...r.extras);
      if (actions.length === 0) actions.push({ type: "add_order_tags", tags: ["seen"] });
      const conditions = [
        ...r.lineConditions,
        ...r.orderConditions,
        ...(r.routing ? [] : r.locationConditions),
      ];
      return {
        id,
        name: r.name,
        enabled: r.enabled,
        position: r.position,
        match: r.match,
        lines: r.lines,
        keepChecking: r.keepChecking,
        conditions,
        actions,
      };
    });
}

export const rulesArb: fc.Arbitrary<Rule[]> = fc
  .integer({ min: 0, max: 6 })
  .chain((count) =>
    fc.tuple(
      ...Array.from({ length: count }, (_, i) => ruleArb(`rule-${String.fromCharCode(97 + i)}`)),
    ),
  );

// ---------------------------------------------------------------------------------------------
// Profiles and settings.

export function profileArb(location: Location): fc.Arbitrary<CapabilityProfile> {
  return fc
    .record({
      kind: pick(["in_house", "partner"] as const),
      productTypes: fc.subarray(PRODUCT_TYPES.filter((t) => t !== "")),
      options: fc
        .subarray(OPTION_NAMES)
        .chain((names) =>
          fc.tuple(
            ...names.map((name) =>
              fc.subarray([...(OPTIONS[name] ?? [])]).map((values) => [name, values] as const),
            ),
          ),
        ),
    })
    .map(({ kind, productTypes, options }) => ({
      locationId: location.id,
      name: location.name,
      kind,
      productTypes,
      options: Object.fromEntries(options),
    }));
}

export const profilesArb: fc.Arbitrary<CapabilityProfile[]> = fc
  .subarray(LOCATIONS)
  .chain((locations) => fc.tuple(...locations.map(profileArb)))
  .map((profiles) => [...profiles]);

export const settingsArb: fc.Arbitrary<RoutingSettings> = fc.record({
  defaultMode: pick(["manual", "automatic"] as const),
  capturePolicy: pick(["on_paid", "on_approval", "on_fulfilment", "never"] as const),
  notifyCustomer: fc.boolean(),
  autoReleaseAfterMinutes: fc.option(pick([3, 60]), { freq: 2 }),
  digitalDownloads: pick(["automatic", "review"] as const),
});

/** Minutes after the order was placed that the planner runs. */
export const nowArb: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 120 })
  .map((minutes) => new Date(Date.parse(PLACED_AT) + minutes * 60_000).toISOString());
