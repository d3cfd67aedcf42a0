// Before every test file of the PostgreSQL pass: the test environment, and DATABASE_URL on a fresh
// copy of the migrated template database (tests in a file share it; files never see each other's).
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import pg from "pg";

process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY = "test-api-key";
process.env.SHOPIFY_API_SECRET = "test-api-secret";
process.env.SHOPIFY_APP_URL = "http://localhost:3000";

const template = new URL(inject("postgresTemplateUrl"));
const name = `test_${randomUUID().replaceAll("-", "")}`;
const admin = new URL(template);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.href });
await client.connect();
try {
  // Copying a template is a file copy on the server: milliseconds, where migrating takes seconds.
  await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.pathname.slice(1)}"`);
} finally {
  await client.end();
}
const url = new URL(template);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.href;
