// Admin GraphQL views of an order: its lines, transactions, refunds and the order itself.
import { GraphQLError } from "graphql";
import { gid } from "../../shop/ids.ts";
import {
  type DraftLine,
  type LineItem,
  type Order,
  type Refund,
  type Transaction,
} from "../../shop/model.ts";
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
} from "../../shop/orders.ts";
import { suggestRefund, type SuggestRefundArgs } from "../../shop/refunds.ts";
import { currentTotalTax, orderTaxLines, totalTax } from "../../shop/taxes.ts";
import { connection } from "../connection.ts";
import { productView, variantView } from "./catalog.ts";
import {
  type Args,
  type GqlContext,
  type View,
  byId,
  countView,
  mailingAddress,
  moneyBag,
  moneyV2,
  orderCurrencies,
  shopAmount,
  weight,
} from "./common.ts";
import { customerView } from "./customer.ts";
import { fulfillmentOrderSearch, fulfillmentOrderView, fulfillmentView } from "./fulfillment.ts";
import { fulfillmentServiceView, locationView } from "./shop.ts";

/** TaxLine: a tax charged on a line, or the order's sum of one rate and title. */
export function taxLineView(
  t: { title: string; rate: number; price: number },
  cur: ReturnType<typeof orderCurrencies>,
): View {
  return {
    __typename: "TaxLine",
    title: t.title,
    rate: t.rate,
    ratePercentage: Math.round(t.rate * 100 * 1e6) / 1e6,
    priceSet: moneyBag(t.price, cur),
    price: shopAmount(t.price, cur),
    channelLiable: false,
    source: "Shopify",
  };
}

export function lineItemName(li: LineItem | DraftLine): string {
  return li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title;
}

