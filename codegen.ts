// graphql-codegen config: types for the app's Admin API documents, generated offline from the committed 2026-10 SDL.
import type { CodegenConfig } from "@graphql-codegen/cli";
import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";

// The same file the document tests validate against. Shopify's shopifyApiTypes()/shopifyApiProject()
// helpers would fetch the schema from shopify.dev (or want an introspection JSON of their own), so the
// two outputs they produce are spelt out here with the same options, pointed at the local SDL.
const schema = "app/shopify/schema/admin-2026-10.graphql";

// Kept in step with isAppSourceFile in tests/shopify/support/collect-documents.ts;
// tests/shopify/codegen.test.ts fails if the two see different operations.
const documents = [
  "app/**/*.{ts,tsx}",
  "!app/**/*.d.ts",
  "!app/**/*.{test,spec}.{ts,tsx}",
  "!app/generated/**",
  "!app/types/**",
];

const config: CodegenConfig = {
  overwrite: true,
  schema,
  documents,
  // The app may have no documents yet; codegen must still write the schema types.
  ignoreNoDocuments: true,
  // Shopify's pluck hooks find `#graphql` templates; codegen passes them on to graphql-tag-pluck
  // at run time, but its config type lists only the older options.
  pluckConfig: pluckConfig as CodegenConfig["pluckConfig"],
  generates: {
    "app/types/admin.types.d.ts": {
      plugins: ["typescript"],
      config: { defaultScalarType: "string", scalars: { JSON: "unknown" } },
    },
    // Operation types, and the AdminQueries/AdminMutations augmentation that types admin.graphql().
    "app/types/admin.generated.d.ts": {
      preset,
      presetConfig: { apiType: ApiType.Admin },
    },
  },
};

export default config;
