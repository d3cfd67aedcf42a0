import { describe, expect, it } from "vitest";
import { decimalSeparatorOf, readTypedAmount, typedAmountExample } from "./typed-amount";

describe("an amount as the merchant typed it", () => {
  it("takes the German admin's decimal comma, and a point where it cannot be a thousands separator", () => {
    expect(decimalSeparatorOf("de")).toBe(",");
    expect(readTypedAmount("12,50", "de")).toBe("12.50");
    expect(readTypedAmount(" 12,505 ", "de")).toBe("12.505");
    expect(readTypedAmount("1500", "de")).toBe("1500");
    expect(readTypedAmount("12.50", "de")).toBe("12.50");
    expect(typedAmountExample("KWD", "de")).toBe("12,505");
    expect(typedAmountExample("JPY", "de")).toBe("1250");
  });

  it("never reads a thousands separator as decimals: 1.250 in German, 1,250 in English are refused", () => {
    expect(readTypedAmount("1.250", "de")).toBeNull();
    expect(readTypedAmount("1,250", "en")).toBeNull();
    expect(readTypedAmount("1,250.50", "en")).toBeNull();
    expect(readTypedAmount("1.250,50", "de")).toBeNull();
  });

  it("takes the English admin's decimal point, and a comma before decimals that cannot be thousands", () => {
    expect(decimalSeparatorOf("en")).toBe(".");
    expect(readTypedAmount("12.50", "en")).toBe("12.50");
    expect(readTypedAmount("7.005", "en")).toBe("7.005");
    expect(readTypedAmount("12,5", "en")).toBe("12.5");
    expect(typedAmountExample("EUR", "en")).toBe("12.50");
  });

  it("refuses what is not an amount", () => {
    for (const typed of ["", "-5", "+5", "12.", ",5", "12,50,1", "1 250", "12.5e3", "abc"])
      expect(readTypedAmount(typed, "en"), typed).toBeNull();
  });
});
