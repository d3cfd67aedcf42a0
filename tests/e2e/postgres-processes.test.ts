// The scale-out set-up as production runs it: PostgreSQL with the pg-boss queue, two web processes
// behind a round-robin front and two worker processes, Shopify played by the simulator. Paid orders
// are each decided once, both web processes take deliveries, both workers route, and a worker
// killed mid-run loses nothing.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../app/db/client.server";
import { migrate } from "../../app/db/migrate.server";
import { seedDemoConfig } from "../../scripts/demo-config";
import { createSimulator } from "../../simulator/src/server";
import {
  postgresUnavailableReason,
  startPostgres,
  type PostgresCluster,
} from "../support/postgres";
import {
  startRoundRobin,
  startWebProcessOnFreePort,
  startWorkerProcess,
  type AppChild,
  type RoundRobin,
} from "../support/processes";
import { WEBHOOK_FAULTS } from "../support/webhook-faults";

const SHOP = "fulfilment-router-demo.myshopify.com";
const FINISHED = ["applied", "needs_attention"];
const missing = postgresUnavailableReason();

describe.skipIf(missing !== null && !process.env.CI)(
  "two web and two worker processes on PostgreSQL + pg-boss",
  () => {
    let cluster: PostgresCluster | null;
    let db: Db;
    let front: RoundRobin;
    let stopSim: () => Promise<void>;
    let simUrl: string;
    const children: AppChild[] = [];
    let env: Record<string, string>;

    beforeAll(async () => {
      cluster = await startPostgres();
      if (!cluster) throw new Error(`PostgreSQL is required in CI: ${missing}`);
      await migrate(cluster.url);
      db = createDb(cluster.url);

      // The web processes' ports are taken when they start (a port found free now could be the
      // simulator's by then): the front takes them as they come.
      front = await startRoundRobin([]);
      const apiKey = "multi-api-key";
      const apiSecret = "multi-api-secret";
      const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(
        readFileSync("shopify.app.toml", "utf8"),
      )![1]!;
      const sim = createSimulator({
        apiKey,
        apiSecret,
        appUrl: front.url,
        scopes,
        seed: "demo",
        timeScale: 0.001,
      });
      // Shopify promises neither order nor promptness: deliveries are reordered and delayed.
      sim.faults.set(WEBHOOK_FAULTS);
      const started = await sim.start(0);
      simUrl = started.url;
      stopSim = started.stop;
      // Installed: the offline session token exchange would have stored.
      await db.session.create({
        data: {
          id: `offline_${SHOP}`,
          shop: SHOP,
          state: "",
          isOnline: false,
          accessToken: sim.mintToken(SHOP),
          scope: scopes,
        },
      });
      const catalogue = (await (await fetch(`${simUrl}/_sim/products?shop=${SHOP}`)).json()) as {
        locations: { id: string; name: string; fulfillmentService: { handle: string } | null }[];
      };
      await seedDemoConfig(db, SHOP, catalogue.locations);

      env = {
        DATABASE_URL: cluster.url,
        SHOPIFY_API_KEY: apiKey,
        SHOPIFY_API_SECRET: apiSecret,
        SHOPIFY_APP_URL: front.url,
        SHOPIFY_ADMIN_ORIGIN: simUrl,
      };
      for (let i = 0; i < 2; i++) {
        const web = await startWebProcessOnFreePort(`web ${i + 1}`, env);
        children.push(web);
        front.add(web.url);
      }
      children.push(startWorkerProcess("worker 1", env), startWorkerProcess("worker 2", env));
    });

    afterAll(async () => {
      await Promise.all(children.map((c) => c.stop()));
      await front?.close();
      await stopSim?.();
      await db?.$disconnect();
      await cluster?.stop();
    });

    async function placeOrders(n: number): Promise<string[]> {
      const skus = ["PRINT-MATTE-A4", "LAB-METALLIC-30x45", "DIGITAL-FULL", "CANVAS-60x90-WRAP"];
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const response = await fetch(`${simUrl}/_sim/orders`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            shop: SHOP,
            order: { lineItems: [{ sku: skus[i % skus.length], quantity: 1 }], payment: "paid" },
          }),
        });
        ids.push(((await response.json()) as { orderId: string }).orderId);
      }
      return ids;
    }

    async function decided(orderIds: string[]) {
      const rows = await db.decision.findMany({
        // The automatic decisions: one per order however often Shopify and reconciliation ask.
        where: {
          shop: SHOP,
          orderId: { in: orderIds },
          trigger: { in: ["webhook", "reconciliation"] },
        },
        select: { orderId: true, status: true },
      });
      return rows;
    }

    /** What a failure message needs: each order's decisions and the processes' last words. */
    async function explain(orderIds: string[]): Promise<string> {
      const rows = await db.decision.findMany({
        where: { orderId: { in: orderIds } },
        select: { orderId: true, trigger: true, status: true, explanation: true },
      });
      // Jobs not finished: what the queue still holds.
      const jobs = await db.$queryRawUnsafe(
        `SELECT name, state, retry_count, start_after, data::text FROM pgboss.job WHERE state <> 'completed' ORDER BY created_on LIMIT 20`,
      );
      const tails = children.map((c) => `--- ${c.name}\n${c.output().slice(-3000)}`);
      return [JSON.stringify(rows), JSON.stringify(jobs), ...tails].join("\n");
    }

    async function waitForDecided(orderIds: string[], timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const done = (await decided(orderIds)).filter((d) => FINISHED.includes(d.status));
        if (done.length >= orderIds.length) return;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`Not every order was decided in time:\n${await explain(orderIds)}`);
    }

    it("decides every paid order once, with the work spread over both of each", async () => {
      const first = await placeOrders(12);
      await waitForDecided(first, 60_000);

      // A worker dies without a chance to finish what it holds; the other and a new one go on.
      await children[2]!.kill();
      children.push(startWorkerProcess("worker 3", env));
      const second = await placeOrders(12);
      const all = [...first, ...second];
      await waitForDecided(all, 90_000);

      // One decision per order, however the deliveries and jobs were spread.
      const rows = await decided(all);
      expect(rows).toHaveLength(24);
      expect(new Set(rows.map((r) => r.orderId)).size).toBe(24);
      // Both web processes took Shopify's deliveries; both first workers routed orders.
      expect(front.served.every((n) => n > 0)).toBe(true);
      const routed = (c: AppChild) => (c.output().match(/step\(s\)/g) ?? []).length;
      expect(routed(children[2]!)).toBeGreaterThan(0);
      expect(routed(children[3]!)).toBeGreaterThan(0);
      // Nothing was sent to Shopify twice: every order carries its rule's tag once at most.
      for (const orderId of all) {
        const state = (await (
          await fetch(`${simUrl}/_sim/orders/${encodeURIComponent(orderId)}`)
        ).json()) as { tags: string[] };
        expect(state.tags.length).toBe(new Set(state.tags).size);
      }
    }, 240_000);
  },
);
