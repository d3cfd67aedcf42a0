// queue_first_page_ms: the review queue's first page with 10,000 pending fulfillment orders in the
// database, as the embedded app asks for it (session token, loader data). web_vitals: LCP, CLS and
// INP per screen, measured in Chromium from the browser's own performance entries.
import { randomBytes, randomUUID } from "node:crypto";
import { createClient } from "@libsql/client";
import { SignJWT } from "jose";
import { chromium } from "playwright-core";
import { createSimulator } from "../../simulator/src/server";
import { startApp } from "./support/app-process";
import { defineBench } from "./support/bench";
import { ensureBuild } from "./support/build";
import { percentile, round1 } from "./support/stats";

const SHOP = "fulfilment-router-demo.myshopify.com";
const PENDING = 10_000;
const UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

async function sessionToken(apiKey: string, secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ dest: `https://${SHOP}`, sid: randomUUID() })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`https://${SHOP}/admin`)
    .setAudience(apiKey)
    .setSubject("1")
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 60)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(secret));
}

/** 10,000 fulfillment orders waiting for the merchant, as the executor writes them. */
async function seedQueue(databaseUrl: string) {
  const client = createClient({ url: databaseUrl });
  const outcomes = ["in_review", "held", "needs_attention", "waiting_for_you", "requesting"];
  const started = Date.now() - 30 * 24 * 3600_000;
  const batch = 500;
  for (let offset = 0; offset < PENDING; offset += batch) {
    const rows = Array.from({ length: batch }, (_, i) => {
      const n = offset + i;
      return {
        sql: `INSERT INTO "FulfillmentOrderRecord" ("id","shop","fulfillmentOrderId","orderId","orderName","customerName","status","requestStatus","outcome","reason","ruleName","locationName","provider","riskLevel","skus","tags","orderCreatedAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        args: [
          `bench-${n}`,
          SHOP,
          `gid://shopify/FulfillmentOrder/${9_000_000 + n}`,
          `gid://shopify/Order/${8_000_000 + Math.floor(n / 2)}`,
          `#${10_000 + Math.floor(n / 2)}`,
          `Customer ${n % 700}`,
          n % 3 ? "ON_HOLD" : "OPEN",
          "UNSUBMITTED",
          outcomes[n % outcomes.length]!,
          n % 3 ? "Awaiting review: Check the crop" : null,
          n % 2 ? "Lab prints after review" : "Settings",
          n % 2 ? "Partner Lab" : "Studio",
          n % 2 ? "Partner Lab" : null,
          ["LOW", "MEDIUM", "HIGH"][n % 3]!,
          `PRINT-MATTE-A4 SKU-${n % 97}`,
          n % 5 ? "" : "wholesale",
          new Date(started + n * 200).getTime(),
          Date.now(),
        ],
      };
    });
    await client.batch(rows, "write");
  }
  client.close();
}

