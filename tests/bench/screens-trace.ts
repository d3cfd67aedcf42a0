// What the browser's main thread does around an early tap: loads a screen cold as the screens
// benchmark does (CPU slowed 4x), taps its control the moment it shows, and prints from a Chromium
// trace every task from the control showing to the tap's next paint, with the functions that took
// the time (the tap's task also with each function's time including what it called).
//   npx tsx tests/bench/screens-trace.ts home queue --loads=3 [--top=8] [--locale=de] [--save=DIR]
// --idle loads without a tap and gives the main thread's CPU from the app's scripts running to
// React's root having hydrated; --html prints the document's size and its inline scripts';
// --analyse=FILE reads a trace --save kept. NO_TRACE=1 taps without tracing (the event timings
// only); TRACE_NAMED=1 keeps only named functions in the inclusive list, TRACE_TOP=N its length.
// A build with `npx remix vite:build --minify false` names the app's and Polaris's functions.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { ensureBuild } from "./support/build";
import {
  CPU_SLOWDOWN,
  SCREENS,
  SHOP,
  UA,
  nameOf,
  sessionToken,
  startScreenShop,
  type Target,
} from "./screens.bench";

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { data?: Record<string, unknown>; name?: string } & Record<string, unknown>;
}

interface Tap {
  /** performance.now() of the pointerdown, and the event timings of the tap. */
  tappedAt: number;
  visibleAt: number;
  hydratedAt?: number;
  entries: {
    name: string;
    startTime: number;
    processingStart: number;
    processingEnd: number;
    duration: number;
  }[];
  phase: string;
}

const ms = (us: number) => Math.round(us / 100) / 10;

