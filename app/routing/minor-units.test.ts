// Amounts in each currency's own minor units: read from Shopify's decimals and written back exactly.
import { describe, expect, it } from "vitest";
import {
  amountExample,
  currencyDecimals,
  fitsCurrency,
  fromMinorUnits,
  toMinorUnits,
} from "./minor-units";

describe("minor units", () => {
  it("knows a currency's decimals: 3 for the dinars and TND, 0 for yen and won, 2 otherwise", () => {
    for (const code of ["KWD", "BHD", "JOD", "OMR", "TND"]) expect(currencyDecimals(code)).toBe(3);
    for (const code of ["JPY", "KRW"]) expect(currencyDecimals(code)).toBe(0);
    for (const code of ["EUR", "USD", "not a code"]) expect(currencyDecimals(code)).toBe(2);
  });

  it("reads Shopify's decimals to the last fils and writes them back as they were", () => {
    expect(toMinorUnits("7.005", "KWD")).toBe(7005);
    expect(fromMinorUnits(7005, "KWD")).toBe("7.005");
    expect(toMinorUnits("1500.0", "JPY")).toBe(1500);
    expect(fromMinorUnits(1500, "JPY")).toBe("1500");
    expect(toMinorUnits("28.56", "EUR")).toBe(2856);
    expect(fromMinorUnits(2856, "EUR")).toBe("28.56");
    expect(fromMinorUnits(0, "EUR")).toBe("0.00");
    expect(toMinorUnits("0.1", "KWD")).toBe(100);
  });

  it("rounds more decimals than the currency has half up, as Shopify rounds an amount", () => {
    expect(toMinorUnits("7.0055", "KWD")).toBe(7006);
    expect(toMinorUnits("1500.5", "JPY")).toBe(1501);
    expect(toMinorUnits("1500.4", "JPY")).toBe(1500);
  });

  it("tells whether a typed amount fits the currency, trailing zeros aside", () => {
    expect(fitsCurrency("2.505", "KWD")).toBe(true);
    expect(fitsCurrency("2.5055", "KWD")).toBe(false);
    expect(fitsCurrency("1500", "JPY")).toBe(true);
    expect(fitsCurrency("1500.00", "JPY")).toBe(true);
    expect(fitsCurrency("1500.5", "JPY")).toBe(false);
    expect(fitsCurrency("12.505", "EUR")).toBe(false);
    expect([amountExample("EUR"), amountExample("KWD"), amountExample("JPY")]).toEqual([
      "12.50",
      "12.505",
      "1250",
    ]);
  });
});
