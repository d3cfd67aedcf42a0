// Bad input to the screens' actions, through the app's real authentication (session tokens the
// simulator signs, token exchange against it): a body that is not a form is a 400 with a message,
// never a 500; a capabilities body without its list changes nothing; Shopify failing under the
// packing slip is a 502 that says so, and an order that is not there a 404 in the admin's words;
// the Stuck screen shows its findings with Shopify down, saying Shopify did not answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute as call } from "../support/route-call";
import { startShopSimulator } from "../support/shop-simulator";
import { stuckFindingRow } from "../support/stuck-finding";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const queueRoute = await import("~/routes/app.queue");
const orderRoute = await import("~/routes/app.orders.$id");
const bulkRoute = await import("~/routes/app.bulk.$id");
const rulesRoute = await import("~/routes/app.rules._index");
const stuckRoute = await import("~/routes/app.stuck");
const capabilitiesRoute = await import("~/routes/app.capabilities");
const packingSlipRoute = await import("~/routes/app.orders.$id.packing-slip");

const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

afterAll(async () => {
  await sim.stop();
});

async function request(
  path: string,
  init: { method?: string; contentType?: string; body?: string } = {},
): Promise<Request> {
  const { token } = await sim.control<{ token: string }>(
    "GET",
    `/_sim/session-token?shop=${sim.shop}`,
  );
  return new Request(`${process.env.SHOPIFY_APP_URL}${path}`, {
    method: init.method ?? "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "User-Agent": BROWSER,
      ...(init.contentType ? { "Content-Type": init.contentType } : {}),
    },
    body: init.body,
  });
}

let orderNumber: string;
beforeAll(async () => {
  const order = await sim.createOrder({
    lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
    payment: "paid",
  });
  orderNumber = order.orderId.split("/").pop()!;
  // The order screen answers only for orders the app decided on.
  await db.decision.create({
    data: {
      shop: sim.shop,
      orderId: order.orderId,
      orderName: order.name,
      trigger: "webhook",
      status: "applied",
      explanation: "[]",
      plan: "{}",
    },
  });
});

describe("a body that is not a form", () => {
  const screens = () =>
    [
      ["/app/queue", queueRoute.action, {}],
      [`/app/orders/${orderNumber}`, orderRoute.action, { id: orderNumber }],
      ["/app/bulk/some-job", bulkRoute.action, { id: "some-job" }],
      ["/app/rules", rulesRoute.action, {}],
      ["/app/stuck", stuckRoute.action, {}],
    ] as const;

  it("is answered 400 with a message by every screen that takes a form, never 500", async () => {
    const bodies = [
      // JSON where a form is expected
      { contentType: "application/json", body: '{"intent":"approve"}' },
      // no content type at all
      { body: "intent=approve" },
      // a multipart body whose boundary never comes
      { contentType: "multipart/form-data; boundary=----x", body: "garbage without parts" },
      // a multipart content type without a boundary
      { contentType: "multipart/form-data", body: "--x\r\n" },
    ];
    for (const [path, action, params] of screens())
      for (const bad of bodies) {
        const response = await call(action, await request(path, bad), params);
        expect(response.status, `${path} with ${JSON.stringify(bad)}`).toBe(400);
        expect(await response.text()).toMatch(/form/);
      }
  });

  it("a well-formed form still reaches the screen's own field checks (422, not 400)", async () => {
    const response = await call(
      orderRoute.action,
      await request(`/app/orders/${orderNumber}`, {
        contentType: "application/x-www-form-urlencoded",
        body: "intent=note&body=",
      }),
      { id: orderNumber },
    );
    expect(response.status).toBe(422);
  });
});

