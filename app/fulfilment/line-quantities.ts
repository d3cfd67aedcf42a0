// The lines an after-sales form names (cancel items, remake, extra charge): each field
// `line:<line item id>` = how many, as the order screen posts them (or asks in a URL's query).

export interface LineQuantity {
  lineItemId: string;
  quantity: number;
}

/**
 * The lines with a quantity above 0 (empty and 0 fields are left out); `invalid` when a field is
 * not a whole number of 0 or more.
 */
export function readLineQuantities(form: {
  entries(): IterableIterator<[string, FormDataEntryValue]>;
}): { lines: LineQuantity[]; invalid: boolean } {
  const lines: LineQuantity[] = [];
  let invalid = false;
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("line:") || typeof value !== "string" || value.trim() === "") continue;
    const quantity = Number(value);
    if (!Number.isInteger(quantity) || quantity < 0) invalid = true;
    else if (quantity > 0) lines.push({ lineItemId: key.slice("line:".length), quantity });
  }
  return { lines, invalid };
}
