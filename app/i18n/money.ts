// Money as Shopify admin shows it to the staff member: their locale's currency format ("€12.50",
// "12,50 €"), the money's own currency and that currency's decimals (¥4,641, KWD 12.505).
const formats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: string, currencyCode: string): Intl.NumberFormat {
  const key = `${locale}|${currencyCode}`;
  let format = formats.get(key);
  if (!format) {
    // Intl knows each ISO 4217 currency's minor units: JPY 0, KWD 3, EUR 2 (ADR 087's helper too).
    format = new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode });
    formats.set(key, format);
  }
  return format;
}

/**
 * A decimal amount ("12.50", "-7.005", "4641") in `currencyCode`, formatted for `locale`. The
 * decimal goes to Intl as text, so its digits are never put through floating point. Something that
 * is not an amount, or a code Intl refuses, is shown as the amount and its code.
 */
export function formatMoney(amount: string, currencyCode: string, locale: string): string {
  const text = String(amount).trim();
  if (!/^[-+]?\d+(\.\d+)?$/.test(text)) return `${amount} ${currencyCode}`;
  try {
    return moneyFormat(locale, currencyCode).format(text as `${number}`);
  } catch {
    return `${amount} ${currencyCode}`;
  }
}

/**
 * The locale of money in the notes the app writes on Shopify (an extra charge's line on the order,
 * a hold's reason): the notes are English sentences, one text that every staff member reads in
 * admin whatever their language, so their money is English too ("€12.50"), never "12.50 EUR"
 * (ADR 097).
 */
export const SHOPIFY_NOTE_LOCALE = "en";

/**
 * Where the currency's sign stands beside an amount typed in `locale`, as admin's money fields
 * show it: "€" before the amount in English, after it in German. Nothing for a code Intl refuses
 * (a code still being typed): the field shows no sign rather than a wrong one.
 */
export function currencyAffixes(
  currencyCode: string,
  locale: string,
): { prefix?: string; suffix?: string } {
  let parts: Intl.NumberFormatPart[];
  try {
    parts = moneyFormat(locale, currencyCode).formatToParts(0);
  } catch {
    return {};
  }
  const sign = parts.findIndex((part) => part.type === "currency");
  const digits = parts.findIndex((part) => part.type === "integer");
  if (sign < 0) return {};
  const symbol = parts[sign]!.value;
  return sign < digits ? { prefix: symbol } : { suffix: symbol };
}
