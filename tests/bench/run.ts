// `npm run bench [-- <name>... --runs=N --option=value]`: runs every tests/bench/<name>.bench.ts (or
// those named), prints their figures against their targets, merges them into results/latest.json
// and appends the run to results/history.jsonl. A missed target is reported, never asserted; a
// module that cannot measure (a failed interaction, a lost delivery) fails the run.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  appendHistory,
  checkTargets,
  figuresTable,
  HISTORY_FILE,
  mergeResults,
  provenance,
  RESULTS_FILE,
  type Bench,
  type Figures,
} from "./support/bench";

const here = dirname(fileURLToPath(import.meta.url));

async function loadBenches(): Promise<Bench[]> {
  const files = readdirSync(here)
    .filter((file) => file.endsWith(".bench.ts"))
    .sort();
  const modules = await Promise.all(
    files.map(
      async (file) => (await import(pathToFileURL(join(here, file)).href)) as { bench?: Bench },
    ),
  );
  return modules.flatMap((module, i) => {
    if (!module.bench) throw new Error(`${files[i]} does not export \`bench\``);
    return [module.bench];
  });
}

function parseArgs(argv: string[]): { names: string[]; options: Record<string, string> } {
  const names: string[] = [];
  const options: Record<string, string> = {};
  for (const arg of argv) {
    if (arg.startsWith("--")) {
      const [key, ...value] = arg.slice(2).split("=");
      options[key!] = value.length > 0 ? value.join("=") : "true";
    } else names.push(arg);
  }
  return { names, options };
}

const { names, options } = parseArgs(process.argv.slice(2));
const all = await loadBenches();
const specs = all.flatMap((bench) => bench.figures);

if (options.list === "true") {
  for (const bench of all) {
    console.log(bench.name);
    for (const spec of bench.figures) {
      const targets = (spec.targets ?? [])
        .map(
          (t) =>
            `${t.path ?? "value"} ${[t.atMost !== undefined ? `≤ ${t.atMost}` : "", t.atLeast !== undefined ? `≥ ${t.atLeast}` : ""].filter(Boolean).join(" ")}`,
        )
        .join("; ");
      console.log(
        `  ${spec.name}${spec.unit ? ` (${spec.unit})` : ""}: ${spec.description}${targets ? ` [${targets}]` : ""}`,
      );
    }
  }
  process.exit(0);
}

const unknown = names.filter((name) => !all.some((bench) => bench.name === name));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark(s): ${unknown.join(", ")}. Known: ${all.map((b) => b.name).join(", ")}`,
  );
  process.exit(2);
}
const selected = names.length > 0 ? all.filter((bench) => names.includes(bench.name)) : all;
const runs = Math.max(1, Number(options.runs ?? 3));

const started = provenance();
console.log(
  `Benchmark at ${started.commit.slice(0, 12)}${started.dirty ? " (uncommitted changes)" : ""}, ` +
    `Node ${started.node}, ${started.cpus} CPUs, load ${started.load.join(" ")}` +
    (started.load[0]! > started.cpus / 2
      ? " — the machine is busy: these figures are taken under load"
      : ""),
);

const figures: Figures = {};
const failed: string[] = [];
for (const bench of selected) {
  const log = (line: string) => console.log(`[${bench.name}] ${line}`);
  try {
    const written = await bench.run({ options, log, runs });
    const declared = new Set(bench.figures.map((spec) => spec.name));
    const undeclared = Object.keys(written).filter((key) => !declared.has(key));
    if (undeclared.length > 0)
      throw new Error(`wrote figures it does not declare: ${undeclared.join(", ")}`);
    Object.assign(figures, written);
  } catch (error) {
    failed.push(bench.name);
    console.error(`[${bench.name}] failed:`, error);
  }
}

// A failed module writes nothing: its previous figures stay rather than half-measured ones.
const missed = checkTargets(specs, figures)
  .filter((check) => !check.met)
  .map((check) => `${check.label} ${check.target}`);
if (Object.keys(figures).length > 0) mergeResults(figures, started);
appendHistory({
  provenance: started,
  benches: selected.map((bench) => bench.name),
  figures,
  missed,
  failed,
});
console.log(`\n${figuresTable(specs, figures)}\n`);
if (missed.length > 0) console.log(`Targets missed: ${missed.length}`);
if (failed.length > 0) console.log(`Failed (no figures): ${failed.join(", ")}`);
console.log(`Written to ${RESULTS_FILE}; run appended to ${HISTORY_FILE}`);
process.exit(failed.length > 0 ? 1 : 0);
