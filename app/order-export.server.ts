// The one loader behind the order log's two downloads (CSV and PDF): the routes differ only in format.
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "./db.server";
import { authenticate } from "./shopify.server";
import { translatorFor } from "./i18n/i18next.server";
import { gatewayForShop } from "./gateways.server";
import { orderNumberSchema } from "./services/order-detail.server";
import { orderExportResponse } from "./services/order-export.server";

/** The loader of `/app/orders/:id/export.<format>`: the signed-in shop's order, in its language. */
export const orderExportLoader =
  (format: "csv" | "pdf") =>
  async ({ request, params }: LoaderFunctionArgs): Promise<Response> => {
    const { session } = await authenticate.admin(request);
    const t = await translatorFor(request);
    const number = orderNumberSchema.safeParse(params.id);
    if (!number.success) return new Response(t("order.notANumber"), { status: 404 });
    const gateway = await gatewayForShop(session.shop);
    const input = { shop: session.shop, orderNumber: number.data, now: new Date(), t };
    return orderExportResponse({ db, gateway }, input, format);
  };
