// Remake reasons as the merchant edits them, and the note and tags that link a remake to its original.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_REMAKE_REASONS,
  linkRemakeSteps,
  parseRemakeReasons,
  planRemake,
  remakeReasonsOf,
  type RemakeSource,
} from "./remake";

const why = { source: "approval" as const, ruleId: null, ruleName: null, text: "By Lena" };

const source: RemakeSource = {
  id: "gid://shopify/Order/1",
  name: "#1001",
  email: "ada@example.com",
  currencyCode: "EUR",
  presentmentCurrencyCode: "EUR",
  note: null,
  cancelled: false,
  shippingAddress: null,
  lineItems: [
    {
      id: "gid://shopify/LineItem/1",
      title: "Fine Art Print",
      variantTitle: "Matte / A4",
      sku: "PRINT-MATTE-A4",
      quantity: 2,
      variantId: "gid://shopify/ProductVariant/9",
      customAttributes: [{ key: "Crop", value: "1,2,3,4" }],
    },
    {
      id: "gid://shopify/LineItem/2",
      title: "Retouching",
      variantTitle: null,
      sku: null,
      quantity: 1,
      variantId: null,
      customAttributes: [],
    },
  ],
};

describe("remake reasons", () => {
  it("reads one reason a line, trimmed, without blanks or repeats", () => {
    expect(parseRemakeReasons(" Print fault \n\nprint fault\r\nLab error\n")).toEqual([
      "Print fault",
      "Lab error",
    ]);
  });
  it("falls back to the defaults when nothing or something unreadable is stored", () => {
    expect(remakeReasonsOf(null)).toEqual([...DEFAULT_REMAKE_REASONS]);
    expect(remakeReasonsOf("{oops")).toEqual([...DEFAULT_REMAKE_REASONS]);
    expect(remakeReasonsOf('["Paper jam"]')).toEqual(["Paper jam"]);
  });
});

describe("planRemake", () => {
  it("makes a draft of the chosen lines at the set price, with the crop and the link in its note", () => {
    const plan = planRemake(
      source,
      {
        lines: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 1 }],
        reason: "Wrong crop",
        unitPrice: "0.00",
      },
      DEFAULT_REMAKE_REASONS,
      why,
    );
    expect(plan.kind).toBe("remake");
    if (plan.kind !== "remake") return;
    expect(plan.step.input.input).toMatchObject({
      note: "Remake of #1001: Wrong crop",
      tags: ["remake"],
      lineItems: [
        {
          variantId: "gid://shopify/ProductVariant/9",
          quantity: 1,
          priceOverride: { amount: "0.00", currencyCode: "EUR" },
          customAttributes: [{ key: "Crop", value: "1,2,3,4" }],
        },
      ],
    });
  });
  it("names the app's remake on the draft, so a draft whose answer was lost can be found", () => {
    const plan = planRemake(
      source,
      {
        lines: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 1 }],
        reason: "Wrong crop",
        unitPrice: "0.00",
      },
      DEFAULT_REMAKE_REASONS,
      why,
      "remake-1",
    );
    if (plan.kind !== "remake") throw new Error(plan.kind);
    expect(plan.step.input.input.customAttributes).toEqual([{ key: "_remake", value: "remake-1" }]);
  });
  it("refuses a canceled order before anything else", () => {
    const plan = planRemake(
      { ...source, cancelled: true },
      {
        lines: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 1 }],
        reason: "Wrong crop",
        unitPrice: "0.00",
      },
      DEFAULT_REMAKE_REASONS,
      why,
    );
    expect(plan).toEqual({ kind: "refused", refusal: { code: "cancelled" } });
  });
  it("refuses a custom item, which has no product to make again", () => {
    const plan = planRemake(
      source,
      {
        lines: [{ lineItemId: "gid://shopify/LineItem/2", quantity: 1 }],
        reason: "Lab error",
        unitPrice: "0.00",
      },
      DEFAULT_REMAKE_REASONS,
      why,
    );
    expect(plan).toEqual({
      kind: "refused",
      refusal: { code: "notFromCatalogue", title: "Retouching" },
    });
  });
});

describe("linkRemakeSteps", () => {
  it("tags the original and appends the replacement to its note, keeping what was there", () => {
    const [tag, note] = linkRemakeSteps(
      { id: source.id, note: "Gift wrap" },
      { name: "#1005" },
      "Lab error",
      why,
    );
    expect(tag!.input).toEqual({ id: source.id, tags: ["remade"] });
    expect(note!.input).toEqual({
      input: { id: source.id, note: "Gift wrap\nRemade as #1005: Lab error" },
    });
  });
});
