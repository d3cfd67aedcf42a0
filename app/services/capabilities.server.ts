// Capability profiles: what each of the shop's locations, in-house or partner, can produce; read
// beside Shopify's own list of locations and saved as a whole, one profile per location.
import {
  capabilityProfileFromStored,
  parseCapabilityProfiles,
  type CapabilityProfile,
} from "../routing";
import { words, type Words } from "../routing/words";
import type { Db } from "../db/client.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { readEveryLocation } from "../shopify/locations.server";
import { PROFILE_ORDER } from "../fulfilment/shop-config.server";

export interface ShopLocation {
  id: string;
  name: string;
  isActive: boolean;
  /** The fulfilment service that owns the location (a lab, a print partner, a 3PL), if any. */
  fulfilmentService: string | null;
}

/** Every location of the shop, however many pages Shopify answers them in. */
export async function loadLocations(gateway: AdminGateway): Promise<ShopLocation[]> {
  const locations = await readEveryLocation(gateway);
  return locations.nodes.map((node) => ({
    id: node.id,
    name: node.name,
    isActive: node.isActive,
    fulfilmentService: node.fulfillmentService?.serviceName ?? null,
  }));
}

/**
 * The shop's locations, or why they could not be read: the screens still work from what is
 * stored when Shopify cannot be reached, and say so.
 */
