// What routing a paid order costs the database, counted at the driver as Prisma sends it: the
// route job the worker runs for an order of Shopify's webhooks, on SQLite and PostgreSQL. Each
// statement costs the worker a Prisma call's CPU and PostgreSQL a round of its own (docs/decisions/037):
// a change that adds one to the path shows here.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { handleRouteOrder, processInbox, QUEUES } from "~/fulfilment/worker.server";
import { checkStockNews } from "~/fulfilment/stock-subscription.server";
import { forgetLocations } from "~/shopify/snapshot.server";
import { saveRule, statementsDuring } from "../support/integration";
import { REVIEW_LAB_PRINTS, withWorkerSuite } from "../support/worker-suite";

// No settings row before a test: each test makes the shop's own.
const { sim, deps: workerDeps } = withWorkerSuite({ shop: null });

/** The statements the route job of a paid order of these lines sends, its webhooks taken in. */
async function routeJobStatements(lineItems: { sku: string; quantity: number }[]) {
  const { orderId } = await sim.createOrder({ lineItems, payment: "paid" });
  await sim.webhooksDelivered();
  const deps = await workerDeps();
  while ((await processInbox(deps)) > 0);
  const sent = await statementsDuring(db, () =>
    deps.queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(deps, job)),
  );
  const decision = await db.decision.findFirstOrThrow({ where: { orderId } });
  return { sent, decision, records: await db.fulfillmentOrderRecord.count({ where: { orderId } }) };
}

