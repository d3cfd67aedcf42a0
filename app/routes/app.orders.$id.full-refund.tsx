// What refunding the chosen items of one order in full gives back, tax included: a resource route
// the "Cancel items" dialog reads (`?line:<line item id>=n`) before the merchant confirms.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { gatewayForShop } from "../gateways.server";
import { previewFullRefund } from "../fulfilment/cancel-lines.server";
import { readLineQuantities } from "../fulfilment/line-quantities";
import { orderGid, orderNumberSchema } from "../services/order-detail.server";

// Answers are returned, never thrown: the dialog reads them with a fetcher, and a thrown one would
// replace the order screen with its error page. No amount (`preview: null`) says "cannot tell";
// `noSuggestedRefund` says Shopify worked out no refund for these items (the order exists), in
// words of its own: the refusal's "so nothing was canceled" would read oddly before confirming.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const t = await translatorFor(request);
  // It names what the customer paid: never cached by anything in between.
  const headers = { "Cache-Control": "private, no-store" };
  const answer = (status: number, error?: string) =>
    data({ preview: null, ...(error ? { error } : {}) }, { status, headers });
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success) return answer(404, t("order.notANumber"));
  const { lines, invalid } = readLineQuantities(new URL(request.url).searchParams);
  if (invalid) return answer(422, t("afterPayment.cancelLines.errors.lines"));
  // No items chosen yet: nothing to ask Shopify.
  if (lines.length === 0) return answer(200);
  const gateway = await gatewayForShop(session.shop);
  try {
    const preview = await previewFullRefund(gateway, orderGid(number.data), lines);
    // Another shop's order is no order on this shop's Shopify.
    if (!preview) return answer(404, t("order.noSuchOrder"));
    if (preview === "noSuggestedRefund")
      return data(
        {
          preview: null,
          noSuggestedRefund: true,
          error: t("afterPayment.cancelLines.fullAmountNoSuggestion"),
        },
        { headers },
      );
    return data({ preview }, { headers });
  } catch (error) {
    // Shopify failing (5xx, timeouts, refusals) is not our error: 502 with what Shopify said.
    return answer(
      502,
      t("order.shopifyDidNotAnswer", {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }
};
