// Reads one order as the routing engine sees it: the order, its lines, every fulfillment order
// with holds and supported actions, and the shop's locations — in one Admin API call for most
// orders and shops, further pages of each from the answer's cursors.
import {
  READ_EVERYTHING,
  fromMinorUnits,
  toMinorUnits,
  type OrderReadNeeds,
  type FinancialStatus,
  type FulfillmentHoldReason,
  type FulfillmentOrderRequestStatus,
  type FulfillmentOrderStatus,
  type OrderSnapshot,
  type RiskLevel,
} from "../routing";
import type {
  FulfillmentOrderLinesPageQuery,
  FulfillmentOrderLinesPageQueryVariables,
  OrderFulfillmentOrdersPageQuery,
  OrderFulfillmentOrdersPageQueryVariables,
  OrderRoutingSnapshotQuery,
  OrderRoutingSnapshotQueryVariables,
  OrderSnapshotQuery,
  OrderSnapshotQueryVariables,
} from "../types/admin.generated";
import type { CatalogueEntry } from "./catalogue.server";
import type { AdminGateway } from "./gateway.server";
import { readRestOfLocations, type ShopLocations } from "./locations.server";
import {
  FULFILLMENT_ORDER_LINES_PAGE_QUERY,
  ORDER_FULFILLMENT_ORDERS_PAGE_QUERY,
  ORDER_ROUTING_SNAPSHOT_QUERY,
  ORDER_SNAPSHOT_QUERY,
} from "./operations";
import { readPages } from "./pages";
import { readStock, type LineStock, type StockLevel } from "./stock.server";

type OrderData = NonNullable<OrderSnapshotQuery["order"]>;

/**
 * An order read: Shopify's answer, and with it, when the rules split by stock, each open
 * fulfillment order line's stock at its location by the fulfillment order line's id (readStock).
 */
export type OrderRead = OrderSnapshotQuery & { stock?: ReadonlyMap<string, LineStock> };

/** A fulfillment order line's stock as the engine takes it; nothing when it was not read. */
function stockOf(stock: OrderRead["stock"], lineId: string) {
  if (!stock?.has(lineId)) return {};
  const known = stock.get(lineId)!;
  return known === "unknown" ? { stockUnknown: true } : { inStockQuantity: known };
}

const RISK_ORDER: RiskLevel[] = ["NONE", "LOW", "MEDIUM", "HIGH"];

type Capturable = OrderSnapshot["order"]["capturableTransactions"];

/**
 * Each authorization's capturable amount, capped at what the order still owes, oldest first
 * (ADR 078): canceling items lowers totalOutstandingSet ("the total amount not yet transacted")
 * but not an authorization's totalUnsettledSet ("of the original authorization"), and capturing
 * the whole authorization would take the canceled items' money. One that nothing is owed on is
 * left out. Without the outstanding amount (an older read) the amounts stand.
 */
export function cappedToOwed(list: Capturable, outstanding: unknown): Capturable {
  if (outstanding === undefined || outstanding === null) return list;
  // In the currency's own minor units (0 decimals for JPY, 3 for KWD and BHD; ADR 087), so a capped
  // amount is never rounded past what is owed. What is owed is in the authorizations' currency.
  let owed: number | null = null;
  const capped: Capturable = [];
  for (const t of list) {
    const currency = t.amount.currencyCode;
    owed ??= Math.max(0, toMinorUnits(String(outstanding), currency));
    const whole = toMinorUnits(String(t.amount.amount), currency);
    const take = Math.min(whole, owed);
    owed -= take;
    if (take <= 0) continue;
    const amount = fromMinorUnits(take, currency);
    capped.push(take === whole ? t : { ...t, amount: { ...t.amount, amount } });
  }
  return capped;
}

/** The highest level any provider assessed; PENDING counts as not assessed yet. */
function riskLevelOf(order: OrderData): RiskLevel {
  let level: RiskLevel = "NONE";
  for (const a of order.risk.assessments) {
    const l = a.riskLevel as string;
    if (
      RISK_ORDER.includes(l as RiskLevel) &&
      RISK_ORDER.indexOf(l as RiskLevel) > RISK_ORDER.indexOf(level)
    ) {
      level = l as RiskLevel;
    }
  }
  return level;
}

