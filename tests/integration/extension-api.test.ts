// The backend the admin extensions call, through the app's real authentication: session tokens
// minted by the simulator (as Shopify admin mints them for an extension) sent as Bearer tokens,
// token exchange against the simulator, CORS on every answer and on the preflight; the order
// block's summary and actions, and the order index action's bulk job with its progress.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ruleToStored, type Rule } from "~/routing";
import { emptyTables, inEnglish } from "../support/integration";
import { startShopSimulator } from "../support/shop-simulator";
import { stuckAtPartnerLab } from "../support/stuck-request";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";
const { default: db } = await import("~/db.server");
const { jobQueue } = await import("~/process-queue.server");
const { handleBulkItem } = await import("~/fulfilment/bulk.server");
const { QUEUES } = await import("~/fulfilment/queues");
const { routeOrder } = await import("~/fulfilment/route-order.server");
const { gatewayForShop } = await import("~/gateways.server");
const orderRoute = await import("~/routes/api.extensions.orders.$id");
const bulkRoute = await import("~/routes/api.extensions.bulk._index");
const progressRoute = await import("~/routes/api.extensions.bulk.$id");
const { INDEX_ACTIONS } = await import("~/services/extension-api.server");
const { bulkJobWord } = await import("~/i18n/words");
const { translatorOf } = await import("~/i18n/i18next.server");
const { BULK_ACTIONS } = await import("~/routing/vocabulary");

const ADMIN_ORIGIN = "https://admin.shopify.com";

afterAll(async () => {
  await sim.stop();
});
beforeEach(async () => {
  await sim.reset();
  await emptyTables(db);
  await db.shop.create({
    data: { shop: sim.shop, defaultMode: "manual", digitalDownloads: "automatic" },
  });
});

/** A session token as admin mints it for the shop's staff member `user` (the owner when none). */
async function sessionToken(shop = sim.shop, user?: string): Promise<string> {
  const path = `/_sim/session-token?shop=${shop}${user ? `&user=${user}` : ""}`;
  return (await sim.control<{ token: string }>("GET", path)).token;
}

