// POST /admin/api/2026-10/graphql.json: token check, injected faults, parse and validate against the committed schema, cost and leaky bucket, execute, extensions.cost.
import { randomUUID } from "node:crypto";
import {
  execute,
  getVariableValues,
  GraphQLError,
  isNonNullType,
  Kind,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { Hono, type Context } from "hono";
import type { Faults } from "../faults.ts";
import { sleep } from "../faults.ts";
import type { SimState } from "../shop/state.ts";
import type { Stats } from "../stats.ts";
import {
  type CostMemo,
  costKey,
  costVariables,
  LeakyBucket,
  MAX_QUERY_COST,
  newCostMemo,
  queryCost,
  RESTORE_RATE,
  type ThrottleStatus,
} from "./cost.ts";
import {
  accessDenied,
  shopifyValidationErrors,
  syntaxError,
  variableError,
  type ShopifyError,
} from "./errors.ts";
import { mutationResolvers, queryResolvers } from "./resolvers.ts";
import { adminSchema, API_VERSION } from "./schema.ts";
import type { GqlContext } from "./views.ts";

export const INVALID_TOKEN_BODY = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};

export interface Caller {
  shop: string;
  appKey: string;
  /**
   * The access scopes the caller's installation granted; absent for a fulfilment service's app,
   * whose own scopes the simulator does not model.
   */
  scopes?: readonly string[];
}

/**
 * Fields whose access scope the simulator checks, with the scope their `requiredAccess` names in
 * Shopify's 2026-10 schema. Every other field is answered whatever the scopes: add one here when
 * the app must cope with a shop that has not granted it (read_inventory came after installs).
 */
const FIELD_SCOPES: Readonly<Record<string, string>> = {
  "InventoryItem.inventoryLevel": "read_inventory",
  "InventoryItem.inventoryLevels": "read_inventory",
};

/** Whether `granted` covers `scope`: a write scope gives its read scope with it. */
function grants(granted: readonly string[], scope: string): boolean {
  return granted.includes(scope) || granted.includes(scope.replace(/^read_/, "write_"));
}

export interface AdminApiDeps {
  state: SimState;
  faults: Faults;
  stats: Stats;
  /** Who an X-Shopify-Access-Token belongs to; undefined for unknown, expired or revoked tokens. */
  authenticate(token: string): Caller | undefined;
}

function notImplemented(type: string, field: string): GraphQLError {
  return new GraphQLError(
    `The shop simulator does not implement ${type}.${field}. It is non-null in Shopify's schema, so the simulator refuses rather than invent a value: add it in simulator/src/graphql/views/ (or resolvers.ts).`,
    { extensions: { code: "SIMULATOR_NOT_IMPLEMENTED", typeName: type, fieldName: field } },
  );
}

/**
 * Views are plain objects whose properties are values or functions of the field arguments.
 * A field the simulator doesn't model answers null when the schema allows it, and a clear error
 * naming the field when it is non-null; root fields (operations) always error when unknown.
 */
const fieldResolver: GraphQLFieldResolver<unknown, GqlContext> = (source, args, ctx, info) => {
  const parent = info.parentType.name;
  if (parent === "QueryRoot" || parent === "Mutation") {
    const r = (parent === "QueryRoot" ? queryResolvers : mutationResolvers)[info.fieldName];
    if (!r) {
      throw new GraphQLError(
        `The shop simulator does not implement the ${parent === "Mutation" ? "mutation" : "query"} ${info.fieldName}.`,
        {
          extensions: { code: "SIMULATOR_NOT_IMPLEMENTED", fieldName: info.fieldName },
        },
      );
    }
    return r(args, ctx, info);
  }
  const scope = FIELD_SCOPES[`${parent}.${info.fieldName}`];
  if (scope && ctx.scopes && !grants(ctx.scopes, scope)) {
    // A top-level error with the field's path; the field answers null and the rest its data.
    throw accessDenied(info.fieldName, scope, ctx.state.readings.accessDenied);
  }
  if (source && typeof source === "object" && info.fieldName in source) {
    const v = (source as Record<string, unknown>)[info.fieldName];
    return typeof v === "function"
      ? (v as (a: unknown, c: unknown, i: unknown) => unknown)(args, ctx, info)
      : v;
  }
  if (isNonNullType(info.returnType)) throw notImplemented(parent, info.fieldName);
  return null;
};

function costBlock(requested: number, actual: number | null, status: ThrottleStatus) {
  return { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status };
}

/** Parsed and validated documents by query text: apps send the same few documents over and over. */
const DOCUMENT_CACHE_SIZE = 500;
/**
 * Cost memos kept per document, one per set of values of the variables its cost depends on
 * (page sizes, @include switches): an app sends a document with a handful of those.
 */
const COST_MEMOS_PER_DOCUMENT = 64;

interface Prepared {
  doc: DocumentNode;
  /** What validation against the schema found: the same for every call of the same text. */
  invalid: readonly GraphQLError[];
  costVariables: string[];
  costMemos: Map<string, CostMemo>;
}

