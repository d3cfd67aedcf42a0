// What Shopify would refuse a cancel or a refund of one order for: a resource route the cancel
// dialogs read when they open (`?for=lines` adds what is left to refund), before anything is confirmed.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { gatewayForShop } from "../gateways.server";
import { cancelCheckOf } from "../fulfilment/cancel-check.server";
import { readRefundFacts } from "../fulfilment/cancel-lines.server";
import { fromMinorUnits } from "../routing";
import type { CancelCheckAnswer } from "../components/after-sales/useCancelCheck";
import { orderGid, orderNumberSchema } from "../services/order-detail.server";

// Answers are returned, never thrown: a thrown one would replace the order screen with its error page.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const headers = { "Cache-Control": "private, no-store" };
  const answer = (status: number, error: string) =>
    data<CancelCheckAnswer>({ facts: null, error }, { status, headers });
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success) return answer(404, t("order.notANumber"));
  const orderId = orderGid(number.data);
  const forLines = new URL(request.url).searchParams.get("for") === "lines";
  const gateway = await gatewayForShop(session.shop);
  try {
    const [facts, refund] = await Promise.all([
      cancelCheckOf(gateway, orderId),
      forLines ? readRefundFacts(gateway, orderId) : null,
    ]);
    if (!facts) return answer(404, t("order.noSuchOrder"));
    const left = refund
      ? {
          amount: fromMinorUnits(
            refund.payments.reduce((s, p) => s + p.refundable, 0),
            refund.currencyCode,
          ),
          currency: refund.currencyCode,
        }
      : null;
    return data<CancelCheckAnswer>({ facts, ...(forLines ? { left } : {}) }, { headers });
  } catch (error) {
    return answer(
      502,
      t("order.shopifyDidNotAnswer", {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }
};