export const bench = defineBench({
  name: "screens",
  figures: [
    {
      name: "queue_first_page_ms",
      description: `The review queue's first page (loader data) with ${PENDING} pending fulfillment orders`,
      unit: "ms",
      targets: [{ path: "p95", atMost: 100 }],
    },
    {
      name: "web_vitals",
      description:
        "Per screen: LCP, CLS and INP from a real click; cold loads, CPU throttled 4×, median",
      targets: [
        { path: "*.lcp_ms", atMost: 1000 },
        { path: "*.cls", atMost: 0.02 },
        { path: "*.inp_ms", atMost: 100 },
      ],
    },
  ],
  async run({ log }) {
    ensureBuild(log);
    const apiKey = "bench-api-key";
    const secret = randomBytes(24).toString("hex");
    // The simulator plays Shopify for loaders that read from it (order detail, locations) and
    // serves the App Bridge stand-in; its webhooks are not used here.
    const sim = createSimulator({
      apiKey,
      apiSecret: secret,
      appUrl: "http://127.0.0.1:1",
      seed: "demo",
    });
    const simServer = await sim.start(0);
    const appWithSim = await startApp({
      server: "server",
      label: "screens",
      env: {
        SHOPIFY_API_SECRET: secret,
        SHOPIFY_ADMIN_ORIGIN: simServer.url,
        APP_BRIDGE_URL: `${simServer.url}/app-bridge.js`,
        WORKER: "off",
      },
    });
    try {
      log(`seeding ${PENDING} pending fulfillment orders`);
      await seedQueue(appWithSim.databaseUrl);
      const client = createClient({ url: appWithSim.databaseUrl });
      await client.execute({
        sql: `INSERT INTO "Session" ("id","shop","state","isOnline","scope","accessToken") VALUES (?,?,?,?,?,?)`,
        args: [`offline_${SHOP}`, SHOP, "", 0, "write_orders", sim.mintToken(SHOP)],
      });
      await client.execute({
        sql: `INSERT INTO "Shop" ("shop","updatedAt") VALUES (?,?)`,
        args: [SHOP, Date.now()],
      });
      client.close();

      // The queue's first page as App Bridge fetches it: loader data with a fresh session token.
      const timings: number[] = [];
      for (let i = 0; i < 60; i++) {
        const token = await sessionToken(apiKey, secret);
        const started = performance.now();
        const response = await fetch(`${appWithSim.url}/app/queue.data`, {
          headers: { Authorization: `Bearer ${token}`, "User-Agent": UA },
        });
        await response.arrayBuffer();
        const elapsed = performance.now() - started;
        if (response.status !== 200) throw new Error(`/app/queue.data answered ${response.status}`);
        if (i >= 10) timings.push(elapsed); // the first ones warm the caches
      }
      timings.sort((a, b) => a - b);
      const queue = { p50: round1(percentile(timings, 50)), p95: round1(percentile(timings, 95)) };
      log(`queue first page: p50 ${queue.p50} ms, p95 ${queue.p95} ms`);

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
      const vitals: Record<string, Record<string, number>> = {};
      try {
        const context = await browser.newContext({
          userAgent: UA,
          viewport: { width: 1280, height: 900 },
        });
        await context.route("https://cdn.shopify.com/**", (route) =>
          route.fulfill({ status: 200, contentType: "text/javascript", body: "" }),
        );
        await context.addInitScript(() => {
          const w = window as unknown as { __vitals: { lcp: number; cls: number; inp: number } };
          w.__vitals = { lcp: 0, cls: 0, inp: 0 };
          new PerformanceObserver((list) => {
            for (const e of list.getEntries())
              w.__vitals.lcp = Math.max(w.__vitals.lcp, e.startTime);
          }).observe({ type: "largest-contentful-paint", buffered: true });
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as unknown as {
              value: number;
              hadRecentInput: boolean;
            }[])
              if (!e.hadRecentInput) w.__vitals.cls += e.value;
          }).observe({ type: "layout-shift", buffered: true });
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as unknown as {
              duration: number;
              interactionId?: number;
            }[])
              if (e.interactionId) w.__vitals.inp = Math.max(w.__vitals.inp, e.duration);
          }).observe({
            type: "event",
            buffered: true,
            durationThreshold: 16,
          } as PerformanceObserverInit);
        });
        const page = await context.newPage();
        const screens: Record<string, string> = {
          home: "/app",
          queue: "/app/queue",
          rules: "/app/rules",
          capabilities: "/app/capabilities",
          settings: "/app/settings",
        };
        for (const [name, path] of Object.entries(screens)) {
          // The document request Shopify admin makes when it opens the app on this screen.
          const host = Buffer.from(
            `admin.shopify.com/store/${SHOP.replace(".myshopify.com", "")}`,
          ).toString("base64");
          const idToken = await sessionToken(apiKey, secret);
          await page.goto(
            `${appWithSim.url}${path}?embedded=1&shop=${SHOP}&host=${host}&id_token=${idToken}`,
            { waitUntil: "networkidle" },
          );
          // One interaction: a click on the page's first button (or its heading), as a merchant's first tap.
          const target = page.locator("main button, .Polaris-Page button").first();
          if (await target.count())
            await target.click({ trial: false, timeout: 2000 }).catch(() => undefined);
          else await page.mouse.click(400, 300);
          await page.waitForTimeout(500);
          const v = await page.evaluate(
            () =>
              (window as unknown as { __vitals: { lcp: number; cls: number; inp: number } })
                .__vitals,
          );
          vitals[name] = {
            lcp_ms: round1(v.lcp),
            cls: Math.round(v.cls * 1000) / 1000,
            inp_ms: round1(v.inp),
          };
          log(`${name}: LCP ${round1(v.lcp)} ms, CLS ${v.cls.toFixed(3)}, INP ${round1(v.inp)} ms`);
        }
      } finally {
        await browser.close();
      }
      return { queue_first_page_ms: queue, web_vitals: vitals };
    } finally {
      await appWithSim.stop();
      await simServer.stop();
    }
  },
});
