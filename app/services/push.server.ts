// The Push screen's data: the shop's addresses (checked before they are kept), its signing secret
// and the delivery log, newest first.
import type { TFunction } from "i18next";
import type { Db } from "../db/client.server";
import { readWords, renderWords } from "../i18n/words";
import { pushable } from "../jobs/push-signal";
import { newPushSecret, type PushEvents } from "../fulfilment/push.server";
import { allowInsideNetworkHere, isInsideNetworkHost } from "../fulfilment/push-address.server";

/** Addresses one shop may have. */
export const PUSH_ENDPOINTS_MAX = 5;
/** Deliveries the log shows. */
export const PUSH_LOG_SIZE = 100;

export type PushUrlProblem = "invalid" | "https" | "private";

/**
 * Why an address cannot receive pushes, or null. Outside development and tests only https: the
 * signature proves who sent a body but does not hide it, and over plain http anyone on the way
 * reads the shop's orders and decisions. An address inside a network as written (a loopback,
 * private, link-local… IP, also inside IPv6, or localhost) is refused too unless allowed: the app's
 * servers would be made to call their neighbours. A name is checked again at each push, as resolved
 * (docs/decisions/075).
 */
export function pushUrlProblem(
  raw: string,
  allowHttp: boolean,
  allowInsideNetwork: boolean,
): PushUrlProblem | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return "invalid";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "invalid";
  if (!url.hostname || url.username || url.password) return "invalid";
  if (url.protocol !== "https:" && !allowHttp) return "https";
  return !allowInsideNetwork && isInsideNetworkHost(url.hostname) ? "private" : null;
}

/** Whether plain http is allowed: development and tests only. */
export const allowHttpHere = () => process.env.NODE_ENV !== "production";

export type AddEndpointResult =
  | { ok: true; id: string }
  | { ok: false; errors: { url?: PushUrlProblem | "duplicate" | "tooMany"; events?: "invalid" } };

const EVENTS: PushEvents[] = ["all", "decisions", "fulfillments"];

/** Keeps an address after checking it; the shop's first address makes its signing secret. */
export async function addPushEndpoint(
  db: Db,
  shop: string,
  input: { url: string; events: string },
  now: Date,
  allowHttp = allowHttpHere(),
  allowInsideNetwork = allowInsideNetworkHere(),
): Promise<AddEndpointResult> {
  const problem = pushUrlProblem(input.url, allowHttp, allowInsideNetwork);
  const events = EVENTS.find((e) => e === input.events);
  if (problem || !events)
    return {
      ok: false,
      errors: { ...(problem ? { url: problem } : {}), ...(events ? {} : { events: "invalid" }) },
    };
  const url = new URL(input.url.trim()).toString();
  const existing = await db.pushEndpoint.findMany({ where: { shop }, select: { url: true } });
  if (existing.some((e) => e.url === url)) return { ok: false, errors: { url: "duplicate" } };
  if (existing.length >= PUSH_ENDPOINTS_MAX) return { ok: false, errors: { url: "tooMany" } };
  const row = await db.shop.findUnique({ where: { shop }, select: { pushSecret: true } });
  if (!row?.pushSecret) {
    const secret = newPushSecret();
    await db.shop.upsert({
      where: { shop },
      create: { shop, pushSecret: secret, pushSecretRotatedAt: now },
      update: { pushSecret: secret, pushSecretRotatedAt: now },
    });
  }
  // Only what happens from now on is pushed.
  const endpoint = await db.pushEndpoint.create({
    data: { shop, url, events, decisionsSeenUntil: now, eventsSeenUntil: now, createdAt: now },
  });
  // The worker's sweep learns of the new address (it sweeps only for shops it knows have one).
  pushable(null);
  return { ok: true, id: endpoint.id };
}

/** Removes one of the shop's addresses (pushes waiting for it are sent no more). */
export async function removePushEndpoint(db: Db, shop: string, id: string): Promise<boolean> {
  const removed = await db.pushEndpoint.deleteMany({ where: { id, shop } });
  if (removed.count === 0) return false;
  await db.pushDelivery.updateMany({
    where: { endpointId: id, shop, status: "pending" },
    data: { status: "failed", lastError: "The address was removed" },
  });
  return true;
}

/** The screen's data, each delivery's last answer in the reader's language (`t`) where it is Words. */
export async function loadPushScreen(db: Db, shop: string, t: TFunction) {
  const [row, endpoints, deliveries] = await Promise.all([
    db.shop.findUnique({
      where: { shop },
      select: { pushSecret: true, pushSecretRotatedAt: true },
    }),
    db.pushEndpoint.findMany({ where: { shop }, orderBy: { createdAt: "asc" } }),
    db.pushDelivery.findMany({
      where: { shop },
      orderBy: { createdAt: "desc" },
      take: PUSH_LOG_SIZE,
      select: {
        id: true,
        url: true,
        event: true,
        orderId: true,
        orderName: true,
        status: true,
        attempts: true,
        lastStatus: true,
        lastError: true,
        lastAttemptAt: true,
        createdAt: true,
      },
    }),
  ]);
  return {
    secret: row?.pushSecret ?? null,
    secretRotatedAt: row?.pushSecretRotatedAt?.toISOString() ?? null,
    endpoints: endpoints.map((e) => ({ id: e.id, url: e.url, events: e.events })),
    deliveries: deliveries.map((d) => ({
      ...d,
      lastError: d.lastError === null ? null : renderWords(t, readWords(d.lastError)),
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    })),
  };
}
