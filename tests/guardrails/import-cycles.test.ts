// The guardrail against run-time import cycles (ADR 090): which imports count, and the allowlist that may neither miss a cycle nor keep one that is gone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circles } from "../../scripts/check-folder-circles";
import { compare, importsWithin, runtimeGraph } from "../../scripts/check-import-cycles";

// Each pair: a.ts imports b.ts at load; b.ts imports a.ts back in the way named.
const WAYS_BACK: Record<string, { back: string; cycle: boolean }> = {
  typeOnly: { back: 'import type { A } from "./a";\nexport const b: A = 2;', cycle: false },
  everyNameAType: { back: 'import { type A } from "./a";\nexport const b: A = 2;', cycle: false },
  exportType: { back: 'export type { A } from "./a";\nexport const b = 2;', cycle: false },
  exportEveryNameAType: {
    back: 'export { type A } from "./a";\nexport const b = 2;',
    cycle: false,
  },
  typeofImport: {
    back: 'export const b = 2;\nexport type T = typeof import("./a");',
    cycle: false,
  },
  dynamic: {
    back: 'export async function b() {\n  return (await import("./a")).a;\n}',
    cycle: false,
  },
  oneValueAmongTypes: {
    back: 'import { type A, a } from "./a";\nexport const b: A = a;',
    cycle: true,
  },
  typeAndValueApart: {
    back: 'import type { A } from "./a";\nimport { a } from "./a";\nexport const b: A = a;',
    cycle: true,
  },
  exportStar: { back: 'export * from "./a";\nexport const b = 2;', cycle: true },
  forItsEffect: { back: 'import "./a";\nexport const b = 2;', cycle: true },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "import-cycles-"));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true } }));
  for (const [name, { back }] of Object.entries(WAYS_BACK)) {
    const at = join(dir, name);
    mkdirSync(at);
    writeFileSync(
      join(at, "a.ts"),
      'import { b } from "./b";\nexport const a = 1;\nexport type A = number;\nconsole.log(b);\n',
    );
    writeFileSync(join(at, "b.ts"), `${back}\n`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the check for run-time import cycles (ADR 090)", () => {
  it("counts an import that runs when the module loads, not a type-only or dynamic one", async () => {
    const graph = await runtimeGraph(Object.keys(WAYS_BACK), dir);
    const found = circles(graph).map((group) => group[0]!.split("/")[0]);
    const expected = Object.entries(WAYS_BACK)
      .filter(([, { cycle }]) => cycle)
      .map(([name]) => name);
    expect(found.sort()).toEqual(expected.sort());
  }, 60_000);

  it("fails on a cycle the list lacks, on a listed cycle that is gone, and on a listed cycle that grew", () => {
    const graph = new Map([
      ["q.ts", new Map([["f.ts", "./f"]])],
      ["f.ts", new Map([["q.ts", "./q"]])],
      ["x.ts", new Map([["y.ts", "./y"]])],
      ["y.ts", new Map([["x.ts", "./x"]])],
    ]);
    const pair = ["q.ts → f.ts", "f.ts → q.ts"];
    expect(importsWithin(["f.ts", "q.ts"], graph)).toEqual(["f.ts → q.ts", "q.ts → f.ts"]);
    expect(
      compare(graph, [{ imports: pair }, { imports: ["x.ts → y.ts", "y.ts → x.ts"] }]),
    ).toEqual({ found: 2, unlisted: [], gone: [] });
    // x ↔ y not listed.
    expect(compare(graph, [{ imports: pair }]).unlisted).toEqual([["x.ts", "y.ts"]]);
    // A listed cycle no longer there.
    const gone = ["a.ts → b.ts", "b.ts → a.ts"];
    expect(
      compare(graph, [
        { imports: pair },
        { imports: ["x.ts → y.ts", "y.ts → x.ts"] },
        { imports: gone },
      ]).gone,
    ).toEqual([gone]);
    // One more import inside a listed cycle: the cycle is no longer the one listed.
    graph.get("q.ts")!.set("x.ts", "./x");
    graph.get("x.ts")!.set("q.ts", "./q");
    const grown = compare(graph, [{ imports: pair }, { imports: ["x.ts → y.ts", "y.ts → x.ts"] }]);
    expect(grown.unlisted).toEqual([["f.ts", "q.ts", "x.ts", "y.ts"]]);
    expect(grown.gone).toHaveLength(2);
  });
});
