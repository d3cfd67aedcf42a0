// The production server's webhook paths (server/webhooks.ts from Node's request, server/app.ts from
// a Fetch request) against the Remix routes they bypass: the same answers and the same stored rows,
// everything that is not a delivery still reaches Remix, and a body over the limit is answered 413
// to whoever sends it, a proxy in front of the app included, never with a reset.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import * as health from "~/routes/health";
import * as ordersPaid from "~/routes/webhooks.orders.paid";
import * as appUninstalled from "~/routes/webhooks.app.uninstalled";
import {
  DROP_AT_MOST_BYTES as ROUTE_DROPS_AT_MOST_BYTES,
  MAX_WEBHOOK_BODY_BYTES,
} from "~/webhooks/body.server";
import { createApp, webhookActions } from "../../server/app";
import { DROP_AT_MOST_BYTES, webhookIntakes, webhooksFirstServer } from "../../server/webhooks";
import { installShop } from "../support/install";
import { startRoundRobin } from "../support/processes";
import { respond, signedDelivery, watchedBody } from "../support/webhooks";

const shop = "server-test.myshopify.com";
const body = { id: 1, admin_graphql_api_id: "gid://shopify/Order/1", total_price: "10.00" };

// A server build as `remix vite:build` shapes it, holding the app's real route modules; the
// document entry is a stand-in, since no test here renders a page.
function buildWith(assetsBuildDirectory: string): ServerBuild {
  const route = (id: string, path: string | undefined, module: object) => ({
    id,
    parentId: id === "root" ? undefined : "root",
    path,
    module,
  });
  return {
    mode: "production",
    entry: {
      module: {
        default: (_request: Request, status: number) => new Response("document", { status }),
      },
    },
    routes: {
      root: route("root", "", { default: () => null }),
      "routes/health": route("routes/health", "health", health),
      "routes/webhooks.orders.paid": route(
        "routes/webhooks.orders.paid",
        "webhooks/orders/paid",
        ordersPaid,
      ),
      "routes/webhooks.app.uninstalled": route(
        "routes/webhooks.app.uninstalled",
        "webhooks/app/uninstalled",
        appUninstalled,
      ),
      "routes/webhooks.$topic": route("routes/webhooks.$topic", "webhooks/:topic", ordersPaid),
    },
    assets: {
      entry: { module: "/assets/entry.js", imports: [] },
      routes: {},
      url: "/assets/manifest.js",
      version: "test",
    },
    publicPath: "/",
    assetsBuildDirectory,
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_lazyRouteDiscovery: true,
      v3_singleFetch: true,
      v3_routeConfig: false,
    },
    isSpaMode: false,
  } as unknown as ServerBuild;
}

const client = mkdtempSync(join(tmpdir(), "fulfilment-router-client-"));
mkdirSync(join(client, "assets"));
writeFileSync(join(client, "assets", "app-abc123.js"), "console.log('app')");
writeFileSync(join(client, "favicon.ico"), "icon");
afterAll(() => rmSync(client, { recursive: true, force: true }));
const build = buildWith(client);
const app = createApp({ build, mode: "production" });

const viaRoute = (request: Request) => respond(ordersPaid.action, request);

function storedRow(webhookId: string) {
  return db.webhookDelivery.findUniqueOrThrow({
    where: { webhookId },
    select: {
      webhookId: true,
      eventId: true,
      topic: true,
      shop: true,
      apiVersion: true,
      triggeredAt: true,
      subjectId: true,
      payload: true,
      status: true,
    },
  });
}

/** A signed delivery over the limit (by default a little, as the fault run's fuzzer sends one). */
const hugeBody = (over = 10) =>
  JSON.stringify({ padding: "x".repeat(MAX_WEBHOOK_BODY_BYTES + over) });

