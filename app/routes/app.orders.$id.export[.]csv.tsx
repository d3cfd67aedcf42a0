// The order's timeline, notes and decisions as a CSV download: a resource route, fetched by the order screen.
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { gatewayForShop } from "../gateways.server";
import { orderNumberSchema } from "../services/order-detail.server";
import { orderExportResponse } from "../services/order-export.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success) return new Response(t("order.notANumber"), { status: 404 });
  const gateway = await gatewayForShop(session.shop);
  const input = { shop: session.shop, orderNumber: number.data, now: new Date(), t };
  return orderExportResponse({ db, gateway }, input, "csv");
};
