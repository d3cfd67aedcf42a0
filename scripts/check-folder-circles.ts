// Fails when the folders of app/ import each other in a circle (static, type-only or dynamic
// imports alike): each folder is one room, the files directly in app/ are the room "app".
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
const appDir = join(root, "app");
// Generated code (Prisma client, Admin API types) is not a room of ours.
const skipped = new Set(["generated", "types"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return dir === appDir && skipped.has(name) ? [] : sourceFiles(path);
    }
    return /\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The room of a file under app/: its first folder, or "app" for files directly in app/. */
export function roomOf(file: string): string | null {
  const rel = relative(appDir, file);
  if (rel.startsWith("..")) return null;
  const parts = rel.split(sep);
  if (parts.length === 1) return "app";
  return skipped.has(parts[0]!) ? null : parts[0]!;
}

const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile).config;
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
const host = ts.createCompilerHost(options);

/** Room → rooms it imports, each with one import that shows it. */
export function folderGraph(files = sourceFiles(appDir)): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = roomOf(file);
    if (!from) continue;
    // preProcessFile lists import declarations, re-exports, require() and import() calls.
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const ref of info.importedFiles) {
      const resolved = ts.resolveModuleName(ref.fileName, file, options, host).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const to = roomOf(resolved.resolvedFileName);
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${relative(root, file)} imports "${ref.fileName}"`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** The circles: strongly connected groups of more than one room (Tarjan). */
export function circles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const graph = folderGraph();
  const found = circles(graph);
  if (found.length === 0) {
    const rooms = new Set([...graph.keys(), ...[...graph.values()].flatMap((e) => [...e.keys()])]);
    console.log(`No import circle between the ${rooms.size} folders of app/.`);
  } else {
    console.error("Import circles between folders of app/ (each folder must depend one way):");
    for (const group of found) {
      console.error(`\n  ${group.join(" ↔ ")}`);
      for (const from of group)
        for (const [to, why] of graph.get(from) ?? [])
          if (group.includes(to)) console.error(`    ${from} → ${to}: ${why}`);
    }
    process.exit(1);
  }
}
