// The benchmark's PostgreSQL lines: which process is which, and per-order arithmetic.
import { describe, expect, it } from "vitest";
import { cpuByKindLine, processKind, statementTimeLine } from "./postgres-activity";

describe("PostgreSQL's activity lines", () => {
  it("tells a client's backend from the background processes by their titles", () => {
    expect(processKind("postgres: postgres app_test 127.0.0.1(5432) idle")).toBe("backends");
    expect(processKind("postgres: autovacuum worker app_test")).toBe("autovacuum workers");
    expect(processKind("postgres: checkpointer ")).toBe("checkpointer");
    expect(processKind("postgres: walwriter ")).toBe("walwriter");
  });

  it("gives CPU and statement time per order between two readings", () => {
    expect(cpuByKindLine({ backends: 1, ended: 0 }, { backends: 1.5, ended: 0.25 }, 100)).toBe(
      "backends 5.00 ms, ended 2.50 ms",
    );
    expect(
      statementTimeLine(
        [
          { ms: 100, planMs: 10 },
          { ms: 50, planMs: 0 },
        ],
        100,
      ),
    ).toBe("executing 1.50 ms, planning 0.10 ms");
  });
});
