// Receives customers/redact: erases what we hold about the customer's orders.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { parsePayload, receiveWebhook } from "../webhooks/receive.server";
import { customerRedactPayload, redactCustomer } from "../services/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, shop, topic } = await receiveWebhook(request);
  await redactCustomer(db, shop, parsePayload(customerRedactPayload, payload, topic));
  return new Response(null, { status: 200 });
};
