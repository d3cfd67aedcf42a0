// Shopify creates an order's fulfillment orders a moment after the order: routing waits for them
// with the job's backoff instead of deciding on an order with nothing to route.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/setup/db";
import { describeOnOwnPostgres } from "../../tests/support/own-postgres";
import { statementsDuring } from "../../tests/support/integration";
import type { Db } from "../db/client.server";
import { findRow, findRows } from "../db/rows.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { createEmbeddedQueue } from "../jobs/embedded-queue.server";
import { handleRouteOrder, QUEUES } from "./worker.server";
import {
  automaticDecisionId,
  FulfillmentOrdersNotReady,
  openDecision,
  routeOrder,
} from "./route-order.server";
import { CONFIG_COLUMNS } from "./shop-config.server";

let db: Db;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => cleanup());

// The simulator, like Shopify's API, always answers with the fulfillment orders it made at
// checkout; the moment before Shopify has made them can only be played by a stand-in answer.
function orderWithoutFulfillmentOrders(): AdminGateway {
  return {
    shop: "early.myshopify.com",
    async request() {
      return {
        order: {
          id: "gid://shopify/Order/1",
          name: "#1001",
          createdAt: "2026-11-24T10:00:00Z",
          updatedAt: "2026-11-24T10:00:00Z",
          tags: [],
          note: null,
          closed: false,
          cancelledAt: null,
          displayFinancialStatus: "PAID",
          capturable: false,
          sourceName: "web",
          paymentGatewayNames: [],
          totalPriceSet: { shopMoney: { amount: "10.00", currencyCode: "EUR" } },
          risk: { recommendation: "ACCEPT", assessments: [] },
          shippingAddress: null,
          shippingLine: null,
          customer: null,
          transactions: [],
          fulfillments: [],
          lineItems: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
          fulfillmentOrders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
        },
        locations: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
      } as never;
    },
  };
}

describe("an order whose fulfillment orders Shopify has not made yet", () => {
  it("is not decided: routing says to try again", async () => {
    const deps = { db, gateway: orderWithoutFulfillmentOrders(), now: () => new Date() };
    await expect(
      routeOrder(deps, {
        shop: "early.myshopify.com",
        orderId: "gid://shopify/Order/1",
        trigger: "webhook",
      }),
    ).rejects.toBeInstanceOf(FulfillmentOrdersNotReady);
  });

  it("stays queued with a backoff, a bounded number of times", async () => {
    let clock = new Date("2026-11-24T10:00:00Z");
    const queue = createEmbeddedQueue(db, { now: () => clock });
    const deps = {
      db,
      queue,
      gatewayFor: async () => orderWithoutFulfillmentOrders(),
      now: () => clock,
    };
    await queue.enqueue(
      QUEUES.routeOrder,
      { shop: "early.myshopify.com", orderId: "gid://shopify/Order/1", trigger: "webhook" },
      { maxAttempts: 3 },
    );
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(deps, job))).toBe(1);
      clock = new Date(clock.getTime() + 60_000);
    }
    const job = await db.job.findFirstOrThrow();
    expect(job).toMatchObject({ status: "failed", attempts: 3 });
    expect(job.lastError).toMatch(/has not created the fulfillment orders/);
    expect(
      await db.decision.count({ where: { status: { in: ["applied", "needs_attention"] } } }),
    ).toBe(0);
  });
});

// The route job's opening (ADR 060): on PostgreSQL the order's automatic decisions, the Shop row and
// the decision's create are one statement, which answers what the three answered one by one.
const SHOP = "opening.myshopify.com";
const ORDER = "gid://shopify/Order/7";
const newRow = (trigger = "webhook") => ({
  shop: SHOP,
  orderId: ORDER,
  orderName: null,
  trigger,
  cause: "orders/paid",
  status: "planned",
  explanation: "[]",
  plan: "{}",
  createdAt: new Date("2026-12-06T10:11:12.345Z"),
  appliedAt: null,
});
const CARRIED = { id: true, status: true, cause: true, explanation: true, plan: true } as const;

