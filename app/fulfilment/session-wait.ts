// A shop's jobs that failed for want of its offline session (orders paid before the merchant first
// opened the app): once the shop has one, they run at once instead of when their backoff ends (ADR 049).
import type { JobQueue } from "../jobs/queue";
import { logEvent } from "../utils/log.server";

/** An attempt's error when the shop has no offline session (the merchant has not opened the app). */
export function noOfflineSession(shop: string): string {
  return `No offline session for ${shop}: open the app once to install it`;
}

/** An attempt's error when the shop's offline session has no token. */
export function noOfflineToken(shop: string): string {
  return `No offline access token for ${shop}: open the app once to install it`;
}

/**
 * How the error of an attempt that found no offline session for the shop begins, as the queue
 * keeps it: our own words for the library's SessionNotFoundError and for a session without a
 * token (app/gateways.server.ts), and the library's own words, which jobs that failed before our
 * words were kept still carry. Nothing else about the shop: another shop's missing session, or an
 * error that only quotes one, is not this shop's wait.
 */
export function noSessionErrors(shop: string): string[] {
  return [
    noOfflineSession(shop),
    noOfflineToken(shop),
    `Could not find a session for shop ${shop} `,
  ];
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
