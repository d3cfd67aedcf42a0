// How the admin extensions reach the app's backend: fetch to the app with the extension's session
// token as a Bearer token (the token comes from the admin extension API's `auth.idToken()`).
// Admin resolves a path like "/api/…" against the app's URL; the request is cross-origin, so the
// app answers with CORS headers. Each request names the language the extension speaks, so the
// app's answers (refusals, what a click did, warnings) come in the same language.

export interface AppAnswer<T> {
  ok: boolean;
  status: number;
  data: T;
}

/** The parts of the admin extension API a request to the app uses. */
export interface AppApiSource {
  auth: { idToken: () => Promise<string | null> };
  i18n: { translate: (key: string) => string };
}

/**
 * The language of the locale file admin chose for the extension (its `locale` key): admin picks
 * the file matching the merchant's language, else en.default.json. The admin API names no locale
 * of its own, and the app should answer in the language of the extension's own strings.
 */
export function extensionLocale(api: AppApiSource): string | null {
  const locale = api.i18n.translate("locale");
  return locale && locale !== "locale" ? locale : null;
}

export async function appFetch<T>(
  api: AppApiSource,
  path: string,
  init: { method?: "GET" | "POST"; body?: unknown } = {},
): Promise<AppAnswer<T>> {
  const token = await api.auth.idToken();
  const locale = extensionLocale(api);
  // `locale` is the parameter the app reads the language from, as when admin loads the app.
  const url = locale
    ? `${path}${path.includes("?") ? "&" : "?"}locale=${encodeURIComponent(locale)}`
    : path;
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    // The app was not reached (network, the app down): an answer like any refusal, so each
    // caller says so in the merchant's words and a poll carries on, instead of a rejection
    // nothing catches.
    return { ok: false, status: UNREACHED, data: {} as T };
  }
  const data = (await response.json().catch(() => ({}))) as T;
  return { ok: response.ok, status: response.status, data };
}

/** The status of an answer that never came: fetch itself failed. */
export const UNREACHED = 0;

/** What the merchant reads when the app refused without words of its own, or was not reached. */
export function failedText(
  translate: (key: string, options: { status: number }) => string,
  status: number,
): string {
  return translate(status === UNREACHED ? "unreachable" : "failed", { status });
}

/** The number at the end of a GID ("gid://shopify/Order/1001" → "1001"). */
export function gidTail(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

/** The first message of a 422's field errors, or the error line of another refusal. */
export function refusalMessage(data: unknown, fallback: string): string {
  const body = data as { errors?: Record<string, string>; error?: string; message?: string };
  return Object.values(body.errors ?? {})[0] ?? body.error ?? body.message ?? fallback;
}