function openingSuite(open: () => Promise<Db>, postgres: boolean) {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });

  it.runIf(postgres)(
    "answers the order's automatic decisions, the Shop row and the create as the separate reads did",
    async () => {
      // No Shop row yet: the defaults' null.
      const none = await openDecision(db, "none", { ...newRow(), orderId: "o-none" });
      expect(none!.shop).toBeNull();
      await db.decision.delete({ where: { id: "none" } });

      await db.shop.create({
        data: {
          shop: SHOP,
          defaultMode: "automatic",
          releaseGate: false,
          autoReleaseAfterMinutes: 30,
        },
      });
      // A merchant's decision of the order is not the rules' own: not found, not in the way.
      await db.decision.create({
        data: { ...newRow("merchant"), id: "merchant", status: "applied" },
      });
      const id = automaticDecisionId(SHOP, ORDER);
      const first = await openDecision(db, id, newRow());
      expect(first!.shop).toEqual(
        await findRow(db, "Shop", { where: { shop: SHOP }, select: CONFIG_COLUMNS }),
      );
      expect(first!.shop!.installedAt).toBeInstanceOf(Date);
      expect(first!.decisions).toEqual([]);
      expect(first!.created).toEqual({
        id,
        status: "planned",
        cause: "orders/paid",
        explanation: "[]",
        plan: "{}",
      });
      // Written as Prisma's create would have written it.
      expect(await db.decision.findUnique({ where: { id } })).toMatchObject({
        ...newRow(),
        id,
      });

      // Again (a retry): its decision is found, none is created beside it.
      const again = await openDecision(db, id, newRow());
      expect(again!.created).toBeNull();
      expect(again!.decisions).toEqual(
        await findRows(db, "Decision", {
          where: { shop: SHOP, orderId: ORDER, trigger: { in: ["webhook", "reconciliation"] } },
          select: CARRIED,
        }),
      );
      expect(await db.decision.count({ where: { orderId: ORDER } })).toBe(2);

      // Finished: found as it is, and still nothing created.
      await db.decision.update({ where: { id }, data: { status: "applied" } });
      const decided = await openDecision(db, "other", newRow("reconciliation"));
      expect(decided!.decisions.map((d) => [d.id, d.status])).toEqual([[id, "applied"]]);
      expect(decided!.created).toBeNull();
      expect(await db.decision.findUnique({ where: { id: "other" } })).toBeNull();

      // The fixed id taken by a row none of those statuses (another runner's, a dry run): the
      // create does nothing and answers nothing, as insertRow does; the caller reads it by its id.
      await db.decision.update({ where: { id }, data: { status: "dry_run" } });
      const taken = await openDecision(db, id, newRow());
      expect(taken!.decisions).toEqual([]);
      expect(taken!.created).toBeNull();

      // Two runners opening one order at the same moment: one creates it, the other finds the
      // create taken and reads it by its id afterwards.
      const race = { ...newRow(), orderId: "gid://shopify/Order/race" };
      const both = await Promise.all([
        openDecision(db, "race", race),
        openDecision(db, "race", race),
      ]);
      expect(both.filter((o) => o!.created !== null)).toHaveLength(1);
      expect(await db.decision.count({ where: { orderId: race.orderId } })).toBe(1);
    },
  );

  it.runIf(!postgres)("is Prisma's calls one by one on SQLite", async () => {
    expect(await openDecision(db, "x", newRow())).toBeUndefined();
  });

  it("a retry whose shop's rules are kept carries on its decision, opening with one statement before the order's read on PostgreSQL", async () => {
    const deps = { db, gateway: orderWithoutFulfillmentOrders(), now: () => new Date() };
    const input = {
      shop: "early.myshopify.com",
      orderId: "gid://shopify/Order/1",
      trigger: "webhook",
    } as const;
    await db.shop.create({ data: { shop: input.shop } });
    await expect(routeOrder(deps, input)).rejects.toBeInstanceOf(FulfillmentOrdersNotReady);
    // The retry stops at the order's read: what it sent before it is the opening.
    const reading: AdminGateway = {
      shop: input.shop,
      request: () => Promise.reject(new Error("the order's read")),
    };
    const sent = await statementsDuring(db, () =>
      expect(routeOrder({ ...deps, gateway: reading }, input)).rejects.toThrow("the order's read"),
    );
    // On SQLite the rules and profiles are read every time, each question its own statement.
    if (postgres) expect(sent).toHaveLength(1);
    else expect(sent.length).toBeGreaterThan(2);
    // The first attempt's decision is carried on, none made beside it.
    expect(await db.decision.count({ where: { orderId: input.orderId } })).toBe(1);
  });
}

describe("the route job's opening on SQLite", () => {
  let database: TestDatabase;
  afterAll(async () => database?.cleanup());
  openingSuite(async () => (database = await createTestDatabase()).db, false);
});

describeOnOwnPostgres("the route job's opening on PostgreSQL", (open) => openingSuite(open, true));
