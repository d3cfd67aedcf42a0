// Receives app/uninstalled: erases the shop's sessions and data, so a later install starts clean.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { jobQueue } from "../process-queue.server";
import { receiveWebhook } from "../webhooks/receive.server";
import { eraseShop } from "../services/shops.server";
import { forgetInstalled } from "../webhooks/installed.server";
import { forgetGateway } from "../gateways.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await receiveWebhook(request);
  // Shopify may deliver this more than once, or after shop/redact: erasing twice is harmless.
  await eraseShop(db, shop, jobQueue());
  forgetInstalled(shop);
  forgetGateway(shop);
  return new Response(null, { status: 200 });
};
