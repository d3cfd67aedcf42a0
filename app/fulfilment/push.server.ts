// Outbound push: each final decision and each fulfillment event goes to the merchant's addresses,
// signed with the shop's secret, retried with backoff through the job queue (ADR 016).
import { createHmac, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Db } from "../db/client.server";
import { isUniqueViolation } from "../db/errors.server";
import { onPushable, pushable } from "../jobs/push-signal";
import type { Job, JobQueue } from "../jobs/queue";
import { englishTranslator } from "../i18n/i18next.server";
import { asStoredWords, readWordsList, renderWords, type StoredWords } from "../i18n/words";
import type { Words } from "../routing/words";
import { errorText, logEvent } from "../utils/log.server";
import {
  allowInsideNetworkHere,
  InsideNetworkRefused,
  isInsideNetworkHost,
  refusingLookup,
} from "./push-address.server";

export const PUSH_QUEUE = "push";

/** The header the receiver checks: base64 HMAC-SHA256 of the raw body, as Shopify's webhooks. */
export const PUSH_HMAC_HEADER = "X-Fulfilment-Router-Hmac-Sha256";
export const PUSH_EVENT_HEADER = "X-Fulfilment-Router-Event";
export const PUSH_DELIVERY_HEADER = "X-Fulfilment-Router-Delivery-Id";
export const PUSH_SHOP_HEADER = "X-Fulfilment-Router-Shop-Domain";

/** Attempts of one push before it shows as failed: 1 s, 2 s, 4 s… about 18 minutes in all. */
export const PUSH_MAX_ATTEMPTS = 12;
/** A receiver that has not answered by then has failed this attempt. */
export const PUSH_TIMEOUT_MS = 10_000;
/**
 * A decision's appliedAt (or a delivery's processedAt) is taken just before its row commits, so a
 * row may appear slightly behind the sweep's mark: each sweep looks this far back again.
 */
const LATE_COMMIT_MS = 2 * 60_000;
/** Events taken from each source per address in one sweep; the next sweep goes on. */
const SWEEP_BATCH = 200;

/** Shopify's topics about fulfillments and fulfillment orders that are pushed as they come in. */
const FULFILLMENT_TOPIC = /^(fulfillments|fulfillment_orders)\//;

export type PushEvents = "all" | "decisions" | "fulfillments";

/** A new signing secret: 32 random bytes, as text the merchant can paste into a receiver. */
export function newPushSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** The signature of a body: base64 HMAC-SHA256 with the secret, the way Shopify signs webhooks. */
export function signPushBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

interface DecisionRow {
  id: string;
  orderId: string;
  orderName: string | null;
  trigger: string;
  status: string;
  explanation: string;
  appliedAt: Date | null;
  steps: Array<{
    kind: string;
    status: string;
    fulfillmentOrderId: string | null;
    input: string;
    error: string | null;
  }>;
}

/**
 * What a decision says to another system: the order, why, and each Step with its outcome. Only
 * ids, the order's name and the app's own words: no customer name, e-mail or address (ADR 014).
 */
export function decisionBody(
  shop: string,
  d: DecisionRow,
  say: (words: StoredWords) => string = (w) => (typeof w === "string" ? w : w.key),
) {
  // Another system reads one language: the trace's Words are said in the catalogue's English.
  const explanation = readWordsList(d.explanation).map(say);
  return {
    event: "decision",
    shop,
    occurredAt: (d.appliedAt ?? new Date(0)).toISOString(),
    order: { id: d.orderId, name: d.orderName },
    decision: {
      id: d.id,
      trigger: d.trigger,
      status: d.status,
      explanation,
      steps: d.steps.map((s) => ({
        kind: s.kind,
        status: s.status,
        fulfillmentOrderId: s.fulfillmentOrderId,
        summary: sayStored(safeJson<{ summary?: unknown }>(s.input, {}).summary, say),
        error: s.error,
      })),
    },
  };
}

