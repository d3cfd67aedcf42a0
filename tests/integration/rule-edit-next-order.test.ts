// A rule the merchant edits on the rule's screen holds for the very next order the worker routes,
// on SQLite and on PostgreSQL, where a worker keeps a shop's rules and capability profiles between
// orders (loadShopConfig) until the shop's configVersion moves on: through the screen's action
// with the app's authentication (a session token the simulator signs), signed webhooks into the
// inbox, the worker and the simulator.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { ruleToDraft } from "~/routing/rule-draft";
import type { Rule } from "~/routing";
import { sendShopifyCallsTo } from "~/shopify/origin.server";
import { callRoute } from "../support/route-call";
import { withWorkerSuite } from "../support/worker-suite";

const REVIEW: Rule = {
  id: "rule-review-prints",
  name: "Prints wait for a look at the crop",
  enabled: true,
  position: 0,
  match: "all",
  lines: "any",
  keepChecking: false,
  conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
  actions: [{ type: "hold_for_review" }],
};

const { sim, deps: workerDeps, settle } = withWorkerSuite({ rules: [REVIEW] });

/** The rule's screen saving `rule` as the merchant's draft, signed in as the simulator's shop. */
async function saveOnScreen(rule: Rule): Promise<unknown> {
  const { action } = await import("~/routes/app.rules.$id");
  // The screen signs the staff member in with an online token (ADR 077): token exchange goes to
  // the simulator as Shopify's would (after the route's import, whose adapter sets the fetch).
  sendShopifyCallsTo(sim.url);
  const { token } = await sim.control<{ token: string }>(
    "GET",
    `/_sim/session-token?shop=${sim.shop}`,
  );
  const response = await callRoute(
    action,
    new Request(`${process.env.SHOPIFY_APP_URL}/app/rules/${rule.id}`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "User-Agent":
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
      },
      body: JSON.stringify({ intent: "save", draft: ruleToDraft(rule) }),
    }),
    { id: rule.id },
  );
  expect(response.status).toBe(200);
  return response.json();
}

/** Paid orders of one print, routed by the worker: how many holds each order's work got. */
async function printOrderHolds(): Promise<number> {
  const deps = await workerDeps();
  const { orderId } = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    payment: "paid",
  });
  await settle(deps);
  expect(await db.decision.count({ where: { orderId, status: "applied" } })).toBe(1);
  return (await sim.orderState(orderId)).fulfillmentOrders.flatMap((f) => f.holds).length;
}

describe("a rule edited on its screen", () => {
  it("holds for the next order the worker routes, the rule having routed an order before", async () => {
    expect(await printOrderHolds()).toBe(1);
    expect(await saveOnScreen({ ...REVIEW, enabled: false })).toMatchObject({ ok: true });
    expect(await printOrderHolds()).toBe(0);
    // And back on: the next order waits for its look at the crop again.
    expect(await saveOnScreen(REVIEW)).toMatchObject({ ok: true });
    expect(await printOrderHolds()).toBe(1);
  });
});
