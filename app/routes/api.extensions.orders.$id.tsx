// The order details block's backend: the order's routing summary, and approve / release / route
// again. Admin extensions call it cross-origin with their session token as a Bearer token, so
// every answer (preflight included, which authenticate.admin answers) carries CORS headers.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { gatewayForShop } from "../gateways.server";
import { runCommand, type CommandResult } from "../fulfilment/commands.server";
import { loadOrderDetail, orderGid, orderNumberSchema } from "../services/order-detail.server";
import { orderBlock, parseBlockCommand } from "../services/extension-api.server";
import { staffName } from "../services/queue.server";

async function load(shop: string, orderNumber: string) {
  const gateway = await gatewayForShop(shop);
  const detail = await loadOrderDetail({ db, gateway }, { shop, orderNumber, now: new Date() });
  return { gateway, detail };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success)
    return cors(Response.json({ error: "Not an order number" }, { status: 404 }));
  const { detail } = await load(session.shop, number.data);
  if (!detail)
    return cors(
      Response.json({ error: "Shopify has no such order for this shop." }, { status: 404 }),
    );
  return cors(Response.json(orderBlock(detail)));
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken, cors } = await authenticate.admin(request);
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success)
    return cors(Response.json({ error: "Not an order number" }, { status: 404 }));
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return cors(Response.json({ error: "The body is not JSON." }, { status: 400 }));
  }
  const command = parseBlockCommand(body);
  if (!command.ok) return cors(Response.json({ errors: command.errors }, { status: 422 }));

  const { gateway, detail } = await load(session.shop, number.data);
  if (!detail)
    return cors(
      Response.json({ error: "Shopify has no such order for this shop." }, { status: 404 }),
    );
  // Only what the order's state allows now: a stale block cannot approve what is already gone.
  const allowed = orderBlock(detail).actions.find((a) => a.action === command.value.action);
  if (!allowed) {
    const errors = { action: "The order's state does not allow that now. Reload the block." };
    return cors(Response.json({ errors }, { status: 422 }));
  }
  const deps = { db, gateway, now: () => new Date() };
  const context = { shop: session.shop, actor: staffName(session, sessionToken) };
  const orderId = orderGid(number.data);
  const results: CommandResult[] = [];
  if (command.value.action === "reroute") {
    results.push(await runCommand(deps, context, { action: "reroute", orderId }));
  } else {
    for (const fulfillmentOrderId of allowed.fulfillmentOrderIds)
      results.push(
        await runCommand(deps, context, { action: command.value.action, fulfillmentOrderId }),
      );
  }
  const after = await load(session.shop, number.data);
  return cors(
    Response.json({
      ok: results.every((r) => r.ok),
      message: results.map((r) => r.message).join(" "),
      block: after.detail ? orderBlock(after.detail) : null,
    }),
  );
};
