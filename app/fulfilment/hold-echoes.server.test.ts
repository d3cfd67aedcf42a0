// The echo of the app's own hold fills a queue row that has no reason yet: a stock hold's says how
// many wait, as the note on Shopify and the step that held it do (ADR 088, 091).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../tests/setup/db";
import { inEnglish, saveRule } from "../../tests/support/integration";
import type { Db } from "../db/client.server";
import { ruleHoldHandle } from "../routing";
import { engineSaid } from "../routing/words";
import { quoted } from "../routing/plan-builder";
import { recordHoldEcho } from "./hold-echoes.server";

const SHOP = "echo.myshopify.com";
const FO = "gid://shopify/FulfillmentOrder/7";
const ORDER = "gid://shopify/Order/70";

describe("the hold's echo, on a row with no reason yet", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await createTestDatabase());
  });
  afterEach(async () => cleanup());

  it("says how many wait for stock, from the step that held the fulfillment order", async () => {
    await saveRule(db, SHOP, {
      id: "rule-stock",
      name: "Ship what we have",
      conditions: [],
      actions: [{ type: "split", by: "stock" }],
    });
    const waiting = [
      engineSaid("stock.waitingLine", { title: quoted("Photo Book"), waiting: 1, quantity: 3 }),
    ];
    await db.decision.create({
      data: {
        shop: SHOP,
        orderId: ORDER,
        trigger: "webhook",
        status: "applied",
        explanation: "[]",
        plan: "{}",
        steps: {
          create: {
            key: "hold",
            position: 0,
            kind: "fulfillmentOrderHold",
            fulfillmentOrderId: FO,
            status: "succeeded",
            input: JSON.stringify({
              input: {},
              summary: engineSaid("step.holdForStockCounted", {
                location: "Studio",
                lines: waiting,
              }),
            }),
          },
        },
      },
    });
    await db.fulfillmentOrderRecord.create({
      data: {
        shop: SHOP,
        fulfillmentOrderId: FO,
        orderId: ORDER,
        orderName: "#1070",
        status: "OPEN",
        outcome: "held",
        orderCreatedAt: new Date("2026-12-07T10:00:00Z"),
      },
    });
    const handled = await recordHoldEcho(
      db,
      SHOP,
      "fulfillment_orders/placed_on_hold",
      {
        fulfillment_order: { id: FO, status: "on_hold" },
        created_fulfillment_hold: {
          reason: "inventory_out_of_stock",
          reason_notes:
            "1 of 3 “Photo Book” waiting for stock at Studio (rule “Ship what we have”)",
          handle: ruleHoldHandle("rule-stock", "stock"),
        },
      },
      new Date(Date.now() + 60_000),
    );
    expect(handled).toBe(true);
    const row = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { shop: SHOP } });
    expect(await inEnglish(row.reason)).toBe(
      "1 of 3 “Photo Book” waiting for stock at “Studio” (rule “Ship what we have”)",
    );
  });
});
