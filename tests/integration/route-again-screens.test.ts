// Route again from the app's own screens, through their routes with the app's real authentication
// (a session token the simulator signs): the order screen's command form routes the order again
// once and logs the merchant's Route again, asking first in the order block's words when a repair
// placed some of its work; the queue's bulk Route again is one job item per order, run by the
// worker, each reported and each logged as the merchant's Route again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { signedRequest } from "../support/route-call";
import { startShopSimulator } from "../support/shop-simulator";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const orderRoute = await import("~/routes/app.orders.$id");
const queueRoute = await import("~/routes/app.queue");
const { routeOrder } = await import("~/fulfilment/route-order.server");
const { ROUTE_AGAIN_CAUSE } = await import("~/fulfilment/placed-by-repair.server");
const { handleBulkItem } = await import("~/fulfilment/bulk.server");
const { QUEUES } = await import("~/fulfilment/queues");
const { jobQueue } = await import("~/process-queue.server");
const { englishTranslator } = await import("~/i18n/i18next.server");

afterAll(async () => {
  await sim.stop();
});

const request = (path: string, form?: Record<string, string> | [string, string][]) =>
  signedRequest(sim, path, form);

/** Runs a route as Remix does: a thrown Response is the answer, data() carries its status. */
async function call(
  handler: (args: ActionFunctionArgs) => Promise<unknown>,
  req: Request,
  params: Record<string, string> = {},
): Promise<{ status: number; body: unknown; response: Response | null }> {
  try {
    const result = await handler({ request: req, params, context: {} });
    if (result instanceof Response) return { status: result.status, body: null, response: result };
    const init = (result as { init?: { status?: number } } | null)?.init;
    const body = (result as { data?: unknown } | null)?.data ?? result;
    return { status: init?.status ?? 200, body, response: null };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: null, response: thrown };
    throw thrown;
  }
}

const numberOf = (gid: string) => gid.split("/").pop()!;

async function placeAndRoute(): Promise<{ orderId: string; number: string; name: string }> {
  const order = await sim.createOrder({
    lineItems: [
      { sku: "PRINT-MATTE-A4", quantity: 2 },
      { sku: "LAB-METALLIC-30x45", quantity: 1 },
    ],
    payment: "paid",
  });
  await routeOrder(
    { db, gateway: sim.gateway, now: () => new Date() },
    { shop: sim.shop, orderId: order.orderId, trigger: "webhook" },
  );
  return { orderId: order.orderId, number: numberOf(order.orderId), name: order.name };
}

const routedAgain = (orderId: string) =>
  db.decision.findMany({
    where: { shop: sim.shop, orderId, trigger: "merchant", cause: ROUTE_AGAIN_CAUSE },
  });

beforeAll(async () => {
  // Signed in once: token exchange creates the shop's session and settings.
  await call(orderRoute.action, await request("/app/orders/1", { intent: "none" }), { id: "1" });
});

describe("Route again on the order screen", () => {
  it("routes the order again once, as the merchant's Route again, from the command form", async () => {
    const order = await placeAndRoute();
    const before = await db.decision.count({ where: { shop: sim.shop, orderId: order.orderId } });

    const { status, body } = await call(
      orderRoute.action,
      await request(`/app/orders/${order.number}`, { intent: "command", action: "reroute" }),
      { id: order.number },
    );

    expect(status).toBe(200);
    expect(body).toMatchObject({ intent: "command", ok: true, message: expect.any(String) });
    expect(await db.decision.count({ where: { shop: sim.shop, orderId: order.orderId } })).toBe(
      before + 1,
    );
    const decisions = await routedAgain(order.orderId);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ trigger: "merchant", cause: "route_again" });
  });

  it("asks first, in the order block's words, only when a repair placed some of the order's work", async () => {
    const order = await placeAndRoute();
    const loaded = async () =>
      (
        await call(orderRoute.loader, await request(`/app/orders/${order.number}`), {
          id: order.number,
        })
      ).body as { rerouteConfirm: string | null; detail: { orderActions: { reroute: boolean } } };
    expect(await loaded()).toMatchObject({
      rerouteConfirm: null,
      detail: { orderActions: { reroute: true } },
    });

    // A repair from Stuck and drift moved the lab's item to the Studio.
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { shop: sim.shop, orderId: order.orderId },
    });
    await db.finding.create({
      data: {
        shop: sim.shop,
        key: `stuck:${record.fulfillmentOrderId}`,
        category: "stuck",
        kind: "request_unanswered",
        orderId: order.orderId,
        orderName: order.name,
        fulfillmentOrderId: record.fulfillmentOrderId,
        since: new Date(Date.now() - 3_600_000),
        summary: "{}",
        evidence: "{}",
        status: "repaired",
        detectedAt: new Date(Date.now() - 60_000),
        repairState: JSON.stringify({
          to: { locationId: "gid://shopify/Location/1", name: "Studio" },
          lineItemIds: ["gid://shopify/LineItem/1"],
        }),
      },
    });
    const t = await englishTranslator();
    expect((await loaded()).rerouteConfirm).toBe(
      t("extensions.rerouteUndoesRepair", { locations: "“Studio”" }),
    );

    // Once routed again, the repair no longer holds the work: nothing left to ask.
    await call(
      orderRoute.action,
      await request(`/app/orders/${order.number}`, { intent: "command", action: "reroute" }),
      { id: order.number },
    );
    expect((await loaded()).rerouteConfirm).toBeNull();
  });
});

describe("Route again in the queue's bulk actions", () => {
  it("starts one item per order, which the worker routes again and reports", async () => {
    const first = await placeAndRoute();
    const second = await placeAndRoute();
    // The queue's rows are fulfillment orders: both of the first order's, one of the second's.
    const rows = await db.fulfillmentOrderRecord.findMany({
      where: { shop: sim.shop, orderId: { in: [first.orderId, second.orderId] } },
      orderBy: { id: "asc" },
    });
    const ofFirst = rows.filter((r) => r.orderId === first.orderId);
    expect(ofFirst.length).toBeGreaterThan(1);
    const picked = [...ofFirst, rows.find((r) => r.orderId === second.orderId)!];

    const { status, response } = await call(
      queueRoute.action,
      await request("/app/queue", [
        ["intent", "bulk"],
        ["action", "reroute"],
        ...picked.map((r): [string, string] => ["ids", r.id]),
      ]),
    );
    expect(status).toBe(302);
    const bulkJobId = response!.headers.get("Location")!.split("/").pop()!.split("?")[0]!;
    const items = await db.bulkJobItem.findMany({ where: { bulkJobId } });
    expect(items.map((i) => i.targetId).sort()).toEqual([first.orderId, second.orderId].sort());

    await jobQueue().drain(QUEUES.bulkItem, (job) =>
      handleBulkItem(
        {
          db,
          queue: jobQueue(),
          gatewayFor: async () => sim.gateway,
          now: () => new Date(),
        },
        job,
      ),
    );

    expect(await db.bulkJob.findUniqueOrThrow({ where: { id: bulkJobId } })).toMatchObject({
      action: "reroute",
      total: 2,
      succeeded: 2,
      failed: 0,
      status: "finished",
    });
    expect((await db.bulkJobItem.findMany({ where: { bulkJobId } })).map((i) => i.status)).toEqual([
      "succeeded",
      "succeeded",
    ]);
    expect(await routedAgain(first.orderId)).toHaveLength(1);
    expect(await routedAgain(second.orderId)).toHaveLength(1);
  });
});
