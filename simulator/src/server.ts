// Assembles one simulated Shopify: state, auth (mounted from ./auth), the Admin GraphQL API, webhooks and the control API, as a Hono app that tests can start in-process on port 0.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { readAppConfig, type Subscription } from "./app-config.ts";
import { createAccessTokenStore, authRoutes, type AccessTokenStore } from "./auth/index.ts";
import { AdjustableClock, type Clock, realClock, seededRandom } from "./clock.ts";
import { controlRoutes } from "./control.ts";
import { readFlowExtensions } from "./flow/triggers.ts";
import { Faults } from "./faults.ts";
import { adminApiRoutes, type Caller } from "./graphql/admin-api.ts";
import type { LeakyBucket } from "./graphql/cost.ts";
import { seedDemoShop, DEMO_SHOP } from "./seed/demo.ts";
import { FILES_PATH, readShopFile } from "./shop/files.ts";
import type { Plan, Shop } from "./shop/model.ts";
import { DEFAULT_READINGS, ROUTER_APP_KEY, SimState } from "./shop/state.ts";
import { Stats } from "./stats.ts";
import { WebhookDispatcher } from "./webhooks/dispatcher.ts";
import { deliveredSubscriptions } from "./webhooks/shop-subscriptions.ts";

export interface SimulatorOptions {
  /** The app's client id and secret (SHOPIFY_API_KEY / SHOPIFY_API_SECRET): tokens and webhook HMAC use them. */
  apiKey?: string;
  apiSecret?: string;
  /**
   * Where the app is served (APP_URL); webhook subscription paths are joined to it. Can be set
   * later (`setAppUrl`), before anything is sent to the app.
   */
  appUrl?: string;
  /** Access scopes granted on install; default: shopify.app.toml's [access_scopes]. */
  scopes?: string;
  /** The app's shopify.app.toml (webhook subscriptions and scopes are read from it). */
  appConfigPath?: string;
  /** The app's extensions/ folder: its flow_trigger extensions are what flowTriggerReceive accepts. */
  extensionsDir?: string;
  /** Overrides the toml's subscriptions (tests). */
  subscriptions?: Subscription[];
  /** "demo" (default): the demo shop with catalogue and orders; "empty": no shops. */
  seed?: "demo" | "empty";
  /** Directory for persisted tokens (SIM_STATE_DIR); in memory when absent. */
  stateDir?: string;
  clock?: Clock;
  /** Seed of the fault-injection dice. */
  randomSeed?: number;
  /** Multiplies webhook retry backoff and delays (SIM_TIME_SCALE): 0.001 makes 4 hours of retries 15 s. */
  timeScale?: number;
  /** Per-delivery timeout (default 5000 ms, Shopify's total timeout). */
  webhookTimeoutMs?: number;
  log?: (line: string) => void;
  /**
   * The origin the simulator is reached at (SIM_HOST:SIM_PORT): the demo orders' uploaded photos and
   * print files are links to its `/cdn/shop/files/`. Default: the origin `start()` listens on.
   */
  publicUrl?: string;
}

export interface Simulator {
  app: Hono;
  state: SimState;
  /** The simulator's time line; POST /_sim/clock moves it forward. */
  clock: AdjustableClock;
  tokens: AccessTokenStore;
  faults: Faults;
  stats: Stats;
  webhooks: WebhookDispatcher;
  subscriptions: Subscription[];
  options: Required<Pick<SimulatorOptions, "apiKey" | "apiSecret" | "appUrl" | "scopes">>;
  bucketFor(shop: string, appKey?: string): LeakyBucket;
  /**
   * A non-expiring offline Admin API token for our app on this shop (tests and outside checks), of
   * an installation that granted `scopes` (comma-separated; the app's declared scopes when absent).
   */
  mintToken(shop: string, scopes?: string): string;
  /** A token acting as the fulfilment service app that owns `handle` (to call its side of the API). */
  mintServiceToken(shop: string, handle: string): string;
  addShop(domain: string, plan: Plan, seed: "demo" | "empty"): Shop;
  /**
   * Where the app is served from now on, as a new app version's application_url would say: for a
   * harness whose app takes its port only as it starts, after the simulator it is told about.
   * Deliveries already made keep the address they were made for.
   */
  setAppUrl(url: string): void;
  reset(seed: "demo" | "empty"): void;
  start(
    port?: number,
    hostname?: string,
  ): Promise<{ url: string; port: number; stop(): Promise<void> }>;
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  // Session and access tokens keep the base clock: the app's clock doesn't move with the simulator's.
  const wallClock = options.clock ?? realClock;
  const clock = new AdjustableClock(wallClock);
  const config = readAppConfig(options.appConfigPath);
  const opts = {
    apiKey: options.apiKey ?? "sim-api-key",
    apiSecret: options.apiSecret ?? "sim-api-secret",
    appUrl: options.appUrl ?? "http://localhost:3000",
    scopes: options.scopes ?? config.scopes,
  };
  const subscriptions = options.subscriptions ?? config.subscriptions;
  // Known once listening when not given; the demo seed made before that links to the default port.
  let origin = options.publicUrl ?? "http://127.0.0.1:8787";
  const state = new SimState(clock, { apiKey: opts.apiKey });
  const flow = readFlowExtensions(options.extensionsDir);
  state.flow.triggers.push(...flow.triggers);
  state.flow.actions.push(...flow.actions);
  state.flow.lifecycle.push(...flow.lifecycle);
  const faults = new Faults(seededRandom(options.randomSeed ?? 42));
  const stats = new Stats();
  const tokens = createAccessTokenStore({
    file: options.stateDir ? join(options.stateDir, "tokens.json") : undefined,
    now: () => wallClock.now(),
  });
  // Tokens for fulfilment service apps: they are not our app, so they don't go through token exchange.
  const serviceTokens = new Map<string, Caller>();
  const grantedScopes = new Map<string, string>();
  const webhooks = new WebhookDispatcher({
    state,
    clock,
    faults,
    stats,
    apiSecret: opts.apiSecret,
    // Read at each delivery: setAppUrl may change it after the dispatcher was made.
    get appUrl() {
      return opts.appUrl;
    },
    subscriptions: () => subscriptions,
    shopSubscriptions: (shop) => deliveredSubscriptions(state.shop(shop), ROUTER_APP_KEY),
    // The scopes of the installation's newest token: the declared ones unless a token was minted
    // for fewer (POST /_sim/tokens with scopes), as a shop that has not approved one yet.
    grantedScopes: (shop) => grantedScopes.get(shop) ?? opts.scopes,
    timeScale: options.timeScale,
    timeoutMs: options.webhookTimeoutMs,
    log: options.log,
  });
  state.onEvent((e) => webhooks.handle(e));

