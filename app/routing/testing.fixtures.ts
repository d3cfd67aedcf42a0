// Test builders for snapshots, rules and profiles: a small photo shop with a studio, a lab and a print partner.
import type { CapabilityProfile } from "./capability";
import type { LabReport, ScannedFulfillmentOrder } from "./drift";
import {
  DEFAULT_SETTINGS,
  type Action,
  type Condition,
  type Rule,
  type RoutingSettings,
} from "./rules";
import type {
  FulfillmentOrder,
  FulfillmentOrderLineItem,
  LineItem,
  Location,
  Order,
  OrderSnapshot,
} from "./snapshot";
import { supportedActionsFor } from "./testing.shopify-model";

export const STUDIO: Location = {
  id: "gid://shopify/Location/1",
  name: "Studio",
  fulfillmentServiceHandle: null,
};
export const LAB: Location = {
  id: "gid://shopify/Location/2",
  name: "WHCC Lab",
  fulfillmentServiceHandle: "whcc",
};
export const PARTNER: Location = {
  id: "gid://shopify/Location/3",
  name: "Print Partner",
  fulfillmentServiceHandle: "printify",
};
export const WAREHOUSE: Location = {
  id: "gid://shopify/Location/4",
  name: "Warehouse",
  fulfillmentServiceHandle: null,
};
export const LOCATIONS: Location[] = [STUDIO, LAB, PARTNER, WAREHOUSE];

export const ORDER_ID = "gid://shopify/Order/1001";
export const PLACED_AT = "2025-03-01T12:00:00.000Z";
/** Five minutes after the order was placed. */
export const NOW = "2025-03-01T12:05:00.000Z";

export const SETTINGS: RoutingSettings = { ...DEFAULT_SETTINGS };

export function lineGid(n: number): string {
  return `gid://shopify/LineItem/${n}`;
}

export function foGid(n: number): string {
  return `gid://shopify/FulfillmentOrder/${n}`;
}

/** A 10x15 lustre print unless told otherwise. */
export function aLine(n: number, overrides: Partial<LineItem> = {}): LineItem {
  return {
    id: lineGid(n),
    title: "10x15 Lustre",
    variantTitle: "Lustre / 10x15",
    sku: "PRINT-10x15-L",
    quantity: 1,
    unfulfilledQuantity: 1,
    productType: "Print",
    vendor: "Pixpa",
    productTags: ["photo"],
    variantOptions: [
      { name: "Paper", value: "Lustre" },
      { name: "Size", value: "10x15" },
    ],
    requiresShipping: true,
    isGiftCard: false,
    customAttributes: [],
    ...overrides,
  };
}

export function aDownload(n: number, overrides: Partial<LineItem> = {}): LineItem {
  return aLine(n, {
    title: "Digital download",
    variantTitle: null,
    sku: "DL-1",
    productType: "Download",
    productTags: ["digital"],
    variantOptions: [{ name: "Title", value: "Default Title" }],
    requiresShipping: false,
    ...overrides,
  });
}

/** A 20x30 metallic print: a paper and size the Studio does not make. */
export function aMetallicPrint(n: number, overrides: Partial<LineItem> = {}): LineItem {
  return aLine(n, {
    title: "20x30 Metallic",
    variantOptions: [
      { name: "Paper", value: "Metallic" },
      { name: "Size", value: "20x30" },
    ],
    ...overrides,
  });
}

export function aMug(n: number, overrides: Partial<LineItem> = {}): LineItem {
  return aLine(n, {
    title: "Mug 11oz",
    variantTitle: "White",
    sku: "MUG-11-W",
    productType: "Mug",
    vendor: "Acme",
    productTags: ["gift"],
    variantOptions: [{ name: "Color", value: "White" }],
    ...overrides,
  });
}

type FoLineSpec = LineItem | [LineItem, Partial<FulfillmentOrderLineItem>];

/** An open, unsubmitted fulfillment order; supportedActions follow the status unless given. */
export function aFulfillmentOrder(
  n: number,
  location: Location,
  lines: FoLineSpec[],
  overrides: Partial<FulfillmentOrder> = {},
): FulfillmentOrder {
  const lineItems = lines.map((spec, i): FulfillmentOrderLineItem => {
    const [item, extra] = Array.isArray(spec) ? spec : [spec, {}];
    return {
      id: `gid://shopify/FulfillmentOrderLineItem/${n * 100 + i + 1}`,
      lineItemId: item.id,
      remainingQuantity: item.quantity,
      totalQuantity: item.quantity,
      ...extra,
    };
  });
  const fo: FulfillmentOrder = {
    id: foGid(n),
    status: "OPEN",
    requestStatus: "UNSUBMITTED",
    assignedLocation: { locationId: location.id, name: location.name },
    fulfillmentService: location.fulfillmentServiceHandle
      ? { handle: location.fulfillmentServiceHandle, name: location.name }
      : null,
    supportedActions: [],
    holds: [],
    lineItems,
    ...overrides,
  };
  return { ...fo, supportedActions: overrides.supportedActions ?? supportedActionsFor(fo) };
}

