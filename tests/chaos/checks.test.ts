// The fault run's rules for "quiet" and "stuck": a retry due later is waited for, not taken for
// quiet and then counted stuck; a job planned for later is counted apart; a delivery given up is
// stuck like one still in the inbox.
import { describe, expect, it } from "vitest";
import { plannedForLater, stillBusy, STUCK_DELIVERY_STATES } from "./checks";
import type { UnfinishedJob } from "./target";

const now = Date.parse("2026-12-05T06:00:00Z");
const job = (over: Partial<UnfinishedJob>): UnfinishedJob => ({
  kind: "route-order",
  shop: "chaos-1.myshopify.com",
  order: "gid://shopify/Order/1",
  status: "queued",
  due: new Date(now).toISOString(),
  attempts: 0,
  lastError: null,
  ...over,
});

describe("the fault run's checks", () => {
  it("waits for a retry due minutes from now instead of calling the app quiet", () => {
    // The old rule looked only at jobs due within a minute: a job waiting out a 5-minute
    // backoff passed for quiet, and the checks then counted it stuck.
    expect(stillBusy({ received: 0, dueSoon: 0, retrying: 1 })).toBe(true);
    expect(stillBusy({ received: 0, dueSoon: 0, retrying: 0 })).toBe(false);
    expect(stillBusy({ received: 1, dueSoon: 0, retrying: 0 })).toBe(true);
  });

  it("counts a job planned for later apart, and anything that ran or is due as unfinished", () => {
    const inAnHour = new Date(now + 3600_000).toISOString();
    // An order waiting at the gate: a timer that never ran.
    expect(plannedForLater(job({ due: inAnHour }), now)).toBe(true);
    expect(plannedForLater(job({ status: "created", due: inAnHour }), now)).toBe(true);
    // A retry due later failed at least once: unfinished work, not a plan.
    expect(plannedForLater(job({ due: inAnHour, attempts: 3 }), now)).toBe(false);
    expect(plannedForLater(job({ status: "retry", due: inAnHour, attempts: 1 }), now)).toBe(false);
    // Due now, running or given up.
    expect(plannedForLater(job({}), now)).toBe(false);
    expect(plannedForLater(job({ status: "running", attempts: 1 }), now)).toBe(false);
    expect(plannedForLater(job({ status: "failed", attempts: 12, due: inAnHour }), now)).toBe(
      false,
    );
  });

  it("counts a delivery given up as stuck, like one still in the inbox", () => {
    expect(STUCK_DELIVERY_STATES).toEqual(["received", "failed"]);
  });
});
