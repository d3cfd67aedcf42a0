// A lab's answer whose webhook never came, and each refusal Shopify makes on the way to a lab or
// the self-fulfill fallback, driven as Shopify drives them: signed webhooks from the simulator, the
// inbox, the worker and reconciliation. Each ends with the merchant told what to do, nothing lost.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { reconcileShop } from "~/fulfilment/reconcile.server";
import { runCommand } from "~/fulfilment/commands.server";
import { runRepair, scanAndRepair } from "~/fulfilment/repair.server";
import { handleDriftScan, LAB_ANSWER_SCAN_WINDOW_MS, QUEUES } from "~/fulfilment/worker.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { readWords } from "~/i18n/words";
import { inEnglish, withWebhookDoor } from "../support/integration";
import { LAB_RULE, settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";
import { engineSaid, words } from "~/routing/words";

const door = withWebhookDoor();
const { sim } = withWorkerSuite({
  simulator: { webhooks: false, appUrl: () => door.url },
  rules: [LAB_RULE],
});
const {
  setRules,
  workerDeps,
  settle,
  lab,
  labOrder,
  automaticDecisions,
  trace,
  stepKinds,
  studio,
  racing,
  staffHold,
  staffRelease,
} = settledOrders(sim);

/** A lab print the lab accepted, and the merchant's cancellation request sent to it. */
async function labCancellationRequested(payment: "paid" | "authorized" = "paid") {
  const { orderId, fulfillmentOrderId } = await labOrder(payment);
  await settle();
  await lab(fulfillmentOrderId, "accept");
  await settle();
  // The merchant asks the lab to stop (as Shopify admin's "Request cancellation" does).
  await sim.gateway.request(
    `#graphql
    mutation RequestCancellation($id: ID!) { fulfillmentOrderSubmitCancellationRequest(id: $id) { userErrors { message } } }`,
    { id: fulfillmentOrderId },
  );
  await settle();
  return { orderId, fulfillmentOrderId };
}

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

  /** The same, after which Shopify gives up on every webhook: only reconciliation can learn the answer. */
  async function cancellationRequested(payment: "paid" | "authorized" = "paid") {
    const requested = await labCancellationRequested(payment);
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    return requested;
  }

  async function reconciled() {
    const deps = workerDeps();
    await settle(deps);
    await reconcileShop(deps, sim.shop);
    await settle(deps);
  }

  for (const reading of ["closed", "cancelled"] as const) {
    it(`a cancellation the lab accepted without a webhook (Shopify's "${reading}" reading): the work is left to do, never finished, and nothing goes back to the lab`, async () => {
      await sim.control("POST", "/_sim/readings", { cancellationAccepted: reading });
      await setRules({
        ...LAB_RULE,
        actions: [
          { type: "submit_fulfilment_request", message: "Lustre, no border" },
          { type: "capture_payment", when: "on_fulfilment" },
        ],
      });
      const { orderId } = await cancellationRequested("authorized");
      const sent = (await stepKinds(orderId)).length;
      await lab((await sim.orderState(orderId)).fulfillmentOrders[0]!.id, "accept-cancellation");
      await reconciled();

      const state = await sim.orderState(orderId);
      expect(state.financialStatus).toBe("AUTHORIZED");
      expect(state.fulfillments).toEqual([]);
      // The merchant asked the lab to stop: no request goes to it again, nothing else is changed.
      expect(state.fulfillmentOrders.map((f) => f.requestStatus)).not.toContain("SUBMITTED");
      expect(await stepKinds(orderId)).toHaveLength(sent);
      expect(await trace(orderId)).toMatch(
        /reconciliation found the request cancellation accepted on Shopify/,
      );
      const records = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
      if (reading === "cancelled") {
        expect(records.map((r) => r.outcome)).toEqual(["needs_attention"]);
        expect(await inEnglish(records[0]!.reason)).toMatch(/still to be fulfilled/);
      } else {
        // The work came back on a new open fulfillment order: that one is still to do.
        const open = state.fulfillmentOrders.filter((f) => f.status === "OPEN");
        expect(open).toHaveLength(1);
        const openRecord = records.find((r) => r.fulfillmentOrderId === open[0]!.id)!;
        expect(openRecord.outcome).not.toBe("done");
      }
      expect(await automaticDecisions(orderId)).toBe(1);
    });
  }

  it("a cancellation the lab rejected without a webhook: the work stays with the lab, in the trace and the queue", async () => {
    const { orderId, fulfillmentOrderId } = await cancellationRequested();
    await lab(fulfillmentOrderId, "reject-cancellation", { message: "Already printed" });
    await reconciled();
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({
      status: "IN_PROGRESS",
      requestStatus: "CANCELLATION_REJECTED",
      outcome: "in_progress",
    });
    expect(await trace(orderId)).toMatch(
      /reconciliation found the request cancellation rejected on Shopify/,
    );
  });

  it("the lab's fulfillment and the lab giving up (closed), both without a webhook: the queue shows one done and the other left to the merchant", async () => {
    const shipped = await labOrder("paid");
    const abandoned = await labOrder("paid");
    await settle();
    for (const o of [shipped, abandoned]) await lab(o.fulfillmentOrderId, "accept");
    await settle();
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    await lab(shipped.fulfillmentOrderId, "fulfill");
    await lab(abandoned.fulfillmentOrderId, "close", { message: "Printer broke" });
    await reconciled();

    const done = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { orderId: shipped.orderId },
    });
    expect(done).toMatchObject({ status: "CLOSED", outcome: "done" });
    expect(await trace(shipped.orderId)).toMatch(/reconciliation found the request/);
    const left = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { orderId: abandoned.orderId },
    });
    expect(left).toMatchObject({ status: "INCOMPLETE", outcome: "needs_attention" });
    expect(await inEnglish(left.reason)).toMatch(/^“Partner Lab” could not complete it/);
    expect(await trace(abandoned.orderId)).toMatch(
      /reconciliation found the request closed on Shopify/,
    );
  });
});

