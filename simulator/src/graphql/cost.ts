// Shopify's calculated query cost and the per-shop leaky bucket that enforces it.
//
// Cost rules, from https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits ("Cost
// calculation": scalar 0, enum 0, object 1, interface/union = maximum of the possible selections;
// connections "sized by the first and last arguments") and Shopify's engineering post "Rate limiting
// GraphQL APIs by calculating query complexity" ("connections: two points plus the number of
// returned objects"): a connection costs 2 + n × (cost of one node), n = first or last. Mutations
// cost 10 (long-standing rule; see ../shared/shopify/SOURCES.md §3). A single query may not request
// more than 1000. The bucket must hold the *requested* cost before execution; the difference to the
// *actual* cost (connections counted by what they really returned) is refunded afterwards.
//
// Two readings of ours, said plainly: a mutation's payload objects are inside its 10 points (only
// connections selected under it add), and a plain list field with `first` (e.g. Order.fulfillments)
// is sized like a connection without the 2; a list without `first` counts as one object, in the
// requested cost and the actual one alike (an actual cost is never above the requested one).
import {
  type ASTNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Clock } from "../clock.ts";
import type { Plan } from "../shop/model.ts";

export const MAX_QUERY_COST = 1000;
export const MUTATION_COST = 10;
export const CONNECTION_BASE_COST = 2;

export const RESTORE_RATE: Record<Plan, number> = {
  standard: 100,
  advanced: 200,
  plus: 1000,
  enterprise: 2000,
};
/** Bucket size: not stated by the docs; observed responses show about 20 × the restore rate (SOURCES.md §3). */
export const BUCKET_FACTOR = 20;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  memo: CostMemo;
}

/**
 * What a walk works out from the document alone, kept between walks that see the same values of
 * the variables the walk reads (`costKey`): the fields a selection set selects on each type (its
 * @include and @skip decided), merged selections, and the requested cost. A document's actual
 * cost walks every returned object with the same few selection sets, so this is most of a walk's
 * work. Only ever filled and read for one document and one operation.
 */
export interface CostMemo {
  collected: Map<SelectionSetNode, Map<GraphQLObjectType, Map<string, FieldNode[]>>>;
  merged: Map<FieldNode[], SelectionSetNode | undefined>;
  connectionNodes: Map<SelectionSetNode, SelectionSetNode>;
  requested?: number;
}

export function newCostMemo(): CostMemo {
  return { collected: new Map(), merged: new Map(), connectionNodes: new Map() };
}

const COST_ARGUMENTS = new Set(["first", "last"]);

/**
 * The names of the variables a cost walk of `doc` reads: those in @include and @skip arguments and
 * in `first` and `last` arguments. Two calls of the document whose (coerced) values of these are
 * equal have the same requested cost and select the same fields, so they can share a CostMemo.
 */
export function costVariables(doc: DocumentNode): string[] {
  const names = new Set<string>();
  const variablesIn = (node: ASTNode) =>
    visit(node, {
      Variable(v) {
        names.add(v.name.value);
      },
    });
  visit(doc, {
    Directive(d) {
      if (d.name.value === "include" || d.name.value === "skip") variablesIn(d);
    },
    Field(f) {
      for (const a of f.arguments ?? []) if (COST_ARGUMENTS.has(a.name.value)) variablesIn(a.value);
    },
  });
  return [...names].sort();
}

/** The key of the CostMemo a call shares: its operation and the values of `costVariables`. */
export function costKey(
  operationName: string | null | undefined,
  names: readonly string[],
  variables: Record<string, unknown>,
): string {
  return JSON.stringify([operationName ?? null, ...names.map((n) => variables[n] ?? null)]);
}

function included(node: { readonly directives?: readonly DirectiveNode[] }, w: Walk): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, w.variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, w.variables);
  return include?.if !== false;
}

function matches(w: Walk, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition) return true;
  const c = w.schema.getType(condition);
  if (!c) return false;
  if (c === type) return true;
  return isAbstractType(c) && w.schema.isSubType(c, type);
}

/**
 * Fields selected on an object type, merged by response key (fragments and inline fragments
 * expanded); the same map for the same set and type within a memo (read only).
 */
function collect(
  w: Walk,
  type: GraphQLObjectType,
  set: SelectionSetNode,
): Map<string, FieldNode[]> {
  let byType = w.memo.collected.get(set);
  if (!byType) w.memo.collected.set(set, (byType = new Map()));
  let fields = byType.get(type);
  if (!fields) byType.set(type, (fields = collectInto(w, type, set, new Map(), new Set())));
  return fields;
}

function collectInto(
  w: Walk,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  out: Map<string, FieldNode[]>,
  seen: Set<string>,
) {
  for (const sel of set.selections) {
    if (!included(sel, w)) continue;
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      out.set(key, [...(out.get(key) ?? []), sel]);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (matches(w, sel.typeCondition?.name.value, type))
        collectInto(w, type, sel.selectionSet, out, seen);
    } else {
      const frag = w.fragments[sel.name.value];
      if (!frag || seen.has(frag.name.value)) continue;
      seen.add(frag.name.value);
      if (matches(w, frag.typeCondition.name.value, type))
        collectInto(w, type, frag.selectionSet, out, seen);
    }
  }
  return out;
}

