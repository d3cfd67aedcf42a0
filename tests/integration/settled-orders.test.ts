// Every settled order routed and every lab request followed, driven the way Shopify drives it:
// signed webhooks from the simulator (reordered and delayed), the inbox, the worker and the
// executor; the lab answers through the simulator as a fulfilment service app would.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { DEFAULT_SETTINGS, GATE_HOLD_HANDLE, type Rule } from "~/routing";
import { saveSettings, settingsToForm } from "~/services/settings.server";
import { QUEUES, type WorkerDeps } from "~/fulfilment/worker.server";
import { RECONCILE_GRACE_MS, reconcileShop } from "~/fulfilment/reconcile.server";
import { checkAuthorizations } from "~/fulfilment/authorization-check.server";
import { runCommand } from "~/fulfilment/commands.server";
import { engineSaid, words, type Words } from "~/routing/words";
import { conditionWords } from "~/routing/rule-words";
import { loadHomeSummary } from "~/services/home.server";
import { loadQueuePage } from "~/services/queue-page.server";
import { parseQueueFilters } from "~/services/queue-filters.server";
import { translatorOf } from "~/i18n/i18next.server";
import { readWords, readWordsList, renderWords } from "~/i18n/words";
import { inEnglish } from "../support/integration";
import { addPartnerLab } from "../support/partner-lab";
import { LAB_RULE, settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite({ rules: [LAB_RULE] });
const {
  setRules,
  workerDeps,
  workerWithClock,
  settle,
  lab,
  labOrder,
  automaticDecisions,
  trace,
  stepKinds,
  studio: theStudio,
} = settledOrders(sim);

describe("settling", () => {
  it("does not call the shop settled while Shopify still has webhooks on their way", async () => {
    await sim.control("POST", "/_sim/faults", { webhookDelayMs: 3_600_000 });
    const { orderId } = await labOrder("paid");
    await expect(settle(workerDeps(), { idleMs: 50 })).rejects.toThrow(/webhooks on their way/);
    // An hour later at Shopify the deliveries arrive (and later ones go out as usual): the order
    // is routed once.
    await sim.resetFaults();
    await sim.control("POST", "/_sim/clock", { advanceMs: 3_600_000 });
    await settle();
    expect(await automaticDecisions(orderId)).toBe(1);
  });
});

describe("settled orders are routed once, whichever webhook comes first", () => {
  it("an authorized order: gate hold before the request, routed once, captured when the lab accepts", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("authorized");
    await settle();
    let state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("AUTHORIZED");
    expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
    expect(await stepKinds(orderId)).toEqual([
      "fulfillmentOrderHold",
      "fulfillmentOrderReleaseHold",
      "fulfillmentOrderSubmitFulfillmentRequest",
    ]);
    const holds = await sim.control<{
      deliveries: { payload: { fulfillment_hold: { handle: string } } }[];
    }>("GET", `/_sim/webhooks?shop=${sim.shop}&topic=fulfillment_holds/added`);
    expect(holds.deliveries.map((d) => d.payload.fulfillment_hold.handle)).toEqual([
      GATE_HOLD_HANDLE,
    ]);
    expect(await automaticDecisions(orderId)).toBe(1);
    const request = (
      await sim.control<{ fulfillmentOrders: { requests: { message: string }[] }[] }>(
        "GET",
        `/_sim/orders/${encodeURIComponent(orderId)}`,
      )
    ).fulfillmentOrders[0]!.requests[0]!;
    expect(request.message).toMatch(/^Lustre, no border\n.*Crop: 0\.1,0\.1,0\.8,0\.8/);

    await lab(fulfillmentOrderId, "accept", { message: "Printing tonight" });
    await settle();
    state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("PAID");
    expect(await automaticDecisions(orderId)).toBe(1);
    // What started the decision is the webhook that came first, as the trace and the block say it.
    const started = await db.decision.findFirstOrThrow({
      where: { orderId, trigger: { in: ["webhook", "reconciliation"] } },
    });
    if (started.trigger === "webhook")
      expect([
        "orders/create",
        "orders/create:authorized",
        "orders/paid",
        "fulfillment_orders/order_routing_complete",
      ]).toContain(started.cause);
    expect(await trace(orderId)).toContain(
      await inEnglish(words("shopifyEvents.requestAcceptedSaid", { message: "Printing tonight" })),
    );
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ status: "IN_PROGRESS", requestStatus: "ACCEPTED" });
  });

  it("reconciliation finds an authorized order whose webhooks were dropped, and routes it once", async () => {
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    const deps = workerDeps();
    const { orderId } = await labOrder("authorized");
    await settle(deps);
    expect(await automaticDecisions(orderId)).toBe(0);
    // Found once its webhook is overdue.
    const later = { ...deps, now: () => new Date(Date.now() + RECONCILE_GRACE_MS + 1000) };
    expect((await reconcileShop(later, sim.shop)).found).toBeGreaterThanOrEqual(1);
    await settle(deps);
    expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.requestStatus).toBe("SUBMITTED");
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it("a pending payment: the gate holds the lab's work, nothing is requested until orders/paid", async () => {
    const { orderId } = await labOrder("pending");
    await settle();
    let state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]!.holds.map((h) => h.handle)).toEqual([GATE_HOLD_HANDLE]);
    expect(state.fulfillmentOrders[0]!.requestStatus).toBe("UNSUBMITTED");
    expect(await trace(orderId)).toMatch(/Payment is pending/);

    await sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/pay`, {});
    await settle();
    state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it("a pending payment that a payment-state rule decides (send to the lab even when pending): routed at once, once, and orders/paid later changes nothing", async () => {
    await setRules({
      ...LAB_RULE,
      id: "rule-bank-transfer",
      name: "Bank transfers go to the lab at once",
      conditions: [
        { field: "payment_state", operator: "equals", value: "pending" },
        { field: "product_type", operator: "equals", value: "Print" },
      ],
      actions: [{ type: "submit_fulfilment_request", message: "Lustre, no border" }],
    });
    const { orderId } = await labOrder("pending");
    await settle();
    let state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("PENDING");
    expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
    expect(await trace(orderId)).toContain(
      await inEnglish(
        engineSaid("match.matched", {
          rule: "Bank transfers go to the lab at once",
          because: conditionWords({ field: "payment_state", operator: "equals", value: "pending" }),
        }),
      ),
    );
    // The gate held the lab's work until the rule decided, and nothing else came before the request.
    expect(await stepKinds(orderId)).toEqual([
      "fulfillmentOrderHold",
      "fulfillmentOrderReleaseHold",
      "fulfillmentOrderSubmitFulfillmentRequest",
    ]);
    expect(await automaticDecisions(orderId)).toBe(1);

    // The transfer arrives: orders/paid finds the order decided.
    await sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/pay`, {});
    await settle();
    state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("PAID");
    expect(state.fulfillmentOrders[0]!.requestStatus).toBe("SUBMITTED");
    expect(await automaticDecisions(orderId)).toBe(1);
    expect(await stepKinds(orderId)).toHaveLength(3);
  });

  it("a pending payment whose payment-state rule does not match it (cash on delivery only) waits for orders/paid like any other", async () => {
    await setRules(LAB_RULE, {
      ...LAB_RULE,
      id: "rule-cod",
      name: "Cash on delivery goes to the lab at once",
      position: 1,
      conditions: [
        { field: "payment_state", operator: "equals", value: "pending" },
        { field: "order_tag", operator: "contains", value: "cod" },
      ],
      actions: [{ type: "submit_fulfilment_request", message: "Cash on delivery" }],
    });
    const { orderId } = await labOrder("pending");
    await settle();
    let state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]!.holds.map((h) => h.handle)).toEqual([GATE_HOLD_HANDLE]);
    expect(state.fulfillmentOrders[0]!.requestStatus).toBe("UNSUBMITTED");
    expect(await trace(orderId)).toMatch(
      /Payment is pending: the rules decide once Shopify reports the order paid or authorized/,
    );
    expect(await stepKinds(orderId)).toEqual(["fulfillmentOrderHold"]);

    await sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/pay`, {});
    await settle();
    state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
    // The match line's opening, whatever its conditions say.
    expect(await trace(orderId)).toContain(
      await inEnglish(engineSaid("match.matched", { rule: "Prints go to the lab", because: "" })),
    );
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it("the release gate is for fulfillment orders assigned to a fulfilment service: a pending order Shopify routes to the Studio is not held", async () => {
    const created = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "pending",
    });
    await settle();
    const fo = (await sim.orderState(created.orderId)).fulfillmentOrders[0]!;
    expect(fo.location.name).toBe("Studio");
    expect(fo).toMatchObject({ status: "OPEN", holds: [] });
    const holds = await sim.control<{ deliveries: unknown[] }>(
      "GET",
      `/_sim/webhooks?shop=${sim.shop}&topic=fulfillment_holds/added`,
    );
    expect(holds.deliveries).toEqual([]);
    expect(await stepKinds(created.orderId)).toEqual([]);
    // The app saw the order and waits for its payment, as it does with a lab's.
    expect(await trace(created.orderId)).toMatch(/Payment is pending/);
  });

  it("with the release gate switched off in Settings, a pending order's lab work is not held", async () => {
    await saveSettings(db, sim.shop, { ...settingsToForm(DEFAULT_SETTINGS), releaseGate: false });
    const { orderId } = await labOrder("pending");
    await settle();
    const state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]!.holds).toEqual([]);
    expect(state.fulfillmentOrders[0]!.requestStatus).toBe("UNSUBMITTED");
    const holds = await sim.control<{ deliveries: unknown[] }>(
      "GET",
      `/_sim/webhooks?shop=${sim.shop}&topic=fulfillment_holds/added`,
    );
    expect(holds.deliveries).toEqual([]);
  });
});

describe("the lab's answers", () => {
  const withFallback = (
    onRejected: NonNullable<
      Extract<Rule["actions"][number], { type: "submit_fulfilment_request" }>["onRejected"]
    >,
  ) =>
    setRules({
      ...LAB_RULE,
      actions: [{ type: "submit_fulfilment_request", message: "Lustre, no border", onRejected }],
    });

  async function rejected() {
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    await lab(fulfillmentOrderId, "reject", { message: "Out of lustre paper" });
    await settle();
    return { orderId, state: await sim.orderState(orderId) };
  }

  it("a rejection without a fallback needs attention with the lab's reason", async () => {
    const { orderId, state } = await rejected();
    expect(state.fulfillmentOrders[0]!.requestStatus).toBe("REJECTED");
    expect(await trace(orderId)).toContain(
      await inEnglish(
        words("shopifyEvents.requestRejectedSaid", { message: "Out of lustre paper" }),
      ),
    );
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.outcome).toBe("needs_attention");
    // The attention line, once in its decision (the plan says it, and it is what finished it).
    const attention = await inEnglish(
      engineSaid("attention.requestRejected", { service: "Partner Lab" }),
    );
    const decisions = (await trace(orderId)).split("\n").map((d) => d.split(" | "));
    expect(decisions.flat()).toContain(attention);
    for (const lines of decisions) expect(lines).toEqual([...new Set(lines)]);
  });

  it("a rejection whose rule falls back to another location moves it there", async () => {
    const studio = await theStudio();
    await withFallback({ then: "move", locationId: studio.id });
    const { state } = await rejected();
    expect(state.fulfillmentOrders.map((f) => [f.location.name, f.status])).toEqual([
      ["Studio", "OPEN"],
    ]);
  });

  /** A second lab on the shop, stocking the print (addPartnerLab). Returns its location's id. */
  const secondLabStocking = (sku: string) =>
    addPartnerLab(sim, { name: "Second Lab", sku, available: 20 });

  it("a rejection whose rule falls back to another lab moves it there and asks that lab, which accepts", async () => {
    const secondLab = await secondLabStocking("PRINT-LUSTRE-A3");
    await withFallback({ then: "move", locationId: secondLab });
    const { orderId, state } = await rejected();
    // Moved whole (its id kept) to the second lab, and the request sent there with the rule's message.
    expect(state.fulfillmentOrders.map((f) => [f.location.name, f.requestStatus])).toEqual([
      ["Second Lab", "SUBMITTED"],
    ]);
    const fulfillmentOrderId = state.fulfillmentOrders[0]!.id;
    // The second lab accepts: the app follows it there.
    await lab(fulfillmentOrderId, "accept");
    await settle();
    const after = await sim.orderState(orderId);
    expect(
      after.fulfillmentOrders.map((f) => [f.location.name, f.status, f.requestStatus]),
    ).toEqual([["Second Lab", "IN_PROGRESS", "ACCEPTED"]]);
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { fulfillmentOrderId },
    });
    expect(record.outcome).toBe("in_progress");
    // Each change once: the gate until the rules decided, the first request, the move, the second.
    expect(await stepKinds(orderId)).toEqual([
      "fulfillmentOrderHold",
      "fulfillmentOrderReleaseHold",
      "fulfillmentOrderSubmitFulfillmentRequest",
      "fulfillmentOrderMove",
      "fulfillmentOrderSubmitFulfillmentRequest",
    ]);
    const requests = await db.step.findMany({
      where: { decision: { orderId }, kind: "fulfillmentOrderSubmitFulfillmentRequest" },
      orderBy: [{ decision: { createdAt: "asc" } }, { position: "asc" }],
    });
    // The second lab gets the message the rule sets, with the order's personalisation, as the first did.
    expect(
      requests.map((r) => (JSON.parse(r.input) as { input: { message: string } }).input.message),
    ).toEqual([
      "Lustre, no border\nFine Art Print (Lustre / A3 / None) × 1: Crop: 0.1,0.1,0.8,0.8",
      "Lustre, no border\nFine Art Print (Lustre / A3 / None) × 1: Crop: 0.1,0.1,0.8,0.8",
    ]);
    expect(JSON.parse(requests[1]!.input)).toMatchObject({
      summary: engineSaid("step.request", { service: "Second Lab" }),
    });
    expect(await trace(orderId)).toContain(
      await inEnglish(
        engineSaid("explain.withService", {
          service: "Second Lab",
          request: words("engine.requestStatus.ACCEPTED"),
        }),
      ),
    );
  });

  it("a rejection whose rule says fulfil it yourself moves it home and fulfils it", async () => {
    const studio = await theStudio();
    await withFallback({ then: "fulfil", locationId: studio.id });
    const { state } = await rejected();
    expect(state.fulfillmentOrders.map((f) => [f.location.name, f.status])).toEqual([
      ["Studio", "CLOSED"],
    ]);
    expect(state.fulfillments).toHaveLength(1);
  });

  it("a fallback move Shopify would refuse (the location doesn't stock the item) is not sent and leaves the order needing attention in Shopify's words (ADR 094)", async () => {
    const lab2 = await theStudio();
    await setRules({
      ...LAB_RULE,
      conditions: [{ field: "product_type", operator: "equals", value: "Canvas" }],
      actions: [
        { type: "submit_fulfilment_request", onRejected: { then: "move", locationId: lab2.id } },
      ],
    });
    const created = await sim.createOrder({
      lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 1 }],
      payment: "paid",
    });
    await settle();
    await lab(created.fulfillmentOrderIds[0]!, "reject", { message: "Frame broken" });
    await settle();
    // Shopify's locationsForMove says why, asked before the move (it was the move's userError).
    expect(await trace(created.orderId)).toMatch(
      /will not move it to “Studio”: No items are stocked at this location\. In Shopify admin, stock the products at “Studio”, or change where the rule sends rejected work, then choose Route again\./,
    );
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { orderId: created.orderId },
    });
    expect(record.outcome).toBe("needs_attention");
  });

  for (const reading of ["closed", "cancelled"] as const) {
    it(`a cancellation the lab accepts leaves the work to do, never finished nor sent back to the lab, even when the authorization check plans the order again (Shopify's "${reading}" reading)`, async () => {
      await sim.control("POST", "/_sim/readings", { cancellationAccepted: reading });
      await setRules({
        ...LAB_RULE,
        actions: [
          { type: "submit_fulfilment_request" },
          { type: "capture_payment", when: "on_fulfilment" },
        ],
      });
      const { orderId, fulfillmentOrderId } = await labOrder("authorized");
      await settle();
      await lab(fulfillmentOrderId, "accept");
      await settle();
      // The merchant asks the lab to stop (as Shopify admin's "Request cancellation" does).
      await sim.gateway.request(
        `#graphql
        mutation RequestCancellation($id: ID!) { fulfillmentOrderSubmitCancellationRequest(id: $id) { userErrors { message } } }`,
        { id: fulfillmentOrderId },
      );
      await lab(fulfillmentOrderId, "accept-cancellation", { message: "Not started" });
      await settle();
      const state = await sim.orderState(orderId);
      expect(state.financialStatus).toBe("AUTHORIZED");
      expect(await trace(orderId)).toContain(
        await inEnglish(
          words("shopifyEvents.cancellationAcceptedSaid", { message: "Not started" }),
        ),
      );
      const records = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
      if (reading === "cancelled") {
        expect(records.map((r) => r.outcome)).toEqual(["needs_attention"]);
        expect(await inEnglish(records[0]!.reason)).toMatch(/still to be fulfilled/);
      } else {
        // The work came back on a new open fulfillment order at the lab's location: that one is
        // still to do, and the queue says it was sent nowhere rather than "sent to the lab".
        const open = state.fulfillmentOrders.filter((f) => f.status === "OPEN");
        expect(open).toHaveLength(1);
        expect(open[0]).toMatchObject({ requestStatus: "UNSUBMITTED" });
        const openRecord = records.find((r) => r.fulfillmentOrderId === open[0]!.id)!;
        expect(openRecord.outcome).toBe("needs_attention");
        expect(await inEnglish(openRecord.reason)).toBe(
          await inEnglish(
            engineSaid("attention.workReturnedAfterCancellation", {
              service: "Partner Lab",
              location: "Partner Lab",
            }),
          ),
        );
      }
      const sent = await stepKinds(orderId);

      // Days later the authorization check plans the order again: the lab is not asked again.
      const deadline = records.find((r) => r.authorizationLapsesAt)!.authorizationLapsesAt!;
      const ahead = deadline.getTime() - 40 * 3600_000 - Date.now();
      const later = workerWithClock(() => ahead);
      expect(await checkAuthorizations(later, sim.shop)).toEqual([orderId]);
      await settle(later);
      const after = await sim.orderState(orderId);
      expect(after.fulfillmentOrders.map((f) => f.requestStatus)).not.toContain("SUBMITTED");
      expect(await stepKinds(orderId)).toEqual(sent);
      const stillToDo = await db.fulfillmentOrderRecord.findMany({
        where: { orderId, status: { in: ["OPEN", "CANCELLED"] } },
      });
      expect(stillToDo.map((r) => r.outcome)).toEqual(["needs_attention"]);
    });
  }

  it(`the fulfillment order a lab closes by accepting a cancellation request (Shopify's "closed" reading) shows as canceled, never completed, in the queue and on Home`, async () => {
    await sim.control("POST", "/_sim/readings", { cancellationAccepted: "closed" });
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    await lab(fulfillmentOrderId, "accept");
    await settle();
    await sim.gateway.request(
      `#graphql
      mutation RequestCancellation($id: ID!) { fulfillmentOrderSubmitCancellationRequest(id: $id) { userErrors { message } } }`,
      { id: fulfillmentOrderId },
    );
    await lab(fulfillmentOrderId, "accept-cancellation", { message: "Not started" });
    await settle();
    const state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.find((f) => f.id === fulfillmentOrderId)).toMatchObject({
      status: "CLOSED",
      requestStatus: "CANCELLATION_ACCEPTED",
    });
    expect(state.fulfillments).toHaveLength(0);

    const rows = async (params: Record<string, string>) => {
      const filters = parseQueueFilters(new URLSearchParams(params));
      if (!filters.ok) throw new Error(JSON.stringify(filters.errors));
      const page = await loadQueuePage(db, sim.shop, filters.value, { now: new Date() });
      return page.rows
        .filter((r) => r.orderId === orderId)
        .map((r) => [
          r.fulfillmentOrderId === fulfillmentOrderId ? "original" : "returned",
          r.outcome,
        ]);
    };
    // Asking for completed work finds nothing of it: nothing was fulfilled.
    expect(await rows({ completed: "1" })).toEqual([["returned", "needs_attention"]]);
    expect(await rows({ completed: "1", cancelled: "1" })).toEqual([
      ["original", "cancelled"],
      ["returned", "needs_attention"],
    ]);
    const home = await loadHomeSummary(
      db,
      sim.shop,
      new Date(),
      { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50, known: false },
      { health: async () => ({ queued: 0, due: 0, running: 0, failed: 0, oldestWaitSeconds: 0 }) },
    );
    // The lab gave the work back: it is not counted as sent to a fulfillment service nor routed.
    expect(home.today).toMatchObject({ sentToLab: 0, automatic: 0, needsAttention: 1 });
  });

  it("a cancellation the lab rejects keeps the work with the lab, in the trace and the queue", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    await lab(fulfillmentOrderId, "accept");
    await settle();
    await sim.gateway.request(
      `#graphql
      mutation RequestCancellation($id: ID!) { fulfillmentOrderSubmitCancellationRequest(id: $id) { userErrors { message } } }`,
      { id: fulfillmentOrderId },
    );
    await lab(fulfillmentOrderId, "reject-cancellation", { message: "Already printed" });
    await settle();
    expect(await trace(orderId)).toContain(
      await inEnglish(
        words("shopifyEvents.cancellationRejectedSaid", { message: "Already printed" }),
      ),
    );
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.requestStatus).toBe("CANCELLATION_REJECTED");
  });

  it("a cancellation request staff send from Shopify admin (fulfillment_orders/cancellation_request_submitted) is seen before the lab answers: the trace says it with the merchant's message, in the admin's language, and the queue shows the request", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    await lab(fulfillmentOrderId, "accept");
    await settle();
    const before = await db.decision.count({ where: { orderId } });
    await sim.gateway.request(
      `#graphql
      mutation RequestCancellation($id: ID!, $message: String) { fulfillmentOrderSubmitCancellationRequest(id: $id, message: $message) { userErrors { message } } }`,
      { id: fulfillmentOrderId, message: "Customer changed their mind" },
    );
    await settle();
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({
      requestStatus: "CANCELLATION_REQUESTED",
      outcome: "in_progress",
    });
    const said = words("settled.cancellationRequested", {
      message: "Customer changed their mind",
    });
    expect(await trace(orderId)).toContain(await inEnglish(said));
    const latest = await db.decision.findFirstOrThrow({
      where: { orderId },
      orderBy: { createdAt: "desc" },
    });
    expect(await db.decision.count({ where: { orderId } })).toBe(before + 1);
    const german = await translatorOf("de");
    expect(readWordsList(latest.explanation).map((w) => renderWords(german, w))).toEqual([
      german("settled.cancellationRequested", { message: "Customer changed their mind" }),
    ]);
    // Nothing is sent to Shopify on it: the lab's answer decides what happens next.
    expect(await sim.orderState(orderId)).toMatchObject({
      fulfillmentOrders: [{ id: fulfillmentOrderId, requestStatus: "CANCELLATION_REQUESTED" }],
    });
  });

  it("the lab fulfils (fulfillments/create) or gives up (fulfillment_service_failed_to_complete): the queue and the trace follow", async () => {
    const first = await labOrder("paid");
    const second = await labOrder("paid");
    await settle();
    for (const o of [first, second]) await lab(o.fulfillmentOrderId, "accept");
    await lab(first.fulfillmentOrderId, "fulfill");
    await lab(second.fulfillmentOrderId, "close", { message: "Printer broke" });
    await settle();
    expect(await trace(first.orderId)).toContain(
      await inEnglish(words("shopifyEvents.fulfillmentCreated")),
    );
    expect(
      (await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId: first.orderId } }))
        .status,
    ).toBe("CLOSED");
    expect(await trace(second.orderId)).toContain(
      await inEnglish(words("shopifyEvents.failedToCompleteSaid", { message: "Printer broke" })),
    );
    expect(
      (await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId: second.orderId } }))
        .status,
    ).toBe("INCOMPLETE");
  });

  it("a hold staff place in Shopify admin is noticed: the queue shows it held and the trace says by whom", async () => {
    await setRules();
    const created = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await settle();
    await sim.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(created.fulfillmentOrderIds[0]!)}/staff-hold`,
      {
        reason: "INCORRECT_ADDRESS",
        reasonNotes: "Customer called",
      },
    );
    await settle();
    expect(await trace(created.orderId)).toContain(
      await inEnglish(
        words("shopifyEvents.heldByOthers", {
          hold: words("shopifyEvents.holdWithNotes", {
            reason: words("holdReason.INCORRECT_ADDRESS"),
            notes: "Customer called",
          }),
        }),
      ),
    );
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { orderId: created.orderId },
    });
    // Stored as Words (ADR 020): what an English admin reads in the queue's reason column.
    expect(record.status).toBe("ON_HOLD");
    expect(await inEnglish(record.reason)).toBe("Incorrect address: Customer called");
  });

  it("a staff hold on lab work the rules already hold for review comes as fulfillment_holds/added alone (no placed_on_hold): noticed, approval leaves it on and sends nothing, and the request goes once staff release it", async () => {
    await setRules({
      ...LAB_RULE,
      actions: [
        { type: "hold_for_review", note: "Check the crop" },
        { type: "submit_fulfilment_request", message: "Lustre, no border" },
      ],
    });
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    const topicsFor = async (topic: string) =>
      (
        await sim.control<{ deliveries: { payload: { fulfillment_order: { id: string } } }[] }>(
          "GET",
          `/_sim/webhooks?shop=${sim.shop}&topic=${topic}`,
        )
      ).deliveries.filter((d) => d.payload.fulfillment_order.id === fulfillmentOrderId).length;
    expect(await topicsFor("fulfillment_orders/placed_on_hold")).toBe(1);

    // Staff hold it in Shopify admin on top of the app's review hold: the fulfillment order was
    // on hold already, so Shopify sends fulfillment_holds/added and no placed_on_hold.
    await sim.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(fulfillmentOrderId)}/staff-hold`,
      { reason: "INCORRECT_ADDRESS", reasonNotes: "Customer called" },
    );
    await settle();
    expect(await topicsFor("fulfillment_orders/placed_on_hold")).toBe(1);
    expect(await topicsFor("fulfillment_holds/added")).toBe(2);
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

    // The merchant approves the crop: the app releases its own hold only; the staff hold stays
    // and nothing goes to the lab.
    const approved = await runCommand(
      { db, gateway: sim.gateway, now: () => new Date() },
      { shop: sim.shop, actor: "Merchant" },
      { action: "approve", fulfillmentOrderId },
    );
    await settle();
    let fo = (await sim.orderState(orderId)).fulfillmentOrders[0]!;
    expect(fo.requestStatus).toBe("UNSUBMITTED");
    expect(fo.holds.map((h) => [h.reason, h.reasonNotes])).toEqual([
      ["INCORRECT_ADDRESS", "Customer called"],
    ]);
    let record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ status: "ON_HOLD", outcome: "held" });
    expect(await inEnglish(record.reason)).toBe("Incorrect address: Customer called");
    expect(approved.ok).toBe(true);

    // Staff release their hold: the rules' request goes to the lab, once.
    await sim.gateway.request(
      `#graphql
      mutation StaffReleases($id: ID!) {
        fulfillmentOrderReleaseHold(id: $id) { userErrors { message } }
      }`,
      { id: fulfillmentOrderId },
    );
    await settle();
    fo = (await sim.orderState(orderId)).fulfillmentOrders[0]!;
    expect(fo).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
    record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ requestStatus: "SUBMITTED", outcome: "in_progress" });
    expect(
      (await stepKinds(orderId)).filter((k) => k === "fulfillmentOrderSubmitFulfillmentRequest"),
    ).toHaveLength(1);
    expect(await automaticDecisions(orderId)).toBe(1);
  });
});

