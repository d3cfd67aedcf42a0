// Loads Shopify's committed Admin API 2026-10 schema (the one file the simulator shares with the app) once per process.
import { readFileSync } from "node:fs";
import { buildSchema, type GraphQLSchema } from "graphql";

export const API_VERSION = "2026-10";
export const SCHEMA_URL = new URL(
  "../../../app/shopify/schema/admin-2026-10.graphql",
  import.meta.url,
);

let cached: GraphQLSchema | undefined;

/** Building the 780 KB SDL takes about half a second, so every simulator in a process shares one. */
export function adminSchema(): GraphQLSchema {
  cached ??= buildSchema(readFileSync(SCHEMA_URL, "utf8"));
  return cached;
}
