// A stand-in for the app's webhook endpoint in tests: records every delivery (raw body and headers) and answers as told.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: Record<string, string>;
  raw: string;
  at: number;
}

export async function startReceiver(
  answer: (r: Received, n: number) => number | Promise<number> = () => 200,
) {
  const received: Received[] = [];
  const app = new Hono();
  app.post("*", async (c) => {
    const r: Received = {
      path: new URL(c.req.url).pathname,
      headers: Object.fromEntries(c.req.raw.headers),
      raw: await c.req.text(),
      at: Date.now(),
    };
    received.push(r);
    const status = await answer(r, received.length);
    return c.body(null, status as 200);
  });
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const server = serve(
        { fetch: app.fetch, port: 0, hostname: "127.0.0.1" },
        (info: AddressInfo) => resolve({ server, port: info.port }),
      );
    },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stop: () =>
      new Promise<void>((done) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => done());
      }),
  };
}
