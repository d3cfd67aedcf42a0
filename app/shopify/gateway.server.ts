// The Admin API transport: one GraphQL call at a time through graphql-request, paced under the
// shop's cost budget. Queries are retried on THROTTLED, 429, 5xx and network failures with
// backoff; mutations only on THROTTLED and 429, the answers that say nothing ran.
import { ClientError, GraphQLClient } from "graphql-request";
import { costShape, type BudgetLedger, type ThrottleStatus } from "./budget";
import { ShopifyApiError } from "./errors";
import { httpFetch } from "./http-transport.server";
import { adminGraphqlUrl } from "./origin.server";
import { logEvent } from "../utils/log.server";

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminGatewayOptions {
  shop: string;
  accessToken: string;
  /** The simulator's origin in demo and tests; unset for real shops. */
  adminOrigin?: string;
  /** The shop's bucket: this process's picture, or the database's shared by every process. */
  budgets: BudgetLedger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The HTTP under the calls: node:http with kept-alive connections (httpFetch) unless given. */
  fetch?: typeof fetch;
  maxAttempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  /** Called after every answer with its cost, for the stats and the benchmark. */
  onCost?: (operation: string, cost: CostExtension) => void;
}

export interface AdminGateway {
  readonly shop: string;
  request<TData, TVariables extends Record<string, unknown> = Record<string, unknown>>(
    document: string,
    variables?: TVariables,
  ): Promise<TData>;
}

export function operationName(document: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? "anonymous";
}

