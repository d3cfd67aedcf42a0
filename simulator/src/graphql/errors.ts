// Refusals shaped like Shopify's: graphql-js validation errors rewritten into the messages and extensions.code that Shopify's GraphQL server (graphql-ruby) gives.
//
// The messages and codes below are graphql-ruby's static-validation wording (undefinedField,
// missingRequiredArguments, argumentNotAccepted, selectionMismatch, variableNotDefined, ...), which
// Shopify's Admin API returns with HTTP 200. Where we could not confirm Shopify's exact wording
// (syntax errors, invalid variable values) we keep graphql-js's message and say so in the code.
import {
  GraphQLError,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type OperationDefinitionNode,
} from "graphql";

export interface ShopifyError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions: Record<string, unknown>;
}

function locations(e: GraphQLError) {
  return e.locations ? e.locations.map((l) => ({ line: l.line, column: l.column })) : undefined;
}

/** Path of a node as graphql-ruby writes it: ["query Name", "order", "foo"]. */
function pathsOf(doc: DocumentNode): Map<ASTNode, string[]> {
  const paths = new Map<ASTNode, string[]>();
  visit(doc, {
    enter(node, _key, _parent, _path, ancestors) {
      if (node.kind !== Kind.FIELD && node.kind !== Kind.ARGUMENT) return;
      const chain: string[] = [];
      for (const a of ancestors) {
        if (Array.isArray(a)) continue;
        const n = a as ASTNode;
        if (n.kind === Kind.OPERATION_DEFINITION) {
          const op = n as OperationDefinitionNode;
          chain.push(op.name ? `${op.operation} ${op.name.value}` : op.operation);
        } else if (n.kind === Kind.FRAGMENT_DEFINITION) {
          chain.push(`fragment ${n.name.value}`);
        } else if (n.kind === Kind.FIELD) {
          chain.push(n.alias?.value ?? n.name.value);
        }
      }
      if (node.kind === Kind.FIELD) chain.push(node.alias?.value ?? node.name.value);
      else chain.push(node.name.value);
      paths.set(node, chain);
    },
  });
  return paths;
}

