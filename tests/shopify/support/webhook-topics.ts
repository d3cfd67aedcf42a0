// The access scopes Shopify requires to subscribe to a webhook topic, from the topic metadata under tests/fixtures.
import { existsSync, readFileSync } from "node:fs";
import type { ScopeRequirement } from "./required-access";
import { WEBHOOK_METADATA_DIR, fromRoot } from "./paths";

interface TopicMetadata {
  name: string;
  /** Resource names without the `read_` prefix ("orders", "merchant_managed_fulfillment_orders"); any one suffices. */
  access_scopes: string[] | null;
}

/**
 * Shopify's mandatory compliance topics have no metadata file: every app must subscribe to them
 * and they need no access scope.
 */
export const COMPLIANCE_TOPICS = [
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;

/** The requirement for a topic, or undefined when there is no metadata to read it from. */
export function webhookTopicRequirement(topic: string): ScopeRequirement | undefined {
  if ((COMPLIANCE_TOPICS as readonly string[]).includes(topic)) return [];
  const file = fromRoot(`${WEBHOOK_METADATA_DIR}/${topic}.json`);
  if (!/^[a-z_]+\/[a-z_]+$/.test(topic) || !existsSync(file)) return undefined;
  const metadata = JSON.parse(readFileSync(file, "utf8")) as TopicMetadata;
  const scopes = metadata.access_scopes ?? [];
  // The reference lists read scopes by resource; a write scope on the same resource grants read.
  return scopes.length === 0 ? [] : [scopes.map((resource) => `read_${resource}`)];
}
