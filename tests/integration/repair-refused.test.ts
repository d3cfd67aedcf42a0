// A repair Shopify refuses twice tells the merchant what they can do about the lab and Shopify
// disagreeing, by the refusal's code or what the order shows after it: the drift made at the
// simulator (the lab says it shipped what Shopify shows unfulfilled), repaired by the worker's
// stuck-and-drift pass, and read on Stuck and drift in both languages from the catalogue.
// fulfillmentOrderMove's userErrors have no code up to 2026-01 (shopify.dev/docs/api/admin-graphql/
// 2026-01/payloads/FulfillmentOrderMovePayload) and only CANNOT_MOVE_FULFILLMENT_ORDER_WITH_
// REPORTED_PROGRESS from 2026-04, while the mutation lists "The destination location doesn't
// stock the requested inventory item" among its failures (.../2026-07/mutations/
// fulfillmentOrderMove): the app takes that situation from the order as read after the refusal.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeStep, type StepWhy } from "~/routing";
import { REPAIR_ADVICE_OF_CODE } from "~/routing/refusal-advice";
import { said } from "~/routing/words";
import { applyStep } from "~/fulfilment/apply-step.server";
import { recordLabReport } from "~/fulfilment/drift.server";
import { handleDriftScan, QUEUES, type WorkerDeps } from "~/fulfilment/worker.server";
import { listFindings } from "~/services/findings.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { LOCALES } from "~/i18n/locale";
import { translatorOf } from "~/i18n/i18next.server";
import { renderWords } from "~/i18n/words";
import { withFreshDatabase, withShopSimulator } from "../support/integration";

const sim = withShopSimulator();
const db = withFreshDatabase();
const WHY: StepWhy = { source: "approval", ruleId: null, ruleName: null, text: "test" };
let queue: JobQueue | null = null;

beforeEach(async () => {
  // The merchant lets the pass repair drift as it finds it.
  await db.shop.create({
    data: { shop: sim.shop, notifyCustomer: false, driftRepair: "automatic" },
  });
});

afterEach(async () => {
  await queue?.stop();
  queue = null;
});

/** The worker's stuck-and-drift pass for the shop, as its schedule starts it. */
async function workerPass() {
  queue = createJobQueue(db, process.env.DATABASE_URL!);
  const deps: WorkerDeps = {
    db,
    queue,
    now: () => new Date(),
    gatewayFor: async () => sim.gateway,
  };
  await queue.enqueue(
    QUEUES.driftScan,
    { shop: sim.shop },
    { key: `drift-scan:${sim.shop}:test`, shop: sim.shop, maxAttempts: 1 },
  );
  await queue.drain(QUEUES.driftScan, (job) => handleDriftScan(deps, job));
}

/** The drift finding as Stuck and drift shows it, in each language, beside the advice expected. */
async function readOnStuckAndDrift(code: string) {
  const [finding] = await listFindings(db, sim.shop, "drift", new Date());
  const read = [];
  for (const locale of LOCALES) {
    const t = await translatorOf(locale);
    read.push({
      locale,
      status: finding?.status,
      message: finding?.message ? renderWords(t, finding.message) : null,
      advice: renderWords(t, said(`repair.advice.${REPAIR_ADVICE_OF_CODE[code]}`)),
      general: renderWords(t, said("repair.advice.general")),
    });
  }
  return read;
}

describe("a repair Shopify refuses twice says what to do about the drift", () => {
  it("a move to the Studio, which does not stock the lab's metallic prints: stock them there, re-route, or ask the lab", async () => {
    // Metallic prints are the Partner Lab's alone: Shopify assigns them there.
    const order = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    const fo = (await sim.orderState(order.orderId)).fulfillmentOrders.find(
      (f) => f.location.name === "Partner Lab",
    )!;
    await applyStep(
      sim.gateway,
      makeStep(
        "fulfillmentOrderSubmitFulfillmentRequest",
        order.orderId,
        fo.id,
        { id: fo.id, notifyCustomer: false },
        "Request",
        WHY,
      ),
    );
    // The lab says it shipped the print; Shopify shows it unfulfilled.
    await recordLabReport(
      { db, gateway: sim.gateway, now: () => new Date() },
      sim.shop,
      { fulfillmentOrderId: fo.id, status: "shipped" },
      null,
    );

    await workerPass();

    // The repair took the request back, then Shopify refused the move to the Studio, read again
    // and refused again: the print stays at the Partner Lab, unfulfilled.
    const state = await sim.orderState(order.orderId);
    expect(state.fulfillments).toHaveLength(0);
    expect(state.fulfillmentOrders.map((f) => f.location.name)).not.toContain("Studio");
    const finding = await db.finding.findFirstOrThrow({ where: { shop: sim.shop } });
    const move = await db.step.findFirstOrThrow({
      where: { decisionId: finding.decisionId!, kind: "fulfillmentOrderMove" },
    });
    expect(move).toMatchObject({ status: "failed", attempts: 2 });
    for (const read of await readOnStuckAndDrift("destinationCannotTake")) {
      expect(read.status, read.locale).toBe("failed");
      expect(read.message, read.locale).toContain(read.advice);
      expect(read.message, read.locale).not.toContain(read.general);
    }
  });
});
