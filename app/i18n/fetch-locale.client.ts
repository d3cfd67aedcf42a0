// Makes the app's own requests carry the merchant's locale, so loaders and actions after the first
// page answer in the same language (Shopify admin passes `locale` only on the first load).
import { LOCALE_HEADER, type Locale } from "./locale";

export function sendLocaleWithFetches(locale: Locale): void {
  const original = window.fetch;
  window.fetch = (input, init) => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      window.location.href,
    );
    if (url.origin !== window.location.origin) return original(input, init);
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    if (!headers.has(LOCALE_HEADER)) headers.set(LOCALE_HEADER, locale);
    return original(input, { ...init, headers });
  };
}
