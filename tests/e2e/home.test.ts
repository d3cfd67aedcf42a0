// A merchant opens the app from Shopify admin (played by the simulator) and sees the home page:
// the app's real embedded authentication, token exchange and App Bridge, in Debian's Chromium.
import { DESKTOP_CHROME_UA, usesStandIn } from "./support/browser.ts";
import {
  appTest as test,
  expect,
  keepScreenshot,
  openApp,
  waitForScreen,
} from "./support/harness.ts";
import { english } from "./support/catalogue.ts";
import { openBeforeReact, reactStarted } from "./support/early-tap.ts";
import { resizeWhileHydrating } from "./support/resize-while-hydrating.ts";
import { hostParam } from "../../simulator/src/auth/index.ts";

/** The claims of a session token, unverified: only to see which shop a request spoke for. */
function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

test.describe("home page, entered through Shopify's embedded authentication", () => {
  test("renders what a merchant sees, stores the shop's session by token exchange, and authenticates data requests", async ({
    stack,
    db,
    page: tab,
  }) => {
    // GIVEN a shop with the app installed and no session stored yet
    expect(await db.session.count()).toBe(0);

    // WHEN the merchant opens the app from admin
    const response = await tab.goto(stack.openUrl("/app"));

    // THEN the app's home page renders, with the Polaris content of app._index.tsx
    expect(response?.status()).toBe(200);
    expect(new URL(tab.url()).pathname).toBe("/app");
    await expect
      .poll(() => tab.getByRole("heading", { name: english("app.name"), level: 1 }).isVisible())
      .toBe(true);
    for (const label of [
      english("home.stat.decisionsToday"),
      english("home.stat.needsAttention"),
      english("home.stat.activeRules"),
      english("home.defaults.title"),
    ]) {
      expect(await tab.getByRole("heading", { name: label }).isVisible(), label).toBe(true);
    }
    expect(
      await tab.getByText(english("home.defaults.connected", { shop: stack.shop })).isVisible(),
    ).toBe(true);
    expect(await tab.getByText(english("home.defaults.manual")).isVisible()).toBe(true);
    // Polaris styles applied: the stylesheet loaded and the cards are laid out as Polaris cards.
    expect(await tab.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain("Inter");
    // App Bridge (the simulator's stand-in) ran before hydration and drew the nav menu.
    expect(await usesStandIn(tab)).toBe(true);
    expect(
      await tab
        .locator("ui-nav-menu")
        .getByRole("link", { name: english("nav.home") })
        .isVisible(),
    ).toBe(true);

    // AND the shop's offline session was stored from a token the simulator issued by token exchange
    const session = await db.session.findUnique({ where: { id: `offline_${stack.shop}` } });
    expect(session).toMatchObject({ shop: stack.shop, isOnline: false });
    expect(stack.simulator.tokens.shopFor(session?.accessToken ?? "")).toBe(stack.shop);
    // expiringOfflineAccessTokens: an hour-long token with its refresh token.
    expect(session?.refreshToken).toMatch(/^shprt_/);
    expect(session?.expires?.getTime()).toBeGreaterThan(Date.now() + 55 * 60 * 1000);
    // afterAuth registered the shop.
    expect(await db.shop.findUnique({ where: { shop: stack.shop } })).not.toBeNull();

    // WHEN the merchant uses the nav menu: a client-side navigation whose loader data is fetched
    const dataResponse = tab.waitForResponse((r) => new URL(r.url()).pathname === "/app.data");
    await tab
      .locator("ui-nav-menu")
      .getByRole("link", { name: english("nav.home") })
      .click();
    const data = await dataResponse;

    // THEN the data request carried a fresh session token for the shop and passed
    const authorization = (await data.request().allHeaders())["authorization"] ?? "";
    expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(claims(authorization.slice("Bearer ".length))).toMatchObject({
      dest: `https://${stack.shop}`,
      aud: stack.apiKey,
    });
    expect(data.status()).toBe(200);
    expect(await data.text()).toContain(stack.shop);
    await expect.poll(() => new URL(tab.url()).search).toBe("");
    expect(
      await tab.getByRole("heading", { name: english("app.name"), level: 1 }).isVisible(),
    ).toBe(true);

    // AND the same holds for the app's own fetch of a loader's data
    const fetched = await tab.evaluate(async () => {
      const r = await fetch("/app.data");
      return { status: r.status, body: await r.text() };
    });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toContain("decisionsToday");

    await keepScreenshot(tab, "home");
  });

  test("a document request without a session token bounces, and App Bridge brings the merchant back in", async ({
    stack,
    page: tab,
  }) => {
    const params = new URLSearchParams({
      embedded: "1",
      shop: stack.shop,
      host: hostParam(stack.shop),
    });
    const url = `${stack.app.url}/app?${params.toString()}`;

    // WHEN /app is requested without id_token
    const raw = await fetch(url, {
      redirect: "manual",
      headers: { "User-Agent": DESKTOP_CHROME_UA },
    });
    // THEN the app answers with a redirect to its bounce page, not an error
    expect(raw.status).toBe(302);
    const bounce = new URL(raw.headers.get("location") ?? "", stack.app.url);
    expect(bounce.pathname).toBe("/auth/session-token");
    expect(bounce.searchParams.get("shopify-reload")).toBe(
      `${stack.app.url}/app?${params.toString()}`,
    );

    // AND in the browser App Bridge reloads the page with a fresh id_token, which the app accepts
    await tab.goto(url);
    await tab.waitForURL((u) => u.pathname === "/app" && u.searchParams.has("id_token"));
    await expect
      .poll(() => tab.getByRole("heading", { name: english("app.name"), level: 1 }).isVisible())
      .toBe(true);
  });

  test("a data request whose token the app rejects is retried once with a new token", async ({
    stack,
    page: tab,
    browserErrors,
  }) => {
    await tab.goto(stack.openUrl("/app"));
    await expect
      .poll(() => tab.getByRole("heading", { name: english("app.name"), level: 1 }).isVisible())
      .toBe(true);

    // GIVEN the app rejects the first data request's token (as it does an expired one)
    const seen: string[] = [];
    await tab.route(
      (u) => u.pathname === "/app.data",
      async (route) => {
        const authorization = (await route.request().allHeaders())["authorization"] ?? "";
        seen.push(authorization);
        if (seen.length === 1) {
          await route.fulfill({
            status: 401,
            headers: { "X-Shopify-Retry-Invalid-Session-Request": "1" },
            body: "",
          });
        } else {
          await route.continue();
        }
      },
    );
    // WHEN the app fetches it
    const status = await tab.evaluate(async () => (await fetch("/app.data")).status);
    // THEN App Bridge retried once, with another token, and the retry passed
    expect(status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]);
    // Chromium logs the deliberate 401 as a failed resource; that one is expected.
    browserErrors.allow(/status of 401/);
  });
});

