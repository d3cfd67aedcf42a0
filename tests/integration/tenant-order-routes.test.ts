// Tenant check for every route that takes an order, bulk action or push id, through the app's real
// authentication (a session token the simulator signs for its shop): another shop's order is no
// order on this shop's Shopify, so its order screen actions (notes on the order and on a
// fulfillment order, commands, cancelling, cancelling lines, a remake, fulfilling by hand), its
// log downloads (CSV, PDF), the amount a refund in full would give back, what Shopify would refuse
// a cancel for, and the admin extensions' order block answer 404, and so do another shop's bulk
// action and push address or delivery; nothing of the other shop changes. Shopify Flow's actions, signed for this shop and naming another shop's order (one on that shop's own
// Shopify too), are accepted as Flow expects and then change nothing of the other shop's.
import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { callRoute as call } from "../support/route-call";
import { startShopSimulator } from "../support/shop-simulator";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const orderRoute = await import("~/routes/app.orders.$id");
const csvRoute = await import("~/routes/app.orders.$id.export[.]csv");
const pdfRoute = await import("~/routes/app.orders.$id.export[.]pdf");
const slipRoute = await import("~/routes/app.orders.$id.packing-slip");
const fullRefundRoute = await import("~/routes/app.orders.$id.full-refund");
const cancelCheckRoute = await import("~/routes/app.orders.$id.cancel-check");
const pushRoute = await import("~/routes/app.push");
const extensionOrder = await import("~/routes/api.extensions.orders.$id");
const extensionBulk = await import("~/routes/api.extensions.bulk.$id");
const flowRouteAgain = await import("~/routes/flow.actions.route-order-again");
const flowRelease = await import("~/routes/flow.actions.release-app-hold");
const { jobQueue } = await import("~/process-queue.server");
const { handleFlowAction } = await import("~/fulfilment/worker.server");
const { FLOW_ACTION_QUEUE } = await import("~/fulfilment/flow-actions.server");

const OTHER = "other-tenant-orders.myshopify.com";
// An order of the other shop: the app holds its rows, this shop's Shopify has no such order.
const THEIR_ORDER = "gid://shopify/Order/987654321";
const THEIR_NUMBER = "987654321";
const THEIR_FO = "gid://shopify/FulfillmentOrder/987654322";
const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

afterAll(async () => {
  await sim.stop();
});

async function token(): Promise<string> {
  return (await sim.control<{ token: string }>("GET", `/_sim/session-token?shop=${sim.shop}`))
    .token;
}

