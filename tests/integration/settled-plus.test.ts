// A Plus shop's payment deadline is Shopify's own: `authorizationExpiresAt` (given on Plus and
// Enterprise only, its description says) is read with the order and kept as the deadline, not the
// seven-day estimate a shop on another plan gets, and the authorization check captures by it.
// Driven end to end: checkout's signed webhooks, the inbox, the worker, the periodic check.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { ruleToStored, type Rule } from "~/routing";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { checkAuthorizations } from "~/fulfilment/authorization-check.server";
import type { WorkerDeps } from "~/fulfilment/worker.server";
import { createAdminGateway, type AdminGateway } from "~/shopify/gateway.server";
import { emptyTables, withShopSimulator } from "../support/integration";
import { LAB_RULE, settledOrders } from "../support/settled-orders";

const sim = withShopSimulator({ webhooks: true });
const { settle } = settledOrders(sim);

const PLUS_SHOP = "plus-prints.myshopify.com";
const HOUR = 3600_000;
let plus: AdminGateway;

/** Prints go to the lab; the payment is captured before its authorization lapses. */
const CAPTURE_BEFORE_LAPSE: Rule = {
  ...LAB_RULE,
  actions: [
    { type: "submit_fulfilment_request", message: "Lustre, no border" },
    { type: "capture_payment", when: "before_lapse" },
  ],
};

beforeEach(async () => {
  await emptyTables(db);
  // A second shop on Shopify Plus, seeded like the demo shop, with the app installed.
  const created = await sim.control<{ accessToken: string }>("POST", "/_sim/shops", {
    shop: PLUS_SHOP,
    plan: "plus",
    seed: "demo",
  });
  plus = createAdminGateway({
    shop: PLUS_SHOP,
    accessToken: created.accessToken,
    adminOrigin: sim.url,
    budgets: sim.budgets,
    baseDelayMs: 5,
  });
  for (const shop of [sim.shop, PLUS_SHOP]) {
    await db.shop.create({ data: { shop } });
    await db.rule.create({
      data: {
        ...ruleToStored({ ...CAPTURE_BEFORE_LAPSE, id: `${CAPTURE_BEFORE_LAPSE.id}-${shop}` }),
        shop,
      },
    });
  }
});

/** The worker of both shops, its clock `ahead()` ms ahead of the machine's. */
function worker(ahead: () => number = () => 0): WorkerDeps {
  const now = () => new Date(Date.now() + ahead());
  return {
    db,
    queue: createEmbeddedQueue(db, { leaseMs: 50, now }),
    gatewayFor: async (shop) => (shop === PLUS_SHOP ? plus : sim.gateway),
    now,
  };
}

/** An authorized lab order whose gateway lapses the authorization at `expiresAt`. */
async function authorizedOrder(shop: string, expiresAt: Date) {
  const created = await sim.control<{ orderId: string }>("POST", "/_sim/orders", {
    shop,
    order: { lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }], payment: "authorized" },
  });
  await sim.control("POST", `/_sim/orders/${encodeURIComponent(created.orderId)}/authorization`, {
    expiresAt: expiresAt.toISOString(),
  });
  return created.orderId;
}

const rowsOf = (shop: string, orderId: string) =>
  db.fulfillmentOrderRecord.findMany({ where: { shop, orderId } });

describe("a Plus shop's authorization deadline is read from Shopify", () => {
  it("kept to the millisecond (not estimated), warned and captured by it, where a shop on another plan only has the seven-day estimate", async () => {
    // The payment provider lapses these authorizations after 60 hours, not the usual 7 days.
    const expiresAt = new Date(Date.now() + 60 * HOUR);
    const onPlus = await authorizedOrder(PLUS_SHOP, expiresAt);
    const onAdvanced = await authorizedOrder(sim.shop, expiresAt);
    const deps = worker();
    await settle(deps);

    const plusRows = await rowsOf(PLUS_SHOP, onPlus);
    expect(plusRows.map((r) => r.requestStatus)).toEqual(["SUBMITTED"]);
    expect(plusRows[0]).toMatchObject({
      authorizationLapsesAt: expiresAt,
      authorizationEstimated: false,
    });
    // Below Plus Shopify answers null: the app can only estimate (seven days from the authorization).
    const advancedRows = await rowsOf(sim.shop, onAdvanced);
    expect(advancedRows[0]!.authorizationEstimated).toBe(true);
    expect(advancedRows[0]!.authorizationLapsesAt!.getTime()).toBeGreaterThan(
      Date.now() + 6 * 24 * HOUR,
    );

    // Thirteen hours later 47 are left on the Plus order, inside Settings' 48-hour window: the
    // check plans it again and the rule captures it. The estimate says days are left: not yet.
    const later = worker(() => 13 * HOUR);
    expect(await checkAuthorizations(later, PLUS_SHOP)).toEqual([onPlus]);
    expect(await checkAuthorizations(later, sim.shop)).toEqual([]);
    await settle(later);
    const captured = await sim.control<{
      financialStatus: string;
      transactions: { kind: string }[];
    }>("GET", `/_sim/orders/${encodeURIComponent(onPlus)}`);
    expect(captured.financialStatus).toBe("PAID");
    expect(captured.transactions.filter((t) => t.kind === "CAPTURE")).toHaveLength(1);
    expect((await rowsOf(PLUS_SHOP, onPlus))[0]).toMatchObject({
      authorizationLapsesAt: null,
      requestStatus: "SUBMITTED",
    });
    expect((await sim.orderState(onAdvanced)).financialStatus).toBe("AUTHORIZED");
    // The rules decided the order once; the capture was the check's (or the timer's) doing.
    expect(
      await db.decision.count({
        where: { shop: PLUS_SHOP, orderId: onPlus, trigger: { in: ["webhook", "reconciliation"] } },
      }),
    ).toBe(1);
  }, 90_000);
});
