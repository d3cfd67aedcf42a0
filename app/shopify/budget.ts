// Shopify's leaky bucket as the app last saw it, per shop: how long to wait before a call of a
// given cost fits, so the gateway paces itself instead of running into THROTTLED.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface Seen extends ThrottleStatus {
  at: number;
}

// Before the first answer for a shop nothing is known; Shopify's smallest published bucket is
// Standard's, so assume that rather than nothing.
const STANDARD: ThrottleStatus = {
  maximumAvailable: 2000,
  currentlyAvailable: 2000,
  restoreRate: 100,
};

/**
 * Where a shop's bucket is kept between calls: in this process (ShopBudgets, one process on
 * SQLite) or in the database for every process (shared-budget.server.ts, PostgreSQL). The gateway
 * takes a call's expected cost before sending it and waits what `take` answers; after the answer
 * it settles what the call really cost and what Shopify says the bucket holds.
 */
export interface BudgetLedger {
  /**
   * Reserves `cost` points if the bucket holds them now and answers 0; otherwise reserves nothing
   * and answers how many ms to wait before asking again.
   */
  take(shop: string, cost: number, now: number): number | Promise<number>;
  /**
   * Gives back what was reserved beyond the actual cost (all of it when nothing ran), adopts the
   * bucket's size and rate from Shopify's answer, and never believes in more points than Shopify
   * says are there.
   */
  settle(
    shop: string,
    answer: { reserved: number; actual: number; status: ThrottleStatus | null },
    now: number,
  ): void | Promise<void>;
  /**
   * Records what an operation of this shape (costShape of its variables) asked for, the best guess
   * of what it will ask next time.
   */
  observeCost(operation: string, requestedQueryCost: number, shape?: string): void;
  /** What an operation of this shape asked last; one of a shape not seen yet, what it asked last. */
  expectedCost(operation: string, shape?: string): number;
  /** The bucket as of `now`, for Home; `known` is false while nothing was spent from it. */
  snapshot(shop: string, now: number): BucketSnapshot | Promise<BucketSnapshot>;
}

export type BucketSnapshot = ThrottleStatus & { known: boolean };

/**
 * The part of a call's variables its requested cost follows: the numbers and booleans (connection
 * sizes, @include switches), in name order. The ids it names change nothing, so a one-line order's
 * read is expected to ask what the last one-line order's read asked, not what a three-line one's did.
 */
export function costShape(variables?: Record<string, unknown>): string {
  if (!variables) return "";
  return Object.keys(variables)
    .filter((name) => ["number", "boolean"].includes(typeof variables[name]))
    .sort()
    .map((name) => `${name}=${String(variables[name])}`)
    .join(",");
}

/**
 * What each operation asked of the bucket last, by operation and by shape: the gateway reserves
 * that before a call, and a reservation larger than the call asks for keeps the bucket's points
 * from calls that would fit (a small order's read waiting for the room a large one needed).
 */
export class RequestedCosts {
  private readonly byOperation = new Map<string, number>();
  private readonly byShape = new Map<string, number>();

  observe(operation: string, requestedQueryCost: number, shape = ""): void {
    this.byOperation.set(operation, requestedQueryCost);
    this.byShape.set(`${operation}(${shape})`, requestedQueryCost);
  }

  expected(operation: string, shape = ""): number {
    return this.byShape.get(`${operation}(${shape})`) ?? this.byOperation.get(operation) ?? 10;
  }
}

export class ShopBudgets implements BudgetLedger {
  private readonly seen = new Map<string, Seen>();
  private readonly costs = new RequestedCosts();

  /** Records the bucket from an answer's `extensions.cost.throttleStatus`. */
  observe(shop: string, status: ThrottleStatus, now: number): void {
    this.seen.set(shop, { ...status, at: now });
  }

  observeCost(operation: string, requestedQueryCost: number, shape?: string): void {
    this.costs.observe(operation, requestedQueryCost, shape);
  }

  expectedCost(operation: string, shape?: string): number {
    return this.costs.expected(operation, shape);
  }

  available(shop: string, now: number): number {
    const s = this.seen.get(shop) ?? { ...STANDARD, at: now };
    const restored = s.currentlyAvailable + (s.restoreRate * Math.max(0, now - s.at)) / 1000;
    return Math.min(s.maximumAvailable, restored);
  }

  /** Milliseconds until `cost` points fit in the shop's bucket (0 when they fit now). */
  waitFor(shop: string, cost: number, now: number): number {
    const s = this.seen.get(shop) ?? STANDARD;
    const missing = Math.min(cost, s.maximumAvailable) - this.available(shop, now);
    return missing <= 0 ? 0 : Math.ceil((missing / s.restoreRate) * 1000);
  }

  /** Spends the expected cost now, so concurrent calls for one shop don't all see the same room. */
  reserve(shop: string, cost: number, now: number): void {
    const s = this.seen.get(shop) ?? STANDARD;
    this.seen.set(shop, {
      ...s,
      currentlyAvailable: this.available(shop, now) - cost,
      at: now,
    });
  }

  take(shop: string, cost: number, now: number): number {
    // Reserved at once when it fits, so a concurrent call of the same shop sees it.
    const wait = this.waitFor(shop, cost, now);
    if (wait === 0) this.reserve(shop, cost, now);
    return wait;
  }

  settle(
    shop: string,
    answer: { reserved: number; actual: number; status: ThrottleStatus | null },
    now: number,
  ): void {
    const s = this.seen.get(shop) ?? STANDARD;
    const maximum = answer.status?.maximumAvailable ?? s.maximumAvailable;
    const refunded = this.available(shop, now) + Math.max(0, answer.reserved - answer.actual);
    this.seen.set(shop, {
      maximumAvailable: maximum,
      restoreRate: answer.status?.restoreRate ?? s.restoreRate,
      currentlyAvailable: Math.min(
        maximum,
        refunded,
        answer.status?.currentlyAvailable ?? Number.POSITIVE_INFINITY,
      ),
      at: now,
    });
  }

  snapshot(shop: string, now: number): BucketSnapshot {
    const s = this.seen.get(shop);
    return {
      ...(s ?? STANDARD),
      currentlyAvailable: Math.floor(this.available(shop, now)),
      known: Boolean(s),
    };
  }
}
