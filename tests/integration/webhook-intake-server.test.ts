// The production server's webhook paths (server/webhooks.ts from Node's request, server/app.ts from
// a Fetch request) against the Remix routes they bypass: the same answers and the same stored rows,
// and everything that is not a delivery still reaches Remix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import * as health from "~/routes/health";
import * as ordersPaid from "~/routes/webhooks.orders.paid";
import * as appUninstalled from "~/routes/webhooks.app.uninstalled";
import { MAX_WEBHOOK_BODY_BYTES } from "~/webhooks/body.server";
import { createApp, webhookActions } from "../../server/app";
import { webhookIntakes, webhooksFirst } from "../../server/webhooks";
import { installShop } from "../support/install";
import { respond, signedDelivery } from "../support/webhooks";

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

const viaServer = (request: Request) => app.fetch(request);
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

describe("the production server's webhook path", () => {
  beforeEach(async () => {
    await db.webhookDelivery.deleteMany({});
    await installShop(db, shop);
  });

  it("finds every fixed webhook route of the build, and only those", () => {
    expect([...webhookActions(build).keys()].sort()).toEqual([
      "/webhooks/app/uninstalled",
      "/webhooks/orders/paid",
    ]);
  });

  it("stores the same row as the Remix route, and answers the same", async () => {
    const sent = {
      topic: "orders/paid",
      shop,
      body,
      triggeredAt: "2026-11-20T10:00:00.000Z",
      eventId: "event-1",
    };
    const fast = await viaServer(signedDelivery({ ...sent, webhookId: "via-server" }));
    const remix = await viaRoute(signedDelivery({ ...sent, webhookId: "via-route" }));
    expect([fast.status, remix.status]).toEqual([200, 200]);
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
  ] as const) {
    it(`answers ${status} to ${name} like the route, and stores nothing`, async () => {
      const make = () => signedDelivery({ topic: "orders/paid", shop, body, ...change });
      expect((await viaServer(make())).status).toBe(status);
      expect((await viaRoute(make())).status).toBe(status);
      expect(await db.webhookDelivery.count()).toBe(0);
    });
  }

  it("acknowledges concurrent copies of one delivery and stores it once", async () => {
    const copies = Array.from({ length: 5 }, () =>
      viaServer(signedDelivery({ topic: "orders/paid", shop, body, webhookId: "same" })),
    );
    expect((await Promise.all(copies)).map((response) => response.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(await db.webhookDelivery.count({ where: { webhookId: "same" } })).toBe(1);
  });

  it("matches a path as Remix would: any letter case, one trailing slash", async () => {
    const request = signedDelivery({ topic: "orders/paid", shop, body, webhookId: "odd-path" });
    const odd = new Request(
      request.url.replace("/webhooks/orders/paid", "/Webhooks/Orders/Paid/"),
      request,
    );
    expect((await viaServer(odd)).status).toBe(200);
    expect(await db.webhookDelivery.count({ where: { webhookId: "odd-path" } })).toBe(1);
  });

  it("passes a route's thrown answer through (app/uninstalled with a bad signature)", async () => {
    const request = signedDelivery({
      topic: "app/uninstalled",
      shop,
      body: { id: 1 },
      secret: "forged",
    });
    expect((await viaServer(request)).status).toBe(401);
  });
});

describe("everything else goes to Remix or the client build", () => {
  it("serves resource routes through Remix", async () => {
    const response = await app.fetch(new Request("http://localhost/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

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

  it("leaves a GET of a webhook path to Remix", async () => {
    const response = await app.fetch(new Request("http://localhost/webhooks/orders/paid"));
    expect(response.status).not.toBe(200);
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

describe("deliveries answered from Node's request, ahead of the Fetch app", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer(
      webhooksFirst(build, getRequestListener(app.fetch, { overrideGlobalObjects: false })),
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

  /** Sends a built delivery over HTTP to the server, at `path` if given. */
  const overHttp = async (request: Request, path = new URL(request.url).pathname) =>
    fetch(`${base}${path}`, {
      method: request.method,
      headers: request.headers,
      body: request.method === "GET" ? undefined : await request.arrayBuffer(),
    });

  /**
   * A raw request, for what fetch will not send: a false length, or a body that never ends. The
   * answer's status, or "reset" when the server closed the connection while the client was still
   * writing (TCP may then drop the answer before the client reads it).
   */
  function rawPost(
    headers: Record<string, string>,
    write: (chunk: (bytes: Buffer) => boolean) => void,
  ): Promise<{ status: number | "reset"; connection?: string; sent: number }> {
    return new Promise((resolveAnswer) => {
      let sent = 0;
      let done = false;
      const outgoing = httpRequest(
        `${base}/webhooks/orders/paid`,
        { method: "POST", headers },
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
      write((bytes) => {
        if (done || outgoing.destroyed) return false;
        sent += bytes.length;
        outgoing.write(bytes);
        return true;
      });
    });
  }

  it("takes only the intake routes of the build (not those that use Shopify's library)", () => {
    expect([...webhookIntakes(build).keys()]).toEqual(["/webhooks/orders/paid"]);
  });

  it("stores the same row as the Remix route, and answers the same", async () => {
    const sent = {
      topic: "orders/paid",
      shop,
      body,
      triggeredAt: "2026-11-20T10:00:00.000Z",
      eventId: "event-2",
    };
    const node = await overHttp(signedDelivery({ ...sent, webhookId: "via-node" }));
    const remix = await viaRoute(signedDelivery({ ...sent, webhookId: "via-route-2" }));
    expect([node.status, remix.status]).toEqual([200, 200]);
    expect(await node.text()).toBe("");
    const [a, b] = await Promise.all([storedRow("via-node"), storedRow("via-route-2")]);
    expect({ ...a, webhookId: "" }).toEqual({ ...b, webhookId: "" });
  });

  for (const [name, change, status] of [
    ["a bad signature", { secret: "not-the-app-secret" }, 401],
    ["a body that is not JSON", { body: "{not json" }, 400],
    ["a topic header that is not the endpoint's", { topic: "orders/cancelled" }, 400],
  ] as const) {
    it(`answers ${status} to ${name} with the route's words, and stores nothing`, async () => {
      const make = () => signedDelivery({ topic: "orders/paid", shop, body, ...change });
      const node = await overHttp(make(), "/webhooks/orders/paid");
      const remix = await viaRoute(
        new Request(make().url.replace(/webhooks\/.*$/, "webhooks/orders/paid"), make()),
      );
      expect([node.status, remix.status]).toEqual([status, status]);
      expect(await node.text()).toBe(await remix.text());
      expect(node.headers.get("content-type")).toBe(remix.headers.get("content-type"));
      expect(await db.webhookDelivery.count()).toBe(0);
    });
  }

  it("acknowledges concurrent copies of one delivery and stores it once", async () => {
    const copies = Array.from({ length: 5 }, () =>
      overHttp(signedDelivery({ topic: "orders/paid", shop, body, webhookId: "same-node" })),
    );
    expect((await Promise.all(copies)).map((response) => response.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(await db.webhookDelivery.count({ where: { webhookId: "same-node" } })).toBe(1);
  });

  it("matches a path as Remix would: any letter case, one trailing slash", async () => {
    const request = signedDelivery({ topic: "orders/paid", shop, body, webhookId: "odd-node" });
    expect((await overHttp(request, "/Webhooks/Orders/Paid/")).status).toBe(200);
    expect(await db.webhookDelivery.count({ where: { webhookId: "odd-node" } })).toBe(1);
  });

  it("answers 413 to a declared length over the limit without reading it, and closes", async () => {
    const signed = signedDelivery({ topic: "orders/paid", shop, body });
    const headers = Object.fromEntries(signed.headers);
    const answer = await rawPost(
      { ...headers, "Content-Length": String(MAX_WEBHOOK_BODY_BYTES + 1) },
      (chunk) => chunk(Buffer.alloc(1024, 32)),
    );
    expect(answer).toEqual({ status: 413, connection: "close", sent: 1024 });
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("cuts off a streamed body without a length once it passes the limit", async () => {
    const signed = signedDelivery({ topic: "orders/paid", shop, body });
    const headers = Object.fromEntries(signed.headers);
    const answer = await rawPost({ ...headers, "Transfer-Encoding": "chunked" }, (chunk) => {
      const more = () => {
        if (chunk(Buffer.alloc(256 * 1024, 32))) setTimeout(more, 10);
      };
      more();
    });
    // Answered 413, or the connection closed under the writer: either way it stopped reading.
    expect([413, "reset"]).toContain(answer.status);
    expect(answer.sent).toBeGreaterThan(MAX_WEBHOOK_BODY_BYTES);
    expect(answer.sent).toBeLessThan(4 * MAX_WEBHOOK_BODY_BYTES);
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("passes everything else on: other methods, routes without intake, other paths", async () => {
    expect((await fetch(`${base}/webhooks/orders/paid`)).status).not.toBe(200);
    const forged = signedDelivery({ topic: "app/uninstalled", shop, body: { id: 1 }, secret: "x" });
    expect((await overHttp(forged)).status).toBe(401);
    const health = await fetch(`${base}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
  });
});
