// Every GraphQL document the app sends is valid against Shopify's 2026-10 schema and follows the project's rules.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkDocuments, formatProblem, type DocumentRule } from "./support/check-documents";
import {
  collectDocuments,
  findUnpluckedTemplates,
  isAppSourceFile,
  EXECUTOR_DOCUMENTS,
  inlineDocument,
} from "./support/collect-documents";
import { Kind, visit } from "graphql";
import { adminSchema, mutationsRequiringIdempotencyKey } from "./support/schema";
import { PROJECT_ROOT, SHOPIFY_FIXTURES_DIR } from "./support/paths";

const fixtures = (folder: string) => ({
  dirs: [`${SHOPIFY_FIXTURES_DIR}/${folder}`],
  include: () => true,
});

describe("the app's GraphQL documents", () => {
  const documents = collectDocuments();

  it(`all ${documents.length} parse, validate, are named uniquely, select userErrors and use nothing deprecated`, () => {
    const problems = checkDocuments(documents, adminSchema()).map(formatProblem);
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("sends every mutation whose description requires an idempotency key with @idempotent(key:)", () => {
    const required = new Set(mutationsRequiringIdempotencyKey());
    expect(required).toContain("refundCreate");
    const missing: string[] = [];
    for (const document of documents)
      for (const definition of document.ast?.definitions ?? [])
        if (definition.kind === Kind.OPERATION_DEFINITION && definition.operation === "mutation")
          visit(definition.selectionSet, {
            Field(field) {
              const keyed = field.directives?.some((d) => d.name.value === "idempotent");
              if (required.has(field.name.value) && !keyed)
                missing.push(`${document.file}: ${document.name} sends ${field.name.value}`);
              return false;
            },
          });
    expect(missing, missing.join("\n")).toEqual([]);
  });

  it("has no #graphql template that codegen's pluck cannot see", () => {
    const missed = findUnpluckedTemplates().map(
      ({ file, templates, plucked }) =>
        `${file}: ${templates} \`#graphql templates, ${plucked} plucked — start each document on the line after #graphql`,
    );
    expect(missed, missed.join("\n")).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("accept a known-good document and reject a misspelt field", () => {
    const good = inlineDocument(
      "GOOD",
      "query Good($id: ID!) { order(id: $id) { id fulfillmentOrders(first: 1) { nodes { id status } } } }",
    );
    const bad = inlineDocument(
      "BAD",
      "query Bad($id: ID!) { order(id: $id) { id fulfilmentOrders(first: 1) { nodes { id } } } }",
    );

    expect(checkDocuments([good], adminSchema())).toEqual([]);
    const problems = checkDocuments([bad], adminSchema());
    expect(problems.map((problem) => problem.rule)).toEqual(["validate"]);
    expect(problems[0]?.message).toContain('Cannot query field "fulfilmentOrders" on type "Order"');
  });

  it("the collector finds the app's named #graphql constants, with their files, lines, text and AST", () => {
    const documents = collectDocuments();
    const named = (name: string) => documents.find((document) => document.name === name);
    // The executor's documents, read where the app sends them from (no copies to go stale).
    expect(documents.map((document) => document.name)).toEqual(
      expect.arrayContaining([...EXECUTOR_DOCUMENTS]),
    );
    const snapshot = named("ORDER_SNAPSHOT_QUERY");
    const file = "app/shopify/operations.ts";
    const declaredOn =
      readFileSync(path.join(PROJECT_ROOT, file), "utf8")
        .split("\n")
        .findIndex((line) => line.startsWith("export const ORDER_SNAPSHOT_QUERY = `#graphql")) + 1;
    expect(snapshot?.file).toBe(file);
    expect(declaredOn).toBeGreaterThan(0);
    expect(snapshot?.line).toBe(declaredOn);
    expect(snapshot?.source).toContain("query OrderSnapshot(");
    // An interpolated fragment reaches codegen as a marker comment, not as text.
    expect(snapshot?.source).toContain("#REQUIRED_VAR=ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT");
    expect(snapshot?.ast?.definitions.map((definition) => definition.kind)).toEqual([
      "OperationDefinition",
    ]);
    // A fragment that spreads another: the split names both, and checks clean with them resolved.
    const split = named("FULFILLMENT_ORDER_SPLIT_MUTATION");
    expect(split?.source).toContain("#REQUIRED_VAR=CHANGED_FULFILLMENT_ORDER_FRAGMENT");
    expect(split?.source).toContain("#REQUIRED_VAR=ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT");
    const problems = checkDocuments(documents, adminSchema())
      .filter((problem) => problem.name === "FULFILLMENT_ORDER_SPLIT_MUTATION")
      .map(formatProblem);
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("each broken fixture fails exactly the rule it breaks, with file and line", () => {
    const problems = checkDocuments(collectDocuments(fixtures("invalid-documents")), adminSchema());
    const rulesByDocument: Record<string, DocumentRule[]> = {};
    for (const problem of problems) (rulesByDocument[problem.name] ??= []).push(problem.rule);

    expect(rulesByDocument).toEqual({
      MISSPELT_FIELD_QUERY: ["validate"],
      ANONYMOUS_QUERY: ["named"],
      SHOP_NAME_AGAIN_QUERY: ["unique-name"],
      HOLD_WITHOUT_USER_ERRORS_MUTATION: ["user-errors"],
      DEPRECATED_FULFILLMENT_CREATE_MUTATION: ["deprecated"],
      UNPARSEABLE_QUERY: ["parse"],
    });
    const misspelt = problems.find((problem) => problem.name === "MISSPELT_FIELD_QUERY");
    expect(misspelt && formatProblem(misspelt)).toMatch(
      /^tests\/shopify\/fixtures\/invalid-documents\/broken\.ts:8 MISSPELT_FIELD_QUERY \[validate\] Cannot query field "fulfilmentOrders"/,
    );
  });

  it("a fragment's own error is reported once, against the fragment, not against every user", () => {
    const fragment = inlineDocument(
      "FRAGMENT",
      "fragment Lines on FulfillmentOrder { id lineItemz(first: 1) { nodes { id } } }",
    );
    const user = inlineDocument(
      "USER",
      "query UsesLines($id: ID!) { fulfillmentOrder(id: $id) { ...Lines } }",
    );

    expect(
      checkDocuments([fragment, user], adminSchema()).map(
        (problem) => `${problem.name} ${problem.rule}`,
      ),
    ).toEqual(["FRAGMENT validate"]);
  });

  it("catches a one-line #graphql template that codegen would silently skip", () => {
    expect(findUnpluckedTemplates(fixtures("invalid-documents"))).toEqual([
      { file: `${SHOPIFY_FIXTURES_DIR}/invalid-documents/one-line.ts`, templates: 1, plucked: 0 },
    ]);
  });

  it("looks only at the app's own source: not generated code, codegen output or tests", () => {
    expect(isAppSourceFile("app/shopify/order-snapshot.server.ts")).toBe(true);
    expect(isAppSourceFile("app/routes/app._index.tsx")).toBe(true);
    expect(isAppSourceFile("app/generated/prisma-postgresql/client.ts")).toBe(false);
    expect(isAppSourceFile("app/types/admin.generated.d.ts")).toBe(false);
    expect(isAppSourceFile("app/routing/plan.test.ts")).toBe(false);
    expect(isAppSourceFile("app/shopify/schema/admin-2026-10.graphql")).toBe(false);
  });
});
