import { describe, expect, test } from "vitest";
import { evaluate } from "./evaluate";
import type { Action, Condition, Rule } from "./rules";
import type { OrderSnapshot } from "./snapshot";
import {
  aDownload,
  aFulfillmentOrder,
  aLine,
  aMug,
  anOrder,
  aRule,
  aSnapshot,
  LAB,
  onePrintAtStudio,
  STUDIO,
} from "./testing.fixtures";

const TAG_ACTION: Action[] = [{ type: "add_order_tags", tags: ["seen"] }];

function ruleWith(conditions: Condition[], extra: Partial<Rule> = {}): Rule {
  return aRule({ name: "Under test", actions: [...TAG_ACTION], ...extra }, conditions);
}

/** Does a rule with these conditions match the first fulfillment order? */
function matches(
  snapshot: OrderSnapshot,
  conditions: Condition[],
  extra: Partial<Rule> = {},
): boolean {
  const rule = ruleWith(conditions, extra);
  const result = evaluate(snapshot, [rule]);
  return result[0]?.ruleIds.includes(rule.id) ?? false;
}

const print = onePrintAtStudio();
const noSkuNoVendor = (() => {
  const line = aLine(1, { sku: null, vendor: null, productType: "", productTags: [] });
  return aSnapshot({
    lineItems: [line],
    fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [line])],
  });
})();
const atLab = (() => {
  const line = aLine(1);
  return aSnapshot({ lineItems: [line], fulfillmentOrders: [aFulfillmentOrder(1, LAB, [line])] });
})();
const download = (() => {
  const line = aDownload(1);
  return aSnapshot({
    lineItems: [line],
    fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [line])],
  });
})();
const giftCard = (() => {
  const line = aDownload(1, { title: "Gift card", isGiftCard: true, productType: "Gift Card" });
  return aSnapshot({
    lineItems: [line],
    fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [line])],
  });
})();
const withOrder = (overrides: Parameters<typeof anOrder>[0]) =>
  onePrintAtStudio(anOrder(overrides));

type Case = [name: string, snapshot: OrderSnapshot, condition: Condition, expected: boolean];

