// Where the merchant's repairs (Stuck and drift) put an order's work, for the rules to leave there.
import type { PlacedByRepair, RepairState } from "../routing";
import type { Db } from "../db/client.server";

/**
 * Every repair of the order that began (its state is kept before its first change), whatever came
 * of it: one that stopped half way may still have moved the work, and the rules must not move it
 * back to the place that stood still either.
 */
export async function repairsOfOrder(
  db: Db,
  shop: string,
  orderId: string,
): Promise<PlacedByRepair[]> {
  const rows = await db.finding.findMany({
    where: { shop, orderId, repairState: { not: null } },
    select: { repairState: true },
  });
  return rows.flatMap((row) => {
    try {
      const state = JSON.parse(row.repairState!) as Partial<RepairState>;
      const locationId = state.to?.locationId;
      const lineItemIds = Array.isArray(state.lineItemIds) ? state.lineItemIds : [];
      return locationId && lineItemIds.length > 0 ? [{ locationId, lineItemIds }] : [];
    } catch {
      return [];
    }
  });
}
