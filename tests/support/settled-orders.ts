// What the settled-order suites share: the lab rule they start from, a worker on the app's
// database driven until Shopify has nothing more to say, the lab's answers through the simulator
// (as the fulfilment service's own app gives them), and what a merchant reads of an order.
import db from "~/db.server";
import { ruleToStored, type Rule } from "~/routing";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import {
  handleRefreshOrder,
  handleRouteOrder,
  processInbox,
  QUEUES,
  type WorkerDeps,
} from "~/fulfilment/worker.server";
import { readWordsList } from "~/i18n/words";
import { inEnglish } from "./integration";
import type { SimulatorHandle } from "./shop-simulator";

/** Prints go to the Partner Lab with the rule's message; the payment is captured on approval. */
export const LAB_RULE: Rule = {
  id: "rule-prints-to-lab",
  name: "Prints go to the lab",
  enabled: true,
  position: 0,
  match: "all",
  lines: "any",
  keepChecking: false,
  conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
  actions: [
    { type: "submit_fulfilment_request", message: "Lustre, no border" },
    { type: "capture_payment", when: "on_approval" },
  ],
};

export function settledOrders(sim: SimulatorHandle) {
  async function setRules(...rules: Rule[]) {
    await db.rule.deleteMany({});
    for (const rule of rules)
      await db.rule.create({ data: { ...ruleToStored(rule), shop: sim.shop } });
  }

  function workerDeps(): WorkerDeps {
    return {
      db,
      queue: createEmbeddedQueue(db, { leaseMs: 50 }),
      gatewayFor: async () => sim.gateway,
      now: () => new Date(),
      // Shop-specific subscriptions are addressed under the app's URL as the simulator knows it.
      appUrl: sim.appUrl,
    };
  }

  /**
   * A worker process whose clock runs `ahead()` ms ahead of the machine's: the retries it waits
   * out come due when the test moves it on, and a job another worker still runs looks abandoned
   * to it. `ahead` is an offset, never computed from the machine's clock: that would stop the
   * worker's clock and now and then set it back.
   */
  function workerWithClock(ahead: () => number, leaseMs = 50): WorkerDeps {
    const now = () => new Date(Date.now() + ahead());
    return {
      db,
      queue: createEmbeddedQueue(db, { leaseMs, now }),
      gatewayFor: async () => sim.gateway,
      now,
      appUrl: sim.appUrl,
    };
  }

  /**
   * Runs the worker until Shopify has nothing more to say and no job is due. A round in which
   * webhooks were still on their way after `idleMs` works off what arrived and is not the last;
   * if Shopify never fell quiet, the test is told rather than left to read a half-settled shop.
   */
  async function settle(deps: WorkerDeps = workerDeps(), { idleMs = 10_000 } = {}) {
    const rounds = 6;
    let idle = false;
    for (let i = 0; i < rounds; i++) {
      idle = await sim.webhooksIdle(idleMs);
      let work = 0;
      while ((await processInbox(deps)) > 0) work++;
      work += await deps.queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(deps, job));
      work += await deps.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job));
      if (work === 0 && idle) return;
    }
    if (!idle)
      throw new Error(
        `Shopify still had webhooks on their way after ${rounds} waits of ${idleMs} ms`,
      );
  }

  /** The lab's side of a fulfillment order: accept, reject, fulfill, close, answer a cancellation. */
  async function lab(fulfillmentOrderId: string, action: string, extra: object = {}) {
    return sim.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(fulfillmentOrderId)}/service-response`,
      { action, ...extra },
    );
  }

  async function labOrder(payment: "paid" | "authorized" | "pending") {
    // Lustre A3 is sold out at the Studio, so Shopify routes it to the Partner Lab (which stocks it).
    const created = await sim.createOrder({
      lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1, properties: { Crop: "0.1,0.1,0.8,0.8" } }],
      payment,
    });
    return { orderId: created.orderId, fulfillmentOrderId: created.fulfillmentOrderIds[0]! };
  }

  const automaticDecisions = (orderId: string) =>
    db.decision.count({ where: { orderId, trigger: { in: ["webhook", "reconciliation"] } } });

  /** The order's decision trace as an English admin reads it, one decision a line. */
  async function trace(orderId: string): Promise<string> {
    const decisions = await db.decision.findMany({
      where: { orderId },
      orderBy: { createdAt: "asc" },
    });
    const lines = await Promise.all(
      decisions.map(async (d) =>
        (await Promise.all(readWordsList(d.explanation).map(inEnglish))).join(" | "),
      ),
    );
    return lines.join("\n");
  }

  /** The kinds of the Steps Shopify took on the order, in the order they were applied. */
  async function stepKinds(orderId: string): Promise<string[]> {
    const steps = await db.step.findMany({
      where: { decision: { orderId } },
      orderBy: [{ decision: { createdAt: "asc" } }, { position: "asc" }],
    });
    return steps.filter((s) => s.status === "succeeded").map((s) => s.kind);
  }

  /**
   * A worker whose gateway lets `meanwhile` happen at Shopify just before the first mutation
   * matching `before` reaches it (staff acting in admin between the app's read and its change).
   * `happened()` says whether it did.
   */
  function racing(before: RegExp, meanwhile: () => Promise<unknown>) {
    let done = false;
    const deps: WorkerDeps = {
      ...workerDeps(),
      gatewayFor: async () => ({
        shop: sim.gateway.shop,
        async request(document, variables) {
          if (!done && before.test(document)) {
            done = true;
            await meanwhile();
          }
          return sim.gateway.request(document, variables);
        },
      }),
    };
    return { deps, happened: () => done };
  }

  /** Staff hold a fulfillment order in Shopify admin (a hold no app placed). */
  async function staffHold(fulfillmentOrderId: string, reasonNotes = "Customer called") {
    await sim.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(fulfillmentOrderId)}/staff-hold`,
      { reason: "INCORRECT_ADDRESS", reasonNotes },
    );
  }

  /** Staff release every hold on a fulfillment order in Shopify admin. */
  async function staffRelease(fulfillmentOrderId: string) {
    await sim.gateway.request(
      `#graphql
      mutation StaffReleases($id: ID!) {
        fulfillmentOrderReleaseHold(id: $id) { userErrors { message } }
      }`,
      { id: fulfillmentOrderId },
    );
  }

  /** The Studio, the demo shop's own location. */
  const studio = () => sim.location("Studio");

  /** The capability profiles of the print suites: the Studio prints on lustre only, the Partner Lab on lustre and matte. */
  async function printProfiles() {
    const home = await studio();
    const lab = await sim.location("Partner Lab");
    await db.capabilityProfile.create({
      data: {
        shop: sim.shop,
        locationId: home.id,
        name: "Studio",
        kind: "in_house",
        productTypes: JSON.stringify(["Print"]),
        options: JSON.stringify({ Paper: ["Lustre"], Size: ["A4", "A3"], Finish: ["None"] }),
      },
    });
    await db.capabilityProfile.create({
      data: {
        shop: sim.shop,
        locationId: lab.id,
        name: "Partner Lab",
        kind: "partner",
        productTypes: JSON.stringify(["Print"]),
        options: JSON.stringify({
          Paper: ["Lustre", "Matte"],
          Size: ["A4", "A3", "A2"],
          Finish: ["None"],
        }),
      },
    });
  }

  return {
    setRules,
    workerDeps,
    workerWithClock,
    settle,
    lab,
    labOrder,
    automaticDecisions,
    trace,
    stepKinds,
    studio,
    printProfiles,
    racing,
    staffHold,
    staffRelease,
  };
}
