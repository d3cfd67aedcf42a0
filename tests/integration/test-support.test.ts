// The shared integration helpers hold what suites rely on: emptyTables leaves no row in any table
// of the app's model, so one test's orders, rules and jobs never reach the next.
import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { emptyTables } from "../support/integration";

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
