// The hot path's rows through the driver adapter answer what Prisma's own calls answer, on
// PostgreSQL (where they are the adapter's) and on SQLite (where they are Prisma's): the same rows,
// dates, nulls, lists and counts, and an update of a missing row fails as Prisma's does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/setup/db";
import { describeOnOwnPostgres } from "../../tests/support/own-postgres";
import { statementsDuring } from "../../tests/support/integration";
import type { Db } from "./client.server";
import { findRow, findRows, insertRow, updateRow, updateRows, type Alongside } from "./rows.server";

const SHOP = "rows.myshopify.com";

async function seed(db: Db) {
  await db.shop.create({ data: { shop: SHOP, autoReleaseAfterMinutes: null, releaseGate: false } });
  const at = new Date("2026-12-06T10:11:12.345Z");
  for (const [i, status] of ["planned", "applying", "applied", "needs_attention"].entries()) {
    await db.decision.create({
      data: {
        id: `d${i}`,
        shop: SHOP,
        orderId: i < 2 ? "o1" : "o2",
        trigger: i === 3 ? "merchant" : "webhook",
        cause: i === 0 ? null : "orders/paid",
        status,
        explanation: `["${i}"]`,
        plan: "{}",
        createdAt: new Date(at.getTime() + i * 1000),
        appliedAt: i === 2 ? at : null,
      },
    });
  }
  await db.webhookDelivery.createMany({
    data: ["fo1", "fo2", "fo3"].map((subjectId, i) => ({
      id: `w${i}`,
      webhookId: `w${i}`,
      eventId: `e${i}`,
      topic: "fulfillment_orders/order_routing_complete",
      shop: SHOP,
      apiVersion: "2025-10",
      triggeredAt: at,
      subjectId,
      payload: "{}",
      receivedAt: at,
      status: i === 2 ? "processed" : "received",
    })),
  });
}

