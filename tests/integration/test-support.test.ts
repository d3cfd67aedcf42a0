// The shared integration helpers hold what suites rely on: emptyTables leaves no row in any table
// of the app's model, so one test's orders, rules and jobs never reach the next; the simulator of
// every webhook suite delivers as Shopify promises (reordered and late), whatever a test set before.
import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { emptyTables, withShopSimulator } from "../support/integration";
import { WEBHOOK_FAULTS } from "../support/webhook-faults";

describe("emptyTables", () => {
  it("leaves every table of the app's model empty, children and parents alike", async () => {
    await db.shop.create({ data: { shop: "empty-me.myshopify.com" } });
    const decision = await db.decision.create({
      data: {
        shop: "empty-me.myshopify.com",
        orderId: "gid://shopify/Order/1",
        trigger: "webhook",
        status: "applied",
        explanation: "[]",
        plan: "{}",
      },
    });
    await db.step.create({
      data: { decisionId: decision.id, key: "k", position: 0, kind: "tagsAdd", input: "{}" },
    });
    await db.bulkJob.create({
      data: { shop: "empty-me.myshopify.com", action: "approve", total: 1 },
    });

    await emptyTables(db);

    const counts: Record<string, number> = {};
    for (const model of Object.values(Prisma.ModelName)) {
      const table = `${model[0]!.toLowerCase()}${model.slice(1)}` as Uncapitalize<Prisma.ModelName>;
      counts[model] = await (db[table] as unknown as { count(): Promise<number> }).count();
    }
    expect(counts).toEqual(
      Object.fromEntries(Object.values(Prisma.ModelName).map((model) => [model, 0])),
    );
    expect(Object.keys(counts)).toContain("FulfillmentOrderRecord");
  });
});

describe("the simulator of a webhook suite", () => {
  const sim = withShopSimulator({ webhooks: true });
  const faults = async () =>
    (await sim.control<{ faults: Record<string, unknown> }>("GET", "/_sim/faults")).faults;

  it("delivers each burst reordered and delayed from a suite's first test (in-order instant delivery is not what Shopify promises)", async () => {
    expect(WEBHOOK_FAULTS.reorderWebhooksWindowMs).toBeGreaterThan(0);
    expect(WEBHOOK_FAULTS.webhookDelayMs).toBeGreaterThan(0);
    expect(await faults()).toMatchObject(WEBHOOK_FAULTS);
    // A test that needs in-order, instant delivery says so; its setting ends with it.
    await sim.control("POST", "/_sim/faults", { reorderWebhooksWindowMs: 0, webhookDelayMs: 0 });
  });

  it("and again in the next test, after one turned them off", async () => {
    expect(await faults()).toMatchObject(WEBHOOK_FAULTS);
  });
});