/** One selection set of every selection of `nodes` (the same object for the same nodes in a memo). */
function mergedSelection(w: Walk, nodes: FieldNode[]): SelectionSetNode | undefined {
  if (w.memo.merged.has(nodes)) return w.memo.merged.get(nodes);
  const sets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
  const merged: SelectionSetNode | undefined =
    sets.length === 0
      ? undefined
      : sets.length === 1
        ? sets[0]
        : { kind: Kind.SELECTION_SET, selections: sets.flatMap((s) => s.selections) };
  w.memo.merged.set(nodes, merged);
  return merged;
}

function isConnection(type: GraphQLType): type is GraphQLObjectType {
  const named = getNamedType(type);
  return (
    isObjectType(named) && named.name.endsWith("Connection") && "pageInfo" in named.getFields()
  );
}

function nodeTypeOf(conn: GraphQLObjectType): GraphQLCompositeType | undefined {
  const nodes = conn.getFields().nodes;
  if (nodes) return getNamedType(nodes.type) as GraphQLCompositeType;
  const edges = conn.getFields().edges;
  const edgeType = edges ? (getNamedType(edges.type) as GraphQLObjectType) : undefined;
  const node = edgeType?.getFields().node;
  return node ? (getNamedType(node.type) as GraphQLCompositeType) : undefined;
}

type Data = unknown;
const MISSING = Symbol("requested");

/** Cost of a selection on a composite type; `data` is MISSING for requested cost, else the returned value. */
function selectionCost(
  w: Walk,
  type: GraphQLCompositeType,
  set: SelectionSetNode | undefined,
  data: Data | typeof MISSING,
  objectsFree: boolean,
): number {
  if (!set) return 0;
  const candidates: GraphQLObjectType[] = isAbstractType(type)
    ? [...w.schema.getPossibleTypes(type)]
    : [type as GraphQLObjectType];
  let best = 0;
  for (const t of candidates) {
    if (
      data !== MISSING &&
      data &&
      typeof data === "object" &&
      "__typename" in data &&
      (data as { __typename?: string }).__typename !== t.name
    )
      continue;
    const fields = collect(w, t, set);
    let sum = 0;
    for (const [key, nodes] of fields) {
      const name = nodes[0]!.name.value;
      if (name.startsWith("__")) continue;
      const def = t.getFields()[name];
      if (!def) continue;
      const value =
        data === MISSING
          ? MISSING
          : data && typeof data === "object"
            ? (data as Record<string, unknown>)[key]
            : undefined;
      if (data !== MISSING && value === undefined) continue;
      sum += fieldCost(w, def, nodes, value, objectsFree);
    }
    best = Math.max(best, sum);
  }
  return best;
}

function fieldCost(
  w: Walk,
  def: GraphQLField<unknown, unknown>,
  nodes: FieldNode[],
  data: Data | typeof MISSING,
  objectsFree: boolean,
): number {
  const named = getNamedType(def.type);
  if (!isCompositeType(named)) return 0;
  const set = mergedSelection(w, nodes);
  if (data === null) return 0;
  if (isConnection(def.type)) {
    const nodeType = nodeTypeOf(getNamedType(def.type) as GraphQLObjectType);
    if (!nodeType || !set) return CONNECTION_BASE_COST;
    const conn = getNamedType(def.type) as GraphQLObjectType;
    let nodeSel = w.memo.connectionNodes.get(set);
    if (!nodeSel) {
      const nodeSets: SelectionSetNode[] = [];
      for (const [, fns] of collect(w, conn, set)) {
        const f = fns[0]!.name.value;
        if (f === "nodes") {
          const s = mergedSelection(w, fns);
          if (s) nodeSets.push(s);
        } else if (f === "edges") {
          const edgeType = getNamedType(conn.getFields().edges!.type) as GraphQLObjectType;
          const es = mergedSelection(w, fns);
          if (!es) continue;
          for (const [, efs] of collect(w, edgeType, es)) {
            if (efs[0]!.name.value === "node") {
              const s = mergedSelection(w, efs);
              if (s) nodeSets.push(s);
            }
          }
        }
      }
      nodeSel = { kind: Kind.SELECTION_SET, selections: nodeSets.flatMap((s) => s.selections) };
      w.memo.connectionNodes.set(set, nodeSel);
    }
    if (data === MISSING) {
      const args = getArgumentValues(def, nodes[0]!, w.variables) as {
        first?: number;
        last?: number;
      };
      const n = args.first ?? args.last ?? 0;
      return CONNECTION_BASE_COST + n * (1 + selectionCost(w, nodeType, nodeSel, MISSING, false));
    }
    const d = data as { nodes?: unknown[]; edges?: { node?: unknown }[] };
    const items = d.nodes ?? d.edges?.map((e) => e.node) ?? [];
    return (
      CONNECTION_BASE_COST +
      items.reduce<number>(
        (s, item) => s + (item == null ? 0 : 1 + selectionCost(w, nodeType, nodeSel, item, false)),
        0,
      )
    );
  }
  const unwrapped = isNonNullType(def.type) ? def.type.ofType : def.type;
  const own = objectsFree ? 0 : 1;
  if (isListType(unwrapped)) {
    if (data === MISSING) {
      const args = getArgumentValues(def, nodes[0]!, w.variables) as { first?: number };
      const n = typeof args.first === "number" ? args.first : 1;
      return n * (own + selectionCost(w, named as GraphQLCompositeType, set, MISSING, objectsFree));
    }
    // Counted by what it returned, but never past what was requested for it: the n costliest
    // elements (n = first, or 1 for a list without it). Shopify's actual cost differs from the
    // requested one only where "an object type field return[ed] null, or connection fields
    // return[ed] fewer edges than requested" (its call-limit page), and the bucket is refunded the
    // difference: it is never more.
    const args = getArgumentValues(def, nodes[0]!, w.variables) as { first?: number };
    const n = typeof args.first === "number" ? args.first : 1;
    const items = Array.isArray(data) ? data : [];
    return items
      .map((item) =>
        item == null
          ? 0
          : own + selectionCost(w, named as GraphQLCompositeType, set, item, objectsFree),
      )
      .sort((a, b) => b - a)
      .slice(0, n)
      .reduce((s, c) => s + c, 0);
  }
  return own + selectionCost(w, named as GraphQLCompositeType, set, data, objectsFree);
}