describe("the release gate never outlives the rules' decision", () => {
  const REVIEW_RULE: Rule = {
    ...LAB_RULE,
    actions: [
      { type: "hold_for_review", note: "Check the crop" },
      { type: "submit_fulfilment_request", message: "Lustre, no border" },
    ],
  };

  const gateHoldsAdded = async (fulfillmentOrderId: string) =>
    (
      await sim.control<{
        deliveries: {
          payload: { fulfillment_order: { id: string }; fulfillment_hold: { handle: string } };
        }[];
      }>("GET", `/_sim/webhooks?shop=${sim.shop}&topic=fulfillment_holds/added`)
    ).deliveries.filter(
      (d) =>
        d.payload.fulfillment_order.id === fulfillmentOrderId &&
        d.payload.fulfillment_hold.handle === GATE_HOLD_HANDLE,
    ).length;

  it("a review rule that decides on the first read holds the lab's work in the gate's place: one hold, no gate placed and released (ADR 024)", async () => {
    await setRules(REVIEW_RULE);
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    const fo = (await sim.orderState(orderId)).fulfillmentOrders[0]!;
    expect(fo).toMatchObject({ requestStatus: "UNSUBMITTED" });
    expect(fo.holds.map((h) => h.handle)).toEqual([expect.stringMatching(/^fr-rule-.*-review$/)]);
    expect(await stepKinds(orderId)).toEqual(["fulfillmentOrderHold"]);
    expect(await gateHoldsAdded(fulfillmentOrderId)).toBe(0);
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.outcome).toBe("in_review");
  });

  it("retries whose changes Shopify made but whose answers were lost: the review hold goes on once in the gate's place, and no gate ever", async () => {
    await setRules(REVIEW_RULE);
    let ahead = 0;
    const deps = workerWithClock(() => ahead);
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    // Every change is made on Shopify and its answer lost (a 504): each attempt of the order's job
    // makes one change (the review hold) and is tried again.
    await sim.control("POST", "/_sim/faults", { appliedThenTimeoutRate: 1, timeoutMs: 20 });
    let holds: (string | null)[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      await settle(deps);
      ahead += 10 * 60_000;
      holds = (await sim.orderState(orderId)).fulfillmentOrders[0]!.holds.map((h) => h.handle);
      if (holds.length === 1 && holds[0] !== GATE_HOLD_HANDLE) break;
    }
    expect(holds).toEqual([expect.stringMatching(/^fr-rule-.*-review$/)]);
    // Shopify answers again: the retry finds the rules' decision on the order and finishes it.
    await sim.control("POST", "/_sim/faults", { appliedThenTimeoutRate: 0 });
    await settle(deps);
    ahead += 10 * 60_000;
    await settle(deps);
    const state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]!.holds.map((h) => h.handle)).toEqual(holds);
    expect(await gateHoldsAdded(fulfillmentOrderId)).toBe(0);
    expect(await automaticDecisions(orderId)).toBe(1);
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.outcome).toBe("in_review");

    // The merchant approves: the review hold goes, the request is sent, no gate anywhere.
    const approved = await runCommand(
      { db, gateway: sim.gateway, now: () => new Date() },
      { shop: sim.shop, actor: "Merchant" },
      { action: "approve", fulfillmentOrderId },
    );
    expect(approved.ok).toBe(true);
    await settle(deps);
    const after = (await sim.orderState(orderId)).fulfillmentOrders[0]!;
    expect(after).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
    expect(await gateHoldsAdded(fulfillmentOrderId)).toBe(0);
  });

  it("two worker processes running one order's job at once (a lease taken while it still ran) leave the review hold alone, the gate released, one decision applied", async () => {
    await setRules(REVIEW_RULE);
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push(await labOrder("paid"));
    // Answers lost after the change and 5xx before it, as in the fault run.
    await sim.control("POST", "/_sim/faults", {
      errorRate: 0.15,
      appliedThenTimeoutRate: 0.15,
      timeoutMs: 50,
    });
    let ahead = 0;
    // The second process's clock is two minutes ahead: every job the first holds looks abandoned.
    const first = workerWithClock(() => ahead, 60_000);
    const second = workerWithClock(() => ahead + 120_000, 60_000);
    for (let round = 0; round < 3; round++) {
      await Promise.all([settle(first), settle(second)]);
      ahead += 10 * 60_000;
    }
    await sim.control("POST", "/_sim/faults", { errorRate: 0, appliedThenTimeoutRate: 0 });
    for (let round = 0; round < 3; round++) {
      await Promise.all([settle(first), settle(second)]);
      ahead += 10 * 60_000;
    }
    for (const { orderId } of orders) {
      const fo = (await sim.orderState(orderId)).fulfillmentOrders[0]!;
      expect(fo.holds.map((h) => h.handle)).toEqual([expect.stringMatching(/^fr-rule-.*-review$/)]);
      const decisions = await db.decision.findMany({
        where: { orderId, trigger: { in: ["webhook", "reconciliation"] } },
      });
      expect(decisions.map((d) => d.status)).toEqual(["applied"]);
    }
  }, 120_000);
});

