// The order index action's backend: one bulk job for the selected orders (approve, hold with a
// reason, release, route again), answered with the job's id and its report page. CORS as the
// order block's route: admin extensions call it with a Bearer session token.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { jobQueue } from "../process-queue.server";
import { translatorFor } from "../i18n/i18next.server";
import {
  bulkRefusalValues,
  parseIndexBulkRequest,
  startIndexBulkJob,
  type BulkRefusal,
} from "../services/extension-api.server";
import { staffName } from "../services/staff.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors } = await authenticate.admin(request);
  const t = await translatorFor(request);
  return cors(Response.json({ error: t("extensions.bulk.usePost") }, { status: 405 }));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken, cors } = await authenticate.admin(request);
  // The extension says which language it speaks (`locale`); its refusals are shown as they are.
  const t = await translatorFor(request);
  const refused = (errors: Record<string, BulkRefusal>) =>
    cors(
      Response.json(
        {
          errors: Object.fromEntries(
            Object.entries(errors).map(([field, refusal]) => [
              field,
              t(`extensions.bulk.${refusal}`, bulkRefusalValues(refusal)),
            ]),
          ),
        },
        { status: 422 },
      ),
    );
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return cors(Response.json({ error: t("extensions.notJson") }, { status: 400 }));
  }
  const parsed = parseIndexBulkRequest(body);
  if (!parsed.ok) return refused(parsed.errors);
  const started = await startIndexBulkJob(db, jobQueue(), {
    shop: session.shop,
    request: parsed.value,
    createdBy: staffName(session, sessionToken),
  });
  if (!started.ok) return refused(started.errors);
  return cors(
    Response.json({ id: started.id, reportPath: `/app/bulk/${started.id}` }, { status: 201 }),
  );
};
