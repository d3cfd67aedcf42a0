// Admin GraphQL node lookup: any object of the shop by its GID.
import { parseGid } from "../../shop/ids.ts";
import type { Order } from "../../shop/model.ts";
import { inventoryItemView, productView, variantByInventoryItem, variantView } from "./catalog.ts";
import type { GqlContext, View } from "./common.ts";
import { customerView } from "./customer.ts";
import { draftOrderView } from "./draft-order.ts";
import {
  foLineView,
  fulfillmentOrderView,
  fulfillmentView,
  holdView,
  merchantRequestView,
} from "./fulfillment.ts";
import { lineItemView, orderView, transactionView } from "./order.ts";
import { appView, locationView, shopView } from "./shop.ts";

export function nodeView(ctx: GqlContext, id: string): View | null {
  const p = parseGid(id);
  if (!p) return null;
  const shop = ctx.shop;
  const inOrders = <T>(
    pick: (o: Order) => T | undefined,
  ): { order: Order; item: T } | undefined => {
    for (const o of shop.orders.values()) {
      const item = pick(o);
      if (item !== undefined) return { order: o, item };
    }
    return undefined;
  };
  switch (p.type) {
    case "Order": {
      const o = shop.orders.get(p.id);
      return o ? orderView(ctx, o) : null;
    }
    case "OrderCancelJobResult": {
      // The result of orderCancel's job, readable by id once the job has run (or while it waits).
      const job = ctx.state.jobs.get(Number(p.id));
      if (!job || job.shop !== shop.domain) return null;
      const o = shop.orders.get(job.orderId);
      return {
        __typename: "OrderCancelJobResult",
        id,
        done: job.done,
        status: job.status,
        errors: job.errors,
        order: o ? orderView(ctx, o) : null,
      } as unknown as View;
    }
    case "LineItem": {
      const f = inOrders((o) => o.lineItems.find((l) => l.id === p.id));
      return f ? lineItemView(ctx, f.order, f.item) : null;
    }
    case "OrderTransaction": {
      const f = inOrders((o) => o.transactions.find((t) => t.id === p.id));
      return f ? transactionView(ctx, f.order, f.item) : null;
    }
    case "FulfillmentOrder": {
      const fo = shop.fulfillmentOrders.get(p.id);
      return fo ? fulfillmentOrderView(ctx, fo) : null;
    }
    case "FulfillmentOrderLineItem": {
      for (const fo of shop.fulfillmentOrders.values()) {
        const l = fo.lineItems.find((x) => x.id === p.id);
        if (l) return foLineView(ctx, fo, l);
      }
      return null;
    }
    case "FulfillmentHold": {
      for (const fo of shop.fulfillmentOrders.values()) {
        const h = fo.holds.find((x) => x.id === p.id);
        if (h) return holdView(ctx, h);
      }
      return null;
    }
    case "FulfillmentOrderMerchantRequest": {
      for (const fo of shop.fulfillmentOrders.values()) {
        const r = fo.merchantRequests.find((x) => x.id === p.id);
        if (r) return merchantRequestView(ctx, fo, r);
      }
      return null;
    }
    case "Fulfillment": {
      const f = shop.fulfillments.get(p.id);
      return f ? fulfillmentView(ctx, f) : null;
    }
    case "Location": {
      const l = shop.locations.get(p.id);
      return l ? locationView(ctx, l) : null;
    }
    case "Product": {
      const pr = shop.products.get(p.id);
      return pr ? productView(ctx, pr) : null;
    }
    case "ProductVariant": {
      const v = shop.variants.get(p.id);
      return v ? variantView(ctx, v) : null;
    }
    case "InventoryItem":
      return variantByInventoryItem(shop, p.id) ? inventoryItemView(ctx, p.id) : null;
    case "Customer": {
      const c = shop.customers.get(p.id);
      return c ? customerView(ctx, c) : null;
    }
    case "DraftOrder": {
      const d = shop.draftOrders.get(p.id);
      return d ? draftOrderView(ctx, d) : null;
    }
    case "Shop":
      return p.id === shop.id ? shopView(ctx) : null;
    case "App": {
      const a = [...ctx.state.apps.values()].find((x) => x.id === p.id);
      return a ? appView(a) : null;
    }
    default:
      return null;
  }
}
