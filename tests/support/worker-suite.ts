// How a worker suite starts, written once: the shop simulator (delivering to the app's webhook
// endpoint unless told otherwise), the worker on the app's database (the embedded queue on SQLite,
// pg-boss on PostgreSQL), and before each test every table emptied, the shop's settings row and
// offline session made as an install leaves them, and the suite's rules saved.
import type { Prisma } from "@prisma/client";
import { beforeEach } from "vitest";
import db from "~/db.server";
import type { Rule } from "~/routing";
import {
  emptyTables,
  saveRule,
  withShopSimulator,
  withWorker,
  type ShopSimulatorOptions,
  type WorkerOnSimulator,
} from "./integration";
import { installShop } from "./install";
import type { SimulatorHandle } from "./shop-simulator";

export interface WorkerSuiteOptions {
  /** The simulator's options; webhooks are delivered to the app's endpoint unless `webhooks: false`. */
  simulator?: ShopSimulatorOptions;
  /**
   * The shop's settings row made before each test, the schema's defaults for what is left out;
   * `null`: none (each test makes its own).
   */
  shop?: Omit<Prisma.ShopUncheckedCreateInput, "shop"> | null;
  /** Rules saved for the shop before each test, in this order, as the rules screen saves them. */
  rules?: (Partial<Rule> & Pick<Rule, "name" | "conditions" | "actions">)[];
}

/** Prints wait for review and are tagged: an order of a print has a hold and a tag to apply. */
export const REVIEW_AND_TAG_PRINTS = {
  id: "rule-review-prints",
  name: "Prints wait for a look at the crop",
  conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
  actions: [{ type: "hold_for_review" }, { type: "add_order_tags", tags: ["crop-check"] }],
} satisfies NonNullable<WorkerSuiteOptions["rules"]>[number];

/** Lab prints (a fulfillment service's lines) wait for review: the release gate's ground (ADR 024). */
export const REVIEW_LAB_PRINTS = {
  id: "rule-lab-review",
  name: "Lab prints wait for a look at the crop",
  conditions: [{ field: "fulfilment_service", operator: "exists", value: true }],
  actions: [{ type: "hold_for_review" }],
} satisfies NonNullable<WorkerSuiteOptions["rules"]>[number];

/**
 * Registers the suite's hooks and returns the simulator and the worker (`withWorker`). A suite's
 * own `beforeEach`, registered after this call, runs after these, on the emptied, installed shop.
 */
export function withWorkerSuite(
  options: WorkerSuiteOptions = {},
): WorkerOnSimulator & { sim: SimulatorHandle } {
  const sim = withShopSimulator({ webhooks: true, ...options.simulator });
  const worker = withWorker(sim, db);
  beforeEach(async () => {
    await emptyTables(db);
    if (options.shop !== null) await db.shop.create({ data: { ...options.shop, shop: sim.shop } });
    await installShop(db, sim.shop);
    for (const rule of options.rules ?? []) await saveRule(db, sim.shop, rule);
  });
  return { sim, deps: worker.deps, settle: worker.settle };
}
