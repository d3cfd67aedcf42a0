// The order after a move of some lines, from fulfillmentOrderMove's answer alone (ADR 012, 030):
// planned on where Shopify's answer says every unit went, read again under every other reading
// of Shopify's sources.
import { describe, expect, test } from "vitest";
import { plan, type FulfillmentOrder, type OrderSnapshot, type StepOf } from "../routing";
import {
  aMetallicPrint,
  LAB,
  NOW,
  PROFILES,
  SETTINGS,
  STUDIO,
  aFulfillmentOrder,
  aLine,
  aMug,
  aRule,
  aSnapshot,
} from "../routing/testing.fixtures";
import { applyStep, type ModelReadings } from "../routing/testing.shopify-model";
import {
  afterStep,
  CHANGED_FULFILLMENT_ORDER_LINES,
  changedLinesFor,
  moveListsOrderFulfillmentOrders,
} from "./after-step";

const lustre = aLine(1);
const metallic = aMetallicPrint(2);
const byCapability = aRule({ actions: [{ type: "split", by: "capability" }] });

/** The Studio's print, sold out there, sent by Shopify to the lab with the lab's own print. */
function atTheLab(others: FulfillmentOrder[] = []): OrderSnapshot {
  return aSnapshot({
    lineItems: [lustre, metallic],
    fulfillmentOrders: [aFulfillmentOrder(1, LAB, [lustre, metallic]), ...others],
  });
}

function theMove(snapshot: OrderSnapshot): StepOf<"fulfillmentOrderMove"> {
  const [step] = plan(snapshot, [byCapability], SETTINGS, PROFILES, { now: NOW }).steps;
  if (step?.kind !== "fulfillmentOrderMove") throw new Error(`planned ${step?.kind}`);
  expect(step.input.fulfillmentOrderLineItems).toHaveLength(1);
  return step;
}

/** A fulfillment order as ChangedFulfillmentOrder selects it. */
function answered(fo: FulfillmentOrder) {
  return {
    id: fo.id,
    status: fo.status,
    requestStatus: fo.requestStatus,
    assignedLocation: {
      name: fo.assignedLocation.name,
      location: {
        id: fo.assignedLocation.locationId,
        fulfillmentService: fo.fulfillmentService
          ? { handle: fo.fulfillmentService.handle, serviceName: fo.fulfillmentService.name }
          : null,
      },
    },
    supportedActions: fo.supportedActions.map((action) => ({ action })),
    fulfillmentHolds: fo.holds,
    lineItems: {
      nodes: fo.lineItems.map((l) => ({
        id: l.id,
        remainingQuantity: l.remainingQuantity,
        totalQuantity: l.totalQuantity,
        lineItem: { id: l.lineItemId },
      })),
    },
  };
}

/**
 * Shopify's state after the move under one reading, and its answer: the moved fulfillment order
 * (the one at the destination that is new, or the original when it went), the original by its id,
 * and the part left at the source as remainingFulfillmentOrder when the original went.
 */
function moveUnder(
  reading: ModelReadings["partialMove"],
  snapshot: OrderSnapshot,
  step: StepOf<"fulfillmentOrderMove">,
) {
  const after = applyStep(snapshot, step, { partialMove: reading });
  const byId = (id: string) => after.fulfillmentOrders.find((fo) => fo.id === id)!;
  const known = new Set(snapshot.fulfillmentOrders.map((fo) => fo.id));
  const fresh = after.fulfillmentOrders.filter((fo) => !known.has(fo.id));
  const original = byId(step.input.id);
  const movedNew = fresh.find((fo) => fo.assignedLocation.locationId === step.input.newLocationId);
  const moved = movedNew ?? original;
  const remaining = movedNew ? null : fresh[0]!;
  return {
    after,
    answer: {
      movedFulfillmentOrder: answered(moved),
      originalFulfillmentOrder: answered(original),
      remainingFulfillmentOrder: remaining ? { id: remaining.id } : null,
      userErrors: [],
    },
  };
}

