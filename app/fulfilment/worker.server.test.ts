// The worker's per-order guard: jobs about one order wait for each other in a process, jobs about
// different orders run side by side, and each job runs under the queue's lock on its order (across
// processes: tests/integration/one-order-across-workers.test.ts).
import { describe, expect, it } from "vitest";
import type { Job } from "../jobs/queue";
import { oneOrderAtATime, type WorkerDeps } from "./worker.server";

const deps = {} as WorkerDeps;
/** The queue's cross-process lock as one process sees it: which keys it was asked for. */
const locks: string[] = [];
const queue = {
  exclusive: <T>(key: string, fn: () => Promise<T>) => {
    locks.push(key);
    return fn();
  },
};
const job = (payload: unknown): Job => ({
  id: "j",
  queue: "route-order",
  shop: "s.myshopify.com",
  payload,
  attempts: 1,
});

describe("oneOrderAtATime", () => {
  it("runs one order's jobs one after another and other orders' jobs at once", async () => {
    const guard = oneOrderAtATime(queue);
    const log: string[] = [];
    const handler = guard(async (_deps, j) => {
      const { orderId, n } = j.payload as { orderId: string; n: number };
      log.push(`start ${orderId}#${n}`);
      await new Promise((r) => setTimeout(r, 30));
      log.push(`end ${orderId}#${n}`);
    });
    const shop = "s.myshopify.com";
    await Promise.all([
      handler(deps, job({ shop, orderId: "A", n: 1 })),
      handler(deps, job({ shop, orderId: "A", n: 2 })),
      handler(deps, job({ shop, orderId: "B", n: 1 })),
    ]);
    // B started beside A's first job; A's second started only after A's first ended.
    expect(log.indexOf("start B#1")).toBeLessThan(log.indexOf("end A#1"));
    expect(log.indexOf("start A#2")).toBeGreaterThan(log.indexOf("end A#1"));
    // Every job ran under its order's lock.
    expect(locks.slice(-3).sort()).toEqual([
      "order:s.myshopify.com|A",
      "order:s.myshopify.com|A",
      "order:s.myshopify.com|B",
    ]);
  });

  it("lets the next job of an order run after one that failed, and passes the failure on", async () => {
    const guard = oneOrderAtATime(queue);
    const ran: number[] = [];
    const handler = guard(async (_deps, j) => {
      const { n } = j.payload as { n: number };
      ran.push(n);
      if (n === 1) throw new Error("Shopify answered 503");
    });
    const first = handler(deps, job({ shop: "s", orderId: "A", n: 1 }));
    const second = handler(deps, job({ shop: "s", orderId: "A", n: 2 }));
    await expect(first).rejects.toThrow("503");
    await second;
    expect(ran).toEqual([1, 2]);
  });
});