describe("an order cancelled while the rules decide it", () => {
  it("cancelled on Shopify while the app routes it: nothing is held, requested or captured afterwards, and the decision does not ask for attention", async () => {
    await setRules({
      ...LAB_RULE,
      actions: [
        { type: "submit_fulfilment_request", message: "Lustre, no border" },
        { type: "add_order_tags", tags: ["sent-to-lab"] },
        { type: "capture_payment", when: "now" },
      ],
    });
    const { orderId, fulfillmentOrderId } = await labOrder("authorized");
    // Every Admin API call takes 400 ms (a slow day at Shopify): staff have time to cancel the
    // order in Shopify admin while the app is between its first change and the rest.
    await sim.control("POST", "/_sim/faults", { latencyMs: 400 });
    const routing = settle();
    await expect
      .poll(
        async () =>
          (await sim.orderState(orderId)).fulfillmentOrders[0]!.holds.map((h) => h.handle),
        { timeout: 20_000, interval: 20 },
      )
      .toEqual([GATE_HOLD_HANDLE]);
    const cancelled = await sim.gateway.request<{
      orderCancel: { orderCancelUserErrors: { message: string }[] };
    }>(
      `#graphql
      mutation CancelInAdmin($orderId: ID!) {
        orderCancel(orderId: $orderId, reason: CUSTOMER, restock: true, notifyCustomer: false) {
          orderCancelUserErrors { message }
        }
      }`,
      { orderId },
    );
    expect(cancelled.orderCancel.orderCancelUserErrors).toEqual([]);
    await routing;
    await sim.control("POST", "/_sim/faults", { latencyMs: 0 });
    await settle();

    const state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.map((f) => f.requestStatus)).not.toContain("SUBMITTED");
    expect(state.transactions.filter((t) => t.kind === "CAPTURE")).toEqual([]);
    const decisions = await db.decision.findMany({
      where: { orderId, trigger: { in: ["webhook", "reconciliation"] } },
    });
    expect(decisions.map((d) => d.status)).toEqual(["applied"]);
    expect(await trace(orderId)).toContain(await inEnglish(engineSaid("explain.orderCanceled")));
    // No refusal shows as a failure in the order's timeline.
    expect(await db.step.count({ where: { decision: { orderId }, status: "failed" } })).toBe(0);
    const record = await db.fulfillmentOrderRecord.findFirst({ where: { fulfillmentOrderId } });
    expect(record?.outcome).not.toBe("needs_attention");
  }, 60_000);

  it("cancelled in Shopify admin while held for review, nothing fulfilled: its fulfillment order shows as canceled, never completed, in the queue and on Home", async () => {
    await setRules({
      ...LAB_RULE,
      actions: [
        { type: "hold_for_review", note: "Check the crop" },
        { type: "submit_fulfilment_request", message: "Lustre, no border" },
      ],
    });
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    const cancelled = await sim.gateway.request<{
      orderCancel: { orderCancelUserErrors: { message: string }[] };
    }>(
      `#graphql
      mutation CancelInAdmin($orderId: ID!) {
        orderCancel(orderId: $orderId, reason: CUSTOMER, restock: true, notifyCustomer: false) {
          orderCancelUserErrors { message }
        }
      }`,
      { orderId },
    );
    expect(cancelled.orderCancel.orderCancelUserErrors).toEqual([]);
    // orders/cancelled comes when Shopify sends it (delayed and reordered here, as Shopify may):
    // the worker runs until the fulfillment order's row has taken it in, or the poll gives up.
    await expect
      .poll(
        async () => {
          await settle();
          const record = await db.fulfillmentOrderRecord.findFirst({
            where: { fulfillmentOrderId },
          });
          return record?.outcome;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe("cancelled");
    const state = await sim.orderState(orderId);
    // Shopify closes it like a fulfilled one: only the canceled order without fulfillments tells.
    expect(state.fulfillmentOrders.find((f) => f.id === fulfillmentOrderId)).toMatchObject({
      status: "CLOSED",
      requestStatus: "UNSUBMITTED",
    });
    expect(state.fulfillments).toHaveLength(0);

    const rows = async (params: Record<string, string>) => {
      const filters = parseQueueFilters(new URLSearchParams(params));
      if (!filters.ok) throw new Error(JSON.stringify(filters.errors));
      const page = await loadQueuePage(db, sim.shop, filters.value, { now: new Date() });
      return page.rows.filter((r) => r.orderId === orderId).map((r) => r.outcome);
    };
    expect(await rows({ completed: "1" })).toEqual([]);
    expect(await rows({ completed: "1", cancelled: "1" })).toEqual(["cancelled"]);
    const home = await loadHomeSummary(
      db,
      sim.shop,
      new Date(),
      { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50, known: false },
      { health: async () => ({ queued: 0, due: 0, running: 0, failed: 0, oldestWaitSeconds: 0 }) },
    );
    expect(home.today).toMatchObject({ sentToLab: 0 });
  }, 60_000);
});

describe("an answer's work that fails on the way is finished by its retry", () => {
  it("the capture on the lab's acceptance is answered with a timeout after Shopify made it: the retry finishes the same decision, none is left applying", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("authorized");
    await settle();
    // Every mutation is made on Shopify and its answer lost (a 504 after the change).
    await sim.control("POST", "/_sim/faults", { appliedThenTimeoutRate: 1, timeoutMs: 50 });
    await lab(fulfillmentOrderId, "accept", { message: "Printing tonight" });
    const deps = workerDeps();
    await settle(deps);
    expect((await sim.orderState(orderId)).financialStatus).toBe("PAID");
    expect(
      await db.job.findFirst({ where: { queue: QUEUES.refreshOrder, status: "queued" } }),
    ).toMatchObject({ lastError: expect.stringContaining("504") });

    await sim.control("POST", "/_sim/faults", { appliedThenTimeoutRate: 0 });
    // The retry's backoff (a second after the first failure).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await settle(deps);
    const state = await sim.orderState(orderId);
    expect(state.transactions.filter((t) => t.kind === "CAPTURE")).toHaveLength(1);
    expect(
      await db.decision.findMany({
        where: { orderId, status: { in: ["planned", "applying"] } },
        select: { trigger: true, status: true, explanation: true },
      }),
    ).toEqual([]);
    const accepted = await inEnglish(
      words("shopifyEvents.requestAcceptedSaid", { message: "Printing tonight" }),
    );
    expect((await trace(orderId)).split(accepted)).toHaveLength(2);
    expect(await db.job.count({ where: { status: { in: ["queued", "running", "failed"] } } })).toBe(
      0,
    );
  });
});

