// How the admin extensions reach the app's backend: fetch to the app with the extension's session
// token as a Bearer token (the token comes from the admin extension API's `auth.idToken()`).
// Admin resolves a path like "/api/…" against the app's URL; the request is cross-origin, so the
// app answers with CORS headers.

export interface AppAnswer<T> {
  ok: boolean;
  status: number;
  data: T;
}

export interface SessionTokenSource {
  auth: { idToken: () => Promise<string | null> };
}

export async function appFetch<T>(
  api: SessionTokenSource,
  path: string,
  init: { method?: "GET" | "POST"; body?: unknown } = {},
): Promise<AppAnswer<T>> {
  const token = await api.auth.idToken();
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const data = (await response.json().catch(() => ({}))) as T;
  return { ok: response.ok, status: response.status, data };
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
