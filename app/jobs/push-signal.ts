// Tells the push sweep in this process (app/fulfilment/push.server.ts) that something it pushes may
// have been recorded for a shop (a merchant's decision, a fulfillment event the inbox handled, an
// address added), so it sweeps now instead of at its slow safety pass (docs/decisions/015, 035).
// A process that sweeps nothing itself (a web process beside worker processes on PostgreSQL) has
// its queue pass it on to the others (a NOTIFY on PUSH_CHANNEL), whose queues pass it on here.
// Here, beside the inbox's signal, so neither the queue nor the push imports the other.

/** A shop's news; null: a push address was added or removed (any shop may have new addresses). */
type Listener = (shop: string | null) => void;

const sweepers = new Set<Listener>();
let passOn: Listener | undefined;

/** The PostgreSQL channel this is told to other processes on. */
export const PUSH_CHANNEL = "fulfilment_router_push";

/** Calls `listener` with each shop that may have something to push; returns an unsubscribe. */
export function onPushable(listener: Listener): () => void {
  sweepers.add(listener);
  return () => sweepers.delete(listener);
}

/**
 * Something to push may have been recorded for `shop` (null: the push addresses changed). The
 * sweep of this process hears it; without one, the queue tells the other processes.
 */
export function pushable(shop: string | null): void {
  if (sweepers.size > 0) for (const sweeper of sweepers) sweeper(shop);
  else passOn?.(shop);
}

/** Heard from another process: only this process's sweep is told (nothing is passed on again). */
export function pushableElsewhere(shop: string | null): void {
  for (const sweeper of sweepers) sweeper(shop);
}

/**
 * How this process tells the others, set by its queue (pg-boss); returns what unsets it. Used
 * only while this process has no sweep of its own.
 */
export function passPushableOn(tell: Listener): () => void {
  passOn = tell;
  return () => {
    if (passOn === tell) passOn = undefined;
  };
}
