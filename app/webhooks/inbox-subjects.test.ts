// Every fulfillment_orders/* and fulfillment_holds/* topic shopify.app.toml subscribes to, read from
// Shopify's documented example: the inbox finds the fulfillment order it is about (ADR 102).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { subjectOf } from "./inbox.server";

const subscribed = [
  ...readFileSync("shopify.app.toml", "utf8").matchAll(/topics = \[ "([^"]+)" \]/g),
]
  .map((m) => m[1]!)
  .filter((t) => t.startsWith("fulfillment_orders/") || t.startsWith("fulfillment_holds/"));

/** Shopify's example payload of a topic (the shared examples, copied as fixtures). */
const example = (topic: string) =>
  (
    JSON.parse(readFileSync(`tests/fixtures/shopify/webhooks/${topic}.json`, "utf8")) as {
      response: unknown;
    }
  ).response;

describe("the fulfillment order a subscribed webhook is about", () => {
  it("covers the toml's fulfillment order topics", () => {
    expect(subscribed).toContain("fulfillment_orders/moved");
    expect(subscribed).toContain("fulfillment_orders/merged");
  });

  it.each(subscribed)("%s names one in Shopify's example", (topic) => {
    expect(subjectOf(example(topic))).toMatch(/^gid:\/\/shopify\/FulfillmentOrder\/\d+$/);
  });

  it("moved: the original fulfillment order, the one the app recorded", () => {
    expect(subjectOf(example("fulfillment_orders/moved"))).toBe("gid://shopify/FulfillmentOrder/1");
  });

  it("merged: the fulfillment order left after the merge, also when Shopify lists the merges", () => {
    const merged = example("fulfillment_orders/merged") as Record<string, unknown>;
    expect(subjectOf(merged)).toBe("gid://shopify/FulfillmentOrder/1");
    expect(
      subjectOf({ ...merged, fulfillment_order_merges: [merged.fulfillment_order_merges] }),
    ).toBe("gid://shopify/FulfillmentOrder/1");
  });
});
