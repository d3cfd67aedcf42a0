// Per-shop counters the control API reports: Admin API calls and points, throttled answers, injected faults, webhook outcomes.

export interface ShopStats {
  calls: number;
  pointsRequested: number;
  pointsSpent: number;
  /** The highest requestedQueryCost of one query that ran: what a shop's bucket must hold for it. */
  maxRequestedQueryCost: number;
  /** Calls that ran and the points they cost, by operation name ("(anonymous)" without one). */
  operations: Record<string, { calls: number; pointsSpent: number }>;
  throttled: number;
  maxCostExceeded: number;
  faults: number;
  webhooks: {
    sent: number;
    acknowledged: number;
    failed: number;
    dropped: number;
    retries: number;
  };
}

/**
 * One Admin API call as the shop's bucket saw it, kept while a trace is on (`Stats.traceCalls`,
 * for benchmarks that ask where a bucket's time went). Times are the simulator's clock in ms.
 */
export interface AdminCallTrace {
  operation: string;
  /** The request arrived; its cost was taken (or refused); it was answered. */
  arrivedAt: number;
  takenAt: number;
  answeredAt: number;
  requested: number;
  /** What it cost; null when it was THROTTLED (nothing ran). */
  actual: number | null;
  /** The bucket's level right after the cost was taken (or refused), and after the refund. */
  levelAfterTake: number;
  levelAfterRefund: number;
}

export class Stats {
  private byShop = new Map<string, ShopStats>();
  private traces: Map<string, AdminCallTrace[]> | null = null;

  /** Starts keeping every Admin API call of every shop (off by default: it grows with each call). */
  traceCalls(): void {
    this.traces ??= new Map();
  }

  /** Whether calls are being traced. */
  get tracing(): boolean {
    return this.traces !== null;
  }

  recordCall(shop: string, call: AdminCallTrace): void {
    if (!this.traces) return;
    let calls = this.traces.get(shop);
    if (!calls) this.traces.set(shop, (calls = []));
    calls.push(call);
  }

  /** The shop's traced calls in the order they were answered. */
  calls(shop: string): AdminCallTrace[] {
    return this.traces?.get(shop) ?? [];
  }

  for(shop: string): ShopStats {
    let s = this.byShop.get(shop);
    if (!s) {
      s = {
        calls: 0,
        pointsRequested: 0,
        pointsSpent: 0,
        maxRequestedQueryCost: 0,
        operations: {},
        throttled: 0,
        maxCostExceeded: 0,
        faults: 0,
        webhooks: { sent: 0, acknowledged: 0, failed: 0, dropped: 0, retries: 0 },
      };
      this.byShop.set(shop, s);
    }
    return s;
  }

  all(): Record<string, ShopStats> {
    return Object.fromEntries(this.byShop);
  }

  reset(): void {
    this.byShop.clear();
    this.traces?.clear();
  }
}
