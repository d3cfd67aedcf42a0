// Toasts read as Polaris and Shopify admin write them ("Product updated"): short, with no full
// stop, in every language of the catalogue.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { resources } from "./catalogues.server";
import { LOCALES } from "./locale";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/**
 * Every catalogue key a toast shows, with where: a key stands for itself, its plural forms and
 * the keys under it. A screen's own `toast.show(t("…"))` is found in the code below and must be
 * here; what an action answers (a command's words, a card's answer) only this list knows of.
 */
const TOASTS: [key: string, where: string][] = [
  ["settings.saved", "Settings, saved"],
  ["capabilities.saved", "Capabilities, saved"],
  ["rules.editor.saved", "a rule, saved"],
  ["rules.editor.gone.toast", "a rule deleted meanwhile, saved"],
  ["rules.editor.gone.alreadyDeleted", "a rule deleted meanwhile, deleted"],
  ["rules.editor.fixBeforeDryRun", "the rule editor's dry-run with fields to fix (an error)"],
  ["rules.editor.dryRunFailed", "the dry-run without Shopify's orders (an error)"],
  ["rules.commands", "Rules' moves, turning on and off, duplicates and deletes"],
  ["common.fixFields", "a form saved with fields to fix (an error)"],
  ["export.downloaded", "the decision log's CSV"],
  ["hardening.dataRequests.downloaded", "a customer's data report"],
  ["fulfill.push.done", "push addresses added, removed, the secret rotated, a push sent again"],
  ["fulfill.push.gone", "a push address removed meanwhile (an error)"],
  // The order screen: a command that went through (its refusals stay on the page in red).
  ["serviceMessages.commands.routedAgain", "Route again"],
  ["serviceMessages.commands.routedAgainNothing", "Route again"],
  ["serviceMessages.commands.approved", "Approve"],
  ["serviceMessages.commands.approvedNothing", "Approve"],
  ["serviceMessages.commands.captured", "Capture"],
  ["serviceMessages.commands.nothingToCapture", "Capture, paid already"],
  ["serviceMessages.commands.archived", "Archive"],
  ["serviceMessages.commands.alreadyArchived", "Archive, archived already"],
  ["serviceMessages.commands.held", "Hold"],
  ["serviceMessages.commands.alreadyHeld", "Hold, held already"],
  ["serviceMessages.commands.released", "Release"],
  ["serviceMessages.commands.holdsNothing", "Release, nothing held"],
  ["serviceMessages.commands.fulfilled", "Mark as fulfilled"],
  ["serviceMessages.commands.allFulfilled", "Mark as fulfilled, fulfilled already"],
  ["serviceMessages.commands.done", "any other command"],
  // The order screen's cards, once done.
  ["fulfill.selfFulfill.done", "Fulfill items"],
  ["afterSales.remake.done", "Remake"],
  ["extraCharge.done", "Extra charge"],
  ["afterPayment.cancelLines.done", "Cancel items"],
  ["afterPayment.cancelLines.doneRefunded", "Cancel items, refunded"],
  ["afterPayment.cancelLines.doneRoutedAgain", "Cancel items, the rest routed again"],
  ["serviceMessages.cancel.canceled", "Cancel order"],
  ["serviceMessages.cancel.inProgress", "Cancel order, Shopify's job still running"],
  ["serviceMessages.cancel.alreadyCanceled", "Cancel order, canceled already"],
];

const covers = (toast: string, key: string) =>
  key === toast ||
  key.startsWith(`${toast}.`) ||
  /^(.+)_(zero|one|two|few|many|other)$/.exec(key)?.[1] === toast;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** A call's arguments: the text from `start` to its closing parenthesis. */
function argumentsAt(code: string, start: number): string {
  let depth = 0;
  for (let i = start; i < code.length; i++) {
    if (code[i] === "(") depth++;
    else if (code[i] === ")" && depth-- === 0) return code.slice(start, i);
  }
  return code.slice(start);
}

/** The keys a screen hands a toast itself: `toast.show(t("…"))`, and useSaveBarForm's `saved`. */
function keysScreensToast(): { file: string; key: string }[] {
  const app = join(process.cwd(), "app");
  return sources(app).flatMap((path) => {
    const code = readFileSync(path, "utf8");
    const file = relative(process.cwd(), path);
    const found: { file: string; key: string }[] = [];
    for (const call of code.matchAll(/toast\.show\(/g))
      for (const m of argumentsAt(code, call.index + call[0].length).matchAll(
        /\bt\(\s*["'`]([\w.]+?)(?:\.?\$\{|["'`])/g,
      ))
        found.push({ file, key: m[1]! });
    for (const m of code.matchAll(/\bsaved:\s*t\(\s*["'`]([\w.]+)["'`]/g))
      found.push({ file, key: m[1]! });
    return found;
  });
}

describe("toasts", () => {
  it("every key a screen hands a toast is in the list, and every key listed is in the catalogue", () => {
    const shown = keysScreensToast();
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.filter(({ key }) => !TOASTS.some(([toast]) => covers(toast, key)))).toEqual([]);
    const english = [...flatten(resources.en.translation as Tree).keys()];
    expect(TOASTS.filter(([toast]) => !english.some((key) => covers(toast, key)))).toEqual([]);
  });

  for (const locale of LOCALES) {
    it(`end without a full stop in ${locale}, as admin's own do ("Product updated")`, () => {
      const catalogue = flatten(resources[locale].translation as Tree);
      const stopped = [...catalogue]
        .filter(([key]) => TOASTS.some(([toast]) => covers(toast, key)))
        .filter(([, text]) => /\.\s*$/.test(text))
        .map(([key, text]) => `${key}: ${text}`);
      expect(stopped).toEqual([]);
    });
  }
});
