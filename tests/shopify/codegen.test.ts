// The types committed under app/types are what codegen produces today, and codegen sees the same operations as the checks.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { Kind, type DocumentNode } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import config from "../../codegen";
import { collectDocuments } from "./support/collect-documents";
import { PROJECT_ROOT } from "./support/paths";

type Output = { filename: string; content: string };

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The type names Shopify's preset gives operations: OrderSnapshot + query → OrderSnapshotQuery. */
function operationTypeNames(asts: readonly (DocumentNode | null)[]): string[] {
  return asts
    .flatMap((ast) => ast?.definitions ?? [])
    .flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name
        ? [`${capitalise(definition.name.value)}${capitalise(definition.operation)}`]
        : [],
    )
    .sort();
}

function generatedOperationTypeNames(content: string): string[] {
  return [...content.matchAll(/^export type (\w+(?:Query|Mutation|Subscription)) = /gm)]
    .map((match) => match[1] ?? "")
    .sort();
}

const relative = (filename: string) =>
  path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, filename)).split(path.sep).join("/");

const CODEGEN_TIMEOUT_MS = 240_000;

describe("codegen for the app", () => {
  let outputs: Output[] = [];

  // Codegen parses Shopify's whole Admin schema: seconds on a quiet machine, more than a minute
  // on a busy one, so its bounds are wide; they stop a hang, they do not measure speed.
  beforeAll(async () => {
    // In memory: nothing is written, so a stale checkout stays visible as a failure.
    outputs = await generate({ ...config, cwd: PROJECT_ROOT, silent: true }, false);
  }, CODEGEN_TIMEOUT_MS);

  it("matches the committed files in app/types (run `npm run codegen` and commit if not)", () => {
    const generated = outputs.map((output) => relative(output.filename)).sort();
    const committed = readdirSync(path.join(PROJECT_ROOT, "app/types"))
      .map((name) => `app/types/${name}`)
      .sort();
    expect(committed).toEqual(generated);

    const stale = outputs
      .filter((output) => {
        const file = path.resolve(PROJECT_ROOT, output.filename);
        return !existsSync(file) || readFileSync(file, "utf8") !== output.content;
      })
      .map((output) => relative(output.filename));
    expect(stale, `stale generated types: ${stale.join(", ")} — run \`npm run codegen\``).toEqual(
      [],
    );
  });

  it("resolves interpolated fragments, a fragment spread inside another too, in the operations' types and their keys", () => {
    const content =
      outputs.find((output) => output.filename.endsWith("admin.generated.d.ts"))?.content ?? "";
    expect(content).toContain("export type OrderSnapshotFulfillmentOrderFragment");
    expect(content).toContain("export type ChangedFulfillmentOrderFragment");
    // admin.graphql's typings key on the full text sent, the interpolated fragments included.
    expect(content).toMatch(
      /interface GeneratedQueryTypes \{\n\s+"#graphql\\n\s+query OrderSnapshot\([^\n]*fragment OrderSnapshotFulfillmentOrder on/,
    );
    expect(content).toMatch(
      /"#graphql\\n\s+mutation FulfillmentOrderSplit\([^\n]*fragment ChangedFulfillmentOrder on[^\n]*fragment OrderSnapshotFulfillmentOrder on/,
    );
  });

  it("types exactly the operations the document checks collect", () => {
    const operations = outputs.find((output) => output.filename.endsWith("admin.generated.d.ts"));
    const collected = collectDocuments().map((document) => document.ast);
    expect(generatedOperationTypeNames(operations?.content ?? "")).toEqual(
      operationTypeNames(collected),
    );
  });
});
