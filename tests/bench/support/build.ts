// Makes sure build/ holds a production build of the current sources (the Remix app and the
// worker, `npm run build`), building it when a part is missing or older than any file it is made
// from: a benchmark measures the app as it ships.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const SERVER_BUILD = "build/server/index.js";
/** The worker's build (vite.worker.config.ts), what `npm run worker` runs. */
export const WORKER_BUILD = "build/worker/index.js";
const BUILDS = [SERVER_BUILD, WORKER_BUILD];

const SOURCES = [
  "app",
  "public",
  "scripts/worker.ts",
  "vite.config.ts",
  "vite.worker.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why the build must be made again, or null when it is current. */
export function staleBuildReason(): string | null {
  const missing = BUILDS.find((build) => !existsSync(build));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...BUILDS.map((build) => statSync(build).mtimeMs));
  const changed = SOURCES.filter((source) => newestMtime(source) > built);
  return changed.length > 0 ? `changed since the last build: ${changed.join(", ")}` : null;
}

export function ensureBuild(log: (line: string) => void): void {
  const reason = staleBuildReason();
  if (!reason) return;
  log(`Building (${reason}): npm run build`);
  const result = spawnSync("npm", ["run", "build"], { encoding: "utf8", env: process.env });
  if (result.status !== 0) {
    throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
  }
}