export function toOrderSnapshot(data: OrderRead): OrderSnapshot | null {
  const o = data.order;
  if (!o) return null;
  return {
    order: {
      id: o.id,
      name: o.name,
      createdAt: o.createdAt as string,
      tags: o.tags,
      note: o.note ?? null,
      totalPrice: o.totalPriceSet
        ? {
            amount: String(o.totalPriceSet.shopMoney.amount),
            currencyCode: o.totalPriceSet.shopMoney.currencyCode,
          }
        : null,
      netPayment: o.netPaymentSet
        ? {
            amount: String(o.netPaymentSet.presentmentMoney.amount),
            currencyCode: o.netPaymentSet.presentmentMoney.currencyCode,
          }
        : null,
      displayFinancialStatus: (o.displayFinancialStatus ?? null) as FinancialStatus | null,
      capturable: o.capturable,
      capturableTransactions: cappedToOwed(
        o.transactions
          .filter(
            (t) =>
              t.kind === "AUTHORIZATION" &&
              t.status === "SUCCESS" &&
              Number(t.totalUnsettledSet?.presentmentMoney.amount ?? 0) > 0,
          )
          .map((t) => ({
            id: t.id,
            amount: {
              amount: String(t.totalUnsettledSet!.presentmentMoney.amount),
              currencyCode: t.totalUnsettledSet!.presentmentMoney.currencyCode,
            },
            authorizationExpiresAt: (t.authorizationExpiresAt as string | null) ?? null,
            authorizedAt: (t.createdAt as string | null) ?? null,
            gateway: t.gateway ?? null,
          })),
        o.totalOutstandingSet?.presentmentMoney.amount,
      ),
      riskLevel: riskLevelOf(o),
      sourceName: o.sourceName ?? null,
      salesChannel: null,
      shippingAddress: o.shippingAddress?.countryCodeV2
        ? {
            countryCode: o.shippingAddress.countryCodeV2,
            provinceCode: o.shippingAddress.provinceCode ?? null,
          }
        : null,
      shippingLines: o.shippingLine ? [{ title: o.shippingLine.title }] : [],
      customer: o.customer ? { id: o.customer.id, tags: o.customer.tags } : null,
      closed: o.closed,
      cancelledAt: (o.cancelledAt as string | null) ?? null,
      fulfillments: o.fulfillments.map((f) => ({
        id: f.id,
        displayStatus: f.displayStatus ?? null,
      })),
    },
    lineItems: o.lineItems.nodes.map((l) => ({
      id: l.id,
      title: l.title,
      variantTitle: l.variantTitle ?? null,
      sku: l.sku ?? null,
      quantity: l.quantity,
      unfulfilledQuantity: l.unfulfilledQuantity,
      productType: l.product?.productType ?? "",
      vendor: l.vendor ?? null,
      productTags: l.product?.tags ?? [],
      variantOptions: (l.variant?.selectedOptions ?? []).map((s) => ({
        name: s.name,
        value: s.value,
      })),
      requiresShipping: l.requiresShipping,
      isGiftCard: l.isGiftCard,
      customAttributes: l.customAttributes.map((a) => ({ key: a.key, value: a.value ?? null })),
    })),
    fulfillmentOrders: o.fulfillmentOrders.nodes.map((fo) => ({
      id: fo.id,
      status: fo.status as FulfillmentOrderStatus,
      requestStatus: fo.requestStatus as FulfillmentOrderRequestStatus,
      assignedLocation: {
        locationId: fo.assignedLocation.location?.id ?? "",
        name: fo.assignedLocation.name,
      },
      fulfillmentService: fo.assignedLocation.location?.fulfillmentService
        ? {
            handle: fo.assignedLocation.location.fulfillmentService.handle,
            name: fo.assignedLocation.location.fulfillmentService.serviceName,
          }
        : null,
      supportedActions: fo.supportedActions.map((a) => a.action as string),
      holds: fo.fulfillmentHolds.map((h) => ({
        id: h.id,
        reason: h.reason as FulfillmentHoldReason,
        reasonNotes: h.reasonNotes ?? null,
        handle: h.handle ?? null,
        heldByRequestingApp: h.heldByRequestingApp,
      })),
      lineItems: fo.lineItems.nodes.map((li) => ({
        id: li.id,
        lineItemId: li.lineItem.id,
        remainingQuantity: li.remainingQuantity,
        totalQuantity: li.totalQuantity,
        ...stockOf(data.stock, li.id),
      })),
    })),
    locations: (data.locations?.nodes ?? [])
      .filter((l) => l.isActive)
      .map((l) => ({
        id: l.id,
        name: l.name,
        fulfillmentServiceHandle: l.fulfillmentService?.handle ?? null,
      })),
  };
}

