// Checks collected documents against the schema and the project's rules: valid, named, unique, userErrors, nothing deprecated.
import {
  Kind,
  NoDeprecatedCustomRule,
  NoUnusedFragmentsRule,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { CollectedDocument } from "./collect-documents";

export type DocumentRule =
  "parse" | "validate" | "named" | "unique-name" | "user-errors" | "deprecated";

export interface DocumentProblem {
  rule: DocumentRule;
  file: string;
  line: number;
  /** The constant's name. */
  name: string;
  message: string;
}

export function formatProblem(problem: DocumentProblem): string {
  return `${problem.file}:${problem.line} ${problem.name} [${problem.rule}] ${problem.message}`;
}

type ParsedDocument = CollectedDocument & { ast: DocumentNode };

function isParsed(document: CollectedDocument): document is ParsedDocument {
  return document.ast !== null;
}

function fileLine(document: CollectedDocument, error: GraphQLError): number {
  const line = error.locations?.[0]?.line;
  return line === undefined ? document.line : document.line + line - 1;
}

/**
 * Fragments are shared between documents by interpolation (`${FRAGMENT}`), which the pluck turns into
 * a comment, so each document is checked together with every fragment it spreads from anywhere in
 * the set, as codegen does when it merges all documents.
 */
export function fragmentPool(
  documents: readonly CollectedDocument[],
): Map<string, FragmentDefinitionNode> {
  const pool = new Map<string, FragmentDefinitionNode>();
  for (const document of documents.filter(isParsed)) {
    for (const definition of document.ast.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION && !pool.has(definition.name.value)) {
        pool.set(definition.name.value, definition);
      }
    }
  }
  return pool;
}

export function withSpreadFragments(
  ast: DocumentNode,
  pool: ReadonlyMap<string, FragmentDefinitionNode>,
): DocumentNode {
  const own = new Set(
    ast.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [definition.name.value] : [],
    ),
  );
  const added: FragmentDefinitionNode[] = [];
  const pending: DocumentNode[] = [ast];
  while (pending.length > 0) {
    const next = pending.pop();
    if (!next) break;
    visit(next, {
      FragmentSpread(node) {
        const name = node.name.value;
        const fragment = pool.get(name);
        if (own.has(name) || !fragment) return;
        own.add(name);
        added.push(fragment);
        pending.push({ kind: Kind.DOCUMENT, definitions: [fragment] });
      },
    });
  }
  return added.length === 0 ? ast : { ...ast, definitions: [...ast.definitions, ...added] };
}

/** Errors that point into another document's fragment are reported once, against that document. */
function pointsInto(error: GraphQLError, document: ParsedDocument): boolean {
  const source = error.nodes?.[0]?.loc?.source;
  return source === undefined || source === document.ast.loc?.source;
}

function rootFieldsLackingUserErrors(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): string[] {
  const fieldsOf = (
    selectionSet: SelectionSetNode | undefined,
  ): { name: string; selectionSet?: SelectionSetNode }[] => {
    if (!selectionSet) return [];
    return selectionSet.selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD)
        return [{ name: selection.name.value, selectionSet: selection.selectionSet }];
      if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet);
      return fieldsOf(fragments.get(selection.name.value)?.selectionSet);
    });
  };
  // Most payloads call it `userErrors`; a few older ones (locationActivate…) use `<mutation>UserErrors`.
  const selectsUserErrors = (selectionSet: SelectionSetNode | undefined) =>
    fieldsOf(selectionSet).some((field) => /(^u|U)serErrors$/.test(field.name));
  return fieldsOf(operation.selectionSet)
    .filter((field) => field.name !== "__typename" && !selectsUserErrors(field.selectionSet))
    .map((field) => field.name);
}

const RULES_FOR_FRAGMENT_ONLY_DOCUMENTS = specifiedRules.filter(
  (rule) => rule !== NoUnusedFragmentsRule,
);

export function checkDocuments(
  documents: readonly CollectedDocument[],
  schema: GraphQLSchema,
): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const report = (
    document: CollectedDocument,
    rule: DocumentRule,
    message: string,
    line = document.line,
  ) => problems.push({ rule, file: document.file, line, name: document.name, message });

  for (const document of documents) {
    if (document.parseError)
      report(
        document,
        "parse",
        document.parseError.message,
        fileLine(document, document.parseError),
      );
  }

  const parsed = documents.filter(isParsed);
  const pool = fragmentPool(parsed);
  const seenOperations = new Map<string, CollectedDocument>();
  const seenFragments = new Map<string, CollectedDocument>();

  for (const document of parsed) {
    const full = withSpreadFragments(document.ast, pool);
    const hasOperation = document.ast.definitions.some(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const rules = hasOperation ? specifiedRules : RULES_FOR_FRAGMENT_ONLY_DOCUMENTS;

    for (const error of validate(schema, full, rules)) {
      if (pointsInto(error, document))
        report(document, "validate", error.message, fileLine(document, error));
    }
    for (const error of validate(schema, full, [NoDeprecatedCustomRule])) {
      if (pointsInto(error, document))
        report(document, "deprecated", error.message, fileLine(document, error));
    }

    for (const definition of document.ast.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const name = definition.name.value;
        const first = seenFragments.get(name);
        if (first && first !== document) {
          report(
            document,
            "unique-name",
            `fragment ${name} is also defined by ${first.name} (${first.file})`,
          );
        } else {
          seenFragments.set(name, document);
        }
        continue;
      }
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = definition.name?.value;
      if (!name) {
        // Codegen keys types by operation name, and Shopify's logs and cost reports show it.
        report(document, "named", `an anonymous ${definition.operation}: give it a name`);
      } else {
        const first = seenOperations.get(name);
        if (first) {
          report(
            document,
            "unique-name",
            `operation ${name} is also defined by ${first.name} (${first.file})`,
          );
        } else {
          seenOperations.set(name, document);
        }
      }
      if (definition.operation === "mutation") {
        const fragments = new Map(
          full.definitions.flatMap((d) =>
            d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
          ),
        );
        for (const field of rootFieldsLackingUserErrors(definition, fragments)) {
          report(document, "user-errors", `mutation field ${field} does not select userErrors`);
        }
      }
    }
  }
  return problems;
}
