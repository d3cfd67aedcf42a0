// Dry-runs against the shop simulator: the last decided orders read live through the app's gateway,
// planned with the saved rules and with the edited rule, compared, and nothing executed or written.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/client.server";
import { parseRule, ruleToStored, type Rule } from "~/routing";
import { createTestDatabase } from "../../tests/setup/db";
import { startShopSimulator, type SimulatorHandle } from "../../tests/support/shop-simulator";
import { recentDecidedOrders, runDryRun, withEditedRule } from "./dry-run.server";
import { translatorOf } from "~/i18n/i18next.server";
import { renderWords, type StoredWords } from "~/i18n/words";
import { engineSaid } from "~/routing/words";

// What an English admin reads of the Words the dry run answers.
const english = await translatorOf("en");
const say = (words: StoredWords) => renderWords(english, words);

let sim: SimulatorHandle;
let db: Db;
let cleanup: () => Promise<void>;
let printOrder: { orderId: string; name: string };
let digitalOrder: { orderId: string; name: string };

beforeAll(async () => {
  sim = await startShopSimulator();
  printOrder = await sim.createOrder({
    lineItems: [{ sku: "PRINT-LUSTRE-A4", quantity: 1 }],
    payment: "paid",
  });
  digitalOrder = await sim.createOrder({
    lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }],
    payment: "paid",
  });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await db.shop.create({
    data: { shop: sim.shop, defaultMode: "manual", digitalDownloads: "automatic" },
  });
});
afterEach(async () => {
  await cleanup();
});

