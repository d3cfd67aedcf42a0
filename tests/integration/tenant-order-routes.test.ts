// Tenant check for every route that takes an order, bulk action or push id, through the app's real
// authentication (a session token the simulator signs for its shop): another shop's order is no
// order on this shop's Shopify, so its order screen actions (notes on the order and on a
// fulfillment order, commands, cancelling, cancelling lines, a remake, fulfilling by hand), its
// log downloads (CSV, PDF) and the admin extensions' order block answer 404, and so do another
// shop's bulk action and push address or delivery; nothing of the other shop changes.
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
const pushRoute = await import("~/routes/app.push");
const extensionOrder = await import("~/routes/api.extensions.orders.$id");
const extensionBulk = await import("~/routes/api.extensions.bulk.$id");

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
