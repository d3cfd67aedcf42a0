// Starting the built app's web processes for the tests, the fault runs and the benchmarks: a port
// found free may be another server's by the time the web process listens (the simulator, another
// test's app). That server's answer to /health must not pass for the web process's, or a front
// spreads every other request to it: a fault run's signed Flow action and its webhook replays were
// answered 404 by whatever held the second web process's port while that process had died of
// EADDRINUSE. A process whose port was taken starts again on another where its caller can move.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator } from "../../simulator/src/server";
import { startApp } from "../bench/support/app-process";
import {
  freePort,
  startRoundRobin,
  startWebProcess,
  startWebProcessOnFreePort,
  type AppChild,
} from "../support/processes";
import { startStack } from "./support/harness";

const API_KEY = "start-api-key";
const API_SECRET = "start-api-secret";

/**
 * Ports as another server on this machine leaves them: the first one handed out is `taken` (found
 * free, then taken before the process listened), the rest are free. Keeps what it handed out.
 */
function takenFirst(taken: number): { handed: number[]; pick: () => Promise<number> } {
  const handed: number[] = [];
  return {
    handed,
    pick: async () => {
      const port = handed.length === 0 ? taken : await freePort();
      handed.push(port);
      return port;
    },
  };
}

describe("a web process of the built app, started for a test", () => {
  let folder: string;
  let env: Record<string, string>;
  let sim: Awaited<ReturnType<ReturnType<typeof createSimulator>["start"]>>;
  const children: AppChild[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "web-process-start-"));
    sim = await createSimulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      appUrl: "http://127.0.0.1:9",
      seed: "empty",
    }).start(0);
    env = {
      DATABASE_URL: `file:${join(folder, "app.db")}`,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1:9",
      SHOPIFY_ADMIN_ORIGIN: sim.url,
    };
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await sim?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("is not taken as started when another server holds its port and answers /health", async () => {
    // The simulator answers /health 200 and everything else of the app 404.
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    const port = Number(new URL(sim.url).port);
    const started = startWebProcess("web on a taken port", port, env).then(
      (child) => {
        children.push(child);
        return child;
      },
      (error: Error) => error,
    );
    const outcome = await started;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/EADDRINUSE/);
  });

  it("serves behind a front started before it, which takes it when it listens", async () => {
    const front = await startRoundRobin([]);
    try {
      expect((await fetch(`${front.url}/health`)).status).toBe(502);
      const web = await startWebProcessOnFreePort("web", env);
      children.push(web);
      front.add(web.url);
      expect((await fetch(`${front.url}/health`)).status).toBe(200);
      expect(front.served).toEqual([1]);
      // What the fault run asks of its web processes at its end (a process gone is a failure).
      expect(web.running()).toBe(true);
      await web.kill();
      expect(web.running()).toBe(false);
    } finally {
      await front.close();
    }
  });

  it("starts again on another port when another server took the one found for it", async () => {
    const ports = takenFirst(Number(new URL(sim.url).port));
    const web = await startWebProcessOnFreePort(
      "web after a taken port",
      (url) => ({ ...env, SHOPIFY_APP_URL: url }),
      ports.pick,
    );
    children.push(web);
    expect(ports.handed).toHaveLength(2);
    expect(web.url).toBe(`http://127.0.0.1:${ports.handed[1]}`);
    expect((await fetch(`${web.url}/health`)).status).toBe(200);
  });

  it("starts the SQLite fault run's app on another port when its own was taken, and fails loudly on a port it was given that another server holds", async () => {
    const simPort = Number(new URL(sim.url).port);
    const appEnv = { SHOPIFY_API_KEY: API_KEY, SHOPIFY_ADMIN_ORIGIN: sim.url };
    const ports = takenFirst(simPort);
    const app = await startApp({
      server: "server",
      label: "ports",
      env: appEnv,
      pickPort: ports.pick,
    });
    try {
      expect(ports.handed).toHaveLength(2);
      expect(app.url).toBe(`http://127.0.0.1:${ports.handed[1]}`);
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
    } finally {
      await app.stop();
      app.cleanup();
    }
    // A caller that told others the port first cannot move: the start fails with the reason.
    await expect(
      startApp({ server: "server", label: "ports", env: appEnv, port: simPort }),
    ).rejects.toThrow(/EADDRINUSE/);
  });

  it("starts the browser tests' demo with its app on another port when its own was taken, and Shopify's webhooks reach the app there", async () => {
    const ports = takenFirst(Number(new URL(sim.url).port));
    const stack = await startStack({ faults: {}, pickPort: ports.pick });
    try {
      expect(ports.handed).toHaveLength(2);
      expect(stack.app.url).toBe(`http://127.0.0.1:${ports.handed[1]}`);
      await stack.createOrder({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }] });
      // Answered by the app (a shop not opened yet: taken and dropped, 200 all the same).
      await expect
        .poll(() =>
          stack.simulator.webhooks.deliveries.some(
            (d) => d.url === `${stack.app.url}/webhooks/orders/create` && d.status === "delivered",
          ),
        )
        .toBe(true);
    } finally {
      await stack.stop();
    }
  });
});
