// The cursor loop every read past Shopify's first page goes through: which pages it asks for, when
// it stops, and how it ends when a cursor never ends, is missing, or its owner is gone meanwhile.
import { describe, expect, it } from "vitest";
import { readPages, type Page } from "./pages";

const LIMIT = { maxPages: 3, tooMany: "order 1: more fulfillment orders than the router reads" };

const page = (nodes: string[], endCursor: string | null, hasNextPage = endCursor !== null) => ({
  nodes,
  pageInfo: { hasNextPage, endCursor },
});

/** A connection served from `pages`, keyed by the cursor each is read from; the cursors asked. */
function served(pages: Record<string, Page<string> | null>) {
  const asked: string[] = [];
  const next = async (after: string) => {
    asked.push(after);
    if (!(after in pages)) throw new Error(`no page after ${after}`);
    return pages[after]!;
  };
  return { asked, next };
}

describe("reading a connection on past its first page", () => {
  it("answers a first page that says none follow as it is, without a call", async () => {
    const first = page(["a"], "c1", false);
    const { asked, next } = served({});
    expect(await readPages(first, LIMIT, next)).toBe(first);
    expect(asked).toEqual([]);
  });

  it("appends each page read from the cursor of the one before, with the last page's pageInfo", async () => {
    const { asked, next } = served({ c1: page(["b", "c"], "c2"), c2: page(["d"], "c3", false) });
    expect(await readPages(page(["a"], "c1"), LIMIT, next)).toEqual({
      nodes: ["a", "b", "c", "d"],
      pageInfo: { hasNextPage: false, endCursor: "c3" },
    });
    expect(asked).toEqual(["c1", "c2"]);
  });

  it("reads up to the limit, the first page counted, and fails when more follow after it", async () => {
    const whole = served({ c1: page(["b"], "c2"), c2: page(["c"], "c3", false) });
    expect((await readPages(page(["a"], "c1"), LIMIT, whole.next)).nodes).toEqual(["a", "b", "c"]);

    const endless = served({ c1: page(["b"], "c2"), c2: page(["c"], "c3"), c3: page(["d"], "c4") });
    await expect(readPages(page(["a"], "c1"), LIMIT, endless.next)).rejects.toThrow(
      new Error(LIMIT.tooMany),
    );
    expect(endless.asked).toEqual(["c1", "c2"]);
  });

  it("fails when a page says more follow but gives no cursor to read them from", async () => {
    const atFirst = served({});
    await expect(readPages(page(["a"], null, true), LIMIT, atFirst.next)).rejects.toThrow(
      new Error(LIMIT.tooMany),
    );
    expect(atFirst.asked).toEqual([]);

    const later = served({ c1: page(["b"], null, true) });
    await expect(readPages(page(["a"], "c1"), LIMIT, later.next)).rejects.toThrow(
      new Error(LIMIT.tooMany),
    );
    expect(later.asked).toEqual(["c1"]);
  });

  it("answers null, and reads no further, when a page's owner is gone meanwhile", async () => {
    const { asked, next } = served({ c1: page(["b"], "c2"), c2: null, c3: page(["d"], null) });
    expect(await readPages(page(["a"], "c1"), { ...LIMIT, maxPages: 10 }, next)).toBeNull();
    expect(asked).toEqual(["c1", "c2"]);
  });

  it("fails with the failure of a page's read", async () => {
    const { next } = served({});
    await expect(readPages(page(["a"], "c1"), LIMIT, next)).rejects.toThrow("no page after c1");
  });
});
