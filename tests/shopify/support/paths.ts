// Where the project's files live, so every support module resolves paths from the repository root, not the cwd.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export const ADMIN_SDL_FILE = "app/shopify/schema/admin-2026-10.graphql";
export const ADMIN_INTROSPECTION_FILE = "tests/fixtures/shopify/admin-2026-10.schema.json.gz";
export const WEBHOOK_METADATA_DIR = "tests/fixtures/shopify/webhooks";
export const SHOPIFY_FIXTURES_DIR = "tests/shopify/fixtures";

export function fromRoot(relativePath: string): string {
  return path.join(PROJECT_ROOT, relativePath);
}
