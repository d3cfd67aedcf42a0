// The app's catalogue repeats some of the admin extensions' words (an extension's bundle carries its
// own locales/*.json and cannot read the app's): the same button, note or hold reason reads the same
// in Shopify admin and in the app. This fails when the two drift apart, in every language both have.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resources } from "../../app/i18n/catalogues.server";
import { LOCALES, type Locale } from "../../app/i18n/locale";
import { FULFILLMENT_HOLD_REASONS } from "../../app/routing/snapshot";

type Tree = { [key: string]: string | Tree };

const EXTENSIONS = ["order-routing-action", "order-routing-block"] as const;
type Extension = (typeof EXTENSIONS)[number];

/** The sentence at a dotted key, or undefined. */
function at(tree: Tree, key: string): string | undefined {
  const found = key
    .split(".")
    .reduce<string | Tree | undefined>(
      (c, k) => (c && typeof c === "object" ? c[k] : undefined),
      tree,
    );
  return typeof found === "string" ? found : undefined;
}

/** The languages an extension has a file for (its default file is English), and the file's words. */
function extensionLocales(extension: Extension): Map<string, Tree> {
  const dir = `extensions/${extension}/locales`;
  return new Map(
    readdirSync(dir)
      .filter((file) => file.endsWith(".json"))
      .map((file) => [
        file === "en.default.json" ? "en" : file.replace(/\.json$/, ""),
        JSON.parse(readFileSync(`${dir}/${file}`, "utf8")) as Tree,
      ]),
  );
}

/** Every language both the app and the extension have, with both catalogues. */
function sharedLanguages(extension: Extension): [Locale, Tree, Tree][] {
  return [...extensionLocales(extension)]
    .filter((entry): entry is [Locale, Tree] => (LOCALES as readonly string[]).includes(entry[0]))
    .map(([locale, words]) => [locale, words, resources[locale].translation as Tree]);
}

/**
 * Where the app says what an extension says: [extension, its key, the app's key]. Each is the same
 * thing in both places, so a merchant who meets it in Shopify admin and in the app reads one name.
 */
const SAME_WORDS: [Extension, string, string][] = [
  // The buttons: the queue and the order screen offer the very actions the block and the bulk
  // action do, and a refused Step's advice sends the merchant to Route again by name.
  ["order-routing-block", "reroute", "bulkAction.reroute"],
  ["order-routing-action", "reroute", "bulkAction.reroute"],
  ["order-routing-block", "approve", "bulkAction.approve"],
  ["order-routing-action", "approve", "bulkAction.approve"],
  // The block's Repair starts the repair that Stuck and drift's Repair starts.
  ["order-routing-block", "repair", "stuck.repair"],
  // The block's holds are the holds the order screen lists.
  ["order-routing-block", "holdsHeading", "fulfillmentOrderCard.holds"],
  ["order-routing-block", "heading", "app.name"],
  ["order-routing-action", "heading", "app.name"],
  // Shopify's hold reasons, which the app's hold dialog, queue filter and hold notes name too.
  ...FULFILLMENT_HOLD_REASONS.flatMap((reason): [Extension, string, string][] => [
    ["order-routing-block", `holdReason.${reason}`, `holdReason.${reason}`],
    ["order-routing-action", `reasons.${reason}`, `holdReason.${reason}`],
  ]),
];

describe("the app's words that the admin extensions also say", () => {
  it("are checked in English and German at least", () => {
    for (const extension of EXTENSIONS)
      expect(sharedLanguages(extension).map(([locale]) => locale)).toEqual(
        expect.arrayContaining(["en", "de"]),
      );
  });

  for (const extension of EXTENSIONS)
    it(`read the same in ${extension} and in the app, in every language both have`, () => {
      const drifted: string[] = [];
      for (const [locale, ext, app] of sharedLanguages(extension))
        for (const [which, extKey, appKey] of SAME_WORDS) {
          if (which !== extension) continue;
          const theirs = at(ext, extKey);
          const ours = at(app, appKey);
          // The bulk action offers only the reasons a merchant may choose; the app has them all.
          if (theirs === undefined && extKey.startsWith("reasons.")) continue;
          if (theirs !== ours)
            drifted.push(`${locale}: ${extKey} “${theirs}” ≠ app's ${appKey} “${ours}”`);
        }
      expect(drifted).toEqual([]);
    });

  it("the bulk action's reasons are Shopify's hold reasons", () => {
    for (const [locale, ext] of sharedLanguages("order-routing-action"))
      expect(
        Object.keys(ext.reasons as Tree).filter(
          (reason) => !(FULFILLMENT_HOLD_REASONS as readonly string[]).includes(reason),
        ),
        locale,
      ).toEqual([]);
  });

  // The queue's Route again asks in its own first sentence, then says what the bulk action's note
  // says about repairs, word for word.
  it("the queue's Route again confirmation ends with the bulk action's note on repairs", () => {
    for (const [locale, ext, app] of sharedLanguages("order-routing-action")) {
      const note = at(ext, "rerouteNote")!;
      const body = at(app, "queue.reroute.body")!;
      expect(note, locale).toBeTruthy();
      expect(body.endsWith(` ${note}`), `${locale}: “${body}” should end with “${note}”`).toBe(
        true,
      );
    }
  });

  // One word for one thing: a hold is a Zurückhaltung in the app's German, so the extensions'
  // German holds and releases with the same word (they said Zurückstellung).
  it("German names a hold as the app does, in the app and in every extension", () => {
    const files = [
      "app/i18n/locales/de.json",
      ...EXTENSIONS.map((extension) => `extensions/${extension}/locales/de.json`),
    ];
    for (const file of files)
      expect(readFileSync(file, "utf8").match(/zurückstell\w*/giu) ?? [], file).toEqual([]);
  });
});