interface DeliveryRow {
  webhookId: string;
  topic: string;
  subjectId: string | null;
  payload: string;
  processedAt: Date | null;
  receivedAt: Date;
}

/**
 * What a fulfillment event says: Shopify's topic, the fulfillment (status, tracking, items by id
 * and SKU) or the fulfillment order (status, request status, the service's message). Shopify's
 * payload also carries the customer's e-mail and address: those are left out (ADR 014).
 */
export function fulfillmentBody(
  shop: string,
  d: DeliveryRow,
  order: { id: string | null; name: string | null },
) {
  const p = safeJson<Record<string, unknown>>(d.payload, {});
  const base = {
    event: "fulfillment",
    shop,
    topic: d.topic,
    occurredAt: (d.processedAt ?? d.receivedAt).toISOString(),
    order,
  };
  if (d.topic.startsWith("fulfillments/")) {
    const lines = Array.isArray(p.line_items) ? (p.line_items as Record<string, unknown>[]) : [];
    return {
      ...base,
      fulfillment: {
        id: p.admin_graphql_api_id ?? null,
        name: p.name ?? null,
        status: p.status ?? null,
        trackingCompany: p.tracking_company ?? null,
        trackingNumbers: p.tracking_numbers ?? [],
        trackingUrls: p.tracking_urls ?? [],
        lineItems: lines.map((l) => ({
          id: l.admin_graphql_api_id ?? null,
          sku: l.sku ?? null,
          title: l.title ?? null,
          quantity: l.quantity ?? null,
        })),
      },
    };
  }
  const fo = (p.fulfillment_order ?? p.original_fulfillment_order ?? {}) as Record<string, unknown>;
  return {
    ...base,
    fulfillmentOrder: {
      id: typeof fo.id === "string" ? fo.id : d.subjectId,
      status: fo.status ?? null,
      requestStatus: fo.request_status ?? null,
    },
    message: typeof p.message === "string" ? p.message : null,
  };
}

/** A Step's stored summary (Words, or the text older rows kept) as the push says it. */
function sayStored(value: unknown, say: (words: StoredWords) => string): string | null {
  const stored = asStoredWords(value);
  return stored === null ? null : say(stored);
}

function safeJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const wantsDecisions = (events: string) => events === "all" || events === "decisions";
const wantsFulfillments = (events: string) => events === "all" || events === "fulfillments";

export interface PushDeps {
  db: Db;
  queue: JobQueue;
  now: () => Date;
}

/**
 * Finds what happened since the last sweep for every address, makes one delivery row per event
 * and address (unique, so two worker processes sweeping at once push nothing twice) and enqueues
 * its job in the same transaction. Returns how many deliveries it made.
 */
export async function sweepPush(deps: PushDeps): Promise<number> {
  return (await sweep(deps)).made;
}

/** A sweep (sweepPush), and the shops that have an address: the only ones a wake-up sweeps for. */
async function sweep(deps: PushDeps): Promise<{ made: number; shops: Set<string> }> {
  const { db } = deps;
  const endpoints = await db.pushEndpoint.findMany({ orderBy: { createdAt: "asc" } });
  let made = 0;
  for (const endpoint of endpoints) {
    if (wantsDecisions(endpoint.events)) made += await sweepDecisions(deps, endpoint);
    if (wantsFulfillments(endpoint.events)) made += await sweepFulfillmentEvents(deps, endpoint);
  }
  return { made, shops: new Set(endpoints.map((e) => e.shop)) };
}

/**
 * The inbox handled these deliveries: the fulfillment events among them are the push sweep's to
 * send, so it is told their shops (push-signal) rather than finding them at its safety pass.
 */
export function fulfillmentEventsHandled(deliveries: { shop: string; topic: string }[]): void {
  const shops = new Set(
    deliveries.filter((d) => FULFILLMENT_TOPIC.test(d.topic)).map((d) => d.shop),
  );
  for (const shop of shops) pushable(shop);
}

