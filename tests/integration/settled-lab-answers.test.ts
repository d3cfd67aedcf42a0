// A lab's answer whose webhook never came, and each refusal Shopify makes on the way to a lab or
// the self-fulfill fallback, driven as Shopify drives them: signed webhooks from the simulator, the
// inbox, the worker and reconciliation. Each ends with the merchant told what to do, nothing lost.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { reconcileShop } from "~/fulfilment/reconcile.server";
import { emptyTables, inEnglish, withShopSimulator } from "../support/integration";
import { LAB_RULE, settledOrders } from "../support/settled-orders";

const sim = withShopSimulator({ webhooks: true });
const { setRules, workerDeps, settle, lab, labOrder, automaticDecisions, trace } =
  settledOrders(sim);

beforeEach(async () => {
  await emptyTables(db);
  await db.shop.create({ data: { shop: sim.shop } });
  await setRules(LAB_RULE);
});

describe("a lab's answer whose webhook never came is found by reconciliation", () => {
  it("a paid order the lab accepted: the queue leaves Submitted for the lab's work, the trace says how it was found, still one decision", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    let record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.requestStatus).toBe("SUBMITTED");

    // Shopify gives up on the acceptance's webhook: nothing tells the app the lab said yes.
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    await lab(fulfillmentOrderId, "accept", { message: "Printing tonight" });
    const deps = workerDeps();
    await settle(deps);
    record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.requestStatus).toBe("SUBMITTED");

    await reconcileShop(deps, sim.shop);
    await settle(deps);
    record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({
      status: "IN_PROGRESS",
      requestStatus: "ACCEPTED",
      outcome: "in_progress",
    });
    expect(await trace(orderId)).toMatch(/reconciliation found the request accepted on Shopify/);
    expect(await automaticDecisions(orderId)).toBe(1);

    // A second run finds nothing new: the answer is followed once.
    const before = await db.decision.count({ where: { orderId } });
    await reconcileShop(deps, sim.shop);
    await settle(deps);
    expect(await db.decision.count({ where: { orderId } })).toBe(before);
  });

  it("an authorized order the lab accepted (capture when the lab accepts): reconciliation captures it", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("authorized");
    await settle();
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    await lab(fulfillmentOrderId, "accept");
    const deps = workerDeps();
    await settle(deps);
    expect((await sim.orderState(orderId)).financialStatus).toBe("AUTHORIZED");

    await reconcileShop(deps, sim.shop);
    await settle(deps);
    const state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("PAID");
    expect(state.transactions.filter((t) => t.kind === "CAPTURE")).toHaveLength(1);
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ requestStatus: "ACCEPTED", outcome: "in_progress" });
  });

  it("a rejection whose webhook never came needs attention, as the webhook's would", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    await lab(fulfillmentOrderId, "reject", { message: "Out of lustre paper" });
    const deps = workerDeps();
    await settle(deps);
    await reconcileShop(deps, sim.shop);
    await settle(deps);
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ requestStatus: "REJECTED", outcome: "needs_attention" });
    expect(await inEnglish(record.reason)).not.toBe("");
    expect(await trace(orderId)).toMatch(/reconciliation found the request rejected on Shopify/);
  });
});
