// Dates, numbers and money as the screens show them, in the admin's language (de: "4. Dez. 2026,
// 14:05", "12,50 €"): the same text on the server and in the browser, so hydration agrees.
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { formatMoney } from "../../i18n/money";

const dateTimes = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(locale: string): Intl.DateTimeFormat {
  let format = dateTimes.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    });
    dateTimes.set(locale, format);
  }
  return format;
}

/** Formatted in UTC on both sides, so hydration never finds a different string. */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  return iso ? `${dateTimeFormat(locale).format(new Date(iso))} UTC` : "—";
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** Shopify's enum values (statuses, request statuses, payment states) in Shopify admin's words. */
export function shopifyWords(t: TFunction, value: string | null | undefined): string {
  if (!value) return "—";
  const humanised = value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, " ");
  return String(t(`shopifyStatus.${value}` as never, { defaultValue: humanised } as never));
}

/** The formatters above in the language the screen renders in. */
export function useFormat() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return {
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, locale),
    number: (value: number) => formatNumber(value, locale),
    // The one money formatter; the catalogue's `{{amount, money}}` uses it too.
    money: (amount: string, currencyCode: string) => formatMoney(amount, currencyCode, locale),
    shopifyWords: (value: string | null | undefined) => shopifyWords(t, value),
  };
}
