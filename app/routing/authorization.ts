// How long a payment authorization has left: Shopify's authorizationExpiresAt where it gives one,
// otherwise the gateway's documented authorization period counted from the authorization's date.

/**
 * Authorization periods by gateway, in days. "Shopify Payments provides an authorization period
 * of 7 days" (Shopify Help Center, Payment authorization and capture,
 * https://help.shopify.com/manual/payments/payment-authorization); for other providers "the length of the
 * authorization period depends on your credit card payment provider", so 7 days, the card
 * networks' standard period, is assumed and the result is marked an estimate.
 */
export const AUTHORIZATION_PERIOD_DAYS: Readonly<Record<string, number>> = {
  shopify_payments: 7,
};
export const DEFAULT_AUTHORIZATION_PERIOD_DAYS = 7;

/** How many hours before an authorization lapses the app warns (Shopify's own e-mail warns 2 days before). */
export const AUTHORIZATION_WARNING_HOURS = 48;

export interface AuthorizationFacts {
  authorizationExpiresAt: string | null;
  /** When the authorization was made (the transaction's createdAt). */
  authorizedAt?: string | null;
  gateway?: string | null;
}

export interface AuthorizationDeadline {
  /** ISO 8601. */
  expiresAt: string;
  /** True when Shopify gave no expiry and the gateway's period was counted instead. */
  estimated: boolean;
  /** Milliseconds left at `now`; zero or less once lapsed. */
  msLeft: number;
}

/** The deadline of one authorization, or null when nothing says when it was made. */
export function authorizationDeadline(
  facts: AuthorizationFacts,
  now: number,
): AuthorizationDeadline | null {
  if (facts.authorizationExpiresAt) {
    const at = Date.parse(facts.authorizationExpiresAt);
    if (!Number.isNaN(at))
      return { expiresAt: new Date(at).toISOString(), estimated: false, msLeft: at - now };
  }
  if (!facts.authorizedAt) return null;
  const from = Date.parse(facts.authorizedAt);
  if (Number.isNaN(from)) return null;
  const days = AUTHORIZATION_PERIOD_DAYS[facts.gateway ?? ""] ?? DEFAULT_AUTHORIZATION_PERIOD_DAYS;
  const at = from + days * 24 * 3600 * 1000;
  return { expiresAt: new Date(at).toISOString(), estimated: true, msLeft: at - now };
}

/**
 * When the order's payment must be captured by: the earliest deadline among its authorizations
 * with something left to capture; null when nothing is left (paid, voided, canceled) or nothing
 * says when it was authorized.
 */
export function orderAuthorizationDeadline(
  order: {
    capturable: boolean;
    cancelledAt?: string | null;
    capturableTransactions: readonly (AuthorizationFacts & { amount: { amount: string } })[];
  },
  now: number,
): AuthorizationDeadline | null {
  if (!order.capturable || order.cancelledAt) return null;
  let first: AuthorizationDeadline | null = null;
  for (const t of order.capturableTransactions) {
    if (!(Number.parseFloat(t.amount.amount) > 0)) continue;
    const d = authorizationDeadline(t, now);
    if (d && (!first || d.msLeft < first.msLeft)) first = d;
  }
  return first;
}

/** Whether a deadline falls within the warning window (`hours` before it lapses) or has passed. */
export function lapsesWithin(deadline: AuthorizationDeadline, hours: number): boolean {
  return deadline.msLeft <= hours * 3600 * 1000;
}
