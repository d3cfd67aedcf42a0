// One customers/data_request report as a JSON file for the merchant to hand to the customer.
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { dataRequestFile } from "../services/compliance.server";
import { translatorFor } from "../i18n/i18next.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Another shop's request is no different from one that does not exist.
  const file = await dataRequestFile(db, session.shop, params.id ?? "");
  // The screen shows this body where the download would have been: the catalogue's words.
  if (!file)
    throw new Response((await translatorFor(request))("hardening.dataRequests.notFound"), {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  return new Response(file.body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      // A customer's data: never kept by a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
};
