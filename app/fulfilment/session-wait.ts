// A shop's jobs that failed for want of its offline session (orders paid before the merchant first
// opened the app): once the shop has one, they run at once instead of when their backoff ends (ADR 049).
import type { JobQueue } from "../jobs/queue";
import { logEvent } from "../utils/log.server";

/**
 * How the error of an attempt that found no offline session for the shop begins, as the queue
 * keeps it: the library's SessionNotFoundError (no session row), or the gateway's own for a
 * session without a token (app/gateways.server.ts). Nothing else about the shop: another shop's
 * missing session, or an error that only quotes one, is not this shop's wait.
 */
export function noSessionErrors(shop: string): string[] {
  return [`Could not find a session for shop ${shop} `, `No offline access token for ${shop}:`];
}

/**
 * The shop has its offline session now (token exchange stored it, or a run's gateway was made with
 * it): its jobs waiting out a backoff after failing without one are brought forward, in line and
 * once each (JobQueue.retryNow). Answers how many.
 */
export async function runJobsThatWaitedForSession(queue: JobQueue, shop: string): Promise<number> {
  const moved = await queue.retryNow(shop, noSessionErrors(shop));
  if (moved > 0) logEvent("info", "jobs.session_arrived", { shop, broughtForward: moved });
  return moved;
}
