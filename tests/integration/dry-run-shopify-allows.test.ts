// The rule screen's dry run asks Shopify where work may move and what may merge as the router does
// (ADR 099), through the screen's action with the app's real authentication: a move Shopify would
// refuse shows in the router's words, not as a move the router would never send; the orders'
// questions go to Shopify together, and a rule that neither moves nor merges asks nothing more.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rule } from "~/routing";
// A type only: nothing of the app is loaded before the simulator runs.
import type { DryRunReport } from "~/services/dry-run.server";
import { ruleToDraft } from "~/routing/rule-draft";
import { callRoute } from "../support/route-call";
import { inEnglish } from "../support/integration";
import { addPartnerLab } from "../support/partner-lab";
import { startShopSimulator } from "../support/shop-simulator";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const rulesRoute = await import("~/routes/app.rules.$id");
const { routeOrder } = await import("~/fulfilment/route-order.server");
type Report = DryRunReport;
type Picture = Report["orders"][number]["proposed"];

afterAll(async () => {
  await sim.stop();
});

const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

/** The rule screen's "Run dry run" with `rule` as the merchant's draft, signed in as the shop. */
async function dryRunOnScreen(rule: Rule, limit = 10): Promise<Report> {
  const { token } = await sim.control<{ token: string }>(
    "GET",
    `/_sim/session-token?shop=${sim.shop}`,
  );
  const response = await callRoute(
    rulesRoute.action,
    new Request(`${process.env.SHOPIFY_APP_URL}/app/rules/new`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "User-Agent": BROWSER,
      },
      body: JSON.stringify({ intent: "dry-run", draft: ruleToDraft(rule), limit }),
    }),
    { id: "new" },
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { report: Report }).report;
}

/** The shop's calls of an operation so far, as the simulator counts them. */
async function calls(operation: string): Promise<number> {
  const stats = await sim.control<{
    shops: Record<string, { operations: Record<string, { calls: number }> }>;
  }>("GET", "/_sim/stats");
  return stats.shops[sim.shop]?.operations[operation]?.calls ?? 0;
}

/** What an English admin reads in one column of an order's dry run. */
async function read(plan: Picture) {
  const say = (list: Picture["needsAttention"]) => Promise.all(list.map(inEnglish));
  return {
    steps: await Promise.all(plan.steps.map((s) => inEnglish(s.summary))),
    needsAttention: await say(plan.needsAttention),
    shopifyRefuses: await say(plan.shopifyRefuses),
  };
}

const rule = (name: string, actions: Rule["actions"]): Rule => ({
  id: "new",
  name,
  enabled: true,
  position: 0,
  match: "all",
  lines: "any",
  keepChecking: false,
  conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
  actions,
});

/** A capability profile as the Capabilities screen saves one (listed in this order). */
const profile = (locationId: string, name: string, kind: "in_house" | "partner", paper: string[]) =>
  db.capabilityProfile.create({
    data: {
      shop: sim.shop,
      locationId,
      name,
      kind,
      productTypes: JSON.stringify(["Print"]),
      options: JSON.stringify({ Paper: paper, Size: ["A4", "A3"], Finish: ["None"] }),
    },
  });

const QUERY = "FulfillmentOrdersShopifyAllows";
const NOT_STOCKED = "No items are stocked at this location.";
let printHub: string;
const orders = {} as Record<"matte1" | "matte2" | "lustre", { orderId: string; name: string }>;
const byName = (report: Report, name: string) => report.orders.find((o) => o.orderName === name)!;

beforeAll(async () => {
  // Signed in once: token exchange creates the shop's session and settings.
  await callRoute(
    rulesRoute.loader,
    new Request(`${process.env.SHOPIFY_APP_URL}/app/rules/new`, {
      headers: {
        Authorization: `Bearer ${
          (await sim.control<{ token: string }>("GET", `/_sim/session-token?shop=${sim.shop}`))
            .token
        }`,
        "User-Agent": BROWSER,
      },
    }),
    { id: "new" },
  );
  // Print Hub, a partner lab, stocks lustre A4 only (its own app stocked that): Shopify will not
  // move a matte print there.
  printHub = await addPartnerLab(sim, { name: "Print Hub", sku: "PRINT-LUSTRE-A4", available: 5 });
  // Three prints Shopify sent to the Studio, decided by the router with no rules: they stay there.
  for (const [key, sku] of [
    ["matte1", "PRINT-MATTE-A4"],
    ["matte2", "PRINT-MATTE-A4"],
    ["lustre", "PRINT-LUSTRE-A4"],
  ] as const) {
    const placed = await sim.createOrder({ lineItems: [{ sku, quantity: 1 }], payment: "paid" });
    await routeOrder(
      { db, gateway: sim.gateway, now: () => new Date() },
      { shop: sim.shop, orderId: placed.orderId, trigger: "webhook" },
    );
    orders[key] = placed;
  }
});

