// Loads what the merchant set up — rules, settings, capability profiles — in the engine's types.
import {
  capabilityProfileFromStored,
  parseSettings,
  ruleSetFromStored,
  DEFAULT_SETTINGS,
  type CapabilityProfile,
  type InvalidRule,
  type Rule,
  type RoutingSettings,
} from "../routing";
import type { Db } from "../db/client.server";

export interface ShopConfig {
  /** In priority order; the same frozen object for every order until a rule changes (ADR 016). */
  rules: readonly Rule[];
  settings: RoutingSettings;
  profiles: CapabilityProfile[];
  /** The release gate: null = on wherever an order has work at a fulfilment service; false = off. */
  releaseGate: boolean | null;
  /** Stored rules that no longer parse: skipped, and shown to the merchant. */
  invalidRules: readonly InvalidRule[];
}

/** The Shop row's columns the engine's settings are made of. */
type SettingsRow = Pick<
  Awaited<ReturnType<Db["shop"]["findUnique"]>> & object,
  | "defaultMode"
  | "capturePolicy"
  | "notifyCustomer"
  | "autoReleaseAfterMinutes"
  | "digitalDownloads"
  | "authorizationWarnHours"
>;

/**
 * The one mapping from a Shop row to the engine's settings. No row (not set up yet) is the
 * defaults; a row written by an older version the parser no longer accepts reads (and saves) as
 * the defaults too.
 */
export function settingsFromRow(row: SettingsRow | null): RoutingSettings {
  if (!row) return DEFAULT_SETTINGS;
  const parsed = parseSettings({
    defaultMode: row.defaultMode,
    capturePolicy: row.capturePolicy,
    notifyCustomer: row.notifyCustomer,
    autoReleaseAfterMinutes: row.autoReleaseAfterMinutes,
    digitalDownloads: row.digitalDownloads,
    authorizationWarnHours: row.authorizationWarnHours,
  });
  return parsed.ok ? parsed.value : DEFAULT_SETTINGS;
}

/** The shop's settings as the engine reads them. */
export async function loadSettings(db: Db, shop: string): Promise<RoutingSettings> {
  return settingsFromRow(await db.shop.findUnique({ where: { shop } }));
}

// One order (the rules' priority order) so an unchanged rule set is recognised.
const storedRules = (db: Db, shop: string) =>
  db.rule.findMany({ where: { shop }, orderBy: [{ position: "asc" }, { id: "asc" }] });

/** The shop's rules that parse, in priority order (a screen saying what a rule's hold is for). */
export async function loadRules(db: Db, shop: string): Promise<readonly Rule[]> {
  return ruleSetFromStored(shop, await storedRules(db, shop)).rules;
}

export async function loadShopConfig(db: Db, shop: string): Promise<ShopConfig> {
  const [rows, shopRow, profileRows] = await Promise.all([
    storedRules(db, shop),
    db.shop.findUnique({ where: { shop } }),
    db.capabilityProfile.findMany({ where: { shop } }),
  ]);
  const { rules, invalid: invalidRules } = ruleSetFromStored(shop, rows);
  const profiles = profileRows.flatMap((row) => {
    const parsed = capabilityProfileFromStored(row);
    return parsed.ok ? [parsed.value] : [];
  });
  return {
    rules,
    settings: settingsFromRow(shopRow),
    profiles,
    releaseGate: shopRow?.releaseGate ?? null,
    invalidRules,
  };
}
