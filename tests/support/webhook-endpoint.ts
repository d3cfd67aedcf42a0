// The app's webhook endpoint as production serves it, on a free port: every topic goes to the inbox.
// Deliveries of topics held back reach the app only when let in: the same signed bytes, late, as
// when Shopify's deliveries of one event arrive in any order and hours apart.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { intakeWebhook } from "~/webhooks/intake.server";

export interface WebhookEndpoint {
  server: Server;
  url: string;
  /** From now on, deliveries of these topics are kept at the door (Shopify is told 200). */
  holdBack(topics: readonly string[]): void;
  /** Hands the kept deliveries to the app's intake in the order they came, and stops holding. */
  letIn(): Promise<void>;
  /** Forgets what was kept and holds nothing back (a new test's start). */
  reset(): void;
}

interface Kept {
  url: string;
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
}

export async function startWebhookEndpoint(): Promise<WebhookEndpoint> {
  let held = new Set<string>();
  let kept: Kept[] = [];
  const intake = ({ url, headers, body }: Kept) =>
    intakeWebhook(new Request(`http://127.0.0.1${url}`, { method: "POST", headers, body }));
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const delivery = { url: req.url ?? "/", headers, body: new Uint8Array(Buffer.concat(chunks)) };
    if (req.method === "POST" && held.has(headers.get("x-shopify-topic") ?? "")) {
      kept.push(delivery);
      res.writeHead(200).end();
      return;
    }
    const response =
      req.method === "POST"
        ? await intake(delivery)
        : await intakeWebhook(new Request(`http://127.0.0.1${req.url}`, { method: req.method }));
    res.writeHead(response.status).end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdBack(topics) {
      held = new Set(topics);
    },
    async letIn() {
      held = new Set();
      const late = kept;
      kept = [];
      for (const delivery of late) {
        const response = await intake(delivery);
        if (!response.ok) throw new Error(`A late delivery was refused: ${response.status}`);
      }
    },
    reset() {
      held = new Set();
      kept = [];
    },
  };
}
