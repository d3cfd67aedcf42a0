// The app's side of simulator-cpu.ts, in a process of its own so its CPU is not counted: takes every webhook with 200 and, for each orders/paid, sends the routing read the worker sends (one print line), as the scale benchmark's fleet does per order.
import { Agent, createServer, request } from "node:http";
import { ORDER_ROUTING_SNAPSHOT_QUERY, routingReadVariables } from "./routing-read";

const simUrl = process.env.SIM_URL!;
const tokens = JSON.parse(process.env.SIM_TOKENS!) as Record<string, string>;
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
            process.stderr.write(`routing read refused: ${JSON.stringify(answer).slice(0, 300)}\n`);
          resolve(!answer.errors && !!answer.data?.order);
        });
      },
    );
    req.on("error", () => resolve(false));
    req.end(body);
  });
}

const server = createServer((req, res) => {
  if (req.method === "GET") {
    res.end(JSON.stringify({ read, failed, connections }));
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
    void routingRead(String(req.headers["x-shopify-shop-domain"]), order.admin_graphql_api_id).then(
      (ok) => {
        read += 1;
        if (!ok) failed += 1;
      },
    );
  });
});
server.on("connection", () => (connections += 1));
server.listen(0, "127.0.0.1", () => {
  const address = server.address() as { port: number };
  process.stdout.write(`listening http://127.0.0.1:${address.port}\n`);
});
