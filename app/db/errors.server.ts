// Reads the database's refusals the app answers differently from a failure.
import { Prisma } from "@prisma/client";

/**
 * Whether the database refused a row because one with the same unique key exists: another
 * runner (a second worker, a retry) made it first. Both generated clients share Prisma's runtime,
 * so one check covers SQLite and PostgreSQL.
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
