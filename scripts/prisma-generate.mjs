// Generates both Prisma clients: SQLite from prisma/schema.prisma and PostgreSQL from a copy of
// it derived here, so the one data model is written once (docs/decisions/002-one-model-two-databases.md).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toPostgresql } from "./prisma-postgresql.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = readFileSync(join(root, "prisma/schema.prisma"), "utf8");

mkdirSync(join(root, "prisma/postgresql"), { recursive: true });
writeFileSync(join(root, "prisma/postgresql/schema.prisma"), toPostgresql(source));

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: join(root, "scripts/no-schema-engine.sh"),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const prisma = join(root, "node_modules/prisma/build/index.js");
for (const schema of ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"]) {
  execFileSync(process.execPath, [prisma, "generate", "--schema", schema], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
