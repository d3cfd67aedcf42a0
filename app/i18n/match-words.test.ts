// Why a rule matched reads in the admin's language: the conditions in the rules screen's words and
// the order's own values that made them hold, in English and in German.
import type { TFunction } from "i18next";
import { beforeAll, describe, expect, test } from "vitest";
import { evaluate } from "../routing/evaluate";
import type { Action, Rule } from "../routing/rules";
import type { OrderSnapshot } from "../routing/snapshot";
import {
  aFulfillmentOrder,
  aLine,
  aRule,
  aSnapshot,
  LAB,
  onePrintAtStudio,
  STUDIO,
} from "../routing/testing.fixtures";
import { translatorOf } from "./i18next.server";
import { renderWords } from "./words";

let en: TFunction;
let de: TFunction;
beforeAll(async () => {
  [en, de] = [await translatorOf("en"), await translatorOf("de")];
});

const TAG_ACTION: Action[] = [{ type: "add_order_tags", tags: ["seen"] }];

/** The first explanation line of the first fulfillment order, in a language. */
function said(t: TFunction, snapshot: OrderSnapshot, rule: Rule): string {
  return renderWords(t, evaluate(snapshot, [rule])[0]?.explanation[0]?.text ?? "");
}

const print = onePrintAtStudio();
const atLab = (() => {
  const line = aLine(1);
  return aSnapshot({ lineItems: [line], fulfillmentOrders: [aFulfillmentOrder(1, LAB, [line])] });
})();

describe("explanations name the rule, the conditions and the values that matched", () => {
  test("a line condition names the line and its SKU", () => {
    const rule = aRule({ name: "Lab prints", actions: [...TAG_ACTION] }, [
      { field: "product_type", operator: "equals", value: "Print" },
    ]);
    expect(said(en, print, rule)).toBe(
      "Rule “Lab prints” matched: Product type is “Print” (line “10x15 Lustre”, SKU PRINT-10x15-L)",
    );
  });

  test("comparisons that do not say the value show the actual one", () => {
    const rule = aRule({ name: "Big orders", actions: [...TAG_ACTION] }, [
      { field: "order_total", operator: "greater_than", value: 40 },
      { field: "sku", operator: "starts_with", value: "PRINT" },
    ]);
    expect(said(en, print, rule)).toBe(
      "Rule “Big orders” matched: Order total is more than “40” (€49.00) and SKU starts with “PRINT” (line “10x15 Lustre”, SKU PRINT-10x15-L)",
    );
  });

  test("'any' names only the conditions that held", () => {
    const rule = aRule({ name: "Risky", match: "any", actions: [...TAG_ACTION] }, [
      { field: "risk_level", operator: "equals", value: "HIGH" },
      { field: "destination_country", operator: "in", value: ["DE", "AT"] },
    ]);
    expect(said(en, print, rule)).toBe(
      "Rule “Risky” matched: Destination country is one of “DE”, “AT” (ships to DE)",
    );
  });

  test("'every line' lists the lines", () => {
    const a = aLine(1, { title: "Print A" });
    const b = aLine(2, { title: "Print B" });
    const snapshot = aSnapshot({
      lineItems: [a, b],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [a, b])],
    });
    const rule = aRule({ name: "All prints", lines: "every", actions: [...TAG_ACTION] }, [
      { field: "product_type", operator: "equals", value: "Print" },
    ]);
    expect(said(en, snapshot, rule)).toBe(
      "Rule “All prints” matched: Product type is “Print” (every line: “Print A”, “Print B”)",
    );
  });

  test("a line comparison that does not say the value shows it beside the line", () => {
    const rule = aRule({ name: "Printish", actions: [...TAG_ACTION] }, [
      { field: "product_type", operator: "contains", value: "rin" },
    ]);
    expect(said(en, print, rule)).toBe(
      "Rule “Printish” matched: Product type contains “rin” (line “10x15 Lustre”, SKU PRINT-10x15-L, product type “Print”)",
    );
  });

  test("locations are named, not given as ids", () => {
    const rule = aRule({ name: "At the lab", actions: [...TAG_ACTION] }, [
      { field: "assigned_location", operator: "in", value: [LAB.id] },
    ]);
    expect(said(en, atLab, rule)).toBe(
      "Rule “At the lab” matched: Assigned location is one of “WHCC Lab” (at “WHCC Lab”)",
    );
  });

  test("a rule without conditions says so", () => {
    const rule = aRule({ name: "Everything", actions: [...TAG_ACTION] });
    expect(said(en, print, rule)).toBe(
      "Rule “Everything” matched: it has no conditions, so it applies to every fulfillment order",
    );
  });

  test("more matching lines are counted", () => {
    const a = aLine(1, { title: "Print A", sku: "A" });
    const b = aLine(2, { title: "Print B", sku: "B" });
    const c = aLine(3, { title: "Print C", sku: "C" });
    const snapshot = aSnapshot({
      lineItems: [a, b, c],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [a, b, c])],
    });
    const rule = aRule({ name: "Prints", actions: [...TAG_ACTION] }, [
      { field: "product_type", operator: "equals", value: "Print" },
    ]);
    expect(said(en, snapshot, rule)).toBe(
      "Rule “Prints” matched: Product type is “Print” (line “Print A”, SKU A; 2 more lines)",
    );
  });
});

describe("the match in German", () => {
  test("joins with the rule's und/oder, quotes the German way and counts lines in German", () => {
    const big = aRule({ name: "Große Bestellungen", actions: [...TAG_ACTION] }, [
      { field: "order_total", operator: "greater_than", value: 40 },
      { field: "sku", operator: "starts_with", value: "PRINT" },
    ]);
    expect(said(de, print, big)).toBe(
      "Regel „Große Bestellungen“ trifft zu: Bestellsumme ist mehr als „40“ (49,00\u00a0€) und Artikelnummer (SKU) beginnt mit „PRINT“ (Position „10x15 Lustre“, SKU PRINT-10x15-L)",
    );
    const [a, b, c] = [1, 2, 3].map((n) => aLine(n, { title: `Druck ${n}`, sku: `D${n}` }));
    const three = aSnapshot({
      lineItems: [a!, b!, c!],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [a!, b!, c!])],
    });
    const any = aRule({ name: "Drucke", match: "any", actions: [...TAG_ACTION] }, [
      { field: "order_tag", operator: "contains", value: "vip" },
      { field: "product_type", operator: "contains", value: "rin" },
    ]);
    expect(said(de, three, any)).toBe(
      "Regel „Drucke“ trifft zu: Produkttyp enthält „rin“ (Position „Druck 1“, SKU D1, Produkttyp „Print“; 2 weitere Positionen)",
    );
    expect(said(de, print, aRule({ name: "Alles", actions: [...TAG_ACTION] }))).toBe(
      "Regel „Alles“ trifft zu: keine Bedingungen, gilt also für jeden Fulfillment-Auftrag",
    );
  });
});
