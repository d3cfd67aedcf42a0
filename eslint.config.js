// Lint rules for the app, the simulator and the tests: TypeScript's recommended set plus React hooks.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "node_modules/**",
      "app/generated/**",
      "app/types/*.d.ts",
      "coverage/**",
      "tests/e2e/artifacts/**",
      "extensions/**/dist/**",
      "public/build/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "detect" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      "react/prop-types": "off",
      // App Bridge's web components (ui-save-bar buttons…) take these attributes.
      "react/no-unknown-property": ["error", { ignore: ["variant", "tone", "loading"] }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // The routing domain stays pure: no framework, database or Shopify package.
    files: ["app/routing/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@remix-run/*",
                "@prisma/*",
                "@shopify/*",
                "node:*",
                "graphql-request",
                "react",
              ],
              message: "app/routing is pure: no framework, I/O or Shopify imports.",
            },
            {
              group: ["../*", "!../routing/*"],
              message: "app/routing imports nothing outside itself.",
            },
          ],
        },
      ],
    },
  },
  {
    // The simulator and the app share only the wire and the committed schema.
    files: ["simulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/app/*", "~/*"], message: "The simulator must not import the app." },
          ],
        },
      ],
    },
  },
);
