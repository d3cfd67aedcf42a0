// How many orders one worker process routes at once (its routing slots) and how many of them one
// shop may take: the operator sizes a worker to the cores it has with WORKER_ROUTING_SLOTS (ADR 062).

/** A worker's routing slots when the operator sets none (README's Sizing, docs/decisions/008). */
export const DEFAULT_ROUTING_SLOTS = 16;

/**
 * One shop's most orders routed at once by one worker: 6, whatever the slots above 16. More would
 * not route one shop faster (its Admin API bucket paces it: a Plus shop restores about ten orders'
 * points a second, which 6 slots at 100 ms a call already ask for).
 */
const MOST_PER_SHOP = 6;

/**
 * A worker's route-order slots: `slots` at once, of which one shop takes at most 3 in 8 (6 of the
 * default 16), at least 1 and at most 6. Scaled down with the slots so a smaller worker keeps the
 * fairness of the default one: one shop's flash sale leaves most slots to the other shops' orders
 * (ADR 008); with the cap left at 6, a 6-slot worker would give one shop all of them.
 */
export function routeOrderSlots(slots: number = DEFAULT_ROUTING_SLOTS): {
  concurrency: number;
  perShop: number;
} {
  return {
    concurrency: slots,
    perShop: Math.min(MOST_PER_SHOP, Math.max(1, Math.ceil((slots * 3) / 8))),
  };
}
