// `npm run bench [-- <name>... --runs=N --quick --option=value]`: runs every tests/bench/<name>.bench.ts
// (or those named), prints their figures against their targets with the load they were taken under,
// merges them into results/latest.json and appends the run to results/history.jsonl (a quick run,
// BENCH_SIZE=quick, measures smaller cases and keeps its figures apart in results/quick.json). A missed target is reported, never asserted; a
// module that cannot measure (a failed interaction, a lost delivery) fails the run.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  appendHistory,
  checkTargets,
  figuresTable,
  loadNow,
  mergeResults,
  provenance,
  resultFiles,
  type Bench,
  type BenchSize,
  type Figures,
  type ModuleLoad,
} from "./support/bench";

const here = dirname(fileURLToPath(import.meta.url));

// Figures are taken under production settings (ADR 066). The app's processes are started with
// NODE_ENV=production and an environment of their own (tests/support/processes.ts); this sets it
// for what runs in this process, before a benchmark module loads: the shop simulator's graphql-js
// (whose development mode checks every instanceof for a second copy of the library) and the
// load's Prisma client (no call site captured per query for its error messages).
process.env.NODE_ENV ??= "production";

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
const sizeName = options.quick === "true" ? "quick" : (process.env.BENCH_SIZE ?? "full");
if (sizeName !== "full" && sizeName !== "quick") {
  console.error(`BENCH_SIZE must be "full" or "quick", not "${sizeName}"`);
  process.exit(2);
}
const size: BenchSize = sizeName;
const runs = Math.max(1, Number(options.runs ?? (size === "quick" ? 1 : 3)));
const files = resultFiles(size);

const started = provenance(new Date(), size);
console.log(
  `Benchmark at ${started.commit.slice(0, 12)}${started.dirty ? " (uncommitted changes)" : ""}, ` +
    `Node ${started.node}, NODE_ENV=${process.env.NODE_ENV}, ${started.cpus} CPUs, load ${started.load.join(" ")}` +
    (size === "quick" ? ", quick size (figures not kept in latest.json or history)" : "") +
    (started.load[0]! > started.cpus / 2
      ? " — the machine is busy: these figures are taken under load"
      : ""),
);

const figures: Figures = {};
const failed: string[] = [];
// Stopped part-way: the history still gets the line for what was measured, marked as stopped.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    started.loadAtEnd = loadNow();
    if (files.history)
      appendHistory(
        {
          provenance: started,
          benches: Object.keys(loads),
          figures,
          missed: [],
          failed: [...failed, `stopped by ${signal}`],
          loads,
        },
        files.history,
      );
    console.log(`\nStopped (${signal}); the figures measured so far are kept.`);
    process.exit(130);
  });
const loads: Record<string, ModuleLoad> = {};
// Every figure measured, those not kept too (printed in the table).
const printed: Figures = {};
const figureLoads: Record<string, ModuleLoad> = {};
for (const bench of selected) {
  const log = (line: string) => console.log(`[${bench.name}] ${line}`);
  const load = loadNow();
  const moduleStarted = Date.now();
  // A module that measured another case than its figures' (notKept) writes where a quick run does.
  let notKept: string | null = null;
  try {
    const written = await bench.run({
      options,
      log,
      runs,
      size,
      notKept: (why) => (notKept = why),
    });
    const declared = new Set(bench.figures.map((spec) => spec.name));
    const undeclared = Object.keys(written).filter((key) => !declared.has(key));
    if (undeclared.length > 0)
      throw new Error(`wrote figures it does not declare: ${undeclared.join(", ")}`);
    loads[bench.name] = { load, loadAtEnd: loadNow() };
    for (const name of Object.keys(written)) figureLoads[name] = loads[bench.name]!;
    Object.assign(printed, written);
    if (notKept !== null) {
      const quick = resultFiles("quick").results;
      log(`not kept (${notKept}): written to ${quick} only`);
      mergeResults(written, started, quick, figureLoads);
    } else {
      Object.assign(figures, written);
      // Kept as soon as measured: a run stopped later (Ctrl-C, a time limit) loses only the rest.
      mergeResults(written, started, files.results, figureLoads);
    }
  } catch (error) {
    failed.push(bench.name);
    loads[bench.name] = { load, loadAtEnd: loadNow() };
    console.error(`[${bench.name}] failed:`, error);
  }
  log(
    `took ${Math.round((Date.now() - moduleStarted) / 1000)} s; load ${load.join(" ")} → ${loads[bench.name]!.loadAtEnd.join(" ")}`,
  );
}
started.loadAtEnd = loadNow();

// A failed module writes nothing: its previous figures stay rather than half-measured ones.
const missed = checkTargets(specs, figures)
  .filter((check) => !check.met)
  .map((check) => `${check.label} ${check.target}`);
if (files.history)
  appendHistory(
    {
      provenance: started,
      benches: selected.map((bench) => bench.name),
      figures,
      missed,
      failed,
      loads,
    },
    files.history,
  );
console.log(`\n${figuresTable(specs, printed, figureLoads)}\n`);
if (missed.length > 0) console.log(`Targets missed: ${missed.length}`);
if (failed.length > 0) console.log(`Failed (no figures): ${failed.join(", ")}`);
console.log(
  files.history
    ? `Written to ${files.results}; run appended to ${files.history}`
    : `Written to ${files.results} (a quick run: not kept in latest.json or the history)`,
);
process.exit(failed.length > 0 ? 1 : 0);
