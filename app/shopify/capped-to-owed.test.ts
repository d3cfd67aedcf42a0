// What a capture may take of each authorization once items were canceled: never past what the
// order still owes, in the currency's own decimals (0 for yen, 3 for dinars).
import { describe, expect, it } from "vitest";
import { cappedToOwed } from "./snapshot.server";

const auth = (id: string, amount: string, currencyCode = "USD") => ({
  id,
  amount: { amount, currencyCode },
  authorizationExpiresAt: null,
  authorizedAt: null,
});

describe("an authorization's capturable amount, capped at what the order owes", () => {
  it("takes the whole authorization while the order owes it all, and none without an outstanding amount read", () => {
    const list = [auth("a", "52.90")];
    expect(cappedToOwed(list, "52.90")).toEqual(list);
    expect(cappedToOwed(list, undefined)).toEqual(list);
  });

  it("takes only what is owed after items were canceled, oldest authorization first", () => {
    expect(cappedToOwed([auth("a", "30.00"), auth("b", "22.90")], "40.5")).toEqual([
      auth("a", "30.00"),
      auth("b", "10.50"),
    ]);
    expect(cappedToOwed([auth("a", "52.90")], "0.00")).toEqual([]);
  });

  it("keeps a currency's own decimals: no cents on yen, thousandths on dinars, never rounded past the debt", () => {
    expect(cappedToOwed([auth("a", "5000", "JPY")], "3200")).toEqual([auth("a", "3200", "JPY")]);
    expect(cappedToOwed([auth("a", "10.125", "KWD")], "7.005")).toEqual([
      auth("a", "7.005", "KWD"),
    ]);
  });
});
