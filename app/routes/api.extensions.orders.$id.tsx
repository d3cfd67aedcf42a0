// The order details block's backend: the order's routing summary, and approve / release / route
// again / repair. Admin extensions call it cross-origin with their session token as a Bearer
// token, so every answer (preflight included, which authenticate.admin answers) carries CORS headers;
// Shopify failing under a read or a click included, which would otherwise be a bare 500 the
// extension's fetch cannot read and words as "the app could not be reached".
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { gatewayForShop } from "../gateways.server";
import { jobQueue } from "../process-queue.server";
import { translatorFor } from "../i18n/i18next.server";
import { renderWords } from "../i18n/words";
import { orderNumberSchema } from "../services/order-detail.server";
import {
  loadOrderBlock,
  parseBlockCommand,
  runBlockCommand,
} from "../services/extension-api.server";
import { staffName } from "../services/staff.server";

type Translate = Awaited<ReturnType<typeof translatorFor>>;

/**
 * Shopify's failure as the block shows it: 502 (the app answered, Shopify did not) with the
 * catalogue's sentence, which says what to do. Shopify's own error goes to the log, not the block.
 */
function shopifyDidNotAnswer(t: Translate, error: unknown, key: "load" | "command"): Response {
  console.error(`admin extension order ${key}: Shopify did not answer:`, error);
  return Response.json(
    { error: t(key === "load" ? "extensions.shopifyDidNotAnswer" : "extensions.shopifyTimedOut") },
    { status: 502 },
  );
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success)
    return cors(Response.json({ error: t("extensions.notAnOrder") }, { status: 404 }));
  let block;
  try {
    const deps = { db, gateway: await gatewayForShop(session.shop), now: () => new Date(), t };
    block = await loadOrderBlock(deps, session.shop, number.data);
  } catch (error) {
    return cors(shopifyDidNotAnswer(t, error, "load"));
  }
  if (!block) return cors(Response.json({ error: t("extensions.noSuchOrder") }, { status: 404 }));
  return cors(Response.json(block));
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken, cors } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success)
    return cors(Response.json({ error: t("extensions.notAnOrder") }, { status: 404 }));
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return cors(Response.json({ error: t("extensions.notJson") }, { status: 400 }));
  }
  const command = parseBlockCommand(body);
  if (!command)
    return cors(
      Response.json({ errors: { action: t("extensions.chooseAction") } }, { status: 422 }),
    );
  const context = { shop: session.shop, actor: staffName(session, sessionToken) };
  let result;
  try {
    const deps = {
      db,
      gateway: await gatewayForShop(session.shop),
      t,
      queue: jobQueue(),
      now: () => new Date(),
    };
    result = await runBlockCommand(deps, context, number.data, command);
  } catch (error) {
    // Throttling that outlasted the retries, a timeout: the change may have been made.
    return cors(shopifyDidNotAnswer(t, error, "command"));
  }
  if (result.kind === "not_found")
    return cors(Response.json({ error: t("extensions.noSuchOrder") }, { status: 404 }));
  if (result.kind === "not_allowed")
    return cors(Response.json({ errors: { action: t("extensions.notAllowed") } }, { status: 422 }));
  const { ok, block, reportPath } = result;
  // What the click did, in the extension's language; Shopify's own words stay inside the sentence.
  const message = !ok
    ? t("extensions.command.notChanged", {
        detail: result.details.map((d) => renderWords(t, d)).join(" "),
      })
    : result.action === "repair"
      ? ""
      : t(`extensions.command.${result.action}`);
  return cors(Response.json({ ok, message, block, reportPath }));
};
