// The README's Configuration table and .env.example against what the app and its server read from
// the environment: a variable read but not documented is one an operator cannot know to set
// (PORT, HOST and NODE_ENV were missing), one documented but never read is a setting that does
// nothing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Source files of a folder, tests and generated code left out. */
function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** What the running app reads: the checked schema's keys and every direct `process.env.X`. */
function variablesRead(): Set<string> {
  const read = new Set<string>();
  const schema = readFileSync("app/utils/env.server.ts", "utf8");
  const start = schema.indexOf("z.object({");
  const body = schema.slice(start, schema.indexOf("\n});", start));
  for (const [, name] of body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)) read.add(name!);
  for (const file of [...sources("app"), ...sources("server")])
    for (const [, name] of readFileSync(file, "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g))
      read.add(name!);
  return read;
}

describe("the documented configuration", () => {
  const read = variablesRead();

  it("lists in the README's table every variable the app reads, and only those", () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(
      readme.indexOf("## Configuration"),
      readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1),
    );
    const table = section.split("\n").filter((line) => line.startsWith("| `"));
    const documented = new Set(
      table
        .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)])
        .map(([, name]) => name!),
    );
    expect([...documented].sort()).toEqual([...read].sort());
  });

  it("names in .env.example every variable the app reads", () => {
    const example = readFileSync(".env.example", "utf8");
    const named = new Set(
      [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map(([, name]) => name!),
    );
    expect([...named].sort()).toEqual([...read].sort());
  });
});
