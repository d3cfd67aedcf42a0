// Faults on demand: 5xx and 429 answers, timeouts (before or after a mutation ran), added latency and forced throttling on the Admin API, and dropped/duplicated/reordered/delayed webhooks.

export interface FaultConfig {
  /** Share of Admin API calls answered with a 5xx (0..1). */
  errorRate: number;
  /** Share of Admin API calls that hang until `timeoutMs` and then fail (0..1). */
  timeoutRate: number;
  /** How long a timed-out call hangs before the simulator gives up on it (ms). */
  timeoutMs: number;
  /** Added to every Admin API answer (ms). */
  latencyMs: number;
  /** true: every call is THROTTLED; a number: the next N calls are. */
  throttle: boolean | number;
  /** Share of Admin API calls answered THROTTLED, whatever the bucket holds (0..1). */
  throttleRate: number;
  /**
   * The next N Admin API calls are answered HTTP 429 Too Many Requests with a Retry-After header,
   * before anything runs: Shopify's answer to a client over its request rate.
   */
  rateLimited: number;
  /**
   * The next N asynchronous jobs (orderCancel's) fail with no errors: status FAILED and an empty
   * `errors` list, which Shopify's job result allows. Nothing changes on the shop.
   */
  silentJobFailures: number;
  /**
   * The next N asynchronous jobs (orderCancel's) stay queued instead of running a moment later:
   * they run when their Job is read or on `POST /_sim/jobs/run`. Shopify's jobs take their time
   * under load, and an app whose answer was lost holds no job id to read.
   */
  heldJobs: number;
  /**
   * Share of mutations that run on the shop and whose answer is then lost: the call hangs until
   * `timeoutMs` and fails with a 504, although the change was made (0..1). What a client sees
   * when a connection drops after Shopify committed, and why a mutation is not simply retried.
   */
  appliedThenTimeoutRate: number;
  /**
   * The same, aimed: the next N calls of each named mutation (operation name, e.g.
   * `{DraftOrderCreate: 1}`) run and lose their answer, whatever the rate says. For a test of one
   * lost answer at one place, counted down as it strikes.
   */
  appliedThenTimeoutOf: Record<string, number>;
  /**
   * Fields Shopify says are deprecated (`Type.field` to the reason): an Admin API call that selects
   * one is answered as usual with the reason in `X-Shopify-API-Deprecated-Reason`, as Shopify does.
   */
  deprecatedFields: Record<string, string>;
  /** Share of webhook deliveries silently never sent (0..1). */
  dropWebhooksRate: number;
  /** Share of webhook deliveries sent twice (same X-Shopify-Webhook-Id) (0..1). */
  duplicateWebhooksRate: number;
  /** Delay before every webhook's first attempt (ms). */
  webhookDelayMs: number;
  /** Hold webhooks of one burst for this long and send them newest first (0 = in order). */
  reorderWebhooksWindowMs: number;
}

export const NO_FAULTS: FaultConfig = {
  errorRate: 0,
  timeoutRate: 0,
  timeoutMs: 30_000,
  latencyMs: 0,
  throttle: false,
  throttleRate: 0,
  rateLimited: 0,
  silentJobFailures: 0,
  heldJobs: 0,
  appliedThenTimeoutRate: 0,
  appliedThenTimeoutOf: {},
  deprecatedFields: {},
  dropWebhooksRate: 0,
  duplicateWebhooksRate: 0,
  webhookDelayMs: 0,
  reorderWebhooksWindowMs: 0,
};

const RATE_KEYS = [
  "errorRate",
  "timeoutRate",
  "throttleRate",
  "appliedThenTimeoutRate",
  "dropWebhooksRate",
  "duplicateWebhooksRate",
] as const;
const MS_KEYS = ["timeoutMs", "latencyMs", "webhookDelayMs", "reorderWebhooksWindowMs"] as const;

export class Faults {
  config: FaultConfig = { ...NO_FAULTS, appliedThenTimeoutOf: {} };

