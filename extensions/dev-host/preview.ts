// Runs one UI extension in a plain browser page as Shopify admin would host it, for the demo's
// preview (no admin here): the admin extension API stand-in as the `shopify` global, session
// tokens the shop simulator signs as Shopify does, "/…" fetches resolved against the app's URL
// (admin resolves them against the app's application_url), and `app:` links opened in the app.
import { createFakeAdminApi } from "./admin-api";

/** What the preview server writes into the page (scripts/extensions-preview.ts). */
export interface PreviewConfig {
  target: string;
  selected: string[];
  locale: string;
  appUrl: string;
  simulatorUrl: string;
  shop: string;
}

export function mountPreview(
  render: () => Promise<void> | void,
  locales: Record<string, Record<string, unknown>>,
): void {
  const element = document.getElementById("preview-config");
  const config = JSON.parse(element?.textContent ?? "{}") as PreviewConfig;
  element?.remove();
  const nativeFetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    nativeFetch(
      typeof input === "string" && input.startsWith("/") ? `${config.appUrl}${input}` : input,
      init,
    );
  const shopify = createFakeAdminApi({
    target: config.target,
    selected: config.selected,
    locale: config.locale,
    messages: locales[config.locale] ?? locales.en ?? {},
    idToken: async () => {
      const answer = await nativeFetch(
        `${config.simulatorUrl}/_sim/session-token?shop=${encodeURIComponent(config.shop)}`,
      );
      if (!answer.ok) return null;
      return ((await answer.json()) as { token: string }).token;
    },
    // Admin closes the action's modal; here the page says so.
    onClose: () => document.documentElement.setAttribute("data-closed", "true"),
  });
  (globalThis as { shopify?: unknown }).shopify = shopify;
  // An `app:` link opens the app's page inside admin; the simulator's "open the app" link does that here.
  document.addEventListener("click", (event) => {
    const link = (event.target as Element | null)?.closest("s-link");
    const href = link?.getAttribute("href");
    if (!href?.startsWith("app:")) return;
    event.preventDefault();
    const path = encodeURIComponent(href.slice("app:".length));
    window.location.href = `${config.simulatorUrl}/_sim/open?shop=${encodeURIComponent(config.shop)}&path=${path}`;
  });
  void render();
}