describe("a lab that gives up or will not stop: the merchant is told what to do, nothing goes back to the lab", () => {
  it("the lab could not complete it (fulfillment_service_failed_to_complete): needs attention saying so and what to do, and no request goes to the lab again", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    await lab(fulfillmentOrderId, "accept");
    await settle();
    const sent = await stepKinds(orderId);
    expect(sent.filter((k) => k === "fulfillmentOrderSubmitFulfillmentRequest")).toHaveLength(1);

    await lab(fulfillmentOrderId, "close", { message: "Printer broke" });
    await settle();
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ status: "INCOMPLETE", outcome: "needs_attention" });
    expect(await inEnglish(record.reason)).toBe(
      "“Partner Lab” could not complete it: Shopify shows the fulfillment order at “Partner Lab” as incomplete, and it is back with you. Re-route it from Stuck and drift, or in Shopify admin move it to another location, request fulfillment again, or refund it.",
    );
    expect(await trace(orderId)).toContain(
      await inEnglish(words("shopifyEvents.failedToCompleteSaid", { message: "Printer broke" })),
    );
    // Shopify would take a new request on INCOMPLETE; the rules do not send one by themselves.
    await settle();
    expect(await stepKinds(orderId)).toEqual(sent);
    expect((await sim.orderState(orderId)).fulfillmentOrders).toMatchObject([
      { id: fulfillmentOrderId, status: "INCOMPLETE", requestStatus: "CLOSED" },
    ]);
  });

  it("the lab rejected the cancellation request (cancellation_request_rejected): the stuck scan flags it with advice to contact the lab, and its repair asks the lab to cancel once more", async () => {
    const { orderId, fulfillmentOrderId } = await labCancellationRequested();
    await lab(fulfillmentOrderId, "reject-cancellation", { message: "Already printed" });
    await settle();

    const scanDeps = { db, gateway: sim.gateway, now: () => new Date() };
    await scanAndRepair(scanDeps, sim.shop);
    const finding = await db.finding.findFirstOrThrow({
      where: { shop: sim.shop, kind: "cancellation_rejected" },
    });
    expect(finding).toMatchObject({ category: "stuck", fulfillmentOrderId, status: "open" });
    expect(await inEnglish(finding.summary)).toMatch(
      /^Partner Lab rejected the cancellation request for #\d+ less than an hour ago and still has the work\.$/,
    );
    expect(readWords(finding.advice ?? "")).toMatchObject({
      key: "findings.advice.contactLabOrAskAgain",
    });
    // Shopify's supportedActions offer REQUEST_CANCELLATION here: the repair starts with it.
    expect(JSON.parse(finding.repair ?? "null")).toMatchObject({ to: { name: "Studio" } });
    const repaired = await runRepair(scanDeps, sim.shop, finding.id, { actor: "Merchant" });
    expect(repaired.ok).toBe(true);
    expect((await sim.orderState(orderId)).fulfillmentOrders).toMatchObject([
      { id: fulfillmentOrderId, requestStatus: "CANCELLATION_REQUESTED" },
    ]);
  });
});