// The production server as `npm start` runs it: deliveries from Node's request, the rest to the app.
let server: Server;
let base = "";
/** The connection each request came on (numbered as accepted), to see one carry the next request. */
let connectionOf: number[] = [];
beforeAll(async () => {
  server = webhooksFirstServer(
    build,
    getRequestListener(app.fetch, { overrideGlobalObjects: false }),
  );
  const numbers = new WeakMap<Socket, number>();
  let accepted = 0;
  server.on("connection", (socket: Socket) => numbers.set(socket, ++accepted));
  server.on("request", (request: IncomingMessage) =>
    connectionOf.push(numbers.get(request.socket) ?? 0),
  );
  await new Promise<void>((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolveClose) => server.close(resolveClose));
});

beforeEach(async () => {
  await db.webhookDelivery.deleteMany({});
  await installShop(db, shop);
});

/**
 * A way a request reaches the production server; each sends a built request, at `path` if given.
 * A `streamed` body is passed on as it is read, not read whole first.
 */
const transports = [
  {
    name: "the Fetch app (server/app.ts)",
    send: (request: Request, path?: string, _options?: { streamed: boolean }) =>
      app.fetch(path ? new Request(new URL(path, request.url), request) : request),
  },
  {
    name: "Node's request over HTTP (server/webhooks.ts)",
    send: async (
      request: Request,
      path = new URL(request.url).pathname,
      { streamed = false } = {},
    ) =>
      fetch(`${base}${path}`, {
        method: request.method,
        headers: request.headers,
        body:
          request.method === "GET"
            ? undefined
            : streamed
              ? request.body
              : await request.arrayBuffer(),
        duplex: "half",
      } as RequestInit),
  },
];

describe("the build's webhook routes", () => {
  it("finds every fixed webhook route of the build, and only those", () => {
    expect([...webhookActions(build).keys()].sort()).toEqual([
      "/webhooks/app/uninstalled",
      "/webhooks/orders/paid",
    ]);
  });

  it("takes only the intake routes of the build (not those that use Shopify's library)", () => {
    expect([...webhookIntakes(build).keys()]).toEqual(["/webhooks/orders/paid"]);
  });

  it("drops as much of a refused body on the Remix routes as on Node's request", () => {
    expect(ROUTE_DROPS_AT_MOST_BYTES).toBe(DROP_AT_MOST_BYTES);
  });
});

