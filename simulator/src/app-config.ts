// Reads the app's shopify.app.toml the way Shopify does on deploy: webhook subscriptions (topics → uri, include_fields), access scopes, webhook API version.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const DEFAULT_APP_CONFIG = fileURLToPath(new URL("../../shopify.app.toml", import.meta.url));

export interface Subscription {
  topic: string;
  /** Absolute URL, or a path joined to the app URL (as Shopify joins it to application_url). */
  uri: string;
  /** `include_fields`: only these fields are sent (a nested one by its path, "variants.price"). */
  includeFields?: string[];
}

export interface AppConfig {
  subscriptions: Subscription[];
  scopes: string;
  webhookApiVersion: string | null;
  applicationUrl: string | null;
}

type Value = string | number | boolean | Value[];

/** The small part of TOML that shopify.app.toml uses: tables, arrays of tables, strings, numbers, booleans and arrays. */
export function parseToml(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let current: Record<string, unknown> = root;
  const lines = text.split(/\r?\n/);
  const tableAt = (path: string[], arrayItem: boolean) => {
    let node: Record<string, unknown> = root;
    path.forEach((key, i) => {
      const last = i === path.length - 1;
      if (last && arrayItem) {
        const list = (node[key] ??= []) as Record<string, unknown>[];
        const item: Record<string, unknown> = {};
        list.push(item);
        node = item;
        return;
      }
      const existing = node[key];
      if (Array.isArray(existing)) node = existing[existing.length - 1] as Record<string, unknown>;
      else node = (node[key] ??= {}) as Record<string, unknown>;
    });
    return node;
  };
  for (let i = 0; i < lines.length; i++) {
    let line = stripComment(lines[i]!).trim();
    if (!line) continue;
    let m: RegExpExecArray | null;
    if ((m = /^\[\[\s*([^\]]+?)\s*\]\]$/.exec(line))) {
      current = tableAt(m[1]!.split("."), true);
      continue;
    }
    if ((m = /^\[\s*([^\]]+?)\s*\]$/.exec(line))) {
      current = tableAt(m[1]!.split("."), false);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line
      .slice(0, eq)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    let raw = line.slice(eq + 1).trim();
    // Arrays may span lines until the brackets balance.
    while (raw.startsWith("[") && depth(raw) > 0 && i + 1 < lines.length) {
      i++;
      line = stripComment(lines[i]!).trim();
      raw += ` ${line}`;
    }
    current[key] = parseValue(raw);
  }
  return root;
}

function stripComment(line: string): string {
  let inString: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === inString) inString = null;
    } else if (ch === '"' || ch === "'") inString = ch;
    else if (ch === "#") return line.slice(0, i);
  }
  return line;
}

function depth(s: string): number {
  let d = 0;
  let inString: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === inString) inString = null;
    } else if (ch === '"' || ch === "'") inString = ch;
    else if (ch === "[") d++;
    else if (ch === "]") d--;
  }
  return d;
}

function parseValue(raw: string): Value {
  if (raw.startsWith('"')) return JSON.parse(raw.slice(0, raw.lastIndexOf('"') + 1)) as string;
  if (raw.startsWith("'")) return raw.slice(1, raw.lastIndexOf("'"));
  if (raw === "true" || raw === "false") return raw === "true";
  if (raw.startsWith("[")) {
    const inner = raw.slice(1, raw.lastIndexOf("]"));
    const items: Value[] = [];
    let buf = "";
    let d = 0;
    let inString: string | null = null;
    for (let i = 0; i < inner.length; i++) {
      const ch = inner[i]!;
      if (inString) {
        buf += ch;
        if (ch === "\\") buf += inner[++i] ?? "";
        else if (ch === inString) inString = null;
        continue;
      }
      if (ch === '"' || ch === "'") inString = ch;
      if (ch === "[") d++;
      if (ch === "]") d--;
      if (ch === "," && d === 0) {
        if (buf.trim()) items.push(parseValue(buf.trim()));
        buf = "";
        continue;
      }
      buf += ch;
    }
    if (buf.trim()) items.push(parseValue(buf.trim()));
    return items;
  }
  const n = Number(raw);
  return Number.isFinite(n) ? n : raw;
}

export function readAppConfig(path = DEFAULT_APP_CONFIG): AppConfig {
  if (!existsSync(path))
    return { subscriptions: [], scopes: "", webhookApiVersion: null, applicationUrl: null };
  const toml = parseToml(readFileSync(path, "utf8"));
  const webhooks = (toml.webhooks ?? {}) as {
    api_version?: string;
    subscriptions?: {
      topics?: string[];
      compliance_topics?: string[];
      uri?: string;
      include_fields?: string[];
      filter?: string;
    }[];
  };
  const subscriptions: Subscription[] = [];
  for (const s of webhooks.subscriptions ?? []) {
    if (!s.uri) continue;
    // Shopify would send only what a filter lets through; the simulator does not evaluate
    // filters, so it refuses one rather than send deliveries Shopify would not.
    if (s.filter !== undefined)
      throw new Error(`${path}: the simulator does not apply webhook filters (${s.filter})`);
    // compliance_topics (customers/data_request, ...) are sent when a customer or Shopify asks
    // (the control API plays the customer), never by shop events.
    const topics = [...(s.topics ?? []), ...(s.compliance_topics ?? [])];
    for (const topic of topics)
      subscriptions.push({
        topic,
        uri: s.uri,
        ...(s.include_fields ? { includeFields: [...s.include_fields] } : {}),
      });
  }
  const scopes = ((toml.access_scopes ?? {}) as { scopes?: string }).scopes ?? "";
  return {
    subscriptions,
    scopes,
    webhookApiVersion: webhooks.api_version ?? null,
    applicationUrl: typeof toml.application_url === "string" ? toml.application_url : null,
  };
}
