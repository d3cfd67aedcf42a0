// The fault run's rules for "quiet" and "stuck": a retry due later is waited for, not taken for
// quiet and then counted stuck; a job planned for later is counted apart; a delivery given up is
// stuck like one still in the inbox.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { INBOX_MAX_ATTEMPTS, processInbox, type WorkerDeps } from "~/fulfilment/worker.server";
import { storeDeliveries } from "~/webhooks/inbox.server";
import { failedCounts, plannedForLater, stillBusy, stuckDeliveries } from "./checks";
import type { UnfinishedJob } from "./target";
import { installShop } from "../support/install";

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

  it("fails a run where every order was decided once but one ended in another shape than its reference", () => {
    const clean = {
      lost: 0,
      double_applied: 0,
      stuck: 0,
      gate_left: 0,
      changed_shape: 0,
      not_reconciled: 0,
      fuzz_non_4xx: 0,
      fuzz_stored: 0,
      tenant_leaks: 0,
    };
    expect(failedCounts(clean)).toEqual([]);
    // A lab's fulfillment order that kept a line the Studio makes: only its shape tells.
    expect(failedCounts({ ...clean, changed_shape: 2 })).toEqual(["changed_shape 2"]);
    expect(failedCounts({ ...clean, lost: 1, tenant_leaks: 1 })).toEqual([
      "lost 1",
      "tenant_leaks 1",
    ]);
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

  it("counts a delivery the app gave up as stuck, like one still in the inbox, and a processed one not", async () => {
    // The app's own give-up, not a state written by hand: a delivery whose job could never be
    // enqueued, tried until the inbox's bound, in whatever state the app leaves it.
    let clock = new Date("2026-12-01T10:00:00Z");
    const shop = "chaos-checks.myshopify.com";
    const paid = (n: number) => ({
      webhookId: `paid-${n}`,
      topic: "orders/paid",
      shop,
      payload: { id: n, admin_graphql_api_id: `gid://shopify/Order/${n}` },
    });
    const queue = createEmbeddedQueue(db, { now: () => clock });
    const failing: JobQueue = {
      ...queue,
      enqueue: () => Promise.reject(new Error("SQLITE_BUSY: database is locked")),
    };
    const deps = (q: JobQueue): WorkerDeps => ({
      db,
      queue: q,
      now: () => clock,
      gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
    });
    // The worker drops an uninstalled shop's deliveries (ADR 045): the shop has the app.
    await installShop(db, shop);
    await storeDeliveries(db, [paid(1)]);
    for (let i = 0; i < INBOX_MAX_ATTEMPTS + 2; i++) {
      await processInbox(deps(failing));
      clock = new Date(clock.getTime() + 10 * 60_000);
    }
    // One that went through, and one that arrived and was not looked at yet.
    await storeDeliveries(db, [paid(2)]);
    await processInbox(deps(queue));
    await storeDeliveries(db, [paid(3)]);

    const states = Object.fromEntries(
      (await db.webhookDelivery.findMany({ where: { shop } })).map((d) => [d.webhookId, d.status]),
    );
    expect(states["paid-1"], "given up").not.toBe("received");
    expect(states["paid-2"], "went through").not.toBe("received");
    expect((await stuckDeliveries(db)).map((d) => d.webhookId)).toEqual(["paid-1", "paid-3"]);
  });
});
