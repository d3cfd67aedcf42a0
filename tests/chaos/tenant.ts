// The tenant check: shop B, signed in with its own session token, asks every route that takes an
// id for shop A's ids (orders and every action on them: notes on the order and on a fulfillment
// order, commands, cancelling, a remake, fulfilling by hand; the order log's CSV and PDF, packing
// slips, the admin extensions' order and bulk blocks, bulk actions, rules, push addresses and
// deliveries, customer data request reports). Each must answer 404 and leave A's data as it was;
// anything else is a leak. Shopify Flow's actions, signed with the app's secret for B and naming
// A's order (live on A's Shopify), are accepted as Flow expects (200), and once B's worker has run
// them A's order is unchanged on Shopify and in the app, and B's log names no order of A's.
import { createHmac, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { Db } from "~/db/client.server";

export interface TenantOptions {
  appUrl: string;
  apiKey: string;
  secret: string;
  db: Db;
  /** [A, B]: A's ids are asked for as B. */
  shops: [string, string];
  /** A's order as A's Shopify (the simulator) has it now, to compare before and after. */
  shopifyOrder: (orderId: string) => Promise<unknown>;
  /** Flow action jobs not yet finished (waiting, retrying or running) in the app's queue. */
  flowJobsLeft: () => Promise<number>;
}

export interface TenantFigures {
  checked: number;
  leaks: number;
  findings: string[];
}

async function sessionToken(shop: string, apiKey: string, secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ dest: `https://${shop}`, sid: randomUUID() })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`https://${shop}/admin`)
    .setAudience(apiKey)
    .setSubject("1")
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 60)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(secret));
}

