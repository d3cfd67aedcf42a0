// Bundles the admin UI extensions offline the way Shopify CLI does on deploy (esbuild, Preact's
// automatic JSX, one module per target), for the tests and the demo's preview page.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const EXTENSIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../extensions");

export interface UiExtension {
  handle: string;
  target: string;
  /** Absolute path of the module the target renders. */
  module: string;
  dir: string;
}

/** The `ui_extension` targets declared in extensions/*\/shopify.extension.toml. */
export function uiExtensions(dir = EXTENSIONS_DIR): UiExtension[] {
  const found: UiExtension[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const toml = join(dir, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(toml)) continue;
    const text = readFileSync(toml, "utf8");
    if (!/^type\s*=\s*"ui_extension"/m.test(text)) continue;
    const handle = /^handle\s*=\s*"([^"]+)"/m.exec(text)?.[1];
    const module = /^module\s*=\s*"([^"]+)"/m.exec(text)?.[1];
    const target = /^target\s*=\s*"([^"]+)"/m.exec(text)?.[1];
    if (handle && module && target)
      found.push({
        handle,
        target,
        module: join(dir, entry.name, module),
        dir: join(dir, entry.name),
      });
  }
  return found;
}

/**
 * One extension's bundle. "esm" is what admin loads (a module whose default export renders);
 * "cjs" lets a test run it in a function scope with a DOM and a `shopify` of its own.
 */
export async function bundleExtension(
  extension: UiExtension,
  format: "esm" | "cjs" = "esm",
): Promise<string> {
  const result = await build({
    entryPoints: [extension.module],
    bundle: true,
    write: false,
    format,
    platform: "browser",
    target: "es2020",
    minify: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** The extension's translations: locales/en.default.json and the other languages beside it. */
export function extensionLocales(extension: UiExtension): Record<string, unknown> {
  const dir = join(extension.dir, "locales");
  const locales: Record<string, unknown> = {};
  for (const file of readdirSync(dir)) {
    const lang = file.replace(/(\.default)?\.json$/, "");
    locales[lang] = JSON.parse(readFileSync(join(dir, file), "utf8")) as unknown;
  }
  return locales;
}
