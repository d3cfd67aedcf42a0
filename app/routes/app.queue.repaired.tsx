// Which of the queue's selected orders a repair placed: a resource route the bulk Route again
// confirmation reads when it opens, to name the orders whose repair Route again may undo.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { localeOf, translatorFor } from "../i18n/i18next.server";
import { parseBulkRequest, repairedAmong, repairedNote } from "../services/bulk-targets.server";

/** The confirmation's sentence naming the repaired orders, or null when none was repaired. */
export interface RepairedAnswer {
  note: string | null;
}

/** The selection as the bulk action sends it: the rows' ids, or every row the view matches. */
const SELECTION_PARAMS = ["ids", "allMatching", "query"];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const form = new FormData();
  form.set("action", "reroute");
  for (const [name, value] of url.searchParams)
    if (SELECTION_PARAMS.includes(name)) form.append(name, value);
  const headers = { "Cache-Control": "private, no-store" };
  const parsed = parseBulkRequest(form);
  // A selection the bulk action would refuse says so when confirmed: nothing to name here.
  if (!parsed.ok) return data<RepairedAnswer>({ note: null }, { headers });
  const names = await repairedAmong(db, session.shop, parsed.value, new Date());
  const note = repairedNote(await translatorFor(request), await localeOf(request), names);
  return data<RepairedAnswer>({ note }, { headers });
};
