// Builds a Prisma client for a database URL: `file:` is SQLite through libsql, `postgres(ql)://` is
// PostgreSQL through pg. One data model, two generated clients (docs/decisions/002).
import { PrismaClient } from "@prisma/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresqlPrismaClient } from "../generated/prisma-postgresql/client";

export type Db = PrismaClient;

export type DatabaseKind = "sqlite" | "postgresql";

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new Error(
    `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${url.split(":")[0]}:"`,
  );
}

export function createDb(url: string): Db {
  if (databaseKind(url) === "sqlite") {
    // intMode "bigint": the default throws on a BigInt above 2^53 after the write committed.
    const adapter = new PrismaLibSql({ url, intMode: "bigint" });
    return new PrismaClient({ adapter });
  }
  const adapter = new PrismaPg({ connectionString: url });
  // Both generated clients expose the same model API; the SQLite client's type stands for both.
  return new PostgresqlPrismaClient({ adapter }) as unknown as Db;
}
