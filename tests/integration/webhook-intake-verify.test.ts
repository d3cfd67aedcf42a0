// The intake's own signature check against Shopify's library: for every kind of delivery, valid or
// not, verifyWebhook answers what `shopifyApi().webhooks.validate` (what authenticate.webhook
// calls) answers, so skipping the library on the hot path changes nothing a sender can see.
import "@shopify/shopify-api/adapters/web-api";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  ApiVersion,
  LogSeverity,
  shopifyApi,
  WebhookValidationErrorReason,
} from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "~/webhooks/verify.server";
import { signedDelivery } from "../support/webhooks";

const secret = "conformance-secret";
const api = shopifyApi({
  apiKey: "conformance-key",
  apiSecretKey: secret,
  hostName: "localhost:3000",
  apiVersion: ApiVersion.October26,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

const paid = JSON.parse(readFileSync("tests/fixtures/shopify/webhooks/orders/paid.json", "utf8"))
  .response as Record<string, unknown>;
const shop = "conformance.myshopify.com";

interface Case {
  name: string;
  request: () => Request;
}

function withHeaders(request: Request, change: (headers: Headers) => void, body?: string): Request {
  const headers = new Headers(request.headers);
  change(headers);
  return new Request(request.url, { method: "POST", headers, body: body ?? null });
}

const body = JSON.stringify(paid);
const good = () => signedDelivery({ topic: "orders/paid", shop, body: paid, secret });

const cases: Case[] = [
  { name: "a valid delivery", request: good },
  {
    name: "a wrong secret",
    request: () => signedDelivery({ topic: "orders/paid", shop, body: paid, secret: "other" }),
  },
  {
    name: "a body changed after signing",
    request: () => withHeaders(good(), () => {}, JSON.stringify({ ...paid, total_price: "0.00" })),
  },
  {
    name: "no signature",
    request: () => withHeaders(good(), (h) => h.delete("X-Shopify-Hmac-Sha256"), body),
  },
  {
    name: "a signature with a space added",
    request: () =>
      withHeaders(
        good(),
        (h) => h.set("X-Shopify-Hmac-Sha256", `${h.get("X-Shopify-Hmac-Sha256")} `),
        body,
      ),
  },
  {
    name: "an empty body",
    request: () => signedDelivery({ topic: "orders/paid", shop, body: "", secret }),
  },
  ...[
    "X-Shopify-Topic",
    "X-Shopify-Shop-Domain",
    "X-Shopify-API-Version",
    "X-Shopify-Webhook-Id",
  ].map((header): Case => ({
    name: `no ${header}`,
    request: () => withHeaders(good(), (h) => h.delete(header), body),
  })),
  {
    name: "no optional headers (Event-Id, Triggered-At)",
    request: () =>
      withHeaders(
        good(),
        (h) => {
          h.delete("X-Shopify-Event-Id");
          h.delete("X-Shopify-Triggered-At");
        },
        body,
      ),
  },
  {
    name: "lower-case header names",
    request: () => {
      const request = good();
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
      return new Request(request.url, { method: "POST", headers, body });
    },
  },
  {
    name: "an Events-format delivery (shopify-* headers)",
    request: () => {
      const request = good();
      return new Request(request.url, {
        method: "POST",
        body,
        headers: {
          "shopify-hmac-sha256": request.headers.get("X-Shopify-Hmac-Sha256")!,
          "shopify-topic": "orders/paid",
          "shopify-shop-domain": shop,
          "shopify-api-version": "2026-10",
          "shopify-webhook-id": "events-1",
          "shopify-triggered-at": new Date().toISOString(),
        },
      });
    },
  },
];

describe("verifyWebhook agrees with Shopify's webhooks.validate", () => {
  for (const { name, request } of cases) {
    it(name, async () => {
      // GIVEN one delivery, read twice
      const forLibrary = request();
      const forUs = forLibrary.clone();
      const rawBody = await forLibrary.text();
      // WHEN both check it
      const library = await api.webhooks.validate({ rawBody, rawRequest: forLibrary });
      const ours = verifyWebhook(
        new Uint8Array(await forUs.arrayBuffer()),
        (header) => forUs.headers.get(header),
        secret,
      );
      // THEN the answers are the ones authenticate.webhook derives from the library's
      if (library.valid) {
        expect(ours).toMatchObject({ ok: true });
        if (!ours.ok) return;
        expect(ours.delivery).toMatchObject({
          webhookId: library.webhookId,
          shop: library.domain,
          apiVersion: library.apiVersion,
        });
        expect(ours.delivery.rawBody).toBe(rawBody);
      } else {
        const status = library.reason === WebhookValidationErrorReason.InvalidHmac ? 401 : 400;
        expect(ours).toMatchObject({ ok: false, status });
      }
    });
  }

  it("keeps the topic as Shopify sent it, where the library renames it for storage", async () => {
    const request = good();
    const ours = verifyWebhook(
      new Uint8Array(await request.arrayBuffer()),
      (header) => request.headers.get(header),
      secret,
    );
    expect(ours).toMatchObject({ ok: true, delivery: { topic: "orders/paid" } });
  });

  it("answers 400 to a signed body that is not JSON, where the library only checks the signature", () => {
    const text = "{not json";
    const request = signedDelivery({ topic: "orders/paid", shop, body: text, secret });
    const ours = verifyWebhook(Buffer.from(text), (header) => request.headers.get(header), secret);
    expect(ours).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringMatching(/not valid JSON/),
    });
  });

  it("answers 400 to a signed body that is not UTF-8", () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]); // {"a":"\xff"}
    const request = signedDelivery({ topic: "orders/paid", shop, body: "x", secret });
    const hmac = createHmac("sha256", secret).update(bytes).digest("base64");
    const header = (name: string) =>
      name.toLowerCase() === "x-shopify-hmac-sha256" ? hmac : request.headers.get(name);
    expect(verifyWebhook(bytes, header, secret)).toMatchObject({ ok: false, status: 400 });
  });

  it("keeps ids above 2^53 exact in the raw body", () => {
    const text =
      '{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508"}';
    const request = signedDelivery({ topic: "orders/paid", shop, body: text, secret });
    const ours = verifyWebhook(Buffer.from(text), (header) => request.headers.get(header), secret);
    expect(ours).toMatchObject({ ok: true, delivery: { rawBody: text } });
  });
});
