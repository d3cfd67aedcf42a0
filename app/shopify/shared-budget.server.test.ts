// The shop's Admin API bucket kept in PostgreSQL for every process: two processes' reservations
// queue behind each other (a debt is waited out), refunds and Shopify's own reading settle it, and
// two worker processes hammering one Standard shop through the simulator are never THROTTLED,
// where two pictures kept per process are; Home in a web process sees what the workers spent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator } from "../../simulator/src/server";
import {
  postgresUnavailableReason,
  startPostgres,
  type PostgresCluster,
} from "../../tests/support/postgres";
import { adapterSql, createDb, type Db } from "../db/client.server";
import { migrate } from "../db/migrate.server";
import { ShopBudgets, type BudgetLedger } from "./budget";
import { createAdminGateway } from "./gateway.server";
import { createSharedBudgets, SETTLE_WITHIN_MS, type RawSql } from "./shared-budget.server";

const missing = postgresUnavailableReason();
const skip = missing !== null && !process.env.CI;
const SHOP = "ledger.myshopify.com";

describe.skipIf(skip)("shared Admin API budget (PostgreSQL)", () => {
  let cluster: PostgresCluster | null = null;
  const clients: Db[] = [];
  let n = 0;

  beforeAll(async () => {
    cluster = await startPostgres();
    if (!cluster) throw new Error(`PostgreSQL is required in CI: ${missing}`);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.$disconnect()));
    await cluster?.stop();
  });

  /** A migrated database of its own and `count` clients on it, as separate processes have. */
  async function processes(count: number): Promise<Db[]> {
    const url = await cluster!.createDatabase(`ledger_${++n}`);
    await migrate(url);
    const dbs = Array.from({ length: count }, () => createDb(url));
    clients.push(...dbs);
    return dbs;
  }

  it("makes a second process wait out what the first took, and gives back what went unspent", async () => {
    const [a, b] = await processes(2);
    // The first as the app makes it (gateways.server.ts, through the driver adapter), the second
    // through Prisma's raw query: the same row, the same answers.
    const first = createSharedBudgets(adapterSql(a!));
    const second = createSharedBudgets(b!);
    // A Standard shop's bucket (2,000 points, 100 a second) before anything is known.
    expect(await first.take(SHOP, 1500, 0)).toBe(0);
    // 500 left: the second process's 1,500 do not fit; 1,000 more take 10 s at 100 a second.
    expect(await second.take(SHOP, 1500, 0)).toBe(10_000);
    // The first call cost 300 of its 1,500: 1,200 come back (1,800 a second later, with 100
    // restored), and the second process's call fits.
    await first.settle(SHOP, { reserved: 1500, actual: 300, status: null }, 1000);
    // Written with the first process's next call, or on its own a moment later: here at once.
    await first.flush();
    expect(await second.take(SHOP, 1500, 1000)).toBe(0);
    // Shopify says the bucket holds less than the ledger's 300: the ledger believes Shopify.
    await second.settle(
      SHOP,
      {
        reserved: 1500,
        actual: 1500,
        status: { maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100 },
      },
      1000,
    );
    await second.flush();
    expect(await first.take(SHOP, 250, 1000)).toBe(2000);
  });

  it("adopts a Plus shop's bucket and rate from Shopify's answer", async () => {
    const [a] = await processes(1);
    const ledger = createSharedBudgets(a!);
    expect(await ledger.take(SHOP, 2000, 0)).toBe(0);
    await ledger.settle(
      SHOP,
      {
        reserved: 2000,
        actual: 2000,
        status: { maximumAvailable: 20_000, currentlyAvailable: 18_000, restoreRate: 1000 },
      },
      0,
    );
    // Empty by the ledger's count (2,000 taken from 2,000), refilling at 1,000 a second.
    expect(await ledger.take(SHOP, 1000, 0)).toBe(1000);
  });

  it("shows Home in the web process what the worker processes spent", async () => {
    const [worker, web] = await processes(2);
    const home = createSharedBudgets(web!);
    // Nothing spent yet: Standard's bucket assumed, and said to be unknown.
    expect(await home.snapshot(SHOP, 0)).toEqual({
      maximumAvailable: 2000,
      currentlyAvailable: 2000,
      restoreRate: 100,
      known: false,
    });
    const spending = createSharedBudgets(worker!);
    expect(await spending.take(SHOP, 600, 0)).toBe(0);
    await spending.settle(
      SHOP,
      {
        reserved: 600,
        actual: 500,
        status: { maximumAvailable: 2000, currentlyAvailable: 1500, restoreRate: 100 },
      },
      0,
    );
    await spending.flush();
    // The web process spent nothing, yet sees the worker's 500 points, restoring 100 a second.
    expect(await home.snapshot(SHOP, 2000)).toEqual({
      maximumAvailable: 2000,
      currentlyAvailable: 1700,
      restoreRate: 100,
      known: true,
    });
    // This process's own picture (one process on SQLite) knows nothing of the worker's calls.
    expect(new ShopBudgets().snapshot(SHOP, 2000).known).toBe(false);
  });

  it("writes a call's take and the settlements of the calls answered before it in one statement", async () => {
    const [a, b] = await processes(2);
    let statements = 0;
    const counted: RawSql = {
      $queryRawUnsafe(query, ...values) {
        statements++;
        return a!.$queryRawUnsafe(query, ...values);
      },
    };
    const worker = createSharedBudgets(counted);
    const other = createSharedBudgets(b!);
    const PLUS = "plus.myshopify.com";
    // Each shop's first call makes its row (one statement more, once a process).
    expect(await worker.take(SHOP, 800, 0)).toBe(0);
    expect(await worker.take(PLUS, 800, 0)).toBe(0);
    statements = 0;
    // Both answered: the Standard shop's call cost 200 of its 800, the other shop is Plus.
    await worker.settle(SHOP, { reserved: 800, actual: 200, status: null }, 0);
    await worker.settle(
      PLUS,
      {
        reserved: 800,
        actual: 800,
        status: { maximumAvailable: 20_000, currentlyAvailable: 19_000, restoreRate: 1000 },
      },
      0,
    );
    // The next call (of either shop) carries both: 1,800 of the Standard shop's 2,000 points
    // are there after the 600 come back, so 1,700 fit; the Plus shop's size and rate are adopted
    // (its 1,200 left by the ledger's count, below Shopify's 19,000).
    expect(await worker.take(SHOP, 1700, 0)).toBe(0);
    expect(statements).toBe(1);
    expect(await other.snapshot(PLUS, 0)).toEqual({
      maximumAvailable: 20_000,
      currentlyAvailable: 1200,
      restoreRate: 1000,
      known: true,
    });
    // A call takes nothing the settled bucket does not hold: 100 left, 400 more take 4 s.
    expect(await worker.take(SHOP, 500, 0)).toBe(4000);
    // An answer no call carries is written on its own: the other process sees it soon after.
    await worker.settle(SHOP, { reserved: 1700, actual: 700, status: null }, 0);
    for (let tries = 0; (await other.snapshot(SHOP, 0)).currentlyAvailable !== 1100; tries++) {
      expect(tries).toBeLessThan(100);
      await new Promise((r) => setTimeout(r, SETTLE_WITHIN_MS));
    }
    expect(statements).toBe(3);
  });

  it("takes the calls of several shops made at once in one statement, and one shop's calls one after the other", async () => {
    const [a] = await processes(1);
    const sent: string[] = [];
    const counted: RawSql = {
      $queryRawUnsafe(query, ...values) {
        sent.push(String(values[0]));
        return a!.$queryRawUnsafe(query, ...values);
      },
    };
    const worker = createSharedBudgets(counted);
    const shops = ["one", "two", "three", "four"].map((s) => `${s}.myshopify.com`);
    // Each shop's first call makes its row (a statement of its own, once a process).
    for (const shop of shops) expect(await worker.take(shop, 1500, 0)).toBe(0);
    sent.length = 0;
    // A worker's jobs of four shops start their calls at once: the first goes alone, the three
    // made while it was on its way together. 500 left of each Standard bucket: none fits, each
    // answered with its own shop's wait (1,000 more at 100 a second).
    const waits = await Promise.all(shops.map((shop) => worker.take(shop, 1500, 0)));
    expect(waits).toEqual([10_000, 10_000, 10_000, 10_000]);
    expect(sent).toHaveLength(2);
    expect(sent.map((rows) => (JSON.parse(rows) as unknown[]).length)).toEqual([1, 3]);
    // Two calls of one shop at once: never one statement, each sees what the other left. 500
    // points: the first takes 400, the second's 400 do not fit in the 100 left (3 s).
    sent.length = 0;
    const [first, second] = await Promise.all([
      worker.take(shops[0]!, 400, 0),
      worker.take(shops[0]!, 400, 0),
    ]);
    expect([first, second]).toEqual([0, 3000]);
    expect(sent).toHaveLength(2);
  });

  /**
   * Two processes learn what a query asks for; a third spends 1,500 of the Standard shop's 2,000
   * points (a bulk action, say); then the two send one query each (about 600 points).
   */
  async function hammer(
    ledgers: BudgetLedger[],
    third: BudgetLedger,
  ): Promise<{ throttled: number }> {
    const sim = createSimulator({ seed: "empty", timeScale: 0.001 });
    const { url, stop } = await sim.start(0);
    try {
      sim.addShop(SHOP, "standard", "demo");
      const gateways = ledgers.map((budgets) =>
        createAdminGateway({
          shop: SHOP,
          accessToken: sim.mintToken(SHOP),
          adminOrigin: url,
          budgets,
          baseDelayMs: 5,
        }),
      );
      const query = `#graphql
        query LedgerProbe { products(first: 150) { nodes { id title variants(first: 1) { nodes { id } } } } }`;
      for (const g of gateways) await g.request(query);
      await new Promise((r) => setTimeout(r, 200));
      const spent = 1500;
      expect(sim.bucketFor(SHOP).take(spent)).toBe(true);
      expect(await third.take(SHOP, spent, Date.now())).toBe(0);
      await third.settle(SHOP, { reserved: spent, actual: spent, status: null }, Date.now());
      await Promise.all(gateways.map((g) => g.request(query)));
      return { throttled: sim.stats.for(SHOP).throttled };
    } finally {
      await stop();
    }
  }

  it("keeps worker processes of one Standard shop under its bucket together: never THROTTLED", async () => {
    const [a, b, c] = await processes(3);
    // As the app makes them (gateways.server.ts): through the driver adapter.
    expect(
      await hammer(
        [createSharedBudgets(adapterSql(a!)), createSharedBudgets(adapterSql(b!))],
        createSharedBudgets(c!),
      ),
    ).toEqual({ throttled: 0 });
    // Each process with a picture of its own: the two do not see the third's spending.
    const apart = await hammer([new ShopBudgets(), new ShopBudgets()], new ShopBudgets());
    expect(apart.throttled).toBeGreaterThan(0);
  }, 60_000);
});
