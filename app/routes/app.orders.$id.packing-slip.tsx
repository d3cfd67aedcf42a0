// The packing slip and pick list PDF of one order: a resource route, fetched by the order detail.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { gatewayForShop } from "../gateways.server";
import { loadPackingSlip } from "../services/packing-slip.server";
import { orderGid, orderNumberSchema } from "../services/order-detail.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // The order screen shows a failed download's body to the merchant: the catalogue's words.
  const t = await translatorFor(request);
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success) return new Response(t("order.notANumber"), { status: 404 });
  const gateway = await gatewayForShop(session.shop);
  // Shopify failing (5xx, timeouts, refusals) is not our error: 502 with what Shopify said.
  const result = await loadPackingSlip(gateway, orderGid(number.data)).catch((error) => {
    throw new Response(
      t("order.shopifyDidNotAnswer", {
        error: error instanceof Error ? error.message : String(error),
      }),
      { status: 502 },
    );
  });
  if (!result) return new Response(t("order.noSuchOrder"), { status: 404 });
  const filename = `packing-slip-${result.slip.orderName.replace(/[^\w-]+/g, "")}.pdf`;
  return new Response(Buffer.from(result.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${filename}"`,
      // It holds the customer's name and what they bought: never cached by anything in between.
      "Cache-Control": "private, no-store",
    },
  });
};
