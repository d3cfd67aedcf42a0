// `npm run demo` as a newcomer runs it: it starts the simulator, the app and its worker, prints
// one URL; opening it signs in like Shopify admin, and the seeded shop's paid orders get routed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, usesStandIn, watchForErrors, type Browser } from "./support/browser";
import { english } from "./support/catalogue.ts";
import { freePort } from "./support/ports";

let demo: ChildProcess;
let output = "";
let browser: Browser;
let dataDir: string;
let simPort: number;
let appPort: number;

function portOpen(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "demo-e2e-"));
  simPort = await freePort();
  appPort = await freePort();
  // The test command built the app already; the demo reuses that build.
  demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    env: {
      ...process.env,
      SIM_PORT: String(simPort),
      PORT: String(appPort),
      DEMO_DATA_DIR: dataDir,
      DEMO_SKIP_BUILD: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const until = Date.now() + 120_000;
  while (!output.includes("Press Ctrl-C") && Date.now() < until) {
    if (demo.exitCode !== null) throw new Error(`npm run demo exited ${demo.exitCode}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!output.includes("Press Ctrl-C")) throw new Error(`npm run demo did not start:\n${output}`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    demo.kill("SIGINT");
    await new Promise((resolve) => demo.once("exit", resolve));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** The one URL the demo printed for the newcomer to open: admin's way into the app. */
const demoUrl = () => /(http:\/\/127\.0\.0\.1:\d+\/_sim\/open\?shop=\S+)/.exec(output)?.[1];

/** Opens the demo's URL as the newcomer does, until home says the demo shop is connected. */
async function openHome(page: Page): Promise<void> {
  await page.goto(demoUrl()!);
  const connected = english("home.defaults.connected", {
    shop: "fulfilment-router-demo.myshopify.com",
  });
  try {
    await expect
      .poll(() => page.getByText(connected).count(), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
  } catch (error) {
    throw withDemoOutput(error);
  }
}

/**
 * The error with what the demo printed last: a demo that stopped (one of its processes did) says
 * why only there, and a test failing on a closed port would otherwise not show it.
 */
function withDemoOutput(error: unknown): Error {
  const stopped = demo.exitCode !== null ? ` (npm run demo exited ${demo.exitCode})` : "";
  return new Error(
    `${(error as Error).message}${stopped}\n--- npm run demo's last output:\n${output.slice(-6000)}`,
  );
}

describe("npm run demo", () => {
  it("prints the one URL to open, and it opens the app signed in to the demo shop", async () => {
    expect(demoUrl()).toBeDefined();
    const page = await browser.context.newPage();
    const problems = watchForErrors(page);
    await openHome(page);
    expect(await usesStandIn(page)).toBe(true);
    await page.screenshot({ path: "tests/e2e/artifacts/demo-home.png", fullPage: true });
    expect(problems).toEqual([]);
  });

  it("shows a newcomer one stuck request and one drifted order from the shop's past with its lab", async () => {
    const url = demoUrl()!;
    const page = await browser.context.newPage();
    const problems = watchForErrors(page);
    const rows = () => page.locator("tbody tr").filter({ hasText: "Partner Lab" });
    await page.goto(`${url}&path=${encodeURIComponent("/app/stuck")}`);
    await page.getByRole("button", { name: english("stuck.scan") }).click();
    await expect.poll(() => rows().count(), { timeout: 60_000 }).toBe(1);
    expect(await rows().textContent()).toContain(
      english("findings.evidence.labRejected", { lab: "Partner Lab" }),
    );
    await page.screenshot({ path: "tests/e2e/artifacts/demo-stuck.png", fullPage: true });

    await page.goto(`${url}&path=${encodeURIComponent("/app/stuck?view=drift")}`);
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(1);
    expect(await rows().textContent()).toContain("DHL 00340434");
    await page.screenshot({ path: "tests/e2e/artifacts/demo-drift.png", fullPage: true });

    // Home counts both, each linking to its view.
    await page.goto(`${url}&path=${encodeURIComponent("/app")}`);
    const link = (name: string) => page.getByRole("link", { name });
    await expect.poll(() => link(english("stuck.home.stuck")).count(), { timeout: 30_000 }).toBe(1);
    expect(await link(english("stuck.home.drift")).count()).toBe(1);

    // A merchant whose admin speaks German reads the drift in German.
    await page.goto(`${url}&locale=de&path=${encodeURIComponent("/app/stuck?view=drift")}`);
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(1);
    expect(await rows().textContent()).toContain(
      "Erfasst von Partner Lab: 1 × Fine Art Print versendet mit Sendungsverfolgung DHL 00340434",
    );
    await page.screenshot({ path: "tests/e2e/artifacts/demo-drift-de.png", fullPage: true });
    expect(problems).toEqual([]);
  });

  it("routes the demo shop's paid orders with its rules once the merchant has opened the app", async () => {
    // GIVEN the newcomer has opened the app (its first load installs the shop's offline token,
    // which the worker needs to route: this test must not lean on the first one having opened it)
    const page = await browser.context.newPage();
    const problems = watchForErrors(page);
    await openHome(page);
    const sim = `http://127.0.0.1:${simPort}`;
    const { orderId } = (await (
      await fetch(`${sim}/_sim/orders`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          shop: "fulfilment-router-demo.myshopify.com",
          order: {
            lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
            payment: "paid",
            riskLevel: "HIGH",
          },
        }),
      })
    ).json()) as { orderId: string };
    // The demo's rule "High-risk orders wait for me" holds it with Shopify's reason.
    await expect
      .poll(
        async () => {
          const state = (await (
            await fetch(`${sim}/_sim/orders/${encodeURIComponent(orderId)}`)
          ).json()) as {
            tags: string[];
            fulfillmentOrders: { holds: { reason: string }[] }[];
          };
          return {
            held: state.fulfillmentOrders.some((f) =>
              f.holds.some((h) => h.reason === "HIGH_RISK_OF_FRAUD"),
            ),
            tagged: state.tags.includes("high-risk"),
          };
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual({ held: true, tagged: true });
    expect(problems).toEqual([]);
  });

  it("stops everything it started on Ctrl-C", async () => {
    // A demo that stopped before would never answer the signal: say so, with why, at once.
    if (demo.exitCode !== null)
      throw withDemoOutput(new Error("npm run demo stopped before Ctrl-C"));
    demo.kill("SIGINT");
    await new Promise((resolve) => demo.once("exit", resolve));
    await expect
      .poll(async () => [await portOpen(simPort), await portOpen(appPort)], { timeout: 10_000 })
      .toEqual([false, false]);
  });
});