describe("a move of some lines, planned on its answer (ADR 030)", () => {
  test('"carved" (fulfillmentOrderMove\'s second scenario; Shopify community, "Fulfillment Order Move API creates duplicate lines"): the answer says where every unit went, so the order is as a read would show it', () => {
    const snapshot = atTheLab();
    const step = theMove(snapshot);
    const { after, answer } = moveUnder("carved", snapshot, step);
    const planned = afterStep(snapshot, step, answer);
    expect(planned).not.toBeNull();
    expect(planned!.fulfillmentOrders).toEqual(after.fulfillmentOrders);
    expect(
      planned!.fulfillmentOrders.map((fo) => [
        fo.assignedLocation.name,
        fo.lineItems.map((l) => l.lineItemId),
      ]),
    ).toEqual([
      [LAB.name, [metallic.id]],
      [STUDIO.name, [lustre.id]],
    ]);
  });

  test.each([
    [
      "original_moves",
      "FulfillmentOrderMovePayload.movedFulfillmentOrder: the original fulfillment order will be moved",
    ],
    [
      "original_closed",
      "fulfillmentOrderMove: the existing fulfillment order is closed and line items are recreated; the fulfillment_orders/moved webhook's example",
    ],
  ] as const)(
    '"%s" (%s): the answer cannot say where the rest went, so the order is read again',
    (reading, _source) => {
      const snapshot = atTheLab();
      const step = theMove(snapshot);
      const { answer } = moveUnder(reading, snapshot, step);
      expect(afterStep(snapshot, step, answer)).toBeNull();
      // Even without the deprecated remainingFulfillmentOrder in the answer.
      expect(afterStep(snapshot, step, { ...answer, remainingFulfillmentOrder: null })).toBeNull();
    },
  );

  /** The lab's fulfillment order with the Studio's print and the lab's own; a mount at the Studio. */
  const mount = aLine(3, { title: "Mount", productType: "Mount", variantOptions: [] });
  const withTheStudioToo = () =>
    aSnapshot({
      lineItems: [lustre, metallic, mount],
      fulfillmentOrders: [
        aFulfillmentOrder(1, LAB, [lustre, metallic]),
        aFulfillmentOrder(2, STUDIO, [mount]),
      ],
    });

  /**
   * Shopify's state after the print moves to the Studio, where the order has the mount's
   * fulfillment order, under each reading of fulfillmentOrderMove's "a new fulfillment order is
   * created. The existing fulfillment order is closed and line items are recreated in a new
   * fulfillment order" (the simulator's moveToOccupied), and the answer listing the order's
   * fulfillment orders by id and status.
   */
  function moveToTheStudio(reading: "merged" | "recreated" | "beside") {
    const snapshot = withTheStudioToo();
    const step = theMove(snapshot);
    const size = moveListsOrderFulfillmentOrders(snapshot, step);
    expect(size).toBe(2 + 3);
    const { after: carved, answer } = moveUnder("carved", snapshot, step);
    const [lab, there, moved] = carved.fulfillmentOrders;
    const closed: FulfillmentOrder = {
      ...there!,
      status: "CLOSED",
      supportedActions: [],
      holds: [],
      lineItems: [],
    };
    const mountLine = { ...there!.lineItems[0]!, id: "gid://shopify/FulfillmentOrderLineItem/901" };
    const fulfillmentOrders =
      reading === "beside"
        ? [lab!, there!, moved!]
        : reading === "merged"
          ? [lab!, closed, { ...moved!, lineItems: [...moved!.lineItems, mountLine] }]
          : [
              lab!,
              closed,
              moved!,
              { ...there!, id: "gid://shopify/FulfillmentOrder/9", lineItems: [mountLine] },
            ];
    const after = { ...carved, fulfillmentOrders };
    const movedNow = fulfillmentOrders[2]!;
    return {
      snapshot,
      step,
      after,
      answer: {
        ...answer,
        movedFulfillmentOrder: {
          ...answered(movedNow),
          order: {
            fulfillmentOrders: {
              nodes: fulfillmentOrders.map((fo) => ({ id: fo.id, status: fo.status })),
            },
          },
        },
      },
    };
  }

  test.each([
    [
      "merged",
      "the one at the destination closed, its lines recreated on the new one with the moved ones",
    ],
    ["beside", "Shopify community: a second fulfillment order at the destination"],
  ] as const)(
    'another open fulfillment order of the order at the destination, "%s" (%s): the answer lists the order\'s fulfillment orders, so the order is as a read would show it',
    (reading, _source) => {
      const { snapshot, step, after, answer } = moveToTheStudio(reading);
      const planned = afterStep(snapshot, step, answer);
      expect(planned).not.toBeNull();
      expect(planned!.fulfillmentOrders).toEqual(after.fulfillmentOrders);
    },
  );

  test('another open fulfillment order at the destination, "recreated" (its lines on a new one the answer names nowhere), or an answer without the order\'s fulfillment orders, or one that fills their size: read again', () => {
    const recreated = moveToTheStudio("recreated");
    expect(afterStep(recreated.snapshot, recreated.step, recreated.answer)).toBeNull();
    const { snapshot, step, answer } = moveToTheStudio("merged");
    const { order: _listed, ...unlisted } = answer.movedFulfillmentOrder;
    expect(afterStep(snapshot, step, { ...answer, movedFulfillmentOrder: unlisted })).toBeNull();
    const nodes = answer.movedFulfillmentOrder.order.fulfillmentOrders.nodes;
    const full = [
      ...nodes,
      { id: "gid://shopify/FulfillmentOrder/8", status: "CLOSED" },
      nodes[0]!,
    ];
    expect(
      afterStep(snapshot, step, {
        ...answer,
        movedFulfillmentOrder: {
          ...answer.movedFulfillmentOrder,
          order: { fulfillmentOrders: { nodes: full } },
        },
      }),
    ).toBeNull();
    // The mount's fulfillment order said closed while no answer holds its mount: read again.
    const lost = {
      ...answer,
      movedFulfillmentOrder: {
        ...answered(moveToTheStudio("beside").after.fulfillmentOrders[2]!),
        order: answer.movedFulfillmentOrder.order,
      },
    };
    expect(afterStep(snapshot, step, lost)).toBeNull();
  });

  test("the order's fulfillment orders are asked of a move of some lines only where another one of the order is at the destination", () => {
    const alone = atTheLab();
    expect(moveListsOrderFulfillmentOrders(alone, theMove(alone))).toBe(0);
    const whole = aSnapshot({
      lineItems: [metallic, mount],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [metallic]),
        aFulfillmentOrder(2, LAB, [mount]),
      ],
    });
    const [step] = plan(whole, [byCapability], SETTINGS, PROFILES, { now: NOW }).steps;
    if (step?.kind !== "fulfillmentOrderMove") throw new Error(`planned ${step?.kind}`);
    expect(moveListsOrderFulfillmentOrders(whole, step)).toBe(0);
  });

  test("an answer whose parts do not hold what the original held, or that fills its line connection, is read again", () => {
    const snapshot = atTheLab();
    const step = theMove(snapshot);
    const { answer } = moveUnder("carved", snapshot, step);
    const dropped = {
      ...answer,
      originalFulfillmentOrder: { ...answer.originalFulfillmentOrder, lineItems: { nodes: [] } },
    };
    expect(afterStep(snapshot, step, dropped)).toBeNull();
    const onlyIds = {
      ...answer,
      originalFulfillmentOrder: { id: answer.originalFulfillmentOrder.id, status: "OPEN" },
    };
    expect(afterStep(snapshot, step, onlyIds)).toBeNull();
  });

  test("a whole move keeps the fulfillment order's id and is planned on the moved one alone, as before", () => {
    const snapshot = aSnapshot({
      lineItems: [metallic],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [metallic])],
    });
    const [step] = plan(snapshot, [byCapability], SETTINGS, PROFILES, { now: NOW }).steps;
    if (step?.kind !== "fulfillmentOrderMove") throw new Error(`planned ${step?.kind}`);
    expect(step.input.fulfillmentOrderLineItems).toBeUndefined();
    const after = applyStep(snapshot, step);
    const planned = afterStep(snapshot, step, {
      movedFulfillmentOrder: answered(after.fulfillmentOrders[0]!),
      originalFulfillmentOrder: { id: step.input.id, status: "OPEN" },
      remainingFulfillmentOrder: null,
    });
    expect(planned?.fulfillmentOrders).toEqual(after.fulfillmentOrders);
  });

  test("a split by stock is planned on its answer: the part left keeps its units in stock, the part split off has none, as a read finds them (ADR 085)", () => {
    const boards = aMug(2, { title: "Mount Board", quantity: 3 });
    const snapshot = aSnapshot({
      lineItems: [lustre, boards],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [
          [lustre, { inStockQuantity: null }],
          [boards, { inStockQuantity: 2 }],
        ]),
      ],
    });
    const byStock = aRule({ actions: [{ type: "split", by: "stock" }] });
    const [step] = plan(snapshot, [byStock], SETTINGS, PROFILES, { now: NOW }).steps;
    if (step?.kind !== "fulfillmentOrderSplit") throw new Error(`planned ${step?.kind}`);
    const [original, split] = applyStep(snapshot, step).fulfillmentOrders;
    const answer = {
      fulfillmentOrderSplits: [
        { fulfillmentOrder: answered(original!), remainingFulfillmentOrder: answered(split!) },
      ],
      userErrors: [],
    };
    const planned = afterStep(snapshot, step, answer);
    expect(
      planned?.fulfillmentOrders.map((fo) =>
        fo.lineItems.map((l) => [l.lineItemId, l.remainingQuantity, l.inStockQuantity]),
      ),
    ).toEqual([
      [
        [lustre.id, 1, null],
        [boards.id, 2, 2],
      ],
      [[boards.id, 1, 0]],
    ]);
    // The next round holds the part split off for stock, as on a fresh read.
    expect(
      plan(planned!, [byStock], SETTINGS, PROFILES, { now: NOW }).steps.map((s) => [
        s.kind,
        s.fulfillmentOrderId,
      ]),
    ).toEqual([["fulfillmentOrderHold", split!.id]]);
  });

  test("a split that takes units in stock off, or a move, of an order whose stock was read is read again: a read may hand that stock elsewhere, and a move's answer says none of the new location's", () => {
    const mug = aMug(2);
    const snapshot = aSnapshot({
      lineItems: [lustre, mug],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [
          [lustre, { inStockQuantity: 1 }],
          [mug, { inStockQuantity: 1 }],
        ]),
      ],
    });
    // Vendor splits the mug off with its unit in stock.
    const byVendor = aRule({ actions: [{ type: "split", by: "vendor" }] });
    const [step] = plan(snapshot, [byVendor], SETTINGS, PROFILES, { now: NOW }).steps;
    if (step?.kind !== "fulfillmentOrderSplit") throw new Error(`planned ${step?.kind}`);
    const [original, split] = applyStep(snapshot, step).fulfillmentOrders;
    const answer = {
      fulfillmentOrderSplits: [
        { fulfillmentOrder: answered(original!), remainingFulfillmentOrder: answered(split!) },
      ],
      userErrors: [],
    };
    expect(afterStep(snapshot, step, answer)).toBeNull();
    const unread = structuredClone(snapshot);
    for (const line of unread.fulfillmentOrders[0]!.lineItems) delete line.inStockQuantity;
    expect(afterStep(unread, step, answer)).not.toBeNull();

    const atTheLabWithStock = atTheLab();
    for (const line of atTheLabWithStock.fulfillmentOrders[0]!.lineItems) line.stockUnknown = true;
    const move = theMove(atTheLabWithStock);
    const moved = applyStep(atTheLabWithStock, move);
    expect(
      afterStep(atTheLabWithStock, move, {
        movedFulfillmentOrder: answered(moved.fulfillmentOrders[1]!),
        originalFulfillmentOrder: answered(moved.fulfillmentOrders[0]!),
        remainingFulfillmentOrder: null,
      }),
    ).toBeNull();
  });
});

describe("the line page a move or split asks back (ADR 105)", () => {
  test("one line more than the order has, never more than the full page, which callers that do not know the order ask", () => {
    // Shopify holds 2 points a line asked for before the mutation runs: a one-line order asks 2.
    expect(changedLinesFor(1)).toBe(2);
    expect(changedLinesFor(3)).toBe(4);
    expect(changedLinesFor(40)).toBe(CHANGED_FULFILLMENT_ORDER_LINES);
    expect(changedLinesFor(undefined)).toBe(CHANGED_FULFILLMENT_ORDER_LINES);
  });
});
