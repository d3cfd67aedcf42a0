// What integration suites share, so a test file states only its story: every table emptied
// between tests, the shop simulator started once per file (with the app's webhook endpoint when
// the suite needs deliveries) and put back to the seeded shop before each test, and a fresh
// database per test for suites that want one.
import type { Server } from "node:http";
import { Prisma } from "@prisma/client";
import type { SqlQuery } from "@prisma/driver-adapter-utils";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { driverAdapter, type Db } from "~/db/client.server";
import type { WorkerDeps } from "~/fulfilment/worker.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { englishTranslator } from "~/i18n/i18next.server";
import { readWords, renderWords, type StoredWords } from "~/i18n/words";
import { ruleToStored, type Rule } from "~/routing";
import { createTestDatabase } from "../setup/db";
import { clearPgBossJobs } from "./queue";
import { startShopSimulator, type SimulatorHandle } from "./shop-simulator";
import type { WebhookEndpoint } from "./webhook-endpoint";

/** The Prisma delegate name of each model ("FulfillmentOrderRecord" → "fulfillmentOrderRecord"). */
const TABLES = Object.values(Prisma.ModelName).map(
  (model) => `${model[0]!.toLowerCase()}${model.slice(1)}` as Uncapitalize<Prisma.ModelName>,
);

/**
 * Deletes every row of every table of the app's model (a new model is emptied without anyone
 * remembering to list it), and pg-boss's jobs on PostgreSQL. Every relation cascades, so the
 * order of deletion does not matter.
 */
export async function emptyTables(db: Db): Promise<void> {
  for (const table of TABLES)
    await (db[table] as unknown as { deleteMany(): Promise<unknown> }).deleteMany();
  await clearPgBossJobs(db);
}

/** A stand-in for a value made in a hook: reads go to the value of the moment. */
function late<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_, property) {
      const value = current();
      if (!value) throw new Error(`${what} is not started yet: use it inside a test or a hook`);
      const field = Reflect.get(value, property, value) as unknown;
      return typeof field === "function" ? (field as () => unknown).bind(value) : field;
    },
    set(_, property, next) {
      const value = current();
      if (!value) throw new Error(`${what} is not started yet`);
      return Reflect.set(value, property, next);
    },
  });
}

export interface ShopSimulatorOptions {
  /** Start the app's webhook endpoint (production's intake into the inbox) for the simulator to deliver to. */
  webhooks?: boolean;
  /** Deliver webhooks to this address instead (a suite's own server, started in an earlier hook). */
  appUrl?: string | (() => string);
  /**
   * Put the seeded shop back before each test (stock, orders, a new access token). Default true;
   * suites whose tests each make their own orders may keep the shop between tests.
   */
  reset?: boolean;
}

/**
 * The shop simulator for this test file: started before the first test, stopped after the last;
 * before each test its faults go back to the webhook default (reordered, delayed deliveries) and,
 * unless told otherwise, the shop to its seed.
 */
export function withShopSimulator(options: ShopSimulatorOptions = {}): SimulatorHandle {
  let sim: SimulatorHandle | undefined;
  let endpoint: Server | undefined;
  beforeAll(async () => {
    let appUrl = typeof options.appUrl === "function" ? options.appUrl() : options.appUrl;
    if (options.webhooks) {
      // Imported here: the intake loads the app, which reads its environment once, and suites
      // that set it up after starting the simulator import this module first.
      const { startWebhookEndpoint } = await import("./webhook-endpoint");
      const started = await startWebhookEndpoint();
      endpoint = started.server;
      appUrl = started.url;
    }
    sim = await startShopSimulator({ appUrl });
  });
  afterAll(async () => {
    await sim?.stop();
    if (endpoint) await new Promise((resolve) => endpoint!.close(resolve));
  });
  beforeEach(async () => {
    if (options.reset !== false) await sim!.reset();
    // Shopify promises neither order nor promptness: deliveries are reordered and delayed.
    await sim!.resetFaults();
  });
  return late("The shop simulator", () => sim);
}

/**
 * The app's webhook endpoint for this test file, started before the simulator that delivers to it
 * (`withShopSimulator({ appUrl: () => door.url })`), whose deliveries of chosen topics can be held
 * back and let in later: which of an event's webhooks reaches the app first is up to the test.
 */
