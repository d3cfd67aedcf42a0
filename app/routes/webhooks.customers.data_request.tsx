// Receives customers/data_request: compiles what we hold about the customer for the merchant.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { parsePayload, receiveWebhook } from "../webhooks/receive.server";
import { dataRequestPayload, recordDataRequest } from "../services/compliance.server";
import { englishTranslator } from "../i18n/i18next.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, shop, topic } = await receiveWebhook(request);
  // The report is handed to the customer in the catalogue's English: a webhook has no admin locale.
  await recordDataRequest(
    db,
    shop,
    parsePayload(dataRequestPayload, payload, topic),
    await englishTranslator(),
  );
  return new Response(null, { status: 200 });
};