test.describe("a link tapped before React has started", () => {
  test("the queue's link tapped before the page's scripts ran opens the queue once React starts", async ({
    stack,
    page: tab,
  }) => {
    // GIVEN the app installed (its first visit)
    await openApp(tab, stack, "/app", english("app.name"));
    const openQueue = tab.getByRole("link", { name: english("home.now.openQueue") });
    // The page's modules wait until the merchant has tapped: React has not started.
    const release = await openBeforeReact(tab, stack.openUrl("/app"), openQueue);

    // WHEN the merchant taps Open the review queue on the server-rendered page: the browser does
    // not load it without the app's session token (it would land on the login)
    await openQueue.click();
    expect(await reactStarted(tab)).toBe(false);
    expect(new URL(tab.url()).pathname).toBe("/app");
    release();

    // THEN once React has started the tap counts: the queue opens in the app
    await tab.waitForURL((url) => url.pathname === "/app/queue", { timeout: 90_000 });
    await waitForScreen(tab, english("nav.queue"));
  });
});

test.describe("a window resized while a screen hydrates", () => {
  for (const [screen, path] of [
    ["home", "/app"],
    ["settings", "/app/settings"],
    ["the review queue", "/app/queue"],
  ] as const) {
    test(`${screen}: the cards the server drew are the ones React hydrates, none drawn again on the client`, async ({
      stack,
      newPage,
    }) => {
      // GIVEN a slow device (the CPU slowed 4x, nothing cached) with the screen half hydrated
      // WHEN the window narrows below Polaris's navigation breakpoint and widens again (a phone
      // turned, admin's frame resized, a full-page screenshot)
      const resized = await resizeWhileHydrating(newPage, stack.openUrl(path));

      // THEN every card (and the nav menu) is still the element the server drew, now hydrated:
      // one React threw away is drawn anew and loses what was typed in it, and React reports it
      // (error 421), which fails the test as well
      expect(resized.landedWhileHydrating, "a resize came while the screen hydrated").toBe(true);
      expect(resized.boundaries).toBeGreaterThan(1);
      expect(resized).toMatchObject({ drawnAgain: 0, neverHydrated: 0 });
    });
  }
});
