// What the deployed processes run (`npm start`, `npm run worker`, `npm run db:migrate`) against
// package.json's `dependencies`: a deploy that leaves out devDependencies (NODE_ENV=production,
// `npm prune --omit=dev`) must still find each script's program and every package its code imports
// (the worker's and the migration's `tsx` was once a devDependency, so both failed with `tsx: not
// found`). The worker runs its build (ADR 053): what the build left for Node to import at run time
// (its externals) must be dependencies too, and the build must be the file the script runs.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import workerBuildConfig from "../../vite.worker.config";
import { buildWorker, type BuiltWorker } from "../support/built-worker";

interface PackageJson {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  bin?: string | Record<string, string>;
  name: string;
}

const manifest = JSON.parse(readFileSync("package.json", "utf8")) as PackageJson;
const runtime = new Set(Object.keys(manifest.dependencies));
const builtins = new Set(builtinModules);

/**
 * The production scripts and where each one's code starts (the server's build comes from app/, the
 * worker's from scripts/worker.ts; the build itself is checked below).
 */
const PRODUCTION: Record<string, string[]> = {
  start: ["server/index.ts", "app/entry.server.tsx", "app/root.tsx", ...files("app/routes")],
  worker: ["scripts/worker.ts"],
  "db:migrate": ["scripts/migrate.ts"],
};

function files(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Which installed package provides a command on npm's PATH (`tsx`, `remix`, `prisma`). */
function packageOfCommand(command: string): string | undefined {
  for (const name of [...runtime, ...Object.keys(manifest.devDependencies)]) {
    const path = join("node_modules", name, "package.json");
    if (!existsSync(path)) continue;
    const { bin } = JSON.parse(readFileSync(path, "utf8")) as PackageJson;
    const commands = typeof bin === "string" ? [name.split("/").pop()] : Object.keys(bin ?? {});
    if (commands.includes(command)) return name;
  }
  return undefined;
}

/** The package a bare specifier names (`@prisma/client/runtime/client` → `@prisma/client`). */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = specifier.startsWith("~/")
    ? resolve("app", specifier.slice(2))
    : resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** Packages the code reached from the entries imports at run time (type-only imports are erased). */
function packagesImported(entries: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const queue = entries.map((entry) => resolve(entry));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || file.includes("/app/generated/")) continue;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    const statements = [
      ...source.matchAll(/^(?:import|export)\s+([^;]*?)\s*from\s+"([^"]+)"/gms),
      ...source.matchAll(/^import\s+()"([^"]+)"/gm),
      ...[...source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => [m[0], "", m[1]]),
    ];
    for (const [, clause, specifier] of statements) {
      if (/^type\s/.test(clause!) || /^\{\s*(type\s+\w+\s*,?\s*)+\}$/.test(clause!)) continue;
      if (specifier!.startsWith(".") || specifier!.startsWith("~/")) {
        const local = resolveLocal(file, specifier!);
        if (local) queue.push(local);
        continue;
      }
      if (specifier!.startsWith("node:") || builtins.has(specifier!)) continue;
      const name = packageName(specifier!);
      if (!found.has(name)) found.set(name, file.slice(resolve(".").length + 1));
    }
  }
  return found;
}

describe("the deployed processes need only package.json's dependencies", () => {
  for (const [script, entries] of Object.entries(PRODUCTION)) {
    it(`npm run ${script}: its program and the packages its code imports`, () => {
      const command = manifest.scripts[script]!.split(/\s+/)[0]!;
      // `node` is the host's (README: any Node 22 host; package.json's engines).
      if (command !== "node") {
        const provider = packageOfCommand(command);
        expect(provider, `${command} comes from no installed package`).toBeDefined();
        expect(runtime, `${script} runs ${command} from ${provider}`).toContain(provider);
      }
      const missing = [...packagesImported(entries)]
        .filter(([name]) => !runtime.has(name))
        .map(([name, file]) => `${name} (imported by ${file})`);
      expect(missing).toEqual([]);
    });
  }

  it("reaches the app's code through the worker's imports (the walk itself works)", () => {
    const imported = packagesImported(PRODUCTION.worker!);
    expect(imported.has("pg-boss")).toBe(true);
    expect(imported.has("@prisma/client") || imported.has("@prisma/adapter-libsql")).toBe(true);
  });
});

/**
 * What a build's JavaScript leaves to Node at run time: packages (with the file importing each)
 * and files outside the build's folder. Vite writes imports whole, on lines of their own.
 */
function buildImports(dir: string): { packages: Map<string, string>; outside: string[] } {
  const packages = new Map<string, string>();
  const outside: string[] = [];
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".js"))) {
    const source = readFileSync(join(dir, name), "utf8");
    const specifiers = [
      ...source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s*"([^"]+)";?$/gm),
      ...source.matchAll(/^import\s*"([^"]+)";?$/gm),
      ...source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
    ].map((match) => match[1]!);
    for (const specifier of specifiers) {
      if (specifier.startsWith(".")) {
        const target = resolve(dir, specifier);
        if (relative(dir, target).startsWith("..")) outside.push(`${specifier} (in ${name})`);
        continue;
      }
      if (specifier.startsWith("node:") || builtins.has(specifier)) continue;
      if (!packages.has(packageName(specifier))) packages.set(packageName(specifier), name);
    }
  }
  return { packages, outside };
}

describe("npm run worker's build", () => {
  let built: BuiltWorker | undefined;
  beforeAll(async () => {
    built = await buildWorker("production-dependencies");
  }, 120_000);
  afterAll(() => built?.cleanup());

  it("is the file the script runs on plain Node", () => {
    const [command, ...args] = manifest.scripts.worker!.split(/\s+/);
    expect(command).toBe("node");
    const program = args.find((arg) => !arg.startsWith("-"))!;
    // vite.worker.config.ts writes there, and names its entry so (this build only moved the folder).
    expect(dirname(program)).toBe(workerBuildConfig.build!.outDir);
    expect(existsSync(join(built!.dir, program.split("/").pop()!))).toBe(true);
  });

  it("leaves Node only dependencies and its own modules to import, and no file of the tree", () => {
    const { packages, outside } = buildImports(built!.dir);
    const missing = [...packages]
      .filter(([name]) => !runtime.has(name))
      .map(([name, file]) => `${name} (imported by the build's ${file})`);
    expect(missing).toEqual([]);
    // The app's code, the generated PostgreSQL client included, is inside the build.
    expect(outside).toEqual([]);
    // The walk itself works: the queue and Prisma's runtime are among what it found.
    expect(packages.has("pg-boss")).toBe(true);
    expect(packages.has("@prisma/client")).toBe(true);
  });
});
