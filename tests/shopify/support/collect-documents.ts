// Collects every `#graphql` document in the app's source, plucked exactly as Shopify's codegen preset plucks them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gqlPluckFromCodeStringSync } from "@graphql-tools/graphql-tag-pluck";
import { pluckConfig } from "@shopify/api-codegen-preset";
import { GraphQLError, Source, parse, type DocumentNode } from "graphql";
import { PROJECT_ROOT } from "./paths";

export interface CollectedDocument {
  /** Path from the repository root, with forward slashes. */
  file: string;
  /** The constant holding the document (ORDER_SNAPSHOT_QUERY), or `<anonymous #n>` when it is not assigned. */
  name: string;
  /** Line in `file` where the document's text starts. */
  line: number;
  /** The text codegen sees: interpolations appear as `#REQUIRED_VAR=NAME` comments. */
  source: string;
  /** Null when the text does not parse; `parseError` then says why. */
  ast: DocumentNode | null;
  parseError: GraphQLError | null;
}

export interface CollectOptions {
  /** Folders to search, relative to the repository root. */
  dirs?: readonly string[];
  /** Keeps a file (path from the root, forward slashes) when true. */
  include?: (file: string) => boolean;
}

/**
 * The app's own source, as codegen.ts declares it: app/**\/*.{ts,tsx} without generated code
 * (Prisma's client, codegen's output) and without tests. Kept as a predicate rather than a glob
 * so that no glob library outside package.json is needed; tests/shopify/codegen.test.ts checks
 * that codegen and this collector see the same operations.
 */
export function isAppSourceFile(file: string): boolean {
  return (
    /\.(ts|tsx)$/.test(file) &&
    !file.endsWith(".d.ts") &&
    !/\.(test|spec)\.(ts|tsx)$/.test(file) &&
    !file.startsWith("app/generated/") &&
    !file.startsWith("app/types/")
  );
}

export function listSourceFiles(options: CollectOptions = {}): string[] {
  const dirs = options.dirs ?? ["app"];
  const include = options.include ?? isAppSourceFile;
  const files: string[] = [];
  for (const dir of dirs) {
    const entries = readdirSync(path.join(PROJECT_ROOT, dir), {
      recursive: true,
      withFileTypes: true,
    });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path
        .relative(PROJECT_ROOT, path.join(entry.parentPath, entry.name))
        .split(path.sep)
        .join("/");
      if (file.split("/").includes("node_modules")) continue;
      if (include(file)) files.push(file);
    }
  }
  return files.sort();
}

/** Shopify's pluck appends the constant's name as a trailing comment; read it back and strip it. */
function splitVarName(body: string): { text: string; varName: string | undefined } {
  const match = /#VAR_NAME=(\w+)\s*$/.exec(body);
  if (!match) return { text: body, varName: undefined };
  return { text: body.slice(0, match.index), varName: match[1] };
}

export function collectDocuments(options: CollectOptions = {}): CollectedDocument[] {
  const documents: CollectedDocument[] = [];
  for (const file of listSourceFiles(options)) {
    const code = readFileSync(path.join(PROJECT_ROOT, file), "utf8");
    if (!code.includes("#graphql")) continue;
    const plucked = gqlPluckFromCodeStringSync(file, code, pluckConfig);
    plucked.forEach((found, index) => {
      const { text, varName } = splitVarName(found.body);
      const line = found.locationOffset.line;
      const source = new Source(text, file, found.locationOffset);
      let ast: DocumentNode | null = null;
      let parseError: GraphQLError | null = null;
      try {
        ast = parse(source);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        parseError = error;
      }
      documents.push({
        file,
        name: varName ?? `<anonymous #${index + 1}>`,
        line,
        source: text,
        ast,
        parseError,
      });
    });
  }
  return documents;
}

/** A document written in a test, collected as if it stood in the app's source. */
export function inlineDocument(name: string, text: string): CollectedDocument {
  return {
    file: "inline",
    name,
    line: 1,
    source: text,
    ast: parse(new Source(text, name)),
    parseError: null,
  };
}

/** The executor's documents as the app sends them: its fulfillment-order writes, capture, read. */
export const EXECUTOR_DOCUMENTS: ReadonlySet<string> = new Set([
  "FULFILLMENT_CREATE_MUTATION",
  "FULFILLMENT_ORDER_HOLD_MUTATION",
  "FULFILLMENT_ORDER_MOVE_MUTATION",
  "FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION",
  "FULFILLMENT_ORDER_SPLIT_MUTATION",
  "ORDER_CAPTURE_MUTATION",
  "ORDER_SNAPSHOT_QUERY",
  "ORDER_SNAPSHOT_ORDER_FRAGMENT",
  "ORDER_SNAPSHOT_LINE_FRAGMENT",
  "ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT",
  "SHOP_LOCATION_FRAGMENT",
  "CHANGED_FULFILLMENT_ORDER_FRAGMENT",
]);

export interface UnpluckedTemplates {
  file: string;
  templates: number;
  plucked: number;
}

/**
 * Files where a template literal opens with `#graphql` but codegen's pluck found fewer documents.
 * Shopify's pluck only recognises `#graphql` followed by a line break, so a one-line
 * `\`#graphql query X {...}\`` is silently left out of codegen and of every check here.
 */
export function findUnpluckedTemplates(options: CollectOptions = {}): UnpluckedTemplates[] {
  const missed: UnpluckedTemplates[] = [];
  for (const file of listSourceFiles(options)) {
    const code = readFileSync(path.join(PROJECT_ROOT, file), "utf8");
    // `#graphql` in backticks inside a comment closes at once and is not a template.
    const templates = code.match(/`\s*#graphql(?!`)/g)?.length ?? 0;
    if (templates === 0) continue;
    const plucked = gqlPluckFromCodeStringSync(file, code, pluckConfig).length;
    if (plucked < templates) missed.push({ file, templates, plucked });
  }
  return missed;
}
