// What a benchmark module is and how its figures are kept: each module declares its figures and
// their targets; a run records its provenance, merges its figures into results/latest.json, appends
// one line to results/history.jsonl and prints a table that marks every missed target.
import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { cpus, hostname, loadavg } from "node:os";
import { dirname } from "node:path";

/** A figure: a number, or named numbers such as { p50, p95 }, nested as deep as it needs. */
export type Figure = number | { [name: string]: Figure };
export type Figures = Record<string, Figure>;

/**
 * A target a figure should meet. `path` picks a number inside the figure ("p95", "home.lcp_ms");
 * `*` stands for every key at that level ("*.lcp_ms": every screen's LCP). Omitted: the figure itself.
 */
export interface Target {
  path?: string;
  atMost?: number;
  atLeast?: number;
}

/** One figure a module writes, under this name in the results. */
export interface FigureSpec {
  name: string;
  /** What it measures and how, in one line; printed nowhere but read by whoever adds a target. */
  description: string;
  unit?: string;
  targets?: Target[];
}

export interface BenchContext {
  /** Options from the command line (`--name=value`, `--flag` is "true"), for every module. */
  options: Record<string, string>;
  /** Progress for the operator; not part of the figures. */
  log: (line: string) => void;
  /** How many times a module repeats what it measures (`--runs=N`, default 3); it reports medians. */
  runs: number;
  /**
   * "quick" (`BENCH_SIZE=quick` or `--quick`): every module measures a smaller case, for iterating
   * on a change. Its figures are printed, never kept: they do not compare with a full run's.
   */
  size: BenchSize;
  /**
   * Says this run measured another case than the one its figures are defined at (a smaller
   * `--orders=`, say): its figures are printed and written to results/quick.json, as a quick run's,
   * never to latest.json or the history.
   */
  notKept?: (why: string) => void;
}

export type BenchSize = "full" | "quick";

/** A module's default for this run's size; an option given on the command line wins over both. */
export function sized(context: BenchContext, option: string, full: number, quick: number): number {
  const given = context.options[option];
  if (given !== undefined) {
    const value = Number(given);
    if (!Number.isFinite(value)) throw new Error(`--${option} must be a number, not "${given}"`);
    return value;
  }
  return context.size === "quick" ? quick : full;
}

/**
 * --routingSlots (each worker's WORKER_ROUTING_SLOTS), or `fallback` when not given: checked here,
 * since a worker refuses a bad value at its start and the fleet would wait minutes for decisions.
 */
export function routingSlotsOption(context: BenchContext, fallback?: number): number | undefined {
  if (context.options.routingSlots === undefined) return fallback;
  const slots = sized(context, "routingSlots", 16, 16);
  if (!(Number.isInteger(slots) && slots >= 1))
    throw new Error(`--routingSlots must be a whole number of at least 1, not ${slots}`);
  return slots;
}

/** One benchmark module: `tests/bench/<name>.bench.ts` exports `bench` (see tests/bench/README.md). */
export interface Bench {
  name: string;
  /** The figures it writes and their targets. A key it returns that is not declared here is an error. */
  figures: FigureSpec[];
  run(context: BenchContext): Promise<Figures>;
}

/** Declares a module; only a typed identity, so a module reads `export const bench = defineBench({…})`. */
export const defineBench = (bench: Bench): Bench => bench;

export const RESULTS_FILE = "tests/bench/results/latest.json";
export const HISTORY_FILE = "tests/bench/results/history.jsonl";

export interface Provenance {
  commit: string;
  /** Uncommitted changes in the tree when the run started. */
  dirty: boolean;
  date: string;
  node: string;
  cpus: number;
  /** The 1, 5 and 15 minute load averages when the run started: above the CPU count, it was busy. */
  load: number[];
  /** The 1, 5 and 15 minute load averages when the run ended (the machine may have got busier). */
  loadAtEnd?: number[];
  host: string;
  /** "quick" runs measure smaller cases (see BenchContext.size); absent means full. */
  size?: BenchSize;
}

export const loadNow = () => loadavg().map((value) => Math.round(value * 100) / 100);