describe("a lab's refusal to cancel brings its stuck finding up by itself (ADR 080 addendum)", () => {
  it("two refusals in a burst, signed webhooks through the inbox: one stuck-and-drift pass queued for the end of their window, which raises both findings without Check now", async () => {
    const first = await labCancellationRequested();
    const second = await labCancellationRequested();

    // A worker whose clock the test moves on, a second into a fresh window: the burst's webhooks
    // are handled within it whatever the machine's speed.
    let ahead = LAB_ANSWER_SCAN_WINDOW_MS - (Date.now() % LAB_ANSWER_SCAN_WINDOW_MS) + 1000;
    const now = () => new Date(Date.now() + ahead);
    const deps = { ...workerDeps(), queue: createEmbeddedQueue(db, { leaseMs: 50, now }), now };
    const scans = () => deps.queue.drain(QUEUES.driftScan, (job) => handleDriftScan(deps, job));
    const findings = () =>
      db.finding.findMany({
        where: { shop: sim.shop, kind: "cancellation_rejected", status: "open" },
        orderBy: { fulfillmentOrderId: "asc" },
      });

    await lab(first.fulfillmentOrderId, "reject-cancellation", { message: "Already printed" });
    await lab(second.fulfillmentOrderId, "reject-cancellation", { message: "Already packed" });
    await settle(deps);
    expect(
      await db.job.findMany({
        where: { queue: QUEUES.driftScan },
        select: { payload: true, runAt: true },
      }),
    ).toEqual([
      {
        payload: JSON.stringify({ shop: sim.shop }),
        runAt: new Date(
          Math.ceil(now().getTime() / LAB_ANSWER_SCAN_WINDOW_MS) * LAB_ANSWER_SCAN_WINDOW_MS,
        ),
      },
    ]);
    // Within the window the pass waits for the rest of the burst.
    expect(await scans()).toBe(0);
    expect(await findings()).toEqual([]);

    ahead += LAB_ANSWER_SCAN_WINDOW_MS;
    expect(await scans()).toBe(1);
    expect((await findings()).map((f) => [f.fulfillmentOrderId, f.category])).toEqual(
      [first.fulfillmentOrderId, second.fulfillmentOrderId].sort().map((id) => [id, "stuck"]),
    );
    // Not a merchant's check: the screen shows no check in hand or ended.
    expect(await db.shop.findUniqueOrThrow({ where: { shop: sim.shop } })).toMatchObject({
      checkStatus: null,
    });
  });

  it("a lab giving up (fulfillment_service_failed_to_complete), alone: its pass is queued the same way, and raises the finding the order's reason sends the merchant to", async () => {
    const { fulfillmentOrderId } = await labOrder("paid");
    await settle();
    await lab(fulfillmentOrderId, "accept");
    await settle();

    let ahead = LAB_ANSWER_SCAN_WINDOW_MS - (Date.now() % LAB_ANSWER_SCAN_WINDOW_MS) + 1000;
    const now = () => new Date(Date.now() + ahead);
    const deps = { ...workerDeps(), queue: createEmbeddedQueue(db, { leaseMs: 50, now }), now };
    const scans = () => deps.queue.drain(QUEUES.driftScan, (job) => handleDriftScan(deps, job));

    await lab(fulfillmentOrderId, "close", { message: "Printer broke" });
    await settle(deps);
    expect(await db.job.count({ where: { queue: QUEUES.driftScan } })).toBe(1);
    ahead += LAB_ANSWER_SCAN_WINDOW_MS;
    expect(await scans()).toBe(1);
    expect(
      await db.finding.findMany({
        where: { shop: sim.shop, status: "open" },
        select: { fulfillmentOrderId: true, kind: true },
      }),
    ).toEqual([{ fulfillmentOrderId, kind: "failed_to_complete" }]);
  });

  /** A worker a second into a fresh window, the test moving its clock on; and its passes. */
  function workerInAWindow() {
    let ahead = LAB_ANSWER_SCAN_WINDOW_MS - (Date.now() % LAB_ANSWER_SCAN_WINDOW_MS) + 1000;
    const now = () => new Date(Date.now() + ahead);
    const deps = { ...workerDeps(), queue: createEmbeddedQueue(db, { leaseMs: 50, now }), now };
    return {
      deps,
      now,
      nextWindow: () => void (ahead += LAB_ANSWER_SCAN_WINDOW_MS),
      scans: () => deps.queue.drain(QUEUES.driftScan, (job) => handleDriftScan(deps, job)),
    };
  }

  it("a rejected request whose rule has no fallback: planning again leaves it where the lab refused it, so its pass is queued for the window's end and raises the finding", async () => {
    const { fulfillmentOrderId } = await labOrder("paid");
    await settle();
    const { deps, now, nextWindow, scans } = workerInAWindow();

    await lab(fulfillmentOrderId, "reject", { message: "Out of lustre paper" });
    await settle(deps);
    expect(
      await db.job.findMany({
        where: { queue: QUEUES.driftScan },
        select: { payload: true, runAt: true },
      }),
    ).toEqual([
      {
        payload: JSON.stringify({ shop: sim.shop }),
        runAt: new Date(
          Math.ceil(now().getTime() / LAB_ANSWER_SCAN_WINDOW_MS) * LAB_ANSWER_SCAN_WINDOW_MS,
        ),
      },
    ]);
    nextWindow();
    expect(await scans()).toBe(1);
    expect(
      await db.finding.findMany({
        where: { shop: sim.shop, status: "open" },
        select: { fulfillmentOrderId: true, kind: true },
      }),
    ).toEqual([{ fulfillmentOrderId, kind: "rejected_no_fallback" }]);
  });

  it("a rejected request the rule's fallback answers (moved to the Studio): no pass is brought forward, and nothing is stuck", async () => {
    const home = await studio();
    await setRules({
      ...LAB_RULE,
      actions: [
        {
          type: "submit_fulfilment_request",
          message: "Lustre, no border",
          onRejected: { then: "move", locationId: home.id },
        },
      ],
    });
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    const { deps } = workerInAWindow();

    await lab(fulfillmentOrderId, "reject", { message: "Out of lustre paper" });
    await settle(deps);
    expect((await sim.orderState(orderId)).fulfillmentOrders.map((f) => f.location.name)).toEqual([
      "Studio",
    ]);
    expect(await db.job.count({ where: { queue: QUEUES.driftScan } })).toBe(0);
  });
});

