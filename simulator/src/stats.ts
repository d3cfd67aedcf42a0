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

export class Stats {
  private byShop = new Map<string, ShopStats>();

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
  }
}
