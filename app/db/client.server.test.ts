// Two processes on one SQLite file (the web process and `npm run worker`): a write that meets the
// other's write lock waits for it instead of failing with SQLITE_BUSY.
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabaseFile, type TestDatabaseFile } from "../../tests/setup/db";
import { createDb, SQLITE_BUSY_TIMEOUT_MS, type Db } from "./client.server";

let file: TestDatabaseFile;
const clients: Db[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.$disconnect()));
  file?.cleanup();
});

const open = () => {
  const db = createDb(file.url);
  clients.push(db);
  return db;
};

describe("SQLite connections", () => {
  it("wait out another process's write instead of failing with SQLITE_BUSY", async () => {
    file = await createTestDatabaseFile("busy");
    const worker = open();
    await worker.shop.create({ data: { shop: "warm-up.myshopify.com" } });
    // Another process (the web process, say) holds the write lock for 600 ms. A process of its
    // own: SQLite's wait blocks the waiting thread, so both ends in one process would deadlock.
    const holder = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { createClient } from "@libsql/client";
         const c = createClient({ url: ${JSON.stringify(file.url)} });
         await c.execute("BEGIN IMMEDIATE");
         await c.execute("INSERT INTO Shop (shop, updatedAt) VALUES ('first.myshopify.com', 0)");
         console.log("locked");
         await new Promise((r) => setTimeout(r, 600));
         await c.execute("COMMIT");`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise((resolve) => holder.once("exit", resolve));
    await new Promise<void>((resolve) => holder.stdout!.once("data", () => resolve()));
    // The worker's write meanwhile waits for the lock rather than failing.
    await expect(
      worker.shop.create({ data: { shop: "second.myshopify.com" } }),
    ).resolves.toBeTruthy();
    expect(await exited).toBe(0);
    expect(await worker.shop.count()).toBe(3);
  });

  it("keep the busy timeout on the connection opened after a transaction", async () => {
    file = await createTestDatabaseFile("busy-after-tx");
    const db = open();
    const timeout = async () =>
      Number(
        (await db.$queryRawUnsafe<Array<{ timeout: bigint | number }>>("PRAGMA busy_timeout"))[0]!
          .timeout,
      );
    expect(await timeout()).toBe(SQLITE_BUSY_TIMEOUT_MS);
    await db.$transaction(async (tx) => {
      await tx.shop.create({ data: { shop: "tx.myshopify.com" } });
    });
    expect(await timeout()).toBe(SQLITE_BUSY_TIMEOUT_MS);
  });
});
