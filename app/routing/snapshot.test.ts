import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { compareGids, gidTail } from "./snapshot";

/** compareGids as first written: slow (two tails cut out and two regular expressions a call), plainly right. */
function compareGidsReference(a: string, b: string): number {
  if (a === b) return 0;
  const ta = gidTail(a);
  const tb = gidTail(b);
  if (/^\d+$/.test(ta) && /^\d+$/.test(tb) && ta !== tb) {
    if (ta.length !== tb.length) return ta.length - tb.length;
    return ta < tb ? -1 : 1;
  }
  return a < b ? -1 : 1;
}

// Gids as Shopify writes them, with the odd ones a read can still hold: no number, a query, no slash.
const gid = fc.oneof(
  fc
    .tuple(fc.constantFrom("FulfillmentOrder", "LineItem", "Order"), fc.nat())
    .map(([type, n]) => `gid://shopify/${type}/${n}`),
  fc.nat().map((n) => `gid://shopify/FulfillmentOrder/${n}?from=split`),
  fc.nat().map((n) => `gid://shopify/Order/0${n}`),
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 6 }).map((tail) => `gid://shopify/Order/${tail}`),
);

describe("compareGids", () => {
  test("orders numeric tails by number: …/9 before …/10", () => {
    const ids = ["gid://shopify/FulfillmentOrder/10", "gid://shopify/FulfillmentOrder/9"];
    expect([...ids].sort(compareGids)).toEqual([ids[1], ids[0]]);
  });

  test("answers as the first, regular-expression form did for any pair", () => {
    fc.assert(
      fc.property(gid, gid, (a, b) => {
        expect(Math.sign(compareGids(a, b))).toBe(Math.sign(compareGidsReference(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});