describe("an authorization that lapses before the lab accepts (capture when the lab accepts)", () => {
  const DAY = 24 * 3600 * 1000;
  const LAPSED =
    /The payment authorization lapsed before it was captured \(Shopify shows the payment as Expired\), so nothing was captured\. Collect the payment from the customer and use Mark as paid in Shopify admin, or cancel the order\./;

  /** Every Step the app ever tried on the order, whatever came of it. */
  const triedSteps = async (orderId: string) =>
    (await db.step.findMany({ where: { decision: { orderId } } })).map(
      (s) => `${s.kind}:${s.status}`,
    );

  const captures = async (orderId: string) =>
    (await sim.orderState(orderId)).transactions.filter((t) => t.kind === "CAPTURE");

  it("noticed when the lab accepts: the order needs attention with the reason, nothing is captured or tried twice, and once the customer pays another way it is back to the lab's work", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("authorized");
    await settle();
    expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.requestStatus).toBe("SUBMITTED");

    // Eight days pass at Shopify: the gateway's seven-day authorization lapses unseen (Shopify
    // sends no webhook for it), then the lab accepts, twice over (Shopify may deliver twice).
    await sim.control("POST", "/_sim/clock", { advanceMs: 8 * DAY });
    await sim.control("POST", "/_sim/faults", { duplicateWebhooksRate: 1 });
    await lab(fulfillmentOrderId, "accept", { message: "Printing tonight" });
    await settle();
    await settle();

    let state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("EXPIRED");
    expect(await captures(orderId)).toEqual([]);
    // The lab keeps the work it accepted: nothing is taken back from it.
    expect(state.fulfillmentOrders[0]).toMatchObject({
      status: "IN_PROGRESS",
      requestStatus: "ACCEPTED",
    });
    let record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.outcome).toBe("needs_attention");
    expect(await inEnglish(record.reason)).toMatch(LAPSED);
    const answers = await db.decision.findMany({ where: { orderId, trigger: "service" } });
    expect(answers.map((d) => d.status)).toEqual(["needs_attention"]);
    const said = await trace(orderId);
    const accepted = await inEnglish(
      words("shopifyEvents.requestAcceptedSaid", { message: "Printing tonight" }),
    );
    const lapsed = await inEnglish(words("settled.authorizationLapsed"));
    expect(said).toContain(accepted);
    // The lapse is said after the acceptance, in the same decision (one line of the trace).
    expect(said.slice(said.indexOf(accepted)).split("\n")[0]).toContain(lapsed);
    // No capture was tried on a payment Shopify no longer offers; every Step went through once.
    const tried = await triedSteps(orderId);
    expect(tried.filter((s) => s.startsWith("orderCapture"))).toEqual([]);
    expect(new Set(tried).size).toBe(tried.length);
    expect(await automaticDecisions(orderId)).toBe(1);

    // The merchant collects the money (a manual payment, Mark as paid): orders/paid.
    await sim.control("POST", "/_sim/faults", { duplicateWebhooksRate: 0 });
    await sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/pay`, {});
    await settle();
    state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("PAID");
    expect(await captures(orderId)).toEqual([]);
    record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({
      outcome: "in_progress",
      reason: null,
      requestStatus: "ACCEPTED",
    });
    expect(await automaticDecisions(orderId)).toBe(1);
    expect((await triedSteps(orderId)).filter((s) => s.startsWith("orderCapture"))).toEqual([]);
  });

  it("refused by Shopify when it lapses between the app's read and its capture: Shopify's words on the order, nothing captured, the capture not tried again", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("authorized");
    await settle();
    // The app reads the order while the authorization still holds; it lapses just before the
    // capture reaches Shopify (time passes at Shopify while the worker works).
    let lapsed = false;
    const deps = workerDeps();
    const racing: WorkerDeps = {
      ...deps,
      gatewayFor: async () => ({
        shop: sim.gateway.shop,
        async request(document, variables) {
          if (!lapsed && /\borderCapture\s*\(/.test(document)) {
            lapsed = true;
            await sim.control("POST", "/_sim/clock", { advanceMs: 8 * DAY });
          }
          return sim.gateway.request(document, variables);
        },
      }),
    };
    await lab(fulfillmentOrderId, "accept", { message: "Printing tonight" });
    await settle(racing);
    expect(lapsed).toBe(true);

    const state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("EXPIRED");
    expect(await captures(orderId)).toEqual([]);
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.outcome).toBe("needs_attention");
    // The queue says the capture, Shopify's words and what to do next; the trace the same words.
    const refused = readWords(record.reason!) as Words;
    expect(refused).toMatchObject({
      key: "engine.route.stepRefused",
      params: { shopify: "The authorization has expired.", code: "authorizationExpired" },
    });
    // orderCapture's userErrors carry no code: the order read after the refusal shows the payment
    // Expired, and the advice says how to collect it instead of routing again.
    expect(await inEnglish(refused)).toContain(
      await inEnglish(engineSaid("route.advice.authorizationExpired")),
    );
    expect(await inEnglish(refused.params!.step as Words)).toBe("Capture €43.90");
    expect(await trace(orderId)).toContain(
      await inEnglish(
        engineSaid("route.stepFailed", {
          step: refused.params!.step!,
          shopify: "The authorization has expired.",
        }),
      ),
    );

    // The rules plan again when the lab ships it (fulfillments/create): the app reads the order,
    // sees the payment Expired, says so, and does not try the capture again.
    await lab(fulfillmentOrderId, "fulfill");
    await settle(deps);
    expect((await triedSteps(orderId)).filter((s) => s.startsWith("orderCapture"))).toEqual([
      "orderCapture:failed",
    ]);
    expect(await captures(orderId)).toEqual([]);
    const shipped = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(shipped).toMatchObject({ status: "CLOSED", outcome: "needs_attention" });
    expect(await inEnglish(shipped.reason)).toMatch(LAPSED);
    expect(await automaticDecisions(orderId)).toBe(1);
  });
});

describe("a lab's acceptance whose webhook never came", () => {
  it("is followed once the authorization check reads the order inside the warning window: captured at Shopify, the queue shows the lab's work", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("authorized");
    await settle();
    // Shopify gives up on the acceptance's webhook (dropped): nothing tells the app.
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    await lab(fulfillmentOrderId, "accept", { message: "Printing tonight" });
    await settle();
    expect((await sim.orderState(orderId)).financialStatus).toBe("AUTHORIZED");
    let record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.requestStatus).toBe("SUBMITTED");

    // Five days later (the app's clock) the authorization is inside Settings' 48-hour window.
    // The worker's clock runs that far ahead of the machine's, fixed once: an offset that read
    // the machine's clock again would stop the worker's clock and now and then set it back a
    // millisecond, so the check's job, due when enqueued, was not due a moment later.
    const ahead = record.authorizationLapsesAt!.getTime() - 40 * 3600_000 - Date.now();
    const deps = workerWithClock(() => ahead);
    expect(await checkAuthorizations(deps, sim.shop)).toEqual([orderId]);
    await settle(deps);

    const state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("PAID");
    expect(state.transactions.filter((t) => t.kind === "CAPTURE")).toHaveLength(1);
    record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ requestStatus: "ACCEPTED", authorizationLapsesAt: null });
    expect(await automaticDecisions(orderId)).toBe(1);
  });
});

describe("Shopify refuses the release gate's hold", () => {
  it("when someone else sent the request between the app's read and its hold: the refusal is not the merchant's concern, the order is followed as it is and captured when the lab accepts", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("authorized");
    // Staff (or another app) press "Request fulfillment" just before the gate's hold reaches
    // Shopify, which then refuses the hold: the fulfillment order was requested from the service.
    let raced = false;
    const deps = workerDeps();
    const racing: WorkerDeps = {
      ...deps,
      gatewayFor: async () => ({
        shop: sim.gateway.shop,
        async request(document, variables) {
          if (!raced && /\bfulfillmentOrderHold\s*\(/.test(document)) {
            raced = true;
            await sim.gateway.request(
              `#graphql
              mutation StaffRequests($id: ID!) {
                fulfillmentOrderSubmitFulfillmentRequest(id: $id) { userErrors { message } }
              }`,
              { id: fulfillmentOrderId },
            );
          }
          return sim.gateway.request(document, variables);
        },
      }),
    };
    await settle(racing);
    expect(raced).toBe(true);
    const tried = await db.step.findMany({ where: { decision: { orderId } } });
    expect(tried.filter((s) => s.kind === "fulfillmentOrderHold").map((s) => s.status)).toEqual([
      "skipped",
    ]);
    let state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
    let record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.outcome).not.toBe("needs_attention");
    expect(await automaticDecisions(orderId)).toBe(1);

    await lab(fulfillmentOrderId, "accept", { message: "Printing tonight" });
    await settle();
    state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("PAID");
    record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record).toMatchObject({ requestStatus: "ACCEPTED" });
    expect(record.outcome).not.toBe("needs_attention");
  });
});
