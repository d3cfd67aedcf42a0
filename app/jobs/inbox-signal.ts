// Tells the worker in this process (app/fulfilment), from the intake (app/webhooks), that
// deliveries were just stored, so it takes them at once instead of at its next poll. On PostgreSQL
// the intake's insert also tells the other processes (a NOTIFY on INBOX_CHANNEL, sent at its
// commit), and a worker process's queue listens and passes it on here; the poll stays as a safety
// net for a notification lost with its connection. Here so neither of the two imports the other.
import { randomUUID } from "node:crypto";

type Listener = () => void;

const listeners = new Set<Listener>();

/** The PostgreSQL channel stored deliveries are announced on, to every process listening. */
export const INBOX_CHANNEL = "fulfilment_router_inbox";

/**
 * This process's name in the notifications it sends: a process ignores its own (the in-process
 * signal already told its worker).
 */
export const PROCESS_TAG = randomUUID();

/** Calls `listener` after each commit that stored at least one new delivery; returns an unsubscribe. */
export function onDeliveriesStored(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function deliveriesStored(): void {
  for (const listener of listeners) listener();
}
