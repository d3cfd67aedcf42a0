// Group commit's promises: batches form from what arrives together or during a write, one write
// runs at a time, and nobody hears "done" before the write holding their item has finished.
import { describe, expect, it, vi } from "vitest";
import { createGroupCommit } from "./group-commit";

/** A writer whose writes finish only when the test says so. */
function controlledWriter() {
  const writes: Array<{ items: number[]; finish: () => void; fail: (error: Error) => void }> = [];
  let running = 0;
  let maxRunning = 0;
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      writes.push({
        items,
        finish: () => {
          running--;
          resolve(items.map((item) => `wrote ${item}`));
        },
        fail: (error) => {
          running--;
          reject(error);
        },
      });
    });
  return { write, writes, maxRunning: () => maxRunning };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("createGroupCommit", () => {
  it("writes items submitted together in one batch and answers each its own result", async () => {
    const writer = controlledWriter();
    const group = createGroupCommit(writer.write, { maxBatch: 10 });
    const answers = [1, 2, 3].map((item) => group.submit(item));
    await settle();
    expect(writer.writes.map((w) => w.items)).toEqual([[1, 2, 3]]);
    writer.writes[0]!.finish();
    expect(await Promise.all(answers)).toEqual(["wrote 1", "wrote 2", "wrote 3"]);
  });

  it("does not answer before the write has finished", async () => {
    const writer = controlledWriter();
    const group = createGroupCommit(writer.write, { maxBatch: 10 });
    let answered = false;
    void group.submit(1).then(() => (answered = true));
    await settle();
    await settle();
    expect(answered).toBe(false);
    writer.writes[0]!.finish();
    await vi.waitFor(() => expect(answered).toBe(true));
  });

  it("collects what arrives during a write into the next one, one write at a time", async () => {
    const writer = controlledWriter();
    const group = createGroupCommit(writer.write, { maxBatch: 10 });
    const first = group.submit(1);
    await settle();
    const later = [2, 3, 4].map((item) => group.submit(item));
    await settle();
    expect(writer.writes).toHaveLength(1);
    writer.writes[0]!.finish();
    await first;
    await vi.waitFor(() => expect(writer.writes).toHaveLength(2));
    expect(writer.writes.map((w) => w.items)).toEqual([[1], [2, 3, 4]]);
    writer.writes[1]!.finish();
    await Promise.all(later);
    expect(writer.maxRunning()).toBe(1);
  });

  it("splits a crowd into batches of at most maxBatch", async () => {
    const writer = controlledWriter();
    const group = createGroupCommit(writer.write, { maxBatch: 2 });
    const answers = [1, 2, 3, 4, 5].map((item) => group.submit(item));
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(writer.writes[i]).toBeDefined());
      writer.writes[i]!.finish();
    }
    await Promise.all(answers);
    expect(writer.writes.map((w) => w.items)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("fails only the items of a failed write, and keeps going", async () => {
    const writer = controlledWriter();
    const group = createGroupCommit(writer.write, { maxBatch: 10 });
    const failing = group.submit(1);
    await settle();
    const next = group.submit(2);
    writer.writes[0]!.fail(new Error("disk full"));
    await expect(failing).rejects.toThrow("disk full");
    await vi.waitFor(() => expect(writer.writes).toHaveLength(2));
    writer.writes[1]!.finish();
    await expect(next).resolves.toBe("wrote 2");
  });

  it("rejects every item when the writer answers the wrong number of results", async () => {
    const group = createGroupCommit(async () => ["only one"], { maxBatch: 10 });
    const answers = [group.submit(1), group.submit(2)];
    await expect(answers[0]).rejects.toThrow(/1 results for 2 items/);
    await expect(answers[1]).rejects.toThrow(/1 results for 2 items/);
  });

  it("is idle once everything submitted is written", async () => {
    const writer = controlledWriter();
    const group = createGroupCommit(writer.write, { maxBatch: 10 });
    await group.idle();
    void group.submit(1);
    let idle = false;
    void group.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    writer.writes[0]!.finish();
    await vi.waitFor(() => expect(idle).toBe(true));
  });
});