describe.each(transports)("a delivery through $name", ({ send }) => {
  it("stores the same row as the Remix route, and answers the same", async () => {
    const sent = {
      topic: "orders/paid",
      shop,
      body,
      triggeredAt: "2026-11-20T10:00:00.000Z",
      eventId: "event-1",
    };
    const fast = await send(signedDelivery({ ...sent, webhookId: "via-server" }));
    const remix = await viaRoute(signedDelivery({ ...sent, webhookId: "via-route" }));
    expect([fast.status, remix.status]).toEqual([200, 200]);
    expect(await fast.text()).toBe("");
    const [a, b] = await Promise.all([storedRow("via-server"), storedRow("via-route")]);
    expect({ ...a, webhookId: "" }).toEqual({ ...b, webhookId: "" });
    expect(a).toMatchObject({
      topic: "orders/paid",
      shop,
      subjectId: "gid://shopify/Order/1",
      eventId: "event-1",
    });
  });

  for (const [name, change, status] of [
    ["a bad signature", { secret: "not-the-app-secret" }, 401],
    ["a body that is not JSON", { body: "{not json" }, 400],
    ["a topic header that is not the endpoint's", { topic: "orders/cancelled" }, 400],
    ["a body over the limit", { body: hugeBody() }, 413],
  ] as const) {
    it(`answers ${status} to ${name} with the route's words, and stores nothing`, async () => {
      const make = () => signedDelivery({ topic: "orders/paid", shop, body, ...change });
      const fast = await send(make(), "/webhooks/orders/paid");
      const remix = await viaRoute(
        new Request(make().url.replace(/webhooks\/.*$/, "webhooks/orders/paid"), make()),
      );
      expect([fast.status, remix.status]).toEqual([status, status]);
      expect(await fast.text()).toBe(await remix.text());
      expect(fast.headers.get("content-type")).toBe(remix.headers.get("content-type"));
      expect(await db.webhookDelivery.count()).toBe(0);
    });
  }

  for (const [name, declared] of [
    ["with its length declared", true],
    ["streamed without a length", false],
  ] as const) {
    it(`reads a body over the limit ${name} to its end before it answers 413, and stores nothing`, async () => {
      // A sender writes the whole body before it reads the answer (Shopify does, and so does a
      // proxy in front of the app): a body given up on unread reaches it as a reset, which a proxy
      // answers 502.
      const { headers, bytes } = await raw(
        signedDelivery({ topic: "orders/paid", shop, body: hugeBody(1024 * 1024) }),
      );
      const body = watchedBody(bytes);
      const refused = await send(
        new Request("http://localhost/webhooks/orders/paid", {
          method: "POST",
          headers: declared ? { ...headers, "Content-Length": String(bytes.length) } : headers,
          body: body.stream,
          duplex: "half",
        } as RequestInit),
        undefined,
        { streamed: true },
      );
      expect(refused.status).toBe(413);
      expect(body.seen).toEqual({ read: bytes.length, cancelled: false });
      expect(await db.webhookDelivery.count()).toBe(0);
    });
  }

  it("acknowledges concurrent copies of one delivery and stores it once", async () => {
    const copies = Array.from({ length: 5 }, () =>
      send(signedDelivery({ topic: "orders/paid", shop, body, webhookId: "same" })),
    );
    expect((await Promise.all(copies)).map((response) => response.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(await db.webhookDelivery.count({ where: { webhookId: "same" } })).toBe(1);
  });

  it("matches a path as Remix would: any letter case, one trailing slash", async () => {
    const request = signedDelivery({ topic: "orders/paid", shop, body, webhookId: "odd-path" });
    expect((await send(request, "/Webhooks/Orders/Paid/")).status).toBe(200);
    expect(await db.webhookDelivery.count({ where: { webhookId: "odd-path" } })).toBe(1);
  });

  it("passes a route's thrown answer through (app/uninstalled with a bad signature)", async () => {
    const request = signedDelivery({
      topic: "app/uninstalled",
      shop,
      body: { id: 1 },
      secret: "forged",
    });
    expect((await send(request)).status).toBe(401);
  });

  it("passes everything else on to Remix: other methods, other paths", async () => {
    expect((await send(new Request("http://localhost/webhooks/orders/paid"))).status).not.toBe(200);
    const health = await send(new Request("http://localhost/health"));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
  });
});

describe("everything else goes to Remix or the client build", () => {
  it("leaves a webhook path without a fixed route to Remix", async () => {
    await installShop(db, shop);
    const request = signedDelivery({ topic: "orders_create", shop, body, webhookId: "dynamic" });
    // Only Remix matches webhooks/:topic (the build above maps it to the intake action).
    const response = await app.fetch(
      new Request("http://localhost:3000/webhooks/orders_create", request),
    );
    expect(response.status).toBe(200);
    expect(await db.webhookDelivery.count({ where: { webhookId: "dynamic" } })).toBe(1);
  });

  it("serves hashed assets for good and other files for an hour", async () => {
    const asset = await app.fetch(new Request("http://localhost/assets/app-abc123.js"));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await asset.text()).toBe("console.log('app')");
    const icon = await app.fetch(new Request("http://localhost/favicon.ico"));
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
  });

  it("renders documents through Remix's entry", async () => {
    const response = await app.fetch(
      new Request("http://localhost/", { headers: { "user-agent": "Mozilla/5.0 Chrome/120" } }),
    );
    expect(await response.text()).toBe("document");
  });
});

/** Where an answer came from: its status and headers, and whether it came on a reused connection. */
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  reused: boolean;
}

