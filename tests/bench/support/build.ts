// Makes sure build/ holds a production build of the current sources, building it when it is
// missing or older than any file it is made from: a benchmark measures the app as it ships.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const SERVER_BUILD = "build/server/index.js";

const SOURCES = [
  "app",
  "public",
  "vite.config.ts",
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
  if (!existsSync(SERVER_BUILD)) return `${SERVER_BUILD} is missing`;
  const built = statSync(SERVER_BUILD).mtimeMs;
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
