// What routing a paid order costs the database, counted at the driver as Prisma sends it: the
// route job the worker runs for an order of Shopify's webhooks, on SQLite and PostgreSQL. Each
// statement costs the worker a Prisma call's CPU and PostgreSQL a round of its own (docs/decisions/037):
// a change that adds one to the path shows here.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { handleRouteOrder, processInbox, QUEUES } from "~/fulfilment/worker.server";
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
    const { sent, decision } = await routeJobStatements([{ sku: "PRINT-MATTE-A4", quantity: 1 }]);
    expect(decision.status).toBe("applied");
    expect(decision.appliedAt).not.toBeNull();
    expect(decision.orderName).toMatch(/^#\d+/);
    expect(JSON.parse(decision.plan)).toMatchObject({ steps: [] });
    expect(JSON.parse(decision.explanation)).not.toHaveLength(0);
    const updates = sent.filter((q) => /^\s*UPDATE\b.*Decision\W/s.test(q.sql));
    // No "applying" between: there was nothing to apply (ADR 058).
    expect(updates).toHaveLength(1);
    expect(updates[0]!.sql).toMatch(/orderName/);
    expect(updates[0]!.sql).toMatch(/explanation/);
    expect(updates[0]!.sql).toMatch(/plan/);
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
    const updates = sent.filter((q) => /^\s*UPDATE\b.*Decision\W/s.test(q.sql));
    expect(updates).toHaveLength(2);
    expect(updates[0]!.sql).toMatch(/plan/);
    expect(updates[1]!.sql).not.toMatch(/explanation|plan/);
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
    // route job in one more: four statements for the two passes, where there were eight.
    if (postgres) expect(sent.map((q) => q.sql.replace(/\s+/g, " ").slice(0, 60))).toHaveLength(4);
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
