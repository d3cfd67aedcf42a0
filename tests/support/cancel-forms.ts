// The cancel suites' shop, merchant and order-screen cancel forms, parsed as their actions do.
import { beforeEach } from "vitest";
import type { Db } from "~/db/client.server";
import { parseCancelLinesForm } from "~/fulfilment/cancel-lines.server";
import { parseCancelForm } from "~/fulfilment/cancel-order.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { withFreshDatabase, withShopSimulator } from "./integration";
import type { SimulatorHandle } from "./shop-simulator";

export interface CancelShop {
  sim: SimulatorHandle;
  db: Db;
  /** What the cancel services run on: this test's database, Shopify through the simulator. */
  deps(gateway?: AdminGateway): { db: Db; gateway: AdminGateway; now: () => Date };
  /** Lena, the staff member who cancels from the order screen. */
  merchant(): { shop: string; actor: string };
}

/**
 * The simulator's shop, installed in a fresh database before each test with manual routing and
 * digital downloads fulfilled by the app, so that only the test's own rules hold anything.
 */
export function withCancelShop(): CancelShop {
  const sim = withShopSimulator();
  const db = withFreshDatabase();
  beforeEach(async () => {
    await db.shop.create({
      data: { shop: sim.shop, defaultMode: "manual", digitalDownloads: "automatic" },
    });
  });
  return {
    sim,
    db,
    deps: (gateway) => ({ db, gateway: gateway ?? sim.gateway, now: () => new Date() }),
    merchant: () => ({ shop: sim.shop, actor: "Lena" }),
  };
}

type Parse<T> = (form: FormData) => { ok: true; value: T } | { ok: false; errors: unknown };

/** The fields as the browser posts them, parsed by the action's own parser; a field error throws. */
function posted<T>(parse: Parse<T>, fields: Record<string, string>): T {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const parsed = parse(form);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

/** "Cancel items" as posted: `line:<id>` quantities, reason, refund, amountMode, amount, restock… */
export const cancelLinesForm = (fields: Record<string, string>) =>
  posted((form) => parseCancelLinesForm(form), fields);

/** "Cancel order" as posted: reason, refund, restock, notifyCustomer. */
export const cancelOrderForm = (fields: Record<string, string>) => posted(parseCancelForm, fields);
