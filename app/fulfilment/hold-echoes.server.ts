// Hold webhooks that only echo a change this app just made: the payload says enough to keep the
// review queue's row current, so they cost no order read (each read is tens of Admin API points).
import type { Db } from "../db/client.server";
import {
  FULFILLMENT_HOLD_REASONS,
  GATE_HOLD_HANDLE,
  holdWords,
  plannedHoldPurpose,
  type FulfillmentHoldReason,
  type Rule,
  type StockWaiting,
  type Words,
} from "../routing";
import { loadRules } from "./shop-config.server";

interface HoldJson {
  handle?: unknown;
  reason?: unknown;
  reason_notes?: unknown;
}

// A webhook is not a request, so its holds never read "held by the requesting app" (Shopify's
// examples show false); the handle, which is the app's own, tells the app's holds apart.
const purposeOf = (hold: HoldJson) =>
  typeof hold.handle === "string"
    ? plannedHoldPurpose({ handle: hold.handle, heldByRequestingApp: true })
    : null;

/** Holds this app places: the release gate's and the planner's. */
function isOurHold(hold: HoldJson | undefined): boolean {
  if (!hold) return false;
  return hold.handle === GATE_HOLD_HANDLE || purposeOf(hold) !== null;
}

/** Shopify's reason code of a hold (the webhook says it in lower case), when it is one Shopify has. */
function codeOf(hold: HoldJson): FulfillmentHoldReason | null {
  const key = typeof hold.reason === "string" ? hold.reason.toUpperCase() : "";
  return (FULFILLMENT_HOLD_REASONS as readonly string[]).includes(key)
    ? (key as FulfillmentHoldReason)
    : null;
}

/**
 * What waits on a fulfillment order the app held for stock, as the step that held it said it
 * ("Hold 1 of 3 “Photo Book” at “Studio” until stock arrives"): the hold's webhook carries no
 * titles or order quantities, and the step has the counts the note on Shopify says (ADR 088).
 * One read by the steps' fulfillment order index; undefined when no step said counts.
 */
async function stockWaitingSaid(
  db: Db,
  shop: string,
  fulfillmentOrderId: string,
): Promise<StockWaiting | undefined> {
  const steps = await db.step.findMany({
    where: { fulfillmentOrderId, kind: "fulfillmentOrderHold", decision: { shop } },
    orderBy: [{ decision: { createdAt: "desc" } }, { position: "desc" }],
    select: { input: true },
    take: 5,
  });
  for (const step of steps) {
    let summary: Words | undefined;
    try {
      summary = (JSON.parse(step.input) as { summary?: Words }).summary;
    } catch {
      continue;
    }
    const params = summary?.params;
    if (summary?.key !== "engine.step.holdForStockCounted" || !params) continue;
    const { location, lines } = params;
    if (typeof location === "string" && Array.isArray(lines) && lines.length > 0)
      return { location, lines: lines.filter((l): l is Words => typeof l !== "string") };
  }
  return undefined;
}

/** The queue's reason for a hold as Words, as recordFulfillmentOrders writes it. */
async function reasonOf(
  db: Db,
  shop: string,
  fulfillmentOrderId: string,
  hold: HoldJson,
  rules: readonly Rule[],
): Promise<string | null> {
  const reason = codeOf(hold);
  if (!reason) return null;
  const waiting =
    purposeOf(hold) === "stock" ? await stockWaitingSaid(db, shop, fulfillmentOrderId) : undefined;
  const said = holdWords(
    {
      handle: typeof hold.handle === "string" ? hold.handle : null,
      heldByRequestingApp: true,
      reason,
      reasonNotes: typeof hold.reason_notes === "string" ? hold.reason_notes : null,
    },
    rules,
    waiting,
  );
  return JSON.stringify(said);
}

// Our own releases are recorded as Steps; one finished this long around the webhook is its cause.
const ECHO_WINDOW_MS = 5 * 60_000;

async function releasedByUs(
  db: Db,
  shop: string,
  fulfillmentOrderId: string,
  triggeredAt: Date,
): Promise<boolean> {
  const step = await db.step.findFirst({
    where: {
      fulfillmentOrderId,
      kind: "fulfillmentOrderReleaseHold",
      status: "succeeded",
      finishedAt: {
        gte: new Date(triggeredAt.getTime() - ECHO_WINDOW_MS),
        lte: new Date(triggeredAt.getTime() + ECHO_WINDOW_MS),
      },
      decision: { shop },
    },
    select: { id: true },
  });
  return step !== null;
}

/**
 * Handles a fulfillment_orders/placed_on_hold, fulfillment_orders/hold_released or
 * fulfillment_holds/* delivery from its payload alone when it echoes the app's own hold or
 * release; answers false when the order must be read again (someone else's change, a partial hold
 * that made a new fulfillment order, an outcome that depends on which holds are left).
 */
export async function recordHoldEcho(
  db: Db,
  shop: string,
  topic: string,
  payload: Record<string, unknown>,
  triggeredAt: Date | null,
): Promise<boolean> {
  const fo = payload.fulfillment_order as
    { id?: unknown; status?: unknown; fulfillment_holds?: unknown } | undefined;
  if (!triggeredAt || typeof fo?.id !== "string") return false;
  const fulfillmentOrderId = fo.id;
  const status = typeof fo.status === "string" ? fo.status.toUpperCase() : null;
  const record = await db.fulfillmentOrderRecord.findUnique({
    where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId } },
  });
  // The row was written after the change happened, from a read the app made after its own
  // mutation returned: it already shows the change.
  const rowIsNewer = record !== null && record.updatedAt.getTime() >= triggeredAt.getTime();
  const holdsDecideOutcome = record?.outcome === "held" || record?.outcome === "in_review";

  switch (topic) {
    case "fulfillment_orders/placed_on_hold":
    case "fulfillment_holds/added": {
      const hold = (payload.created_fulfillment_hold ?? payload.fulfillment_hold) as
        HoldJson | undefined;
      if (!isOurHold(hold) || payload.remaining_fulfillment_order) return false;
      // No row yet: the routing that placed the hold writes it from its next read.
      if (!record || rowIsNewer) return true;
      const review = purposeOf(hold!) === "review";
      await db.fulfillmentOrderRecord.update({
        where: { id: record.id },
        data: {
          status: status ?? "ON_HOLD",
          ...(record.outcome === "held" && review ? { outcome: "in_review" } : {}),
          ...(record.outcome !== "needs_attention" && !record.reason
            ? {
                reason: await reasonOf(
                  db,
                  shop,
                  fulfillmentOrderId,
                  hold!,
                  await loadRules(db, shop),
                ),
              }
            : {}),
          ...(!record.holdReason ? { holdReason: codeOf(hold!) } : {}),
        },
      });
      return true;
    }
    case "fulfillment_holds/released":
    case "fulfillment_orders/hold_released": {
      if (!record) return false;
      if (!(await releasedByUs(db, shop, fulfillmentOrderId, triggeredAt))) return false;
      // Written from the app's own view after its release (the release gate let go of a lab
      // print the rules put into review, say): the row shows the holds left already.
      if (rowIsNewer) return true;
      if (holdsDecideOutcome) return false;
      if (topic === "fulfillment_holds/released" || !status) return true;
      await db.fulfillmentOrderRecord.update({
        where: { id: record.id },
        data: {
          status,
          holdReason: null,
          ...(record.outcome !== "needs_attention" ? { reason: null } : {}),
        },
      });
      return true;
    }
    default:
      return false;
  }
}