/** A request signed in as the simulator's shop: a form post, a JSON post or a GET. */
async function signed(
  path: string,
  body?: { form: [string, string][] } | { json: unknown },
): Promise<Request> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${await token()}`,
    "User-Agent": BROWSER,
  };
  if (!body) return new Request(`${process.env.SHOPIFY_APP_URL}${path}`, { headers });
  if ("form" in body) headers["Content-Type"] = "application/x-www-form-urlencoded";
  else headers["Content-Type"] = "application/json";
  return new Request(`${process.env.SHOPIFY_APP_URL}${path}`, {
    method: "POST",
    headers,
    body: "form" in body ? new URLSearchParams(body.form).toString() : JSON.stringify(body.json),
  });
}

let theirBulk: string;
let theirEndpoint: string;
let theirPush: string;
beforeAll(async () => {
  await db.decision.create({
    data: {
      shop: OTHER,
      orderId: THEIR_ORDER,
      orderName: "#9876",
      trigger: "webhook",
      status: "applied",
      explanation: "[]",
      plan: "{}",
      appliedAt: new Date(),
    },
  });
  await db.fulfillmentOrderRecord.create({
    data: {
      shop: OTHER,
      fulfillmentOrderId: THEIR_FO,
      orderId: THEIR_ORDER,
      orderName: "#9876",
      status: "OPEN",
      outcome: "held",
      orderCreatedAt: new Date(),
    },
  });
  await db.orderNote.create({ data: { shop: OTHER, orderId: THEIR_ORDER, body: "theirs" } });
  theirBulk = (
    await db.bulkJob.create({
      data: { shop: OTHER, action: "approve", total: 0, status: "finished" },
    })
  ).id;
  const endpoint = await db.pushEndpoint.create({
    data: {
      shop: OTHER,
      url: "https://erp.other.example/hooks",
      decisionsSeenUntil: new Date(),
      eventsSeenUntil: new Date(),
    },
  });
  theirEndpoint = endpoint.id;
  theirPush = (
    await db.pushDelivery.create({
      data: {
        shop: OTHER,
        endpointId: endpoint.id,
        url: endpoint.url,
        event: "decision",
        eventKey: "decision:x:applied",
        orderId: THEIR_ORDER,
        body: "{}",
        status: "failed",
        attempts: 12,
      },
    })
  ).id;
});

/** Everything a leak would change or add. */
const snapshot = async () => ({
  decisions: await db.decision.findMany({ orderBy: { id: "asc" } }),
  notes: await db.orderNote.findMany({ orderBy: { id: "asc" } }),
  fulfillmentOrderNotes: await db.fulfillmentOrderNote.findMany({ orderBy: { id: "asc" } }),
  records: await db.fulfillmentOrderRecord.findMany({ orderBy: { id: "asc" } }),
  remakes: await db.remake.findMany({ orderBy: { id: "asc" } }),
  approvals: await db.approval.findMany({ orderBy: { id: "asc" } }),
  bulkJobs: await db.bulkJob.findMany({ orderBy: { id: "asc" } }),
  endpoints: await db.pushEndpoint.findMany({ orderBy: { id: "asc" } }),
  pushes: await db.pushDelivery.findMany({ orderBy: { id: "asc" } }),
  jobs: await db.job.findMany({ where: { shop: OTHER } }),
});

describe("another shop's order, bulk action and push ids", () => {
  it("are not found by the order screen's actions, and nothing changes", async () => {
    const path = `/app/orders/${THEIR_NUMBER}`;
    const before = await snapshot();
    const asks: [string, string][][] = [
      [
        ["intent", "fulfillmentOrderNote"],
        ["fulfillmentOrderId", THEIR_FO],
        ["body", "written by another shop"],
      ],
      [
        ["intent", "note"],
        ["body", "written by another shop"],
      ],
      [
        ["intent", "command"],
        ["action", "approve"],
        ["fulfillmentOrderId", THEIR_FO],
      ],
      [
        ["intent", "cancel"],
        ["reason", "CUSTOMER"],
        ["refund", "true"],
        ["restock", "true"],
      ],
      [
        ["intent", "cancelLines"],
        ["lineItemId", "gid://shopify/LineItem/1"],
        ["quantity", "1"],
      ],
      [
        ["intent", "remake"],
        ["reason", "Damaged"],
        ["line:gid://shopify/LineItem/1", "1"],
      ],
      [
        ["intent", "selfFulfill"],
        ["fulfillmentOrderId", THEIR_FO],
      ],
    ];
    for (const form of asks) {
      const response = await call(orderRoute.action, await signed(path, { form }), {
        id: THEIR_NUMBER,
      });
      expect(response.status, form[0]![1]).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("are not found by the downloads, the packing slip and the admin extensions' blocks", async () => {
    const before = await snapshot();
    const gets: [string, (args: ActionFunctionArgs) => Promise<unknown>, string, string][] = [
      ["log CSV", csvRoute.loader, `/app/orders/${THEIR_NUMBER}/export.csv`, THEIR_NUMBER],
      ["log PDF", pdfRoute.loader, `/app/orders/${THEIR_NUMBER}/export.pdf`, THEIR_NUMBER],
      ["packing slip", slipRoute.loader, `/app/orders/${THEIR_NUMBER}/packing-slip`, THEIR_NUMBER],
      [
        "full refund amount",
        fullRefundRoute.loader,
        `/app/orders/${THEIR_NUMBER}/full-refund?${encodeURIComponent("line:gid://shopify/LineItem/987654323")}=1`,
        THEIR_NUMBER,
      ],
      [
        "cancel check",
        cancelCheckRoute.loader,
        `/app/orders/${THEIR_NUMBER}/cancel-check`,
        THEIR_NUMBER,
      ],
      [
        "cancel items check",
        cancelCheckRoute.loader,
        `/app/orders/${THEIR_NUMBER}/cancel-check?for=lines`,
        THEIR_NUMBER,
      ],
      [
        "extension order",
        extensionOrder.loader,
        `/api/extensions/orders/${THEIR_NUMBER}`,
        THEIR_NUMBER,
      ],
      ["extension bulk", extensionBulk.loader, `/api/extensions/bulk/${theirBulk}`, theirBulk],
    ];
    for (const [name, loader, path, id] of gets) {
      const response = await call(loader, await signed(path), { id });
      expect(response.status, name).toBe(404);
      expect(await response.text(), name).not.toContain("#9876");
    }
    const command = await call(
      extensionOrder.action,
      await signed(`/api/extensions/orders/${THEIR_NUMBER}`, {
        json: { action: "approve", fulfillmentOrderId: THEIR_FO },
      }),
      { id: THEIR_NUMBER },
    );
    expect(command.status, "extension command").toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("are not found by the push screen's remove and send again, and nothing changes", async () => {
    const before = await snapshot();
    for (const form of [
      [
        ["intent", "remove"],
        ["id", theirEndpoint],
      ],
      [
        ["intent", "again"],
        ["id", theirPush],
      ],
    ] as [string, string][][]) {
      const response = await call(pushRoute.action, await signed("/app/push", { form }));
      expect(response.status, form[0]![1]).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("Shopify Flow's actions signed for this shop, naming another shop's order", () => {
  const LIVE_OTHER = "other-tenant-flow.myshopify.com";

  /** A Flow action request as Flow sends it: signed with the app's secret, for this shop. */
  function flowRequest(handle: string, orderNumber: string): Request {
    const body = JSON.stringify({
      shop_id: 1,
      shopify_domain: sim.shop,
      action_run_id: randomUUID(),
      action_definition_id: handle,
      handle,
      properties: { order_id: orderNumber },
    });
    return new Request(`${process.env.SHOPIFY_APP_URL}/flow/actions/${handle}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", process.env.SHOPIFY_API_SECRET ?? "")
          .update(body, "utf8")
          .digest("base64"),
      },
      body,
    });
  }

  it("route nothing and release nothing of the other shop's, on Shopify or in the app", async () => {
    // The other shop's order on its own Shopify, with a hold the app placed and the app's rows.
    await sim.control("POST", "/_sim/shops", { shop: LIVE_OTHER, plan: "advanced" });
    const { orderId: liveOrder } = await sim.control<{ orderId: string }>("POST", "/_sim/orders", {
      shop: LIVE_OTHER,
      order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid" },
    });
    await db.decision.create({
      data: {
        shop: LIVE_OTHER,
        orderId: liveOrder,
        orderName: "#live",
        trigger: "webhook",
        status: "applied",
        explanation: "[]",
        plan: "{}",
        appliedAt: new Date(),
      },
    });
    const liveBefore = await sim.orderState(liveOrder);
    const before = await snapshot();

    const asks = [
      [flowRouteAgain.action, "route-order-again", THEIR_NUMBER],
      [flowRelease.action, "release-app-hold", THEIR_NUMBER],
      [flowRouteAgain.action, "route-order-again", liveOrder.split("/").pop()!],
      [flowRelease.action, "release-app-hold", liveOrder.split("/").pop()!],
    ] as const;
    for (const [action, handle, number] of asks) {
      const response = await call(action, flowRequest(handle, number));
      // Flow is told the run was accepted (it cannot know the order is not this shop's)…
      expect(response.status, `${handle} ${number}`).toBe(200);
    }
    // …and the worker runs it with this shop's Shopify access only.
    const asked: string[] = [];
    const ran = await jobQueue().drain(FLOW_ACTION_QUEUE, (job) =>
      handleFlowAction(
        {
          db,
          queue: jobQueue(),
          gatewayFor: async (shop) => {
            asked.push(shop);
            return sim.gateway;
          },
          now: () => new Date(),
        },
        job,
      ),
    );
    expect(ran).toBe(asks.length);
    expect(new Set(asked)).toEqual(new Set([sim.shop]));
    // Nothing of the other shops changed, and this shop gained no decision about their orders.
    expect(await snapshot()).toEqual(before);
    expect(await sim.orderState(liveOrder)).toEqual(liveBefore);
    expect(
      await db.decision.count({
        where: { shop: sim.shop, orderId: { in: [THEIR_ORDER, liveOrder] } },
      }),
    ).toBe(0);
  });
});
