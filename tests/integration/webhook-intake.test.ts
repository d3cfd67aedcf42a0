// The inbox's batch write on a real migrated database (SQLite, and PostgreSQL where its server is
// installed): one statement for many deliveries, duplicates settled inside it, rows as Prisma
// reads them, and the body kept byte for byte.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/client.server";
import db from "~/db.server";
import { intakeWebhook } from "~/webhooks/intake.server";
import {
  MAX_DELIVERIES_PER_STATEMENT,
  newDeliveryId,
  recordDelivery,
  storeDeliveries,
  type InboundDelivery,
} from "~/webhooks/inbox.server";
import { describeOnOwnPostgres } from "../support/own-postgres";
import { installShop } from "../support/install";
import { signedDelivery } from "../support/webhooks";

const shop = "inbox-test.myshopify.com";
// An order id above 2^53: JSON.parse would round it, the stored body must not.
const rawPayload =
  '{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508"}';

const delivery = (webhookId: string, extra: Partial<InboundDelivery> = {}): InboundDelivery => ({
  webhookId,
  eventId: `event-${webhookId}`,
  topic: "orders/paid",
  shop,
  apiVersion: "2026-10",
  triggeredAt: "2026-11-20T10:00:00.123Z",
  payload: JSON.parse(rawPayload),
  rawPayload,
  ...extra,
});

function inboxContract(name: string, database: () => Db) {
  describe(`storeDeliveries on ${name}`, () => {
    beforeEach(async () => {
      await database().webhookDelivery.deleteMany({});
    });

    it("stores a batch, answering per delivery whether it is new", async () => {
      await storeDeliveries(database(), [delivery("old")]);
      const outcomes = await storeDeliveries(database(), [
        delivery("a"),
        delivery("old"),
        delivery("b"),
        delivery("a"),
      ]);
      expect(outcomes).toEqual(["stored", "duplicate", "stored", "duplicate"]);
      const rows = await database().webhookDelivery.findMany({ orderBy: { webhookId: "asc" } });
      expect(rows.map((row) => row.webhookId)).toEqual(["a", "b", "old"]);
    });

    it("stores rows as the Prisma client reads them", async () => {
      await storeDeliveries(database(), [delivery("typed")]);
      const row = await database().webhookDelivery.findUniqueOrThrow({
        where: { webhookId: "typed" },
      });
      expect(row).toMatchObject({
        eventId: "event-typed",
        topic: "orders/paid",
        shop,
        apiVersion: "2026-10",
        triggeredAt: new Date("2026-11-20T10:00:00.123Z"),
        subjectId: "gid://shopify/Order/820982911946154508",
        payload: rawPayload,
        status: "received",
        processedAt: null,
        error: null,
      });
      expect(row.receivedAt).toBeInstanceOf(Date);
      expect(Math.abs(row.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
      // Date filters work on what the raw statement wrote.
      const found = await database().webhookDelivery.count({
        where: { triggeredAt: { gte: new Date("2026-11-20T10:00:00.000Z") } },
      });
      expect(found).toBe(1);
    });

    it("stores nulls for missing optional headers and an unreadable Triggered-At", async () => {
      await storeDeliveries(database(), [
        delivery("bare", { eventId: undefined, apiVersion: undefined, triggeredAt: "yesterday" }),
      ]);
      const row = await database().webhookDelivery.findUniqueOrThrow({
        where: { webhookId: "bare" },
      });
      expect(row).toMatchObject({ eventId: null, apiVersion: null, triggeredAt: null });
    });

    it("takes the most deliveries one statement may hold", async () => {
      const many = Array.from({ length: MAX_DELIVERIES_PER_STATEMENT }, (_, i) =>
        delivery(`many-${i}`),
      );
      expect(new Set(await storeDeliveries(database(), many))).toEqual(new Set(["stored"]));
      expect(await database().webhookDelivery.count()).toBe(MAX_DELIVERIES_PER_STATEMENT);
      await expect(
        storeDeliveries(database(), [...many, delivery("one-too-many")]),
      ).rejects.toThrow(RangeError);
    });

    it("keeps recordDelivery's answers for a single delivery", async () => {
      expect(await recordDelivery(database(), delivery("single"))).toBe("stored");
      expect(await recordDelivery(database(), delivery("single"))).toBe("duplicate");
    });
  });
}

inboxContract("SQLite", () => db);

describe("newDeliveryId", () => {
  it("gives unique ids that sort in the order they were made", () => {
    const ids = Array.from({ length: 1000 }, () => newDeliveryId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("intakeWebhook under concurrent deliveries", () => {
  beforeEach(async () => {
    await db.webhookDelivery.deleteMany({});
    await installShop(db, shop);
  });

  it("acknowledges every delivery, stores each webhook id once, and each body as sent", async () => {
    // GIVEN 60 deliveries at once, a third of them copies of others (Shopify's retries)
    const ids = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
    const sent = [...ids, ...ids.slice(0, 20)].map((webhookId) =>
      signedDelivery({ topic: "orders/paid", shop, body: rawPayload, webhookId }),
    );
    // WHEN they arrive together
    const responses = await Promise.all(sent.map((request) => intakeWebhook(request)));
    // THEN every one is acknowledged, and every acknowledged id is stored exactly once
    expect(responses.map((response) => response.status)).toEqual(sent.map(() => 200));
    const rows = await db.webhookDelivery.findMany({
      where: { webhookId: { startsWith: "burst-" } },
    });
    expect(rows.map((row) => row.webhookId).sort()).toEqual([...ids].sort());
    expect(new Set(rows.map((row) => row.payload))).toEqual(new Set([rawPayload]));
  });

  it("answers 405 to anything but POST", async () => {
    const response = await intakeWebhook(new Request("http://localhost/webhooks/orders/paid"));
    expect(response.status).toBe(405);
  });
});

// Skipped only outside CI when the server binaries are missing, as the migration tests are.
describeOnOwnPostgres("on PostgreSQL", (open) => {
  let postgres: Db | undefined;
  beforeAll(async () => {
    postgres = await open();
  }, 120_000);
  inboxContract("PostgreSQL", () => postgres!);
});