export function withWebhookDoor(): WebhookEndpoint {
  let door: WebhookEndpoint | undefined;
  beforeAll(async () => {
    const { startWebhookEndpoint } = await import("./webhook-endpoint");
    door = await startWebhookEndpoint();
  });
  afterAll(async () => {
    if (door) await new Promise((resolve) => door!.server.close(resolve));
  });
  beforeEach(() => {
    door?.reset();
  });
  return late("The webhook endpoint", () => door);
}

/** A database of its own for each test (a copy of the migrated template), removed after it. */
export function withFreshDatabase(): Db {
  let db: Db | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    ({ db, cleanup } = await createTestDatabase());
  });
  afterEach(async () => {
    await cleanup?.();
    db = undefined;
  });
  return late("The test database", () => db);
}

/**
 * What a merchant with an English admin reads for a service's answer: Words (or a stored column
 * holding them as JSON) rendered from the catalogue, as the screens render them.
 */
export async function inEnglish(said: StoredWords | string | null): Promise<string> {
  if (said === null) return "";
  const words = typeof said === "string" ? readWords(said) : said;
  return renderWords(await englishTranslator(), words);
}

/** Saves a rule for a shop as the rules screen would, with the editor's defaults for what is left out. */
export async function saveRule(
  db: Db,
  shop: string,
  rule: Partial<Rule> & Pick<Rule, "name" | "conditions" | "actions">,
): Promise<void> {
  const full: Rule = {
    id: `rule-${rule.name}`,
    enabled: true,
    position: 0,
    match: "all",
    lines: "any",
    keepChecking: false,
    ...rule,
  };
  await db.rule.create({ data: { ...ruleToStored(full), shop } });
}

export interface WorkerOnSimulator {
  /**
   * The worker's dependencies on the app's database, with a queue stopped after the file, talking
   * to Shopify through `gateway` (the simulator's by default).
   */
  deps(gateway?: AdminGateway): Promise<WorkerDeps>;
  /**
   * Runs the worker until the simulator's webhooks are in and handled: the inbox, then the jobs
   * they made. `without`: a topic whose deliveries are thrown away before the worker sees them.
   */
  settle(deps: WorkerDeps, options?: { without?: string }): Promise<void>;
}

/**
 * The worker as production runs it, for suites whose simulator delivers to the app's webhook
 * endpoint (`withShopSimulator({ webhooks: true })`): the same database, the same queues.
 */
export function withWorker(sim: SimulatorHandle, db: Db): WorkerOnSimulator {
  const queues: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.stop()));
  });
  return {
    async deps(gateway = sim.gateway) {
      // Imported here, like the webhook endpoint: the worker loads the app and its environment.
      const { createJobQueue } = await import("~/jobs/job-queue.server");
      const queue = createJobQueue(db, process.env.DATABASE_URL!);
      queues.push(queue);
      // The app's URL as the simulator knows it: shop-specific subscriptions are addressed under it.
      return {
        db,
        queue,
        gatewayFor: async () => gateway,
        now: () => new Date(),
        appUrl: sim.appUrl,
      };
    },
    async settle(deps, options = {}) {
      const worker = await import("~/fulfilment/worker.server");
      await sim.webhooksDelivered();
      if (options.without)
        await db.webhookDelivery.deleteMany({ where: { topic: options.without } });
      while ((await worker.processInbox(deps)) > 0);
      await deps.queue.drain(worker.QUEUES.extraCharge, (job) =>
        worker.handleExtraCharge(deps, job),
      );
      await deps.queue.drain(worker.QUEUES.routeOrder, (job) => worker.handleRouteOrder(deps, job));
    },
  };
}

/** The statements Prisma sends through `db` while `run` runs, caught at its driver adapter. */
export async function statementsDuring(db: Db, run: () => Promise<unknown>): Promise<SqlQuery[]> {
  const adapter = await driverAdapter(db);
  const sent: SqlQuery[] = [];
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.queryRaw = (query) => {
    sent.push(query);
    return queryRaw(query);
  };
  adapter.executeRaw = (query) => {
    sent.push(query);
    return executeRaw(query);
  };
  try {
    await run();
  } finally {
    adapter.queryRaw = queryRaw;
    adapter.executeRaw = executeRaw;
  }
  return sent;
}