export function lineItemView(ctx: GqlContext, order: Order, li: LineItem): View {
  const cur = orderCurrencies(order);
  const fulfilled = () => fulfilledQuantity(ctx.shop, li.id);
  const unfulfilled = () => Math.max(0, li.currentQuantity - fulfilled());
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
    customAttributes: () =>
      li.properties.map((p) => ({
        __typename: "Attribute",
        key: p.name,
        value: p.value,
      })),
    originalUnitPriceSet: () => moneyBag(li.price, cur),
    originalUnitPrice: () => shopAmount(li.price, cur),
    discountedUnitPriceSet: () => moneyBag(li.price, cur),
    discountedUnitPrice: () => shopAmount(li.price, cur),
    discountedUnitPriceAfterAllDiscountsSet: () => moneyBag(li.price, cur),
    priceAfterAllDiscountsBeforeTaxesSet: () => moneyBag(li.price * li.currentQuantity, cur),
    originalTotalSet: () => moneyBag(li.price * li.quantity, cur),
    originalTotal: () => shopAmount(li.price * li.quantity, cur),
    discountedTotalSet: () => moneyBag(li.price * li.currentQuantity, cur),
    discountedTotal: () => shopAmount(li.price * li.currentQuantity, cur),
    totalDiscountSet: () => moneyBag(0, cur),
    totalDiscount: shopAmount(0, cur),
    unfulfilledOriginalTotalSet: () => moneyBag(li.price * unfulfilled(), cur),
    unfulfilledDiscountedTotalSet: () => moneyBag(li.price * unfulfilled(), cur),
    discountAllocations: [],
    taxLines: (args: { first?: number | null }) =>
      (li.taxLines ?? []).slice(0, args.first ?? undefined).map((t) => taxLineView(t, cur)),
    duties: [],
    weight: () => weight(li.grams),
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

export function variantViewOrNull(ctx: GqlContext, id: number): View | null {
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
    amountSet: moneyBag(t.amount, orderCurrencies(order)),
    amount: shopAmount(t.amount, orderCurrencies(order)),
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
    totalUnsettledSet: () =>
      moneyBag(capturableOn(ctx.shop, order, t, now), orderCurrencies(order)),
    maximumRefundableV2: () =>
      t.kind === "SALE" || t.kind === "CAPTURE" ? moneyV2(t.amount, orderCurrencies(order)) : null,
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

const RISK_RECOMMENDATION = { LOW: "ACCEPT", MEDIUM: "INVESTIGATE", HIGH: "CANCEL" } as const;

export function orderView(ctx: GqlContext, o: Order): View {
  const shop = ctx.shop;
  const cur = orderCurrencies(o);
  const now = () => ctx.state.clock.now();
  const customer = o.customerId ? shop.customers.get(o.customerId) : undefined;
  const total = () => orderTotal(o);
  const shippingTotal = o.shippingLines.reduce((s, l) => s + l.price, 0);
  // Line prices after discounts; they hold the taxes when the prices include them (subtotalPriceSet).
  const subtotal = () => o.lineItems.reduce((s, l) => s + l.price * l.currentQuantity, 0);
  const originalSubtotal = () => o.lineItems.reduce((s, l) => s + l.price * l.quantity, 0);
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
    originalPriceSet: () => moneyBag(l.price, cur),
    discountedPriceSet: () => moneyBag(l.price, cur),
    currentDiscountedPriceSet: () => moneyBag(l.price, cur),
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
    currencyCode: o.currency,
    presentmentCurrencyCode: o.presentment?.currency ?? o.currency,
    customerLocale: "en",
    customAttributes: () =>
      o.customAttributes.map((a) => ({
        __typename: "Attribute",
        key: a.key,
        value: a.value,
      })),
    customer: () => (customer ? customerView(ctx, customer) : null),
    // A B2B order names its company; a customer's own order names the customer.
    purchasingEntity: () =>
      o.company
        ? {
            __typename: "PurchasingCompany",
            company: {
              __typename: "Company",
              id: gid("Company", o.company.id),
              name: o.company.name,
            },
          }
        : customer
          ? customerView(ctx, customer)
          : null,
    shippingAddress: () => mailingAddress(o.shippingAddress, o.id * 10 + 1),
    billingAddress: () => mailingAddress(o.billingAddress, o.id * 10 + 2),
    displayAddress: () => mailingAddress(o.shippingAddress ?? o.billingAddress, o.id * 10 + 1),
    billingAddressMatchesShippingAddress: () =>
      JSON.stringify(o.billingAddress) === JSON.stringify(o.shippingAddress),
    requiresShipping: () => o.lineItems.some((l) => l.requiresShipping),
    fulfillable: () => fos().some((f) => f.status === "OPEN" || f.status === "IN_PROGRESS"),
    displayFinancialStatus: () => financialStatus(shop, o, now()),
    displayFulfillmentStatus: () => displayFulfillmentStatus(shop, o),
    fullyPaid: () => capturedAmount(o) >= total(),
    unpaid: () => capturedAmount(o) === 0,
    capturable: () => totalCapturable(shop, o, now()) > 0,
    totalCapturableSet: () => moneyBag(totalCapturable(shop, o, now()), cur),
    totalCapturable: () => shopAmount(totalCapturable(shop, o, now()), cur),
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
    taxesIncluded: o.taxesIncluded === true,
    taxExempt: false,
    productNetwork: false,
    returnStatus: o.returnStatus ?? "NO_RETURN",
    discountCode: null,
    discountCodes: [],
    paymentGatewayNames: () => [...new Set(o.transactions.map((t) => t.gateway))],
    statusPageUrl: () =>
      `https://${shop.domain}/${shop.id}/orders/${o.id.toString(36)}/authenticate?key=sim`,
    taxLines: () => orderTaxLines(o, false).map((t) => taxLineView(t, cur)),
    currentTaxLines: () => orderTaxLines(o, true).map((t) => taxLineView(t, cur)),
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
    subtotalLineItemsQuantity: () => o.lineItems.reduce((s, l) => s + l.quantity, 0),
    currentSubtotalLineItemsQuantity: () => o.lineItems.reduce((s, l) => s + l.currentQuantity, 0),
    totalWeight: () => String(o.lineItems.reduce((s, l) => s + l.grams * l.quantity, 0)),
    currentTotalWeight: () =>
      String(o.lineItems.reduce((s, l) => s + l.grams * l.currentQuantity, 0)),
    totalPriceSet: () => moneyBag(originalTotal(o), cur),
    totalPrice: () => shopAmount(originalTotal(o), cur),
    currentTotalPriceSet: () => moneyBag(total(), cur),
    originalTotalPriceSet: () => moneyBag(originalTotal(o), cur),
    subtotalPriceSet: () => moneyBag(originalSubtotal(), cur),
    subtotalPrice: () => shopAmount(originalSubtotal(), cur),
    currentSubtotalPriceSet: () => moneyBag(subtotal(), cur),
    totalShippingPriceSet: () => moneyBag(shippingTotal, cur),
    totalShippingPrice: () => shopAmount(shippingTotal, cur),
    currentShippingPriceSet: () => moneyBag(shippingTotal, cur),
    totalTaxSet: () => moneyBag(totalTax(o), cur),
    totalTax: () => shopAmount(totalTax(o), cur),
    currentTotalTaxSet: () => moneyBag(currentTotalTax(o), cur),
    suggestedRefund: (args: SuggestRefundArgs) => suggestedRefundView(ctx, o, args),
    totalDiscountsSet: () => moneyBag(0, cur),
    currentTotalDiscountsSet: () => moneyBag(0, cur),
    currentCartDiscountAmountSet: () => moneyBag(0, cur),
    cartDiscountAmountSet: null,
    totalTipReceivedSet: () => moneyBag(0, cur),
    totalRefundedShippingSet: () =>
      moneyBag(
        (o.refunds ?? []).reduce((s, r) => s + (r.shipping ?? 0), 0),
        cur,
      ),
    refundDiscrepancySet: () => moneyBag(0, cur),
    totalOutstandingSet: () => moneyBag(outstanding(), cur),
    totalReceivedSet: () => moneyBag(capturedAmount(o), cur),
    totalReceived: () => shopAmount(capturedAmount(o), cur),
    totalRefundedSet: () => moneyBag(refundedAmount(o), cur),
    totalRefunded: () => shopAmount(refundedAmount(o), cur),
    netPaymentSet: () => moneyBag(capturedAmount(o) - refundedAmount(o), cur),
    netPayment: () => shopAmount(capturedAmount(o) - refundedAmount(o), cur),
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

/** Refund: what refundCreate took off the order and gave back. */
export function refundView(ctx: GqlContext, order: Order, r: Refund): View {
  const cur = orderCurrencies(order);
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
          return refundLineItemView(ctx, order, l, {
            restocked: l.restockType !== "NO_RESTOCK",
            price: li.price,
            subtotal: l.subtotal ?? li.price * l.quantity,
            tax: l.tax ?? 0,
          });
        },
      ),
  };
}