function pickOperation(
  doc: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operationName
    ? ops.find((o) => o.name?.value === operationName)
    : ops.length === 1
      ? ops[0]
      : undefined;
}

function walkOf(
  schema: GraphQLSchema,
  doc: DocumentNode,
  variables: Record<string, unknown> | undefined,
  memo: CostMemo,
): Walk {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { schema, fragments, variables: variables ?? {}, memo };
}

/**
 * Requested cost (data absent) or actual cost (data = the executed result's `data`).
 * Variables must already be coerced (defaults applied), as execute does. `memo`: shared by calls
 * of this document and operation with the same `costKey` (a fresh one when absent).
 */
export function queryCost(
  schema: GraphQLSchema,
  doc: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  data?: Record<string, unknown> | null,
  memo: CostMemo = newCostMemo(),
): number {
  if (data === undefined && memo.requested !== undefined) return memo.requested;
  const cost = walkCost(schema, doc, operationName, variables, data, memo);
  if (data === undefined) memo.requested = cost;
  return cost;
}

function walkCost(
  schema: GraphQLSchema,
  doc: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  data: Record<string, unknown> | null | undefined,
  memo: CostMemo,
): number {
  const op = pickOperation(doc, operationName);
  if (!op) return 0;
  const w = walkOf(schema, doc, variables, memo);
  const root = op.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  const mode = data === undefined ? MISSING : data;
  if (mode === null) return 0;
  if (op.operation !== "mutation") return selectionCost(w, root, op.selectionSet, mode, false);
  let sum = 0;
  for (const [key, nodes] of collect(w, root, op.selectionSet)) {
    const def = root.getFields()[nodes[0]!.name.value];
    if (!def) continue;
    const value = mode === MISSING ? MISSING : (mode as Record<string, unknown>)[key];
    if (mode !== MISSING && value === undefined) continue;
    // 10 per mutation; payload objects are inside it, connections under it add their own cost.
    sum += MUTATION_COST + fieldCost(w, def, nodes, value, true);
  }
  return sum;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** The leaky bucket of one app on one shop, refilling continuously at the plan's restore rate. */
export class LeakyBucket {
  private available: number;
  private at: number;

  constructor(
    private readonly clock: Clock,
    private plan: Plan,
  ) {
    this.available = this.maximum;
    this.at = clock.now();
  }

  get restoreRate(): number {
    return RESTORE_RATE[this.plan];
  }

  get maximum(): number {
    return this.restoreRate * BUCKET_FACTOR;
  }

  setPlan(plan: Plan): void {
    this.refill();
    this.plan = plan;
    this.available = Math.min(this.available, this.maximum);
  }

  private refill(): void {
    const now = this.clock.now();
    this.available = Math.min(
      this.maximum,
      this.available + ((now - this.at) / 1000) * this.restoreRate,
    );
    this.at = now;
  }

  /** Takes `cost` if the bucket holds it; false means THROTTLED. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximum, this.available + points);
  }

  status(): ThrottleStatus {
    this.refill();
    // Shopify reports whole-ish numbers; keep one decimal so tests can reason exactly.
    return {
      maximumAvailable: this.maximum,
      currentlyAvailable: Math.floor(this.available * 10) / 10,
      restoreRate: this.restoreRate,
    };
  }
}
