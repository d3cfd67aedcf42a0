// Holds in the merchant's language: the app's own holds read from the rule that wants them, in
// English and German; anyone else's keep their notes; a row stored before still reads.
import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_REVIEW_HOLD_HANDLE,
  GATE_HOLD_HANDLE,
  holdNotesWords,
  holdWords,
  ruleHoldHandle,
  stockWaitingOn,
  type FulfillmentHold,
  type Rule,
} from "../routing";
import { STUDIO, aFulfillmentOrder, aLine, aMug } from "../routing/testing.fixtures";
import { translatorOf } from "./i18next.server";
import { readWords, renderWords } from "./words";

const rule = (id: string, name: string, actions: Rule["actions"]) => ({ id, name, actions });
const PRINTS = rule("rule-prints", "Prints", [{ type: "hold_for_review", note: "Check the crop" }]);
const RISK = rule("rule-risk", "Risky orders", [{ type: "hold", reason: "HIGH_RISK_OF_FRAUD" }]);
const STOCK = rule("rule-stock", "Ship what is there", [{ type: "split", by: "stock" }]);
const RULES = [PRINTS, RISK, STOCK];

const hold = (over: Partial<FulfillmentHold>): FulfillmentHold => ({
  id: "gid://shopify/FulfillmentHold/1",
  handle: null,
  heldByRequestingApp: true,
  reason: "OTHER",
  reasonNotes: null,
  ...over,
});

// What the planner sent to Shopify with each hold: English, as the shop keeps it.
const review = hold({
  handle: ruleHoldHandle(PRINTS.id, "review"),
  reasonNotes: "Waiting for your review (rule “Prints”): Check the crop",
});
const risky = hold({
  handle: ruleHoldHandle(RISK.id, "rule"),
  reason: "HIGH_RISK_OF_FRAUD",
  reasonNotes: "High risk of fraud (rule “Risky orders”)",
});
const stock = hold({
  handle: ruleHoldHandle(STOCK.id, "stock"),
  reason: "INVENTORY_OUT_OF_STOCK",
  reasonNotes: "Waiting for stock at Studio (rule “Ship what is there”)",
});
const downloads = hold({
  handle: DEFAULT_REVIEW_HOLD_HANDLE,
  reasonNotes: "Waiting for your review (Settings): digital downloads need your approval",
});
const gate = hold({
  handle: GATE_HOLD_HANDLE,
  reasonNotes: "Waiting for Fulfilment Router's rules to decide",
});
const staff = hold({ handle: null, heldByRequestingApp: false, reasonNotes: "Customer called" });

describe("holds said in the admin's language", () => {
  let en: TFunction;
  let de: TFunction;
  beforeAll(async () => {
    en = await translatorOf("en");
    de = await translatorOf("de");
  });

  it("says the app's own holds from the rule that wants them, with the merchant's note", () => {
    expect(renderWords(en, holdWords(review, RULES))).toBe(
      "Waiting for your review (rule “Prints”): Check the crop",
    );
    expect(renderWords(de, holdWords(review, RULES))).toBe(
      "Wartet auf deine Prüfung (Regel „Prints“): Check the crop",
    );
    expect(renderWords(de, holdWords(risky, RULES))).toBe(
      "Hohes Betrugsrisiko (Regel „Risky orders“)",
    );
    expect(renderWords(de, holdWords(stock, RULES))).toBe(
      "Wartet auf Bestand (Regel „Ship what is there“)",
    );
    expect(renderWords(de, holdWords(downloads, RULES))).toBe(
      "Wartet auf deine Prüfung (Einstellungen)",
    );
    expect(renderWords(de, holdWords(gate, RULES))).toBe("Wartet auf die Entscheidung der Regeln");
  });

  it("says a stock hold with what waits on its fulfillment order: which item, how many of how many, at which location (ADR 088)", () => {
    const book = aMug(1, { title: "Photo Book", quantity: 3 });
    const print = aLine(2, { quantity: 2 });
    const held = aFulfillmentOrder(2, STUDIO, [
      [book, { totalQuantity: 1, remainingQuantity: 1 }],
      [print, { totalQuantity: 2, remainingQuantity: 2 }],
    ]);
    const waiting = stockWaitingOn(held, [book, print]);
    expect(renderWords(en, holdWords(stock, RULES, waiting))).toBe(
      "1 of 3 “Photo Book”, 2 of 2 “10x15 Lustre” waiting for stock at “Studio” (rule “Ship what is there”)",
    );
    expect(renderWords(de, holdNotesWords(stock, RULES, waiting)!)).toBe(
      "Wartet auf Bestand bei „Studio“: 1 von 3 „Photo Book“, 2 von 2 „10x15 Lustre“ (Regel „Ship what is there“)",
    );
    // Other holds on it say what they said.
    expect(renderWords(en, holdWords(review, RULES, waiting))).toBe(
      "Waiting for your review (rule “Prints”): Check the crop",
    );
  });

  it("beside someone else's hold, which stops the split, counts only what is not in stock, and without the stock read says no counts rather than count units in stock as waiting", () => {
    const book = aMug(1, { title: "Photo Book", quantity: 3 });
    const fraud = hold({
      id: "gid://shopify/FulfillmentHold/2",
      handle: "fraud-filter-1",
      heldByRequestingApp: false,
      reason: "HIGH_RISK_OF_FRAUD",
    });
    const read = aFulfillmentOrder(1, STUDIO, [[book, { inStockQuantity: 2 }]], {
      holds: [fraud, stock],
    });
    expect(renderWords(en, holdWords(stock, RULES, stockWaitingOn(read, [book])))).toBe(
      "1 of 3 “Photo Book” waiting for stock at “Studio” (rule “Ship what is there”)",
    );
    const unread = aFulfillmentOrder(1, STUDIO, [book], { holds: [fraud, stock] });
    expect(renderWords(en, holdWords(stock, RULES, stockWaitingOn(unread, [book])))).toBe(
      "Waiting for stock (rule “Ship what is there”)",
    );
  });

  it("keeps someone else's notes as they wrote them, after Shopify's reason", () => {
    expect(renderWords(de, holdWords(staff, RULES))).toBe("Sonstiges: Customer called");
    expect(holdNotesWords(staff, RULES)).toBe("Customer called");
    expect(renderWords(de, holdWords(hold({ reason: "INCORRECT_ADDRESS" }), RULES))).toBe(
      "Falsche Adresse",
    );
  });

  it("falls back to the note Shopify keeps when the rule is gone", () => {
    expect(renderWords(de, holdWords(review, [RISK]))).toBe(
      "Sonstiges: Waiting for your review (rule “Prints”): Check the crop",
    );
  });

  it("reads stored Words back, and a row stored as English text as it is", () => {
    const stored = JSON.stringify(holdWords(risky, RULES));
    expect(renderWords(de, readWords(stored))).toBe("Hohes Betrugsrisiko (Regel „Risky orders“)");
    const older = "Other: Waiting for your review (rule “Prints”)";
    expect(renderWords(de, readWords(older))).toBe(older);
  });
});
