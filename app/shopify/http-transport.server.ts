// The Admin API calls' HTTP: a fetch-shaped POST over node:http/https with kept-alive connections,
// which graphql-request sends through (docs/decisions/058).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/**
 * Kept-alive connections per origin, closed after 4 s idle or a second before the server's own
 * Keep-Alive timeout (Node's agent reads the hint), so a call is not written onto a socket the
 * server is closing.
 */
const agents = {
  http: new HttpAgent({ keepAlive: true, timeout: 4_000 }),
  https: new HttpsAgent({ keepAlive: true, timeout: 4_000 }),
};

/**
 * An answer's headers as the gateway and graphql-request read them (`get`, `has`): Node's parsed
 * headers, not a WHATWG Headers object built per call (undici's, a share of the profile of its
 * own). Repeated headers read joined with ", " as Headers joins them.
 */
class AnswerHeaders {
  constructor(private readonly raw: IncomingMessage["headers"]) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw)) callback(this.get(name)!, name);
  }
}

/** The answer as graphql-request reads it: status, headers, the body as text. */
function answerOf(res: IncomingMessage, body: string): Response {
  const status = res.statusCode ?? 0;
  const answer = {
    status,
    ok: status >= 200 && status < 300,
    statusText: res.statusMessage ?? "",
    headers: new AnswerHeaders(res.headers),
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
  };
  return answer as unknown as Response;
}

/** The request's headers as Node sends them. */
function headersOf(given: HeadersInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (given instanceof Headers) given.forEach((value, name) => (headers[name] = value));
  else if (Array.isArray(given))
    for (const [name, value] of given) headers[name!.toLowerCase()] = value!;
  else if (given)
    for (const [name, value] of Object.entries(given)) headers[name.toLowerCase()] = value;
  return headers;
}

/**
 * Sends one request and reads its whole answer, as fetch does for the Admin API's calls, without
 * fetch's WHATWG Request, stream and promise objects: undici's fetch and its web streams were
 * about a sixth of a worker's CPU samples per routed order under the scale benchmark (ADR 058).
 * What the gateway relies on is kept: the signal aborts connecting, sending and reading
 * (rejecting with its reason, a TimeoutError for AbortSignal.timeout); a network failure or an
 * answer cut off before its end rejects with fetch's own `TypeError("fetch failed")`, its cause
 * Node's error. Redirects are answers, not followed (the Admin API does not redirect its calls),
 * and no compression is asked for.
 */
export const httpFetch = ((input: string | URL | Request, init: RequestInit = {}) => {
  const url =
    typeof input === "string" ? new URL(input) : input instanceof URL ? input : new URL(input.url);
  const secure = url.protocol === "https:";
  const body = typeof init.body === "string" ? Buffer.from(init.body, "utf8") : undefined;
  const headers = headersOf(init.headers);
  if (body) headers["content-length"] = String(body.length);
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let settled = false;
    const finish = (error: unknown, answer?: Response) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (answer) resolve(answer);
      else reject(error);
    };
    const failed = (cause: unknown) => finish(new TypeError("fetch failed", { cause }));
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      { method: init.method ?? "GET", agent: secure ? agents.https : agents.http, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => finish(null, answerOf(res, Buffer.concat(chunks).toString("utf8"))));
        res.on("error", failed);
        res.on("close", () => {
          if (!res.complete) failed(new Error("the connection closed before the whole answer"));
        });
      },
    );
    function onAbort() {
      finish(signal!.reason);
      req.destroy();
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", failed);
    req.end(body);
  });
}) as typeof fetch;
