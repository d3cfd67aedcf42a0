// The order details block's backend: the order's routing summary, and approve / release / route
// again / repair. Admin extensions call it cross-origin with their session token as a Bearer
// token, so every answer (preflight included, which authenticate.admin answers) carries CORS headers.
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

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success)
    return cors(Response.json({ error: t("extensions.notAnOrder") }, { status: 404 }));
  const deps = { db, gateway: await gatewayForShop(session.shop), now: () => new Date(), t };
  const block = await loadOrderBlock(deps, session.shop, number.data);
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
  const deps = {
    db,
    gateway: await gatewayForShop(session.shop),
    t,
    queue: jobQueue(),
    now: () => new Date(),
  };
  const context = { shop: session.shop, actor: staffName(session, sessionToken) };
  const result = await runBlockCommand(deps, context, number.data, command);
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
