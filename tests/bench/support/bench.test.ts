// The benchmark's bookkeeping: targets marked missed (never asserted), medians of runs, results
// merged with each figure's own provenance, and a history line per run.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  appendHistory,
  checkTargets,
  HISTORY_FILE,
  RESULTS_FILE,
  resultFiles,
  sized,
  type BenchContext,
  type BenchSize,
  figuresTable,
  median,
  medianFigures,
  mergeResults,
  provenance,
  type FigureSpec,
} from "./bench";

const specs: FigureSpec[] = [
  {
    name: "paid_to_applied_ms",
    description: "latency",
    targets: [{ path: "p95", atMost: 1000 }],
  },
  { name: "engine_plans_per_s", description: "engine", targets: [{ atLeast: 20_000 }] },
  {
    name: "web_vitals",
    description: "per screen",
    targets: [
      { path: "*.lcp_ms", atMost: 1000 },
      { path: "*.cls", atMost: 0.02 },
    ],
  },
];

describe("targets", () => {
  it("checks every screen a wildcard selects and names the ones that miss", () => {
    const checks = checkTargets(specs, {
      paid_to_applied_ms: { p50: 400, p95: 1200 },
      engine_plans_per_s: 25_000,
      web_vitals: { home: { lcp_ms: 800, cls: 0 }, queue: { lcp_ms: 1400, cls: 0.05 } },
    });
    expect(checks.filter((c) => !c.met).map((c) => `${c.label} ${c.target}`)).toEqual([
      "paid_to_applied_ms.p95 ≤ 1000",
      "web_vitals.queue.lcp_ms ≤ 1000",
      "web_vitals.queue.cls ≤ 0.02",
    ]);
    expect(checks.filter((c) => c.met).map((c) => c.label)).toEqual([
      "engine_plans_per_s",
      "web_vitals.home.lcp_ms",
      "web_vitals.home.cls",
    ]);
  });

  it("counts a figure whose targeted number is missing or not a number as missed", () => {
    const checks = checkTargets(specs, {
      paid_to_applied_ms: { p50: 400 },
      engine_plans_per_s: Number.NaN,
    });
    expect(checks.map((c) => [c.label, c.met])).toEqual([
      ["paid_to_applied_ms.p95", false],
      ["engine_plans_per_s", false],
    ]);
  });

  it("prints a row per number with its target and MISSED where it missed", () => {
    const table = figuresTable(
      specs,
      { paid_to_applied_ms: { p50: 400, p95: 1200 }, engine_plans_per_s: 25_000 },
      { paid_to_applied_ms: { load: [3.5, 2, 1], loadAtEnd: [4.25, 2, 1] } },
    );
    const rows = table.split("\n").map((row) => row.split("|").map((cell) => cell.trim()));
    // The load column: the 1-minute load average as the module started and as it ended.
    expect(rows.find((row) => row[1] === "paid_to_applied_ms.p95")).toEqual([
      "",
      "paid_to_applied_ms.p95",
      "1200",
      "≤ 1000",
      "MISSED",
      "3.5 → 4.25",
      "",
    ]);
    expect(rows.find((row) => row[1] === "paid_to_applied_ms.p50")?.[4]).toBe("");
    expect(rows.find((row) => row[1] === "engine_plans_per_s")?.[4]).toBe("met");
  });
});

describe("sizes", () => {
  const context = (size: BenchSize, options: Record<string, string> = {}): BenchContext => ({
    options,
    log: () => undefined,
    runs: 1,
    size,
  });

  it("takes the full or quick default, and an option given on the command line over both", () => {
    expect(sized(context("full"), "orders", 20, 6)).toBe(20);
    expect(sized(context("quick"), "orders", 20, 6)).toBe(6);
    expect(sized(context("quick", { orders: "9" }), "orders", 20, 6)).toBe(9);
    expect(() => sized(context("full", { orders: "many" }), "orders", 20, 6)).toThrow(
      /--orders must be a number/,
    );
  });

  it("keeps a quick run's figures apart from latest.json and the history", () => {
    expect(resultFiles("full")).toEqual({ results: RESULTS_FILE, history: HISTORY_FILE });
    expect(resultFiles("quick").history).toBeNull();
    expect(resultFiles("quick").results).not.toBe(RESULTS_FILE);
    expect(provenance(new Date(), "quick").size).toBe("quick");
    expect(provenance(new Date()).size).toBeUndefined();
  });
});