/** A POST to the intake over `agent`'s connections, its body written whole. */
function post(agent: Agent, headers: Record<string, string>, bytes: Buffer): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const outgoing = httpRequest(
      `${base}/webhooks/orders/paid`,
      { method: "POST", headers, agent },
      (response) => {
        response.resume();
        response.on("end", () =>
          resolveAnswer({
            status: response.statusCode ?? 0,
            headers: response.headers,
            reused: outgoing.reusedSocket,
          }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(bytes);
  });
}

/** A signed delivery's headers and bytes, for a client other than fetch. */
async function raw(request: Request) {
  return {
    headers: Object.fromEntries(request.headers),
    bytes: Buffer.from(await request.arrayBuffer()),
  };
}

/**
 * A raw request, for what fetch will not send: a false length, or a body that never ends. `write`
 * is called again whenever the connection takes more, until it returns false. The answer's status,
 * or "reset" when the server closed the connection while the client was still writing (TCP may
 * then drop the answer before the client reads it).
 */
function rawPost(
  headers: Record<string, string>,
  write: () => Buffer | false,
): Promise<{ status: number | "reset"; connection?: string; sent: number }> {
  return new Promise((resolveAnswer) => {
    let sent = 0;
    let done = false;
    const outgoing = httpRequest(
      `${base}/webhooks/orders/paid`,
      { method: "POST", headers, agent: false },
      (response) => {
        done = true;
        response.resume();
        resolveAnswer({
          status: response.statusCode ?? 0,
          connection: response.headers.connection,
          sent,
        });
      },
    );
    outgoing.on("error", () => {
      if (done) return;
      done = true;
      resolveAnswer({ status: "reset", sent });
    });
    const more = () => {
      if (done || outgoing.destroyed) return;
      const bytes = write();
      if (bytes === false) return;
      sent += bytes.length;
      if (outgoing.write(bytes)) setImmediate(more);
      else outgoing.once("drain", more);
    };
    more();
  });
}

/** A front that streams each request's body to the app as it comes (no request buffering). */
async function startPipingFront(backend: string) {
  const front = createServer((request, response) => {
    const target = new URL(request.url ?? "/", backend);
    const upstream = httpRequest(
      target,
      { method: request.method, headers: { ...request.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => {
      if (response.headersSent) response.destroy();
      else response.writeHead(502).end();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolveListen) => front.listen(0, "127.0.0.1", resolveListen));
  return {
    url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => front.close(() => done())),
  };
}

describe("deliveries answered from Node's request, over a real connection", () => {
  describe.each([
    {
      name: "the fault run's front, which reads a body whole before it sends it on",
      start: (backend: string) => startRoundRobin([backend]),
    },
    { name: "a front that streams the body through", start: startPipingFront },
  ])("behind $name", ({ start }) => {
    it("answers 413 to a body over the limit, not a reset, and the front's connection carries the next delivery", async () => {
      const front = await start(base);
      try {
        connectionOf = [];
        const { headers, bytes } = await raw(
          signedDelivery({ topic: "orders/paid", shop, body: hugeBody() }),
        );
        const refused = await fetch(`${front.url}/webhooks/orders/paid`, {
          method: "POST",
          headers,
          body: bytes,
        });
        expect(refused.status).toBe(413);
        expect(await refused.text()).toBe(
          await (
            await viaRoute(signedDelivery({ topic: "orders/paid", shop, body: hugeBody() }))
          ).text(),
        );
        expect(await db.webhookDelivery.count()).toBe(0);

        const next = await raw(
          signedDelivery({ topic: "orders/paid", shop, body, webhookId: "after-413" }),
        );
        const taken = await fetch(`${front.url}/webhooks/orders/paid`, {
          method: "POST",
          headers: next.headers,
          body: next.bytes,
        });
        expect(taken.status).toBe(200);
        expect(await db.webhookDelivery.count({ where: { webhookId: "after-413" } })).toBe(1);
        expect(connectionOf).toEqual([connectionOf[0], connectionOf[0]]);
      } finally {
        await front.close();
      }
    });
  });

  for (const [name, framing] of [
    ["a declared length", (bytes: Buffer) => ({ "Content-Length": String(bytes.length) })],
    ["a streamed body without a length", () => ({ "Transfer-Encoding": "chunked" })],
  ] as const) {
    it(`reads ${name} over the limit to its end, answers 413 and keeps the connection for the next delivery`, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const { headers, bytes } = await raw(
          signedDelivery({ topic: "orders/paid", shop, body: hugeBody() }),
        );
        const refused = await post(agent, { ...headers, ...framing(bytes) }, bytes);
        expect(refused.status).toBe(413);
        expect(refused.headers.connection).toBe("keep-alive");

        const next = await raw(
          signedDelivery({ topic: "orders/paid", shop, body, webhookId: "kept-alive" }),
        );
        const taken = await post(agent, next.headers, next.bytes);
        expect(taken).toMatchObject({ status: 200, reused: true });
        expect(await db.webhookDelivery.count()).toBe(1);
      } finally {
        agent.destroy();
      }
    });
  }

  it("answers 413 to a declared length over what it would drop without reading it, and closes", async () => {
    const { headers } = await raw(signedDelivery({ topic: "orders/paid", shop, body }));
    let writes = 0;
    const answer = await rawPost(
      { ...headers, "Content-Length": String(MAX_WEBHOOK_BODY_BYTES + DROP_AT_MOST_BYTES + 1) },
      () => (writes++ === 0 ? Buffer.alloc(1024, 32) : false),
    );
    expect(answer).toEqual({ status: 413, connection: "close", sent: 1024 });
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("cuts off a streamed body that never ends once it has dropped what it would", async () => {
    const { headers } = await raw(signedDelivery({ topic: "orders/paid", shop, body }));
    const chunk = Buffer.alloc(1024 * 1024, 32);
    const answer = await rawPost({ ...headers, "Transfer-Encoding": "chunked" }, () => chunk);
    // Answered 413, or the connection closed under the writer: either way it stopped reading,
    // after the limit and what it drops past it, give or take what the sockets buffer.
    expect([413, "reset"]).toContain(answer.status);
    expect(answer.sent).toBeGreaterThan(MAX_WEBHOOK_BODY_BYTES + DROP_AT_MOST_BYTES);
    expect(answer.sent).toBeLessThan(
      MAX_WEBHOOK_BODY_BYTES + DROP_AT_MOST_BYTES + 16 * chunk.length,
    );
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("answers Expect: 100-continue with 413 before a body over the limit is sent, and with 100 for one within it", async () => {
    /** Sends the body only after a 100 Continue, as a client that asked for one must. */
    const expecting = (headers: Record<string, string>, bytes: Buffer) =>
      new Promise<{ status: number; continued: boolean; connection?: string }>(
        (resolveAnswer, reject) => {
          let continued = false;
          const outgoing = httpRequest(
            `${base}/webhooks/orders/paid`,
            { method: "POST", headers: { ...headers, Expect: "100-continue" }, agent: false },
            (response) => {
              response.resume();
              outgoing.destroy();
              resolveAnswer({
                status: response.statusCode ?? 0,
                continued,
                connection: response.headers.connection,
              });
            },
          );
          outgoing.on("continue", () => {
            continued = true;
            outgoing.end(bytes);
          });
          outgoing.on("error", reject);
        },
      );
    const huge = await raw(signedDelivery({ topic: "orders/paid", shop, body: hugeBody() }));
    expect(
      await expecting({ ...huge.headers, "Content-Length": String(huge.bytes.length) }, huge.bytes),
    ).toEqual({ status: 413, continued: false, connection: "close" });

    const fits = await raw(
      signedDelivery({ topic: "orders/paid", shop, body, webhookId: "continued" }),
    );
    expect(
      await expecting({ ...fits.headers, "Content-Length": String(fits.bytes.length) }, fits.bytes),
    ).toMatchObject({ status: 200, continued: true });
    expect(await db.webhookDelivery.count()).toBe(1);
  });
});
