// A bulk job's progress for the order index action, polled with the action's session token.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { bulkProgress } from "../services/extension-api.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const progress = await bulkProgress(db, session.shop, params.id ?? "");
  if (!progress) return cors(Response.json({ error: "No such bulk action" }, { status: 404 }));
  return cors(Response.json(progress));
};

// A preflight (OPTIONS) reaches the action; authenticate.admin answers it with CORS headers.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await authenticate.admin(request);
  return cors(Response.json({ error: "Read progress with GET." }, { status: 405 }));
};