export function shopifyValidationErrors(
  doc: DocumentNode,
  errors: readonly GraphQLError[],
): ShopifyError[] {
  const paths = pathsOf(doc);
  const opName = (() => {
    const op = doc.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    return op?.name ? `${op.operation} '${op.name.value}'` : "anonymous query";
  })();
  return errors.map((e) => {
    const node = e.nodes?.[0];
    const path = node ? paths.get(node) : undefined;
    const base = { locations: locations(e), ...(path ? { path } : {}) };
    let m: RegExpExecArray | null;
    if ((m = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(e.message)))
      return {
        message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
        ...base,
        extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
      };
    if (
      (m =
        /^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required, but it was not provided\./.exec(
          e.message,
        ))
    )
      return {
        message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
        ...base,
        extensions: {
          code: "missingRequiredArguments",
          className: "Field",
          name: m[1],
          arguments: m[2],
        },
      };
    if ((m = /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./.exec(e.message)))
      return {
        message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
        ...base,
        extensions: {
          code: "argumentNotAccepted",
          name: m[3],
          typeName: "Field",
          argumentName: m[1],
        },
      };
    if (
      (m = /^Field "(.+?)" must not have a selection since type "(.+?)" has no subfields\./.exec(
        e.message,
      ))
    )
      return {
        message: `Selections can't be made on scalars (field '${m[1]}' returns ${m[2]} but has selections [${selectionNames(node)}])`,
        ...base,
        extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2] },
      };
    if ((m = /^Field "(.+?)" of type "(.+?)" must have a selection of subfields\./.exec(e.message)))
      return {
        message: `Field must have selections (field '${m[1]}' returns ${m[2]!.replace(/[![\]]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`,
        ...base,
        extensions: {
          code: "selectionMismatch",
          nodeName: `field '${m[1]}'`,
          typeName: m[2]!.replace(/[![\]]/g, ""),
        },
      };
    if ((m = /^Variable "\$(.+?)" is not defined/.exec(e.message)))
      return {
        message: `Variable $${m[1]} is used by ${opName} but not declared`,
        ...base,
        extensions: { code: "variableNotDefined", variableName: m[1] },
      };
    if ((m = /^Variable "\$(.+?)" is never used/.exec(e.message)))
      return {
        message: `Variable $${m[1]} is declared by ${opName} but not used`,
        ...base,
        extensions: { code: "variableNotUsed", variableName: m[1] },
      };
    if ((m = /^Unknown type "(.+?)"\./.exec(e.message))) {
      const inVariable = node?.kind === Kind.NAMED_TYPE;
      return inVariable
        ? {
            message: `${m[1]} isn't a defined input type`,
            ...base,
            extensions: { code: "variableRequiresValidType", typeName: m[1] },
          }
        : {
            message: `No such type ${m[1]}, so it can't be a fragment condition`,
            ...base,
            extensions: { code: "undefinedType", typeName: m[1] },
          };
    }
    if ((m = /^Unknown fragment "(.+?)"\./.exec(e.message)))
      return {
        message: `Fragment ${m[1]} was used, but not defined`,
        ...base,
        extensions: { code: "useAndDefineFragment", fragmentName: m[1] },
      };
    if (
      (m =
        /^(?:Expected value of type|String cannot represent|Int cannot represent|ID cannot represent|Boolean cannot represent|Enum|Field ".+?" of required type)/.exec(
          e.message,
        ))
    )
      return {
        message: `Argument has an invalid value. ${e.message}`,
        ...base,
        extensions: { code: "argumentLiteralsIncompatible" },
      };
    return { message: e.message, ...base, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
  });
}

function selectionNames(node: ASTNode | undefined): string {
  if (!node || node.kind !== Kind.FIELD || !node.selectionSet) return "";
  return node.selectionSet.selections
    .map((s) => (s.kind === Kind.FIELD ? s.name.value : "..."))
    .join(", ");
}

export function syntaxError(e: GraphQLError): ShopifyError {
  // Shopify's parser words these differently ("Expected NAME, actual: ..."); the location is what matters.
  return {
    message: e.message.replace(/^Syntax Error: /, "syntax error, "),
    locations: locations(e),
    extensions: { code: "PARSE_ERROR" },
  };
}

/** Invalid variable values, in graphql-ruby's shape: "Variable $id of type ID! was provided invalid value". */
export function variableError(e: GraphQLError, types: Record<string, string>): ShopifyError {
  const m = /^Variable "\$(.+?)"/.exec(e.message);
  const name = m?.[1] ?? "";
  return {
    message: `Variable $${name} of type ${types[name] ?? "?"} was provided invalid value`,
    locations: locations(e),
    extensions: {
      code: "INVALID_VARIABLE",
      problems: [{ path: [], explanation: e.message.replace(/^Variable "\$.+?" /, "") }],
    },
  };
}

/**
 * A field the caller's installation has no scope for: a top-level error, extensions.code
 * ACCESS_DENIED, in the wording of the reading in force (Readings.accessDenied, where the sources
 * are named). graphql-js adds the field's locations and path, as both readings' examples show.
 */
export function accessDenied(
  field: string,
  scope: string,
  reading: "named" | "bare",
): GraphQLError {
  const documentation = "https://shopify.dev/api/usage/access-scopes";
  if (reading === "bare")
    return new GraphQLError(`Access denied for ${field} field.`, {
      extensions: { code: "ACCESS_DENIED", documentation },
    });
  const required = `\`${scope}\` access scope.`;
  return new GraphQLError(`Access denied for ${field} field. Required access: ${required}`, {
    extensions: { code: "ACCESS_DENIED", documentation, requiredAccess: required },
  });
}
