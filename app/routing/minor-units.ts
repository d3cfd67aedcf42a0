// Money in a currency's own minor units (cents, fils of a dinar, whole yen), from and to Shopify's decimals.
// Shopify keeps every amount in the ISO 4217 minor units of its currency and refuses a refund a fils
// more than a payment has left; working in cents sent 7.005 KWD back as 7.01 (ADR 087).

const decimalsOf = new Map<string, number>();

/**
 * How many decimals amounts in this currency have (Intl's currency data: 2 for EUR and USD; 3 for
 * KWD, BHD, JOD, OMR, TND; 0 for JPY, KRW). A code Intl does not know has 2.
 */
export function currencyDecimals(currencyCode: string): number {
  let known = decimalsOf.get(currencyCode);
  if (known === undefined) {
    try {
      known =
        new Intl.NumberFormat("en", {
          style: "currency",
          currency: currencyCode,
        }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      known = 2;
    }
    decimalsOf.set(currencyCode, known);
  }
  return known;
}

/**
 * Whether an amount can be sent in this currency as written: no more decimals than it has, beyond
 * trailing zeros ("1500.0" yen is 1500 yen; "1500.5" is not an amount of yen).
 */
export function fitsCurrency(amount: string, currencyCode: string): boolean {
  const fraction = amount.trim().split(".")[1] ?? "";
  return fraction.replace(/0+$/, "").length <= currencyDecimals(currencyCode);
}

/**
 * A decimal ("7.005", "1500.0", 24) in the currency's minor units (7005 fils, 1500 yen), read from
 * its digits, not through floating point (7.005 × 1000 is 7004.999…); more decimals than the
 * currency has are rounded half up, as Shopify rounds an amount to its currency.
 */
export function toMinorUnits(amount: string | number, currencyCode: string): number {
  const text = typeof amount === "number" ? amount.toFixed(8) : amount.trim();
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = text.replace(/^[-+]/, "").split(".");
  const places = currencyDecimals(currencyCode);
  const digits = Number((whole || "0") + fraction.padEnd(places, "0").slice(0, places));
  const units = digits + (Number(fraction[places] ?? "0") >= 5 ? 1 : 0);
  if (!Number.isFinite(units)) return Number.NaN;
  return negative ? -units : units;
}

/** Minor units written back as Shopify takes a decimal: the currency's decimals ("7.005", "1500"). */
export function fromMinorUnits(units: number, currencyCode: string): string {
  const places = currencyDecimals(currencyCode);
  const sign = units < 0 ? "-" : "";
  const abs = Math.abs(Math.round(units));
  if (places === 0) return `${sign}${abs}`;
  const unit = 10 ** places;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(places, "0")}`;
}

/** An amount such as the merchant would type in this currency: "12.50", "12.505", "1250". */
export function amountExample(currencyCode: string): string {
  const places = currencyDecimals(currencyCode);
  return places === 0 ? "1250" : `12.${"505050".slice(0, places)}`;
}
