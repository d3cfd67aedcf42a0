// Summarises a V8 CPU profile (node --cpu-prof, e.g. the scale benchmark's --profileWorkers): the
// samples' shares by function's own time, by package (or the app's own code, the build's bundle),
// and by function's total time (itself and what it called). Shares, not times: under a loaded
// machine a profile's times include the time its thread waited (ADR 047).
// Run by hand: npx tsx tests/bench/support/cpu-profile.ts <file.cpuprofile> [--top=40]
//   [--from=<seconds after the profile's start>] [--within=<function name>]
// --from leaves out a process's start (module loading, compilation before the first orders);
// --within counts only the samples with that function on their stack (and its share of the whole).
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Samples counted (after --from and --within). */
  samples: number;
  /** Samples of the whole profile after --from, before --within. */
  allSamples: number;
  /** Function (name and where) → share of the counted samples spent in it itself. */
  self: [string, number][];
  /** Function → share of the counted samples with it on their stack. */
  total: [string, number][];
  /** Package (node_modules' name, "app" for the bundle, "node" for Node's own, "(gc)" …) → share. */
  byPackage: [string, number][];
}

/** Where a frame's code comes from: a package's name, the app's bundle, Node's own code, V8's. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith("node:")) return "node";
  if (/\/build\/|\/app\/|\/scripts\//.test(url)) return "app";
  return url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? url.replace(/^.*node_modules\//, "").replace(/^.*\/(build|app)\//, "$1/") : "";
  return `${functionName || "(anonymous)"}${file ? ` ${file}:${lineNumber + 1}` : ""}`;
}

export function summarise(
  profile: CpuProfile,
  options: { fromSeconds?: number; within?: string } = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let counted = 0;
  let all = 0;
  let at = 0;
  const from = (options.fromSeconds ?? 0) * 1e6;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    const leaf = byId.get(profile.samples[i]!)!;
    if (leaf.callFrame.functionName === "(idle)") continue;
    all++;
    const stack: ProfileNode[] = [];
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id))
      stack.push(byId.get(id)!);
    if (options.within && !stack.some((n) => n.callFrame.functionName === options.within)) continue;
    counted++;
    add(self, frameName(leaf));
    add(byPackage, packageOf(leaf.callFrame.url, leaf.callFrame.functionName));
    for (const name of new Set(stack.map(frameName))) add(total, name);
  }
  const shares = (map: Map<string, number>): [string, number][] =>
    [...map]
      .map(([k, v]) => [k, v / Math.max(counted, 1)] as [string, number])
      .sort((a, b) => b[1] - a[1]);
  return {
    samples: counted,
    allSamples: all,
    self: shares(self),
    total: shares(total),
    byPackage: shares(byPackage),
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string) =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const files = args.filter((a) => !a.startsWith("--"));
  const top = Number(option("top") ?? 40);
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    const s = summarise(profile, {
      fromSeconds: option("from") ? Number(option("from")) : undefined,
      within: option("within"),
    });
    console.log(
      `${file}: ${s.samples} samples${option("within") ? ` within ${option("within")} (${pct(s.samples / Math.max(s.allSamples, 1))} of ${s.allSamples})` : ""}`,
    );
    console.log("-- by package (own time)");
    for (const [k, v] of s.byPackage.slice(0, 20)) console.log(`${pct(v)}  ${k}`);
    console.log("-- by function, own time");
    for (const [k, v] of s.self.slice(0, top)) console.log(`${pct(v)}  ${k}`);
    console.log("-- by function, total time (itself and what it called)");
    for (const [k, v] of s.total.slice(0, top)) console.log(`${pct(v)}  ${k}`);
  }
}

if (process.argv[1] && /cpu-profile\.ts$/.test(process.argv[1])) main();
