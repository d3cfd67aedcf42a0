// The worker built as `npm run build` builds it (vite.worker.config.ts), into a folder of the
// caller's own under tmp/: inside the project, so Node finds the build's packages in node_modules
// as it does from build/worker/. A test of the build needs no earlier `npm run build`, never runs a
// stale one, and leaves build/ alone.
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "vite";

export interface BuiltWorker {
  /** The folder the build wrote. */
  dir: string;
  /** Its entry: what `npm run worker` runs from build/worker/. */
  entry: string;
  cleanup(): void;
}

export async function buildWorker(name: string): Promise<BuiltWorker> {
  const dir = resolve("tmp", `${name}-${process.pid}`);
  await build({
    configFile: resolve("vite.worker.config.ts"),
    logLevel: "warn",
    build: { outDir: dir, emptyOutDir: true },
  });
  return {
    dir,
    entry: join(dir, "index.js"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