/** The customer's name for the review queue; not part of what the engine decides on. */
export function customerNameOf(data: OrderSnapshotQuery): string | null {
  return data.order?.customer?.displayName ?? null;
}

/** Connection sizes of one order read. */
export interface ReadSizes {
  lines: number;
  fulfillmentOrders: number;
  fulfillmentOrderLines: number;
}

/**
 * The first read's sizes: room for the orders most shops take (requested cost about 210 of the
 * 1,000 a query may ask for). A connection that comes back full may have been cut short, so
 * the order is read again at FULL_READ's sizes.
 */
export const FIRST_READ: ReadSizes = { lines: 8, fulfillmentOrders: 4, fulfillmentOrderLines: 8 };
export const FULL_READ: ReadSizes = { lines: 50, fulfillmentOrders: 10, fulfillmentOrderLines: 20 };

/**
 * The routing read's sizes (ORDER_ROUTING_SNAPSHOT_QUERY, each line read on the fulfillment order
 * lines that carry it): up to three fulfillment orders of up to eight lines. Requested cost with
 * every optional part: 245 with the shop's locations and the fulfillment orders' services (at most
 * 250, tests/shopify/costs.test.ts), 200 without either, as a read that reuses the locations asks
 * (the locations 42 of the difference, also pinned there; the services one point a fulfillment
 * order). More fulfillment orders, and more lines of one, are read on from the answer's cursors
 * (readOrder), never the whole order again.
 */
export const ROUTING_FIRST_READ: ReadSizes = {
  lines: 0,
  fulfillmentOrders: 3,
  fulfillmentOrderLines: 8,
};

/** How many lines and units (their quantities summed) an order's webhook says it has. */
export interface OrderShape {
  lines: number;
  units: number;
  /**
   * The webhook said the order was paid in full: no authorization is left to capture, so the read
   * leaves out what the order still owes (a capture's cap, 2 points on every read).
   */
  paid?: boolean;
}

/**
 * The routing read's sizes for an order whose webhook said its shape: as many as it can hold of
 * each while open (every open fulfillment order carries at least one unit, every fulfillment order
 * line one of the order's lines), never more than ROUTING_FIRST_READ. The answer's pageInfo says
 * whether more follow, so no spare one is asked for to find out: more fulfillment orders (closed
 * ones count) and more lines of one are read on from its cursors, so an order edited since its
 * webhook is never decided on a part of it. A read that asks for less needs less room in the
 * shop's bucket before it may run.
 */
export function routingFirstRead(shape?: OrderShape): ReadSizes {
  if (!shape) return ROUTING_FIRST_READ;
  const { fulfillmentOrders, fulfillmentOrderLines } = ROUTING_FIRST_READ;
  return {
    lines: 0,
    fulfillmentOrders: Math.min(fulfillmentOrders, Math.max(1, shape.units)),
    fulfillmentOrderLines: Math.min(fulfillmentOrderLines, Math.max(1, shape.lines)),
  };
}