describe("a dry run of a rule that moves work", () => {
  it("shows a move Shopify would refuse as the router's refusal, a move it allows as a move, asking Shopify once for every order", async () => {
    const before = await calls(QUERY);
    // WHEN the merchant dry-runs "Prints go to Print Hub" against the last three orders
    const report = await dryRunOnScreen(
      rule("Prints go to Print Hub", [{ type: "move", locationId: printHub }]),
      3,
    );
    // THEN the matte prints would wait at the Studio with Shopify's reason, nothing sent, as the
    // router's trace says it
    for (const key of ["matte1", "matte2"] as const) {
      const order = byName(report, orders[key].name);
      expect(order.changed).toBe(true);
      expect(await read(order.proposed)).toEqual({
        steps: [],
        needsAttention: [
          `Shopify will not move the fulfillment order from “Studio” to “Print Hub”: ${NOT_STOCKED} It stays at “Studio” and waits for you. In Shopify admin, stock the products at “Print Hub” (or activate it under Settings › Locations), or change the location in the rule, then choose Route again.`,
        ],
        shopifyRefuses: [],
      });
    }
    // AND the lustre print, which Print Hub stocks, would move there
    expect((await read(byName(report, orders.lustre.name).proposed)).steps).toEqual([
      "Move the fulfillment order from “Studio” to “Print Hub”",
    ]);
    // AND Shopify was asked once, for the three orders' moves together
    expect(await calls(QUERY)).toBe(before + 1);
    expect(report.shopifyAskedNow).toBe(true);
  });

  it("a split by capability shows where Shopify's refusal sends the work instead, in the trace's words", async () => {
    await profile((await sim.location("Studio")).id, "Studio", "in_house", ["Lustre"]);
    await profile(printHub, "Print Hub", "partner", ["Matte"]);
    await profile((await sim.location("Partner Lab")).id, "Partner Lab", "partner", ["Matte"]);
    try {
      const before = await calls(QUERY);
      const report = await dryRunOnScreen(
        rule("Split by capability", [{ type: "split", by: "capability" }]),
        3,
      );
      const matte = await read(byName(report, orders.matte1.name).proposed);
      expect(matte).toEqual({
        steps: ["Move the fulfillment order from “Studio” to “Partner Lab”"],
        needsAttention: [],
        shopifyRefuses: [
          `Shopify will not move “Fine Art Print” to “Print Hub” (${NOT_STOCKED}), so it goes to “Partner Lab”, the next location that can make it.`,
        ],
      });
      // The lustre print stays at the Studio, which makes it: nothing asked about it.
      expect(await read(byName(report, orders.lustre.name).proposed)).toEqual({
        steps: [],
        needsAttention: [],
        shopifyRefuses: [],
      });
      // Twice: Shopify is asked about the location a move goes to only (ADR 105), so its refusal
      // of Print Hub brings a second question, about Partner Lab, the next that can make it.
      expect(await calls(QUERY)).toBe(before + 2);
    } finally {
      await db.capabilityProfile.deleteMany({ where: { shop: sim.shop } });
    }
  });
});

describe("a dry run of a rule that neither moves nor merges", () => {
  it("asks Shopify nothing more than the orders' reads", async () => {
    const before = await calls(QUERY);
    const report = await dryRunOnScreen(
      rule("Prints wait for a look", [{ type: "hold_for_review" }]),
      3,
    );
    expect(report.orders.filter((o) => o.changed)).toHaveLength(3);
    expect(await calls(QUERY)).toBe(before);
    expect(report.shopifyAskedNow).toBe(false);
  });
});
