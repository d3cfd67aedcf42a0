// What the webhook intake refuses or drops before storing anything: bodies over the limit (413,
// none of it kept, the rest read and dropped up to a bound), a topic header that does not match
// the endpoint (400), and deliveries for shops that do not have the app installed (200, so Shopify
// stops, but nothing kept).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import * as ordersPaid from "~/routes/webhooks.orders.paid";
import * as appUninstalled from "~/routes/webhooks.app.uninstalled";
import { DROP_AT_MOST_BYTES, MAX_WEBHOOK_BODY_BYTES } from "~/webhooks/body.server";
import { intakeCounters } from "~/webhooks/intake.server";
import { forgetInstalled } from "~/webhooks/installed.server";
import { setLogSink } from "~/utils/log.server";
import { respond, signedDelivery, watchedBody } from "../support/webhooks";
import { installShop } from "../support/install";
import { emptyTables } from "../support/integration";

const shop = "guards.myshopify.com";
const body = { id: 1, admin_graphql_api_id: "gid://shopify/Order/1", total_price: "10.00" };
const post = (request: Request) => respond(ordersPaid.action, request);
const stored = () => db.webhookDelivery.count();
/** More than the few chunks the streams between a sender and the route queue up. */
const QUEUED = 1024 * 1024;

let lines: string[] = [];
let restoreSink: () => void;
beforeEach(async () => {
  await emptyTables(db);
  forgetInstalled();
  await installShop(db, shop);
  lines = [];
  restoreSink = setLogSink((line) => lines.push(line));
});
afterEach(() => restoreSink());

describe("webhook intake guards", () => {
  it("stores a delivery for an installed shop (the guards let it through)", async () => {
    const res = await post(signedDelivery({ topic: "orders/paid", shop, body }));
    expect(res.status).toBe(200);
    expect(await stored()).toBe(1);
  });

  it("answers 413 from the Content-Length alone, and does not read a length over what it drops", async () => {
    const body = watchedBody();
    const signed = signedDelivery({ topic: "orders/paid", shop, body });
    const headers = new Headers(signed.headers);
    headers.set("Content-Length", String(MAX_WEBHOOK_BODY_BYTES + DROP_AT_MOST_BYTES + 1));
    const request = new Request(signed.url, {
      method: "POST",
      headers,
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    const before = intakeCounters.tooLarge;
    const res = await post(request);
    expect(res.status).toBe(413);
    // Nothing asked for past the chunks the streams between the sender and the route queue up.
    expect(body.seen.read).toBeLessThan(QUEUED);
    expect(body.seen.cancelled).toBe(true);
    expect(intakeCounters.tooLarge).toBe(before + 1);
    expect(await stored()).toBe(0);
  });

  it("stops keeping a streamed body without a length at the limit, and gives up on it once it has dropped what it would (413)", async () => {
    const body = watchedBody();
    const signed = signedDelivery({ topic: "orders/paid", shop, body });
    const request = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    const res = await post(request);
    expect(res.status).toBe(413);
    expect(body.seen.cancelled).toBe(true);
    expect(body.seen.read).toBeGreaterThan(MAX_WEBHOOK_BODY_BYTES + DROP_AT_MOST_BYTES);
    expect(body.seen.read).toBeLessThan(MAX_WEBHOOK_BODY_BYTES + DROP_AT_MOST_BYTES + QUEUED);
    expect(await stored()).toBe(0);
  });

  it("answers 413 on the routes that use Shopify's library too (app/uninstalled), once the body is read to its end", async () => {
    const huge = JSON.stringify({ padding: "x".repeat(MAX_WEBHOOK_BODY_BYTES) });
    const signed = signedDelivery({ topic: "app/uninstalled", shop, body: huge });
    const bytes = new Uint8Array(await signed.clone().arrayBuffer());
    const body = watchedBody(bytes);
    const res = await respond(
      appUninstalled.action,
      new Request(signed.url, {
        method: "POST",
        headers: signed.headers,
        body: body.stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(body.seen).toEqual({ read: bytes.length, cancelled: false });
    expect(await db.session.count({ where: { shop } })).toBe(1);
  });

  it("refuses a signed delivery whose topic header is not the endpoint's (400, nothing stored)", async () => {
    const signed = signedDelivery({ topic: "orders/cancelled", shop, body });
    const misrouted = new Request(signed.url.replace("orders/cancelled", "orders/paid"), {
      method: "POST",
      headers: signed.headers,
      body: await signed.text(),
    });
    const res = await post(misrouted);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/orders\/cancelled.*orders\/paid/);
    expect(await stored()).toBe(0);
  });

  it("refuses a body that is not JSON by its type (415), and headers Shopify never sends (400)", async () => {
    const signed = signedDelivery({ topic: "orders/paid", shop, body });
    const headers = new Headers(signed.headers);
    headers.set("Content-Type", "text/plain");
    const text = await signed.clone().text();
    expect(
      (await post(new Request(signed.url, { method: "POST", headers, body: text }))).status,
    ).toBe(415);
    for (const [name, value] of [
      ["X-Shopify-Shop-Domain", "evil.example.com"],
      ["X-Shopify-API-Version", "<script>"],
    ] as const) {
      const mutated = new Headers(signed.headers);
      mutated.set(name, value);
      const res = await post(
        new Request(signed.url, { method: "POST", headers: mutated, body: text }),
      );
      expect(res.status).toBe(400);
    }
    expect(await stored()).toBe(0);
  });

  it("answers 200 for a shop without the app installed, stores nothing and counts it", async () => {
    const before = intakeCounters.notInstalled;
    const res = await post(
      signedDelivery({ topic: "orders/paid", shop: "gone.myshopify.com", body }),
    );
    expect(res.status).toBe(200);
    expect(await stored()).toBe(0);
    expect(intakeCounters.notInstalled).toBe(before + 1);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ event: "webhook.not_installed", shop: "gone.myshopify.com" }),
    );
  });

  it("stops storing a shop's deliveries once app/uninstalled arrives", async () => {
    expect((await post(signedDelivery({ topic: "orders/paid", shop, body }))).status).toBe(200);
    const uninstalled = await respond(
      appUninstalled.action,
      signedDelivery({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop } }),
    );
    expect(uninstalled.status).toBe(200);
    expect((await post(signedDelivery({ topic: "orders/paid", shop, body }))).status).toBe(200);
    expect(await stored()).toBe(0);
  });
});
