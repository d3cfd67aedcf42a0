// Loads what the merchant set up — rules, settings, capability profiles — in the engine's types.
import {
  capabilityProfileFromStored,
  compareRules,
  parseSettings,
  ruleFromStored,
  DEFAULT_SETTINGS,
  type CapabilityProfile,
  type Rule,
  type RoutingSettings,
} from "../routing";
import type { Db } from "../db/client.server";

export interface ShopConfig {
  rules: Rule[];
  settings: RoutingSettings;
  profiles: CapabilityProfile[];
  /** The release gate: null = on wherever an order has work at a fulfilment service; false = off. */
  releaseGate: boolean | null;
  /** Stored rules that no longer parse: skipped, and shown to the merchant. */
  invalidRules: { id: string; name: string; errors: string[] }[];
}

/** The Shop row's columns the engine's settings are made of. */
type SettingsRow = Pick<
  Awaited<ReturnType<Db["shop"]["findUnique"]>> & object,
  | "defaultMode"
  | "capturePolicy"
  | "notifyCustomer"
  | "autoReleaseAfterMinutes"
  | "digitalDownloads"
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
  });
  return parsed.ok ? parsed.value : DEFAULT_SETTINGS;
}

/** The shop's settings as the engine reads them. */
export async function loadSettings(db: Db, shop: string): Promise<RoutingSettings> {
  return settingsFromRow(await db.shop.findUnique({ where: { shop } }));
}

export async function loadShopConfig(db: Db, shop: string): Promise<ShopConfig> {
  const [rows, shopRow, profileRows] = await Promise.all([
    db.rule.findMany({ where: { shop } }),
    db.shop.findUnique({ where: { shop } }),
    db.capabilityProfile.findMany({ where: { shop } }),
  ]);
  const rules: Rule[] = [];
  const invalidRules: ShopConfig["invalidRules"] = [];
  for (const row of rows) {
    const parsed = ruleFromStored(row);
    if (parsed.ok) rules.push(parsed.value);
    else
      invalidRules.push({
        id: row.id,
        name: row.name,
        errors: parsed.errors.map((e) => `${e.path}: ${e.message}`),
      });
  }
  rules.sort(compareRules);
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
