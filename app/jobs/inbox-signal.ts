// Tells the worker in this process (app/fulfilment), from the intake (app/webhooks), that
// deliveries were just stored, so it takes them at once instead of at its next poll; the poll
// stays for deliveries another process stored. Here so neither of the two imports the other.
type Listener = () => void;

const listeners = new Set<Listener>();

/** Calls `listener` after each commit that stored at least one new delivery; returns an unsubscribe. */
export function onDeliveriesStored(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function deliveriesStored(): void {
  for (const listener of listeners) listener();
}