type Endpoint = Awaited<ReturnType<Db["pushEndpoint"]["findMany"]>>[number];

interface NewDelivery {
  event: "decision" | "fulfillment";
  eventKey: string;
  orderId: string | null;
  orderName: string | null;
  body: unknown;
}

async function sweepDecisions(deps: PushDeps, endpoint: Endpoint): Promise<number> {
  const { db } = deps;
  const final = { shop: endpoint.shop, status: { in: ["applied", "needs_attention"] } };
  const select = {
    id: true,
    orderId: true,
    orderName: true,
    trigger: true,
    status: true,
    explanation: true,
    appliedAt: true,
    steps: {
      select: { kind: true, status: true, fulfillmentOrderId: true, input: true, error: true },
      orderBy: { position: "asc" as const },
    },
  };
  const since = endpoint.decisionsSeenUntil;
  const fresh = await db.decision.findMany({
    where: { ...final, appliedAt: { gt: since } },
    orderBy: { appliedAt: "asc" },
    take: SWEEP_BATCH,
    select,
  });
  const late = await db.decision.findMany({
    where: {
      ...final,
      appliedAt: {
        gt: new Date(Math.max(since.getTime() - LATE_COMMIT_MS, endpoint.createdAt.getTime())),
        lte: since,
      },
    },
    // In the index's order: without it Prisma orders the take by id, a sort of the window.
    orderBy: { appliedAt: "asc" },
    take: SWEEP_BATCH * 5,
    select,
  });
  const english = await englishTranslator();
  const made = await createDeliveries(
    deps,
    endpoint,
    [...late, ...fresh].map((d) => ({
      event: "decision",
      eventKey: `decision:${d.id}:${d.status}`,
      orderId: d.orderId,
      orderName: d.orderName,
      body: decisionBody(endpoint.shop, d, (w) => renderWords(english, w)),
    })),
  );
  const last = fresh.at(-1)?.appliedAt;
  if (last)
    await db.pushEndpoint.updateMany({
      where: { id: endpoint.id, decisionsSeenUntil: { lt: last } },
      data: { decisionsSeenUntil: last },
    });
  return made;
}

async function sweepFulfillmentEvents(deps: PushDeps, endpoint: Endpoint): Promise<number> {
  const { db } = deps;
  const since = endpoint.eventsSeenUntil;
  const processed = { shop: endpoint.shop, status: "processed" };
  const fresh = await db.webhookDelivery.findMany({
    where: { ...processed, processedAt: { gt: since } },
    orderBy: { processedAt: "asc" },
    take: SWEEP_BATCH,
  });
  const late = await db.webhookDelivery.findMany({
    where: {
      ...processed,
      processedAt: {
        gt: new Date(Math.max(since.getTime() - LATE_COMMIT_MS, endpoint.createdAt.getTime())),
        lte: since,
      },
    },
    orderBy: { processedAt: "asc" },
    take: SWEEP_BATCH * 5,
  });
  const wanted = [...late, ...fresh].filter((d) => FULFILLMENT_TOPIC.test(d.topic));
  const rows: NewDelivery[] = [];
  for (const d of wanted) {
    const order = await orderOfDelivery(db, endpoint.shop, d);
    rows.push({
      event: "fulfillment",
      eventKey: `webhook:${d.webhookId}`,
      orderId: order.id,
      orderName: order.name,
      body: fulfillmentBody(endpoint.shop, d, order),
    });
  }
  const made = await createDeliveries(deps, endpoint, rows);
  const last = fresh.at(-1)?.processedAt;
  if (last)
    await db.pushEndpoint.updateMany({
      where: { id: endpoint.id, eventsSeenUntil: { lt: last } },
      data: { eventsSeenUntil: last },
    });
  return made;
}

