// The shop's Settings: what the engine does where no rule decides, read from and saved to the Shop row.
import {
  AUTHORIZATION_WARNING_HOURS,
  fieldErrorsByPath,
  parseSettings,
  type RoutingSettings,
  parseRemakeReasons,
  remakeReasonsOf,
  REMAKE_REASON_MAX_LENGTH,
  REMAKE_REASONS_MAX,
} from "../routing";
import type { Db } from "../db/client.server";
import { words, type Words } from "../routing/words";
import { loadSettings } from "../fulfilment/shop-config.server";
import {
  RETENTION_DEFAULT_DAYS,
  RETENTION_MAX_DAYS,
  RETENTION_MIN_DAYS,
} from "../fulfilment/retention.server";

export { RETENTION_DEFAULT_DAYS, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS };

export const WARN_HOURS_MIN = 1;
export const WARN_HOURS_MAX = 168;

/** A retention period outside the bounds, said with the bounds. */
export const RETENTION_INVALID = words("hardening.retention.invalid", {
  min: RETENTION_MIN_DAYS,
  max: RETENTION_MAX_DAYS,
});
/** A remake reasons list that is empty, too long or has too long a reason. */
export const REMAKE_REASONS_INVALID = words("afterSales.remake.reasonsInvalid", {
  max: REMAKE_REASONS_MAX,
  length: REMAKE_REASON_MAX_LENGTH,
});
/** Warning hours that are not whole hours from 1 to 168: one sentence with the bounds. */
export const WARN_HOURS_INVALID = words("deadlines.settings.invalid", {
  min: WARN_HOURS_MIN,
  max: WARN_HOURS_MAX,
});

/** The form as posted: choices as their values, the delay as typed (empty = never). */
export interface SettingsForm {
  defaultMode: string;
  capturePolicy: string;
  notifyCustomer: boolean;
  autoReleaseAfterMinutes: string;
  digitalDownloads: string;
  /** The release gate: lab work held from Shopify's routing until the rules decide (ADR 011). */
  releaseGate: boolean;
  /** Days webhook payloads and finished jobs are kept, as typed. */
  retentionDays: string;
  /** The reasons a remake can be given, one a line. */
  remakeReasons: string;
  /** Hours before an authorization lapses that Home, the queue and the order warn, as typed. */
  authorizationWarnHours: string;
}

/**
 * The form for the screen. `releaseGate` null means the shop never chose: the gate is on, as it is
 * by default wherever an order has work for a fulfillment service.
 */
export function settingsToForm(
  settings: RoutingSettings,
  releaseGate: boolean | null = null,
  retentionDays: number = RETENTION_DEFAULT_DAYS,
  remakeReasons: string | null = null,
): SettingsForm {
  return {
    releaseGate: releaseGate !== false,
    retentionDays: String(retentionDays),
    remakeReasons: remakeReasonsOf(remakeReasons).join("\n"),
    defaultMode: settings.defaultMode,
    capturePolicy: settings.capturePolicy,
    notifyCustomer: settings.notifyCustomer,
    autoReleaseAfterMinutes:
      settings.autoReleaseAfterMinutes === null ? "" : String(settings.autoReleaseAfterMinutes),
    digitalDownloads: settings.digitalDownloads,
    authorizationWarnHours: String(settings.authorizationWarnHours ?? AUTHORIZATION_WARNING_HOURS),
  };
}

function asNumber(text: string): number | string | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  // Left as text when it is not a number, so the parser answers "Enter a number" beside the field.
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The posted form as fields; anything that is not an object has none. */
const formFields = (form: unknown) =>
  (form && typeof form === "object" ? form : {}) as Record<string, unknown>;

export function settingsInput(form: unknown): Record<string, unknown> {
  const record = formFields(form);
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  return {
    defaultMode: text(record.defaultMode),
    capturePolicy: text(record.capturePolicy),
    notifyCustomer: typeof record.notifyCustomer === "boolean" ? record.notifyCustomer : undefined,
    autoReleaseAfterMinutes: asNumber(
      typeof record.autoReleaseAfterMinutes === "string" ? record.autoReleaseAfterMinutes : "",
    ),
    digitalDownloads: text(record.digitalDownloads),
    // Absent from an older form: the stored value is kept (see saveSettings).
    authorizationWarnHours:
      typeof record.authorizationWarnHours === "string"
        ? asNumber(record.authorizationWarnHours)
        : typeof record.authorizationWarnHours === "number"
          ? record.authorizationWarnHours
          : undefined,
  };
}

/** The retention period as posted: whole days within the bounds, absent, or invalid. */
function retentionInput(value: unknown): number | undefined | "invalid" {
  if (value === undefined) return undefined;
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value : "";
  const days = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(days) && days >= RETENTION_MIN_DAYS && days <= RETENTION_MAX_DAYS
    ? days
    : "invalid";
}

/** The remake reasons as posted (one a line): absent, the list, or invalid. */
function remakeReasonsInput(value: unknown): string[] | undefined | "invalid" {
  if (typeof value !== "string") return undefined;
  const reasons = parseRemakeReasons(value);
  return reasons.length === 0 ||
    reasons.length > REMAKE_REASONS_MAX ||
    reasons.some((r) => r.length > REMAKE_REASON_MAX_LENGTH)
    ? "invalid"
    : reasons;
}

/** The Settings screen's form as stored for the shop. */
export async function loadSettingsForm(db: Db, shop: string): Promise<SettingsForm> {
  const row = await db.shop.findUnique({
    where: { shop },
    select: { releaseGate: true, retentionDays: true, remakeReasons: true },
  });
  return settingsToForm(
    await loadSettings(db, shop),
    row?.releaseGate ?? null,
    row?.retentionDays ?? RETENTION_DEFAULT_DAYS,
    row?.remakeReasons ?? null,
  );
}

/** The warning hours' error as one sentence with its bounds, whatever the parser found. */
function withWarnHoursWords(errors: Record<string, Words>): Record<string, Words> {
  return errors.authorizationWarnHours
    ? { ...errors, authorizationWarnHours: WARN_HOURS_INVALID }
    : errors;
}

export type SaveSettingsResult =
  { ok: true; settings: RoutingSettings } | { ok: false; errors: Record<string, Words> };

export async function saveSettings(
  db: Db,
  shop: string,
  form: unknown,
): Promise<SaveSettingsResult> {
  const parsed = parseSettings(settingsInput(form));
  const record = formFields(form);
  const retention = retentionInput(record.retentionDays);
  const reasons = remakeReasonsInput(record.remakeReasons);
  if (!parsed.ok || retention === "invalid" || reasons === "invalid")
    return {
      ok: false,
      errors: {
        ...(parsed.ok ? {} : withWarnHoursWords(fieldErrorsByPath(parsed.errors))),
        ...(retention === "invalid" ? { retentionDays: RETENTION_INVALID } : {}),
        ...(reasons === "invalid" ? { remakeReasons: REMAKE_REASONS_INVALID } : {}),
      },
    };
  const settings = parsed.value;
  // Left as stored when the form does not say (an older screen, an API client).
  const gate = typeof record.releaseGate === "boolean" ? { releaseGate: record.releaseGate } : {};
  const kept = {
    ...(retention === undefined ? {} : { retentionDays: retention }),
    ...(reasons === undefined ? {} : { remakeReasons: JSON.stringify(reasons) }),
  };
  await db.shop.upsert({
    where: { shop },
    create: { shop, ...settings, ...gate, ...kept },
    update: { ...settings, ...gate, ...kept },
  });
  return { ok: true, settings };
}
