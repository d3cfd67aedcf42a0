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
  const settings = shopRow
    ? parseSettings({
        defaultMode: shopRow.defaultMode,
        capturePolicy: shopRow.capturePolicy,
        notifyCustomer: shopRow.notifyCustomer,
        autoReleaseAfterMinutes: shopRow.autoReleaseAfterMinutes,
        digitalDownloads: shopRow.digitalDownloads,
      })
    : ({ ok: true, value: DEFAULT_SETTINGS } as const);
  const profiles = profileRows.flatMap((row) => {
    const parsed = capabilityProfileFromStored(row);
    return parsed.ok ? [parsed.value] : [];
  });
  return {
    rules,
    settings: settings.ok ? settings.value : DEFAULT_SETTINGS,
    profiles,
    releaseGate: shopRow?.releaseGate ?? null,
    invalidRules,
  };
}
