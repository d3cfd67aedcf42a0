// The order index action's backend: one bulk job for the selected orders (approve, hold with a
// reason, release, route again), answered with the job's id and its report page. CORS as the
// order block's route: admin extensions call it with a Bearer session token.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { jobQueue } from "../process-queue.server";
import { parseIndexBulkRequest, startIndexBulkJob } from "../services/extension-api.server";
import { staffName } from "../services/queue.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors } = await authenticate.admin(request);
  return cors(Response.json({ error: "Start a bulk job with POST." }, { status: 405 }));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken, cors } = await authenticate.admin(request);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return cors(Response.json({ error: "The body is not JSON." }, { status: 400 }));
  }
  const parsed = parseIndexBulkRequest(body);
  if (!parsed.ok) return cors(Response.json({ errors: parsed.errors }, { status: 422 }));
  const started = await startIndexBulkJob(db, jobQueue(), {
    shop: session.shop,
    request: parsed.value,
    createdBy: staffName(session, sessionToken),
  });
  if (!started.ok) return cors(Response.json({ errors: started.errors }, { status: 422 }));
  return cors(
    Response.json({ id: started.id, reportPath: `/app/bulk/${started.id}` }, { status: 201 }),
  );
};