/** An update of the Decision table, as Prisma names it on SQLite or the worker on PostgreSQL. */
const DECISION_UPDATE = /\bUPDATE\s+\S*\bDecision["`]?\s+SET\b/;

/** Whether a statement updates a decision (on its own, or with other writes in its WITH). */
const updatesDecision = (sql: string) =>
  /^\s*(WITH|UPDATE)\b/i.test(sql) && DECISION_UPDATE.test(sql);

/** Whether a statement writes the review queue's read model. */
const writesRecords = (sql: string) =>
  /^\s*(WITH|INSERT|UPDATE|DELETE)\b/i.test(sql) && /FulfillmentOrderRecord/.test(sql);

describe("the statements a routed order costs", () => {
  it("writes the review queue's rows of an order in one statement on PostgreSQL (two on SQLite), however many fulfillment orders it has", async () => {
    // The merchant decides: no Step, so the rows are written once, as the decision is made.
    await db.shop.create({ data: { shop: sim.shop, defaultMode: "manual", releaseGate: false } });
    const { sent, decision, records } = await routeJobStatements([
      { sku: "PRINT-MATTE-A4", quantity: 1 },
      { sku: "LAB-METALLIC-30x45", quantity: 1 },
    ]);
    expect(decision.status).toBe("applied");
    expect(records).toBe(2);
    const postgres = process.env.DATABASE_URL!.startsWith("postgres");
    expect(sent.filter((q) => writesRecords(q.sql))).toHaveLength(postgres ? 1 : 2);
  });

  it("decides an order with nothing to apply in one write of its decision: its name, trace, plan and end at once", async () => {
    await db.shop.create({ data: { shop: sim.shop, defaultMode: "manual", releaseGate: false } });
    const { sent, decision, records } = await routeJobStatements([
      { sku: "PRINT-MATTE-A4", quantity: 1 },
    ]);
    expect(decision.status).toBe("applied");
    expect(decision.appliedAt).not.toBeNull();
    expect(decision.orderName).toMatch(/^#\d+/);
    expect(JSON.parse(decision.plan)).toMatchObject({ steps: [] });
    expect(JSON.parse(decision.explanation)).not.toHaveLength(0);
    const updates = sent.filter((q) => updatesDecision(q.sql));
    // No "applying" between: there was nothing to apply (ADR 058).
    expect(updates).toHaveLength(1);
    expect(updates[0]!.sql).toMatch(/orderName/);
    expect(updates[0]!.sql).toMatch(/explanation/);
    expect(updates[0]!.sql).toMatch(/plan/);
    // The review queue's row is written by that statement on PostgreSQL (ADR 064): the decision
    // is never finished without it. On SQLite its own statements come just before.
    expect(records).toBe(1);
    const postgres = process.env.DATABASE_URL!.startsWith("postgres");
    if (postgres) expect(sent.filter((q) => writesRecords(q.sql))).toEqual(updates);
    else
      expect(sent.findIndex((q) => writesRecords(q.sql))).toBeLessThan(sent.indexOf(updates[0]!));
  });

  it("finishes a decision with steps without writing its trace and plan again when they did not change since the plan was recorded", async () => {
    // Lab prints wait for a look: a review hold to place, so the plan is recorded (applying)
    // before its step, and finished (applied) after.
    await db.shop.create({ data: { shop: sim.shop, releaseGate: false } });
    await saveRule(db, sim.shop, REVIEW_LAB_PRINTS);
    const { sent, decision } = await routeJobStatements([
      { sku: "LAB-METALLIC-30x45", quantity: 1 },
    ]);
    expect(decision.status).toBe("applied");
    expect(JSON.parse(decision.plan).steps).not.toHaveLength(0);
    const updates = sent.filter((q) => updatesDecision(q.sql));
    expect(updates).toHaveLength(2);
    expect(updates[0]!.sql).toMatch(/plan/);
    expect(
      updates[1]!.sql.replace(new RegExp(`^.*${DECISION_UPDATE.source}`, "s"), ""),
    ).not.toMatch(/explanation|plan/);
    // The rows as the order stands after its hold, written with the decision's end on
    // PostgreSQL (ADR 064), and once before the step as the plan was recorded.
    expect(
      await db.fulfillmentOrderRecord.findMany({
        where: { orderId: decision.orderId },
        select: { outcome: true },
      }),
    ).toEqual([{ outcome: "in_review" }]);
    if (process.env.DATABASE_URL!.startsWith("postgres"))
      expect(sent.filter((q) => writesRecords(q.sql))).toEqual([expect.anything(), updates[1]!]);
  });

  it("reads the catalogue's kept items with the answer to the order's routing deliveries in one statement on PostgreSQL", async () => {
    // A rule on the lines' product type: the order's read takes the products from the catalogue.
    await db.shop.create({ data: { shop: sim.shop, defaultMode: "manual", releaseGate: false } });
    await saveRule(db, sim.shop, {
      name: "Posters wait for a look",
      conditions: [{ field: "product_type", operator: "equals", value: "Poster" }],
      actions: [{ type: "hold_for_review" }],
    });
    const postgres = process.env.DATABASE_URL!.startsWith("postgres");
    const readsCatalogue = (sql: string) => /FROM\s+\S*CatalogueItem\W/.test(sql);
    const answersDeliveries = (sql: string) => /UPDATE\s+\S*WebhookDelivery\W/.test(sql);
    const kept = () =>
      db.catalogueItem.findMany({ select: { inventoryItemId: true, readAt: true } });
    // The shop's locations as an earlier test's simulator had them would be read again after the
    // order, its catalogue with them (readOrder): this test's orders read them once.
    forgetLocations(sim.shop);
    // The first order: nothing kept yet, its items read from Shopify and kept.
    const first = await routeJobStatements([{ sku: "PRINT-MATTE-A4", quantity: 1 }]);
    const keptAfterFirst = await kept();
    expect(keptAfterFirst).toHaveLength(1);
    // The second: its item is the first's, kept.
    const second = await routeJobStatements([{ sku: "PRINT-MATTE-A4", quantity: 1 }]);
    expect(await kept()).toEqual(keptAfterFirst);
    for (const { sent, decision } of [first, second]) {
      expect(decision.status).toBe("applied");
      const reads = sent.filter((q) => readsCatalogue(q.sql));
      const answers = sent.filter((q) => answersDeliveries(q.sql));
      expect(answers).toHaveLength(1);
      // On SQLite the catalogue's read is a statement of its own (and Prisma's upsert of an item
      // read from Shopify reads it first).
      if (postgres) expect(reads).toEqual(answers);
      else expect(reads.filter((q) => answers.includes(q))).toHaveLength(0);
      // Every routing delivery of the order's fulfillment orders answered.
      const fulfillmentOrders = (await sim.orderState(decision.orderId)).fulfillmentOrders;
      expect(
        await db.webhookDelivery.count({
          where: {
            topic: "fulfillment_orders/order_routing_complete",
            subjectId: { in: fulfillmentOrders.map((fo) => fo.id) },
            status: { not: "processed" },
          },
        }),
      ).toBe(0);
    }
  });

  it("reads an order's approvals once a round, for the release gate's check and the plan alike", async () => {
    // Lab prints wait for a look: the rules hold them where the gate would (ADR 024), which the
    // gate's check finds by planning on the read, as the round's plan then does.
    await db.shop.create({ data: { shop: sim.shop } });
    await saveRule(db, sim.shop, REVIEW_LAB_PRINTS);
    const { sent, decision } = await routeJobStatements([
      { sku: "LAB-METALLIC-30x45", quantity: 1 },
    ]);
    expect(decision.status).toBe("applied");
    expect(JSON.parse(decision.plan)).toMatchObject({
      steps: [{ kind: "fulfillmentOrderHold" }],
    });
    expect(sent.filter((q) => /FROM\s+\S*Approval\W/.test(q.sql))).toHaveLength(1);
    // On PostgreSQL that read is the round's first statement, with the order's
    // order_routing_complete deliveries answered and the rules' begun check (ADR 046).
    if (process.env.DATABASE_URL!.startsWith("postgres"))
      expect(
        sent.filter((q) =>
          ["WebhookDelivery", "Decision", "Approval"].every((t) => q.sql.includes(t)),
        ),
      ).toHaveLength(1);
  });

  it("reads and claims an inbox pass's deliveries in one statement on PostgreSQL (two on SQLite), and reads and marks in one each", async () => {
    await db.shop.create({ data: { shop: sim.shop, defaultMode: "manual", releaseGate: false } });
    await sim.createOrder({ lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }], payment: "paid" });
    await sim.webhooksDelivered();
    const deps = await workerDeps();
    const sent = await statementsDuring(db, async () => {
      while ((await processInbox(deps)) > 0);
    });
    // The order's webhooks are handled (an order_routing_complete waits for the route job).
    expect(await db.webhookDelivery.count({ where: { status: "processed" } })).toBeGreaterThan(0);
    // Each pass's read names the shops waiting longest; its claim moves retryAt a lease ahead
    // for the deliveries still due (the put-off of a waiting one does not ask).
    const reads = sent.filter((q) => /FROM\s+shops\b/.test(q.sql));
    const claims = sent.filter(
      (q) => /\bSET\s+\S*retryAt\S*\s*=/.test(q.sql) && /retryAt\S*\s+IS NULL/.test(q.sql),
    );
    const postgres = process.env.DATABASE_URL!.startsWith("postgres");
    // A pass that found deliveries, and the one that found none.
    expect(reads).toHaveLength(2);
    if (postgres) expect(claims.filter((q) => !reads.includes(q))).toHaveLength(0);
    else expect(claims).toHaveLength(1);
    // On PostgreSQL the pass then reads what it needs of its subjects (a newer delivery handled,
    // the paid order needing attention, the order of the fulfillment order named) in one
    // statement, and marks its deliveries and puts off the order_routing_complete waiting for the
    // route job in one more: four statements for the two passes, where there were eight. The
    // order's placement also committed stock, but a shop whose rules do not split by stock is not
    // subscribed to inventory_levels/update (ADR 101): no update came, and nothing read StockWait.
    const stockReads = sent.filter((q) => /FROM\s+\S*StockWait\W/.test(q.sql));
    expect(stockReads).toHaveLength(0);
    if (postgres)
      expect(
        sent
          .filter((q) => !stockReads.includes(q))
          .map((q) => q.sql.replace(/\s+/g, " ").slice(0, 60)),
      ).toHaveLength(4);
  });

  it("reads what waits for stock once an inbox pass, however many inventory_levels/update it takes (every order placed sends one), on PostgreSQL with the pass's other reads", async () => {
    await db.shop.create({ data: { shop: sim.shop, defaultMode: "manual", releaseGate: false } });
    // A shop whose rules split by stock is subscribed to inventory_levels/update (ADR 101).
    await saveRule(db, sim.shop, {
      name: "Ship what we have",
      conditions: [],
      actions: [{ type: "split", by: "stock" }],
    });
    expect(await checkStockNews(await workerDeps(), sim.shop)).toBe("subscribed");
    for (let i = 0; i < 4; i++)
      await sim.createOrder({
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
        payment: "paid",
      });
    await sim.webhooksDelivered();
    expect(
      await db.webhookDelivery.count({ where: { topic: "inventory_levels/update" } }),
    ).toBeGreaterThanOrEqual(4);
    const deps = await workerDeps();
    const sent = await statementsDuring(db, async () => {
      while ((await processInbox(deps)) > 0);
    });
    // Every pass but the last, which found nothing, read the inbox's deliveries.
    const passes = sent.filter((q) => /FROM\s+shops\b/.test(q.sql)).length - 1;
    const stockReads = sent.filter((q) => /FROM\s+\S*StockWait\W/.test(q.sql));
    expect(stockReads.length).toBeGreaterThan(0);
    expect(stockReads.length).toBeLessThanOrEqual(passes);
    if (process.env.DATABASE_URL!.startsWith("postgres"))
      for (const q of stockReads) expect(q.sql).toMatch(/WebhookDelivery/);
    expect(
      await db.webhookDelivery.count({
        where: { topic: "inventory_levels/update", status: { not: "ignored" } },
      }),
    ).toBe(0);
  });

  it("plans with the approvals it read: a fulfillment order approved before its route job ran is not held for review", async () => {
    // On PostgreSQL the approvals come with the round's first statement (the order's
    // order_routing_complete deliveries answered, whether the rules have begun), ADR 046.
    await db.shop.create({ data: { shop: sim.shop } });
    await saveRule(db, sim.shop, REVIEW_LAB_PRINTS);
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await sim.webhooksDelivered();
    const deps = await workerDeps();
    while ((await processInbox(deps)) > 0);
    const approved = (await sim.orderState(orderId)).fulfillmentOrders.map((fo) => fo.id);
    for (const fulfillmentOrderId of approved)
      await db.approval.create({ data: { shop: sim.shop, orderId, fulfillmentOrderId } });
    await deps.queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(deps, job));
    const decision = await db.decision.findFirstOrThrow({ where: { orderId } });
    expect(decision.status).toBe("applied");
    const plan = JSON.parse(decision.plan) as { steps: { kind: string }[] };
    expect(plan.steps.map((step) => step.kind)).not.toContain("fulfillmentOrderHold");
  });
});