export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: ORDER_ID,
    name: "#1001",
    createdAt: PLACED_AT,
    tags: [],
    note: null,
    totalPrice: { amount: "49.00", currencyCode: "EUR" },
    displayFinancialStatus: "PAID",
    capturable: false,
    capturableTransactions: [],
    riskLevel: "LOW",
    sourceName: "web",
    salesChannel: "Online Store",
    shippingAddress: { countryCode: "DE", provinceCode: "BY" },
    shippingLines: [{ title: "Standard" }],
    customer: { id: "gid://shopify/Customer/7", tags: [] },
    closed: false,
    cancelledAt: null,
    fulfillments: [],
    ...overrides,
  };
}

/** An order paid by card but not yet captured. */
export function authorized(overrides: Partial<Order> = {}): Order {
  return anOrder({
    displayFinancialStatus: "AUTHORIZED",
    capturable: true,
    capturableTransactions: [
      {
        id: "gid://shopify/OrderTransaction/501",
        amount: { amount: "49.00", currencyCode: "EUR" },
        authorizationExpiresAt: "2025-03-08T12:00:00.000Z",
      },
    ],
    ...overrides,
  });
}

export function aSnapshot(parts: {
  order?: Order;
  lineItems: LineItem[];
  fulfillmentOrders: FulfillmentOrder[];
  locations?: Location[];
}): OrderSnapshot {
  return {
    order: parts.order ?? anOrder(),
    lineItems: parts.lineItems,
    fulfillmentOrders: parts.fulfillmentOrders,
    locations: parts.locations ?? LOCATIONS,
  };
}

/** The simplest order: one print at the studio. */
export function onePrintAtStudio(order: Order = anOrder()): OrderSnapshot {
  const print = aLine(1);
  return aSnapshot({
    order,
    lineItems: [print],
    fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print])],
  });
}

let ruleCounter = 0;

export function aRule(
  partial: Partial<Rule> & { actions: Action[] },
  conditions: Condition[] = partial.conditions ?? [],
): Rule {
  ruleCounter++;
  return {
    id: partial.id ?? `rule-${ruleCounter}`,
    name: partial.name ?? `Rule ${ruleCounter}`,
    enabled: partial.enabled ?? true,
    position: partial.position ?? ruleCounter,
    match: partial.match ?? "all",
    lines: partial.lines ?? "any",
    keepChecking: partial.keepChecking ?? false,
    conditions,
    actions: partial.actions,
  };
}

export const STUDIO_PROFILE: CapabilityProfile = {
  locationId: STUDIO.id,
  name: "Studio",
  kind: "in_house",
  productTypes: ["Print"],
  options: { Paper: ["Lustre", "Matte"], Size: ["10x15", "13x18"] },
};

export const LAB_PROFILE: CapabilityProfile = {
  locationId: LAB.id,
  name: "WHCC Lab",
  kind: "partner",
  productTypes: ["Print", "Canvas"],
  options: { Paper: ["Lustre", "Matte", "Metallic"], Size: ["10x15", "13x18", "20x30"] },
};

export const PARTNER_PROFILE: CapabilityProfile = {
  locationId: PARTNER.id,
  name: "Print Partner",
  kind: "partner",
  productTypes: ["Mug", "Print"],
  options: { Color: ["White", "Black"], Paper: ["Lustre"], Size: ["10x15"] },
};

export const PROFILES: CapabilityProfile[] = [STUDIO_PROFILE, LAB_PROFILE, PARTNER_PROFILE];

/** The lab's fulfillment order as the stuck-and-drift scan reads it: a request sent, one print. */
export function aScannedFulfillmentOrder(
  overrides: Partial<ScannedFulfillmentOrder> = {},
): ScannedFulfillmentOrder {
  return {
    id: foGid(1),
    orderId: ORDER_ID,
    orderName: "#1001",
    status: "OPEN",
    requestStatus: "SUBMITTED",
    updatedAt: "2025-03-01T12:00:00.000Z",
    locationId: LAB.id,
    locationName: LAB.name,
    serviceName: LAB.name,
    lineItems: [{ lineItemId: lineGid(1), totalQuantity: 1, remainingQuantity: 1 }],
    ...overrides,
  };
}

/** What the merchant recorded the lab said: two prints shipped with DHL. */
export function aLabReport(overrides: Partial<LabReport> = {}): LabReport {
  return {
    fulfillmentOrderId: foGid(1),
    orderId: ORDER_ID,
    orderName: "#1001",
    status: "shipped",
    lines: [{ lineItemId: lineGid(1), quantity: 2 }],
    tracking: { company: "DHL", number: "00340434", url: null },
    source: "merchant",
    labName: LAB.name,
    locationId: LAB.id,
    recordedAt: "2025-03-03T10:00:00.000Z",
    ...overrides,
  };
}

/** A line of the order as the drift check counts it on Shopify. */
export const aDriftLine = (fulfilled: number, unfulfilled: number) => ({
  lineItemId: lineGid(1),
  title: "10x15 Lustre",
  fulfilled,
  unfulfilled,
});