/** Whether the document's operation is a mutation (our documents hold one operation each). */
export function isMutation(document: string): boolean {
  return /^\s*mutation\b/m.test(document.replace(/#[^\n]*/g, ""));
}

/**
 * Each document's operation and kind, worked out once per process: the documents are the few dozen
 * constants of operations.ts, sent thousands of times, and copying a document to drop its comments
 * for every call was work repeated per call. Starts over should it ever hold far more.
 */
const analysed = new Map<string, { operation: string; mutation: boolean }>();

function analyse(document: string): { operation: string; mutation: boolean } {
  let known = analysed.get(document);
  if (!known) {
    if (analysed.size >= 1000) analysed.clear();
    known = { operation: operationName(document), mutation: isMutation(document) };
    analysed.set(document, known);
  }
  return known;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The calls of each shop waiting for room in its bucket, per ledger, in the order they began to
 * wait: only the first waits for room, the others wait for their turn. Each call waiting on its own
 * took the room as soon as its own cost fitted, so a call asking for more (an order read with the
 * shop's locations, about 120 points) waited while smaller ones took every point the bucket
 * restored, until there were none left to route: on a Standard shop's burst such orders were
 * decided last, after 18 s, and the bucket held their room unspent when the 20 s ended.
 */
const waitingForRoom = new WeakMap<BudgetLedger, Map<string, WaitingLine>>();

interface WaitingLine {
  /** Each waiting call's turn, the first's given. */
  turns: (() => void)[];
  /**
   * Wakes the first from its wait when a call of the shop was answered (it may have given back
   * points it had reserved): its wait was worked out before and would leave the room unused.
   */
  wake: (() => void) | null;
}

function lineFor(budgets: BudgetLedger, shop: string): WaitingLine {
  let shops = waitingForRoom.get(budgets);
  if (!shops) waitingForRoom.set(budgets, (shops = new Map()));
  let line = shops.get(shop);
  if (!line) shops.set(shop, (line = { turns: [], wake: null }));
  return line;
}

/** Operations whose deprecation this process has logged: once is enough for an operator to see. */
const deprecationsLogged = new Set<string>();

/**
 * Shopify names deprecated use in `X-Shopify-API-Deprecated-Reason` on an answer that otherwise
 * works; it stops working when the version is retired, so the warning comes while there is time.
 */
function noticeDeprecation(shop: string, operation: string, headers: Headers | undefined): void {
  const reason = headers?.get("X-Shopify-API-Deprecated-Reason");
  if (!reason || deprecationsLogged.has(operation)) return;
  deprecationsLogged.add(operation);
  logEvent("warn", "shopify.deprecated", { shop, operation, reason });
}

function costOf(extensions: unknown): CostExtension | undefined {
  const cost = (extensions as { cost?: CostExtension } | undefined)?.cost;
  return cost?.throttleStatus ? cost : undefined;
}

export function createAdminGateway(options: AdminGatewayOptions): AdminGateway {
  const {
    shop,
    budgets,
    now = Date.now,
    sleep = realSleep,
    maxAttempts = 6,
    baseDelayMs = 500,
    timeoutMs = 15_000,
  } = options;
  const client = new GraphQLClient(adminGraphqlUrl(shop, options.adminOrigin), {
    headers: { "X-Shopify-Access-Token": options.accessToken },
    fetch: options.fetch ?? httpFetch,
    // graphql-request parses every document it sends, only to name its operation in the body: a
    // GraphQL parse of up to a few KB per call (about 1.5% of a worker's CPU under the scale
    // benchmark). Each of our documents holds one operation, which Shopify runs unnamed alike.
    excludeOperationName: true,
  });

  /**
   * Settles a call's reservation with Shopify's answer: what it really cost (nothing when it did
   * not run) and how full Shopify says the bucket is.
   */
  async function remember(
    operation: string,
    shape: string,
    extensions: unknown,
    reserved: number,
    ran: boolean,
  ): Promise<void> {
    const cost = costOf(extensions);
    if (cost) {
      budgets.observeCost(operation, cost.requestedQueryCost, shape);
      options.onCost?.(operation, cost);
    }
    const actual = !ran ? 0 : (cost?.actualQueryCost ?? cost?.requestedQueryCost ?? reserved);
    await budgets.settle(shop, { reserved, actual, status: cost?.throttleStatus ?? null }, now());
    lineFor(budgets, shop).wake?.();
  }

  /**
   * Takes `cost` points of the shop's bucket, waiting for the room when it is not there: in line
   * behind the shop's calls that began waiting first (waitingForRoom), the first of them polling
   * the ledger at most a second apart (calls answered meanwhile give back what they did not spend).
   */
  async function roomFor(cost: number): Promise<void> {
    const line = lineFor(budgets, shop);
    if (line.turns.length === 0 && (await budgets.take(shop, cost, now())) === 0) return;
    let myTurn!: () => void;
    const turn = new Promise<void>((resolve) => (myTurn = resolve));
    line.turns.push(myTurn);
    if (line.turns[0] !== myTurn) await turn;
    try {
      for (let wait = await budgets.take(shop, cost, now()); wait > 0;) {
        const woken = new Promise<void>((resolve) => (line.wake = resolve));
        await Promise.race([sleep(Math.min(wait, 1000)), woken]);
        line.wake = null;
        wait = await budgets.take(shop, cost, now());
      }
    } finally {
      line.turns.shift();
      line.turns[0]?.();
    }
  }

  /** Turns whatever graphql-request threw into a typed failure, with how long to wait. */
  function classify(
    operation: string,
    error: unknown,
  ): { failure: ShopifyApiError; waitMs?: number } {
    if (error instanceof ClientError) {
      const { status, errors, extensions } = error.response;
      const throttled = errors?.some((e) => e.extensions?.code === "THROTTLED");
      if (throttled || status === 429) {
        const cost = costOf(extensions);
        const waitMs = cost
          ? Math.ceil(
              ((cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable) /
                cost.throttleStatus.restoreRate) *
                1000,
            )
          : undefined;
        return {
          failure: new ShopifyApiError("throttled", `${operation}: throttled by Shopify`, status),
          waitMs,
        };
      }
      if (status === 401 || status === 403) {
        return {
          failure: new ShopifyApiError(
            "unauthorized",
            `${operation}: Shopify refused the access token (${status})`,
            status,
          ),
        };
      }
      if (status >= 500) {
        return {
          failure: new ShopifyApiError(
            "server",
            `${operation}: Shopify answered ${status}`,
            status,
          ),
        };
      }
      const messages = errors?.map((e) => e.message).join("; ") || `HTTP ${status}`;
      // An answer with errors but no code (a message alone) counts as "" among the codes: it is
      // not the refusal a code names.
      const codes = errors?.map((e) => String(e.extensions?.code ?? "")) ?? [];
      return {
        failure: new ShopifyApiError("graphql", `${operation}: ${messages}`, status, false, codes),
      };
    }
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return {
        failure: new ShopifyApiError("timeout", `${operation}: no answer within ${timeoutMs} ms`),
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { failure: new ShopifyApiError("network", `${operation}: ${message}`) };
  }

  return {
    shop,
    async request<TData, TVariables extends Record<string, unknown>>(
      document: string,
      variables?: TVariables,
    ) {
      const { operation, mutation } = analyse(document);
      // What the call will ask of the bucket follows its connection sizes and switches.
      const shape = costShape(variables);
      let lastFailure: ShopifyApiError | undefined;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        // Reserved before it is sent, in the shop's bucket (shared by every process on
        // PostgreSQL): concurrent calls of the shop wait for room instead of overdrawing it.
        const reserved = budgets.expectedCost(operation, shape);
        await roomFor(reserved);
        try {
          const result = await client.rawRequest<TData>({
            query: document,
            variables,
            signal: AbortSignal.timeout(timeoutMs),
          });
          await remember(operation, shape, result.extensions, reserved, true);
          noticeDeprecation(shop, operation, result.headers);
          return result.data;
        } catch (error) {
          const { failure, waitMs } = classify(operation, error);
          // A refusal with a cost block (THROTTLED, a field error) ran nothing: all of the
          // reservation comes back. A 5xx or a lost answer may have run: keep what was reserved.
          const extensions = error instanceof ClientError ? error.response.extensions : undefined;
          await remember(operation, shape, extensions, reserved, !costOf(extensions)).catch(
            () => {},
          );
          if (!failure.retriable) throw failure;
          // A 5xx, a timeout or a dropped connection may come after Shopify made the change:
          // sending the mutation again could split or hold twice. The caller reads the order
          // again and plans what is still needed (ADR 007); only a throttle is known not to run.
          if (mutation && failure.kind !== "throttled") {
            throw new ShopifyApiError(failure.kind, failure.message, failure.status, true);
          }
          lastFailure = failure;
          // Exponential backoff with jitter; a THROTTLED answer says how long the bucket needs.
          const backoff = baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
          if (attempt < maxAttempts) await sleep(Math.max(backoff, waitMs ?? 0));
        }
      }
      throw lastFailure ?? new ShopifyApiError("network", `${operation}: gave up`);
    },
  };
}