  const authenticate = (token: string): Caller | undefined => {
    const service = serviceTokens.get(token);
    if (service) return service;
    const record = tokens.lookup(token);
    return record
      ? { shop: record.shop, appKey: ROUTER_APP_KEY, scopes: record.scope.split(",") }
      : undefined;
  };
  const admin = adminApiRoutes({ state, faults, stats, authenticate });

  const app = new Hono();
  const sim: Simulator = {
    app,
    state,
    clock,
    tokens,
    faults,
    stats,
    webhooks,
    subscriptions,
    options: opts,
    bucketFor: admin.bucketFor,
    mintToken: (shop, scopes = opts.scopes) => {
      grantedScopes.set(shop, scopes);
      return tokens.issue(shop, "offline", scopes).accessToken;
    },
    mintServiceToken(shop, handle) {
      const token = `shpat_svc_${randomBytes(16).toString("hex")}`;
      serviceTokens.set(token, { shop, appKey: state.serviceApp(handle).key });
      return token;
    },
    setAppUrl(url) {
      opts.appUrl = url;
    },
    addShop(domain, plan, seed) {
      state.shops.delete(domain);
      if (seed === "demo") return seedDemoShop(state, { domain, plan, orders: false, origin });
      const shop = state.silently(() => state.createShop({ domain, plan }));
      return shop;
    },
    reset(seed) {
      webhooks.clear();
      grantedScopes.clear();
      faults.reset();
      stats.reset();
      admin.resetBuckets();
      state.readings = { ...DEFAULT_READINGS };
      state.clear();
      clock.reset();
      if (seed === "demo") seedDemoShop(state, { domain: DEMO_SHOP, origin });
    },
    async start(port = 0, hostname = "127.0.0.1") {
      return new Promise((resolve) => {
        const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
          const url = `http://${hostname}:${info.port}`;
          if (!options.publicUrl) origin = url;
          resolve({
            url,
            port: info.port,
            stop: () =>
              new Promise<void>((done) => {
                webhooks.clear();
                webhooks.close();
                // Idle keep-alive sockets would hold close() open.
                (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
                server.close(() => done());
              }),
          });
        });
        // Never close an idle keep-alive socket from this side: a client (the app's Admin calls,
        // a test's control calls, in the same busy process) can write its next request onto a
        // socket in the instant the server's idle timer closes it, and read ECONNRESET. Clients
        // still close idle sockets themselves (undici after 4 s); stop() closes the rest.
        (server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = 0;
      });
    },
  };

  app.get("/", (c) =>
    c.json({
      simulator: "Fulfilment Router shop simulator",
      adminApi: "/admin/api/2026-10/graphql.json",
      control: "/_sim",
      shops: [...state.shops.keys()],
    }),
  );
  app.get("/health", (c) => c.json({ ok: true }));
  app.get(`${FILES_PATH}:name`, (c) => {
    const file = readShopFile(c.req.param("name"));
    if (!file) return c.text("Not Found", 404);
    return c.body(new Uint8Array(file.body), 200, {
      "Content-Type": file.type,
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  });
  app.route("/", controlRoutes(sim));
  app.route("/", admin.routes);
  app.route(
    "/",
    authRoutes({
      apiKey: opts.apiKey,
      apiSecret: opts.apiSecret,
      tokens,
      isInstalled: (shop) => state.shop(shop)?.installed ?? false,
      scopes: opts.scopes,
      // Read at each request (setAppUrl).
      get appUrl() {
        return opts.appUrl;
      },
      now: () => wallClock.now(),
    }),
  );

  if ((options.seed ?? "demo") === "demo") seedDemoShop(state, { domain: DEMO_SHOP, origin });
  return sim;
}
