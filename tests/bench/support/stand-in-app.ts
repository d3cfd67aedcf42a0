// The app's side of the shop simulator's per-order work, played without the app: an HTTP server
// that takes every webhook with 200 and, for each orders/paid, sends the simulator the routing
// read the worker sends (one print line), as the scale benchmark's fleet does per order. Used by
// simulator-cpu.ts (in a process of its own, so its CPU is not counted) and by the scale
// benchmark's warm-up of the simulator (in the benchmark's process, before anything is measured).
import { Agent, createServer, request } from "node:http";
import { ORDER_ROUTING_SNAPSHOT_QUERY, routingReadVariables } from "../simulator-cpu/routing-read";

export interface StandInApp {
  url: string;
  /** Routing reads answered so far, those refused among them, and connections the simulator opened. */
  progress(): { read: number; failed: number; connections: number };
  close(): Promise<void>;
}

export function startStandInApp(
  simUrl: string,
  tokens: Record<string, string>,
): Promise<StandInApp> {
  const agent = new Agent({ keepAlive: true, timeout: 4_000 });
  let read = 0;
  let failed = 0;
  /** Connections the simulator opened to this app (webhooks): each costs both sides a handshake. */
  let connections = 0;

  function routingRead(shop: string, orderId: string): Promise<boolean> {
    const body = Buffer.from(
      JSON.stringify({
        query: ORDER_ROUTING_SNAPSHOT_QUERY,
        variables: routingReadVariables(orderId),
      }),
    );
    return new Promise((resolve) => {
      const req = request(
        `${simUrl}/admin/api/2026-10/graphql.json`,
        {
          method: "POST",
          agent,
          headers: {
            "Content-Type": "application/json",
            "Content-Length": String(body.length),
            "X-Shopify-Access-Token": tokens[shop]!,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const answer = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
              errors?: unknown;
              data?: { order?: unknown };
            };
            if (answer.errors || !answer.data?.order)
              process.stderr.write(
                `routing read refused: ${JSON.stringify(answer).slice(0, 300)}\n`,
              );
            resolve(!answer.errors && !!answer.data?.order);
          });
        },
      );
      req.on("error", () => resolve(false));
      req.end(body);
    });
  }

  const progress = () => ({ read, failed, connections });
  const server = createServer((req, res) => {
    if (req.method === "GET") {
      res.end(JSON.stringify(progress()));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(200).end();
      if (req.url !== "/webhooks/orders/paid") return;
      const order = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        admin_graphql_api_id: string;
      };
      void routingRead(
        String(req.headers["x-shopify-shop-domain"]),
        order.admin_graphql_api_id,
      ).then((ok) => {
        read += 1;
        if (!ok) failed += 1;
      });
    });
  });
  server.on("connection", () => (connections += 1));
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        progress,
        close: () =>
          new Promise<void>((done) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
