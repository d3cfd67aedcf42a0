// The statement line the pg-boss queue sends its completions and inserts through: one statement on
// its way per key, the calls made meanwhile going together, each caller answered by its own statement.
import { describe, expect, it } from "vitest";
import { statementLines } from "./statement-line";

/** A send whose statements the test answers one by one, in the order they were sent. */
function heldSend<T>(answer: (batch: T[]) => unknown[] = (batch) => batch.map(() => true)) {
  const sent: { key: string; batch: T[]; finish: (error?: Error) => void }[] = [];
  const send = (key: string, batch: T[]) =>
    new Promise<unknown[]>((resolve, reject) =>
      sent.push({
        key,
        batch,
        finish: (error) => (error ? reject(error) : resolve(answer(batch))),
      }),
    );
  return { sent, send };
}

/** Lets the line's awaits after an answered statement run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("statement lines", () => {
  it("sends the first call at once and those made meanwhile together, in the order made", async () => {
    const { sent, send } = heldSend<number>((batch) => batch.map((n) => n * 10));
    const call = statementLines(send, { atOnce: 3 });
    const answers = [1, 2, 3, 4, 5, 6].map((n) => call("q", n));
    expect(sent.map((s) => s.batch)).toEqual([[1]]);
    sent[0]!.finish();
    await settle();
    expect(sent.map((s) => s.batch)).toEqual([[1], [2, 3, 4]]);
    sent[1]!.finish();
    await settle();
    expect(sent.map((s) => s.batch)).toEqual([[1], [2, 3, 4], [5, 6]]);
    sent[2]!.finish();
    // Each caller gets its own call's answer.
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50, 60]);
    // The line is idle again: the next call goes at once.
    void call("q", 7);
    expect(sent.map((s) => s.batch)).toEqual([[1], [2, 3, 4], [5, 6], [7]]);
    sent[3]!.finish();
  });

  it("keeps each key's line apart", async () => {
    const { sent, send } = heldSend<string>();
    const call = statementLines(send, { atOnce: 10 });
    const a = [call("a", "a1"), call("a", "a2")];
    const b = call("b", "b1");
    // b's first call does not wait for a's statement.
    expect(sent.map((s) => [s.key, s.batch])).toEqual([
      ["a", ["a1"]],
      ["b", ["b1"]],
    ]);
    sent[1]!.finish();
    expect(await b).toBe(true);
    sent[0]!.finish();
    await settle();
    expect(sent[2]).toMatchObject({ key: "a", batch: ["a2"] });
    sent[2]!.finish();
    expect(await Promise.all(a)).toEqual([true, true]);
  });

  it("rejects exactly the calls of a failed statement, and the line goes on", async () => {
    const { sent, send } = heldSend<number>();
    const call = statementLines(send, { atOnce: 2 });
    const answers = [1, 2, 3, 4, 5].map((n) =>
      call("q", n).then(
        () => "stored",
        (error: Error) => error.message,
      ),
    );
    sent[0]!.finish();
    await settle();
    sent[1]!.finish(new Error("deadlock detected"));
    await settle();
    expect(sent.map((s) => s.batch)).toEqual([[1], [2, 3], [4, 5]]);
    sent[2]!.finish();
    expect(await Promise.all(answers)).toEqual([
      "stored",
      "deadlock detected",
      "deadlock detected",
      "stored",
      "stored",
    ]);
  });

  it("rejects the calls of a send that throws before its statement goes, and goes on", async () => {
    let first = true;
    const call = statementLines<number, number>(
      (_key, batch) => {
        if (first) {
          first = false;
          throw new Error("not connected");
        }
        return Promise.resolve(batch);
      },
      { atOnce: 5 },
    );
    await expect(call("q", 1)).rejects.toThrow("not connected");
    expect(await call("q", 2)).toBe(2);
  });

  it("sends calls with the same distinct value in separate statements, the later ones keeping their place", async () => {
    const { sent, send } = heldSend<{ id: string; n: number }>();
    const call = statementLines(send, { atOnce: 3, distinct: (job) => job.id });
    const jobs = [
      { id: "x", n: 0 },
      { id: "x", n: 1 },
      { id: "y", n: 2 },
      { id: "x", n: 3 },
      { id: "z", n: 4 },
      { id: "w", n: 5 },
      { id: "v", n: 6 },
    ];
    const answers = jobs.map((job) => call("q", job));
    const sentNs = () => sent.map((s) => s.batch.map((job) => job.n));
    expect(sentNs()).toEqual([[0]]);
    sent[0]!.finish();
    await settle();
    // x's second call waits for the next statement, y and z fill the batch; x's third waits too.
    expect(sentNs()).toEqual([[0], [1, 2, 4]]);
    sent[1]!.finish();
    await settle();
    expect(sentNs()).toEqual([[0], [1, 2, 4], [3, 5, 6]]);
    sent[2]!.finish();
    expect(await Promise.all(answers)).toEqual(jobs.map(() => true));
  });
});
