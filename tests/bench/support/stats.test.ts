// The benchmarks' own arithmetic: jobs running at once while others waited, read from when each
// job was stored, started and finished.
import { describe, expect, it } from "vitest";
import { runningAtOnce } from "./stats";

describe("runningAtOnce", () => {
  it("counts the jobs running while others wait, weighted by time, and how long each ran", () => {
    // Two slots: jobs 1 and 2 start at once and run 100 ms; 3 and 4 wait for them, then run.
    const r = runningAtOnce([
      { stored: 0, started: 0, finished: 100 },
      { stored: 0, started: 0, finished: 100 },
      { stored: 0, started: 100, finished: 200 },
      { stored: 50, started: 100, finished: 150 },
    ]);
    expect(r.backlogMs).toBe(100);
    expect(r.meanRunning).toBe(2);
    expect(r.mostRunning).toBe(2);
    expect(r.ranP50).toBe(100);
  });

  it("tells idle slots from full ones: one job at a time with a queue behind it", () => {
    const r = runningAtOnce([
      { stored: 0, started: 0, finished: 100 },
      { stored: 0, started: 100, finished: 200 },
      { stored: 0, started: 200, finished: 300 },
    ]);
    expect(r.backlogMs).toBe(200);
    expect(r.meanRunning).toBe(1);
    expect(r.mostRunning).toBe(1);
  });

  it("counts no backlog when every job started as it was stored", () => {
    const r = runningAtOnce([
      { stored: 0, started: 0, finished: 300 },
      { stored: 10, started: 10, finished: 20 },
    ]);
    expect(r.backlogMs).toBe(0);
    expect(r.meanRunning).toBe(0);
    expect(r.mostRunning).toBe(2);
  });
});
