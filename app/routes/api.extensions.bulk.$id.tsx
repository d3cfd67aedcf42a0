// A bulk job's progress for the order index action, polled with the action's session token.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { bulkProgress } from "../services/extension-api.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const progress = await bulkProgress(db, session.shop, params.id ?? "");
  if (!progress) {
    const t = await translatorFor(request);
    return cors(Response.json({ error: t("extensions.bulk.noSuchJob") }, { status: 404 }));
  }
  return cors(Response.json(progress));
};

// A preflight (OPTIONS) reaches the action; authenticate.admin answers it with CORS headers.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await authenticate.admin(request);
  const t = await translatorFor(request);
  return cors(Response.json({ error: t("extensions.bulk.useGet") }, { status: 405 }));
};