const cases: Record<string, Case[]> = {
  "product type": [
    ["equals", print, { field: "product_type", operator: "equals", value: "Print" }, true],
    [
      "equals ignores case and spaces",
      print,
      { field: "product_type", operator: "equals", value: " print " },
      true,
    ],
    [
      "equals another type",
      print,
      { field: "product_type", operator: "equals", value: "Canvas" },
      false,
    ],
    ["not_equals", print, { field: "product_type", operator: "not_equals", value: "Canvas" }, true],
    [
      "not_equals its own type",
      print,
      { field: "product_type", operator: "not_equals", value: "Print" },
      false,
    ],
    ["in", print, { field: "product_type", operator: "in", value: ["Canvas", "Print"] }, true],
    ["in without it", print, { field: "product_type", operator: "in", value: ["Canvas"] }, false],
    ["not_in", print, { field: "product_type", operator: "not_in", value: ["Canvas"] }, true],
    [
      "not_in with it",
      print,
      { field: "product_type", operator: "not_in", value: ["Print"] },
      false,
    ],
    ["contains", print, { field: "product_type", operator: "contains", value: "rin" }, true],
    [
      "contains other text",
      print,
      { field: "product_type", operator: "contains", value: "anv" },
      false,
    ],
    [
      "not_contains",
      print,
      { field: "product_type", operator: "not_contains", value: "anv" },
      true,
    ],
    [
      "not_contains its text",
      print,
      { field: "product_type", operator: "not_contains", value: "rin" },
      false,
    ],
    ["starts_with", print, { field: "product_type", operator: "starts_with", value: "Pr" }, true],
    [
      "starts_with other",
      print,
      { field: "product_type", operator: "starts_with", value: "Ca" },
      false,
    ],
    ["exists", print, { field: "product_type", operator: "exists", value: true }, true],
    [
      "exists false on a typed product",
      print,
      { field: "product_type", operator: "exists", value: false },
      false,
    ],
    [
      "exists false on a product without type",
      noSkuNoVendor,
      { field: "product_type", operator: "exists", value: false },
      true,
    ],
    [
      "equals on a product without type",
      noSkuNoVendor,
      { field: "product_type", operator: "equals", value: "Print" },
      false,
    ],
  ],
  vendor: [
    ["equals", print, { field: "vendor", operator: "equals", value: "Pixpa" }, true],
    ["not_equals another", print, { field: "vendor", operator: "not_equals", value: "Acme" }, true],
    ["in", print, { field: "vendor", operator: "in", value: ["Acme", "pixpa"] }, true],
    ["not_in", print, { field: "vendor", operator: "not_in", value: ["Pixpa"] }, false],
    ["contains", print, { field: "vendor", operator: "contains", value: "pix" }, true],
    [
      "no vendor is not 'Pixpa'",
      noSkuNoVendor,
      { field: "vendor", operator: "not_equals", value: "Pixpa" },
      true,
    ],
    [
      "no vendor does not contain",
      noSkuNoVendor,
      { field: "vendor", operator: "contains", value: "p" },
      false,
    ],
    [
      "no vendor: exists false",
      noSkuNoVendor,
      { field: "vendor", operator: "exists", value: false },
      true,
    ],
  ],
  SKU: [
    ["equals", print, { field: "sku", operator: "equals", value: "PRINT-10x15-L" }, true],
    ["starts_with", print, { field: "sku", operator: "starts_with", value: "print-" }, true],
    ["starts_with other", print, { field: "sku", operator: "starts_with", value: "MUG-" }, false],
    ["not_contains", print, { field: "sku", operator: "not_contains", value: "MUG" }, true],
    ["in", print, { field: "sku", operator: "in", value: ["X", "PRINT-10x15-L"] }, true],
    ["not_in", print, { field: "sku", operator: "not_in", value: ["PRINT-10x15-L"] }, false],
    ["no SKU: exists", noSkuNoVendor, { field: "sku", operator: "exists", value: true }, false],
    ["no SKU is none of", noSkuNoVendor, { field: "sku", operator: "not_in", value: ["A"] }, true],
  ],
  "product tags": [
    [
      "contains a whole tag",
      print,
      { field: "product_tag", operator: "contains", value: "Photo" },
      true,
    ],
    [
      "contains never matches part of a tag",
      print,
      { field: "product_tag", operator: "contains", value: "pho" },
      false,
    ],
    [
      "not_contains",
      print,
      { field: "product_tag", operator: "not_contains", value: "digital" },
      true,
    ],
    [
      "not_contains its tag",
      print,
      { field: "product_tag", operator: "not_contains", value: "photo" },
      false,
    ],
    ["in", print, { field: "product_tag", operator: "in", value: ["digital", "photo"] }, true],
    ["not_in", print, { field: "product_tag", operator: "not_in", value: ["photo"] }, false],
    ["exists", print, { field: "product_tag", operator: "exists", value: true }, true],
    [
      "exists false on untagged",
      noSkuNoVendor,
      { field: "product_tag", operator: "exists", value: false },
      true,
    ],
  ],
  "variant option": [
    [
      "equals",
      print,
      { field: "variant_option", optionName: "Paper", operator: "equals", value: "Lustre" },
      true,
    ],
    [
      "option name ignores case",
      print,
      { field: "variant_option", optionName: "paper", operator: "equals", value: "lustre" },
      true,
    ],
    [
      "equals another value",
      print,
      { field: "variant_option", optionName: "Paper", operator: "equals", value: "Matte" },
      false,
    ],
    [
      "not_equals",
      print,
      { field: "variant_option", optionName: "Paper", operator: "not_equals", value: "Matte" },
      true,
    ],
    [
      "in",
      print,
      { field: "variant_option", optionName: "Size", operator: "in", value: ["13x18", "10x15"] },
      true,
    ],
    [
      "not_in",
      print,
      { field: "variant_option", optionName: "Size", operator: "not_in", value: ["10x15"] },
      false,
    ],
    [
      "exists",
      print,
      { field: "variant_option", optionName: "Paper", operator: "exists", value: true },
      true,
    ],
    [
      "exists on an option it lacks",
      print,
      { field: "variant_option", optionName: "Color", operator: "exists", value: true },
      false,
    ],
    [
      "Default Title is no option",
      download,
      { field: "variant_option", optionName: "Title", operator: "exists", value: false },
      true,
    ],
  ],
  "requires shipping": [
    [
      "a print requires shipping",
      print,
      { field: "requires_shipping", operator: "equals", value: true },
      true,
    ],
    [
      "a download does not",
      download,
      { field: "requires_shipping", operator: "equals", value: true },
      false,
    ],
    [
      "a download: equals false",
      download,
      { field: "requires_shipping", operator: "equals", value: false },
      true,
    ],
  ],
  "gift card": [
    ["a gift card", giftCard, { field: "gift_card", operator: "equals", value: true }, true],
    ["a print is not", print, { field: "gift_card", operator: "equals", value: true }, false],
    [
      "a print: equals false",
      print,
      { field: "gift_card", operator: "equals", value: false },
      true,
    ],
  ],
  "order tags": [
    [
      "contains",
      withOrder({ tags: ["VIP", "wholesale"] }),
      { field: "order_tag", operator: "contains", value: "vip" },
      true,
    ],
    [
      "not_contains",
      withOrder({ tags: ["VIP"] }),
      { field: "order_tag", operator: "not_contains", value: "vip" },
      false,
    ],
    [
      "in",
      withOrder({ tags: ["wholesale"] }),
      { field: "order_tag", operator: "in", value: ["vip", "wholesale"] },
      true,
    ],
    [
      "not_in",
      withOrder({ tags: ["wholesale"] }),
      { field: "order_tag", operator: "not_in", value: ["vip"] },
      true,
    ],
    [
      "exists on untagged",
      withOrder({ tags: [] }),
      { field: "order_tag", operator: "exists", value: true },
      false,
    ],
    [
      "exists false on untagged",
      withOrder({ tags: [] }),
      { field: "order_tag", operator: "exists", value: false },
      true,
    ],
  ],
  "customer tags": [
    [
      "contains",
      withOrder({ customer: { id: "c", tags: ["Trade"] } }),
      { field: "customer_tag", operator: "contains", value: "trade" },
      true,
    ],
    [
      "in",
      withOrder({ customer: { id: "c", tags: ["Trade"] } }),
      { field: "customer_tag", operator: "in", value: ["x"] },
      false,
    ],
    [
      "not_in",
      withOrder({ customer: { id: "c", tags: ["Trade"] } }),
      { field: "customer_tag", operator: "not_in", value: ["x"] },
      true,
    ],
    [
      "no customer has no tags",
      withOrder({ customer: null }),
      { field: "customer_tag", operator: "exists", value: false },
      true,
    ],
    [
      "no customer does not contain",
      withOrder({ customer: null }),
      { field: "customer_tag", operator: "contains", value: "trade" },
      false,
    ],
    [
      "no customer: not_contains",
      withOrder({ customer: null }),
      { field: "customer_tag", operator: "not_contains", value: "trade" },
      true,
    ],
  ],
  "order total": [
    ["greater_than", print, { field: "order_total", operator: "greater_than", value: 40 }, true],
    [
      "greater_than its own total",
      print,
      { field: "order_total", operator: "greater_than", value: 49 },
      false,
    ],
    ["less_than", print, { field: "order_total", operator: "less_than", value: 50 }, true],
    ["less_than below", print, { field: "order_total", operator: "less_than", value: 49 }, false],
    ["equals", print, { field: "order_total", operator: "equals", value: 49 }, true],
    ["not_equals", print, { field: "order_total", operator: "not_equals", value: 49 }, false],
    [
      "in another currency never matches",
      print,
      { field: "order_total", operator: "greater_than", value: 1, currencyCode: "USD" },
      false,
    ],
    [
      "in its currency",
      print,
      { field: "order_total", operator: "greater_than", value: 1, currencyCode: "EUR" },
      true,
    ],
  ],
  "destination country": [
    ["equals", print, { field: "destination_country", operator: "equals", value: "DE" }, true],
    [
      "equals ignores case",
      print,
      { field: "destination_country", operator: "equals", value: "de" },
      true,
    ],
    [
      "not_equals",
      print,
      { field: "destination_country", operator: "not_equals", value: "DE" },
      false,
    ],
    ["in", print, { field: "destination_country", operator: "in", value: ["AT", "DE"] }, true],
    ["not_in", print, { field: "destination_country", operator: "not_in", value: ["AT"] }, true],
    ["exists", print, { field: "destination_country", operator: "exists", value: true }, true],
    [
      "no address: exists false",
      withOrder({ shippingAddress: null }),
      { field: "destination_country", operator: "exists", value: false },
      true,
    ],
    [
      "no address is not in a list",
      withOrder({ shippingAddress: null }),
      { field: "destination_country", operator: "in", value: ["DE"] },
      false,
    ],
  ],
  "destination province": [
    ["equals", print, { field: "destination_province", operator: "equals", value: "BY" }, true],
    ["in", print, { field: "destination_province", operator: "in", value: ["BE", "HH"] }, false],
    ["not_in", print, { field: "destination_province", operator: "not_in", value: ["BE"] }, true],
    [
      "not_equals",
      print,
      { field: "destination_province", operator: "not_equals", value: "BY" },
      false,
    ],
    [
      "no province",
      withOrder({ shippingAddress: { countryCode: "NL", provinceCode: null } }),
      { field: "destination_province", operator: "exists", value: false },
      true,
    ],
  ],
  "shipping method": [
    ["equals", print, { field: "shipping_method", operator: "equals", value: "standard" }, true],
    [
      "contains",
      withOrder({ shippingLines: [{ title: "DHL Express 24h" }] }),
      { field: "shipping_method", operator: "contains", value: "express" },
      true,
    ],
    [
      "not_contains",
      withOrder({ shippingLines: [{ title: "DHL Express 24h" }] }),
      { field: "shipping_method", operator: "not_contains", value: "express" },
      false,
    ],
    [
      "not_equals",
      print,
      { field: "shipping_method", operator: "not_equals", value: "Express" },
      true,
    ],
    [
      "in",
      print,
      { field: "shipping_method", operator: "in", value: ["Express", "Standard"] },
      true,
    ],
    ["not_in", print, { field: "shipping_method", operator: "not_in", value: ["Standard"] }, false],
    [
      "starts_with",
      print,
      { field: "shipping_method", operator: "starts_with", value: "Stan" },
      true,
    ],
    [
      "none: exists false",
      withOrder({ shippingLines: [] }),
      { field: "shipping_method", operator: "exists", value: false },
      true,
    ],
  ],
  "risk level": [
    ["equals", print, { field: "risk_level", operator: "equals", value: "LOW" }, true],
    ["not_equals", print, { field: "risk_level", operator: "not_equals", value: "LOW" }, false],
    [
      "in",
      withOrder({ riskLevel: "HIGH" }),
      { field: "risk_level", operator: "in", value: ["MEDIUM", "HIGH"] },
      true,
    ],
    [
      "not_in",
      withOrder({ riskLevel: "HIGH" }),
      { field: "risk_level", operator: "not_in", value: ["HIGH"] },
      false,
    ],
    ["greater_than", print, { field: "risk_level", operator: "greater_than", value: "NONE" }, true],
    [
      "greater_than itself",
      print,
      { field: "risk_level", operator: "greater_than", value: "LOW" },
      false,
    ],
    ["less_than", print, { field: "risk_level", operator: "less_than", value: "MEDIUM" }, true],
    [
      "less_than below",
      withOrder({ riskLevel: "HIGH" }),
      { field: "risk_level", operator: "less_than", value: "MEDIUM" },
      false,
    ],
  ],
  "payment state": [
    ["equals paid", print, { field: "payment_state", operator: "equals", value: "paid" }, true],
    [
      "equals authorized on a paid order",
      print,
      { field: "payment_state", operator: "equals", value: "authorized" },
      false,
    ],
    [
      "authorized",
      withOrder({ displayFinancialStatus: "AUTHORIZED" }),
      { field: "payment_state", operator: "equals", value: "authorized" },
      true,
    ],
    ["in", print, { field: "payment_state", operator: "in", value: ["paid", "authorized"] }, true],
    [
      "not_in",
      withOrder({ displayFinancialStatus: "PARTIALLY_PAID" }),
      { field: "payment_state", operator: "not_in", value: ["paid"] },
      true,
    ],
    ["not_equals", print, { field: "payment_state", operator: "not_equals", value: "paid" }, false],
  ],
  "sales channel": [
    [
      "the channel's name",
      print,
      { field: "sales_channel", operator: "equals", value: "Online Store" },
      true,
    ],
    [
      "or Shopify's source name",
      print,
      { field: "sales_channel", operator: "equals", value: "web" },
      true,
    ],
    ["another channel", print, { field: "sales_channel", operator: "equals", value: "pos" }, false],
    [
      "not_equals",
      withOrder({ sourceName: "pos", salesChannel: "Point of Sale" }),
      { field: "sales_channel", operator: "not_equals", value: "web" },
      true,
    ],
    ["contains", print, { field: "sales_channel", operator: "contains", value: "online" }, true],
    ["in", print, { field: "sales_channel", operator: "in", value: ["pos", "web"] }, true],
    ["not_in", print, { field: "sales_channel", operator: "not_in", value: ["web"] }, false],
  ],
  "assigned location": [
    ["equals", print, { field: "assigned_location", operator: "equals", value: STUDIO.id }, true],
    [
      "equals another",
      print,
      { field: "assigned_location", operator: "equals", value: LAB.id },
      false,
    ],
    [
      "not_equals",
      print,
      { field: "assigned_location", operator: "not_equals", value: LAB.id },
      true,
    ],
    ["in", atLab, { field: "assigned_location", operator: "in", value: [STUDIO.id, LAB.id] }, true],
    ["not_in", atLab, { field: "assigned_location", operator: "not_in", value: [LAB.id] }, false],
  ],
  "fulfilment service": [
    [
      "a studio is fulfilled by the merchant",
      print,
      { field: "fulfilment_service", operator: "exists", value: false },
      true,
    ],
    [
      "the lab is a fulfilment service",
      atLab,
      { field: "fulfilment_service", operator: "exists", value: true },
      true,
    ],
    ["by handle", atLab, { field: "fulfilment_service", operator: "equals", value: "whcc" }, true],
    [
      "another handle",
      atLab,
      { field: "fulfilment_service", operator: "equals", value: "printify" },
      false,
    ],
    [
      "in",
      atLab,
      { field: "fulfilment_service", operator: "in", value: ["printify", "whcc"] },
      true,
    ],
    ["not_in", atLab, { field: "fulfilment_service", operator: "not_in", value: ["whcc"] }, false],
    [
      "not_equals on the studio",
      print,
      { field: "fulfilment_service", operator: "not_equals", value: "whcc" },
      true,
    ],
  ],
};

