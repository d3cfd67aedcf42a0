// Derives the PostgreSQL schema from the SQLite one: same models, another provider and generator.

export const HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/prisma-generate.mjs: do not edit.\n";

export function toPostgresql(schema) {
  const out = schema
    .replace(
      /generator client \{[^}]*\}/,
      'generator client {\n  provider = "prisma-client"\n  output   = "../../app/generated/prisma-postgresql"\n  moduleFormat = "esm"\n}',
    )
    .replace(/provider = "sqlite"/, 'provider = "postgresql"');
  return HEADER + out;
}
