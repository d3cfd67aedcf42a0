// Vitest globalSetup: generates both Prisma clients once per run, before any worker imports them.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";

// What the generation reads, and what it writes (the SQLite client lands next to @prisma/client).
function sources(): string[] {
  return ["prisma/schema.prisma", "scripts/prisma-generate.mjs"].map((file) => resolve(file));
}

function outputs(): string[] {
  const require = createRequire(import.meta.url);
  const prismaClientDir = dirname(require.resolve("@prisma/client/package.json"));
  return [
    resolve(prismaClientDir, "../../.prisma/client/index.js"),
    resolve("prisma/postgresql/schema.prisma"),
    resolve("app/generated/prisma-postgresql/client.ts"),
  ];
}

// Generation takes seconds; skip it when every output is newer than every input (`npm test`
// has just generated). A checkout that touches the schema makes it newer, so this never skips
// a needed run.
function upToDate(): boolean {
  const outs = outputs();
  if (!outs.every((file) => existsSync(file))) return false;
  const newestInput = Math.max(...sources().map((file) => statSync(file).mtimeMs));
  return outs.every((file) => statSync(file).mtimeMs >= newestInput);
}

export default function setup(): void {
  if (upToDate()) return;
  execFileSync(process.execPath, ["scripts/prisma-generate.mjs"], { stdio: "inherit" });
}
