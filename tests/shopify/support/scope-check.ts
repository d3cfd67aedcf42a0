// Compares what documents and webhook subscriptions require with the scopes shopify.app.toml declares.
import type { GraphQLSchema } from "graphql";
import type { CollectedDocument } from "./collect-documents";
import { fragmentPool, withSpreadFragments } from "./check-documents";
import {
  accessNeeds,
  unmetGroups,
  type AccessNeed,
  type ReviewedAccess,
  type ScopeRequirement,
} from "./required-access";
import type { AccessIndex } from "./schema";

export interface DocumentNeeds {
  document: CollectedDocument;
  needs: AccessNeed[];
}

export function documentNeeds(
  documents: readonly CollectedDocument[],
  schema: GraphQLSchema,
  index: AccessIndex,
  reviewed?: ReadonlyMap<string, ReviewedAccess>,
): DocumentNeeds[] {
  const pool = fragmentPool(documents);
  return documents.flatMap((document) =>
    document.ast
      ? [
          {
            document,
            needs: accessNeeds(withSpreadFragments(document.ast, pool), schema, index, reviewed),
          },
        ]
      : [],
  );
}

export interface Shortfall {
  document: CollectedDocument;
  coordinate: string;
  /** Every place in the document that reaches the coordinate. */
  paths: string[];
  text: string;
  /** Groups none of whose alternatives is declared. */
  missing: (readonly string[])[];
  /** Sentences the parser would not read; unmet until a person reviews them. */
  unreadable: string[];
}

export function findShortfalls(
  all: readonly DocumentNeeds[],
  declared: ReadonlySet<string>,
): Shortfall[] {
  const shortfalls = new Map<string, Shortfall>();
  for (const { document, needs } of all) {
    for (const need of needs) {
      const missing = unmetGroups(need.access.allOf, declared);
      if (missing.length === 0 && need.access.unreadable.length === 0) continue;
      const key = `${document.file}#${document.name}#${need.coordinate}`;
      const existing = shortfalls.get(key);
      if (existing) existing.paths.push(need.path);
      else {
        shortfalls.set(key, {
          document,
          coordinate: need.coordinate,
          paths: [need.path],
          text: need.text,
          missing,
          unreadable: need.access.unreadable,
        });
      }
    }
  }
  return [...shortfalls.values()];
}

export function formatShortfall(shortfall: Shortfall): string {
  const { document } = shortfall;
  const where = `${document.name} (${document.file}:${document.line}) at ${shortfall.paths.slice(0, 3).join("; ")}`;
  const lines = [`${where}: ${shortfall.coordinate} requires "${shortfall.text.trim()}"`];
  for (const group of shortfall.missing) lines.push(`  missing: any of ${group.join(", ")}`);
  for (const sentence of shortfall.unreadable) {
    lines.push(
      `  unreadable: "${sentence}" — read it, then add ${shortfall.coordinate} to REVIEWED_ACCESS in tests/shopify/scopes.test.ts`,
    );
  }
  return lines.join("\n");
}

/** Requirements a check can reason about: unreadable ones already fail as shortfalls. */
export function readableRequirements(all: readonly DocumentNeeds[]): ScopeRequirement[] {
  return all.flatMap(({ needs }) =>
    needs.filter((need) => need.access.unreadable.length === 0).map((need) => need.access.allOf),
  );
}

const coveredBy = (requirement: ScopeRequirement, scopes: ReadonlySet<string>) =>
  unmetGroups(requirement, scopes).length === 0;

export interface LeastPrivilegeFinding {
  scope: string;
  message: string;
}

/**
 * Least privilege over the scopes not explicitly allowed: each must be the only one of them to meet
 * some requirement, and a write scope must be needed as write. Allowed scopes are left out of the
 * sums, because alternatives ("any of a, b") would otherwise let a and b excuse each other.
 */
export function leastPrivilegeFindings(
  declared: readonly string[],
  requirements: readonly ScopeRequirement[],
  allowed: ReadonlySet<string>,
): LeastPrivilegeFinding[] {
  const core = new Set(declared.filter((scope) => !allowed.has(scope)));
  const relevant = requirements.filter(
    (requirement) => requirement.length > 0 && coveredBy(requirement, core),
  );
  const findings: LeastPrivilegeFinding[] = [];
  for (const scope of core) {
    const without = new Set([...core].filter((other) => other !== scope));
    if (relevant.every((requirement) => coveredBy(requirement, without))) {
      findings.push({
        scope,
        message: `${scope} is not needed: no document or webhook subscription needs it that the other declared scopes do not already cover`,
      });
      continue;
    }
    const write = /^(unauthenticated_)?write_(.+)$/.exec(scope);
    if (write) {
      const read = `${write[1] ?? ""}read_${write[2] ?? ""}`;
      const narrower = new Set([...without, read]);
      if (relevant.every((requirement) => coveredBy(requirement, narrower))) {
        findings.push({
          scope,
          message: `${scope} is broader than needed: ${read} covers every use`,
        });
      }
    }
  }
  return findings;
}