describe("the cancel form", () => {
  it("answers 422 with each field's words in the admin's language and asks Shopify nothing", async () => {
    const { englishTranslator, translatorOf } = await import("~/i18n/i18next.server");
    const german = await translatorOf("de");
    const response = await call(
      orderRoute.action,
      await request(`/app/orders/${orderNumber}?locale=de`, {
        contentType: "application/x-www-form-urlencoded",
        body: new URLSearchParams({
          intent: "cancel",
          refund: "original",
          staffNote: "x".repeat(300),
        }).toString(),
      }),
      { id: orderNumber },
    );
    expect(response.status).toBe(422);
    const answer = (await response.json()) as { data: { ok: boolean; errors: unknown } };
    expect(answer.data).toMatchObject({
      ok: false,
      errors: {
        reason: german("afterSales.cancel.errors.reason"),
        staffNote: german("afterSales.cancel.errors.staffNote"),
      },
    });
    expect(german("afterSales.cancel.errors.reason")).not.toBe(
      (await englishTranslator())("afterSales.cancel.errors.reason"),
    );
    expect(await db.step.count({ where: { kind: "orderCancel" } })).toBe(0);
  });
});

describe("capabilities", () => {
  it("refuses a body without the list of profiles and deletes nothing", async () => {
    await db.capabilityProfile.create({
      data: {
        shop: sim.shop,
        locationId: "gid://shopify/Location/1",
        name: "Studio",
        kind: "in_house",
        productTypes: '["Print"]',
        options: "{}",
      },
    });
    for (const body of ["{}", '{"profiles": null}', '{"profiles": "all"}', "not json"]) {
      const response = await call(
        capabilitiesRoute.action,
        await request("/app/capabilities", { contentType: "application/json", body }),
      );
      expect(response.status, body).toBe(400);
      expect(await response.text()).toMatch(/Nothing changed/);
    }
    expect(await db.capabilityProfile.count({ where: { shop: sim.shop } })).toBe(1);
  });
});

describe("packing slip", () => {
  it("answers 404 in the admin's language for a number that is no order, or none Shopify has for this shop", async () => {
    const { translatorOf } = await import("~/i18n/i18next.server");
    const german = await translatorOf("de");
    // The order screen shows this body where the download would have been.
    for (const [id, key] of [
      ["not-a-number", "order.notANumber"],
      ["999999999", "order.noSuchOrder"],
    ] as const) {
      const response = await call(
        packingSlipRoute.loader,
        await request(`/app/orders/${id}/packing-slip?locale=de`, { method: "GET" }),
        { id },
      );
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(german(key));
    }
  }, 60_000);

  it("answers 502 with Shopify's failure when the Admin API keeps failing", async () => {
    await sim.control("POST", "/_sim/faults", { errorRate: 1 });
    try {
      const response = await call(
        packingSlipRoute.loader,
        await request(`/app/orders/${orderNumber}/packing-slip`, { method: "GET" }),
        { id: orderNumber },
      );
      expect(response.status).toBe(502);
      expect(await response.text()).toMatch(/^Shopify did not answer: /);
    } finally {
      await sim.control("POST", "/_sim/faults", { reset: true });
    }
  }, 60_000);
});

describe("the Stuck screen while Shopify does not answer", () => {
  it("shows the stuck requests from the app's own tables and says Shopify did not answer", async () => {
    const stuck = await db.finding.create({ data: stuckFindingRow(sim.shop, 9201) });
    // Signed in before Shopify went down (token exchange is not what this looks at).
    await call(stuckRoute.loader, await request("/app/stuck?view=drift", { method: "GET" }));
    await sim.control("POST", "/_sim/faults", { errorRate: 1 });
    try {
      // The merchant opens Choose location on it: the one read of Shopify the screen makes.
      const response = await call(
        stuckRoute.loader,
        await request(`/app/stuck?choose=${stuck.id}`, { method: "GET" }),
      );
      expect(response.status).toBe(200);
      const screen = (await response.json()) as {
        findings: { orderName: string }[];
        picker: unknown;
        shopifyError: string | null;
      };
      expect(screen.findings.map((f) => f.orderName)).toEqual(["#9201"]);
      expect(screen.picker).toBeNull();
      expect(screen.shopifyError).toMatch(/Shopify answered 5\d\d/);
    } finally {
      await sim.control("POST", "/_sim/faults", { reset: true });
    }
  }, 60_000);
});
