// The Admin API's HTTP (httpFetch) keeps what the gateway relies on from fetch: the request as
// sent, the answer's status, headers and body, kept-alive connections, the signal's reason on a
// timeout, fetch's own TypeError on a refused connection or an answer cut off.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpFetch } from "./http-transport.server";

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(null));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/api/graphql.json`;
}

describe("httpFetch", () => {
  it("posts the body and headers and reads the whole answer, over one kept-alive connection", async () => {
    // GIVEN a server that echoes what it got, in two chunks
    const sockets = new Set<unknown>();
    const url = await serve((req, res) => {
      sockets.add(req.socket);
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        res.writeHead(200, {
          "Content-Type": "application/json",
          "X-Shopify-API-Deprecated-Reason": "a reason",
        });
        res.write(`{"method":${JSON.stringify(req.method)},"token":`);
        res.end(`${JSON.stringify(req.headers["x-shopify-access-token"])},"body":${body}}`);
      });
    });
    // WHEN two calls are made one after the other
    for (const n of [1, 2]) {
      const answer = await httpFetch(url, {
        method: "POST",
        headers: new Headers({
          "X-Shopify-Access-Token": "tok",
          "Content-Type": "application/json",
        }),
        body: JSON.stringify({ query: "{ shop { name } }", n, word: "café" }),
      });
      // THEN each answer is read whole, with its status and headers
      expect(answer.status).toBe(200);
      expect(answer.ok).toBe(true);
      expect(answer.headers.get("x-shopify-api-deprecated-reason")).toBe("a reason");
      expect(JSON.parse(await answer.text())).toEqual({
        method: "POST",
        token: "tok",
        body: { query: "{ shop { name } }", n, word: "café" },
      });
    }
    // AND the second went over the first's connection
    expect(sockets.size).toBe(1);
  });

  it("hands a non-2xx answer back as an answer, not an error", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(429, { "Retry-After": "1" });
      res.end('{"errors":"Throttled"}');
    });
    const answer = await httpFetch(url, { method: "POST", body: "{}" });
    expect(answer.status).toBe(429);
    expect(answer.ok).toBe(false);
    expect(await answer.text()).toBe('{"errors":"Throttled"}');
  });

  it("rejects with the signal's reason when no answer comes in time", async () => {
    const url = await serve(() => {
      // Never answers.
    });
    const outcome = await httpFetch(url, {
      method: "POST",
      body: "{}",
      signal: AbortSignal.timeout(50),
    }).catch((e: unknown) => e);
    expect((outcome as Error).name).toBe("TimeoutError");
  });

  it("rejects with fetch's TypeError when the answer is cut off", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "Content-Length": "100" });
      res.write('{"data":');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const outcome = await httpFetch(url, { method: "POST", body: "{}" }).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(TypeError);
    expect((outcome as Error).message).toBe("fetch failed");
  });

  it("rejects with fetch's TypeError when nothing listens", async () => {
    const url = await serve(() => undefined);
    server!.close();
    await new Promise((r) => setTimeout(r, 10));
    const outcome = await httpFetch(url, { method: "POST", body: "{}" }).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(TypeError);
    expect(((outcome as Error).cause as { code?: string }).code).toBe("ECONNREFUSED");
  });
});
