// Settings on a real SQLite file: defaults for a new shop, field errors with nothing saved, and saving.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/client.server";
import { DEFAULT_SETTINGS } from "~/routing";
import { loadShopConfig } from "~/fulfilment/shop-config.server";
import { createTestDatabase } from "../../tests/setup/db";
import {
  REMAKE_REASONS_INVALID,
  RETENTION_INVALID,
  WARN_HOURS_INVALID,
  loadSettingsForm,
  saveSettings,
  settingsToForm,
} from "./settings.server";
import { loadSettings } from "../fulfilment/shop-config.server";
import { englishTranslator } from "~/i18n/i18next.server";
import { renderFieldErrors } from "~/i18n/words";

const SHOP = "prints.myshopify.com";
let db: Db;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await cleanup();
});

describe("settings", () => {
  it("starts from the defaults a newly installed shop has", async () => {
    expect(await loadSettings(db, SHOP)).toEqual(DEFAULT_SETTINGS);
    await db.shop.create({ data: { shop: SHOP } });
    expect(await loadSettings(db, SHOP)).toEqual(DEFAULT_SETTINGS);
  });

  it("saves what the merchant chose, and the engine reads the same", async () => {
    await db.shop.create({ data: { shop: SHOP } });
    const result = await saveSettings(db, SHOP, {
      ...settingsToForm(DEFAULT_SETTINGS),
      defaultMode: "automatic",
      capturePolicy: "on_approval",
      notifyCustomer: false,
      autoReleaseAfterMinutes: " 90 ",
      digitalDownloads: "review",
    });
    const expected = {
      defaultMode: "automatic",
      capturePolicy: "on_approval",
      notifyCustomer: false,
      autoReleaseAfterMinutes: 90,
      digitalDownloads: "review",
      authorizationWarnHours: 48,
    };
    expect(result).toEqual({ ok: true, settings: expected });
    expect(await loadSettings(db, SHOP)).toEqual(expected);
    expect((await loadShopConfig(db, SHOP)).settings).toEqual(expected);
  });

  it("the release gate is on until the merchant switches it off, and the engine reads the switch", async () => {
    expect((await loadSettingsForm(db, SHOP)).releaseGate).toBe(true);
    await db.shop.create({ data: { shop: SHOP } });
    expect((await loadShopConfig(db, SHOP)).releaseGate).toBeNull();

    await saveSettings(db, SHOP, { ...settingsToForm(DEFAULT_SETTINGS), releaseGate: false });
    expect((await loadSettingsForm(db, SHOP)).releaseGate).toBe(false);
    expect((await loadShopConfig(db, SHOP)).releaseGate).toBe(false);

    // A form that does not mention the gate leaves the merchant's choice alone.
    const { releaseGate: _unsaid, ...older } = settingsToForm(DEFAULT_SETTINGS);
    await saveSettings(db, SHOP, older);
    expect((await loadShopConfig(db, SHOP)).releaseGate).toBe(false);

    await saveSettings(db, SHOP, { ...settingsToForm(DEFAULT_SETTINGS), releaseGate: true });
    expect((await loadSettingsForm(db, SHOP)).releaseGate).toBe(true);
  });

  it("an empty delay means reviews are never released by themselves", async () => {
    await saveSettings(db, SHOP, {
      ...settingsToForm(DEFAULT_SETTINGS),
      autoReleaseAfterMinutes: "60",
    });
    await saveSettings(db, SHOP, {
      ...settingsToForm(DEFAULT_SETTINGS),
      autoReleaseAfterMinutes: "",
    });
    expect((await loadSettings(db, SHOP)).autoReleaseAfterMinutes).toBeNull();
  });

  it("answers invalid fields by name and saves nothing", async () => {
    await db.shop.create({ data: { shop: SHOP } });
    const result = await saveSettings(db, SHOP, {
      defaultMode: "sometimes",
      capturePolicy: "on_fulfilment",
      notifyCustomer: true,
      autoReleaseAfterMinutes: "soon",
      digitalDownloads: "automatic",
    });
    expect(result.ok).toBe(false);
    const en = await englishTranslator();
    const errors = result.ok ? {} : renderFieldErrors(en, result.errors);
    expect(errors).toEqual({
      defaultMode: en("fieldErrors.required.defaultMode"),
      autoReleaseAfterMinutes: en("fieldErrors.type.number"),
    });
    expect(await loadSettings(db, SHOP)).toEqual(DEFAULT_SETTINGS);

    const tooLong = await saveSettings(db, SHOP, {
      ...settingsToForm(DEFAULT_SETTINGS),
      autoReleaseAfterMinutes: "50000",
    });
    expect(tooLong.ok === false && renderFieldErrors(en, tooLong.errors)).toEqual({
      autoReleaseAfterMinutes: en("fieldErrors.releaseMax", { days: 30, minutes: 43200 }),
    });
  });

  it("warns 48 hours before an authorization lapses until the merchant chooses 1 to 168 hours, and the engine reads it", async () => {
    expect((await loadSettingsForm(db, SHOP)).authorizationWarnHours).toBe("48");
    const saved = await saveSettings(db, SHOP, {
      ...settingsToForm(DEFAULT_SETTINGS),
      authorizationWarnHours: " 72 ",
    });
    expect(saved.ok).toBe(true);
    expect(
      (await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).authorizationWarnHours,
    ).toBe(72);
    expect((await loadSettingsForm(db, SHOP)).authorizationWarnHours).toBe("72");
    expect((await loadShopConfig(db, SHOP)).settings.authorizationWarnHours).toBe(72);

    for (const typed of ["0", "169", "1.5", "two days", ""]) {
      const refused = await saveSettings(db, SHOP, {
        ...settingsToForm(DEFAULT_SETTINGS),
        authorizationWarnHours: typed,
      });
      expect(refused, typed).toEqual({
        ok: false,
        errors: { authorizationWarnHours: WARN_HOURS_INVALID },
      });
    }
    expect((await loadShopConfig(db, SHOP)).settings.authorizationWarnHours).toBe(72);

    // A form that does not mention it (an older screen) leaves the merchant's choice alone.
    const { authorizationWarnHours: _unsaid, ...older } = settingsToForm(DEFAULT_SETTINGS);
    expect((await saveSettings(db, SHOP, older)).ok).toBe(true);
    expect((await loadShopConfig(db, SHOP)).settings.authorizationWarnHours).toBe(72);
  });

  it("keeps webhook data 30 days until the merchant chooses another period, within 1 to 365 days", async () => {
    expect((await loadSettingsForm(db, SHOP)).retentionDays).toBe("30");
    const saved = await saveSettings(db, SHOP, {
      ...settingsToForm(DEFAULT_SETTINGS),
      retentionDays: " 7 ",
    });
    expect(saved.ok).toBe(true);
    expect((await loadSettingsForm(db, SHOP)).retentionDays).toBe("7");
    expect((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).retentionDays).toBe(7);

    for (const typed of ["0", "366", "a week", "2.5", "-3", ""]) {
      const refused = await saveSettings(db, SHOP, {
        ...settingsToForm(DEFAULT_SETTINGS),
        defaultMode: "automatic",
        retentionDays: typed,
      });
      expect(refused, typed).toEqual({
        ok: false,
        errors: { retentionDays: RETENTION_INVALID },
      });
    }
    // Nothing of a refused form was saved.
    expect((await loadSettings(db, SHOP)).defaultMode).toBe(DEFAULT_SETTINGS.defaultMode);
    expect((await loadSettingsForm(db, SHOP)).retentionDays).toBe("7");

    // A form that does not mention the period leaves it alone.
    const { retentionDays: _unsaid, ...older } = settingsToForm(DEFAULT_SETTINGS);
    await saveSettings(db, SHOP, older);
    expect((await loadSettingsForm(db, SHOP)).retentionDays).toBe("7");
  });
  it("offers the default remake reasons until the merchant edits the list, one a line", async () => {
    expect((await loadSettingsForm(db, SHOP)).remakeReasons).toBe(
      "Print fault\nDamaged in transit\nWrong crop\nLab error",
    );
    const saved = await saveSettings(db, SHOP, {
      ...settingsToForm(DEFAULT_SETTINGS),
      remakeReasons: " Paper jam \n\nWrong crop\nwrong crop\n",
    });
    expect(saved.ok).toBe(true);
    expect((await loadSettingsForm(db, SHOP)).remakeReasons).toBe("Paper jam\nWrong crop");
    for (const typed of ["", " \n ", "x".repeat(61)]) {
      const refused = await saveSettings(db, SHOP, {
        ...settingsToForm(DEFAULT_SETTINGS),
        remakeReasons: typed,
      });
      expect(refused, typed).toEqual({
        ok: false,
        errors: { remakeReasons: REMAKE_REASONS_INVALID },
      });
    }
    expect((await loadSettingsForm(db, SHOP)).remakeReasons).toBe("Paper jam\nWrong crop");
  });
});
