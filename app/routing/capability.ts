// Capability profiles: which location can produce which line, decided only by a 100 % match.
import type { LineItem } from "./snapshot";
import { isDefaultTitleOption, norm } from "./views";
import { engineSaid, type Words } from "./words";

export interface CapabilityProfile {
  locationId: string;
  name: string;
  kind: "in_house" | "partner";
  /** Product types the location makes, e.g. ["Print", "Canvas"]. */
  productTypes: string[];
  /** For each option the location understands, the values it can do: {"Paper": ["Lustre", "Matte"]}. */
  options: Record<string, string[]>;
}

/** One reason a location cannot produce a line. */
export type CapabilityGap =
  | { kind: "product_type"; productType: string }
  | { kind: "unknown_option"; optionName: string; value: string }
  | { kind: "option_value"; optionName: string; value: string }
  | { kind: "location_missing" };

interface CompiledProfile {
  productTypes: ReadonlySet<string>;
  options: ReadonlyMap<string, ReadonlySet<string>>;
}

const compiledProfiles = new WeakMap<CapabilityProfile, CompiledProfile>();

function compile(profile: CapabilityProfile): CompiledProfile {
  let compiled = compiledProfiles.get(profile);
  if (!compiled) {
    compiled = {
      productTypes: new Set(profile.productTypes.map(norm)),
      options: new Map(
        Object.entries(profile.options).map(([name, values]) => [
          norm(name),
          new Set(values.map(norm)),
        ]),
      ),
    };
    compiledProfiles.set(profile, compiled);
  }
  return compiled;
}

/**
 * Why the profile's location cannot produce the line; empty when it can. A line is producible
 * only when its product type is listed and every one of its variant options is covered: the
 * option name is known to the profile and the line's value is listed. Shopify's "Title: Default
 * Title" (a product without variants) is no option at all.
 */
export function capabilityGaps(
  profile: CapabilityProfile,
  line: Pick<LineItem, "productType" | "variantOptions">,
): CapabilityGap[] {
  const compiled = compile(profile);
  const gaps: CapabilityGap[] = [];
  if (!compiled.productTypes.has(norm(line.productType))) {
    gaps.push({ kind: "product_type", productType: line.productType });
  }
  for (const option of line.variantOptions) {
    if (isDefaultTitleOption(option)) continue;
    const values = compiled.options.get(norm(option.name));
    if (!values)
      gaps.push({ kind: "unknown_option", optionName: option.name, value: option.value });
    else if (!values.has(norm(option.value)))
      gaps.push({ kind: "option_value", optionName: option.name, value: option.value });
  }
  return gaps;
}

export function canProduce(
  profile: CapabilityProfile,
  line: Pick<LineItem, "productType" | "variantOptions">,
): boolean {
  return producible(compile(profile), line);
}

/** The merchant's order of preference: in-house locations first, then partners, each as listed. */
export function profilesInPreferenceOrder(
  profiles: readonly CapabilityProfile[],
): CapabilityProfile[] {
  return [
    ...profiles.filter((p) => p.kind === "in_house"),
    ...profiles.filter((p) => p.kind === "partner"),
  ];
}

export type LocationChoice =
  | { profile: CapabilityProfile }
  | { profile: null; gaps: { profile: CapabilityProfile; gaps: CapabilityGap[] }[] };

/**
 * The first location, in preference order, that can produce the line. Profiles whose location
 * no longer exists in the shop are passed over, and say so.
 */
export function chooseLocation(
  line: Pick<LineItem, "productType" | "variantOptions">,
  profiles: readonly CapabilityProfile[],
  locationExists: (locationId: string) => boolean = () => true,
  normalised: NormalisedLine = normaliseLine(line),
): LocationChoice {
  return chooseLocationAmong(
    profilesInPreferenceOrder(profiles),
    line,
    { has: locationExists },
    normalised,
  );
}

