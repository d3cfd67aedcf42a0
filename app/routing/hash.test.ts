import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { canonicalHash, canonicalJson, fnv1a64 } from "./hash";
import { stepKey } from "./steps";

describe("FNV-1a 64", () => {
  test.each([
    ["", "cbf29ce484222325"],
    ["a", "af63dc4c8601ec8c"],
    ["foobar", "85944171f73967e8"],
    ["é", "0ac21707b7181e01"],
    ["😀", "feff073875020288"],
    ["Lustre/10x15 – Matte", "d9a3f33911cf882c"],
  ])("of %j is the reference value", (text, hash) => {
    expect(fnv1a64(text)).toBe(hash);
  });
});

/** The textbook FNV-1a 64 over UTF-8 bytes, in BigInt: slow, obviously right. */
function fnv1a64Reference(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

describe("FNV-1a 64 against the textbook form", () => {
  test("any well-formed text hashes as the BigInt reference does", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (text) => {
        expect(fnv1a64(text)).toBe(fnv1a64Reference(text));
      }),
    );
  });

  test("long well-formed texts, every UTF-8 length (step inputs run to hundreds of characters)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 50, maxLength: 300 }), (text) => {
        expect(fnv1a64(text)).toBe(fnv1a64Reference(text));
      }),
      { numRuns: 20 },
    );
  });
});

describe("canonical JSON", () => {
  test("key order and undefined members do not change it; array order does", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: { d: [2, 1] }, b: 1 })).toBe(
      canonicalJson({ b: 1, a: { d: [2, 1] } }),
    );
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  test("members come in the order Array.prototype.sort gives their keys, at any depth", () => {
    const sortedJson = (value: unknown): string =>
      value === null || typeof value !== "object"
        ? JSON.stringify(value)
        : Array.isArray(value)
          ? `[${value.map(sortedJson).join(",")}]`
          : `{${Object.keys(value)
              .sort()
              .map(
                (key) =>
                  `${JSON.stringify(key)}:${sortedJson((value as Record<string, unknown>)[key])}`,
              )
              .join(",")}}`;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(sortedJson(value));
      }),
    );
  });

  test("equal values serialise alike however their keys were built", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe("canonical hash", () => {
  // Any UTF-16 code units: lone surrogates (JSON.stringify escapes them), pairs, control characters.
  const anyText = fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    maxLength: 20,
  });

  test("is the hash of the canonical JSON, for any JSON value and any text in it", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalHash(value)).toBe(fnv1a64(canonicalJson(value)));
      }),
    );
    fc.assert(
      fc.property(
        fc.array(anyText, { maxLength: 8 }),
        fc.dictionary(anyText, anyText, { maxKeys: 8 }),
        (texts, record) => {
          const value = [texts, record, { skipped: undefined, list: [undefined, null, 1.5, true] }];
          expect(canonicalHash(value)).toBe(fnv1a64(canonicalJson(value)));
        },
      ),
    );
  });
});

describe("step keys", () => {
  test("stay the same from one release to the next, or in-flight steps would be applied twice", () => {
    const key = stepKey(
      "fulfillmentOrderMove",
      "gid://shopify/Order/1001",
      "gid://shopify/FulfillmentOrder/7",
      {
        id: "gid://shopify/FulfillmentOrder/7",
        newLocationId: "gid://shopify/Location/2",
      },
    );
    expect(key).toBe(
      "1001:7:fulfillmentOrderMove:" +
        fnv1a64(
          '["gid://shopify/Order/1001","gid://shopify/FulfillmentOrder/7","fulfillmentOrderMove",{"id":"gid://shopify/FulfillmentOrder/7","newLocationId":"gid://shopify/Location/2"}]',
        ),
    );
    expect(key).toBe("1001:7:fulfillmentOrderMove:fe11b95b51baac70");
  });

  test("order-level steps have no fulfillment order part", () => {
    expect(
      stepKey("orderClose", "gid://shopify/Order/1001", null, {
        input: { id: "gid://shopify/Order/1001" },
      }),
    ).toMatch(/^1001:-:orderClose:[0-9a-f]{16}$/);
  });
});
