// An amount as the merchant typed it ("12,50" in German admin, "12.50" in English) read into the decimal Shopify takes.
// German-speaking merchants write a decimal comma; a comma or point followed by exactly three digits
// may be a thousands separator ("1,250" in English is 1250), so it is refused rather than guessed.
import { amountExample } from "./minor-units";

/** The decimal separator of the admin's locale ("," for de, "." for en), from Intl's number data. */
export function decimalSeparatorOf(locale: string): "," | "." {
  try {
    const mark = new Intl.NumberFormat(locale)
      .formatToParts(1.5)
      .find((part) => part.type === "decimal")?.value;
    return mark === "," ? "," : ".";
  } catch {
    return ".";
  }
}

/**
 * The typed amount as a decimal with a point ("12,50" → "12.50"), or null when it is not one: no
 * sign, no thousands separators, at most one mark. The locale's own separator is always the
 * decimals' ("12,505" in German is 12.505); the other one is read as decimals only when it cannot be
 * a thousands separator ("12,50" in English is 12.50, "1,250" is refused; "1.250" in German too).
 */
export function readTypedAmount(typed: string, locale: string): string | null {
  const match = /^(\d+)(?:([.,])(\d+))?$/.exec(typed.trim());
  if (!match) return null;
  const [, whole, mark, fraction] = match;
  if (!mark) return whole!;
  if (mark !== decimalSeparatorOf(locale) && fraction!.length === 3) return null;
  return `${whole}.${fraction}`;
}

/** An amount such as the merchant would type it in this currency and locale: "12.505", "12,50". */
export function typedAmountExample(currencyCode: string, locale: string): string {
  return amountExample(currencyCode).replace(".", decimalSeparatorOf(locale));
}
