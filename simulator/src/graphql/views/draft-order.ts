// Admin GraphQL view of a draft order.
import { gid } from "../../shop/ids.ts";
import type { DraftOrder } from "../../shop/model.ts";
import { INVOICE_EMAIL_TEMPLATE_SUBJECT } from "../../shop/orders.ts";
import { connection } from "../connection.ts";
import { productView } from "./catalog.ts";
import {
  type Args,
  type GqlContext,
  type View,
  byId,
  mailingAddress,
  moneyBag,
  moneyV2,
} from "./common.ts";
import { lineItemName, orderView, variantViewOrNull } from "./order.ts";

export function draftOrderView(ctx: GqlContext, d: DraftOrder): View {
  const shopCurrency = ctx.shop.currency;
  // Prices are kept in the customer's currency; shop money is the estimate at the draft's rate.
  const cur = d.presentment
    ? { shop: shopCurrency, presentment: d.presentment.currency, rate: d.presentment.rate }
    : shopCurrency;
  const presentment = d.presentment?.currency ?? shopCurrency;
  const subtotal = d.lineItems.reduce((s, l) => s + l.price * l.quantity, 0);
  return {
    __typename: "DraftOrder",
    id: gid("DraftOrder", d.id),
    legacyResourceId: String(d.id),
    name: d.name,
    status: d.status,
    email: d.email,
    phone: d.phone,
    note2: d.note,
    tags: d.tags,
    poNumber: d.poNumber,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    completedAt: d.completedAt,
    invoiceSentAt: d.invoiceSentAt,
    invoiceUrl: d.invoiceUrl,
    invoiceEmailTemplateSubject: INVOICE_EMAIL_TEMPLATE_SUBJECT,
    currencyCode: shopCurrency,
    presentmentCurrencyCode: presentment,
    ready: true,
    reserveInventoryUntil: null,
    taxExempt: false,
    taxesIncluded: true,
    visibleToCustomer: true,
    hasTimelineComment: false,
    allowDiscountCodesInCheckout: false,
    acceptAutomaticDiscounts: null,
    allVariantPricesOverridden: false,
    anyVariantPricesOverridden: false,
    billingAddressMatchesShippingAddress:
      JSON.stringify(d.billingAddress) === JSON.stringify(d.shippingAddress),
    defaultCursor: Buffer.from(String(d.id)).toString("base64"),
    discountCodes: [],
    taxLines: [],
    platformDiscounts: [],
    warnings: [],
    appliedDiscount: null,
    customer: null,
    order: () => {
      const o = d.orderId != null ? ctx.shop.orders.get(d.orderId) : undefined;
      return o ? orderView(ctx, o) : null;
    },
    paymentTerms: null,
    shippingLine: null,
    customAttributes: d.customAttributes.map((a) => ({
      __typename: "Attribute",
      key: a.key,
      value: a.value,
    })),
    shippingAddress: mailingAddress(d.shippingAddress, d.id * 10 + 1),
    billingAddress: mailingAddress(d.billingAddress, d.id * 10 + 2),
    subtotalPriceSet: moneyBag(subtotal, cur),
    lineItemsSubtotalPrice: moneyBag(subtotal, cur),
    totalLineItemsPriceSet: moneyBag(subtotal, cur),
    totalPriceSet: moneyBag(subtotal, cur),
    totalDiscountsSet: moneyBag(0, cur),
    totalShippingPriceSet: moneyBag(0, cur),
    totalTaxSet: moneyBag(0, cur),
    amountDueNowSet: moneyBag(subtotal, cur),
    amountDueLaterSet: moneyBag(0, cur),
    totalWeight: "0",
    totalQuantityOfLineItems: d.lineItems.reduce((s, l) => s + l.quantity, 0),
    lineItems: (args: Args) =>
      connection(d.lineItems, args, byId, (l) => ({
        __typename: "DraftOrderLineItem",
        id: gid("DraftOrderLineItem", l.id),
        uuid: l.uuid,
        name: lineItemName(l),
        title: l.title,
        variantTitle: l.variantTitle,
        sku: l.sku,
        vendor: l.vendor,
        quantity: l.quantity,
        custom: l.custom,
        isGiftCard: l.isGiftCard,
        requiresShipping: l.requiresShipping,
        taxable: l.taxable,
        customAttributes: l.customAttributes.map((a) => ({
          __typename: "Attribute",
          key: a.key,
          value: a.value,
        })),
        customAttributesV2: [],
        components: [],
        taxLines: [],
        appliedDiscount: null,
        priceOverride: null,
        originalUnitPriceWithCurrency: moneyV2(l.price, presentment),
        originalUnitPriceSet: moneyBag(l.price, cur),
        approximateDiscountedUnitPriceSet: moneyBag(l.price, cur),
        originalTotalSet: moneyBag(l.price * l.quantity, cur),
        discountedTotalSet: moneyBag(l.price * l.quantity, cur),
        totalDiscountSet: moneyBag(0, cur),
        weight: null,
        fulfillmentService: null,
        variant: () => (l.variantId ? variantViewOrNull(ctx, l.variantId) : null),
        product: () =>
          l.productId && ctx.shop.products.get(l.productId)
            ? productView(ctx, ctx.shop.products.get(l.productId)!)
            : null,
      })),
  };
}

/** Any node of this shop by GID (Relay node/nodes), or null when unknown or another shop's. */
