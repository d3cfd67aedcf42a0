// Reads and checks the environment once, so a missing or malformed variable stops start-up with
// one clear line per problem instead of failing later inside a request.
import { z } from "zod";

const url = (what: string) =>
  z
    .string({ required_error: `is required: ${what}` })
    .url({ message: `must be a full URL (https://…): ${what}` });

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z
    .string({ required_error: "is required: the app's client ID from the Partner Dashboard" })
    .min(1, "must not be empty: the app's client ID from the Partner Dashboard"),
  SHOPIFY_API_SECRET: z
    .string({ required_error: "is required: the app's client secret from the Partner Dashboard" })
    .min(1, "must not be empty: the app's client secret from the Partner Dashboard"),
  SHOPIFY_APP_URL: url("the public URL Shopify admin loads the app from"),
  SCOPES: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list of access scopes")
    .optional(),
  DATABASE_URL: z
    .string()
    .default("file:./prisma/data/app.db")
    .refine(
      (v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v),
      'must start with "file:" (SQLite) or "postgresql://" (PostgreSQL)',
    ),
  // Where Admin API and token-exchange calls go instead of https://{shop}: the shop simulator.
  // Unset in production.
  SHOPIFY_ADMIN_ORIGIN: url("the shop simulator's origin, e.g. http://127.0.0.1:8787").optional(),
  APP_BRIDGE_URL: url("where App Bridge is loaded from").optional(),
  // "embedded" runs the job worker inside the web process; "off" leaves jobs to `npm run worker`.
  WORKER: z.enum(["embedded", "off"]).default("embedded"),
  // How long a paid order's webhook may be late before reconciliation routes the order itself
  // (ADR 027). The fault run shortens it; production keeps the default.
  RECONCILE_GRACE_SECONDS: z.coerce
    .number()
    .int("must be a whole number of seconds")
    .min(0, "must not be negative")
    .default(120),
  // Orders one worker process routes at once (ADR 062): fewer for a worker with less than a core
  // of its own. Unset: 16. The upper bound guards against a typo: past a worker's cores, more slots
  // only add orders waiting for one.
  WORKER_ROUTING_SLOTS: z.coerce
    .number({ invalid_type_error: "must be a whole number of routing slots, from 1 to 64" })
    .int("must be a whole number of routing slots, from 1 to 64")
    .min(1, "must be at least 1: a worker with no routing slot never routes an order")
    .max(64, "must be at most 64: past a worker's cores, more slots only add orders waiting")
    .optional(),
  // Connections one worker process's statements share on PostgreSQL (Prisma's pool, ADR 070).
  // Unset: 6. PostgreSQL spends more CPU on the same statement the more connections send at once.
  WORKER_DATABASE_CONNECTIONS: z.coerce
    .number({ invalid_type_error: "must be a whole number of connections, from 1 to 100" })
    .int("must be a whole number of connections, from 1 to 100")
    .min(1, "must be at least 1: a worker's statements need a connection")
    .max(100, "must be at most 100: PostgreSQL's default max_connections for every process")
    .optional(),
});

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The simulator's hook sends every Admin API call and token exchange, access tokens included,
 * to another origin: in production that can only be a leftover setting, so start-up stops. The
 * one exception is the simulator on this same machine (the demo, the benchmark and the browser
 * tests run the production build against it); Shopify is never on a loopback address (ADR 009).
 */
const checked = schema.superRefine((value, ctx) => {
  if (value.NODE_ENV !== "production" || !value.SHOPIFY_ADMIN_ORIGIN) return;
  if (LOOPBACK.has(new URL(value.SHOPIFY_ADMIN_ORIGIN).hostname)) return;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    path: ["SHOPIFY_ADMIN_ORIGIN"],
    message:
      "must not be set in production: it sends Admin API calls and access tokens to the shop simulator instead of Shopify",
  });
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`The environment is not set up right:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty value in a .env file means "not set", as it does for most tools.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = checked.safeParse(cleaned);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((i) => `${i.path.join(".")} ${i.message}`));
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
