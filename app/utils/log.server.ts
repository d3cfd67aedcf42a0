// Structured logs: one JSON line per event (a job failed, gave up, Shopify refused…), with the
// shop and order it concerns, so a log search finds every event of one order. Never a secret.

export type LogLevel = "info" | "warn" | "error";

export interface LogFields {
  shop?: string | null;
  orderId?: string | null;
  [field: string]: unknown;
}

/** Where lines go: stdout by default; tests and scripts may collect them instead. */
export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stdout.write(`${line}\n`);

/** Sends log lines elsewhere; answers a function that puts the previous sink back. */
export function setLogSink(next: LogSink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

// A field whose name says it holds a credential is never written, whatever its value.
const SECRET_FIELD = /token|secret|password|authorization|hmac|cookie|api_?key/i;
// Shopify access tokens (shpat_, shpua_, shpca_…) and bearer tokens inside free text.
const SECRET_TEXT = /\b(shp[a-z]{2}_[A-Za-z0-9]+|Bearer\s+[A-Za-z0-9._-]+)/g;

function clean(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(SECRET_TEXT, "[redacted]");
  if (value instanceof Error) return clean(value.message, depth);
  if (value === null || typeof value !== "object" || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) ? "[redacted]" : clean(v, depth + 1);
  }
  return out;
}

/** Writes one line: {"time","level","event",...fields}. */
export function logEvent(level: LogLevel, event: string, fields: LogFields = {}): void {
  const line = { time: new Date().toISOString(), level, event, ...(clean(fields) as object) };
  try {
    sink(JSON.stringify(line, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
  } catch {
    // A log line must never take the work down with it.
  }
}

/** The message of whatever was thrown, for a log field. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