export async function loadLocationsOrProblem(
  gateway: AdminGateway | (() => Promise<AdminGateway>),
): Promise<{ locations: ShopLocation[]; problem: Words | null }> {
  try {
    const resolved = typeof gateway === "function" ? await gateway() : gateway;
    return { locations: await loadLocations(resolved), problem: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { locations: [], problem: words("capabilities.locationsProblem", { error: message }) };
  }
}

/** One profile as the form edits it: option rows keep the merchant's order, values as typed. */
export interface ProfileDraft {
  locationId: string;
  name: string;
  kind: "in_house" | "partner";
  /** Comma-separated. */
  productTypes: string;
  options: { name: string; values: string }[];
}

export function profileToDraft(profile: CapabilityProfile): ProfileDraft {
  return {
    locationId: profile.locationId,
    name: profile.name,
    kind: profile.kind,
    productTypes: profile.productTypes.join(", "),
    options: Object.entries(profile.options).map(([name, values]) => ({
      name,
      values: values.join(", "),
    })),
  };
}

export async function loadProfiles(
  db: Db,
  shop: string,
): Promise<{ profiles: CapabilityProfile[]; unreadable: string[] }> {
  const rows = await db.capabilityProfile.findMany({
    where: { shop },
    orderBy: PROFILE_ORDER,
  });
  const profiles: CapabilityProfile[] = [];
  const unreadable: string[] = [];
  for (const row of rows) {
    const parsed = capabilityProfileFromStored(row);
    if (parsed.ok) profiles.push(parsed.value);
    else unreadable.push(row.locationId);
  }
  return { profiles, unreadable };
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/**
 * Reads the form's profiles and checks them with routing's parser. Errors come back by the
 * form's own paths ("1.options.0.values"), since the parser keys options by name, which the
 * merchant may still be typing.
 */
export function parseProfileDrafts(
  drafts: ProfileDraft[],
  knownLocationIds: readonly string[] | null,
): { ok: true; profiles: CapabilityProfile[] } | { ok: false; errors: Record<string, Words> } {
  const errors: Record<string, Words> = {};
  const inputs = drafts.map((draft, i) => {
    const options: Record<string, string[]> = {};
    const rowOf: Record<string, number> = {};
    draft.options.forEach((row, j) => {
      const name = row.name.trim();
      const values = splitList(row.values);
      if (name === "" && values.length === 0) return;
      if (name === "") {
        errors[`${i}.options.${j}.name`] = words("fieldErrors.required.optionName");
        return;
      }
      const key = Object.keys(options).find(
        (existing) => existing.toLowerCase() === name.toLowerCase(),
      );
      if (key !== undefined) {
        // The engine compares option names without case: two rows would be one option.
        errors[`${i}.options.${j}.name`] = words("fieldErrors.optionListed", { name });
        return;
      }
      if (values.length === 0) {
        errors[`${i}.options.${j}.values`] = words("fieldErrors.optionValues");
        return;
      }
      options[name] = values;
      rowOf[name] = j;
    });
    if (knownLocationIds && draft.locationId && !knownLocationIds.includes(draft.locationId)) {
      errors[`${i}.locationId`] = words("fieldErrors.notShopLocation");
    }
    return { input: { ...draft, productTypes: splitList(draft.productTypes), options }, rowOf };
  });
  const parsed = parseCapabilityProfiles(inputs.map((entry) => entry.input));
  if (!parsed.ok) {
    for (const error of parsed.errors) {
      const [index, field, key] = error.path.split(".");
      const entry = inputs[Number(index)];
      if (field === "options" && key !== undefined && entry && entry.rowOf[key] !== undefined) {
        errors[`${index}.options.${entry.rowOf[key]}.values`] ??= error.message;
      } else if (field === "productTypes") {
        errors[`${index}.productTypes`] ??= error.message;
      } else {
        errors[error.path] ??= error.message;
      }
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.ok) return { ok: false, errors };
  return { ok: true, profiles: parsed.value };
}

/**
 * The form's errors by location, then by field ("options.0.values"): the screen shows one card
 * per location, whichever of them were sent.
 */
export function errorsByLocation<M>(
  drafts: readonly ProfileDraft[],
  errors: Record<string, M>,
): Record<string, Record<string, M>> {
  const out: Record<string, Record<string, M>> = {};
  for (const [path, message] of Object.entries(errors)) {
    const dot = path.indexOf(".");
    const index = Number(dot < 0 ? path : path.slice(0, dot));
    const locationId = drafts[index]?.locationId ?? "";
    (out[locationId] ??= {})[dot < 0 ? "" : path.slice(dot + 1)] = message;
  }
  return out;
}

export type SaveProfilesResult =
  { ok: true; saved: number } | { ok: false; errors: Record<string, Words> };

/**
 * Replaces the shop's profiles with the given ones, in one transaction: a location left out has
 * no profile any more. `knownLocationIds` (from Shopify) rejects ids that are not the shop's;
 * null when Shopify could not be asked.
 */
export async function saveProfiles(
  db: Db,
  shop: string,
  drafts: ProfileDraft[],
  knownLocationIds: readonly string[] | null,
): Promise<SaveProfilesResult> {
  const parsed = parseProfileDrafts(drafts, knownLocationIds);
  if (!parsed.ok) return parsed;
  const keep = parsed.profiles.map((p) => p.locationId);
  await db.$transaction([
    db.capabilityProfile.deleteMany({ where: { shop, locationId: { notIn: keep } } }),
    ...parsed.profiles.map((profile) => {
      const data = {
        name: profile.name,
        kind: profile.kind,
        productTypes: JSON.stringify(profile.productTypes),
        options: JSON.stringify(profile.options),
      };
      return db.capabilityProfile.upsert({
        where: { shop_locationId: { shop, locationId: profile.locationId } },
        create: { shop, locationId: profile.locationId, ...data },
        update: data,
      });
    }),
  ]);
  return { ok: true, saved: parsed.profiles.length };
}

/** What the form posts, read defensively: the parser judges the content. */
export function asProfileDrafts(input: unknown): ProfileDraft[] {
  if (!Array.isArray(input)) return [];
  return input.map((item) => {
    const record = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === "string" ? value : "");
    const options = Array.isArray(record.options) ? record.options : [];
    return {
      locationId: text(record.locationId),
      name: text(record.name),
      kind: record.kind === "partner" ? "partner" : "in_house",
      productTypes: text(record.productTypes),
      options: options.map((option) => {
        const row = (option && typeof option === "object" ? option : {}) as Record<string, unknown>;
        return { name: text(row.name), values: text(row.values) };
      }),
    } satisfies ProfileDraft;
  });
}
