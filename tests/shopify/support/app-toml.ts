// Reads the parts of shopify.app.toml the scope test needs: declared access scopes and webhook subscriptions.
import { existsSync, readFileSync } from "node:fs";
import { fromRoot } from "./paths";

export interface WebhookSubscription {
  topics: string[];
  complianceTopics: string[];
  uri: string | undefined;
  /** Line of the `[[webhooks.subscriptions]]` header, for messages. */
  line: number;
}

export interface AppToml {
  file: string;
  scopes: string[];
  subscriptions: WebhookSubscription[];
}

export const APP_TOML = "shopify.app.toml";

/** Drops a `#` comment that is not inside a string. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quote) {
      if (char === "\\" && quote === '"') i += 1;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === "#") return line.slice(0, i);
  }
  return line;
}

function parseStrings(value: string, where: string): string[] {
  const strings = [...value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((match) =>
    match[2] !== undefined ? match[2] : (JSON.parse(`"${match[1] ?? ""}"`) as string),
  );
  const leftover = value.replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, "").replace(/[[\],\s]/g, "");
  if (leftover.length > 0)
    throw new Error(`${where}: expected a string or an array of strings, got ${value.trim()}`);
  return strings;
}

/**
 * Not a general TOML parser: enough of TOML for the keys Shopify's app configuration uses here
 * (strings, arrays of strings, tables and arrays of tables), so the test needs no new dependency.
 * Anything it cannot read under the keys it needs is an error, never a silent skip.
 */
export function parseAppToml(text: string, file: string): AppToml {
  let table = "";
  let scopes: string[] | undefined;
  const subscriptions: WebhookSubscription[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    let line = stripComment(lines[index] ?? "").trim();
    if (line === "") continue;
    const header = /^(\[\[?)\s*([\w.-]+)\s*\]\]?$/.exec(line);
    if (header) {
      table = header[2] ?? "";
      if (header[1] === "[[" && table === "webhooks.subscriptions") {
        subscriptions.push({ topics: [], complianceTopics: [], uri: undefined, line: lineNumber });
      }
      continue;
    }
    const assignment = /^([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (!assignment) throw new Error(`${file}:${lineNumber}: cannot read "${line}"`);
    const key = assignment[1] ?? "";
    let value = assignment[2] ?? "";
    // Arrays may span lines; gather them before reading.
    while (
      value.trimStart().startsWith("[") &&
      (value.match(/\[/g)?.length ?? 0) > (value.match(/\]/g)?.length ?? 0)
    ) {
      index += 1;
      if (index >= lines.length)
        throw new Error(`${file}:${lineNumber}: unterminated array for ${key}`);
      line = stripComment(lines[index] ?? "").trim();
      value += ` ${line}`;
    }
    const where = `${file}:${lineNumber} ${table ? `[${table}] ` : ""}${key}`;
    const subscription = subscriptions.at(-1);
    if (table === "access_scopes" && key === "scopes") {
      const [list] = parseStrings(value, where);
      scopes = (list ?? "")
        .split(",")
        .map((scope) => scope.trim())
        .filter((scope) => scope.length > 0);
    } else if (table === "webhooks.subscriptions" && subscription) {
      if (key === "topics") subscription.topics.push(...parseStrings(value, where));
      if (key === "compliance_topics")
        subscription.complianceTopics.push(...parseStrings(value, where));
      if (key === "uri") subscription.uri = parseStrings(value, where)[0];
    }
  }
  if (scopes === undefined) {
    throw new Error(
      `${file}: no [access_scopes] scopes = "..." line; the scope test needs the declared scopes`,
    );
  }
  return { file, scopes, subscriptions };
}

export function readAppToml(file: string = APP_TOML): AppToml {
  const absolute = fromRoot(file);
  if (!existsSync(absolute)) {
    throw new Error(
      `${file} is missing at the repository root. It declares the app's access scopes ([access_scopes] scopes = "...") ` +
        `and webhook subscriptions; the scope test checks them against every GraphQL document the app sends.`,
    );
  }
  return parseAppToml(readFileSync(absolute, "utf8"), file);
}
