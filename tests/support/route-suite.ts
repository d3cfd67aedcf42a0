// A suite that calls the app's routes as admin's browser does, with Shopify played by the simulator.
import type { Prisma } from "@prisma/client";
import { afterAll, beforeEach } from "vitest";
import type { Db } from "~/db/client.server";
import { emptyTables } from "./integration";
import { startShopSimulator, type SimulatorHandle } from "./shop-simulator";

/**
 * Starts the simulator and points the app at it, then loads the app's database: the app reads
 * its environment once, on first import, so a suite imports its routes after awaiting this.
 * Before each test every table is emptied, the shop put back to its seed and the shop's
 * settings row made (`shop`, the schema's defaults for what is left out).
 */
export async function withRouteSuite(
  shop: Omit<Prisma.ShopUncheckedCreateInput, "shop"> = {},
): Promise<{ sim: SimulatorHandle; db: Db }> {
  const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
  process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
  process.env.WORKER = "off";
  const { default: db } = await import("~/db.server");
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(async () => {
    await emptyTables(db);
    await sim.reset();
    await db.shop.create({ data: { ...shop, shop: sim.shop } });
  });
  return { sim, db };
}
