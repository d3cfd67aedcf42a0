// Notes per fulfillment order and the per-order export, through the order screen's routes with the
// app's real authentication (a session token the simulator signs, token exchange against it): a note
// written on one fulfillment order's card shows on that card and in the order's timeline, never on
// another order's; the signed customers/data_request reports it and customers/redact erases it; the
// CSV and PDF downloads hold the timeline, notes and decisions, and another shop's order is a 404.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { extractText, getDocumentProxy } from "unpdf";
import { startShopSimulator } from "../support/shop-simulator";
import { respond, signedDelivery } from "../support/webhooks";
import { signedRequest } from "../support/route-call";
import type { StoredWords } from "~/i18n/words";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const orderRoute = await import("~/routes/app.orders.$id");
const csvRoute = await import("~/routes/app.orders.$id.export[.]csv");
const pdfRoute = await import("~/routes/app.orders.$id.export[.]pdf");
const dataRequest = await import("~/routes/webhooks.customers.data_request");
const customersRedact = await import("~/routes/webhooks.customers.redact");
const { routeOrder } = await import("~/fulfilment/route-order.server");
const { saveRule } = await import("../support/integration");
const en = (await import("~/i18n/locales/en.json")).default;
const { englishTranslator } = await import("~/i18n/i18next.server");
const { renderWords } = await import("~/i18n/words");

const OTHER_SHOP = "other-orderlog.myshopify.com";

afterAll(async () => {
  await sim.stop();
});

const request = (path: string, form?: Record<string, string>) => signedRequest(sim, path, form);

/** Runs a route as Remix does: a thrown Response is the answer, data() carries its status. */
async function call(
  handler: (args: ActionFunctionArgs) => Promise<unknown>,
  req: Request,
  params: Record<string, string>,
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

interface Placed {
  orderId: string;
  name: string;
  number: string;
  studio: string;
  lab: string;
}

async function placeAndRoute(): Promise<Placed> {
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
  const records = await db.fulfillmentOrderRecord.findMany({
    where: { shop: sim.shop, orderId: order.orderId },
  });
  const at = (name: string) => records.find((r) => (r.provider ?? r.locationName) === name)!;
  return {
    orderId: order.orderId,
    name: order.name,
    number: numberOf(order.orderId),
    studio: at("Studio").fulfillmentOrderId,
    lab: at("Partner Lab").fulfillmentOrderId,
  };
}

const addNote = async (order: Placed, fulfillmentOrderId: string, body: string) =>
  call(
    orderRoute.action,
    await request(`/app/orders/${order.number}`, {
      intent: "fulfillmentOrderNote",
      fulfillmentOrderId,
      body,
    }),
    { id: order.number },
  );

interface Detail {
  fulfillmentOrders: { id: string; notes: { author: string | null; body: string }[] }[];
  timeline: { text: StoredWords }[];
}
const loadDetail = async (order: Placed) =>
  (
    await call(orderRoute.loader, await request(`/app/orders/${order.number}`), {
      id: order.number,
    })
  ).body as { detail: Detail };

let first: Placed;
let second: Placed;
let theirs: string;
beforeAll(async () => {
  // Signed in once: token exchange creates the shop's session and settings.
  await call(orderRoute.action, await request("/app/orders/1", { intent: "none" }), { id: "1" });
  await saveRule(db, sim.shop, {
    name: "Prints after a look",
    conditions: [{ field: "sku", operator: "starts_with", value: "PRINT-" }],
    actions: [{ type: "hold_for_review", note: "Check the crop" }],
  });
  first = await placeAndRoute();
  second = await placeAndRoute();
  await sim.control("POST", "/_sim/shops", { shop: OTHER_SHOP });
  theirs = (
    await sim.control<{ orderId: string }>("POST", "/_sim/orders", {
      shop: OTHER_SHOP,
      order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid" },
    })
  ).orderId;
}, 120_000);

describe("notes per fulfillment order", () => {
  it("a note written on the Studio's card shows on that card and in the timeline, not on the lab's", async () => {
    const added = await addNote(first, first.studio, "Reprint the crop, the top was cut");
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ intent: "fulfillmentOrderNote", ok: true });

    const { detail } = await loadDetail(first);
    const card = (id: string) => detail.fulfillmentOrders.find((f) => f.id === id)!;
    expect(card(first.studio).notes).toEqual([
      expect.objectContaining({
        body: "Reprint the crop, the top was cut",
        // The staff member's name from their online session: the simulator's associated_user.
        author: "Shop Owner",
      }),
    ]);
    expect(card(first.lab).notes).toEqual([]);
    const t = await englishTranslator();
    expect(detail.timeline.map((e) => renderWords(t, e.text))).toContainEqual(
      t("order.timeline.fulfillmentOrderNote", {
        place: "Studio",
        author: card(first.studio).notes[0]!.author,
        body: "Reprint the crop, the top was cut",
      }),
    );
    // Kept by shop + fulfillment order.
    expect(
      await db.fulfillmentOrderNote.count({
        where: { shop: sim.shop, fulfillmentOrderId: first.studio },
      }),
    ).toBe(1);
  });

  it("an empty note, another order's fulfillment order or another shop's order changes nothing", async () => {
    const before = await db.fulfillmentOrderNote.count();
    const empty = await addNote(first, first.lab, "   ");
    expect(empty.status).toBe(422);
    expect(empty.body).toMatchObject({ errors: { body: en.orderlog.notes.errors.body } });

    const elsewhere = await addNote(first, second.lab, "Not this order's");
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toMatchObject({
      errors: { fulfillmentOrderId: en.orderlog.notes.errors.fulfillmentOrderId },
    });

    const other = { ...first, number: numberOf(theirs) };
    expect((await addNote(other, first.studio, "Another shop's order")).status).toBe(404);
    expect(await db.fulfillmentOrderNote.count()).toBe(before);
  });

  it("is in the signed customers/data_request report and erased by customers/redact (another order's note stays)", async () => {
    await addNote(second, second.lab, "Lab said the paper is out until Monday");
    const reported = await respond(
      dataRequest.action,
      signedDelivery({
        topic: "customers/data_request",
        shop: sim.shop,
        body: {
          shop_domain: sim.shop,
          customer: { id: 4242 },
          orders_requested: [Number(first.number)],
          data_request: { id: 77 },
        },
      }),
    );
    expect(reported.status).toBe(200);
    const row = await db.dataRequest.findFirstOrThrow({ where: { shop: sim.shop } });
    const report = JSON.parse(row.report) as {
      orders: { fulfillmentOrderNotes: { fulfillmentOrderId: string; body: string }[] }[];
    };
    expect(report.orders[0]!.fulfillmentOrderNotes).toEqual([
      expect.objectContaining({
        fulfillmentOrderId: first.studio,
        body: "Reprint the crop, the top was cut",
      }),
    ]);
    expect(row.report).not.toContain("paper is out");

    const redacted = await respond(
      customersRedact.action,
      signedDelivery({
        topic: "customers/redact",
        shop: sim.shop,
        body: {
          shop_domain: sim.shop,
          customer: { id: 4242 },
          orders_to_redact: [Number(first.number)],
        },
      }),
    );
    expect(redacted.status).toBe(200);
    expect(await db.fulfillmentOrderNote.count({ where: { orderId: first.orderId } })).toBe(0);
    expect(await db.fulfillmentOrderNote.count({ where: { orderId: second.orderId } })).toBe(1);
  });
});

