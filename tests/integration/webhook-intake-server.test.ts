// The production server's webhook path (server/app.ts) against the Remix routes it bypasses: the
// same answers and the same stored rows, and everything that is not a delivery still reaches Remix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import * as health from "~/routes/health";
import * as ordersPaid from "~/routes/webhooks.orders.paid";
import * as appUninstalled from "~/routes/webhooks.app.uninstalled";
import { createApp, webhookActions } from "../../server/app";
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