/** The order a fulfillment event is about: named in a fulfillment's body, else by the read model. */
async function orderOfDelivery(
  db: Db,
  shop: string,
  d: DeliveryRow,
): Promise<{ id: string | null; name: string | null }> {
  const p = safeJson<Record<string, unknown>>(d.payload, {});
  const fo = p.fulfillment_order as { id?: unknown } | undefined;
  const orderId =
    typeof p.order_id === "number" || typeof p.order_id === "string"
      ? `gid://shopify/Order/${p.order_id}`
      : null;
  const record = orderId
    ? await db.fulfillmentOrderRecord.findFirst({ where: { shop, orderId } })
    : typeof fo?.id === "string"
      ? await db.fulfillmentOrderRecord.findUnique({
          where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId: fo.id } },
        })
      : null;
  return { id: orderId ?? record?.orderId ?? null, name: record?.orderName ?? null };
}

async function createDeliveries(
  deps: PushDeps,
  endpoint: Endpoint,
  rows: NewDelivery[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const { db, queue } = deps;
  const known = new Set(
    (
      await db.pushDelivery.findMany({
        where: { endpointId: endpoint.id, eventKey: { in: rows.map((r) => r.eventKey) } },
        select: { eventKey: true },
      })
    ).map((r) => r.eventKey),
  );
  let made = 0;
  for (const row of rows) {
    if (known.has(row.eventKey)) continue;
    known.add(row.eventKey);
    try {
      await db.$transaction(async (tx) => {
        const delivery = await tx.pushDelivery.create({
          data: {
            shop: endpoint.shop,
            endpointId: endpoint.id,
            url: endpoint.url,
            event: row.event,
            eventKey: row.eventKey,
            orderId: row.orderId,
            orderName: row.orderName,
            body: "",
          },
        });
        // The body names its own delivery id, so a receiver can drop a repeat it already has.
        await tx.pushDelivery.update({
          where: { id: delivery.id },
          data: { body: JSON.stringify({ id: delivery.id, ...(row.body as object) }) },
        });
        await queue.enqueueMany(
          PUSH_QUEUE,
          [
            {
              payload: { shop: endpoint.shop, deliveryId: delivery.id },
              options: {
                key: `push:${delivery.id}`,
                shop: endpoint.shop,
                maxAttempts: PUSH_MAX_ATTEMPTS,
              },
            },
          ],
          { within: tx },
        );
      });
      made++;
    } catch (error) {
      // Another worker process made this one a moment ago.
      if (isUniqueViolation(error)) continue;
      throw error;
    }
  }
  return made;
}

export interface PushJob {
  shop: string;
  deliveryId: string;
}

/** A push the receiver did not take: the queue tries the job again after its backoff. */
export class PushRefused extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = "PushRefused";
  }
}

/**
 * What the delivery log says of a push refused because its address is inside a network, in the
 * reader's language: that it was not sent and will not be tried again, what to do about it, and
 * nothing of what a connection would have told.
 */
export const INSIDE_NETWORK_ANSWER = JSON.stringify({
  key: "fulfill.push.insideNetwork",
} satisfies Words);

/**
 * POSTs a push and resolves with the answer's status; its body is not read (a receiver answers
 * with its status). Unless the operator allows addresses inside the network, the socket finds its
 * address through refusingLookup, so the IP checked is the IP connected to, and an IP literal
 * (Node looks none up) is checked as written. A redirect is an answer, not followed: it could
 * lead anywhere.
 */
function post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  const guarded = !allowInsideNetworkHere();
  if (guarded && isInsideNetworkHost(url.hostname))
    return Promise.reject(new InsideNetworkRefused(url.hostname));
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body, "utf8")) },
        // A connection of its own each time: a kept-alive socket would skip the lookup.
        agent: false,
        lookup: guarded ? refusingLookup : undefined,
        signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      },
    );
    req.on("error", reject);
    req.end(body, "utf8");
  });
}