function suite(open: () => Promise<Db>, postgres: boolean) {
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await seed(db);
  });

  it("finds the rows Prisma finds, with dates, nulls, lists and later-than", async () => {
    const select = {
      id: true,
      status: true,
      cause: true,
      createdAt: true,
      appliedAt: true,
    } as const;
    const cases = [
      { shop: SHOP, orderId: "o1" },
      { shop: SHOP, trigger: { in: ["webhook", "reconciliation"] }, status: { in: ["applied"] } },
      { shop: SHOP, cause: null },
      { shop: SHOP, createdAt: { gt: new Date("2026-12-06T10:11:13.345Z") } },
      { shop: SHOP, appliedAt: new Date("2026-12-06T10:11:12.345Z") },
      { shop: SHOP, status: { in: [] } },
    ];
    for (const where of cases) {
      const ours = await findRows(db, "Decision", { where, select });
      const prisma = await db.decision.findMany({ where, select });
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect(ours.sort(byId), JSON.stringify(where)).toEqual(prisma.sort(byId));
    }
    const args = {
      where: { shop: SHOP },
      select: {
        installedAt: true,
        notifyCustomer: true,
        autoReleaseAfterMinutes: true,
        releaseGate: true,
        configVersion: true,
      },
    } as const;
    const shop = await findRow(db, "Shop", args);
    expect(shop).toEqual(await db.shop.findUnique(args));
    expect(shop!.installedAt).toBeInstanceOf(Date);
    expect(
      await findRow(db, "Shop", { where: { shop: "none" }, select: { shop: true } }),
    ).toBeNull();
  });

  it("inserts and updates as Prisma does, and fails an update of a row that is not there", async () => {
    const appliedAt = new Date("2026-12-07T01:02:03.004Z");
    const row = await updateRow(db, "Decision", {
      where: { id: "d1" },
      data: { status: "applied", appliedAt, cause: null, orderName: undefined },
      select: { id: true, status: true, cause: true, appliedAt: true },
    });
    expect(row).toEqual({ id: "d1", status: "applied", cause: null, appliedAt });
    expect(
      await db.decision.findUnique({
        where: { id: "d1" },
        select: { status: true, appliedAt: true, orderName: true },
      }),
    ).toEqual({ status: "applied", appliedAt, orderName: null });
    await expect(
      updateRow(db, "Decision", {
        where: { id: "none" },
        data: { status: "applied" },
        select: { id: true },
      }),
    ).rejects.toThrow();

    const inserted = {
      id: "d9",
      shop: SHOP,
      orderId: "o9",
      orderName: null,
      trigger: "webhook",
      cause: "orders/create",
      status: "planned",
      explanation: "[]",
      plan: "{}",
      createdAt: new Date("2026-12-06T11:12:13.014Z"),
      appliedAt: null,
    };
    const select = { id: true, status: true, createdAt: true } as const;
    expect(await insertRow(db, "Decision", { data: inserted, select })).toEqual({
      id: "d9",
      status: "planned",
      createdAt: inserted.createdAt,
    });
    expect(await db.decision.findUnique({ where: { id: "d9" } })).toEqual(inserted);
    // The same id again: nothing written, as Prisma's create refuses it.
    expect(
      await insertRow(db, "Decision", { data: { ...inserted, status: "applied" }, select }),
    ).toBeNull();
    expect(await db.decision.findUnique({ where: { id: "d9" }, select })).toMatchObject({
      status: "planned",
    });

    const count = await updateRows(db, "WebhookDelivery", {
      where: { shop: SHOP, subjectId: { in: ["fo1", "fo2", "fo3"] }, status: "received" },
      data: { status: "processed", processedAt: appliedAt, error: null },
    });
    expect(count).toBe(2);
    const rows = await db.webhookDelivery.findMany({
      where: { shop: SHOP },
      select: { status: true, processedAt: true },
      orderBy: { id: "asc" },
    });
    expect(rows).toEqual([
      { status: "processed", processedAt: appliedAt },
      { status: "processed", processedAt: appliedAt },
      { status: "processed", processedAt: null },
    ]);
  });

  it("keeps one text per shape: the same shape with other values, and shapes that differ by a condition's kind, answer their own rows", async () => {
    const select = { id: true, status: true } as const;
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const sent = await statementsDuring(db, async () => {
      for (const where of [
        { shop: SHOP, cause: null },
        { shop: SHOP, cause: "orders/paid" },
        { shop: SHOP, cause: "orders/create" },
        { shop: SHOP, cause: { in: ["orders/paid"] } },
        { shop: SHOP, cause: null },
      ]) {
        const ours = await findRows(db, "Decision", { where, select });
        const prisma = await db.decision.findMany({ where, select });
        expect(ours.sort(byId), JSON.stringify(where)).toEqual(prisma.sort(byId));
      }
    });
    if (postgres) {
      // Ours are the adapter's statements of "Decision" without Prisma's schema prefix.
      const texts = sent.map((q) => q.sql).filter((sql) => !sql.includes('"public"'));
      expect(texts).toHaveLength(5);
      // One text for each shape (null, equal, in), the same text whatever the values.
      expect(new Set(texts).size).toBe(3);
      expect(texts[0]).toBe(texts[4]);
      expect(texts[1]).toBe(texts[2]);
    }
  });

  it("writes what an update carries along with it: in its statement on PostgreSQL, before it on SQLite", async () => {
    const along: Alongside = {
      onPostgres: () => ({
        ctes: `marked AS (UPDATE "WebhookDelivery" SET "error" = $1 WHERE "id" = $2 RETURNING 1)`,
        values: ["carried", "w0"],
        shape: "test: mark w0",
      }),
      separately: () =>
        db.webhookDelivery.update({ where: { id: "w0" }, data: { error: "carried" } }),
    };
    for (const status of ["applying", "applied"]) {
      const sent = await statementsDuring(db, async () => {
        const row = await updateRow(
          db,
          "Decision",
          { where: { id: "d0" }, data: { status }, select: { id: true, status: true } },
          along,
        );
        expect(row).toEqual({ id: "d0", status });
      });
      if (postgres) expect(sent).toHaveLength(1);
      expect(
        await db.decision.findUnique({ where: { id: "d0" }, select: { status: true } }),
      ).toEqual({
        status,
      });
      expect(
        await db.webhookDelivery.findUnique({ where: { id: "w0" }, select: { error: true } }),
      ).toEqual({ error: "carried" });
      await db.webhookDelivery.update({ where: { id: "w0" }, data: { error: null } });
    }
  });
}

describe("rows on SQLite (Prisma's calls)", () => {
  let database: TestDatabase;
  afterAll(async () => database?.cleanup());
  suite(async () => (database = await createTestDatabase()).db, false);
});

describeOnOwnPostgres("rows on PostgreSQL (the adapter)", (open) => suite(open, true));
