// Before every test file: the test environment, and DATABASE_URL on a fresh migrated SQLite file.
import { afterAll } from "vitest";
import { createTestDatabaseFile } from "./db";

process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY = "test-api-key";
process.env.SHOPIFY_API_SECRET = "test-api-secret";
process.env.SHOPIFY_APP_URL = "http://localhost:3000";

// Before the test file imports anything: app/db.server.ts reads DATABASE_URL when first imported.
// One file per test file (tests in a file share it), so files never see each other's rows.
const database = await createTestDatabaseFile(`worker${process.env.VITEST_POOL_ID ?? "0"}`);
process.env.DATABASE_URL = database.url;

afterAll(() => {
  // Removing the file under a still-open client is safe on Linux and macOS: the open handle
  // keeps the data until the process ends.
  database.cleanup();
});
