// Routing by capability through Shopify's documented behaviour: the lines bound elsewhere go there
// in one fulfillmentOrderMove with its fulfillmentOrderLineItems (ADR 030), the rest stay on the
// fulfillment order they were on, and a retry whose move answer was lost finds them already moved.
// Where Shopify's sources disagree on where such a move leaves the lines, each reading is played.
// Driven through the simulator's signed webhooks (reordered and delayed) and the worker.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { engineSaid } from "~/routing/words";
import { forgetLocations } from "~/shopify/snapshot.server";
import { settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite({
  rules: [
    {
      id: "rule-split-by-capability",
      name: "Split by capability",
      conditions: [],
      actions: [
        { type: "split", by: "capability" },
        { type: "submit_fulfilment_request", message: "Matte, no border" },
      ],
    },
  ],
});
const { setRules, settle, workerWithClock, stepKinds, automaticDecisions, printProfiles } =
  settledOrders(sim);

beforeEach(async () => {
  // Each test's shop is seeded afresh (new location ids): it starts without reused ones (ADR 018).
  forgetLocations(sim.shop);
  // Shopify's own reading of a move of some lines unless a test plays another (ADR 030).
  await sim.control("POST", "/_sim/readings", { partialMove: "carved" });
  await printProfiles();
});

/** Both prints are in stock at the Studio, so Shopify routes them there on one fulfillment order. */
async function mixedOrder() {
  const created = await sim.createOrder({
    lineItems: [
      { sku: "PRINT-LUSTRE-A4", quantity: 1 },
      { sku: "PRINT-MATTE-A3", quantity: 2, properties: { Crop: "0.1,0.1,0.8,0.8" } },
    ],
    payment: "paid",
  });
  const [fo] = (await sim.orderState(created.orderId)).fulfillmentOrders;
  expect(fo!.location.name).toBe("Studio");
  const lineOf = (sku: string) => fo!.lineItems.find((l) => l.sku === sku)!.id;
  return {
    orderId: created.orderId,
    fulfillmentOrderId: fo!.id,
    lustre: lineOf("PRINT-LUSTRE-A4"),
    matte: lineOf("PRINT-MATTE-A3"),
  };
}

/**
 * What the shop has spent on Shopify so far, as the simulator counts it: points, the largest cost a
 * call asked of the bucket, each operation's calls and points, and the points of the named reads.
 */
async function adminSpend(readOperations: string[] = []) {
  const stats = await sim.control<{
    shops: Record<
      string,
      {
        pointsSpent: number;
        maxRequestedQueryCost: number;
        operations: Record<string, { calls: number; pointsSpent: number }>;
      }
    >;
  }>("GET", "/_sim/stats");
  const shop = stats.shops[sim.shop]!;
  const reads = readOperations
    .map((name) => shop.operations[name]?.pointsSpent ?? 0)
    .reduce((a, b) => a + b, 0);
  return { ...shop, reads };
}

/** Where each open fulfillment order's lines are, by SKU: [sku, location, request status, units]. */
async function whereSkus(orderId: string) {
  return (await sim.orderState(orderId)).fulfillmentOrders
    .filter((f) => f.status !== "CLOSED")
    .flatMap((f) =>
      f.lineItems.map((l) => [l.sku, f.location.name, f.requestStatus, l.remainingQuantity]),
    )
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

describe("the lines bound elsewhere go there in one move of just those lines (fulfillmentOrderMove's fulfillmentOrderLineItems, ADR 030)", () => {
  it("the matte line leaves the Studio's fulfillment order for the lab in one move and is requested once with its personalisation; the Studio keeps its fulfillment order", async () => {
    const { orderId, fulfillmentOrderId, lustre } = await mixedOrder();
    await settle();
    expect(await whereSkus(orderId)).toEqual([
      ["PRINT-LUSTRE-A4", "Studio", "UNSUBMITTED", 1],
      ["PRINT-MATTE-A3", "Partner Lab", "SUBMITTED", 2],
    ]);
    const state = await sim.orderState(orderId);
    const labPart = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab")!;
    expect(labPart.id).not.toBe(fulfillmentOrderId);
    const home = state.fulfillmentOrders.find((f) => f.id === fulfillmentOrderId)!;
    expect(home.lineItems.map((l) => l.id)).toEqual([lustre]);
    expect(await stepKinds(orderId)).toEqual([
      "fulfillmentOrderMove",
      "fulfillmentOrderSubmitFulfillmentRequest",
    ]);
    const move = await db.step.findFirstOrThrow({
      where: { decision: { orderId }, kind: "fulfillmentOrderMove" },
    });
    expect(JSON.parse(move.input)).toMatchObject({
      input: { id: fulfillmentOrderId, fulfillmentOrderLineItems: [{ quantity: 2 }] },
    });
    // Planned on the move's answer: the routing job read the order once.
    expect((await adminSpend()).operations.OrderRoutingSnapshot?.calls).toBe(1);
    const request = await db.step.findFirstOrThrow({
      where: { decision: { orderId }, kind: "fulfillmentOrderSubmitFulfillmentRequest" },
    });
    expect((JSON.parse(request.input) as { input: { message: string } }).input.message).toMatch(
      /^Matte, no border\n.*× 2: Crop: 0\.1,0\.1,0\.8,0\.8$/,
    );
    const records = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
    expect(
      records.map((r) => [r.fulfillmentOrderId, r.locationName, r.requestStatus]).sort(),
    ).toEqual(
      [
        [fulfillmentOrderId, "Studio", "UNSUBMITTED"],
        [labPart.id, "Partner Lab", "SUBMITTED"],
      ].sort(),
    );
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it.each([
    [
      "carved",
      "fulfillmentOrderMove's second scenario; Shopify community, 'Fulfillment Order Move API creates duplicate lines'",
    ],
    [
      "original_moves",
      "FulfillmentOrderMovePayload.movedFulfillmentOrder: 'the original fulfillment order will be moved'",
    ],
    [
      "original_closed",
      "fulfillmentOrderMove: 'The existing fulfillment order is closed and line items are recreated'; the fulfillment_orders/moved webhook's example",
    ],
  ] as const)(
    "a line the Studio makes that Shopify sent to the lab (sold out at the Studio) comes home in one move of that line, no release gate placed only to come off, and the lab is asked only for its own line (Shopify's reading %s: %s)",
    async (reading, _source) => {
      await sim.control("POST", "/_sim/readings", { partialMove: reading });
      // Lustre A3 is sold out at the Studio and matte A2 only the lab stocks: Shopify routes both
      // to the lab on one fulfillment order, which the release gate holds until the rules decide.
      // A fulfillment order on hold can be neither split nor moved; the fault run found such
      // orders left at the lab whole, the Studio's line with them.
      const created = await sim.createOrder({
        lineItems: [
          { sku: "PRINT-LUSTRE-A3", quantity: 1 },
          { sku: "PRINT-MATTE-A2", quantity: 1 },
        ],
        payment: "paid",
      });
      const [fo] = (await sim.orderState(created.orderId)).fulfillmentOrders;
      expect(fo!.location.name).toBe("Partner Lab");
      await settle();
      expect(await whereSkus(created.orderId)).toEqual([
        ["PRINT-LUSTRE-A3", "Studio", "UNSUBMITTED", 1],
        ["PRINT-MATTE-A2", "Partner Lab", "SUBMITTED", 1],
      ]);
      // The rules decided on the first read to move the Studio's line off the lab's fulfillment
      // order, which Shopify does only while nothing holds it: the gate is not placed to come off
      // again (ADR 024, 028); each change once.
      expect(await stepKinds(created.orderId)).toEqual([
        "fulfillmentOrderMove",
        "fulfillmentOrderSubmitFulfillmentRequest",
      ]);
      const { pointsSpent, operations, reads } = await adminSpend([
        "OrderRoutingSnapshot",
        "OrderSnapshot",
        "CatalogueItems",
        "FulfillmentOrderOrder",
        "FulfillmentOrdersShopifyAllows",
      ]);
      // The plan moves: Shopify is asked once where the work may go before it is moved (ADR 094).
      expect(operations.FulfillmentOrdersShopifyAllows?.calls).toBe(1);
      expect(operations.FulfillmentOrderSplit).toBeUndefined();
      expect(operations.FulfillmentOrderSubmitFulfillmentRequest).toEqual({
        calls: 1,
        pointsSpent: 10,
      });
      if (reading === "carved") {
        // The move's answer says where every unit went (the moved line on a new fulfillment order
        // at the Studio, the lab's own on the original), so the routing job reads the order once
        // (ADR 012): 10 points for the move, plus each returned fulfillment order's line
        // connection (2, and 2 for its one line), where a split and a move cost 18 and 14.
        expect(operations.OrderRoutingSnapshot?.calls).toBe(1);
        expect(operations.FulfillmentOrderMove).toEqual({ calls: 1, pointsSpent: 10 + 4 + 4 });
        expect(pointsSpent).toBe(reads + 18 + 10);
      } else {
        // The answer cannot say where the lines left behind went: the order is read again.
        expect(operations.OrderRoutingSnapshot?.calls).toBe(2);
        expect(operations.FulfillmentOrderMove?.calls).toBe(1);
      }
      const request = await db.step.findFirstOrThrow({
        where: {
          decision: { orderId: created.orderId },
          kind: "fulfillmentOrderSubmitFulfillmentRequest",
        },
      });
      expect(
        (JSON.parse(request.input) as { input: { message: string } }).input.message,
      ).not.toMatch(/Lustre/);
      const decision = await db.decision.findFirstOrThrow({ where: { orderId: created.orderId } });
      expect(decision.status).toBe("applied");
      expect(JSON.parse(decision.explanation)).not.toContainEqual(
        engineSaid("explain.gateOffToRoute"),
      );
      expect(await automaticDecisions(created.orderId)).toBe(1);
    },
  );

  it.each([
    [
      "merged",
      "fulfillmentOrderMove: 'a new fulfillment order is created. The existing fulfillment order is closed and line items are recreated in a new fulfillment order', the new one read as one",
    ],
    ["beside", "Shopify community, 'Fulfillment Order Move API creates duplicate lines'"],
    ["recreated", "the same sentence, the new fulfillment orders read as two"],
  ] as const)(
    "a sold-out line comes home to the Studio, where the order already has a fulfillment order: the move's answer lists the order's fulfillment orders, so the order is read once where it says where every unit went (Shopify's reading %s: %s)",
    async (reading, _source) => {
      await sim.control("POST", "/_sim/readings", { moveToOccupied: reading });
      // Lustre A4 is made and stocked at the Studio; lustre A3 the Studio makes but has sold out
      // of, so Shopify sends it to the lab with the matte A2 only the lab stocks.
      const created = await sim.createOrder({
        lineItems: [
          { sku: "PRINT-LUSTRE-A4", quantity: 1 },
          { sku: "PRINT-LUSTRE-A3", quantity: 1 },
          { sku: "PRINT-MATTE-A2", quantity: 1 },
        ],
        payment: "paid",
      });
      const placed = (await sim.orderState(created.orderId)).fulfillmentOrders;
      expect(placed.map((f) => [f.location.name, f.lineItems.length])).toEqual([
        ["Studio", 1],
        ["Partner Lab", 2],
      ]);
      await settle();
      expect(await whereSkus(created.orderId)).toEqual([
        ["PRINT-LUSTRE-A3", "Studio", "UNSUBMITTED", 1],
        ["PRINT-LUSTRE-A4", "Studio", "UNSUBMITTED", 1],
        ["PRINT-MATTE-A2", "Partner Lab", "SUBMITTED", 1],
      ]);
      expect(await stepKinds(created.orderId)).toEqual([
        "fulfillmentOrderMove",
        "fulfillmentOrderSubmitFulfillmentRequest",
      ]);
      const { pointsSpent, maxRequestedQueryCost, operations, reads } = await adminSpend([
        "OrderRoutingSnapshot",
        "OrderSnapshot",
        "CatalogueItems",
        "FulfillmentOrdersShopifyAllows",
      ]);
      // The plan moves: Shopify is asked once where the work may go before it is moved (ADR 094).
      expect(operations.FulfillmentOrdersShopifyAllows?.calls).toBe(1);
      const after = (await sim.orderState(created.orderId)).fulfillmentOrders;
      if (reading === "recreated") {
        // The Studio's print is on a fulfillment order the answer names nowhere: read again.
        expect(operations.OrderRoutingSnapshot?.calls).toBe(2);
        // That read asks for the three fulfillment orders the order's three units allow open, and
        // the order has four (the closed one counts): the fourth is read on from the answer's
        // cursor, only it paid for (1 for the order, 2 for the connection), where the order was
        // read again at the full read's sizes (65 points, 753 asked of the bucket).
        expect(after).toHaveLength(4);
        expect(operations.OrderSnapshot).toBeUndefined();
        expect(operations.OrderFulfillmentOrdersPage?.calls).toBe(1);
        expect(maxRequestedQueryCost).toBeLessThanOrEqual(250);
        const pageReads = reads + operations.OrderFulfillmentOrdersPage!.pointsSpent;
        expect(pointsSpent).toBe(pageReads + operations.FulfillmentOrderMove!.pointsSpent + 10);
      } else {
        // 10 for the move; the moved and the original fulfillment order's line connections (2,
        // and 2 a line); the order's fulfillment orders by id and status (2, and 1 each).
        const movedLines = reading === "merged" ? 2 : 1;
        expect(operations.OrderRoutingSnapshot?.calls).toBe(1);
        expect(operations.OrderSnapshot).toBeUndefined();
        expect(operations.FulfillmentOrderMove).toEqual({
          calls: 1,
          pointsSpent: 10 + (2 + 2 * movedLines) + (2 + 2) + (2 + after.length),
        });
        expect(pointsSpent).toBe(reads + operations.FulfillmentOrderMove!.pointsSpent + 10);
      }
      // The review queue holds every fulfillment order as Shopify has it, the closed one too.
      const records = await db.fulfillmentOrderRecord.findMany({
        where: { orderId: created.orderId },
      });
      expect(records.map((r) => [r.fulfillmentOrderId, r.status, r.locationName]).sort()).toEqual(
        after.map((f) => [f.id, f.status, f.location.name]).sort(),
      );
      const decision = await db.decision.findFirstOrThrow({ where: { orderId: created.orderId } });
      expect(decision.status).toBe("applied");
      expect(await automaticDecisions(created.orderId)).toBe(1);
    },
  );

  it("the move's answer lost after Shopify made it: the retry finds the matte line already at the lab, moves nothing again, and requests it once", async () => {
    let ahead = 0;
    const deps = workerWithClock(() => ahead);
    const { orderId } = await mixedOrder();
    await sim.control("POST", "/_sim/faults", {
      appliedThenTimeoutOf: { FulfillmentOrderMove: 1 },
      timeoutMs: 20,
    });
    await settle(deps);
    // Shopify moved it; the app did not hear so, and its job waits to be tried again.
    expect((await sim.orderState(orderId)).fulfillmentOrders).toHaveLength(2);
    expect(await whereSkus(orderId)).toEqual([
      ["PRINT-LUSTRE-A4", "Studio", "UNSUBMITTED", 1],
      ["PRINT-MATTE-A3", "Partner Lab", "UNSUBMITTED", 2],
    ]);
    for (let i = 0; i < 3; i++) {
      ahead += 10 * 60_000;
      await settle(deps);
    }
    expect(await whereSkus(orderId)).toEqual([
      ["PRINT-LUSTRE-A4", "Studio", "UNSUBMITTED", 1],
      ["PRINT-MATTE-A3", "Partner Lab", "SUBMITTED", 2],
    ]);
    const tried = await db.step.findMany({ where: { decision: { orderId } } });
    // Sent once; its answer never came, so it is not counted as the app's success.
    expect(
      tried.filter((s) => s.kind === "fulfillmentOrderMove").map((s) => [s.attempts, s.status]),
    ).toEqual([[1, "pending"]]);
    expect(tried.filter((s) => s.status === "succeeded").map((s) => s.kind)).toEqual([
      "fulfillmentOrderSubmitFulfillmentRequest",
    ]);
    expect(await automaticDecisions(orderId)).toBe(1);
  });
});

describe("a split's answer says where its lines went (ADR 012)", () => {
  it("the mount split off the Studio's fulfillment order costs the mutation's 10 points and each returned part's line connection, and the routing job reads the order once", async () => {
    await setRules({
      id: "rule-mounts-apart",
      name: "Mounts apart",
      enabled: true,
      position: 0,
      match: "all",
      lines: "any",
      keepChecking: false,
      conditions: [],
      actions: [
        {
          type: "split",
          by: "line_condition",
          conditions: [{ field: "sku", operator: "starts_with", value: "MOUNT-" }],
        },
      ],
    });
    const created = await sim.createOrder({
      lineItems: [
        { sku: "PRINT-LUSTRE-A4", quantity: 1 },
        { sku: "MOUNT-A4", quantity: 1 },
      ],
      payment: "paid",
    });
    await settle();
    const open = (await sim.orderState(created.orderId)).fulfillmentOrders.filter(
      (f) => f.status !== "CLOSED",
    );
    expect(open.map((f) => f.lineItems.map((l) => l.sku))).toEqual([
      ["PRINT-LUSTRE-A4"],
      ["MOUNT-A4"],
    ]);
    expect(await stepKinds(created.orderId)).toEqual(["fulfillmentOrderSplit"]);
    const { operations } = await adminSpend();
    // 10 for the mutation (its payload's objects inside them), and for each of the two parts it
    // returns a line connection of 2 plus 2 for its one line.
    expect(operations.FulfillmentOrderSplit).toEqual({ calls: 1, pointsSpent: 10 + 4 + 4 });
    expect(operations.OrderRoutingSnapshot?.calls).toBe(1);
  });
});

describe("an order that changes while the router reads it", () => {
  it("a fulfillment order gone between the routing read and its lines' page fails the route job, whose retry reads the order again and decides it once", async () => {
    // Nine lustre prints: one fulfillment order at the Studio, more lines than the first read asks
    // for, so the rest of its lines are read from their cursor.
    const created = await sim.createOrder({
      lineItems: Array.from({ length: 9 }, () => ({ sku: "PRINT-LUSTRE-A4", quantity: 1 })),
      payment: "paid",
    });
    let ahead = 0;
    const worker = workerWithClock(() => ahead);
    // Shopify answers the page with no fulfillment order, as for one gone meanwhile (merged into
    // another, or the order deleted): once.
    let answeredGone = 0;
    const deps = {
      ...worker,
      gatewayFor: async () => ({
        shop: sim.gateway.shop,
        request<T, V extends Record<string, unknown>>(document: string, variables?: V) {
          if (answeredGone === 0 && /query FulfillmentOrderLinesPage\b/.test(document)) {
            answeredGone++;
            return Promise.resolve({ fulfillmentOrder: null } as T);
          }
          return sim.gateway.request<T, V>(document, variables);
        },
      }),
    };
    await settle(deps);
    expect(answeredGone).toBe(1);
    const job = await db.job.findFirstOrThrow({ where: { queue: "route-order" } });
    expect(job).toMatchObject({ status: "queued", attempts: 1 });
    expect(job.lastError).toMatch(/gone while its lines were read/);
    expect(
      await db.decision.count({ where: { orderId: created.orderId, status: "applied" } }),
    ).toBe(0);
    // The retry comes due (the queue's first backoff is a second) and reads the order again.
    ahead = 2_000;
    await settle(deps);
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "done",
      attempts: 2,
    });
    expect(await automaticDecisions(created.orderId)).toBe(1);
    expect(
      await db.decision.findFirstOrThrow({ where: { orderId: created.orderId } }),
    ).toMatchObject({ status: "applied" });
    const { operations } = await adminSpend();
    expect(operations.OrderRoutingSnapshot?.calls).toBe(2);
    expect(operations.FulfillmentOrderLinesPage?.calls).toBe(1);
  });
});
