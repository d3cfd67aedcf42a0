// Typed failures of Admin API calls: what went wrong, whether trying again can help, and
// Shopify's userErrors in a form a merchant can act on.

export type ApiFailureKind =
  "throttled" | "server" | "network" | "timeout" | "unauthorized" | "graphql";

export class ShopifyApiError extends Error {
  constructor(
    readonly kind: ApiFailureKind,
    message: string,
    readonly status?: number,
    /**
     * A mutation failed in a way that does not say whether Shopify applied it (5xx, timeout,
     * network): read the order again before deciding anything else.
     */
    readonly outcomeUnknown = false,
    /** Shopify's `extensions.code` of each top-level error of the answer (ACCESS_DENIED, …). */
    readonly codes: readonly string[] = [],
  ) {
    super(outcomeUnknown ? `${message} (the change may have been made)` : message);
    this.name = "ShopifyApiError";
  }

  get retriable(): boolean {
    return (
      this.kind === "throttled" ||
      this.kind === "server" ||
      this.kind === "network" ||
      this.kind === "timeout"
    );
  }
}

/**
 * Shopify refused a field because the shop has not granted the scope it needs: every top-level
 * error says ACCESS_DENIED. Its message differs between Shopify's sources ("Access denied for
 * inventoryLevel field." with or without "Required access: `read_inventory` access scope."), its
 * code does not; an answer with any other error is some other failure.
 */
export function isAccessDenied(error: unknown): boolean {
  return (
    error instanceof ShopifyApiError &&
    error.kind === "graphql" &&
    error.codes.length > 0 &&
    error.codes.every((code) => code === "ACCESS_DENIED")
  );
}

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** Shopify refused a mutation for a reason in the shop's data: retrying will not help. */
export class ShopifyUserErrors extends Error {
  constructor(
    readonly mutation: string,
    readonly userErrors: UserError[],
  ) {
    super(`${mutation}: ${userErrors.map(describeUserError).join("; ")}`);
    this.name = "ShopifyUserErrors";
  }

  get codes(): string[] {
    return this.userErrors.map((e) => e.code ?? "").filter(Boolean);
  }
}

export function describeUserError(error: UserError): string {
  const field = error.field?.length ? ` (${error.field.join(".")})` : "";
  return `${error.message}${field}`;
}

/** Throws when a mutation payload carries userErrors; returns the payload otherwise. */
export function requireNoUserErrors<P extends { userErrors: UserError[] }>(
  mutation: string,
  payload: P | null | undefined,
): P {
  if (!payload) throw new ShopifyApiError("graphql", `${mutation} returned no payload`);
  if (payload.userErrors.length > 0) throw new ShopifyUserErrors(mutation, payload.userErrors);
  return payload;
}