/**
 * The most pages of fulfillment orders, or of one's lines, one routing read takes (at three a page,
 * 60 fulfillment orders): an order with more is not one the router was built for, and a read that
 * never ends would spend the shop's bucket.
 */
export const MAX_FULFILLMENT_ORDER_PAGES = 20;

/** The lines a page of one fulfillment order's further lines asks for (about 120 points asked). */
export const FULFILLMENT_ORDER_LINES_PAGE = 20;

/** Did any connection of the answer fill the size it was asked for (and so may hold more)? */
export function mayBeCutShort(data: OrderSnapshotQuery, sizes: ReadSizes): boolean {
  const o = data.order;
  if (!o) return false;
  return (
    o.lineItems.nodes.length >= sizes.lines ||
    o.fulfillmentOrders.nodes.length >= sizes.fulfillmentOrders ||
    o.fulfillmentOrders.nodes.some((fo) => fo.lineItems.nodes.length >= sizes.fulfillmentOrderLines)
  );
}

const gidNumber = (id: string) => Number(id.slice(id.lastIndexOf("/") + 1));

/**
 * The routing read in the shape of ORDER_SNAPSHOT_QUERY's answer: the order's lines are the line
 * items its fulfillment order lines carry, each once, in the order Shopify numbered them.
 */
function withLinesFromFulfillmentOrders(data: OrderRoutingSnapshotQuery): OrderSnapshotQuery {
  const o = data.order;
  if (!o) return { ...data, order: null };
  type Line = NonNullable<
    OrderRoutingSnapshotQuery["order"]
  >["fulfillmentOrders"]["nodes"][number]["lineItems"]["nodes"][number]["lineItem"];
  const lines = new Map<string, Line>();
  for (const fo of o.fulfillmentOrders.nodes)
    for (const line of fo.lineItems.nodes)
      if (!lines.has(line.lineItem.id)) lines.set(line.lineItem.id, line.lineItem);
  const nodes = [...lines.values()].sort((a, b) => gidNumber(a.id) - gidNumber(b.id));
  return { ...data, order: { ...o, lineItems: { nodes } } };
}

/**
 * The routing read with each line's variant and product filled in from the catalogue, by the
 * inventory item its fulfillment order line names: as Shopify would have returned them, null for
 * a line without one (a custom item) or one Shopify no longer has.
 */
async function withCatalogue(
  data: OrderRoutingSnapshotQuery,
  catalogue: NonNullable<ReadOrderOptions["catalogue"]>,
): Promise<OrderRoutingSnapshotQuery> {
  const o = data.order;
  if (!o) return data;
  const ids = o.fulfillmentOrders.nodes.flatMap((fo) =>
    fo.lineItems.nodes.flatMap((line) => (line.inventoryItemId ? [line.inventoryItemId] : [])),
  );
  const entries = await catalogue(
    ids,
    o.fulfillmentOrders.nodes.map((fo) => fo.id),
  );
  const fulfillmentOrders = o.fulfillmentOrders.nodes.map((fo) => ({
    ...fo,
    lineItems: {
      ...fo.lineItems,
      nodes: fo.lineItems.nodes.map((line) => {
        const entry = line.inventoryItemId ? entries.get(line.inventoryItemId) : null;
        return {
          ...line,
          lineItem: {
            ...line.lineItem,
            variant: entry?.variant ?? null,
            product: entry?.product ?? null,
          },
        };
      }),
    },
  }));
  return {
    ...data,
    order: { ...o, fulfillmentOrders: { ...o.fulfillmentOrders, nodes: fulfillmentOrders } },
  };
}

/**
 * How long the router reuses a shop's locations between order reads. Locations change rarely (a
 * merchant adds a warehouse, a lab's app installs its location); a location an order or the rules
 * name that is not among them makes the read fetch them again at once, so only a rename, a
 * deactivation or a removal waits for this long (and a move there is refused by Shopify with its
 * own words meanwhile).
 */
export const LOCATIONS_REUSED_MS = 5 * 60_000;

const knownLocations = new Map<string, { readAt: number; locations: ShopLocations }>();