describe("Shopify's refusals on the way to the lab: the merchant is told what to do, nothing is lost", () => {
  it("the request refused because staff held the fulfillment order a moment before: the queue shows the staff hold, the trace Shopify's refusal, and the request goes once staff release it", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    // Staff hold it in Shopify admin between the app's read and its request.
    const { deps, happened } = racing(/\bfulfillmentOrderSubmitFulfillmentRequest\s*\(/, () =>
      staffHold(fulfillmentOrderId),
    );
    await settle(deps);
    expect(happened()).toBe(true);
    let state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]).toMatchObject({
      status: "ON_HOLD",
      requestStatus: "UNSUBMITTED",
    });
    let record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ status: "ON_HOLD", outcome: "held" });
    expect(await inEnglish(record.reason)).toBe("Incorrect address: Customer called");
    expect(await trace(orderId)).toContain(
      await inEnglish(
        engineSaid("route.stepFailed", {
          step: engineSaid("step.request", { service: "Partner Lab" }),
          shopify: "Fulfillment order with status ON_HOLD can't be requested for fulfillment.",
        }),
      ),
    );
    expect(await trace(orderId)).toContain(
      await inEnglish(
        words("shopifyEvents.heldByOthers", {
          hold: words("shopifyEvents.holdWithNotes", {
            reason: words("holdReason.INCORRECT_ADDRESS"),
            notes: "Customer called",
          }),
        }),
      ),
    );

    // Staff release their hold: the rules plan again and the request goes to the lab.
    await staffRelease(fulfillmentOrderId);
    await settle();
    state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
    record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ requestStatus: "SUBMITTED", outcome: "in_progress" });
    expect(await stepKinds(orderId)).toEqual([
      "fulfillmentOrderHold",
      "fulfillmentOrderReleaseHold",
      "fulfillmentOrderSubmitFulfillmentRequest",
    ]);
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it("fulfillmentCreate refused in the self-fulfill fallback (staff held the work after it came home): Shopify's words in the trace, the staff hold in the queue, and the work waits at the Studio for the merchant once released", async () => {
    const home = await studio();
    await setRules({
      ...LAB_RULE,
      actions: [
        {
          type: "submit_fulfilment_request",
          message: "Lustre, no border",
          onRejected: { then: "fulfil", locationId: home.id },
        },
      ],
    });
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    await lab(fulfillmentOrderId, "reject", { message: "Out of lustre paper" });
    const { deps, happened } = racing(/\bfulfillmentCreate\s*\(/, () =>
      staffHold(fulfillmentOrderId),
    );
    await settle(deps);
    expect(happened()).toBe(true);
    let state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.map((f) => [f.location.name, f.status])).toEqual([
      ["Studio", "ON_HOLD"],
    ]);
    expect(state.fulfillments).toEqual([]);
    expect(await trace(orderId)).toContain(
      await inEnglish(
        engineSaid("route.stepFailed", {
          step: engineSaid("step.fulfillAt", {
            location: "Studio",
            notify: engineSaid("step.notified"),
          }),
          shopify: "The fulfillment order is on hold and can't be fulfilled.",
        }),
      ),
    );
    let record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ locationName: "Studio", outcome: "held" });
    expect(await inEnglish(record.reason)).toBe("Incorrect address: Customer called");

    // Released: the work is at the Studio, open, in the merchant's queue to fulfill; nothing is lost.
    await staffRelease(fulfillmentOrderId);
    await settle();
    state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.map((f) => [f.location.name, f.status])).toEqual([
      ["Studio", "OPEN"],
    ]);
    record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ locationName: "Studio", outcome: "waiting_for_you" });
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it("the release gate's hold refused with FULFILLMENT_ORDER_HOLD_LIMIT_REACHED: needs attention saying which hold to release, nothing goes to the lab, and re-routing after the release sends it", async () => {
    // The app already keeps ten holds on the fulfillment order, under handles it no longer plans
    // (an earlier version's), placed and announced before the order's routing webhooks arrive.
    door.holdBack(["orders/create", "orders/paid", "fulfillment_orders/order_routing_complete"]);
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    for (let i = 1; i <= 10; i++)
      await sim.gateway.request(
        `#graphql
        mutation EarlierHold($id: ID!, $hold: FulfillmentOrderHoldInput!) {
          fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) { userErrors { message } }
        }`,
        { id: fulfillmentOrderId, hold: { reason: "OTHER", handle: `fr-earlier-${i}` } },
      );
    await settle();
    await door.letIn();
    await settle();

    let state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]!.requestStatus).toBe("UNSUBMITTED");
    expect(state.fulfillmentOrders[0]!.holds).toHaveLength(10);
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.outcome).toBe("needs_attention");
    // The catalogue's words on the limit and what to do, with Shopify's own words on the refusal.
    const refused = await db.step.findFirstOrThrow({
      where: { decision: { orderId }, kind: "fulfillmentOrderHold", status: "failed" },
    });
    expect(await inEnglish(record.reason)).toBe(
      await inEnglish(
        words("settled.holdLimitReached", {
          step: (JSON.parse(refused.input) as { summary: string }).summary,
          max: 10,
          shopify: refused.error!,
        }),
      ),
    );
    expect(refused.error).toBe(
      // FulfillmentOrderHoldUserErrorCode.FULFILLMENT_ORDER_HOLD_LIMIT_REACHED's description.
      "The maximum number of fulfillment holds for this fulfillment order has been reached for this app. An app can only have up to 10 holds on a single fulfillment order at any one time.",
    );
    const decided = await db.decision.findMany({
      where: { orderId, trigger: { in: ["webhook", "reconciliation"] } },
    });
    expect(decided.map((d) => d.status)).toEqual(["needs_attention"]);

    // The merchant releases the old holds in Shopify admin and re-routes the order in the app.
    await staffRelease(fulfillmentOrderId);
    await settle();
    const rerouted = await runCommand(
      { db, gateway: sim.gateway, now: () => new Date() },
      { shop: sim.shop, actor: "Merchant" },
      { action: "reroute", orderId },
    );
    expect(rerouted.ok).toBe(true);
    await settle();
    state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
  });
});