/** Where the run stands: its commit, whether its sources differ from it, the machine and its load. */
export function provenance(
  now = new Date(),
  size: BenchSize = "full",
  /** The repository's root (the working directory, as `npm run bench` has it, unless given). */
  root?: string,
): Provenance {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
    } catch {
      return "";
    }
  };
  return {
    commit: git("rev-parse", "HEAD").trim() || "unknown",
    // The results a run before this one wrote (`npm run bench -- a b` writes after each) are not
    // a change to what is measured.
    dirty:
      git(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        ".",
        ":(exclude)tests/bench/results",
      ).trim() !== "",
    date: now.toISOString(),
    node: process.version,
    cpus: cpus().length,
    load: loadNow(),
    host: hostname(),
    ...(size === "quick" ? { size } : {}),
  };
}

/** Where a run's results go: a quick run's stay apart, so latest.json and history hold full runs. */
export function resultFiles(size: BenchSize): { results: string; history: string | null } {
  return size === "quick"
    ? { results: "tests/bench/results/quick.json", history: null }
    : { results: RESULTS_FILE, history: HISTORY_FILE };
}

export interface ResultsFile {
  /** The provenance of the latest run. */
  provenance: Provenance;
  figures: Figures;
  /** For every figure, the run it came from: a run of some modules keeps the others' figures. */
  measured: Record<string, { commit: string; date: string; load: number[]; loadAtEnd?: number[] }>;
}

/** Read-modify-write: figures of modules that did not run stay, with the run they came from. */
export function mergeResults(
  figures: Figures,
  run: Provenance,
  file = RESULTS_FILE,
  /** The load averages while each figure was measured (its module's start and end), when known. */
  loads: Record<string, ModuleLoad> = {},
): ResultsFile {
  let current: Partial<ResultsFile> = {};
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<ResultsFile>;
    // A file from before provenance was kept has its figures at the top level: start afresh.
    if (parsed.figures && parsed.measured) current = parsed;
  }
  const merged: ResultsFile = {
    provenance: run,
    figures: { ...current.figures, ...figures },
    measured: { ...current.measured },
  };
  for (const name of Object.keys(figures))
    merged.measured[name] = {
      commit: run.commit,
      date: run.date,
      load: loads[name]?.load ?? run.load,
      ...((loads[name]?.loadAtEnd ?? run.loadAtEnd)
        ? { loadAtEnd: loads[name]?.loadAtEnd ?? run.loadAtEnd }
        : {}),
    };
  mkdirSync(dirname(file), { recursive: true });
  // Written beside and renamed over: a reader never sees half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(merged, null, 2)}\n`);
  renameSync(partial, file);
  return merged;
}

/** The load averages when a module started and ended. */
export interface ModuleLoad {
  load: number[];
  loadAtEnd: number[];
}

export interface HistoryLine {
  provenance: Provenance;
  benches: string[];
  figures: Figures;
  /** Each target missed, as the table prints it ("paid_to_applied_ms.p95 ≤ 1000"). */
  missed: string[];
  /** Modules that failed in this run (their figures are absent). */
  failed: string[];
  /** Each module's load averages at its start and end. */
  loads?: Record<string, ModuleLoad>;
}