/**
 * A read of a shop's locations on its way, by shop: orders of the shop read meanwhile (the worker
 * routes several at once) leave the locations out and take them from its answer, instead of each
 * asking for them (about 40 points more of room each, and every location again in the actual cost).
 */
const locationsOnTheirWay = new Map<string, Promise<ShopLocations | null>>();

/** Forget a shop's locations (its locations changed, or the app was uninstalled). */
export function forgetLocations(shop: string): void {
  knownLocations.delete(shop);
  locationsOnTheirWay.delete(shop);
}

export interface ReadOrderOptions {
  /**
   * Reuse the shop's locations from an earlier read (within LOCATIONS_REUSED_MS) instead of
   * asking for them again: the routing worker reads many orders of one shop.
   */
  reuseLocations?: boolean;
  /** Locations the caller will look for (rules' move targets, capability profiles). */
  locationIds?: readonly string[];
  /**
   * Read each line only on the fulfillment order lines that carry it (ORDER_ROUTING_SNAPSHOT_QUERY),
   * not through the order's own line connection: all the routing engine looks at, for fewer
   * points. A line no fulfillment order carries is then not in the answer.
   */
  linesOnFulfillmentOrders?: boolean;
  /**
   * With linesOnFulfillmentOrders: where the lines' products and variants come from when the rules
   * need them (catalogueOf, by each fulfillment order line's inventory item), instead of asking
   * Shopify for them on the read.
   */
  catalogue?: (
    inventoryItemIds: string[],
    /** The order's fulfillment orders as this read found them, all of them. */
    fulfillmentOrderIds: string[],
  ) => Promise<Map<string, CatalogueEntry | null>>;
  /**
   * With linesOnFulfillmentOrders: the order's shape as its webhook said it, to size the first
   * read by (routingFirstRead); ROUTING_FIRST_READ without it.
   */
  shape?: OrderShape;
  /**
   * The parts of the order only some conditions look at that the rules in force need
   * (orderReadNeeds); by default everything, as merchant commands and screens read.
   */
  needs?: OrderReadNeeds;
  /**
   * With the stock read: the units other orders wait for behind this one, placed at `placedAt`, at
   * the levels it is short at (readStock, ADR 096). Without it each order counts only its own.
   */
  waitingBehind?: (placedAt: string, levels: StockLevel[]) => Promise<ReadonlyMap<string, number>>;
  now?: () => number;
}

function knowsEvery(locations: ShopLocations, data: OrderSnapshotQuery, ids: readonly string[]) {
  const known = new Set(locations.nodes.map((l) => l.id));
  const assigned = (data.order?.fulfillmentOrders.nodes ?? []).flatMap((fo) =>
    fo.assignedLocation.location ? [fo.assignedLocation.location.id] : [],
  );
  return assigned.every((id) => known.has(id)) && ids.every((id) => known.has(id));
}

/**
 * The read with each fulfillment order's service filled in from the location it is assigned to,
 * among the shop's known locations (knowsEvery holds for them): as Shopify would have returned it.
 */
function withServicesOf<T extends OrderSnapshotQuery>(locations: ShopLocations, data: T): T {
  const o = data.order;
  if (!o) return data;
  const services = new Map(locations.nodes.map((l) => [l.id, l.fulfillmentService ?? null]));
  const fulfillmentOrders = o.fulfillmentOrders.nodes.map((fo) => {
    const location = fo.assignedLocation.location;
    if (!location) return fo;
    return {
      ...fo,
      assignedLocation: {
        ...fo.assignedLocation,
        location: { ...location, fulfillmentService: services.get(location.id) ?? null },
      },
    };
  });
  return { ...data, order: { ...o, fulfillmentOrders: { nodes: fulfillmentOrders } } };
}

