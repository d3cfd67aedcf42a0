// Taxes as Shopify charges and gives them back: tax lines per line item (rate, title, amount for the
// ordered quantity), added to the price or included in it (Order.taxesIncluded), and the share of a
// line's tax that goes with the quantity refunded or still on the order.
import type { Cents, LineItem, Order } from "./model.ts";

/** The taxes a checkout charges on each taxable line (a tax region's rates), e.g. VAT at 0.19. */
export type TaxRate = { title: string; rate: number };

/**
 * A line's tax lines for its ordered quantity. Added taxes are the price times the rate; included
 * taxes are the part of the price each rate makes up (price × rate / (1 + all rates)), as Shopify's
 * help centre describes tax-inclusive pricing. Each is rounded to the cent.
 */
export function chargeTaxes(
  li: Pick<LineItem, "price" | "quantity" | "taxable">,
  rates: TaxRate[],
  included: boolean,
): { title: string; rate: number; price: Cents }[] {
  if (!li.taxable || rates.length === 0) return [];
  const base = li.price * li.quantity;
  const sum = rates.reduce((s, r) => s + r.rate, 0);
  return rates.map((r) => ({
    title: r.title,
    rate: r.rate,
    price: Math.round(included ? (base * r.rate) / (1 + sum) : base * r.rate),
  }));
}

/** All the tax charged on a line, before returns (LineItem.taxLines: "including taxes charged for refunded and removed quantities"). */
export function lineTax(li: LineItem): Cents {
  return (li.taxLines ?? []).reduce((s, t) => s + t.price, 0);
}

/**
 * The tax that goes with `quantity` of a line's items: its share of the line's tax, rounded to the
 * cent. Shares are taken of what is left, so refunding a line item by item gives back exactly the
 * tax charged, with no cent lost or added to rounding.
 */
export function taxOfQuantity(li: LineItem, quantity: number): Cents {
  if (li.quantity === 0) return 0;
  return Math.round((lineTax(li) * quantity) / li.quantity);
}

/** The tax still on the order for a line: the share of its current quantity. */
export function currentLineTax(li: LineItem): Cents {
  return taxOfQuantity(li, li.currentQuantity);
}

/** The tax that refunding `quantity` more items of a line gives back. */
export function refundedLineTax(li: LineItem, quantity: number): Cents {
  return currentLineTax(li) - taxOfQuantity(li, Math.max(0, li.currentQuantity - quantity));
}

export function totalTax(order: Order): Cents {
  return order.lineItems.reduce((s, l) => s + lineTax(l), 0);
}

export function currentTotalTax(order: Order): Cents {
  return order.lineItems.reduce((s, l) => s + currentLineTax(l), 0);
}

/** What the customer pays on top of the prices: the taxes, unless the prices include them. */
export function addedTax(order: Order, tax: Cents): Cents {
  return order.taxesIncluded ? 0 : tax;
}

/**
 * Tax lines with the same rate and title summed, as Order.taxLines and Order.currentTaxLines give
 * them ("the total price for all tax lines with the same `rate` and `title`").
 */
export function orderTaxLines(
  order: Order,
  current: boolean,
): { title: string; rate: number; price: Cents }[] {
  const byKey = new Map<string, { title: string; rate: number; price: Cents }>();
  for (const li of order.lineItems) {
    const whole = lineTax(li);
    for (const t of li.taxLines ?? []) {
      // A line's current tax shared among its tax lines as they were charged.
      const price =
        current && whole > 0 ? Math.round((t.price * currentLineTax(li)) / whole) : t.price;
      const key = `${t.title}:${t.rate}`;
      const seen = byKey.get(key);
      if (seen) seen.price += price;
      else byKey.set(key, { title: t.title, rate: t.rate, price });
    }
  }
  return [...byKey.values()];
}
