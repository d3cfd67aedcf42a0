// A line of calls per key (a queue) that go to the database together: one statement on its way at
// a time, the calls made meanwhile waiting and going together in the next one.

/** Which of the waiting calls go in one statement. */
export interface BatchRule<T> {
  /** The most calls in one statement. */
  atOnce: number;
  /**
   * Calls with the same value here never go in one statement (an insert may not name an id twice):
   * a later one waits for the next statement, keeping its place ahead of those behind it.
   */
  distinct?: (item: T) => unknown;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Calls of one key go to `send` in batches: the first call goes at once, the calls made while a
 * statement is on its way wait and go together (up to the rule's batch) once it is back, so
 * nothing waits longer than one statement and a burst of calls costs a few statements instead of
 * one each. `send` answers one result per call of the batch, in its order; a statement that fails
 * rejects exactly the calls it carried, and the line goes on with the next.
 */
export function statementLines<T, R>(
  send: (key: string, batch: T[]) => Promise<R[]>,
  rule: BatchRule<T>,
): (key: string, item: T) => Promise<R> {
  const lines = new Map<string, { sending: boolean; waiting: Waiting<T, R>[] }>();

  const take = (waiting: Waiting<T, R>[]): [Waiting<T, R>[], Waiting<T, R>[]] => {
    if (!rule.distinct) return [waiting.slice(0, rule.atOnce), waiting.slice(rule.atOnce)];
    const seen = new Set<unknown>();
    const batch: Waiting<T, R>[] = [];
    const rest: Waiting<T, R>[] = [];
    for (const w of waiting) {
      const value = rule.distinct(w.item);
      if (batch.length >= rule.atOnce || seen.has(value)) rest.push(w);
      else {
        seen.add(value);
        batch.push(w);
      }
    }
    return [batch, rest];
  };

  const sendAll = async (key: string, line: { sending: boolean; waiting: Waiting<T, R>[] }) => {
    line.sending = true;
    while (line.waiting.length > 0) {
      const [batch, rest] = take(line.waiting);
      line.waiting = rest;
      try {
        const results = await send(
          key,
          batch.map((w) => w.item),
        );
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    line.sending = false;
  };

  return (key, item) => {
    let line = lines.get(key);
    if (!line) lines.set(key, (line = { sending: false, waiting: [] }));
    const result = new Promise<R>((resolve, reject) =>
      line.waiting.push({ item, resolve, reject }),
    );
    if (!line.sending) void sendAll(key, line);
    return result;
  };
}
