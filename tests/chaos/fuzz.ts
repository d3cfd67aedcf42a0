// Fuzzed webhook deliveries against the production server: bad and missing signatures, truncated
// and huge bodies, wrong content types and mutated headers must each be answered 4xx and store
// nothing; valid replays of deliveries the app already stored, mixed in, are answered 200 and
// stored no second time; the server must still answer when it is over.
import { createHmac, randomUUID } from "node:crypto";
import type { createSimulator } from "../../simulator/src/server";

export interface FuzzOptions {
  appUrl: string;
  secret: string;
  /** How many deliveries the app's inbox holds now. */
  deliveriesStored: () => Promise<number>;
  sim: ReturnType<typeof createSimulator>;
  shops: string[];
  sent: number;
  random: () => number;
}

export interface FuzzFigures {
  sent: number;
  /** Fuzzed deliveries answered anything but 4xx (replays excepted: they must be 200). */
  non4xx: number;
  /** Rows the fuzzed deliveries added to the inbox (replays included: they must add none). */
  stored: number;
  replays: number;
  findings: string[];
}

interface Logged {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  triggeredAt: string;
  status: string;
  payload: unknown;
}

const sign = (body: string | Buffer, secret: string) =>
  createHmac("sha256", secret).update(body).digest("base64");

export async function runFuzz(options: FuzzOptions): Promise<FuzzFigures> {
  const { appUrl, secret, sim, random } = options;
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  // Deliveries the app acknowledged: their bytes are what the simulator sent.
  const delivered: Logged[] = [];
  for (const shop of options.shops.slice(0, 3)) {
    const response = await sim.app.request(`/_sim/webhooks?shop=${shop}`);
    const log = (await response.json()) as { deliveries: Logged[] };
    delivered.push(...log.deliveries.filter((d) => d.status === "delivered").slice(0, 200));
  }
  if (delivered.length === 0) throw new Error("No delivered webhook to fuzz from");
  const before = await options.deliveriesStored();
  const findings: string[] = [];
  let non4xx = 0;
  let replays = 0;

  const headersOf = (d: Logged, body: string, webhookId: string = randomUUID()) => ({
    "Content-Type": "application/json",
    "X-Shopify-Topic": d.topic,
    "X-Shopify-Hmac-Sha256": sign(body, secret),
    "X-Shopify-Shop-Domain": d.shop,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": webhookId,
    "X-Shopify-Event-Id": d.eventId,
    "X-Shopify-Triggered-At": d.triggeredAt,
  });

  // Each mutation turns a delivery Shopify would send into one it never would.
  type Mutation = (
    d: Logged,
    body: string,
  ) => { body: string | Blob; headers: Record<string, string> };
  const mutations: Record<string, Mutation> = {
    "bad signature": (d, body) => ({
      body,
      headers: { ...headersOf(d, body), "X-Shopify-Hmac-Sha256": sign(body, "not-the-secret") },
    }),
    "missing signature": (d, body) => {
      const headers: Record<string, string> = headersOf(d, body);
      delete headers["X-Shopify-Hmac-Sha256"];
      return { body, headers };
    },
    "garbage signature": (d, body) => ({
      body,
      headers: { ...headersOf(d, body), "X-Shopify-Hmac-Sha256": "%%%not base64%%%" },
    }),
    "truncated body": (d, body) => ({
      body: body.slice(0, Math.max(1, Math.floor(body.length * random()))),
      headers: headersOf(d, body),
    }),
    "a byte flipped": (d, body) => {
      const bytes = Buffer.from(body);
      const i = Math.floor(random() * bytes.length);
      bytes[i] = bytes[i]! ^ 0x20;
      return { body: new Blob([new Uint8Array(bytes)]), headers: headersOf(d, body) };
    },
    "huge body": (d) => {
      const body = JSON.stringify({ padding: "x".repeat(2 * 1024 * 1024 + 10) });
      return { body, headers: headersOf(d, body) };
    },
    "signed body that is not JSON": (d) => {
      const body = "{not json";
      return { body, headers: headersOf(d, body) };
    },
    "wrong content type": (d, body) => ({
      body,
      headers: {
        ...headersOf(d, body),
        "Content-Type": pick([
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/xml",
        ]),
      },
    }),
    "missing content type": (d, body) => {
      const headers: Record<string, string> = headersOf(d, body);
      delete headers["Content-Type"];
      return { body, headers };
    },
    "other topic header": (d, body) => ({
      body,
      headers: {
        ...headersOf(d, body),
        "X-Shopify-Topic": d.topic === "orders/paid" ? "orders/create" : "orders/paid",
      },
    }),
    "missing topic": (d, body) => {
      const headers: Record<string, string> = headersOf(d, body);
      delete headers["X-Shopify-Topic"];
      return { body, headers };
    },
    "mangled shop domain": (d, body) => ({
      body,
      headers: {
        ...headersOf(d, body),
        "X-Shopify-Shop-Domain": pick([
          "evil.example.com",
          `${d.shop}/../x`,
          "",
          "UPPER.myshopify.com",
        ]),
      },
    }),
    "missing shop domain": (d, body) => {
      const headers: Record<string, string> = headersOf(d, body);
      delete headers["X-Shopify-Shop-Domain"];
      return { body, headers };
    },
    "bogus API version": (d, body) => ({
      body,
      headers: {
        ...headersOf(d, body),
        "X-Shopify-API-Version": pick(["1999", "latest", "2026-10; drop table", ""]),
      },
    }),
    "missing webhook id": (d, body) => {
      const headers: Record<string, string> = headersOf(d, body);
      delete headers["X-Shopify-Webhook-Id"];
      return { body, headers };
    },
  };
  const names = Object.keys(mutations);

  for (let i = 0; i < options.sent; i++) {
    const d = pick(delivered);
    const body = JSON.stringify(d.payload);
    const url = `${appUrl}/webhooks/${d.topic}`;
    // One in ten is a valid replay: the same delivery again, as Shopify retries it.
    if (random() < 0.1) {
      replays++;
      const response = await fetch(url, {
        method: "POST",
        headers: headersOf(d, body, d.webhookId),
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) findings.push(`replay of ${d.webhookId} → ${response.status}`);
      continue;
    }
    // Huge bodies are few: each is 2 MiB on a shared machine.
    let name = names[i % names.length]!;
    if (name === "huge body" && random() > 0.1) name = "truncated body";
    const { body: sent, headers } = mutations[name]!(d, body);
    let status: number;
    try {
      const response = await fetch(url, { method: "POST", headers, body: sent });
      await response.arrayBuffer();
      status = response.status;
    } catch (error) {
      // A huge body may be refused before it is all sent: the connection closes after a 413.
      status = name === "huge body" ? 413 : 0;
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      if (status === 0)
        findings.push(`${name}: ${(error as Error).message} (${cause?.code ?? cause?.message})`);
    }
    if (status < 400 || status >= 500) {
      non4xx++;
      if (findings.length < 50) findings.push(`${name} (${d.topic}) → ${status}`);
    }
  }
  const stored = (await options.deliveriesStored()) - before;
  const health = await fetch(`${appUrl}/health`).then(
    (r) => r.status,
    () => 0,
  );
  if (health !== 200) findings.push(`the server stopped answering (/health → ${health})`);
  return {
    sent: options.sent,
    non4xx: non4xx + (health === 200 ? 0 : 1),
    stored,
    replays,
    findings,
  };
}
