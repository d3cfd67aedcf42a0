// `npm run bench [-- <name>... --option=value]`: runs every tests/bench/<name>.bench.ts (or those
// named), prints their figures and merges them into tests/bench/results/latest.json.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  figuresTable,
  mergeResults,
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
const unknown = names.filter((name) => !all.some((bench) => bench.name === name));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark(s): ${unknown.join(", ")}. Known: ${all.map((b) => b.name).join(", ")}`,
  );
  process.exit(2);
}
const selected = names.length > 0 ? all.filter((bench) => names.includes(bench.name)) : all;

const figures: Figures = {};
let failed = false;
for (const bench of selected) {
  const log = (line: string) => console.log(`[${bench.name}] ${line}`);
  try {
    Object.assign(figures, await bench.run({ options, log }));
  } catch (error) {
    failed = true;
    console.error(`[${bench.name}] failed:`, error);
  }
}
// A failed module writes nothing: its previous figures stay rather than half-measured ones.
if (Object.keys(figures).length > 0) {
  mergeResults(figures);
  console.log(`\n${figuresTable(figures)}\n\nWritten to ${RESULTS_FILE}`);
}
process.exit(failed ? 1 : 0);
