// Receives app/scopes_update: keeps the stored sessions' scopes in line with what was granted.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import db from "../db.server";
import { parsePayload, receiveWebhook } from "../webhooks/receive.server";

const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, shop, topic } = await receiveWebhook(request);
  const { current } = parsePayload(scopesUpdatePayload, payload, topic);
  await db.session.updateMany({ where: { shop }, data: { scope: current.join(",") } });
  return new Response(null, { status: 200 });
};
