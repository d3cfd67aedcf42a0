// The amount fields of "Cancel items" (set amount) and "Charge extra" read in the admin's locale:
// a German decimal comma is taken, an English "1,250" is refused rather than read as 1.25 or 1250.
import { describe, expect, it } from "vitest";
import { parseCancelLinesForm } from "./cancel-lines.server";
import { parseExtraChargeForm } from "./extra-charge.server";

const LINE = "gid://shopify/LineItem/1";

function setAmount(amount: string, locale?: string) {
  const f = new FormData();
  f.set(`line:${LINE}`, "1");
  for (const [k, v] of Object.entries({
    reason: "CUSTOMER",
    refund: "original",
    amountMode: "amount",
    amount,
  }))
    f.set(k, v);
  return parseCancelLinesForm(f, locale);
}

function charge(amount: string, locale?: string) {
  const f = new FormData();
  f.set("amount", amount);
  f.set("reason", "Size change");
  return parseExtraChargeForm(f, locale);
}

describe("a set amount typed in German admin", () => {
  it("takes a decimal comma, fils too", () => {
    expect(setAmount("12,50", "de")).toMatchObject({ ok: true, value: { amount: "12.50" } });
    expect(setAmount("12,505", "de")).toMatchObject({ ok: true, value: { amount: "12.505" } });
    expect(charge("12,50", "de")).toMatchObject({ ok: true, value: { amount: "12.50" } });
    expect(charge("12,505", "de")).toMatchObject({ ok: true, value: { amount: "12.505" } });
  });

  it("refuses a point that may be a thousands separator", () => {
    expect(setAmount("1.250", "de")).toEqual({ ok: false, errors: { amount: true } });
    expect(charge("1.250", "de")).toEqual({ ok: false, errors: { amount: true } });
  });
});

describe("a set amount typed in English admin", () => {
  it("takes a decimal point, and keeps as many decimals as typed for the currency to judge", () => {
    expect(setAmount("12.50", "en")).toMatchObject({ ok: true, value: { amount: "12.50" } });
    expect(charge("7.005", "en")).toMatchObject({ ok: true, value: { amount: "7.005" } });
    expect(charge("1500", "en")).toMatchObject({ ok: true, value: { amount: "1500" } });
  });

  it("never reads 1,250 as 1.25 or 1250: the amount field says what to type", () => {
    expect(setAmount("1,250", "en")).toEqual({ ok: false, errors: { amount: true } });
    expect(charge("1,250", "en")).toEqual({ ok: false, errors: { amount: true } });
    expect(setAmount("1,250.00", "en")).toEqual({ ok: false, errors: { amount: true } });
  });
});
