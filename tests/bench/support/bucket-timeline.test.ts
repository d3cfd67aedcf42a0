// The bulk benchmark's arithmetic of where a bucket's time went: time at its cap, what was left in
// it at the end, time with no call on its way, per phase, from calls with known levels and times.
import { describe, expect, it } from "vitest";
import type { AdminCallTrace } from "../../../simulator/src/stats";
import { bucketTimeline } from "./bucket-timeline";

const call = (c: Partial<AdminCallTrace> & { takenAt: number }): AdminCallTrace => ({
  operation: "Read",
  arrivedAt: c.takenAt,
  answeredAt: c.takenAt,
  requested: 10,
  actual: 10,
  levelAfterTake: 0,
  levelAfterRefund: 0,
  ...c,
});

// A bucket of 100 points restoring 10 a second (a point every 100 ms).
const bucket = { maximum: 100, restoreRate: 10 };

describe("bucketTimeline", () => {
  it("counts the time the bucket sat full before the first call and after it filled again", () => {
    const t = bucketTimeline(
      [
        // Arrives at 2 s with the bucket full (at its cap since 0), empties it.
        call({ takenAt: 2000, answeredAt: 2000, requested: 100, actual: 100 }),
        // Bucket back at 100 at 12 s; this call at 15 s: 3 s more at the cap.
        call({
          takenAt: 15_000,
          answeredAt: 15_000,
          requested: 50,
          actual: 50,
          levelAfterTake: 50,
          levelAfterRefund: 50,
        }),
      ],
      {
        from: 0,
        to: 16_000,
        startLevel: 100,
        ...bucket,
        phases: [
          { name: "start", until: 2000 },
          { name: "rest", until: 16_000 },
        ],
      },
    );
    expect(t.phases.map((p) => [p.name, p.ms, p.atCapMs])).toEqual([
      ["start", 2000, 2000],
      ["rest", 14_000, 3000],
    ]);
    expect(t.atCapMs).toBe(5000);
    // 50 at 15 s, 10 restored by 16 s: 6 s of restore left unspent.
    expect(t.leftMs).toBe(6000);
    expect(t.phases[0]!.pointsSpent).toBe(0);
    expect(t.phases[1]!.pointsSpent).toBe(150);
  });

  it("gives back the refund and counts time with no call on its way and calls in flight", () => {
    const t = bucketTimeline(
      [
        // Asks 80 of a full bucket, costs 10: the refund brings it back to 90 at 1 s.
        call({
          arrivedAt: 0,
          takenAt: 0,
          answeredAt: 1000,
          requested: 80,
          actual: 10,
          levelAfterTake: 20,
          levelAfterRefund: 90,
        }),
        // Two calls overlapping from 2 s to 3 s, a THROTTLED one that ran nothing at 4 s.
        call({
          arrivedAt: 2000,
          takenAt: 2000,
          answeredAt: 3000,
          levelAfterTake: 90,
          levelAfterRefund: 90,
        }),
        call({
          arrivedAt: 2000,
          takenAt: 2000,
          answeredAt: 3000,
          levelAfterTake: 80,
          levelAfterRefund: 90,
        }),
        call({ takenAt: 4000, actual: null, requested: 500, levelAfterTake: 100 }),
      ],
      {
        from: 0,
        to: 5000,
        startLevel: 100,
        ...bucket,
        phases: [
          { name: "first", until: 2000 },
          { name: "second", until: 5000 },
        ],
      },
    );
    const [first, second] = t.phases;
    // 90 at 1 s: full at 2 s. 90 at 3 s: full at 4 s, then the cap to 5 s.
    expect(first!.atCapMs).toBe(0);
    expect(second!.atCapMs).toBe(1000);
    expect(first!.idleMs).toBe(1000);
    expect(second!.idleMs).toBe(2000);
    expect(second!.inFlightMs).toBe(2000);
    expect(t.throttled).toBe(1);
    expect(t.operations.Read).toEqual({ calls: 3, requested: 33, actual: 10 });
    expect(t.leftMs).toBe(10_000);
  });
});
