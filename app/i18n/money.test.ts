// Money reads as Shopify admin shows it to the staff member: the locale's currency format and the
// currency's own decimals, whether a screen formats it or a sentence of the catalogue says it.
import { describe, expect, it } from "vitest";
import { englishTranslator, translatorOf } from "./i18next.server";
import { currencyAffixes, formatMoney, SHOPIFY_NOTE_LOCALE } from "./money";
import { renderWords } from "./words";
import { moneyWords } from "../routing/words";
import { conditionWords } from "../routing/rule-words";
import { extraChargeNoteLine } from "../routing/extra-charge";

/** Intl puts a no-break space between the amount and the sign where the locale wants one. */
const NB = "\u00a0";

describe("formatMoney", () => {
  it("writes euros as admin does in English and in German", () => {
    expect(formatMoney("12.50", "EUR", "en")).toBe("€12.50");
    expect(formatMoney("12.50", "EUR", "de")).toBe(`12,50${NB}€`);
    expect(formatMoney("1250.5", "EUR", "de")).toBe(`1.250,50${NB}€`);
  });

  it("gives yen no decimals and dinars three", () => {
    expect(formatMoney("4641", "JPY", "en")).toBe("¥4,641");
    expect(formatMoney("4641", "JPY", "de")).toBe(`4.641${NB}¥`);
    expect(formatMoney("12.505", "KWD", "en")).toBe(`KWD${NB}12.505`);
    expect(formatMoney("12.505", "KWD", "de")).toBe(`12,505${NB}KWD`);
    expect(formatMoney("7.5", "KWD", "en")).toBe(`KWD${NB}7.500`);
  });

  it("writes a negative amount with its minus", () => {
    expect(formatMoney("-12.50", "EUR", "en")).toBe("-€12.50");
    expect(formatMoney("-12.50", "EUR", "de")).toBe(`-12,50${NB}€`);
    expect(formatMoney("-7.005", "KWD", "en")).toBe(`-KWD${NB}7.005`);
  });

  it("keeps every digit of a long amount (no floating point on the way)", () => {
    expect(formatMoney("90071992547409.93", "EUR", "en")).toBe("€90,071,992,547,409.93");
  });

  it("shows what is not an amount, or a currency Intl refuses, as it came", () => {
    expect(formatMoney("n/a", "EUR", "en")).toBe("n/a EUR");
    expect(formatMoney("12.50", "EURO", "en")).toBe("12.50 EURO");
  });
});

describe("money in the catalogue's sentences", () => {
  it("the refund's toast says the amount in the reader's format", async () => {
    const en = await englishTranslator();
    const de = await translatorOf("de");
    const params = { count: 1, order: "#1001", amount: "12.50", currency: "EUR" };
    expect(en("afterPayment.cancelLines.doneRefunded", params)).toBe(
      "1 item of #1001 canceled, €12.50 refunded",
    );
    expect(de("afterPayment.cancelLines.doneRefunded", params)).toBe(
      `1 Artikel von #1001 storniert, 12,50${NB}€ erstattet`,
    );
    expect(
      en("afterPayment.cancelLines.doneRefunded", { ...params, amount: "4641", currency: "JPY" }),
    ).toBe("1 item of #1001 canceled, ¥4,641 refunded");
  });

  it("stored money words read in whoever reads them later", async () => {
    const en = await englishTranslator();
    const de = await translatorOf("de");
    const capture = { key: "engine.step.capture", params: { money: moneyWords("12.505", "KWD") } };
    expect(renderWords(en, capture)).toBe(`Capture KWD${NB}12.505`);
    expect(renderWords(de, capture)).toBe(`12,505${NB}KWD erfassen`);
    // A row stored before kept the words it was said with.
    expect(renderWords(en, { key: "engine.step.capture", params: { money: "49.00 EUR" } })).toBe(
      "Capture 49.00 EUR",
    );
  });
});

describe("money the app writes on Shopify", () => {
  it("writes an extra charge's note line with admin's English money, one text for every staff member", () => {
    const amount = formatMoney("12.50", "EUR", SHOPIFY_NOTE_LOCALE);
    expect(extraChargeNoteLine("#D12", amount, "Size change to A3")).toBe(
      "Extra charge #D12 (€12.50): Size change to A3",
    );
    expect(formatMoney("4641", "JPY", SHOPIFY_NOTE_LOCALE)).toBe("¥4,641");
  });
});

describe("a rule's order total in a currency", () => {
  const threshold = {
    field: "order_total",
    operator: "greater_than",
    value: 100,
    currencyCode: "EUR",
  } as const;

  it("reads as money in the reader's language, not “100 EUR”", async () => {
    const en = await englishTranslator();
    const de = await translatorOf("de");
    expect(renderWords(en, conditionWords(threshold))).toBe("Order total is more than €100.00");
    expect(renderWords(de, conditionWords(threshold))).toMatch(new RegExp(`100,00${NB}€$`));
    // Without a currency the threshold is in each order's own: a number, as typed.
    const anyCurrency = { field: "order_total", operator: "greater_than", value: 100 } as const;
    expect(renderWords(en, conditionWords(anyCurrency))).toBe("Order total is more than “100”");
  });

  it("puts the currency's sign where admin's money fields do: before in English, after in German", () => {
    expect(currencyAffixes("EUR", "en")).toEqual({ prefix: "€" });
    expect(currencyAffixes("EUR", "de")).toEqual({ suffix: "€" });
    expect(currencyAffixes("USD", "en")).toEqual({ prefix: "$" });
    expect(currencyAffixes("KWD", "de")).toEqual({ suffix: "KWD" });
    // A code still being typed (or one Intl refuses) shows no sign rather than a wrong one.
    expect(currencyAffixes("EU", "en")).toEqual({});
  });
});