export function appendHistory(line: HistoryLine, file = HISTORY_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/** Every number a path selects in a figure, with the concrete path it was found at. */
export function select(figure: Figure | undefined, path: string | undefined): [string, number][] {
  if (figure === undefined) return [];
  if (!path) return typeof figure === "number" ? [["", figure]] : [];
  const [head, ...rest] = path.split(".");
  if (typeof figure === "number") return [];
  const keys = head === "*" ? Object.keys(figure) : [head!];
  return keys.flatMap((key) =>
    select(figure[key], rest.join(".") || undefined).map(
      ([sub, value]) => [sub ? `${key}.${sub}` : key, value] as [string, number],
    ),
  );
}

export interface TargetCheck {
  /** "figure.path" */
  label: string;
  value: number;
  /** "≤ 1000" */
  target: string;
  met: boolean;
}

export function checkTargets(specs: FigureSpec[], figures: Figures): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const spec of specs) {
    for (const target of spec.targets ?? []) {
      const found = select(figures[spec.name], target.path);
      const bound = [
        target.atMost !== undefined ? `≤ ${target.atMost}` : "",
        target.atLeast !== undefined ? `≥ ${target.atLeast}` : "",
      ]
        .filter(Boolean)
        .join(", ");
      if (figures[spec.name] !== undefined && found.length === 0) {
        // A target whose number is missing is missed: a figure that cannot be read is no pass.
        checks.push({
          label: `${spec.name}.${target.path}`,
          value: Number.NaN,
          target: bound,
          met: false,
        });
      }
      for (const [path, value] of found) {
        const met =
          Number.isFinite(value) &&
          (target.atMost === undefined || value <= target.atMost) &&
          (target.atLeast === undefined || value >= target.atLeast);
        checks.push({
          label: path ? `${spec.name}.${path}` : spec.name,
          value,
          target: bound,
          met,
        });
      }
    }
  }
  return checks;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [
    line(rows[0]!),
    `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`,
    ...rows.slice(1).map(line),
  ].join("\n");
}

function flatten(figure: Figure, prefix: string): [string, number][] {
  if (typeof figure === "number") return [[prefix, figure]];
  return Object.entries(figure).flatMap(([key, value]) => flatten(value, `${prefix}.${key}`));
}

/**
 * Every number of the figures, one row each, with its target, whether it was missed and, when
 * known, the 1-minute load average at the start and end of the module that measured it.
 */
export function figuresTable(
  specs: FigureSpec[],
  figures: Figures,
  loads: Record<string, ModuleLoad> = {},
): string {
  const checks = new Map(checkTargets(specs, figures).map((check) => [check.label, check]));
  const rows = [["figure", "value", "target", "", "load"]];
  for (const [name, figure] of Object.entries(figures)) {
    const load = loads[name] ? `${loads[name].load[0]} → ${loads[name].loadAtEnd[0]}` : "";
    for (const [label, value] of flatten(figure, name)) {
      const check = checks.get(label);
      checks.delete(label);
      rows.push([
        label,
        Number.isFinite(value) ? String(value) : "—",
        check?.target ?? "",
        check ? (check.met ? "met" : "MISSED") : "",
        load,
      ]);
    }
  }
  for (const check of checks.values()) rows.push([check.label, "—", check.target, "MISSED", ""]);
  return table(rows);
}

/** The median of numbers (the lower middle one for an even count: always a measured value). */
export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** The median of several runs' figures, number by number (every run must have the same shape). */
export function medianFigures(runs: readonly Figures[]): Figures {
  const combine = (values: Figure[]): Figure => {
    if (values.every((value) => typeof value === "number")) return median(values as number[]);
    const keys = new Set(
      values.flatMap((value) => (typeof value === "number" ? [] : Object.keys(value))),
    );
    const out: Record<string, Figure> = {};
    for (const key of keys) {
      const present = values
        .map((value) => (typeof value === "number" ? undefined : value[key]))
        .filter((value): value is Figure => value !== undefined);
      out[key] = combine(present);
    }
    return out;
  };
  const names = new Set(runs.flatMap((run) => Object.keys(run)));
  const result: Figures = {};
  for (const name of names)
    result[name] = combine(
      runs.map((run) => run[name]).filter((f): f is Figure => f !== undefined),
    );
  return result;
}

/**
 * Runs `measure` `context.runs` times and reports the median of each number, logging every run's
 * figures so the spread is on record. Use it for whatever a module measures.
 */
export async function repeat(
  context: BenchContext,
  measure: (run: number) => Promise<Figures>,
): Promise<Figures> {
  const runs: Figures[] = [];
  for (let run = 1; run <= context.runs; run++) {
    const figures = await measure(run);
    context.log(
      `run ${run}/${context.runs} (load ${loadNow().join(" ")}): ${JSON.stringify(figures)}`,
    );
    runs.push(figures);
  }
  return medianFigures(runs);
}
