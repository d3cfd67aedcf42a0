// A stand-in for the admin extension API, for tests and the demo's preview page (no Shopify admin
// here): the documented surface the app's extensions use — extension.target, data.selected,
// auth.idToken(), i18n.translate() with {{placeholders}} and count plurals, close() — and nothing else.

export interface FakeAdminApiOptions {
  target: string;
  /** GIDs of the resources the page shows or the merchant selected. */
  selected: string[];
  /** The extension's locales/en.default.json (or another language's file). */
  messages: Record<string, unknown>;
  locale?: string;
  /** A session token for the app, as admin mints it. */
  idToken: () => Promise<string | null>;
  onClose?: () => void;
}

function lookup(messages: Record<string, unknown>, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>(
      (node, part) =>
        node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined,
      messages,
    );
}

export function createFakeAdminApi(options: FakeAdminApiOptions) {
  const locale = options.locale ?? "en";
  const translate = (key: string, replacements: Record<string, unknown> = {}): string => {
    let value = lookup(options.messages, key);
    if (value && typeof value === "object" && typeof replacements.count === "number") {
      const form = new Intl.PluralRules(locale).select(replacements.count);
      value = (value as Record<string, unknown>)[form] ?? (value as Record<string, unknown>).other;
    }
    if (typeof value !== "string") return key;
    return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) =>
      String(replacements[name] ?? ""),
    );
  };
  return {
    extension: { target: options.target },
    data: { selected: options.selected.map((id) => ({ id })) },
    auth: { idToken: options.idToken },
    i18n: {
      translate,
      formatNumber: (n: number) => new Intl.NumberFormat(locale).format(n),
      formatDate: (d: Date) => new Intl.DateTimeFormat(locale).format(d),
    },
    close: () => options.onClose?.(),
  };
}