/**
 * chooseLocation over profiles already in preference order, with the shop's locations as a set
 * (the order view's map): the planner places every line of a fulfillment order against the same
 * profiles and locations, so it orders them once, not once a line.
 */
export function chooseLocationAmong(
  ordered: readonly CapabilityProfile[],
  line: Pick<LineItem, "productType" | "variantOptions">,
  locations: { has(locationId: string): boolean },
  normalised: NormalisedLine,
): LocationChoice {
  // The common case first, without collecting reasons: every line of every order is placed here,
  // its text normalised once (by the caller's line view, or here) for all the profiles.
  for (const profile of ordered) {
    if (locations.has(profile.locationId) && covers(compile(profile), normalised))
      return { profile };
  }
  const gaps: { profile: CapabilityProfile; gaps: CapabilityGap[] }[] = [];
  for (const profile of ordered) {
    gaps.push({
      profile,
      gaps: locations.has(profile.locationId)
        ? capabilityGaps(profile, line)
        : [{ kind: "location_missing" }],
    });
  }
  return { profile: null, gaps };
}

/** A line's product type and variant options as profiles compare them (no "Title: Default Title"). */
export interface NormalisedLine {
  productType: string;
  options: readonly (readonly [name: string, value: string])[];
}

export function normaliseLine(
  line: Pick<LineItem, "productType" | "variantOptions">,
): NormalisedLine {
  const options: (readonly [string, string])[] = [];
  for (const option of line.variantOptions) {
    if (!isDefaultTitleOption(option)) options.push([norm(option.name), norm(option.value)]);
  }
  return { productType: norm(line.productType), options };
}

/** capabilityGaps(…).length === 0, without building the gaps. */
function covers(compiled: CompiledProfile, line: NormalisedLine): boolean {
  if (!compiled.productTypes.has(line.productType)) return false;
  for (const [name, value] of line.options) {
    const values = compiled.options.get(name);
    if (!values || !values.has(value)) return false;
  }
  return true;
}

function producible(
  compiled: CompiledProfile,
  line: Pick<LineItem, "productType" | "variantOptions">,
): boolean {
  return covers(compiled, normaliseLine(line));
}

const capabilitySaid = (key: string, params?: Words["params"]) =>
  engineSaid(`capability.${key}`, params);

/** "A and B", "A; B": a list said one pair at a time, so each language joins it its own way. */
function joined(items: Words[], key: "and" | "then"): Words {
  return items.reduceRight((rest, first) => capabilitySaid(key, { first, rest }));
}

export function gapWords(gap: CapabilityGap): Words {
  switch (gap.kind) {
    case "product_type":
      return gap.productType
        ? capabilitySaid("productType", { productType: gap.productType })
        : capabilitySaid("noProductType");
    case "unknown_option":
      return capabilitySaid("unknownOption", { option: gap.optionName, value: gap.value });
    case "option_value":
      return capabilitySaid("optionValue", { option: gap.optionName, value: gap.value });
    case "location_missing":
      return capabilitySaid("locationMissing");
  }
}

/** `“Studio” does not make product type “Mug”; “Lab” cannot do Paper “Metallic”`: each profile's reasons. */
export function profileReasonsWords(
  gaps: { profile: CapabilityProfile; gaps: CapabilityGap[] }[],
): Words {
  const reasons = gaps.map(({ profile, gaps: list }) =>
    capabilitySaid("profile", { profile: profile.name, gaps: joined(list.map(gapWords), "and") }),
  );
  return joined(reasons, "then");
}

/** `no location can produce it: “Studio” does not make product type “Mug”; “Lab” cannot do Paper “Metallic”`. */
export function noLocationWords(
  gaps: { profile: CapabilityProfile; gaps: CapabilityGap[] }[],
): Words {
  if (gaps.length === 0) return capabilitySaid("noProfiles");
  return capabilitySaid("noLocation", { reasons: profileReasonsWords(gaps) });
}
