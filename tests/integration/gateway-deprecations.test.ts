// Shopify's word that a call uses something deprecated (the X-Shopify-API-Deprecated-Reason answer
// header, which the simulator sends for a field the test declares deprecated) reaches the log as a
// warning naming the operation and the reason, once per process and operation, not once per call.
import { afterEach, describe, expect, it } from "vitest";
import { createAdminGateway } from "~/shopify/gateway.server";
import { LOCATIONS_QUERY } from "~/shopify/operations";
import { setLogSink } from "~/utils/log.server";
import { withShopSimulator } from "../support/integration";

const sim = withShopSimulator();
const REASON = "Location.name is deprecated: use Location.displayName (test reason)";

afterEach(() => sim.resetFaults());

/** The warnings about deprecations logged while `run` runs. */
async function deprecationWarnings(run: () => Promise<unknown>) {
  const lines: Record<string, unknown>[] = [];
  const restore = setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  try {
    await run();
  } finally {
    restore();
  }
  return lines.filter((l) => l.event === "shopify.deprecated");
}

describe("deprecated Admin API use", () => {
  it("logs nothing while Shopify names no deprecation", async () => {
    expect(await deprecationWarnings(() => sim.gateway.request(LOCATIONS_QUERY))).toEqual([]);
  });

  it("warns once per operation with Shopify's reason, however often and through whichever gateway it is called", async () => {
    await sim.control("POST", "/_sim/faults", { deprecatedFields: { "Location.name": REASON } });
    const { accessToken } = await sim.control<{ accessToken: string }>("POST", "/_sim/tokens", {
      shop: sim.shop,
    });
    const another = createAdminGateway({
      shop: sim.shop,
      accessToken,
      adminOrigin: sim.url,
      budgets: sim.budgets,
    });
    const warnings = await deprecationWarnings(async () => {
      await sim.gateway.request(LOCATIONS_QUERY);
      await sim.gateway.request(LOCATIONS_QUERY);
      await another.request(LOCATIONS_QUERY);
    });
    expect(warnings).toEqual([
      expect.objectContaining({
        level: "warn",
        operation: "Locations",
        reason: REASON,
        shop: sim.shop,
      }),
    ]);
  });
});