export async function readOrder(
  gateway: AdminGateway,
  orderId: string,
  options: ReadOrderOptions = {},
): Promise<OrderRead> {
  const now = options.now ?? Date.now;
  const needs = options.needs ?? READ_EVERYTHING;
  // A read that reuses the shop's locations takes each fulfillment order's service from them; one
  // that reads the locations along asks for the services too, as it may meet a location new to it.
  // The order's own optional parts, alike in both documents (their shared fragment).
  const orderParts = {
    withTotal: needs.total,
    withOutstanding: !options.shape?.paid,
    withShippingAddress: needs.shippingAddress,
    withShippingLine: needs.shippingLines,
  };
  const read = (sizes: ReadSizes, withLocations: boolean) =>
    gateway.request<OrderSnapshotQuery, OrderSnapshotQueryVariables>(ORDER_SNAPSHOT_QUERY, {
      id: orderId,
      ...sizes,
      withLocations,
      withFulfillmentServices: withLocations,
      ...orderParts,
      withCatalogue: needs.catalogue,
    });
  const readForRouting = (sizes: ReadSizes, withLocations: boolean, catalogue: boolean) =>
    gateway.request<OrderRoutingSnapshotQuery, OrderRoutingSnapshotQueryVariables>(
      ORDER_ROUTING_SNAPSHOT_QUERY,
      {
        id: orderId,
        fulfillmentOrders: sizes.fulfillmentOrders,
        fulfillmentOrderLines: sizes.fulfillmentOrderLines,
        withLocations,
        withFulfillmentServices: withLocations,
        ...orderParts,
        withCatalogue: needs.catalogue && catalogue,
      },
    );
  /**
   * The order's fulfillment orders after the first page, each page from the cursor of the one
   * before and at the first page's sizes, appended to the first read's: only the missing ones are
   * paid for. The answer's order is null when the order is gone meanwhile.
   */
  const readRestOfFulfillmentOrders = async (
    first: OrderRoutingSnapshotQuery,
    sizes: ReadSizes,
    withFulfillmentServices: boolean,
    catalogue: boolean,
  ): Promise<OrderRoutingSnapshotQuery> => {
    const o = first.order;
    if (!o) return first;
    const fulfillmentOrders = await readPages(
      o.fulfillmentOrders,
      {
        maxPages: MAX_FULFILLMENT_ORDER_PAGES,
        tooMany: `${orderId}: more fulfillment orders than the router reads`,
      },
      async (after) => {
        const next = await gateway.request<
          OrderFulfillmentOrdersPageQuery,
          OrderFulfillmentOrdersPageQueryVariables
        >(ORDER_FULFILLMENT_ORDERS_PAGE_QUERY, {
          id: orderId,
          after,
          fulfillmentOrders: sizes.fulfillmentOrders,
          fulfillmentOrderLines: sizes.fulfillmentOrderLines,
          withFulfillmentServices,
          withCatalogue: needs.catalogue && catalogue,
        });
        return next.order?.fulfillmentOrders ?? null;
      },
    );
    if (!fulfillmentOrders) return { ...first, order: null };
    // A fulfillment order with more lines than it returned: the rest from its lines' cursor.
    const nodes: typeof fulfillmentOrders.nodes = [];
    for (const fo of fulfillmentOrders.nodes) {
      const lineItems = await readPages(
        fo.lineItems,
        {
          maxPages: MAX_FULFILLMENT_ORDER_PAGES,
          tooMany: `${fo.id}: more lines than the router reads`,
        },
        async (after) => {
          const next = await gateway.request<
            FulfillmentOrderLinesPageQuery,
            FulfillmentOrderLinesPageQueryVariables
          >(FULFILLMENT_ORDER_LINES_PAGE_QUERY, {
            id: fo.id,
            after,
            fulfillmentOrderLines: FULFILLMENT_ORDER_LINES_PAGE,
            withCatalogue: needs.catalogue && catalogue,
          });
          // Gone meanwhile (merged into another): the order changed under the read; the job's
          // retry reads it again.
          if (!next.fulfillmentOrder) throw new Error(`${fo.id}: gone while its lines were read`);
          return next.fulfillmentOrder.lineItems;
        },
      );
      nodes.push({ ...fo, lineItems });
    }
    return {
      ...first,
      order: { ...o, fulfillmentOrders: { nodes, pageInfo: fulfillmentOrders.pageInfo } },
    };
  };
  /**
   * The answer's page of the shop's locations (the first 20) and those after it, when its pageInfo
   * says more follow: a move or a profile may name any of them. No call for a shop with 20 or
   * fewer; undefined when the read left the locations out.
   */
  const everyLocation = async (page: ShopLocations | null | undefined) =>
    page ? readRestOfLocations(gateway, page) : undefined;
  /** `answered`: told the shop's locations as soon as Shopify's answers bring all of them. */
  const readWhole = async (
    withLocations: boolean,
    answered?: (locations: ShopLocations | null) => void,
  ): Promise<OrderRead> => {
    if (options.linesOnFulfillmentOrders) {
      const kept = needs.catalogue ? options.catalogue : undefined;
      const sizes = routingFirstRead(options.shape);
      const answer = await readForRouting(sizes, withLocations, !kept);
      const locations = await everyLocation(answer.locations);
      answered?.(locations ?? null);
      const first = await readRestOfFulfillmentOrders(
        { ...answer, locations },
        sizes,
        withLocations,
        !kept,
      );
      const whole = withLinesFromFulfillmentOrders(kept ? await withCatalogue(first, kept) : first);
      // The stock only on the routing read, whose lines name their inventory items, and only for
      // rules that split by it: a call of its own, so no other read asks for more.
      if (!needs.stock || !first.order) return whole;
      const { waitingBehind } = options;
      const placedAt = first.order.createdAt as string;
      const stock = await readStock(
        gateway,
        first.order.fulfillmentOrders.nodes,
        waitingBehind && ((levels) => waitingBehind(placedAt, levels)),
      );
      return { ...whole, stock };
    }
    const first = await read(FIRST_READ, withLocations);
    const locations = await everyLocation(first.locations);
    answered?.(locations ?? null);
    // The larger read asks for the first page of locations again; the pages after it are the
    // first read's.
    const whole = mayBeCutShort(first, FIRST_READ) ? await read(FULL_READ, withLocations) : first;
    return { ...whole, locations };
  };
  const shop = gateway.shop;
  const cached = options.reuseLocations ? knownLocations.get(shop) : undefined;
  if (cached && now() - cached.readAt < LOCATIONS_REUSED_MS) {
    const data = await readWhole(false);
    if (knowsEvery(cached.locations, data, options.locationIds ?? [])) {
      return withServicesOf(cached.locations, { ...data, locations: cached.locations });
    }
  } else if (options.reuseLocations && locationsOnTheirWay.has(shop)) {
    // Another read of the shop is asking for its locations: this one waits for its answer after
    // reading the order without them, and asks itself only when that read fails or they are not
    // all the order and the rules name.
    const coming = locationsOnTheirWay.get(shop)!;
    const data = await readWhole(false);
    const locations = await coming.catch(() => null);
    if (locations && knowsEvery(locations, data, options.locationIds ?? [])) {
      return withServicesOf(locations, { ...data, locations });
    }
  }
  const keep = (locations: ShopLocations | null) => {
    if (locations) knownLocations.set(shop, { readAt: now(), locations });
  };
  if (!options.reuseLocations || locationsOnTheirWay.has(shop)) return readWhole(true, keep);
  // The reads of the shop meanwhile take the locations from this one's first answer: the rest of
  // this read (further pages, the catalogue) is not theirs to wait for, nor to fail with.
  let tell!: (locations: ShopLocations | null) => void;
  let fail!: (error: unknown) => void;
  const coming = new Promise<ShopLocations | null>((resolve, reject) => {
    tell = resolve;
    fail = reject;
  });
  locationsOnTheirWay.set(shop, coming);
  const done = () => {
    if (locationsOnTheirWay.get(shop) === coming) locationsOnTheirWay.delete(shop);
  };
  coming.then(done, done);
  const reading = readWhole(true, (locations) => {
    keep(locations);
    tell(locations);
  });
  reading.catch(fail);
  return reading;
}