describe("medians", () => {
  it("reports a measured value, never the best run", () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(20);
    expect(median([Number.NaN])).toBeNaN();
  });

  it("takes the median number by number across runs", () => {
    expect(
      medianFigures([
        { a: 1, b: { p50: 10, p95: 100 } },
        { a: 3, b: { p50: 30, p95: 90 } },
        { a: 2, b: { p50: 20, p95: 300 } },
      ]),
    ).toEqual({ a: 2, b: { p50: 20, p95: 100 } });
  });
});

describe("results files", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps another module's figures with the run they came from", () => {
    dir = mkdtempSync(join(tmpdir(), "bench-results-"));
    const file = join(dir, "latest.json");
    const first = { ...provenance(new Date("2026-01-01T00:00:00Z")), commit: "aaa" };
    const second = { ...provenance(new Date("2026-01-02T00:00:00Z")), commit: "bbb" };
    mergeResults({ engine_plans_per_s: 100, webhook_max_per_s: 1000 }, first, file);
    const merged = mergeResults({ engine_plans_per_s: 200 }, second, file, {
      engine_plans_per_s: { load: [1.5, 1, 1], loadAtEnd: [1.75, 1, 1] },
    });
    expect(merged.provenance.commit).toBe("bbb");
    expect(merged.figures).toEqual({ engine_plans_per_s: 200, webhook_max_per_s: 1000 });
    expect(merged.measured.engine_plans_per_s!.commit).toBe("bbb");
    expect(merged.measured.webhook_max_per_s!.commit).toBe("aaa");
    // Each figure keeps the load its own module measured under.
    expect(merged.measured.engine_plans_per_s).toMatchObject({
      load: [1.5, 1, 1],
      loadAtEnd: [1.75, 1, 1],
    });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(merged);
  });

  it("appends one JSON line per run with its provenance", () => {
    dir = mkdtempSync(join(tmpdir(), "bench-history-"));
    const file = join(dir, "history.jsonl");
    const run = provenance();
    appendHistory(
      { provenance: run, benches: ["engine"], figures: { e: 1 }, missed: [], failed: [] },
      file,
    );
    appendHistory(
      { provenance: run, benches: ["engine"], figures: { e: 2 }, missed: ["e ≥ 3"], failed: [] },
      file,
    );
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.figures.e)).toEqual([1, 2]);
    expect(lines[0].provenance).toMatchObject({ cpus: run.cpus, node: process.version });
    expect(lines[0].provenance.load).toHaveLength(3);
    expect(lines[0].provenance.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe("provenance", () => {
  let repo: string | undefined;
  afterEach(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
    repo = undefined;
  });

  it("calls a run dirty when a source differs from the commit, not when only an earlier module's results do", () => {
    repo = mkdtempSync(join(tmpdir(), "bench-provenance-"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], {
        cwd: repo,
        stdio: ["ignore", "pipe", "pipe"],
      });
    git("init", "-q");
    mkdirSync(join(repo, "tests/bench/results"), { recursive: true });
    writeFileSync(join(repo, "tests/bench/results/latest.json"), "{}");
    writeFileSync(join(repo, "app.ts"), "export {};");
    git("add", ".");
    git("commit", "-q", "-m", "start");
    expect(provenance(new Date(), "full", repo).dirty).toBe(false);
    // `npm run bench -- routing screens`: routing's figures are written before screens is measured.
    writeFileSync(join(repo, "tests/bench/results/latest.json"), '{"figures":{}}');
    expect(provenance(new Date(), "full", repo).dirty).toBe(false);
    writeFileSync(join(repo, "app.ts"), "export const changed = 1;");
    expect(provenance(new Date(), "full", repo).dirty).toBe(true);
  });
});
