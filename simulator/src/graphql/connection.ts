// Relay connections as Shopify serves them: first/last/after/before/reverse over a sorted list, opaque cursors, pageInfo.
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

/** Shopify caps a page at 250 items (API usage limits: "input arrays" and page sizes). */
export const MAX_PAGE_SIZE = 250;

/**
 * A cursor as Shopify makes one: the item's id and, for a list sorted by something else, the
 * item's value of the sort (`{"last_id":…,"last_value":…}` in base64).
 */
export function encodeCursor(key: number | string, value?: number | string): string {
  return Buffer.from(
    JSON.stringify(value === undefined ? { last_id: key } : { last_id: key, last_value: value }),
    "utf8",
  ).toString("base64url");
}

type CursorPoint = { id: number | string; value?: number | string };

function decodeCursor(cursor: string): CursorPoint | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      last_id?: number | string;
      last_value?: number | string;
    };
    return v.last_id === undefined ? undefined : { id: v.last_id, value: v.last_value };
  } catch {
    return undefined;
  }
}

const compareKeys = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Builds {edges, nodes, pageInfo}; items must already be sorted in the default direction. With
 * `sortValueOf` (the list sorted by it, ties by `keyOf`), a cursor marks a place in the sort, as
 * Shopify's do: the page after it starts at the first item sorted after that place, so an item
 * that changed since (a later `updatedAt`, or out of the query's filter now) neither ends the list
 * nor makes it skip the items between. Without it, the cursor is the item's place in the list.
 */
export function connection<T>(
  items: readonly T[],
  args: ConnectionArgs,
  keyOf: (item: T) => number | string,
  view: (item: T) => unknown,
  sortValueOf?: (item: T) => number | string,
) {
  if (args.first == null && args.last == null) {
    // Shopify refuses an unbounded connection with this message.
    throw new GraphQLError("you must provide one of first or last");
  }
  for (const name of ["first", "last"] as const) {
    const n = args[name];
    if (n != null && (n < 0 || n > MAX_PAGE_SIZE)) {
      throw new GraphQLError(
        `The maximum number of ${name} is ${MAX_PAGE_SIZE}, and it cannot be negative (got ${n}).`,
        {
          extensions: { code: "BAD_REQUEST" },
        },
      );
    }
  }
  const full = args.reverse ? [...items].reverse() : [...items];
  let start = 0;
  let end = full.length;
  /**
   * Where each item stands against the cursor's place in the list's direction: above 0, after it.
   * A cursor without a sort value (a list sorted by id) is its item's place in the list.
   */
  const against = (cursor: string): ((x: T, i: number) => number) => {
    const at = decodeCursor(cursor);
    if (at === undefined)
      throw new GraphQLError("Invalid cursor for current pagination sort.", {
        extensions: { code: "BAD_REQUEST" },
      });
    const { id, value } = at;
    if (!sortValueOf || value === undefined) {
      const itemAt = full.findIndex((x) => keyOf(x) === id);
      return itemAt < 0 ? () => -1 : (_x, i) => i - itemAt;
    }
    const direction = args.reverse ? -1 : 1;
    return (x) => direction * (compareKeys(sortValueOf(x), value) || compareKeys(keyOf(x), id));
  };
  if (args.after) {
    const place = against(args.after);
    const i = full.findIndex((x, at) => place(x, at) > 0);
    start = i >= 0 ? i : full.length;
  }
  if (args.before) {
    const place = against(args.before);
    const i = full.findIndex((x, at) => place(x, at) >= 0);
    end = i >= 0 ? i : end;
  }
  end = Math.max(start, end);
  // Positions of the page inside the full list decide hasNext/hasPrevious.
  let pageStart = start;
  let pageEnd = end;
  if (args.first != null) pageEnd = Math.min(pageEnd, start + args.first);
  if (args.last != null) pageStart = Math.max(pageStart, pageEnd - args.last);
  const page = full.slice(pageStart, pageEnd);
  const edges = page.map((item) => ({
    cursor: encodeCursor(keyOf(item), sortValueOf?.(item)),
    node: view(item),
  }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: pageEnd < full.length,
      hasPreviousPage: pageStart > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
