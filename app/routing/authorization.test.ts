// Authorization deadlines: Shopify's expiry when given, else the gateway's period from the authorization's date, marked as an estimate.
import { describe, expect, it } from "vitest";
import { authorizationDeadline, lapsesWithin, orderAuthorizationDeadline } from "./authorization";

const NOW = Date.parse("2026-12-04T12:00:00Z");

describe("authorizationDeadline", () => {
  it("uses Shopify's authorizationExpiresAt when it is given (Plus and Enterprise), not an estimate", () => {
    const d = authorizationDeadline(
      {
        authorizationExpiresAt: "2026-12-05T12:00:00Z",
        authorizedAt: "2026-11-20T12:00:00Z",
        gateway: "shopify_payments",
      },
      NOW,
    );
    expect(d).toEqual({
      expiresAt: "2026-12-05T12:00:00.000Z",
      estimated: false,
      msLeft: 24 * 3600 * 1000,
    });
  });

  it("counts Shopify Payments' 7-day period from the authorization's date otherwise, as an estimate", () => {
    const d = authorizationDeadline(
      {
        authorizationExpiresAt: null,
        authorizedAt: "2026-12-01T06:00:00Z",
        gateway: "shopify_payments",
      },
      NOW,
    );
    expect(d).toMatchObject({ expiresAt: "2026-12-08T06:00:00.000Z", estimated: true });
    expect(lapsesWithin(d!, 24)).toBe(false);
    expect(lapsesWithin(d!, 4 * 24)).toBe(true);
  });

  it("assumes 7 days for a gateway without a documented period, and nothing without a date", () => {
    expect(
      authorizationDeadline(
        { authorizationExpiresAt: null, authorizedAt: "2026-11-26T12:00:00Z", gateway: "bogus" },
        NOW,
      ),
    ).toEqual({
      expiresAt: "2026-12-03T12:00:00.000Z",
      estimated: true,
      msLeft: -24 * 3600 * 1000,
    });
    expect(authorizationDeadline({ authorizationExpiresAt: null }, NOW)).toBeNull();
  });
});

describe("orderAuthorizationDeadline", () => {
  const auth = (id: string, amount: string, facts: Record<string, string | null>) => ({
    id,
    amount: { amount, currencyCode: "EUR" },
    authorizationExpiresAt: null,
    ...facts,
  });

  it("is the earliest deadline among the authorizations with something left to capture", () => {
    const order = {
      capturable: true,
      cancelledAt: null,
      capturableTransactions: [
        auth("a", "10.00", { authorizationExpiresAt: "2026-12-09T12:00:00Z" }),
        auth("b", "5.00", { authorizedAt: "2026-12-01T12:00:00Z", gateway: "bogus" }),
        auth("c", "0.00", { authorizationExpiresAt: "2026-12-04T13:00:00Z" }),
      ],
    };
    expect(orderAuthorizationDeadline(order, NOW)).toEqual({
      expiresAt: "2026-12-08T12:00:00.000Z",
      estimated: true,
      msLeft: 4 * 24 * 3600 * 1000,
    });
  });

  it("is none once nothing can be captured or the order is canceled", () => {
    const open = [auth("a", "10.00", { authorizationExpiresAt: "2026-12-09T12:00:00Z" })];
    expect(
      orderAuthorizationDeadline(
        { capturable: false, cancelledAt: null, capturableTransactions: open },
        NOW,
      ),
    ).toBeNull();
    expect(
      orderAuthorizationDeadline(
        { capturable: true, cancelledAt: "2026-12-04T00:00:00Z", capturableTransactions: open },
        NOW,
      ),
    ).toBeNull();
  });
});