/**
 * Sends one delivery, signed with the shop's secret as it is now (a rotated secret signs every
 * later attempt; the old one signs nothing more). A 2xx answer delivers it; anything else is
 * recorded in the log and thrown for the queue's retry, and the last attempt marks it failed.
 * An address inside a network fails it at once and the job ends without a retry: the backoff's
 * 18 minutes would try the same refused address again while the merchant saw only "Waiting"
 * (docs/decisions/075's addendum); "Send again" tries it once more when they have changed it.
 */
export async function sendPush(
  deps: Pick<PushDeps, "db" | "now">,
  job: Pick<Job<PushJob>, "payload" | "attempts">,
): Promise<void> {
  const { db } = deps;
  const delivery = await db.pushDelivery.findUnique({ where: { id: job.payload.deliveryId } });
  // Erased (a redact, an uninstall) or already delivered by an earlier attempt.
  if (!delivery || delivery.status === "delivered") return;
  const shop = await db.shop.findUnique({
    where: { shop: delivery.shop },
    select: { pushSecret: true },
  });
  if (!shop?.pushSecret) return;
  const signature = signPushBody(delivery.body, shop.pushSecret);
  const event = delivery.event === "decision" ? "decision" : "fulfillment";
  let status: number | null = null;
  let problem: string | null = null;
  let refused: InsideNetworkRefused | null = null;
  try {
    status = await post(new URL(delivery.url), delivery.body, {
      "Content-Type": "application/json",
      "User-Agent": "Fulfilment-Router-Push/1",
      [PUSH_HMAC_HEADER]: signature,
      [PUSH_EVENT_HEADER]: event,
      [PUSH_DELIVERY_HEADER]: delivery.id,
      [PUSH_SHOP_HEADER]: delivery.shop,
    });
    if (status < 200 || status > 299) problem = `HTTP ${status}`;
  } catch (error) {
    refused = error instanceof InsideNetworkRefused ? error : null;
    problem = refused ? INSIDE_NETWORK_ANSWER : errorText(error);
  }
  const now = deps.now();
  if (!problem) {
    await db.pushDelivery.update({
      where: { id: delivery.id },
      data: {
        status: "delivered",
        attempts: { increment: 1 },
        lastStatus: status,
        lastError: null,
        lastAttemptAt: now,
        deliveredAt: now,
      },
    });
    return;
  }
  const givingUp = refused !== null || job.attempts >= PUSH_MAX_ATTEMPTS;
  await db.pushDelivery.update({
    where: { id: delivery.id },
    data: {
      status: givingUp ? "failed" : "pending",
      attempts: { increment: 1 },
      lastStatus: status,
      lastError: problem,
      lastAttemptAt: now,
    },
  });
  logEvent(givingUp ? "error" : "warn", givingUp ? "push.gave_up" : "push.refused", {
    shop: delivery.shop,
    orderId: delivery.orderId,
    deliveryId: delivery.id,
    status,
    attempt: job.attempts,
    // The operator's log names the address it resolved to; the merchant's log does not.
    error: refused?.message ?? problem,
  });
  // Refused before any connection: the job ends here, the delivery failed. A retry would be
  // refused the same way until the address's DNS changes, and "Send again" is for that.
  if (refused) return;
  throw new PushRefused(status, problem);
}

/**
 * "Send again" from the delivery log: the same body, signed with today's secret, as a new job
 * (the first one may be done or used up). Returns false for another shop's or an unknown delivery.
 */
export async function sendPushAgain(
  deps: Pick<PushDeps, "db" | "queue" | "now">,
  shop: string,
  deliveryId: string,
): Promise<boolean> {
  const delivery = await deps.db.pushDelivery.findFirst({ where: { id: deliveryId, shop } });
  if (!delivery) return false;
  await deps.db.pushDelivery.update({
    where: { id: delivery.id },
    data: { status: "pending", deliveredAt: null },
  });
  await deps.queue.enqueue(PUSH_QUEUE, { shop, deliveryId } satisfies PushJob, {
    key: `push:${delivery.id}:again:${deps.now().getTime()}`,
    shop,
    maxAttempts: PUSH_MAX_ATTEMPTS,
  });
  return true;
}

