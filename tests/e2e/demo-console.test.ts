// What `npm run demo` prints to a newcomer on a shared machine: a port another program holds is
// named with the variable that moves it before anything starts (it printed its URL while its app
// died of EADDRINUSE and the other program answered), and the wait for the merchant to open the
// URL is said once with the URL again (a line per failed attempt buried the URL within seconds).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/db/client.server";
import { noOfflineSession } from "../../app/fulfilment/session-wait";
import { DEMO_SHOP } from "../../simulator/src/seed/demo";
import { freePort } from "./support/ports";

const folders: string[] = [];
const running: ChildProcess[] = [];

afterAll(async () => {
  for (const demo of running) {
    if (demo.exitCode !== null || demo.signalCode !== null) continue;
    demo.kill("SIGINT");
    await new Promise((resolve) => demo.once("exit", resolve));
  }
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** The demo as `npm run demo` runs it, on the test command's build; its output as it comes. */
function startDemo(env: Record<string, string>): { demo: ChildProcess; output: () => string } {
  const dataDir = mkdtempSync(join(tmpdir(), "demo-console-"));
  folders.push(dataDir);
  let output = "";
  const demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    env: { ...process.env, DEMO_DATA_DIR: dataDir, DEMO_SKIP_BUILD: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(demo);
  demo.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { demo, output: () => output };
}

const exited = (demo: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (demo.exitCode !== null) resolve(demo.exitCode);
    else demo.once("exit", (code) => resolve(code));
  });

describe("npm run demo's console", () => {
  it.each(["PORT", "SIM_PORT"])(
    "refuses a %s another program holds, naming it, and starts nothing",
    async (name) => {
      // Another program on the port that answers every path with a 404, as a stray server does.
      const other: Server = createServer((_, res) => res.writeHead(404).end());
      await new Promise<void>((done) => other.listen(0, "127.0.0.1", done));
      const taken = (other.address() as AddressInfo).port;
      const ports = { PORT: String(await freePort()), SIM_PORT: String(await freePort()) };
      try {
        const { demo, output } = startDemo({ ...ports, [name]: String(taken) });
        expect(await exited(demo)).toBe(1);
        expect(output()).toContain(`Port ${taken} (${name}) is in use by another program`);
        expect(output()).not.toContain("Press Ctrl-C");
        expect(output()).not.toContain("[simulator]");
      } finally {
        await new Promise((done) => other.close(done));
      }
    },
  );

  it("says once that the shop waits for the URL to be opened, with the URL, however often its orders are retried", async () => {
    const { demo, output } = startDemo({
      PORT: String(await freePort()),
      SIM_PORT: String(await freePort()),
    });
    const until = Date.now() + 120_000;
    while (!output().includes("Press Ctrl-C") && Date.now() < until) {
      if (demo.exitCode !== null) throw new Error(`The demo exited:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const url = /(http:\/\/127\.0\.0\.1:\d+\/_sim\/open\?shop=\S+)/.exec(output())?.[1];
    expect(url, output()).toBeDefined();
    // Nobody opens the URL: the fresh orders' route jobs fail for want of a session, again and
    // again. Their attempts are counted in the app's database, each a line of the app's before.
    const dataDir = folders.at(-1)!;
    const db = createDb(`file:${join(dataDir, "demo.db")}`);
    try {
      await expect
        .poll(
          async () =>
            (await db.job.aggregate({ where: { queue: "route-order" }, _sum: { attempts: true } }))
              ._sum.attempts ?? 0,
          { timeout: 60_000, interval: 500 },
        )
        .toBeGreaterThanOrEqual(8);
    } finally {
      await db.$disconnect();
    }
    // The worker's own words for a shop without its offline session (ADR 049), said once.
    const said = output().split(noOfflineSession(DEMO_SHOP)).length - 1;
    expect(said).toBe(1);
    expect(output()).toContain(`has no offline token until you open ${url}`);
  });
});