/**
 * A RefundLineItem: one line of a refund made, or of one suggested (nothing restocked yet), with
 * its price, subtotal and tax in shop and presentment money.
 */
function refundLineItemView(
  ctx: GqlContext,
  order: Order,
  line: { lineItemId: number; quantity: number; restockType: string; locationId: number | null },
  amounts: { restocked: boolean; price: number; subtotal: number; tax: number },
): View {
  const cur = orderCurrencies(order);
  const li = order.lineItems.find((x) => x.id === line.lineItemId)!;
  const location = line.locationId === null ? undefined : ctx.shop.locations.get(line.locationId);
  return {
    __typename: "RefundLineItem",
    id: null,
    quantity: line.quantity,
    restockType: line.restockType,
    restocked: amounts.restocked,
    lineItem: lineItemView(ctx, order, li),
    location: location ? locationView(ctx, location) : null,
    priceSet: moneyBag(amounts.price, cur),
    price: shopAmount(amounts.price, cur),
    subtotalSet: moneyBag(amounts.subtotal, cur),
    subtotal: shopAmount(amounts.subtotal, cur),
    totalTaxSet: moneyBag(amounts.tax, cur),
    totalTax: shopAmount(amounts.tax, cur),
  };
}

/**
 * SuggestedRefund (src/shop/refunds.ts suggestRefund): what refunding the lines, and the shipping
 * when asked, would give back, with the tax, in shop and presentment money. Null under the reading
 * `suggestedRefund: "none"`: the Admin schema types Order.suggestedRefund nullable and does not say
 * when Shopify answers null (Readings.suggestedRefund).
 */
export function suggestedRefundView(
  ctx: GqlContext,
  order: Order,
  args: SuggestRefundArgs,
): View | null {
  const s = suggestRefund(order, args);
  if (!s) throw new GraphQLError("Line item does not exist", { extensions: { code: "NOT_FOUND" } });
  if (ctx.state.readings.suggestedRefund === "none") return null;
  const cur = orderCurrencies(order);
  return {
    __typename: "SuggestedRefund",
    amountSet: moneyBag(s.amount, cur),
    amount: shopAmount(s.amount, cur),
    maximumRefundableSet: moneyBag(s.maximumRefundable, cur),
    maximumRefundable: shopAmount(s.maximumRefundable, cur),
    subtotalSet: moneyBag(s.subtotal, cur),
    subtotal: shopAmount(s.subtotal, cur),
    discountedSubtotalSet: moneyBag(s.subtotal, cur),
    totalTaxSet: moneyBag(s.tax, cur),
    totalTaxes: shopAmount(s.tax, cur),
    totalCartDiscountAmountSet: moneyBag(0, cur),
    totalDutiesSet: moneyBag(0, cur),
    refundDuties: [],
    shipping: {
      __typename: "ShippingRefund",
      amountSet: moneyBag(s.shipping.amount, cur),
      amount: shopAmount(s.shipping.amount, cur),
      maximumRefundableSet: moneyBag(s.shipping.maximumRefundable, cur),
      maximumRefundable: shopAmount(s.shipping.maximumRefundable, cur),
      // Shipping lines carry no tax in the simulator.
      taxSet: moneyBag(0, cur),
      tax: shopAmount(0, cur),
    },
    refundLineItems: s.lines.map((l) =>
      refundLineItemView(ctx, order, l, { restocked: false, ...l }),
    ),
    suggestedTransactions: s.transactions.map((t) => ({
      __typename: "SuggestedOrderTransaction",
      kind: "SUGGESTED_REFUND",
      amountSet: moneyBag(t.amount, cur),
      amount: shopAmount(t.amount, cur),
      maximumRefundableSet: moneyBag(t.maximumRefundable, cur),
      maximumRefundable: shopAmount(t.maximumRefundable, cur),
      gateway: t.parent.gateway,
      formattedGateway: t.parent.gateway === "manual" ? "Manual" : "Bogus",
      accountNumber: "•••• •••• •••• 4242",
      parentTransaction: () => transactionView(ctx, order, t.parent),
      paymentDetails: null,
    })),
    suggestedRefundMethods:
      s.storeCredit === null
        ? []
        : [
            {
              __typename: "SuggestedStoreCreditRefund",
              amount: moneyBag(s.storeCredit, cur),
              maximumRefundable: moneyBag(s.maximumRefundable, cur),
              expiresAt: null,
            },
          ],
  };
}