/** Replaces the shop's secret; the old one signs nothing from now on (ADR 016). */
export async function rotatePushSecret(db: Db, shop: string, now: Date): Promise<string> {
  const secret = newPushSecret();
  await db.shop.upsert({
    where: { shop },
    create: { shop, pushSecret: secret, pushSecretRotatedAt: now },
    update: { pushSecret: secret, pushSecretRotatedAt: now },
  });
  return secret;
}

/** Pushes a worker process sends at once, and of one shop. */
export const PUSH_SLOTS = { concurrency: 2, perShop: 1 };

/**
 * How often the sweep looks when nothing told it to, where everything that records a decision or
 * an event tells it (the queue's settled jobs, the inbox, merchants' commands, PostgreSQL's NOTIFY
 * from web processes): a safety pass for what was missed (docs/decisions/035's 5 s and 30 s).
 */
export const PUSH_SAFETY_SWEEP_MS = 30_000;
/**
 * How often a worker process of its own on SQLite sweeps: it hears nothing of what the web process
 * records (a merchant's command), so it looks as often as it always did.
 */
export const PUSH_SWEEP_POLL_MS = 2_000;
/** The least time between two sweeps: a burst of settled jobs is one sweep, not one each. */
const PUSH_SWEEP_GAP_MS = 200;

/**
 * Starts the push job's handler and the sweep: woken when a job of a shop with an address settles
 * or something to push is told (push-signal), and every `sweepEveryMs` besides (the safety pass,
 * PUSH_SAFETY_SWEEP_MS where every store is announced, else PUSH_SWEEP_POLL_MS). Returns what
 * stops the sweep.
 */
export function startPush(
  deps: PushDeps,
  options: { sweepEveryMs?: number; log?: (message: string) => void } = {},
): () => void {
  deps.queue.work(
    PUSH_QUEUE,
    async (job) => {
      await sendPush(deps, job as Job<PushJob>);
    },
    PUSH_SLOTS,
  );
  const everyMs =
    options.sweepEveryMs ??
    (deps.queue.wakesOnAnyStore ? PUSH_SAFETY_SWEEP_MS : PUSH_SWEEP_POLL_MS);
  let stopped = false;
  let sweeping = false;
  let again = false;
  let lastEnded = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextAt = Infinity;
  // The shops with an address, as the last sweep read them: news of any other shop sweeps nothing.
  let shops: Set<string> | undefined;
  const schedule = (ms: number) => {
    if (stopped) return;
    const at = Date.now() + ms;
    if (timer && at >= nextAt) return;
    clearTimeout(timer);
    nextAt = at;
    timer = setTimeout(() => void run(), ms);
  };
  const run = async () => {
    timer = undefined;
    nextAt = Infinity;
    if (stopped) return;
    sweeping = true;
    again = false;
    await sweep(deps).then(
      (swept) => void (shops = swept.shops),
      (error: unknown) => options.log?.(`push sweep: ${errorText(error)}`),
    );
    sweeping = false;
    lastEnded = Date.now();
    schedule(again ? PUSH_SWEEP_GAP_MS : everyMs);
  };
  const wake = (shop: string | null) => {
    // During a sweep the addresses it read may be newer than `shops`: look again after it.
    if (sweeping) again = true;
    else if (shop === null || !shops || shops.has(shop))
      schedule(Math.max(0, lastEnded + PUSH_SWEEP_GAP_MS - Date.now()));
  };
  // A push's own job settling records nothing new to push.
  const unsettled = deps.queue.onSettled((queue, shop) => {
    if (queue !== PUSH_QUEUE && shop) wake(shop);
  });
  const unheard = onPushable(wake);
  schedule(0);
  return () => {
    stopped = true;
    unsettled();
    unheard();
    clearTimeout(timer);
  };
}
