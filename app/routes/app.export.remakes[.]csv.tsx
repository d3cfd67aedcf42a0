// Remake reasons per month as a CSV download for the export screen's date range.
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { downloadResponse } from "../services/download.server";
import { renderFieldErrors } from "../i18n/words";
import {
  parseExportRange,
  remakeReasonsCsv,
  remakeReasonsFilename,
} from "../services/decision-export.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const parsed = parseExportRange({
    from: url.searchParams.get("from"),
    to: url.searchParams.get("to"),
  });
  const t = await translatorFor(request);
  if (!parsed.ok)
    return Response.json({ errors: renderFieldErrors(t, parsed.errors) }, { status: 422 });
  const csv = await remakeReasonsCsv(db, session.shop, parsed.range, {
    columnName: (column) => t(`afterSales.remake.export.${column}`),
  });
  return downloadResponse(csv, "csv", remakeReasonsFilename(parsed.range));
};
