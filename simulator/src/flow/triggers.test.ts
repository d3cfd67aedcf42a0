// Shopify Flow's side of the app's extensions, after Shopify's "Flow trigger reference" and
// "Flow action endpoints" and the Admin API reference of flowTriggerReceive.
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { gql, testSimulator } from "../../test/helpers.ts";
import { DEMO_SHOP } from "../seed/demo.ts";
import { readFlowExtensions } from "./triggers.ts";

const RECEIVE = /* GraphQL */ `
  mutation Receive($handle: String, $payload: JSON) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

const NEEDS_REVIEW = "fulfillment-order-needs-review";
const payload = {
  order_id: "6100000000123",
  "Fulfillment order ID": "gid://shopify/FulfillmentOrder/6100000000124",
  Reason: "Canvas over 100 cm needs a look",
};

describe("Flow trigger reference: the app's deployed flow_trigger extensions", () => {
  it("reads each trigger's fields with reference fields under their documented payload keys", () => {
    const { triggers, actions } = readFlowExtensions();
    expect(triggers.map((t) => t.handle).sort()).toEqual([
      "drift-found",
      "fulfillment-order-needs-review",
      "fulfillment-request-stuck",
    ]);
    for (const t of triggers) {
      // Handles: at most 30 characters, alphanumeric and hyphens.
      expect(t.handle).toMatch(/^[a-z0-9-]{1,30}$/);
      expect(t.fields.map((f) => f.key)).toEqual(["order_id", "Fulfillment order ID", "Reason"]);
    }
    expect(actions.map((a) => a.handle).sort()).toEqual(["release-app-hold", "route-order-again"]);
    expect(actions.every((a) => a.fields.some((f) => f.key === "order_id" && f.required))).toBe(
      true,
    );
  });
});

describe("flowTriggerReceive (Admin API reference): starts the workflows of a trigger", () => {
  it("accepts a payload with every field of the trigger and records the run", async () => {
    const { sim, token } = testSimulator();
    const answer = await gql(sim, token, RECEIVE, { handle: NEEDS_REVIEW, payload });
    expect(answer.body.data?.flowTriggerReceive).toEqual({ userErrors: [] });
    const res = await sim.app.request(`/_sim/flow/triggers?shop=${DEMO_SHOP}`);
    const { triggers } = (await res.json()) as { triggers: { handle: string; payload: unknown }[] };
    expect(triggers).toEqual([
      expect.objectContaining({ shop: DEMO_SHOP, handle: NEEDS_REVIEW, payload }),
    ]);
  });

  it("answers userErrors, and starts nothing, for an unknown handle", async () => {
    const { sim, token } = testSimulator();
    const answer = await gql(sim, token, RECEIVE, { handle: "no-such-trigger", payload });
    expect(answer.body.data?.flowTriggerReceive.userErrors).toEqual([
      { field: ["handle"], message: expect.stringContaining("no-such-trigger") },
    ]);
    expect(sim.state.flow.received).toHaveLength(0);
  });

  it("answers userErrors for a payload missing a field of the trigger", async () => {
    const { sim, token } = testSimulator();
    const { Reason: _reason, ...partial } = payload;
    const answer = await gql(sim, token, RECEIVE, { handle: NEEDS_REVIEW, payload: partial });
    expect(answer.body.data?.flowTriggerReceive.userErrors).toEqual([
      { field: ["payload", "Reason"], message: expect.any(String) },
    ]);
    expect(sim.state.flow.received).toHaveLength(0);
  });

  it("answers userErrors when a reference field does not carry the resource's numeric ID", async () => {
    const { sim, token } = testSimulator();
    const answer = await gql(sim, token, RECEIVE, {
      handle: NEEDS_REVIEW,
      payload: { ...payload, order_id: "#1001" },
    });
    expect(answer.body.data?.flowTriggerReceive.userErrors[0].field).toEqual([
      "payload",
      "order_id",
    ]);
  });

  it("refuses a payload over 50 KB", async () => {
    const { sim, token } = testSimulator();
    const answer = await gql(sim, token, RECEIVE, {
      handle: NEEDS_REVIEW,
      payload: { ...payload, Reason: "x".repeat(51_000) },
    });
    expect(answer.body.data?.flowTriggerReceive.userErrors[0].message).toMatch(/50 KB/);
  });
});

describe("Flow action endpoints: Flow POSTs a signed request to the action's runtime URL", () => {
  it("sends shop, run id, handle and properties, signed with the app's client secret", async () => {
    const seen: { path: string; headers: Record<string, unknown>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen.push({ path: req.url ?? "", headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { sim } = testSimulator({ appUrl, apiSecret: "flow-secret" });
      const res = await sim.app.request("/_sim/flow/actions/route-order-again", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ shop: DEMO_SHOP, properties: { order_id: "42" } }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: number }).status).toBe(200);
      const [request] = seen;
      expect(request!.path).toBe("/flow/actions/route-order-again");
      const body = JSON.parse(request!.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        shopify_domain: DEMO_SHOP,
        handle: "route-order-again",
        properties: { order_id: "42" },
      });
      expect(body.action_run_id).toEqual(expect.any(String));
      expect(request!.headers["x-shopify-hmac-sha256"]).toBe(
        createHmac("sha256", "flow-secret").update(request!.body).digest("base64"),
      );
    } finally {
      server.close();
    }
  });

  it("refuses to run an action without its required properties", async () => {
    const { sim } = testSimulator();
    const res = await sim.app.request("/_sim/flow/actions/release-app-hold", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: DEMO_SHOP, properties: {} }),
    });
    expect(res.status).toBe(422);
  });
});

describe("Flow trigger lifecycle callbacks: Flow tells the app which triggers a shop's workflows use", () => {
  /** An app that answers the callback with `status`, and what it was sent. */
  async function appAnswering(status: number) {
    const seen: { path: string; headers: Record<string, unknown>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen.push({ path: req.url ?? "", headers: req.headers, body });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { seen, appUrl, close: () => server.close() };
  }
  const enable = (sim: ReturnType<typeof testSimulator>["sim"], enabled: boolean) =>
    sim.app.request("/_sim/flow/workflows", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: DEMO_SHOP, trigger: NEEDS_REVIEW, enabled }),
    });

  it("reads the app's lifecycle callback extension", () => {
    expect(readFlowExtensions().lifecycle).toEqual([
      { handle: "flow-trigger-lifecycle", url: "/flow/trigger-lifecycle" },
    ]);
  });

  it("posts has_enabled_flow with the shop and the trigger, signed with the app's client secret, on enable and disable", async () => {
    const app = await appAnswering(200);
    try {
      const { sim } = testSimulator({ appUrl: app.appUrl, apiSecret: "flow-secret" });
      const on = (await (await enable(sim, true)).json()) as { enabled: boolean };
      expect(on.enabled).toBe(true);
      const off = (await (await enable(sim, false)).json()) as { enabled: boolean };
      expect(off.enabled).toBe(false);
      expect(app.seen.map((r) => r.path)).toEqual([
        "/flow/trigger-lifecycle",
        "/flow/trigger-lifecycle",
      ]);
      const bodies = app.seen.map((r) => JSON.parse(r.body) as Record<string, unknown>);
      expect(bodies.map((b) => b.has_enabled_flow)).toEqual([true, false]);
      expect(bodies[0]).toMatchObject({
        flow_trigger_definition_id: NEEDS_REVIEW,
        shopify_domain: DEMO_SHOP,
        shop_id: expect.any(Number),
        timestamp: expect.any(String),
      });
      for (const r of app.seen)
        expect(r.headers["x-shopify-hmac-sha256"]).toBe(
          createHmac("sha256", "flow-secret").update(r.body).digest("base64"),
        );
    } finally {
      app.close();
    }
  });

  it("leaves the workflow off when the app does not answer 2xx", async () => {
    const app = await appAnswering(500);
    try {
      const { sim } = testSimulator({ appUrl: app.appUrl });
      const res = (await (await enable(sim, true)).json()) as {
        enabled: boolean;
        callback: { status: number };
      };
      expect(res).toMatchObject({ enabled: false, callback: { status: 500 } });
    } finally {
      app.close();
    }
  });
});