function rule(input: Partial<Rule> & Pick<Rule, "name" | "conditions" | "actions">): Rule {
  const parsed = parseRule({ id: `rule-${input.name}`, position: 0, ...input });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

const holdPrints = rule({
  name: "Prints wait for a look",
  conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
  actions: [{ type: "hold_for_review", note: "Check the crop" }],
});

async function decided(orderId: string, orderName: string | null, at: string, status = "applied") {
  await db.decision.create({
    data: {
      shop: sim.shop,
      orderId,
      orderName,
      trigger: "webhook",
      status,
      explanation: "[]",
      plan: "{}",
      createdAt: new Date(at),
    },
  });
}

describe("which orders a dry-run looks at", () => {
  it("takes each decided order once, newest decision first, never earlier dry-runs", async () => {
    await decided("gid://shopify/Order/1", "#1", "2026-03-01T10:00:00Z");
    await decided("gid://shopify/Order/2", "#2", "2026-03-02T10:00:00Z");
    await decided("gid://shopify/Order/1", null, "2026-03-03T10:00:00Z");
    await decided("gid://shopify/Order/3", "#3", "2026-03-04T10:00:00Z", "dry_run");
    await decided("gid://shopify/Order/4", "#4", "2026-02-01T10:00:00Z");
    await db.decision.create({
      data: {
        shop: "other.myshopify.com",
        orderId: "gid://shopify/Order/9",
        trigger: "webhook",
        explanation: "[]",
        plan: "{}",
      },
    });
    expect(await recentDecidedOrders(db, sim.shop, 2)).toEqual([
      { orderId: "gid://shopify/Order/1", orderName: "#1" },
      { orderId: "gid://shopify/Order/2", orderName: "#2" },
    ]);
    expect((await recentDecidedOrders(db, sim.shop, 20)).map((o) => o.orderName)).toEqual([
      "#1",
      "#2",
      "#4",
    ]);
  });

  it("puts the edited rule in place of the saved one, or adds a new one in priority order", () => {
    const a = rule({ name: "A", position: 0, conditions: [], actions: [{ type: "merge" }] });
    const b = rule({ name: "B", position: 1, conditions: [], actions: [{ type: "merge" }] });
    expect(
      withEditedRule([a, b], { ...a, name: "A edited", position: 0 }).map((r) => r.name),
    ).toEqual(["A edited", "B"]);
    expect(
      withEditedRule([a, b], { ...holdPrints, id: "new", position: 2 }).map((r) => r.name),
    ).toEqual(["A", "B", "Prints wait for a look"]);
  });
});

describe("a dry-run", () => {
  it("shows per order what the saved rules do and what the edited rule would change", async () => {
    // GIVEN two decided orders and no saved rules
    await decided(printOrder.orderId, printOrder.name, "2026-03-01T10:00:00Z");
    await decided(digitalOrder.orderId, digitalOrder.name, "2026-03-02T10:00:00Z");
    const before = await sim.orderState(printOrder.orderId);

    // WHEN the merchant tries a rule that holds prints for review
    const report = await runDryRun(
      { db, gateway: sim.gateway },
      { shop: sim.shop, edited: holdPrints, limit: 20 },
    );

    // THEN the print order would now be held, the download order is untouched by the change
    expect(report.requested).toBe(20);
    expect(report.unread).toEqual([]);
    expect(report.orders.map((o) => [o.orderName, o.changed])).toEqual([
      [digitalOrder.name, false],
      [printOrder.name, true],
    ]);
    expect(report.changedOrders).toBe(1);
    const print = report.orders[1]!;
    expect(print.changes.some((line) => /^Would now: Hold for review/.test(say(line)))).toBe(true);
    expect(
      print.current.fulfillmentOrders.every(
        (fo) => fo.outcome === "waiting_for_you" && fo.rules.length === 0,
      ),
    ).toBe(true);
    expect(
      print.proposed.fulfillmentOrders.some(
        (fo) => fo.outcome === "held" && fo.rules.includes("Prints wait for a look"),
      ),
    ).toBe(true);
    expect(print.proposed.steps.map((s) => say(s.summary))).toContain(
      say(engineSaid("step.holdForReview", { location: "Studio" })),
    );

    // AND nothing happened on Shopify or in the decision log
    expect(await sim.orderState(printOrder.orderId)).toEqual(before);
    expect(await db.decision.count()).toBe(2);
    expect(await db.step.count()).toBe(0);
  });

  it("compares against the saved rule it edits, not beside it", async () => {
    await decided(printOrder.orderId, printOrder.name, "2026-03-01T10:00:00Z");
    await db.rule.create({ data: { ...ruleToStored(holdPrints), shop: sim.shop } });
    const unchanged = await runDryRun(
      { db, gateway: sim.gateway },
      { shop: sim.shop, edited: holdPrints, limit: 5 },
    );
    expect(unchanged.changedOrders).toBe(0);
    const off = await runDryRun(
      { db, gateway: sim.gateway },
      { shop: sim.shop, edited: { ...holdPrints, enabled: false }, limit: 5 },
    );
    expect(
      off.orders[0]?.changes.some((line) => /^Would no longer: Hold for review/.test(say(line))),
    ).toBe(true);
  });

  it("tries a rule that splits by stock on each order's stock as it is now, read as the router reads it; other rules read no stock (ADR 085)", async () => {
    // GIVEN the Studio has 2 photo books on the shelf and a decided order for 3
    const shelf = await sim.stock("BOOK-40", "Studio");
    await sim.adjustStock("BOOK-40", "Studio", 2 - shelf.available);
    const books = await sim.createOrder({
      lineItems: [{ sku: "BOOK-40", quantity: 3 }],
      payment: "paid",
    });
    await decided(books.orderId, books.name, "2026-03-01T10:00:00Z");
    const stockReads = async () => {
      const stats = await sim.control<{
        shops: Record<string, { operations: Record<string, { calls: number }> }>;
      }>("GET", "/_sim/stats");
      return stats.shops[sim.shop]?.operations.StockAtLocation?.calls ?? 0;
    };
    const before = await stockReads();
    const shipWhatWeHave = rule({
      name: "Ship what we have",
      conditions: [],
      actions: [{ type: "split", by: "stock" }, { type: "fulfil_automatically" }],
    });

    // WHEN the merchant tries the rule
    const report = await runDryRun(
      { db, gateway: sim.gateway },
      { shop: sim.shop, edited: shipWhatWeHave, limit: 1 },
    );

    // THEN the dry run splits what waits off, as the router will, and says the stock is today's
    expect(report.stockReadNow).toBe(true);
    expect(report.orders.map((o) => o.proposed.steps.map((step) => say(step.summary)))).toEqual([
      [
        "Split what waits for stock off the fulfillment order at “Studio”: 1 waiting, 2 ready to ship now (“Photo Book”: 2 of 3 in stock)",
      ],
    ]);
    expect(await stockReads()).toBe(before + 1);

    // AND a rule that does not split by stock reads none
    const held = await runDryRun(
      { db, gateway: sim.gateway },
      { shop: sim.shop, edited: holdPrints, limit: 1 },
    );
    expect(held.stockReadNow).toBe(false);
    expect(await stockReads()).toBe(before + 1);
  });

  it("names an order Shopify no longer has instead of dropping it", async () => {
    await decided("gid://shopify/Order/987654321", "#gone", "2026-03-01T10:00:00Z");
    const report = await runDryRun(
      { db, gateway: sim.gateway },
      { shop: sim.shop, edited: holdPrints, limit: 5 },
    );
    expect(report.orders).toEqual([]);
    expect(report.unread.map((u) => [u.orderId, u.orderName, say(u.reason)])).toEqual([
      ["gid://shopify/Order/987654321", "#gone", "Shopify no longer has this order"],
    ]);
  });
});
