// Reads Shopify's requiredAccess text into scope requirements and finds what a GraphQL document requires.
import {
  TypeInfo,
  getNamedType,
  isCompositeType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from "graphql";
import type { AccessIndex } from "./schema";

/** Every group must be met; a group is met by any one of its scopes. An empty list needs no scope. */
export type ScopeRequirement = readonly (readonly string[])[];

export interface ParsedAccess {
  allOf: string[][];
  /** Conditions on the staff member or the shop (permissions, plans). Noted, never checked: scopes cannot grant them. */
  notes: string[];
  /** Sentences that name scopes in a form this parser will not guess at; a check must not treat them as met. */
  unreadable: string[];
}

const SCOPE = /^(?:unauthenticated_)?(?:read|write)_[a-z0-9_]+$/;
const NAMES_A_SCOPE =
  /`(?:unauthenticated_)?(?:read|write)_[a-z0-9_]+`|\b(?:read|write)_[a-z0-9_]+\b/;

function sentences(text: string): string[] {
  return text
    .split(/(?<=\.)\s+(?=[A-Z`])/)
    .map((sentence) => sentence.trim().replace(/\.$/, ""))
    .filter((sentence) => sentence.length > 0);
}

/**
 * A sentence about the user's permissions and nothing about scopes. "The user must have
 * `read_customer_merge` permissions" names a scope-shaped token, so it is not taken for a mere note.
 */
function isPermissionOnly(sentence: string): boolean {
  return (
    /\bpermissions?\b/i.test(sentence) &&
    !/\bscopes?\b/i.test(sentence) &&
    !NAMES_A_SCOPE.test(sentence)
  );
}

type Token =
  { kind: "scope"; scope: string } | { kind: "or" | "and" | "open" | "close" | "any-of" };

function tokenize(expression: string): Token[] | undefined {
  const tokens: Token[] = [];
  const pattern =
    /`([^`]+)`|\(|\)|,|\bas well as\b|\band\b|\bor\b|\bany of\b|\baccess scopes?\b|\bscopes?\b|\bthe\b|\S+/gi;
  for (const match of expression.matchAll(pattern)) {
    const [token, quoted] = match;
    const word = token.toLowerCase();
    if (quoted !== undefined) {
      if (!SCOPE.test(quoted)) return undefined; // `orders`, `assigned_shipping`: not a scope name we can check.
      tokens.push({ kind: "scope", scope: quoted });
    } else if (word === "(") tokens.push({ kind: "open" });
    else if (word === ")") tokens.push({ kind: "close" });
    else if (word === "," || word === "or") tokens.push({ kind: "or" });
    else if (word === "and" || word === "as well as") tokens.push({ kind: "and" });
    else if (word === "any of") tokens.push({ kind: "any-of" });
    else if (/^(access scopes?|scopes?|the)$/.test(word))
      continue; // Filler around the scope names.
    else return undefined; // "for queries", "user permission": a condition this grammar does not cover.
  }
  return tokens;
}

/**
 * The grammar Shopify's texts use: alternatives joined by "," / "or", conjunctions by "and" /
 * "as well as", parentheses only around alternatives ("`a` and (`b` or `c`)"), "any of" before a
 * list. Anything else returns undefined rather than a guess.
 */
function parseScopeExpression(expression: string): string[][] | undefined {
  const stripped = expression
    .replace(/^(?:requires|apps must have|access allowed for apps with)\s+/i, "")
    .replace(/\s+is required$/i, "");
  const tokens = tokenize(stripped);
  if (!tokens) return undefined;
  const conjuncts: { scopes: string[]; shape: "single" | "grouped" | "list" }[] = [];
  let current: string[] = [];
  let depth = 0;
  let sawAnyOf = false;
  let sawParens = false;
  const close = () => {
    if (current.length === 0) return false;
    const shape = current.length === 1 ? "single" : sawParens || sawAnyOf ? "grouped" : "list";
    conjuncts.push({ scopes: current, shape });
    current = [];
    sawAnyOf = false;
    sawParens = false;
    return true;
  };
  for (const token of tokens) {
    if (token.kind === "scope") current.push(token.scope);
    else if (token.kind === "open") {
      depth += 1;
      sawParens = true;
    } else if (token.kind === "close") {
      depth -= 1;
      if (depth < 0) return undefined;
    } else if (token.kind === "any-of") sawAnyOf = true;
    else if (token.kind === "and") {
      if (depth > 0 || !close()) return undefined;
    }
  }
  if (depth !== 0 || !close()) return undefined;
  // "`a` or `b` and `c`" has no stated precedence: only a lone alternative list may stand unbracketed.
  if (conjuncts.length > 1 && conjuncts.some((conjunct) => conjunct.shape === "list"))
    return undefined;
  return conjuncts.map((conjunct) => [...new Set(conjunct.scopes)]);
}

export function parseRequiredAccess(text: string): ParsedAccess {
  const result: ParsedAccess = { allOf: [], notes: [], unreadable: [] };
  const normalised = text.replace(/\s+/g, " ").trim();
  const alsoAt = normalised.search(/\bAlso:/);
  const main = alsoAt === -1 ? normalised : normalised.slice(0, alsoAt);
  const also = alsoAt === -1 ? "" : normalised.slice(alsoAt + "Also:".length);
  const [first, ...rest] = sentences(main);

  if (first !== undefined) {
    if (isPermissionOnly(first)) result.notes.push(first);
    else if (!first.includes("`")) {
      // "products or product_listings read access scope": scopes without the backticks we rely on.
      (/\bscopes?\b/i.test(first) ? result.unreadable : result.notes).push(first);
    } else {
      const groups = parseScopeExpression(first);
      if (groups) result.allOf.push(...groups);
      else result.unreadable.push(first);
    }
  }

  for (const sentence of [...rest, ...sentences(also)]) {
    const requires = /^(?:also )?requires (?:the )?`([^`]+)`(?: access)? scope$/i.exec(sentence);
    if (requires?.[1] !== undefined && SCOPE.test(requires[1])) result.allOf.push([requires[1]]);
    else if (isPermissionOnly(sentence) || !NAMES_A_SCOPE.test(sentence))
      result.notes.push(sentence);
    else result.unreadable.push(sentence); // e.g. "`write_locations`: access scope is required to modify…"
  }
  return result;
}

/** Shopify's rule: a `write_x` scope also grants `read_x`. */
export function grants(declared: ReadonlySet<string>, scope: string): boolean {
  if (declared.has(scope)) return true;
  const read = /^(unauthenticated_)?read_(.+)$/.exec(scope);
  return read !== null && declared.has(`${read[1] ?? ""}write_${read[2] ?? ""}`);
}

/** The groups of a requirement that none of the declared scopes meets. */
export function unmetGroups(
  requirement: ScopeRequirement,
  declared: ReadonlySet<string>,
): (readonly string[])[] {
  return requirement.filter((group) => !group.some((scope) => grants(declared, scope)));
}

export interface ReviewedAccess {
  /** What the text means, read by a person. */
  allOf: string[][];
  reason: string;
}

export interface AccessNeed {
  /** The schema coordinate whose requiredAccess applies: "Order" (a type) or "Mutation.orderCapture" (a field). */
  coordinate: string;
  /** Where the document reaches it: "OrderSnapshot › order.fulfillmentOrders.nodes". */
  path: string;
  text: string;
  access: ParsedAccess;
}

/**
 * What a document requires: for every selected field, the field's own requiredAccess, the
 * requiredAccess of the type it is selected on, and that of the type it returns. Root fields such as
 * `order` and `customers` carry no text of their own; the Order and Customer types do. Counting the
 * parent type also covers `node(id:) { ... on Customer { id } }`, where no field names the type.
 */
export function accessNeeds(
  document: DocumentNode,
  schema: GraphQLSchema,
  index: AccessIndex,
  reviewed: ReadonlyMap<string, ReviewedAccess> = new Map(),
): AccessNeed[] {
  const needs = new Map<string, AccessNeed>();
  const typeInfo = new TypeInfo(schema);
  const path: string[] = [];
  let root = "";

  const need = (coordinate: string) => {
    const text = index.byCoordinate.get(coordinate);
    if (text === undefined) return;
    const where = `${root} › ${path.join(".")}`;
    const key = `${coordinate}@${where}`;
    if (needs.has(key)) return;
    const review = reviewed.get(coordinate);
    const access = review
      ? { allOf: review.allOf, notes: [review.reason], unreadable: [] }
      : parseRequiredAccess(text);
    needs.set(key, { coordinate, path: where, text, access });
  };

  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        root = node.name?.value ?? `<anonymous ${node.operation}>`;
      },
      FragmentDefinition(node) {
        root = `fragment ${node.name.value}`;
      },
      InlineFragment: {
        enter(node) {
          path.push(`(on ${node.typeCondition?.name.value ?? "?"})`);
        },
        leave() {
          path.pop();
        },
      },
      Field: {
        enter(node) {
          path.push(node.alias?.value ?? node.name.value);
          const parent = typeInfo.getParentType();
          const fieldDef = typeInfo.getFieldDef();
          if (!parent || !fieldDef) return; // Invalid documents are the validator's job.
          need(parent.name);
          need(`${parent.name}.${node.name.value}`);
          const returned = getNamedType(fieldDef.type);
          if (isCompositeType(returned)) need(returned.name);
        },
        leave() {
          path.pop();
        },
      },
    }),
  );
  return [...needs.values()];
}
