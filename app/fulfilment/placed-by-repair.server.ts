// Where the merchant's repairs (Stuck and drift) put an order's work, for the rules to leave there, until the merchant chooses Route again.
import type { PlacedByRepair, RepairState } from "../routing";
import type { Db } from "../db/client.server";

/**
 * Decision.cause of a merchant's Route again: from its decision's creation on, the order's repairs
 * begun before it no longer hold (ADR 083 addendum). No column of its own: the decision is the
 * record of the merchant's choice, and its time is compared with each repair's decision.
 */
export const ROUTE_AGAIN_CAUSE = "route_again";

/** A repair still in force: where it put the work, where from, and when it began. */
export interface RepairInForce extends PlacedByRepair {
  /** When the repair began (its decision's creation): the trace names it when Route again hands it back. */
  repairedAt: Date;
  /** The location's name the repair sent the work to. */
  toName: string;
}

/**
 * Every repair of the order that began (its state is kept before its first change), whatever came
 * of it: one that stopped half way may still have moved the work, and the rules must not move it
 * back to the place that stood still either. A repair the merchant handed back to the rules (Route
 * again after it began) is not among them.
 */
export async function repairsOfOrder(
  db: Db,
  shop: string,
  orderId: string,
): Promise<RepairInForce[]> {
  return (await repairsInForce(db, shop, [orderId])).get(orderId) ?? [];
}

/** The repairs in force of each of these orders (see repairsOfOrder); orders without one are absent. */
export async function repairsInForce(
  db: Db,
  shop: string,
  orderIds: readonly string[],
): Promise<Map<string, RepairInForce[]>> {
  const found = new Map<string, RepairInForce[]>();
  if (orderIds.length === 0) return found;
  const rows = await db.finding.findMany({
    where: { shop, orderId: { in: [...new Set(orderIds)] }, repairState: { not: null } },
    select: { orderId: true, repairState: true, decisionId: true, detectedAt: true },
  });
  // Most orders were never repaired: one statement, and nothing more.
  if (rows.length === 0) return found;
  const repairedOrders = [...new Set(rows.map((r) => r.orderId))];
  const decisions = await db.decision.findMany({
    where: {
      OR: [
        { id: { in: rows.flatMap((r) => (r.decisionId ? [r.decisionId] : [])) } },
        { shop, orderId: { in: repairedOrders }, trigger: "merchant", cause: ROUTE_AGAIN_CAUSE },
      ],
    },
    select: { id: true, orderId: true, cause: true, createdAt: true },
  });
  const began = new Map(decisions.map((d) => [d.id, d.createdAt]));
  const routedAgain = new Map<string, number>();
  for (const d of decisions)
    if (d.cause === ROUTE_AGAIN_CAUSE)
      routedAgain.set(d.orderId, Math.max(routedAgain.get(d.orderId) ?? 0, d.createdAt.getTime()));
  for (const row of rows) {
    const repair = placement(row.repairState!);
    if (!repair) continue;
    const repairedAt = (row.decisionId && began.get(row.decisionId)) || row.detectedAt;
    // The merchant chose Route again after this repair began: the rules decide that work again.
    if ((routedAgain.get(row.orderId) ?? -Infinity) >= repairedAt.getTime()) continue;
    const list = found.get(row.orderId);
    const entry = { ...repair, repairedAt };
    if (list) list.push(entry);
    else found.set(row.orderId, [entry]);
  }
  return found;
}

function placement(stored: string): Omit<RepairInForce, "repairedAt"> | null {
  try {
    const state = JSON.parse(stored) as Partial<RepairState>;
    const locationId = state.to?.locationId;
    const lineItemIds = Array.isArray(state.lineItemIds) ? state.lineItemIds : [];
    if (!locationId || lineItemIds.length === 0) return null;
    const awayFrom = Array.isArray(state.awayFrom)
      ? state.awayFrom.map((l) => l.locationId).filter((id) => typeof id === "string")
      : [];
    return {
      locationId,
      lineItemIds,
      toName: state.to?.name ?? locationId,
      ...(awayFrom.length > 0 ? { awayFrom } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * A repair's time as the trace names it: the stored words read the same in every language, so
 * the time is given as ISO 8601 in UTC ("2026-12-07 16:35 UTC"), not in one reader's format.
 */
export function repairDate(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
