// Shopify's numeric ids as a REST-style webhook body carries them: exact past 2^53, where JSON.parse rounds.

/**
 * The digits of `field`'s number as Shopify signed the body: the first occurrence whose value is
 * the one JSON.parse read (`parsed`), so a nested field of the same name with another id is not
 * taken. Undefined when the body has none.
 */
export function idDigitsAsSent(body: string, field: string, parsed: unknown): string | undefined {
  if (typeof parsed !== "number") return undefined;
  for (const [, digits] of body.matchAll(new RegExp(`"${field}"\\s*:\\s*(\\d+)`, "g")))
    if (Number(digits) === parsed) return digits;
  return undefined;
}