function pageScript() {
  const w = window as typeof window & { __tap: Record<string, unknown> };
  const tap: Record<string, unknown> = { entries: [], tappedAt: NaN, phase: "" };
  w.__tap = tap;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as PerformanceEventTiming[])
      (tap.entries as unknown[]).push({
        name: e.name,
        startTime: e.startTime,
        processingStart: e.processingStart,
        processingEnd: e.processingEnd,
        duration: e.duration,
      });
  }).observe({ type: "event", buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
  // When React's root has hydrated (its shell: Suspense boundaries may still be dehydrated).
  const watch = () => {
    const key = Object.keys(document).find((k) => k.startsWith("__reactContainer$"));
    const root = key
      ? (
          document as unknown as Record<
            string,
            { stateNode?: { current?: { memoizedState?: { isDehydrated?: boolean } } } }
          >
        )[key]?.stateNode
      : undefined;
    if (root && root.current?.memoizedState?.isDehydrated === false) {
      tap.hydratedAt = performance.now();
      return;
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  window.addEventListener(
    "pointerdown",
    () => {
      if (!Number.isNaN(tap.tappedAt)) return;
      tap.tappedAt = performance.now();
      const container = Object.keys(document).find((k) => k.startsWith("__reactContainer$"));
      tap.phase = container ? "react" : "before-react";
    },
    true,
  );
}

async function tracedTap(
  browser: Browser,
  url: string,
  target: Target,
  idle = false,
): Promise<{ tap: Tap; trace: TraceEvent[] }> {
  const context = await browser.newContext({
    userAgent: UA,
    viewport: { width: 1280, height: 900 },
  });
  try {
    await context.route("https://cdn.shopify.com/**", (route) =>
      route.fulfill({ status: 200, contentType: "text/javascript", body: "" }),
    );
    await context.addInitScript({
      content: `var __name = (fn) => fn;\n(${pageScript.toString()})();`,
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (!process.env.NO_TRACE)
      await browser.startTracing(page, {
        categories: [
          "devtools.timeline",
          "disabled-by-default-devtools.timeline",
          "toplevel",
          "v8.execute",
          "blink.user_timing",
          "loading",
          "disabled-by-default-v8.cpu_profiler",
        ],
      });
    await page.goto(url, { waitUntil: idle ? "networkidle" : "commit", timeout: 60_000 });
    if (idle) {
      await page.waitForTimeout(2000);
      const hydratedAt = await page.evaluate(
        () => (window as unknown as { __tap: { hydratedAt?: number } }).__tap.hydratedAt ?? NaN,
      );
      const buffer = await browser.stopTracing();
      const trace = (JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
      return {
        tap: { tappedAt: NaN, visibleAt: NaN, hydratedAt, entries: [], phase: "idle" },
        trace,
      };
    }
    const control = page.getByRole(target.role, { name: nameOf(target), exact: true }).first();
    await control.waitFor({ state: "visible", timeout: 60_000 });
    const visibleAt = await page.evaluate(() => performance.now()).catch(() => NaN);
    await control.click({ timeout: 60_000, noWaitAfter: true });
    await page.waitForTimeout(3000);
    const tap = ((await page
      .evaluate(() => (window as unknown as { __tap?: Tap }).__tap)
      .catch(() => undefined)) ?? { tappedAt: NaN, entries: [], phase: "?" }) as Tap;
    tap.visibleAt = visibleAt;
    if (process.env.NO_TRACE) return { tap, trace: [] };
    const buffer = await browser.stopTracing();
    const trace = (JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
    return { tap, trace };
  } finally {
    await context.close();
  }
}

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

/** The renderer's CPU profile samples: [ts, node id] plus the nodes. */
function samplesOf(trace: TraceEvent[], pid: number) {
  const nodes = new Map<number, { frame: Frame; parent?: number }>();
  const samples: { ts: number; node: number }[] = [];
  const starts = new Map<string, number>();
  for (const e of trace) {
    if (e.pid !== pid) continue;
    if (e.name === "Profile") starts.set(e.id!, (e.args!.data!.startTime as number) ?? e.ts);
  }
  const clocks = new Map(starts);
  for (const e of trace) {
    if (e.pid !== pid || e.name !== "ProfileChunk") continue;
    const data = e.args!.data! as {
      cpuProfile?: {
        nodes?: { id: number; callFrame: Frame; parent?: number }[];
        samples?: number[];
      };
      timeDeltas?: number[];
    };
    for (const n of data.cpuProfile?.nodes ?? [])
      nodes.set(n.id, { frame: n.callFrame, parent: n.parent });
    let clock = clocks.get(e.id!) ?? 0;
    const ids = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (let i = 0; i < ids.length; i++) {
      clock += deltas[i] ?? 0;
      samples.push({ ts: clock, node: ids[i]! });
    }
    clocks.set(e.id!, clock);
  }
  samples.sort((a, b) => a.ts - b.ts);
  return { nodes, samples };
}

function short(url: string = "") {
  return url.replace(/^.*\/(assets|build|node_modules)\//, "").slice(0, 60);
}

function analyse(trace: TraceEvent[], tap: Tap, label: string, top: number) {
  console.log(
    `\n== ${label}: control seen at ${Math.round(tap.visibleAt)} ms, pointerdown at ${Math.round(tap.tappedAt)} ms (${tap.phase}); ` +
      tap.entries
        .filter((e) => !e.name.endsWith("enter") && !e.name.endsWith("over"))
        .map(
          (e) =>
            `${e.name} ${Math.round(e.startTime)}+${Math.round(e.duration)} (delay ${Math.round(e.processingStart - e.startTime)}, handlers ${Math.round(e.processingEnd - e.processingStart)})`,
        )
        .join(", "),
  );
  const pointerdowns = trace.filter(
    (e) => e.name === "EventDispatch" && (e.args?.data?.type as string) === "pointerdown",
  );
  const pid = pointerdowns[0]?.pid;
  if (pid === undefined) {
    console.log(`${label}: no pointerdown in the trace`);
    return;
  }
  const main = pointerdowns[0]!.tid;
  const nav = trace.find(
    (e) =>
      e.pid === pid &&
      e.name === "navigationStart" &&
      String(e.args?.data?.documentLoaderURL ?? "").includes("/app"),
  );
  const origin = nav?.ts ?? 0;
  const at = (perf: number) => origin + perf * 1000;
  const entry = tap.entries.find((e) => e.name === "pointerdown") ?? tap.entries[0];
  const interactionEnd = Math.max(
    ...tap.entries
      .filter((e) => e.startTime >= tap.tappedAt - 50)
      .map((e) => e.startTime + e.duration),
    tap.tappedAt,
  );
  void entry;
  const from = at(Math.min(tap.visibleAt, tap.tappedAt) - 300);
  const to = at(interactionEnd) + 5000;
  const tasks = trace
    .filter(
      (e) =>
        e.pid === pid &&
        e.tid === main &&
        e.ph === "X" &&
        e.name === "ThreadControllerImpl::RunTask" &&
        e.ts + (e.dur ?? 0) >= from &&
        e.ts <= to &&
        (e.dur ?? 0) >= 3000,
    )
    .sort((a, b) => a.ts - b.ts);
  const { nodes, samples } = samplesOf(trace, pid);
  const inside = (e: TraceEvent, t: TraceEvent) => e.ts >= t.ts && e.ts < t.ts + (t.dur ?? 0);
  for (const task of tasks) {
    const kids = trace.filter(
      (e) =>
        e.pid === pid &&
        e.tid === main &&
        e.ph === "X" &&
        e !== task &&
        inside(e, task) &&
        (e.dur ?? 0) >= 1000,
    );
    const what = kids
      .filter(
        (e) => !["RunTask", "ThreadControllerImpl::RunTask", "RunMicrotasks"].includes(e.name),
      )
      .slice(0, 6)
      .map((e) => {
        const d = e.args?.data ?? {};
        const detail =
          (d.type as string) || short(String(d.url ?? "")) || (d.functionName as string) || "";
        return `${e.name}${detail ? `(${detail})` : ""} ${ms(e.dur ?? 0)}`;
      })
      .join(", ");
    const self = new Map<string, number>();
    const inTask = samples.filter((s) => s.ts >= task.ts && s.ts < task.ts + (task.dur ?? 0));
    for (let i = 0; i < inTask.length; i++) {
      const s = inTask[i]!;
      const next = inTask[i + 1]?.ts ?? task.ts + (task.dur ?? 0);
      const frame = nodes.get(s.node)?.frame;
      const key = frame
        ? `${frame.functionName || "(anon)"} ${short(frame.url)}:${frame.lineNumber + 1}`
        : "?";
      self.set(key, (self.get(key) ?? 0) + (next - s.ts));
    }
    const isTap = task.ts <= at(tap.tappedAt) && task.ts + (task.dur ?? 0) >= at(tap.tappedAt);
    if (isTap || (task.dur ?? 0) >= Number(process.env.TRACE_INCLUSIVE_MS ?? 1e9) * 1000) {
      // Inclusive time per frame (each frame once per sample), for what the task's time went to.
      const total = new Map<string, number>();
      for (let i = 0; i < inTask.length; i++) {
        const s = inTask[i]!;
        const next = inTask[i + 1]?.ts ?? task.ts + (task.dur ?? 0);
        const seen = new Set<string>();
        for (let id: number | undefined = s.node; id !== undefined; id = nodes.get(id)?.parent) {
          const frame = nodes.get(id)?.frame;
          if (!frame) break;
          const key = `${frame.functionName || "(anon)"} ${short(frame.url)}:${frame.lineNumber + 1}:${frame.columnNumber ?? 0}`;
          if (seen.has(key)) continue;
          seen.add(key);
          total.set(key, (total.get(key) ?? 0) + (next - s.ts));
        }
      }
      console.log(
        "      inclusive: " +
          [...total]
            .filter(([k]) => !k.startsWith("(root)"))
            .sort((a, b) => b[1] - a[1])
            .filter(([k]) => (process.env.TRACE_NAMED ? k.split(" ")[0]!.length > 3 : true))
            .slice(0, Number(process.env.TRACE_TOP ?? 60))
            .map(([k, v]) => `${k} ${ms(v)}`)
            .join("\n        "),
      );
    }
    const heavy = [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${k} ${ms(v)}`)
      .join(" | ");
    const rel = (ts: number) => Math.round((ts - origin) / 1000);
    const mark =
      task.ts <= at(tap.tappedAt) && task.ts + (task.dur ?? 0) >= at(tap.tappedAt) ? " <TAP>" : "";
    console.log(
      `  ${rel(task.ts)}–${rel(task.ts + (task.dur ?? 0))} ms (${ms(task.dur ?? 0)})${mark}: ${what}`,
    );
    if (heavy) console.log(`      ${heavy}`);
  }
}

/**
 * The main thread's CPU time (thread time, which neither the 4x throttling nor the machine's other
 * work inflates) from the navigation until the page went quiet, by what ran, and the functions
 * that took it (from the samples, counted in wall time).
 */
function cpuOf(trace: TraceEvent[], label: string, top: number, hydratedAt: number) {
  const nav = trace.find(
    (e) =>
      e.name === "navigationStart" &&
      String(e.args?.data?.documentLoaderURL ?? "").includes("/app"),
  );
  if (!nav) return console.log(`${label}: no navigation`);
  const { pid } = nav;
  const mainTid = trace.find(
    (e) => e.pid === pid && e.name === "thread_name" && e.args?.name === "CrRendererMain",
  )?.tid;
  const tasks = trace.filter(
    (e) =>
      e.pid === pid &&
      e.tid === mainTid &&
      e.ph === "X" &&
      e.name === "ThreadControllerImpl::RunTask" &&
      e.ts >= nav.ts,
  );
  const kinds = new Map<string, number>();
  let total = 0;
  let wall = 0;
  // From the first task that runs the app's entry to the root's hydration.
  const entry = trace.find(
    (e) => e.pid === pid && e.name === "v8.evaluateModule" && e.ts >= nav.ts,
  );
  const until = nav.ts + hydratedAt * 1000;
  let hydrateCpu = 0;
  let hydrateWall = 0;
  const inside = (e: TraceEvent, t: TraceEvent) => e.ts >= t.ts && e.ts < t.ts + (t.dur ?? 0);
  const byTask = trace.filter((e) => e.pid === pid && e.tid === mainTid && e.ph === "X");
  for (const task of tasks) {
    const cpu = ((task as unknown as { tdur?: number }).tdur ?? 0) / 1000;
    total += cpu;
    wall += (task.dur ?? 0) / 1000;
    if (entry && task.ts + (task.dur ?? 0) >= entry.ts && task.ts <= until) {
      hydrateCpu += cpu;
      hydrateWall += (task.dur ?? 0) / 1000;
    }
    const kid = byTask.find(
      (e) => e !== task && inside(e, task) && !e.name.includes("RunTask") && (e.dur ?? 0) > 0,
    );
    const kind = kid
      ? kid.name + (kid.name === "v8.evaluateModule" || kid.name === "FunctionCall" ? "" : "")
      : "other";
    kinds.set(kind, (kinds.get(kind) ?? 0) + cpu);
  }
  const { nodes, samples } = samplesOf(trace, pid);
  const self = new Map<string, number>();
  for (let i = 0; i < samples.length - 1; i++) {
    const s = samples[i]!;
    if (s.ts < nav.ts) continue;
    const frame = nodes.get(s.node)?.frame;
    if (!frame || frame.functionName === "(idle)") continue;
    const key = `${frame.functionName || "(anon)"} ${short(frame.url)}`;
    self.set(key, (self.get(key) ?? 0) + (samples[i + 1]!.ts - s.ts));
  }
  console.log(
    `${label}: scripts ran at ${entry ? Math.round((entry.ts - nav.ts) / 1000) : "?"} ms, hydrated at ${Math.round(hydratedAt)} ms: ` +
      `CPU ${Math.round(hydrateCpu)} ms, tasks ${Math.round(hydrateWall)} ms in between; ` +
      `whole load CPU ${Math.round(total)} ms (wall ${Math.round(wall)} ms in ${tasks.length} tasks); ` +
      [...kinds]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(", "),
  );
  console.log(
    "    " +
      [...self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(" | "),
  );
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const saved = option("analyse");
  if (saved) {
    const { traceEvents, tap } = JSON.parse(readFileSync(saved, "utf8")) as {
      traceEvents: TraceEvent[];
      tap: Tap;
    };
    analyse(traceEvents, tap, saved, Number(option("top") ?? 8));
    return;
  }
  const screens = args.filter((a) => !a.startsWith("--"));
  const loads = Number(option("loads") ?? 3);
  const top = Number(option("top") ?? 8);
  const save = option("save");
  ensureBuild(console.log);
  const shop = await startScreenShop("screens-trace", 10_000, console.log);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const host = Buffer.from(
      `admin.shopify.com/store/${SHOP.replace(".myshopify.com", "")}`,
    ).toString("base64");
    for (const name of screens) {
      const screen = SCREENS[name];
      if (!screen) throw new Error(`no screen ${name}`);
      for (let i = 0; i < loads; i++) {
        const token = await sessionToken(shop.apiKey, shop.secret);
        const locale = option("locale") ? `&locale=${option("locale")}` : "";
        const url = `${shop.url}${screen.path}?embedded=1&shop=${SHOP}&host=${host}&id_token=${token}${locale}`;
        if (args.includes("--html") && i === 0) {
          const html = await (await fetch(url, { headers: { "User-Agent": UA } })).text();
          if (save) writeFileSync(join(save, `${name}.html`), html);
          const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map(
            (m) => `${m[1]!.trim().slice(0, 40) || "inline"} ${m[2]!.length}`,
          );
          console.log(`${name}: HTML ${html.length} chars; scripts: ${scripts.join(", ")}`);
        }
        const idle = args.includes("--idle");
        const { tap, trace } = await tracedTap(browser, url, screen.target, idle);
        if (idle) {
          if (save)
            writeFileSync(
              join(save, `${name}-idle-${i}.json`),
              JSON.stringify({ traceEvents: trace, tap }),
            );
          cpuOf(trace, `${name} #${i + 1}`, top, tap.hydratedAt ?? NaN);
          continue;
        }
        if (save)
          writeFileSync(
            join(save, `${name}-${i}.json`),
            JSON.stringify({ traceEvents: trace, tap }),
          );
        analyse(trace, tap, `${name} #${i + 1}`, top);
      }
    }
  } finally {
    await browser.close();
    await shop.stop();
  }
}

await main();