  constructor(private readonly random: () => number) {}

  /** Applies a partial update; answers problems (one per bad key) instead of half-applying. */
  set(input: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const next = { ...this.config };
    for (const [k, v] of Object.entries(input)) {
      if ((RATE_KEYS as readonly string[]).includes(k)) {
        if (typeof v !== "number" || v < 0 || v > 1)
          problems.push(`${k} must be a number from 0 to 1`);
        else (next as Record<string, unknown>)[k] = v;
      } else if ((MS_KEYS as readonly string[]).includes(k)) {
        if (typeof v !== "number" || v < 0)
          problems.push(`${k} must be a number of milliseconds >= 0`);
        else (next as Record<string, unknown>)[k] = v;
      } else if (k === "appliedThenTimeoutOf") {
        const counts = v && typeof v === "object" && !Array.isArray(v) ? Object.entries(v) : null;
        if (!counts || counts.some(([, n]) => !Number.isInteger(n) || (n as number) < 0))
          problems.push(`${k} must map operation names to a number of calls`);
        else next.appliedThenTimeoutOf = Object.fromEntries(counts) as Record<string, number>;
      } else if (k === "deprecatedFields") {
        const reasons = v && typeof v === "object" && !Array.isArray(v) ? Object.entries(v) : null;
        if (!reasons || reasons.some(([f, r]) => !/^\w+\.\w+$/.test(f) || typeof r !== "string"))
          problems.push(`${k} must map Type.field to a reason`);
        else next.deprecatedFields = Object.fromEntries(reasons) as Record<string, string>;
      } else if (k === "rateLimited" || k === "silentJobFailures" || k === "heldJobs") {
        if (!(typeof v === "number" && Number.isInteger(v) && v >= 0))
          problems.push(`${k} must be a number of ${k === "rateLimited" ? "calls" : "jobs"}`);
        else next[k] = v;
      } else if (k === "throttle") {
        if (typeof v !== "boolean" && !(typeof v === "number" && Number.isInteger(v) && v >= 0))
          problems.push("throttle must be true/false or a number of calls");
        else next.throttle = v as boolean | number;
      } else {
        problems.push(`unknown fault ${k}`);
      }
    }
    if (problems.length === 0) this.config = next;
    return problems;
  }

  reset(): void {
    this.config = { ...NO_FAULTS, appliedThenTimeoutOf: {}, deprecatedFields: {} };
  }

  /** Whether this mutation's answer is lost (the change made all the same). */
  loseAnswer(operationName: string | undefined): boolean {
    const left = operationName ? (this.config.appliedThenTimeoutOf[operationName] ?? 0) : 0;
    if (left > 0) {
      this.config.appliedThenTimeoutOf = {
        ...this.config.appliedThenTimeoutOf,
        [operationName!]: left - 1,
      };
      return true;
    }
    return this.roll(this.config.appliedThenTimeoutRate);
  }

  roll(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  /** Whether this Admin API call is forced to THROTTLED (counts down a numeric setting). */
  forcedThrottle(): boolean {
    if (this.roll(this.config.throttleRate)) return true;
    const t = this.config.throttle;
    if (t === true) return true;
    if (typeof t === "number" && t > 0) {
      this.config.throttle = t - 1;
      return true;
    }
    return false;
  }

  /** Whether this Admin API call is answered 429 (counts the setting down). */
  forcedRateLimit(): boolean {
    if (this.config.rateLimited <= 0) return false;
    this.config.rateLimited -= 1;
    return true;
  }

  /** Whether this job fails without errors (counts the setting down). */
  silentJobFailure(): boolean {
    if (this.config.silentJobFailures <= 0) return false;
    this.config.silentJobFailures -= 1;
    return true;
  }

  /** Whether this job stays queued until read or run by the control API (counts the setting down). */
  holdJob(): boolean {
    if (this.config.heldJobs <= 0) return false;
    this.config.heldJobs -= 1;
    return true;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });
}
