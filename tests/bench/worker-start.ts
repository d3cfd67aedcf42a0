// What a worker process costs to start: CPU and resident memory of `npm run worker`'s built
// worker (node build/worker/index.js) and of the TypeScript through tsx (`npm run worker:dev`),
// taken in turn on a fresh migrated SQLite database, or on a throwaway PostgreSQL server (pg-boss),
// and the same for `npm run db:migrate` (Node stripping the types) and tsx (ADR 053).
// Run by hand from a tree's root after `npm run build`:
//   npx tsx tests/bench/worker-start.ts [--database=sqlite|postgresql] [--runs=3] [--settle=3000]
// Each run: the process's CPU (user + system, /proc/<pid>/stat) and RSS when it prints
// `Worker started.` (every module loaded), and again --settle ms later (its first passes over the
// queues and the inbox made, Prisma's query compiler loaded by the first statements); medians.
// Not a figure in results/: Linux only, and a start is a second or two, so read it beside the load.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../app/db/migrate.server";
import { startPostgres } from "../support/postgres";
import { percentile } from "./support/stats";

const option = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const runs = option("runs", 3);
const settleMs = option("settle", 3000);
const onPostgres = process.argv.includes("--database=postgresql");

const PROGRAMS: Record<string, string[]> = {
  built: ["--enable-source-maps", "build/worker/index.js"],
  tsx: ["--import", "tsx", "scripts/worker.ts"],
};

interface Sample {
  cpuMs: number;
  rssMb: number;
}

function sample(pid: number): Sample {
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
  return { cpuMs: (ticks * 1000) / 100, rssMb: rssKb / 1024 };
}

async function startOnce(args: string[], databaseUrl: string) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "bench-api-key",
      SHOPIFY_API_SECRET: "bench-api-secret",
      SHOPIFY_APP_URL: "http://127.0.0.1:9",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await new Promise<{ wallMs: number; at: Sample }>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += String(chunk);
      if (out.includes("Worker started.")) {
        resolve({ wallMs: performance.now() - started, at: sample(child.pid!) });
      }
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before starting`)));
  });
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const settled = sample(child.pid!);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  return { ...ready, settled };
}

/**
 * `npm run db:migrate`'s program on an up-to-date database (what most deploys' migration is): its
 * whole CPU and peak RSS, from GNU time (/usr/bin/time, Debian's `time` package).
 */
function migrateOnce(args: string[], databaseUrl: string): Sample {
  const run = spawnSync("/usr/bin/time", ["-f", "%U %S %M", process.execPath, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`migration failed:\n${run.stdout}\n${run.stderr}`);
  const [user, system, maxKb] = run.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return { cpuMs: (user! + system!) * 1000, rssMb: maxKb! / 1024 };
}

const MIGRATE: Record<string, string[]> = {
  node: ["--experimental-strip-types", "scripts/migrate.ts"],
  tsx: ["--import", "tsx", "scripts/migrate.ts"],
};

const scratch = mkdtempSync(join(tmpdir(), "worker-start-"));
const cluster = onPostgres ? await startPostgres({ durable: true }) : null;
if (onPostgres && !cluster) throw new Error("PostgreSQL (the Debian package) is needed here");
const databaseUrl = cluster?.url ?? `file:${join(scratch, "worker.db")}`;
await migrate(databaseUrl);
const results: Record<string, Awaited<ReturnType<typeof startOnce>>[]> = { built: [], tsx: [] };
const migrations: Record<string, Sample[]> = { node: [], tsx: [] };
try {
  // In turn, so both see the machine as it was that minute.
  for (let run = 0; run < runs; run++) {
    for (const [name, args] of Object.entries(PROGRAMS)) {
      results[name]!.push(await startOnce(args, databaseUrl));
    }
    for (const [name, args] of Object.entries(MIGRATE)) {
      migrations[name]!.push(migrateOnce(args, databaseUrl));
    }
  }
} finally {
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  ).toFixed(0);
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(`${databaseUrl.startsWith("file:") ? "SQLite" : "PostgreSQL"}, load ${load}`);
for (const [name, list] of Object.entries(results)) {
  console.log(
    `${name}: started in ${median(list.map((r) => r.wallMs))} ms, CPU ${median(list.map((r) => r.at.cpuMs))} ms, RSS ${median(list.map((r) => r.at.rssMb))} MB; ` +
      `${settleMs} ms later CPU ${median(list.map((r) => r.settled.cpuMs))} ms, RSS ${median(list.map((r) => r.settled.rssMb))} MB ` +
      `(CPU at start ${list.map((r) => r.at.cpuMs.toFixed(0)).join(", ")})`,
  );
}
for (const [name, list] of Object.entries(migrations)) {
  console.log(
    `db:migrate ${name}: CPU ${median(list.map((r) => r.cpuMs))} ms, peak RSS ${median(list.map((r) => r.rssMb))} MB ` +
      `(CPU ${list.map((r) => r.cpuMs.toFixed(0)).join(", ")})`,
  );
}
