// orders/paid deliveries as Shopify sends them: Shopify's documented example body (~10.7 KB) with
// unique order ids, real X-Shopify-* headers, signed with the app secret; some are retries.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { getHmac } from "@shopify/shopify-api/test-helpers";

export interface Delivery {
  webhookId: string;
  body: Buffer;
  headers: Record<string, string>;
}

const FIXTURE = "tests/fixtures/shopify/webhooks/orders/paid.json";
const SHOPS = 20;

/** The shops deliveries come from: the app must have them installed, or it drops their webhooks. */
export const BENCH_SHOPS = Array.from({ length: SHOPS }, (_, i) => `bench-shop-${i}.myshopify.com`);
// Shopify's order ids are above 2^53, as in the fixture; the app must keep them exact.
const FIRST_ORDER_ID = 820982911946154508n;

let template: { before: string[]; keys: string[] } | undefined;

// The body is text with holes for the per-order values, so a big integer id is written as a JSON
// number without passing through a JavaScript number.
function bodyTemplate(): { before: string[]; keys: string[] } {
  if (template) return template;
  const example = (
    JSON.parse(readFileSync(FIXTURE, "utf8")) as { response: Record<string, unknown> }
  ).response;
  const holes: Record<string, string> = {
    id: "@@ID@@",
    admin_graphql_api_id: "@@GID@@",
    name: "@@NAME@@",
    order_number: "@@NUMBER@@",
    token: "@@TOKEN@@",
  };
  const text = JSON.stringify({ ...example, ...holes });
  const parts = text.split(/"@@([A-Z]+)@@"/);
  template = {
    before: parts.filter((_, i) => i % 2 === 0),
    keys: parts.filter((_, i) => i % 2 === 1),
  };
  return template;
}

export function orderPaidBody(sequence: number): string {
  const { before, keys } = bodyTemplate();
  const id = FIRST_ORDER_ID + BigInt(sequence);
  const values: Record<string, string> = {
    ID: id.toString(),
    GID: JSON.stringify(`gid://shopify/Order/${id}`),
    NAME: JSON.stringify(`#${10_000 + sequence}`),
    NUMBER: String(10_000 + sequence),
    TOKEN: JSON.stringify(randomUUID().replaceAll("-", "")),
  };
  return before.map((text, i) => (i < keys.length ? text + values[keys[i]!] : text)).join("");
}

export function signedDelivery(sequence: number, secret: string): Delivery {
  const text = orderPaidBody(sequence);
  const webhookId = randomUUID();
  return {
    webhookId,
    body: Buffer.from(text),
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": "orders/paid",
      "X-Shopify-Hmac-Sha256": getHmac(text, secret),
      "X-Shopify-Shop-Domain": BENCH_SHOPS[sequence % SHOPS]!,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
  };
}

/**
 * `count` deliveries numbered from `first`; every `retryEvery`-th one repeats the delivery sent
 * `retryEvery / 2` places earlier byte for byte, as Shopify's retries do, so duplicates meet the
 * inbox both while the first copy is being written and after it was.
 */
export function deliveries(
  first: number,
  count: number,
  secret: string,
  retryEvery = 50,
): Delivery[] {
  const list: Delivery[] = [];
  for (let i = 0; i < count; i++) {
    const isRetry = retryEvery > 0 && i % retryEvery === retryEvery - 1;
    list.push(isRetry ? list[i - Math.floor(retryEvery / 2)]! : signedDelivery(first + i, secret));
  }
  return list;
}
