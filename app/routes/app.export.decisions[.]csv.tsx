// The decision log as a CSV download for a date range, streamed as it is read from the database.
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { downloadResponse } from "../services/download.server";
import { renderFieldErrors, renderWords } from "../i18n/words";
import {
  decisionLogCsv,
  exportFilename,
  parseExportRange,
} from "../services/decision-export.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const parsed = parseExportRange({
    from: url.searchParams.get("from"),
    to: url.searchParams.get("to"),
  });
  // The page's fetch carries the merchant's locale: the header row and the mistakes are in
  // their language.
  const t = await translatorFor(request);
  if (!parsed.ok)
    return Response.json({ errors: renderFieldErrors(t, parsed.errors) }, { status: 422 });
  const csv = decisionLogCsv(db, session.shop, parsed.range, {
    columnName: (column) => t(`export.column.${column}`),
    say: (words) => renderWords(t, words),
  });
  return downloadResponse(csv, "csv", exportFilename(parsed.range));
};
