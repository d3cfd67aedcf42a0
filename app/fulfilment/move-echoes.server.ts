// Move and merge webhooks that only echo a change this app made: the app read the order again after its own Step, so they cost no refresh.
import type { Db } from "../db/client.server";
import { fulfillmentOrderSubjectOf, idOf } from "./fulfillment-order-subject";

/** The topics whose echo of the app's own Step this module tells apart. */
export const MOVE_AND_MERGE_TOPICS: ReadonlySet<string> = new Set([
  "fulfillment_orders/moved",
  "fulfillment_orders/merged",
]);

// Shopify sends the webhook as the mutation commits, the app marks its Step finished once the
// answer is back: the two are seconds apart, minutes only when a clock is off (as for holds).
const ECHO_WINDOW_MS = 5 * 60_000;

/**
 * Whether a fulfillment_orders/moved or /merged delivery is the echo of a fulfillmentOrderMove or
 * fulfillmentOrderMerge Step this app applied (the rules, a merchant's command, a repair): every
 * such path records the order's rows from a read after the Step, so the rows show the change
 * already. A move counts as the app's only when the same fulfillment order went to the same
 * location and came out as the same one, so staff moving it again in admin are still seen.
 * One statement, by the Steps' fulfillment order index; false (read the order again) when unsure.
 */
export async function movedOrMergedByUs(
  db: Db,
  shop: string,
  topic: string,
  payload: Record<string, unknown>,
  triggeredAt: Date | null,
): Promise<boolean> {
  if (!triggeredAt || !MOVE_AND_MERGE_TOPICS.has(topic)) return false;
  const finishedAt = {
    gte: new Date(triggeredAt.getTime() - ECHO_WINDOW_MS),
    lte: new Date(triggeredAt.getTime() + ECHO_WINDOW_MS),
  };
  if (topic === "fulfillment_orders/moved") {
    const original = idOf(payload.original_fulfillment_order);
    const moved = idOf(payload.moved_fulfillment_order);
    const destination = payload.destination_location_id;
    if (!original || !moved || typeof destination !== "string") return false;
    const steps = await db.step.findMany({
      where: {
        fulfillmentOrderId: original,
        kind: "fulfillmentOrderMove",
        status: "succeeded",
        finishedAt,
        decision: { shop },
      },
      select: { input: true, outcome: true },
    });
    return steps.some((step) => {
      try {
        // Recorded as applyAndRecord writes it: the Step's input beside its summary and why.
        const recorded = JSON.parse(step.input) as { input?: { newLocationId?: unknown } };
        return (
          recorded.input?.newLocationId === destination &&
          (step.outcome ?? "").includes(JSON.stringify(moved))
        );
      } catch {
        return false;
      }
    });
  }
  // Merged: the one left is named as an id; the merged ones, in merge_intents, by number.
  const left = fulfillmentOrderSubjectOf(payload);
  if (!left) return false;
  const intents = Array.isArray(payload.merge_intents) ? payload.merge_intents : [];
  const merged = intents
    .map((i) => (i as { fulfillment_order_id?: unknown } | null)?.fulfillment_order_id)
    .filter((n): n is number | string => typeof n === "number" || typeof n === "string")
    .map((n) => `gid://shopify/FulfillmentOrder/${n}`);
  const step = await db.step.findFirst({
    where: {
      fulfillmentOrderId: { in: [...new Set([left, ...merged])] },
      kind: "fulfillmentOrderMerge",
      status: "succeeded",
      finishedAt,
      outcome: { contains: JSON.stringify(left) },
      decision: { shop },
    },
    select: { id: true },
  });
  return step !== null;
}
