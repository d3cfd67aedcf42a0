// Fails when modules of app/ or simulator/src import each other in a cycle at run time (ADR 090),
// unless the cycle is listed below with its reason; fails too on a listed cycle that is gone.
import { dirname, resolve } from "node:path";
import { cruise, type IDependency } from "dependency-cruiser";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { circles } from "./check-folder-circles";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
export const ROOTS = ["app", "simulator/src"];

/**
 * Cycles kept on purpose, each as every run-time import among its modules ("from → to"). A cycle
 * is allowed only while its imports are exactly these: one more import inside it, one more module
 * drawn into it, or one of these gone, and the check fails until this list says so.
 */
export const ALLOWED: { imports: string[]; why: string }[] = [
  {
    imports: [
      "simulator/src/graphql/views/catalog.ts → simulator/src/graphql/views/shop.ts",
      "simulator/src/graphql/views/shop.ts → simulator/src/graphql/views/catalog.ts",
    ],
    why:
      "Shopify's types point at each other (InventoryLevel.location, Location.inventoryLevel), and " +
      "so do their views. Each view is a function declaration that calls the other only when a " +
      "field resolves, so nothing is read at load; breaking it means one file for both or views " +
      "looked up by name, neither clearer than the schema's own shape.",
  },
  {
    imports: [
      "simulator/src/graphql/views/customer.ts → simulator/src/graphql/views/order.ts",
      "simulator/src/graphql/views/fulfillment.ts → simulator/src/graphql/views/order.ts",
      "simulator/src/graphql/views/order.ts → simulator/src/graphql/views/customer.ts",
      "simulator/src/graphql/views/order.ts → simulator/src/graphql/views/fulfillment.ts",
    ],
    why:
      "As above: Order.customer and Customer.orders, Order.fulfillmentOrders and " +
      "FulfillmentOrder.order. Function declarations only, called when a field resolves.",
  },
];

/**
 * Does this import run when the module loads? Not `import type` / `export type`, nor
 * `import { type A, type B }` (every name a type: TypeScript and esbuild drop the statement), nor
 * `import("…")` (it runs when called, after every module has loaded), nor `typeof import("…")`.
 */
export function runsAtLoad(dependency: Pick<IDependency, "dependencyTypes">): boolean {
  const types = dependency.dependencyTypes;
  const written = types.some((t) => t === "import" || t === "export" || t === "require");
  return written && !types.includes("type-only") && !types.includes("pre-compilation-only");
}

/** Module → modules it imports at load, each with the specifier as written (paths from `baseDir`). */
export async function runtimeGraph(
  roots = ROOTS,
  baseDir = root,
): Promise<Map<string, Map<string, string>>> {
  const result = await cruise(
    roots,
    {
      baseDir,
      // Read the TypeScript as written, marking type-only imports (left out by runsAtLoad).
      tsPreCompilationDeps: true,
      tsConfig: { fileName: "tsconfig.json" },
      // Packages and generated code (Prisma's client, the Admin API's types) hold none of our cycles,
      // and no module imports a test file, so none is in a cycle: not read.
      doNotFollow: { path: ["node_modules", "^app/generated/"] },
      exclude: { path: "\\.test\\.tsx?$" },
    },
    {},
    { tsConfig: extractTSConfig(resolve(baseDir, "tsconfig.json")) },
  );
  if (typeof result.output === "string") throw new Error("dependency-cruiser gave no modules");
  const graph = new Map<string, Map<string, string>>();
  for (const module of result.output.modules) {
    // Packages and Node's own modules are leaves here: their imports are not followed.
    if (module.coreModule || module.source.includes("node_modules/")) continue;
    const edges = new Map<string, string>();
    for (const dependency of module.dependencies) {
      if (dependency.couldNotResolve || !runsAtLoad(dependency)) continue;
      if (dependency.resolved.includes("node_modules/")) continue;
      if (!edges.has(dependency.resolved)) edges.set(dependency.resolved, dependency.module);
    }
    graph.set(module.source, edges);
  }
  return graph;
}

/** The run-time imports among a cycle's modules, as "from → to", sorted. */
export function importsWithin(group: string[], graph: Map<string, Map<string, string>>): string[] {
  return group
    .flatMap((from) =>
      [...(graph.get(from)?.keys() ?? [])]
        .filter((to) => group.includes(to))
        .map((to) => `${from} → ${to}`),
    )
    .sort();
}

/** One way round the cycle from its first module back to it, for the message (breadth first). */
export function wayRound(group: string[], graph: Map<string, Map<string, string>>): string[] {
  const start = group[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const at = queue.shift()!;
    for (const to of graph.get(at)?.keys() ?? []) {
      if (!group.includes(to)) continue;
      if (to === start) {
        const way = [start];
        for (let step: string | undefined = at; step !== start; step = cameFrom.get(step!))
          way.splice(1, 0, step!);
        return [...way, start];
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, at);
        queue.push(to);
      }
    }
  }
  return group;
}

/** What the check says: the cycles found that the list lacks, and the listed ones no longer found. */
export function compare(
  graph: Map<string, Map<string, string>>,
  allowed: { imports: string[] }[] = ALLOWED,
): { found: number; unlisted: string[][]; gone: string[][] } {
  const groups = circles(graph);
  const key = (imports: string[]) => [...imports].sort().join("\n");
  const listed = new Set(allowed.map((entry) => key(entry.imports)));
  const seen = new Set(groups.map((group) => key(importsWithin(group, graph))));
  return {
    found: groups.length,
    unlisted: groups.filter((group) => !listed.has(key(importsWithin(group, graph)))),
    gone: allowed.filter((entry) => !seen.has(key(entry.imports))).map((entry) => entry.imports),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const graph = await runtimeGraph();
  const { found, unlisted, gone } = compare(graph);
  for (const group of unlisted) {
    console.error(
      `Run-time import cycle (${group.length} modules): ${wayRound(group, graph).join(" → ")}`,
    );
    for (const edge of importsWithin(group, graph)) {
      const [from, to] = edge.split(" → ") as [string, string];
      console.error(`    ${from} imports "${graph.get(from)!.get(to)}"`);
    }
  }
  for (const imports of gone)
    console.error(
      `Listed in ALLOWED (scripts/check-import-cycles.ts) but no longer a cycle; remove it:\n    ${imports.join("\n    ")}`,
    );
  if (unlisted.length) {
    console.error(
      "\nA module's exports may be read before they are set when its imports lead back to it. Move " +
        "what both sides need into a module that imports nothing from the cycle, make the import " +
        "`import type` if only types cross, or list the cycle in ALLOWED with its reason (ADR 090).",
    );
  }
  if (unlisted.length || gone.length) process.exit(1);
  console.log(
    `No run-time import cycle among the ${graph.size} modules reached from ${ROOTS.join(", ")}` +
      (found ? ` but the ${found} listed in ALLOWED.` : "."),
  );
}