/** The reason of the first field the document selects that the test declared deprecated. */
function deprecatedReason(
  schema: GraphQLSchema,
  doc: DocumentNode,
  deprecated: Record<string, string>,
): string | undefined {
  if (Object.keys(deprecated).length === 0) return undefined;
  const info = new TypeInfo(schema);
  let reason: string | undefined;
  visit(
    doc,
    visitWithTypeInfo(info, {
      Field(node) {
        const parent = info.getParentType();
        reason ??= parent ? deprecated[`${parent.name}.${node.name.value}`] : undefined;
      },
    }),
  );
  return reason;
}

export function adminApiRoutes(deps: AdminApiDeps): {
  routes: Hono;
  bucketFor(shop: string, appKey?: string): LeakyBucket;
  resetBuckets(): void;
} {
  const schema = adminSchema();
  const buckets = new Map<string, LeakyBucket>();
  const documents = new Map<string, Prepared>();
  const prepare = (query: string): Prepared => {
    let hit = documents.get(query);
    if (!hit) {
      const doc = parse(query);
      const invalid = validate(schema, doc);
      hit = {
        doc,
        invalid,
        costVariables: invalid.length === 0 ? costVariables(doc) : [],
        costMemos: new Map(),
      };
      if (documents.size >= DOCUMENT_CACHE_SIZE) documents.delete(documents.keys().next().value!);
      documents.set(query, hit);
    }
    return hit;
  };
  /** The cost walks' memo this call shares with earlier calls of the document (cost.ts). */
  const costMemo = (
    prepared: Prepared,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): CostMemo => {
    const key = costKey(operationName, prepared.costVariables, variables);
    let memo = prepared.costMemos.get(key);
    if (!memo) {
      if (prepared.costMemos.size >= COST_MEMOS_PER_DOCUMENT)
        prepared.costMemos.delete(prepared.costMemos.keys().next().value!);
      prepared.costMemos.set(key, (memo = newCostMemo()));
    }
    return memo;
  };
  // Limits are per app and store combination (rate-limits page), so the bucket key is both.
  const bucketFor = (shop: string, appKey = "router"): LeakyBucket => {
    const key = `${appKey}|${shop}`;
    let b = buckets.get(key);
    const plan = deps.state.shop(shop)?.plan ?? "standard";
    if (!b) {
      b = new LeakyBucket(deps.state.clock, plan);
      buckets.set(key, b);
    } else if (b.restoreRate !== RESTORE_RATE[plan]) {
      b.setPlan(plan);
    }
    return b;
  };

  const routes = new Hono();
  routes.post("/admin/api/:version/graphql.json", async (c) => {
    c.header("X-Request-Id", randomUUID());
    if (c.req.param("version") !== API_VERSION) {
      // The simulator serves one version; Shopify would fall forward, we refuse so a wrong version is noticed.
      return c.json({ errors: `The shop simulator serves Admin API ${API_VERSION} only` }, 404);
    }
    const token = c.req.header("X-Shopify-Access-Token");
    const caller = token ? deps.authenticate(token) : undefined;
    const shop = caller ? deps.state.shop(caller.shop) : undefined;
    if (!caller || !shop || !shop.installed) return c.json(INVALID_TOKEN_BODY, 401);
    const stats = deps.stats.for(shop.domain);
    stats.calls += 1;
    const arrivedAt = deps.state.clock.now();

    const f = deps.faults;
    if (f.config.latencyMs > 0) await sleep(f.config.latencyMs);
    if (f.roll(f.config.timeoutRate)) {
      stats.faults += 1;
      await sleep(f.config.timeoutMs);
      return c.json({ errors: "Gateway timeout (injected by the shop simulator)" }, 504);
    }
    if (f.roll(f.config.errorRate)) {
      stats.faults += 1;
      const status = f.pick([500, 502, 503] as const);
      return c.json(
        {
          errors: `${status === 500 ? "Internal Server Error" : status === 502 ? "Bad Gateway" : "Service Unavailable"} (injected by the shop simulator)`,
        },
        status,
      );
    }
    if (f.forcedRateLimit()) {
      stats.faults += 1;
      // Shopify's answer over the request rate: nothing ran, come back after Retry-After.
      c.header("Retry-After", "1.0");
      return c.json(
        {
          errors:
            "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
        },
        429,
      );
    }

    const body = await readBody(c);
    if (!body || typeof body.query !== "string" || body.query.trim() === "") {
      return c.json({ errors: { query: "Required parameter missing or invalid" } }, 400);
    }
    const bucket = bucketFor(shop.domain, caller.appKey);
    const refuse = (errors: ShopifyError[]) =>
      c.json({ errors, extensions: { cost: costBlock(0, 0, bucket.status()) } }, 200);

    let prepared: Prepared;
    try {
      prepared = prepare(body.query);
    } catch (e) {
      return refuse([syntaxError(e as GraphQLError)]);
    }
    const { doc, invalid } = prepared;
    if (invalid.length > 0) return refuse(shopifyValidationErrors(doc, invalid));
    const ops = doc.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const op = body.operationName
      ? ops.find((o) => o.name?.value === body.operationName)
      : ops.length === 1
        ? ops[0]
        : undefined;
    if (!op) {
      return refuse([
        {
          message: body.operationName
            ? `No operation named "${body.operationName}"`
            : "An operation name is required",
          extensions: { code: "OPERATION_NOT_FOUND" },
        },
      ]);
    }
    const coerced = getVariableValues(
      schema,
      op.variableDefinitions ?? [],
      (body.variables ?? {}) as Record<string, unknown>,
    );
    if (coerced.errors) {
      const types = Object.fromEntries(
        (op.variableDefinitions ?? []).map((v) => [v.variable.name.value, print(v.type)]),
      );
      return refuse(coerced.errors.map((e) => variableError(e, types)));
    }
    const variables = coerced.coerced;

    // Variables are checked above on every call; only what the document alone decides is shared.
    const memo = costMemo(prepared, op.name?.value, variables);
    const requested = queryCost(schema, doc, op.name?.value, variables, undefined, memo);
    if (requested > MAX_QUERY_COST) {
      stats.maxCostExceeded += 1;
      return c.json(
        {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
            },
          ],
          extensions: { cost: costBlock(requested, null, bucket.status()) },
        },
        200,
      );
    }
    const operationName = op.name?.value ?? "(anonymous)";
    if (f.forcedThrottle() || !bucket.take(requested)) {
      stats.throttled += 1;
      if (deps.stats.tracing) {
        const now = deps.state.clock.now();
        const level = bucket.status().currentlyAvailable;
        deps.stats.recordCall(shop.domain, {
          operation: operationName,
          arrivedAt,
          takenAt: now,
          answeredAt: now,
          requested,
          actual: null,
          levelAfterTake: level,
          levelAfterRefund: level,
        });
      }
      // Shape from SOURCES.md §3: HTTP 200, no data, THROTTLED, actualQueryCost null.
      return c.json(
        {
          errors: [
            {
              message: "Throttled",
              extensions: {
                code: "THROTTLED",
                documentation: "https://shopify.dev/api/usage/rate-limits",
              },
            },
          ],
          extensions: { cost: costBlock(requested, null, bucket.status()) },
        },
        200,
      );
    }
    const takenAt = deps.state.clock.now();
    const levelAfterTake = deps.stats.tracing ? bucket.status().currentlyAvailable : 0;
    stats.pointsRequested += requested;
    stats.maxRequestedQueryCost = Math.max(stats.maxRequestedQueryCost, requested);

    const ctx: GqlContext = {
      state: deps.state,
      shop,
      appKey: caller.appKey,
      scopes: caller.scopes,
      searchWarnings: [],
      faults: deps.faults,
    };
    const result = await execute({
      schema,
      document: doc,
      operationName: op.name?.value,
      variableValues: body.variables ?? {},
      contextValue: ctx,
      fieldResolver,
    });
    if (op.operation === "mutation" && f.loseAnswer(op.name?.value)) {
      // The change is made and stays made; only the answer never arrives.
      stats.faults += 1;
      await sleep(f.config.timeoutMs);
      return c.json({ errors: "Gateway timeout (injected by the shop simulator)" }, 504);
    }
    const actual = Math.min(
      requested,
      queryCost(
        schema,
        doc,
        op.name?.value,
        variables,
        (result.data ?? null) as Record<string, unknown> | null,
        memo,
      ),
    );
    bucket.refund(requested - actual);
    stats.pointsSpent += actual;
    if (deps.stats.tracing)
      deps.stats.recordCall(shop.domain, {
        operation: operationName,
        arrivedAt,
        takenAt,
        answeredAt: deps.state.clock.now(),
        requested,
        actual,
        levelAfterTake,
        levelAfterRefund: bucket.status().currentlyAvailable,
      });
    const operation = (stats.operations[operationName] ??= {
      calls: 0,
      pointsSpent: 0,
    });
    operation.calls += 1;
    operation.pointsSpent += actual;
    const extensions: Record<string, unknown> = {
      cost: costBlock(requested, actual, bucket.status()),
    };
    if (ctx.searchWarnings.length) extensions.search = ctx.searchWarnings;
    const deprecation = deprecatedReason(schema, doc, f.config.deprecatedFields);
    if (deprecation) c.header("X-Shopify-API-Deprecated-Reason", deprecation);
    return c.json(
      {
        ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
        data: result.data ?? null,
        extensions,
      },
      200,
    );
  });
  return { routes, bucketFor, resetBuckets: () => buckets.clear() };
}

async function readBody(
  c: Context,
): Promise<
  | { query?: unknown; variables?: Record<string, unknown> | null; operationName?: string | null }
  | undefined
> {
  const type = c.req.header("Content-Type") ?? "";
  try {
    if (type.includes("application/graphql")) return { query: await c.req.text() };
    return (await c.req.json()) as {
      query?: unknown;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
  } catch {
    return undefined;
  }
}
