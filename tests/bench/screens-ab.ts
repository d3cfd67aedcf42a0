// Early taps on two builds, interleaved: the screens benchmark's early tap (cold load, CPU slowed
// 4x, the control pressed the moment it shows) on a base build and on the current one in turn, so
// both see the same machine that minute; prints each tap and the medians with the load average.
//   cp -r build BASE/build        (a build of the base commit, made there with npx remix vite:build)
//   npx remix vite:build          (the current sources)
//   npx tsx tests/bench/screens-ab.ts --base=BASE queue settings [--taps=6] [--loaded]
// --loaded also takes a tap after each page went quiet (its INP, LCP and CLS); --pending=100000
// seeds the queue as a full benchmark run does (10,000 by default, as a quick one). A tool for deciding
// a change by hand, not a figure (npm run bench does not run it).
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { median } from "./support/bench";
import { SERVER_BUILD } from "./support/build";
import { SCREENS, coldLoad, startScreenShop, type Vitals } from "./screens.bench";

const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const baseOption = option("base");
if (!baseOption) throw new Error("--base=<folder holding the base commit's build/> is needed");
const base = resolve(baseOption);
const taps = Number(option("taps") ?? 6);
const loaded = args.includes("--loaded");
const pending = Number(option("pending") ?? 10_000);
const screens = args.filter((a) => !a.startsWith("--"));
if (!existsSync(join(base, SERVER_BUILD))) throw new Error(`no ${SERVER_BUILD} under ${base}`);
if (!existsSync(SERVER_BUILD)) throw new Error(`no ${SERVER_BUILD} here: build first`);

// The app runs from its project folder (the server entry, packages, migrations): the base's folder
// borrows them from this one, only its build being its own.
mkdirSync(base, { recursive: true });
for (const name of ["server", "node_modules", "package.json", "prisma"])
  if (!existsSync(join(base, name))) symlinkSync(resolve(name), join(base, name));

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
console.log(`load at start ${load()}`);
const here = process.cwd();
process.chdir(base);
const shopA = await startScreenShop("screens-ab-base", pending, console.log).finally(() =>
  process.chdir(here),
);
const shopB = await startScreenShop("screens-ab-new", pending, console.log);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const describe = (v: Vitals) => `${Math.round(v.inp)} (${v.phase} at ${Math.round(v.tappedAt)})`;
try {
  for (const name of screens) {
    const screen = SCREENS[name];
    if (!screen) throw new Error(`no screen ${name}`);
    const results = { base: [] as Vitals[], new: [] as Vitals[] };
    const quiet = { base: [] as Vitals[], new: [] as Vitals[] };
    for (let i = 0; i < taps; i++) {
      // Alternating which goes first, so neither always follows the other's load.
      const order = i % 2 ? (["new", "base"] as const) : (["base", "new"] as const);
      for (const which of order) {
        const shop = which === "base" ? shopA : shopB;
        const url = `${shop.url}${screen.path}`;
        results[which].push(
          await coldLoad(browser, url, screen.target, shop.apiKey, shop.secret, "early"),
        );
        if (loaded)
          quiet[which].push(
            await coldLoad(browser, url, screen.target, shop.apiKey, shop.secret, "loaded"),
          );
      }
      console.log(
        `${name} #${i + 1} (load ${load()}): base ${describe(results.base.at(-1)!)}, new ${describe(results.new.at(-1)!)}`,
      );
    }
    for (const which of ["base", "new"] as const) {
      const inps = results[which].map((v) => v.inp);
      // Where a tap lands decides most of its time: the taps made while the page hydrated are
      // the ones a change to hydration moves, compared apart.
      const hydrating = results[which].filter((v) => v.phase === "hydrating").map((v) => v.inp);
      console.log(
        `${name} ${which}: ${hydrating.length} taps while hydrating, median ${Math.round(median(hydrating))} ms`,
      );
      console.log(
        `${name} ${which}: early-tap INP median ${Math.round(median(inps))} ms [${inps
          .map(Math.round)
          .sort((a, b) => a - b)
          .join(", ")}], CLS max ${Math.max(...results[which].map((v) => v.cls)).toFixed(3)}` +
          (loaded
            ? `; loaded INP median ${Math.round(median(quiet[which].map((v) => v.inp)))}, LCP median ${Math.round(median(quiet[which].map((v) => v.lcp)))}, CLS max ${Math.max(...quiet[which].map((v) => v.cls)).toFixed(3)}`
            : ""),
      );
    }
  }
  console.log(`load at end ${load()}`);
} finally {
  await browser.close();
  await shopA.stop();
  await shopB.stop();
}