/** A request as an admin extension sends it: cross-origin, Bearer session token, JSON. */
async function extensionRequest(
  path: string,
  init: { method?: string; body?: unknown; shop?: string; user?: string } = {},
) {
  return new Request(`${process.env.SHOPIFY_APP_URL}${path}`, {
    method: init.method ?? "GET",
    headers: {
      Origin: ADMIN_ORIGIN,
      Authorization: `Bearer ${await sessionToken(init.shop, init.user)}`,
      "Content-Type": "application/json",
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36",
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** Runs a route as Remix does: a thrown Response is the answer. */
async function call(
  handler: (args: LoaderFunctionArgs) => Promise<Response>,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    return await handler({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function reviewRule() {
  const rule: Rule = {
    id: "rule-review",
    name: "Review lab prints",
    enabled: true,
    position: 0,
    match: "all",
    lines: "any",
    keepChecking: false,
    conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
    actions: [{ type: "hold_for_review", note: "Check the crop" }],
  };
  await db.rule.create({ data: { ...ruleToStored(rule), shop: sim.shop } });
}

async function heldOrder() {
  await reviewRule();
  const order = await sim.createOrder({
    lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
    payment: "paid",
  });
  // The first authenticated request installs the shop's offline session (token exchange).
  await call(orderRoute.loader, await extensionRequest(`/api/extensions/orders/0`), { id: "0" });
  const gateway = await gatewayForShop(sim.shop);
  await routeOrder(
    { db, gateway, now: () => new Date() },
    { shop: sim.shop, orderId: order.orderId, trigger: "webhook" },
  );
  return { ...order, number: order.orderId.split("/").pop()! };
}

describe("authentication of extension requests", () => {
  it("answers the preflight with CORS headers and no token", async () => {
    const preflight = new Request(`${process.env.SHOPIFY_APP_URL}/api/extensions/orders/1`, {
      method: "OPTIONS",
      headers: {
        Origin: ADMIN_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    const res = await call(orderRoute.action, preflight, { id: "1" });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
  });

  it("refuses a request whose Bearer token is not a session token (401, with CORS headers)", async () => {
    const bare = new Request(`${process.env.SHOPIFY_APP_URL}/api/extensions/orders/1`, {
      headers: { Origin: ADMIN_ORIGIN, Authorization: "Bearer not-a-token" },
    });
    const res = await call(orderRoute.loader, bare, { id: "1" });
    expect(res.status).toBe(401);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});

describe("the order details block's backend", () => {
  it("summarises the routing decision, the app's hold with its reason, and what can be done next", async () => {
    const { number } = await heldOrder();
    const res = await call(
      orderRoute.loader,
      await extensionRequest(`/api/extensions/orders/${number}`),
      { id: number },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const block = (await res.json()) as Record<string, unknown>;
    expect(block.decision).toMatchObject({ trigger: "webhook", status: expect.any(String) });
    expect(block.holds).toEqual([
      expect.objectContaining({ ours: true, notes: expect.stringContaining("Check the crop") }),
    ]);
    expect((block.actions as { action: string }[]).map((a) => a.action)).toEqual([
      "approve",
      "release",
      "reroute",
    ]);
    expect(block.appPath).toBe(`/app/orders/${number}`);
    // Admin opens the block on every order it shows: the queue's "Recently viewed" lists only the
    // orders the merchant opened in the app.
    expect(await db.recentlyViewedOrder.count({ where: { shop: sim.shop } })).toBe(0);
  });

  it("releases the app's hold from the block, through the executor, and answers the new state", async () => {
    const { number, orderId } = await heldOrder();
    const res = await call(
      orderRoute.action,
      await extensionRequest(`/api/extensions/orders/${number}`, {
        method: "POST",
        body: { action: "release" },
      }),
      { id: number },
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { ok: boolean; block: { holds: unknown[] } };
    expect(answer.ok).toBe(true);
    expect(answer.block.holds).toEqual([]);
    expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.holds).toEqual([]);
  });

  it("names the staff member who approved from the block, while Shopify is called with the shop's offline token", async () => {
    const { orderId, number } = await heldOrder();
    // Staff member 7 opens the block: token exchange stores their online session beside the shop's
    // offline one, with the associated user Shopify's answer names.
    const block = (path: string, init: { method?: string; body?: unknown } = {}) =>
      extensionRequest(path, { ...init, user: "7" });
    expect(
      (
        await call(orderRoute.loader, await block(`/api/extensions/orders/${number}`), {
          id: number,
        })
      ).status,
    ).toBe(200);
    const online = await db.session.findUniqueOrThrow({ where: { id: `${sim.shop}_7` } });
    expect(online).toMatchObject({
      shop: sim.shop,
      isOnline: true,
      userId: 7n,
      firstName: "Staff",
      lastName: "Member 7",
      email: `staff-7@${sim.shop}`,
    });
    // An online token lasts the staff member's admin session, at most a day.
    expect(online.expires!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(online.expires!.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
    expect(await db.session.count({ where: { shop: sim.shop, isOnline: false } })).toBe(1);

    // Were the staff member's token used for Shopify, Shopify would refuse this one.
    await db.session.update({
      where: { id: online.id },
      data: { accessToken: "shpua_not_a_token_shopify_issued" },
    });
    const res = await call(
      orderRoute.action,
      await block(`/api/extensions/orders/${number}`, {
        method: "POST",
        body: { action: "approve" },
      }),
      { id: number },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.holds).toEqual([]);
    // The approval and the decision log name them, not `staff 7`.
    expect(
      (await db.approval.findFirstOrThrow({ where: { shop: sim.shop, orderId } })).approvedBy,
    ).toBe("Staff Member 7");
  });

  it("answers 422 for an action the state does not allow, and changes nothing", async () => {
    const { orderId, number } = await heldOrder();
    await call(
      orderRoute.action,
      await extensionRequest(`/api/extensions/orders/${number}`, {
        method: "POST",
        body: { action: "release" },
      }),
      { id: number },
    );
    const again = await call(
      orderRoute.action,
      await extensionRequest(`/api/extensions/orders/${number}`, {
        method: "POST",
        body: { action: "approve" },
      }),
      { id: number },
    );
    expect(again.status).toBe(422);
    const bad = await call(
      orderRoute.action,
      await extensionRequest(`/api/extensions/orders/${number}`, {
        method: "POST",
        body: { action: "delete-everything" },
      }),
      { id: number },
    );
    expect(bad.status).toBe(422);
    expect(await db.decision.count({ where: { orderId, trigger: "merchant" } })).toBe(1);
  });

  it("answers Shopify's failure as a 502 with CORS headers and words the block shows, not a bare 500", async () => {
    const { translatorOf } = await import("~/i18n/i18next.server");
    const german = await translatorOf("de");
    // An order the app has not decided on yet: the block has only Shopify to read it from.
    const order = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    const number = order.orderId.split("/").pop()!;
    // The first authenticated request installs the shop's offline session (token exchange).
    await call(orderRoute.loader, await extensionRequest(`/api/extensions/orders/0`), { id: "0" });
    await sim.control("POST", "/_sim/faults", { errorRate: 1 });
    try {
      const read = await call(
        orderRoute.loader,
        await extensionRequest(`/api/extensions/orders/${number}?locale=de`),
        { id: number },
      );
      expect(read.status).toBe(502);
      expect(read.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await read.json()).toEqual({ error: german("extensions.shopifyDidNotAnswer") });

      const click = await call(
        orderRoute.action,
        await extensionRequest(`/api/extensions/orders/${number}`, {
          method: "POST",
          body: { action: "reroute" },
        }),
        { id: number },
      );
      expect(click.status).toBe(502);
      expect(click.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await click.json()).toEqual({
        error:
          "Shopify did not answer in time, so the change may or may not have been made. Reload the block to see the order as it is now before trying again.",
      });
    } finally {
      await sim.control("POST", "/_sim/faults", { reset: true });
    }
    expect(await db.decision.count({ where: { orderId: order.orderId } })).toBe(0);
  }, 60_000);
});

describe("stuck requests and drift in the block", () => {
  /** An order whose print Shopify routes to Partner Lab, its request sent and never accepted. */
  async function stuckLabOrder() {
    const order = await sim.createOrder({
      lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
      payment: "paid",
    });
    await call(orderRoute.loader, await extensionRequest(`/api/extensions/orders/0`), { id: "0" });
    const fo = await stuckAtPartnerLab(sim, db, order.orderId);
    return { ...order, fo, number: order.orderId.split("/").pop()! };
  }

  it("warns of a request the lab has not accepted, offers its repair first, and runs it as a bulk job with a report", async () => {
    const { number, fo, orderId } = await stuckLabOrder();
    const res = await call(
      orderRoute.loader,
      await extensionRequest(`/api/extensions/orders/${number}`),
      { id: number },
    );
    const block = (await res.json()) as {
      warnings: { kind: string; location: string; text: string }[];
      actions: { action: string; findingIds: string[] }[];
      requests: { service: string; status: string }[];
    };
    expect(block.warnings).toEqual([
      expect.objectContaining({
        kind: "stuck",
        location: "Partner Lab",
        text: expect.stringMatching(
          /^Partner Lab has not accepted the request for #\d+ in 26 hours\.$/,
        ),
      }),
    ]);
    expect(block.requests).toEqual([expect.objectContaining({ status: "SUBMITTED" })]);
    expect(block.actions[0]).toMatchObject({ action: "repair", findingIds: [expect.any(String)] });

    const repaired = await call(
      orderRoute.action,
      await extensionRequest(`/api/extensions/orders/${number}`, {
        method: "POST",
        body: { action: "repair" },
      }),
      { id: number },
    );
    expect(repaired.status).toBe(200);
    const answer = (await repaired.json()) as { ok: boolean; reportPath: string };
    const job = await db.bulkJob.findFirstOrThrow();
    expect(job).toMatchObject({ action: "repair", total: 1 });
    expect(answer.reportPath).toBe(`/app/bulk/${job.id}`);
    const worker = { db, queue: jobQueue(), gatewayFor: gatewayForShop, now: () => new Date() };
    await jobQueue().drain(QUEUES.bulkItem, (j) => handleBulkItem(worker, j));
    // The repair moved the print from the silent lab to the Studio, on Shopify's side.
    const state = await sim.orderState(orderId);
    expect(["CLOSED", "CANCELLED"]).toContain(
      state.fulfillmentOrders.find((x) => x.id === fo.id)!.status,
    );
    expect(state.fulfillmentOrders.some((x) => x.location.name === "Studio")).toBe(true);
    // A repaired finding is no longer a warning, and nothing offers to repair it again.
    const after = (await (
      await call(orderRoute.loader, await extensionRequest(`/api/extensions/orders/${number}`), {
        id: number,
      })
    ).json()) as typeof block;
    expect(after.warnings.filter((w) => w.kind === "stuck")).toEqual([]);
    expect(after.actions.map((a) => a.action)).not.toContain("repair");
  });
});

describe("the order index action's backend", () => {
  it("starts one bulk job for the selected orders and reports its progress until it is done", async () => {
    const first = await heldOrder();
    const second = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(
      { db, gateway: await gatewayForShop(sim.shop), now: () => new Date() },
      { shop: sim.shop, orderId: second.orderId, trigger: "webhook" },
    );
    const started = await call(
      bulkRoute.action,
      await extensionRequest(`/api/extensions/bulk`, {
        method: "POST",
        body: { action: "release", orderIds: [first.orderId, second.orderId] },
      }),
    );
    expect(started.status).toBe(201);
    expect(started.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const { id, reportPath } = (await started.json()) as { id: string; reportPath: string };
    expect(reportPath).toBe(`/app/bulk/${id}`);

    const progress = async () =>
      (await (
        await call(progressRoute.loader, await extensionRequest(`/api/extensions/bulk/${id}`), {
          id,
        })
      ).json()) as { status: string; total: number; succeeded: number };
    expect(await progress()).toMatchObject({ status: "running", total: 2, succeeded: 0 });
    const worker = {
      db,
      queue: jobQueue(),
      gatewayFor: gatewayForShop,
      now: () => new Date(),
    };
    await jobQueue().drain(QUEUES.bulkItem, (job) => handleBulkItem(worker, job));
    expect(await progress()).toMatchObject({ status: "finished", total: 2, succeeded: 2 });
    for (const orderId of [first.orderId, second.orderId])
      expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.holds).toEqual([]);
  });

  it("names each job it can start in the merchant's language on the report and Home, as the queue's and Stuck's jobs are", async () => {
    const { orderId } = await heldOrder();
    const started = await call(
      bulkRoute.action,
      await extensionRequest(`/api/extensions/bulk`, {
        method: "POST",
        body: { action: "reroute", orderIds: [orderId] },
      }),
    );
    expect(started.status).toBe(201);
    const job = await db.bulkJob.findFirstOrThrow({ where: { shop: sim.shop } });
    // The report's title and Home's list say the action through bulkJobWord; "reroute" was shown as is.
    expect(bulkJobWord(await translatorOf("en"), job.action)).toBe("Route again");
    expect(bulkJobWord(await translatorOf("de"), job.action)).toBe("Erneut routen");
    for (const action of [...INDEX_ACTIONS, ...BULK_ACTIONS, "repair"])
      for (const locale of ["en", "de"] as const)
        expect(bulkJobWord(await translatorOf(locale), action), `${action} in ${locale}`).not.toBe(
          action,
        );
  });

  it("holds orders again for a reason they are held for already: each counts as done, Shopify keeps one hold", async () => {
    // Held for review by a rule; the merchant then holds it for another reason, twice.
    const order = await heldOrder();
    const worker = { db, queue: jobQueue(), gatewayFor: gatewayForShop, now: () => new Date() };
    const holdAgain = async () => {
      const started = await call(
        bulkRoute.action,
        await extensionRequest(`/api/extensions/bulk`, {
          method: "POST",
          body: { action: "hold", reason: "OTHER", note: "Proof sent", orderIds: [order.orderId] },
        }),
      );
      expect(started.status, await started.clone().text()).toBe(201);
      const { id } = (await started.json()) as { id: string };
      await jobQueue().drain(QUEUES.bulkItem, (job) => handleBulkItem(worker, job));
      return db.bulkJob.findUniqueOrThrow({ where: { id }, include: { items: true } });
    };
    expect(await holdAgain()).toMatchObject({ succeeded: 1, failed: 0 });
    // Shopify refuses a second hold with the same handle (DUPLICATE_FULFILLMENT_HOLD_HANDLE); the
    // report counted it failed with Shopify's "already in use".
    const again = await holdAgain();
    expect(again).toMatchObject({ succeeded: 1, failed: 0 });
    expect(again.items.map((i) => i.error)).toEqual([null]);
    const holds = (await sim.orderState(order.orderId)).fulfillmentOrders[0]!.holds;
    expect(holds.filter((h) => h.reasonNotes === "Proof sent")).toEqual([
      expect.objectContaining({ reason: "OTHER", handle: "fr-manual-other" }),
    ]);
  });

  it("answers 422 beside the field for a hold without a reason, and starts nothing", async () => {
    const res = await call(
      bulkRoute.action,
      await extensionRequest(`/api/extensions/bulk`, {
        method: "POST",
        body: { action: "hold", orderIds: ["gid://shopify/Order/1"] },
      }),
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: Record<string, string> }).errors.reason).toBe(
      "Choose why the orders are held",
    );
    expect(await db.bulkJob.count()).toBe(0);
  });

  it("answers in the language the extension names (locale), each field's refusal from the catalogue", async () => {
    const ask = async (body: unknown, locale: string) =>
      (await (
        await call(
          bulkRoute.action,
          await extensionRequest(`/api/extensions/bulk?locale=${locale}`, {
            method: "POST",
            body,
          }),
        )
      ).json()) as { errors: Record<string, string> };
    expect(
      (
        await ask(
          { action: "hold", orderIds: ["gid://shopify/Order/1"], note: "x".repeat(300) },
          "de",
        )
      ).errors,
    ).toEqual({
      reason: "Wähle, warum die Bestellungen zurückgestellt werden",
      note: "Verwende höchstens 255 Zeichen",
    });
    expect((await ask({ action: "explode", orderIds: "all" }, "de")).errors).toEqual({
      action: "Wähle, was mit den ausgewählten Bestellungen geschehen soll",
      orderIds: "Wähle mindestens eine Bestellung aus",
    });
    expect(
      (await ask({ action: "approve", orderIds: Array(251).fill("gid://shopify/Order/1") }, "en"))
        .errors,
    ).toEqual({ orderIds: "At most 250 orders at once" });
    expect((await ask({ action: "approve", orderIds: ["1001"] }, "fr")).errors).toEqual({
      orderIds: "Not an order ID",
    });
    const progress = await call(
      progressRoute.loader,
      await extensionRequest(`/api/extensions/bulk/nope?locale=de`),
      { id: "nope" },
    );
    expect(progress.status).toBe(404);
    expect(await progress.json()).toEqual({ error: "Keine solche Sammelaktion." });
    expect(await db.bulkJob.count()).toBe(0);
  });
});

describe("one shop's extension asking for another shop's order or job", () => {
  const OTHER = "other-shop.myshopify.com";

  it("is refused with 404 and changes nothing, though its session token is valid for its own shop", async () => {
    const { orderId, number } = await heldOrder();
    // A finished bulk job of the first shop, whose progress the other shop asks for.
    const { id: jobId } = await db.bulkJob.create({
      data: { shop: sim.shop, action: "approve", total: 0, status: "finished" },
    });
    // A second shop with the app installed; its admin mints session tokens for it.
    await sim.control("POST", "/_sim/shops", { shop: OTHER });
    const asOther = (path: string, init: { method?: string; body?: unknown } = {}) =>
      extensionRequest(path, { ...init, shop: OTHER });
    // Its own block works: the token is good, the shop is installed by token exchange.
    expect(
      (await call(orderRoute.loader, await asOther(`/api/extensions/orders/1`), { id: "1" }))
        .status,
    ).toBe(404);
    // Its offline session (the shop's, for the worker) and the staff member's online one.
    expect(await db.session.count({ where: { shop: OTHER, isOnline: false } })).toBe(1);

    const read = await call(orderRoute.loader, await asOther(`/api/extensions/orders/${number}`), {
      id: number,
    });
    expect(read.status).toBe(404);
    expect(read.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await read.text()).not.toContain("Check the crop");
    for (const action of ["release", "approve", "reroute"]) {
      const res = await call(
        orderRoute.action,
        await asOther(`/api/extensions/orders/${number}`, { method: "POST", body: { action } }),
        { id: number },
      );
      expect(res.status).toBe(404);
    }
    const progress = await call(
      progressRoute.loader,
      await asOther(`/api/extensions/bulk/${jobId}`),
      {
        id: jobId,
      },
    );
    expect(progress.status).toBe(404);
    const bulk = await call(
      bulkRoute.action,
      await asOther(`/api/extensions/bulk`, {
        method: "POST",
        body: { action: "release", orderIds: [orderId] },
      }),
    );
    expect(bulk.status).toBe(422);
    expect(await db.bulkJob.count({ where: { shop: OTHER } })).toBe(0);
    // Routing again takes orders the app has not seen yet, so the job starts, as the other
    // shop's own; its worker reads the order with that shop's token, and Shopify has no such order.
    const reroute = await call(
      bulkRoute.action,
      await asOther(`/api/extensions/bulk`, {
        method: "POST",
        body: { action: "reroute", orderIds: [orderId] },
      }),
    );
    expect(reroute.status).toBe(201);
    const worker = { db, queue: jobQueue(), gatewayFor: gatewayForShop, now: () => new Date() };
    await jobQueue().drain(QUEUES.bulkItem, (job) => handleBulkItem(worker, job));
    const otherJob = await db.bulkJob.findFirstOrThrow({
      where: { shop: OTHER },
      include: { items: true },
    });
    expect(otherJob).toMatchObject({ status: "finished", succeeded: 0, failed: 1 });
    expect(await inEnglish(otherJob.items[0]!.error)).toBe("Shopify has no such order.");

    // The first shop's order is as it was: still held, its log holds only its first decision,
    // and nothing was approved.
    expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.holds).toHaveLength(1);
    expect(await db.decision.count({ where: { orderId, shop: sim.shop } })).toBe(1);
    expect(await db.approval.count()).toBe(0);
  });
});
