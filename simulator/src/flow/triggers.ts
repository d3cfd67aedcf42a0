// Shopify Flow's side of the app's triggers: the flow_trigger extensions deployed with the app, and flowTriggerReceive checking a payload against them and recording the run.
//
// Follows Shopify's "Flow trigger reference" (shopify.dev/docs/apps/build/flow/triggers/reference)
// and the Admin API reference of `flowTriggerReceive(handle, payload)`:
// - `handle` names one of the app's deployed flow_trigger extensions;
// - the payload carries each field of the extension's [settings]: a reference field under its
//   documented key (order_reference → "order_id", customer_reference → "customer_id",
//   product_reference → "product_id"), every other field under its `key`;
// - a payload is at most 50 KB;
// - problems come back as `userErrors`, never as a top-level error.
// Shopify does not document the wording of those userErrors; the simulator's name the field.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseToml } from "../app-config.ts";

export const DEFAULT_EXTENSIONS_DIR = fileURLToPath(
  new URL("../../../extensions", import.meta.url),
);

/** Reference field types and the payload key each is sent under. */
export const REFERENCE_FIELD_KEYS: Record<string, string> = {
  customer_reference: "customer_id",
  order_reference: "order_id",
  product_reference: "product_id",
};

export const MAX_TRIGGER_PAYLOAD_BYTES = 50_000;

export interface FlowTriggerDefinition {
  handle: string;
  name: string;
  /** Payload keys the trigger's fields are sent under, in the order the toml declares them. */
  fields: { key: string; type: string }[];
}

/** A flow_action extension: Flow POSTs the action's properties to its runtime URL. */
export interface FlowActionDefinition {
  handle: string;
  name: string;
  runtimeUrl: string;
  fields: { key: string; type: string; required: boolean }[];
}

/**
 * A flow_trigger_lifecycle_callback extension: Flow POSTs to its url when a shop enables or disables
 * a workflow that starts from one of the app's triggers ("Track Flow lifecycle events"). A relative
 * url is resolved against the app's URL, as `shopify app deploy` resolves it.
 */
export interface FlowLifecycleCallbackDefinition {
  handle: string;
  url: string;
}

export interface ReceivedFlowTrigger {
  shop: string;
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: string;
}

/** Reads the flow_trigger and flow_action extensions under the app's extensions/ folder, as deploy would. */
export function readFlowExtensions(dir = DEFAULT_EXTENSIONS_DIR): {
  triggers: FlowTriggerDefinition[];
  actions: FlowActionDefinition[];
  lifecycle: FlowLifecycleCallbackDefinition[];
} {
  const definitions: FlowTriggerDefinition[] = [];
  const actions: FlowActionDefinition[] = [];
  const lifecycle: FlowLifecycleCallbackDefinition[] = [];
  if (!existsSync(dir)) return { triggers: definitions, actions, lifecycle };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const toml = parseToml(readFileSync(file, "utf8"));
    const settings = (toml.settings ?? {}) as {
      fields?: { type?: string; key?: string; required?: boolean }[];
    };
    const fields = (settings.fields ?? []).flatMap((f) => {
      const key = f.type ? (REFERENCE_FIELD_KEYS[f.type] ?? f.key) : undefined;
      return key && f.type ? [{ key, type: f.type, required: f.required === true }] : [];
    });
    for (const ext of (toml.extensions ?? []) as Record<string, unknown>[]) {
      if (typeof ext.handle !== "string") continue;
      const name = String(ext.name ?? ext.handle);
      if (ext.type === "flow_trigger")
        definitions.push({
          handle: ext.handle,
          name,
          fields: fields.map(({ key, type }) => ({ key, type })),
        });
      if (ext.type === "flow_action" && typeof ext.runtime_url === "string")
        actions.push({ handle: ext.handle, name, runtimeUrl: ext.runtime_url, fields });
      if (ext.type === "flow_trigger_lifecycle_callback" && typeof ext.url === "string")
        lifecycle.push({ handle: ext.handle, url: ext.url });
    }
  }
  return { triggers: definitions, actions, lifecycle };
}

type UserError = { field: string[]; message: string };

/** Checks one flowTriggerReceive call; on success the run is recorded. */
export function receiveFlowTrigger(
  definitions: readonly FlowTriggerDefinition[],
  received: ReceivedFlowTrigger[],
  call: { shop: string; handle: unknown; payload: unknown; now: Date },
): UserError[] {
  const definition = definitions.find((d) => d.handle === call.handle);
  if (!definition)
    return [{ field: ["handle"], message: `No trigger with handle "${String(call.handle)}"` }];
  if (!call.payload || typeof call.payload !== "object" || Array.isArray(call.payload))
    return [{ field: ["payload"], message: "Payload must be a JSON object" }];
  const payload = call.payload as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(payload)) > MAX_TRIGGER_PAYLOAD_BYTES)
    return [{ field: ["payload"], message: "Payload exceeds the 50 KB limit" }];
  const errors: UserError[] = [];
  for (const field of definition.fields) {
    const value = payload[field.key];
    if (value === undefined || value === null || value === "") {
      errors.push({ field: ["payload", field.key], message: `${field.key} is required` });
    } else if (field.type in REFERENCE_FIELD_KEYS && !/^\d+$/.test(String(value))) {
      // Reference fields carry the resource's numeric ID, as in the reference's example payload.
      errors.push({ field: ["payload", field.key], message: `${field.key} must be a numeric ID` });
    }
  }
  if (errors.length) return errors;
  received.push({
    shop: call.shop,
    handle: definition.handle,
    payload,
    receivedAt: call.now.toISOString(),
  });
  return [];
}
