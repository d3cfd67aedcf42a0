// Receives customers/data_request: compiles what we hold about the customer for the merchant.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { parsePayload, receiveWebhook } from "../webhooks/receive.server";
import { dataRequestPayload, recordDataRequest } from "../services/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, shop, topic } = await receiveWebhook(request);
  await recordDataRequest(db, shop, parsePayload(dataRequestPayload, payload, topic));
  return new Response(null, { status: 200 });
};
