// The worker's gateway per shop (docs/decisions/037): a shop's jobs reuse the offline session
// their gateway was made with instead of reading it for every job, but never a token Shopify
// refused, nor one near its expiry (the library refreshes those as the session is loaded), on the
// simulator's Admin API with the session rows the app's storage keeps.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ORDER_ROUTING_SNAPSHOT_QUERY } from "~/shopify/operations";
import { emptyTables, statementsDuring } from "../support/integration";
import { startShopSimulator } from "../support/shop-simulator";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator();
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";
const { default: db } = await import("~/db.server");
const { forgetGateway, gatewayForJobs } = await import("~/gateways.server");

afterAll(async () => {
  await sim.stop();
});

const SESSION_ID = `offline_${sim.shop}`;

/** Stores the shop's offline session as the app's session storage keeps it. */
async function storeSession(accessToken: string, expires: Date | null = null) {
  await db.session.upsert({
    where: { id: SESSION_ID },
    create: {
      id: SESSION_ID,
      shop: sim.shop,
      state: "",
      isOnline: false,
      accessToken,
      expires,
      scope: "read_orders",
    },
    update: { accessToken, expires },
  });
}

async function validToken(): Promise<string> {
  return (await sim.control<{ accessToken: string }>("POST", "/_sim/tokens", { shop: sim.shop }))
    .accessToken;
}

/** The statements that read a session row while `run` runs, caught at the driver. */
async function sessionReadsDuring(run: () => Promise<unknown>): Promise<number> {
  const sent = await statementsDuring(db, run);
  // SQLite's text names `main`.`Session`, PostgreSQL's "public"."Session".
  return sent.filter((q) => /\bFROM\s+\S*Session\W*\s/.test(q.sql)).length;
}

/** A call a route job makes first: the order read (an unknown order answers null). */
async function readOrder(shop = sim.shop) {
  const gateway = await gatewayForJobs(shop);
  await gateway.request(ORDER_ROUTING_SNAPSHOT_QUERY, {
    id: "gid://shopify/Order/0",
    lines: 1,
    fulfillmentOrders: 1,
    fulfillmentOrderLines: 1,
    withLocations: false,
  });
}

beforeEach(async () => {
  await sim.reset();
  await emptyTables(db);
  // As the app's uninstall does: each test installs the shop afresh.
  forgetGateway(sim.shop);
});

describe("the worker's gateway per shop", () => {
  it("reads the shop's session once for the jobs that follow one another", async () => {
    await storeSession(await validToken());
    await readOrder();
    const reads = await sessionReadsDuring(async () => {
      for (let job = 0; job < 5; job++) await readOrder();
    });
    expect(reads).toBe(0);
  });

  it("loads the session again once Shopify refused its token, and goes on with the new one", async () => {
    // A token the simulator never issued (an uninstalled app's): Shopify answers 401.
    await storeSession("shpat_revoked");
    await expect(readOrder()).rejects.toMatchObject({ kind: "unauthorized" });
    // Installed again: a new token in the session row. The next job's call uses it.
    await storeSession(await validToken());
    const reads = await sessionReadsDuring(() => readOrder());
    expect(reads).toBe(1);
  });

  it("does not reuse a token within five minutes of its expiry: the session is loaded each time", async () => {
    await storeSession(await validToken(), new Date(Date.now() + 2 * 60_000));
    const reads = await sessionReadsDuring(async () => {
      await readOrder();
      await readOrder();
    });
    expect(reads).toBe(2);
  });
});
