// Time for the simulator: the real clock, or a manual one so bucket refills, retries and timestamps are deterministic in tests.

export interface Clock {
  now(): number;
  /** Runs fn after ms (on this clock's time line); returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    // Pending webhook retries must not keep a finished test process alive.
    t.unref?.();
    return () => clearTimeout(t);
  },
};

/** A clock that only moves when told to; timers fire during advance(). */
export class ManualClock implements Clock {
  private t: number;
  private timers: { at: number; fn: () => void; seq: number }[] = [];
  private seq = 0;

  constructor(start: number | string = "2026-11-24T12:00:00.000Z") {
    this.t = typeof start === "number" ? start : Date.parse(start);
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = { at: this.t + Math.max(0, ms), fn, seq: this.seq++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers
        .filter((x) => x.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
}

/**
 * The simulator's own time line over a base clock (the real one, or a test's ManualClock): now is
 * the base's plus an offset that `advance` (POST /_sim/clock) moves forward, so days can pass at
 * "Shopify" in a moment — authorizations lapse, scheduled fulfillment orders come due and webhook
 * retries fall due — while the app's clock stays where it is. Timers keep their place on this
 * time line: those an advance passes fire at once, in time order; the rest wait what is left.
 */
export class AdjustableClock implements Clock {
  private offset = 0;
  private seq = 0;
  private readonly timers = new Set<{
    at: number;
    seq: number;
    fn: () => void;
    cancel: () => void;
  }>();

  constructor(private readonly base: Clock = realClock) {}

  now(): number {
    return this.base.now() + this.offset;
  }

  /** How far this time line runs ahead of its base clock, in ms. */
  get offsetMs(): number {
    return this.offset;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const delay = Math.max(0, ms);
    const timer = { at: this.now() + delay, seq: this.seq++, fn, cancel: () => {} };
    this.arm(timer, delay);
    this.timers.add(timer);
    return () => {
      timer.cancel();
      this.timers.delete(timer);
    };
  }

  /** Moves now forward by ms (never back: Shopify's time doesn't run backwards). */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("time only moves forward");
    this.offset += ms;
    const now = this.now();
    const due = [...this.timers]
      .filter((t) => t.at <= now)
      .sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const timer of this.timers) {
      timer.cancel();
      if (timer.at > now) this.arm(timer, timer.at - now);
    }
    for (const timer of due) {
      this.timers.delete(timer);
      timer.fn();
    }
    return due.length;
  }

  /** Back onto the base clock (a reset shop starts a new time line); pending timers keep what they had left to wait. */
  reset(): void {
    for (const timer of this.timers) timer.at -= this.offset;
    this.offset = 0;
  }

  private arm(timer: { fn: () => void; cancel: () => void }, delay: number): void {
    timer.cancel = this.base.setTimeout(() => {
      this.timers.delete(timer as never);
      timer.fn();
    }, delay);
  }
}

/** Seeded pseudo-random numbers (mulberry32), so fault injection can be replayed. */
export function seededRandom(seed = 1): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