describe.each(Object.entries(cases))("condition: %s", (_family, familyCases) => {
  test.each(familyCases)("%s", (_name, snapshot, condition, expected) => {
    expect(matches(snapshot, [condition])).toBe(expected);
  });
});

describe("how conditions combine", () => {
  const mixed = (() => {
    const matte = aLine(1, {
      title: "13x18 Matte",
      variantOptions: [
        { name: "Paper", value: "Matte" },
        { name: "Size", value: "13x18" },
      ],
    });
    const mug = aMug(2);
    return aSnapshot({
      lineItems: [matte, mug],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [matte, mug])],
    });
  })();
  const isPrint: Condition = { field: "product_type", operator: "equals", value: "Print" };
  const isMug: Condition = { field: "product_type", operator: "equals", value: "Mug" };
  const isMatte: Condition = {
    field: "variant_option",
    optionName: "Paper",
    operator: "equals",
    value: "Matte",
  };
  const isWhite: Condition = {
    field: "variant_option",
    optionName: "Color",
    operator: "equals",
    value: "White",
  };

  test("'all' needs one line that satisfies every line condition, not a bit from each line", () => {
    expect(matches(mixed, [isPrint, isMatte])).toBe(true);
    expect(matches(mixed, [isPrint, isWhite])).toBe(false);
  });

  test("'any' needs one condition on one line", () => {
    expect(matches(mixed, [isPrint, isWhite], { match: "any" })).toBe(true);
    expect(
      matches(mixed, [{ field: "product_type", operator: "equals", value: "Canvas" }], {
        match: "any",
      }),
    ).toBe(false);
  });

  test("'every line' needs each line of the fulfillment order to qualify", () => {
    expect(
      matches(mixed, [{ field: "requires_shipping", operator: "equals", value: true }], {
        lines: "every",
      }),
    ).toBe(true);
    expect(matches(mixed, [isPrint], { lines: "every" })).toBe(false);
    expect(matches(mixed, [isPrint, isMug], { lines: "every", match: "any" })).toBe(true);
  });

  test("order conditions and line conditions together", () => {
    const vip = onePrintAtStudio(anOrder({ tags: ["vip"] }));
    expect(
      matches(vip, [isPrint, { field: "order_tag", operator: "contains", value: "vip" }]),
    ).toBe(true);
    expect(matches(vip, [isMug, { field: "order_tag", operator: "contains", value: "vip" }])).toBe(
      false,
    );
    expect(
      matches(vip, [isMug, { field: "order_tag", operator: "contains", value: "vip" }], {
        match: "any",
      }),
    ).toBe(true);
  });

  test("a rule without conditions matches every fulfillment order, whatever its match mode", () => {
    expect(matches(print, [])).toBe(true);
    expect(matches(print, [], { match: "any" })).toBe(true);
  });

  test("disabled rules never match", () => {
    expect(matches(print, [isPrint], { enabled: false })).toBe(false);
  });

  test("lines already fulfilled do not count", () => {
    const done = aLine(1);
    const open = aMug(2);
    const snapshot = aSnapshot({
      lineItems: [done, open],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [[done, { remainingQuantity: 0 }], open])],
    });
    expect(matches(snapshot, [isPrint])).toBe(false);
    expect(matches(snapshot, [isMug], { lines: "every" })).toBe(true);
  });
});
