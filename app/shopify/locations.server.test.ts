// Every location of a shop read through the app's gateway from the shop simulator, page after
// page: a chain of 600 stores is three pages of Shopify's 250.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../simulator/src/server";
import { addLocation } from "../../simulator/src/shop/catalog";
import { ShopBudgets } from "./budget";
import { createAdminGateway, type AdminGateway } from "./gateway.server";
import { readEveryLocation, readRestOfLocations } from "./locations.server";

const SHOP = "fulfilment-router-demo.myshopify.com";
const STORES = 600;
const storeName = (n: number) => `Store ${String(n).padStart(3, "0")}`;

let sim: Simulator;
let stop: () => Promise<void>;
let gateway: AdminGateway;

beforeAll(async () => {
  sim = createSimulator({ seed: "demo", timeScale: 0.001 });
  const shop = sim.state.shop(SHOP)!;
  // The merchant's stores, added in Shopify's admin beside the Studio and the Partner Lab.
  for (let n = 1; n <= STORES; n++) addLocation(sim.state, shop, { name: storeName(n) });
  const started = await sim.start(0);
  stop = started.stop;
  gateway = createAdminGateway({
    shop: SHOP,
    accessToken: sim.mintToken(SHOP),
    adminOrigin: started.url,
    budgets: new ShopBudgets(),
    baseDelayMs: 5,
  });
});
afterAll(async () => {
  await stop();
});

const locationCalls = () => sim.stats.for(SHOP).operations.Locations?.calls ?? 0;

describe("the shop's locations, page after page", () => {
  it("are read whole, each page from the cursor of the one before", async () => {
    const before = locationCalls();
    const locations = await readEveryLocation(gateway);
    expect(locationCalls() - before).toBe(Math.ceil((STORES + 2) / 250));
    expect(locations.nodes.map((l) => l.name)).toEqual([
      "Partner Lab",
      ...Array.from({ length: STORES }, (_, i) => storeName(i + 1)),
      "Studio",
    ]);
    expect(locations.pageInfo.hasNextPage).toBe(false);
  });

  it("cost no call when the page in hand says none follow", async () => {
    const page = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const before = locationCalls();
    expect(await readRestOfLocations(gateway, page)).toBe(page);
    expect(locationCalls()).toBe(before);
  });
});
