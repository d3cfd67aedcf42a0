// The fault run's rules for "quiet" and "stuck": a retry due later is waited for, not taken for
// quiet and then counted stuck; a job planned for later is counted apart; a delivery given up is
// stuck like one still in the inbox.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { INBOX_MAX_ATTEMPTS, processInbox, type WorkerDeps } from "~/fulfilment/worker.server";
import { storeDeliveries } from "~/webhooks/inbox.server";
import {
  failedCounts,
  killDue,
  killThresholds,
  KILL_MIN_GAP_MS,
  LAST_KILL_AFTER_LAST_ORDER_MS,
  plannedForLater,
  stillBusy,
  stuckDeliveries,
  type KillerView,
} from "./checks";
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

  it("plans each kill inside a part of the orders, the last with a part still to decide", () => {
    const thresholds = killThresholds(500, 50, () => 0.999);
    expect(thresholds).toHaveLength(50);
    const part = 500 / 51;
    thresholds.forEach((t, k) => {
      expect(t).toBeGreaterThanOrEqual(k * part);
      expect(t).toBeLessThan((k + 1) * part);
    });
    expect(500 - thresholds[49]!).toBeGreaterThan(part - 0.1);
  });

  it("kills once the decided orders reach the next threshold, never outside work or too soon after the last", () => {
    const view = (over: Partial<KillerView>): KillerView => ({
      kills: 3,
      thresholds: [10, 20, 30, 40, 50],
      decided: 40,
      placing: false,
      workLeft: true,
      msSinceLastKill: KILL_MIN_GAP_MS,
      msSinceLastOrder: 60_000,
      clockGapMs: 3000,
      ...over,
    });
    expect(killDue(view({}))).toBe(true);
    expect(killDue(view({ decided: 39 }))).toBe(false);
    // The decisions standing still (orders waiting for reconciliation): a kill after a while anyway.
    expect(killDue(view({ decided: 39, msSinceLastKill: 2999 }))).toBe(false);
    expect(killDue(view({ decided: 39, msSinceLastKill: 3000 }))).toBe(true);
    expect(killDue(view({ msSinceLastKill: KILL_MIN_GAP_MS - 1 }))).toBe(false);
    expect(killDue(view({ workLeft: false, msSinceLastKill: 60_000 }))).toBe(false);
    expect(killDue(view({ kills: 5, decided: 99 }))).toBe(false);
    // While orders come in there is work, whatever the database says yet.
    expect(killDue(view({ kills: 0, decided: 10, placing: true, workLeft: false }))).toBe(true);
    // The last kill's restart reconciles every order placed: only once they are all overdue.
    const last = { kills: 4, decided: 50 };
    expect(killDue(view({ ...last, placing: true }))).toBe(false);
    expect(killDue(view({ ...last, msSinceLastOrder: LAST_KILL_AFTER_LAST_ORDER_MS - 1 }))).toBe(
      false,
    );
    expect(killDue(view({ ...last, msSinceLastOrder: LAST_KILL_AFTER_LAST_ORDER_MS }))).toBe(true);
  });

  it("lands all 50 kills inside the work of workers that decide the orders soon after they come in", () => {
    // The shape of the PostgreSQL run that made only 33 of its 50 clock-paced kills: 500 orders
    // placed over 42 s, each decided about a second after it came, nothing left 8 s after the
    // last. A kill costs the workers nothing here, which real kills do.
    const thresholds = killThresholds(500, 50, () => 0.5);
    let kills = 0;
    let lastKill = 0;
    const killedWith: number[] = [];
    for (let ms = 0; ms <= 120_000; ms += 250) {
      const placed = Math.min(500, Math.floor((12 * ms) / 1000));
      const decided = Math.min(
        Math.max(0, Math.floor((12 * (ms - 1000)) / 1000)),
        (10 * ms) / 1000,
      );
      const lastOrderAt = Math.ceil((placed * 1000) / 12);
      const due = killDue({
        kills,
        thresholds,
        decided: Math.floor(decided),
        placing: placed < 500,
        workLeft: decided < 500,
        msSinceLastKill: ms - lastKill,
        msSinceLastOrder: ms - lastOrderAt,
        clockGapMs: 3000,
      });
      if (!due) continue;
      kills++;
      lastKill = ms;
      killedWith.push(500 - Math.floor(decided));
    }
    expect(kills).toBe(50);
    expect(Math.min(...killedWith)).toBeGreaterThan(0);
  });
});
