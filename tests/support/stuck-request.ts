// A fulfilment request Partner Lab never accepted, as the app's stuck-and-drift pass finds it a day
// and more after it went out: what the suites about stuck requests start from.
import type { Db } from "~/db/client.server";
import { makeStep } from "~/routing";
import type { SimulatorHandle } from "./shop-simulator";

/**
 * Asks Partner Lab for the order's fulfillment order there (the shop must be installed), then
 * runs the scan 26 hours later. Answers that fulfillment order as the simulator shows it.
 */
export async function stuckAtPartnerLab(sim: SimulatorHandle, db: Db, orderId: string) {
  // Imported here: these load the app, which reads its environment once the suite has set it.
  const { gatewayForShop } = await import("~/gateways.server");
  const { applyStep } = await import("~/fulfilment/apply-step.server");
  const { scanShop } = await import("~/fulfilment/drift.server");
  const gateway = await gatewayForShop(sim.shop);
  const fo = (await sim.orderState(orderId)).fulfillmentOrders.find(
    (f) => f.location.name === "Partner Lab",
  );
  if (!fo) throw new Error(`${orderId} has nothing at Partner Lab`);
  await applyStep(
    gateway,
    makeStep(
      "fulfillmentOrderSubmitFulfillmentRequest",
      orderId,
      fo.id,
      { id: fo.id, notifyCustomer: false },
      "Request",
      { source: "approval", ruleId: null, ruleName: null, text: "test" },
    ),
  );
  await scanShop({ db, gateway, now: () => new Date(Date.now() + 26 * 3600_000) }, sim.shop);
  return fo;
}