export async function runTenantCheck(options: TenantOptions): Promise<TenantFigures> {
  const { appUrl, apiKey, secret, db } = options;
  const [a, b] = options.shops;
  const decision = await db.decision.findFirstOrThrow({ where: { shop: a } });
  const orderNumber = decision.orderId.split("/").pop()!;
  const rule = await db.rule.findFirstOrThrow({ where: { shop: a } });
  const bulk = await db.bulkJob.create({
    data: { shop: a, action: "approve", total: 0, status: "finished" },
  });
  const findings: string[] = [];
  let checked = 0;

  const ask = async (
    method: "GET" | "POST",
    path: string,
    form?: Record<string, string>,
    json?: unknown,
  ) => {
    const token = await sessionToken(b, apiKey, secret);
    const res = await fetch(`${appUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        "User-Agent":
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
        ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
        ...(json ? { "Content-Type": "application/json" } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : json ? JSON.stringify(json) : undefined,
      redirect: "manual",
    });
    const text = await res.text();
    checked++;
    // Single fetch answers a loader's thrown 404 with the status in the HTTP answer.
    if (res.status !== 404) findings.push(`${method} ${path} → ${res.status}`);
    return text;
  };

  await ask("GET", `/app/orders/${orderNumber}.data`);
  await ask("GET", `/app/orders/${orderNumber}/packing-slip`);
  await ask("GET", `/app/orders/${orderNumber}/export.csv`);
  await ask("GET", `/app/orders/${orderNumber}/export.pdf`);
  await ask("GET", `/api/extensions/orders/${orderNumber}`);
  await ask("GET", `/api/extensions/bulk/${bulk.id}`);
  await ask("GET", `/app/bulk/${bulk.id}.data`);
  await ask("GET", `/app/rules/${rule.id}.data`);
  // The rule editor posts JSON.
  await ask("POST", `/app/rules/${rule.id}.data`, undefined, { intent: "delete" });
  await ask("POST", `/app/orders/${orderNumber}.data`, {
    intent: "note",
    body: "written by another shop",
  });
  // Every command the order screen sends, on A's order and one of its fulfillment orders.
  const record = await db.fulfillmentOrderRecord.findFirst({
    where: { shop: a, orderId: decision.orderId },
  });
  const fulfillmentOrderId = record?.fulfillmentOrderId ?? "gid://shopify/FulfillmentOrder/1";
  const decisionsBefore = await db.decision.count({ where: { shop: a, trigger: "merchant" } });
  const commands: Record<string, string>[] = [
    { action: "approve", fulfillmentOrderId },
    { action: "hold", fulfillmentOrderId, reason: "OTHER", note: "held by another shop" },
    { action: "release", fulfillmentOrderId },
    { action: "fulfil", fulfillmentOrderId, notifyCustomer: "false" },
    { action: "capture" },
    { action: "archive" },
  ];
  const asked = new Date();
  for (const command of commands)
    await ask("POST", `/app/orders/${orderNumber}.data`, { intent: "command", ...command });
  // The order screen's other actions, each on A's order.
  const actions: Record<string, string>[] = [
    { intent: "fulfillmentOrderNote", fulfillmentOrderId, body: "written by another shop" },
    { intent: "cancel", reason: "CUSTOMER", refund: "true", restock: "true" },
    { intent: "cancelLines", lineItemId: "gid://shopify/LineItem/1", quantity: "1" },
    { intent: "remake", reason: "Damaged" },
    { intent: "selfFulfill", fulfillmentOrderId },
  ];
  for (const action of actions) await ask("POST", `/app/orders/${orderNumber}.data`, action);
  await ask("POST", `/api/extensions/orders/${orderNumber}`, undefined, {
    action: "approve",
    fulfillmentOrderId,
  });
  // A's push address and one of its deliveries.
  const endpoint = await db.pushEndpoint.create({
    data: {
      shop: a,
      url: "https://erp.example.com/hooks",
      decisionsSeenUntil: new Date(),
      eventsSeenUntil: new Date(),
    },
  });
  const push = await db.pushDelivery.create({
    data: {
      shop: a,
      endpointId: endpoint.id,
      url: endpoint.url,
      event: "decision",
      eventKey: `decision:${decision.id}:tenant-check`,
      orderId: decision.orderId,
      body: "{}",
      status: "failed",
      attempts: 12,
    },
  });
  await ask("POST", `/app/push.data`, { intent: "remove", id: endpoint.id });
  await ask("POST", `/app/push.data`, { intent: "again", id: push.id });
  if (!(await db.pushEndpoint.findUnique({ where: { id: endpoint.id } })))
    findings.push("B removed A's push address");
  if ((await db.pushDelivery.findUnique({ where: { id: push.id } }))?.status !== "failed")
    findings.push("B sent A's push again");
  await db.pushDelivery.delete({ where: { id: push.id } }).catch(() => undefined);
  await db.pushEndpoint.delete({ where: { id: endpoint.id } }).catch(() => undefined);
  // A's customer data request report.
  const request = await db.dataRequest.create({
    data: { shop: a, customerId: "gid://shopify/Customer/1", ordersRequested: "[]", report: "{}" },
  });
  await ask("GET", `/app/data-requests/${request.id}.json`);
  await db.dataRequest.delete({ where: { id: request.id } });

  // Shopify Flow's actions, signed for B (Flow signs with the app's secret, whichever shop runs
  // the workflow) and naming A's order. Flow is answered 200: the endpoint cannot know the id is
  // not B's; the worker then runs each with B's Shopify access only, where A's order is no order.
  const shopifyBefore = JSON.stringify(await options.shopifyOrder(decision.orderId));
  const decisionsOfABefore = await db.decision.count({
    where: { shop: a, orderId: decision.orderId },
  });
  for (const handle of ["route-order-again", "release-app-hold"]) {
    const body = JSON.stringify({
      shop_id: 2,
      shopify_domain: b,
      action_run_id: randomUUID(),
      action_definition_id: handle,
      handle,
      properties: { order_id: orderNumber },
    });
    const res = await fetch(`${appUrl}/flow/actions/${handle}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body, "utf8").digest("base64"),
      },
      body,
    });
    await res.text();
    checked++;
    if (res.status !== 200) findings.push(`POST /flow/actions/${handle} as ${b} → ${res.status}`);
  }
  const deadline = Date.now() + 120_000;
  while ((await options.flowJobsLeft()) > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 250));
  if ((await options.flowJobsLeft()) > 0)
    findings.push("B's Flow actions were not finished within 2 minutes");
  if (JSON.stringify(await options.shopifyOrder(decision.orderId)) !== shopifyBefore)
    findings.push("B's Flow action changed A's order on A's Shopify");
  if (
    (await db.decision.count({ where: { shop: a, orderId: decision.orderId } })) !==
    decisionsOfABefore
  )
    findings.push("B's Flow action made a decision on A's order");
  if (await db.decision.count({ where: { shop: b, orderId: decision.orderId } }))
    findings.push("B's decision log names A's order after a Flow action");

  // Whatever the answers said, A's data must be untouched.
  if (!(await db.rule.findUnique({ where: { id: rule.id } })))
    findings.push("A's rule was deleted by B");
  if (await db.orderNote.count({ where: { body: "written by another shop" } }))
    findings.push("B wrote a note on A's order");
  if (await db.fulfillmentOrderNote.count({ where: { body: "written by another shop" } }))
    findings.push("B wrote a note on A's fulfillment order");
  if (await db.remake.count({ where: { shop: a, createdAt: { gte: asked } } }))
    findings.push("B remade A's order");
  // A command that got through leaves a merchant decision (and a Step) on A's order.
  if ((await db.decision.count({ where: { shop: a, trigger: "merchant" } })) !== decisionsBefore)
    findings.push("B's command made a decision on A's order");
  if (await db.approval.count({ where: { shop: a, createdAt: { gte: asked } } }))
    findings.push("B approved A's fulfillment order");
  await db.bulkJob.delete({ where: { id: bulk.id } });
  return { checked, leaks: findings.length, findings };
}
