// Capability profiles: the shop's locations read from the shop simulator through the app's
// gateway, and profiles validated and saved per location on a real SQLite file.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/client.server";
import { loadShopConfig } from "~/fulfilment/shop-config.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { createTestDatabase } from "../../tests/setup/db";
import { englishTranslator } from "~/i18n/i18next.server";
import { renderFieldErrors } from "~/i18n/words";
import { startShopSimulator, type SimulatorHandle } from "../../tests/support/shop-simulator";
import {
  asProfileDrafts,
  errorsByLocation,
  loadLocations,
  loadLocationsOrProblem,
  loadProfiles,
  parseProfileDrafts,
  profileToDraft,
  saveProfiles,
  type ProfileDraft,
} from "./capabilities.server";

const SHOP = "prints.myshopify.com";
let sim: SimulatorHandle;
let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  sim = await startShopSimulator();
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await cleanup();
});

const studio = (overrides: Partial<ProfileDraft> = {}): ProfileDraft => ({
  locationId: "gid://shopify/Location/1",
  name: "Studio",
  kind: "in_house",
  productTypes: "Print, Canvas",
  options: [
    { name: "Paper", values: "Lustre, Matte" },
    { name: "Size", values: "A4, A3" },
  ],
  ...overrides,
});

describe("the shop's locations", () => {
  it("are read from Shopify with the fulfilment service that owns each", async () => {
    const locations = await loadLocations(sim.gateway);
    expect(locations.map((l) => l.name)).toContain("Studio");
    const own = locations.find((l) => l.name === "Studio");
    expect(own).toMatchObject({ isActive: true, fulfilmentService: null });
    expect(own?.id).toMatch(/^gid:\/\/shopify\/Location\//);
  });

  it("answer with the problem instead of failing the page when Shopify cannot be asked", async () => {
    const broken: AdminGateway = {
      shop: SHOP,
      request: () => Promise.reject(new Error("No offline access token")),
    };
    expect(await loadLocationsOrProblem(broken)).toEqual({
      locations: [],
      problem: {
        key: "capabilities.locationsProblem",
        params: { error: "No offline access token" },
      },
    });
  });
});

describe("saving profiles", () => {
  it("stores one profile per location that the engine reads back", async () => {
    const lab: ProfileDraft = {
      locationId: "gid://shopify/Location/2",
      name: "Partner Lab",
      kind: "partner",
      productTypes: "Lab Print",
      options: [{ name: "Paper", values: "Metallic" }],
    };
    const result = await saveProfiles(db, SHOP, [studio(), lab], null);
    expect(result).toEqual({ ok: true, saved: 2 });
    const { profiles } = await loadShopConfig(db, SHOP);
    expect(profiles).toEqual([
      {
        locationId: "gid://shopify/Location/1",
        name: "Studio",
        kind: "in_house",
        productTypes: ["Print", "Canvas"],
        options: { Paper: ["Lustre", "Matte"], Size: ["A4", "A3"] },
      },
      {
        locationId: "gid://shopify/Location/2",
        name: "Partner Lab",
        kind: "partner",
        productTypes: ["Lab Print"],
        options: { Paper: ["Metallic"] },
      },
    ]);
  });

  it("replaces the set: a location left out loses its profile, an edited one is updated", async () => {
    await saveProfiles(
      db,
      SHOP,
      [studio(), studio({ locationId: "gid://shopify/Location/2", name: "Lab" })],
      null,
    );
    await saveProfiles(db, SHOP, [studio({ productTypes: "Poster" })], null);
    const { profiles } = await loadProfiles(db, SHOP);
    expect(profiles).toHaveLength(1);
    expect(profiles[0]?.productTypes).toEqual(["Poster"]);
    expect(await db.capabilityProfile.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("round-trips through the form's draft", async () => {
    await saveProfiles(db, SHOP, [studio()], null);
    const { profiles } = await loadProfiles(db, SHOP);
    expect(profileToDraft(profiles[0]!)).toEqual(studio());
  });

  it("answers each problem at the form's own field, and saves nothing", async () => {
    await saveProfiles(db, SHOP, [studio()], null);
    const drafts = [
      studio({ name: " " }),
      studio({
        locationId: "gid://shopify/Location/9",
        name: "Lab",
        options: [
          { name: "Paper", values: "Metallic" },
          { name: "paper", values: "Satin" },
          { name: "", values: "A4" },
          { name: "Finish", values: " , " },
          { name: "", values: "" },
        ],
      }),
      studio({ name: "Again" }),
    ];
    const result = await saveProfiles(db, SHOP, drafts, ["gid://shopify/Location/1"]);
    expect(result.ok).toBe(false);
    const en = await englishTranslator();
    const errors = result.ok ? {} : renderFieldErrors(en, result.errors);
    expect(errors).toEqual({
      "0.name": en("fieldErrors.required.name"),
      "1.locationId": en("fieldErrors.notShopLocation"),
      "1.options.1.name": en("fieldErrors.optionListed", { name: "paper" }),
      "1.options.2.name": en("fieldErrors.required.optionName"),
      "1.options.3.values": en("fieldErrors.optionValues"),
      "2.locationId": en("fieldErrors.locationHasProfile"),
    });
    // The screen groups them by location (two drafts share location 1: the later one wins there).
    expect(errorsByLocation(drafts, errors)["gid://shopify/Location/9"]).toEqual({
      locationId: en("fieldErrors.notShopLocation"),
      "options.1.name": en("fieldErrors.optionListed", { name: "paper" }),
      "options.2.name": en("fieldErrors.required.optionName"),
      "options.3.values": en("fieldErrors.optionValues"),
    });
    // Nothing changed.
    const { profiles } = await loadProfiles(db, SHOP);
    expect(profiles.map((p) => p.name)).toEqual(["Studio"]);
  });

  it("maps an option-value error from routing's parser back to its row", () => {
    const parsed = parseProfileDrafts(
      [studio({ productTypes: "", options: [{ name: "Size", values: "A4" }] })],
      null,
    );
    expect(parsed.ok).toBe(true);
    const tooMany = Array.from({ length: 501 }, (_, i) => `V${i}`).join(",");
    const result = parseProfileDrafts(
      [
        studio({
          options: [
            { name: "Paper", values: "Lustre" },
            { name: "Size", values: tooMany },
          ],
        }),
      ],
      null,
    );
    expect(result).toEqual({
      ok: false,
      errors: { "0.options.1.values": { key: "fieldErrors.atMostItems", params: { max: 500 } } },
    });
  });

  it("reads whatever the browser posted without trusting its shape", () => {
    expect(asProfileDrafts("nonsense")).toEqual([]);
    expect(asProfileDrafts([{ locationId: 3, kind: "robot", options: [null] }])).toEqual([
      {
        locationId: "",
        name: "",
        kind: "in_house",
        productTypes: "",
        options: [{ name: "", values: "" }],
      },
    ]);
  });
});
