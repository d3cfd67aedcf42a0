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
import { driverAdapter, type Db } from "../db/client.server";
import { findRow, type Row } from "../db/rows.server";

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

/** The Shop row's columns a routed order reads: its settings, its gate and its config's version. */
export const CONFIG_COLUMNS = {
  defaultMode: true,
  capturePolicy: true,
  notifyCustomer: true,
  autoReleaseAfterMinutes: true,
  digitalDownloads: true,
  authorizationWarnHours: true,
  releaseGate: true,
  installedAt: true,
  configVersion: true,
} as const;

/** The Shop row as loadShopConfig reads it (CONFIG_COLUMNS). */
export type ConfigRow = Pick<Row<"Shop">, keyof typeof CONFIG_COLUMNS>;

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

/** A shop's rules and capability profiles as this process read them, at a version of the shop. */
interface Kept {
  version: string;
  rules: readonly Rule[];
  invalidRules: readonly InvalidRule[];
  profiles: CapabilityProfile[];
}

/** Shops whose rules and profiles a process keeps at once (the least recently routed go first). */
export const KEPT_SHOPS = 1000;

// Per database (tests and the benchmarks open several in one process), per shop.
const kept = new WeakMap<Db, Map<string, Kept>>();
const keeps = new WeakMap<Db, Promise<boolean>>();

/**
 * Whether this database tells a process when a shop's rules or profiles change: PostgreSQL's
 * triggers move the shop's configVersion on with every write to them (the migration that added
 * it). SQLite has no such triggers (one process, which reads them every time).
 */
function keepsConfig(db: Db): Promise<boolean> {
  let answer = keeps.get(db);
  if (!answer) {
    answer = driverAdapter(db).then(
      (adapter) => adapter.provider === "postgres",
      () => false,
    );
    keeps.set(db, answer);
  }
  return answer;
}

/**
 * The order the Capabilities screen lists profiles in, which routing prefers among profiles of a
 * kind that can all make a line: the first added first. The database's own order (an index's, or
 * where PostgreSQL put a row's latest version) must not decide where work goes.
 */
export const PROFILE_ORDER = [{ createdAt: "asc" }, { id: "asc" }] as const satisfies {
  [key: string]: "asc";
}[];

/**
 * What the merchant set up, for one order. On PostgreSQL the rules and capability profiles are
 * read once per version of the shop and kept: the Shop row, read for the settings anyway, carries
 * its configVersion (moved on by every write to them, in the writer's transaction) and when it was
 * installed (a shop erased and installed again starts at version 0 again), and they are read after
 * it, so what is kept under a version is never older than that version. Two statements an order
 * fewer than reading them every time. `read` is the Shop row (CONFIG_COLUMNS, null: none) when a
 * caller's own statement read it already (the route job's first, on PostgreSQL).
 */
export async function loadShopConfig(
  db: Db,
  shop: string,
  read?: { row: ConfigRow | null },
): Promise<ShopConfig> {
  if (!(await keepsConfig(db))) {
    const [rows, shopRow, profileRows] = await Promise.all([
      storedRules(db, shop),
      db.shop.findUnique({ where: { shop } }),
      db.capabilityProfile.findMany({ where: { shop }, orderBy: PROFILE_ORDER }),
    ]);
    return shopConfig(shopRow, readConfig(shop, rows, profileRows));
  }
  // Only what the settings, the gate and the version are made of: Prisma's call for the whole
  // row cost a worker more than any other of an order's statements (ADR 046).
  const shopRow = read
    ? read.row
    : await findRow(db, "Shop", { where: { shop }, select: CONFIG_COLUMNS });
  const version = shopRow ? `${shopRow.installedAt.getTime()}:${shopRow.configVersion}` : null;
  let shops = kept.get(db);
  if (!shops) kept.set(db, (shops = new Map()));
  let config = shops.get(shop);
  if (!config || config.version !== version) {
    const [rows, profileRows] = await Promise.all([
      storedRules(db, shop),
      db.capabilityProfile.findMany({ where: { shop }, orderBy: PROFILE_ORDER }),
    ]);
    config = { version: version ?? "", ...readConfig(shop, rows, profileRows) };
  }
  // Kept only for a shop with a row (its version), as the most recently used.
  shops.delete(shop);
  if (version) {
    shops.set(shop, config);
    if (shops.size > KEPT_SHOPS) shops.delete(shops.keys().next().value!);
  }
  return shopConfig(shopRow, config);
}

function readConfig(
  shop: string,
  rows: Awaited<ReturnType<typeof storedRules>>,
  profileRows: Awaited<ReturnType<Db["capabilityProfile"]["findMany"]>>,
): Omit<Kept, "version"> {
  const { rules, invalid: invalidRules } = ruleSetFromStored(shop, rows);
  const profiles = profileRows.flatMap((row) => {
    const parsed = capabilityProfileFromStored(row);
    return parsed.ok ? [parsed.value] : [];
  });
  // The same array for every order while kept: frozen, so no caller changes it for the next.
  return { rules, invalidRules, profiles: Object.freeze(profiles) as CapabilityProfile[] };
}

function shopConfig(
  shopRow: (SettingsRow & { releaseGate: boolean | null }) | null,
  config: Omit<Kept, "version">,
): ShopConfig {
  return {
    rules: config.rules,
    settings: settingsFromRow(shopRow),
    profiles: config.profiles,
    releaseGate: shopRow?.releaseGate ?? null,
    invalidRules: config.invalidRules,
  };
}
