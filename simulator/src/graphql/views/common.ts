// Shared pieces of the simulator's Admin GraphQL views: the resolver context, money, counts, weights and addresses.
import { type Address, type Order, type Shop, currencyDecimals, money } from "../../shop/model.ts";
import type { SimState } from "../../shop/state.ts";
import type { Faults } from "../../faults.ts";
import type { ConnectionArgs } from "../connection.ts";

export interface GqlContext {
  state: SimState;
  shop: Shop;
  /** The calling app (ours, or a fulfilment service's app holding a service token). */
  appKey: string;
  /** The access scopes the caller's installation granted; absent: not checked (a service's app). */
  scopes?: readonly string[];
  /** Warnings from `query:` arguments, returned as extensions.search. */
  searchWarnings: { path: string; query: string; warnings: { field: string; message: string }[] }[];
  /** Faults that strike inside an operation (a job failing without errors). */
  faults?: Faults;
}

export type View = Record<string, unknown>;
export type Args = Record<string, unknown> & ConnectionArgs;

export const byId = <T extends { id: number }>(x: T) => x.id;

/**
 * The currency an amount is in: the shop's, or an order's when the customer paid in another
 * (`Order.presentment`): the amount is then the customer's, and shop money is it divided by the
 * order's fixed rate.
 */
export type Currencies = string | { shop: string; presentment: string; rate: number };

/** An order's currencies: its own and the customer's. */
export function orderCurrencies(order: Order): Currencies {
  return order.presentment
    ? {
        shop: order.currency,
        presentment: order.presentment.currency,
        rate: order.presentment.rate,
      }
    : order.currency;
}

/** A single amount in the currency it was given in (the customer's for an order). */
export function moneyV2(cents: number, currency: Currencies): View {
  const code = typeof currency === "string" ? currency : currency.presentment;
  return { __typename: "MoneyV2", amount: money(cents, code), currencyCode: code };
}

export function moneyBag(cents: number, currency: Currencies): View {
  if (typeof currency === "string")
    return {
      __typename: "MoneyBag",
      shopMoney: moneyV2(cents, currency),
      presentmentMoney: moneyV2(cents, currency),
    };
  // Minor units of the customer's currency to the shop's: yen to cents, fils to cents.
  const shift = 10 ** (currencyDecimals(currency.shop) - currencyDecimals(currency.presentment));
  return {
    __typename: "MoneyBag",
    shopMoney: moneyV2(Math.round((cents / currency.rate) * shift), currency.shop),
    presentmentMoney: moneyV2(cents, currency.presentment),
  };
}

/** A deprecated Money field (a decimal alone): "in shop currency", as the schema describes them. */
export function shopAmount(cents: number, currency: Currencies): string {
  return (moneyBag(cents, currency).shopMoney as { amount: string }).amount;
}

const COUNTRY_NAMES: Record<string, string> = {
  DE: "Germany",
  AT: "Austria",
  CH: "Switzerland",
  FR: "France",
  NL: "Netherlands",
  US: "United States",
  GB: "United Kingdom",
};

export function mailingAddress(a: Address | null | undefined, id: number): View | null {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(" ") || null;
  const area = [
    a.city,
    a.provinceCode ?? a.province,
    a.countryCode ? (COUNTRY_NAMES[a.countryCode] ?? a.country) : a.country,
  ]
    .filter(Boolean)
    .join(", ");
  return {
    __typename: "MailingAddress",
    id: `gid://shopify/MailingAddress/${id}?model_name=Address`,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    company: a.company ?? null,
    country: a.country ?? (a.countryCode ? (COUNTRY_NAMES[a.countryCode] ?? null) : null),
    countryCodeV2: a.countryCode ?? null,
    countryCode: a.countryCode ?? null,
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    name,
    phone: a.phone ?? null,
    province: a.province ?? null,
    provinceCode: a.provinceCode ?? null,
    zip: a.zip ?? null,
    latitude: null,
    longitude: null,
    timeZone: null,
    coordinatesValidated: false,
    validationResultSummary: null,
    formattedArea: area || null,
    formatted: (args: { withName?: boolean; withCompany?: boolean }) =>
      [
        args.withName ? name : null,
        args.withCompany !== false ? a.company : null,
        a.address1,
        a.address2,
        [a.zip, a.city].filter(Boolean).join(" "),
        a.countryCode ? (COUNTRY_NAMES[a.countryCode] ?? a.country) : a.country,
      ].filter((x): x is string => !!x),
  };
}

export function countView(n: number): View {
  return { __typename: "Count", count: n, precision: "EXACT" };
}

export function weight(grams: number): View {
  return { __typename: "Weight", unit: "GRAMS", value: grams };
}
