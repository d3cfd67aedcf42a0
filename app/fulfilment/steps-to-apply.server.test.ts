// When a hold Step recorded in a decision counts as done: until a release of the hold it placed,
// and never while the order as read still has that hold (the whole way through the worker and the
// simulator: tests/integration/hold-again.test.ts).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/setup/db";
import type { Db } from "../db/client.server";
import { makeStep, type OrderSnapshot, type Step } from "../routing";
import { aFulfillmentOrder, aLine, aSnapshot, STUDIO } from "../routing/testing.fixtures";
import { occurrenceKey, stepsToApply } from "./steps-to-apply.server";

let db: Db;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => cleanup());

const print = aLine(1);
const FO = aFulfillmentOrder(1, STUDIO, [print]).id;
const HOLD_ID = "gid://shopify/FulfillmentHold/71";
const why = { source: "rule", ruleId: "r", ruleName: "R", text: "Hold for review" } as const;

const hold = makeStep(
  "fulfillmentOrderHold",
  "gid://shopify/Order/1001",
  FO,
  {
    id: FO,
    fulfillmentHold: {
      reason: "OTHER",
      reasonNotes: "Waiting for your review",
      handle: "fr-rule-0000abcd-review",
      notifyMerchant: false,
    },
  },
  "Hold for review",
  why,
);
const release = makeStep(
  "fulfillmentOrderReleaseHold",
  "gid://shopify/Order/1001",
  FO,
  { id: FO, holdIds: [HOLD_ID] },
  "Release",
  why,
);

/** The order as read: the print's fulfillment order, held by the hold placed or not. */
function read(held: boolean): OrderSnapshot {
  const holds = held
    ? [
        {
          id: HOLD_ID,
          reason: "OTHER" as const,
          reasonNotes: "Waiting for your review",
          handle: "fr-rule-0000abcd-review",
          heldByRequestingApp: true,
        },
      ]
    : [];
  return aSnapshot({
    lineItems: [print],
    fulfillmentOrders: [
      aFulfillmentOrder(1, STUDIO, [print], { status: held ? "ON_HOLD" : "OPEN", holds }),
    ],
  });
}

/** A decision whose Steps the log has as applyAndRecord writes them, in this order. */
async function decisionWith(
  ...recorded: { step: Step; key?: string; status: string; outcome?: unknown }[]
) {
  const decision = await db.decision.create({
    data: {
      shop: "s.myshopify.com",
      orderId: "gid://shopify/Order/1001",
      trigger: "webhook",
      explanation: "[]",
      plan: "{}",
    },
  });
  for (const [position, r] of recorded.entries()) {
    await db.step.create({
      data: {
        decisionId: decision.id,
        key: r.key ?? r.step.key,
        position,
        kind: r.step.kind,
        fulfillmentOrderId: r.step.fulfillmentOrderId,
        input: JSON.stringify({ input: r.step.input, summary: r.step.summary, why: r.step.why }),
        status: r.status,
        outcome: r.outcome === undefined ? null : JSON.stringify(r.outcome),
      },
    });
  }
  return decision.id;
}

/** Shopify's answer to the hold, as recorded: the hold it placed. */
const placed = (id = HOLD_ID) => ({ fulfillmentHold: { id, handle: "fr-rule-0000abcd-review" } });

const keys = (steps: Step[]) => steps.map((s) => s.key);

describe("a hold Step recorded in the decision", () => {
  it("is applied under its own key the first time", async () => {
    const id = await decisionWith();
    expect(keys(await stepsToApply(db, id, [hold], read(false)))).toEqual([hold.key]);
  });

  it("counts as done once it succeeded, even planned on a read that does not show its hold yet", async () => {
    const id = await decisionWith({ step: hold, status: "succeeded", outcome: placed() });
    expect(await stepsToApply(db, id, [hold], read(false))).toEqual([]);
  });

  it("is a new hold, under its next key, once the decision released the hold it placed", async () => {
    const id = await decisionWith(
      { step: hold, status: "succeeded", outcome: placed() },
      { step: release, status: "succeeded", outcome: {} },
    );
    expect(keys(await stepsToApply(db, id, [hold], read(false)))).toEqual([
      occurrenceKey(hold.key, 2),
    ]);
  });

  it("is a new hold when the release's answer never came (or was refused as done) and the read no longer has the hold", async () => {
    for (const status of ["pending", "skipped"]) {
      const id = await decisionWith(
        { step: hold, status: "succeeded", outcome: placed() },
        { step: release, status },
      );
      expect(keys(await stepsToApply(db, id, [hold], read(false))), status).toEqual([
        occurrenceKey(hold.key, 2),
      ]);
      // A read that still has the hold: the release did not happen, the hold is on.
      expect(await stepsToApply(db, id, [hold], read(true)), status).toEqual([]);
    }
  });

  it("counts as done when the release was refused for a reason in the shop's data, or released another hold", async () => {
    const refused = await decisionWith(
      { step: hold, status: "succeeded", outcome: placed() },
      { step: release, status: "failed" },
    );
    expect(await stepsToApply(db, refused, [hold], read(false))).toEqual([]);
    const other = await decisionWith(
      { step: hold, status: "succeeded", outcome: placed("gid://shopify/FulfillmentHold/72") },
      { step: release, status: "succeeded", outcome: {} },
    );
    expect(await stepsToApply(db, other, [hold], read(false))).toEqual([]);
  });

  it("placed again counts as done in turn, and a third time needs a second release", async () => {
    const second = "gid://shopify/FulfillmentHold/80";
    const releaseSecond = {
      ...release,
      key: `${release.key}-2`,
      input: { id: FO, holdIds: [second] },
    };
    const id = await decisionWith(
      { step: hold, status: "succeeded", outcome: placed() },
      { step: release, status: "succeeded", outcome: {} },
      { step: hold, key: occurrenceKey(hold.key, 2), status: "succeeded", outcome: placed(second) },
    );
    expect(await stepsToApply(db, id, [hold], read(false))).toEqual([]);
    await db.step.create({
      data: {
        decisionId: id,
        key: releaseSecond.key,
        position: 3,
        kind: releaseSecond.kind,
        fulfillmentOrderId: FO,
        input: JSON.stringify({ input: releaseSecond.input }),
        status: "succeeded",
      },
    });
    expect(keys(await stepsToApply(db, id, [hold], read(false)))).toEqual([
      occurrenceKey(hold.key, 3),
    ]);
  });

  it("not yet succeeded (its answer lost, refused once) is applied again under the row it has", async () => {
    const id = await decisionWith(
      { step: hold, status: "succeeded", outcome: placed() },
      { step: release, status: "succeeded", outcome: {} },
      { step: hold, key: occurrenceKey(hold.key, 2), status: "pending" },
    );
    expect(keys(await stepsToApply(db, id, [hold], read(false)))).toEqual([
      occurrenceKey(hold.key, 2),
    ]);
  });
});

describe("any other Step recorded in the decision", () => {
  it("counts as done once it succeeded, and is applied again while it has not", async () => {
    const done = await decisionWith({ step: release, status: "succeeded", outcome: {} });
    expect(await stepsToApply(db, done, [release], read(true))).toEqual([]);
    const pending = await decisionWith({ step: release, status: "pending" });
    expect(keys(await stepsToApply(db, pending, [release], read(true)))).toEqual([release.key]);
  });
});