describe("the order's export", () => {
  beforeAll(async () => {
    await call(
      orderRoute.action,
      await request(`/app/orders/${second.number}`, {
        intent: "note",
        body: 'Customer asked: "matte, not glossy", please',
      }),
      { id: second.number },
    );
  });

  it("CSV: the timeline, the notes on the order and on each fulfillment order, the decisions and their Steps", async () => {
    const { status, response } = await call(
      csvRoute.loader,
      await request(`/app/orders/${second.number}/export.csv`),
      { id: second.number },
    );
    expect(status).toBe(200);
    expect(response!.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response!.headers.get("Content-Disposition")).toBe(
      `attachment; filename="order-${second.name.replace("#", "")}-log.csv"`,
    );
    // The customer's order and the team's notes: no shared cache may keep them.
    expect(response!.headers.get("Cache-Control")).toBe("private, no-store");
    const rows = parse(await response!.text(), { bom: true }) as string[][];
    const columns = en.orderlog.export.column;
    expect(rows[0]).toEqual([
      columns.section,
      columns.time,
      columns.where,
      columns.author,
      columns.text,
      columns.status,
    ]);
    const section = en.orderlog.export.section;
    const of = (name: string) => rows.slice(1).filter((r) => r[0] === name);
    expect(of(section.timeline).map((r) => r[4])).toEqual(
      expect.arrayContaining([
        en.order.timeline.placed,
        en.order.trace.trigger.webhook,
        (await englishTranslator())("order.timeline.fulfillmentOrderNote", {
          place: "Partner Lab",
          author: of(section.fulfillmentOrderNote)[0]?.[3],
          body: "Lab said the paper is out until Monday",
        }),
      ]),
    );
    expect(of(section.note)).toEqual([
      [
        section.note,
        expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        "",
        "Shop Owner",
        'Customer asked: "matte, not glossy", please',
        "",
      ],
    ]);
    expect(of(section.fulfillmentOrderNote)).toEqual([
      [
        section.fulfillmentOrderNote,
        expect.any(String),
        "Partner Lab",
        "Shop Owner",
        "Lab said the paper is out until Monday",
        "",
      ],
    ]);
    const [decision] = of(section.decision);
    // The decision's trigger as the order screen's trace heads it, in the downloader's language.
    expect(decision![4]!.startsWith(`${en.order.trace.trigger.webhook}: `)).toBe(true);
    expect(decision![5]).toBe("applied");
    // The review hold on the prints is one of the decision's Steps.
    expect(of(section.step).length).toBeGreaterThan(0);
    expect(of(section.step).every((r) => r[5] === "succeeded")).toBe(true);
  });

  it("PDF: its pages hold the order's name, the notes and the decisions", async () => {
    const { status, response } = await call(
      pdfRoute.loader,
      await request(`/app/orders/${second.number}/export.pdf`),
      { id: second.number },
    );
    expect(status).toBe(200);
    expect(response!.headers.get("Content-Type")).toBe("application/pdf");
    const pdf = await getDocumentProxy(new Uint8Array(await response!.arrayBuffer()));
    const { totalPages, text } = await extractText(pdf, { mergePages: true });
    expect(totalPages).toBeGreaterThanOrEqual(1);
    const words = en.orderlog.export;
    for (const expected of [
      `Order ${second.name}: timeline, notes and decisions`,
      words.sections.timeline,
      words.sections.notes,
      words.sections.decisions,
      "Lab said the paper is out until Monday",
      'Customer asked: "matte, not glossy", please',
      en.order.trace.trigger.webhook,
      "Partner Lab",
    ])
      expect(text).toContain(expected);
  });

  it("another shop's order is a 404 for both, with nothing of it in the answer", async () => {
    const number = numberOf(theirs);
    for (const route of [csvRoute, pdfRoute]) {
      const { status, response } = await call(
        route.loader,
        await request(`/app/orders/${number}/export`),
        { id: number },
      );
      expect(status).toBe(404);
      expect(await response!.text()).toBe(en.order.noSuchOrder);
    }
  });
});
