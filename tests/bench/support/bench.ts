// What a benchmark module is, and how its figures are kept: merged into results/latest.json (every
// module owns its own keys) and printed as a table.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A figure: a number, or named numbers such as { p50, p99 }. */
export type Figure = number | Record<string, number>;
export type Figures = Record<string, Figure>;

export interface BenchContext {
  /** Options from the command line (`--name=value`, `--flag` is "true"), for every module. */
  options: Record<string, string>;
  /** Progress for the operator; not part of the figures. */
  log: (line: string) => void;
}

/** One benchmark module: `tests/bench/<name>.bench.ts` exports `bench`. */
export interface Bench {
  name: string;
  /** The result keys it writes, so a reader can tell which module a figure came from. */
  keys: string[];
  run(context: BenchContext): Promise<Figures>;
}

export const RESULTS_FILE = "tests/bench/results/latest.json";

/** Read-modify-write: keys written by other modules (or earlier runs) stay as they were. */
export function mergeResults(figures: Figures, file = RESULTS_FILE): Record<string, unknown> {
  const current: Record<string, unknown> = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>)
    : {};
  const merged = { ...current, ...figures };
  mkdirSync(dirname(file), { recursive: true });
  // Written beside and renamed over: a reader never sees half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(merged, null, 2)}\n`);
  renameSync(partial, file);
  return merged;
}

function formatFigure(figure: Figure): string {
  if (typeof figure === "number") return String(figure);
  return Object.entries(figure)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");
}

export function figuresTable(figures: Figures): string {
  const rows = Object.entries(figures).map(([key, figure]) => [key, formatFigure(figure)]);
  const widths = [0, 1].map((i) => Math.max(i === 0 ? 6 : 5, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [
    line(["figure", "value"]),
    `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}
