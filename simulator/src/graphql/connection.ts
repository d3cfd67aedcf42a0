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

export function encodeCursor(key: number | string): string {
  return Buffer.from(JSON.stringify({ last_id: key }), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): number | string | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      last_id?: number | string;
    };
    return v.last_id;
  } catch {
    return undefined;
  }
}

/** Builds {edges, nodes, pageInfo}; items must already be sorted in the default direction. */
export function connection<T>(
  items: readonly T[],
  args: ConnectionArgs,
  keyOf: (item: T) => number | string,
  view: (item: T) => unknown,
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
  if (args.after) {
    const k = decodeCursor(args.after);
    if (k === undefined)
      throw new GraphQLError("Invalid cursor for current pagination sort.", {
        extensions: { code: "BAD_REQUEST" },
      });
    const i = full.findIndex((x) => keyOf(x) === k);
    start = i >= 0 ? i + 1 : full.length;
  }
  if (args.before) {
    const k = decodeCursor(args.before);
    if (k === undefined)
      throw new GraphQLError("Invalid cursor for current pagination sort.", {
        extensions: { code: "BAD_REQUEST" },
      });
    const i = full.findIndex((x) => keyOf(x) === k);
    end = i >= 0 ? i : end;
  }
  end = Math.max(start, end);
  // Positions of the page inside the full list decide hasNext/hasPrevious.
  let pageStart = start;
  let pageEnd = end;
  if (args.first != null) pageEnd = Math.min(pageEnd, start + args.first);
  if (args.last != null) pageStart = Math.max(pageStart, pageEnd - args.last);
  const page = full.slice(pageStart, pageEnd);
  const edges = page.map((item) => ({ cursor: encodeCursor(keyOf(item)), node: view(item) }));
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
