// Admin GraphQL view of a customer.
import { gid } from "../../shop/ids.ts";
import type { Customer } from "../../shop/model.ts";
import { capturedAmount, refundedAmount } from "../../shop/orders.ts";
import { connection } from "../connection.ts";
import { type Args, type GqlContext, type View, byId, mailingAddress, moneyV2 } from "./common.ts";
import { orderView } from "./order.ts";

export function customerView(ctx: GqlContext, c: Customer): View {
  const orders = () => [...ctx.shop.orders.values()].filter((o) => o.customerId === c.id);
  return {
    __typename: "Customer",
    id: gid("Customer", c.id),
    legacyResourceId: String(c.id),
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || "",
    email: c.email,
    phone: c.phone,
    tags: c.tags,
    note: null,
    state: "DISABLED",
    verifiedEmail: true,
    taxExempt: false,
    taxExemptions: [],
    locale: "en",
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    canDelete: false,
    dataSaleOptOut: false,
    multipassIdentifier: null,
    lifetimeDuration: "less than a year",
    defaultAddress: mailingAddress(c.defaultAddress, c.id),
    defaultEmailAddress: c.email
      ? {
          __typename: "CustomerEmailAddress",
          emailAddress: c.email,
          marketingState: "NOT_SUBSCRIBED",
          marketingOptInLevel: null,
          marketingUpdatedAt: null,
          validFormat: true,
          openTrackingLevel: "UNKNOWN",
          openTrackingUrl: null,
          marketingUnsubscribeUrl: "",
          sourceLocation: null,
        }
      : null,
    numberOfOrders: () => String(orders().length),
    amountSpent: () =>
      moneyV2(
        orders().reduce((s, o) => s + capturedAmount(o) - refundedAmount(o), 0),
        ctx.shop.currency,
      ),
    lastOrder: () => {
      const list = orders();
      return list.length ? orderView(ctx, list[list.length - 1]!) : null;
    },
    orders: (args: Args) => connection(orders(), args, byId, (o) => orderView(ctx, o)),
    metafield: null,
  };
}
