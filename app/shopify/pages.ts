// Reads a connection on past the page Shopify answered: each next page from the cursor of the one
// before, appended, up to a limit of pages. The shop's locations and an order's fulfillment orders
// and their lines are all read on this way.

/** A page of a connection as Shopify answers one: its nodes, and whether more follow from where. */
export interface Page<Node> {
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface PageLimit {
  /** The most pages one read takes, the first included. */
  maxPages: number;
  /** The failure's message when more pages follow than that, or a page gives no cursor to them. */
  tooMany: string;
}

/**
 * The connection whose page in hand is `first`, with the pages after it appended, each read by
 * `next` from the cursor of the one before, until a page says none follow; the answer's pageInfo
 * is the last page's. A first page that says none follow is answered as it is, without a call.
 *
 * It fails when more follow after `maxPages` pages, or a page says more follow without a cursor:
 * a cursor that never ends (or a page read again from the start) would otherwise spend the shop's
 * bucket for ever. It answers null as soon as `next` does: what the pages belong to (an order)
 * is gone meanwhile, and the pages read so far are no part of anything.
 */
export async function readPages<Node>(
  first: Page<Node>,
  limit: PageLimit,
  next: (after: string) => Promise<Page<Node>>,
): Promise<Page<Node>>;
export async function readPages<Node>(
  first: Page<Node>,
  limit: PageLimit,
  next: (after: string) => Promise<Page<Node> | null>,
): Promise<Page<Node> | null>;
export async function readPages<Node>(
  first: Page<Node>,
  { maxPages, tooMany }: PageLimit,
  next: (after: string) => Promise<Page<Node> | null>,
): Promise<Page<Node> | null> {
  if (!first.pageInfo.hasNextPage) return first;
  const nodes = [...first.nodes];
  let pageInfo = first.pageInfo;
  for (let page = 2; pageInfo.hasNextPage; page++) {
    if (page > maxPages || !pageInfo.endCursor) throw new Error(tooMany);
    const answer = await next(pageInfo.endCursor);
    if (!answer) return null;
    nodes.push(...answer.nodes);
    pageInfo = answer.pageInfo;
  }
  return { nodes, pageInfo };
}
