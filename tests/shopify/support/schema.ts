// Loads the committed Admin API 2026-10 schema (SDL) and the requiredAccess text Shopify publishes beside it.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildSchema, type GraphQLSchema } from "graphql";
import { ADMIN_INTROSPECTION_FILE, ADMIN_SDL_FILE, fromRoot } from "./paths";

let schema: GraphQLSchema | undefined;

/** The schema documents are validated against: the same SDL file codegen reads. */
export function adminSchema(): GraphQLSchema {
  // Building takes about a second; every test in a worker shares one copy.
  schema ??= buildSchema(readFileSync(fromRoot(ADMIN_SDL_FILE), "utf8"));
  return schema;
}

interface IntrospectionField {
  name: string;
  description?: string | null;
  requiredAccess?: string | null;
}

interface IntrospectionType {
  name: string;
  kind: string;
  requiredAccess?: string | null;
  fields?: IntrospectionField[] | null;
  inputFields?: IntrospectionField[] | null;
}

interface IntrospectionFile {
  data: { __schema: { types: IntrospectionType[] } };
}

/**
 * requiredAccess by schema coordinate: "Order" for a type, "QueryRoot.order" for a field.
 * The SDL carries no descriptions or access text, so this comes from the introspection JSON.
 */
export interface AccessIndex {
  readonly byCoordinate: ReadonlyMap<string, string>;
  /** Every "Type" and "Type.field" coordinate the introspection describes, with or without access text. */
  readonly coordinates: ReadonlySet<string>;
}

let accessIndex: AccessIndex | undefined;

export function adminAccessIndex(): AccessIndex {
  if (accessIndex) return accessIndex;
  const raw = gunzipSync(readFileSync(fromRoot(ADMIN_INTROSPECTION_FILE))).toString("utf8");
  const introspection = JSON.parse(raw) as IntrospectionFile;
  const byCoordinate = new Map<string, string>();
  const coordinates = new Set<string>();
  for (const type of introspection.data.__schema.types) {
    if (type.name.startsWith("__")) continue;
    coordinates.add(type.name);
    if (type.requiredAccess) byCoordinate.set(type.name, type.requiredAccess);
    for (const field of [...(type.fields ?? []), ...(type.inputFields ?? [])]) {
      const coordinate = `${type.name}.${field.name}`;
      coordinates.add(coordinate);
      if (field.requiredAccess) byCoordinate.set(coordinate, field.requiredAccess);
    }
  }
  accessIndex = { byCoordinate, coordinates };
  return accessIndex;
}

/**
 * The mutations whose description says "the idempotency key is required and must be provided
 * using the `@idempotent` directive" (refundCreate and the inventory and location ones in 2026-10).
 */
export function mutationsRequiringIdempotencyKey(): string[] {
  const raw = gunzipSync(readFileSync(fromRoot(ADMIN_INTROSPECTION_FILE))).toString("utf8");
  const introspection = JSON.parse(raw) as IntrospectionFile;
  const mutation = introspection.data.__schema.types.find((type) => type.name === "Mutation");
  return (mutation?.fields ?? [])
    .filter((field) => /idempotency key is required/.test(field.description ?? ""))
    .map((field) => field.name);
}
