// The fulfillment order machine against Shopify's documented rules (each test names the rule it checks).
import { describe, expect, it } from "vitest";
import { demoWorld } from "../../test/helpers.ts";
import { gid } from "./ids.ts";
import {
  acceptCancellationRequest,
  acceptFulfillmentRequest,
  cancelFulfillmentOrder,
  closeFulfillmentOrder,
  createFulfillment,
  holdFulfillmentOrder,
  mergeFulfillmentOrders,
  moveFulfillmentOrder,
  openFulfillmentOrder,
  rejectCancellationRequest,
  rejectFulfillmentRequest,
  releaseHold,
  reportProgress,
  splitFulfillmentOrders,
  submitCancellationRequest,
  submitFulfillmentRequest,
  supportedActions,
} from "./fulfillment-orders.ts";
import type { FulfillmentOrder, Result } from "./model.ts";
import { STAFF_KEY } from "./state.ts";

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.code ?? ""} ${e.message}`).join("; "));
  return r.value;
}

const foLine = (fo: FulfillmentOrder, i = 0) =>
  gid("FulfillmentOrderLineItem", fo.lineItems[i]!.id);

describe("fulfillment orders at order creation", () => {
  it("creates one fulfillment order per assigned location when the order is created (FulfillmentOrder lifecycle: order routing)", () => {
    const w = demoWorld();
    const o = w.order({
      lineItems: [
        { sku: "PRINT-MATTE-A4", quantity: 1 },
        { sku: "CANVAS-40x60-WRAP", quantity: 1 },
        { sku: "MOUNT-A4", quantity: 2 },
      ],
    });
    const fos = w.fos(o);
    expect(fos).toHaveLength(2);
    const studio = fos.find((f) => f.assignedLocationId === w.location("Studio").id)!;
    const lab = fos.find((f) => f.assignedLocationId === w.location("Partner Lab").id)!;
    expect(studio.lineItems.map((l) => l.totalQuantity)).toEqual([1, 2]);
    expect(lab.lineItems).toHaveLength(1);
    for (const f of fos) {
      expect(f.status).toBe("OPEN");
      expect(f.requestStatus).toBe("UNSUBMITTED");
    }
    // Each line committed its units where it was assigned: one level updated for each.
    expect(w.topics()).toEqual([
      "orders/create",
      "orders/paid",
      "fulfillment_orders/order_routing_complete",
      "fulfillment_orders/order_routing_complete",
      "inventory_levels/update",
      "inventory_levels/update",
      "inventory_levels/update",
    ]);
  });

  it("routes a line to the next stocking location when the first has none available (order routing by location priority)", () => {
    const w = demoWorld();
    const o = w.order({ lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }] });
    expect(w.fos(o)[0]!.assignedLocationId).toBe(w.location("Partner Lab").id);
  });

  it("refuses an order for a sold-out item that doesn't continue selling (inventory policy DENY)", () => {
    const w = demoWorld();
    expect(() => w.order({ lineItems: [{ sku: "SLEEVE-A3", quantity: 1 }] })).toThrow(
      /out of stock/,
    );
    // CONTINUE (backorder) still sells and routes to the stocking location.
    const o = w.order({ lineItems: [{ sku: "BOOK-40", quantity: 1 }] });
    expect(w.fos(o)[0]!.assignedLocationId).toBe(w.location("Studio").id);
  });

  it("makes a fulfillment order SCHEDULED when fulfillAt is in the future, and fulfillmentOrderOpen opens it (FulfillmentOrderStatus SCHEDULED)", () => {
    const w = demoWorld();
    const o = w.order({
      lineItems: [{ sku: "MOUNT-A4", quantity: 1 }],
      fulfillAt: w.state.iso(86_400_000),
    });
    const fo = w.fos(o)[0]!;
    expect(fo.status).toBe("SCHEDULED");
    expect(supportedActions(w.shop, fo, w.app)).toContain("MARK_AS_OPEN");
    must(openFulfillmentOrder(w.state, w.shop, fo));
    expect(fo.status).toBe("OPEN");
    expect(openFulfillmentOrder(w.state, w.shop, fo).ok).toBe(false);
  });

  it("opens a SCHEDULED fulfillment order by itself when fulfillAt is reached (FulfillmentOrder.fulfillAt)", () => {
    const w = demoWorld();
    const fo = w.fos(
      w.order({ lineItems: [{ sku: "MOUNT-A4", quantity: 1 }], fulfillAt: w.state.iso(3_600_000) }),
    )[0]!;
    w.clock.advance(3_599_000);
    expect(fo.status).toBe("SCHEDULED");
    w.clock.advance(1_000);
    expect(fo.status).toBe("OPEN");
    expect(w.topics()).toContain("fulfillment_orders/scheduled_fulfillment_order_ready");
  });
});

describe("holds", () => {
  it("puts a fulfillment order ON_HOLD and releases it back to OPEN (fulfillmentOrderHold / fulfillmentOrderReleaseHold)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] }))[0]!;
    const r = must(
      holdFulfillmentOrder(w.state, w.shop, fo, w.app, {
        reason: "HIGH_RISK_OF_FRAUD",
        reasonNotes: "check",
        handle: "risk",
      }),
    );
    expect(r.fulfillmentOrder.status).toBe("ON_HOLD");
    expect(r.remaining).toBeNull();
    expect(supportedActions(w.shop, fo, w.app)).toEqual(["HOLD", "RELEASE_HOLD"]);
    must(releaseHold(w.state, w.shop, fo));
    expect(fo.status).toBe("OPEN");
    expect(fo.holds).toEqual([]);
    expect(w.topics()).toContain("fulfillment_orders/placed_on_hold");
    expect(w.topics()).toContain("fulfillment_orders/hold_released");
  });

  it("keeps the order on hold until the last hold is released (several holds per fulfillment order since 2025-01)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] }))[0]!;
    const a = must(
      holdFulfillmentOrder(w.state, w.shop, fo, w.app, { reason: "OTHER", handle: "crop-review" }),
    );
    must(
      holdFulfillmentOrder(w.state, w.shop, fo, w.app, {
        reason: "INCORRECT_ADDRESS",
        handle: "address",
      }),
    );
    must(releaseHold(w.state, w.shop, fo, [gid("FulfillmentHold", a.hold.id)]));
    expect(fo.status).toBe("ON_HOLD");
    expect(fo.holds.map((h) => h.handle)).toEqual(["address"]);
    expect(w.topics()).not.toContain("fulfillment_orders/hold_released");
  });

  it("refuses another app's hold named by id with INVALID_ACCESS and releases staff's (FulfillmentOrderReleaseHoldUserErrorCode)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] }))[0]!;
    const fraud = w.state.otherApp("fraud-guard").key;
    const theirs = must(
      holdFulfillmentOrder(w.state, w.shop, fo, fraud, { reason: "HIGH_RISK_OF_FRAUD" }),
    );
    const staff = must(
      holdFulfillmentOrder(w.state, w.shop, fo, STAFF_KEY, { reason: "OTHER", handle: "desk" }),
    );
    const refused = releaseHold(
      w.state,
      w.shop,
      fo,
      [gid("FulfillmentHold", theirs.hold.id)],
      w.app,
    );
    expect(refused).toMatchObject({ ok: false, errors: [{ code: "INVALID_ACCESS" }] });
    expect(fo.holds).toHaveLength(2);
    // The app that placed it releases it; staff's hold any app may release.
    must(releaseHold(w.state, w.shop, fo, [gid("FulfillmentHold", staff.hold.id)], w.app));
    must(releaseHold(w.state, w.shop, fo, [gid("FulfillmentHold", theirs.hold.id)], fraud));
    expect(fo.status).toBe("OPEN");
  });

  it("fires placed_on_hold only for the first hold and hold_released only when the last goes; fulfillment_holds/added and /released for each hold (topic descriptions of all four)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] }))[0]!;
    const count = (topic: string) => w.topics().filter((t) => t === topic).length;
    for (const handle of ["a", "b", "c"])
      must(holdFulfillmentOrder(w.state, w.shop, fo, w.app, { reason: "OTHER", handle }));
    expect(count("fulfillment_orders/placed_on_hold")).toBe(1);
    expect(count("fulfillment_holds/added")).toBe(3);
    must(releaseHold(w.state, w.shop, fo, [gid("FulfillmentHold", fo.holds[0]!.id)]));
    expect(count("fulfillment_holds/released")).toBe(1);
    expect(count("fulfillment_orders/hold_released")).toBe(0);
    must(releaseHold(w.state, w.shop, fo));
    expect(count("fulfillment_holds/released")).toBe(3);
    expect(count("fulfillment_orders/hold_released")).toBe(1);
    // On hold again after being released: that is a first hold again.
    must(holdFulfillmentOrder(w.state, w.shop, fo, w.app, { reason: "OTHER", handle: "d" }));
    expect(count("fulfillment_orders/placed_on_hold")).toBe(2);
  });

  it("refuses the 11th hold of one app with FULFILLMENT_ORDER_HOLD_LIMIT_REACHED (at most 10 active holds per app per fulfillment order)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] }))[0]!;
    for (let i = 0; i < 10; i++)
      must(holdFulfillmentOrder(w.state, w.shop, fo, w.app, { reason: "OTHER", handle: `h${i}` }));
    const eleventh = holdFulfillmentOrder(w.state, w.shop, fo, w.app, {
      reason: "OTHER",
      handle: "h10",
    });
    expect(eleventh.ok).toBe(false);
    if (!eleventh.ok) expect(eleventh.errors[0]!.code).toBe("FULFILLMENT_ORDER_HOLD_LIMIT_REACHED");
    // The limit is per app: another app may still place its own hold.
    expect(
      holdFulfillmentOrder(w.state, w.shop, fo, "other-app", { reason: "OTHER", handle: "h0" }).ok,
    ).toBe(true);
  });

  it("refuses a second hold with the same handle from the same app (DUPLICATE_FULFILLMENT_HOLD_HANDLE)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] }))[0]!;
    must(holdFulfillmentOrder(w.state, w.shop, fo, w.app, { reason: "OTHER" }));
    const again = holdFulfillmentOrder(w.state, w.shop, fo, w.app, { reason: "OTHER" });
    expect(!again.ok && again.errors[0]!.code).toBe("DUPLICATE_FULFILLMENT_HOLD_HANDLE");
  });

  it("splits the unheld lines off into a new remainingFulfillmentOrder when only some lines are held (fulfillmentOrderHold fulfillmentOrderLineItems)", () => {
    const w = demoWorld();
    const fo = w.fos(
      w.order({
        lineItems: [
          { sku: "PRINT-MATTE-A4", quantity: 3 },
          { sku: "MOUNT-A4", quantity: 1 },
        ],
      }),
    )[0]!;
    const r = must(
      holdFulfillmentOrder(w.state, w.shop, fo, w.app, {
        reason: "OTHER",
        handle: "crop",
        fulfillmentOrderLineItems: [{ id: foLine(fo, 0), quantity: 2 }],
      }),
    );
    expect(r.fulfillmentOrder.id).toBe(fo.id);
    expect(fo.status).toBe("ON_HOLD");
    expect(fo.lineItems.map((l) => l.totalQuantity)).toEqual([2]);
    const rest = r.remaining!;
    expect(rest.id).not.toBe(fo.id);
    expect(rest.status).toBe("OPEN");
    expect(rest.lineItems.map((l) => l.totalQuantity)).toEqual([1, 1]);
    expect(rest.lineItems.every((l) => !fo.lineItems.some((x) => x.id === l.id))).toBe(true);
    const ev = w.events.find((e) => e.event.topic === "fulfillment_orders/placed_on_hold")!.event;
    expect(ev.topic === "fulfillment_orders/placed_on_hold" && ev.remaining?.id).toBe(rest.id);
  });

  it("refuses line items on a hold when the fulfillment order is already held (FULFILLMENT_ORDER_NOT_SPLITTABLE)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }] }))[0]!;
    must(holdFulfillmentOrder(w.state, w.shop, fo, w.app, { reason: "OTHER", handle: "a" }));
    const r = holdFulfillmentOrder(w.state, w.shop, fo, w.app, {
      reason: "OTHER",
      handle: "b",
      fulfillmentOrderLineItems: [{ id: foLine(fo), quantity: 1 }],
    });
    expect(!r.ok && r.errors[0]!.code).toBe("FULFILLMENT_ORDER_NOT_SPLITTABLE");
  });

  it("refuses a hold quantity above what remains (INVALID_LINE_ITEM_QUANTITY) and zero (GREATER_THAN_ZERO)", () => {
    const w = demoWorld();
    const fo = w.fos(
      w.order({
        lineItems: [
          { sku: "PRINT-MATTE-A4", quantity: 1 },
          { sku: "MOUNT-A4", quantity: 1 },
        ],
      }),
    )[0]!;
    const tooMany = holdFulfillmentOrder(w.state, w.shop, fo, w.app, {
      reason: "OTHER",
      fulfillmentOrderLineItems: [{ id: foLine(fo), quantity: 5 }],
    });
    expect(!tooMany.ok && tooMany.errors[0]!.code).toBe("INVALID_LINE_ITEM_QUANTITY");
    const zero = holdFulfillmentOrder(w.state, w.shop, fo, w.app, {
      reason: "OTHER",
      fulfillmentOrderLineItems: [{ id: foLine(fo), quantity: 0 }],
    });
    expect(!zero.ok && zero.errors[0]!.code).toBe("GREATER_THAN_ZERO");
  });
});

describe("split, merge, move", () => {
  it("fulfillmentOrderSplit moves the given quantities into a new fulfillment order with new ids", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }] }))[0]!;
    const [res] = must(
      splitFulfillmentOrders(w.state, w.shop, [
        {
          fulfillmentOrderId: gid("FulfillmentOrder", fo.id),
          fulfillmentOrderLineItems: [{ id: foLine(fo), quantity: 1 }],
        },
      ]),
    );
    expect(res!.fulfillmentOrder.id).toBe(fo.id);
    expect(res!.remaining.id).not.toBe(fo.id);
    expect(fo.lineItems[0]!.totalQuantity).toBe(2);
    expect(res!.remaining.lineItems[0]!.totalQuantity).toBe(1);
    expect(res!.remaining.lineItems[0]!.id).not.toBe(fo.lineItems[0]!.id);
    expect(w.topics()).toContain("fulfillment_orders/split");
  });

  it("a line moved whole keeps its line item id on the new fulfillment order; a divided line's moved part gets a new one (fulfillmentOrderSplit documented example)", () => {
    const w = demoWorld();
    const fo = w.fos(
      w.order({
        lineItems: [
          { sku: "PRINT-MATTE-A4", quantity: 2 },
          { sku: "MOUNT-A4", quantity: 3 },
        ],
      }),
    )[0]!;
    const [printLine, mountLine] = fo.lineItems.map((l) => l.id);
    const [res] = must(
      splitFulfillmentOrders(w.state, w.shop, [
        {
          fulfillmentOrderId: gid("FulfillmentOrder", fo.id),
          fulfillmentOrderLineItems: [
            { id: foLine(fo, 0), quantity: 2 },
            { id: foLine(fo, 1), quantity: 1 },
          ],
        },
      ]),
    );
    const moved = res!.remaining.lineItems;
    expect(moved[0]).toMatchObject({ id: printLine, totalQuantity: 2 });
    expect(moved[1]!.id).not.toBe(mountLine);
    expect(fo.lineItems.map((l) => [l.id, l.totalQuantity])).toEqual([[mountLine, 2]]);
  });

  it("fulfillmentOrderMerge makes one new fulfillment order of a set (one order, one location); the merged ones close (FulfillmentOrderMergeResult: 'the new fulfillment order')", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }] }))[0]!;
    const [res] = must(
      splitFulfillmentOrders(w.state, w.shop, [
        {
          fulfillmentOrderId: gid("FulfillmentOrder", fo.id),
          fulfillmentOrderLineItems: [{ id: foLine(fo), quantity: 1 }],
        },
      ]),
    );
    expect(supportedActions(w.shop, fo, w.app)).toContain("MERGE");
    const [merged] = must(
      mergeFulfillmentOrders(w.state, w.shop, [
        {
          mergeIntents: [
            { fulfillmentOrderId: gid("FulfillmentOrder", fo.id) },
            { fulfillmentOrderId: gid("FulfillmentOrder", res!.remaining.id) },
          ],
        },
      ]),
    );
    expect([fo.id, res!.remaining.id]).not.toContain(merged!.id);
    expect(merged!.lineItems.map((l) => l.totalQuantity)).toEqual([3]);
    expect([merged!.status, fo.status, res!.remaining.status]).toEqual([
      "OPEN",
      "CLOSED",
      "CLOSED",
    ]);
  });

  it("refuses to merge fulfillment orders of different locations", () => {
    const w = demoWorld();
    const o = w.order({
      lineItems: [
        { sku: "PRINT-MATTE-A4", quantity: 1 },
        { sku: "CANVAS-40x60-WRAP", quantity: 1 },
      ],
    });
    const [a, b] = w.fos(o);
    const r = mergeFulfillmentOrders(w.state, w.shop, [
      {
        mergeIntents: [
          { fulfillmentOrderId: gid("FulfillmentOrder", a!.id) },
          { fulfillmentOrderId: gid("FulfillmentOrder", b!.id) },
        ],
      },
    ]);
    expect(r.ok).toBe(false);
  });

  it("moves a whole untouched fulfillment order keeping its id, and carves a partial move into a new one (fulfillmentOrderMove scenarios)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }] }))[0]!;
    const lab = gid("Location", w.location("Partner Lab").id);
    const part = must(
      moveFulfillmentOrder(w.state, w.shop, fo, lab, [{ id: foLine(fo), quantity: 1 }]),
    );
    expect(part.moved.id).not.toBe(fo.id);
    expect(part.moved.assignedLocationId).toBe(w.location("Partner Lab").id);
    expect(fo.assignedLocationId).toBe(w.location("Studio").id);
    const whole = must(moveFulfillmentOrder(w.state, w.shop, fo, lab));
    expect(whole.moved.id).toBe(fo.id);
    expect(fo.assignedLocationId).toBe(w.location("Partner Lab").id);
  });

  it("refuses to move a fulfillment order staff marked as in progress, with the code under each reading of progressRefusal, until it is marked as open", () => {
    for (const reading of ["coded", "uncoded"] as const) {
      const w = demoWorld();
      w.state.readings.progressRefusal = reading;
      const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] }))[0]!;
      const lab = gid("Location", w.location("Partner Lab").id);
      must(reportProgress(w.state, w.shop, fo));
      expect(fo.status).toBe("IN_PROGRESS");
      expect(supportedActions(w.shop, fo, w.app)).not.toContain("MOVE");
      const refused = moveFulfillmentOrder(w.state, w.shop, fo, lab);
      expect(refused).toMatchObject({
        ok: false,
        errors: [
          {
            code:
              reading === "coded" ? "CANNOT_MOVE_FULFILLMENT_ORDER_WITH_REPORTED_PROGRESS" : null,
          },
        ],
      });
      must(openFulfillmentOrder(w.state, w.shop, fo));
      must(moveFulfillmentOrder(w.state, w.shop, fo, lab));
    }
  });

  describe("a move of some of the lines: Shopify's sources disagree where they go, so each reading is played", () => {
    /** A Studio fulfillment order of a matte print (2) and a mount; the print's 2 move to the lab. */
    function partOfAStudioOrder(reading: "carved" | "original_moves" | "original_closed") {
      const w = demoWorld();
      w.state.readings.partialMove = reading;
      const order = w.order({
        lineItems: [
          { sku: "PRINT-MATTE-A4", quantity: 2 },
          { sku: "MOUNT-A4", quantity: 1 },
        ],
      });
      const fo = w.fos(order)[0]!;
      const studio = w.location("Studio").id;
      const lab = w.location("Partner Lab").id;
      expect(fo.assignedLocationId).toBe(studio);
      const answer = must(
        moveFulfillmentOrder(w.state, w.shop, fo, gid("Location", lab), [
          { id: foLine(fo, 0), quantity: 2 },
        ]),
      );
      const open = w.fos(order).filter((f) => f.status !== "CLOSED");
      const where = (f: FulfillmentOrder) => [
        f.assignedLocationId === lab ? "lab" : "studio",
        f.lineItems.map((l) => [l.lineItemId, l.remainingQuantity]),
      ];
      return { w, fo, answer, open, where, lab, studio };
    }

    it('"carved": the moved lines on a new fulfillment order at the destination, the original keeps its id, its location and the rest (the mutation\'s second scenario; Shopify community, "Fulfillment Order Move API creates duplicate lines")', () => {
      const { fo, answer, open, where } = partOfAStudioOrder("carved");
      expect(answer.original).toBe(fo);
      expect(answer.moved.id).not.toBe(fo.id);
      expect(answer.remaining).toBeNull();
      expect(where(answer.original)[0]).toBe("studio");
      expect(where(answer.moved)[0]).toBe("lab");
      expect(open).toHaveLength(2);
      expect(answer.moved.lineItems.map((l) => l.remainingQuantity)).toEqual([2]);
      expect(fo.lineItems.map((l) => l.remainingQuantity)).toEqual([1]);
    });

    it('"original_moves": the original goes to the destination with the moved lines, the rest stay on a new one answered as remainingFulfillmentOrder (FulfillmentOrderMovePayload.movedFulfillmentOrder: "the original fulfillment order will be moved")', () => {
      const { fo, answer, open, where } = partOfAStudioOrder("original_moves");
      expect(answer.moved).toBe(fo);
      expect(answer.original).toBe(fo);
      expect(where(fo)[0]).toBe("lab");
      expect(fo.lineItems.map((l) => l.remainingQuantity)).toEqual([2]);
      expect(answer.remaining).not.toBeNull();
      expect(where(answer.remaining!)[0]).toBe("studio");
      expect(answer.remaining!.lineItems.map((l) => l.remainingQuantity)).toEqual([1]);
      expect(open).toHaveLength(2);
    });

    it('"original_closed": the original closed and both parts recreated with new ids (fulfillmentOrderMove: "The existing fulfillment order is closed and line items are recreated in a new fulfillment order"; the fulfillment_orders/moved webhook\'s example)', () => {
      const { fo, answer, open, where } = partOfAStudioOrder("original_closed");
      expect(fo.status).toBe("CLOSED");
      expect(answer.original).toBe(fo);
      expect(answer.moved.id).not.toBe(fo.id);
      expect(where(answer.moved)[0]).toBe("lab");
      expect(open).toHaveLength(2);
      expect(open.map((f) => f.id)).not.toContain(fo.id);
      const rest = open.find((f) => f !== answer.moved)!;
      expect(where(rest)[0]).toBe("studio");
      expect(rest.lineItems.map((l) => l.remainingQuantity)).toEqual([1]);
    });

    it.each(["carved", "original_moves", "original_closed"] as const)(
      "%s: every unit is on exactly one open fulfillment order afterwards, and a move of every line of an untouched one is still the whole move (same id)",
      (reading) => {
        const { w, open } = partOfAStudioOrder(reading);
        const units = open.flatMap((f) => f.lineItems).reduce((n, l) => n + l.remainingQuantity, 0);
        expect(units).toBe(3);
        const whole = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] }))[0]!;
        const lab = gid("Location", w.location("Partner Lab").id);
        const answer = must(
          moveFulfillmentOrder(w.state, w.shop, whole, lab, [{ id: foLine(whole), quantity: 1 }]),
        );
        expect(answer.moved).toBe(whole);
        expect(answer.remaining).toBeNull();
      },
    );
  });

  describe("a move of some lines to a location that already has an open fulfillment order of the order: fulfillmentOrderMove's 'a new fulfillment order is created. The existing fulfillment order is closed and line items are recreated in a new fulfillment order' leaves open which one closes and where its lines go, so each reading is played", () => {
    /**
     * Lustre A3 is sold out at the Studio, so Shopify sends it to the lab with a canvas; the matte
     * print stays at the Studio on a fulfillment order of its own. The lustre print moves home.
     */
    function lustreHome(
      moveToOccupied: "merged" | "recreated" | "beside",
      partialMove: "carved" | "original_moves" | "original_closed" = "carved",
    ) {
      const w = demoWorld();
      w.state.readings.partialMove = partialMove;
      w.state.readings.moveToOccupied = moveToOccupied;
      const order = w.order({
        lineItems: [
          { sku: "PRINT-MATTE-A4", quantity: 1 },
          { sku: "PRINT-LUSTRE-A3", quantity: 2 },
          { sku: "CANVAS-60x90-WRAP", quantity: 1 },
        ],
      });
      const studio = w.location("Studio").id;
      const [home, lab] = ["Studio", "Partner Lab"].map((name) =>
        w.fos(order).find((f) => f.assignedLocationId === w.location(name).id)!,
      );
      expect(lab!.lineItems).toHaveLength(2);
      const lustre = order.lineItems.find((l) => l.sku === "PRINT-LUSTRE-A3")!.id;
      const matte = order.lineItems.find((l) => l.sku === "PRINT-MATTE-A4")!.id;
      const answer = must(
        moveFulfillmentOrder(w.state, w.shop, lab!, gid("Location", studio), [
          {
            id: gid(
              "FulfillmentOrderLineItem",
              lab!.lineItems.find((l) => l.lineItemId === lustre)!.id,
            ),
            quantity: 2,
          },
        ]),
      );
      const open = w.fos(order).filter((f) => f.status !== "CLOSED");
      const units = (f: FulfillmentOrder) =>
        f.lineItems
          .filter((l) => l.remainingQuantity > 0)
          .map((l) => [l.lineItemId, l.remainingQuantity]);
      const atStudio = open.filter((f) => f.assignedLocationId === studio);
      // Every unit on exactly one open fulfillment order, whatever the reading.
      expect(open.flatMap((f) => f.lineItems).reduce((n, l) => n + l.remainingQuantity, 0)).toBe(4);
      return { home: home!, lab: lab!, answer, atStudio, units, lustre, matte };
    }

    it('"merged" (default): the Studio\'s fulfillment order is closed and its matte print is on the new one with the lustre prints, which the answer names as moved', () => {
      expect(demoWorld().state.readings.moveToOccupied).toBe("merged");
      const { home, answer, atStudio, units, lustre, matte } = lustreHome("merged");
      expect(home.status).toBe("CLOSED");
      expect(atStudio).toEqual([answer.moved]);
      expect(units(answer.moved).sort()).toEqual(
        [
          [lustre, 2],
          [matte, 1],
        ].sort(),
      );
      expect(answer.original.status).toBe("OPEN");
    });

    it('"recreated": the Studio\'s fulfillment order is closed and its matte print recreated on a new one of its own, which the answer does not name', () => {
      const { home, lab, answer, atStudio, units, lustre, matte } = lustreHome("recreated");
      expect(home.status).toBe("CLOSED");
      expect(atStudio).toHaveLength(2);
      expect(units(answer.moved)).toEqual([[lustre, 2]]);
      const recreated = atStudio.find((f) => f !== answer.moved)!;
      expect([home.id, lab.id, answer.moved.id]).not.toContain(recreated.id);
      expect(units(recreated)).toEqual([[matte, 1]]);
    });

    it('"beside": the Studio\'s fulfillment order stays as it was, the lustre prints on a new one beside it', () => {
      const { home, answer, atStudio, units, matte } = lustreHome("beside");
      expect(home.status).toBe("OPEN");
      expect(units(home)).toEqual([[matte, 1]]);
      expect(atStudio.map((f) => f.id).sort()).toEqual([home.id, answer.moved.id].sort());
    });

    it.each(["original_moves", "original_closed"] as const)(
      '"merged" under partialMove %s: the Studio\'s matte print joins the fulfillment order the lustre prints are on',
      (partialMove) => {
        const { home, answer, atStudio, units, lustre, matte } = lustreHome("merged", partialMove);
        expect(home.status).toBe("CLOSED");
        expect(atStudio).toEqual([answer.moved]);
        expect(units(answer.moved).sort()).toEqual(
          [
            [lustre, 2],
            [matte, 1],
          ].sort(),
        );
      },
    );

    it("a move of the whole fulfillment order is the first scenario: the one at the destination is left alone", () => {
      const w = demoWorld();
      const order = w.order({
        lineItems: [
          { sku: "PRINT-MATTE-A4", quantity: 1 },
          { sku: "PRINT-LUSTRE-A3", quantity: 1 },
        ],
      });
      const studio = w.location("Studio").id;
      const home = w.fos(order).find((f) => f.assignedLocationId === studio)!;
      const lab = w.fos(order).find((f) => f !== home)!;
      const answer = must(moveFulfillmentOrder(w.state, w.shop, lab, gid("Location", studio)));
      expect(answer.moved).toBe(lab);
      expect(home.status).toBe("OPEN");
    });
  });

  it("refuses to move to a location that doesn't stock the item (fulfillmentOrderMove failure cases)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 1 }] }))[0]!;
    const r = moveFulfillmentOrder(w.state, w.shop, fo, gid("Location", w.location("Studio").id));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/not stocked/);
  });

  it.each(["SUBMITTED", "ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"] as const)(
    "refuses to move while the request status is %s (fulfillmentOrderMove: awaiting action by a fulfillment service)",
    (status) => {
      const w = demoWorld();
      const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A2", quantity: 1 }] }))[0]!;
      must(submitFulfillmentRequest(w.state, w.shop, fo, {}));
      if (status !== "SUBMITTED") must(acceptFulfillmentRequest(w.state, w.shop, fo, w.lab));
      if (status === "CANCELLATION_REQUESTED" || status === "CANCELLATION_REJECTED")
        must(submitCancellationRequest(w.state, w.shop, fo, "sorry"));
      if (status === "CANCELLATION_REJECTED")
        must(rejectCancellationRequest(w.state, w.shop, fo, w.lab));
      expect(fo.requestStatus).toBe(status);
      const r = moveFulfillmentOrder(w.state, w.shop, fo, gid("Location", w.location("Studio").id));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]!.message).toContain(status);
      expect(supportedActions(w.shop, fo, w.app)).not.toContain("MOVE");
    },
  );
});

describe("fulfilment requests and the service's answers", () => {
  it("walks OPEN/UNSUBMITTED → SUBMITTED → IN_PROGRESS/ACCEPTED → CLOSED when the lab fulfils (fulfillment service lifecycle)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 1 }] }))[0]!;
    expect(supportedActions(w.shop, fo, w.app)).toEqual(["REQUEST_FULFILLMENT", "HOLD", "MOVE"]);
    must(submitFulfillmentRequest(w.state, w.shop, fo, { message: "check crop" }));
    expect([fo.status, fo.requestStatus]).toEqual(["OPEN", "SUBMITTED"]);
    expect(supportedActions(w.shop, fo, w.app)).toEqual(["CANCEL_FULFILLMENT_ORDER"]);
    must(acceptFulfillmentRequest(w.state, w.shop, fo, w.lab, { message: "ok" }));
    expect([fo.status, fo.requestStatus]).toEqual(["IN_PROGRESS", "ACCEPTED"]);
    expect(supportedActions(w.shop, fo, w.app)).toEqual(["REQUEST_CANCELLATION"]);
    must(
      createFulfillment(w.state, w.shop, w.lab, {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: gid("FulfillmentOrder", fo.id) }],
        trackingInfo: { company: "DHL", number: "JD0001" },
      }),
    );
    expect(fo.status).toBe("CLOSED");
    expect(w.topics()).toEqual(
      expect.arrayContaining([
        "fulfillment_orders/fulfillment_request_submitted",
        "fulfillment_orders/fulfillment_request_accepted",
        "orders/fulfilled",
      ]),
    );
  });

  it("only the owning fulfillment service app may accept or reject a request", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 1 }] }))[0]!;
    must(submitFulfillmentRequest(w.state, w.shop, fo, {}));
    const r = acceptFulfillmentRequest(w.state, w.shop, fo, w.app);
    expect(!r.ok && r.errors[0]!.code).toBe("ACCESS_DENIED");
  });

  it("a rejected request goes back to OPEN/REJECTED and can be moved (fulfillment_request_rejected)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A2", quantity: 1 }] }))[0]!;
    must(submitFulfillmentRequest(w.state, w.shop, fo, {}));
    must(rejectFulfillmentRequest(w.state, w.shop, fo, w.lab, { message: "no paper" }));
    expect([fo.status, fo.requestStatus]).toEqual(["OPEN", "REJECTED"]);
    expect(supportedActions(w.shop, fo, w.app)).toContain("MOVE");
  });

  it("a partial request leaves the rest on a new unsubmitted fulfillment order (fulfillmentOrderSubmitFulfillmentRequest)", () => {
    const w = demoWorld();
    const fo = w.fos(
      w.order({
        lineItems: [
          { sku: "CANVAS-40x60-WRAP", quantity: 2 },
          { sku: "POSTER-SATIN-A1", quantity: 1 },
        ],
      }),
    )[0]!;
    const r = must(
      submitFulfillmentRequest(w.state, w.shop, fo, {
        fulfillmentOrderLineItems: [{ id: foLine(fo, 0), quantity: 1 }],
      }),
    );
    expect(r.submitted.id).toBe(fo.id);
    expect(r.unsubmitted!.requestStatus).toBe("UNSUBMITTED");
    expect(r.unsubmitted!.lineItems.map((l) => l.totalQuantity)).toEqual([1, 1]);
  });

  it("cancellation request accepted closes the fulfillment order and returns the work on a new one that can be moved and fulfilled (drift repair path)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A2", quantity: 1 }] }))[0]!;
    must(submitFulfillmentRequest(w.state, w.shop, fo, {}));
    must(acceptFulfillmentRequest(w.state, w.shop, fo, w.lab));
    must(submitCancellationRequest(w.state, w.shop, fo, "customer changed mind"));
    expect([fo.status, fo.requestStatus]).toEqual(["IN_PROGRESS", "CANCELLATION_REQUESTED"]);
    const { replacement } = must(acceptCancellationRequest(w.state, w.shop, fo, w.lab));
    expect([fo.status, fo.requestStatus]).toEqual(["CLOSED", "CANCELLATION_ACCEPTED"]);
    expect(replacement!.status).toBe("OPEN");
    // A2 is only stocked by the lab in the demo, so stock it at the Studio to make the move possible.
    w.shop.inventory.set(
      `${w.shop.variants.get(w.shop.orders.get(fo.orderId)!.lineItems[0]!.variantId!)!.inventoryItemId}:${w.location("Studio").id}`,
      {
        inventoryItemId: 0,
        locationId: w.location("Studio").id,
        available: 5,
        committed: 0,
        updatedAt: w.state.iso(),
      },
    );
    const moved = must(
      moveFulfillmentOrder(w.state, w.shop, replacement!, gid("Location", w.location("Studio").id)),
    );
    must(
      createFulfillment(w.state, w.shop, w.app, {
        lineItemsByFulfillmentOrder: [
          { fulfillmentOrderId: gid("FulfillmentOrder", moved.moved.id) },
        ],
      }),
    );
    expect(moved.moved.status).toBe("CLOSED");
  });

  it("fulfillmentOrderCancel works on SUBMITTED: the original is marked as closed and a replacement carries the work (fulfillmentOrderCancel description)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 1 }] }))[0]!;
    expect(cancelFulfillmentOrder(w.state, w.shop, fo).ok).toBe(false);
    must(submitFulfillmentRequest(w.state, w.shop, fo, {}));
    const r = must(cancelFulfillmentOrder(w.state, w.shop, fo));
    expect(fo.status).toBe("CLOSED");
    expect(w.topics()).toContain("fulfillment_orders/cancelled");
    expect(r.replacement!.id).not.toBe(fo.id);
    expect([r.replacement!.status, r.replacement!.requestStatus]).toEqual(["OPEN", "UNSUBMITTED"]);
  });
});

describe("Shopify's readings of an accepted cancellation request (they disagree)", () => {
  const acceptedCancellation = (reading: "closed" | "cancelled") => {
    const w = demoWorld();
    w.state.readings.cancellationAccepted = reading;
    const fo = w.fos(w.order({ lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 2 }] }))[0]!;
    must(submitFulfillmentRequest(w.state, w.shop, fo, {}));
    must(acceptFulfillmentRequest(w.state, w.shop, fo, w.lab));
    must(submitCancellationRequest(w.state, w.shop, fo, "customer changed mind"));
    const r = must(acceptCancellationRequest(w.state, w.shop, fo, w.lab, "not started yet"));
    return { w, fo, r };
  };

  it('"closed": the fulfillment order closes and the work returns on a new open one (fulfillment_orders/cancellation_request_accepted webhook example: status "closed")', () => {
    const { w, fo, r } = acceptedCancellation("closed");
    expect([fo.status, fo.requestStatus]).toEqual(["CLOSED", "CANCELLATION_ACCEPTED"]);
    expect(fo.lineItems[0]!.remainingQuantity).toBe(0);
    expect(r.replacement!.lineItems[0]!.remainingQuantity).toBe(2);
    expect(w.topics()).toContain("fulfillment_orders/cancellation_request_accepted");
  });

  it('"cancelled": CANCELLED with request status CANCELLATION_ACCEPTED and the work still on it (fulfillmentOrderAcceptCancellationRequest examples)', () => {
    const { w, fo, r } = acceptedCancellation("cancelled");
    expect([fo.status, fo.requestStatus]).toEqual(["CANCELLED", "CANCELLATION_ACCEPTED"]);
    expect(fo.lineItems[0]!.remainingQuantity).toBe(2);
    expect(r.replacement).toBeNull();
    expect(w.fos(w.shop.orders.get(fo.orderId)!)).toHaveLength(1);
    expect(w.topics()).toContain("fulfillment_orders/cancellation_request_accepted");
  });
});

describe("fulfillmentOrderClose", () => {
  it("the service closing an accepted fulfillment order makes it INCOMPLETE and fires fulfillment_service_failed_to_complete (fulfillmentOrderClose description; topic: 'a fulfillment service intends to close an in_progress fulfillment order')", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 1 }] }))[0]!;
    must(submitFulfillmentRequest(w.state, w.shop, fo, {}));
    expect(closeFulfillmentOrder(w.state, w.shop, fo, w.lab).ok).toBe(false);
    must(acceptFulfillmentRequest(w.state, w.shop, fo, w.lab));
    must(closeFulfillmentOrder(w.state, w.shop, fo, w.lab, "We broke the last item."));
    expect([fo.status, fo.requestStatus]).toEqual(["INCOMPLETE", "CLOSED"]);
    const e = w.events.at(-1)!.event;
    expect(e).toMatchObject({
      topic: "fulfillment_orders/fulfillment_service_failed_to_complete",
      message: "We broke the last item.",
    });
  });
});

describe("fulfillmentCreate", () => {
  it("refuses fulfillmentCreate on a fulfillment order owned by another fulfillment service (API 2024-10 rule)", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "CANVAS-40x60-WRAP", quantity: 1 }] }))[0]!;
    const r = createFulfillment(w.state, w.shop, w.app, {
      lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: gid("FulfillmentOrder", fo.id) }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.message).toMatch(/2024-10/);
      expect(r.errors[0]!.field).toEqual([
        "fulfillment",
        "lineItemsByFulfillmentOrder",
        "0",
        "fulfillmentOrderId",
      ]);
    }
    expect(supportedActions(w.shop, fo, w.app)).not.toContain("CREATE_FULFILLMENT");
    expect(fo.status).toBe("OPEN");
  });

  it("fulfils part, then the rest, of a merchant-managed fulfillment order: IN_PROGRESS then CLOSED, orders/partially_fulfilled then orders/fulfilled", () => {
    const w = demoWorld();
    const o = w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }] });
    const fo = w.fos(o)[0]!;
    const level = () =>
      [...w.shop.inventory.values()].find(
        (l) =>
          l.locationId === w.location("Studio").id &&
          l.inventoryItemId === w.shop.variants.get(o.lineItems[0]!.variantId!)!.inventoryItemId,
      )!;
    expect(level()).toMatchObject({ available: 23, committed: 2 });
    must(
      createFulfillment(w.state, w.shop, w.app, {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: gid("FulfillmentOrder", fo.id),
            fulfillmentOrderLineItems: [{ id: foLine(fo), quantity: 1 }],
          },
        ],
      }),
    );
    expect(fo.status).toBe("IN_PROGRESS");
    const f = must(
      createFulfillment(w.state, w.shop, w.app, {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: gid("FulfillmentOrder", fo.id) }],
        trackingInfo: { number: "1Z", company: "UPS" },
        notifyCustomer: true,
      }),
    );
    expect(fo.status).toBe("CLOSED");
    expect(f.name).toBe(`${o.name}.2`);
    expect(f.tracking).toEqual([{ company: "UPS", number: "1Z", url: null }]);
    expect(level()).toMatchObject({ available: 23, committed: 0 });
    expect(w.topics().filter((t) => t.startsWith("orders/"))).toEqual([
      "orders/create",
      "orders/paid",
      "orders/partially_fulfilled",
      "orders/updated",
      "orders/fulfilled",
      "orders/updated",
    ]);
  });

  it("refuses to fulfil a fulfillment order on hold", () => {
    const w = demoWorld();
    const fo = w.fos(w.order({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] }))[0]!;
    must(holdFulfillmentOrder(w.state, w.shop, fo, w.app, { reason: "OTHER" }));
    expect(
      createFulfillment(w.state, w.shop, w.app, {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: gid("FulfillmentOrder", fo.id) }],
      }).ok,
    ).toBe(false);
  });
});
