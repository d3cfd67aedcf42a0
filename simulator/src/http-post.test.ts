// The poster writes the very request node:http writes for a URL and a headers object (webhooks' bytes and headers are what the app verifies), whatever form the body comes in.
import { createServer, type Server } from "node:net";
import { Agent, request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { HttpPoster } from "./http-post.ts";
import { sign } from "./webhooks/dispatcher.ts";

/** A server that records each request's raw bytes and answers 200 on a kept-alive connection. */
async function recorder(): Promise<{ url: string; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    socket.on("data", (chunk) => {
      received.push(chunk.toString("latin1"));
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=5\r\n\r\nok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, received, server };
}

/** What node:http itself writes for the URL, a headers object and a body. */
function nodeHttpPost(url: string, headers: Record<string, string>, body: string) {
  const agent = new Agent({ keepAlive: true });
  const payload = Buffer.from(body, "utf8");
  return new Promise<void>((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { ...headers, "Content-Length": String(payload.length) },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          agent.destroy();
          resolve();
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const HEADERS = {
  "Content-Type": "application/json",
  Accept: "*/*",
  "User-Agent": "Shopify-Captain-Hook",
  "X-Shopify-Topic": "orders/paid",
  "X-Shopify-Hmac-Sha256": "abc=",
  "X-Shopify-Shop-Domain": "bench-1.myshopify.com",
};

let open: Server | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

describe("HttpPoster", () => {
  it("writes byte for byte what node:http writes for a URL and a headers object, again on the kept-alive connection", async () => {
    const r = await recorder();
    open = r.server;
    const body = JSON.stringify({ note: "Grüße", id: 1 });
    const url = `${r.url}/webhooks/orders/paid?shop=x`;
    await nodeHttpPost(url, HEADERS, body);
    const poster = new HttpPoster();
    try {
      expect(await poster.post(url, HEADERS, body, 5_000)).toEqual({ status: 200, body: "ok" });
      expect(await poster.post(url, HEADERS, Buffer.from(body, "utf8"), 5_000)).toEqual({
        status: 200,
        body: "ok",
      });
    } finally {
      poster.close();
    }
    expect(r.received).toHaveLength(3);
    expect(r.received[0]).toContain(
      `\r\nContent-Length: ${Buffer.byteLength(body)}\r\nHost: 127.0.0.1:`,
    );
    expect(r.received[1]).toBe(r.received[0]);
    expect(r.received[2]).toBe(r.received[0]);
  });

  it("sends a URL's credentials as node:http does", async () => {
    const r = await recorder();
    open = r.server;
    const url = r.url.replace("http://", "http://us%20er:p%40ss@") + "/x";
    await nodeHttpPost(url, HEADERS, "{}");
    const poster = new HttpPoster();
    try {
      await poster.post(url, HEADERS, "{}", 5_000);
    } finally {
      poster.close();
    }
    expect(r.received[0]).toContain(`Authorization: Basic ${btoa("us er:p@ss")}\r\n`);
    expect(r.received[1]).toBe(r.received[0]);
  });

  it("signs the bytes of a body as it signs its text", () => {
    const body = JSON.stringify({ note: "Grüße" });
    expect(sign(Buffer.from(body, "utf8"), "secret")).toBe(sign(body, "secret"));
  });
});
