// The assembled simulator over real HTTP: started on port 0, the mounted auth routes hand out a token by token exchange, and that token works on the Admin API.
import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEMO_SHOP } from "./seed/demo.ts";
import { createSimulator } from "./server.ts";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

describe("createSimulator().start(0)", () => {
  it("serves token exchange from the mounted auth routes, and the exchanged token is accepted by the Admin API", async () => {
    const sim = createSimulator({ apiKey: "key-1", apiSecret: "secret-1", subscriptions: [] });
    const { url, stop } = await sim.start(0);
    stops.push(stop);
    const minted = (await (await fetch(`${url}/_sim/session-token?shop=${DEMO_SHOP}`)).json()) as {
      token: string;
    };
    const exchanged = await fetch(`${url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        client_id: "key-1",
        client_secret: "secret-1",
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: minted.token,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      }),
    });
    expect(exchanged.status).toBe(200);
    const { access_token } = (await exchanged.json()) as { access_token: string };
    const res = await fetch(`${url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": access_token },
      body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
    });
    expect(await res.json()).toMatchObject({ data: { shop: { myshopifyDomain: DEMO_SHOP } } });
  });

  it("stops answering once stopped, and a wrong API version is refused", async () => {
    const sim = createSimulator({ subscriptions: [] });
    const { url, stop } = await sim.start(0);
    const token = sim.mintToken(DEMO_SHOP);
    const wrong = await fetch(`${url}/admin/api/2024-01/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(wrong.status).toBe(404);
    await stop();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("keeps tokens across restarts when given a state directory (SIM_STATE_DIR)", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "sim-state-"));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const first = createSimulator({ subscriptions: [], stateDir: dir });
    const token = first.mintToken(DEMO_SHOP);
    const second = createSimulator({ subscriptions: [], stateDir: dir });
    const res = await second.app.request("/admin/api/2026-10/graphql.json", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query: "{ orders(first: 1) { nodes { name } } }" }),
    });
    expect(await res.json()).toMatchObject({ data: { orders: { nodes: [{ name: "#1001" }] } } });
    // The demo shop's ids are the same on every start, so stored ids keep pointing at the same orders.
    expect([...first.state.shop(DEMO_SHOP)!.orders.keys()]).toEqual([
      ...second.state.shop(DEMO_SHOP)!.orders.keys(),
    ]);
  });

  it("keeps an idle keep-alive connection open past Node's 5 s default (closed at about 6 s), so a client never writes into a socket the server is closing", async () => {
    const sim = createSimulator({ apiKey: "key-1", apiSecret: "secret-1", subscriptions: [] });
    const { port, stop } = await sim.start(0);
    stops.push(stop);
    const socket = connect(port, "127.0.0.1");
    socket.setEncoding("utf8");
    let received = "";
    let closed = false;
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("close", () => (closed = true));
    const ask = () =>
      socket.write("GET /health HTTP/1.1\r\nHost: sim\r\nConnection: keep-alive\r\n\r\n");
    ask();
    await vi.waitFor(() => expect(received).toContain('{"ok":true}'));
    // Node closes an idle connection after 5 s unless told otherwise; wait beyond that.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(closed).toBe(false);
    received = "";
    ask();
    await vi.waitFor(() => expect(received).toContain('{"ok":true}'));
    socket.destroy();
  }, 15_000);

  it("sends webhooks and opens the app at the address set after it started (setAppUrl), for an app that takes its port only as it starts", async () => {
    const received: string[] = [];
    const app = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(200).end();
    });
    await new Promise<void>((done) => app.listen(0, "127.0.0.1", done));
    stops.push(() => new Promise((done) => app.close(() => done())));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    const sim = createSimulator({
      appUrl: "http://127.0.0.1:9",
      subscriptions: [{ topic: "orders/create", uri: "/webhooks/orders/create" }],
    });
    const { url, stop } = await sim.start(0);
    stops.push(stop);
    sim.setAppUrl(appUrl);
    const opened = await fetch(`${url}/_sim/open?shop=${DEMO_SHOP}&path=/app`, {
      redirect: "manual",
    });
    expect(opened.headers.get("location")).toMatch(new RegExp(`^${appUrl}/app\\?`));
    const placed = await fetch(`${url}/_sim/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        shop: DEMO_SHOP,
        order: { lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] },
      }),
    });
    expect(placed.status).toBe(201);
    await vi.waitFor(() => expect(received).toContain("POST /webhooks/orders/create"));
  });
});
