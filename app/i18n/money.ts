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
