// Shopify's search syntax for `query:` arguments (terms, field:value, comparators, AND/OR/NOT, -negation, parentheses, quotes); unknown fields are ignored with a warning, as Shopify does.

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

type Node =
  | { kind: "and" | "or"; items: Node[] }
  | { kind: "not"; item: Node }
  | { kind: "term"; field: string | null; cmp: Comparator; value: string };

/** A field's test: does the item match `value` under `cmp`? */
export type FieldMatcher<T> = (item: T, cmp: Comparator, value: string) => boolean;

export interface SearchSpec<T> {
  fields: Record<string, FieldMatcher<T>>;
  /** Free text (no field): a case-insensitive match over several fields. */
  text: (item: T, value: string) => boolean;
}

export interface SearchResult<T> {
  filter: (item: T) => boolean;
  /** Unknown fields, reported like Shopify's `extensions.search[].warnings`. */
  warnings: { field: string; message: string }[];
}

function tokenize(q: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push(c);
      i++;
      continue;
    }
    let tok = "";
    while (i < q.length && !/\s/.test(q[i]!) && q[i] !== "(" && q[i] !== ")") {
      if (q[i] === '"' || q[i] === "'") {
        const quote = q[i]!;
        i++;
        while (i < q.length && q[i] !== quote) {
          if (q[i] === "\\" && i + 1 < q.length) i++;
          tok += q[i];
          i++;
        }
        i++;
        continue;
      }
      tok += q[i];
      i++;
    }
    out.push(tok);
  }
  return out;
}

function parse(tokens: string[]): Node {
  let pos = 0;
  const peek = () => tokens[pos];
  function orExpr(): Node {
    const items = [andExpr()];
    while (peek() === "OR") {
      pos++;
      items.push(andExpr());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  }
  function andExpr(): Node {
    const items: Node[] = [];
    while (pos < tokens.length && peek() !== ")" && peek() !== "OR") {
      if (peek() === "AND") {
        pos++;
        continue;
      }
      items.push(unary());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  }
  function unary(): Node {
    const t = peek()!;
    if (t === "NOT") {
      pos++;
      return { kind: "not", item: unary() };
    }
    if (t === "(") {
      pos++;
      const inner = orExpr();
      if (peek() === ")") pos++;
      return inner;
    }
    pos++;
    if (t.startsWith("-") && t.length > 1) return { kind: "not", item: term(t.slice(1)) };
    return term(t);
  }
  function term(t: string): Node {
    const m = /^([a-zA-Z_][a-zA-Z0-9_.]*):(>=|<=|>|<)?(.*)$/.exec(t);
    if (!m) return { kind: "term", field: null, cmp: ":", value: t };
    return {
      kind: "term",
      field: m[1]!.toLowerCase(),
      cmp: (m[2] as Comparator | undefined) ?? ":",
      value: m[3]!,
    };
  }
  if (tokens.length === 0) return { kind: "and", items: [] };
  return orExpr();
}

export function search<T>(query: string | null | undefined, spec: SearchSpec<T>): SearchResult<T> {
  const warnings: { field: string; message: string }[] = [];
  if (!query || !query.trim()) return { filter: () => true, warnings };
  const tree = parse(tokenize(query));
  const unknown = new Set<string>();
  const walk = (n: Node): void => {
    if (n.kind === "term") {
      if (n.field && !spec.fields[n.field]) unknown.add(n.field);
    } else if (n.kind === "not") walk(n.item);
    else n.items.forEach(walk);
  };
  walk(tree);
  for (const f of unknown)
    warnings.push({ field: f, message: "Invalid search field for this query." });
  const evaluate = (n: Node, item: T): boolean => {
    switch (n.kind) {
      case "and":
        return n.items.every((x) => evaluate(x, item));
      case "or":
        return n.items.some((x) => evaluate(x, item));
      case "not":
        return !evaluate(n.item, item);
      case "term": {
        if (n.field === null) return spec.text(item, n.value);
        const m = spec.fields[n.field];
        // An unknown field doesn't filter anything out (Shopify ignores it and warns).
        return m ? m(item, n.cmp, n.value) : true;
      }
    }
  };
  return { filter: (item) => evaluate(tree, item), warnings };
}

/** Comparators over numbers (ids, quantities). */
export function compareNumber(actual: number, cmp: Comparator, raw: string): boolean {
  const v = Number(raw);
  if (!Number.isFinite(v)) return false;
  switch (cmp) {
    case ":":
      return actual === v;
    case ">":
      return actual > v;
    case ">=":
      return actual >= v;
    case "<":
      return actual < v;
    case "<=":
      return actual <= v;
  }
}

/**
 * Comparators over times: ISO timestamps or dates ("2026-11-24" is that whole day in UTC), and
 * relative values like "-7d"/"now" that Shopify's search syntax also takes.
 */
export function compareTime(
  actualIso: string | null,
  cmp: Comparator,
  raw: string,
  now: number,
): boolean {
  if (!actualIso) return false;
  const actual = Date.parse(actualIso);
  let lo: number;
  let hi: number;
  const rel =
    /^(now)?([+-]\d+)([smhdw])$/.exec(raw) ?? (raw === "now" ? ["now", "now", "+0", "s"] : null);
  if (rel) {
    const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[
      rel[3] as "s" | "m" | "h" | "d" | "w"
    ];
    lo = hi = now + Number(rel[2]) * unit;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    lo = Date.parse(`${raw}T00:00:00Z`);
    hi = lo + 864e5 - 1;
  } else {
    lo = hi = Date.parse(raw);
  }
  if (!Number.isFinite(lo)) return false;
  switch (cmp) {
    case ":":
      return actual >= lo && actual <= hi;
    case ">":
      return actual > hi;
    case ">=":
      return actual >= lo;
    case "<":
      return actual < lo;
    case "<=":
      return actual <= hi;
  }
}

export function eqText(actual: string | null | undefined, raw: string): boolean {
  if (actual == null) return false;
  if (raw.endsWith("*")) return actual.toLowerCase().startsWith(raw.slice(0, -1).toLowerCase());
  return actual.toLowerCase() === raw.toLowerCase();
}
