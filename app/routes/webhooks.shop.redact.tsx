// Receives shop/redact (48 hours after uninstall): erases everything we hold for the shop.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { jobQueue } from "../process-queue.server";
import { parsePayload, receiveWebhook } from "../webhooks/receive.server";
import { eraseShop } from "../services/shops.server";
import { shopRedactPayload } from "../services/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, shop, topic } = await receiveWebhook(request);
  parsePayload(shopRedactPayload, payload, topic);
  await eraseShop(db, shop, jobQueue());
  return new Response(null, { status: 200 });
};
